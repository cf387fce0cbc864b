//! Member lists as commune offices keep them and as the national member
//! database exports them (issue 10, point 1; docs/rules.md "Member list
//! formats accepted" and "Số CCCD"). The files are built here, not committed.

use crate::both_backends;
use crate::support::{self, Backend, TestApp, csrf_of, get_text, login, names};
use calamine::{Reader, Xlsx};
use chibo::domain::ids::OrgId;
use chibo::domain::org::{CellType, OrgKind};
use reqwest::StatusCode;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// One member of a commune list: name as typed, birth date, gender.
struct Person {
    name: &'static str,
    birth: (u16, u8, u8),
    gender: &'static str,
}

const DONG_PAO: [&str; 12] = [
    "lò văn  phà",
    "LÒ THỊ HOA",
    "Vì Văn Thắng",
    "quàng văn   sơn",
    "Lường Thị Mai",
    "CÀ VĂN PÁNH",
    "lò thị  xuân",
    "Tòng Văn Hặc",
    "lừ văn khoa",
    "Điêu Thị Hương",
    "Hoàng Văn Tuấn",
    "NGUYỄN  văn a",
];
const BAN_HON: [&str; 11] = [
    "Lò Văn Bun",
    "tòng thị  ĐÀO",
    "Lù Văn Chung",
    "Mào Thị Lan",
    "VÌ VĂN HÙNG",
    "Lường Văn Ngọc",
    "cầm thị  nga",
    "Lò Văn Kiên",
    "Quàng Thị Dung",
    "Tòng Văn Khánh",
    "Lò Thị Thu",
];

fn people(names: &[&'static str]) -> Vec<Person> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Person {
            name,
            birth: (1960 + i as u16, 1 + (i % 12) as u8, 1 + (i % 27) as u8),
            gender: if name.to_lowercase().contains("thị") {
                "Nữ"
            } else {
                "Nam"
            },
        })
        .collect()
}

/// A sheet as the Bản Hon office draws it: merged titles, an empty row, the
/// header with STT, a row of column numbers, the members (names decomposed,
/// in any case, with stray spaces; birth dates alternately Excel dates and
/// d/m/yyyy text; admission dates as bare serial numbers), the signature
/// block. Returns the Excel row number of each member.
fn commune_sheet(ws: &mut Worksheet, cell_title: &str, members: &[Person]) -> Vec<u32> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.merge_range(0, 0, 0, 6, "ĐẢNG BỘ XÃ BẢN HON", &bold)
        .unwrap();
    ws.merge_range(1, 0, 1, 6, cell_title, &bold).unwrap();
    ws.merge_range(2, 0, 2, 6, "DANH SÁCH ĐẢNG VIÊN", &bold)
        .unwrap();
    let header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Ngày vào Đảng",
        "Chức vụ",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(4, c as u16, *h, &bold).unwrap();
        ws.write_string(5, c as u16, format!("({})", c + 1))
            .unwrap();
    }
    let mut rows = Vec::new();
    for (i, p) in members.iter().enumerate() {
        let r = 6 + i as u32;
        rows.push(r + 1);
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        let nfd: String = p.name.nfd().collect();
        ws.write_string(r, 1, format!(" {nfd} ")).unwrap();
        let (y, m, d) = p.birth;
        if i % 2 == 0 {
            let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
            ws.write_datetime_with_format(r, 2, &dt, &date).unwrap();
        } else {
            ws.write_string(r, 2, format!("{d}/{m}/{y}")).unwrap();
        }
        ws.write_string(r, 3, p.gender).unwrap();
        ws.write_string(r, 4, "Thái").unwrap();
        // 01/06/2005 as the bare serial a date loses its format to.
        ws.write_number(r, 5, 38504.0).unwrap();
        if i == 0 {
            ws.write_string(r, 6, "Bí thư chi bộ").unwrap();
        }
    }
    let end = 6 + members.len() as u32;
    ws.write_string(end + 1, 5, "Bản Hon, ngày 15 tháng 11 năm 2026")
        .unwrap();
    ws.write_string(end + 2, 1, "NGƯỜI LẬP BIỂU").unwrap();
    ws.write_string(end + 2, 5, "T/M CHI BỘ").unwrap();
    ws.write_string(end + 3, 5, "BÍ THƯ").unwrap();
    ws.write_string(end + 6, 1, "Lò Văn Lập").unwrap();
    ws.write_string(end + 6, 5, "Lò Văn Phà").unwrap();
    rows
}

