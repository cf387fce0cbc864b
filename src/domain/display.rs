//! How an account wants its pages shown (docs/rules.md "Reading preferences"):
//! larger text and higher contrast, for elderly members reading on a phone.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Display {
    /// Text about a quarter larger on every page.
    pub large_text: bool,
    /// Black on white, darker borders, underlined links, thick focus rings.
    pub high_contrast: bool,
}

impl Display {
    /// What the change says in the audit log.
    pub fn summary(self) -> String {
        let on_off = |b: bool| if b { "bật" } else { "tắt" };
        format!(
            "Đổi cách hiển thị: chữ lớn {}, tương phản cao {}",
            on_off(self.large_text),
            on_off(self.high_contrast)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_ordinary_page() {
        assert_eq!(
            Display::default(),
            Display {
                large_text: false,
                high_contrast: false
            }
        );
    }

    #[test]
    fn the_summary_names_both_settings() {
        let d = Display {
            large_text: true,
            high_contrast: false,
        };
        assert_eq!(
            d.summary(),
            "Đổi cách hiển thị: chữ lớn bật, tương phản cao tắt"
        );
    }
}
