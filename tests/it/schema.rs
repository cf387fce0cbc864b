//! The two migration folders must build the same tables and columns.

use crate::support::{Backend, fresh_db};
use chibo::store::Db;

async fn columns(db: &Db) -> Vec<(String, String)> {
    match db {
        Db::Sqlite(p) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' AND name <> 'tower_sessions'",
            )
            .fetch_all(p)
            .await
            .expect("tables");
            let mut out = Vec::new();
            for t in tables {
                let cols: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')"))
                        .fetch_all(p)
                        .await
                        .expect("cols");
                out.extend(cols.into_iter().map(|c| (t.clone(), c)));
            }
            out.sort();
            out
        }
        Db::Postgres(p) => {
            let mut out: Vec<(String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(p)
            .await
            .expect("cols");
            out.sort();
            out
        }
    }
}

#[tokio::test]
async fn both_backends_have_the_same_schema() {
    let (sqlite, _dir) = fresh_db(Backend::Sqlite).await;
    let (pg, _) = fresh_db(Backend::Postgres).await;
    let (a, b) = (columns(&sqlite).await, columns(&pg).await);
    assert!(a.len() > 40, "{a:?}");
    assert_eq!(a, b);
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let t = crate::support::TestApp::spawn(Backend::Sqlite).await;
    let doc: serde_json::Value = t
        .http
        .get(format!("{}/api/openapi.json", t.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/orgs",
        "/api/v1/orgs/{id}",
        "/api/v1/orgs/{id}/children",
        "/api/v1/orgs/{id}/stats",
        "/api/v1/orgs/{id}/members",
        "/api/v1/members/{id}",
        "/api/v1/orgs/{id}/members/import",
        "/healthz",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