async fn cells_of_ban_hon(t: &TestApp) -> (OrgId, OrgId) {
    let cell = |name| {
        support::node(
            &t.app,
            t.fx.commune,
            name,
            OrgKind::Cell,
            Some(CellType::Rural),
        )
    };
    (
        cell("Chi bộ 4 (Bản Đông Pao)").await,
        cell("Chi bộ 5 (Bản Hon)").await,
    )
}

fn ban_hon_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let a = wb.add_worksheet().set_name("Đông Pao").unwrap();
    commune_sheet(a, "CHI BỘ 4 (BẢN ĐÔNG PAO)", &people(&DONG_PAO));
    // A sheet of notes without a header is left out, and said so.
    let notes = wb.add_worksheet().set_name("Ghi chú").unwrap();
    notes
        .write_string(0, 0, "Danh sách gửi Đảng ủy xã")
        .unwrap();
    let b = wb.add_worksheet().set_name("Bản Hon").unwrap();
    commune_sheet(b, "CHI BỘ 5 (BẢN HON)", &people(&BAN_HON));
    wb.save_to_buffer().unwrap()
}

/// Sends a file through the import page as a signed-in user.
async fn import_page(
    t: &TestApp,
    user: &str,
    org: OrgId,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String) {
    let c = support::client();
    login(t, &c, user).await;
    let page = get_text(&c, format!("{}/orgs/{org}/import", t.base)).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf_of(&page))
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let r = c
        .post(format!("{}/orgs/{org}/import", t.base))
        .multipart(form)
        .send()
        .await
        .expect("post");
    (r.status(), r.text().await.expect("text"))
}

// The Bản Hon list imports in one go through the page (seed practice: Bản Hon).
async fn commune_list_imports_in_one_go_through_the_page(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (dong_pao, ban_hon) = cells_of_ban_hon(&t).await;
    let (status, html) = import_page(
        &t,
        "staff",
        t.fx.commune,
        "ds-ban-hon.xlsx",
        ban_hon_workbook(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Đã nhập 23 đảng viên."), "{html}");
    assert!(html.contains("Chi bộ 4 (Bản Đông Pao): 12"), "{html}");
    assert!(html.contains("Chi bộ 5 (Bản Hon): 11"), "{html}");
    assert!(html.contains("Các cột không dùng: Chức vụ"), "{html}");
    assert!(html.contains("không đọc: Ghi chú"), "{html}");
    assert!(
        html.contains("nhiều trang tính"),
        "the help says several sheets are accepted"
    );

    let staff = t.token("staff").await;
    let dp = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{dong_pao}/members?status=all"),
        )
        .await;
    let mut got = names(&dp, "full_name");
    got.sort();
    let mut want: Vec<String> = [
        "Lò Văn Phà",
        "Lò Thị Hoa",
        "Vì Văn Thắng",
        "Quàng Văn Sơn",
        "Lường Thị Mai",
        "Cà Văn Pánh",
        "Lò Thị Xuân",
        "Tòng Văn Hặc",
        "Lừ Văn Khoa",
        "Điêu Thị Hương",
        "Hoàng Văn Tuấn",
        "Nguyễn Văn A",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    want.sort();
    assert_eq!(
        got, want,
        "NFC, single spaces, title case; the signers are not members"
    );
    assert!(got.iter().all(|n| n.nfc().eq(n.chars())));
    let pha = dp
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["full_name"] == "Lò Văn Phà")
        .unwrap();
    assert_eq!(pha["birth_date"], "1960-01-01", "an Excel date cell");
    assert_eq!(pha["admitted_on"], "2005-06-01", "a bare serial number");
    let hoa = dp
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["full_name"] == "Lò Thị Hoa")
        .unwrap();
    assert_eq!(hoa["birth_date"], "1961-02-02", "d/m/yyyy text");
    assert_eq!(hoa["gender"], "female");
    let r = t
        .get(Some(&staff), &format!("/api/v1/orgs/{ban_hon}/members"))
        .await;
    assert_eq!(r.headers()["x-total-count"], "11");
}

