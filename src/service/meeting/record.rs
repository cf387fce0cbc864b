//! The record of a meeting: roll call, signing, amendments, tasks.

use super::plan::signed_conflict;
use super::{authorize, kind};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::document::DocKind;
use crate::domain::ids::MemberId;
use crate::domain::meeting::{Presence, RollEntry, TaskStatus, Vote, check_roll};
use crate::domain::member::MemberStatus;
use crate::domain::participation::{Figures, Group, Marked, groups, is_new_member};
use crate::domain::text;
use crate::domain::time::{format_date, parse_date};
use crate::service::{AppError, Caller, Change, Result, audit};
use crate::store;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttendanceEntry {
    /// A member of the meeting's cell, once per roll call.
    #[schema(minimum = 1)]
    pub member_id: i64,
    /// Members exempt from activities are recorded as exempt whatever is sent.
    #[schema(value_type = crate::domain::meeting::Presence)]
    pub presence: String,
    /// Required when absent_excused.
    #[serde(default)]
    pub reason: String,
    /// Only someone present can have spoken.
    #[serde(default)]
    pub spoke: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    pub entries: Vec<AttendanceEntry>,
    /// Guests from upper levels: (name, position).
    pub guests: Vec<GuestInput>,
    /// Whether each follower of the cell attended (docs/rules.md "Followers
    /// attend their cells' meetings"); followers left out keep what was
    /// recorded.
    pub followers: Vec<FollowerPresence>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FollowerPresence {
    /// A follower of the cell on the meeting's day.
    pub member_id: i64,
    /// Có mặt (true) or vắng (false).
    pub present: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GuestInput {
    /// Guests without a name are dropped.
    pub name: String,
    pub position: String,
}

/// Most guests one roll call records.
const MAX_GUESTS: usize = 200;

/// Records who came, who was absent and why, and who spoke. Members exempt
/// from activities are recorded as exempt whatever was sent (domain.md §3.3).
pub async fn set_attendance(
    app: &AppState,
    caller: &Caller,
    id: i64,
    input: &AttendanceInput,
) -> Result<super::Tally> {
    set_attendance_on(app, caller, id, input, None).await
}

/// `set_attendance`, refused with `AppError::Stale` unless the meeting is
/// still at version `base` when its row is locked (docs/rules.md "Offline
/// recording and explicit conflicts").
pub(super) async fn set_attendance_on(
    app: &AppState,
    caller: &Caller,
    id: i64,
    input: &AttendanceInput,
    base: Option<i64>,
) -> Result<super::Tally> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_some() {
        return Err(signed_conflict());
    }
    let members = super::cell_members(app, m.org_id).await?;
    // A roll call names each member at most once and a few guests: anything
    // longer is refused before it is looked at, and the lookups below are by
    // hash, so the work stays linear in the cell's size.
    if input.entries.len() > members.len() {
        return Err(AppError::invalid(ValidationError::new(
            "entries",
            "Điểm danh",
            format!(
                "có {} dòng, nhiều hơn số đảng viên của chi bộ ({})",
                input.entries.len(),
                members.len()
            ),
        )));
    }
    if input.guests.len() > MAX_GUESTS {
        return Err(AppError::invalid(ValidationError::new(
            "guests",
            "Đại biểu dự",
            format!("nhiều nhất {MAX_GUESTS} người"),
        )));
    }
    let by_id: std::collections::HashMap<i64, &store::member::MemberRow> =
        members.iter().map(|x| (x.id.0, x)).collect();
    let mut seen = std::collections::HashSet::with_capacity(input.entries.len());
    let mut errors = Vec::new();
    let mut roll: Vec<(String, RollEntry, MemberId)> = Vec::new();
    for e in &input.entries {
        let Some(member) = by_id.get(&e.member_id) else {
            errors.push(ValidationError::new(
                "entries",
                "Điểm danh",
                format!("đảng viên mã {} không thuộc chi bộ", e.member_id),
            ));
            continue;
        };
        if !seen.insert(member.id) {
            errors.push(ValidationError::new(
                "entries",
                "Điểm danh",
                format!("{} được điểm danh hai lần", member.full_name),
            ));
            continue;
        }
        let presence = if member.status() == MemberStatus::Exempt {
            Presence::Exempt
        } else {
            match Presence::from_code(e.presence.trim()) {
                Some(p) => p,
                None => {
                    errors.push(ValidationError::new(
                        "entries",
                        "Điểm danh",
                        format!(
                            "{}: trạng thái \"{}\" không hợp lệ",
                            member.full_name, e.presence
                        ),
                    ));
                    continue;
                }
            }
        };
        let entry = RollEntry {
            presence,
            spoke: e.spoke,
            official: member.status() == MemberStatus::Official,
            reason: text::clean(&e.reason),
        };
        roll.push((member.full_name.clone(), entry, member.id));
    }
    let named: Vec<(String, RollEntry)> = roll
        .iter()
        .map(|(n, r, _)| (n.clone(), r.clone()))
        .collect();
    if let Err(mut e) = check_roll(&named) {
        errors.append(&mut e);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let guests: Vec<(String, String)> = input
        .guests
        .iter()
        .map(|g| (text::title_case(&g.name), text::clean(&g.position)))
        .filter(|(n, _)| !n.is_empty())
        .collect();
    let rows: Vec<(MemberId, &str, &str, bool, bool)> = roll
        .iter()
        .map(|(_, r, id)| {
            (
                *id,
                r.presence.code(),
                r.reason.as_str(),
                r.spoke,
                r.official,
            )
        })
        .collect();
    let tally = crate::domain::meeting::Tally::of(
        &roll.iter().map(|(_, r, _)| r.clone()).collect::<Vec<_>>(),
    );
    let groups = apart(app, &m, &by_id, &roll).await?;
    let followers = followers_present(app, &m, &input.followers).await?;
    let mut tx = app.db.begin().await?;
    let mut fresh = store::meeting::get_for_update(&mut tx, id).await?;
    if fresh.signed_at.is_some() {
        return Err(signed_conflict());
    }
    if base.is_some_and(|b| b != fresh.version) {
        return Err(AppError::Stale);
    }
    store::meeting::set_attendance(&mut tx, id, &rows, &tally).await?;
    store::meeting::bump_version(&mut tx, id).await?;
    store::participation::set_groups(&mut tx, id, &groups).await?;
    store::meeting::set_guests(&mut tx, id, &guests).await?;
    store::follow_attendance::set(&mut tx, id, &followers).await?;
    if fresh.status == "planned" && tally.present > 0 {
        fresh.status = "held".into();
        store::meeting::update(&mut tx, &fresh).await?;
    }
    let summary = format!(
        "Điểm danh {} ngày {}: {}/{} có mặt, {} phát biểu",
        kind(&m).label().to_lowercase(),
        format_date(m.held_on.to_jiff()),
        tally.present,
        tally.convened,
        tally.speakers
    );
    let after = serde_json::json!({"present": tally.present, "convened": tally.convened, "exempt": tally.exempt,
        "speakers": tally.speakers, "guests": guests.len(),
        "followers_present": followers.iter().filter(|(_, p)| *p).count()});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "attendance",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(tally)
}

/// The followers' presence as sent, each checked to follow the cell on the
/// meeting's day.
async fn followers_present(
    app: &AppState,
    m: &store::meeting::MeetingRow,
    sent: &[FollowerPresence],
) -> Result<Vec<(MemberId, bool)>> {
    if sent.is_empty() {
        return Ok(Vec::new());
    }
    let following = store::follow::of_org(&app.db, m.org_id, m.held_on.to_jiff()).await?;
    let mut out: Vec<(MemberId, bool)> = Vec::with_capacity(sent.len());
    for f in sent {
        if !following.iter().any(|r| r.member_id.0 == f.member_id) {
            return Err(AppError::invalid(ValidationError::new(
                "followers",
                "Cán bộ phụ trách",
                "chỉ ghi có mặt, vắng cho người được phân công theo dõi chi bộ vào ngày họp",
            )));
        }
        if out.iter().any(|(id, _)| id.0 == f.member_id) {
            return Err(AppError::invalid(ValidationError::new(
                "followers",
                "Cán bộ phụ trách",
                "một người được ghi hai lần",
            )));
        }
        out.push((MemberId(f.member_id), f.present));
    }
    Ok(out)
}

/// The roll call's figures for the members counted apart, as they stood on
/// the meeting's day: without a post, and newly admitted (docs/rules.md
/// "Attendance and speaking of members without a post and of new members").
async fn apart(
    app: &AppState,
    m: &store::meeting::MeetingRow,
    by_id: &std::collections::HashMap<i64, &store::member::MemberRow>,
    roll: &[(String, RollEntry, MemberId)],
) -> Result<Vec<(Group, Figures)>> {
    let ids: Vec<MemberId> = roll.iter().map(|(_, _, id)| *id).collect();
    let posts: std::collections::HashSet<MemberId> =
        store::post::holding_post(&app.db, m.org_id, &ids, m.held_on.to_jiff())
            .await?
            .into_iter()
            .collect();
    let day = m.held_on.to_jiff();
    let marked: Vec<Marked> = roll
        .iter()
        .map(|(_, entry, id)| Marked {
            entry: entry.clone(),
            holds_post: posts.contains(id),
            new_member: by_id.get(&id.0).is_some_and(|x| {
                is_new_member(x.status(), x.admitted_on.map(|d| d.to_jiff()), day)
            }),
        })
        .collect();
    Ok(groups(&marked))
}

/// Signs the minutes: from now on they are never edited, only amended.
pub async fn sign(app: &AppState, caller: &Caller, id: i64) -> Result<store::meeting::MeetingRow> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_some() {
        return Err(AppError::Conflict("biên bản đã được ký".into()));
    }
    let attendance = store::meeting::attendance(&app.db, id).await?;
    let tally = super::tally(&attendance);
    let mut errors = Vec::new();
    if m.chair_id.is_none() {
        errors.push(ValidationError::new(
            "chair_id",
            "Chủ trì",
            "phải chọn người chủ trì trước khi ký",
        ));
    }
    if m.recorder_id.is_none() {
        errors.push(ValidationError::new(
            "recorder_id",
            "Thư ký",
            "phải chọn thư ký trước khi ký",
        ));
    }
    if tally.present == 0 {
        errors.push(ValidationError::new(
            "attendance",
            "Điểm danh",
            "phải điểm danh trước khi ký biên bản",
        ));
    }
    if m.proceedings.trim().is_empty() {
        errors.push(ValidationError::new(
            "proceedings",
            "Diễn biến",
            "biên bản chưa có nội dung",
        ));
    }
    if let (Some(f), Some(a), Some(ab)) = (m.vote_for, m.vote_against, m.vote_abstain) {
        let vote = Vote {
            for_: f,
            against: a,
            abstain: ab,
        };
        if let Err(e) = vote.check(&tally) {
            errors.push(e);
        } else if !vote.adopted(&tally) {
            // The procedure ends with the vote adopting the resolution
            // (docs/rules.md "A resolution is signed once adopted").
            errors.push(ValidationError::new(
                "vote_for",
                "Biểu quyết",
                format!(
                    "nghị quyết chưa được thông qua ({f}/{} đảng viên chính thức có mặt tán thành, cần quá nửa): không ký được",
                    tally.official_present
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let posts = store::post::in_cell_on(&app.db, m.org_id, m.held_on.to_jiff()).await?;
    let mut tx = app.db.begin().await?;
    let mut fresh = store::meeting::get_for_update(&mut tx, id).await?;
    if fresh.signed_at.is_some() {
        return Err(AppError::Conflict("biên bản đã được ký".into()));
    }
    // Minutes and resolution are issued now, each in its own series
    // (docs/rules.md "Number series of a cell's documents"); the chair's
    // post is kept so the signature's title never changes after.
    let day = fresh.held_on.to_jiff();
    fresh.number = store::document::issue(&mut tx, id, fresh.org_id, DocKind::Minutes, day).await?;
    let resolution =
        store::document::issue(&mut tx, id, fresh.org_id, DocKind::Resolution, day).await?;
    fresh.chair_post = fresh
        .chair_id
        .map(|c| super::post_of(&posts, c).code().to_string());
    fresh.status = "held".into();
    fresh.signed_at = Some(store::types::instant(app.clock.now()));
    fresh.signed_by = Some(caller.actor.username.clone());
    store::meeting::update(&mut tx, &fresh).await?;
    let summary = format!(
        "Ký biên bản {} ngày {} (biên bản số {}, nghị quyết số {resolution})",
        kind(&m).label().to_lowercase(),
        format_date(m.held_on.to_jiff()),
        fresh.number
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "sign",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(
                serde_json::json!({"number": fresh.number, "resolution_number": resolution, "chair_post": fresh.chair_post}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(store::meeting::get(&app.db, id).await?)
}

/// A correction to signed minutes, recorded and shown beside the original.
pub async fn add_amendment(app: &AppState, caller: &Caller, id: i64, body: &str) -> Result<i64> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_none() {
        return Err(AppError::Conflict(
            "biên bản chưa ký: hãy sửa trực tiếp".into(),
        ));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 5000 {
        return Err(AppError::invalid(ValidationError::new(
            "body",
            "Nội dung đính chính",
            "phải có từ 1 đến 5000 ký tự",
        )));
    }
    let mut tx = app.db.begin().await?;
    let aid = store::meeting::insert_amendment(
        &mut tx,
        id,
        app.clock.now(),
        &caller.actor.username,
        body,
    )
    .await?;
    let summary = format!(
        "Đính chính biên bản ngày {}",
        format_date(m.held_on.to_jiff())
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "amend",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"amendment": body})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(aid)
}

/// A task of the resolution, for a member or a group.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskInput {
    /// A member of the meeting's cell; either this or `group_name`.
    #[schema(minimum = 1)]
    pub member_id: Option<i64>,
    pub group_name: String,
    #[schema(min_length = 1, pattern = r"\S", required = true)]
    pub title: String,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted).
    #[schema(format = Date)]
    pub deadline: String,
    /// Households the member is in charge of (3–4 in the seeds, domain.md §4.7).
    pub households: String,
}

pub async fn add_task(app: &AppState, caller: &Caller, id: i64, t: &TaskInput) -> Result<i64> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    // A task prints in the resolution: once signed, it is added by amendment.
    if m.signed_at.is_some() {
        return Err(signed_conflict());
    }
    let mut errors = Vec::new();
    let title = text::clean(&t.title);
    if title.is_empty() {
        errors.push(ValidationError::new(
            "title",
            "Nhiệm vụ",
            "không được để trống",
        ));
    }
    let group = text::clean(&t.group_name);
    if t.member_id.is_none() && group.is_empty() {
        errors.push(ValidationError::new(
            "member_id",
            "Người thực hiện",
            "phải giao cho một đảng viên hoặc một nhóm",
        ));
    }
    if let Some(mid) = t.member_id
        && !super::cell_members(app, m.org_id)
            .await?
            .iter()
            .any(|x| x.id.0 == mid)
    {
        errors.push(ValidationError::new(
            "member_id",
            "Người thực hiện",
            "phải là đảng viên của chi bộ",
        ));
    }
    let deadline = match t.deadline.trim() {
        "" => None,
        d => match parse_date(d) {
            Some(d) => Some(d),
            None => {
                errors.push(ValidationError::new(
                    "deadline",
                    "Thời hạn",
                    "không đúng định dạng ngày",
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let households = text::clean(&t.households);
    let mut tx = app.db.begin().await?;
    // Locked, so a signature cannot slip in between the check and the insert.
    if store::meeting::get_for_update(&mut tx, id)
        .await?
        .signed_at
        .is_some()
    {
        return Err(signed_conflict());
    }
    let new = store::meeting::NewTask {
        member: t.member_id.map(MemberId),
        group_name: &group,
        title: &title,
        deadline,
        households: &households,
    };
    let tid = store::meeting::insert_task(&mut tx, id, &new).await?;
    let summary = format!("Giao nhiệm vụ: {title}");
    let after = serde_json::json!({"task_id": tid, "member_id": t.member_id, "group": group, "title": title,
        "deadline": deadline.map(|d| d.to_string()), "households": households});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "task",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(tid)
}

/// The review of a task at a later meeting.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskReview {
    #[schema(value_type = crate::domain::meeting::TaskStatus, required = true)]
    pub status: String,
    pub result: String,
    /// The meeting that reviewed it.
    #[schema(minimum = 1)]
    pub reviewed_in: Option<i64>,
}

pub async fn review_task(app: &AppState, caller: &Caller, task: i64, r: &TaskReview) -> Result<()> {
    let t = match store::meeting::task(&app.db, task).await {
        Err(store::StoreError::NotFound) => return Err(AppError::NotFound),
        x => x?,
    };
    crate::service::authorize_org(app, caller, Action::ManageMeetings, t.org_id).await?;
    let status = TaskStatus::from_code(r.status.trim()).ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "status",
            "Kết quả",
            "phải là open, done hoặc not_done",
        ))
    })?;
    let result = text::clean(&r.result);
    if let Some(mid) = r.reviewed_in {
        let same_cell = match store::meeting::get(&app.db, mid).await {
            Ok(m) => m.org_id == t.org_id,
            Err(store::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !same_cell {
            return Err(AppError::invalid(ValidationError::new(
                "reviewed_in",
                "Buổi sinh hoạt đánh giá",
                "phải là một buổi sinh hoạt của cùng chi bộ",
            )));
        }
    }
    let mut tx = app.db.begin().await?;
    if store::meeting::review_task(&mut tx, task, status.code(), &result, r.reviewed_in).await? == 0
    {
        return Err(AppError::Conflict(
            "kết quả nhiệm vụ đã in trong nghị quyết đã ký; hãy ghi đính chính".into(),
        ));
    }
    let summary = format!("Đánh giá nhiệm vụ \"{}\": {}", t.title, status.label());
    let (b, a) = (
        serde_json::json!({"status": t.status, "result": t.result}),
        serde_json::json!({"status": status.code(), "result": result}),
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "review",
            entity: "meeting",
            entity_id: t.meeting_id,
            org: Some(t.org_id),
            summary: &summary,
            before: Some(b),
            after: Some(a),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that the signed resolution was sent to the upper committee today.
pub async fn report_resolution(app: &AppState, caller: &Caller, id: i64) -> Result<()> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_none() {
        return Err(AppError::Conflict(
            "hãy ký biên bản và nghị quyết trước khi gửi lên cấp trên".into(),
        ));
    }
    let today = app.clock.today();
    let mut tx = app.db.begin().await?;
    store::meeting::mark_resolution_sent(&mut tx, id, today).await?;
    let summary = format!(
        "Gửi nghị quyết ngày {} lên cấp trên",
        format_date(m.held_on.to_jiff())
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "report",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"resolution_sent_on": today.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
