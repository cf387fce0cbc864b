//! SplitMix64, as `crate::demo`'s generator (private there): the same seed
//! gives the same data on every machine.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// An independent stream for item `n` of stream `stream`.
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

    /// One item of a non-empty constant list; panics never (index is < len).
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
}

/// Splits `total` into one part per weight, each at least `min` (lowered if
/// `total` cannot give it), in proportion to the weights; parts sum to `total`.
pub fn split(total: usize, weights: &[f64], min: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let min = min.min(total / n);
    let rest = total - min * n;
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let whole = if sum > 0.0 { sum } else { n as f64 };
    let mut cumulative = 0.0;
    let mut previous = 0;
    let mut parts = Vec::with_capacity(n);
    for (i, w) in weights.iter().enumerate() {
        cumulative += if sum > 0.0 { w.max(0.0) } else { 1.0 };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_sums() {
        assert_eq!(split(10, &[1.0, 1.0], 3), vec![5, 5]);
        assert_eq!(split(2000, &[1.0; 133], 3).iter().sum::<usize>(), 2000);
        let a: Vec<u64> = (0..3).map(|_| Rng::derive(1, 2, 3).next_u64()).collect();
        assert_eq!(a[0], a[1]);
        assert_ne!(
            Rng::derive(1, 2, 3).next_u64(),
            Rng::derive(1, 2, 4).next_u64()
        );
    }
}
