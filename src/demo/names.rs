//! Personal names by ethnic group (family + middle + given), drawn with
//! weights so common families are common. Sources: ordinary naming
//! practice; the Bản Hon families follow the brief for the commune (Thái,
//! Dao, Mông, Giáy and Kinh people, domain.md §2.1 seed 002).

use super::rng::Rng;
use crate::domain::member::Gender;

/// Ethnic group (*dân tộc*) of a generated person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folk {
    Kinh,
    Muong,
    Thai,
    Dao,
    Mong,
    Giay,
}

impl Folk {
    #[cfg(test)]
    pub const ALL: [Folk; 6] = [
        Self::Kinh,
        Self::Muong,
        Self::Thai,
        Self::Dao,
        Self::Mong,
        Self::Giay,
    ];

    /// The registry's ethnicity field.
    pub fn ethnicity(self) -> &'static str {
        match self {
            Self::Kinh => "Kinh",
            Self::Muong => "Mường",
            Self::Thai => "Thái",
            Self::Dao => "Dao",
            Self::Mong => "Mông",
            Self::Giay => "Giáy",
        }
    }

    fn parts(self) -> &'static Parts {
        match self {
            Self::Kinh => &KINH,
            Self::Muong => &MUONG,
            Self::Thai => &THAI,
            Self::Dao => &DAO,
            Self::Mong => &MONG,
            Self::Giay => &GIAY,
        }
    }
}

struct Parts {
    families: &'static [(&'static str, u32)],
    male_middle: &'static [(&'static str, u32)],
    female_middle: &'static [(&'static str, u32)],
    male_given: &'static [&'static str],
    female_given: &'static [&'static str],
}

const KINH_MALE_MIDDLE: &[(&str, u32)] = &[
    ("Văn", 40),
    ("Đức", 8),
    ("Minh", 7),
    ("Quang", 6),
    ("Hữu", 6),
    ("Xuân", 5),
    ("Thanh", 5),
    ("Ngọc", 4),
    ("Công", 4),
    ("Mạnh", 3),
    ("Trọng", 3),
    ("Đình", 4),
    ("Tiến", 3),
    ("Thế", 3),
    ("Hồng", 2),
    ("Anh", 2),
];
const KINH_FEMALE_MIDDLE: &[(&str, u32)] = &[
    ("Thị", 75),
    ("Thu", 5),
    ("Thanh", 5),
    ("Ngọc", 4),
    ("Minh", 3),
    ("Hồng", 3),
    ("Phương", 3),
    ("Kim", 2),
];
const KINH_MALE_GIVEN: &[&str] = &[
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hùng",
    "Hưng",
    "Hòa",
    "Khánh",
    "Lâm",
    "Long",
    "Mạnh",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hiếu",
    "Kiên",
    "Lợi",
    "Chiến",
    "Định",
    "Huy",
    "Tâm",
    "Hoàn",
    "Thọ",
    "Khoa",
    "Lực",
    "Nghĩa",
    "Quý",
    "Tuyên",
    "Hậu",
    "Bảo",
    "Đạt",
    "Duy",
    "Hoàng",
    "Trường",
    "Luân",
];
const KINH_FEMALE_GIVEN: &[&str] = &[
    "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
    "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Minh", "Nga", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Tâm", "Thảo", "Thơm", "Thủy", "Thúy", "Trang", "Tuyết", "Vân", "Yến", "Lý",
    "Xuân", "Hậu", "Hoài", "Lụa",
];

const KINH: Parts = Parts {
    families: &[
        ("Nguyễn", 30),
        ("Trần", 11),
        ("Lê", 9),
        ("Phạm", 8),
        ("Hoàng", 5),
        ("Vũ", 5),
        ("Đỗ", 4),
        ("Bùi", 4),
        ("Đặng", 3),
        ("Ngô", 2),
        ("Dương", 2),
        ("Đinh", 2),
        ("Phan", 2),
        ("Mai", 2),
        ("Đoàn", 2),
        ("Lương", 1),
        ("Trịnh", 1),
        ("Tạ", 1),
        ("Hà", 1),
        ("Tống", 1),
        ("Lưu", 1),
        ("Cao", 1),
    ],
    male_middle: KINH_MALE_MIDDLE,
    female_middle: KINH_FEMALE_MIDDLE,
    male_given: KINH_MALE_GIVEN,
    female_given: KINH_FEMALE_GIVEN,
};

const MUONG: Parts = Parts {
    families: &[
        ("Bùi", 35),
        ("Đinh", 25),
        ("Quách", 10),
        ("Hà", 8),
        ("Xa", 5),
        ("Bạch", 4),
        ("Nguyễn", 5),
        ("Trương", 4),
        ("Cao", 4),
    ],
    male_middle: &[("Văn", 70), ("Đức", 10), ("Xuân", 10), ("Quang", 10)],
    female_middle: &[("Thị", 90), ("Thu", 5), ("Thanh", 5)],
    male_given: KINH_MALE_GIVEN,
    female_given: KINH_FEMALE_GIVEN,
};

const THAI: Parts = Parts {
    families: &[
        ("Lò", 25),
        ("Lường", 15),
        ("Tòng", 10),
        ("Hoàng", 8),
        ("Điêu", 6),
        ("Cầm", 6),
        ("Vì", 8),
        ("Quàng", 6),
        ("Hà", 8),
        ("Xa", 5),
    ],
    male_middle: &[("Văn", 90), ("Xuân", 5), ("Thanh", 5)],
    female_middle: &[("Thị", 100)],
    male_given: &[
        "Xiêng", "Ương", "Pánh", "Chum", "Dũng", "Hoan", "Inh", "Sơn", "Thanh", "Pọm", "Lả",
        "Chăn", "Biên", "Khăm", "Xuân", "Tiến", "Hương", "Phanh", "Kiên", "Thương",
    ],
    female_given: &[
        "Ơn", "Ỏn", "Kim", "Lả", "Pín", "Xiến", "Hương", "Thoan", "Lan", "Hiên", "Đôi", "Ngân",
        "Ỉn", "Dung",
    ],
};

