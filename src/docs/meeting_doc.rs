//! What a meeting document shows (minutes, resolution, notice), as plain data, plus the
//! sentences both renderers (printable HTML here, DOCX in `docx.rs`) share, so the two
//! never drift apart. Layout follows domain.md §9.2 (party header, numbering, "T/M"
//! signature, "Nơi nhận") and §9.3 (contents of each document).

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// One member's assignment in the resolution (§9.3 part III).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskLine {
    pub assignee: String,
    pub title: String,
    pub deadline: Option<Date>,
    pub households: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingDoc {
    /// The parent organization, e.g. "Đảng bộ xã Bản Hon" (upper-cased in the header).
    pub upper_org: String,
    pub cell: String,
    /// Place in "Bản Hon, ngày 03 tháng 11 năm 2026".
    pub place_name: String,
    pub kind_label: String,
    pub topic: Option<String>,
    pub date: Date,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub location: String,
    /// Number in the year's series: "Số 05-BB/CB" (§9.2).
    pub number: i64,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub convened: i64,
    /// Full (official) members of the cell, exempt ones included: whether it
    /// has a committee.
    pub full_members: i64,
    pub present: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    pub exempt: i64,
    /// (name, reason)
    pub absentees: Vec<(String, String)>,
    /// (name, position)
    pub guests: Vec<(String, String)>,
    /// (item, presenter)
    pub agenda: Vec<(String, Option<String>)>,
    /// Paragraphs separated by blank lines.
    pub proceedings: String,
    pub speakers: Vec<String>,
    pub conclusion: String,
    /// (for, against, abstain)
    pub vote: Option<(i64, i64, i64)>,
    /// Full members present: only they vote on a resolution.
    pub official_present: i64,
    pub resolution_title: String,
    pub resolution_text: String,
    pub tasks: Vec<TaskLine>,
    /// (at, by, text): corrections after signing, shown apart, never merged (§9.3 minutes book).
    pub amendments: Vec<(Timestamp, String, String)>,
    pub signed: bool,
    /// Signs the resolution and the notice.
    pub secretary: Option<String>,
}

/// "19 giờ 30"
pub fn hm(t: Time) -> String {
    format!("{:02} giờ {:02}", t.hour(), t.minute())
}

/// "ngày 03 tháng 11 năm 2026"
pub fn long_date(d: Date) -> String {
    format!(
        "ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month(),
        d.year()
    )
}

/// "03/11/2026"
pub fn short_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Free text split at blank lines, each paragraph's lines joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// "XÃ BẢN HON" → "xã Bản Hon": names arrive upper-cased for the header but read better in
/// running text. Mixed-case input is left alone.
fn proper_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    const UNITS: [&str; 8] = [
        "xã",
        "phường",
        "thị",
        "trấn",
        "huyện",
        "quận",
        "tỉnh",
        "khối",
    ];
    let mut leading = true;
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            leading = leading && UNITS.contains(&lower.as_str());
            if leading {
                return lower;
            }
            let mut cs = lower.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// Percentage with one decimal and a Vietnamese decimal comma: "92,3%", "100%".
fn percent(x: i64, y: i64) -> String {
    if y <= 0 {
        return "0%".into();
    }
    let tenths = (x * 1000 + y / 2) / y;
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{},{}%", tenths / 10, tenths % 10)
    }
}

impl MeetingDoc {
    /// "Bản Hon, ngày 03 tháng 11 năm 2026" (italic, under the national line, §9.2).
    pub fn place_and_date(&self) -> String {
        format!("{}, {}", self.place_name, long_date(self.date))
    }

    /// The notice is dated when issued (1–2 days before, §4.2), which the data does not
    /// carry: dots to fill in by hand.
    pub fn notice_place_and_date(&self) -> String {
        format!("{}, ngày … tháng … năm …", self.place_name)
    }

