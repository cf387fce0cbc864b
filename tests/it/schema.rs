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
    let doc = t.openapi().await;
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

/// The document states what the validation enforces, so clients (and the
/// schemathesis run of scripts/fuzz-api) send requests the handlers accept.
#[tokio::test]
async fn openapi_document_states_the_validation() {
    let t = crate::support::TestApp::spawn(Backend::Sqlite).await;
    let doc = t.openapi().await;
    // Query strings are query parameters, optional; only the template names are path parameters.
    let mut queries = 0;
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("ops") {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().expect("name");
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is no path parameter"
                    );
                } else {
                    assert_eq!(p["in"], "query", "{method} {path} {name}");
                    assert_ne!(p["required"], true, "{method} {path} {name}");
                    queries += 1;
                }
            }
        }
    }
    assert!(queries >= 15, "{queries} query parameters");
    let schemas = &doc["components"]["schemas"];
    let codes = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is an enum"))
            .iter()
            .map(|v| v.as_str().expect("code").to_string())
            .collect()
    };
    use chibo::domain::{meeting, org, status};
    assert_eq!(
        codes("MeetingKind"),
        meeting::MeetingKind::ALL.map(|k| k.code().to_string())
    );
    assert_eq!(
        codes("Presence"),
        meeting::Presence::ALL.map(|k| k.code().to_string())
    );
    assert_eq!(
        codes("OrgKind"),
        org::OrgKind::ALL.map(|k| k.code().to_string())
    );
    assert_eq!(
        codes("CellType"),
        org::CellType::ALL.map(|k| k.code().to_string())
    );
    assert_eq!(
        codes("MemberStatus"),
        status::MemberStatus::ALL.map(|k| k.code().to_string())
    );
    // The body POST /orgs reads needs the parent; a cell's schedule needs all three fields.
    let create = &doc["paths"]["/api/v1/orgs"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(create["$ref"], "#/components/schemas/NewOrgRequest");
    let parent = &schemas["NewOrgRequest"]["allOf"][1];
    assert_eq!(parent["required"][0], "parent_id");
    assert_eq!(
        schemas["ScheduleInput"]["required"],
        serde_json::json!(["day_of_month", "time", "place"])
    );
    assert_eq!(
        schemas["MemberDraftSchema"]["required"],
        serde_json::json!(["full_name", "gender"])
    );
    assert_eq!(
        schemas["MemberDraftSchema"]["properties"]["birth_date"]["format"],
        "date"
    );
    assert_eq!(schemas["MemberPatch"]["additionalProperties"], false);
    assert_eq!(
        schemas["MeetingPatch"]["properties"]["status"]["enum"],
        serde_json::json!(["planned", "held", "cancelled"])
    );
    assert_eq!(
        schemas["PlanRequest"]["properties"]["year"]["minimum"],
        2000
    );
}
