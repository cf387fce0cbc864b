//! Reading recommendations: a committee's list with filters, counts per
//! period, topic and level, the XLSX export, and a meeting's section.

use super::{Caller, Result, authorize_org, status_of};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::recommendation::{self as rec, Status, Topic};
use crate::service::{AppError, PAGE_SIZE, Page, allows};
use crate::store::{self, org::Root, recommendation::RecRow};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListQuery {
    /// A status code (raised, sent, assigned, answered, reported, closed); all when empty.
    pub status: String,
    /// A topic code; all when empty.
    pub topic: String,
    /// "1" (or "true", "on"): only those past their deadline and unanswered.
    pub overdue: String,
    /// Year raised; the current year when empty.
    pub year: String,
    /// 1–4: one quarter of the year; the whole year when empty.
    pub quarter: String,
    /// 1-based page of 50.
    pub page: Option<i64>,
}

impl ListQuery {
    fn overdue(&self) -> bool {
        matches!(self.overdue.trim(), "1" | "true" | "on")
    }
}

/// The filters, parsed.
struct Parsed<'a> {
    status: &'a str,
    topic: &'a str,
    overdue: bool,
    year: i16,
    quarter: Option<i8>,
}

fn parse(q: &ListQuery, this_year: i16) -> Result<Parsed<'_>> {
    let mut errors = Vec::new();
    let status = q.status.trim();
    if !status.is_empty() && Status::from_code(status).is_none() {
        errors.push(ValidationError::new(
            "status",
            "Trạng thái",
            "không có trạng thái này",
        ));
    }
    let topic = q.topic.trim();
    if !topic.is_empty() && Topic::from_code(topic).is_none() {
        errors.push(ValidationError::new(
            "topic",
            "Lĩnh vực",
            "không có lĩnh vực này",
        ));
    }
    let year = match q.year.trim() {
        "" => Some(this_year),
        y => y.parse::<i16>().ok().filter(|y| (1930..=9999).contains(y)),
    };
    if year.is_none() {
        errors.push(ValidationError::new(
            "year",
            "Năm",
            "phải là một năm, ví dụ 2026",
        ));
    }
    let quarter = match q.quarter.trim() {
        "" => Some(None),
        s => s
            .parse::<i8>()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .map(Some),
    };
    if quarter.is_none() {
        errors.push(ValidationError::new("quarter", "Quý", "phải từ 1 đến 4"));
    }
    match (year, quarter) {
        (Some(year), Some(quarter)) if errors.is_empty() => Ok(Parsed {
            status,
            topic,
            overdue: q.overdue(),
            year,
            quarter,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

pub struct RecList {
    pub org_name: String,
    pub page: Page<RecRow>,
    pub year: i16,
    pub quarter: Option<i8>,
    /// The org is a cell its caller runs: it may raise recommendations here.
    pub can_raise: bool,
}

impl RecList {
    pub fn overdue(&self, r: &RecRow, today: jiff::civil::Date) -> bool {
        rec::is_overdue(status_of(r), r.deadline.map(|d| d.to_jiff()), today)
    }
}

async fn rows(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &ListQuery,
    limit: i64,
) -> Result<(RecList, i64)> {
    let node = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let today = app.clock.today();
    let p = parse(q, today.year())?;
    let (from, to) = rec::period(p.year, p.quarter)?;
    let page = q.page.unwrap_or(1).max(1);
    let tree_on = node.reference_date(today);
    let (items, total) = store::recommendation::list(
        &app.db,
        &store::recommendation::Filter {
            root: Root::of(&node),
            tree_on,
            status: p.status,
            topic: p.topic,
            overdue_on: p.overdue.then_some(today),
            from,
            to,
            limit,
            offset: (page - 1).saturating_mul(limit.min(PAGE_SIZE)),
        },
    )
    .await?;
    let can_raise =
        node.kind().is_cell() && allows(app, caller, Action::ManageMeetings, org).await?;
    Ok((
        RecList {
            org_name: node.name,
            page: Page {
                items: items.into(),
                total,
                page,
                size: super::super::PAGE_SIZE,
            },
            year: p.year,
            quarter: p.quarter,
            can_raise,
        },
        total,
    ))
}

/// The recommendations raised in the subtree of `org` (a committee sees
/// those sent to it and all raised below it; a cell's members their cell's),
/// soonest deadline first, a page at a time.
pub async fn list(app: &AppState, caller: &Caller, org: OrgId, q: &ListQuery) -> Result<RecList> {
    Ok(rows(app, caller, org, q, PAGE_SIZE).await?.0)
}

/// The whole filtered list as a spreadsheet.
pub async fn xlsx(app: &AppState, caller: &Caller, org: OrgId, q: &ListQuery) -> Result<Vec<u8>> {
    let q = ListQuery {
        page: Some(1),
        ..q.clone()
    };
    let (list, _) = rows(app, caller, org, &q, i64::MAX).await?;
    let today = app.clock.today();
    crate::docs::recommendation_xlsx::write(&list.page.items, today)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Raised, answered and overdue in a group.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub total: i64,
    pub answered: i64,
    pub overdue: i64,
}

impl Tally {
    fn add(&mut self, r: &store::recommendation::CountRow) {
        self.total += r.total;
        self.answered += r.answered;
        self.overdue += r.overdue;
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub year: i16,
    pub all: Tally,
    /// Quarters 1 to 4.
    pub by_quarter: Vec<Tally>,
    /// (topic code, label, tally), every topic.
    pub by_topic: Vec<(String, String, Tally)>,
    /// (committee name, tally); "Chưa chuyển" for those not yet sent.
    pub by_level: Vec<(String, Tally)>,
}

/// Counts of a year's recommendations raised in the subtree of `org`, from
/// one grouped query.
pub async fn counts(app: &AppState, caller: &Caller, org: OrgId, year: i16) -> Result<Counts> {
    let node = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let today = app.clock.today();
    let rows = store::recommendation::counts(
        &app.db,
        Root::of(&node),
        node.reference_date(today),
        year,
        today,
    )
    .await?;
    let mut all = Tally::default();
    let mut by_quarter = vec![Tally::default(); 4];
    let mut by_topic: Vec<(String, String, Tally)> = Topic::ALL
        .iter()
        .map(|t| {
            (
                t.code().to_string(),
                t.label().to_string(),
                Tally::default(),
            )
        })
        .collect();
    let mut levels: Vec<(Option<OrgId>, Tally)> = Vec::new();
    for r in &rows {
        all.add(r);
        if let Some(t) = by_quarter.get_mut((r.quarter - 1).clamp(0, 3) as usize) {
            t.add(r);
        }
        if let Some((_, _, t)) = by_topic.iter_mut().find(|(c, ..)| *c == r.topic) {
            t.add(r);
        }
        match levels.iter_mut().find(|(l, _)| *l == r.level_id) {
            Some((_, t)) => t.add(r),
            None => {
                let mut t = Tally::default();
                t.add(r);
                levels.push((r.level_id, t));
            }
        }
    }
    let ids: Vec<OrgId> = levels.iter().filter_map(|(l, _)| *l).collect();
    let names = store::org::get_many_latest(&app.db, &ids).await?;
    let mut by_level: Vec<(String, Tally)> = levels
        .into_iter()
        .map(|(l, t)| {
            let name = match l {
                None => "Chưa chuyển".to_string(),
                Some(id) => names
                    .iter()
                    .find(|n| n.id == id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default(),
            };
            (name, t)
        })
        .collect();
    by_level.sort_by_key(|l| std::cmp::Reverse(l.1.total));
    Ok(Counts {
        year,
        all,
        by_quarter,
        by_topic,
        by_level,
    })
}

/// A meeting's "Kiến nghị" section.
pub struct MeetingRecs {
    /// Raised at this meeting.
    pub raised_here: Vec<RecRow>,
    /// Answers of the cell's recommendations to read out at a meeting.
    pub to_report: Vec<RecRow>,
    /// Answers read out at this meeting.
    pub reported_here: Vec<RecRow>,
    /// The committees above the cell, nearest first (to send new ones to).
    pub levels: Vec<(OrgId, String)>,
}

pub async fn for_meeting(
    app: &AppState,
    caller: &Caller,
    m: &store::meeting::MeetingRow,
) -> Result<MeetingRecs> {
    // Judged on the meeting's cell, already looked up for this request.
    authorize_org(app, caller, Action::ReadOrg, m.org_id).await?;
    let meeting = m.id;
    let rows = store::recommendation::for_meeting(&app.db, m.org_id, meeting).await?;
    let held = m.held_on.to_jiff();
    let mut out = MeetingRecs {
        raised_here: Vec::new(),
        to_report: Vec::new(),
        reported_here: Vec::new(),
        levels: super::levels_for(app, caller, m.org_id).await?,
    };
    for r in rows {
        if r.reported_meeting_id == Some(meeting) {
            out.reported_here.push(r.clone());
        }
        if r.meeting_id == Some(meeting) {
            out.raised_here.push(r.clone());
        }
        // An answer is read out at a meeting held after it came.
        if status_of(&r) == Status::Answered && r.answered_on.is_some_and(|a| a.to_jiff() <= held) {
            out.to_report.push(r);
        }
    }
    Ok(out)
}
