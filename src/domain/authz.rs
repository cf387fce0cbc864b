//! Who may do what, decided in one place for HTML, API and CLI alike.
//!
//! A role is granted on a node and covers its subtree (issue #3 point 4). The
//! caller resolves the target's *path* (the node and all its ancestors) from
//! the store; this module decides from the path alone, with no IO.

use super::ids::{MemberId, OrgId, UserId};
use jiff::civil::Date;
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
    /// Cán bộ theo dõi, cấp ủy viên phụ trách: reads the meetings of the
    /// node they are placed to follow (docs/rules.md "Followers"). Comes
    /// from a follow assignment, never from an account's grants.
    Follower,
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
            Self::Follower => "follower",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị hệ thống",
            Self::Staff => "Cán bộ cấp ủy",
            Self::Secretary => "Bí thư chi bộ",
            Self::Deputy => "Phó bí thư chi bộ",
            Self::Member => "Đảng viên",
            Self::Follower => "Cán bộ theo dõi",
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
    /// The node's last day, once it has been dissolved: the grant then reads
    /// its subtree as it stood that day and changes nothing (a district
    /// committee closed by the 2025 reform keeps its archive, see
    /// docs/rules.md "Dissolved committees").
    pub ended: Option<Date>,
}

impl Grant {
    pub fn live(role: Role, org: OrgId) -> Self {
        Grant {
            role,
            org,
            ended: None,
        }
    }
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
    /// See the religion and status breakdowns of a subtree's statistics: in
    /// a small cell they single out a person.
    ReadBreakdowns,
    /// Disable or enable an account, remove its grants, end its sessions and
    /// tokens; the target is each node the account holds a grant on (and its
    /// member's cell), and every one of them must allow it.
    ManageAccounts,
    /// See the accounts placed in a subtree.
    ListAccounts,
    /// Place a committee's members and cadres to follow this node.
    AssignFollowers,
    /// Record who holds a post in this node (secretary, deputy, committee
    /// member): the committee above does, not the node itself (docs/rules.md
    /// "Posts in a cell").
    AssignPosts,
    /// Direct the cells below a committee as one: set the meeting day they
    /// all keep (docs/rules.md "A committee sets one meeting day for its
    /// cells"). The committee's staff (and those above) do; a cell's
    /// secretary does not direct the other cells.
    DirectCells,
    /// Inspect the meetings of the cells below a committee and follow up
    /// what is found (docs/rules.md "Inspections every six months").
    Inspect,
    /// Plan supervision rounds of this committee and its subtree: send
    /// cadres to attend cells' meetings unannounced (docs/rules.md
    /// "Supervision rounds and unannounced visits"). The committee's staff.
    PlanSupervision,
    /// Act as a round's cadre: pick a meeting, print the letter, file the
    /// report, bring the briefing. The planners may too; the cadre's own
    /// right comes from the round (`domain::supervision::admit`).
    AttendMeeting,
    /// Route further up, assign, answer or close the recommendations
    /// (kiến nghị) sent to this node (docs/rules.md "Recommendations (kiến
    /// nghị)"): its staff, including on their own node, and those above. A
    /// cell's secretary or deputy does it on their cell until it is sent.
    HandleRecommendations,
    /// Assess the urgent issues (việc cấp bách) a base organization
    /// registered (docs/rules.md "Urgent issues (việc cấp bách)"): the staff
    /// of a committee above it, never the base organization's own.
    AssessUrgentIssues,
    /// A member's own yearly self-assessment (docs/rules.md
    /// "Classification order (bottom-up)"): the member, on their own record.
    SelfAssess,
    /// Propose the grades of a cell's members and record a collective's own
    /// self-review: the cell's secretary or deputy, or staff above.
    ProposeClassification,
    /// Decide the final grades a committee decides (the members of its cells,
    /// the organizations directly under it): its own staff and those above.
    DecideClassification,
    /// Review the quality of a cell's held meeting after its
    /// self-assessment (docs/rules.md "Meeting quality levels"): the
    /// follower of the cell and the staff of a committee above it, never
    /// the cell itself.
    ReviewQuality,
    /// Score a base organization's month (docs/rules.md "Kim Sơn monthly
    /// scoring"): the staff of the committee above, never the
    /// organization's own. (A committee issues its rubrics under
    /// `DirectCells`.)
    ScoreMonthly,
    /// See the formalism signals of the nodes strictly below this one, with
    /// their evidence (docs/rules.md "Formalism signals"): the staff of this
    /// node or of one above it. A page or answer for node N only ever shows
    /// nodes strictly below N, so the staff's grant is always strictly above
    /// the cells it shows; a cell's secretary, deputy, members and followers
    /// never see them.
    ReadSignals,
}

