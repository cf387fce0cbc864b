//! Supervision rounds and unannounced visits (docs/rules.md "Supervision
//! rounds and unannounced visits", "Introduction letter", "Visit report").

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login};
use chibo::domain::authz::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A round of the other district with a visit, made by the admin (for the
/// sweeps of tests/it/guard.rs and tests/it/authz.rs).
pub async fn foreign_round(t: &TestApp, meeting: i64) -> (i64, i64) {
    add_user(&t.app, "xa", Some(t.fx.other_member), None).await;
    let admin = t.token("admin").await;
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/rounds", t.fx.other_district),
            &json!({"name": "Đợt tháng 12", "from": "01/11/2026", "to": "31/12/2026", "cadres": "Hoàng Văn Cường"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let round = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("round");
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/rounds/{round}/visits"),
            &json!({"meeting_id": meeting, "cadre": "Hoàng Văn Cường"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    let visit = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("visit");
    (round, visit)
}

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    xml
}

async fn bytes(t: &TestApp, token: &str, browser: &reqwest::Client, path: &str) -> (u16, Vec<u8>) {
    let r = if path.starts_with("/api/") {
        t.http
            .get(format!("{}{path}", t.base))
            .bearer_auth(token)
            .send()
            .await
    } else {
        browser.get(format!("{}{path}", t.base)).send().await
    }
    .expect("get");
    let status = r.status().as_u16();
    let body = r.bytes().await.expect("body").to_vec();
    (status, comparable(path, body))
}

/// Every GET route of the application, pages and API, with the ids the
/// visited cell's users could ask for: the cell, its commune, the meeting,
/// a member, and the first visit, round and recommendation (none exist yet
/// for them before the visit is planned).
fn every_get(t: &TestApp, meeting: i64) -> Vec<String> {
    use chibo::service::Object;
    use chibo::web::guard::Need;
    let mut paths = Vec::new();
    for rule in chibo::web::rules(&t.app) {
        // /metrics is the operator's, on the machine itself or with its
        // token (docs/operations.md); it counts requests by route pattern.
        if rule.method.as_str() != "GET" || rule.path.contains("{file}") || rule.path == "/metrics"
        {
            continue;
        }
        let ids: Vec<i64> = match rule.need {
            Need::On(Object::Org, _) => vec![t.fx.cell1.0, t.fx.commune.0],
            Need::On(Object::Member, _) => vec![t.fx.an.0, t.fx.ha.0],
            Need::On(Object::Meeting, _) => vec![meeting],
            Need::On(_, _) => vec![1],
            _ => vec![0],
        };
        for id in ids {
            for which in ["minutes", "resolution"] {
                let path = rule
                    .path
                    .replace("{id}", &id.to_string())
                    .replace("{which}", which)
                    .replace("{inspection_id}", "1");
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
    }
    assert!(paths.len() > 100, "{}", paths.len());
    paths
}

/// The bytes that say something: an ICS without the DTSTAMP the calendar
/// library stamps with the wall clock, an XLSX without its creation time.
fn comparable(path: &str, body: Vec<u8>) -> Vec<u8> {
    if path.ends_with(".ics") {
        let text = String::from_utf8_lossy(&body);
        return text
            .lines()
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes();
    }
    if path.ends_with(".xlsx") {
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(body.clone())) else {
            return body;
        };
        let mut out = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let name = f.name().map(|n| n.to_string()).unwrap_or_default();
            if name == "docProps/core.xml" {
                continue;
            }
            out.extend_from_slice(name.as_bytes());
            std::io::Read::read_to_end(&mut f, &mut out).expect("read");
        }
        return out;
    }
    body
}

/// The core requirement (Kim Sơn practice, seed 003: "không báo trước"):
/// until the visited meeting has taken place, the cell's secretary and the
/// commune's staff get byte-identical pages and API answers whether or not
/// a visit is planned; afterwards the cell sees the cadre as "Đại biểu dự"
/// and the report.
async fn a_visit_is_unannounced_until_the_meeting(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "commune", None, Some((Role::Staff, t.fx.commune))).await;
    // The cadre is a member of a district agency's cell, outside the commune:
    // their own sign-ins are logged there.
    let agency = crate::support::node(
        &t.app,
        t.fx.district,
        "Chi bộ Cơ quan Huyện ủy",
        chibo::domain::org::OrgKind::BaseCell,
        Some(chibo::domain::org::CellType::Agency),
    )
    .await;
    let cadre_member =
        crate::support::member(&t.app, agency, "Vũ Văn Cán", "Nam", "10000099").await;
    add_user(&t.app, "canbo", Some(cadre_member), None).await;
    let secretary = t.token("secretary").await;
    let meeting = t.new_meeting(&secretary, t.fx.cell1, "2026-12-03").await;
    // A commune cadre follows the cell (docs/rules.md "Followers"): she gets
    // its notices, but did not plan the visit.
    let anh = crate::support::member(&t.app, t.fx.cell2, "Phan Thị Theo", "Nữ", "10000098").await;
    add_user(&t.app, "follower", Some(anh), None).await;
    let r = t
        .post_json(
            Some(&t.token("staff").await),
            &format!("/api/v1/orgs/{}/followers", t.fx.cell1),
            &json!({"member_id": anh.0, "kind": "cadre"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let paths = every_get(&t, meeting);
    let mut sessions = Vec::new();
    for user in ["secretary", "member", "commune", "follower"] {
        let browser = client();
        login(&t, &browser, user).await;
        sessions.push((user, t.token(user).await, browser));
    }
    let mut before = Vec::new();
    for (user, token, browser) in &sessions {
        let mut readable = 0;
        for p in &paths {
            let answer = bytes(&t, token, browser, p).await;
            readable += usize::from(answer.0 == 200);
            before.push(answer);
        }
        // The sweep compares real pages, not a wall of refusals.
        eprintln!("{user}: {readable} of {} probes readable", paths.len());
        assert!(readable >= 25, "{user} reads only {readable} probes");
    }
    // The district plans a round; the cadre picks the cell's meeting,
    // prints the letter and brings a briefing.
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/rounds", t.fx.district),
            &json!({"name": "Đợt dự sinh hoạt tháng 12/2026", "purpose": "Dự sinh hoạt chi bộ thường kỳ, không báo trước",
                    "from": "01/12/2026", "to": "31/12/2026", "scope": "Đảng bộ xã Cẩm",
                    "cadres": "Vũ Văn Cán | Chuyên viên Ban Tổ chức Huyện ủy"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let round = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let canbo = t.token("canbo").await;
    let detail = t.get_json(&canbo, &format!("/api/v1/rounds/{round}")).await;
    assert_eq!(detail["candidates"][0]["meeting_id"], meeting);
    let r = t
        .post_json(
            Some(&canbo),
            &format!("/api/v1/rounds/{round}/visits"),
            &json!({"meeting_id": meeting}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let visit = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("visit");
    assert_eq!(visit, 1, "the probe paths above name this visit");
    let cadre_browser = client();
    login(&t, &cadre_browser, "canbo").await;
    let letter = cadre_browser
        .get(format!("{}/visits/{visit}/letter.docx", t.base))
        .send()
        .await
        .expect("letter");
    assert_eq!(letter.status(), StatusCode::OK);
    let xml = document_xml(&letter.bytes().await.expect("docx"));
    // Hướng dẫn 36-HD/VPTW numbering; the issuer is the district committee.
    assert!(xml.contains("Số 01-GGT/HU"), "{xml}");
    assert!(xml.contains("GIẤY GIỚI THIỆU") && xml.contains("Vũ Văn Cán"));
    assert!(xml.contains("HUYỆN ỦY B") && xml.contains("T/L BAN THƯỜNG VỤ"));

    let mut after = Vec::new();
    for (_, token, browser) in &sessions {
        for p in &paths {
            after.push(bytes(&t, token, browser, p).await);
        }
    }
    let mut differ = Vec::new();
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        if a != b {
            differ.push(format!(
                "{} {}",
                sessions[i / paths.len()].0,
                paths[i % paths.len()]
            ));
        }
    }
    let audit_now = t
        .get_json(
            &sessions[2].1,
            &format!("/api/v1/orgs/{}/audit", t.fx.commune),
        )
        .await;
    assert!(
        differ.is_empty(),
        "changed before the meeting: {differ:?} {audit_now}"
    );
    // Hidden like a visit that does not exist, for the cell and the commune.
    let none = bytes(&t, &sessions[0].1, &sessions[0].2, "/api/v1/visits/999").await;
    assert_eq!(
        bytes(&t, &sessions[0].1, &sessions[0].2, "/api/v1/visits/1").await,
        none
    );

    // Not before the meeting: the report is refused.
    let report = json!({"on_time": true, "started_time": "19:30", "procedure": "partly", "present": "3",
        "convened": "4", "quality": "fair", "raised": "Cấp giấy chứng nhận quyền sử dụng đất\nKhai thác cát trái phép",
        "fixes": "Chưa kiểm điểm nhiệm vụ tháng trước"});
    let put = |tok: String| {
        let http = t.http.clone();
        let url = format!("{}/api/v1/visits/{visit}/report", t.base);
        let body = report.clone();
        async move {
            http.put(url)
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .expect("put")
                .status()
        }
    };
    assert_eq!(put(canbo.clone()).await, StatusCode::CONFLICT);
    // The meeting is held; only the cadre files the report.
    let r = t
        .patch_json(
            &secretary,
            &format!("/api/v1/meetings/{meeting}"),
            &json!({"status": "held"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(put(staff.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(put(canbo.clone()).await, StatusCode::NO_CONTENT);
    let shown = t
        .get_json(&secretary, &format!("/api/v1/meetings/{meeting}"))
        .await;
    assert_eq!(shown["visits"][0]["cadre"], "Vũ Văn Cán");
    assert_eq!(shown["visits"][0]["quality"], "Khá");
    assert_eq!(
        shown["visits"][0]["raised"].as_array().map(Vec::len),
        Some(2)
    );
    let page = get_text(&sessions[0].2, format!("{}/meetings/{meeting}", t.base)).await;
    assert!(
        page.contains("Đại biểu dự")
            && page.contains("Vũ Văn Cán")
            && page.contains("Khai thác cát trái phép")
    );
    // The planners read every report of the round.
    let planner = t.get_json(&staff, &format!("/api/v1/rounds/{round}")).await;
    assert_eq!(planner["visits"][0]["reported"], true);

    // The cadre carries what the members raised up as recommendations, sent
    // to the committee that sent them (Đức Thọ practice), once.
    let carry = format!("/api/v1/visits/{visit}/recommendations");
    let r = t
        .post_json(Some(&staff), &carry, &json!({"topic": "land_certificates"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only the visiting cadre");
    let r = t
        .post_json(Some(&canbo), &carry, &json!({"topic": "khác"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_json(Some(&canbo), &carry, &json!({"topic": "land_certificates"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ids: Value = r.json().await.expect("json");
    assert_eq!(ids["ids"].as_array().map(Vec::len), Some(2));
    let r = t
        .post_json(Some(&canbo), &carry, &json!({"topic": "land_certificates"}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let recs = t
        .get_json(
            &secretary,
            &format!("/api/v1/orgs/{}/recommendations", t.fx.cell1),
        )
        .await
        .to_string();
    assert!(
        recs.contains("Khai thác cát trái phép") && recs.contains("\"source\":\"visit\""),
        "{recs}"
    );
}

/// Only a committee's staff plan rounds; the cadres must have an account to
/// act (Kim Sơn sent 27 cadres, each with a letter).
async fn rounds_are_planned_by_staff_with_cadres_who_can_sign_in(b: Backend) {
    let t = TestApp::spawn(b).await;
    let secretary = t.token("secretary").await;
    let body = json!({"name": "Đợt", "from": "01/12/2026", "to": "31/12/2026"});
    let r = t
        .post_json(
            Some(&secretary),
            &format!("/api/v1/orgs/{}/rounds", t.fx.cell1),
            &body,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/rounds", t.fx.district),
            &json!({"name": "Đợt", "from": "01/12/2026", "to": "31/12/2026", "cadres": "Phạm Thị Ánh"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = r.json().await.expect("json");
    assert!(e.to_string().contains("chưa có tài khoản"), "{e}");
}

both_backends!(
    a_visit_is_unannounced_until_the_meeting,
    rounds_are_planned_by_staff_with_cadres_who_can_sign_in
);
