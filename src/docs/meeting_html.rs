//! The printable HTML of a meeting's documents: the same sentences as the DOCX
//! (from `meeting_doc`), laid out like a printed party document.

use super::meeting_doc::{
    MeetingDoc, NOTICE_CLOSING, REVIEW_HEADS, Signer, TASK_HEADS, paragraphs,
};
use crate::domain::document::DocKind;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The printable documents' own style sheet, inline so a saved page prints
/// the same; the Content-Security-Policy allows it by its hash.
pub const PRINT_CSS: &str = r#"
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 14pt; line-height: 1.35; max-width: 165mm; margin: 0 auto; color: #000; background: #fff; }
.hdr { display: flex; justify-content: space-between; text-align: center; font-size: 13pt; }
.hdr > div { width: 48%; }
.hdr .cell, .hdr .nation { font-weight: bold; }
.hdr .nation { text-decoration: underline; }
.hdr .date { font-style: italic; margin-top: 8pt; }
h1 { font-size: 14pt; text-align: center; margin: 20pt 0 0; }
.sub { text-align: center; font-weight: bold; margin: 0 0 12pt; }
p { text-align: justify; text-indent: 1cm; margin: 4pt 0; }
h2 { font-size: 14pt; margin: 10pt 0 4pt; }
ul { margin: 2pt 0 2pt 1cm; padding: 0; list-style: none; }
table.tasks { border-collapse: collapse; width: 100%; font-size: 13pt; }
table.tasks th, table.tasks td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
.sig { display: flex; justify-content: space-between; margin-top: 18pt; page-break-inside: avoid; }
.sig > div { width: 48%; text-align: center; }
.sig .role { font-weight: bold; }
.sig .name { margin-top: 64pt; font-weight: bold; }
.sig .recv { text-align: left; font-size: 12pt; }
.draft { text-align: center; font-style: italic; }
.amend { border-top: 1px solid #000; margin-top: 24pt; font-size: 13pt; }
@media screen { body { padding: 12mm 0; } }
"#;

fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head { meta charset="utf-8"; title { (title) } style { (PreEscaped(PRINT_CSS)) } }
            body { main { (body) } }
        }
    }
    .into_string()
}

/// Left: issuer under its superior, "*", number; right: national line and italic place/date.
fn header(doc: &MeetingDoc, kind: DocKind, place_date: &str) -> Markup {
    html! {
        div.hdr {
            div { div { (doc.upper_org_line()) } div.cell { (doc.cell_line()) } div { "*" } div { (doc.number_symbol(kind)) } }
            div { div.nation { "ĐẢNG CỘNG SẢN VIỆT NAM" } div.date { (place_date) } }
        }
        @if !doc.signed && kind != DocKind::Notice { p.draft { "(Dự thảo – chưa ký)" } }
    }
}

fn paras(text: &str) -> Markup {
    html! { @for p in paragraphs(text) { p { (p) } } }
}

/// Bulleted with "- " as typed documents are; numbered lines (the agenda) carry no dash.
fn list(lines: &[String]) -> Markup {
    html! { ul { @for l in lines { li { "- " (l) } } } }
}

fn numbered(lines: &[String]) -> Markup {
    html! { ul { @for l in lines { li { (l) } } } }
}

fn table(heads: &[&str; 5], rows: &[[String; 5]]) -> Markup {
    html! {
        table.tasks {
            tr { @for h in heads { th { (h) } } }
            @for r in rows { tr { @for c in r { td { (c) } } } }
        }
    }
}

/// "Nơi nhận" bottom left; on the right "T/M CHI ỦY — BÍ THƯ" (or as the signer's post says).
fn signature_block(doc: &MeetingDoc, s: &Signer) -> Markup {
    html! {
        div.sig {
            div.recv { div { b { u { "Nơi nhận:" } } } @for r in doc.recipients() { div { (r) } } }
            div { div.role { (s.sig.body) } div.role { (s.sig.title) } div.name { (s.name.as_deref().unwrap_or("")) } }
        }
    }
}

/// Biên bản sinh hoạt chi bộ: signed by the minute-taker and the chair; corrections after.
pub fn minutes_html(doc: &MeetingDoc) -> String {
    let body = html! {
        (header(doc, DocKind::Minutes, &doc.place_and_date()))
        h1 { "BIÊN BẢN SINH HOẠT CHI BỘ" }
        div.sub { (doc.kind_label) @if let Some(t) = &doc.topic { br; "Chuyên đề: " (t) } }
        p { (doc.opening_line()) }
        p { (doc.chair_line()) }
        h2 { "I. TÌNH HÌNH ĐẢNG VIÊN DỰ SINH HOẠT" }
        p { (doc.attendance_line()) }
        @if !doc.absentees.is_empty() { p { "Vắng:" } (list(&doc.absentee_lines())) }
        @if !doc.guests.is_empty() { p { "Đại biểu dự:" } (list(&doc.guest_lines())) }
        h2 { "II. NỘI DUNG" }
        (numbered(&doc.agenda_lines()))
        h2 { "III. DIỄN BIẾN" }
        (paras(&doc.proceedings))
        @if !doc.speakers.is_empty() { p { "Các đồng chí phát biểu ý kiến: " (doc.speakers.join(", ")) "." } }
        h2 { "IV. KẾT LUẬN CỦA CHỦ TRÌ" }
        (paras(&doc.conclusion))
        @if let Some(v) = doc.vote_line() { p { (v) } }
        p { (doc.quality_line()) }
        @if let Some(e) = doc.end_line() { p { (e) } }
        div.sig {
            div { div.role { "THƯ KÝ" } div.name { (doc.recorder.as_deref().unwrap_or("")) } }
            div { div.role { "CHỦ TRÌ" } div.name { (doc.chair.as_deref().unwrap_or("")) } }
        }
        @if !doc.amendments.is_empty() {
            div.amend { h2 { "Đính chính" } (list(&doc.amendment_lines())) }
        }
    };
    page("Biên bản sinh hoạt chi bộ", body)
}

