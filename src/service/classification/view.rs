//! What a year's classification looks like from a node: its own record, the
//! members of its cell, the members and units it decides, and the counts of
//! its subtree.

use super::{Tree, reading_date, regime_for};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::classification::regime::Regime;
use crate::domain::classification::{ClassYear, Grade, GradeCounts, SubjectKind};
use crate::domain::ids::{MemberId, OrgId};
use crate::service::{AppError, Caller, Result, allows, authorize_member, authorize_org};
use crate::store::classification::{NodeRow, RecordRow};
use crate::store::member::MemberRow;
use crate::store::org::{OrgRow, Root};
use crate::store::{self};
use std::collections::HashMap;

/// Final grades of a subtree's records for a year (the root's own left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub members: GradeCounts,
    /// Member records without a final grade yet.
    pub members_pending: i64,
    pub orgs: GradeCounts,
    /// Organization records without a final grade yet.
    pub orgs_pending: i64,
}

/// Counts by grade for the subtree of `root` and a year, members and
/// organizations: one grouped query (for the page, the XLSX and the
/// dashboard).
pub async fn counts(
    app: &AppState,
    caller: &Caller,
    root: OrgId,
    year: ClassYear,
) -> Result<Counts> {
    let row = authorize_org(app, caller, Action::ReadOrg, root).await?;
    counts_of(app, &row, year).await
}

async fn counts_of(app: &AppState, row: &OrgRow, year: ClassYear) -> Result<Counts> {
    let on = reading_date(year, row.reference_date(app.clock.today()));
    let rows =
        store::classification::counts(&app.db, Root::of(row), on, i32::from(year.get())).await?;
    let mut c = Counts::default();
    for r in rows {
        let grade = r.final_grade.as_deref().and_then(Grade::from_code);
        match (SubjectKind::from_code(&r.subject_kind), grade) {
            (Some(SubjectKind::Member), Some(g)) => c.members.add(g, r.n),
            (Some(SubjectKind::Member), None) => c.members_pending += r.n,
            (Some(SubjectKind::Org), Some(g)) => c.orgs.add(g, r.n),
            (Some(SubjectKind::Org), None) => c.orgs_pending += r.n,
            (None, _) => {}
        }
    }
    Ok(c)
}

pub struct MemberLine {
    pub member_id: MemberId,
    pub name: String,
    pub probationary: bool,
    pub record: Option<RecordRow>,
}

/// A cell with its own record and its members' lines.
pub struct CellBlock {
    pub cell: NodeRow,
    pub record: Option<RecordRow>,
    pub members: Vec<MemberLine>,
}

pub struct UnitLine {
    pub node: NodeRow,
    pub record: Option<RecordRow>,
}

pub struct YearView {
    pub org: OrgRow,
    pub year: ClassYear,
    /// The year's regime, or why there is none.
    pub regime: std::result::Result<Regime, String>,
    pub own: Option<RecordRow>,
    /// The node's own members, when it is a cell (and the caller may list them).
    pub own_cell: Option<CellBlock>,
    /// The members whose final grade this node decides, by cell.
    pub decided_cells: Vec<CellBlock>,
    /// The organizations whose final grade this node decides (its children).
    pub decided_units: Vec<UnitLine>,
    pub counts: Counts,
    pub can_list: bool,
    pub can_propose: bool,
    pub can_decide: bool,
}

