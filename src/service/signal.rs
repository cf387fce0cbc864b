//! Formalism signals of the cells below a committee, for the committee
//! (docs/rules.md "Formalism signals"): read in four set queries, judged by
//! `domain::signal`. Never offered to the cell itself: the action
//! `ReadSignals` is the staff's of the node asked or above, and the node's
//! own meetings are never among those read.

use super::{AppError, Caller, Result, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::dashboard::signals::{NodeCounts, Tally};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::MeetingKind;
use crate::domain::participation::is_new_member;
use crate::domain::rules::in_force;
use crate::domain::signal::{
    Grade, Grading, MeetingFacts, RollLine, Rule, Signal, TaskLine, Thresholds, count_by_rule,
    detect, lenient_grading,
};
use crate::domain::status::MemberStatus;
use crate::domain::time::parse_date;
use crate::store::{self, org::OrgRow};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The longest period asked at once: the reading stays a few set queries.
const MAX_DAYS: i32 = 3 * 366;

/// The period asked: `from`/`to` typed (dd/mm/yyyy or YYYY-MM-DD), by default
/// the twelve months up to today.
pub fn period(from: Option<&str>, to: Option<&str>, today: Date) -> Result<(Date, Date)> {
    let read = |s: Option<&str>, field: &'static str, label: &'static str| match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_date(s).map(Some).ok_or_else(|| {
            AppError::invalid(ValidationError::new(
                field,
                label,
                "không đúng định dạng dd/mm/yyyy",
            ))
        }),
    };
    let to = read(to, "to", "Đến ngày")?.unwrap_or(today);
    let from = match read(from, "from", "Từ ngày")? {
        Some(d) => d,
        None => to
            .checked_sub(jiff::Span::new().years(1))
            .map_err(|_| AppError::invalid(ValidationError::new("to", "Đến ngày", "không hợp lệ")))?
            .tomorrow()
            .map_err(|_| {
                AppError::invalid(ValidationError::new("to", "Đến ngày", "không hợp lệ"))
            })?,
    };
    if from > to {
        return Err(AppError::invalid(ValidationError::new(
            "from",
            "Từ ngày",
            "phải trước hoặc bằng đến ngày",
        )));
    }
    if (to - from).get_days() > MAX_DAYS {
        return Err(AppError::invalid(ValidationError::new(
            "to",
            "Đến ngày",
            "mỗi lần xem tối đa 3 năm",
        )));
    }
    Ok((from, to))
}

pub struct SignalsView {
    pub root: OrgRow,
    pub from: Date,
    pub to: Date,
    pub signals: Vec<Signal>,
    /// Names of the cells signalled.
    pub cells: HashMap<OrgId, String>,
    /// Days of the meetings named.
    pub days: HashMap<i64, Date>,
    pub counts: Vec<(Rule, usize)>,
    pub thresholds: Thresholds,
    /// Meetings of the period read.
    pub meetings_read: usize,
}

/// What one reading of a scope gives: the signals of the period, the
/// names of the nodes they name, the days of the meetings read, and how
/// many meetings of the period were read.
struct Reading {
    signals: Vec<Signal>,
    cells: HashMap<OrgId, String>,
    days: HashMap<i64, Date>,
    meetings_read: usize,
}

/// The signals of the meetings held strictly below `root` between `from`
/// and `to`.
pub async fn of_subtree(
    app: &AppState,
    caller: &Caller,
    root: OrgId,
    (from, to): (Date, Date),
) -> Result<SignalsView> {
    let row = authorize_org(app, caller, Action::ReadSignals, root).await?;
    let on = row.reference_date(app.clock.today());
    let scope = store::signal::Scope::Below { root, on };
    let r = read(app, scope, (from, to)).await?;
    let counts = count_by_rule(&r.signals);
    Ok(SignalsView {
        root: row,
        from,
        to,
        signals: r.signals,
        cells: r.cells,
        days: r.days,
        counts,
        thresholds: Thresholds::DEFAULT,
        meetings_read: r.meetings_read,
    })
}

