//! The conclusion notice (thông báo kết luận) of a supervision round
//! (docs/rules.md "Conclusion of a supervision round"): the committee's
//! party header with its TB number, the units that did well, the units with
//! shortcomings and the deadline to fix them, "Nơi nhận" listing the named
//! units, and the signature. Layout as the letter (Hướng dẫn 36-HD/VPTW).

use super::docx::{BODY, SMALL, blank, body, center, closing, new_docx, pack, party_header, run};
use super::meeting_doc::{long_date, short_date};
use docx_rs::Paragraph;
use jiff::civil::Date;

/// What the notice says, every line already worded.
#[derive(Debug, Clone)]
pub struct ConclusionDoc {
    /// "Đảng bộ tỉnh A" (the issuer's superior), may be empty.
    pub upper_org: String,
    /// "Huyện ủy B".
    pub issuer: String,
    /// "Số 05-TB/HU", or "Số     -TB/HU" for a draft.
    pub number: String,
    pub draft: bool,
    pub place: Option<String>,
    /// The day issued (today for a draft).
    pub date: Date,
    pub round_name: String,
    pub opening: String,
    /// The sentence on the review conference, once held.
    pub review: Option<String>,
    /// "Chi bộ 1: nội dung", one unit an item.
    pub did_well: Vec<String>,
    pub shortcomings: Vec<String>,
    pub deadline: Date,
    pub closing: String,
    /// The named units, for "Nơi nhận".
    pub units: Vec<String>,
    pub signature: (&'static str, &'static str),
}

impl ConclusionDoc {
    pub fn subject(&self) -> String {
        format!("Kết luận về kết quả {}", lower_first(&self.round_name))
    }

    pub fn recipients(&self) -> Vec<String> {
        let mut out = vec!["- Thường trực cấp ủy (để báo cáo),".to_string()];
        out.extend(self.units.iter().map(|u| format!("- {u},")));
        out.push("- Các đồng chí được phân công dự sinh hoạt,".into());
        out.push("- Lưu Văn phòng.".into());
        out
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, BODY).bold())
}

pub fn docx(n: &ConclusionDoc) -> Result<Vec<u8>, String> {
    let place = format!(
        "{}, {}",
        n.place.as_deref().unwrap_or("…………"),
        long_date(n.date)
    );
    let mut d = new_docx().add_table(party_header(
        &n.upper_org.to_uppercase(),
        &n.issuer.to_uppercase(),
        &n.number,
        &place,
    ));
    if n.draft {
        d = d.add_paragraph(center(run("DỰ THẢO", SMALL).bold()));
    }
    d = d
        .add_paragraph(blank())
        .add_paragraph(center(run("THÔNG BÁO KẾT LUẬN", BODY + 4).bold()))
        .add_paragraph(center(run(&n.subject(), BODY).bold()))
        .add_paragraph(center(run("-----", BODY)))
        .add_paragraph(body(&n.opening));
    if let Some(r) = &n.review {
        d = d.add_paragraph(body(r));
    }
    d = d.add_paragraph(heading("1. Các tổ chức đảng thực hiện tốt"));
    if n.did_well.is_empty() {
        d = d.add_paragraph(body("Không có."));
    }
    for l in &n.did_well {
        d = d.add_paragraph(body(&format!("- {l}")));
    }
    d = d.add_paragraph(heading(
        "2. Các tổ chức đảng còn hạn chế, thiếu sót cần khắc phục",
    ));
    if n.shortcomings.is_empty() {
        d = d.add_paragraph(body("Không có."));
    }
    for l in &n.shortcomings {
        d = d.add_paragraph(body(&format!("- {l}")));
    }
    d = d.add_paragraph(heading("3. Đề nghị"));
    if !n.closing.is_empty() {
        d = d.add_paragraph(body(&n.closing));
    }
    if !n.shortcomings.is_empty() {
        d = d.add_paragraph(body(&format!(
            "Các chi bộ có hạn chế báo cáo kết quả khắc phục trước ngày {}.",
            short_date(n.deadline)
        )));
    }
    d = d.add_paragraph(blank());
    let sig = closing(&n.recipients(), &[n.signature.0, n.signature.1], None);
    pack(d.add_table(sig))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conclusion::{VisitFacts, draft};
    use crate::domain::document::Quality;
    use crate::domain::ids::OrgId;
    use crate::domain::supervision::Procedure;
    use jiff::civil::date;

    // Kim Sơn (seed 003): 27 district cadres attended the month's meetings.
    // Drafting the round's notice and rendering its DOCX for 27 reports; the
    // figure is printed for the note (not asserted: machines differ).
    #[test]
    fn drafting_a_round_of_27_visits() {
        let facts: Vec<VisitFacts> = (1..=27)
            .map(|i| VisitFacts {
                cell: OrgId(i),
                cell_name: format!("Chi bộ Thôn {i}"),
                held_on: date(2026, 12, 3),
                on_time: i % 4 != 0,
                started_time: Some("20:10".into()),
                procedure: if i % 5 == 0 {
                    Procedure::Partly
                } else {
                    Procedure::Followed
                },
                quality: if i % 7 == 0 {
                    Quality::Average
                } else {
                    Quality::Good
                },
                fixes: if i % 3 == 0 {
                    "Biên bản ghi chưa đầy đủ ý kiến".into()
                } else {
                    String::new()
                },
            })
            .collect();
        let started = std::time::Instant::now();
        let d = draft(
            "Đợt dự sinh hoạt tháng 12/2026",
            (date(2026, 12, 1), date(2026, 12, 31)),
            27,
            &facts,
        );
        let drafted = started.elapsed();
        let lines = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        let doc = ConclusionDoc {
            upper_org: "Đảng bộ tỉnh Ninh Bình".into(),
            issuer: "Huyện ủy Kim Sơn".into(),
            number: "Số 05-TB/HU".into(),
            draft: false,
            place: Some("Kim Sơn".into()),
            date: date(2027, 1, 5),
            round_name: "Đợt dự sinh hoạt tháng 12/2026".into(),
            opening: d.opening.clone(),
            review: None,
            did_well: lines(&d.did_well),
            shortcomings: lines(&d.shortcomings),
            deadline: date(2027, 2, 5),
            closing: d.closing.clone(),
            units: facts.iter().map(|f| f.cell_name.clone()).collect(),
            signature: ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"),
        };
        let bytes = docx(&doc).expect("docx");
        let total = started.elapsed();
        println!(
            "conclusion draft, 27 visits: drafted in {:?}, DOCX ({} bytes) in {:?}",
            drafted,
            bytes.len(),
            total - drafted
        );
        assert_eq!(
            d.did_well.lines().count() + d.shortcomings.lines().count(),
            27
        );
        assert_eq!(doc.recipients().len(), 27 + 3);
        if let Ok(dir) = std::env::var("CHIBO_DOCX_OUT") {
            std::fs::write(format!("{dir}/thong-bao-ket-luan.docx"), &bytes).expect("write");
        }
    }
}
