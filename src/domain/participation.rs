//! Attendance and speaking of the members the seeds say speak least, apart
//! from the whole cell (docs/rules.md "Attendance and speaking of members
//! without a post and of new members"; seed 001: members without a position
//! and newly admitted members speak little).

use super::meeting::{RollEntry, Tally};
use super::status::MemberStatus;
use jiff::civil::Date;
use serde::Serialize;

/// Months after admission a member counts as newly admitted: the probation
/// the Party Statute sets.
pub const NEW_MEMBER_MONTHS: i64 = 12;

/// Newly admitted on `on`: still probationary, or admitted within the
/// `NEW_MEMBER_MONTHS` months up to that day.
pub fn is_new_member(status: MemberStatus, admitted_on: Option<Date>, on: Date) -> bool {
    if status == MemberStatus::Probationary {
        return true;
    }
    let Some(admitted) = admitted_on else {
        return false;
    };
    let Ok(since) = on.checked_sub(jiff::Span::new().months(NEW_MEMBER_MONTHS)) else {
        return false;
    };
    admitted > since && admitted <= on
}

/// A group counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Holds no post in the cell or in a committee above it.
    NoPost,
    /// Newly admitted (see `is_new_member`).
    New,
}

impl Group {
    pub const ALL: [Group; 2] = [Group::NoPost, Group::New];

    pub fn code(self) -> &'static str {
        match self {
            Group::NoPost => "no_post",
            Group::New => "new",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::NoPost => "Đảng viên không giữ chức vụ",
            Group::New => "Đảng viên mới kết nạp",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// Convened, present and speakers of a group (exempt members are never convened).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub convened: i64,
    pub present: i64,
    pub speakers: i64,
}

impl Figures {
    pub fn of(t: &Tally) -> Self {
        Figures {
            convened: t.convened,
            present: t.present,
            speakers: t.speakers,
        }
    }

    pub fn add(&mut self, o: &Figures) {
        self.convened += o.convened;
        self.present += o.present;
        self.speakers += o.speakers;
    }

    /// Present / convened; none when nobody of the group was convened.
    pub fn attendance_rate(&self) -> Option<f64> {
        (self.convened > 0).then(|| self.present as f64 / self.convened as f64)
    }

    /// Speakers / present; none when nobody of the group was present.
    pub fn speaker_share(&self) -> Option<f64> {
        (self.present > 0).then(|| self.speakers as f64 / self.present as f64)
    }
}

/// One line of a roll call with what sets the member apart.
#[derive(Debug, Clone)]
pub struct Marked {
    pub entry: RollEntry,
    pub holds_post: bool,
    pub new_member: bool,
}

/// The figures of each group in a roll call.
pub fn groups(roll: &[Marked]) -> Vec<(Group, Figures)> {
    Group::ALL
        .into_iter()
        .map(|g| {
            let of_group: Vec<RollEntry> = roll
                .iter()
                .filter(|m| match g {
                    Group::NoPost => !m.holds_post,
                    Group::New => m.new_member,
                })
                .map(|m| m.entry.clone())
                .collect();
            (g, Figures::of(&Tally::of(&of_group)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meeting::Presence;
    use jiff::civil::date;

    fn line(presence: Presence, spoke: bool, holds_post: bool, new_member: bool) -> Marked {
        Marked {
            entry: RollEntry {
                presence,
                spoke,
                official: !new_member,
                reason: String::new(),
            },
            holds_post,
            new_member,
        }
    }

    // Seed 001: members without a position and newly admitted members speak
    // least; the figures show it beside the whole cell's.
    #[test]
    fn groups_are_counted_apart_from_the_whole_cell() {
        let roll = [
            line(Presence::Present, true, true, false), // the secretary
            line(Presence::Present, false, false, false), // silent, no post
            line(Presence::Present, true, false, false), // spoke, no post
            line(Presence::AbsentUnexcused, false, false, true), // new, absent
            line(Presence::Present, false, false, true), // new, silent
            line(Presence::Exempt, false, false, false), // never convened
        ];
        let g = groups(&roll);
        let no_post = g.iter().find(|(k, _)| *k == Group::NoPost).unwrap().1;
        assert_eq!(
            no_post,
            Figures {
                convened: 4,
                present: 3,
                speakers: 1
            }
        );
        let new = g.iter().find(|(k, _)| *k == Group::New).unwrap().1;
        assert_eq!(
            new,
            Figures {
                convened: 2,
                present: 1,
                speakers: 0
            }
        );
        assert_eq!(new.attendance_rate(), Some(0.5));
        assert_eq!(new.speaker_share(), Some(0.0));
        assert_eq!(Figures::default().attendance_rate(), None);
    }

    #[test]
    fn new_means_probationary_or_admitted_in_the_last_twelve_months() {
        let day = date(2026, 12, 3);
        assert!(is_new_member(
            MemberStatus::Probationary,
            Some(date(2024, 1, 1)),
            day
        ));
        assert!(is_new_member(
            MemberStatus::Official,
            Some(date(2025, 12, 4)),
            day
        ));
        assert!(!is_new_member(
            MemberStatus::Official,
            Some(date(2025, 12, 3)),
            day
        ));
        assert!(!is_new_member(MemberStatus::Official, None, day));
        // Admitted after the meeting: not yet a member then, not new then.
        assert!(!is_new_member(
            MemberStatus::Official,
            Some(date(2027, 1, 1)),
            day
        ));
    }
}
