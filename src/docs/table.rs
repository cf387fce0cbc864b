//! Reads an uploaded XLSX or CSV into sheets of strings: every non-blank
//! row of every sheet, each with its spreadsheet row number so errors can
//! point at it. Which row is the header is for the reader's caller to find
//! (a commune's list has title rows above it).

use super::table_limits::{self, Limits, Tally};
use super::zip_guard::{self, Budget};
use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;

pub use super::table_limits::MAX_BYTES;

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (empty for CSV).
    pub name: String,
    /// Non-blank rows: (row number as shown by a spreadsheet, cells padded
    /// from the sheet's leftmost used column).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Every worksheet of the file in workbook order (one for CSV), none empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheets: Vec<Sheet>,
}

impl Table {
    /// Rows of all sheets together.
    pub fn row_count(&self) -> usize {
        self.sheets.iter().map(|s| s.rows.len()).sum()
    }
}

pub fn read(filename: &str, bytes: &[u8]) -> Result<Table, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("tệp lớn quá {} MB", MAX_BYTES / 1024 / 1024));
    }
    let limits = Limits::for_upload(bytes.len());
    let lower = filename.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".xlsx") || (is_zip && !lower.ends_with(".csv")) {
        read_xlsx(bytes, limits)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || !is_zip {
        read_csv(bytes, limits)
    } else {
        Err("chỉ nhận tệp .xlsx hoặc .csv".into())
    }
}

/// Excel stores dates as days since 1899-12-30.
fn excel_date(serial: f64) -> Option<String> {
    crate::domain::time::from_excel_serial(serial).map(crate::domain::time::format_date)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "Có" } else { "Không" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s
            .get(..10)
            .and_then(crate::domain::time::parse_date)
            .map(crate::domain::time::format_date)
            .unwrap_or_else(|| s.clone()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The text a cell holds before it is copied out: only strings can be long.
fn raw_text<'a>(value: &'a DataRef<'_>) -> &'a str {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
        DataRef::SharedString(s) => s,
        _ => "",
    }
}

fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Table, String> {
    // calamine believes the counts and sizes written in the file (an
    // allocation it cannot make aborts the process): they are checked first.
    let archive = zip_guard::check(bytes, &Budget::for_upload(bytes.len()), "Excel")?;
    table_limits::check_xlsx(&archive.xml, &limits)?;
    // calamine reads untrusted bytes: a panic inside it (seen: overflow on a
    // cell reference past row 4,294,967,295, in builds with overflow checks)
    // is a bad file, not a failed request.
    std::panic::catch_unwind(|| read_xlsx_cells(bytes, limits))
        .unwrap_or_else(|_| Err("không đọc được tệp Excel: tệp hỏng".into()))
}

fn read_xlsx_cells(bytes: &[u8], limits: Limits) -> Result<Table, String> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("không đọc được tệp Excel: {e}"))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err("tệp Excel không có trang tính nào".into());
    }
    // One tally for the whole file: many sheets get no more than one would.
    let mut tally = Tally::new(limits);
    let mut padded = 0usize;
    let mut sheets = Vec::new();
    for name in names {
        let rows = read_sheet(&mut book, &name, &mut tally, &mut padded)?;
        if !rows.is_empty() {
            sheets.push(Sheet { name, rows });
        }
    }
    if sheets.is_empty() {
        return Err("tệp không có dòng tiêu đề".into());
    }
    Ok(Table { sheets })
}

