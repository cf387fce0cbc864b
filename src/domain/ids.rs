//! Typed identifiers: an `OrgId` can never be passed where a `MemberId` is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

    };
}

id_type!(
    /// A node of the organization tree (committee, base organization or cell).
    OrgId
);
id_type!(
    /// A party member (*đảng viên*).
    MemberId
);
id_type!(
    /// A login account.
    UserId
);
id_type!(
    /// A recommendation (*kiến nghị*) raised by a cell.
    RecommendationId
);
