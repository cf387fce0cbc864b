//! Meeting documents as DOCX (docx-rs), for cells that print, sign and file them in the
//! minutes book. Same sentences as the HTML pages (they come from `meeting_doc`); layout
//! per domain.md §9.2 (header, numbering, signature, "Nơi nhận") and §9.3 (contents).

use super::meeting_doc::{
    MeetingDoc, NOTICE_CLOSING, REVIEW_HEADS, Signer, TASK_HEADS, paragraphs,
};
use crate::domain::document::DocKind;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    Table, TableCell, TableRow, WidthType,
};

/// Sizes are in half-points: 14pt body, 13pt header and tables (Hướng dẫn 36-HD/VPTW practice).
pub(super) const BODY: usize = 28;
pub(super) const SMALL: usize = 26;
/// A4 in twentieths of a point; text width with 30 mm left and 15 mm right margins.
const A4_W: u32 = 11906;
const A4_H: u32 = 16838;
const TEXT_W: usize = 9355;

pub(super) fn font() -> RunFonts {
    let f = "Times New Roman";
    RunFonts::new().ascii(f).hi_ansi(f).cs(f).east_asia(f)
}

pub(super) fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(font())
}

pub(super) fn center(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

/// Justified body paragraph with a 1 cm first-line indent.
pub(super) fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(LineSpacing::new().after(80))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY).bold())
        .line_spacing(LineSpacing::new().before(120).after(60))
}

pub(super) fn blank() -> Paragraph {
    Paragraph::new().add_run(run("", BODY))
}

fn cell(paras: Vec<Paragraph>, width: usize) -> TableCell {
    paras
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

/// Two borderless columns side by side, as the header and signature blocks are printed.
pub(super) fn two_columns(left: Vec<Paragraph>, right: Vec<Paragraph>) -> Table {
    let half = TEXT_W / 2;
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, half),
        cell(right, half),
    ])])
    .set_grid(vec![half, half])
    .width(TEXT_W, WidthType::Dxa)
}

/// §9.2: superior over issuer, "*", number on the left; underlined national line and italic
/// place/date on the right.
fn header(doc: &MeetingDoc, kind: DocKind, place_date: &str) -> Table {
    party_header(
        &doc.upper_org_line(),
        &doc.cell_line(),
        &doc.number_symbol(kind),
        place_date,
    )
}

/// The head of every party document (§9.2): the issuer (bold) under its
/// superior, "*", number and symbol on the left; the underlined national line
/// and the italic place and date on the right. Names arrive upper-cased.
pub(crate) fn party_header(superior: &str, issuer: &str, number: &str, place_date: &str) -> Table {
    let left = vec![
        center(run(superior, SMALL)),
        center(run(issuer, SMALL).bold()),
        center(run("*", SMALL)),
        center(run(number, SMALL)),
    ];
    let right = vec![
        center(
            run("ĐẢNG CỘNG SẢN VIỆT NAM", BODY)
                .bold()
                .underline("single"),
        ),
        blank(),
        center(run(place_date, BODY).italic()),
    ];
    two_columns(left, right)
}

fn title(docx: Docx, draft: bool, title: &str, subtitle: &[String]) -> Docx {
    let mut docx = docx.add_paragraph(blank());
    if draft {
        docx = docx.add_paragraph(center(run("(Dự thảo – chưa ký)", SMALL).italic()));
    }
    docx = docx.add_paragraph(center(run(title, BODY + 2).bold()));
    for s in subtitle {
        docx = docx.add_paragraph(center(run(s, BODY).bold()));
    }
    docx.add_paragraph(blank())
}

fn lines(docx: Docx, items: &[String]) -> Docx {
    items
        .iter()
        .fold(docx, |d, l| d.add_paragraph(body(&format!("- {l}"))))
}

fn numbered(docx: Docx, items: &[String]) -> Docx {
    items.iter().fold(docx, |d, l| d.add_paragraph(body(l)))
}

