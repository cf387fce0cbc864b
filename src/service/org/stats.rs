//! Statistics of a subtree on a date, from the tree and member histories as they stood then.

use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::org::OrgKind;
use crate::service::node_memo::NO_DATE;
use crate::service::{Caller, Result, authorize_org};
use crate::store::{self};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// Statistics of a subtree on a date (issue #3 point 7).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgStats {
    pub org_id: i64,
    pub name: String,
    /// The date asked for.
    pub on: String,
    /// The date the figures are for: `on`, or the last day of a node closed before it.
    pub as_of: String,
    /// Active members (probationary, official, exempt) at home in the subtree.
    pub members: i64,
    /// The breakdowns by status and religion are null unless the caller
    /// holds a committee's role: in a small cell they single out a person.
    pub probationary_members: Option<i64>,
    pub official_members: Option<i64>,
    pub exempt_members: Option<i64>,
    /// Active members who follow a religion.
    pub religious_members: Option<i64>,
    /// Base organizations: đảng bộ cơ sở + chi bộ cơ sở.
    pub base_orgs: i64,
    /// Đảng bộ cơ sở.
    pub party_committees: i64,
    /// Chi bộ cơ sở.
    pub base_cells: i64,
    /// Chi bộ trực thuộc đảng ủy cơ sở.
    pub subordinate_cells: i64,
    /// Every chi bộ: subordinate cells and chi bộ cơ sở.
    pub cells: i64,
    /// Cells by type code.
    pub by_cell_type: BTreeMap<String, i64>,
    /// Members by status code (every status seen in the subtree on the date).
    pub by_status: Option<BTreeMap<String, i64>>,
    /// Nodes by kind code.
    pub by_kind: BTreeMap<String, i64>,
}

pub async fn stats(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgStats> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    let breakdowns = crate::service::allows(app, caller, Action::ReadBreakdowns, id).await?;
    let as_of = super::as_of(&latest, on);
    let counts = app
        .nodes
        .read(
            app,
            caller,
            id,
            ("subtree_counts", [as_of, NO_DATE, NO_DATE]),
            || async {
                Ok(
                    store::stats::subtree_counts(&app.db, store::org::Root::of(&latest), as_of)
                        .await?,
                )
            },
        )
        .await?;
    let mut s = OrgStats {
        org_id: id.0,
        name: store::org::at_from_latest(&app.db, &latest, as_of)
            .await?
            .map(|o| o.name)
            .unwrap_or(latest.name),
        on: on.to_string(),
        as_of: as_of.to_string(),
        members: 0,
        probationary_members: None,
        official_members: None,
        exempt_members: None,
        religious_members: None,
        base_orgs: 0,
        party_committees: 0,
        base_cells: 0,
        subordinate_cells: 0,
        cells: 0,
        by_cell_type: BTreeMap::new(),
        by_status: None,
        by_kind: BTreeMap::new(),
    };
    for (kind, cell_type, n) in &counts.nodes {
        *s.by_kind.entry(kind.clone()).or_default() += n;
        let Some(kind) = OrgKind::from_code(kind) else {
            continue;
        };
        if kind.is_base_org() {
            s.base_orgs += n;
        }
        if kind.is_cell() {
            s.cells += n;
            *s.by_cell_type
                .entry(cell_type.clone().unwrap_or_else(|| "other".into()))
                .or_default() += n;
        }
        match kind {
            OrgKind::BaseCommittee => s.party_committees += n,
            OrgKind::BaseCell => s.base_cells += n,
            OrgKind::Cell => s.subordinate_cells += n,
            _ => {}
        }
    }
    let (mut probationary, mut official, mut exempt, mut religious_n) = (0, 0, 0, 0);
    let mut by_status = BTreeMap::new();
    for (status, religious, n) in &counts.members {
        *by_status.entry(status.clone()).or_default() += n;
        let Some(st) = crate::domain::member::MemberStatus::from_code(status) else {
            continue;
        };
        if st.is_active() {
            s.members += n;
            if *religious {
                religious_n += n;
            }
        }
        match st {
            crate::domain::member::MemberStatus::Probationary => probationary += n,
            crate::domain::member::MemberStatus::Official => official += n,
            crate::domain::member::MemberStatus::Exempt => exempt += n,
            _ => {}
        }
    }
    if breakdowns {
        s.probationary_members = Some(probationary);
        s.official_members = Some(official);
        s.exempt_members = Some(exempt);
        s.religious_members = Some(religious_n);
        s.by_status = Some(by_status);
    }
    Ok(s)
}
