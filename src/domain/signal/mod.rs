//! Formalism signals (biểu hiện hình thức): named rules, each with its
//! threshold as data, computed over plain facts about a subtree's meetings
//! and shown only to the level above, with the evidence (docs/rules.md
//! "Formalism signals"). A signal is a prompt to look, never a verdict.

pub mod similarity;

pub use super::classification::Grade;
use super::ids::{MemberId, OrgId};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The named rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Biên bản gần trùng một cuộc họp trước.
    RepeatedMinutes,
    /// Chỉ người chủ trì và thư ký (bí thư, phó bí thư) phát biểu.
    OnlyLeadersSpoke,
    /// Đảng viên không giữ chức vụ hoặc mới kết nạp không phát biểu qua nhiều cuộc họp.
    SilentMember,
    /// Nghị quyết không giao việc cho từng đảng viên.
    TasksNotPerMember,
    /// Nhiệm vụ không được kiểm điểm.
    TasksNeverReviewed,
    /// Cuộc họp ngắn hơn quy định.
    ShortMeeting,
    /// Cuối năm mọi người đều xếp loại xuất sắc hoặc tốt.
    LenientGrading,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Self::RepeatedMinutes,
        Self::OnlyLeadersSpoke,
        Self::SilentMember,
        Self::TasksNotPerMember,
        Self::TasksNeverReviewed,
        Self::ShortMeeting,
        Self::LenientGrading,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::RepeatedMinutes => "repeated_minutes",
            Self::OnlyLeadersSpoke => "only_leaders_spoke",
            Self::SilentMember => "silent_member",
            Self::TasksNotPerMember => "tasks_not_per_member",
            Self::TasksNeverReviewed => "tasks_never_reviewed",
            Self::ShortMeeting => "short_meeting",
            Self::LenientGrading => "lenient_grading",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::RepeatedMinutes => "Biên bản gần trùng cuộc họp trước",
            Self::OnlyLeadersSpoke => "Chỉ chủ trì và thư ký phát biểu",
            Self::SilentMember => "Đảng viên không phát biểu qua nhiều cuộc họp",
            Self::TasksNotPerMember => "Nghị quyết không giao việc cho từng đảng viên",
            Self::TasksNeverReviewed => "Nhiệm vụ không được kiểm điểm",
            Self::ShortMeeting => "Thời lượng ngắn hơn quy định",
            Self::LenientGrading => "Xếp loại cuối năm không phân hóa",
        }
    }

    /// What the rule looks for, with its threshold, as the page says it.
    pub fn describe(self, t: &Thresholds) -> String {
        match self {
            Self::RepeatedMinutes => format!(
                "Biên bản giống biên bản một cuộc họp trước của cùng chi bộ trong {} ngày từ {:.0}% trở lên (so cụm 3 từ liên tiếp, chỉ số Jaccard; biên bản ít hơn {} từ không so).",
                t.similarity_window_days,
                t.similarity * 100.0,
                t.similarity_min_words
            ),
            Self::OnlyLeadersSpoke => format!(
                "Có ít nhất {} đảng viên có mặt nhưng chỉ người chủ trì, thư ký cuộc họp, bí thư hoặc phó bí thư phát biểu.",
                t.leaders_min_present
            ),
            Self::SilentMember => format!(
                "Đảng viên không giữ chức vụ hoặc mới kết nạp có mặt ít nhất {} cuộc họp trong kỳ mà không phát biểu lần nào.",
                t.silent_meetings
            ),
            Self::TasksNotPerMember => format!(
                "Cuộc họp thường kỳ có nghị quyết nhưng giao nhiệm vụ cho dưới {:.0}% số đảng viên có mặt.",
                t.task_share * 100.0
            ),
            Self::TasksNeverReviewed => format!(
                "Nhiệm vụ còn mở, chưa được kiểm điểm ở cuộc họp nào dù chi bộ đã họp thêm ít nhất {} cuộc sau đó.",
                t.review_after_meetings
            ),
            Self::ShortMeeting => "Thời lượng ghi trong biên bản ngắn hơn mức tối thiểu của quy định có hiệu lực vào ngày họp (chỉ từ khi có quy định về thời lượng).".to_string(),
            Self::LenientGrading => format!(
                "Một cấp quyết định xếp loại ít nhất {} đảng viên trong năm và tất cả đều hoàn thành xuất sắc hoặc hoàn thành tốt nhiệm vụ.",
                t.lenient_min_rated
            ),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The thresholds of every rule: data, with where they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    pub similarity: f64,
    pub similarity_window_days: i64,
    pub similarity_min_words: usize,
    pub leaders_min_present: i64,
    pub silent_meetings: usize,
    pub task_share: f64,
    pub review_after_meetings: usize,
    pub lenient_min_rated: usize,
    /// Where the rules and thresholds come from.
    pub source: &'static str,
}

impl Thresholds {
    /// chibo's thresholds, set from the seed practice (no regulation gives
    /// figures for them).
    pub const DEFAULT: Thresholds = Thresholds {
        similarity: 0.85,
        similarity_window_days: 365,
        similarity_min_words: 30,
        leaders_min_present: 4,
        silent_meetings: 3,
        task_share: 0.2,
        review_after_meetings: 2,
        lenient_min_rated: 10,
        source: "Thực tiễn Đảng bộ Khối các cơ quan tỉnh Hòa Bình: bệnh hình thức, bí thư \"độc diễn\", đảng viên không giữ chức vụ và đảng viên mới ít phát biểu, nể nang, cào bằng khi đánh giá cuối năm; ngưỡng do chibo đặt.",
    };
}

/// One member's line of a meeting's roll call, as things stood that day.
#[derive(Debug, Clone, PartialEq)]
pub struct RollLine {
    pub member: MemberId,
    pub name: String,
    pub present: bool,
    pub spoke: bool,
    /// Secretary or deputy of the cell, or staff of a committee, that day.
    pub holds_post: bool,
    /// Probationary or admitted within 12 months of the meeting.
    pub new_member: bool,
}

/// A task of a meeting's resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskLine {
    pub member: Option<MemberId>,
    pub open: bool,
    pub reviewed: bool,
}

