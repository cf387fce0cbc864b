//! What a cell's documents (minutes, resolution, notice) say, as rules:
//! their number series, who signs them and with which title, the roll call
//! split between full and probationary members, and the meeting's quality
//! self-evaluation. See docs/rules.md "Number series of a cell's documents",
//! "Who signs and with which title" and "Resolution structure".

use super::meeting::{Presence, RollEntry, has_committee};
use serde::{Deserialize, Serialize};

/// A kind of document a cell issues, each with its own number series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum DocKind {
    /// Biên bản: numbered when the minutes are signed.
    #[serde(rename = "BB")]
    Minutes,
    /// Nghị quyết: numbered when the minutes and resolution are signed.
    #[serde(rename = "NQ")]
    Resolution,
    /// Thông báo: numbered when issued (sent to the members).
    #[serde(rename = "TB")]
    Notice,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [Self::Minutes, Self::Resolution, Self::Notice];

    /// The party abbreviation of the kind (Hướng dẫn 36-HD/VPTW).
    pub fn code(self) -> &'static str {
        match self {
            Self::Minutes => "BB",
            Self::Resolution => "NQ",
            Self::Notice => "TB",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The space left for a number written by hand on a document not yet issued.
pub const BLANK_NUMBER: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

/// "Số 05-NQ/CB" (party style: number, hyphen, kind, slash, issuer); before
/// issue "Số      -TB/CB" with room to write the number.
pub fn number_symbol(kind: DocKind, number: Option<i64>) -> String {
    match number {
        Some(n) if n > 0 => format!("Số {n:02}-{}/CB", kind.code()),
        _ => format!("Số {BLANK_NUMBER}-{}/CB", kind.code()),
    }
}

/// A member's post in the cell's leadership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellPost {
    /// Bí thư chi bộ.
    Secretary,
    /// Phó bí thư chi bộ.
    Deputy,
    /// No post: an ordinary member.
    Member,
}

impl CellPost {
    pub fn code(self) -> &'static str {
        match self {
            Self::Secretary => "secretary",
            Self::Deputy => "deputy",
            Self::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Secretary, Self::Deputy, Self::Member]
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// The highest of the posts a member holds (a secretary who is also
    /// recorded as deputy signs as secretary).
    pub fn highest(posts: impl IntoIterator<Item = CellPost>) -> CellPost {
        posts
            .into_iter()
            .min_by_key(|p| match p {
                Self::Secretary => 0,
                Self::Deputy => 1,
                Self::Member => 2,
            })
            .unwrap_or(Self::Member)
    }
}

/// The two bold lines above a signature: on whose behalf, then the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub body: &'static str,
    pub title: &'static str,
}

/// Who signs the resolution (and the notice) and how (docs/rules.md "Who
/// signs and with which title"): on behalf of the committee where the cell
/// has one, else of the cell; titled by the signer's post. A member without a
/// post who chaired signs for the cell as "CHỦ TRÌ": only the committee's own
/// members sign on its behalf.
pub fn signature(full_members: i64, post: CellPost) -> Signature {
    let committee = has_committee(full_members);
    match post {
        CellPost::Secretary | CellPost::Deputy => Signature {
            body: if committee {
                "T/M CHI ỦY"
            } else {
                "T/M CHI BỘ"
            },
            title: if post == CellPost::Secretary {
                "BÍ THƯ"
            } else {
                "PHÓ BÍ THƯ"
            },
        },
        CellPost::Member => Signature {
            body: "T/M CHI BỘ",
            title: "CHỦ TRÌ",
        },
    }
}

/// The cell's own evaluation of a meeting's quality, recorded before
/// signing (four levels of Hướng dẫn 12-HD/BTCTW, 06/7/2018).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Good,
    Fair,
    Average,
    Weak,
}

impl Quality {
    pub const ALL: [Quality; 4] = [Self::Good, Self::Fair, Self::Average, Self::Weak];

    pub fn code(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Average => "average",
            Self::Weak => "weak",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "Tốt",
            Self::Fair => "Khá",
            Self::Average => "Trung bình",
            Self::Weak => "Kém",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.code() == code)
    }
}

/// A count split between full (official) and probationary members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    pub full: i64,
    pub probationary: i64,
}

impl Split {
    pub fn total(&self) -> i64 {
        self.full + self.probationary
    }

