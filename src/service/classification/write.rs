//! The three stages of a year's round: self-assessment, proposal, decision.

use super::{Tree, reading_date, regime_for, year_of};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::classification::order::{
    above_open, member_decidable, org_decidable, org_proposal, still_open,
};
use crate::domain::classification::quota::QuotaSet;
use crate::domain::classification::{Grade, GradeCounts, SubjectKind};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::org::OrgKind;
use crate::domain::text::clean;
use crate::service::{AppError, Caller, Change, Result, audit, authorize_member, authorize_org};
use crate::store::classification::{NewFinal, NewStage, RecordRow, Stage};
use crate::store::org::Root;
use crate::store::{self};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The longest decision reference or override reason kept.
const MAX_TEXT: usize = 500;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SelfInput {
    /// The year reviewed, "2018".
    pub year: String,
    /// excellent | good | complete | not_complete
    pub grade: String,
    /// Điểm tự chấm, 0–100: required from 2025 (366-QĐ/TW), refused before.
    pub score: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct MemberGrade {
    pub member_id: i64,
    /// excellent | good | complete | not_complete
    pub grade: String,
    /// 0–100, from 2025 (366-QĐ/TW).
    #[serde(default)]
    pub score: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct OrgGrade {
    pub org_id: i64,
    /// excellent | good | complete | not_complete
    pub grade: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProposalInput {
    pub year: String,
    /// The organization's own self-review (tập thể tự kiểm điểm); empty leaves it.
    pub self_grade: String,
    /// The grade the organization proposes to the committee deciding it;
    /// empty: its self-review is its proposal (docs/rules.md "Organization
    /// proposals").
    pub proposed_grade: String,
    /// The cell's proposal for each of its members (a cell only).
    pub members: Vec<MemberGrade>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    pub year: String,
    /// Số, ngày của quyết định hoặc biên bản hội nghị cấp ủy.
    pub decision_ref: String,
    /// Lý do vượt tỷ lệ xuất sắc, if the quota is exceeded.
    pub override_reason: String,
    /// Members of the cells this committee decides.
    pub members: Vec<MemberGrade>,
    /// Organizations directly under this committee.
    pub orgs: Vec<OrgGrade>,
}

fn grade(input: &str, field: &'static str) -> Result<Option<Grade>> {
    Grade::parse_choice(input, field, "Xếp loại").map_err(AppError::invalid)
}

fn text(input: &str, field: &'static str, label: &'static str) -> Result<String> {
    let t = clean(input);
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(ValidationError::new(
            field,
            label,
            format!("dài quá {MAX_TEXT} ký tự"),
        )));
    }
    Ok(t)
}

fn decided(r: Option<&RecordRow>) -> bool {
    r.is_some_and(|r| r.final_grade.is_some())
}

fn to_i32(score: Option<i64>) -> Option<i32> {
    score.and_then(|s| i32::try_from(s).ok())
}

/// A member assesses themself for a year.
pub async fn self_assess(
    app: &AppState,
    caller: &Caller,
    id: MemberId,
    input: &SelfInput,
) -> Result<()> {
    let member = authorize_member(app, caller, Action::SelfAssess, id).await?;
    let year = year_of(app, &input.year)?;
    let g = grade(&input.grade, "grade")?.ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "grade",
            "Tự xếp loại",
            "hãy chọn một mức",
        ))
    })?;
    let y = i32::from(year.get());
    let existing = store::classification::get(&app.db, y, "member", id.0).await?;
    still_open(&member.full_name, decided(existing.as_ref())).map_err(AppError::invalid)?;
    // Filed under the cell of that year; only members on its roll (official
    // or probationary on the year's last day) are classified.
    let on = reading_date(year, app.clock.today());
    let cell = match store::classification::standing_on(&app.db, id, on).await? {
        Some((cell, status)) if status == "official" || status == "probationary" => cell,
        _ => {
            return Err(AppError::invalid(ValidationError::new(
                "year",
                "Năm",
                format!(
                    "{} không có tên trong danh sách đảng viên xếp loại năm {} (chưa kết nạp, miễn sinh hoạt hoặc đã chuyển đi)",
                    member.full_name,
                    year.get()
                ),
            )));
        }
    };
    let regime = regime_for(app, year).await?;
    let score = regime
        .check_score(input.score, g, "score")
        .map_err(AppError::invalid)?;
    let mut tx = app.db.begin().await?;
    store::classification::set_stage(
        &mut tx,
        Stage::Own,
        &NewStage {
            year: y,
            kind: "member",
            subject: id.0,
            org: cell,
            regime: &regime.code,
            grade: g.code(),
            score: to_i32(score),
            by: caller.audit_user(),
            on: app.clock.today(),
        },
    )
    .await?;
    let summary = format!("Đảng viên tự đánh giá năm {}: {}", year.get(), g.label());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "classification_self",
            entity: "member",
            entity_id: id.0,
            org: Some(cell),
            summary: &summary,
            before: existing
                .as_ref()
                .map(|r| serde_json::json!({"grade": r.self_grade, "score": r.self_score})),
            after: Some(serde_json::json!({"year": year.get(), "grade": g.code(), "score": score})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A cell (its secretary) proposes its members' grades and records its own
/// self-review; a committee records its own self-review.
pub async fn propose(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    input: &ProposalInput,
) -> Result<usize> {
    let org = authorize_org(app, caller, Action::ProposeClassification, id).await?;
    let year = year_of(app, &input.year)?;
    let regime = regime_for(app, year).await?;
    let y = i32::from(year.get());
    let on = reading_date(year, org.reference_date(app.clock.today()));
    let own_grade = grade(&input.self_grade, "self_grade")?;
    let own_proposal = org_proposal(own_grade, grade(&input.proposed_grade, "proposed_grade")?);
    if !input.members.is_empty() && !org.kind().is_cell() {
        return Err(AppError::invalid(ValidationError::new(
            "members",
            "Đảng viên",
            "chỉ chi bộ đề xuất xếp loại đảng viên của mình",
        )));
    }
    let roll: HashMap<MemberId, String> = if input.members.is_empty() {
        HashMap::new()
    } else {
        store::classification::roll(&app.db, Root::cell(id), on)
            .await?
            .into_iter()
            .map(|m| (m.member_id, m.full_name))
            .collect()
    };
    let records: HashMap<(String, i64), RecordRow> =
        store::classification::in_subtree(&app.db, Root::of(&org), on, y)
            .await?
            .into_iter()
            .map(|r| ((r.subject_kind.clone(), r.subject_id), r))
            .collect();
    let mut errors = Vec::new();
    let mut chosen = Vec::new();
    for m in &input.members {
        let Some(name) = roll.get(&MemberId(m.member_id)) else {
            errors.push(ValidationError::new(
                "members",
                "Đảng viên",
                format!(
                    "đảng viên số {} không có tên trong chi bộ năm {}",
                    m.member_id,
                    year.get()
                ),
            ));
            continue;
        };
        let g = match grade(&m.grade, "members") {
            Ok(Some(g)) => g,
            Ok(None) => continue,
            Err(AppError::Invalid(e)) => {
                errors.extend(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let rec = records.get(&("member".to_string(), m.member_id));
        if let Err(e) = still_open(name, decided(rec)) {
            errors.push(e);
            continue;
        }
        match regime.check_score(m.score, g, "members") {
            Ok(score) => chosen.push((m.member_id, name.clone(), g, score)),
            Err(e) => errors.push(ValidationError::new(
                e.field,
                e.label,
                format!("{name}: {}", e.problem),
            )),
        }
    }
    if let Some(g) = own_proposal
        && let Err(e) = still_open(&org.name, decided(records.get(&("org".to_string(), id.0))))
    {
        errors.push(ValidationError::new(
            "self_grade",
            "Tập thể tự xếp loại",
            format!("{}: {}", g.label(), e.problem),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if own_proposal.is_some()
        && own_grade.is_none()
        && records
            .get(&("org".to_string(), id.0))
            .is_none_or(|r| r.self_grade.is_none())
    {
        errors.push(ValidationError::new(
            "self_grade",
            "Tập thể tự xếp loại",
            "tự kiểm điểm, xếp loại tập thể trước khi đề xuất với cấp trên",
        ));
        return Err(AppError::Invalid(errors));
    }
    if own_proposal.is_none() && chosen.is_empty() {
        return Err(AppError::invalid(ValidationError::new(
            "self_grade",
            "Xếp loại",
            "chưa chọn mức xếp loại nào",
        )));
    }
    let today = app.clock.today();
    let mut tx = app.db.begin().await?;
    // The organization's own review and its proposal to the level above.
    for (stage, grade) in [(Stage::Own, own_grade), (Stage::Proposed, own_proposal)] {
        let Some(g) = grade else { continue };
        store::classification::set_stage(
            &mut tx,
            stage,
            &NewStage {
                year: y,
                kind: "org",
                subject: id.0,
                org: id,
                regime: &regime.code,
                grade: g.code(),
                score: None,
                by: caller.audit_user(),
                on: today,
            },
        )
        .await?;
    }
    for (member, _, g, score) in &chosen {
        store::classification::set_stage(
            &mut tx,
            Stage::Proposed,
            &NewStage {
                year: y,
                kind: "member",
                subject: *member,
                org: id,
                regime: &regime.code,
                grade: g.code(),
                score: to_i32(*score),
                by: caller.audit_user(),
                on: today,
            },
        )
        .await?;
    }
    let counts = GradeCounts::of(chosen.iter().map(|c| c.2));
    let summary = format!(
        "{} năm {}: {}đề xuất xếp loại {} đảng viên (xuất sắc {}, tốt {}, hoàn thành {}, không hoàn thành {})",
        org.name,
        year.get(),
        match (own_grade, own_proposal) {
            (Some(g), Some(p)) =>
                format!("tập thể tự xếp loại {}, đề xuất {}; ", g.label(), p.label()),
            (None, Some(p)) => format!("đề xuất cấp trên xếp loại tập thể {}; ", p.label()),
            _ => String::new(),
        },
        chosen.len(),
        counts.excellent,
        counts.good,
        counts.complete,
        counts.not_complete
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "classification_propose",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "year": year.get(),
                "self_grade": own_grade.map(Grade::code),
                "proposed_grade": own_proposal.map(Grade::code),
                "members": chosen.iter().map(|(m, _, g, s)| serde_json::json!({"member_id": m, "grade": g.code(), "score": s})).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(chosen.len() + usize::from(own_proposal.is_some()))
}

/// The committee `id` decides final grades: members of the cells it decides
/// and organizations directly under it, in the bottom-up order, then checks
/// the quota over everything it has decided that year.
pub async fn decide(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    input: &DecisionInput,
) -> Result<usize> {
    let body = authorize_org(app, caller, Action::DecideClassification, id).await?;
    let year = year_of(app, &input.year)?;
    let regime = regime_for(app, year).await?;
    let y = i32::from(year.get());
    let on = reading_date(year, body.reference_date(app.clock.today()));
    let decision_ref = text(&input.decision_ref, "decision_ref", "Số, ngày quyết định")?;
    let reason = text(
        &input.override_reason,
        "override_reason",
        "Lý do vượt tỷ lệ",
    )?;
    if decision_ref.is_empty() {
        return Err(AppError::invalid(ValidationError::new(
            "decision_ref",
            "Số, ngày quyết định",
            "không được để trống (số, ngày quyết định hoặc biên bản hội nghị cấp ủy)",
        )));
    }
    let root = Root::of(&body);
    let tree = Tree::new(store::classification::nodes(&app.db, root, on).await?);
    let records: HashMap<(String, i64), RecordRow> =
        store::classification::in_subtree(&app.db, root, on, y)
            .await?
            .into_iter()
            .map(|r| ((r.subject_kind.clone(), r.subject_id), r))
            .collect();
    let roll: HashMap<MemberId, (String, OrgId)> = if input.members.is_empty() {
        HashMap::new()
    } else {
        store::classification::roll(&app.db, root, on)
            .await?
            .into_iter()
            .map(|m| (m.member_id, (m.full_name, m.cell_id)))
            .collect()
    };
    let mut errors = Vec::new();
    let mut members = Vec::new();
    let mut seen = HashSet::new();
    for m in &input.members {
        let Some(g) = collect_invalid(grade(&m.grade, "members"), &mut errors)? else {
            continue;
        };
        let Some((name, cell)) = roll.get(&MemberId(m.member_id)) else {
            errors.push(ValidationError::new(
                "members",
                "Đảng viên",
                format!(
                    "đảng viên số {} không thuộc {} năm {}",
                    m.member_id,
                    body.name,
                    year.get()
                ),
            ));
            continue;
        };
        if tree.member_decider(*cell) != Some(id) {
            errors.push(ValidationError::new(
                "members",
                "Thẩm quyền",
                format!("{} không quyết định xếp loại đảng viên {name}", body.name),
            ));
            continue;
        }
        if !seen.insert(m.member_id) {
            continue;
        }
        let rec = records.get(&("member".to_string(), m.member_id));
        let cell_rec = records.get(&("org".to_string(), cell.0));
        let cell_reviewed = cell_rec.is_some_and(|r| r.self_grade.is_some());
        let cell_name = tree.nodes.get(cell).map_or("chi bộ", |n| n.name.as_str());
        if let Err(e) = above_open(name, cell_name, decided(cell_rec)) {
            errors.push(e);
            continue;
        }
        if let Err(e) = member_decidable(
            name,
            cell_reviewed,
            rec.is_some_and(|r| r.proposed_grade.is_some()),
        ) {
            errors.push(e);
            continue;
        }
        let score = m
            .score
            .or(rec.and_then(|r| r.proposed_score.map(i64::from)));
        match regime.check_score(score, g, "members") {
            Ok(score) => members.push((m.member_id, *cell, g, score)),
            Err(e) => errors.push(ValidationError::new(
                e.field,
                e.label,
                format!("{name}: {}", e.problem),
            )),
        }
    }
    let mut orgs = Vec::new();
    for o in &input.orgs {
        let Some(g) = collect_invalid(grade(&o.grade, "orgs"), &mut errors)? else {
            continue;
        };
        let node = tree
            .nodes
            .get(&OrgId(o.org_id))
            .filter(|n| n.parent_id == Some(id));
        let Some(node) = node else {
            errors.push(ValidationError::new(
                "orgs",
                "Thẩm quyền",
                format!("tổ chức số {} không trực thuộc {}", o.org_id, body.name),
            ));
            continue;
        };
        if let Err(e) = above_open(
            &node.name,
            &body.name,
            decided(records.get(&("org".to_string(), id.0))),
        ) {
            errors.push(ValidationError::new("orgs", e.label, e.problem));
            continue;
        }
        let rec = records.get(&("org".to_string(), o.org_id));
        let reviewed = rec.is_some_and(|r| r.self_grade.is_some());
        let proposed = rec.is_some_and(|r| r.proposed_grade.is_some());
        if let Err(e) = org_decidable(&node.name, reviewed, proposed, Default::default()) {
            errors.push(e);
            continue;
        }
        if !orgs
            .iter()
            .any(|(x, _, _): &(OrgId, String, Grade)| x.0 == o.org_id)
        {
            orgs.push((node.id, node.name.clone(), g));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if members.is_empty() && orgs.is_empty() {
        return Err(AppError::invalid(ValidationError::new(
            "members",
            "Xếp loại",
            "chưa chọn mức xếp loại nào",
        )));
    }
    let today = app.clock.today();
    let final_of =
        |kind: &'static str, subject: i64, org: OrgId, g: Grade, score: Option<i64>| NewFinal {
            stage: NewStage {
                year: y,
                kind,
                subject,
                org,
                regime: "",
                grade: g.code(),
                score: to_i32(score),
                by: caller.audit_user(),
                on: today,
            },
            decider: id,
            decision_ref: "",
            override_reason: "",
        };
    let mut tx = app.db.begin().await?;
    for (member, cell, g, score) in &members {
        let mut f = final_of("member", *member, *cell, *g, *score);
        f.stage.regime = &regime.code;
        f.decision_ref = &decision_ref;
        f.override_reason = &reason;
        store::classification::set_final(&mut tx, &f).await?;
    }
    // Members first: an organization decided in the same batch as its
    // members sees them decided.
    for (org, name, g) in &orgs {
        let pending = store::classification::pending_under(&mut tx, *org, on, y).await?;
        if let Err(e) = org_decidable(name, true, true, pending) {
            errors.push(e);
            continue;
        }
        let mut f = final_of("org", org.0, *org, *g, None);
        f.stage.regime = &regime.code;
        f.decision_ref = &decision_ref;
        f.override_reason = &reason;
        store::classification::set_final(&mut tx, &f).await?;
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // The quota, over everything this committee decided for the year.
    let mut sets: HashMap<QuotaSet, GradeCounts> = HashMap::new();
    for (kind, subject, g) in store::classification::finals_by(&mut tx, id, y).await? {
        let Some(g) = Grade::from_code(&g) else {
            continue;
        };
        let set = match SubjectKind::from_code(&kind) {
            Some(SubjectKind::Member) => Some(QuotaSet::Members),
            Some(SubjectKind::Org) => match tree.kind(OrgId(subject)) {
                Some(OrgKind::BaseCommittee | OrgKind::BaseCell) => Some(QuotaSet::BaseOrgs),
                Some(OrgKind::Cell) => Some(QuotaSet::Cells),
                _ => None,
            },
            None => None,
        };
        if let Some(s) = set {
            sets.entry(s).or_default().add(g, 1);
        }
    }
    let touched: HashSet<QuotaSet> = members
        .iter()
        .map(|_| QuotaSet::Members)
        .chain(orgs.iter().filter_map(|(o, _, _)| match tree.kind(*o) {
            Some(OrgKind::BaseCommittee | OrgKind::BaseCell) => Some(QuotaSet::BaseOrgs),
            Some(OrgKind::Cell) => Some(QuotaSet::Cells),
            _ => None,
        }))
        .collect();
    let mut exceeded = false;
    for set in &touched {
        let counts = sets.get(set).copied().unwrap_or_default();
        regime
            .quota
            .check(*set, &counts, "")
            .is_err()
            .then(|| exceeded = true);
        if let Err(e) = regime.quota.check(*set, &counts, &reason) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let counts = GradeCounts::of(members.iter().map(|m| m.2).chain(orgs.iter().map(|o| o.2)));
    let summary = format!(
        "{} quyết định xếp loại năm {} ({}): {} đảng viên, {} tổ chức — xuất sắc {}, tốt {}, hoàn thành {}, không hoàn thành {}{}",
        body.name,
        year.get(),
        decision_ref,
        members.len(),
        orgs.len(),
        counts.excellent,
        counts.good,
        counts.complete,
        counts.not_complete,
        if exceeded {
            format!("; vượt tỷ lệ xuất sắc, lý do: {reason}")
        } else {
            String::new()
        }
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: if exceeded { "classification_override" } else { "classification_decide" },
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "year": year.get(),
                "decision_ref": decision_ref,
                "override_reason": reason,
                "quota_exceeded": exceeded,
                "members": members.iter().map(|(m, _, g, s)| serde_json::json!({"member_id": m, "grade": g.code(), "score": s})).collect::<Vec<_>>(),
                "orgs": orgs.iter().map(|(o, _, g)| serde_json::json!({"org_id": o.0, "grade": g.code()})).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(members.len() + orgs.len())
}

/// A parsed field's value, or none with its validation errors added to
/// `errors` (so one answer lists every bad line); other errors pass through.
fn collect_invalid<T>(
    parsed: Result<Option<T>>,
    errors: &mut Vec<ValidationError>,
) -> Result<Option<T>> {
    match parsed {
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            Ok(None)
        }
        other => other,
    }
}
