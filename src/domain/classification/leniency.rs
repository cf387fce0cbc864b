//! Leniency at year-end (docs/rules.md "Leniency at year-end"): in one
//! deciding body's final grades of a year, everyone rated excellent or good
//! and nobody lower — no spread. A signal for the level above, computed
//! here, shown by the signals pages.

use super::{Grade, GradeCounts};

/// Below this many grades a set says nothing (a cell of five good members
/// is not a pattern).
pub const LENIENCY_MIN_SET: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    pub counts: GradeCounts,
}

/// The leniency signal over one deciding body's final grades of one year.
pub fn leniency(grades: &[Grade]) -> Option<Leniency> {
    let counts = GradeCounts::of(grades.iter().copied());
    (counts.total() >= LENIENCY_MIN_SET && counts.good_or_better() == counts.total())
        .then_some(Leniency { counts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Grade::*;

    fn set(exc: usize, good: usize, complete: usize, not: usize) -> Vec<Grade> {
        let mut v = vec![Excellent; exc];
        v.extend(vec![Good; good]);
        v.extend(vec![Complete; complete]);
        v.extend(vec![NotComplete; not]);
        v
    }

    #[test]
    fn everyone_good_or_better_is_lenient() {
        let s = leniency(&set(2, 12, 0, 0)).unwrap();
        assert_eq!(s.counts.total(), 14);
        assert!(leniency(&set(0, 10, 0, 0)).is_some());
    }

    #[test]
    fn a_spread_or_a_small_set_is_not() {
        // Bản Hon 2018: 17, 108, 22 — a spread.
        assert!(leniency(&set(17, 108, 22, 0)).is_none());
        assert!(leniency(&set(1, 20, 0, 1)).is_none());
        assert!(leniency(&set(1, 8, 0, 0)).is_none(), "9 < 10");
        assert!(leniency(&[]).is_none());
    }
}
