//! The member list cache (docs/rules.md "Member list cache"): a list or a
//! search cached on one instance shows, on the very next read, every member
//! change another instance of the same database made below the listed node.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login, names};
use reqwest::StatusCode;
use serde_json::json;

async fn list(t: &TestApp, token: &str, path: &str) -> Vec<String> {
    // Twice: the second read is the cached one.
    let first = names(&t.get_json(token, path).await, "full_name");
    assert_eq!(first, names(&t.get_json(token, path).await, "full_name"));
    first
}

async fn a_member_change_shows_in_every_cached_list(b: Backend) {
    // Instance a writes, instance b serves the lists.
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();
    let staff = a.token("staff").await;
    let cell1 = format!("/api/v1/orgs/{}/members?page_size=200", fx.cell1);
    let cell2 = format!("/api/v1/orgs/{}/members?page_size=200", fx.cell2);
    let district = format!("/api/v1/orgs/{}/members", fx.district);
    let search = format!("/api/v1/orgs/{}/members?q=mai", fx.district);
    assert!(
        !list(&b2, &staff, &cell1)
            .await
            .contains(&"Vũ Thị Mai".to_string())
    );
    assert!(list(&b2, &staff, &search).await.is_empty());
    let before = list(&b2, &staff, &district).await.len();

    // A member added to a cell: its list, the district's and a search.
    let r = a
        .post_json(
            Some(&staff),
            "/api/v1/members",
            &json!({"org_id": fx.cell1.0, "full_name": "Vũ Thị Mai", "gender": "Nữ",
                    "birth_date": "15/08/1992", "admitted_on": "2020-03-02", "card_number": "20000001"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mai = r.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert!(
        list(&b2, &staff, &cell1)
            .await
            .contains(&"Vũ Thị Mai".to_string())
    );
    assert_eq!(list(&b2, &staff, &district).await.len(), before + 1);
    assert_eq!(list(&b2, &staff, &search).await, vec!["Vũ Thị Mai"]);

    // Renamed.
    let r = a
        .patch_json(
            &staff,
            &format!("/api/v1/members/{mai}"),
            &json!({"full_name": "Vũ Thị Mai Anh"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        list(&b2, &staff, &cell1)
            .await
            .contains(&"Vũ Thị Mai Anh".to_string())
    );
    assert_eq!(list(&b2, &staff, &search).await, vec!["Vũ Thị Mai Anh"]);

    // Transferred to the other cell: gone from the first, in the second.
    assert!(
        !list(&b2, &staff, &cell2)
            .await
            .contains(&"Vũ Thị Mai Anh".to_string())
    );
    let r = a
        .post_json(
            Some(&staff),
            &format!("/api/v1/members/{mai}/transfer"),
            &json!({"to_org_id": fx.cell2.0, "kind": "permanent", "on": "23/11/2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(
        !list(&b2, &staff, &cell1)
            .await
            .contains(&"Vũ Thị Mai Anh".to_string())
    );
    assert!(
        list(&b2, &staff, &cell2)
            .await
            .contains(&"Vũ Thị Mai Anh".to_string())
    );
    assert_eq!(list(&b2, &staff, &district).await.len(), before + 1);

    // A cell renamed: the district's list page names it anew.
    let c = client();
    login(&b2, &c, "staff").await;
    let page = format!("{}/orgs/{}/members", b2.base, fx.district);
    let first = get_text(&c, &page).await;
    assert!(first.contains("Chi bộ 2") && !first.contains("Chi bộ Thôn Hai"));
    let admin = a.token("admin").await;
    let r = a
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/rename", fx.cell2),
            &json!({"name": "Chi bộ Thôn Hai", "effective_on": "2026-11-23"}),
        )
        .await;
    assert!(r.status().is_success(), "rename: {}", r.status());
    assert!(get_text(&c, &page).await.contains("Chi bộ Thôn Hai"));
}

both_backends!(a_member_change_shows_in_every_cached_list);