/// What a rule needs of one held meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFacts {
    pub id: i64,
    pub cell: OrgId,
    pub day: Date,
    /// Counts as the month's regular meeting.
    pub regular: bool,
    /// Proceedings, conclusion and resolution text.
    pub minutes: String,
    pub chair: Option<MemberId>,
    pub recorder: Option<MemberId>,
    pub roll: Vec<RollLine>,
    pub has_resolution: bool,
    pub tasks: Vec<TaskLine>,
    /// Length recorded, in minutes.
    pub duration: Option<i64>,
    /// The minimum of the rule in force that day, with its source.
    pub required: Option<(i64, String)>,
}

/// Why a signal fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    Similar {
        earlier: i64,
        earlier_day: Date,
        similarity: f64,
    },
    OnlyLeaders {
        present: i64,
        speakers: Vec<String>,
    },
    Silent {
        member: MemberId,
        name: String,
        new_member: bool,
        meetings: Vec<(i64, Date)>,
    },
    FewTasks {
        members_with_task: usize,
        present: i64,
    },
    Unreviewed {
        open_tasks: usize,
        later_meetings: usize,
    },
    Short {
        minutes: i64,
        required: i64,
        source: String,
    },
    Lenient {
        rated: usize,
        excellent: usize,
        good: usize,
    },
}

/// A rule that fired on a cell's meeting (or year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub rule: Rule,
    pub cell: OrgId,
    /// The meeting it concerns (the later one of a repeated pair); none for
    /// a year's grading.
    pub meeting: Option<i64>,
    pub day: Date,
    pub evidence: Evidence,
}

