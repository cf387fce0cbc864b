//! Property tests ("fuzzing") of what users hand to chibo: the spreadsheet
//! reader behind member import (CSV and XLSX — random bytes, CSV-like soup,
//! valid workbooks with flipped, cut or spliced bytes), the import itself,
//! dates as typed, and Vietnamese text normalization. Nothing may panic; a
//! bad file gives a Vietnamese error. Case counts keep the module at a few
//! seconds in a debug build (SQLite only: nothing here depends on the backend).

use crate::support::{self, Backend};
use chibo::app::AppState;
use chibo::docs::table;
use chibo::domain::member::MemberDraft;
use chibo::domain::text::{clean, compare, fold, given_name, name_sort_key, title_case};
use chibo::domain::time::{format_date, parse_date};
use chibo::service::{AppError, Caller, import};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        ..ProptestConfig::default()
    }
}

// ---- the table reader --------------------------------------------------------

/// Every error of `table::read` is one of its Vietnamese sentences.
fn is_vietnamese_error(e: &str) -> bool {
    ["tệp", "không đọc được", "dòng ", "chỉ nhận"]
        .iter()
        .any(|p| e.starts_with(p))
}

/// Rows or a Vietnamese error; rows are never blank and never go back up the sheet.
fn check_read(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    match table::read(name, bytes) {
        Ok(t) => {
            prop_assert!(!t.sheets.is_empty(), "no sheet and no error");
            for sheet in &t.sheets {
                prop_assert!(!sheet.rows.is_empty(), "empty sheet {:?} kept", sheet.name);
                let mut last = 1;
                for (row, cells) in &sheet.rows {
                    prop_assert!(*row >= last, "row {} after row {}", row, last);
                    prop_assert!(
                        cells.iter().any(|c| !c.trim().is_empty()),
                        "blank row {} kept",
                        row
                    );
                    last = *row;
                }
            }
        }
        Err(e) => prop_assert!(is_vietnamese_error(&e), "not a Vietnamese error: {:?}", e),
    }
    Ok(())
}

fn filename() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "danh-sach.csv",
        "danh-sach.xlsx",
        "DS.XLSX",
        "ds.txt",
        "ds",
        "ds.pdf",
        "Danh sách.CSV",
    ])
}

const VIETNAMESE: &[&str] = &[
    "Họ và tên",
    "HỌ VÀ TÊN",
    "Giới tính",
    "Ngày sinh",
    "Chi bộ",
    "Số thẻ đảng viên",
    "Điện thoại",
    "STT",
    "Nguyễn Văn An",
    "Đặng Thị Hà",
    "Lò Văn Phà",
    "Nữ",
    "Nam",
    "Chi bộ 4 (bản Đông Pao)",
];

fn csv_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            ";", ",", "\"", "\"\"", "\n", "\r\n", "\r", "\u{feff}", " ", "\t", "\u{a0}", "\0", "=",
            "03/02/1980", "31/02/1990", "1990-02-03", "0912345678", "",
        ])
        .prop_map(String::from),
        3 => prop::sample::select(VIETNAMESE).prop_map(String::from),
        2 => prop::sample::select(VIETNAMESE).prop_map(|s| s.nfd().collect::<String>()),
        1 => "\\PC{0,8}",
        1 => any::<char>().prop_map(String::from),
        1 => any::<u32>().prop_map(|n| n.to_string()),
    ]
}

/// CSV-like text: separators, quotes, line ends, BOMs, Vietnamese in NFC and NFD.
fn csv_text() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(csv_token(), 0..120)).prop_map(|(bom, tokens)| {
        let mut s = if bom {
            "\u{feff}".to_string()
        } else {
            String::new()
        };
        s.extend(tokens);
        s
    })
}

