//! The expensive part of a caller, kept per process (docs/rules.md "Caller
//! cache"): the grants (explicit ones, the member's own cell, the nodes the
//! member follows) and the dates their subtrees are read at. Before this, every
//! signed-in request read them in four statements besides the account row.
//!
//! An entry is used only while three things still match what the request read
//! in its one statement (the account row joined with `caller_epoch`): the
//! caller epoch, today's date (follow placements begin and end, nodes are
//! dissolved as of a day) and the account's member link. The epoch is raised
//! by database triggers in the transaction of every change to grants, a
//! member's status or cell, follow placements and nodes (their rows and
//! versions: the entry keeps the grant nodes' latest rows), so a change
//! made through any instance (or the command line) is seen by every instance
//! on its next request. The account row itself (disabled, session epoch,
//! display) is read fresh every time. Losing the cache costs only time.

use crate::domain::authz::Grant;
use crate::domain::ids::{MemberId, OrgId};
use crate::store::org::OrgRow;
use jiff::civil::Date;

/// What the entry was computed from; an entry serves only the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub epoch: i64,
    pub today: Date,
    pub member: Option<MemberId>,
}

/// A caller's grants and grant dates, as computed at [`Key`].
#[derive(Debug, Clone)]
pub struct Grants {
    pub grants: Vec<Grant>,
    pub grant_dates: Vec<(OrgId, Date)>,
    /// The latest rows of the grants' nodes, by name (the home page's units).
    pub roots: Vec<OrgRow>,
}

pub type CallerCache = super::epoch_cache::EpochCache<Key, Grants>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::authz::Role;
    use crate::domain::ids::UserId;

    #[test]
    fn an_entry_serves_only_its_epoch_day_and_member() {
        let c = CallerCache::default();
        let today = jiff::civil::date(2026, 11, 29);
        let key = Key {
            epoch: 4,
            today,
            member: Some(MemberId(9)),
        };
        let g = Grants {
            grants: vec![Grant::live(Role::Member, OrgId(3))],
            grant_dates: vec![(OrgId(3), today)],
            roots: Vec::new(),
        };
        c.put(UserId(1), key, g.clone());
        assert_eq!(c.get(UserId(1), key).map(|g| g.grants.len()), Some(1));
        assert!(c.get(UserId(2), key).is_none(), "another account");
        assert!(
            c.get(UserId(1), Key { epoch: 5, ..key }).is_none(),
            "a change since"
        );
        let tomorrow = today.tomorrow().unwrap();
        assert!(
            c.get(
                UserId(1),
                Key {
                    today: tomorrow,
                    ..key
                }
            )
            .is_none(),
            "another day"
        );
        assert!(
            c.get(
                UserId(1),
                Key {
                    member: None,
                    ..key
                }
            )
            .is_none(),
            "member link changed"
        );
        c.put(UserId(1), Key { epoch: 5, ..key }, g);
        assert_eq!(c.len(), 1, "replaced, not added");
    }
}
