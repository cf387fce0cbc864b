use crate::both_backends;
use crate::support::{Backend, TestApp, names};
use reqwest::StatusCode;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

async fn search_ignores_case_accents_and_form(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let nfd: String = "Nguyễn Văn An".nfd().collect();
    for q in ["nguyen van an", "NGUYỄN VĂN AN", nfd.as_str(), "van an"] {
        let r = t
            .http
            .get(format!("{}/api/v1/orgs/{}/members", t.base, t.fx.district))
            .query(&[("q", q)])
            .bearer_auth(&staff)
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.expect("json");
        assert_eq!(names(&v, "full_name"), ["Nguyễn Văn An"], "q={q:?}");
    }
    let v = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=dang", t.fx.district),
        )
        .await;
    assert_eq!(names(&v, "full_name"), ["Đặng Thị Hà"]);
    let v = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=10000003", t.fx.district),
        )
        .await;
    assert_eq!(
        names(&v, "full_name"),
        ["Lê Văn Bình"],
        "card number search"
    );
}

async fn lists_are_in_vietnamese_order(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members", t.fx.district),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "5");
    let v: Value = r.json().await.expect("json");
    // By given name (An, Anh, Ánh, Bình, Hà), then the rest of the name.
    assert_eq!(
        names(&v, "full_name"),
        [
            "Nguyễn Văn An",
            "Trần Anh",
            "Phạm Thị Ánh",
            "Lê Văn Bình",
            "Đặng Thị Hà"
        ]
    );
    let page2 = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?page=2", t.fx.district),
        )
        .await;
    assert!(page2.as_array().expect("array").is_empty());
    let huge = t
        .get(
            Some(&staff),
            &format!(
                "/api/v1/orgs/{}/members?page=9223372036854775807",
                t.fx.district
            ),
        )
        .await;
    assert_eq!(huge.status(), StatusCode::OK, "no overflow on absurd pages");
}

async fn create_read_patch_member(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let r = t.post_json(Some(&sec), "/api/v1/members", &json!({
        "org_id": t.fx.cell1.0, "full_name": "  vũ   thị MAI ", "gender": "Nữ", "birth_date": "15/08/1992",
        "admitted_on": "2020-03-02", "card_number": "20000001", "phone": "0987 654 321", "religion": "Phật giáo"
    })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.expect("json");
    assert_eq!(m["full_name"], "Vũ Thị Mai");
    assert_eq!(m["birth_date"], "1992-08-15");
    assert_eq!(m["status"], "probationary");
    assert_eq!(m["phone"], "0987654321");
    let id = m["id"].as_i64().expect("id");
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/members/{id}"),
            &json!({"status": "official", "official_on": "02/03/2021"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = t
        .get_json(&sec, &format!("/api/v1/members/{id}/history"))
        .await;
    let statuses: Vec<&str> = h["statuses"]
        .as_array()
        .expect("a")
        .iter()
        .map(|s| s["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["probationary", "official"]);
    // Exempting needs a reason.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/members/{id}"),
            &json!({"status": "exempt"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["fields"][0]["field"], "status_reason");
    // Duplicate card numbers are a field error, not a crash.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/members/{id}"),
            &json!({"card_number": "10000001"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.expect("json");
    assert_eq!(
        body["fields"][0]["message"],
        "Số thẻ đảng viên: đã được dùng cho một đảng viên khác"
    );
    let stats = t
        .get_json(
            &t.token("admin").await,
            &format!("/api/v1/orgs/{}/stats", t.fx.cell1),
        )
        .await;
    assert_eq!(stats["religious_members"], 1);
}

async fn bad_input_gets_clear_errors(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let url = format!("{}/api/v1/members/{}", t.base, t.fx.an);
    let r = t
        .http
        .patch(&url)
        .bearer_auth(&staff)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .expect("msg")
            .starts_with("Dữ liệu JSON không hợp lệ"),
        "{body}"
    );
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &json!({"birth_date": "30/02/1980", "email": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.expect("json");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("a")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["birth_date", "email"]);
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .expect("m")
            .starts_with("Ngày sinh:")
    );
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &json!({"full_name": 5}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &json!({"shoe_size": "42"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );
    let r = t.get(Some(&staff), "/api/v1/members/abc").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = t
        .get(Some(&staff), "/api/v1/members/99999999999999999999")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = t.get(Some(&staff), "/api/v1/nothing-here").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nothing changed.
    let m = t
        .get_json(&staff, &format!("/api/v1/members/{}", t.fx.an))
        .await;
    assert_eq!(m["birth_date"], "1980-01-01");
}

async fn patch_is_audited_with_before_and_after(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &json!({"phone": "0912345678"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let log = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/audit", t.fx.district))
        .await;
    let entry = &log[0];
    assert_eq!(entry["username"], "staff");
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["entity_id"], t.fx.an.0);
    assert_eq!(entry["before"]["phone"], "");
    assert_eq!(entry["after"]["phone"], "0912345678");
    assert!(entry["summary"].as_str().expect("s").contains("Điện thoại"));
    // The secretary may not read the audit log; an outsider does not see it at all.
    let sec = t.token("secretary").await;
    assert_eq!(
        t.get(Some(&sec), &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let out = t.token("outsider").await;
    assert_eq!(
        t.get(Some(&out), &format!("/api/v1/orgs/{}/audit", t.fx.district))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn transfers_move_members(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/members/{}/transfer", t.fx.ha),
            &json!({"to_org_id": t.fx.cell2.0, "kind": "permanent", "on": "01/09/2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let m = t
        .get_json(&staff, &format!("/api/v1/members/{}", t.fx.ha))
        .await;
    assert_eq!(m["org_id"], t.fx.cell2.0);
    let s = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/stats?on=2026-08-31", t.fx.cell1),
        )
        .await;
    assert_eq!(s["members"], 4, "before the transfer she counted in cell 1");
    let s = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/stats", t.fx.cell1))
        .await;
    assert_eq!(s["members"], 3);
    let r = t.post_json(Some(&staff), &format!("/api/v1/members/{}/transfer", t.fx.an), &json!({"to_org_id": t.fx.cell2.0, "kind": "temporary", "on": "01/10/2026", "until": "01/01/2027"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let h = t
        .get_json(&staff, &format!("/api/v1/members/{}/history", t.fx.an))
        .await;
    assert_eq!(h["placements"][1]["kind"], "temporary");
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/members/{}/transfer", t.fx.an),
            &json!({"to_org_id": t.fx.other_cell.0, "kind": "permanent"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "cannot send a member out of one's own scope"
    );
}

both_backends!(
    search_ignores_case_accents_and_form,
    lists_are_in_vietnamese_order,
    create_read_patch_member,
    bad_input_gets_clear_errors,
    patch_is_audited_with_before_and_after,
    transfers_move_members,
);
