//! Visits of a round: a cadre picks a registered meeting (or a planner
//! assigns one), files the report after it, and may bring the upper level's
//! briefing. The visited cell sees the visit only once the meeting has taken
//! place (docs/rules.md "Supervision rounds and unannounced visits", "Visit
//! report").

use super::{candidates, load_round};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::MemberId;
use crate::domain::supervision::{Report, ReportInput, taken_place};
use crate::service::{AppError, Caller, Change, Object, Result, audit, authorize};
use crate::store::{self, meeting::MeetingRow, supervision as st};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PickInput {
    /// One of the round's registered meetings (from its list).
    pub meeting_id: i64,
    /// The cadre, by name, when a planner assigns the meeting; empty for the
    /// signed-in cadre picking for themself.
    pub cadre: String,
}

/// Picks (or assigns) a meeting for a cadre of the round; returns the visit.
pub async fn pick(app: &AppState, caller: &Caller, round: i64, input: &PickInput) -> Result<i64> {
    let r = load_round(app, caller, Action::AttendMeeting, round).await?;
    let can_plan =
        crate::service::permitted(load_round(app, caller, Action::PlanSupervision, round).await)?;
    let cadres = st::cadres(&app.db, r.id).await?;
    let member: MemberId = if input.cadre.trim().is_empty() {
        match caller
            .actor
            .member_id
            .filter(|m| cadres.iter().any(|c| c.member_id == *m))
        {
            Some(m) => m,
            None => {
                return Err(AppError::invalid(ValidationError::new(
                    "cadre",
                    "Cán bộ dự",
                    "phải ghi họ tên một cán bộ của đợt",
                )));
            }
        }
    } else {
        if !can_plan {
            return Err(AppError::Forbidden);
        }
        let key = crate::domain::text::fold(&input.cadre);
        let hits: Vec<&st::CadreRow> = cadres
            .iter()
            .filter(|c| {
                crate::domain::text::fold(&c.full_name) == key
                    || crate::domain::text::fold(&format!("{} — {}", c.full_name, c.cell_name))
                        == key
            })
            .collect();
        match hits.as_slice() {
            [one] => one.member_id,
            [] => {
                return Err(AppError::invalid(ValidationError::new(
                    "cadre",
                    "Cán bộ dự",
                    format!("«{}» không phải cán bộ của đợt này", input.cadre.trim()),
                )));
            }
            _ => {
                return Err(AppError::invalid(ValidationError::new(
                    "cadre",
                    "Cán bộ dự",
                    "có nhiều cán bộ trùng tên; hãy ghi cả tên chi bộ",
                )));
            }
        }
    };
    let found = candidates(app, &r).await?;
    let Some((meeting, cell_name)) = found.into_iter().find(|(m, _)| m.id == input.meeting_id)
    else {
        return Err(AppError::invalid(ValidationError::new(
            "meeting_id",
            "Buổi sinh hoạt",
            "phải chọn một buổi đã đăng ký trong phạm vi và thời gian của đợt",
        )));
    };
    let today = app.clock.today();
    let mut tx = app.db.begin().await?;
    if st::visit_exists(&mut tx, r.id, member, meeting.id).await? {
        return Err(AppError::Conflict(
            "cán bộ này đã chọn dự buổi sinh hoạt này".into(),
        ));
    }
    let number = st::next_letter_number(&mut tx, r.org_id, today).await?;
    let id = st::insert_visit(&mut tx, r.id, member, meeting.id, number, today).await?;
    let who = cadres
        .iter()
        .find(|c| c.member_id == member)
        .map(|c| c.full_name.clone())
        .unwrap_or_default();
    let summary = format!(
        "{who} dự sinh hoạt {cell_name} ngày {} (giấy giới thiệu số {number})",
        crate::domain::time::format_date(meeting.held_on.to_jiff())
    );
    // Audited on the round's committee: the visited cell's log never shows it.
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "plan_visit",
            entity: "visit",
            entity_id: id,
            org: Some(r.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"round_id": r.id, "member_id": member, "meeting_id": meeting.id, "letter_number": number})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A visit as its cadre and planners see it.
pub struct VisitView {
    pub visit: st::VisitRow,
    pub round: st::RoundRow,
    pub raised: Vec<String>,
    pub is_cadre: bool,
    pub can_plan: bool,
    /// Whether the report may be filed now (the meeting's day has come).
    pub can_report: bool,
    /// Figures to start the report with: the roll call when recorded.
    pub prefill: (Option<i64>, Option<i64>, Option<String>),
    /// Recommendations already carried up from this visit.
    pub carried: i64,
}

pub async fn visit_view(app: &AppState, caller: &Caller, id: i64) -> Result<VisitView> {
    authorize(app, caller, Object::Visit, Action::AttendMeeting, id).await?;
    let visit = st::visit(&app.db, id).await?;
    let round = st::round(&app.db, visit.round_id).await?;
    let can_plan = crate::service::permitted(
        load_round(app, caller, Action::PlanSupervision, round.id).await,
    )?;
    let is_cadre = caller.actor.member_id == Some(visit.member_id);
    let meeting = store::meeting::get(&app.db, visit.meeting_id).await?;
    let roll = store::meeting::attendance(&app.db, visit.meeting_id).await?;
    let prefill = if roll.is_empty() {
        (None, None, meeting.started_time.clone())
    } else {
        let t = crate::service::meeting::tally(&roll);
        (
            Some(t.present),
            Some(t.convened),
            meeting.started_time.clone(),
        )
    };
    Ok(VisitView {
        carried: store::recommendation::count_of_visit(&app.db, id).await?,
        raised: st::raised(&app.db, id).await?,
        can_report: is_cadre && reportable(&meeting, app.clock.today()),
        prefill,
        is_cadre,
        can_plan,
        round,
        visit,
    })
}

