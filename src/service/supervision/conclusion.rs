//! The conclusion notice of a round (docs/rules.md "Conclusion of a
//! supervision round"): drafted from the filed reports, edited by the
//! round's planners, issued once every visited meeting has taken place with
//! a number in the committee's TB series; each shortcoming then becomes a
//! follow-up item its unit answers on its findings page, and the committee's
//! next round judges it fixed or not.

use super::load_round;
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::conclusion::{self as c, DEFAULT_DAYS, Draft, NOTICE_KIND, VisitFacts};
use crate::domain::document::Quality;
use crate::domain::ids::OrgId;
use crate::domain::inspection::FollowUpStatus;
use crate::domain::supervision::{Procedure, taken_place};
use crate::domain::time::parse_date;
use crate::service::inspection::{VerifyInput, judge, judgement};
use crate::service::{AppError, Caller, Change, Result, audit_touching};
use crate::store::{
    self, conclusion::ConclusionRow, inspection::FindingRow, org::OrgRow, supervision as st,
};
use jiff::civil::Date;
use serde::Deserialize;

/// A round's conclusion as its planners see it.
pub struct ConclusionView {
    pub round: st::RoundRow,
    pub committee: OrgRow,
    pub saved: Option<ConclusionRow>,
    /// The saved text, or a fresh draft from the reports.
    pub draft: Draft,
    pub deadline: Date,
    pub visits: usize,
    pub reported: usize,
    /// Every visited meeting has taken place (issuing waits for it).
    pub all_taken: bool,
    /// Follow-up items this conclusion made, once issued.
    pub followups: Vec<FindingRow>,
    /// Shortcomings of the committee's earlier rounds this round judges.
    pub earlier: Vec<FindingRow>,
}

impl ConclusionView {
    pub fn issued(&self) -> bool {
        self.saved.as_ref().is_some_and(|s| s.number.is_some())
    }
}

/// What the round's visits and reports say, and whether all took place.
struct Facts {
    visits: usize,
    facts: Vec<VisitFacts>,
    all_taken: bool,
}

fn facts_of(rows: &[st::VisitRow], today: Date) -> Facts {
    let facts = rows
        .iter()
        .filter(|v| v.reported_at.is_some())
        .filter_map(|v| {
            Some(VisitFacts {
                cell: v.cell_id,
                cell_name: v.cell_name.clone(),
                held_on: v.held_on.to_jiff(),
                on_time: v.on_time?,
                started_time: v.started_time.clone(),
                procedure: Procedure::from_code(v.procedure_kept.as_deref()?)?,
                quality: Quality::from_code(v.quality.as_deref()?)?,
                fixes: v.fixes.clone(),
            })
        })
        .collect();
    Facts {
        visits: rows.len(),
        facts,
        all_taken: rows
            .iter()
            .all(|v| taken_place(&v.status, v.held_on.to_jiff(), today)),
    }
}

/// The round's visited units, each once: the lines of the notice name them.
fn units(rows: &[st::VisitRow]) -> Vec<(OrgId, String)> {
    let mut out: Vec<(OrgId, String)> = Vec::new();
    for v in rows {
        if !out.iter().any(|(id, _)| *id == v.cell_id) {
            out.push((v.cell_id, v.cell_name.clone()));
        }
    }
    out
}

/// Drafts a round's conclusion from its filed reports (no writes).
pub fn draft_of(round: &st::RoundRow, rows: &[st::VisitRow], today: Date) -> Draft {
    let f = facts_of(rows, today);
    c::draft(
        &round.name,
        (round.starts_on.to_jiff(), round.ends_on.to_jiff()),
        f.visits,
        &f.facts,
    )
}

pub async fn view(app: &AppState, caller: &Caller, round: i64) -> Result<ConclusionView> {
    let round = load_round(app, caller, Action::PlanSupervision, round).await?;
    let today = app.clock.today();
    let rows = st::visits_of_round(&app.db, round.id).await?;
    let f = facts_of(&rows, today);
    let saved = store::conclusion::of_round(&app.db, round.id).await?;
    let draft = match &saved {
        Some(s) => s.draft(),
        None => draft_of(&round, &rows, today),
    };
    let deadline = saved
        .as_ref()
        .map(|s| s.deadline.to_jiff())
        .unwrap_or_else(|| default_deadline(&round, today));
    Ok(ConclusionView {
        committee: store::org::get_latest(&app.db, round.org_id).await?,
        followups: store::inspection::of_round(&app.db, round.id).await?,
        earlier: store::inspection::of_earlier_rounds(&app.db, round.org_id, round.id).await?,
        visits: f.visits,
        reported: f.facts.len(),
        all_taken: f.all_taken,
        saved,
        draft,
        deadline,
        round,
    })
}