/// Reads a scope's meetings, roll calls, posts, tasks and final grades in
/// five set queries and judges them (no authorization: the callers do).
async fn read(
    app: &AppState,
    scope: store::signal::Scope<'_>,
    (from, to): (Date, Date),
) -> Result<Reading> {
    let today = app.clock.today();
    let t = Thresholds::DEFAULT;
    // Earlier meetings to compare minutes with, later ones to count the
    // meetings held after a task.
    let lo = from
        .checked_sub(jiff::Span::new().days(t.similarity_window_days))
        .unwrap_or(from);
    let hi = to.max(today);
    let span = (lo, hi);
    let clock = std::time::Instant::now();
    let (meetings, rolls, posts, tasks, rules) = (
        store::signal::meetings(&app.db, scope, span).await?,
        store::signal::rolls(&app.db, scope, span).await?,
        store::signal::posts_held(&app.db, scope, span).await?,
        store::signal::tasks(&app.db, scope, span).await?,
        store::meeting::rules(&app.db).await?,
    );
    tracing::debug!(elapsed = ?clock.elapsed(), meetings = meetings.len(), rolls = rolls.len(), "signals read");
    let posts: HashSet<(i64, MemberId)> = posts.into_iter().collect();
    let mut roll_of: HashMap<i64, Vec<RollLine>> = HashMap::new();
    let day_of: HashMap<i64, Date> = meetings
        .iter()
        .map(|m| (m.id, m.held_on.to_jiff()))
        .collect();
    for r in rolls {
        let Some(day) = day_of.get(&r.meeting_id).copied() else {
            continue;
        };
        let status = if r.official {
            MemberStatus::Official
        } else {
            MemberStatus::Probationary
        };
        roll_of.entry(r.meeting_id).or_default().push(RollLine {
            member: r.member_id,
            name: r.full_name,
            present: r.presence == "present",
            spoke: r.spoke,
            holds_post: posts.contains(&(r.meeting_id, r.member_id)),
            new_member: is_new_member(status, r.admitted_on.map(|d| d.to_jiff()), day),
        });
    }
    let mut tasks_of: HashMap<i64, Vec<TaskLine>> = HashMap::new();
    for x in tasks {
        tasks_of.entry(x.meeting_id).or_default().push(TaskLine {
            member: x.member_id,
            open: x.status == "open",
            reviewed: x.reviewed_in.is_some(),
        });
    }
    let mut cells = HashMap::new();
    let mut facts = Vec::with_capacity(meetings.len());
    for m in meetings {
        let day = m.held_on.to_jiff();
        let kind = MeetingKind::from_code(&m.kind).unwrap_or(MeetingKind::Regular);
        let required = in_force(&rules, day).and_then(|r| {
            let min = if kind == MeetingKind::Combined {
                r.combined_min_minutes
            } else {
                r.min_minutes
            }?;
            Some((min, r.source.clone()))
        });
        let parse = |s: &Option<String>| s.as_deref().and_then(crate::domain::schedule::parse_time);
        let duration = match (parse(&m.started_time), parse(&m.ended_time)) {
            (Some(a), Some(b)) => a
                .until(b)
                .ok()
                .map(|s| i64::from(s.get_hours()) * 60 + s.get_minutes()),
            _ => None,
        };
        cells.entry(m.org_id).or_insert(m.org_name);
        let minutes = [
            m.proceedings.as_str(),
            m.conclusion.as_str(),
            m.resolution_text.as_str(),
        ]
        .join("\n");
        facts.push(MeetingFacts {
            id: m.id,
            cell: m.org_id,
            day,
            regular: kind.is_regular(),
            has_resolution: !m.resolution_text.trim().is_empty(),
            minutes,
            chair: m.chair_id,
            recorder: m.recorder_id,
            roll: roll_of.remove(&m.id).unwrap_or_default(),
            tasks: tasks_of.remove(&m.id).unwrap_or_default(),
            duration,
            required,
        });
    }
    let meetings_read = facts
        .iter()
        .filter(|m| m.day >= from && m.day <= to)
        .count();
    let mut signals = detect(&facts, from, to, &t);
    // Year-end grades decided in the period, one set per deciding body and
    // year (docs/rules.md "Formalism signals", rule 7).
    let mut gradings: BTreeMap<(OrgId, i32), Grading> = BTreeMap::new();
    for (body, name, year, decided_on, grade) in
        store::signal::final_grades(&app.db, scope, (from, to)).await?
    {
        let (Some(grade), Ok(year_short)) = (Grade::from_code(&grade), i16::try_from(year)) else {
            continue;
        };
        cells.entry(body).or_insert(name);
        let g = gradings.entry((body, year)).or_insert_with(|| Grading {
            body,
            year: year_short,
            day: decided_on.to_jiff(),
            grades: Vec::new(),
        });
        g.day = g.day.max(decided_on.to_jiff());
        g.grades.push(grade);
    }
    signals.extend(gradings.values().filter_map(|g| lenient_grading(g, &t)));
    tracing::debug!(elapsed = ?clock.elapsed(), signals = signals.len(), "signals judged");
    Ok(Reading {
        signals,
        cells,
        days: day_of,
        meetings_read,
    })
}