fn paras(docx: Docx, text: &str) -> Docx {
    paragraphs(text)
        .iter()
        .fold(docx, |d, p| d.add_paragraph(body(p)))
}

/// Signature column: role lines in bold, room to sign, then the name.
pub(super) fn signer(roles: &[&str], name: Option<&str>) -> Vec<Paragraph> {
    let mut v: Vec<Paragraph> = roles.iter().map(|r| center(run(r, BODY).bold())).collect();
    v.extend((0..4).map(|_| blank()));
    v.push(center(run(name.unwrap_or(""), BODY).bold()));
    v
}

/// "Nơi nhận" bottom left; "T/M CHI ỦY — BÍ THƯ" (or as the signer's post says) right.
fn signature_block(doc: &MeetingDoc, s: &Signer) -> Table {
    closing(
        &doc.recipients(),
        &[s.sig.body, s.sig.title],
        s.name.as_deref(),
    )
}

/// The foot of every party document (§9.2): "Nơi nhận" and its lines at the
/// bottom left, the signature lines (and the signer's name) at the right.
pub(crate) fn closing(recipients: &[String], signature: &[&str], name: Option<&str>) -> Table {
    let mut left =
        vec![Paragraph::new().add_run(run("Nơi nhận:", SMALL).bold().italic().underline("single"))];
    left.extend(
        recipients
            .iter()
            .map(|r| Paragraph::new().add_run(run(r, SMALL - 2))),
    );
    two_columns(left, signer(signature, name))
}

pub(super) fn new_docx() -> Docx {
    Docx::new()
        .page_size(A4_W, A4_H)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(font())
        .default_size(BODY)
}

pub(super) fn pack(docx: Docx) -> Result<Vec<u8>, String> {
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.pack(&mut buf).map_err(|e| format!("DOCX: {e}"))?;
    Ok(buf.into_inner())
}

/// Biên bản sinh hoạt chi bộ.
pub fn minutes(doc: &MeetingDoc) -> Result<Vec<u8>, String> {
    let mut sub = vec![doc.kind_label.clone()];
    if let Some(t) = &doc.topic {
        sub.push(format!("Chuyên đề: {t}"));
    }
    let mut d = new_docx().add_table(header(doc, DocKind::Minutes, &doc.place_and_date()));
    d = title(d, !doc.signed, "BIÊN BẢN SINH HOẠT CHI BỘ", &sub);
    d = d
        .add_paragraph(body(&doc.opening_line()))
        .add_paragraph(body(&doc.chair_line()))
        .add_paragraph(heading("I. TÌNH HÌNH ĐẢNG VIÊN DỰ SINH HOẠT"))
        .add_paragraph(body(&doc.attendance_line()));
    if !doc.absentees.is_empty() {
        d = lines(d.add_paragraph(body("Vắng:")), &doc.absentee_lines());
    }
    if !doc.guests.is_empty() {
        d = lines(d.add_paragraph(body("Đại biểu dự:")), &doc.guest_lines());
    }
    d = numbered(
        d.add_paragraph(heading("II. NỘI DUNG")),
        &doc.agenda_lines(),
    );
    d = paras(d.add_paragraph(heading("III. DIỄN BIẾN")), &doc.proceedings);
    if !doc.speakers.is_empty() {
        let s = format!(
            "Các đồng chí phát biểu ý kiến: {}.",
            doc.speakers.join(", ")
        );
        d = d.add_paragraph(body(&s));
    }
    d = paras(
        d.add_paragraph(heading("IV. KẾT LUẬN CỦA CHỦ TRÌ")),
        &doc.conclusion,
    );
    for l in doc
        .vote_line()
        .into_iter()
        .chain([doc.quality_line()])
        .chain(doc.end_line())
    {
        d = d.add_paragraph(body(&l));
    }
    d = d.add_paragraph(blank()).add_table(two_columns(
        signer(&["THƯ KÝ"], doc.recorder.as_deref()),
        signer(&["CHỦ TRÌ"], doc.chair.as_deref()),
    ));
    // Corrections stay after the signatures, dated and attributed (§9.3 minutes book).
    if !doc.amendments.is_empty() {
        d = lines(
            d.add_paragraph(blank())
                .add_paragraph(heading("Đính chính")),
            &doc.amendment_lines(),
        );
    }
    pack(d)
}