proptest! {
    #![proptest_config(cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(
        name in filename(),
        zip_magic in any::<bool>(),
        bytes in prop::collection::vec(any::<u8>(), 0..1024),
    ) {
        let mut input = if zip_magic { b"PK\x03\x04".to_vec() } else { Vec::new() };
        input.extend(bytes);
        check_read(name, &input)?;
    }

    #[test]
    fn csv_like_text_never_panics(name in filename(), text in csv_text()) {
        check_read(name, text.as_bytes())?;
        check_read("ds.csv", text.as_bytes())?;
    }
}

// ---- XLSX: a valid workbook, then broken ---------------------------------------

/// A workbook as committees send them: a title row, Vietnamese headers,
/// strings (one NFD), numbers, dates, a boolean, a formula, blank rows, a
/// second sheet.
fn sample_xlsx() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        use rust_xlsxwriter::{Format, Workbook};
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "DANH SÁCH ĐẢNG VIÊN").unwrap();
        let headers = [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Số thẻ đảng viên",
            "Điện thoại",
            "Chính thức",
            "Ghi chú",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        let nfd: String = "Lò Văn Phà".nfd().collect();
        let people = [
            ("Nguyễn Văn An", "Nam"),
            ("Đặng Thị Hà", "Nữ"),
            (nfd.as_str(), "Nam"),
        ];
        for (i, (name, gender)) in people.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            ws.write_string(r, 2, *gender).unwrap();
            ws.write_number_with_format(r, 3, 29_254.0 + 400.0 * i as f64, &date)
                .unwrap();
            ws.write_string(r, 4, format!("1000000{i}")).unwrap();
            ws.write_number(r, 5, 912_345_678.0 + i as f64).unwrap();
            ws.write_boolean(r, 6, i % 2 == 0).unwrap();
        }
        ws.write_formula(6, 7, "=A4+A5").unwrap();
        ws.write_string(8, 1, "   ").unwrap();
        ws.write_string(9, 1, "Trần Anh").unwrap();
        ws.write_string(9, 2, "nam").unwrap();
        let other = wb.add_worksheet();
        other.write_string(0, 0, "Trang phụ").unwrap();
        wb.save_to_buffer().unwrap()
    })
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// XML pieces that push a sheet reader towards its edges.
const SNIPPETS: &[&str] = &[
    "<c r=\"A1\" t=\"s\"><v>4294967295</v></c>",
    "<c r=\"B2\"><v>NaN</v></c>",
    "<c r=\"B2\"><v>inf</v></c>",
    "<c r=\"C3\" s=\"1\"><v>1e308</v></c>",
    "<c r=\"C3\" s=\"1\"><v>-1e15</v></c>",
    "<c r=\"D4\" t=\"d\"><v>2020-13-45T99:99:99</v></c>",
    "<c r=\"D4\" t=\"e\"><v>#DIV/0!</v></c>",
    "<c r=\"E5\" t=\"inlineStr\"><is><t>Đảng</t></is></c>",
    "<c r=\"E5\" t=\"b\"><v>7</v></c>",
    "<c r=\"XFD1048576\" t=\"inlineStr\"><is><t>xa</t></is></c>",
    "<c r=\"A1048576\"><v>1</v></c>",
    "<c r=\"ZZZZZZ1\"><v>1</v></c>",
    "<row r=\"0\">",
    "<row r=\"4294967296\">",
    "</row>",
    "<dimension ref=\"A1:XFD1048576\"/>",
    "<mergeCell ref=\"A1:Z99\"/>",
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>",
    "<xf numFmtId=\"14\"/>",
    "s=\"99999\"",
    "&#0;",
    "&#xFFFF;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<si><t>x</t></si>",
    "<sheet name=\"x\" sheetId=\"9\" r:id=\"rId99\"/>",
    "\"",
    "<",
    ">",
    "\u{0}",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip(Index, u8),
    Delete(Index, usize),
    Insert(Index, &'static str),
    /// Before a `<`: keeps the XML well formed more often, so the piece is parsed.
    InsertAtTag(Index, &'static str),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Edit::Flip(i, x)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        2 => (any::<Index>(), prop::sample::select(SNIPPETS)).prop_map(|(i, s)| Edit::Insert(i, s)),
        3 => (any::<Index>(), prop::sample::select(SNIPPETS)).prop_map(|(i, s)| Edit::InsertAtTag(i, s)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for e in edits {
        if bytes.is_empty() {
            return;
        }
        match e {
            Edit::Flip(i, x) => {
                let k = i.index(bytes.len());
                bytes[k] ^= x;
            }
            Edit::Delete(i, n) => {
                let k = i.index(bytes.len());
                let end = (k + n).min(bytes.len());
                bytes.drain(k..end);
            }
            Edit::Insert(i, s) => {
                let k = i.index(bytes.len() + 1);
                bytes.splice(k..k, s.bytes());
            }
            Edit::InsertAtTag(i, s) => {
                let tags: Vec<usize> = (0..bytes.len()).filter(|k| bytes[*k] == b'<').collect();
                let k = if tags.is_empty() {
                    bytes.len()
                } else {
                    tags[i.index(tags.len())]
                };
                bytes.splice(k..k, s.bytes());
            }
            Edit::Truncate(i) => bytes.truncate(i.index(bytes.len())),
        }
    }
}

proptest! {
    #![proptest_config(cases(2000))]

    /// Bytes of the file itself: mostly caught by the zip layer (CRC, headers).
    #[test]
    fn mutated_xlsx_bytes_never_panic(edits in prop::collection::vec(edit(), 1..8)) {
        let mut bytes = sample_xlsx().to_vec();
        apply(&mut bytes, &edits);
        check_read("ds.xlsx", &bytes)?;
    }

    /// The XML inside (the first sheet half of the time), re-zipped with valid
    /// checksums: reaches the sheet parser.
    #[test]
    fn mutated_xlsx_xml_never_panics(
        entry in prop_oneof![Just(None), any::<Index>().prop_map(Some)],
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let mut entries = unzip(sample_xlsx());
        let xml: Vec<usize> = (0..entries.len()).filter(|i| entries[*i].0.ends_with(".xml") || entries[*i].0.ends_with(".rels")).collect();
        let k = match entry {
            Some(i) => xml[i.index(xml.len())],
            None => entries.iter().position(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap(),
        };
        apply(&mut entries[k].1, &edits);
        check_read("ds.xlsx", &rezip(&entries))?;
    }
}

proptest! {
    #![proptest_config(cases(128))]

    /// Any number in a date-formatted cell: Excel serials far outside the calendar included.
    #[test]
    fn any_number_in_a_date_cell_never_panics(
        values in prop::collection::vec(prop_oneof![
            any::<f64>(),
            -1e7..1e8f64,
            (-3_000_000i64..3_000_000).prop_map(|d| d as f64),
            prop::sample::select(vec![0.0, -1.0, 60.0, 2_958_465.0, 2_958_466.0, 7_304_485.0, 1e15, -1e15]),
        ], 1..16),
    ) {
        use rust_xlsxwriter::{Format, Workbook};
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Ngày sinh").unwrap();
        for (i, v) in values.iter().enumerate() {
            // NaN and infinities are refused by the writer; skip those cells.
            let _ = ws.write_number_with_format(1 + i as u32, 0, *v, &date);
        }
        let bytes = wb.save_to_buffer().unwrap();
        check_read("ds.xlsx", &bytes)?;
    }
}

/// Two cells at opposite corners of a sheet (A1 and XFD1048576): a reader
/// that makes the sheet dense asks for 17 billion cells and aborts the process.
#[test]
fn far_apart_cells_do_not_exhaust_memory() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").unwrap();
    ws.write_string(1, 0, "Nguyễn Văn An").unwrap();
    ws.write_string(1_048_575, 16_383, "xa").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    match table::read("ds.xlsx", &bytes) {
        Ok(t) => {
            let rows = &t.sheets[0].rows;
            assert_eq!(rows[0], (1, vec!["Họ và tên".to_string()]));
            assert_eq!(rows[1], (2, vec!["Nguyễn Văn An".to_string()]));
            assert_eq!(rows.len(), 3);
        }
        Err(e) => assert!(is_vietnamese_error(&e), "{e}"),
    }
}

/// A row number past u32 overflows in calamine's cell-reference parser, which
/// panics where overflow is checked (debug builds): a Vietnamese error here.
#[test]
fn row_number_past_u32_is_an_error() {
    let mut entries = unzip(sample_xlsx());
    let (_, sheet) = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    let at = sheet.windows(4).position(|w| w == b"<row").unwrap();
    sheet.splice(at..at, b"<row r=\"4294967296\">".iter().copied());
    let r = table::read("ds.xlsx", &rezip(&entries));
    assert!(r.as_ref().is_err_and(|e| is_vietnamese_error(e)), "{r:?}");
}

// ---- hostile archives: counts, sizes and shapes chosen to exhaust memory ------

/// One part of a generated archive: honest, or built to make a reader
/// reserve, inflate or recurse more than the upload could justify.
fn hostile_part() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // A shared-string table with any declared count.
        (any::<u64>(), 0usize..4).prop_map(|(n, k)| format!(
            r#"<sst uniqueCount="{n}" count="{n}">{}</sst>"#,
            "<si><t>Họ và tên</t></si>".repeat(k)
        )
        .into_bytes()),
        // A sheet with any dimension and a few cells.
        (1u64..=1_048_576, 1u64..=16_384).prop_map(|(r, c)| {
            let mut col = String::new();
            let mut n = c;
            while n > 0 {
                col.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
                n = (n - 1) / 26;
            }
            format!(r#"<worksheet><dimension ref="A1:{col}{r}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row></sheetData></worksheet>"#).into_bytes()
        }),
        // A workbook listing many sheets.
        (0usize..3000).prop_map(|n| format!(
            "<workbook><sheets>{}</sheets></workbook>",
            (0..n).map(|i| format!(r#"<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>"#)).collect::<String>()
        )
        .into_bytes()),
        // Nesting of any depth.
        (0usize..5000).prop_map(|d| "<a>".repeat(d).into_bytes()),
        // Highly compressible filler, up to 24 MB (past the 16 MB floor).
        (any::<u8>(), 0usize..(24 << 20)).prop_map(|(b, n)| vec![b; n]),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

fn part_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "xl/sharedStrings.xml",
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "XL/SharedStrings.xml",
        ]).prop_map(String::from),
        1 => "[a-z]{1,8}/[a-z]{1,8}\\.xml",
    ]
}

proptest! {
    #![proptest_config(cases(48))]

    /// A minimal workbook with hostile parts added or swapped in, its sizes
    /// sometimes rewritten: a Vietnamese error or a table within the limits,
    /// never an abort (which would end this test binary).
    #[test]
    fn hostile_archives_are_refused_or_bounded(
        parts in prop::collection::vec((part_name(), hostile_part()), 1..6),
        extra_entries in 0usize..1200,
        lie in prop::option::of((any::<Index>(), any::<u32>())),
    ) {
        let mut entries = crate::hostile_files::xlsx(
            r#"<workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
            r#"<sst uniqueCount="1"><si><t>Họ và tên</t></si></sst>"#.into(),
            r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#.into(),
        );
        for (name, data) in parts {
            match entries.iter_mut().find(|(n, _)| *n == name) {
                Some(e) => e.1 = data,
                None => entries.push((name, data)),
            }
        }
        entries.extend((0..extra_entries).map(|i| (format!("x/{i}"), Vec::new())));
        let mut bytes = crate::hostile_files::zip_of(&entries);
        if let Some((i, size)) = lie {
            let (name, _) = &entries[i.index(entries.len())];
            crate::hostile_files::lie_about_size(&mut bytes, name, size);
        }
        check_read("ds.xlsx", &bytes)?;
        if let Ok(t) = table::read("ds.xlsx", &bytes) {
            let limits = chibo::docs::table_limits::Limits::for_upload(bytes.len());
            let rows = || t.sheets.iter().flat_map(|s| &s.rows);
            let text: usize = rows().flat_map(|(_, c)| c).map(String::len).sum();
            prop_assert!(text as u64 <= limits.text);
            prop_assert!(rows().map(|(_, c)| c.len()).sum::<usize>() <= limits.cells);
        }
    }
}

// ---- the import: headers, rows, dates, cells, through the real service -------

fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Nguyễn Văn An",
            "đặng thị HÀ",
            "An",
            "",
            "  ",
            "Lò Văn 3",
            "Nam",
            "Nữ",
            "nu",
            "x",
            "official",
            "chính thức",
            "died",
            "zzz",
            "Chi bộ 1",
            "chi bo 2",
            "Chi bộ Xa",
            "10000001",
            " 12 345 ",
            "abc-1.2",
            "0912 345 678",
            "912345678",
            "+84912345678",
            "an@example.vn",
            "an@",
            "Kinh",
            "Không",
            "Phật giáo",
        ])
        .prop_map(String::from),
        date_text(),
        "[0-9]{8}",
        "\\PC{0,12}",
        prop::sample::select(VIETNAMESE).prop_map(|s| s.nfd().collect::<String>()),
    ]
}

