//! A member's full name as stored: NFC, single spaces, Vietnamese title case
//! (docs/rules.md "Member list formats accepted"). Every way a member is
//! created or edited (form, API, import) goes through `FullName::parse`.

use super::ValidationError;
use super::text;

pub const FIELD: &str = "full_name";
pub const LABEL: &str = "Họ và tên";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

/// Characters copied from web pages and Word that are not letters and are
/// not whitespace either: zero-width spaces and joiners, the BOM, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

impl FullName {
    /// "  NGUYỄN  văn a " typed in any case and either Unicode form →
    /// "Nguyễn Văn A".
    pub fn parse(input: &str) -> Result<FullName, ValidationError> {
        let visible: String = input.chars().filter(|c| !is_invisible(*c)).collect();
        let name = text::title_case(&visible);
        let err = |p: &'static str| ValidationError::new(FIELD, LABEL, p);
        let len = name.chars().count();
        if len == 0 {
            Err(err("không được để trống"))
        } else if !name.contains(' ') {
            Err(err("phải có cả họ và tên"))
        } else if len > 100 {
            Err(err("dài quá 100 ký tự"))
        } else if name
            .chars()
            .any(|c| !(c.is_alphabetic() || c == ' ' || c == '-' || c == '\''))
        {
            Err(err("chỉ được chứa chữ cái và dấu cách"))
        } else {
            Ok(FullName(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    // docs/rules.md "Member list formats accepted": names are stored NFC,
    // single-spaced, in title case, whatever the list holds.
    #[test]
    fn decomposed_mixed_case_and_stray_spaces() {
        let nfd: String = "NGUYỄN  văn a".nfd().collect();
        assert_ne!(nfd, "NGUYỄN  văn a");
        let n = FullName::parse(&format!(" {nfd}\u{200B} ")).unwrap();
        assert_eq!(n.as_str(), "Nguyễn Văn A");
        assert!(n.as_str().nfc().eq(n.as_str().chars()), "stored NFC");
        assert_eq!(
            FullName::parse("lò\u{00A0}VĂN   phà")
                .unwrap()
                .into_string(),
            "Lò Văn Phà"
        );
        assert_eq!(
            FullName::parse("ĐẶNG THỊ HÀ").unwrap().as_str(),
            "Đặng Thị Hà"
        );
    }

    #[test]
    fn refused_names_say_why() {
        assert_eq!(
            FullName::parse("  ").unwrap_err().to_string(),
            "Họ và tên: không được để trống"
        );
        assert_eq!(
            FullName::parse("An").unwrap_err().to_string(),
            "Họ và tên: phải có cả họ và tên"
        );
        assert!(FullName::parse("Tổng cộng: 25").is_err());
    }
}