fn grid(heads: &[&str; 5], rows: &[[String; 5]], widths: [usize; 5]) -> Table {
    let row = |cols: &[String], bold: bool| {
        TableRow::new(
            cols.iter()
                .zip(widths)
                .map(|(c, w)| {
                    let r = run(c, SMALL);
                    cell(
                        vec![Paragraph::new().add_run(if bold { r.bold() } else { r })],
                        w,
                    )
                })
                .collect(),
        )
    };
    let head: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    let mut out = vec![row(&head, true)];
    out.extend(rows.iter().map(|r| row(r, false)));
    Table::new(out)
        .set_grid(widths.to_vec())
        .width(TEXT_W, WidthType::Dxa)
}

/// Nghị quyết: opening; I. last month's tasks and results; II. quality
/// self-evaluation; III. this month's tasks per member; vote; signature.
pub fn resolution(doc: &MeetingDoc) -> Result<Vec<u8>, String> {
    let mut d = new_docx().add_table(header(doc, DocKind::Resolution, &doc.place_and_date()));
    d = title(
        d,
        !doc.signed,
        "NGHỊ QUYẾT",
        &[doc.resolution_subtitle.clone(), "-----".into()],
    );
    let parts = doc.resolution_parts();
    d = d.add_paragraph(body(&doc.resolution_opening()));
    if doc.reviews_last_month {
        d = d.add_paragraph(heading(parts[0]));
        let reviews = doc.review_rows();
        if !reviews.is_empty() {
            d = d.add_table(grid(&REVIEW_HEADS, &reviews, [650, 2000, 3105, 1750, 1850]));
        }
        d = d.add_paragraph(body(&doc.review_summary()));
    }
    d = d
        .add_paragraph(heading(parts[parts.len() - 2]))
        .add_paragraph(body(&doc.quality_line()));
    d = paras(
        d.add_paragraph(heading(parts[parts.len() - 1])),
        &doc.resolution_text,
    );
    if !doc.tasks.is_empty() {
        d = d
            .add_paragraph(body("Phân công đảng viên:"))
            .add_table(grid(
                &TASK_HEADS,
                &doc.task_rows(),
                [650, 2000, 3005, 2150, 1550],
            ));
    }
    if let Some(v) = doc.vote_line() {
        d = d.add_paragraph(blank()).add_paragraph(body(&v));
    }
    pack(
        d.add_paragraph(blank())
            .add_table(signature_block(doc, &doc.resolution_signer)),
    )
}