fn quote(cell: &str, sep: char) -> String {
    if cell.contains([sep, '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// A member list as CSV: either messy (known, unknown and duplicated headers,
/// random cells) or nearly right, so that some imports go through and later
/// ones meet their card numbers again.
fn import_csv() -> impl Strategy<Value = String> {
    prop_oneof![messy_csv(), plausible_csv()]
}

fn csv_lines(sep: char, lines: Vec<Vec<String>>) -> String {
    lines
        .iter()
        .map(|cells| {
            cells
                .iter()
                .map(|c| quote(c, sep))
                .collect::<Vec<_>>()
                .join(&sep.to_string())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn plausible_csv() -> impl Strategy<Value = String> {
    let row = (
        prop::sample::select(vec![
            "Nguyễn Văn An",
            "đặng thị HÀ",
            "Lo\u{300} Va\u{306}n Pha\u{300}",
            "Trần Anh",
        ]),
        prop::sample::select(vec!["Nam", "Nữ", "nữ", "NAM"]),
        (1i8..=28, 1i8..=12, 1950i16..=1990),
        prop_oneof![
            Just(String::new()),
            "[0-9]{8}",
            Just("10000001".to_string())
        ],
        prop::sample::select(vec!["Chi bộ 1", "chi bo 2", "CHI BỘ 1"]),
        prop_oneof![4 => Just(None), 1 => field_value().prop_map(Some)],
    )
        .prop_map(|(name, gender, (d, m, y), card, cell, noise)| {
            vec![
                name.to_string(),
                gender.to_string(),
                format!("{d}/{m}/{y}"),
                card,
                cell.to_string(),
                noise.unwrap_or_default(),
            ]
        });
    (
        prop::sample::select(vec![';', ',']),
        prop::collection::vec(row, 1..5),
    )
        .prop_map(|(sep, rows)| {
            let header = [
                "Họ và tên",
                "Giới tính",
                "Ngày sinh",
                "Số thẻ đảng viên",
                "Chi bộ",
                "Ghi chú",
            ];
            let mut lines = vec![header.iter().map(|h| h.to_string()).collect()];
            lines.extend(rows);
            csv_lines(sep, lines)
        })
}

fn messy_csv() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "Họ và tên",
        "HO TEN",
        "Giới tính",
        "Ngày sinh",
        "Ngày vào Đảng",
        "Ngày chính thức",
        "Số thẻ đảng viên",
        "Điện thoại",
        "Email",
        "Trạng thái",
        "Chi bộ",
        "Dân tộc",
        "Tôn giáo",
        "STT",
        "Ghi chú",
        "Màu mắt",
        "",
    ]);
    (
        prop::sample::select(vec![';', ',']),
        prop::collection::vec(header, 0..9),
        prop::collection::vec(prop::collection::vec(field_value(), 0..10), 0..6),
    )
        .prop_map(|(sep, headers, rows)| {
            let mut lines = vec![headers.into_iter().map(String::from).collect()];
            lines.extend(rows);
            csv_lines(sep, lines)
        })
}

/// Import never fails but with the list of bad rows in Vietnamese (never a
/// database or internal error), and creates exactly the rows it read.
#[test]
fn import_answers_rows_or_vietnamese_row_errors() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (app, fx, _dir) = rt.block_on(async {
        let (db, dir) = support::fresh_db(Backend::Sqlite).await;
        let app = AppState::new(db).with_clock(support::frozen_clock());
        let fx = support::fixture(&app).await;
        (app, fx, dir)
    });
    let caller = Caller::system("fuzz");
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let imported = std::cell::Cell::new(0usize);
    let outcome = runner.run(&(any::<bool>(), import_csv()), |(into_commune, text)| {
        let org = if into_commune { fx.commune } else { fx.cell1 };
        let result = rt.block_on(import::import(
            &app,
            &caller,
            org,
            "ds.csv",
            text.as_bytes(),
            &import::NoProgress,
        ));
        match result {
            Ok(summary) => {
                // Every row under the header names a member.
                let rows = table::read("ds.csv", text.as_bytes()).map(|t| t.row_count() - 1);
                prop_assert_eq!(Ok(summary.created), rows);
                imported.set(imported.get() + 1);
            }
            // A file that cannot be read at all is one error on the file.
            Err(AppError::Invalid(errors)) => {
                prop_assert!(errors.iter().all(|e| e.field == "file"), "{:?}", errors);
                prop_assert!(
                    errors.iter().all(|e| !e.problem.is_ascii()),
                    "not Vietnamese: {:?}",
                    errors
                );
            }
            Err(AppError::ImportRejected(errors)) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    prop_assert!(e.row >= 1, "row {}", e.row);
                    prop_assert!(!e.message.is_ascii(), "not Vietnamese: {:?}", e.message);
                }
            }
            Err(other) => prop_assert!(false, "unexpected error {:?} for {:?}", other, text),
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    // The generator must keep reaching the write path, not only the rejections.
    assert!(imported.get() > 0, "no generated file was imported");
}

// ---- dates as typed ------------------------------------------------------------

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..=40).prop_map(|n| n.to_string()),
        (0i64..=40).prop_map(|n| format!("{n:02}")),
        (-5i64..=10_000).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "",
            " ",
            "+1",
            "-0",
            "٣",
            "１２",
            "1e3",
            "0x1F",
            "99999999999999999999"
        ])
        .prop_map(String::from),
    ]
}

