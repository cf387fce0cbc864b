//! Managing accounts (issue 9 item 5): admins and staff disable, enable,
//! remove grants and revoke sessions and tokens, through API, page and CLI;
//! an expelled or transferred member's access ends with the change.

use crate::both_backends;
use crate::support::{Backend, PASSWORD, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn user_id(t: &TestApp, admin: &str, org: chibo::domain::ids::OrgId, name: &str) -> i64 {
    let list = t
        .get_json(admin, &format!("/api/v1/orgs/{org}/users"))
        .await;
    list.as_array()
        .expect("array")
        .iter()
        .find(|u| u["username"] == name)
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("{name} in {list}"))
}

async fn try_token(t: &TestApp, user: &str) -> StatusCode {
    t.post_json(
        None,
        "/api/v1/auth/token",
        &json!({"username": user, "password": PASSWORD}),
    )
    .await
    .status()
}

async fn disable_ends_tokens_and_sessions_at_once(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let sec = t.token("secretary").await;
    let c = client();
    login(&t, &c, "secretary").await;
    let id = user_id(&t, &admin, t.fx.cell1, "secretary").await;
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/users/{id}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        t.get(Some(&sec), "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let r = c.get(format!("{}/", t.base)).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "session ended");
    assert_eq!(try_token(&t, "secretary").await, StatusCode::UNAUTHORIZED);
    let detail = t.get_json(&admin, &format!("/api/v1/users/{id}")).await;
    assert_eq!(detail["disabled"], true);
    // Enabled again: signs in, but the old token stays dead.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/users/{id}/enable"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(try_token(&t, "secretary").await, StatusCode::OK);
    assert_eq!(
        t.get(Some(&sec), "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let log = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
        .await;
    let actions: Vec<&str> = log
        .as_array()
        .expect("a")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert!(
        actions.contains(&"disable") && actions.contains(&"enable"),
        "{actions:?}"
    );
    // Nobody disables themselves by accident.
    let me = t.get_json(&admin, "/api/v1/me").await["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/users/{me}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    for action in ["revoke", "enable"] {
        let r = t
            .post_json(
                Some(&admin),
                &format!("/api/v1/users/{me}/{action}"),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "{action}");
    }
    let own = t.get_json(&admin, &format!("/api/v1/users/{me}")).await["grants"][0]["id"]
        .as_i64()
        .expect("grant");
    let r = t
        .http
        .delete(format!("{}/api/v1/users/{me}/grants/{own}", t.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        t.get(Some(&admin), "/api/v1/me").await.status(),
        StatusCode::OK,
        "still signed in, still admin"
    );
}

async fn revoke_ends_sessions_and_tokens_but_not_the_account(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let staff = t.token("staff").await;
    let c = client();
    login(&t, &c, "staff").await;
    let id = user_id(&t, &admin, t.fx.district, "staff").await;
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/users/{id}/revoke"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["tokens_deleted"], 1);
    assert_eq!(
        t.get(Some(&staff), "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let r = c.get(format!("{}/", t.base)).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Signing in again works and gives a working session.
    login(&t, &c, "staff").await;
    let r = c.get(format!("{}/", t.base)).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
}

async fn staff_manage_accounts_below_their_node_only(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let staff = t.token("staff").await;
    let ids = |name: &'static str, org| {
        let (t, admin) = (&t, &admin);
        async move { user_id(t, admin, org, name).await }
    };
    let secretary = ids("secretary", t.fx.cell1).await;
    let outsider = ids("outsider", t.fx.other_district).await;
    let admin_id = ids("admin", t.fx.root).await;
    let staff_id = ids("staff", t.fx.district).await;
    let member = ids("member", t.fx.cell1).await;
    // The list of their district: those below, and themselves; nobody else.
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/users", t.fx.district),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "3");
    let names: Vec<String> = crate::support::names(&r.json().await.expect("json"), "username");
    assert_eq!(names, ["member", "secretary", "staff"]);
    for (id, want) in [
        (secretary, StatusCode::NO_CONTENT),
        (outsider, StatusCode::NOT_FOUND),
        (admin_id, StatusCode::NOT_FOUND),
        (staff_id, StatusCode::FORBIDDEN),
    ] {
        let r = t
            .post_json(
                Some(&staff),
                &format!("/api/v1/users/{id}/revoke"),
                &json!({}),
            )
            .await;
        let got = if r.status() == StatusCode::OK {
            StatusCode::NO_CONTENT
        } else {
            r.status()
        };
        assert_eq!(got, want, "user {id}");
    }
    // A secretary and a member manage nobody.
    let sec = t.token("secretary").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/users/{member}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        t.get(Some(&sec), &format!("/api/v1/orgs/{}/users", t.fx.cell1))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let mem = t.token("member").await;
    assert_eq!(
        t.get(Some(&mem), &format!("/api/v1/users/{outsider}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_removed_grant_ends_its_access(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;
    let admin = t.token("admin").await;
    let id = user_id(&t, &admin, t.fx.cell1, "secretary").await;
    let sec = t.token("secretary").await;
    let members = format!("/api/v1/orgs/{}/members", t.fx.cell1);
    assert_eq!(t.get(Some(&sec), &members).await.status(), StatusCode::OK);
    // Through the page, as staff of the district.
    let page = get_text(&c, format!("{}/users/{id}", t.base)).await;
    assert!(page.contains("Bí thư chi bộ"), "{page}");
    let detail = t.get_json(&admin, &format!("/api/v1/users/{id}")).await;
    let grant = detail["grants"][0]["id"].as_i64().expect("grant");
    let r = c
        .post(format!("{}/users/{id}/grants/{grant}/remove", t.base))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/users/{id}", t.base)).await;
    assert!(page.contains("Đã thu hồi quyền."), "{page}");
    assert!(!page.contains("Bí thư chi bộ"));
    // Still a member of the cell: may not list it any more.
    assert_eq!(
        t.get(Some(&sec), &members).await.status(),
        StatusCode::FORBIDDEN
    );
    // A form without the token changes nothing.
    let r = c
        .post(format!("{}/users/{id}/disable", t.base))
        .form(&[("_csrf", "sai")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // The API removes by id, 404 for a grant the account does not hold.
    let r = t
        .http
        .delete(format!("{}/api/v1/users/{id}/grants/{grant}", t.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// The secretary (member An) is expelled: the account is disabled, its
/// grant on the cell removed, its token dead, all in the status change.
async fn an_expelled_member_loses_access(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let staff = t.token("staff").await;
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &json!({"status": "expelled", "status_reason": "Quyết định kỷ luật số 12"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        r.text().await.unwrap_or_default()
    );
    assert_eq!(
        t.get(Some(&sec), "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(try_token(&t, "secretary").await, StatusCode::UNAUTHORIZED);
    let admin = t.token("admin").await;
    let log = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
        .await;
    let ended = log
        .as_array()
        .expect("a")
        .iter()
        .find(|e| e["action"] == "end_access")
        .expect("end_access audited");
    assert_eq!(ended["after"]["disabled"], true);
    assert_eq!(ended["before"]["grants"][0]["role"], "secretary");
}

/// A permanent transfer ends the roles held on the cell left behind.
async fn a_transferred_member_loses_the_old_cell(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/members/{}/transfer", t.fx.an),
            &json!({"to_org_id": t.fx.cell2.0, "kind": "permanent", "on": "2026-11-20"}),
        )
        .await;
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
    assert_eq!(
        t.get(Some(&sec), &format!("/api/v1/orgs/{}/members", t.fx.cell1))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let me = t.get_json(&sec, "/api/v1/me").await;
    assert_eq!(
        me["grants"],
        json!([{"role": "member", "org_id": t.fx.cell2.0}])
    );
}

/// The command line does the same, audited as "cli".
async fn cli_disables_revokes_and_removes_grants(b: Backend) {
    let (url, dir) = crate::support::fresh_url(b).await;
    let db = chibo::store::Db::connect(&url).await.expect("db");
    db.migrate().await.expect("migrate");
    let app = chibo::app::AppState::new(db).with_clock(crate::support::frozen_clock());
    let fx = crate::support::fixture(&app).await;
    let t = TestApp::serve(app, fx, dir).await;
    let sec = t.token("secretary").await;
    let run = |args: &[&str]| {
        let mut all = vec!["chibo", "--database-url", url.as_str(), "user"];
        all.extend_from_slice(args);
        let cli = <chibo::cli::Cli as clap::Parser>::try_parse_from(all).expect("parse");
        chibo::cli::run(cli)
    };
    let cell1 = t.fx.cell1.0.to_string();
    run(&[
        "remove-grant",
        "--username",
        "secretary",
        "--role",
        "secretary",
        "--org",
        &cell1,
    ])
    .await
    .expect("remove-grant");
    let me = t.get_json(&sec, "/api/v1/me").await;
    assert_eq!(
        me["grants"],
        json!([{"role": "member", "org_id": t.fx.cell1.0}])
    );
    run(&["revoke", "--username", "secretary"])
        .await
        .expect("revoke");
    assert_eq!(
        t.get(Some(&sec), "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    run(&["disable", "--username", "secretary"])
        .await
        .expect("disable");
    assert_eq!(try_token(&t, "secretary").await, StatusCode::UNAUTHORIZED);
    run(&["enable", "--username", "secretary"])
        .await
        .expect("enable");
    assert_eq!(try_token(&t, "secretary").await, StatusCode::OK);
    assert!(run(&["disable", "--username", "khong-co"]).await.is_err());
}

both_backends!(
    disable_ends_tokens_and_sessions_at_once,
    revoke_ends_sessions_and_tokens_but_not_the_account,
    staff_manage_accounts_below_their_node_only,
    a_removed_grant_ends_its_access,
    an_expelled_member_loses_access,
    a_transferred_member_loses_the_old_cell,
    cli_disables_revokes_and_removes_grants,
);
