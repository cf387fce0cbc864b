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
    member_calendar(app, store::member::get(&app.db, member).await?).await
}

/// Gives the caller, a member, a new private calendar address that a phone's
/// calendar app can subscribe to without signing in; the previous address
/// stops working. Returns the secret, shown to the member once.
pub async fn new_private_feed(app: &AppState, caller: &Caller) -> Result<String> {
    let member = caller.actor.member_id.ok_or(AppError::NotFound)?;
    let m = store::member::get(&app.db, member).await?;
    let token = crate::service::auth::secret_token();
    let mut tx = app.db.begin().await?;
    store::meeting::set_calendar_feed(
        &mut tx,
        member,
        &crate::service::auth::token_hash(&token),
        app.clock.now(),
    )
    .await?;
    crate::service::audit(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "calendar_feed",
            entity: "member",
            entity_id: member.0,
            org: Some(m.cell_id),
            summary: "Tạo địa chỉ lịch riêng (địa chỉ cũ hết hiệu lực)",
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The calendar a private address names: that member's cell's meetings,
/// while the member is active. The secret is the only key.
pub async fn private_feed(app: &AppState, token: &str) -> Result<String> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let hash = crate::service::auth::token_hash(token);
    let member = store::meeting::member_of_calendar_feed(&app.db, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = store::member::get(&app.db, member).await?;
    if !m.status().is_active() {
        return Err(AppError::NotFound);
    }
    member_calendar(app, m).await
}

async fn member_calendar(app: &AppState, m: store::member::MemberRow) -> Result<String> {
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