impl Action {
    /// Whether the action only reads: the one kind a dissolved node's grant keeps.
    pub fn is_read(self) -> bool {
        use Action::*;
        match self {
            ReadOrg | ListMembers | ReadMember | ReadAudit | ReadBreakdowns | ListAccounts
            | ReadSignals => true,
            CreateOrg
            | WriteOrg
            | WriteMember
            | ImportMembers
            | ManageMeetings
            | ManageAccounts
            | AssignFollowers
            | AssignPosts
            | DirectCells
            | Inspect
            | PlanSupervision
            | AttendMeeting
            | HandleRecommendations
            | AssessUrgentIssues
            | SelfAssess
            | ProposeClassification
            | DecideClassification
            | ReviewQuality
            | ScoreMonthly => false,
        }
    }
}

/// The target node and its ancestors (order irrelevant) on each date a grant
/// is judged at: `current` for live grants (today, or the target's own last
/// day if it was dissolved), and one path per dissolved grant's last day.
/// Each grant is matched against its own date only, so an old date can never
/// widen a live grant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paths {
    pub current: Vec<OrgId>,
    pub at: Vec<(Date, Vec<OrgId>)>,
}

impl Paths {
    /// A path that is the same on every date (a node read at one date).
    pub fn fixed(path: Vec<OrgId>) -> Self {
        Paths {
            current: path,
            at: Vec::new(),
        }
    }

    /// The path a grant is judged against. A dissolved node's grant falls
    /// back to `current` when its date was not looked up: nothing is under a
    /// dissolved node today, and such a grant only reads.
    fn for_grant(&self, grant: &Grant) -> &[OrgId] {
        grant
            .ended
            .and_then(|d| self.at.iter().find(|(on, _)| *on == d))
            .map_or(&self.current, |(_, p)| p)
    }
}

