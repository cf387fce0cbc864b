//! A dashboard as XLSX: one sheet a section, with the numbers of its table
//! (docs/rules.md §Dashboards).

use crate::domain::dashboard::Unit;
use crate::service::dashboard::Dashboard;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Row of the table header on every sheet; the categories start below it.
pub const HEADER_ROW: u32 = 3;

pub fn write(d: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0");
    let number = Format::new().set_num_format("#,##0.##");
    let mut used: Vec<String> = Vec::new();
    for s in &d.sections {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&s.sheet, &mut used))?;
        ws.write_string_with_format(0, 0, s.title.as_str(), &bold)?;
        ws.write_string(1, 0, format!("{} · {}", d.name, d.period_label))?;
        if let Some(e) = &s.empty {
            ws.write_string(HEADER_ROW, 0, e.as_str())?;
            continue;
        }
        ws.write_string_with_format(HEADER_ROW, 0, s.category_header.as_str(), &bold)?;
        for (c, series) in s.series.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16 + 1, series.name.as_str(), &bold)?;
        }
        for (r, cat) in s.categories.iter().enumerate() {
            let row = HEADER_ROW + 1 + r as u32;
            ws.write_string(row, 0, cat.as_str())?;
            for c in 0..s.series.len() {
                if let Some(v) = s.value(c, r) {
                    match s.unit {
                        Unit::Percent => {
                            ws.write_number_with_format(row, c as u16 + 1, v, &percent)?
                        }
                        Unit::Count => ws.write_number(row, c as u16 + 1, v)?,
                        Unit::Number => {
                            ws.write_number_with_format(row, c as u16 + 1, v, &number)?
                        }
                    };
                }
            }
            if let Some(text) = s.remarks.as_ref().and_then(|x| x.values.get(r)) {
                ws.write_string(row, s.series.len() as u16 + 1, text.as_str())?;
            }
        }
        if let Some(x) = &s.remarks {
            let col = s.series.len() as u16 + 1;
            ws.write_string_with_format(HEADER_ROW, col, x.name.as_str(), &bold)?;
            ws.set_column_width(col, 30)?;
        }
        let note_row = HEADER_ROW + 2 + s.categories.len() as u32;
        ws.write_string(note_row, 0, s.note.as_str())?;
        ws.set_column_width(0, 28)?;
        for c in 0..s.series.len() {
            ws.set_column_width(c as u16 + 1, 16)?;
        }
        ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    }
    if d.sections.is_empty() {
        wb.add_worksheet().set_name("Bảng điều khiển")?;
    }
    wb.save_to_buffer()
}

/// A valid, unique sheet name: no `[]:*?/\`, at most 31 characters.
fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    let base = if clean.trim().is_empty() {
        "Trang".to_string()
    } else {
        clean
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    used.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cleaned_cut_and_unique() {
        let mut used = Vec::new();
        assert_eq!(
            sheet_name("Kiến nghị / trạng thái", &mut used),
            "Kiến nghị - trạng thái"
        );
        let long = "Một tên trang tính rất dài quá ba mươi mốt ký tự";
        let a = sheet_name(long, &mut used);
        assert_eq!(a.chars().count(), 31);
        let b = sheet_name(long, &mut used);
        assert!(b.ends_with(" (2)") && b.chars().count() == 31, "{b}");
        assert_eq!(sheet_name("  ", &mut used), "Trang");
    }
}
