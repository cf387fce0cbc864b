//! The member home page cache (docs/rules.md "Home page cache"): a member
//! whose home page is cached on one instance sees, on the very next request,
//! every change another instance of the same database made to what the page
//! shows.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn a_change_shows_on_the_next_home_page(b: Backend) {
    // Instance a writes, instance b serves the member's home page.
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();
    let c = client();
    login(&b2, &c, "member").await;
    let home = || {
        let c = c.clone();
        let url = format!("{}/", b2.base);
        async move { get_text(&c, url).await }
    };
    let first = home().await;
    assert!(first.contains("Chi bộ 1") && !first.contains("10/12/2026"));
    assert_eq!(first, home().await);
    assert!(!b2.app.homes.is_empty(), "b has cached the home page");

    // A meeting planned in the member's cell.
    let sec = a.token("secretary").await;
    let meeting = a.new_meeting(&sec, fx.cell1, "2026-12-10").await;
    assert!(home().await.contains("ngày 10/12/2026"));

    // A document published for it.
    let r = a
        .upload(
            &sec,
            &format!("/api/v1/meetings/{meeting}/documents"),
            "du-thao-nghi-quyet.pdf",
            b"%PDF-1.4 du thao".to_vec(),
        )
        .await;
    assert!(r.status().is_success(), "upload: {}", r.status());
    assert!(home().await.contains("du-thao-nghi-quyet.pdf"));

    // A task given to the member.
    let r = a
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{meeting}/tasks"),
            &json!({"member_id": fx.ha.0, "title": "Thăm hỏi 3 hộ nghèo", "deadline": "2026-12-20"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(home().await.contains("Thăm hỏi 3 hộ nghèo"));

    // The notice sent, then read by the member on the meeting's page.
    let r = a
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{meeting}/notice"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(home().await.contains("chưa xem"));
    let member = a.token("member").await;
    let _: Value = a
        .get_json(&member, &format!("/api/v1/meetings/{meeting}"))
        .await;
    assert!(!home().await.contains("chưa xem"), "the notice was read");

    // A post given to the member.
    let staff = a.token("staff").await;
    let r = a
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/posts", fx.cell1),
            &json!({"member": "Đặng Thị Hà", "kind": "cell_deputy", "from": "01/11/2026", "decision": "Quyết định số 7-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(home().await.contains("Chức vụ:"));

    // A supervision round naming the member as a cadre.
    let r = a
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/rounds", fx.district),
            &json!({"name": "Đợt tháng 12", "from": "01/12/2026", "to": "20/12/2026", "cadres": "Đặng Thị Hà"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(home().await.contains("1 đợt được cử"));

    // The cell renamed.
    let admin = a.token("admin").await;
    let r = a
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/rename", fx.cell1),
            &json!({"name": "Chi bộ Thôn Một", "effective_on": "2026-11-23"}),
        )
        .await;
    assert!(r.status().is_success(), "rename: {}", r.status());
    assert!(home().await.contains("Chi bộ Thôn Một"));
}

both_backends!(a_change_shows_on_the_next_home_page);
