//! A small deterministic generator and the pure helpers the demo data is
//! drawn with. SplitMix64 rather than `rand`'s `StdRng`: the same seed gives
//! the same data on every machine and with every version of `rand`.

use jiff::Span;
use jiff::civil::Date;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// An independent stream for item `n` of stream `stream`, so a cell can be
    /// regenerated alone from its own seed.
    pub fn derive(seed: u64, stream: u64, n: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.0 ^= n.wrapping_mul(0xA076_1D64_78BD_642F);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in [lo, hi], both included; `lo` when the range is empty.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item, uniformly. The lists drawn from are non-empty constants
    /// (checked by the tests of each list).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One item, with probability proportional to its weight.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total as usize) as u32;
        for (item, w) in items {
            if r < *w {
                return *item;
            }
            r -= w;
        }
        items[items.len() - 1].0
    }

    /// A factor in [1 - spread, 1 + spread], for natural-looking sizes.
    pub fn jitter(&mut self, spread: f64) -> f64 {
        1.0 - spread + 2.0 * spread * self.unit()
    }

    /// A date in [from, to], both included.
    pub fn date_between(&mut self, from: Date, to: Date) -> Date {
        add_days(from, self.range(0, days_between(from, to)))
    }

    /// `n` ASCII digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

pub fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(Span::new().days(n))
}

/// Same day `n` years later (29 February becomes 28 February).
pub fn add_years(d: Date, n: i16) -> Date {
    d.saturating_add(Span::new().years(n))
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// Splits `total` into one part per weight, each at least `min`, in
/// proportion to the weights (each part within one of its exact share). The
/// parts always sum to `total`: they are differences of rounded cumulative
/// shares whose last one is `total` itself. If `total` cannot give every part
/// `min`, the minimum is lowered to what it can give.
pub fn split(total: usize, weights: &[f64], min: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let min = min.min(total / n);
    let rest = total - min * n;
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let mut cumulative = 0.0;
    let mut previous = 0;
    let mut parts = Vec::with_capacity(n);
    for (i, w) in weights.iter().enumerate() {
        cumulative += if sum > 0.0 { w.max(0.0) } else { 1.0 };
        let whole = if sum > 0.0 { sum } else { n as f64 };
        let boundary = if i + 1 == n {
            rest
        } else {
            ((rest as f64 * cumulative / whole).round() as usize).min(rest)
        };
        let boundary = boundary.max(previous);
        parts.push(min + boundary - previous);
        previous = boundary;
    }
    parts
}

/// Picks exactly `k` of the items (or all, if fewer), item `i` with a chance
/// growing with `weights[i]` (Efraimidis–Spirakis sampling without
/// replacement); items of weight 0 are picked only when nothing else is left.
pub fn choose(rng: &mut Rng, weights: &[f64], k: usize) -> Vec<bool> {
    let mut keyed: Vec<(f64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let u = rng.unit().max(f64::MIN_POSITIVE);
            (if w > 0.0 { u.powf(1.0 / w) } else { -u }, i)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen = vec![false; weights.len()];
    for (_, i) in keyed.into_iter().take(k) {
        chosen[i] = true;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::Rng;
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn same_seed_same_numbers() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(8).next_u64(), xs[0]);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            assert!((3..=5).contains(&r.range(3, 5)));
            let d = r.date_between(date(2016, 1, 1), date(2016, 12, 31));
            assert_eq!(d.year(), 2016);
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(4, 4), 4);
        assert_eq!(r.digits(8).len(), 8);
    }

    #[test]
    fn dates() {
        assert_eq!(add_years(date(2016, 2, 29), 1), date(2017, 2, 28));
        assert_eq!(days_between(date(2018, 1, 1), date(2018, 12, 31)), 364);
        assert_eq!(add_days(date(2017, 12, 31), 1), date(2018, 1, 1));
    }

    #[test]
    fn split_known_cases() {
        assert_eq!(split(10, &[1.0, 1.0], 3), vec![5, 5]);
        assert_eq!(split(11, &[1.0, 1.0], 3).iter().sum::<usize>(), 11);
        assert_eq!(split(100, &[1.0, 3.0], 0), vec![25, 75]);
        assert_eq!(split(166, &[1.0; 13], 3).iter().sum::<usize>(), 166);
        assert_eq!(split(9, &[0.0, 100.0, 0.0], 3), vec![3, 3, 3]);
        assert_eq!(
            split(4, &[1.0, 1.0, 1.0], 3),
            vec![1, 2, 1],
            "min lowered when total is short"
        );
        assert!(split(5, &[], 3).is_empty());
    }

    #[test]
    fn choose_picks_exactly_k() {
        let mut r = Rng::new(3);
        let w = [1.0, 0.0, 5.0, 2.0, 0.5];
        let c = choose(&mut r, &w, 3);
        assert_eq!(c.iter().filter(|x| **x).count(), 3);
        assert!(!c[1], "weight 0 is never chosen while others remain");
        assert_eq!(choose(&mut r, &w, 9).iter().filter(|x| **x).count(), 5);
    }

    proptest! {
        #[test]
        fn split_sums_exactly_and_respects_min(
            total in 0usize..20_000,
            weights in proptest::collection::vec(0.0f64..10.0, 1..600),
        ) {
            let parts = split(total, &weights, 3);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<usize>(), total);
            let min = 3.min(total / weights.len());
            prop_assert!(parts.iter().all(|p| *p >= min));
        }
    }
}
