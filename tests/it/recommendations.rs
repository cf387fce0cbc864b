//! Recommendations (kiến nghị) tracked to their answer (issue 11, point 6):
//! raised at a meeting or by the cell, routed up the cell's own line,
//! assigned, answered, read out at the cell's next meeting; overdue lists,
//! counts and the export (docs/rules.md "Recommendations (kiến nghị)";
//! seed 004 Đức Thọ practice, Hướng dẫn 42-HD/BTCTW step 4).

use crate::both_backends;
use crate::support::{Backend, TestApp, client, csrf_of, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let r = t.post_json(Some(token), path, &body).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Seed 004 (Đức Thọ): petitions from the cells go to the standing
/// committee, are assigned, answered, and the answer is reported back to the
/// cell; 42-HD/BTCTW step 4: members' petitions handled at the meeting.
async fn a_recommendation_goes_up_and_its_answer_comes_back(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let staff = t.token("staff").await;
    let member = t.token("member").await;
    let m1 = t.new_meeting(&sec, t.fx.cell1, "2026-11-05").await;

    // Two lines raised at the meeting by a member, sent at once to the commune.
    let (s, r) = post(
        &t,
        &sec,
        &format!("/api/v1/meetings/{m1}/recommendations"),
        json!({
        "topic": "sand_mining",
        "content": "- Khai thác cát trái phép ở bến Đò Vàng\n- Đường liên bản xuống cấp",
        "raised_by": "dang thi ha", "level": "Đảng bộ xã Cẩm"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["ids"][0].as_i64().expect("id");
    assert_eq!(r["ids"].as_array().map(Vec::len), Some(2));

    // A member of the cell reads it, and cannot handle it.
    let got = t
        .get_json(&member, &format!("/api/v1/recommendations/{id}"))
        .await;
    assert_eq!(
        (
            got["status"].as_str(),
            got["raised_by"].as_str(),
            got["level_name"].as_str()
        ),
        (Some("sent"), Some("Đặng Thị Hà"), Some("Đảng bộ xã Cẩm")),
        "{got}"
    );
    let (s, _) = post(
        &t,
        &member,
        &format!("/api/v1/recommendations/{id}/answer"),
        json!({"answer": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Once sent, the cell's secretary no longer assigns it.
    let (s, _) = post(
        &t,
        &sec,
        &format!("/api/v1/recommendations/{id}/assign"),
        json!({"assignee": "UBND xã", "deadline": "30/11/2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The district passes it up to itself by name; never back down.
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{id}/route"),
        json!({"level": "huyện b"}),
    )
    .await;
    assert_eq!(
        (s, r["level_name"].as_str()),
        (StatusCode::OK, Some("Huyện B")),
        "{r}"
    );
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{id}/route"),
        json!({"level": "Đảng bộ xã Cẩm"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.to_string()
            .contains("Cấp nhận: phải là cấp cao hơn cấp đang giải quyết"),
        "{r}"
    );

    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{id}/assign"),
        json!({"assignee": "UBND huyện", "deadline": "30/11/2026"}),
    )
    .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("assigned")),
        "{r}"
    );
    // Not answered before it was asked, nor in the future.
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{id}/answer"),
        json!({"answer": "Đã giao công an huyện xử lý", "answered_on": "01/12/2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.to_string()
            .contains("Ngày trả lời: không được sau hôm nay"),
        "{r}"
    );
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{id}/answer"),
        json!({"answer": "Đã giao công an huyện xử lý", "answered_on": "20/11/2026"}),
    )
    .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("answered")),
        "{r}"
    );

    // The cell's next meeting shows the answer to read out; the secretary records it.
    let m2 = t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;
    let c = client();
    login(&t, &c, "secretary").await;
    let page = get_text(&c, format!("{}/meetings/{m2}", t.base)).await;
    assert!(page.contains("Thông báo trả lời kiến nghị"), "{page}");
    assert!(page.contains("Đã giao công an huyện xử lý"), "{page}");
    let csrf = csrf_of(&page);
    let r = c
        .post(format!(
            "{}/meetings/{m2}/recommendations/{id}/report",
            t.base
        ))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let got = t
        .get_json(&member, &format!("/api/v1/recommendations/{id}"))
        .await;
    assert_eq!(
        (got["status"].as_str(), got["reported_meeting_id"].as_i64()),
        (Some("reported"), Some(m2)),
        "{got}"
    );
    // The first meeting's page lists what was raised there.
    let page = get_text(&c, format!("{}/meetings/{m1}", t.base)).await;
    assert!(page.contains("Đường liên bản xuống cấp"), "{page}");

    // Every step is in the cell's audit log.
    let admin = t.token("admin").await;
    let log = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
        .await
        .to_string();
    for action in [
        "recommendation_raise",
        "recommendation_route",
        "recommendation_assign",
        "recommendation_answer",
        "recommendation_report",
    ] {
        assert!(log.contains(action), "{action}: {log}");
    }
}

async fn hold_and_sign(t: &TestApp, token: &str, id: i64) {
    let members = t
        .get_json(token, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| json!({"member_id": m["id"], "presence": "present"}))
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
        .patch_json(token, &format!("/api/v1/meetings/{id}"),
            &json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0, "proceedings": "Chi bộ thảo luận.",
                    "resolution_text": "Chăm sóc lúa mùa."}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (s, r) = post(t, token, &format!("/api/v1/meetings/{id}/sign"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

/// Signed minutes are immutable (docs/rules.md "Recommendations (kiến
/// nghị)"): nothing is raised at them afterwards; the cell raises it instead.
/// Overdue = past the deadline and unanswered (seed 004 practice).
async fn signed_minutes_overdue_lists_counts_and_export(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let staff = t.token("staff").await;
    let m = t.new_meeting(&sec, t.fx.cell1, "2026-11-05").await;
    hold_and_sign(&t, &sec, m).await;
    let (s, r) = post(
        &t,
        &sec,
        &format!("/api/v1/meetings/{m}/recommendations"),
        json!({"topic": "land", "content": "Cấp đất sai quy hoạch"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    assert!(
        r["error"]
            .as_str()
            .unwrap_or("")
            .contains("biên bản kỳ họp đã ký"),
        "{r}"
    );

    // Field errors in Vietnamese.
    let (s, r) = post(
        &t,
        &sec,
        &format!("/api/v1/orgs/{}/recommendations", t.fx.cell1),
        json!({"topic": "", "content": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.to_string();
    assert!(text.contains("Lĩnh vực: phải chọn một lĩnh vực"), "{text}");
    assert!(
        text.contains("Nội dung kiến nghị: phải ghi nội dung"),
        "{text}"
    );

    // The cell raises it; the commune gives it a deadline that passes.
    let (s, r) = post(
        &t,
        &sec,
        &format!("/api/v1/orgs/{}/recommendations", t.fx.cell1),
        json!({"topic": "land", "content": "Cấp đất sai quy hoạch", "raised_on": "01/10/2026",
               "level": "Đảng bộ xã Cẩm"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let late = r["ids"][0].as_i64().expect("id");
    let (s, _) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{late}/assign"),
        json!({"assignee": "UBND xã", "deadline": "15/11/2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // One more, closed without an answer.
    let (_, r) = post(
        &t,
        &sec,
        &format!("/api/v1/orgs/{}/recommendations", t.fx.cell1),
        json!({"topic": "security", "content": "Trùng nội dung", "level": "Đảng bộ xã Cẩm"}),
    )
    .await;
    let dup = r["ids"][0].as_i64().expect("id");
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{dup}/close"),
        json!({"reason": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let (s, r) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{dup}/close"),
        json!({"reason": "Trùng kiến nghị trước"}),
    )
    .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{r}"
    );
    let (s, _) = post(
        &t,
        &staff,
        &format!("/api/v1/recommendations/{dup}/close"),
        json!({"reason": "lần nữa"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The district's overdue list holds the late one only.
    let list = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/recommendations?overdue=1", t.fx.district),
        )
        .await;
    let ids: Vec<i64> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(ids, [late], "{list}");
    assert_eq!(list[0]["overdue"], json!(true));
    let all = t
        .get_json(
            &staff,
            &format!(
                "/api/v1/orgs/{}/recommendations?year=2026&quarter=4",
                t.fx.district
            ),
        )
        .await;
    assert_eq!(all.as_array().map(Vec::len), Some(2), "{all}");
    // Another district's staff see none of it.
    let outsider = t.token("outsider").await;
    let r = t
        .get(Some(&outsider), &format!("/api/v1/recommendations/{late}"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Counts for the year, rolled up the subtree (the district's staff do not
    // see the province's).
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/recommendations/counts", t.fx.province),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let admin = t.token("admin").await;
    let c = t
        .get_json(
            &admin,
            &format!(
                "/api/v1/orgs/{}/recommendations/counts?year=2026",
                t.fx.province
            ),
        )
        .await;
    assert_eq!(
        (c["all"]["total"].as_i64(), c["all"]["overdue"].as_i64()),
        (Some(2), Some(1)),
        "{c}"
    );
    assert_eq!(c["by_quarter"][3]["total"].as_i64(), Some(2), "{c}");
    let land = c["by_topic"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|x| x[0] == "land")
        .expect("land");
    assert_eq!(land[2]["total"].as_i64(), Some(1), "{c}");
    assert_eq!(c["by_level"][0][0].as_str(), Some("Đảng bộ xã Cẩm"), "{c}");

    // The committee page and its export.
    let browser = client();
    login(&t, &browser, "staff").await;
    let page = get_text(
        &browser,
        format!(
            "{}/orgs/{}/recommendations?overdue=1",
            t.base, t.fx.district
        ),
    )
    .await;
    assert!(
        page.contains("Cấp đất sai quy hoạch") && page.contains("quá hạn"),
        "{page}"
    );
    assert!(!page.contains("Trùng nội dung"), "{page}");
    let bytes = browser
        .get(format!(
            "{}/orgs/{}/recommendations.xlsx?year=2026",
            t.base, t.fx.district
        ))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = wb.worksheet_range("Kiến nghị").expect("sheet");
    let cells: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        cells.iter().any(|c| c == "Cấp đất sai quy hoạch"),
        "{cells:?}"
    );
    assert!(
        cells.iter().any(|c| c == "Đã giao giải quyết (quá hạn)"),
        "{cells:?}"
    );
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("Đóng, không trả lời: Trùng kiến nghị trước")),
        "{cells:?}"
    );
}

both_backends!(
    a_recommendation_goes_up_and_its_answer_comes_back,
    signed_minutes_overdue_lists_counts_and_export
);