    fn add(&mut self, full: bool) {
        if full {
            self.full += 1;
        } else {
            self.probationary += 1;
        }
    }

    /// "14 (11 chính thức, 3 dự bị)"; a nought stays bare.
    pub fn phrase(&self) -> String {
        if self.total() == 0 {
            "0".into()
        } else {
            format!(
                "{} ({} chính thức, {} dự bị)",
                self.total(),
                self.full,
                self.probationary
            )
        }
    }
}

/// "Tình hình đảng viên dự sinh hoạt": each line of the roll call with full
/// and probationary members counted apart (docs/rules.md "Resolution
/// structure"). Exempt members are full members (only they are exempted) and
/// are not convened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RollSplit {
    pub members: Split,
    pub exempt: Split,
    pub convened: Split,
    pub present: Split,
    pub absent_excused: Split,
    pub absent_unexcused: Split,
}

impl RollSplit {
    pub fn of(roll: &[RollEntry]) -> Self {
        let mut s = RollSplit::default();
        for r in roll {
            let full = r.official || r.presence == Presence::Exempt;
            s.members.add(full);
            match r.presence {
                Presence::Exempt => s.exempt.add(full),
                p => {
                    s.convened.add(full);
                    match p {
                        Presence::Present => s.present.add(full),
                        Presence::AbsentExcused => s.absent_excused.add(full),
                        _ => s.absent_unexcused.add(full),
                    }
                }
            }
        }
        s
    }

    /// One sentence for the minutes and the resolution's opening.
    pub fn sentence(&self) -> String {
        format!(
            "Tổng số đảng viên của chi bộ: {}; miễn sinh hoạt: {}; được triệu tập: {}; \
             có mặt: {}; vắng có lý do: {}; vắng không lý do: {}.",
            self.members.phrase(),
            self.exempt.phrase(),
            self.convened.phrase(),
            self.present.phrase(),
            self.absent_excused.phrase(),
            self.absent_unexcused.phrase()
        )
    }
}