fn default_deadline(round: &st::RoundRow, today: Date) -> Date {
    let from = round.ends_on.to_jiff().max(today);
    from.checked_add(jiff::Span::new().days(DEFAULT_DAYS))
        .unwrap_or(from)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConclusionInput {
    pub opening: String,
    /// One unit a line: "Tên chi bộ: nội dung".
    pub did_well: String,
    /// One unit a line: "Tên chi bộ: hạn chế cần khắc phục".
    pub shortcomings: String,
    pub closing: String,
    /// Deadline to fix the shortcomings, dd/mm/yyyy or YYYY-MM-DD.
    pub deadline: String,
    /// Day of the review conference held after the round, dd/mm/yyyy or
    /// YYYY-MM-DD; empty while none was held.
    pub review_on: String,
    /// What the conference heard and proposed.
    pub review_notes: String,
}

/// Saves the planners' edit of the draft; refused once issued.
pub async fn save(
    app: &AppState,
    caller: &Caller,
    round: i64,
    input: &ConclusionInput,
) -> Result<()> {
    let r = load_round(app, caller, Action::PlanSupervision, round).await?;
    let rows = st::visits_of_round(&app.db, r.id).await?;
    let d = Draft {
        opening: input.opening.trim().to_string(),
        did_well: input.did_well.trim().to_string(),
        shortcomings: input.shortcomings.trim().to_string(),
        closing: input.closing.trim().to_string(),
    };
    let deadline = match input.deadline.trim() {
        "" => None,
        s => Some(parse_date(s).ok_or_else(|| {
            AppError::invalid(ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "không đúng định dạng dd/mm/yyyy",
            ))
        })?),
    };
    let today = app.clock.today();
    let mut errors = Vec::new();
    let review_on = match input.review_on.trim() {
        "" => None,
        s => parse_date(s).or_else(|| {
            errors.push(ValidationError::new(
                "review_on",
                "Ngày hội nghị rút kinh nghiệm",
                "không đúng định dạng dd/mm/yyyy",
            ));
            None
        }),
    };
    let review = if errors.is_empty() {
        c::check_review(review_on, &input.review_notes, r.starts_on.to_jiff(), today)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
    } else {
        None
    };
    let checked = c::check(&d, deadline, &units(&rows), today)
        .map_err(|e| errors.extend(e))
        .ok();
    let (_, short, deadline) = match checked {
        Some(ok) if errors.is_empty() => ok,
        _ => return Err(errors.into()),
    };
    let mut tx = app.db.begin().await?;
    if store::conclusion::save(&mut tx, r.id, &d, deadline, app.clock.now()).await? == 0 {
        return Err(AppError::Conflict(
            "thông báo kết luận đã ban hành, không sửa được".into(),
        ));
    }
    store::conclusion::set_review(&mut tx, r.id, review.as_ref()).await?;
    let summary = format!("Sửa dự thảo thông báo kết luận {}", r.name);
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "conclusion_draft",
            entity: "supervision_round",
            entity_id: r.id,
            org: Some(r.org_id),
            summary: &summary,
            before: None,
            after: Some(
                serde_json::json!({"shortcomings": short.len(), "deadline": deadline.to_string()}),
            ),
        },
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues the conclusion: once every visited meeting has taken place and at
/// least one report is filed; the draft (saved, or fresh from the reports)
/// gets the next TB number of the committee and today's date, and each
/// named unit its follow-up items. Returns the number.
pub async fn issue(app: &AppState, caller: &Caller, round: i64) -> Result<i64> {
    let r = load_round(app, caller, Action::PlanSupervision, round).await?;
    let today = app.clock.today();
    let rows = st::visits_of_round(&app.db, r.id).await?;
    let f = facts_of(&rows, today);
    if !f.all_taken {
        return Err(AppError::Conflict(
            "còn buổi sinh hoạt của đợt chưa diễn ra; chưa thể ban hành thông báo kết luận".into(),
        ));
    }
    if f.facts.is_empty() {
        return Err(AppError::Conflict(
            "chưa có báo cáo kết quả dự sinh hoạt nào".into(),
        ));
    }
    let saved = store::conclusion::of_round(&app.db, r.id).await?;
    if saved.as_ref().is_some_and(|s| s.number.is_some()) {
        return Err(AppError::Conflict("thông báo kết luận đã ban hành".into()));
    }
    let (d, deadline) = match &saved {
        Some(s) => (s.draft(), s.deadline.to_jiff()),
        None => (draft_of(&r, &rows, today), default_deadline(&r, today)),
    };
    let (good, short, deadline) = c::check(&d, Some(deadline), &units(&rows), today)?;
    let mut tx = app.db.begin().await?;
    let issued = Issued {
        round: r.id,
        org: r.org_id,
        draft: &d,
        deadline,
        on: today,
        at: app.clock.now(),
    };
    let Some((number, _)) = issued.record(&mut tx, &good, &short).await? else {
        return Err(AppError::Conflict("thông báo kết luận đã ban hành".into()));
    };
    let named: Vec<OrgId> = c::named_units(&good, &short)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let summary = format!("Ban hành thông báo kết luận số {number} ({})", r.name);
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "conclusion_issue",
            entity: "supervision_round",
            entity_id: r.id,
            org: Some(r.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"number": number, "did_well": good.len(), "shortcomings": short.len(), "deadline": deadline.to_string()})),
        },
        &named,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// A notice being issued: its draft, deadline and date.
