//! `chibo generate --accounts` (issue 14 point 6): the bulk accounts exist,
//! sign in with the one password, and hold exactly their grants.

use crate::both_backends;
use crate::support::{self, Backend, Fixture, TestApp};
use chibo::app::AppState;
use chibo::domain::ids::{MemberId, OrgId};
use chibo::generate::{Options, accounts, generate};
use chibo::on_db;
use reqwest::StatusCode;
use serde_json::json;

async fn ids(app: &AppState, sql: &str) -> Vec<i64> {
    on_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(sql)
        .fetch_all(p)
        .await)
    .expect("query")
}

async fn generated_accounts_sign_in_with_their_grants(b: Backend) {
    let (db, dir) = support::fresh_db(b).await;
    let app = AppState::new(db).with_clock(support::frozen_clock());
    let today = app.clock.today();
    let opts = Options {
        members: 4000,
        seed: 7,
        progress: false,
        accounts: Some(support::hash()),
    };
    let s = generate(&app.db, opts, today).await.expect("generate");
    let branches = ids(
        &app,
        "SELECT o.org_id FROM org_version o WHERE o.kind <> 'cell' ORDER BY o.org_id",
    )
    .await;
    let cells = ids(
        &app,
        "SELECT o.org_id FROM org_version o WHERE o.kind = 'cell' ORDER BY o.org_id",
    )
    .await;
    let communes = ids(
        &app,
        "SELECT o.org_id FROM org_version o WHERE o.kind = 'base_committee' ORDER BY o.org_id",
    )
    .await;
    assert_eq!(cells.len() as u64, s.cells);
    assert_eq!(s.accounts, s.cells * 2 + branches.len() as u64);
    let users = ids(&app, "SELECT COUNT(*) FROM app_user").await;
    assert_eq!(users, vec![s.accounts as i64]);
    let audit = ids(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE username = 'generate' AND entity = 'user'",
    )
    .await;
    assert_eq!(audit, vec![1], "one audit row for the batch");
    let (cell, other_cell) = (cells[0], cells[1]);
    let first = ids(
        &app,
        &format!("SELECT MIN(id) FROM member WHERE cell_id = {cell}"),
    )
    .await[0];
    let (commune, other_commune) = (communes[0], communes[1]);
    let fx = Fixture {
        root: OrgId(s.root),
        province: OrgId(branches[1]),
        district: OrgId(commune),
        commune: OrgId(commune),
        cell1: OrgId(cell),
        cell2: OrgId(other_cell),
        other_district: OrgId(other_commune),
        other_commune: OrgId(other_commune),
        other_cell: OrgId(other_cell),
        an: MemberId(first),
        ha: MemberId(first + 1),
        other_member: MemberId(first + 2),
    };
    let t = TestApp::serve(app, fx, dir).await;

    // The secretary: a grant on its own cell, nothing beyond.
    let sec = t.token(&accounts::secretary(cell)).await;
    let me = t.get_json(&sec, "/api/v1/me").await;
    assert_eq!(me["member_id"], first);
    assert!(
        me["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .any(|g| g["role"] == "secretary" && g["org_id"] == cell),
        "{me}"
    );
    let body = json!({"kind": "regular", "date": "2026-11-24", "topic": ""});
    let r = t
        .post_json(Some(&sec), &format!("/api/v1/orgs/{cell}/meetings"), &body)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{other_cell}/meetings"),
            &body,
        )
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );

    // The member: its own home page, no cell's roster to manage.
    let dv = t.token(&accounts::member(first + 1)).await;
    let me = t.get_json(&dv, "/api/v1/me").await;
    assert_eq!(me["member_id"], first + 1);
    let home = t.get(Some(&dv), "/api/v1/me/home").await;
    assert_eq!(home.status(), StatusCode::OK);
    let r = t
        .post_json(Some(&dv), &format!("/api/v1/orgs/{cell}/meetings"), &body)
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );

    // A commune's officer reads its commune's statistics, not another's.
    let cb = t.token(&accounts::officer(commune)).await;
    let r = t
        .get(
            Some(&cb),
            &format!("/api/v1/orgs/{commune}/meeting-stats?year=2026"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .get(Some(&cb), &format!("/api/v1/orgs/{other_commune}/stats"))
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    // The root's officer sees the whole country.
    let root = t.token(&accounts::officer(s.root)).await;
    let r = t
        .get(
            Some(&root),
            &format!("/api/v1/orgs/{}/meeting-stats?year=2026", s.root),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // A wrong password is refused as for any account.
    let r = t
        .post_json(
            None,
            "/api/v1/auth/token",
            &json!({"username": accounts::secretary(cell), "password": "sai-mat-khau"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Accounts made afterwards get fresh ids (PostgreSQL's sequences moved on).
    let id = chibo::service::auth::create_user(
        &t.app,
        "test",
        chibo::service::auth::NewUser {
            username: "admin",
            password: support::PASSWORD,
            display_name: "admin",
            member: None,
            grants: vec![(chibo::domain::authz::Role::Admin, OrgId(s.root))],
        },
    )
    .await
    .expect("a later account");
    assert!(id.0 > s.accounts as i64, "{id:?}");
}

both_backends!(generated_accounts_sign_in_with_their_grants);
