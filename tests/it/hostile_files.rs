//! Hostile uploads, crafted here byte by byte: counts that lie, zip bombs,
//! deep XML, endless sheets and entries, lying sizes, one long string in many
//! cells, broken archives. Each is sent as a cell secretary would send it
//! (member import, meeting documents); each must get a 422 in Vietnamese that
//! names the file, and the server must still answer /healthz afterwards (an
//! allocation that fails aborts the whole process: no panic to catch).

use crate::both_backends;
use crate::support::{self, Backend, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::{Cursor, Write};

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Deflated entries, in order.
pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

fn sheet_xml(head: &str, rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{head}<sheetData>{rows}</sheetData></worksheet>"#
    )
}

fn sst_xml(attrs: &str, strings: &[&str]) -> String {
    let si: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}" {attrs}>{si}</sst>"#
    )
}

fn workbook_xml(sheets: usize) -> String {
    let list: String = (1..=sheets)
        .map(|i| format!(r#"<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{list}</sheets></workbook>"#
    )
}

/// The smallest workbook calamine opens: six parts, about 1.5 KB zipped.
pub fn xlsx(workbook: String, sst: String, sheet: String) -> Vec<(String, Vec<u8>)> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let wb_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    vec![
        ("[Content_Types].xml".into(), ct.into()),
        ("_rels/.rels".into(), rels.into_bytes()),
        ("xl/workbook.xml".into(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), wb_rels.into_bytes()),
        ("xl/sharedStrings.xml".into(), sst.into_bytes()),
        ("xl/worksheets/sheet1.xml".into(), sheet.into_bytes()),
    ]
}

const HEADERS: [&str; 5] = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Số thẻ đảng viên",
];

/// Header row and one honest member, all shared strings 0–9.
fn honest_rows() -> String {
    let cells = |r: usize, first: usize| -> String {
        (0..5)
            .map(|c| {
                let col = (b'A' + c as u8) as char;
                format!(r#"<c r="{col}{r}" t="s"><v>{}</v></c>"#, first + c)
            })
            .collect()
    };
    format!(
        r#"<row r="1">{}</row><row r="2">{}</row>"#,
        cells(1, 0),
        cells(2, 5)
    )
}

fn honest_strings() -> Vec<&'static str> {
    let mut s = HEADERS.to_vec();
    s.extend(["Hồ Văn Thử", "Nam", "05/06/1985", "19/05/2010", "40000001"]);
    s
}