/// The resolution's subtitle (docs/rules.md "Resolution structure"): a
/// regular meeting leads the month's tasks; a thematic one is named by its
/// theme. A title the cell typed is kept, without a leading "Nghị quyết"
/// that would repeat the document's name.
pub fn resolution_subtitle(
    thematic_only: bool,
    month: i8,
    year: i16,
    topic: &str,
    title: &str,
) -> String {
    let title = title.trim();
    let title = [
        "Nghị quyết chuyên đề:",
        "Nghị quyết chuyên đề",
        "Nghị quyết",
    ]
    .iter()
    .find_map(|p| title.strip_prefix(p))
    .unwrap_or(title)
    .trim();
    let standard = format!("Lãnh đạo thực hiện nhiệm vụ tháng {month} năm {year}");
    if thematic_only {
        let topic = topic.trim();
        if !topic.is_empty() {
            return format!("Chuyên đề \"{topic}\"");
        }
        if !title.is_empty() {
            return title.to_string();
        }
        return "Sinh hoạt chuyên đề".into();
    }
    if title.is_empty() || title.starts_with("Lãnh đạo thực hiện nhiệm vụ tháng") {
        standard
    } else {
        title.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(presence: Presence, official: bool) -> RollEntry {
        RollEntry {
            presence,
            spoke: false,
            official,
            reason: String::new(),
        }
    }

    // docs/rules.md "Number series of a cell's documents": party numbering,
    // hyphen then slash (Hướng dẫn 36-HD/VPTW, 2018).
    #[test]
    fn numbers_read_party_style_and_leave_a_blank_before_issue() {
        assert_eq!(number_symbol(DocKind::Resolution, Some(5)), "Số 05-NQ/CB");
        assert_eq!(number_symbol(DocKind::Minutes, Some(112)), "Số 112-BB/CB");
        let blank = number_symbol(DocKind::Notice, None);
        assert_eq!(blank, format!("Số {BLANK_NUMBER}-TB/CB"));
        assert!(!blank.contains('…') && !blank.contains("00"));
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_code(k.code()), Some(k));
        }
    }

    // docs/rules.md "Who signs and with which title": "T/M CHI ỦY" with a
    // committee (≥ 9 full members, Điều lệ Đảng), else "T/M CHI BỘ"; the
    // title by the post (Hướng dẫn 36-HD/VPTW, 2018, on signing for a body).
    #[test]
    fn the_chair_signs_with_the_title_of_their_post() {
        let s = signature(12, CellPost::Secretary);
        assert_eq!((s.body, s.title), ("T/M CHI ỦY", "BÍ THƯ"));
        let s = signature(8, CellPost::Secretary);
        assert_eq!((s.body, s.title), ("T/M CHI BỘ", "BÍ THƯ"));
        let s = signature(12, CellPost::Deputy);
        assert_eq!((s.body, s.title), ("T/M CHI ỦY", "PHÓ BÍ THƯ"));
        let s = signature(5, CellPost::Deputy);
        assert_eq!((s.body, s.title), ("T/M CHI BỘ", "PHÓ BÍ THƯ"));
        // A member without a post chairs: signs for the cell as chair, even
        // where a committee exists (common practice, not confirmed).
        let s = signature(12, CellPost::Member);
        assert_eq!((s.body, s.title), ("T/M CHI BỘ", "CHỦ TRÌ"));
        assert_eq!(
            CellPost::highest([CellPost::Deputy, CellPost::Secretary]),
            CellPost::Secretary
        );
        assert_eq!(CellPost::highest([]), CellPost::Member);
    }

    // Hướng dẫn 42-HD/BTCTW (28/10/2025): the roll call reports present,
    // absent with and without reason and exempt; full and probationary apart.
    #[test]
    fn roll_call_counts_full_and_probationary_members_apart() {
        let roll = [
            entry(Presence::Present, true),
            entry(Presence::Present, true),
            entry(Presence::Present, false),
            entry(Presence::AbsentExcused, true),
            entry(Presence::AbsentUnexcused, false),
            entry(Presence::Exempt, false),
        ];
        let s = RollSplit::of(&roll);
        assert_eq!(
            s.members,
            Split {
                full: 4,
                probationary: 2
            }
        );
        assert_eq!(
            s.present,
            Split {
                full: 2,
                probationary: 1
            }
        );
        assert_eq!(s.convened.total(), 5);
        assert_eq!(
            s.exempt,
            Split {
                full: 1,
                probationary: 0
            }
        );
        assert_eq!(
            s.absent_unexcused,
            Split {
                full: 0,
                probationary: 1
            }
        );
        assert_eq!(
            s.sentence(),
            "Tổng số đảng viên của chi bộ: 6 (4 chính thức, 2 dự bị); miễn sinh hoạt: \
             1 (1 chính thức, 0 dự bị); được triệu tập: 5 (3 chính thức, 2 dự bị); có mặt: 3 \
             (2 chính thức, 1 dự bị); vắng có lý do: 1 (1 chính thức, 0 dự bị); vắng không lý do: \
             1 (0 chính thức, 1 dự bị)."
        );
        assert_eq!(RollSplit::of(&[]).absent_excused.phrase(), "0");
    }

    // docs/rules.md "Resolution structure" (template built on Hướng dẫn
    // 42-HD/BTCTW, 28/10/2025; not confirmed against its annex).
    #[test]
    fn resolution_subtitles() {
        assert_eq!(
            resolution_subtitle(false, 11, 2026, "", ""),
            "Lãnh đạo thực hiện nhiệm vụ tháng 11 năm 2026"
        );
        assert_eq!(
            resolution_subtitle(
                false,
                3,
                2026,
                "",
                "Lãnh đạo thực hiện nhiệm vụ tháng 03/2026"
            ),
            "Lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"
        );
        assert_eq!(
            resolution_subtitle(false, 3, 2026, "", "Nghị quyết về phòng chống rét"),
            "về phòng chống rét"
        );
        assert_eq!(
            resolution_subtitle(
                true,
                11,
                2026,
                "Phát triển kinh tế hộ",
                "Nghị quyết chuyên đề: X"
            ),
            "Chuyên đề \"Phát triển kinh tế hộ\""
        );
        assert_eq!(
            resolution_subtitle(true, 11, 2026, "", "Nghị quyết chuyên đề: X"),
            "X"
        );
        for q in Quality::ALL {
            assert_eq!(Quality::from_code(q.code()), Some(q));
        }
        assert_eq!(Quality::Average.label(), "Trung bình");
    }
}
