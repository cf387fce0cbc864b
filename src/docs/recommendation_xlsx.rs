//! A committee's recommendations (kiến nghị) as XLSX, with their route,
//! answer and report-back (docs/rules.md "Recommendations (kiến nghị)").

use crate::domain::recommendation::{Source, Status, Topic, is_overdue};
use crate::domain::time::format_date;
use crate::store::recommendation::RecRow;
use jiff::civil::Date;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const HEADERS: [&str; 14] = [
    "STT",
    "Chi bộ",
    "Ngày nêu",
    "Nguồn",
    "Người nêu",
    "Lĩnh vực",
    "Nội dung",
    "Cấp nhận",
    "Đơn vị, người giải quyết",
    "Hạn trả lời",
    "Trạng thái",
    "Ngày trả lời",
    "Nội dung trả lời",
    "Thông báo lại tại kỳ họp",
];

pub fn write(rows: &[RecRow], today: Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Kiến nghị")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let date = |d: Option<crate::store::types::Day>| {
        d.map(|d| format_date(d.to_jiff())).unwrap_or_default()
    };
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let status = Status::from_code(&r.status);
        let mut status_text = status.map(Status::label).unwrap_or(&r.status).to_string();
        if status.is_some_and(|s| is_overdue(s, r.deadline.map(|d| d.to_jiff()), today)) {
            status_text.push_str(" (quá hạn)");
        }
        if !r.closed_reason.is_empty() {
            status_text = format!("{status_text}: {}", r.closed_reason);
        }
        ws.write_number(row, 0, f64::from(row))?;
        let values = [
            r.cell_name.clone(),
            format_date(r.raised_on.to_jiff()),
            Source::from_code(&r.source)
                .map(Source::label)
                .unwrap_or("")
                .to_string(),
            r.raised_by_name.clone().unwrap_or_default(),
            Topic::from_code(&r.topic)
                .map(Topic::label)
                .unwrap_or("")
                .to_string(),
            r.content.clone(),
            r.level_name.clone().unwrap_or_default(),
            r.assignee.clone(),
            date(r.deadline),
            status_text,
            date(r.answered_on),
            r.answer.clone(),
            date(r.reported_on),
        ];
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, c as u16 + 1, v.as_str())?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, HEADERS.len() as u16 - 1)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(6, 50)?;
    ws.set_column_width(12, 50)?;
    wb.save_to_buffer()
}
