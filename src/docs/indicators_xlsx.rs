//! A node's indicators as XLSX: each with its baseline, direction and
//! owning resolution; their targets and actuals by period; and the sums of
//! the nodes below by code and year (docs/rules.md "Targets and
//! indicators").

use crate::domain::indicator::{Period, Rollup};
use crate::domain::time::format_date;
use crate::service::indicator::OrgIndicators;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Row of each sheet's table header.
pub const HEADER_ROW: u32 = 2;

fn header(ws: &mut Worksheet, title: &str, heads: &[&str], bold: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, bold)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, bold)?;
        ws.set_column_width(c as u16, if c == 1 { 40 } else { 16 })?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    Ok(())
}

fn opt(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, v, f)?;
    }
    Ok(())
}

pub fn write(v: &OrgIndicators) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let num = Format::new().set_num_format("#,##0.##");
    let name = v.org.name.as_str();

    let ws = wb.add_worksheet();
    ws.set_name("Chỉ tiêu")?;
    header(
        ws,
        &format!("Chỉ tiêu của {name}"),
        &[
            "Mã",
            "Tên chỉ tiêu",
            "Loại",
            "Chiều đánh giá",
            "Đơn vị tính",
            "Số liệu gốc",
            "Tử số",
            "Mẫu số",
            "Ngày số liệu gốc",
            "Theo nghị quyết",
        ],
        &bold,
    )?;
    for (i, x) in v.own.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        let r = &x.row;
        ws.write_string(row, 0, r.code.as_str())?;
        ws.write_string(row, 1, r.name.as_str())?;
        ws.write_string(row, 2, x.unit.label())?;
        ws.write_string(row, 3, x.direction.label())?;
        ws.write_string(row, 4, r.measure.as_str())?;
        ws.write_number_with_format(row, 5, x.baseline.value, &num)?;
        opt(ws, row, 6, x.baseline.numerator, &num)?;
        opt(ws, row, 7, x.baseline.denominator, &num)?;
        ws.write_string(row, 8, format_date(r.baseline_on.to_jiff()))?;
        let owner = r
            .resolution_title
            .clone()
            .unwrap_or_else(|| r.resolution_ref.clone());
        ws.write_string(row, 9, owner)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("Số liệu theo kỳ")?;
    header(
        ws,
        &format!("Chỉ tiêu và kết quả theo kỳ của {name}"),
        &[
            "Mã",
            "Tên chỉ tiêu",
            "Kỳ",
            "Chỉ tiêu năm",
            "Kết quả",
            "Tử số",
            "Mẫu số",
            "Tiến độ năm (%)",
            "Đạt chỉ tiêu năm",
        ],
        &bold,
    )?;
    let mut row = HEADER_ROW + 1;
    for x in &v.own {
        // Every period with an actual, and every year with only a target.
        let mut periods: Vec<Period> = x.actuals.iter().map(|a| a.0).collect();
        for (y, _) in &x.targets {
            if !periods.iter().any(|p| p.year == *y) {
                periods.push(Period::year(*y));
            }
        }
        periods.sort_by_key(|p| p.sort_key());
        for p in periods {
            ws.write_string(row, 0, x.row.code.as_str())?;
            ws.write_string(row, 1, x.row.name.as_str())?;
            ws.write_string(row, 2, p.label())?;
            let target = x.targets.iter().find(|t| t.0 == p.year).map(|t| t.1);
            opt(ws, row, 3, target, &num)?;
            if let Some((_, f)) = x.actuals.iter().find(|a| a.0 == p) {
                ws.write_number_with_format(row, 4, f.value, &num)?;
                opt(ws, row, 5, f.numerator, &num)?;
                opt(ws, row, 6, f.denominator, &num)?;
            }
            // The year's judgement sits on the year's latest period.
            let latest = x
                .actuals
                .iter()
                .filter(|a| a.0.year == p.year)
                .map(|a| a.0)
                .max_by_key(|q| q.sort_key());
            let judged = latest == Some(p) || (latest.is_none() && p.months == 12);
            if let Some(y) = x.years.iter().find(|y| judged && y.year == p.year) {
                let progress = y.progress.map(|v| (v * 100.0).round() / 100.0);
                opt(ws, row, 7, progress, &num)?;
                if let Some(r) = y.reached {
                    ws.write_string(row, 8, if r { "Đạt" } else { "Chưa đạt" })?;
                }
            }
            row += 1;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("Cộng đơn vị trực thuộc")?;
    header(
        ws,
        &format!("Các đơn vị trực thuộc {name}, cộng theo mã chỉ tiêu"),
        &[
            "Mã",
            "Tên chỉ tiêu",
            "Năm",
            "Kết quả cộng",
            "Số đơn vị báo cáo",
            "Chỉ tiêu cộng",
            "Ghi chú",
        ],
        &bold,
    )?;
    let mut row = HEADER_ROW + 1;
    for r in &v.rollups {
        for (year, roll, reported, target) in &r.years {
            ws.write_string(row, 0, r.code.as_str())?;
            ws.write_string(row, 1, r.name.as_str())?;
            ws.write_number(row, 2, f64::from(*year))?;
            match roll {
                Some(Rollup::Sum(s)) => ws.write_number_with_format(row, 3, *s, &num)?,
                Some(Rollup::Rate { percent, .. }) => {
                    ws.write_number_with_format(row, 3, (percent * 100.0).round() / 100.0, &num)?
                }
                Some(Rollup::NotSummable) => ws.write_string(row, 6, "Không cộng được")?,
                None => ws.write_string(row, 6, "Chưa có kết quả")?,
            };
            ws.write_number(row, 4, *reported as f64)?;
            opt(ws, row, 5, *target, &num)?;
            row += 1;
        }
    }
    wb.save_to_buffer()
}
