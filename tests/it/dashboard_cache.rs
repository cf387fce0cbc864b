//! The dashboard cache (docs/rules.md "Dashboard cache"): a dashboard kept
//! on one instance shows, on the very next read, what another instance of
//! the same database wrote below its node; viewers share an entry only when
//! they may see the same sections.

use crate::both_backends;
use crate::dashboard::{at, section};
use crate::support::{Backend, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The commune's 2026 dashboard, read twice: the second read is the kept one.
async fn read(t: &TestApp, token: &str, org: i64) -> Value {
    let path = format!("/api/v1/orgs/{org}/dashboard?year=2026");
    let first = t.get_json(token, &path).await;
    assert_eq!(first, t.get_json(token, &path).await);
    first
}

/// Members by status, added up.
fn members(d: &Value) -> f64 {
    section(d, "members_by_status")["series"][0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(Value::as_f64)
        .sum()
}

async fn a_write_shows_on_the_next_dashboard(b: Backend) {
    // Instance a writes, instance b serves the dashboards.
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();
    let (staff, sec, admin) = (
        a.token("staff").await,
        a.token("secretary").await,
        a.token("admin").await,
    );
    let commune = fx.commune.0;
    let d = read(&b2, &staff, commune).await;
    let planned = at(section(&d, "meetings_by_month"), 0, "T3");
    let before = members(&d);

    // A meeting planned in a cell below.
    a.new_meeting(&sec, fx.cell1, "2026-03-05").await;
    let d = read(&b2, &staff, commune).await;
    assert_eq!(
        at(section(&d, "meetings_by_month"), 0, "T3"),
        planned.map(|n| n + 1.0)
    );

    // A member added to the other cell.
    let r = a
        .post_json(
            Some(&staff),
            "/api/v1/members",
            &json!({"org_id": fx.cell2.0, "full_name": "Vũ Thị Mai", "gender": "Nữ",
                    "birth_date": "15/08/1992", "admitted_on": "2020-03-02", "card_number": "20000001"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d = read(&b2, &staff, commune).await;
    assert_eq!(members(&d), before + 1.0);

    // The commune renamed: the API and the page.
    let r = a
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{commune}/rename"),
            &json!({"name": "Đảng bộ xã Cẩm Mới", "effective_on": "2026-01-02"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        read(&b2, &staff, commune).await["name"],
        "Đảng bộ xã Cẩm Mới"
    );
    let c = client();
    login(&b2, &c, "staff").await;
    let html = get_text(
        &c,
        format!("{}/orgs/{commune}/dashboard?year=2026", b2.base),
    )
    .await;
    assert!(html.contains("Đảng bộ xã Cẩm Mới"), "{html}");

    // A member of the cell is not shown the staff's breakdown of it, even
    // right after the staff's dashboard of the cell was kept.
    let cell = fx.cell1.0;
    let by_staff = read(&b2, &staff, cell).await;
    let keys = |d: &Value| -> Vec<String> {
        d["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter_map(|s| s["key"].as_str().map(String::from))
            .collect()
    };
    assert!(keys(&by_staff).contains(&"members_by_status".to_string()));
    let member = b2.token("member").await;
    let by_member = read(&b2, &member, cell).await;
    assert!(
        !keys(&by_member).contains(&"members_by_status".to_string()),
        "{by_member}"
    );
}

both_backends!(a_write_shows_on_the_next_dashboard);
