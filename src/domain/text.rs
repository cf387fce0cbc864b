//! Vietnamese text: NFC at the input boundary, folded keys for search, and
//! collation keys for sorting in Vietnamese alphabetical order.

use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale::locale;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalizes user text: NFC, trimmed, inner runs of whitespace collapsed to
/// one space. Input may arrive decomposed (NFD, common from macOS and some
/// Vietnamese keyboards); stored text is always NFC.
pub fn clean(input: &str) -> String {
    let nfc: String = input.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Search key: lowercase, tone and vowel marks removed, `đ` → `d`, whitespace
/// collapsed. "NGUYỄN VĂN AN", "nguyen van an" and the NFD form all fold to
/// "nguyen van an"; "Đặng" folds to "dang".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Capitalizes each word of a proper name: "nguyễn VĂN an" → "Nguyễn Văn An".
pub fn title_case(input: &str) -> String {
    clean(input)
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Vietnamese collation with numeric ordering ("Chi bộ 2" before "Chi bộ 10").
static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let mut prefs: CollatorPreferences = locale!("vi").into();
    prefs.numeric_ordering = Some(CollationNumericOrdering::True);
    Collator::try_new(prefs, CollatorOptions::default()).ok()
});

/// Compares two strings in Vietnamese collation order (Á < Anh < Ă < Â < … < Đ …).
pub fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    match COLLATOR.as_ref() {
        Some(c) => c.compare(a, b),
        None => a.cmp(b),
    }
}

fn collation_key(s: &str, out: &mut Vec<u8>) {
    match COLLATOR.as_ref() {
        Some(c) => {
            let _ = c.write_sort_key_to(s, out);
        }
        None => out.extend_from_slice(s.as_bytes()),
    }
}

/// The given name of a Vietnamese full name: its last word ("Nguyễn Văn An" → "An").
pub fn given_name(full_name: &str) -> &str {
    full_name.rsplit(' ').next().unwrap_or(full_name)
}

/// Byte key that sorts members the Vietnamese way: by given name, then by the
/// whole name (family and middle names). Compared bytewise (SQLite BLOB and
/// PostgreSQL bytea both compare with memcmp), so lists can be ordered and
/// paged in SQL on either database.
pub fn name_sort_key(full_name: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(full_name.len() * 4);
    collation_key(given_name(full_name), &mut key);
    // 0x00 sorts before every collation weight, so a given name that is a
    // prefix of another ("An" / "Anh") sorts first.
    key.push(0);
    collation_key(full_name, &mut key);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fold_ignores_case_accents_and_normal_form() {
        let nfc = "Nguyễn Văn An";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        for s in [
            nfc,
            nfd.as_str(),
            "NGUYỄN VĂN AN",
            "nguyen van an",
            "  Nguyen   Van An ",
        ] {
            assert_eq!(fold(s), "nguyen van an", "{s:?}");
        }
        assert_eq!(fold("Đặng Thị Hà"), "dang thi ha");
        assert_eq!(fold("ĐOÀN"), "doan");
    }

    #[test]
    fn clean_makes_nfc_and_collapses_spaces() {
        let nfd: String = "Lò Văn Phà".nfd().collect();
        assert_eq!(clean(&format!("  {nfd}\t ")), "Lò Văn Phà");
    }

    #[test]
    fn title_case_fixes_mixed_case() {
        assert_eq!(title_case("nguyễn VĂN an"), "Nguyễn Văn An");
        assert_eq!(title_case("đặng thị HÀ"), "Đặng Thị Hà");
    }

    #[test]
    fn vietnamese_alphabet_order() {
        let expected = [
            "Á", "Anh", "Ánh", "Ă", "Ân", "Bình", "Dũng", "Đức", "On", "Ôn", "Ơn", "Uyên", "Ư",
            "Ý", "Yến",
        ];
        let mut shuffled = expected.to_vec();
        shuffled.reverse();
        shuffled.sort_by(|a, b| compare(a, b));
        assert_eq!(shuffled, expected);
        assert_eq!(compare("Chi bộ 2", "Chi bộ 10"), std::cmp::Ordering::Less);
    }

    #[test]
    fn members_sort_by_given_name_first() {
        let mut names = vec![
            "Trần Văn Bình",
            "Nguyễn Thị Ánh",
            "Lê Văn An",
            "Nguyễn Văn An",
            "Đặng Văn Đức",
            "Phạm Anh",
        ];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            [
                "Lê Văn An",
                "Nguyễn Văn An",
                "Phạm Anh",
                "Nguyễn Thị Ánh",
                "Trần Văn Bình",
                "Đặng Văn Đức"
            ]
        );
    }

    fn vietnamese_name() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "An", "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Đặng", "Nguyễn", "Văn", "Thị",
            "Ơn", "Ôn", "On", "Uyên", "Ư", "Ý", "Yến", "Hà", "Hạ", "Hả", "Hã", "Há", "Hà", "Lò",
            "Lý",
        ]);
        prop::collection::vec(word, 1..4).prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn fold_same_for_nfc_and_nfd(s in "\\PC{0,40}") {
            let nfd: String = s.nfd().collect();
            let nfc: String = s.nfc().collect();
            prop_assert_eq!(fold(&nfd), fold(&nfc));
        }

        #[test]
        fn sort_key_agrees_with_collator(a in vietnamese_name(), b in vietnamese_name()) {
            let by_rule = compare(given_name(&a), given_name(&b)).then_with(|| compare(&a, &b));
            let by_key = name_sort_key(&a).cmp(&name_sort_key(&b));
            prop_assert_eq!(by_rule, by_key, "{} vs {}", a, b);
        }
    }
}
