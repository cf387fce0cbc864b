//! Monthly scores of base organizations: figures computed from chibo's
//! records, answers entered by the staff of the committee above with their
//! evidence, the ranking among the organizations under the same committee
//! and each organization's trend (docs/rules.md "Kim Sơn monthly scoring").

use super::rubric::{Rubric, in_force_for};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::org::OrgKind;
use crate::domain::rubric::month::ScoreMonth;
use crate::domain::rubric::score::{
    Answers, Context, Metrics, Scored, check_answers, round1, score,
};
use crate::domain::rubric::{Metric, Purpose};
use crate::domain::text::clean;
use crate::service::{AppError, Caller, Change, Result, allows, audit, authorize_org};
use crate::store::{self, monthly_score::ScoreRow, org::OrgRow};
use serde::Deserialize;
use std::collections::HashMap;

/// One base organization's computed figures for a month.
#[derive(Debug, Clone)]
pub struct OrgFigures {
    pub org: OrgId,
    pub name: String,
    pub metrics: Metrics,
    pub context: Context,
}

#[derive(Default)]
struct Acc {
    cells: i64,
    recorded: i64,
    cells_held: i64,
    held: i64,
    on_time: i64,
    present: i64,
    convened: i64,
    thematic: i64,
    other: [i64; 6],
}

/// The figures of every base organization in the subtree of `root` (the
/// root itself included when it is one) for `month`: seven grouped queries
/// whatever the number of organizations.
pub async fn figures(app: &AppState, root: OrgId, month: ScoreMonth) -> Result<Vec<OrgFigures>> {
    let (from, to) = (month.first_day(), month.last_day());
    let nodes = store::monthly_score::nodes(&app.db, root, to).await?;
    let by_id: HashMap<OrgId, &store::monthly_score::NodeRow> =
        nodes.iter().map(|n| (n.id, n)).collect();
    let kind =
        |n: &store::monthly_score::NodeRow| OrgKind::from_code(&n.kind).unwrap_or(OrgKind::Cell);
    // Each node's base organization: itself or its nearest ancestor that is one.
    let base_of = |mut id: OrgId| -> Option<OrgId> {
        for _ in 0..64 {
            let n = by_id.get(&id)?;
            if kind(n).is_base_org() {
                return Some(id);
            }
            if id == root {
                return None;
            }
            id = n.parent_id?;
        }
        None
    };
    let mut acc: std::collections::BTreeMap<OrgId, Acc> = std::collections::BTreeMap::new();
    for n in &nodes {
        if kind(n).is_base_org() {
            acc.entry(n.id).or_default();
        }
    }
    for n in &nodes {
        if kind(n).is_cell()
            && let Some(b) = base_of(n.id)
        {
            acc.entry(b).or_default().cells += 1;
        }
    }
    for f in store::monthly_score::meeting_figures(&app.db, root, to, (from, to)).await? {
        if let Some(a) = base_of(f.org_id).and_then(|b| acc.get_mut(&b)) {
            a.recorded += f.recorded;
            a.cells_held += i64::from(f.held > 0);
            a.held += f.held;
            a.on_time += f.on_time;
            a.present += f.present;
            a.convened += f.convened;
            a.thematic += f.thematic;
        }
    }
    for (org, v) in store::monthly_score::other_figures(&app.db, root, to, (from, to)).await? {
        if let Some(a) = base_of(org).and_then(|b| acc.get_mut(&b)) {
            for (x, y) in a.other.iter_mut().zip(v) {
                *x += y;
            }
        }
    }
    let pct = |a: i64, b: i64| {
        if b > 0 {
            round1(a as f64 * 100.0 / b as f64)
        } else {
            100.0
        }
    };
    Ok(acc
        .into_iter()
        .map(|(org, a)| {
            let mut m = Metrics::new();
            let share = |a: i64, b: i64| if b > 0 { pct(a, b) } else { 0.0 };
            // A month chibo holds no meeting of (planned or held) was kept
            // on paper: its meeting figures are entered, not computed as 0.
            if a.recorded > 0 {
                m.insert(Metric::MeetingsHeldPercent, share(a.cells_held, a.cells));
                m.insert(Metric::MeetingsOnTimePercent, share(a.on_time, a.held));
                m.insert(Metric::AttendancePercent, share(a.present, a.convened));
                m.insert(
                    Metric::ThematicHeld,
                    if a.thematic > 0 { 100.0 } else { 0.0 },
                );
                m.insert(Metric::VisitReports, a.other[5] as f64);
            }
            m.insert(Metric::OverdueTasks, a.other[0] as f64);
            m.insert(
                Metric::FollowUpsAnsweredPercent,
                pct(a.other[2], a.other[1]),
            );
            m.insert(
                Metric::RecommendationsAnsweredPercent,
                pct(a.other[4], a.other[3]),
            );
            OrgFigures {
                org,
                name: by_id.get(&org).map(|n| n.name.clone()).unwrap_or_default(),
                metrics: m,
                context: Context {
                    thematic: a.thematic > 0,
                },
            }
        })
        .collect())
}

