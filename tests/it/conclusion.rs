//! The conclusion notice of a supervision round (docs/rules.md "Conclusion
//! of a supervision round"): drafted from the reports, edited, issued with
//! a TB number, read by the named units, followed up and judged by the next
//! round.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login};
use chibo::domain::authz::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

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

async fn put(t: &TestApp, token: &str, path: &str, body: &Value) -> StatusCode {
    t.http
        .put(format!("{}{path}", t.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put")
        .status()
}

async fn docx(t: &TestApp, token: &str, round: i64) -> (StatusCode, Vec<u8>) {
    let r = t
        .get(
            Some(token),
            &format!("/api/v1/rounds/{round}/conclusion.docx"),
        )
        .await;
    (r.status(), r.bytes().await.expect("body").to_vec())
}

async fn plan_round(t: &TestApp, staff: &str, name: &str, from: &str, to: &str) -> i64 {
    let r = t
        .post_json(
            Some(staff),
            &format!("/api/v1/orgs/{}/rounds", t.fx.district),
            &json!({"name": name, "from": from, "to": to, "scope": "Đảng bộ xã Cẩm", "cadres": "Vũ Văn Cán"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

/// Kim Sơn practice (seed 003): after each round the permanent office
/// issues a conclusion notice naming units that did well and units with
/// shortcomings; numbered in the committee's TB series (Hướng dẫn
/// 36-HD/VPTW). Nothing of it reaches the cell before the visited meetings
/// have all taken place; each shortcoming is answered by the cell and the
/// next round judges it.
async fn a_district_runs_a_round_to_its_conclusion_notice(b: Backend) {
    let t = TestApp::spawn(b).await;
    let agency = crate::support::node(
        &t.app,
        t.fx.district,
        "Chi bộ Cơ quan Huyện ủy",
        chibo::domain::org::OrgKind::BaseCell,
        Some(chibo::domain::org::CellType::Agency),
    )
    .await;
    let cadre = crate::support::member(&t.app, agency, "Vũ Văn Cán", "Nam", "10000099").await;
    add_user(&t.app, "canbo", Some(cadre), None).await;
    add_user(&t.app, "commune", None, Some((Role::Staff, t.fx.commune))).await;
    let secretary = t.token("secretary").await;
    let staff = t.token("staff").await;
    let canbo = t.token("canbo").await;
    let meeting = t.new_meeting(&secretary, t.fx.cell1, "2026-12-03").await;
    let round = plan_round(
        &t,
        &staff,
        "Đợt dự sinh hoạt tháng 12/2026",
        "20/11/2026",
        "31/12/2026",
    )
    .await;
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

    // Before the meeting: not issuable, and the cell gets what a round that
    // does not exist gives.
    let issue = format!("/api/v1/rounds/{round}/conclusion/issue");
    let r = t.post_json(Some(&staff), &issue, &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (hidden, hidden_body) = docx(&t, &secretary, round).await;
    let (none, none_body) = docx(&t, &secretary, 999).await;
    assert_eq!((hidden, &hidden_body), (none, &none_body));
    assert_eq!(hidden, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get(
            Some(&secretary),
            &format!("/api/v1/rounds/{round}/conclusion")
        )
        .await
        .status(),
        t.get(Some(&secretary), "/api/v1/rounds/999/conclusion")
            .await
            .status()
    );

    // The meeting is held and reported: late, procedure partly kept.
    let r = t
        .patch_json(
            &secretary,
            &format!("/api/v1/meetings/{meeting}"),
            &json!({"status": "held"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let report = json!({"on_time": false, "started_time": "20:15", "procedure": "partly", "present": "3",
        "convened": "4", "quality": "fair", "raised": "", "fixes": "Chưa kiểm điểm nhiệm vụ tháng trước"});
    assert_eq!(
        put(
            &t,
            &canbo,
            &format!("/api/v1/visits/{visit}/report"),
            &report
        )
        .await,
        StatusCode::NO_CONTENT
    );

    // The draft comes from the report.
    let path = format!("/api/v1/rounds/{round}/conclusion");
    let d = t.get_json(&staff, &path).await;
    let short = d["shortcomings"].as_str().expect("text").to_string();
    assert!(
        short.starts_with("Chi bộ 1: buổi sinh hoạt ngày 03/12/2026 bắt đầu muộn (20:15); thực hiện quy trình sinh hoạt chưa đầy đủ; chưa kiểm điểm"),
        "{short}"
    );
    assert_eq!(d["all_taken"], true);
    // An edit naming a unit the round did not visit is refused, in Vietnamese.
    let mut edit = json!({"opening": d["opening"], "did_well": "", "shortcomings": "Chi bộ 2: x",
        "closing": d["closing"], "deadline": "31/01/2027"});
    let r = t
        .http
        .put(format!("{}{path}", t.base))
        .bearer_auth(&staff)
        .json(&edit)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Đơn vị còn hạn chế: «Chi bộ 2» không phải đơn vị")
    );
    // A line may set its own deadline, earlier than the notice's.
    edit["shortcomings"] =
        json!("Chi bộ 1: Chưa kiểm điểm việc thực hiện nghị quyết tháng trước (hạn 15/01/2027)");
    // The review conference: not before the round began.
    edit["review_on"] = json!("19/11/2026");
    edit["review_notes"] = json!("Cán bộ báo cáo; thống nhất đề nghị chi bộ kiểm điểm nghị quyết");
    let r = t
        .http
        .put(format!("{}{path}", t.base))
        .bearer_auth(&staff)
        .json(&edit)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Ngày hội nghị rút kinh nghiệm: phải từ ngày bắt đầu đợt")
    );
    edit["review_on"] = json!("");
    assert_eq!(
        put(&t, &staff, &path, &edit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "notes without a day"
    );
    edit["review_on"] = json!(t.app.clock.today().to_string());
    assert_eq!(put(&t, &staff, &path, &edit).await, StatusCode::NO_CONTENT);
    let saved = t.get_json(&staff, &path).await;
    assert_eq!(saved["review_on"], t.app.clock.today().to_string());
    assert_eq!(
        put(&t, &canbo, &path, &edit).await,
        StatusCode::NOT_FOUND,
        "planners only: a cadre is answered as for a round that does not exist"
    );
    let (s, draft) = docx(&t, &staff, round).await;
    assert_eq!(s, StatusCode::OK);
    assert!(document_xml(&draft).contains("DỰ THẢO"));

    // Issued: number 01 of the district's TB series, then immutable.
    let r = t.post_json(Some(&staff), &issue, &json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.expect("json")["number"], 1);
    assert_eq!(put(&t, &staff, &path, &edit).await, StatusCode::CONFLICT);
    assert_eq!(
        t.post_json(Some(&staff), &issue, &json!({})).await.status(),
        StatusCode::CONFLICT
    );
    // The named unit's secretary downloads it; another commune's cell does not.
    let (s, bytes) = docx(&t, &secretary, round).await;
    assert_eq!(s, StatusCode::OK);
    let xml = document_xml(&bytes);
    for needle in [
        "Số 01-TB/HU",
        "THÔNG BÁO KẾT LUẬN",
        "HUYỆN ỦY B",
        "Nơi nhận:",
        "- Chi bộ 1,",
        "Chưa kiểm điểm việc thực hiện nghị quyết tháng trước",
        "T/L BAN THƯỜNG VỤ",
        "31/01/2027",
        "tổ chức hội nghị nghe các đồng chí cán bộ được phân công báo cáo",
        "thống nhất đề nghị chi bộ kiểm điểm nghị quyết",
    ] {
        assert!(xml.contains(needle), "{needle} missing");
    }
    assert!(!xml.contains("DỰ THẢO"));
    add_user(&t.app, "xa", Some(t.fx.other_member), None).await;
    let xa = t.token("xa").await;
    assert_eq!(docx(&t, &xa, round).await.0, StatusCode::NOT_FOUND);

    // The shortcoming is the cell's follow-up item; its secretary answers.
    let cell = t.fx.cell1.0;
    let items = t
        .get_json(&secretary, &format!("/api/v1/orgs/{cell}/findings"))
        .await;
    let item = items
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["round_id"] == round && f["kind"] == "shortcoming")
        .expect("item")
        .clone();
    assert_eq!(item["deadline"], "2027-01-15", "the line's own deadline");
    assert_eq!(item["status"], "open");
    let fid = item["id"].as_i64().expect("id");
    let r = t
        .post_json(
            Some(&secretary),
            &format!("/api/v1/orgs/{cell}/findings/{fid}/answer"),
            &json!({"answer": "Đã kiểm điểm tại buổi sinh hoạt tháng 1/2027"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let browser = client();
    login(&t, &browser, "secretary").await;
    let page = get_text(&browser, format!("{}/orgs/{cell}/findings", t.base)).await;
    assert!(
        page.contains("Đợt dự sinh hoạt tháng 12/2026"),
        "the item names its round"
    );

    // The next round lists it and judges it fixed.
    let next = plan_round(
        &t,
        &staff,
        "Đợt dự sinh hoạt tháng 1/2027",
        "01/01/2027",
        "31/01/2027",
    )
    .await;
    let n = t
        .get_json(&staff, &format!("/api/v1/rounds/{next}/conclusion"))
        .await;
    assert_eq!(n["earlier"][0]["id"], fid);
    assert_eq!(n["earlier"][0]["status"], "answered");
    let verify = format!("/api/v1/rounds/{next}/earlier/{fid}/verify");
    let r = t
        .post_json(Some(&staff), &verify, &json!({"status": "maybe"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_json(Some(&staff), &verify, &json!({"status": "fixed"}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let n = t
        .get_json(&staff, &format!("/api/v1/rounds/{next}/conclusion"))
        .await;
    assert_eq!(n["earlier"][0]["status"], "fixed");
    assert_eq!(n["earlier"][0]["verified_round"], next);
    let planner = client();
    login(&t, &planner, "staff").await;
    let page = get_text(&planner, format!("{}/rounds/{next}/conclusion", t.base)).await;
    assert!(page.contains("Hạn chế từ các đợt trước (1)") && page.contains("Đã khắc phục"));
}

both_backends!(a_district_runs_a_round_to_its_conclusion_notice);
