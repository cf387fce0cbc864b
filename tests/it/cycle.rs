//! Practices of the seeds in the meeting cycle (issue 10, point 8), on both
//! databases: a committee's meeting day for all its cells, the agenda by cell
//! type, the cell committee's agreement on the content, and attendance and
//! speaking of members without a post and of new members.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn meetings_of(t: &TestApp, token: &str, cell: chibo::domain::ids::OrgId) -> Vec<Value> {
    t.get_json(
        token,
        &format!("/api/v1/orgs/{cell}/meetings?from=2026-01-01&to=2027-12-31"),
    )
    .await
    .as_array()
    .expect("meetings")
    .clone()
}

async fn roll_call(t: &TestApp, token: &str, id: i64, entries: Value) -> StatusCode {
    t.http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(token)
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("put")
        .status()
}

// docs/rules.md "A committee sets one meeting day for its cells" (seed 002:
// Bản Hon's committee directs all its cells to meet on the 3rd).
async fn a_committee_sets_one_day_for_all_its_cells(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, staff) = (t.token("secretary").await, t.token("staff").await);
    let (cell1, cell2, commune) = (t.fx.cell1, t.fx.cell2, t.fx.commune);
    let past = t.new_meeting(&sec, cell1, "2026-11-10").await;
    let planned = t.new_meeting(&sec, cell1, "2026-12-15").await;
    let held = t.new_meeting(&sec, cell1, "2027-01-09").await;
    let entries = json!([{"member_id": t.fx.an.0, "presence": "present"}]);
    assert_eq!(roll_call(&t, &sec, held, entries).await, StatusCode::OK);

    let path = format!("/api/v1/orgs/{commune}/meeting-day");
    let body = json!({"effective_from": "2026-12-01", "day_of_month": "3", "time": "", "cells_keep_own": false});
    // Only the committee's staff (and those above) direct its cells.
    for user in ["secretary", "member", "outsider"] {
        let tok = t.token(user).await;
        let r = t.post_json(Some(&tok), &path, &body).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{user}");
    }
    let bad = json!({"effective_from": "2026-12-01", "day_of_month": "31"});
    let r = t.post_json(Some(&staff), &path, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("Ngày sinh hoạt: phải là số từ 1 đến 28")
    );

    let r = t.post_json(Some(&staff), &path, &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let applied: Value = r.json().await.expect("json");
    assert_eq!(applied["cells_following"], 2, "{applied}");
    assert_eq!(applied["moved"], json!([planned]), "{applied}");
    assert_eq!(
        applied["policy"]["text"],
        "Theo chỉ đạo của Đảng ủy xã Cẩm: ngày 3 hằng tháng"
    );
    // The planned meeting moved, with the reason; past and held ones did not.
    let m = t
        .get_json(&sec, &format!("/api/v1/meetings/{planned}"))
        .await;
    assert_eq!(m["meeting"]["date"], "2026-12-03");
    assert!(
        m["moves"][0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("Theo chỉ đạo của Đảng ủy xã Cẩm")
    );
    for (id, day) in [(past, "2026-11-10"), (held, "2027-01-09")] {
        let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
        assert_eq!(m["meeting"]["date"], day);
    }
    // Cell 2 had nothing: twelve regular meetings on the 3rd, December on.
    let days: Vec<String> = meetings_of(&t, &staff, cell2)
        .await
        .iter()
        .map(|m| m["date"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(days.len(), 12, "{days:?}");
    assert_eq!(days[0], "2026-12-03");
    assert!(days.iter().all(|d| d.ends_with("-03")), "{days:?}");
    // Cell 1: December moved, January kept (held), eleven in all from December.
    let cell1_days: Vec<String> = meetings_of(&t, &staff, cell1)
        .await
        .iter()
        .map(|m| m["date"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(cell1_days.contains(&"2027-01-09".to_string()));
    assert!(!cell1_days.contains(&"2027-01-03".to_string()));
    assert_eq!(cell1_days.len(), 1 + 1 + 1 + 10, "{cell1_days:?}");

    let listed = t.get_json(&staff, &path).await;
    assert_eq!(listed[0]["day_of_month"], 3);
    let log = t
        .get_json(&staff, &format!("/api/v1/orgs/{commune}/audit"))
        .await;
    let entry = log
        .as_array()
        .expect("log")
        .iter()
        .find(|e| e["action"] == "meeting_day")
        .expect("audited");
    assert!(
        entry["summary"]
            .as_str()
            .unwrap_or("")
            .contains("2 chi bộ theo"),
        "{entry}"
    );

    // The cell's calendar and the committee's page say whose day it is.
    let browser = client();
    login(&t, &browser, "secretary").await;
    let cal = get_text(&browser, format!("{}/orgs/{cell1}/meetings", t.base)).await;
    assert!(cal.contains("Theo chỉ đạo của Đảng ủy xã Cẩm: ngày 3 hằng tháng"));
    let staff_browser = client();
    let csrf = login(&t, &staff_browser, "staff").await;
    let page = get_text(&staff_browser, format!("{}/orgs/{commune}", t.base)).await;
    assert!(page.contains("Theo chỉ đạo của Đảng ủy xã Cẩm: ngày 3 hằng tháng"));
    assert!(page.contains("/meeting-day"));
    // The form: a second policy on the same date is refused by name.
    let r = staff_browser
        .post(format!("{}/orgs/{commune}/meeting-day", t.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("effective_from", "01/12/2026"),
            ("day_of_month", "5"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("đã có chỉ đạo khác áp dụng từ ngày này")
    );
}

// docs/rules.md "A committee sets one meeting day for its cells": where the
// policy allows it, a cell that registered its own day keeps it.
async fn a_cell_keeps_its_own_day_where_allowed(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, staff) = (t.token("secretary").await, t.token("staff").await);
    let cell1 = t.fx.cell1;
    let r = t
        .http
        .put(format!("{}/api/v1/orgs/{cell1}/schedule", t.base))
        .bearer_auth(&sec)
        .json(&json!({"day_of_month": "15", "time": "19:00", "place": "Nhà văn hóa"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let body = json!({"effective_from": "2026-12-01", "day_of_month": "3", "time": "07:30", "cells_keep_own": true});
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/meeting-day", t.fx.commune),
            &body,
        )
        .await;
    let applied: Value = r.json().await.expect("json");
    assert_eq!(
        (
            applied["cells_following"].as_i64(),
            applied["cells_keeping_own"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert!(meetings_of(&t, &staff, cell1).await.is_empty());
    let cell2 = meetings_of(&t, &staff, t.fx.cell2).await;
    assert_eq!(cell2[0]["start_time"], "07:30");
    // Planning the year afterwards: cell 1 keeps the 15th, cell 2 the 3rd.
    let plan = |cell| format!("/api/v1/orgs/{cell}/meetings/plan");
    t.post_json(Some(&sec), &plan(cell1), &json!({"year": 2027}))
        .await;
    let days: Vec<Value> = meetings_of(&t, &staff, cell1)
        .await
        .iter()
        .map(|m| m["date"].clone())
        .collect();
    assert!(
        days.iter()
            .all(|d| d.as_str().is_some_and(|d| d.ends_with("-15"))),
        "{days:?}"
    );
    let page = get_text(
        &{
            let c = client();
            login(&t, &c, "secretary").await;
            c
        },
        format!("{}/orgs/{cell1}/meetings", t.base),
    )
    .await;
    assert!(page.contains("giữ ngày sinh hoạt riêng"));
}

// docs/rules.md "The standard agenda follows the cell's type" (seed 002;
// Hướng dẫn 05-HD/BTCTW, 25/5/2007).
async fn the_agenda_follows_the_cells_type(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let rural = t.new_meeting(&staff, t.fx.cell1, "2026-12-03").await;
    let school = t.new_meeting(&staff, t.fx.cell2, "2026-12-03").await;
    let titles = |m: &Value| -> Vec<String> {
        m["agenda"]
            .as_array()
            .expect("agenda")
            .iter()
            .map(|a| a["title"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let r = titles(
        &t.get_json(&staff, &format!("/api/v1/meetings/{rural}"))
            .await,
    );
    assert!(r.iter().any(|l| l.contains("gieo trồng")), "{r:?}");
    assert!(r.iter().any(|l| l.contains("thôn, bản văn hóa")), "{r:?}");
    assert!(!r.iter().any(|l| l.contains("chuyên môn")));
    let s = titles(
        &t.get_json(&staff, &format!("/api/v1/meetings/{school}"))
            .await,
    );
    assert!(
        s.iter()
            .any(|l| l.contains("nhiệm vụ chuyên môn của nhà trường")),
        "{s:?}"
    );
    assert!(!s.iter().any(|l| l.contains("gieo trồng")));
}

// docs/rules.md "The cell committee agrees the content first" (Hướng dẫn
// 42-HD/BTCTW, 28/10/2025; seed 002).
async fn the_cell_committee_agrees_the_content_first(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-11-25").await;
    let path = format!("/api/v1/meetings/{id}/agreement");
    let put = |token: String, body: Value| {
        let (http, url) = (t.http.clone(), format!("{}{path}", t.base));
        async move {
            http.put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("put")
        }
    };
    let r = put(t.token("member").await, json!({"agreed_on": "2026-11-20"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = put(sec.clone(), json!({"agreed_on": "2026-11-26"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("Ngày thống nhất nội dung: phải trước hoặc trong ngày họp")
    );
    let r = put(sec.clone(), json!({"agreed_on": "2026-11-20"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let a: Value = r.json().await.expect("json");
    // Four full members: no committee, the secretary and deputy agree.
    assert_eq!(
        a["text"],
        "Bí thư, phó bí thư thống nhất nội dung ngày 20/11/2026"
    );
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["content_agreement"]["agreed_on"], "2026-11-20");
    assert_eq!(m["content_agreement"]["recorded_by"], "secretary");
    let browser = client();
    let csrf = login(&t, &browser, "secretary").await;
    let page = get_text(&browser, format!("{}/meetings/{id}", t.base)).await;
    assert!(page.contains("Bí thư, phó bí thư thống nhất nội dung ngày 20/11/2026"));
    let r = browser
        .post(format!("{}/meetings/{id}/agreement", t.base))
        .form(&[("_csrf", csrf.as_str()), ("agreed_on", "21/11/2026")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let log = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(log["content_agreement"]["agreed_on"], "2026-11-21");
    // Signed minutes: refused.
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("m")
        .iter()
        .map(|m| json!({"member_id": m["id"], "presence": "present"}))
        .collect();
    assert_eq!(
        roll_call(&t, &sec, id, json!(entries)).await,
        StatusCode::OK
    );
    let minutes = json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0, "proceedings": "Đánh giá tháng 11.", "vote_for": 4, "vote_against": 0});
    assert_eq!(
        t.patch_json(&sec, &format!("/api/v1/meetings/{id}"), &minutes)
            .await
            .status(),
        StatusCode::OK
    );
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    let r = put(sec.clone(), json!({"agreed_on": "2026-11-22"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

// docs/rules.md "Attendance and speaking of members without a post and of
// new members" (seed 001: they speak least).
async fn attendance_and_speaking_apart(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let cell1 = t.fx.cell1;
    let draft = chibo::domain::member::MemberDraft {
        full_name: "Lò Thị Mới".into(),
        gender: "Nữ".into(),
        birth_date: "01/01/2000".into(),
        admitted_on: "01/03/2026".into(),
        card_number: "10000099".into(),
        ..Default::default()
    };
    chibo::service::member::create(
        &t.app,
        &chibo::service::Caller::system("test"),
        cell1,
        &draft,
    )
    .await
    .expect("new member");
    let id = t.new_meeting(&sec, cell1, "2026-11-03").await;
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{cell1}/members"))
        .await;
    // An (the secretary) spoke; Hà present, silent; Bình spoke; Anh absent;
    // the new member present and silent.
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let name = m["full_name"].as_str().unwrap_or("");
            let (presence, spoke) = match name {
                "Nguyễn Văn An" | "Lê Văn Bình" => ("present", true),
                "Trần Anh" => ("absent_unexcused", false),
                _ => ("present", false),
            };
            json!({"member_id": m["id"], "presence": presence, "spoke": spoke})
        })
        .collect();
    assert_eq!(entries.len(), 5);
    assert_eq!(
        roll_call(&t, &sec, id, json!(entries)).await,
        StatusCode::OK
    );
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    let group = |v: &Value, g: &str| -> (i64, i64, i64) {
        let x = v["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|x| x["group"] == g)
            .expect("group")
            .clone();
        (
            x["convened"].as_i64().unwrap_or(-1),
            x["present"].as_i64().unwrap_or(-1),
            x["speakers"].as_i64().unwrap_or(-1),
        )
    };
    assert_eq!(m["tally"]["convened"], 5);
    assert_eq!(group(&m, "no_post"), (4, 3, 1), "{m}");
    assert_eq!(group(&m, "new"), (1, 1, 0), "{m}");
    assert_eq!(
        m["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|x| x["group"] == "new"))
            .map(|x| x["speaker_share"].clone()),
        Some(json!(0.0))
    );
    // The commune's year adds them up from the rollups, apart from the whole.
    let staff = t.token("staff").await;
    let s = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/meeting-stats?year=2026", t.fx.commune),
        )
        .await;
    assert_eq!(group(&s, "no_post"), (4, 3, 1), "{s}");
    assert_eq!(group(&s, "new"), (1, 1, 0), "{s}");
    let browser = client();
    login(&t, &browser, "secretary").await;
    let page = get_text(&browser, format!("{}/meetings/{id}", t.base)).await;
    assert!(page.contains("Đảng viên không giữ chức vụ") && page.contains("Đảng viên mới kết nạp"));
    let cal = get_text(
        &browser,
        format!("{}/orgs/{cell1}/meetings?year=2026", t.base),
    )
    .await;
    assert!(cal.contains("Đảng viên mới kết nạp"));
}

both_backends!(
    a_committee_sets_one_day_for_all_its_cells,
    a_cell_keeps_its_own_day_where_allowed,
    the_agenda_follows_the_cells_type,
    the_cell_committee_agrees_the_content_first,
    attendance_and_speaking_apart,
);
