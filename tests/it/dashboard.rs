//! Dashboards (issue 12 point 6): the figures of the meetings and
//! recommendations made here, in the page's tables, the JSON and the XLSX;
//! the period selector; the rollups above the commune; refusals.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login};
use chibo::domain::authz::Role;
use chibo::domain::ids::OrgId;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Cell 1: a meeting on 5 March held (3 of 4 present, 1 spoke), one on 9
/// April planned, one in June 2025; Cell 2: one on 12 March planned. One
/// recommendation raised in October and sent to the commune.
async fn made(t: &TestApp) {
    let sec = t.token("secretary").await;
    let held = t.new_meeting(&sec, t.fx.cell1, "2026-03-05").await;
    t.new_meeting(&sec, t.fx.cell1, "2026-04-09").await;
    t.new_meeting(&sec, t.fx.cell1, "2025-06-10").await;
    let staff = t.token("staff").await;
    t.new_meeting(&staff, t.fx.cell2, "2026-03-12").await;
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let (presence, spoke, reason) = match m["full_name"].as_str().unwrap_or("") {
                "Nguyễn Văn An" => ("present", true, ""),
                "Lê Văn Bình" => ("absent_excused", false, "Ốm"),
                _ => ("present", false, ""),
            };
            json!({"member_id": m["id"], "presence": presence, "spoke": spoke, "reason": reason})
        })
        .collect();
    assert_eq!(entries.len(), 4);
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{held}/attendance", t.base))
        .bearer_auth(&sec)
        .json(&json!({"entries": entries, "guests": []}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/recommendations", t.fx.cell1),
            &json!({"topic": "land", "content": "Cấp đất sai quy hoạch", "raised_on": "01/10/2026",
                    "level": "Đảng bộ xã Cẩm"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

pub(crate) fn section<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("section {key} in {d}"))
}

/// The value of series `s` at the category named `cat`.
pub(crate) fn at(sec: &Value, s: usize, cat: &str) -> Option<f64> {
    let c = sec["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .position(|x| x == cat)
        .unwrap_or_else(|| panic!("{cat} in {sec}"));
    sec["series"][s]["values"][c].as_f64()
}

async fn commune_dashboard_shows_the_meetings_made(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    made(&t).await;
    let staff = t.token("staff").await;
    let commune = t.fx.commune;

    let d = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{commune}/dashboard?year=2026"),
        )
        .await;
    assert_eq!(d["period_label"], "năm 2026");
    let m = section(&d, "meetings_by_month");
    assert_eq!(m["categories"].as_array().map(Vec::len), Some(12));
    // Planned, held, thematic held.
    assert_eq!(at(m, 0, "T3"), Some(2.0));
    assert_eq!(at(m, 1, "T3"), Some(1.0));
    assert_eq!(at(m, 0, "T4"), Some(1.0));
    assert_eq!(at(m, 1, "T4"), Some(0.0));
    assert_eq!(at(m, 0, "T6"), Some(0.0), "the 2025 meeting is not in 2026");
    let p = section(&d, "participation_by_month");
    assert_eq!(at(p, 0, "T3"), Some(75.0));
    assert_eq!(at(p, 1, "T3"), Some(33.3));
    assert_eq!(at(p, 0, "T4"), None, "no roll call in April: no rate");
    let r = section(&d, "recommendations_by_status");
    assert_eq!(at(r, 0, "Đã chuyển cấp trên"), Some(1.0));
    assert_eq!(
        at(section(&d, "recommendations_by_topic"), 0, "Đất đai"),
        Some(1.0)
    );
    // Staff read the breakdowns: members by status, on the last day so far.
    assert_eq!(
        at(section(&d, "members_by_status"), 0, "Chính thức"),
        Some(5.0)
    );

    // The page: the same numbers in the table beside the chart.
    let c = client();
    login(&t, &c, "staff").await;
    let html = get_text(&c, format!("{}/orgs/{commune}/dashboard?year=2026", t.base)).await;
    assert!(html.contains(r#"role="img""#), "an SVG chart");
    assert!(
        html.contains(r#"<tr><th scope="row">T3</th><td class="num">2</td><td class="num">1</td><td class="num">0</td></tr>"#),
        "{html}"
    );
    assert!(html.contains(
        r#"<tr><th scope="row">T3</th><td class="num">75.0</td><td class="num">33.3</td></tr>"#
    ));
    assert!(
        html.contains(r#"href="/orgs/"#)
            && html.contains("dashboard.xlsx?year=2026&amp;from_month=1&amp;to_month=12")
    );
    // The org page links to it.
    let org = get_text(&c, format!("{}/orgs/{commune}", t.base)).await;
    assert!(org.contains(&format!(r#"href="/orgs/{commune}/dashboard""#)));

    // The XLSX holds the same numbers.
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{commune}/dashboard.xlsx?year=2026"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let page_xlsx = c
        .get(format!(
            "{}/orgs/{commune}/dashboard.xlsx?year=2026",
            t.base
        ))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(
        page_xlsx.len(),
        bytes.len(),
        "page and API give the same file"
    );
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "Sinh hoạt theo tháng",
            "Dự họp và phát biểu",
            "Kiến nghị - trạng thái",
            "Kiến nghị - lĩnh vực",
            "Chất lượng sinh hoạt",
            "Xếp loại",
            "Chỉ tiêu",
            "Biểu hiện hình thức",
            "Tổ chức có biểu hiện",
            "Đảng viên"
        ]
    );
    let rows = |wb: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        wb.worksheet_range(sheet)
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let meetings = rows(&mut wb, "Sinh hoạt theo tháng");
    let march = meetings.iter().find(|r| r[0] == "T3").expect("T3 row");
    assert_eq!(march[1..4], ["2", "1", "0"]);
    let header = meetings.iter().find(|r| r[0] == "Tháng").expect("header");
    assert_eq!(header[1..4], ["Kế hoạch", "Đã họp", "Chuyên đề đã họp"]);
    let rates = rows(&mut wb, "Dự họp và phát biểu");
    let march = rates.iter().find(|r| r[0] == "T3").expect("T3 row");
    assert_eq!(march[1..3], ["75", "33.3"]);
}

async fn the_period_selector_changes_the_numbers(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    made(&t).await;
    let staff = t.token("staff").await;
    let commune = t.fx.commune;
    let d = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{commune}/dashboard?year=2025"),
        )
        .await;
    let m = section(&d, "meetings_by_month");
    assert_eq!(at(m, 0, "T6"), Some(1.0));
    assert_eq!(at(m, 0, "T3"), Some(0.0));
    assert!(section(&d, "recommendations_by_status")["empty"].is_string());
    let d = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{commune}/dashboard?year=2026&from_month=4&to_month=5"),
        )
        .await;
    assert_eq!(d["period_label"], "tháng 4–5 năm 2026");
    let m = section(&d, "meetings_by_month");
    assert_eq!(m["categories"], json!(["T4", "T5"]));
    assert_eq!(m["series"][0]["values"], json!([1.0, 0.0]));
    let p = section(&d, "participation_by_month");
    assert_eq!(
        p["empty"].as_str(),
        Some("Chưa có kỳ họp nào được điểm danh trong tháng 4–5 năm 2026.")
    );
    // No recommendation raised in April–May: the section says so plainly.
    let c = client();
    login(&t, &c, "staff").await;
    let html = get_text(
        &c,
        format!(
            "{}/orgs/{commune}/dashboard?year=2026&from_month=4&to_month=5",
            t.base
        ),
    )
    .await;
    assert!(html.contains("Không có kiến nghị nào được nêu trong tháng 4–5 năm 2026."));
    assert!(html.contains(r#"<option value="4" selected>Tháng 4</option>"#));

    // A period that does not parse: 422, naming the field.
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{commune}/dashboard?year=2026&from_month=7&to_month=3"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Đến tháng: phải từ tháng 7 trở đi")
    );
    let r = c
        .get(format!("{}/orgs/{commune}/dashboard?year=1999", t.base))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Năm: phải là một năm từ 2000 đến 2100")
    );
}

/// The national root and the province read the commune's figures through
/// the rollups, and a new meeting shows at once (the epochs move).
async fn upper_levels_follow_every_write(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    made(&t).await;
    let admin = t.token("admin").await;
    for org in [t.fx.root, t.fx.province, t.fx.district] {
        let d = t
            .get_json(&admin, &format!("/api/v1/orgs/{org}/dashboard?year=2026"))
            .await;
        assert_eq!(
            at(section(&d, "meetings_by_month"), 0, "T3"),
            Some(2.0),
            "{org}"
        );
    }
    let sec = t.token("secretary").await;
    t.new_meeting(&sec, t.fx.cell1, "2026-03-26").await;
    let d = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.root),
        )
        .await;
    assert_eq!(at(section(&d, "meetings_by_month"), 0, "T3"), Some(3.0));
    // The yearly statistics read the same row and agree.
    let s = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{}/meeting-stats?year=2026", t.fx.root),
        )
        .await;
    assert_eq!(s["planned"], 4);
}

async fn a_foreign_dashboard_is_refused(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    let outsider = t.token("outsider").await;
    for path in ["dashboard", "dashboard.xlsx"] {
        let r = t
            .get(
                Some(&outsider),
                &format!("/api/v1/orgs/{}/{path}", t.fx.commune),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let c = client();
    login(&t, &c, "outsider").await;
    let r = c
        .get(format!("{}/orgs/{}/dashboard", t.base, t.fx.commune))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A member reads the cell's dashboard, without the members' breakdown.
    let member = t.token("member").await;
    let d = t
        .get_json(&member, &format!("/api/v1/orgs/{}/dashboard", t.fx.cell1))
        .await;
    assert_eq!(d["period"]["year"], 2026);
    assert!(
        d["sections"]
            .as_array()
            .expect("s")
            .iter()
            .all(|s| s["key"] != "members_by_status")
    );
}

async fn created(t: &TestApp, tok: &str, org: OrgId, body: Value) -> i64 {
    let r = t
        .post_json(Some(tok), &format!("/api/v1/orgs/{org}/indicators"), &body)
        .await;
    let s = r.status();
    let text = r.text().await.expect("body");
    assert_eq!(s, StatusCode::CREATED, "{text}");
    serde_json::from_str::<Value>(&text).expect("json")["id"]
        .as_i64()
        .expect("id")
}

async fn record(t: &TestApp, tok: &str, org: OrgId, id: i64, what: &str, body: Value) {
    let r = t
        .post_json(
            Some(tok),
            &format!("/api/v1/orgs/{org}/indicators/{id}/{what}"),
            &body,
        )
        .await;
    let s = r.status();
    assert_eq!(
        s,
        StatusCode::NO_CONTENT,
        "{}",
        r.text().await.unwrap_or_default()
    );
}

/// The commune's own poverty rate (lower is better) and the cells'
/// admissions summed by code: in the JSON, the page and the XLSX.
async fn targets_stand_against_actuals_everywhere(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let xa = t.token("xa").await;
    let commune = t.fx.commune;
    // A direction the form does not offer is refused, naming the field.
    let r = t
        .post_json(
            Some(&xa),
            &format!("/api/v1/orgs/{commune}/indicators"),
            &json!({"code": "HO_NGHEO", "name": "Tỷ lệ hộ nghèo", "unit": "percent",
                "direction": "xuống", "baseline": "12", "baseline_on": "31/12/2025"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("t").contains("Chiều đánh giá"));
    let poor = created(
        &t,
        &xa,
        commune,
        json!({"code": "HO_NGHEO", "name": "Tỷ lệ hộ nghèo", "unit": "percent",
            "direction": "lower", "baseline": "12", "baseline_on": "31/12/2025"}),
    )
    .await;
    record(
        &t,
        &xa,
        commune,
        poor,
        "targets",
        json!({"year": "2026", "value": "8"}),
    )
    .await;
    record(
        &t,
        &xa,
        commune,
        poor,
        "actuals",
        json!({"period": "Q3/2026", "value": "8,5"}),
    )
    .await;
    for (cell, actual) in [(t.fx.cell1, "3"), (t.fx.cell2, "1")] {
        let id = created(
            &t,
            &xa,
            cell,
            json!({"code": "KET_NAP", "name": "Kết nạp đảng viên mới", "unit": "count",
                "measure": "người", "baseline": "0", "baseline_on": "31/12/2025"}),
        )
        .await;
        record(
            &t,
            &xa,
            cell,
            id,
            "targets",
            json!({"year": "2026", "value": "2"}),
        )
        .await;
        record(
            &t,
            &xa,
            cell,
            id,
            "actuals",
            json!({"period": "2026", "value": actual}),
        )
        .await;
    }
    let d = t
        .get_json(&xa, &format!("/api/v1/orgs/{commune}/dashboard?year=2026"))
        .await;
    let s = section(&d, "targets");
    let own = "Tỷ lệ hộ nghèo (HO_NGHEO)";
    let sum = "Kết nạp đảng viên mới (KET_NAP), cộng 2 đơn vị trực thuộc";
    // Progress, baseline, target, actual: 3.5 of 4 points down is 87.5% of
    // the way after 10 of 13 months (76.9%): on track.
    assert_eq!(
        [at(s, 0, own), at(s, 1, own), at(s, 2, own), at(s, 3, own)],
        [Some(87.5), Some(12.0), Some(8.0), Some(8.5)]
    );
    assert_eq!(
        [at(s, 0, sum), at(s, 1, sum), at(s, 2, sum), at(s, 3, sum)],
        [Some(100.0), Some(0.0), Some(4.0), Some(4.0)]
    );
    assert_eq!(
        s["remarks"]["values"],
        json!(["Đúng tiến độ · càng thấp càng tốt", "Đã đạt"])
    );
    assert_eq!(s["category_orgs"], json!([commune.0, null]));
    // In the first half of the year the Q3 figure does not count yet.
    let h = t
        .get_json(
            &xa,
            &format!("/api/v1/orgs/{commune}/dashboard?year=2026&from_month=1&to_month=6"),
        )
        .await;
    let s = section(&h, "targets");
    assert_eq!(at(s, 3, own), None);
    assert_eq!(
        s["remarks"]["values"][0],
        "Chưa đủ số liệu · càng thấp càng tốt"
    );
    // A cell sees its own line only.
    let c1 = t
        .get_json(
            &xa,
            &format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.cell1),
        )
        .await;
    let s = section(&c1, "targets");
    assert_eq!(s["categories"], json!(["Kết nạp đảng viên mới (KET_NAP)"]));
    assert_eq!(at(s, 3, "Kết nạp đảng viên mới (KET_NAP)"), Some(3.0));

    // The page: the table beside the chart, with the standing in words.
    let c = client();
    login(&t, &c, "xa").await;
    let html = get_text(&c, format!("{}/orgs/{commune}/dashboard?year=2026", t.base)).await;
    assert!(html.contains(&format!(
        r#"<tr><th scope="row"><a href="/orgs/{commune}">Tỷ lệ hộ nghèo (HO_NGHEO)</a></th><td class="num">87.5</td><td class="num">12</td><td class="num">8</td><td class="num">8.5</td><td>Đúng tiến độ · càng thấp càng tốt</td></tr>"#
    )), "{html}");
    // The indicators page says which way the rate should go.
    let page = get_text(&c, format!("{}/orgs/{commune}/indicators", t.base)).await;
    assert!(page.contains("Càng thấp càng tốt"));

    // The XLSX: the same figures on the targets sheet.
    use calamine::Reader;
    let bytes = c
        .get(format!(
            "{}/orgs/{commune}/dashboard.xlsx?year=2026",
            t.base
        ))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("Chỉ tiêu")
        .expect("sheet")
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let line = rows.iter().find(|r| r[0] == sum).expect("sum row");
    assert_eq!(line[1..6], ["100", "0", "4", "4", "Đã đạt"]);
    let line = rows.iter().find(|r| r[0] == own).expect("own row");
    assert_eq!(line[1..5], ["87.5", "12", "8", "8.5"]);
}

/// A cell's signal shows on its commune's dashboard, goes when its cause is
/// fixed (no stale count), and never shows on the cell's own dashboard.
async fn signals_follow_their_cause_and_stay_above_the_cell(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let xa = t.token("xa").await;
    let sec = t.token("secretary").await;
    let (an, ha, binh, anh) = crate::signals::members(&t, &sec).await;
    let all = [an, ha, binh, anh];
    let texts = [
        "Chi bộ kiểm điểm việc triển khai kế hoạch sản xuất vụ đông xuân: diện tích gieo trồng đạt kế hoạch, giống lúa mới được đưa vào ba cánh đồng; đảng viên phản ánh tình trạng thiếu nước tưới ở xứ đồng dưới và đề nghị xã nạo vét kênh mương trước mùa khô.",
        "Chi bộ sinh hoạt chuyên đề về công tác bảo hiểm y tế. Đồng chí Trưởng thôn trình bày tham luận về tỷ lệ người dân tham gia bảo hiểm y tế; các đảng viên thảo luận cách vận động hộ cận nghèo, hộ làm nông nghiệp tham gia. Chi bộ giao mỗi đảng viên phụ trách vận động năm hộ gia đình.",
        "Chi bộ đánh giá công tác phòng chống dịch bệnh trên đàn gia cầm, việc thu nộp đảng phí quý I, kết quả ra quân làm đường giao thông nông thôn, và bàn kế hoạch tổ chức ngày hội đại đoàn kết toàn dân tộc ở khu dân cư; các đồng chí đảng viên nêu nhiều ý kiến về việc huy động ngày công.",
    ];
    // June's tasks are never reviewed although July and August met.
    let mut made = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let day = format!("2026-0{}-03", i + 6);
        made.push(
            crate::signals::meeting(&t, &sec, &day, &all, (text, "19:00", "20:40"), &all).await,
        );
    }
    let rule = "Nhiệm vụ không được kiểm điểm";
    let url = format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.commune);
    let d = t.get_json(&xa, &url).await;
    assert_eq!(
        at(section(&d, "signals_by_rule"), 0, rule),
        Some(1.0),
        "{d}"
    );
    let n = section(&d, "signals_by_node");
    assert_eq!(n["categories"], json!(["Chi bộ 1"]));
    assert_eq!(n["category_orgs"], json!([t.fx.cell1.0]));
    // Read again: the same, now from the cache.
    assert_eq!(t.get_json(&xa, &url).await["sections"], d["sections"]);
    // The district above sees it too.
    let staff = t.token("staff").await;
    let up = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(at(section(&up, "signals_by_rule"), 0, rule), Some(1.0));

    // August reviews June's tasks: the signal is gone at once.
    crate::signals::review(&t, &sec, &made[0].1, made[2].0).await;
    let d = t.get_json(&xa, &url).await;
    assert_eq!(
        at(section(&d, "signals_by_rule"), 0, rule),
        Some(0.0),
        "{d}"
    );
    assert!(section(&d, "signals_by_node")["empty"].is_string(), "{d}");
    let up = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(at(section(&up, "signals_by_rule"), 0, rule), Some(0.0));

    // The cell's secretary: a dashboard without any signal section.
    let own = t
        .get_json(
            &sec,
            &format!("/api/v1/orgs/{}/dashboard?year=2026", t.fx.cell1),
        )
        .await;
    let keys: Vec<&str> = own["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert!(keys.contains(&"targets"), "{keys:?}");
    assert!(!keys.iter().any(|k| k.starts_with("signals")), "{keys:?}");
    let c = client();
    login(&t, &c, "secretary").await;
    let html = get_text(
        &c,
        format!("{}/orgs/{}/dashboard?year=2026", t.base, t.fx.cell1),
    )
    .await;
    assert!(!html.contains("Biểu hiện hình thức"), "{html}");
}

both_backends!(
    targets_stand_against_actuals_everywhere,
    signals_follow_their_cause_and_stay_above_the_cell,
    commune_dashboard_shows_the_meetings_made,
    the_period_selector_changes_the_numbers,
    upper_levels_follow_every_write,
    a_foreign_dashboard_is_refused,
);