    /// Party style, hyphen then slash: "Số 05-BB/CB" (§9.2). Unnumbered drafts show dots.
    pub fn number_symbol(&self, doc_type: &str) -> String {
        if self.number > 0 {
            format!("Số {:02}-{doc_type}/CB", self.number)
        } else {
            format!("Số …-{doc_type}/CB")
        }
    }

    pub fn upper_org_line(&self) -> String {
        self.upper_org.to_uppercase()
    }

    pub fn cell_line(&self) -> String {
        self.cell.to_uppercase()
    }

    /// "Vào lúc 19 giờ 30, ngày 03 tháng 11 năm 2026"
    pub fn when(&self) -> String {
        match self.start {
            Some(t) => format!("Vào lúc {}, {}", hm(t), long_date(self.date)),
            None => format!("Vào {}", long_date(self.date)),
        }
    }

    pub fn attendance_line(&self) -> String {
        format!(
            "Tổng số đảng viên được triệu tập: {} đồng chí; có mặt: {}; vắng có lý do: {}; \
             vắng không lý do: {}; miễn sinh hoạt: {}.",
            self.convened, self.present, self.absent_excused, self.absent_unexcused, self.exempt
        )
    }

    pub fn chair_line(&self) -> String {
        let or_dots = |o: &Option<String>| o.clone().unwrap_or_else(|| "…".into());
        format!(
            "Chủ trì: đồng chí {}. Thư ký: đồng chí {}.",
            or_dots(&self.chair),
            or_dots(&self.recorder)
        )
    }

    /// "Kết quả biểu quyết: 12/13 tán thành (92,3%), 1 không tán thành, 0 không biểu quyết":
    /// the words of the form, so forms and documents agree.
    /// The base is the full members present (§9.3 "x/y in favour, %").
    pub fn vote_line(&self) -> Option<String> {
        let (yes, no, abstain) = self.vote?;
        let base = if self.official_present > 0 {
            self.official_present
        } else {
            yes + no + abstain
        };
        Some(format!(
            "Kết quả biểu quyết: {yes}/{base} tán thành ({}), {no} không tán thành, {abstain} không biểu quyết.",
            percent(yes, base)
        ))
    }

    pub fn end_line(&self) -> Option<String> {
        self.end
            .map(|t| format!("Cuộc họp kết thúc lúc {} cùng ngày.", hm(t)))
    }

    /// Resolution subtitle: the given title, else "Lãnh đạo thực hiện nhiệm vụ tháng 11/2026".
    pub fn resolution_subtitle(&self) -> String {
        if self.resolution_title.trim().is_empty() {
            format!(
                "Lãnh đạo thực hiện nhiệm vụ tháng {:02}/{}",
                self.date.month(),
                self.date.year()
            )
        } else {
            self.resolution_title.trim().to_string()
        }
    }

    pub fn resolution_opening(&self) -> String {
        let topic = self
            .topic
            .as_deref()
            .map(|t| format!(" chuyên đề \"{t}\""))
            .unwrap_or_default();
        format!(
            "{}, tại {}, {} tổ chức {}{}. {} {} Sau khi thảo luận, chi bộ thống nhất quyết nghị:",
            self.when(),
            self.location,
            self.cell,
            self.kind_label.to_lowercase(),
            topic,
            self.attendance_line(),
            self.chair_line()
        )
    }

    /// Only cells with 9 or more full members elect a committee; the others
    /// sign on behalf of the cell.
    pub fn has_committee(&self) -> bool {
        crate::domain::meeting::has_committee(self.full_members)
    }