/// Thông báo sinh hoạt: numbered and dated the day it is issued.
pub fn notice(doc: &MeetingDoc) -> Result<Vec<u8>, String> {
    let mut d = new_docx().add_table(header(doc, DocKind::Notice, &doc.notice_place_and_date()));
    d = title(
        d,
        false,
        "THÔNG BÁO",
        &["Về việc sinh hoạt chi bộ".into(), "-----".into()],
    );
    d = d
        .add_paragraph(body(&doc.notice_intro()))
        .add_paragraph(body(&format!("1. Thời gian: {}.", doc.notice_time())))
        .add_paragraph(body(&format!("2. Địa điểm: {}.", doc.location)))
        .add_paragraph(body(&doc.notice_content()));
    d = numbered(d, &doc.agenda_lines()).add_paragraph(body(NOTICE_CLOSING));
    pack(
        d.add_paragraph(blank())
            .add_table(signature_block(doc, &doc.notice_signer)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::meeting_doc::sample;
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn minutes_docx_has_header_names_vote_and_amendments() {
        let xml = document_xml(&minutes(&sample()).unwrap());
        for s in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "ĐẢNG BỘ XÃ BẢN HON",
            "CHI BỘ 4 (BẢN ĐÔNG PAO)",
            "Số 14-BB/CB",
            "Bản Hon, ngày 03 tháng 11 năm 2026",
            "BIÊN BẢN SINH HOẠT CHI BỘ",
            "I. TÌNH HÌNH ĐẢNG VIÊN DỰ SINH HOẠT",
            "được triệu tập: 14 (12 chính thức, 2 dự bị)",
            "Lò Văn Thắng",
            "Tẩn Thị Mai",
            "Vàng A Dếnh (ốm)",
            "Lê Văn Hùng",
            "11/11 tán thành (100%)",
            "chất lượng buổi sinh hoạt: Tốt.",
            "THƯ KÝ",
            "CHỦ TRÌ",
            "Đính chính",
            "Sửa số có mặt thành 13.",
            "góp ý &lt;sôi nổi&gt;",
            "Times New Roman",
        ] {
            assert!(xml.contains(s), "missing {s}");
        }
        assert!(!xml.contains("CHI BỘ CHI BỘ") && !xml.contains("Chi bộ Chi bộ"));
        // Amendments come after the signatures, never inside the proceedings.
        assert!(xml.find("Đính chính").unwrap() > xml.find("CHỦ TRÌ").unwrap());
    }

    // docs/rules.md "Resolution structure" and "Who signs and with which title".
    #[test]
    fn resolution_docx_has_parts_tables_and_signature() {
        let doc = sample();
        let xml = document_xml(&resolution(&doc).unwrap());
        let at = |s: &str| xml.find(s).unwrap_or_else(|| panic!("missing {s}"));
        for s in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số 05-NQ/CB",
            "NGHỊ QUYẾT",
            "Lãnh đạo thực hiện nhiệm vụ tháng 11 năm 2026",
            "có mặt: 13 (11 chính thức, 2 dự bị)",
            "Hộ phụ trách",
            "Hộ Sùng A Chứ, hộ Vàng A Lử",
            "Nơi nhận:",
            "Đảng ủy xã Bản Hon (để báo cáo)",
        ] {
            at(s);
        }
        assert!(
            at("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG TRƯỚC") < at("Vận động hộ tiêm phòng gia súc")
        );
        assert!(at("Vận động hộ tiêm phòng gia súc") < at("II. ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT"));
        assert!(at("buổi sinh hoạt: Tốt.") < at("III. NHIỆM VỤ THÁNG TỚI"));
        assert!(at("III. NHIỆM VỤ THÁNG TỚI") < at("30/11/2026"));
        assert!(at("30/11/2026") < at("11/11 tán thành"));
        assert!(at("T/M CHI ỦY") < at("PHÓ BÍ THƯ"));
    }

    #[test]
    fn notice_docx_before_issue_has_blank_number_and_date() {
        let mut doc = sample();
        doc.full_members = 6;
        doc.notice_no = None;
        doc.notice_on = None;
        doc.notice_signer.sig =
            crate::domain::document::signature(6, crate::domain::document::CellPost::Secretary);
        let xml = document_xml(&notice(&doc).unwrap());
        for s in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}-TB/CB",
            "THÔNG BÁO",
            "Bản Hon, ngày … tháng … năm …",
            "Chi bộ 4 (bản Đông Pao) thông báo",
            "19 giờ 30, ngày 03 tháng 11 năm 2026",
            "Nhà văn hóa bản Đông Pao",
            "1. Đánh giá kết quả tháng 10",
            "Đề nghị các đồng chí đảng viên có mặt đúng giờ.",
            "T/M CHI BỘ",
        ] {
            assert!(xml.contains(s), "missing {s}");
        }
    }
}