/// Stale rows refreshed one node list at a time.
const REFRESH_CHUNK: usize = store::signal::MAX_NODES;

/// At most this many stale nodes are recounted while the viewer waits; more
/// (a province or the nation after a cold start) are recounted in the
/// background and the page says so (docs/architecture.md "Formalism signals
/// on the dashboard").
const INLINE_LIMIT: usize = REFRESH_CHUNK;

/// One recount at a time, in the background or while a viewer waits.
static FILLING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The signal counts below a node, or how many nodes are still being recounted.
pub struct Counted {
    pub tally: Tally,
    /// Nodes whose counts are being refreshed in the background; while any
    /// are, `tally` is empty rather than a partial sum.
    pub pending: usize,
}

type Fresh = HashMap<OrgId, (String, store::signal_count::Counts)>;

/// The signal counts of every node strictly below `root` for the period,
/// from the signal cache: valid rows are read as they are, stale ones
/// (nodes written since they were counted) recounted from the nodes' own
/// meetings and grades, 500 nodes a batch, and stored (docs/architecture.md
/// "Formalism signals on the dashboard"). The rows are added up as they
/// arrive, never held all at once. For `ReadSignals` holders only; the
/// caller checks.
pub async fn cached_counts(
    app: &AppState,
    root: &OrgRow,
    (from, to): (Date, Date),
) -> Result<Counted> {
    let on = root.reference_date(app.clock.today());
    let (tally, stale) = tally_valid(app, root, on, (from, to)).await?;
    if stale.len() > INLINE_LIMIT {
        if let Ok(turn) = FILLING.try_lock() {
            let (app, pending) = (app.clone(), stale.clone());
            tokio::spawn(async move {
                let _turn = turn;
                let started = std::time::Instant::now();
                match refresh(&app, &pending, (from, to)).await {
                    Ok(_) => {
                        tracing::info!(nodes = pending.len(), elapsed = ?started.elapsed(), "signal counts refreshed")
                    }
                    Err(e) => tracing::warn!(error = %e, "signal counts not refreshed"),
                }
            });
        }
        return Ok(Counted {
            tally: Tally::default(),
            pending: stale.len(),
        });
    }
    if stale.is_empty() {
        return Ok(Counted { tally, pending: 0 });
    }
    // One recount at a time: viewers arriving meanwhile wait for it and
    // then find its rows instead of all recounting the same nodes.
    let _turn = store::held::turn(&FILLING).await;
    let (mut tally, stale) = tally_valid(app, root, on, (from, to)).await?;
    let mut fresh = refresh(app, &stale, (from, to)).await?;
    for (org, _) in &stale {
        if let Some(n) = fresh
            .remove(org)
            .and_then(|(name, counts)| node_counts(*org, name, &counts))
        {
            tally.add(n);
        }
    }
    Ok(Counted { tally, pending: 0 })
}

