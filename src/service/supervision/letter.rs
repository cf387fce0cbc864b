//! The introduction letter of a visit, printed by the office that sends the
//! cadre (docs/rules.md "Introduction letter").

use crate::app::AppState;
use crate::docs::letter::{LetterDoc, docx};
use crate::domain::authz::Action;
use crate::domain::place::{committee_name, organization_name, place_of};
use crate::domain::supervision::{letter_signature, letter_symbol};
use crate::service::{AppError, Caller, Object, Result, authorize};
use crate::store::{self, supervision as st};

/// The letter as DOCX, with the file name to give it.
pub async fn letter_docx(app: &AppState, caller: &Caller, id: i64) -> Result<(String, Vec<u8>)> {
    authorize(app, caller, Object::Visit, Action::AttendMeeting, id).await?;
    let v = st::visit(&app.db, id).await?;
    let round = st::round(&app.db, v.round_id).await?;
    let on = v.letter_on.to_jiff();
    // The issuer and the cell as they stood on the letter's day, nearest first.
    let issuer_up = store::org::ancestors(&app.db, round.org_id, on).await?;
    let cell_up = store::org::ancestors(&app.db, v.cell_id, on).await?;
    let committee = match issuer_up.last() {
        Some(c) => c.clone(),
        None => store::org::get_latest(&app.db, round.org_id).await?,
    };
    let upper = issuer_up
        .len()
        .checked_sub(2)
        .and_then(|i| issuer_up.get(i));
    let cell_line = match cell_up.as_slice() {
        [.., up, c] => format!(
            "{}, {}",
            organization_name(&c.name, c.kind()),
            organization_name(&up.name, up.kind())
        ),
        _ => v.cell_name.clone(),
    };
    let doc = LetterDoc {
        upper_org: upper
            .map(|u| organization_name(&u.name, u.kind()))
            .unwrap_or_default(),
        issuer: committee_name(&organization_name(&committee.name, committee.kind())),
        number: letter_symbol(v.letter_number, committee.kind()),
        place: place_of(issuer_up.iter().rev().map(|o| o.name.as_str())),
        date: on,
        bearer: v.full_name.clone(),
        position: if v.position.is_empty() {
            "…………………………".into()
        } else {
            v.position.clone()
        },
        cell: cell_line,
        meeting_on: v.held_on.to_jiff(),
        purpose: round.purpose.clone(),
        valid_from: round.starts_on.to_jiff(),
        valid_to: round.ends_on.to_jiff(),
        signature: letter_signature(committee.kind()),
    };
    let bytes = docx(&doc).map_err(AppError::Internal)?;
    Ok((format!("giay-gioi-thieu-{}.docx", v.letter_number), bytes))
}
