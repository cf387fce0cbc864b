//! How alike two minutes are: Vietnamese text normalized (NFC, lowercase,
//! words), then the Jaccard index of their word 3-grams (docs/rules.md
//! "Formalism signals", rule "Biên bản lặp lại").

use std::hash::{Hash, Hasher};
use unicode_normalization::UnicodeNormalization;

/// Words in a shingle.
pub const SHINGLE: usize = 3;

/// The words of a text: NFC, lowercase, split on anything that is not a
/// letter or digit. Marks are kept: "họp" and "hợp" are different words.
pub fn words(text: &str) -> Vec<String> {
    let nfc: String = text.nfc().collect::<String>().to_lowercase();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The set of word 3-grams, hashed, sorted and without repeats: each word
/// is hashed once, a shingle combines its words' hashes by position.
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of(&words(text))
}

/// `shingles` of words already split.
pub fn shingles_of(words: &[String]) -> Vec<u64> {
    let hashes: Vec<u64> = words
        .iter()
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    let mut out: Vec<u64> = hashes
        .windows(SHINGLE)
        .map(|s| s[0] ^ s[1].rotate_left(21) ^ s[2].rotate_left(42))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard index |A ∩ B| / |A ∪ B| of two sorted shingle sets (a merge, no
/// hashing); 0 when both are empty.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        return 0.0;
    }
    both as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const JUNE: &str = "Đồng chí Bí thư chi bộ tuyên bố lý do, giới thiệu thành phần. \
        Chi bộ có 18 đảng viên, có mặt 16, vắng 2 có lý do. Đồng chí Bí thư báo cáo kết quả \
        thực hiện nghị quyết tháng trước: các hộ đã gieo cấy xong lúa mùa đúng khung thời vụ, \
        tiêm phòng cho đàn gia súc, vận động học sinh ra lớp đầy đủ. Tình hình tư tưởng đảng viên \
        ổn định. Phương hướng tháng tới: chăm sóc lúa, phòng chống rét cho gia súc, giữ gìn an ninh \
        trật tự trong bản, xây dựng bản văn hóa. Chi bộ thống nhất thông qua nghị quyết.";

    #[test]
    fn words_are_nfc_lowercase_and_keep_their_marks() {
        let nfd: String = "HỌP Chi bộ".nfd().collect();
        assert_eq!(words(&nfd), ["họp", "chi", "bộ"]);
        assert_ne!(words("họp"), words("hợp"));
        assert_eq!(words("  , ; "), Vec::<String>::new());
    }

    #[test]
    fn repeated_minutes_score_high_and_new_ones_low() {
        let a = shingles(JUNE);
        assert_eq!(jaccard(&a, &a), 1.0);
        // July's minutes: last month's with the numbers and one word changed.
        let july = JUNE
            .replace("có mặt 16, vắng 2", "có mặt 17, vắng 1")
            .replace("lúa mùa", "lúa chiêm");
        let s = jaccard(&a, &shingles(&july));
        assert!(s >= 0.85, "{s}");
        // A different meeting: a thematic one on health insurance.
        let other = "Chi bộ sinh hoạt chuyên đề về công tác bảo hiểm y tế. Đồng chí Trưởng bản \
            trình bày tham luận về tỷ lệ người dân tham gia bảo hiểm y tế năm 2018; các đảng viên \
            thảo luận cách vận động hộ cận nghèo, hộ làm nông nghiệp. Chi bộ giao mỗi đảng viên \
            phụ trách vận động năm hộ gia đình tham gia bảo hiểm y tế trước ngày 30/6.";
        let s = jaccard(&a, &shingles(other));
        assert!(s < 0.2, "{s}");
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
    }
}
