//! Minimal name pools for generated data (the demo's richer pools live in
//! the private `crate::demo::names`; these follow the same practice:
//! family + middle + given, common families weighted up).

use super::rng::Rng;

pub const FAMILIES: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 40),
    ("Võ", 25),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trịnh", 6),
    ("Lương", 5),
    ("Đào", 6),
    ("Mai", 4),
    ("Cao", 4),
    ("Tạ", 2),
    ("Lò", 3),
    ("Hà", 5),
    ("Quách", 2),
    ("Vi", 2),
    ("Giàng", 2),
];

pub const MALE_MIDDLE: &[(&str, u32)] = &[
    ("Văn", 40),
    ("Đức", 8),
    ("Minh", 7),
    ("Quang", 6),
    ("Hữu", 6),
    ("Xuân", 5),
    ("Thanh", 5),
    ("Ngọc", 4),
    ("Công", 4),
    ("Đình", 4),
    ("Mạnh", 3),
    ("Trọng", 3),
    ("Tiến", 2),
    ("Hồng", 2),
];

pub const FEMALE_MIDDLE: &[(&str, u32)] = &[
    ("Thị", 60),
    ("Thu", 5),
    ("Ngọc", 5),
    ("Thanh", 5),
    ("Minh", 4),
    ("Hồng", 4),
    ("Kim", 3),
    ("Phương", 3),
    ("Bích", 2),
    ("Hải", 2),
];

pub const MALE_GIVEN: &[&str] = &[
    "An", "Anh", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải",
    "Hào", "Hiếu", "Hòa", "Hùng", "Huy", "Hưng", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lợi",
    "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Quân", "Sơn", "Tài", "Tâm", "Thắng",
    "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
];

pub const FEMALE_GIVEN: &[&str] = &[
    "An", "Anh", "Bích", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
    "Hoa", "Huệ", "Hương", "Hường", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc",
    "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Uyên", "Vân", "Yến",
];

/// Syllables of place names (communes, villages); two make a name.
pub const PLACE: &[&str] = &[
    "An",
    "Bình",
    "Cát",
    "Châu",
    "Đông",
    "Đức",
    "Hà",
    "Hải",
    "Hòa",
    "Hưng",
    "Hiệp",
    "Kim",
    "Lạc",
    "Lâm",
    "Lợi",
    "Long",
    "Minh",
    "Mỹ",
    "Nghĩa",
    "Phú",
    "Phúc",
    "Phước",
    "Quang",
    "Sơn",
    "Tân",
    "Thạnh",
    "Thành",
    "Thọ",
    "Thuận",
    "Thượng",
    "Trung",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Hồng",
    "Tiến",
    "Nam",
    "Bắc",
    "Tây",
    "Định",
    "Khánh",
    "Lộc",
    "Thịnh",
    "Ninh",
    "Quảng",
    "Tường",
    "Vạn",
];

/// The 34 provinces and cities after 12 June 2025 (Nghị quyết 202/2025/QH15),
/// with a rough weight for their share of members.
pub const PROVINCES: &[(&str, u32)] = &[
    ("thành phố Hà Nội", 80),
    ("thành phố Hồ Chí Minh", 90),
    ("thành phố Hải Phòng", 40),
    ("thành phố Đà Nẵng", 25),
    ("thành phố Huế", 12),
    ("thành phố Cần Thơ", 30),
    ("tỉnh Tuyên Quang", 18),
    ("tỉnh Cao Bằng", 6),
    ("tỉnh Lai Châu", 5),
    ("tỉnh Lào Cai", 16),
    ("tỉnh Thái Nguyên", 18),
    ("tỉnh Điện Biên", 7),
    ("tỉnh Lạng Sơn", 9),
    ("tỉnh Sơn La", 12),
    ("tỉnh Phú Thọ", 40),
    ("tỉnh Bắc Ninh", 35),
    ("tỉnh Quảng Ninh", 14),
    ("tỉnh Hưng Yên", 35),
    ("tỉnh Ninh Bình", 40),
    ("tỉnh Thanh Hóa", 38),
    ("tỉnh Nghệ An", 35),
    ("tỉnh Hà Tĩnh", 14),
    ("tỉnh Quảng Trị", 16),
    ("tỉnh Quảng Ngãi", 18),
    ("tỉnh Gia Lai", 25),
    ("tỉnh Khánh Hòa", 18),
    ("tỉnh Lâm Đồng", 28),
    ("tỉnh Đắk Lắk", 25),
    ("tỉnh Đồng Nai", 30),
    ("tỉnh Tây Ninh", 25),
    ("tỉnh Vĩnh Long", 30),
    ("tỉnh Đồng Tháp", 28),
    ("tỉnh Cà Mau", 18),
    ("tỉnh An Giang", 30),
];

pub fn full_name(rng: &mut Rng, female: bool) -> String {
    let family = rng.weighted(FAMILIES);
    let (middle, given) = if female {
        (rng.weighted(FEMALE_MIDDLE), rng.pick(FEMALE_GIVEN))
    } else {
        (rng.weighted(MALE_MIDDLE), rng.pick(MALE_GIVEN))
    };
    format!("{family} {middle} {given}")
}

pub fn place(rng: &mut Rng) -> String {
    let a = rng.pick(PLACE);
    let mut b = rng.pick(PLACE);
    while b == a {
        b = rng.pick(PLACE);
    }
    format!("{a} {b}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn pools_are_nfc_and_non_empty() {
        assert_eq!(PROVINCES.len(), 34);
        for s in FAMILIES
            .iter()
            .chain(MALE_MIDDLE)
            .chain(FEMALE_MIDDLE)
            .map(|(s, _)| *s)
            .chain(MALE_GIVEN.iter().copied())
            .chain(FEMALE_GIVEN.iter().copied())
            .chain(PLACE.iter().copied())
        {
            assert_eq!(s.nfc().collect::<String>(), s);
        }
    }
}
