//! Rules judged as a party office judges them (issue 10, point 3), through
//! the API and the statistics that roll up the tree.

use crate::both_backends;
use crate::support::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Records the roll (everyone present, two speakers) and the opening and
/// closing times: the meeting is held.
async fn hold(t: &TestApp, token: &str, id: i64, started: &str) {
    let members = t
        .get_json(token, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"member_id": m["id"], "presence": "present", "spoke": i < 2}))
        .collect();
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(token)
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .patch_json(
            token,
            &format!("/api/v1/meetings/{id}"),
            &json!({"started_time": started, "ended_time": "21:30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// Bản Hon's model meeting in Cell 7 was held on a theme (seed 002): it is
/// the month's regular meeting and the quarter's thematic one at once. The
/// district's statistics count it as thematic; a model meeting without a
/// theme is not.
async fn a_model_meeting_on_a_theme_is_thematic(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let path = format!("/api/v1/orgs/{}/meetings", t.fx.cell1);
    let mut ids = Vec::new();
    for (topic, date) in [
        (
            "Xây dựng thôn văn hóa gắn với du lịch cộng đồng",
            "2026-10-03",
        ),
        ("", "2026-11-03"),
    ] {
        let body = json!({"kind": "model", "date": date, "time": "19:30", "topic": topic});
        let r = t.post_json(Some(&sec), &path, &body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(
            r.json::<Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let (themed, plain) = (ids[0], ids[1]);
    hold(&t, &sec, themed, "19:30").await;
    hold(&t, &sec, plain, "19:30").await;
    let staff = t.token("staff").await;
    let s = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/meeting-stats?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(
        (s["held"].as_i64(), s["thematic_held"].as_i64()),
        (Some(2), Some(1)),
        "{s}"
    );
}

/// Punctuality is judged from the recorded opening time against the
/// announced one (Kim Sơn practice: cells register day, time and place).
async fn a_late_start_is_reported(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/meetings", t.fx.cell1),
            &json!({"kind": "regular", "date": "2026-11-03", "time": "19:30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    hold(&t, &sec, id, "19:50").await;
    let staff = t.token("staff").await;
    let c = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/compliance?year=2026", t.fx.cell1),
        )
        .await;
    let failures = c["report"][0]["meeting_failures"].to_string();
    assert!(
        failures.contains("Bắt đầu đúng giờ đã thông báo (19:30)")
            && failures.contains("muộn 20 phút"),
        "{c}"
    );
}

both_backends!(
    a_model_meeting_on_a_theme_is_thematic,
    a_late_start_is_reported
);
