//! What a meeting document shows (minutes, resolution, notice), as plain data, plus the
//! sentences both renderers (printable HTML in `meeting_html.rs`, DOCX in `docx.rs`)
//! share, so the two never drift apart. Layout: party header, numbering, "T/M"
//! signature, "Nơi nhận" (Hướng dẫn 36-HD/VPTW); contents: docs/rules.md "Resolution
//! structure".

use crate::domain::document::{DocKind, Quality, RollSplit, Signature, number_symbol};
use crate::domain::place::committee_name;
use jiff::Timestamp;
use jiff::civil::{Date, Time};

/// One member's assignment in the resolution (part III).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskLine {
    pub assignee: String,
    pub title: String,
    pub deadline: Option<Date>,
    pub households: String,
}

/// A task of the previous resolution and how it went (part I).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewLine {
    pub assignee: String,
    pub title: String,
    /// "Hoàn thành", "Không hoàn thành", "Đang thực hiện".
    pub outcome: String,
    pub comment: String,
}

/// A signature: the bold lines (on whose behalf, title) and the name under them.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    pub sig: Signature,
    pub name: Option<String>,
}

impl Default for Signer {
    fn default() -> Self {
        Signer {
            sig: Signature {
                body: "T/M CHI BỘ",
                title: "BÍ THƯ",
            },
            name: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingDoc {
    /// The superior organization, named as one: "Đảng bộ xã Bản Hon".
    pub upper_org: String,
    /// The cell, named as one: "Chi bộ 4 (bản Đông Pao)".
    pub cell: String,
    /// Upper-level cadres following the cell, "Lò Văn Phà" (docs/rules.md
    /// "Followers"): each receives its documents.
    pub followers: Vec<String>,
    /// Place in "Bản Hon, ngày 03 tháng 11 năm 2026"; none found leaves dots.
    pub place_name: Option<String>,
    pub kind_label: String,
    pub topic: Option<String>,
    pub date: Date,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub location: String,
    /// Numbers in each kind's series; none before issue.
    pub minutes_no: Option<i64>,
    pub resolution_no: Option<i64>,
    pub notice_no: Option<i64>,
    /// The day the notice was issued (its date line).
    pub notice_on: Option<Date>,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    /// Full (official) members of the cell, exempt ones included: whether it
    /// has a committee.
    pub full_members: i64,
    pub roll: RollSplit,
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
    pub resolution_subtitle: String,
    pub resolution_text: String,
    /// Whether the meeting reviews last month's tasks (a regular one does;
    /// a thematic resolution is about its theme).
    pub reviews_last_month: bool,
    /// Tasks of the previous resolution, reviewed at this meeting.
    pub reviews: Vec<ReviewLine>,
    pub quality: Option<Quality>,
    pub tasks: Vec<TaskLine>,
    /// (at, by, text): corrections after signing, shown apart, never merged.
    pub amendments: Vec<(Timestamp, String, String)>,
    pub signed: bool,
    /// Signs the resolution: whoever chaired.
    pub resolution_signer: Signer,
    /// Signs the notice: the cell's secretary (or deputy).
    pub notice_signer: Signer,
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

/// A line that opens an item of a list: "1.", "2)", "a)", "-", "+", "•".
fn starts_item(line: &str) -> bool {
    if line.starts_with(['-', '+', '•', '*']) {
        return true;
    }
    let head: String = line
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let rest = &line[head.len()..];
    let numbered = !head.is_empty() && head.chars().all(|c| c.is_ascii_digit());
    let lettered = head.chars().count() == 1 && head.chars().all(|c| c.is_ascii_lowercase());
    (numbered && (rest.starts_with(". ") || rest.starts_with(") ")))
        || (lettered && rest.starts_with(") "))
}

/// Free text split at blank lines, each paragraph's lines joined; a line
/// that opens a list item ("1. …", "- …") starts a paragraph of its own.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if starts_item(line) && !cur.is_empty() {
            out.push(cur.join(" "));
            cur.clear();
        }
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

/// Dots where a place or date is written by hand.
const DOTS: &str = "……";

pub const REVIEW_HEADS: [&str; 5] = ["TT", "Đảng viên", "Nhiệm vụ", "Kết quả", "Nhận xét"];
pub const TASK_HEADS: [&str; 5] = ["TT", "Đảng viên", "Nhiệm vụ", "Hộ phụ trách", "Thời hạn"];
pub const NOTICE_CLOSING: &str = "Đề nghị các đồng chí đảng viên có mặt đúng giờ.";

impl MeetingDoc {
    fn place(&self) -> &str {
        self.place_name.as_deref().unwrap_or(DOTS)
    }

    /// "Bản Hon, ngày 03 tháng 11 năm 2026" (italic, under the national line).
    pub fn place_and_date(&self) -> String {
        format!("{}, {}", self.place(), long_date(self.date))
    }

    /// The notice is dated the day it was issued; before that, dots to fill in.
    pub fn notice_place_and_date(&self) -> String {
        match self.notice_on {
            Some(d) => format!("{}, {}", self.place(), long_date(d)),
            None => format!("{}, ngày … tháng … năm …", self.place()),
        }
    }

    /// "Số 05-NQ/CB"; before issue a blank for the number.
    pub fn number_symbol(&self, kind: DocKind) -> String {
        let n = match kind {
            DocKind::Minutes => self.minutes_no,
            DocKind::Resolution => self.resolution_no,
            DocKind::Notice => self.notice_no,
        };
        number_symbol(kind, n)
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

    pub fn opening_line(&self) -> String {
        format!(
            "{}, tại {}, {} tiến hành sinh hoạt.",
            self.when(),
            self.location,
            self.cell
        )
    }

    /// "Tình hình đảng viên dự sinh hoạt", full and probationary apart.
    pub fn attendance_line(&self) -> String {
        self.roll.sentence()
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
    /// the words of the form. The base is the full members present: only they vote.
    pub fn vote_line(&self) -> Option<String> {
        let (yes, no, abstain) = self.vote?;
        let official_present = self.roll.present.full;
        let base = if official_present > 0 {
            official_present
        } else {
            yes + no + abstain
        };
        Some(format!(
            "Kết quả biểu quyết: {yes}/{base} tán thành ({}), {no} không tán thành, {abstain} không biểu quyết.",
            percent(yes, base)
        ))
    }

    /// "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt." (dots if not recorded).
    pub fn quality_line(&self) -> String {
        format!(
            "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: {}.",
            self.quality.map(Quality::label).unwrap_or(DOTS)
        )
    }

    pub fn end_line(&self) -> Option<String> {
        self.end
            .map(|t| format!("Buổi sinh hoạt kết thúc lúc {} cùng ngày.", hm(t)))
    }

    /// The resolution's part headings: I–III for a regular meeting, I–II
    /// (quality, then tasks) for one that reviews no month.
    pub fn resolution_parts(&self) -> Vec<&'static str> {
        if self.reviews_last_month {
            vec![
                "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG TRƯỚC",
                "II. ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT",
                "III. NHIỆM VỤ THÁNG TỚI",
            ]
        } else {
            vec![
                "I. ĐÁNH GIÁ CHẤT LƯỢNG SINH HOẠT",
                "II. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN",
            ]
        }
    }

    pub fn resolution_opening(&self) -> String {
        // "sinh hoạt chuyên đề \"X\"", never "chuyên đề chuyên đề".
        let kind = self.kind_label.to_lowercase();
        let topic = match self.topic.as_deref() {
            Some(t) if kind.contains("chuyên đề") => format!(" \"{t}\""),
            Some(t) => format!(", chuyên đề \"{t}\""),
            None => String::new(),
        };
        format!(
            "{}, tại {}, {} tổ chức {}{}. {} {} Sau khi thảo luận, chi bộ thống nhất quyết nghị:",
            self.when(),
            self.location,
            self.cell,
            kind,
            topic,
            self.attendance_line(),
            self.chair_line()
        )
    }

    /// Part I's rows, or the sentence saying there was nothing to review.
    pub fn review_rows(&self) -> Vec<[String; 5]> {
        self.reviews
            .iter()
            .enumerate()
            .map(|(i, r)| {
                [
                    (i + 1).to_string(),
                    r.assignee.clone(),
                    r.title.clone(),
                    r.outcome.clone(),
                    r.comment.clone(),
                ]
            })
            .collect()
    }

    /// "Kết quả: 2/4 nhiệm vụ hoàn thành." under part I's table.
    pub fn review_summary(&self) -> String {
        if self.reviews.is_empty() {
            return "Nghị quyết kỳ trước không giao nhiệm vụ cụ thể cho đảng viên.".into();
        }
        let done = self
            .reviews
            .iter()
            .filter(|r| r.outcome == crate::domain::meeting::TaskStatus::Done.label())
            .count();
        format!(
            "Kết quả: {done}/{} nhiệm vụ hoàn thành.",
            self.reviews.len()
        )
    }

    pub fn task_rows(&self) -> Vec<[String; 5]> {
        self.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                [
                    (i + 1).to_string(),
                    t.assignee.clone(),
                    t.title.clone(),
                    t.households.clone(),
                    t.deadline.map(short_date).unwrap_or_default(),
                ]
            })
            .collect()
    }

    /// "Nơi nhận" (§9.2 of the party format): the upper committee to report
    /// to, the upper-level cadres following the cell, members, file.
    pub fn recipients(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.upper_org.trim().is_empty() {
            out.push(format!(
                "- {} (để báo cáo),",
                committee_name(self.upper_org.trim())
            ));
        }
        for f in &self.followers {
            out.push(format!("- Đồng chí {f} (cấp trên theo dõi chi bộ),"));
        }
        out.push("- Đảng viên trong chi bộ,".into());
        out.push("- Lưu chi bộ.".into());
        out
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

    /// "Chi ủy Chi bộ 4 (bản Đông Pao) thông báo …" or, without a committee,
    /// "Chi bộ 4 (bản Đông Pao) thông báo …": the cell's name is never
    /// preceded by a second "Chi bộ".
    pub fn notice_intro(&self) -> String {
        let who = if crate::domain::meeting::has_committee(self.full_members) {
            format!("Chi ủy {}", self.cell)
        } else {
            self.cell.clone()
        };
        format!("{who} thông báo tới các đồng chí đảng viên trong chi bộ lịch sinh hoạt như sau:")
    }

    pub fn notice_time(&self) -> String {
        match self.start {
            Some(t) => format!("{}, {}", hm(t), long_date(self.date)),
            None => long_date(self.date),
        }
    }

    pub fn notice_content(&self) -> String {
        match &self.topic {
            Some(t) => format!("3. Nội dung: {} – chuyên đề: {t}.", self.kind_label),
            None => format!("3. Nội dung: {}.", self.kind_label),
        }
    }
}

#[cfg(test)]
pub(crate) fn sample() -> MeetingDoc {
    use crate::domain::document::Split;
    use jiff::civil::{date, time};
    let split = |full, probationary| Split { full, probationary };
    MeetingDoc {
        upper_org: "Đảng bộ xã Bản Hon".into(),
        cell: "Chi bộ 4 (bản Đông Pao)".into(),
        followers: vec!["Lò Văn Phà".into()],
        place_name: Some("Bản Hon".into()),
        kind_label: "Sinh hoạt thường kỳ".into(),
        topic: None,
        date: date(2026, 11, 3),
        start: Some(time(19, 30, 0, 0)),
        end: Some(time(21, 15, 0, 0)),
        location: "Nhà văn hóa bản Đông Pao".into(),
        minutes_no: Some(14),
        resolution_no: Some(5),
        notice_no: Some(9),
        notice_on: Some(date(2026, 11, 1)),
        chair: Some("Lò Văn Thắng".into()),
        recorder: Some("Tẩn Thị Mai".into()),
        full_members: 13,
        roll: RollSplit {
            members: split(13, 2),
            exempt: split(1, 0),
            convened: split(12, 2),
            present: split(11, 2),
            absent_excused: split(1, 0),
            absent_unexcused: split(0, 0),
        },
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
        vote: Some((11, 0, 0)),
        resolution_subtitle: "Lãnh đạo thực hiện nhiệm vụ tháng 11 năm 2026".into(),
        resolution_text: "Chăm sóc lúa mùa; phòng chống rét cho đàn gia súc.".into(),
        reviews_last_month: true,
        reviews: vec![
            ReviewLine {
                assignee: "Sùng A Páo".into(),
                title: "Vận động hộ tiêm phòng gia súc".into(),
                outcome: "Hoàn thành".into(),
                comment: "12/12 hộ".into(),
            },
            ReviewLine {
                assignee: "Tẩn Thị Mai".into(),
                title: "Đôn đốc thu đảng phí".into(),
                outcome: "Đang thực hiện".into(),
                comment: String::new(),
            },
        ],
        quality: Some(Quality::Good),
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
        resolution_signer: Signer {
            sig: crate::domain::document::signature(13, crate::domain::document::CellPost::Deputy),
            name: Some("Lò Văn Thắng".into()),
        },
        notice_signer: Signer {
            sig: crate::domain::document::signature(
                13,
                crate::domain::document::CellPost::Secretary,
            ),
            name: Some("Tẩn Văn Chiêu".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_format_party_style() {
        let d = sample();
        assert_eq!(d.place_and_date(), "Bản Hon, ngày 03 tháng 11 năm 2026");
        assert_eq!(
            d.notice_place_and_date(),
            "Bản Hon, ngày 01 tháng 11 năm 2026"
        );
        assert_eq!(d.number_symbol(DocKind::Minutes), "Số 14-BB/CB");
        assert_eq!(d.number_symbol(DocKind::Resolution), "Số 05-NQ/CB");
        assert_eq!(d.number_symbol(DocKind::Notice), "Số 09-TB/CB");
        assert_eq!(d.upper_org_line(), "ĐẢNG BỘ XÃ BẢN HON");
        assert_eq!(d.cell_line(), "CHI BỘ 4 (BẢN ĐÔNG PAO)");
        assert_eq!(
            d.vote_line().unwrap(),
            "Kết quả biểu quyết: 11/11 tán thành (100%), 0 không tán thành, 0 không biểu quyết."
        );
        assert_eq!(percent(12, 13), "92,3%");
        assert_eq!(d.recipients()[0], "- Đảng ủy xã Bản Hon (để báo cáo),");
        assert_eq!(
            d.recipients()[1],
            "- Đồng chí Lò Văn Phà (cấp trên theo dõi chi bộ),"
        );
        assert_eq!(d.review_summary(), "Kết quả: 1/2 nhiệm vụ hoàn thành.");
        assert_eq!(
            d.quality_line(),
            "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Tốt."
        );
        assert_eq!(
            d.amendment_lines()[0],
            "Lúc 08 giờ 05 ngày 04/11/2026, đồng chí Tẩn Thị Mai đính chính: Sửa số có mặt thành 13."
        );
        assert_eq!(paragraphs("a\nb\n\n\nc\n"), vec!["a b", "c"]);
        assert_eq!(
            paragraphs("1. Lúa mùa;\nchăm sóc.\n2. Phòng rét.\n- Hộ A\n2026 là năm"),
            vec![
                "1. Lúa mùa; chăm sóc.",
                "2. Phòng rét.",
                "- Hộ A 2026 là năm"
            ]
        );
    }

    // Issue 10, point 5: no "Chi bộ Chi bộ 4" in any sentence.
    #[test]
    fn the_cell_is_named_once() {
        let mut d = sample();
        assert!(
            d.notice_intro()
                .starts_with("Chi ủy Chi bộ 4 (bản Đông Pao) thông báo")
        );
        d.full_members = 6;
        assert!(
            d.notice_intro()
                .starts_with("Chi bộ 4 (bản Đông Pao) thông báo")
        );
        for s in [d.notice_intro(), d.resolution_opening(), d.opening_line()] {
            assert!(!s.to_lowercase().contains("chi bộ chi bộ"), "{s}");
        }
        d.kind_label = "Sinh hoạt chuyên đề".into();
        d.topic = Some("Giảm nghèo".into());
        assert!(
            d.resolution_opening()
                .contains("tổ chức sinh hoạt chuyên đề \"Giảm nghèo\".")
        );
        d.kind_label = "Sinh hoạt mẫu".into();
        assert!(
            d.resolution_opening()
                .contains("tổ chức sinh hoạt mẫu, chuyên đề \"Giảm nghèo\".")
        );
    }

    // Before issue: a blank number and a date to fill in (docs/rules.md
    // "Number series of a cell's documents").
    #[test]
    fn unissued_documents_leave_blanks() {
        let mut d = sample();
        d.notice_no = None;
        d.notice_on = None;
        d.place_name = None;
        d.quality = None;
        assert_eq!(
            d.number_symbol(DocKind::Notice),
            "Số \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}-TB/CB"
        );
        assert_eq!(d.notice_place_and_date(), "……, ngày … tháng … năm …");
        assert_eq!(
            d.quality_line(),
            "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: ……."
        );
        d.reviews.clear();
        assert!(d.review_summary().contains("không giao nhiệm vụ"));
    }
}
