//! The meeting cycle through the API, on both databases.

use crate::both_backends;
use crate::support::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn a_month_from_notice_to_signed_minutes(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let cell = t.fx.cell1;
    let (an, ha) = (t.fx.an.0, t.fx.ha.0);

    // Calendar: the default rule, then the cell's own, laid out over the year.
    let s = t
        .get_json(&sec, &format!("/api/v1/orgs/{cell}/schedule"))
        .await;
    assert_eq!(
        (s["day_of_month"].as_i64(), s["time"].as_str()),
        (Some(3), Some("19:30"))
    );
    let r = t
        .http
        .put(format!("{}/api/v1/orgs/{cell}/schedule", t.base))
        .bearer_auth(&sec)
        .json(&json!({"day_of_month": "5", "time": "19h00", "place": "Nhà văn hóa thôn"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let planned = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{cell}/meetings/plan"),
            &json!({"year": 2026}),
        )
        .await;
    let planned: Value = planned.json().await.expect("json");
    assert_eq!(planned["created"].as_array().map(Vec::len), Some(12));
    let again: Value = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{cell}/meetings/plan"),
            &json!({"year": 2026}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        again["created"].as_array().map(Vec::len),
        Some(0),
        "planning twice adds nothing"
    );
    let list = t
        .get_json(
            &sec,
            &format!("/api/v1/orgs/{cell}/meetings?from=2026-01-01&to=2026-12-31"),
        )
        .await;
    assert!(
        list.as_array()
            .expect("a")
            .iter()
            .all(|m| m["date"].as_str().is_some_and(|d| d.ends_with("-05")))
    );

    // A thematic meeting with two presenters.
    let r = t.post_json(Some(&sec), &format!("/api/v1/orgs/{cell}/meetings"), &json!({
        "kind": "thematic", "date": "10/12/2026", "topic": "Học tập và làm theo tư tưởng Hồ Chí Minh", "ho_chi_minh": true, "presenters": [an, ha]
    })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.expect("json");
    let id = m["id"].as_i64().expect("id");
    assert_eq!(m["start_time"], "19:00");
    let d = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    let agenda: Vec<&str> = d["agenda"]
        .as_array()
        .expect("a")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or(""))
        .collect();
    assert!(
        agenda.contains(&"Tham luận: Nguyễn Văn An") && agenda.contains(&"Tham luận: Đặng Thị Hà"),
        "{agenda:?}"
    );

    // Moving it needs a reason.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"date": "2026-12-11"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"date": "2026-12-11", "move_reason": "Trùng lịch họp xã"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Notice: in the app for everyone, by email (with the ICS) for those with an address.
    assert_eq!(
        t.patch_json(
            &sec,
            &format!("/api/v1/members/{ha}"),
            &json!({"email": "ha@example.vn"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let n: Value = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/notice"),
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (n["notified"].as_i64(), n["emailed"].as_i64()),
        (Some(4), Some(1))
    );
    // Queued with the notice; the mail worker (here one turn of it) sends it.
    let sent = chibo::service::outbox::drain_once(&t.app)
        .await
        .expect("drain");
    assert_eq!(sent.sent, 1);
    let mails: Vec<_> = std::fs::read_dir(t.mail.path())
        .expect("mail dir")
        .flatten()
        .collect();
    assert_eq!(mails.len(), 1);
    let eml = std::fs::read_to_string(mails[0].path()).expect("eml");
    assert!(eml.contains("ha@example.vn"));
    assert!(
        crate::support::eml_contains(&eml, "BEGIN:VCALENDAR"),
        "the invitation is attached"
    );

    // Roll call: a speaker must be present; exempt members are not absent.
    let bad =
        json!({"entries": [{"member_id": an, "presence": "absent_unexcused", "spoke": true}]});
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(&sec)
        .json(&bad)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{cell}/members"))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("a")
        .iter()
        .map(|m| {
            let name = m["full_name"].as_str().unwrap_or("");
            let (presence, spoke, reason) = match name {
                "Nguyễn Văn An" | "Đặng Thị Hà" => ("present", true, ""),
                "Lê Văn Bình" => ("absent_excused", false, "Ốm"),
                _ => ("present", false, ""),
            };
            json!({"member_id": m["id"], "presence": presence, "spoke": spoke, "reason": reason})
        })
        .collect();
    let r = t.http.put(format!("{}/api/v1/meetings/{id}/attendance", t.base)).bearer_auth(&sec)
        .json(&json!({"entries": entries, "guests": [{"name": "nguyễn văn khách", "position": "Đảng ủy viên"}]})).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let tally: Value = r.json().await.expect("json");
    assert_eq!(
        (
            tally["present"].as_i64(),
            tally["convened"].as_i64(),
            tally["speakers"].as_i64()
        ),
        (Some(3), Some(4), Some(2))
    );

    // Minutes, vote (checked against full members present), sign.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"vote_for": 9}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.patch_json(&sec, &format!("/api/v1/meetings/{id}"), &json!({
        "chair_id": an, "recorder_id": ha, "started_time": "19:00", "ended_time": "20:45",
        "proceedings": "Đồng chí An trình bày chuyên đề.\n\nĐồng chí Hà tham luận.", "conclusion": "Thống nhất.",
        "vote_for": 3, "vote_against": 0, "vote_abstain": 0, "resolution_title": "Nghị quyết chuyên đề"
    })).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t.post_json(Some(&sec), &format!("/api/v1/meetings/{id}/tasks"), &json!({
        "member_id": ha, "title": "Vận động 4 hộ tham gia BHYT", "deadline": "20/11/2026", "households": "Hộ ông A, Hộ bà B, Hộ ông C"
    })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let signed: Value = r.json().await.expect("json");
    assert_eq!(signed["signed"], true);
    assert_eq!(signed["number"], 1);

    // Signed minutes are immutable: edits answer 409, corrections are amendments.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"conclusion": "Sửa lại"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/amendments"),
            &json!({"body": "Đính chính: kết thúc lúc 20:50."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(d["meeting"]["conclusion"], "Thống nhất.");
    assert_eq!(
        d["amendments"][0]["body"],
        "Đính chính: kết thúc lúc 20:50."
    );
    assert_eq!(d["guests"][0]["name"], "Nguyễn Văn Khách");

    // Documents.
    let r = t
        .get(Some(&sec), &format!("/api/v1/meetings/{id}/minutes.docx"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("docx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    assert!(
        xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM")
            && xml.contains("01-BB/CB")
            && xml.contains("Đính chính"),
        "{}",
        &xml[..xml.len().min(500)]
    );
    let ics = t
        .get(Some(&sec), &format!("/api/v1/orgs/{cell}/calendar.ics"))
        .await
        .text()
        .await
        .expect("ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 13);

    // The member sees their task on their home page, overdue.
    let member = t.token("member").await;
    let home = t.get_json(&member, "/api/v1/me/home").await;
    assert_eq!(home["tasks"][0]["title"], "Vận động 4 hộ tham gia BHYT");
    assert_eq!(home["tasks"][0]["overdue"], true);
    assert!(
        home["notifications"][0]
            .as_str()
            .expect("n")
            .starts_with("Thông báo sinh hoạt chuyên đề")
    );

    // The district sees it at once in its statistics.
    let staff = t.token("staff").await;
    let s = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/meeting-stats?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(
        (
            s["planned"].as_i64(),
            s["held"].as_i64(),
            s["thematic_held"].as_i64()
        ),
        (Some(13), Some(1), Some(1))
    );
    assert!((s["attendance_rate"].as_f64().expect("rate") - 0.75).abs() < 1e-9);
    assert_eq!(s["overdue_tasks"], 1);
    let c = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/compliance?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(c["cells"], 2);
    assert_eq!(c["cells_short"], 2, "no cell held its regular meetings");
}

async fn meetings_are_scoped(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/meetings", t.fx.cell1),
            &json!({"kind": "regular", "date": "2026-12-05"}),
        )
        .await;
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let out = t.token("outsider").await;
    assert_eq!(
        t.get(Some(&out), &format!("/api/v1/meetings/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.patch_json(
            &out,
            &format!("/api/v1/meetings/{id}"),
            &json!({"place": "x"})
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let member = t.token("member").await;
    assert_eq!(
        t.get(Some(&member), &format!("/api/v1/meetings/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        t.patch_json(
            &member,
            &format!("/api/v1/meetings/{id}"),
            &json!({"place": "x"})
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/meetings", t.fx.cell2),
            &json!({"kind": "regular", "date": "2026-12-05"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another cell is not the secretary's"
    );
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/meetings", t.fx.cell1),
            &json!({"kind": "thematic", "date": "31/02/2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.expect("json");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("f")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["date", "topic"]);
}

/// Signed means signed (Hướng dẫn 12-HD/BTCTW: the procedure ends with the
/// vote adopting the resolution; the signed record changes only by
/// amendment): a resolution the vote did not adopt is not signed, and no
/// task is added to signed minutes, through the API or the page.
async fn signed_means_signed(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let cell = t.fx.cell1;
    let id = t.new_meeting(&sec, cell, "2026-11-03").await;
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{cell}/members"))
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
        .bearer_auth(&sec)
        .json(&json!({"entries": entries}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    // Two of four full members for: no majority, no signature.
    let minutes = json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0,
        "proceedings": "Đánh giá tháng 10.", "vote_for": 2, "vote_against": 2, "vote_abstain": 0});
    let r = t
        .patch_json(&sec, &format!("/api/v1/meetings/{id}"), &minutes)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let sign = format!("/api/v1/meetings/{id}/sign");
    let r = t.post_json(Some(&sec), &sign, &json!({})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("chưa được thông qua")
    );
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"vote_for": 3, "vote_against": 1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t.post_json(Some(&sec), &sign, &json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    // After the signature the resolution's tasks are closed.
    let task = json!({"member_id": t.fx.ha.0, "title": "Việc thêm sau khi ký"});
    let r = t
        .post_json(Some(&sec), &format!("/api/v1/meetings/{id}/tasks"), &task)
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let browser = crate::support::client();
    let csrf = crate::support::login(&t, &browser, "secretary").await;
    let r = browser
        .post(format!("{}/meetings/{id}/tasks", t.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("member_id", &t.fx.ha.0.to_string()),
            ("title", "Việc"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["tasks"].as_array().map(Vec::len), Some(0), "{m}");
}

/// A year no rule version covers is not judged: before Hướng dẫn
/// 12-HD/BTCTW (06/7/2018), the first version chibo holds, no cell is shown
/// as compliant (or as falling short), and the page says why.
async fn no_rule_no_verdict(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let c = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/compliance?year=2016", t.fx.commune),
        )
        .await;
    assert!(c["rule_source"].is_null(), "{c}");
    assert_eq!(c["rules_from"], "2018-07-06");
    assert_eq!(c["cells_short"], 0);
    let cells = c["report"].as_array().expect("report");
    assert_eq!(cells.len(), 2);
    assert!(cells.iter().all(|x| x["met"].is_null()), "{c}");
    // A covered year is judged.
    let c = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/compliance?year=2020", t.fx.commune),
        )
        .await;
    assert!(
        c["rule_source"]
            .as_str()
            .is_some_and(|s| s.contains("12-HD/BTCTW"))
    );
    assert!(c["report"][0]["met"].is_boolean());
    let browser = crate::support::client();
    crate::support::login(&t, &browser, "staff").await;
    let page = crate::support::get_text(
        &browser,
        format!("{}/orgs/{}/meetings?year=2016", t.base, t.fx.commune),
    )
    .await;
    assert!(page.contains("Không có quy định về sinh hoạt chi bộ nào áp dụng cho năm 2016"));
    assert!(page.contains("06/07/2018"));
}

/// Every rule cites a regulation (never a file); the 1–2-day notice cites
/// Bản Hon's own practice, which is where it comes from, not Hướng dẫn 42.
async fn rules_cite_their_sources(b: Backend) {
    let t = TestApp::spawn(b).await;
    let rules = chibo::store::meeting::rules(&t.app.db)
        .await
        .expect("rules");
    assert_eq!(rules.len(), 2);
    for r in &rules {
        assert!(r.source.starts_with("Hướng dẫn "), "{}", r.source);
        assert!(!r.source.contains(".md"), "{}", r.source);
        assert!(r.notice_source.contains("Bản Hon"), "{}", r.notice_source);
    }
    assert!(rules[1].source.contains("42-HD/BTCTW (28/10/2025)"));
    let notice = chibo::domain::rules::check_meeting(
        &rules,
        &chibo::domain::rules::MeetingFacts {
            kind: chibo::domain::meeting::MeetingKind::Regular,
            day: jiff::civil::date(2026, 11, 3),
            held: true,
            themed: false,
            ho_chi_minh: false,
            scheduled_start: None,
            started: None,
            minutes: Some(95),
            notice_sent: None,
            docs_published: None,
            resolution_sent: None,
        },
    )
    .into_iter()
    .find(|c| c.key == "notice")
    .expect("notice check");
    assert!(notice.source.contains("Bản Hon"), "{}", notice.source);
}

/// A member's phone subscribes to a private calendar address: it reads that
/// member's cell's meetings without signing in, and a new address revokes
/// the old one.
async fn private_calendar_address(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;
    let browser = crate::support::client();
    let csrf = crate::support::login(&t, &browser, "member").await;
    let new_address = || async {
        let r = browser
            .post(format!("{}/me/calendar-feed", t.base))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let home = crate::support::get_text(&browser, format!("{}/", t.base)).await;
        let at = home.find("/feeds/").expect("the address is shown") + "/feeds/".len();
        home[at..].split(".ics").next().expect("token").to_string()
    };
    let first = new_address().await;
    assert!(first.len() >= 40, "{first}");
    let (http, base) = (&t.http, t.base.as_str());
    let feed = |token: String| async move {
        let url = format!("{base}/feeds/{token}.ics");
        http.get(url).send().await.expect("feed")
    };
    let r = feed(first.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/calendar")
    );
    let ics = r.text().await.expect("ics");
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("20261203"),
        "{ics}"
    );
    let second = new_address().await;
    assert_ne!(first, second);
    assert_eq!(feed(first).await.status(), StatusCode::NOT_FOUND, "revoked");
    assert_eq!(feed(second).await.status(), StatusCode::OK);
    assert_eq!(
        feed("khong-co".into()).await.status(),
        StatusCode::NOT_FOUND
    );
}

both_backends!(
    private_calendar_address,
    a_month_from_notice_to_signed_minutes,
    meetings_are_scoped,
    signed_means_signed,
    no_rule_no_verdict,
    rules_cite_their_sources
);
