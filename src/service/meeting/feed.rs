//! Calendars out: ICS feeds for a node and for a member, XLSX for upper levels.

use super::notice::event;
use crate::app::AppState;
use crate::docs::ics;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::service::{AppError, Caller, Result, authorize_org};
use crate::store;
use jiff::civil::{Date, date};

fn names(cells: &[store::org::OrgRow], id: OrgId) -> String {
    cells
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

async fn cells_of(
    app: &AppState,
    rows: &[store::meeting::MeetingRow],
) -> Result<Vec<store::org::OrgRow>> {
    let mut ids: Vec<OrgId> = rows.iter().map(|m| m.org_id).collect();
    ids.sort();
    ids.dedup();
    Ok(store::org::get_many_latest(&app.db, &ids).await?)
}

/// Last year to next year: what a calendar app wants to show.
fn window(today: Date) -> (Date, Date) {
    (date(today.year() - 1, 1, 1), date(today.year() + 1, 12, 31))
}

pub async fn org_feed(app: &AppState, caller: &Caller, org: OrgId) -> Result<String> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let (from, to) = window(app.clock.today());
    let rows = store::meeting::in_subtree(
        &app.db,
        store::org::Root::of(&row),
        row.reference_date(app.clock.today()),
        from,
        to,
        super::LIST_LIMIT,
    )
    .await?;
    let cells = cells_of(app, &rows).await?;
    let events: Vec<ics::CalEvent> = rows
        .iter()
        .map(|m| event(m, &names(&cells, m.org_id)))
        .collect();
    Ok(ics::calendar(
        &format!("Lịch sinh hoạt – {}", row.name),
        &events,
    ))
}

pub async fn member_feed(app: &AppState, caller: &Caller) -> Result<String> {
    let member = caller.actor.member_id.ok_or(AppError::NotFound)?;
    let m = store::member::get(&app.db, member).await?;
    let (from, to) = window(app.clock.today());
    let rows = store::meeting::in_subtree(
        &app.db,
        store::org::Root::cell(m.cell_id),
        app.clock.today(),
        from,
        to,
        store::meeting::ALL,
    )
    .await?;
    let cells = cells_of(app, &rows).await?;
    let events: Vec<ics::CalEvent> = rows
        .iter()
        .map(|x| event(x, &names(&cells, x.org_id)))
        .collect();
    Ok(ics::calendar(
        &format!("Lịch sinh hoạt của {}", m.full_name),
        &events,
    ))
}

pub async fn calendar_xlsx(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    from: Date,
    to: Date,
) -> Result<Vec<u8>> {
    let rows = super::list(app, caller, org, from, to).await?;
    let cells = cells_of(app, &rows).await?;
    let named: Vec<(String, &store::meeting::MeetingRow)> =
        rows.iter().map(|m| (names(&cells, m.org_id), m)).collect();
    crate::docs::xlsx::calendar(&named).map_err(|e| AppError::Internal(e.to_string()))
}