const DAO: Parts = Parts {
    // Đặng is a common Dao family too, but the demo keeps it for one named
    // member of Bản Hon (see `people::fixed`).
    families: &[
        ("Tẩn", 35),
        ("Lý", 25),
        ("Chảo", 15),
        ("Phàn", 12),
        ("Triệu", 13),
    ],
    male_middle: &[
        ("Văn", 45),
        ("A", 15),
        ("Láo", 15),
        ("Ông", 10),
        ("Kiến", 10),
        ("Quẩy", 5),
    ],
    female_middle: &[("Thị", 100)],
    male_given: &[
        "San", "Lở", "Sềnh", "Chiêu", "Phù", "Chản", "Xuân", "Vần", "Dín", "Phẩu", "Lỷ", "Chòi",
        "Tả", "Kiềm", "Sinh", "Phin",
    ],
    female_given: &[
        "Mẩy", "Xa", "Chài", "Kiều", "Phây", "Mây", "Chía", "Dần", "Nái", "Sành", "Chiêu", "Liều",
    ],
};

const MONG: Parts = Parts {
    families: &[
        ("Giàng", 30),
        ("Vàng", 25),
        ("Sùng", 12),
        ("Thào", 12),
        ("Lầu", 7),
        ("Hầu", 6),
        ("Mùa", 8),
    ],
    male_middle: &[("A", 70), ("Văn", 25), ("Seo", 5)],
    female_middle: &[("Thị", 90), ("Seo", 10)],
    male_given: &[
        "Pao", "Sình", "Chứ", "Tủa", "Dế", "Lử", "Vư", "Páo", "Chư", "Sử", "Lầu", "Dơ", "Chá",
        "Khua", "Nủ", "Sàng",
    ],
    female_given: &[
        "Mỷ", "Dúa", "Sua", "Mai", "Chở", "Dợ", "Pằng", "Xá", "Súa", "Mỉ", "Chi", "Lan",
    ],
};

const GIAY: Parts = Parts {
    families: &[
        ("Sần", 35),
        ("Hoàng", 20),
        ("Lù", 15),
        ("Vàng", 12),
        ("Lồ", 10),
        ("Lò", 8),
    ],
    male_middle: &[("Văn", 95), ("Xuân", 5)],
    female_middle: &[("Thị", 100)],
    male_given: &[
        "Xuân", "Nhì", "Dương", "Thắng", "Sinh", "Chung", "Tuyến", "Sáng", "Thìn", "Chiến", "Páo",
        "Hạnh",
    ],
    female_given: &[
        "Lan", "Hoa", "Tươi", "Thìn", "Mai", "Hiên", "Dinh", "Sính", "Lả", "Nguyệt",
    ],
};

/// A full name: family, middle and given name, each title-cased and NFC.
pub fn full_name(rng: &mut Rng, folk: Folk, gender: Gender) -> String {
    let p = folk.parts();
    let family = rng.weighted(p.families);
    let (middle, given) = match gender {
        Gender::Male => (rng.weighted(p.male_middle), rng.pick(p.male_given)),
        Gender::Female => (rng.weighted(p.female_middle), rng.pick(p.female_given)),
    };
    format!("{family} {middle} {given}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    fn every_part(p: &Parts) -> Vec<&'static str> {
        let mut all: Vec<&str> = Vec::new();
        all.extend(p.families.iter().map(|(s, _)| *s));
        all.extend(p.male_middle.iter().map(|(s, _)| *s));
        all.extend(p.female_middle.iter().map(|(s, _)| *s));
        all.extend(p.male_given);
        all.extend(p.female_given);
        all
    }

    #[test]
    fn lists_are_non_empty_nfc_and_title_case() {
        for folk in Folk::ALL {
            let p = folk.parts();
            assert!(
                !p.families.is_empty() && !p.male_given.is_empty() && !p.female_given.is_empty()
            );
            assert!(
                p.families
                    .iter()
                    .chain(p.male_middle)
                    .chain(p.female_middle)
                    .all(|(_, w)| *w > 0)
            );
            for part in every_part(p) {
                assert!(!part.is_empty() && !part.contains(' '), "{part:?}");
                assert!(is_nfc(part), "{part:?} is not NFC");
                assert_eq!(crate::domain::text::title_case(part), part);
            }
        }
    }

    #[test]
    fn names_have_three_words_and_women_often_thi() {
        let mut rng = Rng::new(11);
        let mut thi = 0;
        for _ in 0..500 {
            let name = full_name(&mut rng, Folk::Kinh, Gender::Female);
            assert_eq!(name.split(' ').count(), 3, "{name}");
            thi += usize::from(name.split(' ').nth(1) == Some("Thị"));
        }
        assert!(thi > 300, "{thi}");
        for folk in Folk::ALL {
            assert!(!folk.ethnicity().is_empty());
            let name = full_name(&mut rng, folk, Gender::Male);
            assert!(
                name.chars().all(|c| c.is_alphabetic() || c == ' '),
                "{name}"
            );
        }
    }

    #[test]
    fn dao_families_leave_dang_to_the_named_member() {
        assert!(DAO.families.iter().all(|(f, _)| *f != "Đặng"));
    }
}