    /// "T/M CHI ỦY" or "T/M CHI BỘ" (§9.2).
    pub fn signing_body(&self) -> &'static str {
        if self.has_committee() {
            "T/M CHI ỦY"
        } else {
            "T/M CHI BỘ"
        }
    }

    /// "Nơi nhận" (§9.2): the upper committee to report to, members, file.
    pub fn recipients(&self) -> Vec<String> {
        let org = self.upper_org.trim();
        let committee = match org
            .strip_prefix("Đảng bộ ")
            .or(org.strip_prefix("ĐẢNG BỘ "))
        {
            Some(rest) => format!("Đảng ủy {}", proper_case(rest)),
            None => org.to_string(),
        };
        vec![
            format!("- {committee} (để báo cáo),"),
            "- Đảng viên trong chi bộ,".into(),
            "- Lưu chi bộ.".into(),
        ]
    }

    pub fn absentee_lines(&self) -> Vec<String> {
        self.absentees
            .iter()
            .map(|(n, r)| {
                if r.is_empty() {
                    n.clone()
                } else {
                    format!("{n} ({r})")
                }
            })
            .collect()
    }

    pub fn guest_lines(&self) -> Vec<String> {
        self.guests
            .iter()
            .map(|(n, p)| {
                if p.is_empty() {
                    format!("Đồng chí {n}")
                } else {
                    format!("Đồng chí {n} – {p}")
                }
            })
            .collect()
    }

    pub fn agenda_lines(&self) -> Vec<String> {
        self.agenda
            .iter()
            .enumerate()
            .map(|(i, (item, by))| match by {
                Some(b) => format!("{}. {item} (đồng chí {b} trình bày)", i + 1),
                None => format!("{}. {item}", i + 1),
            })
            .collect()
    }

    /// "Lúc 20 giờ 05 ngày 04/11/2026, đồng chí X đính chính: …" in Vietnam time (UTC+7, no DST).
    pub fn amendment_lines(&self) -> Vec<String> {
        let vn = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        self.amendments
            .iter()
            .map(|(at, by, text)| {
                let z = at.to_zoned(vn.clone());
                format!(
                    "Lúc {} ngày {}, đồng chí {by} đính chính: {text}",
                    hm(z.time()),
                    short_date(z.date())
                )
            })
            .collect()
    }
}

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
            body { (body) }
        }
    }
    .into_string()
}