/// The monthly rubric a base organization is scored by for a month: the
/// one in force on the month's last day, issued above it.
pub async fn rubric_for(app: &AppState, org: &OrgRow, month: ScoreMonth) -> Result<Option<Rubric>> {
    let Some(parent) = org.parent_id else {
        return Ok(None);
    };
    in_force_for(app, parent, Purpose::Monthly, month.last_day()).await
}

fn base_org(org: &OrgRow) -> Result<()> {
    if org.kind().is_base_org() {
        Ok(())
    } else {
        Err(AppError::invalid(ValidationError::new(
            "org",
            "Tổ chức",
            "chỉ chấm điểm hằng tháng tổ chức cơ sở đảng (đảng bộ cơ sở, chi bộ cơ sở)",
        )))
    }
}

pub fn month_of(input: &str) -> Result<ScoreMonth> {
    ScoreMonth::parse(input).map_err(AppError::invalid)
}

pub struct FormView {
    pub org: OrgRow,
    pub month: ScoreMonth,
    pub rubric: Option<Rubric>,
    pub figures: Option<OrgFigures>,
    pub current: Option<ScoreRow>,
    pub current_answers: Answers,
    pub can_score: bool,
}

/// A base organization's month: its rubric, computed figures and score.
pub async fn form(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    month: ScoreMonth,
) -> Result<FormView> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    base_org(&row)?;
    let rubric = rubric_for(app, &row, month).await?;
    let figures = figures(app, org, month)
        .await?
        .into_iter()
        .find(|f| f.org == org);
    let current = match &rubric {
        Some(r) => store::monthly_score::of_org(&app.db, org, &month.code(), &month.code())
            .await?
            .into_iter()
            .find(|s| s.rubric_id == r.row.id),
        None => None,
    };
    let current_answers = current
        .as_ref()
        .map(|s| serde_json::from_str(&s.answers).unwrap_or_default())
        .unwrap_or_default();
    Ok(FormView {
        can_score: rubric.is_some() && allows(app, caller, Action::ScoreMonthly, org).await?,
        org: row,
        month,
        rubric,
        figures,
        current,
        current_answers,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ScoreInput {
    /// Criterion key → answer for the parts entered by hand:
    /// {"yes": true}, {"pick": 0} or {"value": 85}.
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// Minh chứng: nhận xét (what the score rests on).
    pub evidence_note: String,
    /// Minh chứng: văn bản, báo cáo số … (a reference).
    pub evidence_ref: String,
}

/// The staff of the committee above score a base organization's month;
/// scoring it again replaces the score.
pub async fn enter(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    month: ScoreMonth,
    input: &ScoreInput,
) -> Result<Scored> {
    let row = authorize_org(app, caller, Action::ScoreMonthly, org).await?;
    base_org(&row)?;
    if month.first_day() > app.clock.today() {
        return Err(AppError::invalid(ValidationError::new(
            "month",
            "Tháng",
            "chưa đến, chưa chấm điểm được",
        )));
    }
    let rubric = rubric_for(app, &row, month).await?.ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "rubric",
            "Bộ tiêu chí",
            format!(
                "chưa có bộ tiêu chí chấm điểm hằng tháng nào có hiệu lực tháng {}",
                month.label()
            ),
        ))
    })?;
    let fig = figures(app, org, month)
        .await?
        .into_iter()
        .find(|f| f.org == org)
        .ok_or(AppError::NotFound)?;
    let (note, reference) = (clean(&input.evidence_note), clean(&input.evidence_ref));
    let mut errors = check_answers(
        &rubric.definition,
        &input.answers,
        &fig.metrics,
        fig.context,
    )
    .err()
    .unwrap_or_default();
    if !input.answers.is_empty() && note.is_empty() && reference.is_empty() {
        errors.push(ValidationError::new(
            "evidence_note",
            "Minh chứng",
            "phần chấm tay phải có nhận xét hoặc văn bản làm căn cứ",
        ));
    }
    if note.chars().count() > 2000 || reference.chars().count() > 500 {
        errors.push(ValidationError::new(
            "evidence_note",
            "Minh chứng",
            "dài quá giới hạn",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let scored = score(
        &rubric.definition,
        &input.answers,
        &fig.metrics,
        fig.context,
    );
    save(
        app,
        caller,
        (&row, month),
        &rubric,
        (&input.answers, &fig),
        (&note, &reference),
        &scored,
    )
    .await?;
    Ok(scored)
}

/// Writes a score with its audit line (also used by the demo).
pub async fn save(
    app: &AppState,
    caller: &Caller,
    (row, month): (&OrgRow, ScoreMonth),
    rubric: &Rubric,
    (answers, fig): (&Answers, &OrgFigures),
    (note, reference): (&str, &str),
    scored: &Scored,
) -> Result<i64> {
    let mut metrics = fig.metrics.clone();
    if fig.context.thematic {
        metrics.insert(Metric::ThematicHeld, 100.0);
    }
    let level = scored
        .band
        .as_ref()
        .map(|b| b.code.clone())
        .unwrap_or_default();
    let answers_json =
        serde_json::to_string(answers).map_err(|e| AppError::Internal(e.to_string()))?;
    let metrics_json =
        serde_json::to_string(&metrics).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.db.begin().await?;
    let id = store::monthly_score::upsert(
        &mut tx,
        &store::monthly_score::NewScore {
            org: row.id,
            month: &month.code(),
            rubric: rubric.row.id,
            committee: rubric.row.org_id,
            answers: &answers_json,
            metrics: &metrics_json,
            evidence_note: note,
            evidence_ref: reference,
            total_tenths: (scored.total * 10.0).round() as i32,
            level: &level,
            username: &caller.actor.username,
            on: app.clock.today(),
        },
    )
    .await?;
    let summary = format!(
        "Chấm điểm tháng {} {}: {} điểm, {}",
        month.label(),
        row.name,
        scored.total,
        scored.band.as_ref().map_or("", |b| b.label.as_str())
    );
    audit(app, &mut tx, caller, Change {
        action: "monthly_score",
        entity: "monthly_score",
        entity_id: id,
        org: Some(row.id),
        summary: &summary,
        before: None,
        after: Some(serde_json::json!({
            "month": month.code(), "rubric": rubric.row.id, "total": scored.total, "level": level,
            "answers": answers, "evidence_note": note, "evidence_ref": reference
        })),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// One line of a ranking.
pub struct Ranked {
    pub rank: usize,
    pub score: ScoreRow,
}

pub struct RankingView {
    pub committee: OrgRow,
    pub month: ScoreMonth,
    /// Best first; equal totals share a rank.
    pub ranked: Vec<Ranked>,
    /// Base organizations below without a score for the month.
    pub unscored: Vec<(OrgId, String)>,
    pub rubric: Option<Rubric>,
    pub can_score: bool,
}

fn ranks(scores: Vec<ScoreRow>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = Vec::with_capacity(scores.len());
    for (i, s) in scores.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.score.total_tenths == s.total_tenths => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked { rank, score: s });
    }
    out
}

/// A committee's ranking of the base organizations it scored for a month
/// (two queries: the scores, and the organizations below for those left
/// unscored). The dashboard reads it too.
pub async fn ranking(
    app: &AppState,
    caller: &Caller,
    committee: OrgId,
    month: ScoreMonth,
) -> Result<RankingView> {
    let row = authorize_org(app, caller, Action::ReadOrg, committee).await?;
    let scores = store::monthly_score::ranking(&app.db, committee, &month.code()).await?;
    let nodes = store::monthly_score::nodes(&app.db, committee, month.last_day()).await?;
    let unscored = nodes
        .into_iter()
        .filter(|n| n.id != committee)
        .filter(|n| OrgKind::from_code(&n.kind).is_some_and(OrgKind::is_base_org))
        .filter(|n| !scores.iter().any(|s| s.org_id == n.id))
        .map(|n| (n.id, n.name))
        .collect();
    let rubric = in_force_for(app, committee, Purpose::Monthly, month.last_day())
        .await?
        .filter(|r| r.row.org_id == committee);
    Ok(RankingView {
        can_score: rubric.is_some() && allows(app, caller, Action::DirectCells, committee).await?,
        committee: row,
        month,
        ranked: ranks(scores),
        unscored,
        rubric,
    })
}

/// One month of an organization's trend.
pub struct TrendMonth {
    pub month: ScoreMonth,
    pub score: Option<ScoreRow>,
    /// Its rank among those its committee scored that month, and how many.
    pub rank: Option<(usize, usize)>,
    /// The band's label in the rubric it was scored under.
    pub label: Option<String>,
}

pub struct TrendView {
    pub org: OrgRow,
    pub year: i16,
    pub months: Vec<TrendMonth>,
}

/// A base organization's twelve months of a year with its rank each month
/// (two queries).
pub async fn trend(app: &AppState, caller: &Caller, org: OrgId, year: i16) -> Result<TrendView> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    base_org(&row)?;
    let (from, to) = (format!("{year:04}-01"), format!("{year:04}-12"));
    let scores = store::monthly_score::of_org(&app.db, org, &from, &to).await?;
    let committees: Vec<OrgId> = {
        let mut c: Vec<OrgId> = scores.iter().map(|s| s.committee_id).collect();
        c.sort();
        c.dedup();
        c
    };
    let mut rubric_ids: Vec<i64> = scores.iter().map(|s| s.rubric_id).collect();
    rubric_ids.sort_unstable();
    rubric_ids.dedup();
    let mut rubrics = Vec::new();
    for id in rubric_ids {
        if let Some(row) = store::rubric::get(&app.db, id).await? {
            rubrics.push(Rubric::from_row(row)?);
        }
    }
    let mut all = Vec::new();
    for c in committees {
        all.extend(store::monthly_score::of_committee(&app.db, c, &from, &to).await?);
    }
    let months = (1..=12)
        .filter_map(|m| ScoreMonth::new(year, m).ok())
        .map(|month| {
            let score = scores
                .iter()
                .rev()
                .find(|s| s.month == month.code())
                .cloned();
            let rank = score.as_ref().map(|s| {
                let same: Vec<i32> = all
                    .iter()
                    .filter(|(_, m, _)| *m == s.month)
                    .map(|(_, _, t)| *t)
                    .collect();
                (
                    same.iter().filter(|t| **t > s.total_tenths).count() + 1,
                    same.len(),
                )
            });
            let label = score.as_ref().and_then(|s| {
                rubrics
                    .iter()
                    .find(|r| r.row.id == s.rubric_id)
                    .and_then(|r| r.definition.bands.iter().find(|b| b.code == s.level))
                    .map(|b| b.label.clone())
            });
            TrendMonth {
                month,
                score,
                rank,
                label,
            }
        })
        .collect();
    Ok(TrendView {
        org: row,
        year,
        months,
    })
}

/// Where the monthly scoring practice comes from, cited on its page and
/// export.
pub const SOURCE: &str = "Thực tiễn Huyện ủy Kim Sơn (Ninh Bình): Quyết định số 3059 ngày 26/12/2017 ban hành tiêu chí đánh giá, chấm điểm hằng tháng các tổ chức cơ sở đảng, áp dụng từ tháng 01/2018.";

/// The ranking of a month as XLSX, each organization with the points of
/// every group of the rubric (recomputed from its stored answers and
/// figures), its total and its level.
pub async fn ranking_xlsx(
    app: &AppState,
    caller: &Caller,
    committee: OrgId,
    month: ScoreMonth,
) -> Result<Vec<u8>> {
    let v = ranking(app, caller, committee, month).await?;
    let level = |code: &str| {
        v.rubric
            .as_ref()
            .and_then(|r| r.definition.bands.iter().find(|b| b.code == code))
            .map_or_else(|| code.to_string(), |b| b.label.clone())
    };
    let groups: Vec<(String, f64)> = v
        .rubric
        .as_ref()
        .map(|r| {
            r.definition
                .groups
                .iter()
                .map(|g| (g.title.clone(), g.max))
                .collect()
        })
        .unwrap_or_default();
    let lines = v
        .ranked
        .iter()
        .map(|r| {
            let s = &r.score;
            let parts = match &v.rubric {
                Some(rb) if rb.row.id == s.rubric_id => {
                    let answers: Answers = serde_json::from_str(&s.answers).unwrap_or_default();
                    let metrics: Metrics = serde_json::from_str(&s.metrics).unwrap_or_default();
                    let ctx = Context {
                        thematic: metrics.get(&Metric::ThematicHeld) == Some(&100.0),
                    };
                    score(&rb.definition, &answers, &metrics, ctx)
                        .groups
                        .iter()
                        .map(|g| Some(g.points))
                        .collect()
                }
                _ => vec![None; groups.len()],
            };
            crate::docs::scores_xlsx::Line {
                rank: r.rank,
                name: s.org_name.clone(),
                parts,
                total: f64::from(s.total_tenths) / 10.0,
                level: level(&s.level),
            }
        })
        .collect();
    let sheet = crate::docs::scores_xlsx::Sheet {
        committee: &v.committee.name,
        month: &month.label(),
        source: SOURCE,
        groups,
        lines,
        unscored: v.unscored.iter().map(|(_, n)| n.clone()).collect(),
    };
    crate::docs::scores_xlsx::write(&sheet).map_err(|e| AppError::Internal(e.to_string()))
}
