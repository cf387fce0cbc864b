//! The cell committee agrees the meeting's content before it (docs/rules.md
//! "The cell committee agrees the content first").

use super::plan::signed_conflict;
use super::{authorize, kind};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::preparation::{agreeing_body, check_agreement};
use crate::domain::time::{format_date, parse_date};
use crate::service::{AppError, Caller, Change, Result, audit};
use crate::store;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AgreementInput {
    /// The day the cell committee (or secretary and deputy) agreed the
    /// content: YYYY-MM-DD (dd/mm/yyyy also accepted), not after the meeting
    /// nor after today.
    #[schema(format = Date, required = true)]
    pub agreed_on: String,
}

/// The agreement as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgreementOut {
    /// YYYY-MM-DD
    pub agreed_on: String,
    /// "Chi ủy", or "Bí thư, phó bí thư" in a cell without a committee.
    pub body: String,
    /// Who recorded it (username).
    pub recorded_by: String,
    /// "Chi ủy thống nhất nội dung ngày dd/mm/yyyy"
    pub text: String,
}

impl AgreementOut {
    pub fn new(row: &store::preparation::AgreementRow, full_members: i64) -> Self {
        let body = agreeing_body(full_members);
        let day = row.agreed_on.to_jiff();
        AgreementOut {
            agreed_on: day.to_string(),
            body: body.to_string(),
            recorded_by: row.username.clone(),
            text: format!("{body} thống nhất nội dung ngày {}", format_date(day)),
        }
    }
}

/// Records the day the content was agreed; refused once the minutes are signed.
pub async fn agree_content(
    app: &AppState,
    caller: &Caller,
    id: i64,
    input: &AgreementInput,
) -> Result<AgreementOut> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_some() {
        return Err(signed_conflict());
    }
    let Some(agreed_on) = parse_date(&input.agreed_on) else {
        return Err(AppError::invalid(ValidationError::new(
            "agreed_on",
            "Ngày thống nhất nội dung",
            "không đúng định dạng ngày",
        )));
    };
    check_agreement(agreed_on, m.held_on.to_jiff(), app.clock.today())?;
    let full = super::full_members(&super::cell_members(app, m.org_id).await?);
    let before = store::preparation::agreement(&app.db, id).await?;
    let mut tx = app.db.begin().await?;
    // Locked and read again: a signature racing this write wins.
    if store::meeting::get_for_update(&mut tx, id)
        .await?
        .signed_at
        .is_some()
    {
        return Err(signed_conflict());
    }
    let now = app.clock.now();
    store::preparation::set_agreement(&mut tx, id, agreed_on, &caller.actor.username, now).await?;
    let summary = format!(
        "{} thống nhất nội dung {} ngày {}: ngày {}",
        agreeing_body(full),
        kind(&m).label().to_lowercase(),
        format_date(m.held_on.to_jiff()),
        format_date(agreed_on)
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "agree_content",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: before
                .map(|b| serde_json::json!({"agreed_on": b.agreed_on.to_jiff().to_string()})),
            after: Some(serde_json::json!({"agreed_on": agreed_on.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    let row = store::preparation::AgreementRow {
        meeting_id: id,
        agreed_on: store::types::day(agreed_on),
        username: caller.actor.username.clone(),
        recorded_at: store::types::instant(now),
    };
    Ok(AgreementOut::new(&row, full))
}
