//! A committee's meeting day for all its cells (docs/rules.md "A committee
//! sets one meeting day for its cells"): Bản Hon's committee directs every
//! cell to meet on the 3rd of the month (seed 002). A policy is dated data:
//! a new one starts on its date and never rewrites what came before.

use super::ValidationError;
use super::ids::OrgId;
use super::schedule::{Recurrence, parse_time};
use super::time::parse_date;
use jiff::civil::{Date, Time};

/// Days a policy may name: every month has them, so no cell's meeting
/// slides to another day in February.
pub const MAX_POLICY_DAY: i8 = 28;

/// Months ahead a policy lays out when it is applied.
pub const PLAN_MONTHS: i32 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPolicy {
    /// The committee that set it; it reaches every cell below.
    pub org: OrgId,
    pub effective_from: Date,
    pub day_of_month: i8,
    /// The hour every cell meets at; each cell's own when absent.
    pub time: Option<Time>,
    /// Cells that registered their own day keep it ("nơi được phép").
    pub cells_keep_own: bool,
}

impl DayPolicy {
    /// Parses the form or API input; `today` bounds the effective date: a
    /// policy is set for what comes, never backdated.
    pub fn parse(
        org: OrgId,
        effective_from: &str,
        day: &str,
        time: &str,
        cells_keep_own: bool,
        today: Date,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let effective_from = match parse_date(effective_from) {
            Some(d) if d >= today => Some(d),
            Some(_) => {
                errors.push(ValidationError::new(
                    "effective_from",
                    "Áp dụng từ ngày",
                    "không được trước hôm nay",
                ));
                None
            }
            None => {
                errors.push(ValidationError::new(
                    "effective_from",
                    "Áp dụng từ ngày",
                    "không đúng định dạng ngày",
                ));
                None
            }
        };
        let day_of_month = match day.trim().parse::<i8>() {
            Ok(d) if (1..=MAX_POLICY_DAY).contains(&d) => Some(d),
            _ => {
                errors.push(ValidationError::new(
                    "day_of_month",
                    "Ngày sinh hoạt",
                    format!("phải là số từ 1 đến {MAX_POLICY_DAY}"),
                ));
                None
            }
        };
        let time = if time.trim().is_empty() {
            Some(None)
        } else {
            match parse_time(time) {
                Some(t) => Some(Some(t)),
                None => {
                    errors.push(ValidationError::new(
                        "time",
                        "Giờ",
                        "không đúng định dạng HH:MM",
                    ));
                    None
                }
            }
        };
        match (effective_from, day_of_month, time) {
            (Some(effective_from), Some(day_of_month), Some(time)) if errors.is_empty() => {
                Ok(DayPolicy {
                    org,
                    effective_from,
                    day_of_month,
                    time,
                    cells_keep_own,
                })
            }
            _ => Err(errors),
        }
    }

    /// "ngày 3 hằng tháng", as pages say it.
    pub fn describe(&self) -> String {
        let mut s = format!("ngày {} hằng tháng", self.day_of_month);
        if let Some(t) = self.time {
            s.push_str(&format!(", {}", super::schedule::format_time(t)));
        }
        s
    }
}

/// The committee of a node as pages name it: a đảng bộ's committee is its
/// đảng ủy ("Đảng bộ xã Bản Hon" → "Đảng ủy xã Bản Hon").
pub fn committee_name(node_name: &str) -> String {
    match node_name.strip_prefix("Đảng bộ ") {
        Some(rest) => format!("Đảng ủy {rest}"),
        None => node_name.to_string(),
    }
}

/// Groups policies by node along a path given nearest first (for `in_force`).
pub fn along(path: &[OrgId], policies: &[DayPolicy]) -> Vec<Vec<DayPolicy>> {
    path.iter()
        .map(|n| policies.iter().filter(|p| p.org == *n).cloned().collect())
        .collect()
}

/// The policy a cell follows on `on`: of the nearest committee above it that
/// has one in force then (its latest from on or before `on`). `above` holds
/// each ancestor's policies, nearest ancestor first.
pub fn in_force(above: &[Vec<DayPolicy>], on: Date) -> Option<&DayPolicy> {
    above.iter().find_map(|ps| {
        ps.iter()
            .filter(|p| p.effective_from <= on)
            .max_by_key(|p| p.effective_from)
    })
}

