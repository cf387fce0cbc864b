//! The member home page's lists, kept per process (docs/rules.md "Home page
//! cache"): the page every member opens first, read in one statement when
//! nothing it shows has changed.
//!
//! An entry serves only the [`Key`] it was read at, and every request reads
//! the key fresh with its account (`store::user::UserWithEpoch`): the caller
//! epoch (grants, the member's cell, node names), the statistics epoch of the
//! member's cell (raised by every audited write in the cell: meetings and
//! their documents), the member's own counter (raised by database triggers on
//! the member's notifications, tasks, posts and supervision rounds), the
//! account's member link and the day. A write through any instance is seen
//! by every instance on its next request.

use super::meeting::MemberHome;
use crate::domain::ids::MemberId;
use jiff::civil::Date;
use std::sync::Arc;

/// What an entry was read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The account's member (an account linked anew reads its home anew).
    pub member: MemberId,
    pub today: Date,
    pub caller_epoch: i64,
    pub member_epoch: i64,
    pub cell_epoch: i64,
}

pub type HomeCache = super::epoch_cache::EpochCache<Key, Arc<MemberHome>>;
