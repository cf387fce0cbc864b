//! Reading the audit log: staff see the changes of their subtree.

use super::{Caller, PAGE_SIZE, Result, authorize_member, authorize_org};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::store::{self, audit::AuditRow};

pub async fn for_org(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    page: i64,
) -> Result<Vec<AuditRow>> {
    let row = authorize_org(app, caller, Action::ReadAudit, org).await?;
    let page = page.max(1);
    // What belongs to no node (failed sign-ins of unknown names, accounts
    // placed nowhere) is the administrators', shown with the root's log.
    let unplaced = row.parent_id.is_none() && caller.actor.is_admin();
    Ok(store::audit::list_with_unplaced(
        &app.db,
        Some(org),
        row.reference_date(app.clock.today()),
        None,
        unplaced,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?)
}

/// Changes to one member, for staff who may read the audit of their cell.
pub async fn for_member(app: &AppState, caller: &Caller, id: MemberId) -> Result<Vec<AuditRow>> {
    let m = authorize_member(app, caller, Action::ReadMember, id).await?;
    authorize_org(app, caller, Action::ReadAudit, m.cell_id).await?;
    Ok(store::audit::list(
        &app.db,
        None,
        app.clock.today(),
        Some(("member", id.0)),
        PAGE_SIZE,
        0,
    )
    .await?)
}