/// The non-blank rows of one sheet; `padded` counts the cells of every
/// sheet read so far, empty padding included.
fn read_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    tally: &mut Tally,
    padded: &mut usize,
) -> Result<Vec<(usize, Vec<String>)>, String> {
    let unreadable = |e: XlsxError| format!("không đọc được trang tính \"{name}\": {e}");
    // Cell by cell into rows, never as one dense range: a value in A1 and
    // another in XFD1048576 would ask for 17 billion cells and abort the process.
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut first_col = u32::MAX;
    match book.worksheet_cells_reader(name) {
        // A chart sheet: no rows.
        Err(XlsxError::NotAWorksheet(_)) => {}
        Err(e) => return Err(unreadable(e)),
        Ok(mut cells) => {
            while let Some(cell) = cells.next_cell().map_err(unreadable)? {
                let value = cell.get_value();
                if matches!(value, DataRef::Empty) {
                    continue;
                }
                let (row, col) = cell.get_position();
                // Counted before the copy: one long shared string in many
                // cells is one string in the file but a copy per cell here.
                tally.cell(row as usize + 1, raw_text(value))?;
                first_col = first_col.min(col);
                let text = cell_text(&Data::from(value.clone()));
                by_row.entry(row).or_default().push((col, text));
            }
        }
    }
    // Each row padded from the leftmost column of the sheet to its own last value.
    let width = |cells: &[(u32, String)]| {
        cells
            .iter()
            .map(|(c, _)| (c - first_col) as usize + 1)
            .max()
            .unwrap_or(0)
    };
    *padded = padded.saturating_add(by_row.values().map(|c| width(c)).sum::<usize>());
    tally.padded(*padded)?;
    Ok(by_row
        .into_iter()
        .map(|(row, cells)| {
            let mut out = vec![String::new(); width(&cells)];
            for (col, text) in cells {
                out[(col - first_col) as usize] = text;
            }
            (row as usize + 1, out)
        })
        .filter(|(_, c)| !is_blank(c))
        .collect())
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn read_csv(bytes: &[u8], limits: Limits) -> Result<Table, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "tệp CSV phải được lưu với mã UTF-8".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    // Excel in Vietnamese locale writes ';' separated CSV.
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Fields are slices of the upload, but each becomes a String of its own.
    let mut tally = Tally::new(limits);
    // Line numbers from byte offsets: the csv crate does not count blank lines.
    let (mut seen_byte, mut seen_line) = (0usize, 1usize);
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("dòng {}: không đọc được CSV ({e})", i + 1))?;
        let mut byte = rec
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(seen_byte)
            .min(text.len());
        // A record's position may point at blank lines skipped before it.
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        if byte > seen_byte {
            seen_line += text.as_bytes()[seen_byte..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            seen_byte = byte;
        }
        let line = seen_line;
        for field in rec.iter() {
            tally.cell(line, field)?;
        }
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        if is_blank(&cells) {
            continue;
        }
        rows.push((line, cells));
    }
    if rows.is_empty() {
        return Err("tệp không có dòng tiêu đề".into());
    }
    Ok(Table {
        sheets: vec![Sheet {
            name: String::new(),
            rows,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_bom_and_blank_lines() {
        let t = read(
            "a.csv",
            "\u{feff}Họ và tên;Ngày sinh\n\nNguyễn Văn An;03/02/1980\n;\nLê Thị Hà;1/1/1990\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            t.sheets[0].rows,
            vec![
                (1, vec!["Họ và tên".into(), "Ngày sinh".into()]),
                (3, vec!["Nguyễn Văn An".into(), "03/02/1980".into()]),
                (5, vec!["Lê Thị Hà".into(), "1/1/1990".into()])
            ]
        );
    }

    #[test]
    fn rejects_non_utf8_and_garbage() {
        assert!(
            read("a.csv", &[0xff, 0xfe, 0x41])
                .unwrap_err()
                .contains("UTF-8")
        );
        assert!(
            read("a.xlsx", b"PK\x03\x04garbage")
                .unwrap_err()
                .starts_with("tệp Excel hỏng")
        );
        assert!(read("a.csv", b"").is_err());
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(29_254.0).as_deref(), Some("03/02/1980"));
        // Beyond what a Span can hold: no date, no panic.
        assert_eq!(excel_date(1e15), None);
        assert_eq!(excel_date(-1e15), None);
    }

    #[test]
    fn xlsx_round_trip() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Họ và tên").unwrap();
        ws.write_string(0, 1, "Điện thoại").unwrap();
        ws.write_string(1, 0, "Nguyễn Văn An").unwrap();
        ws.write_number(1, 1, 912345678.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read("x.xlsx", &bytes).unwrap();
        assert_eq!(
            t.sheets[0].rows,
            vec![
                (1, vec!["Họ và tên".into(), "Điện thoại".into()]),
                (2, vec!["Nguyễn Văn An".into(), "912345678".into()])
            ]
        );
    }

    #[test]
    fn every_sheet_with_rows_is_read_with_its_name() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let a = wb.add_worksheet();
        a.set_name("Chi bộ 1").unwrap();
        a.write_string(0, 0, "DANH SÁCH").unwrap();
        a.write_string(3, 1, "Họ và tên").unwrap();
        wb.add_worksheet().set_name("Trống").unwrap();
        let c = wb.add_worksheet();
        c.set_name("Chi bộ 2").unwrap();
        c.write_string(1, 0, "Họ và tên").unwrap();
        let t = read("x.xlsx", &wb.save_to_buffer().unwrap()).unwrap();
        let names: Vec<&str> = t.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Chi bộ 1", "Chi bộ 2"],
            "the empty sheet is left out"
        );
        assert_eq!(
            t.sheets[0].rows,
            vec![
                (1, vec!["DANH SÁCH".into()]),
                (4, vec![String::new(), "Họ và tên".into()])
            ]
        );
        assert_eq!(t.sheets[1].rows, vec![(2, vec!["Họ và tên".into()])]);
    }
}
