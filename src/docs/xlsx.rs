//! Member lists as XLSX, with the same Vietnamese headers the importer reads,
//! so an export can be edited and imported back.

use crate::domain::member::FIELDS;
use crate::store::member::MemberRow;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub const CELL_HEADER: &str = "Chi bộ";

/// `cell_name` gives the name of a member's cell.
pub fn members(
    rows: &[MemberRow],
    cell_name: impl Fn(&MemberRow) -> String,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách đảng viên")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "STT", &bold)?;
    for (i, (_, label)) in FIELDS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16 + 1, *label, &bold)?;
    }
    let cell_col = FIELDS.len() as u16 + 1;
    ws.write_string_with_format(0, cell_col, CELL_HEADER, &bold)?;
    for (r, m) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        let f = m.fields();
        let d = f.to_draft();
        ws.write_number(row, 0, row as f64)?;
        let values = [
            &d.full_name,
            &d.birth_date,
            &f.gender.label().to_string(),
            &d.ethnicity,
            &d.religion,
            &d.hometown,
            &d.residence,
            &d.admitted_on,
            &d.official_on,
            &d.card_number,
            &d.citizen_id,
            &d.education,
            &d.theory_level,
            &d.occupation,
            &d.phone,
            &d.email,
            &f.status.label().to_string(),
        ];
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, c as u16 + 1, v.as_str())?;
            }
        }
        ws.write_string(row, cell_col, cell_name(m))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, cell_col)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(cell_col, 28)?;
    wb.save_to_buffer()
}

/// Registered meeting calendars of many cells (for upper levels, domain.md §6).
pub fn calendar(
    rows: &[(String, &crate::store::meeting::MeetingRow)],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Lịch sinh hoạt")?;
    let bold = Format::new().set_bold();
    for (c, h) in [
        "STT",
        "Chi bộ",
        "Ngày",
        "Giờ",
        "Địa điểm",
        "Loại sinh hoạt",
        "Chuyên đề",
        "Trạng thái",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, (cell, m)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let kind = crate::domain::meeting::MeetingKind::from_code(&m.kind)
            .map(|k| k.label())
            .unwrap_or("");
        let status = crate::domain::meeting::status_label(&m.status);
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string(r, 1, cell.as_str())?;
        ws.write_string(r, 2, crate::domain::time::format_date(m.held_on.to_jiff()))?;
        ws.write_string(r, 3, m.start_time.as_str())?;
        ws.write_string(r, 4, m.place.as_str())?;
        ws.write_string(r, 5, kind)?;
        ws.write_string(r, 6, m.topic.as_str())?;
        ws.write_string(r, 7, status)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, 7)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(4, 24)?;
    wb.save_to_buffer()
}
