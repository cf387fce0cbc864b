//! A committee's monthly ranking of its base organizations as XLSX: rank,
//! organization, the points of each group of the rubric, total and level
//! (docs/rules.md "Kim Sơn monthly scoring").

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Row of the table header; the organizations start below it.
pub const HEADER_ROW: u32 = 4;

/// One organization's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub rank: usize,
    pub name: String,
    /// Points of each group, in the rubric's order; `None` when the score
    /// was given under another version of the rubric.
    pub parts: Vec<Option<f64>>,
    pub total: f64,
    pub level: String,
}

pub struct Sheet<'a> {
    pub committee: &'a str,
    pub month: &'a str,
    /// Where the practice comes from, cited under the title.
    pub source: &'a str,
    /// The rubric's groups: title and most points.
    pub groups: Vec<(String, f64)>,
    pub lines: Vec<Line>,
    pub unscored: Vec<String>,
}

pub fn write(s: &Sheet<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Xếp hạng")?;
    let bold = Format::new().set_bold();
    let points = Format::new().set_num_format("0.0");
    ws.write_string_with_format(
        0,
        0,
        format!("Chấm điểm hằng tháng — tháng {}", s.month),
        &bold,
    )?;
    ws.write_string(1, 0, s.committee)?;
    ws.write_string(2, 0, s.source)?;
    let mut headers: Vec<String> = vec!["Hạng".into(), "Tổ chức cơ sở đảng".into()];
    headers.extend(
        s.groups
            .iter()
            .map(|(t, max)| format!("{t} (tối đa {max})")),
    );
    headers.push("Tổng điểm".into());
    headers.push("Xếp loại".into());
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h.as_str(), &bold)?;
    }
    let total_col = 2 + s.groups.len() as u16;
    for (i, l) in s.lines.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        ws.write_number(row, 0, l.rank as f64)?;
        ws.write_string(row, 1, l.name.as_str())?;
        for (g, p) in l.parts.iter().enumerate() {
            if let Some(p) = p {
                ws.write_number_with_format(row, 2 + g as u16, *p, &points)?;
            }
        }
        ws.write_number_with_format(row, total_col, l.total, &points)?;
        ws.write_string(row, total_col + 1, l.level.as_str())?;
    }
    let mut row = HEADER_ROW + 2 + s.lines.len() as u32;
    if s.lines.is_empty() {
        ws.write_string(HEADER_ROW + 1, 0, "Chưa chấm tổ chức nào trong tháng.")?;
    }
    if !s.unscored.is_empty() {
        ws.write_string_with_format(row, 0, format!("Chưa chấm ({})", s.unscored.len()), &bold)?;
        for name in &s.unscored {
            row += 1;
            ws.write_string(row, 1, name.as_str())?;
        }
    }
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 36)?;
    for c in 2..=total_col + 1 {
        ws.set_column_width(c, 16)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    wb.save_to_buffer()
}
