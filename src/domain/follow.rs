//! Who follows a cell or base organization for the committee above it
//! (docs/rules.md "Followers").

use serde::{Deserialize, Serialize};

/// How a follower stands toward the followed node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowKind {
    /// Cấp ủy viên phụ trách: a member of the committee in charge of the node.
    CommitteeMember,
    /// Cán bộ theo dõi: a cadre or civil servant placed to follow it.
    Cadre,
}

impl FollowKind {
    pub const ALL: [FollowKind; 2] = [Self::CommitteeMember, Self::Cadre];

    pub fn code(self) -> &'static str {
        match self {
            Self::CommitteeMember => "committee_member",
            Self::Cadre => "cadre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::CommitteeMember => "Cấp ủy viên phụ trách",
            Self::Cadre => "Cán bộ theo dõi",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in FollowKind::ALL {
            assert_eq!(FollowKind::from_code(k.code()), Some(k));
        }
        assert_eq!(FollowKind::from_code("boss"), None);
    }
}