/// Adds up the valid rows below `root` as they arrive; returns the tally and
/// the nodes whose row is not valid.
async fn tally_valid(
    app: &AppState,
    root: &OrgRow,
    on: Date,
    span: (Date, Date),
) -> Result<(Tally, Vec<(OrgId, i64)>)> {
    let (mut tally, mut stale) = (Tally::default(), Vec::new());
    store::signal_count::each(&app.db, root.id, on, span, |c| match c.row {
        Some((name, counts)) => {
            if let Some(n) = node_counts(c.org, name, &counts) {
                tally.add(n);
            }
        }
        None => stale.push((c.org, c.epoch)),
    })
    .await?;
    Ok((tally, stale))
}

/// A node's counts by rule, without rules unknown to this build or zeros;
/// None when nothing is left.
fn node_counts(
    org: OrgId,
    name: String,
    counts: &store::signal_count::Counts,
) -> Option<NodeCounts> {
    let counts: Vec<(Rule, i64)> = counts
        .iter()
        .filter_map(|(code, n)| Some((Rule::from_code(code)?, *n)))
        .filter(|(_, n)| *n > 0)
        .collect();
    (!counts.is_empty()).then_some(NodeCounts {
        org: org.0,
        name,
        counts,
    })
}

/// Recounts every stale node below `root` for the span; returns how many
/// nodes were recounted. For the fill ahead (`service::warm`), which no
/// viewer waits on, so it has no inline limit. It takes its turn a batch at
/// a time, so that a viewer's small recount waits for one batch, not for the
/// whole tree.
pub async fn fill_counts(app: &AppState, root: &OrgRow, span: (Date, Date)) -> Result<usize> {
    let on = root.reference_date(app.clock.today());
    let mut stale = Vec::new();
    store::signal_count::each(&app.db, root.id, on, span, |c| {
        if c.row.is_none() {
            stale.push((c.org, c.epoch));
        }
    })
    .await?;
    for chunk in stale.chunks(REFRESH_CHUNK) {
        let _turn = store::held::turn(&FILLING).await;
        refresh(app, chunk, span).await?;
    }
    Ok(stale.len())
}

/// Recounts and stores the signal counts of `stale` nodes (id, epoch read
/// before their data), a batch at a time.
async fn refresh(
    app: &AppState,
    stale: &[(OrgId, i64)],
    (from, to): (Date, Date),
) -> Result<Fresh> {
    let mut fresh = Fresh::new();
    for chunk in stale.chunks(REFRESH_CHUNK) {
        let ids: Vec<OrgId> = chunk.iter().map(|c| c.0).collect();
        let r = read(app, store::signal::Scope::Nodes(&ids), (from, to)).await?;
        let mut by_node: HashMap<OrgId, store::signal_count::Counts> = HashMap::new();
        for s in &r.signals {
            *by_node
                .entry(s.cell)
                .or_default()
                .entry(s.rule.code().to_string())
                .or_default() += 1;
        }
        let rows: Vec<(OrgId, i64, String, store::signal_count::Counts)> = chunk
            .iter()
            .map(|(id, epoch)| {
                let counts = by_node.remove(id).unwrap_or_default();
                let name = r.cells.get(id).cloned().unwrap_or_default();
                (*id, *epoch, name, counts)
            })
            .collect();
        store::signal_count::save(&app.db, (from, to), &rows).await?;
        fresh.extend(rows.into_iter().map(|(id, _, n, c)| (id, (n, c))));
    }
    Ok(fresh)
}
