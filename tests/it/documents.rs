//! A cell's documents in the party format: each kind numbered in its own
//! series (a notice when issued), the resolution signed by the chair with the
//! title of their post, its parts in order. Both databases.

use crate::support::{Backend, TestApp, member};
use chibo::domain::document::DocKind;
use chibo::domain::ids::MemberId;
use chibo::store::{self, Db};
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::both_backends!(
    each_kind_has_its_series_and_a_notice_is_numbered_when_issued,
    numbers_issued_at_once_are_never_shared,
    the_chair_signs_with_the_title_of_their_post,
    the_resolution_reviews_last_month_and_rates_the_meeting,
);

async fn docx_text(t: &TestApp, token: &str, id: i64, kind: &str) -> String {
    let r = t
        .get(Some(token), &format!("/api/v1/meetings/{id}/{kind}.docx"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    xml
}

async fn notice(t: &TestApp, token: &str, id: i64) -> i64 {
    let r = t
        .post_json(
            Some(token),
            &format!("/api/v1/meetings/{id}/notice"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.expect("json")["number"]
        .as_i64()
        .expect("notice number")
}

/// Everyone in Chi bộ 1 present, `chair` chairs, Hà takes the minutes; signed.
async fn hold_and_sign(t: &TestApp, token: &str, id: i64, chair: MemberId) -> Value {
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
        .patch_json(
            token,
            &format!("/api/v1/meetings/{id}"),
            &json!({"chair_id": chair.0, "recorder_id": t.fx.ha.0, "proceedings": "Chi bộ thảo luận.",
                    "resolution_text": "Chăm sóc lúa mùa."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(token),
            &format!("/api/v1/meetings/{id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

async fn numbers(t: &TestApp, token: &str, id: i64) -> (Value, Value, Value) {
    let d = t.get_json(token, &format!("/api/v1/meetings/{id}")).await;
    let n = &d["numbers"];
    (
        n["minutes"].clone(),
        n["resolution"].clone(),
        n["notice"].clone(),
    )
}

// docs/rules.md "Number series of a cell's documents" (numbering per issuer,
// kind and year: Hướng dẫn 36-HD/VPTW, 2018; restarting each year is common
// practice, not confirmed).
async fn each_kind_has_its_series_and_a_notice_is_numbered_when_issued(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let nov = t.new_meeting(&sec, t.fx.cell1, "2026-11-25").await;
    let dec = t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;

    // Printed before issue: a blank where the number goes, dots for the date.
    let xml = docx_text(&t, &sec, nov, "notice").await;
    assert!(
        xml.contains("Số \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}-TB/CB"),
        "{xml}"
    );
    assert!(xml.contains("Cẩm, ngày … tháng … năm …"));
    assert_eq!(numbers(&t, &sec, nov).await.2, Value::Null);

    // Numbered in the order they are issued, not by meeting date; a notice
    // sent again keeps its number.
    assert_eq!(notice(&t, &sec, dec).await, 1);
    assert_eq!(notice(&t, &sec, nov).await, 2);
    assert_eq!(notice(&t, &sec, nov).await, 2);
    let xml = docx_text(&t, &sec, nov, "notice").await;
    assert!(xml.contains("Số 02-TB/CB"));
    assert!(
        xml.contains("Cẩm, ngày 23 tháng 11 năm 2026"),
        "dated the day issued"
    );

    // Minutes and resolution are numbered at signing, in their own series.
    let signed = hold_and_sign(&t, &sec, nov, t.fx.an).await;
    assert_eq!(signed["number"], 1);
    assert_eq!(numbers(&t, &sec, nov).await, (json!(1), json!(1), json!(2)));
    hold_and_sign(&t, &sec, dec, t.fx.an).await;
    assert_eq!(numbers(&t, &sec, dec).await, (json!(2), json!(2), json!(1)));
    let xml = docx_text(&t, &sec, dec, "resolution").await;
    assert!(xml.contains("Số 02-NQ/CB"));
    let xml = docx_text(&t, &sec, nov, "minutes").await;
    assert!(xml.contains("Số 01-BB/CB"));

    // Another cell has series of its own.
    let staff = t.token("staff").await;
    let other = t.new_meeting(&staff, t.fx.cell2, "2026-12-04").await;
    assert_eq!(notice(&t, &staff, other).await, 1);
}

/// Issues the notice of each meeting in its own transaction, all at once.
async fn issue_all(db: &Db, org: chibo::domain::ids::OrgId, ids: &[i64]) -> Vec<i64> {
    let day = jiff::civil::date(2026, 11, 23);
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await.expect("tx");
                let n = store::document::issue(&mut tx, id, org, DocKind::Notice, day)
                    .await
                    .expect("issue");
                tx.commit().await.expect("commit");
                n
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("join"));
    }
    out.sort_unstable();
    out
}

// docs/rules.md "Number series of a cell's documents": two documents issued
// at the same moment never share a number, and the unique index holds.
async fn numbers_issued_at_once_are_never_shared(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let mut ids = Vec::new();
    for month in 1..=8 {
        ids.push(
            t.new_meeting(&sec, t.fx.cell1, &format!("2027-{month:02}-05"))
                .await,
        );
    }
    let got = issue_all(&t.app.db, t.fx.cell1, &ids).await;
    assert_eq!(got, (1..=8).collect::<Vec<i64>>());
    // Issued again: the same numbers, none new.
    assert_eq!(issue_all(&t.app.db, t.fx.cell1, &ids).await, got);
    let n = store::document::of_meeting(&t.app.db, ids[0])
        .await
        .expect("numbers");
    assert!(n.notice.is_some_and(|x| (1..=8).contains(&x)));
    assert_eq!(n.minutes, None);
}

// docs/rules.md "Who signs and with which title": the chair signs "T/M CHI
// BỘ" (four full members, no committee: Điều lệ Đảng) as "BÍ THƯ", "PHÓ BÍ
// THƯ" or, holding no post, "CHỦ TRÌ" (common practice, not confirmed); the
// title is kept from the signing (Hướng dẫn 36-HD/VPTW, 2018).
async fn the_chair_signs_with_the_title_of_their_post(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let binh = member(&t.app, t.fx.cell1, "Vũ Văn Phó", "Nam", "10000077").await;
    // The committee above records the deputy's post (an account is not
    // needed: the post registry is what documents read).
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/posts", t.fx.cell1),
            &json!({"member": "Vũ Văn Phó", "kind": "cell_deputy", "from": "01/01/2026", "decision": "Quyết định số 5-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let deputy_post = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");

    let by_secretary = t.new_meeting(&sec, t.fx.cell1, "2026-09-03").await;
    hold_and_sign(&t, &sec, by_secretary, t.fx.an).await;
    let xml = docx_text(&t, &sec, by_secretary, "resolution").await;
    assert!(xml.contains("T/M CHI BỘ") && xml.contains("BÍ THƯ") && !xml.contains("PHÓ BÍ THƯ"));
    assert!(xml.contains("Nguyễn Văn An") && !xml.contains("T/M CHI ỦY"));

    let by_deputy = t.new_meeting(&sec, t.fx.cell1, "2026-10-03").await;
    hold_and_sign(&t, &sec, by_deputy, binh).await;
    let xml = docx_text(&t, &sec, by_deputy, "resolution").await;
    assert!(xml.contains("PHÓ BÍ THƯ") && xml.contains("Vũ Văn Phó"));

    let by_member = t.new_meeting(&sec, t.fx.cell1, "2026-11-25").await;
    hold_and_sign(&t, &sec, by_member, t.fx.ha).await;
    let xml = docx_text(&t, &sec, by_member, "resolution").await;
    assert!(xml.contains("T/M CHI BỘ") && xml.contains("CHỦ TRÌ") && !xml.contains("BÍ THƯ"));

    // The deputy leaves the post: what was signed keeps its title.
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/posts/{deputy_post}/end", t.fx.cell1),
            &json!({"to": "2026-11-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let xml = docx_text(&t, &sec, by_deputy, "resolution").await;
    assert!(xml.contains("PHÓ BÍ THƯ"));

    // The minutes are signed by the chair and the minute-taker.
    let xml = docx_text(&t, &sec, by_member, "minutes").await;
    assert!(xml.contains("THƯ KÝ") && xml.contains("CHỦ TRÌ"));
}

// docs/rules.md "Resolution structure" (template built on Hướng dẫn
// 42-HD/BTCTW, 28/10/2025; not confirmed against its annex).
async fn the_resolution_reviews_last_month_and_rates_the_meeting(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let oct = t.new_meeting(&sec, t.fx.cell1, "2026-10-03").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{oct}/tasks"),
            &json!({"member_id": t.fx.ha.0, "title": "Vận động 4 hộ tham gia BHYT", "deadline": "2026-10-30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let task = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("task id");
    hold_and_sign(&t, &sec, oct, t.fx.an).await;

    let nov = t.new_meeting(&sec, t.fx.cell1, "2026-11-03").await;
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/tasks/{task}"),
            &json!({"status": "done", "result": "4/4 hộ đã tham gia", "reviewed_in": nov}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{nov}"),
            &json!({"quality": "rat_tot"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("text");
    assert!(
        body.contains("Chi bộ tự đánh giá chất lượng buổi sinh hoạt"),
        "{body}"
    );
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{nov}"),
            &json!({"quality": "fair"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    hold_and_sign(&t, &sec, nov, t.fx.an).await;

    let xml = docx_text(&t, &sec, nov, "resolution").await;
    let at = |s: &str| xml.find(s).unwrap_or_else(|| panic!("missing {s}"));
    assert!(
        at("Lãnh đạo thực hiện nhiệm vụ tháng 11 năm 2026")
            < at("có mặt: 4 (4 chính thức, 0 dự bị)")
    );
    assert!(at("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG TRƯỚC") < at("Vận động 4 hộ tham gia BHYT"));
    assert!(at("Vận động 4 hộ tham gia BHYT") < at("Hoàn thành"));
    assert!(at("4/4 hộ đã tham gia") < at("II. ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT"));
    assert!(at("II. ĐÁNH GIÁ") < at("chất lượng buổi sinh hoạt: Khá."));
    assert!(at("Khá.") < at("III. NHIỆM VỤ THÁNG TỚI"));
    assert!(at("III. NHIỆM VỤ THÁNG TỚI") < at("Chăm sóc lúa mùa."));
    assert!(at("Chăm sóc lúa mùa.") < at("Nơi nhận:"));
    // The header names organizations once each; the place is the commune's.
    assert!(xml.contains("ĐẢNG BỘ XÃ CẨM") && xml.contains("CHI BỘ 1"));
    assert!(!xml.contains("CHI BỘ CHI BỘ") && !xml.contains("Chi bộ Chi bộ"));
    assert!(xml.contains("Cẩm, ngày 03 tháng 11 năm 2026"));
    assert!(xml.contains("Đảng ủy xã Cẩm (để báo cáo)"));
    let d = t.get_json(&sec, &format!("/api/v1/meetings/{nov}")).await;
    assert_eq!(d["meeting"]["quality"], "fair");

    // Signed means signed: the review printed in November's resolution no
    // longer changes, neither in place nor by moving it to another meeting.
    let dec = t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;
    for reviewed_in in [nov, dec] {
        let r = t
            .patch_json(
                &sec,
                &format!("/api/v1/tasks/{task}"),
                &json!({"status": "not_done", "result": "sửa lại", "reviewed_in": reviewed_in}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
    }
    assert_eq!(xml, docx_text(&t, &sec, nov, "resolution").await);
}
