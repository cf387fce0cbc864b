//! Citizen identity number (*số định danh cá nhân*, printed on the CCCD card):
//! 12 digits, the first three the province of birth registration, the fourth
//! the century of birth and the gender, the next two the year of birth
//! (docs/rules.md "Số CCCD").

use super::ValidationError;
use serde::Serialize;

pub const FIELD: &str = "citizen_id";
pub const LABEL: &str = "Số CCCD";

/// Province codes of the personal identification number, from the annex of
/// Thông tư 07/2016/TT-BCA (replaced by Thông tư 59/2021/TT-BCA, which keeps
/// the same codes). The 2025 merger of provinces did not renumber issued
/// cards, so every one of the 63 codes stays valid.
pub const PROVINCE_CODES: [(&str, &str); 63] = [
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// A valid citizen identity number: exactly 12 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CitizenId(String);

impl CitizenId {
    /// Spaces, dots and dashes (as people group the digits) are ignored.
    pub fn parse(input: &str) -> Result<CitizenId, ValidationError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
            .collect();
        let err = |p: String| ValidationError::new(FIELD, LABEL, p);
        if digits.chars().count() != 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(format!("\"{}\" phải gồm đúng 12 chữ số", input.trim())));
        }
        let code = &digits[..3];
        if !PROVINCE_CODES.iter().any(|(c, _)| *c == code) {
            return Err(err(format!(
                "3 chữ số đầu ({code}) không phải mã tỉnh, thành phố nơi đăng ký khai sinh"
            )));
        }
        Ok(CitizenId(digits))
    }

    /// The number when a search text is one (exact match of the 12 digits).
    pub fn search_key(q: &str) -> Option<CitizenId> {
        Self::parse(q).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/rules.md "Số CCCD": 12 digits, province code from Thông tư 07/2016/TT-BCA.
    #[test]
    fn twelve_digits_with_a_province_code() {
        assert_eq!(
            CitizenId::parse(" 079 123 456 789 ").map(|c| c.into_string()),
            Ok("079123456789".to_string())
        );
        assert_eq!(
            CitizenId::parse("001.090.000.123").map(|c| c.into_string()),
            Ok("001090000123".to_string())
        );
        let e = CitizenId::parse("07912345678").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Số CCCD: \"07912345678\" phải gồm đúng 12 chữ số"
        );
        assert!(CitizenId::parse("07912345678a").is_err());
        assert!(
            CitizenId::parse("０７９１２３４５６７８９").is_err(),
            "ASCII digits only"
        );
        let e = CitizenId::parse("003123456789").unwrap_err();
        assert!(e.to_string().contains("(003) không phải mã tỉnh"), "{e}");
        assert!(CitizenId::parse("097123456789").is_err());
    }

    #[test]
    fn province_codes_are_sorted_unique_three_digits() {
        let codes: Vec<&str> = PROVINCE_CODES.iter().map(|(c, _)| *c).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(codes.first(), Some(&"001"));
        assert_eq!(codes.last(), Some(&"096"));
    }
}