pub(crate) struct Issued<'a> {
    pub round: i64,
    pub org: OrgId,
    pub draft: &'a Draft,
    pub deadline: Date,
    pub on: Date,
    pub at: jiff::Timestamp,
}

impl Issued<'_> {
    /// Saves the text, takes the next TB number of the committee for the
    /// notice's year and turns each line into a follow-up item (a shortcoming
    /// with its own deadline). Returns the number and the shortcomings' item
    /// ids, or `None` when the notice was already issued.
    pub(crate) async fn record(
        &self,
        tx: &mut store::Tx,
        good: &[c::Item],
        short: &[c::Item],
    ) -> Result<Option<(i64, Vec<i64>)>> {
        store::conclusion::save(tx, self.round, self.draft, self.deadline, self.at).await?;
        let number = store::document::next_in_series(tx, self.org, NOTICE_KIND, self.on).await?;
        if store::conclusion::issue(tx, self.round, number, self.on).await? == 0 {
            return Ok(None);
        }
        for i in good {
            follow_up(tx, self.round, i, "strength", FollowUpStatus::Noted).await?;
        }
        let mut open = Vec::with_capacity(short.len());
        for i in short {
            open.push(follow_up(tx, self.round, i, "shortcoming", FollowUpStatus::Open).await?);
        }
        Ok(Some((number, open)))
    }
}

async fn follow_up(
    tx: &mut store::Tx,
    round: i64,
    i: &c::Item,
    kind: &str,
    status: FollowUpStatus,
) -> Result<i64> {
    Ok(store::inspection::insert_finding(
        tx,
        &store::inspection::NewFinding {
            inspection: round,
            from_round: true,
            cell: i.cell,
            kind,
            body: &i.body,
            deadline: i.deadline,
            status: status.code(),
        },
    )
    .await?)
}

/// This round judges a shortcoming an earlier round of its committee named.
pub async fn verify_earlier(
    app: &AppState,
    caller: &Caller,
    round: i64,
    finding: i64,
    input: &VerifyInput,
) -> Result<()> {
    let r = load_round(app, caller, Action::PlanSupervision, round).await?;
    let status = judgement(input)?;
    let row = store::inspection::of_earlier_rounds(&app.db, r.org_id, r.id)
        .await?
        .into_iter()
        .find(|f| f.id == finding && f.status != "fixed" && f.status != "not_fixed")
        .ok_or(AppError::NotFound)?;
    judge(app, caller, r.org_id, (r.id, true), &row, status).await
}

