//! Who may do what, decided in one place for HTML, API and CLI alike.
//!
//! A role is granted on a node and covers its subtree (issue #3 point 4). The
//! caller resolves the target's *path* (the node and all its ancestors) from
//! the store; this module decides from the path alone, with no IO.

use super::ids::{MemberId, OrgId, UserId};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: everything, everywhere.
    Admin,
    /// Cán bộ cấp ủy: reads and writes the subtree of the node.
    Staff,
    /// Bí thư chi bộ: their cell.
    Secretary,
    /// Phó bí thư chi bộ: their cell.
    Deputy,
    /// Đảng viên: their own record and their cell.
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Staff,
        Self::Secretary,
        Self::Deputy,
        Self::Member,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Secretary => "secretary",
            Self::Deputy => "deputy",
            Self::Member => "member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị hệ thống",
            Self::Staff => "Cán bộ cấp ủy",
            Self::Secretary => "Bí thư chi bộ",
            Self::Deputy => "Phó bí thư chi bộ",
            Self::Member => "Đảng viên",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A role held on a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub role: Role,
    pub org: OrgId,
}

/// The signed-in user, with every grant that applies (a member's own cell is
/// an implicit `Member` grant).
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub member_id: Option<MemberId>,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::Admin)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadOrg,
    /// Create a node under this one.
    CreateOrg,
    /// Rename, move, merge or dissolve this node.
    WriteOrg,
    ListMembers,
    ReadMember,
    WriteMember,
    ImportMembers,
    ReadAudit,
    /// Plan, announce, record and sign the meetings of a cell.
    ManageMeetings,
    /// Disable or enable an account, remove its grants, end its sessions and
    /// tokens; the target is each node the account holds a grant on (and its
    /// member's cell), and every one of them must allow it.
    ManageAccounts,
    /// See the accounts placed in a subtree.
    ListAccounts,
}

/// What is acted on: a node given by its ancestors-or-self, and possibly a
/// member registered there.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub org: OrgId,
    /// The node and its ancestors (order irrelevant).
    pub path: &'a [OrgId],
    pub member: Option<MemberId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decision {
    /// Outside the actor's view: answer as if it did not exist (404).
    Hidden,
    /// Visible, but this action is not theirs (403).
    Denied,
    Allowed,
}

fn for_grant(grant: &Grant, actor: &Actor, action: Action, target: &Target) -> Decision {
    use Action::*;
    use Decision::*;
    if grant.role == Role::Admin {
        return Allowed;
    }
    if !target.path.contains(&grant.org) {
        return Hidden;
    }
    match grant.role {
        Role::Admin => Allowed,
        Role::Staff => match action {
            // A committee restructures what is below it, not itself, and
            // manages the accounts below it, not its peers'.
            WriteOrg | ManageAccounts if target.org == grant.org => Denied,
            _ => Allowed,
        },
        Role::Secretary | Role::Deputy => match action {
            ReadOrg | ListMembers | ReadMember | WriteMember | ImportMembers | ManageMeetings => {
                Allowed
            }
            CreateOrg | WriteOrg | ReadAudit | ManageAccounts | ListAccounts => Denied,
        },
        Role::Member => {
            let own_record = target.member.is_some() && target.member == actor.member_id;
            match action {
                ReadOrg if target.org == grant.org && target.member.is_none() => Allowed,
                ReadMember if own_record => Allowed,
                WriteMember if own_record => Denied,
                ListMembers | CreateOrg | WriteOrg | ImportMembers | ReadAudit | ManageMeetings
                | ManageAccounts | ListAccounts
                    if target.org == grant.org =>
                {
                    Denied
                }
                _ => Hidden,
            }
        }
    }
}

/// The one authorization rule: the best answer any of the actor's grants gives.
pub fn decide(actor: &Actor, action: Action, target: &Target) -> Decision {
    actor
        .grants
        .iter()
        .map(|g| for_grant(g, actor, action, target))
        .max()
        .unwrap_or(Decision::Hidden)
}

