//! A year's classification of a node as XLSX: the counts of its subtree,
//! its members' three stages and its units' grades (docs/rules.md
//! "Classification order (bottom-up)").

use crate::domain::classification::{Grade, GradeCounts};
use crate::domain::time::format_date;
use crate::store::classification::RecordRow;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One member line of the sheet.
pub struct MemberOut<'a> {
    pub cell: &'a str,
    pub name: &'a str,
    pub record: Option<&'a RecordRow>,
}

/// One organization line of the sheet.
pub struct UnitOut<'a> {
    pub name: &'a str,
    pub record: Option<&'a RecordRow>,
}

pub struct Sheet<'a> {
    pub title: &'a str,
    pub regime: &'a str,
    pub members: GradeCounts,
    pub members_pending: i64,
    pub orgs: GradeCounts,
    pub orgs_pending: i64,
    pub member_rows: Vec<MemberOut<'a>>,
    pub unit_rows: Vec<UnitOut<'a>>,
}

fn grade(code: Option<&str>) -> String {
    code.and_then(Grade::from_code)
        .map(|g| g.label().to_string())
        .unwrap_or_default()
}

fn score(s: Option<i32>) -> String {
    s.map(|s| s.to_string()).unwrap_or_default()
}

pub fn write(s: &Sheet<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();

    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    for (c, h) in ["Xếp loại", "Đảng viên", "Tổ chức"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1;
    for g in Grade::ALL {
        ws.write_string(row, 0, g.label())?;
        ws.write_number(row, 1, s.members.get(g) as f64)?;
        ws.write_number(row, 2, s.orgs.get(g) as f64)?;
        row += 1;
    }
    ws.write_string(row, 0, "Chưa có kết quả")?;
    ws.write_number(row, 1, s.members_pending as f64)?;
    ws.write_number(row, 2, s.orgs_pending as f64)?;
    row += 1;
    ws.write_string_with_format(row, 0, "Tổng số", &bold)?;
    ws.write_number(row, 1, (s.members.total() + s.members_pending) as f64)?;
    ws.write_number(row, 2, (s.orgs.total() + s.orgs_pending) as f64)?;
    ws.write_string(row + 2, 0, s.title)?;
    ws.write_string(row + 3, 0, s.regime)?;
    ws.set_column_width(0, 34)?;

    const MEMBER_HEADERS: [&str; 12] = [
        "STT",
        "Chi bộ",
        "Họ và tên",
        "Tự đánh giá",
        "Điểm tự chấm",
        "Chi bộ đề xuất",
        "Điểm đề xuất",
        "Cấp ủy quyết định",
        "Điểm",
        "Ngày quyết định",
        "Số quyết định",
        "Lý do vượt tỷ lệ",
    ];
    let ws = wb.add_worksheet();
    ws.set_name("Đảng viên")?;
    for (c, h) in MEMBER_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, m) in s.member_rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(r))?;
        let rec = m.record;
        let values = [
            m.cell.to_string(),
            m.name.to_string(),
            grade(rec.and_then(|r| r.self_grade.as_deref())),
            score(rec.and_then(|r| r.self_score)),
            grade(rec.and_then(|r| r.proposed_grade.as_deref())),
            score(rec.and_then(|r| r.proposed_score)),
            grade(rec.and_then(|r| r.final_grade.as_deref())),
            score(rec.and_then(|r| r.final_score)),
            rec.and_then(|r| r.decided_on)
                .map(|d| format_date(d.to_jiff()))
                .unwrap_or_default(),
            rec.map(|r| r.decision_ref.clone()).unwrap_or_default(),
            rec.map(|r| r.override_reason.clone()).unwrap_or_default(),
        ];
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16 + 1, v.as_str())?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(1, 26)?;
    ws.set_column_width(2, 24)?;

    const UNIT_HEADERS: [&str; 7] = [
        "STT",
        "Tổ chức",
        "Tự đánh giá",
        "Đề xuất",
        "Cấp trên quyết định",
        "Ngày quyết định",
        "Số quyết định",
    ];
    let ws = wb.add_worksheet();
    ws.set_name("Tổ chức")?;
    for (c, h) in UNIT_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, u) in s.unit_rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(r))?;
        let rec = u.record;
        let values = [
            u.name.to_string(),
            grade(rec.and_then(|r| r.self_grade.as_deref())),
            grade(rec.and_then(|r| r.proposed_grade.as_deref())),
            grade(rec.and_then(|r| r.final_grade.as_deref())),
            rec.and_then(|r| r.decided_on)
                .map(|d| format_date(d.to_jiff()))
                .unwrap_or_default(),
            rec.map(|r| r.decision_ref.clone()).unwrap_or_default(),
        ];
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16 + 1, v.as_str())?;
            }
        }
    }
    ws.set_column_width(1, 30)?;
    wb.save_to_buffer()
}
