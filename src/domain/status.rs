//! Member status and its changes (domain.md §3.1, §3.3).

use super::ValidationError;
use super::text;
use serde::{Deserialize, Serialize};

/// Member status (domain.md §3.1, §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Đảng viên dự bị: 12 months after admission.
    Probationary,
    /// Đảng viên chính thức.
    Official,
    /// Miễn công tác và sinh hoạt đảng: still a member, never counted absent.
    Exempt,
    /// Chuyển sinh hoạt ra ngoài (out of the organizations chibo keeps).
    TransferredOut,
    Deceased,
    /// Khai trừ.
    Expelled,
    /// Xóa tên.
    Removed,
    /// Xin ra khỏi Đảng.
    Left,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 8] = [
        Self::Probationary,
        Self::Official,
        Self::Exempt,
        Self::TransferredOut,
        Self::Deceased,
        Self::Expelled,
        Self::Removed,
        Self::Left,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Probationary => "probationary",
            Self::Official => "official",
            Self::Exempt => "exempt",
            Self::TransferredOut => "transferred_out",
            Self::Deceased => "deceased",
            Self::Expelled => "expelled",
            Self::Removed => "removed",
            Self::Left => "left",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Probationary => "Dự bị",
            Self::Official => "Chính thức",
            Self::Exempt => "Miễn sinh hoạt",
            Self::TransferredOut => "Đã chuyển đi",
            Self::Deceased => "Đã từ trần",
            Self::Expelled => "Khai trừ",
            Self::Removed => "Xóa tên",
            Self::Left => "Ra khỏi Đảng",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Accepts the code or the Vietnamese label, in any case and accents.
    pub fn parse(input: &str) -> Option<Self> {
        let key = text::fold(input);
        Self::ALL
            .into_iter()
            .find(|s| s.code() == key || text::fold(s.label()) == key)
            .or(match key.as_str() {
                "du bi" | "dang vien du bi" => Some(Self::Probationary),
                "chinh thuc" | "dang vien chinh thuc" => Some(Self::Official),
                "mien" | "mien sinh hoat dang" | "mien cong tac va sinh hoat dang" => {
                    Some(Self::Exempt)
                }
                "tu tran" | "da mat" => Some(Self::Deceased),
                _ => None,
            })
    }

    /// Counted as a member of the organization (stats, lists).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Probationary | Self::Official | Self::Exempt)
    }

    /// The person is no longer a party member at all (as opposed to being
    /// registered elsewhere): their account is disabled with the change.
    pub fn ends_membership(self) -> bool {
        matches!(
            self,
            Self::Deceased | Self::Expelled | Self::Removed | Self::Left
        )
    }

    /// Changing to this status needs a stated reason.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Self::Probationary | Self::Official)
    }
}

/// A status change: new status, since when, why (domain.md §3.3: exemption
/// and exits are decided and dated; the reason is kept in the history).
pub fn check_status_change(
    from: MemberStatus,
    to: MemberStatus,
    reason: &str,
) -> Result<(), ValidationError> {
    if from == to {
        return Ok(());
    }
    if to.needs_reason() && text::clean(reason).is_empty() {
        return Err(ValidationError::new(
            "status_reason",
            "Lý do",
            format!("phải ghi rõ khi chuyển sang \"{}\"", to.label()),
        ));
    }
    if !from.is_active() && to.is_active() && from != MemberStatus::TransferredOut {
        return Err(ValidationError::new(
            "status",
            "Trạng thái",
            format!(
                "không thể chuyển từ \"{}\" về \"{}\"",
                from.label(),
                to.label()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exits_from_the_party_end_an_account() {
        let ending: Vec<_> = MemberStatus::ALL
            .into_iter()
            .filter(|s| s.ends_membership())
            .collect();
        assert_eq!(
            ending,
            [
                MemberStatus::Deceased,
                MemberStatus::Expelled,
                MemberStatus::Removed,
                MemberStatus::Left
            ]
        );
        assert!(ending.iter().all(|s| !s.is_active()));
    }

    #[test]
    fn status_parsing_and_changes() {
        assert_eq!(
            MemberStatus::parse("Dự bị"),
            Some(MemberStatus::Probationary)
        );
        assert_eq!(
            MemberStatus::parse("CHINH THUC"),
            Some(MemberStatus::Official)
        );
        assert_eq!(MemberStatus::parse("exempt"), Some(MemberStatus::Exempt));
        assert!(check_status_change(MemberStatus::Official, MemberStatus::Exempt, " ").is_err());
        assert!(
            check_status_change(MemberStatus::Official, MemberStatus::Exempt, "Tuổi cao").is_ok()
        );
        assert!(check_status_change(MemberStatus::Deceased, MemberStatus::Official, "x").is_err());
        assert!(
            check_status_change(MemberStatus::Probationary, MemberStatus::Official, "").is_ok()
        );
    }
}