/// A CSDL đảng viên 3.0 style export: its headers, a CCCD per member.
fn csdl_export(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "STT",
        "Họ và tên khai sinh",
        "Ngày, tháng, năm sinh",
        "Giới tính",
        "Số định danh cá nhân",
        "Ngày vào Đảng",
        "Ngày vào Đảng chính thức",
        "Số thẻ đảng viên",
        "Trình độ LLCT",
        "Chuyên môn nghiệp vụ",
        "Nơi thường trú",
        "Nơi ở hiện nay",
        "Đơn vị",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (name, cccd, card)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(r)).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, "02.09.1975").unwrap();
        ws.write_string(r, 3, "Nam").unwrap();
        // Typed as a number, the leading 0 of the province code is lost.
        match cccd.parse::<f64>() {
            Ok(n) if i == 0 => ws.write_number(r, 4, n).map(|_| ()).unwrap(),
            _ => ws.write_string(r, 4, *cccd).map(|_| ()).unwrap(),
        }
        ws.write_string(r, 5, "3-2-2000").unwrap();
        ws.write_string(r, 6, "3-2-2001").unwrap();
        ws.write_string(r, 7, *card).unwrap();
        ws.write_string(r, 8, "Trung cấp").unwrap();
        ws.write_string(r, 9, "Kỹ sư nông nghiệp").unwrap();
        ws.write_string(r, 10, "Bản Hon").unwrap();
        ws.write_string(r, 11, "Bản Đông Pao").unwrap();
        ws.write_string(r, 12, "Chi bộ 1").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

