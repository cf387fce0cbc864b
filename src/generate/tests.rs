use super::*;
use crate::domain::ids::OrgId;
use crate::domain::member::MemberStatus;
use crate::store::org::Root;
use crate::store::stats::subtree_counts;

const TODAY: Date = date(2026, 11, 23);

async fn scalar(db: &Db, sql: &str) -> i64 {
    crate::on_db!(db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

async fn check(db: &Db) {
    let opts = Options {
        members: 2000,
        seed: 1,
        progress: false,
        accounts: None,
    };
    let s = generate(db, opts, TODAY).await.unwrap();
    eprintln!("generate on {}: {s:?}", db.backend());
    assert_eq!(s.members, 2000);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM member").await, 2000);
    let counts = subtree_counts(db, Root::subtree(OrgId(s.root)), TODAY)
        .await
        .unwrap();
    let active: i64 = counts
        .members
        .iter()
        .filter(|(st, _, _)| MemberStatus::from_code(st).is_some_and(MemberStatus::is_active))
        .map(|(_, _, n)| n)
        .sum();
    assert_eq!(active, 2000, "{counts:?}");
    let cells: i64 = counts
        .nodes
        .iter()
        .filter(|(k, _, _)| k == "cell")
        .map(|(_, _, n)| n)
        .sum();
    assert_eq!(cells as u64, s.cells);
    let meetings = scalar(db, "SELECT COUNT(*) FROM meeting WHERE status = 'held'").await;
    assert_eq!(meetings as u64, s.meetings);
    assert!(
        meetings as u64 >= s.cells * 15,
        "{meetings} meetings for {} cells",
        s.cells
    );
    let att = scalar(db, "SELECT COUNT(*) FROM attendance").await;
    assert_eq!(att as u64, s.attendance);
    assert!(att > 2000 * 14, "{att}");
    // The identity sequences continue after the generated ids.
    let next = scalar(db, "SELECT MAX(id) FROM member").await;
    assert_eq!(next, 2000);
    // A second run refuses.
    let again = generate(db, opts, TODAY).await;
    assert!(again.is_err());
}

#[tokio::test]
async fn generates_2000_members_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("gen.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    check(&db).await;
    db.close().await;
}

#[tokio::test]
async fn generates_2000_members_on_postgres() {
    let admin_url = std::env::var("CHIBO_TEST_PG").expect(
        "CHIBO_TEST_PG is not set: run the tests with scripts/test, which starts PostgreSQL",
    );
    let name = format!("chibo_gen_{:016x}", rand::random::<u64>());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
    db.migrate().await.unwrap();
    check(&db).await;
    // New rows after the generated ones get fresh ids.
    let id: i64 = match &db {
        Db::Postgres(p) => {
            sqlx::query_scalar("INSERT INTO org (created_on) VALUES ('2026-01-01') RETURNING id")
                .fetch_one(p)
                .await
                .unwrap()
        }
        Db::Sqlite(_) => unreachable!(),
    };
    assert!(id > scalar(&db, "SELECT COUNT(*) FROM org_version").await - 1);
    db.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}

#[test]
fn thousands_separates() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000_000), "1,000,000");
    assert_eq!(thousands(16_000), "16,000");
}
