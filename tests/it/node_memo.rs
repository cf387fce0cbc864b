//! The memo of a node's reads (docs/rules.md "Node memo"): a cell's figures,
//! history and posts kept on one instance show, on the very next read, what
//! another instance of the same database wrote, including a change elsewhere
//! in the tree that renames a node the history names.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Read twice: the second read is the kept one.
async fn read(t: &TestApp, token: &str, path: &str) -> Value {
    let first = t.get_json(token, path).await;
    assert_eq!(first, t.get_json(token, path).await, "{path}");
    first
}

async fn a_change_shows_on_the_next_read(b: Backend) {
    // Instance a writes, instance b serves.
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();
    let cell = fx.cell1.0;
    let (staff, sec, admin) = (
        a.token("staff").await,
        a.token("secretary").await,
        a.token("admin").await,
    );
    let stats = format!("/api/v1/orgs/{cell}/stats");
    let meetings = format!("/api/v1/orgs/{cell}/meeting-stats?year=2026");
    let posts = format!("/api/v1/orgs/{cell}/posts");
    let history = format!("/api/v1/orgs/{cell}/history");
    let members = read(&b2, &staff, &stats).await["members"].as_i64();
    let planned = read(&b2, &staff, &meetings).await["planned"].as_i64();
    let held = |p: &Value| p["rows"].as_array().map(Vec::len);
    let posts_before = held(&read(&b2, &staff, &posts).await);
    // The secretary's page (no move form naming today's tree), as of a day
    // before the renames below: only the history names the commune anew.
    let c = client();
    login(&b2, &c, "secretary").await;
    let page = || get_text(&c, format!("{}/orgs/{cell}?on=2026-01-15", b2.base));
    assert_eq!(page().await, page().await);

    // A member added, a meeting planned, a post given.
    let r = a
        .post_json(
            Some(&staff),
            "/api/v1/members",
            &json!({"org_id": cell, "full_name": "Vũ Thị Mai", "gender": "Nữ",
                    "birth_date": "15/08/1992", "admitted_on": "2020-03-02", "card_number": "20000001"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        read(&b2, &staff, &stats).await["members"].as_i64(),
        members.map(|n| n + 1)
    );
    a.new_meeting(&sec, fx.cell1, "2026-12-05").await;
    assert_eq!(
        read(&b2, &staff, &meetings).await["planned"].as_i64(),
        planned.map(|n| n + 1)
    );
    let r = a
        .post_json(
            Some(&staff),
            &posts,
            &json!({"member": "Vũ Thị Mai", "kind": "cell_deputy", "from": "01/11/2026", "decision": "Quyết định số 7-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        held(&read(&b2, &staff, &posts).await),
        posts_before.map(|n| n + 1)
    );
    assert!(page().await.contains("Vũ Thị Mai"));

    // The cell renamed from 1 March: a new version in its history.
    let r = a
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{cell}/rename"),
            &json!({"name": "Chi bộ thôn Mới", "effective_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let names = read(&b2, &staff, &history).await["versions"].to_string();
    assert!(names.contains("Chi bộ thôn Mới"), "{names}");
    assert!(!page().await.contains("Đảng bộ xã Cẩm Mới"));

    // The commune renamed from 1 February: the cell's version of 1 March now
    // names its parent by the new name, though nothing in the cell changed.
    let r = a
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/rename", fx.commune),
            &json!({"name": "Đảng bộ xã Cẩm Mới", "effective_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(page().await.contains("Đảng bộ xã Cẩm Mới"));
}

both_backends!(a_change_shows_on_the_next_read);