/// Whether the caller may read the issued notice as one of its named units:
/// issued, every visited meeting taken place, and the caller reads a unit
/// the notice names.
pub(crate) async fn readable_by_unit(app: &AppState, caller: &Caller, round: i64) -> Result<bool> {
    let issued = store::conclusion::of_round(&app.db, round)
        .await?
        .is_some_and(|s| s.number.is_some());
    if !issued {
        return Ok(false);
    }
    let rows = st::visits_of_round(&app.db, round).await?;
    if !facts_of(&rows, app.clock.today()).all_taken {
        return Ok(false);
    }
    let mut cells: Vec<OrgId> = store::inspection::of_round(&app.db, round)
        .await?
        .iter()
        .map(|f| f.cell_id)
        .collect();
    cells.sort_unstable_by_key(|c| c.0);
    cells.dedup();
    for cell in cells {
        if crate::service::allows(app, caller, Action::ReadOrg, cell).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The notice as DOCX, with the file name: for the planners (a draft is
/// marked "DỰ THẢO") and, once issued, for the units it names.
pub async fn conclusion_docx(
    app: &AppState,
    caller: &Caller,
    round: i64,
) -> Result<(String, Vec<u8>)> {
    use crate::docs::conclusion::{ConclusionDoc, docx};
    use crate::domain::place::{committee_name, organization_name, place_of};
    use crate::domain::supervision::{issuer_code, letter_signature};
    crate::service::authorize(
        app,
        caller,
        crate::service::Object::Conclusion,
        Action::ReadOrg,
        round,
    )
    .await?;
    let r = st::round(&app.db, round).await?;
    let today = app.clock.today();
    let rows = st::visits_of_round(&app.db, r.id).await?;
    let saved = store::conclusion::of_round(&app.db, r.id).await?;
    let (d, deadline) = match &saved {
        Some(s) => (s.draft(), s.deadline.to_jiff()),
        None => (draft_of(&r, &rows, today), default_deadline(&r, today)),
    };
    let number = saved.as_ref().and_then(|s| s.number);
    let on = saved
        .as_ref()
        .and_then(|s| s.issued_on)
        .map(|d| d.to_jiff())
        .unwrap_or(today);
    let all = units(&rows);
    // Lines that no longer parse (never for an issued notice) are dropped.
    let good = c::parse_items(&d.did_well, &all, "did_well", "").unwrap_or_default();
    let short = c::parse_items(&d.shortcomings, &all, "shortcomings", "").unwrap_or_default();
    let up = store::org::ancestors(&app.db, r.org_id, on).await?;
    let committee = match up.last() {
        Some(c) => c.clone(),
        None => store::org::get_latest(&app.db, r.org_id).await?,
    };
    let upper = up.len().checked_sub(2).and_then(|i| up.get(i));
    let line = |i: &c::Item| format!("{}: {}", i.cell_name, i.body);
    let doc = ConclusionDoc {
        upper_org: upper
            .map(|u| organization_name(&u.name, u.kind()))
            .unwrap_or_default(),
        issuer: committee_name(&organization_name(&committee.name, committee.kind())),
        number: match number {
            Some(n) => c::notice_symbol(n, committee.kind()),
            None => format!("Số      -{NOTICE_KIND}/{}", issuer_code(committee.kind())),
        },
        draft: number.is_none(),
        place: place_of(up.iter().rev().map(|o| o.name.as_str())),
        date: on,
        round_name: r.name.clone(),
        opening: d.opening.clone(),
        review: saved.as_ref().and_then(ConclusionRow::review).map(|rv| {
            c::review_sentence(
                &rv,
                &format!(
                    "Thường trực {}",
                    committee_name(&organization_name(&committee.name, committee.kind()))
                ),
            )
        }),
        did_well: good.iter().map(line).collect(),
        shortcomings: short.iter().map(line).collect(),
        deadline,
        closing: d.closing.clone(),
        units: c::named_units(&good, &short)
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        signature: letter_signature(committee.kind()),
    };
    let bytes = docx(&doc).map_err(AppError::Internal)?;
    let name = match number {
        Some(n) => format!("thong-bao-ket-luan-{n}.docx"),
        None => "du-thao-thong-bao-ket-luan.docx".to_string(),
    };
    Ok((name, bytes))
}