/// What is acted on: a node given by its ancestors-or-self, and possibly a
/// member registered there.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub org: OrgId,
    pub paths: &'a Paths,
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
    if grant.role == Role::Admin && grant.ended.is_none() {
        return Allowed;
    }
    if !target.paths.for_grant(grant).contains(&grant.org) {
        return Hidden;
    }
    if grant.ended.is_some() && !action.is_read() {
        return Denied;
    }
    match grant.role {
        Role::Admin => Allowed,
        Role::Staff => match action {
            // A committee restructures what is below it, not itself, manages
            // the accounts below it, not its peers', and is followed by the
            // level above, not by itself.
            WriteOrg | ManageAccounts | AssignFollowers | AssignPosts | AssessUrgentIssues
            | ReviewQuality | ScoreMonthly
                if target.org == grant.org =>
            {
                Denied
            }
            // A self-assessment is the member's own.
            SelfAssess => Denied,
            _ => Allowed,
        },
        Role::Secretary | Role::Deputy => match action {
            ReadOrg
            | ListMembers
            | ReadMember
            | WriteMember
            | ImportMembers
            | ManageMeetings
            | HandleRecommendations
            | ProposeClassification => Allowed,
            CreateOrg | WriteOrg | ReadAudit | ReadBreakdowns | ManageAccounts | ListAccounts
            | AssignFollowers | AssignPosts | DirectCells | Inspect | PlanSupervision
            | AttendMeeting | AssessUrgentIssues | SelfAssess | DecideClassification
            | ReviewQuality | ScoreMonthly | ReadSignals => Denied,
        },
        Role::Member => {
            let own_record = target.member.is_some() && target.member == actor.member_id;
            match action {
                ReadOrg if target.org == grant.org && target.member.is_none() => Allowed,
                ReadMember | SelfAssess if own_record => Allowed,
                WriteMember if own_record => Denied,
                ListMembers
                | CreateOrg
                | WriteOrg
                | ImportMembers
                | ReadAudit
                | ManageMeetings
                | ReadBreakdowns
                | ManageAccounts
                | ListAccounts
                | AssignFollowers
                | AssignPosts
                | DirectCells
                | Inspect
                | PlanSupervision
                | AttendMeeting
                | HandleRecommendations
                | AssessUrgentIssues
                | ProposeClassification
                | DecideClassification
                | ReviewQuality
                | ScoreMonthly
                | ReadSignals
                    if target.org == grant.org =>
                {
                    Denied
                }
                _ => Hidden,
            }
        }
        // The followed node and what is below it: its page and its meetings,
        // never the members' records.
        Role::Follower => match action {
            ReadOrg | ReviewQuality if target.member.is_none() => Allowed,
            _ => Denied,
        },
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
            grants: vec![Grant::live(role, OrgId(org))],
        }
    }

    fn on(a: &Actor, action: Action, paths: &Paths, member: Option<i64>) -> Decision {
        let target = Target {
            org: paths.current[0],
            paths,
            member: member.map(MemberId),
        };
        decide(a, action, &target)
    }

    fn target(paths: &Paths) -> Target<'_> {
        Target {
            org: paths.current[0],
            paths,
            member: None,
        }
    }

    fn on_org(a: &Actor, action: Action, path: &[OrgId]) -> Decision {
        on(a, action, &Paths::fixed(path.to_vec()), None)
    }

    fn on_member(a: &Actor, action: Action, path: &[OrgId], id: i64) -> Decision {
        on(a, action, &Paths::fixed(path.to_vec()), Some(id))
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
            assert_eq!(on_org(&a, action, &OTHER), Allowed);
        }
    }

    #[test]
    fn staff_covers_their_subtree_only() {
        let a = actor(Role::Staff, 2, None);
        assert_eq!(on_org(&a, ReadOrg, &CELL_A), Allowed);
        assert_eq!(on_member(&a, WriteMember, &CELL_A, 9), Allowed);
        assert_eq!(on_org(&a, ReadAudit, &COMMUNE), Allowed);
        assert_eq!(on_org(&a, WriteOrg, &COMMUNE), Allowed);
        assert_eq!(
            on_org(&a, WriteOrg, &[OrgId(2), OrgId(1)]),
            Denied,
            "not their own node"
        );
        assert_eq!(
            on_org(&a, CreateOrg, &[OrgId(2), OrgId(1)]),
            Allowed,
            "but below it"
        );
        assert_eq!(on_org(&a, ReadOrg, &OTHER), Hidden);
        assert_eq!(on_org(&a, ReadOrg, &[OrgId(1)]), Hidden, "not the parent");
    }

    // docs/rules.md "Urgent issues (việc cấp bách)" (Kim Sơn practice, seed
    // 003): the level above assesses a base organization's issues; the base
    // organization registers and reports them but does not grade itself.
    #[test]
    fn urgent_issues_are_assessed_from_above() {
        let district = actor(Role::Staff, 2, None);
        assert_eq!(on_org(&district, AssessUrgentIssues, &COMMUNE), Allowed);
        assert_eq!(on_org(&district, ManageMeetings, &COMMUNE), Allowed);
        let commune = actor(Role::Staff, 3, None);
        assert_eq!(on_org(&commune, AssessUrgentIssues, &COMMUNE), Denied);
        assert_eq!(on_org(&commune, ManageMeetings, &COMMUNE), Allowed);
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&sec, AssessUrgentIssues, &CELL_A), Denied);
        assert_eq!(on_org(&sec, ManageMeetings, &COMMUNE), Hidden);
        assert!(!AssessUrgentIssues.is_read());
    }

    // docs/rules.md "Meeting quality levels" and "Kim Sơn monthly scoring":
    // the cell assesses itself (ManageMeetings); its follower or the staff
    // above review; only the staff above score a base organization's month.
    #[test]
    fn quality_is_reviewed_and_scored_from_above() {
        let commune = actor(Role::Staff, 3, None);
        assert_eq!(on_org(&commune, ReviewQuality, &CELL_A), Allowed);
        assert_eq!(
            on_org(&commune, ReviewQuality, &COMMUNE),
            Denied,
            "not its own meetings"
        );
        assert_eq!(
            on_org(&commune, ScoreMonthly, &COMMUNE),
            Denied,
            "not its own month"
        );
        let district = actor(Role::Staff, 2, None);
        assert_eq!(on_org(&district, ScoreMonthly, &COMMUNE), Allowed);
        assert_eq!(on_org(&district, ScoreMonthly, &OTHER), Hidden);
        let follower = actor(Role::Follower, 4, None);
        assert_eq!(on_org(&follower, ReviewQuality, &CELL_A), Allowed);
        assert_eq!(on_org(&follower, ScoreMonthly, &CELL_A), Denied);
        assert_eq!(on_org(&follower, ManageMeetings, &CELL_A), Denied);
        for role in [Role::Secretary, Role::Deputy, Role::Member] {
            let a = actor(role, 4, Some(7));
            assert_eq!(on_org(&a, ReviewQuality, &CELL_A), Denied, "{role:?}");
            assert_eq!(on_org(&a, ScoreMonthly, &CELL_A), Denied, "{role:?}");
            assert_eq!(
                on_org(&a, ReviewQuality, &[OrgId(5), OrgId(3), OrgId(2), OrgId(1)]),
                Hidden,
                "a sibling cell"
            );
        }
        assert!(!ReviewQuality.is_read() && !ScoreMonthly.is_read());
    }

    // docs/rules.md "Recommendations (kiến nghị)": the staff of the level a
    // recommendation is sent to handle it, on their own node too; the cell's
    // secretary only before it is sent; members never.
    #[test]
    fn signals_are_read_from_above_never_by_the_cell() {
        // A commune's staff read the signals below the commune, a district's
        // below the district and below each commune of it.
        let commune = actor(Role::Staff, 3, None);
        assert_eq!(on_org(&commune, ReadSignals, &COMMUNE), Allowed);
        let district = actor(Role::Staff, 2, None);
        assert_eq!(on_org(&district, ReadSignals, &COMMUNE), Allowed);
        assert_eq!(on_org(&district, ReadSignals, &OTHER), Hidden);
        // The cell itself: secretary, deputy, members, followers.
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&sec, ReadSignals, &CELL_A), Denied);
        let dep = actor(Role::Deputy, 4, None);
        assert_eq!(on_org(&dep, ReadSignals, &CELL_A), Denied);
        let mem = actor(Role::Member, 4, Some(8));
        assert_eq!(on_org(&mem, ReadSignals, &CELL_A), Denied);
        assert_eq!(on_org(&mem, ReadSignals, &COMMUNE), Hidden);
        let follower = actor(Role::Follower, 4, None);
        assert_eq!(on_org(&follower, ReadSignals, &CELL_A), Denied);
        assert!(ReadSignals.is_read());
    }

    #[test]
    fn recommendations_are_handled_at_their_level() {
        let staff = actor(Role::Staff, 3, None);
        assert_eq!(on_org(&staff, HandleRecommendations, &COMMUNE), Allowed);
        assert_eq!(on_org(&staff, HandleRecommendations, &CELL_A), Allowed);
        assert_eq!(
            on_org(&staff, HandleRecommendations, &[OrgId(2), OrgId(1)]),
            Hidden,
            "not once it went above them"
        );
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&sec, HandleRecommendations, &CELL_A), Allowed);
        assert_eq!(on_org(&sec, HandleRecommendations, &COMMUNE), Hidden);
        let mem = actor(Role::Member, 4, Some(7));
        assert_eq!(on_org(&mem, HandleRecommendations, &CELL_A), Denied);
        assert!(!HandleRecommendations.is_read());
    }

    // docs/rules.md "Classification order (bottom-up)": the member assesses
    // themself, the cell proposes, the committee decides.
    #[test]
    fn classification_stages_belong_to_member_cell_and_committee() {
        let mem = actor(Role::Member, 4, Some(7));
        assert_eq!(on_member(&mem, SelfAssess, &CELL_A, 7), Allowed);
        assert_eq!(on_member(&mem, SelfAssess, &CELL_A, 8), Hidden);
        assert_eq!(on_org(&mem, ProposeClassification, &CELL_A), Denied);
        assert_eq!(on_org(&mem, DecideClassification, &CELL_A), Denied);
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&sec, ProposeClassification, &CELL_A), Allowed);
        assert_eq!(on_org(&sec, DecideClassification, &CELL_A), Denied);
        assert_eq!(on_member(&sec, SelfAssess, &CELL_A, 9), Denied);
        assert_eq!(on_org(&sec, DecideClassification, &COMMUNE), Hidden);
        assert_eq!(
            on_org(
                &sec,
                ProposeClassification,
                &[OrgId(5), OrgId(3), OrgId(2), OrgId(1)]
            ),
            Hidden,
            "not a sibling cell"
        );
        let commune = actor(Role::Staff, 3, None);
        assert_eq!(on_org(&commune, DecideClassification, &COMMUNE), Allowed);
        assert_eq!(on_org(&commune, ProposeClassification, &COMMUNE), Allowed);
        assert_eq!(on_member(&commune, SelfAssess, &CELL_A, 9), Denied);
        assert_eq!(
            on_org(&commune, DecideClassification, &[OrgId(2), OrgId(1)]),
            Hidden,
            "the commune does not decide for the district"
        );
        let f = actor(Role::Follower, 4, Some(9));
        assert_eq!(on_org(&f, DecideClassification, &CELL_A), Denied);
        for a in [SelfAssess, ProposeClassification, DecideClassification] {
            assert!(!a.is_read());
        }
    }

    #[test]
    fn secretary_runs_their_cell() {
        let a = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&a, ListMembers, &CELL_A), Allowed);
        assert_eq!(on_member(&a, WriteMember, &CELL_A, 9), Allowed);
        assert_eq!(on_org(&a, WriteOrg, &CELL_A), Denied);
        assert_eq!(on_org(&a, ManageMeetings, &CELL_A), Allowed);
        assert_eq!(on_org(&a, ReadAudit, &CELL_A), Denied);
        assert_eq!(on_org(&a, ReadOrg, &COMMUNE), Hidden);
        assert_eq!(
            on_member(
                &a,
                ReadMember,
                &[OrgId(5), OrgId(3), OrgId(2), OrgId(1)],
                10
            ),
            Hidden
        );
    }

    #[test]
    fn member_sees_own_record_and_cell() {
        let a = actor(Role::Member, 4, Some(7));
        assert_eq!(on_org(&a, ReadOrg, &CELL_A), Allowed);
        assert_eq!(on_member(&a, ReadMember, &CELL_A, 7), Allowed);
        assert_eq!(on_member(&a, WriteMember, &CELL_A, 7), Denied);
        assert_eq!(on_member(&a, ReadMember, &CELL_A, 8), Hidden);
        assert_eq!(on_org(&a, ListMembers, &CELL_A), Denied);
        assert_eq!(on_org(&a, ManageMeetings, &CELL_A), Denied);
        assert_eq!(on_org(&a, ReadOrg, &COMMUNE), Hidden);
    }

    #[test]
    fn no_grant_no_access() {
        let mut a = actor(Role::Staff, 2, None);
        a.grants.clear();
        assert_eq!(on_org(&a, ReadOrg, &CELL_A), Hidden);
    }

    #[test]
    fn accounts_are_managed_from_above_only() {
        let staff = actor(Role::Staff, 2, None);
        assert_eq!(on_org(&staff, ManageAccounts, &CELL_A), Allowed);
        assert_eq!(on_org(&staff, ManageAccounts, &COMMUNE), Allowed);
        assert_eq!(
            on_org(&staff, ManageAccounts, &[OrgId(2), OrgId(1)]),
            Denied,
            "not a peer on their own node"
        );
        assert_eq!(on_org(&staff, ManageAccounts, &OTHER), Hidden);
        assert_eq!(
            on_org(&staff, ListAccounts, &[OrgId(2), OrgId(1)]),
            Allowed,
            "but sees who is there"
        );
        assert_eq!(on_org(&staff, ListAccounts, &OTHER), Hidden);
        let sec = actor(Role::Secretary, 4, Some(7));
        assert_eq!(on_org(&sec, ManageAccounts, &CELL_A), Denied);
        assert_eq!(on_org(&sec, ListAccounts, &CELL_A), Denied);
        assert_eq!(on_org(&sec, ManageAccounts, &COMMUNE), Hidden);
        let mem = actor(Role::Member, 4, Some(7));
        assert_eq!(on_org(&mem, ManageAccounts, &CELL_A), Denied);
        assert_eq!(on_org(&mem, ManageAccounts, &OTHER), Hidden);
    }

    #[test]
    fn an_account_is_managed_only_where_all_its_grants_lie() {
        let staff = actor(Role::Staff, 2, None);
        let (cell, other) = (Paths::fixed(CELL_A.to_vec()), Paths::fixed(OTHER.to_vec()));
        let inside = target(&cell);
        let outside = target(&other);
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

    /// A follower reads the followed node and what is below it, and nothing
    /// else; followers are placed by the committee above, not by the node.
    #[test]
    fn followers_read_what_they_follow() {
        let f = actor(Role::Follower, 3, Some(9));
        assert_eq!(on_org(&f, ReadOrg, &CELL_A), Allowed);
        assert_eq!(on_org(&f, ReadOrg, &COMMUNE), Allowed);
        assert_eq!(on_org(&f, ReadOrg, &OTHER), Hidden);
        for action in [
            ListMembers,
            ManageMeetings,
            WriteOrg,
            ReadAudit,
            AssignFollowers,
            AssignPosts,
        ] {
            assert_eq!(on_org(&f, action, &CELL_A), Denied, "{action:?}");
        }
        assert_eq!(on_member(&f, ReadMember, &CELL_A, 8), Denied);
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), AssignFollowers, &CELL_A),
            Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), AssignFollowers, &COMMUNE),
            Denied
        );
        assert_eq!(
            on_org(
                &actor(Role::Secretary, 4, Some(7)),
                AssignFollowers,
                &CELL_A
            ),
            Denied
        );
    }

    /// A base committee inspects its own cells (docs/rules.md "Inspections
    /// every six months"); a cell does not inspect itself.
    #[test]
    fn committees_inspect_their_cells() {
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), Inspect, &COMMUNE),
            Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), Inspect, &CELL_A),
            Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Secretary, 4, Some(7)), Inspect, &CELL_A),
            Denied
        );
        assert_eq!(
            on_org(&actor(Role::Member, 4, Some(7)), Inspect, &CELL_A),
            Denied
        );
        assert_eq!(
            on_org(&actor(Role::Follower, 4, Some(7)), Inspect, &CELL_A),
            Denied
        );
    }

    // docs/rules.md "Posts in a cell": the committee above records a cell's
    // secretary (Điều lệ Đảng: the upper committee approves the cell's
    // election); a cell does not appoint its own.
    #[test]
    fn posts_are_recorded_by_the_committee_above() {
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), AssignPosts, &CELL_A),
            Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), AssignPosts, &COMMUNE),
            Denied
        );
        for role in [Role::Secretary, Role::Deputy, Role::Member] {
            assert_eq!(
                on_org(&actor(role, 4, Some(7)), AssignPosts, &CELL_A),
                Denied,
                "{role:?}"
            );
        }
        assert_eq!(
            on_org(&actor(Role::Admin, 1, None), AssignPosts, &CELL_A),
            Allowed
        );
    }

    #[test]
    fn best_grant_wins() {
        let mut a = actor(Role::Member, 4, Some(7));
        a.grants.push(Grant::live(Role::Staff, OrgId(3)));
        assert_eq!(on_member(&a, WriteMember, &CELL_A, 8), Allowed);
    }

    #[test]
    fn breakdowns_are_for_committees() {
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), ReadBreakdowns, &CELL_A),
            Allowed
        );
        for role in [Role::Secretary, Role::Deputy, Role::Member] {
            assert_eq!(
                on_org(&actor(role, 4, Some(7)), ReadBreakdowns, &CELL_A),
                Denied,
                "{role:?}"
            );
        }
    }

    const END: Date = jiff::civil::date(2025, 6, 30);

    /// Staff of district 2, dissolved on 1 July 2025; cell 4 has since moved
    /// under province 8.
    fn dissolved_staff() -> Actor {
        let mut a = actor(Role::Staff, 2, None);
        a.grants[0].ended = Some(END);
        a
    }

    fn moved_cell() -> Paths {
        Paths {
            current: vec![OrgId(4), OrgId(3), OrgId(8), OrgId(1)],
            at: vec![(END, CELL_A.to_vec())],
        }
    }

    #[test]
    fn a_dissolved_committee_reads_its_archive_and_writes_nothing() {
        let a = dissolved_staff();
        let cell = moved_cell();
        assert_eq!(on(&a, ReadOrg, &cell, None), Allowed);
        assert_eq!(on(&a, ListMembers, &cell, None), Allowed);
        assert_eq!(on(&a, ReadMember, &cell, Some(9)), Allowed);
        assert_eq!(on(&a, ReadAudit, &cell, None), Allowed);
        for write in [
            CreateOrg,
            WriteOrg,
            WriteMember,
            ImportMembers,
            ManageMeetings,
        ] {
            assert_eq!(on(&a, write, &cell, Some(9)), Denied, "{write:?}");
        }
        // Its own grant is not matched against today's tree.
        let today_only = Paths::fixed(moved_cell().current);
        assert_eq!(on(&a, ReadOrg, &today_only, None), Hidden);
        // A dissolved admin grant is read-only too.
        let mut admin = actor(Role::Admin, 2, None);
        admin.grants[0].ended = Some(END);
        assert_eq!(on(&admin, WriteMember, &cell, Some(9)), Denied);
    }

    #[test]
    fn an_old_date_never_widens_a_live_grant() {
        // The dissolved grant's old date does not lend a live grant (on 6)
        // any write, and a live grant is judged on today's path only.
        let mut a = dissolved_staff();
        a.grants.push(Grant::live(Role::Staff, OrgId(6)));
        let cell = moved_cell();
        assert_eq!(on(&a, WriteMember, &cell, Some(9)), Denied);
        // Live staff of 2 (had it not been dissolved) against the old path only.
        let live = actor(Role::Staff, 2, None);
        assert_eq!(on(&live, WriteMember, &cell, Some(9)), Hidden);
        // Live staff of the province the cell now belongs to may write.
        let province = actor(Role::Staff, 8, None);
        assert_eq!(on(&province, WriteMember, &cell, Some(9)), Allowed);
    }

    #[test]
    fn a_committees_staff_direct_its_cells_a_secretary_does_not() {
        // docs/rules.md "A committee sets one meeting day for its cells".
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), Action::DirectCells, &COMMUNE),
            Decision::Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 2, None), Action::DirectCells, &COMMUNE),
            Decision::Allowed
        );
        assert_eq!(
            on_org(
                &actor(Role::Secretary, 4, Some(7)),
                Action::DirectCells,
                &CELL_A
            ),
            Decision::Denied
        );
        assert_eq!(
            on_org(
                &actor(Role::Secretary, 4, Some(7)),
                Action::DirectCells,
                &COMMUNE
            ),
            Decision::Hidden
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 6, None), Action::DirectCells, &COMMUNE),
            Decision::Hidden
        );
    }

    #[test]
    fn staff_plan_supervision_secretaries_members_and_followers_do_not() {
        // docs/rules.md "Supervision rounds and unannounced visits" (Kim Sơn,
        // seed 003: the district standing committee sends the cadres).
        const DISTRICT: [OrgId; 2] = [OrgId(2), OrgId(1)];
        assert_eq!(
            on_org(&actor(Role::Staff, 2, None), PlanSupervision, &DISTRICT),
            Allowed
        );
        assert_eq!(
            on_org(&actor(Role::Staff, 1, None), PlanSupervision, &DISTRICT),
            Allowed
        );
        // The commune below does not see the district's rounds at all.
        assert_eq!(
            on_org(&actor(Role::Staff, 3, None), PlanSupervision, &DISTRICT),
            Hidden
        );
        assert_eq!(
            on_org(
                &actor(Role::Secretary, 4, Some(7)),
                PlanSupervision,
                &CELL_A
            ),
            Denied
        );
        assert_eq!(
            on_org(&actor(Role::Member, 4, Some(7)), AttendMeeting, &CELL_A),
            Denied
        );
        assert_eq!(
            on_org(&actor(Role::Follower, 4, None), PlanSupervision, &CELL_A),
            Denied
        );
    }
}