/// Every meeting-based signal of the meetings dated in `from..=to`. `meetings`
/// may also hold earlier meetings (within the similarity window) to compare
/// with, and later ones (to count the meetings held after a task).
pub fn detect(meetings: &[MeetingFacts], from: Date, to: Date, t: &Thresholds) -> Vec<Signal> {
    let mut by_cell: BTreeMap<OrgId, Vec<&MeetingFacts>> = BTreeMap::new();
    for m in meetings {
        by_cell.entry(m.cell).or_default().push(m);
    }
    let mut out = Vec::new();
    for (_, mut ms) in by_cell {
        ms.sort_by_key(|m| (m.day, m.id));
        out.extend(repeated_minutes(&ms, from, to, t));
        out.extend(silent_members(&ms, from, to, t));
        for (i, m) in ms.iter().enumerate() {
            if m.day < from || m.day > to {
                continue;
            }
            out.extend(only_leaders(m, t));
            out.extend(tasks_not_per_member(m, t));
            out.extend(tasks_never_reviewed(m, ms.len() - i - 1, t));
            out.extend(short_meeting(m));
        }
    }
    out.sort_by_key(|a| (a.day, a.cell, a.rule));
    out
}

fn repeated_minutes(ms: &[&MeetingFacts], from: Date, to: Date, t: &Thresholds) -> Vec<Signal> {
    let sets: Vec<Option<Vec<u64>>> = ms
        .iter()
        .map(|m| {
            let words = similarity::words(&m.minutes);
            (words.len() >= t.similarity_min_words).then(|| similarity::shingles_of(&words))
        })
        .collect();
    let mut out = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        if m.day < from || m.day > to {
            continue;
        }
        let Some(mine) = &sets[i] else { continue };
        // The most similar earlier meeting within the window.
        let best = (0..i)
            .filter(|&j| (m.day - ms[j].day).get_days() as i64 <= t.similarity_window_days)
            .filter_map(|j| Some((j, similarity::jaccard(mine, sets[j].as_ref()?))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, s)) = best.filter(|(_, s)| *s >= t.similarity) {
            out.push(Signal {
                rule: Rule::RepeatedMinutes,
                cell: m.cell,
                meeting: Some(m.id),
                day: m.day,
                evidence: Evidence::Similar {
                    earlier: ms[j].id,
                    earlier_day: ms[j].day,
                    similarity: (s * 1000.0).round() / 1000.0,
                },
            });
        }
    }
    out
}

fn is_leader(m: &MeetingFacts, l: &RollLine) -> bool {
    l.holds_post || Some(l.member) == m.chair || Some(l.member) == m.recorder
}

fn only_leaders(m: &MeetingFacts, t: &Thresholds) -> Option<Signal> {
    let present = m.roll.iter().filter(|l| l.present).count() as i64;
    let speakers: Vec<&RollLine> = m.roll.iter().filter(|l| l.present && l.spoke).collect();
    if present < t.leaders_min_present
        || speakers.is_empty()
        || !speakers.iter().all(|l| is_leader(m, l))
    {
        return None;
    }
    Some(Signal {
        rule: Rule::OnlyLeadersSpoke,
        cell: m.cell,
        meeting: Some(m.id),
        day: m.day,
        evidence: Evidence::OnlyLeaders {
            present,
            speakers: speakers.iter().map(|l| l.name.clone()).collect(),
        },
    })
}

