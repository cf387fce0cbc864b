//! The introduction letter (giấy giới thiệu) a committee's office gives the
//! cadre it sends to attend a cell's meeting (docs/rules.md "Introduction
//! letter"): the issuing committee's party header with its own GGT number,
//! the bearer, the purpose, the validity, the office's signature and
//! "Nơi nhận". Layout as the meeting documents (Hướng dẫn 36-HD/VPTW).

use super::docx::{BODY, blank, body, center, closing, new_docx, pack, party_header, run};
use super::meeting_doc::{long_date, short_date};
use docx_rs::{Paragraph, Run};
use jiff::civil::Date;

/// What the letter says, every line already worded.
#[derive(Debug, Clone)]
pub struct LetterDoc {
    /// "Đảng bộ tỉnh A" (the issuer's superior), may be empty.
    pub upper_org: String,
    /// "Huyện ủy B".
    pub issuer: String,
    /// "Số 01-GGT/HU".
    pub number: String,
    /// Place of the date line, if known.
    pub place: Option<String>,
    pub date: Date,
    pub bearer: String,
    pub position: String,
    /// "Chi bộ 1, Đảng bộ xã Cẩm".
    pub cell: String,
    /// The meeting's day.
    pub meeting_on: Date,
    pub purpose: String,
    pub valid_from: Date,
    pub valid_to: Date,
    /// "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG".
    pub signature: (&'static str, &'static str),
}

impl LetterDoc {
    pub fn place_and_date(&self) -> String {
        format!(
            "{}, {}",
            self.place.as_deref().unwrap_or("…………"),
            long_date(self.date)
        )
    }

    pub fn introduces(&self) -> String {
        format!("{} trân trọng giới thiệu:", self.issuer)
    }

    pub fn sent_to(&self) -> String {
        format!(
            "Được cử đến dự sinh hoạt chi bộ thường kỳ ngày {} của {}.",
            short_date(self.meeting_on),
            self.cell
        )
    }

    pub fn validity(&self) -> String {
        format!(
            "Giấy giới thiệu có giá trị từ ngày {} đến ngày {}.",
            short_date(self.valid_from),
            short_date(self.valid_to)
        )
    }

    pub fn recipients(&self) -> Vec<String> {
        vec![
            format!("- {} (để phối hợp),", self.cell),
            "- Đồng chí có tên trên,".to_string(),
            "- Lưu Văn phòng.".to_string(),
        ]
    }
}

fn line(label: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(label, BODY))
        .add_run(Run::new().add_text(value).size(BODY).bold())
}

pub fn docx(l: &LetterDoc) -> Result<Vec<u8>, String> {
    let mut d = new_docx()
        .add_table(party_header(
            &l.upper_org.to_uppercase(),
            &l.issuer.to_uppercase(),
            &l.number,
            &l.place_and_date(),
        ))
        .add_paragraph(blank())
        .add_paragraph(center(run("GIẤY GIỚI THIỆU", BODY + 4).bold()))
        .add_paragraph(blank())
        .add_paragraph(body(&l.introduces()))
        .add_paragraph(line("Đồng chí: ", &l.bearer))
        .add_paragraph(line("Chức vụ: ", &l.position))
        .add_paragraph(body(&l.sent_to()));
    if !l.purpose.is_empty() {
        d = d.add_paragraph(body(&format!("Nội dung: {}", l.purpose)));
    }
    d = d
        .add_paragraph(body(
            "Đề nghị các đồng chí tạo điều kiện để đồng chí có tên trên hoàn thành nhiệm vụ.",
        ))
        .add_paragraph(body(&l.validity()))
        .add_paragraph(blank());
    let sig = closing(&l.recipients(), &[l.signature.0, l.signature.1], None);
    pack(d.add_table(sig))
}
