//! Reads an uploaded XLSX or CSV into a table of strings: the first row is
//! the header, every other row keeps its spreadsheet row number so errors
//! can point at it.

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// (row number as shown by a spreadsheet, cells)
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Largest upload accepted (bytes).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

pub fn read(filename: &str, bytes: &[u8]) -> Result<Table, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("tệp lớn quá {} MB", MAX_BYTES / 1024 / 1024));
    }
    let lower = filename.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".xlsx") || (is_zip && !lower.ends_with(".csv")) {
        read_xlsx(bytes)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || !is_zip {
        read_csv(bytes)
    } else {
        Err("chỉ nhận tệp .xlsx hoặc .csv".into())
    }
}

/// Excel stores dates as days since 1899-12-30.
fn excel_date(serial: f64) -> Option<String> {
    let days = serial.floor() as i64;
    let base = jiff::civil::date(1899, 12, 30);
    let d = base.checked_add(jiff::Span::new().days(days)).ok()?;
    Some(crate::domain::time::format_date(d))
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

fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("không đọc được tệp Excel: {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("tệp Excel không có trang tính nào")?
        .map_err(|e| format!("không đọc được trang tính đầu tiên: {e}"))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        (
            first_row as usize + i + 1,
            r.iter().map(cell_text).collect::<Vec<String>>(),
        )
    });
    let headers: Vec<String> = loop {
        match rows.next() {
            // Skip blank lines above the header.
            Some((_, cells)) if is_blank(&cells) => continue,
            Some((_, cells)) => break cells,
            None => return Err("tệp không có dòng tiêu đề".into()),
        }
    };
    Ok(Table {
        headers,
        rows: rows.filter(|(_, c)| !is_blank(c)).collect(),
    })
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn read_csv(bytes: &[u8]) -> Result<Table, String> {
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
    let mut headers = None;
    let mut rows = Vec::new();
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
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        if is_blank(&cells) {
            continue;
        }
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    Ok(Table {
        headers: headers.ok_or("tệp không có dòng tiêu đề")?,
        rows,
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
        assert_eq!(t.headers, ["Họ và tên", "Ngày sinh"]);
        assert_eq!(
            t.rows,
            vec![
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
                .contains("Excel")
        );
        assert!(read("a.csv", b"").is_err());
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(29_254.0).as_deref(), Some("03/02/1980"));
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
        assert_eq!(t.headers, ["Họ và tên", "Điện thoại"]);
        assert_eq!(
            t.rows,
            vec![(2, vec!["Nguyễn Văn An".into(), "912345678".into()])]
        );
    }
}