/// Nghị quyết: opening; I. last month's tasks and their results; II. quality
/// self-evaluation; III. this month's tasks per member; vote; recipients; signature.
pub fn resolution_html(doc: &MeetingDoc) -> String {
    let reviews = doc.review_rows();
    let parts = doc.resolution_parts();
    let body = html! {
        (header(doc, DocKind::Resolution, &doc.place_and_date()))
        h1 { "NGHỊ QUYẾT" }
        div.sub { (doc.resolution_subtitle) br; "-----" }
        p { (doc.resolution_opening()) }
        @if doc.reviews_last_month {
            h2 { (parts[0]) }
            @if !reviews.is_empty() { (table(&REVIEW_HEADS, &reviews)) }
            p { (doc.review_summary()) }
        }
        h2 { (parts[parts.len() - 2]) }
        p { (doc.quality_line()) }
        h2 { (parts[parts.len() - 1]) }
        (paras(&doc.resolution_text))
        @if !doc.tasks.is_empty() {
            p { "Phân công đảng viên:" }
            (table(&TASK_HEADS, &doc.task_rows()))
        }
        @if let Some(v) = doc.vote_line() { p { (v) } }
        (signature_block(doc, &doc.resolution_signer))
    };
    page("Nghị quyết chi bộ", body)
}

/// Thông báo: time, place, content; numbered and dated the day it is issued.
pub fn notice_html(doc: &MeetingDoc) -> String {
    let body = html! {
        (header(doc, DocKind::Notice, &doc.notice_place_and_date()))
        h1 { "THÔNG BÁO" }
        div.sub { "Về việc sinh hoạt chi bộ" br; "-----" }
        p { (doc.notice_intro()) }
        p { "1. Thời gian: " (doc.notice_time()) "." }
        p { "2. Địa điểm: " (doc.location) "." }
        p { (doc.notice_content()) }
        (numbered(&doc.agenda_lines()))
        p { (NOTICE_CLOSING) }
        (signature_block(doc, &doc.notice_signer))
    };
    page("Thông báo sinh hoạt chi bộ", body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::meeting_doc::sample;

    #[test]
    fn html_pages_escape_and_keep_amendments_apart() {
        let d = sample();
        let m = minutes_html(&d);
        assert!(m.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && m.contains("Số 14-BB/CB"));
        assert!(m.contains("@page") && m.contains("Times New Roman"));
        assert!(m.contains("góp ý &lt;sôi nổi&gt;"));
        assert!(m.contains("CHỦ TRÌ") && m.contains("THƯ KÝ"));
        assert!(m.contains("TÌNH HÌNH ĐẢNG VIÊN DỰ SINH HOẠT"));
        assert!(m.contains("có mặt: 13 (11 chính thức, 2 dự bị)"));
        assert!(m.contains("Đại biểu dự:") && !m.contains("Khách mời"));
        let amend_at = m.find("Đính chính").unwrap();
        assert!(amend_at > m.find("CHỦ TRÌ").unwrap());
        let n = notice_html(&d);
        assert!(n.contains("Số 09-TB/CB") && n.contains("19 giờ 30, ngày 03 tháng 11 năm 2026"));
        assert!(n.contains("Bản Hon, ngày 01 tháng 11 năm 2026") && n.contains(NOTICE_CLOSING));
        assert!(n.contains("Tẩn Văn Chiêu") && n.contains("BÍ THƯ"));
    }

    // docs/rules.md "Resolution structure": I. last month's results, II.
    // quality, III. tasks (template built on Hướng dẫn 42-HD/BTCTW, 28/10/2025).
    #[test]
    fn resolution_has_its_own_structure_and_signer() {
        let r = resolution_html(&sample());
        let at = |s: &str| r.find(s).unwrap_or_else(|| panic!("missing {s}"));
        assert!(at("Số 05-NQ/CB") < at("NGHỊ QUYẾT"));
        assert!(
            at("Lãnh đạo thực hiện nhiệm vụ tháng 11 năm 2026")
                < at("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG TRƯỚC")
        );
        assert!(at("I. KẾT QUẢ") < at("Vận động hộ tiêm phòng gia súc"));
        assert!(at("Vận động hộ tiêm phòng gia súc") < at("II. ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT"));
        assert!(at("II. ĐÁNH GIÁ") < at("buổi sinh hoạt: Tốt."));
        assert!(at("buổi sinh hoạt: Tốt.") < at("III. NHIỆM VỤ THÁNG TỚI"));
        assert!(at("III. NHIỆM VỤ") < at("Vận động hộ chuyển đổi cây trồng"));
        assert!(at("30/11/2026") < at("Kết quả biểu quyết"));
        assert!(at("Kết quả biểu quyết") < at("Nơi nhận:"));
        assert!(at("T/M CHI ỦY") < at("PHÓ BÍ THƯ"));
        assert!(r.contains("Lò Văn Thắng") && !r.contains("III. DIỄN BIẾN"));
        assert!(!r.to_lowercase().contains("chi bộ chi bộ"));
        // A thematic resolution reviews no month: quality, then its tasks.
        let mut d = sample();
        d.reviews_last_month = false;
        let r = resolution_html(&d);
        assert!(!r.contains("THÁNG TRƯỚC") && !r.contains("Vận động hộ tiêm phòng gia súc"));
        assert!(
            r.find("I. ĐÁNH GIÁ CHẤT LƯỢNG").unwrap() < r.find("II. NHIỆM VỤ, GIẢI PHÁP").unwrap()
        );
    }
}