/// The policy in force on `on`, or else the next one to come into force
/// (what a calendar announces ahead).
pub fn in_force_or_next(above: &[Vec<DayPolicy>], on: Date) -> Option<&DayPolicy> {
    in_force(above, on).or_else(|| {
        above.iter().find_map(|ps| {
            ps.iter()
                .filter(|p| p.effective_from > on)
                .min_by_key(|p| p.effective_from)
        })
    })
}

/// The rule a cell's regular meetings follow: the policy's day unless the
/// policy lets cells keep their own and this cell registered one. The place
/// (and the hour, if the policy sets none) stay the cell's. The flag says
/// whether the policy decided the day.
pub fn cell_rule(
    own: Option<&Recurrence>,
    policy: Option<&DayPolicy>,
    fallback: &Recurrence,
) -> (Recurrence, bool) {
    let base = own.unwrap_or(fallback);
    match policy {
        Some(p) if !(p.cells_keep_own && own.is_some()) => (
            Recurrence {
                day_of_month: p.day_of_month,
                time: p.time.unwrap_or(base.time),
                place: base.place.clone(),
            },
            true,
        ),
        _ => (base.clone(), false),
    }
}

/// A meeting of a cell as applying a policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub day: Date,
    /// Counts as the month's regular meeting and is not cancelled.
    pub counts: bool,
    /// A plain regular meeting, still planned and unsigned: the only kind a
    /// policy may move.
    pub movable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Move { id: i64, from: Date, to: Date },
    Create { day: Date },
}