/// An honest minimal workbook with `edit` applied to its parts.
fn crafted(edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut parts = xlsx(
        workbook_xml(1),
        sst_xml(r#"count="10" uniqueCount="10""#, &honest_strings()),
        sheet_xml(r#"<dimension ref="A1:E2"/>"#, &honest_rows()),
    );
    edit(&mut parts);
    zip_of(&parts)
}

fn set(parts: &mut [(String, Vec<u8>)], name: &str, data: impl Into<Vec<u8>>) {
    let part = parts.iter_mut().find(|(n, _)| n == name).expect("part");
    part.1 = data.into();
}

/// Sets the uncompressed size written for `name`, in its local header and
/// in the central directory.
pub fn lie_about_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for (sig, name_len_at, size_at, header) in [
        (b"PK\x03\x04", 26usize, 22usize, 30usize),
        (b"PK\x01\x02", 28, 24, 46),
    ] {
        let mut at = 0;
        while let Some(i) = bytes[at..].windows(4).position(|w| w == sig) {
            let start = at + i;
            let len =
                u16::from_le_bytes([bytes[start + name_len_at], bytes[start + name_len_at + 1]]);
            let entry = &bytes[start + header..start + header + len as usize];
            if entry == name.as_bytes() {
                bytes[start + size_at..start + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            at = start + 4;
        }
    }
    assert_eq!(patched, 2, "local and central headers of {name}");
}

/// Named hostile workbooks and a phrase each refusal must hold.
fn hostile_xlsx() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut v = Vec::new();
    // The file of the issue: 2 KB claiming 10^11 shared strings.
    v.push((
        "shared-string count lie",
        crafted(|p| {
            let sst = sst_xml(r#"count="1" uniqueCount="100000000000""#, &honest_strings());
            set(p, "xl/sharedStrings.xml", sst);
        }),
        "khai báo 100000000000 chuỗi dùng chung",
    ));
    v.push((
        "huge dimension",
        crafted(|p| {
            let sheet = sheet_xml(r#"<dimension ref="A1:XFD1048576"/>"#, &honest_rows());
            set(p, "xl/worksheets/sheet1.xml", sheet);
        }),
        "vùng A1:XFD1048576",
    ));
    v.push((
        "zip bomb",
        crafted(|p| {
            // 40 MB of blanks inside the sheet: valid XML, ~40 KB zipped.
            let sheet = sheet_xml(&" ".repeat(40 << 20), &honest_rows());
            set(p, "xl/worksheets/sheet1.xml", sheet);
        }),
        "bung ra",
    ));
    v.push((
        "deep nesting",
        crafted(|p| {
            let deep = format!("{}{}", "<x>".repeat(100_000), "</x>".repeat(100_000));
            set(
                p,
                "xl/worksheets/sheet1.xml",
                sheet_xml(&deep, &honest_rows()),
            );
        }),
        "sâu quá",
    ));
    v.push((
        "100,000 sheets",
        crafted(|p| set(p, "xl/workbook.xml", workbook_xml(100_000))),
        "trang tính",
    ));
    v.push((
        "2,000 entries",
        crafted(|p| {
            p.extend((0..2000).map(|i| (format!("xl/media/x{i}.bin"), vec![b'x'])));
        }),
        "nhiều quá giới hạn 1000",
    ));
    v.push((
        "lying declared size",
        {
            let mut bytes = crafted(|_| {});
            lie_about_size(&mut bytes, "xl/sharedStrings.xml", 40);
            bytes
        },
        "khai báo 40 byte",
    ));
    // 30,000 characters (one cell's worth) referenced from 100,000 cells:
    // 3 GB of text out of a file of a few hundred KB.
    let long = "a".repeat(30_000);
    let many_refs = || -> String {
        (1..=100_000)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
            .collect()
    };
    v.push((
        "long shared string in many cells",
        crafted(|p| {
            set(
                p,
                "xl/sharedStrings.xml",
                sst_xml(r#"uniqueCount="1""#, &[&long]),
            );
            set(p, "xl/worksheets/sheet1.xml", sheet_xml("", &many_refs()));
        }),
        "MB chữ trong các ô",
    ));
    let mega = "a".repeat(1 << 20);
    v.push((
        "1 MB shared string in many cells",
        crafted(|p| {
            set(
                p,
                "xl/sharedStrings.xml",
                sst_xml(r#"uniqueCount="1""#, &[&mega]),
            );
            set(p, "xl/worksheets/sheet1.xml", sheet_xml("", &many_refs()));
        }),
        "dài quá 32.767 ký tự",
    ));
    v.push((
        "garbage",
        b"this is not a workbook at all".to_vec(),
        "tệp Excel hỏng",
    ));
    v.push(("zip magic only", b"PK\x03\x04".to_vec(), "tệp Excel hỏng"));
    v.push((
        "truncated",
        {
            let bytes = crafted(|_| {});
            bytes[..bytes.len() / 2].to_vec()
        },
        "tệp Excel hỏng",
    ));
    v
}

pub async fn assert_alive(t: &TestApp, after: &str) {
    let r = t.get(None, "/healthz").await;
    assert_eq!(r.status(), StatusCode::OK, "/healthz after {after}");
}

/// A 422 whose message names the file and holds `phrase`.
pub async fn assert_refused(r: reqwest::Response, case: &str, phrase: &str) {
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{case}");
    let v: Value = r.json().await.expect("json");
    let msg = v["error"].as_str().unwrap_or_default();
    assert!(msg.contains(phrase), "{case}: {msg:?} lacks {phrase:?}");
    assert_eq!(v["fields"][0]["field"], "file", "{case}: {v}");
}

async fn hostile_workbooks_get_a_vietnamese_422(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let path = format!("/api/v1/orgs/{}/members/import", t.fx.cell1);
    for (case, bytes, phrase) in hostile_xlsx() {
        let size = bytes.len();
        let r = t.upload(&sec, &path, "danh-sach.xlsx", bytes).await;
        assert_refused(r, case, phrase).await;
        assert_alive(&t, case).await;
        if case == "shared-string count lie" {
            assert!(
                size < 2048,
                "the issue's file is 2 KB, this one {size} bytes"
            );
        }
    }
    // Nothing above was the builder's fault: the same workbook, honest, imports.
    let r = t
        .upload(&sec, &path, "danh-sach.xlsx", crafted(|_| {}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let members = t
        .get_json(
            &sec,
            &format!("/api/v1/orgs/{}/members?q=Hồ Văn Thử", t.fx.cell1),
        )
        .await;
    assert_eq!(support::names(&members, "full_name"), ["Hồ Văn Thử"]);
}

async fn hostile_csv_gets_a_vietnamese_422(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let path = format!("/api/v1/orgs/{}/members/import", t.fx.cell1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a field past Excel's limit",
            format!("Họ và tên,Ghi chú\nHồ Văn Thử,{}\n", "ư".repeat(40_000)).into_bytes(),
            "dòng 2: một ô dài quá 32.767 ký tự",
        ),
        (
            "separators only",
            format!("Họ và tên\n{}\n", ",".repeat(3_000_000)).into_bytes(),
            "tệp lớn quá: hơn 1.500.0",
        ),
    ];
    for (case, bytes, phrase) in cases {
        let r = t.upload(&sec, &path, "ds.csv", bytes).await;
        assert_refused(r, case, phrase).await;
        assert_alive(&t, case).await;
    }
}

/// A DOCX that is a ZIP of the wrong kind, through the API and the page.
fn hostile_docx() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let doc = |extra: Vec<(String, Vec<u8>)>| {
        let mut parts = vec![("word/document.xml".to_string(), b"<w:document/>".to_vec())];
        parts.extend(extra);
        zip_of(&parts)
    };
    vec![
        (
            "zip bomb",
            doc(vec![("word/media/blank.bin".into(), vec![0u8; 40 << 20])]),
            "bung ra",
        ),
        (
            "deep nesting",
            doc(vec![(
                "word/styles.xml".into(),
                "<a>".repeat(50_000).into_bytes(),
            )]),
            "sâu quá",
        ),
        (
            "2,000 entries",
            doc((0..2000)
                .map(|i| (format!("word/x{i}.xml"), vec![b'<']))
                .collect()),
            "nhiều quá giới hạn 1000",
        ),
        (
            "lying declared size",
            {
                let mut bytes = doc(vec![("word/styles.xml".into(), vec![b'a'; 5000])]);
                lie_about_size(&mut bytes, "word/styles.xml", 40);
                bytes
            },
            "khai báo 40 byte",
        ),
        (
            "no document part",
            zip_of(&[("a.txt".into(), b"x".to_vec())]),
            "word/document.xml",
        ),
        ("truncated", doc(vec![])[..60].to_vec(), "tệp DOCX hỏng"),
    ]
}

async fn hostile_docx_gets_a_vietnamese_422(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let path = format!("/api/v1/meetings/{id}/documents");
    for (case, bytes, phrase) in hostile_docx() {
        let r = t.upload(&sec, &path, "bao-cao.docx", bytes).await;
        assert_refused(r, case, phrase).await;
        assert_alive(&t, case).await;
    }
    // The page says the same, in its alert.
    let c = support::client();
    support::login(&t, &c, "secretary").await;
    let page = support::get_text(&c, format!("{}/meetings/{id}", t.base)).await;
    let (case, bytes, phrase) = hostile_docx().swap_remove(0);
    let r = page_upload(
        &c,
        &t,
        &format!("/meetings/{id}/documents"),
        &page,
        "b.docx",
        bytes,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "page {case}");
    let body = r.text().await.expect("body");
    assert!(
        body.contains("Tài liệu: tệp nén") && body.contains(phrase),
        "page {case}"
    );
    assert_alive(&t, case).await;
    // An honest DOCX still goes in.
    let honest = zip_of(&[("word/document.xml".into(), b"<w:document/>".to_vec())]);
    let r = t.upload(&sec, &path, "bao-cao.docx", honest).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

pub async fn page_upload(
    c: &reqwest::Client,
    t: &TestApp,
    path: &str,
    page: &str,
    filename: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", support::csrf_of(page))
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()),
        );
    c.post(format!("{}{path}", t.base))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

both_backends!(
    hostile_workbooks_get_a_vietnamese_422,
    hostile_csv_gets_a_vietnamese_422,
    hostile_docx_gets_a_vietnamese_422,
);
