use crate::both_backends;
use crate::support::{Backend, TestApp, names};
use reqwest::StatusCode;
use serde_json::json;
use unicode_normalization::UnicodeNormalization;

async fn org_search_folds_accents_and_scopes(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    for q in [
        "cam",
        "CẨM",
        "Đảng bộ xã Cẩm",
        &"xã Cẩm".nfd().collect::<String>(),
    ] {
        let v = t
            .get_json(&admin, &format!("/api/v1/orgs?q={}", urlq(q)))
            .await;
        assert_eq!(names(&v, "name"), ["Đảng bộ xã Cẩm"], "q={q:?}");
        assert_eq!(v[0]["kind"], "base_committee");
        assert_eq!(v[0]["parent_id"], t.fx.district.0);
    }
    let staff = t.token("staff").await;
    let all = t.get_json(&staff, "/api/v1/orgs").await;
    assert_eq!(
        names(&all, "name"),
        ["Chi bộ 1", "Chi bộ 2", "Đảng bộ xã Cẩm", "Huyện B"],
        "Vietnamese order, own subtree only"
    );
    let none = t.get_json(&staff, "/api/v1/orgs?q=xa").await;
    assert!(
        names(&none, "name").iter().all(|n| n != "Chi bộ Xa"),
        "other district invisible: {none}"
    );
}

fn urlq(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn stats_count_the_subtree(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let s = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/stats", t.fx.district))
        .await;
    assert_eq!(s["members"], 5);
    assert_eq!(s["base_orgs"], 1);
    assert_eq!(s["cells"], 2);
    assert_eq!(s["religious_members"], 0);
    assert_eq!(s["by_cell_type"]["rural"], 1);
    assert_eq!(s["by_cell_type"]["school"], 1);
    assert_eq!(s["by_status"]["official"], 5);
    let root = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/stats", t.fx.root))
        .await;
    assert_eq!(root["members"], 6);
    assert_eq!(root["cells"], 3);
    let before = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{}/stats?on=2014-12-31", t.fx.root),
        )
        .await;
    assert_eq!(before["members"], 0, "nothing existed before 2015");
    let r = t
        .get(
            Some(&admin),
            &format!("/api/v1/orgs/{}/stats?on=31-31-2020", t.fx.root),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(
        body["error"].as_str().expect("msg").starts_with("Ngày:"),
        "{body}"
    );
}

async fn reorganizations_keep_history(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let (cell1, cell2, district, province) = (t.fx.cell1, t.fx.cell2, t.fx.district, t.fx.province);
    // Merge Chi bộ 2 into Chi bộ 1 on 2020-01-01.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{cell2}/merge"),
            &json!({"target_id": cell1.0, "effective_on": "01/01/2020", "decision": "QĐ 1-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // District dissolved on 2025-07-01: its commune moves under the province first.
    let commune = t.fx.commune;
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{commune}/move"),
            &json!({"target_id": province.0, "effective_on": "2025-07-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{district}/dissolve"),
            &json!({"effective_on": "2025-07-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{commune}/rename"),
            &json!({"name": "Đảng bộ xã Cẩm Mới", "effective_on": "2025-07-02"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    // 2019: the old shape.
    let old = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{district}/stats?on=2019-06-30"),
        )
        .await;
    assert_eq!(
        (old["cells"].as_i64(), old["members"].as_i64()),
        (Some(2), Some(5))
    );
    let kids = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{commune}/children?on=2019-06-30"),
        )
        .await;
    assert_eq!(names(&kids, "name"), ["Chi bộ 1", "Chi bộ 2"]);
    // Today: one cell with everyone; the district is gone, its stats are of its last day.
    let now = t
        .get_json(&admin, &format!("/api/v1/orgs/{commune}/stats"))
        .await;
    assert_eq!(
        (now["cells"].as_i64(), now["members"].as_i64()),
        (Some(1), Some(5))
    );
    let gone = t
        .get_json(&admin, &format!("/api/v1/orgs/{district}/stats"))
        .await;
    assert_eq!(gone["as_of"], "2025-06-30");
    assert_eq!(gone["members"], 5);
    let merged = t.get_json(&admin, &format!("/api/v1/orgs/{cell2}")).await;
    assert_eq!(
        merged["successor_id"], cell1.0,
        "where the merged cell went"
    );
    assert_eq!(merged["dissolved_on"], "2020-01-01");
    let named_then = t
        .get_json(&admin, &format!("/api/v1/orgs/{commune}?on=2025-07-01"))
        .await;
    assert_eq!(named_then["name"], "Đảng bộ xã Cẩm");
    assert_eq!(named_then["parent_id"], province.0);
    let named_now = t.get_json(&admin, &format!("/api/v1/orgs/{commune}")).await;
    assert_eq!(named_now["name"], "Đảng bộ xã Cẩm Mới");
    let search_old = t
        .get_json(&admin, "/api/v1/orgs?q=huyen%20b&on=2024-01-01")
        .await;
    assert_eq!(names(&search_old, "name"), ["Huyện B"]);
    let search_now = t.get_json(&admin, "/api/v1/orgs?q=huyen%20b").await;
    assert!(names(&search_now, "name").is_empty());
    let history = t
        .get_json(&admin, &format!("/api/v1/orgs/{commune}/history"))
        .await;
    assert_eq!(history["versions"].as_array().map(Vec::len), Some(3));
    // A member of the merged cell moved with it, and their history says so.
    let h = t
        .get_json(&admin, &format!("/api/v1/members/{}/history", t.fx.an))
        .await;
    assert_eq!(
        h["placements"].as_array().map(Vec::len),
        Some(1),
        "An was in cell 1 all along"
    );
}

async fn reorganization_errors_are_clear(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    // Dissolving a node with members is refused.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/dissolve", t.fx.cell1),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .expect("msg")
            .contains("còn 4 đảng viên"),
        "{body}"
    );
    // A cycle is refused.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/move", t.fx.district),
            &json!({"target_id": t.fx.commune.0, "effective_on": "2021-01-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // History cannot be rewritten.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/rename", t.fx.cell1),
            &json!({"name": "Chi bộ Một", "effective_on": "2010-01-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["fields"][0]["field"], "effective_on");
    // Creating a cell without a type names the field.
    let r = t
        .post_json(
            Some(&admin),
            "/api/v1/orgs",
            &json!({"parent_id": t.fx.commune.0, "name": "Chi bộ 3", "kind": "cell"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        body["fields"][0]["message"],
        "Loại hình chi bộ: phải chọn cho một chi bộ"
    );
    let r = t.post_json(Some(&admin), "/api/v1/orgs", &json!({"parent_id": t.fx.commune.0, "name": "Chi bộ 3", "kind": "cell", "cell_type": "health"})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

both_backends!(
    org_search_folds_accents_and_scopes,
    stats_count_the_subtree,
    reorganizations_keep_history,
    reorganization_errors_are_clear
);
