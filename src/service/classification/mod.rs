//! Yearly review and classification of members and organizations: the
//! member assesses themself, the cell proposes, the committee decides, in
//! the bottom-up order, under the year's regime and quota (docs/rules.md
//! "Classification regimes by year", "Classification quota",
//! "Classification order (bottom-up)").

mod view;
mod write;

pub use view::{
    CellBlock, Counts, MemberLine, MemberYears, UnitLine, YearView, counts, member_view, xlsx,
    year_view,
};
pub use write::{
    DecisionInput, MemberGrade, OrgGrade, ProposalInput, SelfInput, decide, propose, self_assess,
};

use super::{AppError, Result};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::classification::ClassYear;
use crate::domain::classification::quota::Quota;
use crate::domain::classification::regime::{Regime, ScoreBands};
use crate::domain::ids::OrgId;
use crate::domain::org::OrgKind;
use crate::store::{self, classification::NodeRow};
use jiff::civil::{Date, date};
use std::collections::HashMap;

/// A regime row as the domain reads it.
fn regime_of(r: store::classification::RegimeRow) -> Regime {
    let year = |y: i32| i16::try_from(y).unwrap_or(i16::MAX);
    let bands = match (r.uses_score, r.band_excellent, r.band_good, r.band_complete) {
        (true, Some(e), Some(g), Some(c)) => Some(ScoreBands {
            excellent: i64::from(e),
            good: i64::from(g),
            complete: i64::from(c),
            note: r.band_note,
        }),
        _ => None,
    };
    Regime {
        code: r.code,
        name: r.name,
        document: r.document,
        first_year: year(r.first_year),
        last_year: r.last_year.map(year),
        bands,
        quota: Quota {
            percent: i64::from(r.quota_percent),
            source: r.quota_source,
            members: r.quota_members,
            base_orgs: r.quota_base_orgs,
            cells: r.quota_cells,
        },
    }
}

/// Every regime chibo holds, oldest first.
pub async fn regimes(app: &AppState) -> Result<Vec<Regime>> {
    Ok(store::classification::regimes(&app.db)
        .await?
        .into_iter()
        .map(regime_of)
        .collect())
}

/// The regime of `year`, or the Vietnamese reason there is none.
pub async fn regime_for(app: &AppState, year: ClassYear) -> Result<Regime> {
    let all = regimes(app).await?;
    crate::domain::classification::regime::for_year(&all, year.get())
        .cloned()
        .map_err(AppError::invalid)
}

fn this_year(app: &AppState) -> i16 {
    app.clock.today().year()
}

/// A year typed in a form or sent as text.
pub fn year_of(app: &AppState, input: &str) -> Result<ClassYear> {
    let n: i64 = input.trim().parse().map_err(|_| {
        AppError::invalid(ValidationError::new(
            "year",
            "Năm",
            "phải là một năm, ví dụ 2018",
        ))
    })?;
    ClassYear::new(n, this_year(app)).map_err(AppError::invalid)
}

/// The year a page asks for, or this year.
pub fn page_year(app: &AppState, year: Option<i64>) -> ClassYear {
    let now = this_year(app);
    ClassYear::clamped(year.unwrap_or(i64::from(now)), now)
}

/// The tree and rolls of a year are read on its last day (or today, in the
/// year itself, or the node's last day if it was dissolved before).
fn reading_date(year: ClassYear, node_last: Date) -> Date {
    date(year.get(), 12, 31).min(node_last)
}

/// The nodes of a subtree by id, with their kinds.
struct Tree {
    nodes: HashMap<OrgId, NodeRow>,
}

impl Tree {
    fn new(rows: Vec<NodeRow>) -> Self {
        Tree {
            nodes: rows.into_iter().map(|n| (n.id, n)).collect(),
        }
    }

    fn kind(&self, id: OrgId) -> Option<OrgKind> {
        self.nodes
            .get(&id)
            .and_then(|n| OrgKind::from_code(&n.kind))
    }

    /// The committee deciding the members of `cell`, if it lies in this
    /// subtree.
    fn member_decider(&self, cell: OrgId) -> Option<OrgId> {
        let mut up = Vec::new();
        let mut at = Some(cell);
        while let Some(id) = at {
            let Some(n) = self.nodes.get(&id) else { break };
            up.push((id, OrgKind::from_code(&n.kind).unwrap_or(OrgKind::Cell)));
            at = n.parent_id;
            if up.len() > 64 {
                break;
            }
        }
        // A decider above the subtree's root is outside it: mark with the
        // first id outside, which no caller compares equal to a node here.
        if let Some(last) = at.filter(|id| !self.nodes.contains_key(id)) {
            up.push((last, OrgKind::Central));
        }
        crate::domain::classification::order::member_decider(&up)
    }
}
