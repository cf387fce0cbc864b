//! Axis scales and labels: pure arithmetic the chart markup is built on.

use crate::domain::dashboard::Unit;

/// The axis top and its step: round steps (1, 2 or 5 × 10ⁿ, whole numbers
/// for counts), four or five of them, the top at or above `max`. Percent
/// axes always run to 100. A max of 0 (nothing to draw) still gives an axis.
pub fn axis(max: f64, unit: Unit) -> (f64, f64) {
    if unit == Unit::Percent {
        return (100.0, 25.0);
    }
    if !max.is_finite() || max <= 0.0 {
        return (4.0, 1.0);
    }
    let rough = max / 4.0;
    let mag = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * mag)
        .max(1.0);
    let top = (max / step).ceil().max(1.0) * step;
    (top, step)
}

/// The tick values from 0 to `top` by `step`.
pub fn ticks(top: f64, step: f64) -> Vec<f64> {
    let n = (top / step).round() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// The position of `v` on an axis of `len` units running to `top`, clamped.
pub fn scale(v: f64, top: f64, len: f64) -> f64 {
    if top <= 0.0 {
        return 0.0;
    }
    (v / top).clamp(0.0, 1.0) * len
}

/// A number as the table and chart show it: counts whole, percentages with
/// one decimal.
pub fn format(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format!("{}", v.round() as i64),
        Unit::Percent => format!("{v:.1}"),
        Unit::Number => {
            let r = (v * 100.0).round() / 100.0;
            if r.fract() == 0.0 {
                format!("{}", r as i64)
            } else {
                format!("{r}")
            }
        }
    }
}

/// A label cut to `max` characters (not bytes: Vietnamese letters are
/// several bytes), with an ellipsis when cut.
pub fn truncate(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_to_round_steps() {
        assert_eq!(axis(3.0, Unit::Count), (3.0, 1.0));
        assert_eq!(axis(13.0, Unit::Count), (15.0, 5.0));
        assert_eq!(axis(100.0, Unit::Count), (100.0, 50.0));
        assert_eq!(axis(1234.0, Unit::Count), (1500.0, 500.0));
        assert_eq!(axis(0.4, Unit::Count), (1.0, 1.0));
        assert_eq!(axis(37.5, Unit::Percent), (100.0, 25.0));
    }

    #[test]
    fn a_zero_or_broken_max_still_gives_an_axis() {
        assert_eq!(axis(0.0, Unit::Count), (4.0, 1.0));
        assert_eq!(axis(f64::NAN, Unit::Count), (4.0, 1.0));
        assert_eq!(ticks(4.0, 1.0), [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(scale(5.0, 0.0, 100.0), 0.0);
    }

    #[test]
    fn scale_is_proportional_and_clamped() {
        assert_eq!(scale(5.0, 10.0, 200.0), 100.0);
        assert_eq!(scale(20.0, 10.0, 200.0), 200.0);
        assert_eq!(scale(-1.0, 10.0, 200.0), 0.0);
    }

    #[test]
    fn labels_are_cut_by_characters() {
        assert_eq!(truncate("Đất đai", 10), "Đất đai");
        let t = truncate("Cấp giấy chứng nhận quyền sử dụng đất", 12);
        assert_eq!(t.chars().count(), 12);
        assert!(t.ends_with('…'));
        assert_eq!(format(66.66, Unit::Percent), "66.7");
        assert_eq!(format(3.0, Unit::Count), "3");
        assert_eq!(format(3631.0, Unit::Number), "3631");
        assert_eq!(format(87.625, Unit::Number), "87.63");
    }
}
