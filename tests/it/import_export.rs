use crate::both_backends;
use crate::support::{Backend, TestApp, names};
use calamine::{Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

const GOOD_CSV: &str = "STT;Họ và tên;Ngày sinh;Giới tính;Ngày vào Đảng;Số thẻ đảng viên;Điện thoại;Chi bộ\n\
1;  trần   thị THU ;05/06/1985;nữ;19/05/2010;30000001;0911222333;Chi bộ 1\n\
2;Lò Văn Phà;1/1/1970;Nam;02/09/1995;30000002;;chi bo 2\n";

async fn csv_import_normalizes_messy_input(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    // The second name arrives decomposed (NFD), as some keyboards send it.
    let csv = GOOD_CSV.replace("Lò Văn Phà", &"Lò Văn Phà".nfd().collect::<String>());
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "ds.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["created"], 2);
    let found = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=tran thi thu", t.fx.commune),
        )
        .await;
    assert_eq!(names(&found, "full_name"), ["Trần Thị Thu"]);
    let pha = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/members?q=Lò Văn Phà", t.fx.cell2),
        )
        .await;
    assert_eq!(
        names(&pha, "full_name"),
        ["Lò Văn Phà"],
        "stored as NFC, found by NFC"
    );
    assert_eq!(pha[0]["birth_date"], "1970-01-01");
}

async fn one_bad_row_writes_nothing(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let csv =
        format!("{GOOD_CSV}3;Nguyễn Văn;31/02/1980;Nam;;30000001;12;Chi bộ 9\n4;;;x;;;;Chi bộ 1\n");
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "ds.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    let rows: Vec<(i64, String, String)> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap_or(0),
                e["column"].as_str().unwrap_or("").into(),
                e["message"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert!(
        rows.contains(&(
            4,
            "Chi bộ".into(),
            "không có chi bộ \"Chi bộ 9\" trong Đảng bộ xã Cẩm".into()
        )),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(r, c, m)| *r == 4 && c == "Ngày sinh" && m.contains("31/02/1980")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(r, c, m)| *r == 4 && c == "Số thẻ đảng viên" && m == "trùng số thẻ với dòng 2"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(r, c, _)| *r == 4 && c == "Điện thoại"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(r, c, m)| *r == 5 && c == "Họ và tên" && m == "không được để trống"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(r, c, _)| *r == 5 && c == "Giới tính"),
        "{rows:?}"
    );
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members", t.fx.commune),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "5", "nothing was written");
    // A card number already in the database is caught too.
    let dup = "Họ và tên,Giới tính,Số thẻ đảng viên\nMai Văn Tư,Nam,10000001\n";
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.cell1),
            "d.csv",
            dup.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    assert_eq!(
        v["rows"][0]["message"],
        "số thẻ 10000001 đã có trong hệ thống"
    );
    let r = t
        .upload(
            &staff,
            &format!("/api/v1/orgs/{}/members/import", t.fx.cell1),
            "x.xlsx",
            b"PK\x03\x04broken".to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn export_reads_back_and_round_trips(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members.xlsx", t.fx.district),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("xlsx");
    let range = book.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][1], "Họ và tên");
    let exported: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        exported,
        [
            "Nguyễn Văn An",
            "Trần Anh",
            "Phạm Thị Ánh",
            "Lê Văn Bình",
            "Đặng Thị Hà"
        ]
    );
    assert_eq!(rows[1].last().map(String::as_str), Some("Chi bộ 1"));
    // Importing the export into an empty cell: everyone is refused as a duplicate card.
    let r = t
        .upload(
            &t.token("admin").await,
            &format!("/api/v1/orgs/{}/members/import", t.fx.commune),
            "export.xlsx",
            bytes,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(5));
}

async fn xlsx_import_large_file(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số thẻ đảng viên",
        "Ngày vào Đảng",
        "Ngày chính thức",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let n = 2000u32;
    for i in 1..=n {
        ws.write_string(
            i,
            0,
            format!(
                "Nguyễn Văn Thử {}",
                ["An", "Bình", "Cường", "Dũng"][(i % 4) as usize]
            ),
        )
        .expect("w");
        ws.write_string(i, 1, "Nam").expect("w");
        ws.write_string(i, 2, "02/09/1975").expect("w");
        ws.write_number(i, 3, f64::from(50_000_000 + i)).expect("w");
        ws.write_string(i, 4, "01/01/2000").expect("w");
        ws.write_string(i, 5, "01/01/2001").expect("w");
    }
    let bytes = wb.save_to_buffer().expect("save");
    let r = t
        .upload(
            &admin,
            &format!("/api/v1/orgs/{}/members/import", t.fx.cell2),
            "lon.xlsx",
            bytes,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let s = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/stats", t.fx.cell2))
        .await;
    assert_eq!(s["members"], i64::from(n) + 1);
    assert_eq!(s["official_members"], i64::from(n) + 1);
}

both_backends!(
    csv_import_normalizes_messy_input,
    one_bad_row_writes_nothing,
    export_reads_back_and_round_trips,
    xlsx_import_large_file
);