// docs/rules.md "Số CCCD": 12 digits, unique; found by an exact search.
async fn csdl_export_with_cccd_is_searchable_and_exported(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let bytes = csdl_export(&[
        ("Mai Văn Tư", "012085001234", "40000001"),
        ("Vũ Thị Năm", "079 190 004 321", "40000002"),
    ]);
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "csdl.xlsx",
            bytes,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["created"], 2);
    assert_eq!(
        v["ignored_columns"],
        serde_json::json!(["Chuyên môn nghiệp vụ", "Nơi thường trú"])
    );
    // Found by the 12 digits, however they are spaced.
    let found = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=012 085 001 234", t.fx.commune),
        )
        .await;
    assert_eq!(names(&found, "full_name"), ["Mai Văn Tư"]);
    assert_eq!(
        found[0]["citizen_id"], "012085001234",
        "the lost leading 0 is back"
    );
    assert_eq!(
        found[0]["residence"], "Bản Đông Pao",
        "Nơi ở hiện nay is preferred"
    );
    assert_eq!(found[0]["official_on"], "2001-02-03");
    let part = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=01208500", t.fx.commune),
        )
        .await;
    assert_eq!(
        names(&part, "full_name"),
        Vec::<String>::new(),
        "exact match only"
    );
    let tu = found[0]["id"].as_i64().unwrap();

    // The profile shows it to who may read the member; an outsider sees nothing.
    let c = support::client();
    login(&t, &c, "staff").await;
    let profile = get_text(&c, format!("{}/members/{tu}", t.base)).await;
    assert!(
        profile.contains("Số CCCD") && profile.contains("012085001234"),
        "{profile}"
    );
    let outsider = t.token("outsider").await;
    let r = t
        .get(Some(&outsider), &format!("/api/v1/members/{tu}"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Edited through the API: validated, unique.
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{tu}"),
            &serde_json::json!({"citizen_id": "12345"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("phải gồm đúng 12 chữ số"), "{body}");
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{tu}"),
            &serde_json::json!({"citizen_id": "079190004321"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("đã có một đảng viên khác mang số CCCD này"),
        "{body}"
    );

    // The export holds the column, and reads back.
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members.xlsx?q=Mai Văn Tư", t.fx.commune),
        )
        .await;
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let col = rows[0]
        .iter()
        .position(|h| h == "Số CCCD")
        .expect("Số CCCD column");
    assert_eq!(rows[1][col], "012085001234");
}

/// Two sheets with a bad date, a bare year and CCCDs taken twice.
fn faulty_workbook() -> (Vec<u8>, Vec<u32>, Vec<u32>) {
    let mut wb = Workbook::new();
    let a = wb.add_worksheet().set_name("Đông Pao").unwrap();
    let rows_a = commune_sheet(a, "CHI BỘ 4 (BẢN ĐÔNG PAO)", &people(&DONG_PAO[..3]));
    a.write_string(rows_a[1] - 1, 2, "31/02/1980").unwrap();
    a.write_number(rows_a[2] - 1, 5, 1998.0).unwrap();
    a.write_string(4, 7, "Số CCCD").unwrap();
    a.write_string(rows_a[0] - 1, 7, "014070000111").unwrap();
    let b = wb.add_worksheet().set_name("Bản Hon").unwrap();
    let rows_b = commune_sheet(b, "CHI BỘ 5 (BẢN HON)", &people(&BAN_HON[..3]));
    b.write_string(4, 7, "Số CCCD").unwrap();
    b.write_string(rows_b[2] - 1, 7, "014 070 000 111").unwrap();
    b.write_string(rows_b[1] - 1, 7, "001080000999").unwrap();
    (wb.save_to_buffer().unwrap(), rows_a, rows_b)
}

// Errors name the sheet and the row number the user sees in Excel.
async fn errors_name_the_excel_row_and_sheet(b: Backend) {
    let t = TestApp::spawn(b).await;
    cells_of_ban_hon(&t).await;
    let staff = t.token("staff").await;
    // A member already holding a CCCD.
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{}", t.fx.an),
            &serde_json::json!({"citizen_id": "001080000999"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (bytes, rows_a, rows_b) = faulty_workbook();
    assert_eq!(rows_b[1], 8);
    assert_eq!(
        rows_a[0], 7,
        "three title rows, an empty row, the header, the numbers"
    );
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "loi.xlsx",
            bytes.clone(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    let got: Vec<(String, u64, String, String)> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|e| {
            (
                e["sheet"].as_str().unwrap_or("").into(),
                e["row"].as_u64().unwrap_or(0),
                e["column"].as_str().unwrap_or("").into(),
                e["message"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let want = vec![
        (
            "Đông Pao".to_string(),
            8,
            "Ngày sinh".to_string(),
            "\"31/02/1980\" không đúng định dạng ngày dd/mm/yyyy".to_string(),
        ),
        (
            "Đông Pao".into(),
            9,
            "Ngày vào Đảng".into(),
            "chỉ ghi năm 1998, cần đủ ngày, tháng, năm (dd/mm/yyyy)".into(),
        ),
        (
            "Bản Hon".into(),
            8,
            "Số CCCD".into(),
            "số CCCD 001080000999 đã có ở một đảng viên khác trong hệ thống".into(),
        ),
        (
            "Bản Hon".into(),
            9,
            "Số CCCD".into(),
            "trùng số CCCD 014070000111 với dòng 7 trang \"Đông Pao\"".into(),
        ),
    ];
    assert_eq!(got, want);
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members", t.fx.commune),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "5", "nothing was written");

    // The page shows the same report with the sheet column.
    let (status, html) = import_page(&t, "staff", t.fx.commune, "loi.xlsx", bytes).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Tệp có 4 lỗi"), "{html}");
    assert!(html.contains("<th>Trang tính</th>"), "{html}");
    assert!(
        html.contains("trùng số CCCD 014070000111 với dòng 7 trang &quot;Đông Pao&quot;"),
        "{html}"
    );
}

// A committee's list with neither a "Chi bộ" column nor a cell in its titles.
async fn a_sheet_naming_no_cell_is_one_clear_error(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    commune_sheet(ws, "CHI BỘ 9 (BẢN XA)", &people(&BAN_HON[..2]));
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "x.xlsx",
            wb.save_to_buffer().unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["rows"][0]["row"], 5, "the header row");
    assert_eq!(v["rows"][0]["sheet"], "", "one sheet: no sheet name");
    assert!(
        v["rows"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("thiếu cột \"Chi bộ\""),
        "{v}"
    );
}

both_backends!(
    commune_list_imports_in_one_go_through_the_page,
    csdl_export_with_cccd_is_searchable_and_exported,
    errors_name_the_excel_row_and_sheet,
    a_sheet_naming_no_cell_is_one_clear_error
);

both_backends!(a_whole_cell_in_one_answer);

/// The API's page size: 50 by default, up to 200 asked, a clear error beyond
/// (issue 14 point 1).
async fn a_whole_cell_in_one_answer(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    let tok = t.token("staff").await;
    let cell = t.fx.cell1;
    let r = t
        .get(
            Some(&tok),
            &format!("/api/v1/orgs/{cell}/members?page_size=3"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["x-total-count"], "4");
    assert_eq!(r.headers()["x-page-count"], "2");
    let first: Value = r.json().await.expect("json");
    assert_eq!(first.as_array().map(Vec::len), Some(3));
    let rest: Value = t
        .get(
            Some(&tok),
            &format!("/api/v1/orgs/{cell}/members?page_size=3&page=2"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    let all = t
        .get_json(&tok, &format!("/api/v1/orgs/{cell}/members?page_size=200"))
        .await;
    assert_eq!(all.as_array().map(Vec::len), Some(4));
    for bad in ["0", "201"] {
        let r = t
            .get(
                Some(&tok),
                &format!("/api/v1/orgs/{cell}/members?page_size={bad}"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "page_size={bad}");
        assert!(r.text().await.expect("text").contains("page_size"));
    }
}
