//! The members of one generated cell, drawn from the cell's own random
//! stream so every stage can redraw them without holding them in memory.

use super::plan::Cell;
use super::rng::Rng;
use crate::domain::org::CellType;
use jiff::civil::Date;
use jiff::{Span, ToSpan};

pub struct Person {
    pub id: i64,
    pub female: bool,
    pub birth: Date,
    pub admitted: Date,
    pub official_on: Option<Date>,
    pub exempt_from: Option<Date>,
    pub religion: &'static str,
    pub occupation: &'static str,
    pub education: &'static str,
    pub theory: &'static str,
}

impl Person {
    pub fn status_on(&self, d: Date) -> &'static str {
        if self.exempt_from.is_some_and(|e| e <= d) {
            "exempt"
        } else if self.official_on.is_some_and(|o| o <= d) {
            "official"
        } else {
            "probationary"
        }
    }

    /// The member's home placement in the cell starts with the tree, or on
    /// admission if later.
    pub fn home_from(&self, from: Date) -> Date {
        self.admitted.max(from)
    }
}

pub fn days(d: Date, n: i64) -> Date {
    d.saturating_add(Span::new().days(n))
}

pub fn people(seed: u64, index: usize, cell: &Cell, today: Date) -> Vec<Person> {
    let mut rng = Rng::derive(seed, 2, index as u64);
    let village = matches!(cell.cell_type, CellType::Rural | CellType::Residential);
    (0..cell.size)
        .map(|i| {
            let female = rng.chance(if village { 0.3 } else { 0.5 });
            let age = if village {
                // Village cells are older: many retired members.
                22 + (rng.unit().sqrt() * 63.0) as i64
            } else {
                rng.range(24, 59)
            };
            let birth = days(today, -(age * 365 + rng.range(0, 364)));
            let recent = rng.chance(0.03);
            let admitted = if recent {
                days(today, -rng.range(20, 360))
            } else {
                let at = rng.range(19, 35.min(age - 1).max(19));
                days(birth, at * 365 + rng.range(0, 364)).min(days(today, -400))
            };
            let official = admitted.saturating_add(1.year());
            let official_on = (official <= today).then_some(official);
            let exempt_from = if village && age >= 72 && official_on.is_some() && rng.chance(0.35) {
                Some(
                    days(birth, 70 * 365 + rng.range(0, 5 * 365))
                        .max(official)
                        .min(today),
                )
            } else {
                None
            };
            let occupation = match cell.cell_type {
                CellType::School => "Giáo viên",
                CellType::Health => "Viên chức y tế",
                CellType::Agency => "Cán bộ, công chức",
                CellType::Police => "Công an",
                _ if age >= 60 => "Hưu trí",
                _ => rng.weighted(&[
                    ("Nông dân", 50),
                    ("Kinh doanh", 15),
                    ("Công nhân", 15),
                    ("Lao động tự do", 10),
                    ("Cán bộ thôn", 10),
                ]),
            };
            Person {
                id: cell.first_member + i as i64,
                female,
                birth,
                admitted,
                official_on,
                exempt_from,
                religion: rng.weighted(&[("", 90), ("Công giáo", 6), ("Phật giáo", 4)]),
                occupation,
                education: if village && age >= 65 {
                    rng.weighted(&[("10/10", 60), ("7/10", 40)])
                } else {
                    rng.weighted(&[("12/12", 85), ("9/12", 15)])
                },
                theory: if village {
                    rng.weighted(&[("Sơ cấp", 70), ("Trung cấp", 10), ("", 20)])
                } else {
                    rng.weighted(&[("Trung cấp", 50), ("Cao cấp", 10), ("Sơ cấp", 40)])
                },
            }
        })
        .collect()
}