/// Left: issuer under its superior, "*", number; right: national line and italic place/date (§9.2).
fn header(doc: &MeetingDoc, doc_type: &str, place_date: &str) -> Markup {
    html! {
        div.hdr {
            div { div { (doc.upper_org_line()) } div.cell { (doc.cell_line()) } div { "*" } div { (doc.number_symbol(doc_type)) } }
            div { div.nation { "ĐẢNG CỘNG SẢN VIỆT NAM" } div.date { (place_date) } }
        }
        @if !doc.signed { p.draft { "(Dự thảo – chưa ký)" } }
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

fn secretary_block(doc: &MeetingDoc) -> Markup {
    html! {
        div.sig {
            div.recv { div { b { u { "Nơi nhận:" } } } @for r in doc.recipients() { div { (r) } } }
            div { div.role { (doc.signing_body()) } div.role { "BÍ THƯ" } div.name { (doc.secretary.as_deref().unwrap_or("")) } }
        }
    }
}

/// Biên bản sinh hoạt chi bộ (§9.3): signed by the minute-taker and the chair; corrections after.
pub fn minutes_html(doc: &MeetingDoc) -> String {
    let body = html! {
        (header(doc, "BB", &doc.place_and_date()))
        h1 { "BIÊN BẢN SINH HOẠT CHI BỘ" }
        div.sub { (doc.kind_label) @if let Some(t) = &doc.topic { br; "Chuyên đề: " (t) } }
        p { (doc.when()) ", tại " (doc.location) ", " (doc.cell) " tiến hành sinh hoạt." }
        p { (doc.chair_line()) }
        h2 { "I. TÌNH HÌNH ĐẢNG VIÊN DỰ HỌP" }
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

/// Nghị quyết (§9.3): opening, I. assessment, II. tasks, III. assignment table, vote.
pub fn resolution_html(doc: &MeetingDoc) -> String {
    let body = html! {
        (header(doc, "NQ", &doc.place_and_date()))
        h1 { "NGHỊ QUYẾT" }
        div.sub { (doc.resolution_subtitle()) br; "-----" }
        p { (doc.resolution_opening()) }
        h2 { "I. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" }
        (paras(&doc.proceedings))
        (paras(&doc.conclusion))
        h2 { "II. NHIỆM VỤ THÁNG TỚI" }
        (paras(&doc.resolution_text))
        h2 { "III. PHÂN CÔNG ĐẢNG VIÊN" }
        table.tasks {
            tr { th { "STT" } th { "Đảng viên" } th { "Nhiệm vụ" } th { "Hộ phụ trách" } th { "Thời hạn" } }
            @for (i, t) in doc.tasks.iter().enumerate() {
                tr { td { (i + 1) } td { (t.assignee) } td { (t.title) } td { (t.households) } td { (t.deadline.map(short_date).unwrap_or_default()) } }
            }
        }
        @if let Some(v) = doc.vote_line() { p { (v) } }
        (secretary_block(doc))
    };
    page("Nghị quyết chi bộ", body)
}

/// Thông báo (§9.3): time, place, content, sent 1–2 days before (§4.2).
pub fn notice_html(doc: &MeetingDoc) -> String {
    let body = html! {
        (header(doc, "TB", &doc.notice_place_and_date()))
        h1 { "THÔNG BÁO" }
        div.sub { "Về việc sinh hoạt chi bộ" br; "-----" }
        p { (notice_intro(doc)) }
        p { "1. Thời gian: " (notice_time(doc)) "." }
        p { "2. Địa điểm: " (doc.location) "." }
        p { "3. Nội dung: " (doc.kind_label) @if let Some(t) = &doc.topic { " – chuyên đề: " (t) } "." }
        (numbered(&doc.agenda_lines()))
        p { (NOTICE_CLOSING) }
        (secretary_block(doc))
    };
    page("Thông báo sinh hoạt chi bộ", body)
}

pub const NOTICE_CLOSING: &str = "Đề nghị các đồng chí đảng viên có mặt đúng giờ.";

pub fn notice_intro(doc: &MeetingDoc) -> String {
    let who = if doc.has_committee() {
        "Chi ủy"
    } else {
        "Chi bộ"
    };
    format!(
        "{who} {} thông báo tới các đồng chí đảng viên trong chi bộ lịch sinh hoạt như sau:",
        doc.cell
    )
}

pub fn notice_time(doc: &MeetingDoc) -> String {
    match doc.start {
        Some(t) => format!("{}, {}", hm(t), long_date(doc.date)),
        None => long_date(doc.date),
    }
}

#[cfg(test)]
pub(crate) fn sample() -> MeetingDoc {
    use jiff::civil::{date, time};
    MeetingDoc {
        upper_org: "Đảng bộ xã Bản Hon".into(),
        cell: "Chi bộ 4 (bản Đông Pao)".into(),
        place_name: "Bản Hon".into(),
        kind_label: "Sinh hoạt thường kỳ".into(),
        topic: None,
        date: date(2026, 11, 3),
        start: Some(time(19, 30, 0, 0)),
        end: Some(time(21, 15, 0, 0)),
        location: "Nhà văn hóa bản Đông Pao".into(),
        number: 5,
        chair: Some("Lò Văn Thắng".into()),
        recorder: Some("Tẩn Thị Mai".into()),
        convened: 14,
        full_members: 12,
        present: 13,
        absent_excused: 1,
        absent_unexcused: 0,
        exempt: 1,
        absentees: vec![("Vàng A Dếnh".into(), "ốm".into())],
        guests: vec![("Lê Văn Hùng".into(), "Đảng ủy viên phụ trách".into())],
        agenda: vec![(
            "Đánh giá kết quả tháng 10".into(),
            Some("Lò Văn Thắng".into()),
        )],
        proceedings: "Đồng chí Bí thư báo cáo kết quả.\n\nChi bộ thảo luận & góp ý <sôi nổi>."
            .into(),
        speakers: vec!["Tẩn Thị Mai".into(), "Sùng A Páo".into()],
        conclusion: "Thống nhất nhiệm vụ tháng 11.".into(),
        vote: Some((12, 0, 0)),
        official_present: 12,
        resolution_title: String::new(),
        resolution_text: "Chăm sóc lúa mùa; phòng chống rét cho đàn gia súc.".into(),
        tasks: vec![TaskLine {
            assignee: "Sùng A Páo".into(),
            title: "Vận động hộ chuyển đổi cây trồng".into(),
            deadline: Some(date(2026, 11, 30)),
            households: "Hộ Sùng A Chứ, hộ Vàng A Lử".into(),
        }],
        amendments: vec![(
            "2026-11-04T01:05:00Z".parse().unwrap(),
            "Tẩn Thị Mai".into(),
            "Sửa số có mặt thành 13.".into(),
        )],
        signed: true,
        secretary: Some("Lò Văn Thắng".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_format_party_style() {
        let d = sample();
        assert_eq!(d.place_and_date(), "Bản Hon, ngày 03 tháng 11 năm 2026");
        assert_eq!(d.number_symbol("BB"), "Số 05-BB/CB");
        assert_eq!(d.upper_org_line(), "ĐẢNG BỘ XÃ BẢN HON");
        assert_eq!(
            d.vote_line().unwrap(),
            "Kết quả biểu quyết: 12/12 tán thành (100%), 0 không tán thành, 0 không biểu quyết."
        );
        assert_eq!(percent(12, 13), "92,3%");
        assert_eq!(d.recipients()[0], "- Đảng ủy xã Bản Hon (để báo cáo),");
        assert_eq!(proper_case("XÃ BẢN HON"), "xã Bản Hon");
        assert_eq!(proper_case("THỊ TRẤN ĐÔNG ANH"), "thị trấn Đông Anh");
        assert_eq!(proper_case("xã Bản Hon"), "xã Bản Hon");
        let mut upper = sample();
        upper.upper_org = "ĐẢNG BỘ XÃ BẢN HON".into();
        assert_eq!(upper.recipients(), d.recipients());
        assert_eq!(d.signing_body(), "T/M CHI ỦY");
        // Fourteen convened, of whom six probationary: eight full members, no committee.
        upper.full_members = 8;
        assert_eq!(upper.signing_body(), "T/M CHI BỘ");
        assert_eq!(
            d.resolution_subtitle(),
            "Lãnh đạo thực hiện nhiệm vụ tháng 11/2026"
        );
        assert_eq!(
            d.amendment_lines()[0],
            "Lúc 08 giờ 05 ngày 04/11/2026, đồng chí Tẩn Thị Mai đính chính: Sửa số có mặt thành 13."
        );
        assert_eq!(paragraphs("a\nb\n\n\nc\n"), vec!["a b", "c"]);
    }

    #[test]
    fn html_pages_escape_and_keep_amendments_apart() {
        let d = sample();
        let m = minutes_html(&d);
        assert!(m.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && m.contains("Số 05-BB/CB"));
        assert!(m.contains("@page") && m.contains("Times New Roman"));
        assert!(m.contains("góp ý &lt;sôi nổi&gt;"));
        assert!(m.contains("CHỦ TRÌ") && m.contains("THƯ KÝ"));
        assert!(m.contains("Đại biểu dự:") && !m.contains("Khách mời"));
        let amend_at = m.find("Đính chính").unwrap();
        assert!(amend_at > m.find("CHỦ TRÌ").unwrap());
        let r = resolution_html(&d);
        assert!(r.contains("Số 05-NQ/CB") && r.contains("T/M CHI ỦY") && r.contains("Nơi nhận:"));
        assert!(r.contains("Vận động hộ chuyển đổi cây trồng") && r.contains("30/11/2026"));
        let n = notice_html(&d);
        assert!(n.contains("Số 05-TB/CB") && n.contains("19 giờ 30, ngày 03 tháng 11 năm 2026"));
        assert!(n.contains("Bản Hon, ngày … tháng … năm …") && n.contains(NOTICE_CLOSING));
    }
}