fn silent_members(ms: &[&MeetingFacts], from: Date, to: Date, t: &Thresholds) -> Vec<Signal> {
    struct Seen {
        name: String,
        new_member: bool,
        meetings: Vec<(i64, Date)>,
        spoke: bool,
    }
    let mut seen: BTreeMap<MemberId, Seen> = BTreeMap::new();
    let in_period: Vec<&&MeetingFacts> =
        ms.iter().filter(|m| m.day >= from && m.day <= to).collect();
    for m in &in_period {
        for l in m.roll.iter().filter(|l| l.present) {
            let watched = l.new_member || !is_leader(m, l);
            let s = seen.entry(l.member).or_insert_with(|| Seen {
                name: l.name.clone(),
                new_member: false,
                meetings: Vec::new(),
                spoke: false,
            });
            if l.spoke {
                s.spoke = true;
            }
            if watched {
                s.new_member |= l.new_member;
                s.meetings.push((m.id, m.day));
            }
        }
    }
    let Some(last) = in_period.last() else {
        return Vec::new();
    };
    seen.into_iter()
        .filter(|(_, s)| !s.spoke && s.meetings.len() >= t.silent_meetings)
        .map(|(member, s)| Signal {
            rule: Rule::SilentMember,
            cell: last.cell,
            meeting: s.meetings.last().map(|x| x.0),
            day: s.meetings.last().map_or(last.day, |x| x.1),
            evidence: Evidence::Silent {
                member,
                name: s.name,
                new_member: s.new_member,
                meetings: s.meetings,
            },
        })
        .collect()
}

fn tasks_not_per_member(m: &MeetingFacts, t: &Thresholds) -> Option<Signal> {
    let present = m.roll.iter().filter(|l| l.present).count() as i64;
    if !m.regular || !m.has_resolution || present == 0 {
        return None;
    }
    let with_task: HashSet<MemberId> = m.tasks.iter().filter_map(|x| x.member).collect();
    if (with_task.len() as f64) >= t.task_share * present as f64 {
        return None;
    }
    Some(Signal {
        rule: Rule::TasksNotPerMember,
        cell: m.cell,
        meeting: Some(m.id),
        day: m.day,
        evidence: Evidence::FewTasks {
            members_with_task: with_task.len(),
            present,
        },
    })
}

fn tasks_never_reviewed(m: &MeetingFacts, later_meetings: usize, t: &Thresholds) -> Option<Signal> {
    let open = m.tasks.iter().filter(|x| x.open && !x.reviewed).count();
    if open == 0 || later_meetings < t.review_after_meetings {
        return None;
    }
    Some(Signal {
        rule: Rule::TasksNeverReviewed,
        cell: m.cell,
        meeting: Some(m.id),
        day: m.day,
        evidence: Evidence::Unreviewed {
            open_tasks: open,
            later_meetings,
        },
    })
}

fn short_meeting(m: &MeetingFacts) -> Option<Signal> {
    let (required, source) = m.required.as_ref()?;
    let minutes = m.duration?;
    (minutes < *required).then(|| Signal {
        rule: Rule::ShortMeeting,
        cell: m.cell,
        meeting: Some(m.id),
        day: m.day,
        evidence: Evidence::Short {
            minutes,
            required: *required,
            source: source.clone(),
        },
    })
}

/// The final grades one body gave its members for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    pub body: OrgId,
    pub year: i16,
    /// The day the grades were decided (or the year's last day).
    pub day: Date,
    pub grades: Vec<Grade>,
}

/// Leniency at year end: every member rated excellent or good, no spread.
/// Its data source (the yearly classification) is wired by the caller.
pub fn lenient_grading(g: &Grading, t: &Thresholds) -> Option<Signal> {
    let rated = g.grades.len();
    let excellent = g.grades.iter().filter(|x| **x == Grade::Excellent).count();
    let good = g.grades.iter().filter(|x| **x == Grade::Good).count();
    (rated >= t.lenient_min_rated && excellent + good == rated).then_some(Signal {
        rule: Rule::LenientGrading,
        cell: g.body,
        meeting: None,
        day: g.day,
        evidence: Evidence::Lenient {
            rated,
            excellent,
            good,
        },
    })
}

/// Signals counted by rule: what a dashboard shows.
pub fn count_by_rule(signals: &[Signal]) -> Vec<(Rule, usize)> {
    Rule::ALL
        .iter()
        .map(|r| (*r, signals.iter().filter(|s| s.rule == *r).count()))
        .collect()
}

#[cfg(test)]
mod tests;
