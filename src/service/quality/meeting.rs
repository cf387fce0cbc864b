//! A held meeting's quality: the cell's self-assessment against the rubric
//! in force on the meeting's day, then the review by its follower or the
//! level above (docs/rules.md "Meeting quality levels").

use super::rubric::{Rubric, in_force_for};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::document::Quality;
use crate::domain::meeting::MeetingKind;
use crate::domain::rubric::score::{
    Answer, Answers, Context, Metrics, Scored, check_answers, round1, score,
};
use crate::domain::rubric::{Kind, Metric, Purpose};
use crate::domain::text::clean;
use crate::service::meeting::{duration_minutes, kind};
use crate::service::{AppError, Caller, Change, Result, allows, audit, authorize_org};
use crate::store::{self, meeting::MeetingRow, quality::AssessmentRow, quality::Figures};
use serde::Deserialize;
use std::collections::HashMap;

/// self | review
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The cell's self-assessment (tự đánh giá).
    SelfAssessment,
    /// The follower's or the level above's review (cấp trên đánh giá).
    Review,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Self::SelfAssessment => "self",
            Self::Review => "review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SelfAssessment => "Chi bộ tự đánh giá",
            Self::Review => "Cấp trên đánh giá",
        }
    }

    fn action(self) -> Action {
        match self {
            Self::SelfAssessment => Action::ManageMeetings,
            Self::Review => Action::ReviewQuality,
        }
    }
}

/// The figures a meeting rubric reads, from a meeting row and its roll-call
/// and task figures.
pub fn metrics_of(m: &MeetingRow, f: Option<&Figures>) -> Metrics {
    let mut out = Metrics::new();
    let pct = |a: i64, b: i64| round1(a as f64 * 100.0 / b as f64);
    if let Some(d) = duration_minutes(m) {
        out.insert(Metric::DurationMinutes, d as f64);
    }
    if let Some(f) = f {
        if f.convened > 0 {
            out.insert(Metric::AttendancePercent, pct(f.present, f.convened));
        }
        if f.present > 0 {
            out.insert(Metric::SpeakerPercent, pct(f.speakers, f.present));
        }
        if f.tasks > 0 {
            out.insert(Metric::LastTasksDonePercent, pct(f.done, f.tasks));
        }
    }
    let ahead = m
        .docs_published_on
        .is_some_and(|d| d.to_jiff() < m.held_on.to_jiff());
    out.insert(Metric::DocsDayAhead, if ahead { 100.0 } else { 0.0 });
    out
}

pub fn context_of(m: &MeetingRow) -> Context {
    Context {
        thematic: matches!(kind(m), MeetingKind::Thematic | MeetingKind::Combined)
            || !m.topic.trim().is_empty(),
    }
}

/// A recorded stage, read back and scored again from what it stored.
pub struct StageView {
    pub row: AssessmentRow,
    pub answers: Answers,
    pub scored: Scored,
}

pub struct QualityView {
    pub meeting: MeetingRow,
    pub cell_name: String,
    /// The rubric in force on the meeting's day (or the one its
    /// self-assessment used).
    pub rubric: Option<Rubric>,
    /// Today's figures for the meeting.
    pub metrics: Metrics,
    pub context: Context,
    pub own: Option<StageView>,
    pub review: Option<StageView>,
    /// The level on the minutes (the cell's self-evaluation).
    pub recorded: Option<Quality>,
    pub can_self: bool,
    pub can_review: bool,
}

impl QualityView {
    /// The level the meeting ends with: the review's, else the cell's own.
    pub fn final_level(&self) -> Option<&str> {
        self.review
            .as_ref()
            .or(self.own.as_ref())
            .map(|s| s.row.level.as_str())
    }
}

fn stage_view(row: AssessmentRow, rubric: &Rubric) -> Result<StageView> {
    let answers: Answers =
        serde_json::from_str(&row.answers).map_err(|e| AppError::Internal(e.to_string()))?;
    let metrics: Metrics =
        serde_json::from_str(&row.metrics).map_err(|e| AppError::Internal(e.to_string()))?;
    // Stored metrics carry the context: a thematic meeting stored `thematic`.
    let ctx = Context {
        thematic: metrics.contains_key(&Metric::ThematicHeld),
    };
    let scored = score(&rubric.definition, &answers, &metrics, ctx);
    Ok(StageView {
        row,
        answers,
        scored,
    })
}