/// A report is filed once the meeting is recorded as held or its day has
/// come (the cadre writes it after the meeting, often the same evening),
/// never for a cancelled one.
fn reportable(m: &MeetingRow, today: jiff::civil::Date) -> bool {
    m.status == "held" || (m.status != "cancelled" && m.held_on.to_jiff() <= today)
}

/// Files (or corrects) the cadre's report. Only the visiting cadre does.
pub async fn file_report(
    app: &AppState,
    caller: &Caller,
    id: i64,
    input: &ReportInput,
) -> Result<()> {
    authorize(app, caller, Object::Visit, Action::AttendMeeting, id).await?;
    let place = st::visit_place(&app.db, id).await?;
    if caller.actor.member_id != Some(place.member_id) {
        return Err(AppError::Forbidden);
    }
    let meeting = store::meeting::get(&app.db, place.meeting_id).await?;
    if !reportable(&meeting, app.clock.today()) {
        return Err(AppError::Conflict(
            "buổi sinh hoạt chưa diễn ra, chưa thể báo cáo".into(),
        ));
    }
    let report = Report::parse(input)?;
    let mut tx = app.db.begin().await?;
    st::set_report(&mut tx, id, &report, app.clock.now()).await?;
    let summary = format!(
        "Báo cáo kết quả dự sinh hoạt (chất lượng: {})",
        report.quality.label()
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "report_visit",
            entity: "visit",
            entity_id: id,
            org: Some(place.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"quality": report.quality.code(), "procedure": report.procedure.code(), "raised": report.raised.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches the upper level's briefing the cadre brings (PDF or DOCX, the
/// same bounds and checks as a meeting document).
pub async fn upload_briefing(
    app: &AppState,
    caller: &Caller,
    id: i64,
    filename: &str,
    data: &[u8],
) -> Result<()> {
    authorize(app, caller, Object::Visit, Action::AttendMeeting, id).await?;
    let place = st::visit_place(&app.db, id).await?;
    let file =
        crate::service::meeting::check_document(filename, data, "Tài liệu thông tin thời sự")?;
    let mut tx = app.db.begin().await?;
    st::set_briefing(
        &mut tx,
        id,
        &st::Briefing {
            name: &file.name,
            content_type: file.content_type,
            sha256: &file.sha256,
            data,
        },
    )
    .await?;
    let summary = format!("Đính kèm tài liệu thông tin «{}»", file.name);
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "visit_briefing",
            entity: "visit",
            entity_id: id,
            org: Some(place.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"sha256": file.sha256, "size": data.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The briefing's file: for the planners and cadre, and for the visited
/// cell once the meeting has taken place.
pub async fn briefing(
    app: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(String, String, Vec<u8>)> {
    authorize(app, caller, Object::Visit, Action::ReadOrg, id).await?;
    st::briefing(&app.db, id).await?.ok_or(AppError::NotFound)
}

/// A visit as the visited cell sees it on the meeting page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VisitShown {
    pub visit_id: i64,
    /// "Đại biểu dự": the cadre's name and position.
    pub cadre: String,
    pub position: String,
    pub reported: bool,
    pub on_time: Option<bool>,
    pub started_time: Option<String>,
    /// Đúng quy trình | Đúng một phần | Không đúng quy trình
    pub procedure: Option<String>,
    pub present: Option<i64>,
    pub convened: Option<i64>,
    /// Tốt | Khá | Trung bình | Kém
    pub quality: Option<String>,
    pub raised: Vec<String>,
    pub fixes: String,
    /// File name of the briefing brought, if any.
    pub briefing: Option<String>,
}

/// Whether a meeting's page shows its visits: once it has taken place;
/// before that, nothing — for everyone, so the page is the same.
pub fn shown_at(meeting: &MeetingRow, today: jiff::civil::Date) -> bool {
    taken_place(&meeting.status, meeting.held_on.to_jiff(), today)
}

/// The visits of a meeting the caller already reads (read only when
/// [`shown_at`] says so), with what members raised at each reported one:
/// `raised` holds (visit, line) for all of them, in order.
pub fn shown(visits: Vec<st::VisitRow>, raised: &[(i64, String)]) -> Vec<VisitShown> {
    let mut out = Vec::new();
    for v in visits {
        let reported = v.reported_at.is_some();
        out.push(VisitShown {
            visit_id: v.id,
            cadre: v.full_name.clone(),
            position: v.position.clone(),
            reported,
            on_time: v.on_time,
            started_time: v.started_time.clone(),
            procedure: v
                .procedure_kept
                .as_deref()
                .and_then(crate::domain::supervision::Procedure::from_code)
                .map(|p| p.label().to_string()),
            present: v.present,
            convened: v.convened,
            quality: v
                .quality
                .as_deref()
                .and_then(crate::domain::document::Quality::from_code)
                .map(|q| q.label().to_string()),
            raised: if reported {
                raised
                    .iter()
                    .filter(|(id, _)| *id == v.id)
                    .map(|(_, line)| line.clone())
                    .collect()
            } else {
                Vec::new()
            },
            fixes: v.fixes.clone(),
            briefing: v.briefing_name.clone(),
        });
    }
    out
}