/// A node's classification of a year: a handful of queries whatever the
/// number of members (subtree, roll, records, counts).
pub async fn year_view(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    year: ClassYear,
) -> Result<YearView> {
    let org = authorize_org(app, caller, Action::ReadOrg, id).await?;
    let can_list = allows(app, caller, Action::ListMembers, id).await?;
    let can_propose = allows(app, caller, Action::ProposeClassification, id).await?;
    let can_decide = allows(app, caller, Action::DecideClassification, id).await?;
    let regime = match regime_for(app, year).await {
        Ok(r) => Ok(r),
        Err(AppError::Invalid(e)) => Err(e
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")),
        Err(e) => return Err(e),
    };
    let on = reading_date(year, org.reference_date(app.clock.today()));
    let y = i32::from(year.get());
    let root = Root::of(&org);
    let tree = Tree::new(store::classification::nodes(&app.db, root, on).await?);
    let records = store::classification::in_subtree(&app.db, root, on, y).await?;
    let mut by_subject: HashMap<(String, i64), RecordRow> = records
        .into_iter()
        .map(|r| ((r.subject_kind.clone(), r.subject_id), r))
        .collect();
    let mut take = |kind: SubjectKind, id: i64| by_subject.remove(&(kind.code().to_string(), id));

    // Cells whose members this node decides, and the node itself if a cell.
    let is_cell = org.kind().is_cell();
    let mut member_cells: Vec<&NodeRow> = tree
        .nodes
        .values()
        .filter(|n| {
            crate::domain::org::OrgKind::from_code(&n.kind).is_some_and(|k| k.is_cell())
                && tree.member_decider(n.id) == Some(id)
        })
        .collect();
    member_cells.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let roll = if can_list && (is_cell || !member_cells.is_empty()) {
        store::classification::roll(&app.db, root, on).await?
    } else {
        Vec::new()
    };
    let mut lines: HashMap<OrgId, Vec<MemberLine>> = HashMap::new();
    for m in roll {
        let record = take(SubjectKind::Member, m.member_id.0);
        lines.entry(m.cell_id).or_default().push(MemberLine {
            member_id: m.member_id,
            name: m.full_name,
            probationary: m.status == "probationary",
            record,
        });
    }
    let own = take(SubjectKind::Org, id.0);
    let own_cell = match (is_cell && can_list, tree.nodes.get(&id)) {
        (true, Some(n)) => Some(CellBlock {
            cell: n.clone(),
            record: own.clone(),
            members: lines.remove(&id).unwrap_or_default(),
        }),
        _ => None,
    };
    let decided_cells = member_cells
        .into_iter()
        .filter(|n| n.id != id)
        .map(|n| CellBlock {
            cell: n.clone(),
            record: by_subject
                .get(&(SubjectKind::Org.code().to_string(), n.id.0))
                .cloned(),
            members: lines.remove(&n.id).unwrap_or_default(),
        })
        .collect();
    let mut units: Vec<&NodeRow> = tree
        .nodes
        .values()
        .filter(|n| n.parent_id == Some(id))
        .collect();
    units.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let decided_units = units
        .into_iter()
        .map(|n| UnitLine {
            node: n.clone(),
            record: by_subject.remove(&(SubjectKind::Org.code().to_string(), n.id.0)),
        })
        .collect();
    let counts = counts_of(app, &org, year).await?;
    Ok(YearView {
        org,
        year,
        regime,
        own,
        own_cell,
        decided_cells,
        decided_units,
        counts,
        can_list,
        can_propose,
        can_decide,
    })
}

/// A member's records over the years, and whether the caller may assess
/// for them (their own).
pub struct MemberYears {
    pub member: MemberRow,
    pub records: Vec<RecordRow>,
    pub can_self_assess: bool,
}

pub async fn member_view(app: &AppState, caller: &Caller, id: MemberId) -> Result<MemberYears> {
    let member = authorize_member(app, caller, Action::ReadMember, id).await?;
    let can_self_assess =
        crate::service::permitted(authorize_member(app, caller, Action::SelfAssess, id).await)?;
    let records = store::classification::of_member(&app.db, id).await?;
    Ok(MemberYears {
        member,
        records,
        can_self_assess,
    })
}

/// The year's view of a node as XLSX: counts, members, units.
pub async fn xlsx(app: &AppState, caller: &Caller, id: OrgId, year: ClassYear) -> Result<Vec<u8>> {
    use crate::docs::classification_xlsx::{MemberOut, Sheet, UnitOut, write};
    let v = year_view(app, caller, id, year).await?;
    let title = format!(
        "Kết quả xếp loại chất lượng năm {} — {}",
        year.get(),
        v.org.name
    );
    let regime = match &v.regime {
        Ok(r) => format!("Áp dụng: {}", r.document),
        Err(e) => e.clone(),
    };
    let blocks = v.own_cell.iter().chain(v.decided_cells.iter());
    let member_rows = blocks
        .flat_map(|b| {
            b.members.iter().map(move |m| MemberOut {
                cell: &b.cell.name,
                name: &m.name,
                record: m.record.as_ref(),
            })
        })
        .collect();
    let unit_rows = std::iter::once(UnitOut {
        name: &v.org.name,
        record: v.own.as_ref(),
    })
    .chain(v.decided_units.iter().map(|u| UnitOut {
        name: &u.node.name,
        record: u.record.as_ref(),
    }))
    .collect();
    write(&Sheet {
        title: &title,
        regime: &regime,
        members: v.counts.members,
        members_pending: v.counts.members_pending,
        orgs: v.counts.orgs,
        orgs_pending: v.counts.orgs_pending,
        member_rows,
        unit_rows,
    })
    .map_err(|e| AppError::Internal(e.to_string()))
}