/// What applying a policy's day changes in one cell, for the `PLAN_MONTHS`
/// months from `start` (the later of the policy's date and tomorrow): a month
/// whose day is before `start` is left alone; a month with a meeting that
/// counts as regular and cannot move (held, signed, thematic-combined, or
/// already past) is left alone; a planned regular meeting moves to the day;
/// a month without one gets one.
pub fn plan(day_of_month: i8, start: Date, existing: &[Existing]) -> Vec<Step> {
    let mut steps = Vec::new();
    let first = start.first_of_month();
    for i in 0..PLAN_MONTHS {
        let Ok(month) = first.checked_add(jiff::Span::new().months(i)) else {
            break;
        };
        let Ok(target) = month.with().day(day_of_month).build() else {
            continue;
        };
        if target < start {
            continue;
        }
        let in_month: Vec<&Existing> = existing
            .iter()
            .filter(|e| {
                e.counts && e.day.year() == target.year() && e.day.month() == target.month()
            })
            .collect();
        if in_month.iter().any(|e| !e.movable || e.day < start) {
            continue;
        }
        match in_month.first() {
            Some(e) if e.day != target => steps.push(Step::Move {
                id: e.id,
                from: e.day,
                to: target,
            }),
            Some(_) => {}
            None => steps.push(Step::Create { day: target }),
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn policy(day: i8, from: Date, keep: bool) -> DayPolicy {
        DayPolicy {
            org: OrgId(3),
            effective_from: from,
            day_of_month: day,
            time: None,
            cells_keep_own: keep,
        }
    }

    #[test]
    fn parsing_names_the_field_and_refuses_days_past_28() {
        let today = date(2026, 11, 23);
        let p = DayPolicy::parse(OrgId(3), "01/12/2026", "3", "19:30", false, today).unwrap();
        assert_eq!(p.day_of_month, 3);
        assert_eq!(p.describe(), "ngày 3 hằng tháng, 19:30");
        let errs = DayPolicy::parse(OrgId(3), "01/11/2026", "31", "x", false, today).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["effective_from", "day_of_month", "time"]);
        assert!(errs[1].to_string().contains("từ 1 đến 28"));
    }

    // Seed 002: Bản Hon's committee directs all its cells to meet on the 3rd.
    #[test]
    fn the_nearest_committee_in_force_decides() {
        let commune = vec![
            policy(3, date(2019, 1, 1), false),
            policy(5, date(2027, 1, 1), false),
        ];
        let province = vec![policy(10, date(2018, 1, 1), false)];
        let above = vec![vec![], commune, province];
        assert_eq!(in_force(&above, date(2026, 6, 1)).unwrap().day_of_month, 3);
        assert_eq!(in_force(&above, date(2027, 2, 1)).unwrap().day_of_month, 5);
        assert_eq!(in_force(&above, date(2018, 6, 1)).unwrap().day_of_month, 10);
        assert!(in_force(&above, date(2017, 6, 1)).is_none());
        let ahead = vec![vec![policy(3, date(2027, 1, 1), false)]];
        assert!(in_force(&ahead, date(2026, 11, 23)).is_none());
        assert_eq!(
            in_force_or_next(&ahead, date(2026, 11, 23)).map(|p| p.effective_from),
            Some(date(2027, 1, 1))
        );
    }

    #[test]
    fn the_committee_of_a_party_organization_is_its_dang_uy() {
        assert_eq!(committee_name("Đảng bộ xã Bản Hon"), "Đảng ủy xã Bản Hon");
        assert_eq!(committee_name("Huyện ủy Tam Đường"), "Huyện ủy Tam Đường");
        let ps = [policy(3, date(2026, 1, 1), false)];
        let grouped = along(&[OrgId(4), OrgId(3)], &ps);
        assert!(grouped[0].is_empty() && grouped[1].len() == 1);
    }

    #[test]
    fn a_cell_keeps_its_own_day_only_where_allowed() {
        let fallback = Recurrence::default_rule();
        let own = Recurrence {
            day_of_month: 15,
            ..Recurrence::default_rule()
        };
        let strict = policy(3, date(2026, 1, 1), false);
        let lenient = policy(3, date(2026, 1, 1), true);
        assert_eq!(
            cell_rule(Some(&own), Some(&strict), &fallback)
                .0
                .day_of_month,
            3
        );
        assert_eq!(
            cell_rule(Some(&own), Some(&lenient), &fallback)
                .0
                .day_of_month,
            15
        );
        assert!(!cell_rule(Some(&own), Some(&lenient), &fallback).1);
        // A cell with no day of its own follows even a lenient policy.
        let (r, follows) = cell_rule(None, Some(&lenient), &fallback);
        assert!(follows && r.day_of_month == 3);
        assert_eq!(cell_rule(Some(&own), None, &fallback).0.day_of_month, 15);
    }

    #[test]
    fn planning_moves_planned_meetings_and_fills_empty_months_only() {
        let start = date(2026, 11, 24);
        let existing = [
            // November: the 3rd is past, the month is left alone.
            Existing {
                id: 1,
                day: date(2026, 11, 10),
                counts: true,
                movable: false,
            },
            // December: a planned regular meeting on the 15th moves.
            Existing {
                id: 2,
                day: date(2026, 12, 15),
                counts: true,
                movable: true,
            },
            // January: held already (a signed or combined one): untouched.
            Existing {
                id: 3,
                day: date(2027, 1, 9),
                counts: true,
                movable: false,
            },
            // February: only a thematic meeting, which does not count.
            Existing {
                id: 4,
                day: date(2027, 2, 20),
                counts: false,
                movable: false,
            },
            // March: already on the 3rd.
            Existing {
                id: 5,
                day: date(2027, 3, 3),
                counts: true,
                movable: true,
            },
        ];
        let steps = plan(3, start, &existing);
        assert_eq!(
            steps[0],
            Step::Move {
                id: 2,
                from: date(2026, 12, 15),
                to: date(2026, 12, 3)
            }
        );
        assert_eq!(
            steps[1],
            Step::Create {
                day: date(2027, 2, 3)
            }
        );
        assert_eq!(
            steps[2],
            Step::Create {
                day: date(2027, 4, 3)
            }
        );
        // Dec..Oct: 11 months whose 3rd is on or after the start.
        assert_eq!(steps.len(), 1 + 1 + 7);
        assert!(
            !steps
                .iter()
                .any(|s| matches!(s, Step::Move { id, .. } if *id != 2))
        );
    }

    #[test]
    fn a_meeting_before_the_start_is_never_moved() {
        // A planned meeting on the 1st, the policy starting on the 2nd for the 3rd.
        let existing = [Existing {
            id: 9,
            day: date(2027, 1, 1),
            counts: true,
            movable: true,
        }];
        let steps = plan(3, date(2027, 1, 2), &existing);
        assert!(!steps.iter().any(|s| matches!(s, Step::Move { .. })));
        assert!(!steps.contains(&Step::Create {
            day: date(2027, 1, 3)
        }));
    }
}