/// An action on an account, which lives wherever it holds a grant (and at its
/// member's cell): allowed only if allowed at every one of those places,
/// hidden if visible at none. An account placed nowhere is the admin's alone.
pub fn decide_all(actor: &Actor, action: Action, places: &[Target]) -> Decision {
    if places.is_empty() {
        return if actor.is_admin() {
            Decision::Allowed
        } else {
            Decision::Hidden
        };
    }
    let each: Vec<Decision> = places.iter().map(|t| decide(actor, action, t)).collect();
    if each.iter().all(|d| *d == Decision::Allowed) {
        Decision::Allowed
    } else if each.iter().all(|d| *d == Decision::Hidden) {
        Decision::Hidden
    } else {
        Decision::Denied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tree: 1 root › 2 district › 3 commune › {4 cell A, 5 cell B}; 6 other district.
    const CELL_A: [OrgId; 4] = [OrgId(4), OrgId(3), OrgId(2), OrgId(1)];
    const COMMUNE: [OrgId; 3] = [OrgId(3), OrgId(2), OrgId(1)];
    const OTHER: [OrgId; 2] = [OrgId(6), OrgId(1)];

    fn actor(role: Role, org: i64, member: Option<i64>) -> Actor {
        Actor {
            user_id: UserId(1),
            username: "u".into(),
            display_name: "U".into(),
            member_id: member.map(MemberId),
            grants: vec![Grant {
                role,
                org: OrgId(org),
            }],
        }
    }

    fn org(path: &[OrgId]) -> Target<'_> {
        Target {
            org: path[0],
            path,
            member: None,
        }
    }

    fn member(path: &[OrgId], id: i64) -> Target<'_> {
        Target {
            org: path[0],
            path,
            member: Some(MemberId(id)),
        }
    }

    use Action::*;
    use Decision::*;

    #[test]
    fn admin_sees_everything() {
        let a = actor(Role::Admin, 1, None);
        for action in [
            ReadOrg,
            CreateOrg,
            WriteOrg,
            ListMembers,
            ReadMember,
            WriteMember,
            ImportMembers,
            ReadAudit,
            ManageMeetings,
            ManageAccounts,
            ListAccounts,
        ] {
            assert_eq!(decide(&a, action, &org(&OTHER)), Allowed);
        }
    }

    #[test]
    fn staff_covers_their_subtree_only() {
        let a = actor(Role::Staff, 2, None);
        assert_eq!(decide(&a, ReadOrg, &org(&CELL_A)), Allowed);
        assert_eq!(decide(&a, WriteMember, &member(&CELL_A, 9)), Allowed);
        assert_eq!(decide(&a, ReadAudit, &org(&COMMUNE)), Allowed);
        assert_eq!(decide(&a, WriteOrg, &org(&COMMUNE)), Allowed);
        assert_eq!(
            decide(&a, WriteOrg, &org(&[OrgId(2), OrgId(1)])),
            Denied,
            "not their own node"
        );
        assert_eq!(
            decide(&a, CreateOrg, &org(&[OrgId(2), OrgId(1)])),
            Allowed,
            "but below it"
        );
        assert_eq!(decide(&a, ReadOrg, &org(&OTHER)), Hidden);
        assert_eq!(
            decide(&a, ReadOrg, &org(&[OrgId(1)])),
            Hidden,
            "not the parent"
        );
    }

    #[test]
    fn secretary_runs_their_cell() {
        let a = actor(Role::Secretary, 4, Some(7));
        assert_eq!(decide(&a, ListMembers, &org(&CELL_A)), Allowed);
        assert_eq!(decide(&a, WriteMember, &member(&CELL_A, 9)), Allowed);
        assert_eq!(decide(&a, WriteOrg, &org(&CELL_A)), Denied);
        assert_eq!(decide(&a, ManageMeetings, &org(&CELL_A)), Allowed);
        assert_eq!(decide(&a, ReadAudit, &org(&CELL_A)), Denied);
        assert_eq!(decide(&a, ReadOrg, &org(&COMMUNE)), Hidden);
        assert_eq!(
            decide(
                &a,
                ReadMember,
                &member(&[OrgId(5), OrgId(3), OrgId(2), OrgId(1)], 10)
            ),
            Hidden
        );
    }

    #[test]
    fn member_sees_own_record_and_cell() {
        let a = actor(Role::Member, 4, Some(7));
        assert_eq!(decide(&a, ReadOrg, &org(&CELL_A)), Allowed);
        assert_eq!(decide(&a, ReadMember, &member(&CELL_A, 7)), Allowed);
        assert_eq!(decide(&a, WriteMember, &member(&CELL_A, 7)), Denied);
        assert_eq!(decide(&a, ReadMember, &member(&CELL_A, 8)), Hidden);
        assert_eq!(decide(&a, ListMembers, &org(&CELL_A)), Denied);
        assert_eq!(decide(&a, ManageMeetings, &org(&CELL_A)), Denied);
        assert_eq!(decide(&a, ReadOrg, &org(&COMMUNE)), Hidden);
    }

    #[test]
    fn no_grant_no_access() {
        let mut a = actor(Role::Staff, 2, None);
        a.grants.clear();
        assert_eq!(decide(&a, ReadOrg, &org(&CELL_A)), Hidden);
    }

    #[test]
    fn accounts_are_managed_from_above_only() {
        let staff = actor(Role::Staff, 2, None);
        assert_eq!(decide(&staff, ManageAccounts, &org(&CELL_A)), Allowed);
        assert_eq!(decide(&staff, ManageAccounts, &org(&COMMUNE)), Allowed);
        assert_eq!(
            decide(&staff, ManageAccounts, &org(&[OrgId(2), OrgId(1)])),
            Denied,
            "not a peer on their own node"
        );
        assert_eq!(decide(&staff, ManageAccounts, &org(&OTHER)), Hidden);
        assert_eq!(
            decide(&staff, ListAccounts, &org(&[OrgId(2), OrgId(1)])),
            Allowed,
            "but sees who is there"
        );
        assert_eq!(decide(&staff, ListAccounts, &org(&OTHER)), Hidden);
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(decide(&sec, ManageAccounts, &org(&CELL_A)), Denied);
        assert_eq!(decide(&sec, ListAccounts, &org(&CELL_A)), Denied);
        assert_eq!(decide(&sec, ManageAccounts, &org(&COMMUNE)), Hidden);
        let mem = actor(Role::Member, 4, Some(7));
        assert_eq!(decide(&mem, ManageAccounts, &org(&CELL_A)), Denied);
        assert_eq!(decide(&mem, ManageAccounts, &org(&OTHER)), Hidden);
    }

    #[test]
    fn an_account_is_managed_only_where_all_its_grants_lie() {
        let staff = actor(Role::Staff, 2, None);
        let inside = org(&CELL_A);
        let outside = org(&OTHER);
        assert_eq!(
            decide_all(&staff, ManageAccounts, std::slice::from_ref(&inside)),
            Allowed
        );
        assert_eq!(
            decide_all(&staff, ManageAccounts, &[inside.clone(), outside.clone()]),
            Denied,
            "a grant elsewhere is not theirs to remove"
        );
        assert_eq!(
            decide_all(&staff, ManageAccounts, std::slice::from_ref(&outside)),
            Hidden
        );
        assert_eq!(decide_all(&staff, ManageAccounts, &[]), Hidden);
        assert_eq!(
            decide_all(&actor(Role::Admin, 1, None), ManageAccounts, &[]),
            Allowed
        );
        assert_eq!(
            decide_all(
                &actor(Role::Admin, 1, None),
                ManageAccounts,
                &[inside, outside]
            ),
            Allowed
        );
    }

    #[test]
    fn best_grant_wins() {
        let mut a = actor(Role::Member, 4, Some(7));
        a.grants.push(Grant {
            role: Role::Staff,
            org: OrgId(3),
        });
        assert_eq!(decide(&a, WriteMember, &member(&CELL_A, 8)), Allowed);
    }
}