/// dd/mm/yyyy and its cousins, with random numbers and separators.
fn date_text() -> impl Strategy<Value = String> {
    let sep = || prop::sample::select(vec!["/", "-", ".", " / ", "", "//", "／", "\u{a0}"]);
    (
        number_text(),
        sep(),
        number_text(),
        sep(),
        number_text(),
        "[ \t]{0,2}",
    )
        .prop_map(|(d, s1, m, s2, y, pad)| format!("{pad}{d}{s1}{m}{s2}{y}{pad}"))
}

fn any_day() -> impl Strategy<Value = Date> {
    (1900i16..=2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
}

proptest! {
    #![proptest_config(cases(5000))]

    #[test]
    fn dates_never_panic_and_round_trip(s in prop_oneof![date_text(), "\\PC{0,12}", "[0-9/.-]{0,12}"]) {
        if let Some(d) = parse_date(&s) {
            // Negative years ("01/01/-999") parse, then fail the 1900 check of the forms.
            if d.year() > 0 {
                prop_assert_eq!(parse_date(&format_date(d)), Some(d), "{:?}", s);
            }
        }
    }

    #[test]
    fn day_month_year_is_read_exactly(d in 0i8..=40, m in 0i8..=14, y in 1000i16..=9999) {
        let expected = Date::new(y, m, d).ok();
        prop_assert_eq!(parse_date(&format!("{d}/{m}/{y}")), expected);
        prop_assert_eq!(parse_date(&format!("{d:02}.{m:02}.{y}")), expected);
    }
}

proptest! {
    #![proptest_config(cases(2000))]

    /// A whole member row with random dates and text: parsed or a list of field errors.
    #[test]
    fn member_rows_never_panic(
        today in any_day(),
        birth in date_text(),
        admitted in date_text(),
        official in date_text(),
        fields in prop::collection::vec(field_value(), 9),
    ) {
        let draft = MemberDraft {
            full_name: fields[0].clone(),
            gender: fields[1].clone(),
            birth_date: birth,
            admitted_on: admitted,
            official_on: official,
            card_number: fields[2].clone(),
            phone: fields[3].clone(),
            email: fields[4].clone(),
            status: fields[5].clone(),
            ethnicity: fields[6].clone(),
            religion: fields[7].clone(),
            occupation: fields[8].clone(),
            ..MemberDraft::default()
        };
        match draft.parse(today) {
            Ok(m) => {
                prop_assert!(m.full_name.contains(' '));
                for d in [m.birth_date, m.admitted_on, m.official_on].into_iter().flatten() {
                    prop_assert!(d <= today && d.year() >= 1900);
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }
}

// ---- Vietnamese text -------------------------------------------------------------

/// Any Unicode scalar values, controls and unassigned ones included.
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..48).prop_map(|v| v.into_iter().collect())
}

/// Vietnamese letters, precomposed or as base + combining marks, in both
/// cases, with odd whitespace.
fn vietnamese_text() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = vec![
        "a", "ă", "â", "b", "c", "d", "đ", "Đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o",
        "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y", "A", "Ă", "Â", "E", "Ê", "O",
        "Ô", "Ơ", "U", "Ư", "Y", "ệ", "Ệ", "ữ", "Ữ", "ỹ", "Ỹ", "ỵ", "ạ", "ả", "ã", "á", "à", "ố",
        "Ờ", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}", "\u{302}", "\u{306}",
        "\u{31b}", " ", " ", " ", "\t", "\n", "\u{a0}", "\u{3000}", "0", "7", "-", "'",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

fn any_or_vietnamese() -> impl Strategy<Value = String> {
    prop_oneof![any_text(), vietnamese_text(), "\\PC{0,40}"]
}

proptest! {
    #![proptest_config(cases(3000))]

    #[test]
    fn text_functions_never_panic(a in any_or_vietnamese(), b in any_or_vietnamese()) {
        let _ = title_case(&a);
        let _ = given_name(&a);
        let _ = name_sort_key(&a);
        let _ = name_sort_key(&title_case(&a));
        let _ = compare(&a, &b);
    }

    #[test]
    fn fold_is_idempotent(s in any_or_vietnamese()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn clean_is_idempotent_nfc_and_trimmed(s in any_or_vietnamese()) {
        let once = clean(&s);
        prop_assert_eq!(clean(&once), once.clone());
        prop_assert!(unicode_normalization::is_nfc(&once));
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "));
    }

    #[test]
    fn fold_ignores_normal_form_and_cleaning(s in any_or_vietnamese()) {
        let nfd: String = s.nfd().collect();
        let nfc: String = s.nfc().collect();
        prop_assert_eq!(fold(&nfd), fold(&nfc));
        // Stored names are cleaned; a raw query must fold to the same key.
        prop_assert_eq!(fold(&clean(&s)), fold(&s));
    }

    #[test]
    fn vietnamese_folds_to_ascii_and_title_case_is_stable(s in vietnamese_text()) {
        let key = fold(&s);
        prop_assert!(key.is_ascii(), "{:?} folds to {:?}", s, key);
        let t = title_case(&s);
        prop_assert_eq!(title_case(&t), t.clone());
        prop_assert_eq!(fold(&t), fold(&s));
        prop_assert!(unicode_normalization::is_nfc(&t));
    }
}