async fn figures(app: &AppState, m: &MeetingRow) -> Result<Metrics> {
    let f = store::quality::figures(&app.db, &[m.id]).await?;
    Ok(metrics_of(m, f.first()))
}

/// The rubric a meeting is graded by: the one its self-assessment used, or
/// the one in force on its day for its cell.
async fn rubric_of(
    app: &AppState,
    m: &MeetingRow,
    own: Option<&AssessmentRow>,
) -> Result<Option<Rubric>> {
    if let Some(a) = own
        && let Some(row) = store::rubric::get(&app.db, a.rubric_id).await?
    {
        return Rubric::from_row(row).map(Some);
    }
    in_force_for(app, m.org_id, Purpose::Meeting, m.held_on.to_jiff()).await
}

pub async fn view(app: &AppState, caller: &Caller, id: i64) -> Result<QualityView> {
    let m = crate::service::meeting::authorize(app, caller, Action::ReadOrg, id).await?;
    let cell = store::org::get_latest(&app.db, m.org_id).await?;
    let mut rows = store::quality::of_meeting(&app.db, id).await?;
    let review_row = rows
        .iter()
        .position(|r| r.stage == "review")
        .map(|i| rows.remove(i));
    let own_row = rows.into_iter().find(|r| r.stage == "self");
    let rubric = rubric_of(app, &m, own_row.as_ref()).await?;
    let (own, review) = match &rubric {
        Some(r) => (
            own_row.map(|row| stage_view(row, r)).transpose()?,
            review_row.map(|row| stage_view(row, r)).transpose()?,
        ),
        None => (None, None),
    };
    let held = m.status == "held";
    Ok(QualityView {
        metrics: figures(app, &m).await?,
        context: context_of(&m),
        recorded: m.quality.as_deref().and_then(Quality::from_code),
        can_self: held
            && rubric.is_some()
            && allows(app, caller, Action::ManageMeetings, m.org_id).await?,
        can_review: held
            && own.is_some()
            && allows(app, caller, Action::ReviewQuality, m.org_id).await?,
        cell_name: cell.name,
        meeting: m,
        rubric,
        own,
        review,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessInput {
    /// Criterion key → answer: {"yes": true}, {"pick": 0} or {"value": 85}.
    /// Criteria chibo computes need no answer.
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// Nhận xét.
    pub note: String,
}

impl AssessInput {
    /// From a page's form: `a_<key>` fields ("yes"/"no", a level's index,
    /// or a figure) and `note`.
    pub fn from_form(form: &HashMap<String, String>, rubric: Option<&Rubric>) -> Self {
        let mut answers = Answers::new();
        if let Some(r) = rubric {
            for (_, c) in r.definition.criteria() {
                let Some(v) = form.get(&format!("a_{}", c.key)).map(|s| s.trim()) else {
                    continue;
                };
                if v.is_empty() {
                    continue;
                }
                let a = match &c.kind {
                    Kind::YesNo { .. } | Kind::Bonus | Kind::Penalty => {
                        Some(Answer::Yes(v == "yes"))
                    }
                    Kind::Pick { .. } => v.parse().ok().map(Answer::Pick),
                    Kind::Band { .. } => v
                        .replace(',', ".")
                        .trim_end_matches('%')
                        .parse()
                        .ok()
                        .map(Answer::Value),
                };
                if let Some(a) = a {
                    answers.insert(c.key.clone(), a);
                }
            }
        }
        AssessInput {
            answers,
            note: form.get("note").cloned().unwrap_or_default(),
        }
    }
}

/// Records a stage. The self-assessment's level also becomes the cell's
/// self-evaluation on the minutes while they are unsigned.
pub async fn assess(
    app: &AppState,
    caller: &Caller,
    id: i64,
    stage: Stage,
    input: &AssessInput,
) -> Result<Scored> {
    let m = crate::service::meeting::authorize(app, caller, stage.action(), id).await?;
    if m.status != "held" {
        return Err(AppError::invalid(ValidationError::new(
            "meeting",
            "Cuộc họp",
            "chưa diễn ra, chưa đánh giá chất lượng được",
        )));
    }
    let existing = store::quality::of_meeting(&app.db, id).await?;
    let own = existing.iter().find(|r| r.stage == "self");
    if stage == Stage::Review && own.is_none() {
        return Err(AppError::invalid(ValidationError::new(
            "stage",
            "Cấp trên đánh giá",
            "chi bộ chưa tự đánh giá kỳ sinh hoạt này",
        )));
    }
    let rubric = rubric_of(app, &m, own).await?.ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "rubric",
            "Bộ tiêu chí",
            format!(
                "chưa có bộ tiêu chí đánh giá chất lượng sinh hoạt nào có hiệu lực ngày {}",
                crate::domain::time::format_date(m.held_on.to_jiff())
            ),
        ))
    })?;
    let mut metrics = figures(app, &m).await?;
    let ctx = context_of(&m);
    check_answers(&rubric.definition, &input.answers, &metrics, ctx).map_err(AppError::Invalid)?;
    let scored = score(&rubric.definition, &input.answers, &metrics, ctx);
    if ctx.thematic {
        // Kept with the figures so the stored stage scores the same later.
        metrics.insert(Metric::ThematicHeld, 100.0);
    }
    let level = scored
        .band
        .as_ref()
        .map(|b| b.code.clone())
        .unwrap_or_default();
    let note = clean(&input.note);
    let answers_json =
        serde_json::to_string(&input.answers).map_err(|e| AppError::Internal(e.to_string()))?;
    let metrics_json =
        serde_json::to_string(&metrics).map_err(|e| AppError::Internal(e.to_string()))?;
    let tenths = (scored.total * 10.0).round() as i32;
    let mut tx = app.db.begin().await?;
    store::quality::upsert(
        &mut tx,
        &store::quality::NewAssessment {
            meeting: id,
            stage: stage.code(),
            rubric: rubric.row.id,
            answers: &answers_json,
            metrics: &metrics_json,
            total_tenths: tenths,
            level: &level,
            note: &note,
            username: &caller.actor.username,
            on: app.clock.today(),
        },
    )
    .await?;
    let minutes = if stage == Stage::SelfAssessment {
        store::quality::set_meeting_quality(&mut tx, id, &level).await?
    } else {
        false
    };
    let label = scored.band.as_ref().map_or("", |b| b.label.as_str());
    let summary = format!(
        "{} kỳ sinh hoạt ngày {}: {} điểm, {label}",
        stage.label(),
        crate::domain::time::format_date(m.held_on.to_jiff()),
        scored.total
    );
    let before = existing.iter().find(|r| r.stage == stage.code()).map(|r| {
        serde_json::json!({"total": f64::from(r.total_tenths) / 10.0, "level": r.level, "answers": r.answers})
    });
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: match stage {
                Stage::SelfAssessment => "quality_self",
                Stage::Review => "quality_review",
            },
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before,
            after: Some(serde_json::json!({
                "rubric": rubric.row.id, "total": scored.total, "level": level,
                "answers": input.answers, "note": note, "minutes_level": minutes
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(scored)
}

/// Held meetings of a subtree between two dates by final quality level
/// (review, else self-assessment), for the dashboard: one grouped query.
pub async fn level_counts(
    app: &AppState,
    caller: &Caller,
    root: crate::domain::ids::OrgId,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
) -> Result<Vec<(Quality, i64)>> {
    let row = authorize_org(app, caller, Action::ReadOrg, root).await?;
    let on = row.reference_date(app.clock.today());
    let rows = store::quality::level_counts(&app.db, root, on, (from, to)).await?;
    Ok(Quality::ALL
        .iter()
        .map(|q| {
            (
                *q,
                rows.iter()
                    .filter(|(l, _)| l == q.code())
                    .map(|(_, n)| *n)
                    .sum(),
            )
        })
        .collect())
}
