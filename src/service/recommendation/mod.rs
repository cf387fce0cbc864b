//! Recommendations (kiến nghị): raised by a cell at a meeting or on its own,
//! routed to the committee that can answer, assigned, answered, and the
//! answer read out at the cell's next meeting (docs/rules.md
//! "Recommendations (kiến nghị)").

mod list;

pub use list::{Counts, ListQuery, MeetingRecs, RecList, counts, for_meeting, list, xlsx};

use super::{AppError, Caller, Change, Object, Result, audit, authorize, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId, RecommendationId};
use crate::domain::recommendation::{self as rec, Facts, Refusal, Source, Status, Topic};
use crate::domain::text::{clean, fold};
use crate::domain::time::{parse_date, parse_date_or};
use crate::store::{self, member::StatusFilter, recommendation::RecRow};
use jiff::civil::Date;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RaiseInput {
    /// land | site_clearance | sand_mining | land_certificates | new_rural |
    /// social_policy | security | other
    pub topic: String,
    /// One recommendation a line.
    pub content: String,
    /// The member who raised it, by name (optional; a member of the cell).
    pub raised_by: String,
    /// dd/mm/yyyy or YYYY-MM-DD; the meeting's day, or today, when empty.
    pub raised_on: String,
    /// The committee to send it to at once, by name (optional).
    pub level: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RouteInput {
    /// The committee above to send it to, by name (forms), or its id (API).
    pub level: String,
    pub level_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssignInput {
    /// A unit or person at that level; free text ("UBND xã", "Văn phòng Huyện ủy").
    pub assignee: String,
    /// dd/mm/yyyy or YYYY-MM-DD.
    pub deadline: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerInput {
    pub answer: String,
    /// dd/mm/yyyy or YYYY-MM-DD; today when empty.
    pub answered_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    pub reason: String,
}

/// One recommendation and what the caller may do with it.
pub struct RecView {
    pub row: RecRow,
    pub can_handle: bool,
    pub can_report: bool,
    /// Committees above the level now handling it, nearest first.
    pub levels_above: Vec<(OrgId, String)>,
    pub overdue: bool,
}

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::Invalid(e) => AppError::Invalid(e),
        Refusal::Status(m) => AppError::Conflict(m),
    }
}

fn facts(r: &RecRow) -> Facts {
    Facts {
        status: Status::from_code(&r.status).unwrap_or(Status::Raised),
        level: r.level_id,
        raised_on: r.raised_on.to_jiff(),
        answered_on: r.answered_on.map(|d| d.to_jiff()),
    }
}

pub fn status_of(r: &RecRow) -> Status {
    facts(r).status
}

/// The committees above a cell on `on`, nearest first.
async fn above(app: &AppState, cell: OrgId, on: Date) -> Result<Vec<(OrgId, String)>> {
    Ok(nearest_first(
        store::org::ancestors(&app.db, cell, on).await?,
        cell,
    ))
}

/// The committees among a cell's ancestors-or-self (root first), nearest first.
fn nearest_first(mut rows: Vec<store::org::OrgRow>, cell: OrgId) -> Vec<(OrgId, String)> {
    rows.retain(|o| o.id != cell);
    rows.reverse();
    rows.into_iter().map(|o| (o.id, o.name)).collect()
}

/// [`levels_of`], from the request's lookups when it has them.
async fn levels_for(app: &AppState, caller: &Caller, cell: OrgId) -> Result<Vec<(OrgId, String)>> {
    let today = app.clock.today();
    Ok(nearest_first(
        crate::service::access::ancestors(app, caller, cell, today).await?,
        cell,
    ))
}

/// The committees a cell may send recommendations to today, nearest first.
pub async fn levels_of(app: &AppState, cell: OrgId) -> Result<Vec<(OrgId, String)>> {
    above(app, cell, app.clock.today()).await
}

/// The committee a form or request names among `above`.
fn pick_level(
    above: &[(OrgId, String)],
    name: &str,
    id: Option<i64>,
) -> std::result::Result<OrgId, ValidationError> {
    if let Some(id) = id {
        return Ok(OrgId(id));
    }
    let key = fold(&clean(name));
    if key.is_empty() {
        return Err(ValidationError::new(
            "level",
            "Cấp nhận",
            "phải chọn cấp ủy nhận kiến nghị",
        ));
    }
    above
        .iter()
        .find(|(_, n)| fold(n) == key)
        .map(|(id, _)| *id)
        .ok_or_else(|| {
            ValidationError::new(
                "level",
                "Cấp nhận",
                format!("«{}» không phải cấp ủy cấp trên của chi bộ", clean(name)),
            )
        })
}

/// The active member of `cell` named `name`.
async fn pick_raiser(app: &AppState, cell: OrgId, name: &str) -> Result<Option<MemberId>> {
    let name = clean(name);
    if name.is_empty() {
        return Ok(None);
    }
    let key = fold(&name);
    let (rows, _) = store::member::list(
        &app.db,
        &store::member::ListQuery {
            root: store::org::Root::cell(cell),
            on: app.clock.today(),
            q: &key,
            status: StatusFilter::Active,
            limit: 20,
            offset: 0,
        },
    )
    .await?;
    let exact: Vec<MemberId> = rows
        .iter()
        .filter(|r| fold(&r.full_name) == key)
        .map(|r| r.id)
        .collect();
    match (exact.as_slice(), rows.as_slice()) {
        ([one], _) => Ok(Some(*one)),
        ([], [one]) => Ok(Some(one.id)),
        _ => Err(AppError::invalid(ValidationError::new(
            "raised_by",
            "Người nêu",
            format!("không có đúng một đảng viên tên «{name}» trong chi bộ"),
        ))),
    }
}

/// What a raise writes, checked before the transaction.
struct Raise {
    topic: Topic,
    lines: Vec<String>,
    raised_by: Option<MemberId>,
    level: Option<OrgId>,
}

async fn parse_raise(app: &AppState, cell: OrgId, input: &RaiseInput, on: Date) -> Result<Raise> {
    let mut errors = Vec::new();
    let topic = Topic::parse(&input.topic).map_err(|e| errors.push(e)).ok();
    let mut lines = Vec::new();
    for l in rec::lines(&input.content) {
        match rec::content(&l) {
            Ok(c) => lines.push(c),
            Err(e) => errors.push(e),
        }
    }
    if lines.is_empty() && errors.iter().all(|e| e.field != "content") {
        errors.push(ValidationError::new(
            "content",
            "Nội dung kiến nghị",
            "phải ghi nội dung (mỗi dòng một kiến nghị)",
        ));
    }
    let raised_by = match pick_raiser(app, cell, &input.raised_by).await {
        Ok(m) => m,
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let level = if clean(&input.level).is_empty() {
        None
    } else {
        match pick_level(&above(app, cell, on).await?, &input.level, None) {
            Ok(l) => Some(l),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    match topic {
        Some(topic) if errors.is_empty() => Ok(Raise {
            topic,
            lines,
            raised_by,
            level,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Where new recommendations come from.
#[derive(Clone, Copy)]
struct Origin {
    cell: OrgId,
    source: Source,
    meeting: Option<i64>,
    visit: Option<i64>,
    on: Date,
}

async fn write_raise(
    app: &AppState,
    tx: &mut store::Tx,
    caller: &Caller,
    o: &Origin,
    r: &Raise,
) -> Result<Vec<RecommendationId>> {
    let Origin {
        cell,
        source,
        meeting,
        visit,
        on,
    } = *o;
    let mut ids = Vec::with_capacity(r.lines.len());
    for line in &r.lines {
        let id = store::recommendation::insert(
            tx,
            &store::recommendation::NewRec {
                cell,
                source: source.code(),
                meeting,
                visit,
                raised_by: r.raised_by,
                topic: r.topic.code(),
                content: line,
                raised_on: on,
                year: on.year(),
                quarter: rec::quarter_of(on),
            },
        )
        .await?;
        let mut status = Status::Raised;
        if let Some(level) = r.level {
            send_now(tx, id, level, on).await?;
            status = Status::Sent;
        }
        let summary = format!("Kiến nghị ({}): {line}", r.topic.label());
        audit(
            app,
            tx,
            caller,
            Change {
                action: "recommendation_raise",
                entity: "recommendation",
                entity_id: id.0,
                org: Some(cell),
                summary: &summary,
                before: None,
                after: Some(serde_json::json!({
                    "source": source.code(), "meeting_id": meeting, "topic": r.topic.code(),
                    "content": line, "raised_on": on.to_string(), "status": status.code(),
                    "level_id": r.level,
                })),
            },
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// A new recommendation sent at once: the same row update as a route step.
async fn send_now(tx: &mut store::Tx, id: RecommendationId, level: OrgId, on: Date) -> Result<()> {
    let mut row = store::recommendation::get_in(tx, id).await?;
    row.status = Status::Sent.code().into();
    row.level_id = Some(level);
    row.sent_on = Some(store::types::day(on));
    store::recommendation::update(tx, &row, Status::Raised.code()).await?;
    Ok(())
}

/// What the members raised at a visited meeting, carried up by the visiting
/// cadre (Đức Thọ practice; docs/rules.md "Recommendations (kiến nghị)"):
/// one recommendation a line, sent at once to the committee that sent the
/// cadre. Once per visit, after the cadre's report.
pub async fn raise_from_visit(
    app: &AppState,
    caller: &Caller,
    visit: i64,
    topic: &str,
) -> Result<Vec<RecommendationId>> {
    authorize(app, caller, Object::Visit, Action::AttendMeeting, visit).await?;
    let v = store::supervision::visit(&app.db, visit).await?;
    if caller.actor.member_id != Some(v.member_id) {
        return Err(AppError::Forbidden);
    }
    let lines = store::supervision::raised(&app.db, visit).await?;
    if v.reported_at.is_none() || lines.is_empty() {
        return Err(AppError::Conflict(
            "báo cáo dự sinh hoạt chưa ghi ý kiến nào của đảng viên".into(),
        ));
    }
    if store::recommendation::count_of_visit(&app.db, visit).await? > 0 {
        return Err(AppError::Conflict(
            "các ý kiến của buổi này đã được chuyển thành kiến nghị".into(),
        ));
    }
    let topic = Topic::parse(topic).map_err(AppError::invalid)?;
    let round = store::supervision::round(&app.db, v.round_id).await?;
    // Raised at the meeting; never later than today (a roll call may be
    // recorded ahead of the meeting's registered day).
    let on = v.held_on.to_jiff().min(app.clock.today());
    let r = Raise {
        topic,
        lines,
        raised_by: None,
        level: Some(round.org_id),
    };
    let mut tx = app.db.begin().await?;
    let ids = write_raise(
        app,
        &mut tx,
        caller,
        &Origin {
            cell: v.cell_id,
            source: Source::Visit,
            meeting: Some(v.meeting_id),
            visit: Some(visit),
            on,
        },
        &r,
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// Recommendations raised at a meeting of the cell, one a line. Refused
/// (409) once the minutes are signed: they may be raised by the cell instead.
pub async fn raise_at_meeting(
    app: &AppState,
    caller: &Caller,
    meeting: i64,
    input: &RaiseInput,
) -> Result<Vec<RecommendationId>> {
    authorize(
        app,
        caller,
        Object::Meeting,
        Action::ManageMeetings,
        meeting,
    )
    .await?;
    let m = store::meeting::get(&app.db, meeting).await?;
    let on = m.held_on.to_jiff();
    let r = parse_raise(app, m.org_id, input, on).await?;
    let mut tx = app.db.begin().await?;
    let locked = store::meeting::get_for_update(&mut tx, meeting).await?;
    if locked.signed_at.is_some() {
        return Err(AppError::Conflict(
            "biên bản kỳ họp đã ký, không thêm kiến nghị vào được; hãy ghi là kiến nghị của chi bộ"
                .into(),
        ));
    }
    let ids = write_raise(
        app,
        &mut tx,
        caller,
        &Origin {
            cell: m.org_id,
            source: Source::Meeting,
            meeting: Some(meeting),
            visit: None,
            on,
        },
        &r,
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// Recommendations the cell raises outside a meeting.
pub async fn raise_by_cell(
    app: &AppState,
    caller: &Caller,
    cell: OrgId,
    input: &RaiseInput,
) -> Result<Vec<RecommendationId>> {
    let org = authorize_org(app, caller, Action::ManageMeetings, cell).await?;
    if !org.kind().is_cell() {
        return Err(AppError::Conflict(
            "chỉ chi bộ mới nêu kiến nghị; hãy mở trang của chi bộ".into(),
        ));
    }
    let today = app.clock.today();
    let on = parse_date_or(&input.raised_on, today).filter(|d| *d <= today);
    let Some(on) = on else {
        return Err(AppError::invalid(ValidationError::new(
            "raised_on",
            "Ngày nêu",
            "không đúng định dạng dd/mm/yyyy hoặc sau hôm nay",
        )));
    };
    let r = parse_raise(app, cell, input, on).await?;
    let mut tx = app.db.begin().await?;
    let ids = write_raise(
        app,
        &mut tx,
        caller,
        &Origin {
            cell,
            source: Source::Cell,
            meeting: None,
            visit: None,
            on,
        },
        &r,
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// One recommendation, for whoever may read its cell.
pub async fn get(app: &AppState, caller: &Caller, id: RecommendationId) -> Result<RecView> {
    authorize(app, caller, Object::Recommendation, Action::ReadOrg, id.0).await?;
    let row = store::recommendation::get(&app.db, id).await?;
    let today = app.clock.today();
    let can_handle = super::permitted(
        authorize(
            app,
            caller,
            Object::Recommendation,
            Action::HandleRecommendations,
            id.0,
        )
        .await,
    )?;
    let can_report = super::permitted(
        authorize(
            app,
            caller,
            Object::Recommendation,
            Action::ManageMeetings,
            id.0,
        )
        .await,
    )?;
    let mut levels_above = above(app, row.cell_id, today).await?;
    if let Some(cur) = row.level_id
        && let Some(pos) = levels_above.iter().position(|(o, _)| *o == cur)
    {
        levels_above.drain(..=pos);
    }
    let f = facts(&row);
    let overdue = rec::is_overdue(f.status, row.deadline.map(|d| d.to_jiff()), today);
    Ok(RecView {
        row,
        can_handle,
        can_report,
        levels_above,
        overdue,
    })
}

/// Applies one step to a recommendation under the caller's `action`, in one
/// transaction with its audit row.
async fn step(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    action: Action,
    audit_action: &str,
    lock_meeting: Option<i64>,
    apply: impl FnOnce(&mut RecRow, &Facts) -> std::result::Result<String, Refusal>,
) -> Result<()> {
    authorize(app, caller, Object::Recommendation, action, id.0).await?;
    let before = store::recommendation::get(&app.db, id).await?;
    let f = facts(&before);
    let mut row = before.clone();
    let summary = apply(&mut row, &f).map_err(refused)?;
    let mut tx = app.db.begin().await?;
    // Signed minutes never change: the meeting is locked and checked in the
    // transaction that records something at it.
    if let Some(m) = lock_meeting
        && store::meeting::get_for_update(&mut tx, m)
            .await?
            .signed_at
            .is_some()
    {
        return Err(AppError::Conflict(
            "biên bản kỳ họp đã ký, không ghi thêm được".into(),
        ));
    }
    if store::recommendation::update(&mut tx, &row, &before.status).await? == 0 {
        return Err(AppError::Conflict(
            "kiến nghị vừa được người khác cập nhật; hãy tải lại trang".into(),
        ));
    }
    let snap = |r: &RecRow| {
        serde_json::json!({
            "status": r.status, "level_id": r.level_id, "assignee": r.assignee,
            "deadline": r.deadline.map(|d| d.to_jiff().to_string()), "answer": r.answer,
            "answered_on": r.answered_on.map(|d| d.to_jiff().to_string()),
            "reported_meeting_id": r.reported_meeting_id, "closed_reason": r.closed_reason,
        })
    };
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: audit_action,
            entity: "recommendation",
            entity_id: id.0,
            org: Some(row.cell_id),
            summary: &summary,
            before: Some(snap(&before)),
            after: Some(snap(&row)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends it to a committee above the cell, above the level now handling it.
pub async fn route(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    input: &RouteInput,
) -> Result<()> {
    authorize(app, caller, Object::Recommendation, Action::ReadOrg, id.0).await?;
    let cell = store::recommendation::get(&app.db, id).await?.cell_id;
    let today = app.clock.today();
    let above = above(app, cell, today).await?;
    let level = pick_level(&above, &input.level, input.level_id)?;
    let ids: Vec<OrgId> = above.iter().map(|(o, _)| *o).collect();
    let name = above
        .iter()
        .find(|(o, _)| *o == level)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    step(
        app,
        caller,
        id,
        Action::HandleRecommendations,
        "recommendation_route",
        None,
        |r, f| {
            rec::route(f, &ids, level)?;
            r.status = Status::Sent.code().into();
            r.level_id = Some(level);
            r.sent_on = Some(store::types::day(today));
            r.assignee.clear();
            Ok(format!("Chuyển kiến nghị lên {name}"))
        },
    )
    .await
}

pub async fn assign(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    input: &AssignInput,
) -> Result<()> {
    let deadline = parse_date(&input.deadline);
    step(
        app,
        caller,
        id,
        Action::HandleRecommendations,
        "recommendation_assign",
        None,
        |r, f| {
            let who = rec::assign(f, &input.assignee, deadline)?;
            r.status = Status::Assigned.code().into();
            r.deadline = deadline.map(store::types::day);
            let summary = format!("Giao {who} giải quyết kiến nghị");
            r.assignee = who;
            Ok(summary)
        },
    )
    .await
}

pub async fn answer(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    input: &AnswerInput,
) -> Result<()> {
    let today = app.clock.today();
    let on = parse_date_or(&input.answered_on, today);
    step(
        app,
        caller,
        id,
        Action::HandleRecommendations,
        "recommendation_answer",
        None,
        |r, f| {
            r.answer = rec::answer(f, &input.answer, on, today)?;
            r.status = Status::Answered.code().into();
            r.answered_on = on.map(store::types::day);
            Ok("Trả lời kiến nghị".into())
        },
    )
    .await
}

pub async fn close(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    input: &CloseInput,
) -> Result<()> {
    step(
        app,
        caller,
        id,
        Action::HandleRecommendations,
        "recommendation_close",
        None,
        |r, f| {
            r.closed_reason = rec::close(f, &input.reason)?;
            r.status = Status::Closed.code().into();
            Ok(format!("Đóng kiến nghị: {}", r.closed_reason))
        },
    )
    .await
}

/// The answer was read out at `meeting`, a meeting of the cell that raised
/// it whose minutes are not yet signed.
pub async fn report(
    app: &AppState,
    caller: &Caller,
    id: RecommendationId,
    meeting: i64,
) -> Result<()> {
    authorize(
        app,
        caller,
        Object::Recommendation,
        Action::ManageMeetings,
        id.0,
    )
    .await?;
    let cell = store::recommendation::get(&app.db, id).await?.cell_id;
    let m = match store::meeting::get(&app.db, meeting).await {
        Ok(m) if m.org_id == cell => m,
        Ok(_) | Err(store::StoreError::NotFound) => {
            return Err(AppError::invalid(ValidationError::new(
                "meeting",
                "Kỳ sinh hoạt",
                "phải là một kỳ sinh hoạt của chi bộ đã nêu kiến nghị",
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let held = m.held_on.to_jiff();
    step(
        app,
        caller,
        id,
        Action::ManageMeetings,
        "recommendation_report",
        Some(meeting),
        |r, f| {
            rec::report(f, held)?;
            r.status = Status::Reported.code().into();
            r.reported_meeting_id = Some(meeting);
            Ok(format!(
                "Thông báo trả lời kiến nghị tại kỳ sinh hoạt ngày {}",
                crate::domain::time::format_date(held)
            ))
        },
    )
    .await
}
