//! Planning: the registered calendar, meetings of every kind, moves with a
//! reason, agendas and documents.

use super::{MeetingOut, authorize};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::agenda::default_agenda;
use crate::domain::authz::Action;
use crate::domain::day_policy::{DayPolicy, along, cell_rule, in_force};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::MeetingKind;
use crate::domain::schedule::{Recurrence, format_time, parse_time};
use crate::domain::text;
use crate::domain::time::{format_date, parse_date};
use crate::service::{AppError, Caller, Change, Result, audit, authorize_org};
use crate::store::{self, meeting::MeetingRow};
use serde::Deserialize;

fn invalid(field: &'static str, label: &'static str, problem: impl Into<String>) -> AppError {
    AppError::invalid(ValidationError::new(field, label, problem.into()))
}

async fn cell_for_meetings(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
) -> Result<store::org::OrgRow> {
    let cell = authorize_org(app, caller, Action::ManageMeetings, org).await?;
    if !cell.kind().is_cell() || cell.dissolved_on().is_some() {
        return Err(invalid(
            "org_id",
            "Chi bộ",
            "chỉ chi bộ đang hoạt động mới có lịch sinh hoạt",
        ));
    }
    Ok(cell)
}

/// The registered rule of a cell's regular meeting (default: the 3rd, 19:30).
pub async fn schedule(app: &AppState, caller: &Caller, org: OrgId) -> Result<Recurrence> {
    authorize_org(app, caller, Action::ReadOrg, org).await?;
    Ok(match store::meeting::schedule(&app.db, org).await? {
        Some(s) => cell_rule_from(&s),
        None => Recurrence::default_rule(),
    })
}

pub(super) fn cell_rule_from(s: &store::meeting::ScheduleRow) -> Recurrence {
    Recurrence::parse(&s.day_of_month.to_string(), &s.start_time, &s.place)
        .unwrap_or_else(|_| Recurrence::default_rule())
}

/// A cell's own calendar and the meeting-day policies of the committees
/// above it, read once; the rule of a day follows from them (docs/rules.md
/// "A committee sets one meeting day for its cells").
struct CellRules {
    own: Option<Recurrence>,
    above: Vec<Vec<DayPolicy>>,
}

impl CellRules {
    fn on(&self, day: jiff::civil::Date) -> Recurrence {
        cell_rule(
            self.own.as_ref(),
            in_force(&self.above, day),
            &Recurrence::default_rule(),
        )
        .0
    }
}

async fn cell_rules(app: &AppState, org: OrgId) -> Result<CellRules> {
    let own = store::meeting::schedule(&app.db, org)
        .await?
        .map(|s| cell_rule_from(&s));
    // Nearest committee first: the nearest one with a policy in force decides.
    let path: Vec<OrgId> = store::org::ancestors(&app.db, org, app.clock.today())
        .await?
        .iter()
        .rev()
        .map(|o| o.id)
        .collect();
    let all = store::day_policy::of_nodes(&app.db, &path).await?;
    Ok(CellRules {
        own,
        above: along(&path, &all),
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ScheduleInput {
    /// 1 to 31 (the last day of shorter months).
    #[schema(pattern = r"^([1-9]|[12][0-9]|3[01])$", required = true)]
    pub day_of_month: String,
    /// HH:MM
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$", required = true)]
    pub time: String,
    #[schema(min_length = 1, pattern = r"\S", required = true)]
    pub place: String,
}

pub async fn set_schedule(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &ScheduleInput,
) -> Result<Recurrence> {
    cell_for_meetings(app, caller, org).await?;
    let r = Recurrence::parse(&input.day_of_month, &input.time, &input.place)?;
    let mut tx = app.db.begin().await?;
    let row = store::meeting::ScheduleRow {
        day_of_month: i64::from(r.day_of_month),
        start_time: format_time(r.time),
        place: r.place.clone(),
    };
    store::meeting::set_schedule(&mut tx, org, &row).await?;
    let summary = format!(
        "Đăng ký lịch sinh hoạt: ngày {} hằng tháng, {} tại {}",
        r.day_of_month, row.start_time, r.place
    );
    let after = serde_json::json!({"day_of_month": r.day_of_month, "time": row.start_time, "place": r.place});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "schedule",
            entity: "org",
            entity_id: org.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// Lays out the regular meetings of a year from the registered rule; months
/// that already have one are left alone. Returns the ids created.
pub async fn plan_year(app: &AppState, caller: &Caller, org: OrgId, year: i16) -> Result<Vec<i64>> {
    let cell = cell_for_meetings(app, caller, org).await?;
    if !(2000..=2100).contains(&year) {
        return Err(invalid("year", "Năm", "phải từ 2000 đến 2100"));
    }
    let rules = cell_rules(app, org).await?;
    let (from, to) = (
        jiff::civil::date(year, 1, 1),
        jiff::civil::date(year, 12, 31),
    );
    let mut tx = app.db.begin().await?;
    let taken: Vec<i8> = store::meeting::regular_months(&mut tx, org, from, to)
        .await?
        .iter()
        .map(|d| d.to_jiff().month())
        .collect();
    let mut created = Vec::new();
    for month in (1..=12).filter(|m| !taken.contains(m)) {
        // Each month by the rule in force on its first day: a policy starting
        // mid-year lays out only the months from then on its day.
        let rule = rules.on(jiff::civil::date(year, month, 1));
        let Some(day) = rule.day_in(year, month) else {
            continue;
        };
        let time = format_time(rule.time);
        let m = store::meeting::NewMeeting {
            org,
            kind: MeetingKind::Regular.code(),
            held_on: day,
            start_time: &time,
            place: &rule.place,
            topic: "",
            ho_chi_minh: false,
        };
        let id = store::meeting::insert(&mut tx, &m).await?;
        set_regular_agenda(&mut tx, id, &cell).await?;
        created.push(id);
    }
    let summary = format!(
        "Lập lịch sinh hoạt thường kỳ năm {year}: {} cuộc",
        created.len()
    );
    let after = serde_json::json!({"year": year, "meeting_ids": created});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "plan",
            entity: "org",
            entity_id: org.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// A meeting to add: thematic (with topic and presenters), ad hoc, model, self-criticism, or an extra regular one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewMeetingInput {
    #[schema(value_type = crate::domain::meeting::MeetingKind, required = true)]
    pub kind: String,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted).
    #[schema(format = Date, required = true)]
    pub date: String,
    /// HH:MM; the registered time when absent.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time: String,
    /// The registered place when empty
    pub place: String,
    /// Required for thematic and combined meetings.
    pub topic: String,
    /// A thematic meeting on studying and following Ho Chi Minh (Chỉ thị 05-CT/TW).
    pub ho_chi_minh: bool,
    /// Members of the cell assigned a prepared contribution (tham luận).
    pub presenters: Vec<i64>,
}

pub async fn create(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &NewMeetingInput,
) -> Result<i64> {
    let cell = cell_for_meetings(app, caller, org).await?;
    let rules = cell_rules(app, org).await?;
    let mut errors = Vec::new();
    let kind = MeetingKind::from_code(input.kind.trim());
    if kind.is_none() {
        errors.push(ValidationError::new(
            "kind",
            "Loại sinh hoạt",
            "không hợp lệ",
        ));
    }
    let day = parse_date(&input.date);
    let rule = rules.on(day.unwrap_or_else(|| app.clock.today()));
    if day.is_none() {
        errors.push(ValidationError::new(
            "date",
            "Ngày họp",
            "không đúng định dạng ngày",
        ));
    }
    let time = if input.time.trim().is_empty() {
        Some(rule.time)
    } else {
        parse_time(&input.time)
    };
    if time.is_none() {
        errors.push(ValidationError::new(
            "time",
            "Giờ",
            "không đúng định dạng HH:MM",
        ));
    }
    let topic = text::clean(&input.topic);
    if kind.is_some_and(MeetingKind::is_thematic) && topic.is_empty() {
        errors.push(ValidationError::new(
            "topic",
            "Chuyên đề",
            "phải ghi tên chuyên đề",
        ));
    }
    let members = super::cell_members(app, org).await?;
    let presenters: Vec<MemberId> = input.presenters.iter().map(|p| MemberId(*p)).collect();
    if presenters
        .iter()
        .any(|p| !members.iter().any(|m| m.id == *p))
    {
        errors.push(ValidationError::new(
            "presenters",
            "Người tham luận",
            "phải là đảng viên của chi bộ",
        ));
    }
    let (Some(kind), Some(day), Some(time)) = (kind, day, time) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let place = match text::clean(&input.place) {
        p if p.is_empty() => rule.place.clone(),
        p => p,
    };
    let mut tx = app.db.begin().await?;
    let time_text = format_time(time);
    let new = store::meeting::NewMeeting {
        org,
        kind: kind.code(),
        held_on: day,
        start_time: &time_text,
        place: &place,
        topic: &topic,
        ho_chi_minh: input.ho_chi_minh,
    };
    let id = store::meeting::insert(&mut tx, &new).await?;
    let mut items: Vec<(String, Option<MemberId>)> = Vec::new();
    // docs/rules.md "The standard agenda follows the cell's type".
    for step in default_agenda(kind, cell.cell_type()) {
        if step.starts_with("Tham luận") && !presenters.is_empty() {
            for p in &presenters {
                let name = members
                    .iter()
                    .find(|m| m.id == *p)
                    .map(|m| m.full_name.as_str())
                    .unwrap_or("");
                items.push((format!("Tham luận: {name}"), Some(*p)));
            }
        } else if step.starts_with("Trình bày chuyên đề") {
            items.push((format!("Trình bày chuyên đề: {topic}"), None));
        } else {
            items.push((step.to_string(), None));
        }
    }
    store::meeting::set_agenda(&mut tx, id, &items).await?;
    let summary = format!(
        "Lập kế hoạch {} ngày {}",
        kind.label().to_lowercase(),
        format_date(day)
    );
    let after = serde_json::json!({"kind": kind.code(), "date": day.to_string(), "topic": topic, "presenters": input.presenters});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "create",
            entity: "meeting",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A change to an unsigned meeting; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingPatch {
    /// YYYY-MM-DD (dd/mm/yyyy also accepted).
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Required when the date changes: moving a meeting records why.
    pub move_reason: Option<String>,
    /// HH:MM
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time: Option<String>,
    pub place: Option<String>,
    pub topic: Option<String>,
    pub ho_chi_minh: Option<bool>,
    /// planned | held | cancelled
    #[schema(schema_with = crate::web::openapi::meeting_status)]
    pub status: Option<String>,
    /// Actual start and end, HH:MM; empty clears.
    #[schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")]
    pub started_time: Option<String>,
    #[schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")]
    pub ended_time: Option<String>,
    /// Members of the cell.
    #[schema(minimum = 1)]
    pub chair_id: Option<i64>,
    #[schema(minimum = 1)]
    pub recorder_id: Option<i64>,
    pub proceedings: Option<String>,
    pub conclusion: Option<String>,
    /// Votes: none negative, at most the members present together.
    #[schema(minimum = 0)]
    pub vote_for: Option<i64>,
    #[schema(minimum = 0)]
    pub vote_against: Option<i64>,
    #[schema(minimum = 0)]
    pub vote_abstain: Option<i64>,
    pub resolution_title: Option<String>,
    pub resolution_text: Option<String>,
    /// The cell's self-evaluation of the meeting, set before signing:
    /// good | fair | average | weak; empty clears.
    #[schema(pattern = r"^(good|fair|average|weak)?$")]
    pub quality: Option<String>,
}

pub async fn patch(
    app: &AppState,
    caller: &Caller,
    id: i64,
    p: &MeetingPatch,
) -> Result<MeetingRow> {
    patch_on(app, caller, id, p, None).await
}

/// `patch`, refused with `AppError::Stale` unless the meeting is still at
/// version `base` when its row is locked (docs/rules.md "Offline recording
/// and explicit conflicts").
pub(super) async fn patch_on(
    app: &AppState,
    caller: &Caller,
    id: i64,
    p: &MeetingPatch,
    base: Option<i64>,
) -> Result<MeetingRow> {
    let current = authorize(app, caller, Action::ManageMeetings, id).await?;
    if current.signed_at.is_some() {
        return Err(signed_conflict());
    }
    let mut m = current.clone();
    let mut errors = Vec::new();
    let mut moved = None;
    if let Some(d) = &p.date {
        match parse_date(d) {
            Some(day) if day != m.held_on.to_jiff() => {
                let reason = text::clean(p.move_reason.as_deref().unwrap_or(""));
                if reason.is_empty() {
                    errors.push(ValidationError::new(
                        "move_reason",
                        "Lý do dời lịch",
                        "phải ghi rõ khi đổi ngày họp",
                    ));
                }
                moved = Some((m.held_on.to_jiff(), day, reason));
                m.held_on = store::types::day(day);
            }
            Some(_) => {}
            None => errors.push(ValidationError::new(
                "date",
                "Ngày họp",
                "không đúng định dạng ngày",
            )),
        }
    }
    let time = |v: &Option<String>,
                field: &'static str,
                label: &'static str,
                errors: &mut Vec<ValidationError>|
     -> Option<Option<String>> {
        let v = v.as_ref()?;
        if v.trim().is_empty() {
            return Some(None);
        }
        match parse_time(v) {
            Some(t) => Some(Some(format_time(t))),
            None => {
                errors.push(ValidationError::new(
                    field,
                    label,
                    "không đúng định dạng HH:MM",
                ));
                None
            }
        }
    };
    if let Some(Some(t)) = time(&p.time, "time", "Giờ", &mut errors) {
        m.start_time = t;
    }
    if let Some(t) = time(&p.started_time, "started_time", "Giờ bắt đầu", &mut errors) {
        m.started_time = t;
    }
    if let Some(t) = time(&p.ended_time, "ended_time", "Giờ kết thúc", &mut errors) {
        m.ended_time = t;
    }
    if let Some(s) = &p.status {
        if !["planned", "held", "cancelled"].contains(&s.as_str()) {
            errors.push(ValidationError::new(
                "status",
                "Trạng thái",
                "phải là planned, held hoặc cancelled",
            ));
        } else {
            m.status = s.clone();
        }
    }
    let members = super::cell_members(app, m.org_id).await?;
    for (v, field, label, slot) in [
        (p.chair_id, "chair_id", "Chủ trì", &mut m.chair_id),
        (p.recorder_id, "recorder_id", "Thư ký", &mut m.recorder_id),
    ] {
        if let Some(v) = v {
            if members.iter().any(|x| x.id.0 == v) {
                *slot = Some(MemberId(v));
            } else {
                errors.push(ValidationError::new(
                    field,
                    label,
                    "phải là đảng viên của chi bộ",
                ));
            }
        }
    }
    macro_rules! text_field {
        ($($f:ident),*) => { $( if let Some(v) = &p.$f { m.$f = v.trim().to_string(); } )* };
    }
    text_field!(proceedings, conclusion, resolution_title, resolution_text);
    if let Some(v) = &p.place {
        m.place = text::clean(v);
    }
    if let Some(v) = &p.topic {
        m.topic = text::clean(v);
    }
    if let Some(v) = p.ho_chi_minh {
        m.ho_chi_minh = v;
    }
    if let Some(q) = &p.quality {
        match q.trim() {
            "" => m.quality = None,
            code => match crate::domain::document::Quality::from_code(code) {
                Some(q) => m.quality = Some(q.code().to_string()),
                None => errors.push(ValidationError::new(
                    "quality",
                    "Chi bộ tự đánh giá chất lượng buổi sinh hoạt",
                    "phải là Tốt, Khá, Trung bình hoặc Kém",
                )),
            },
        }
    }
    if p.vote_for.is_some() || p.vote_against.is_some() || p.vote_abstain.is_some() {
        m.vote_for = p.vote_for.or(m.vote_for);
        m.vote_against = p.vote_against.or(m.vote_against);
        m.vote_abstain = p.vote_abstain.or(m.vote_abstain);
        let tally = super::tally(&store::meeting::attendance(&app.db, id).await?);
        let vote = crate::domain::meeting::Vote {
            for_: m.vote_for.unwrap_or(0),
            against: m.vote_against.unwrap_or(0),
            abstain: m.vote_abstain.unwrap_or(0),
        };
        if let Err(e) = vote.check(&tally) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let fresh = store::meeting::get_for_update(&mut tx, id).await?;
    if fresh.signed_at.is_some() {
        return Err(signed_conflict());
    }
    if base.is_some_and(|b| b != fresh.version) {
        return Err(AppError::Stale);
    }
    store::meeting::update(&mut tx, &m)
        .await
        .map_err(signed_or)?;
    let mut summary = format!(
        "Cập nhật {} ngày {}",
        kind_label(&m),
        format_date(m.held_on.to_jiff())
    );
    if let Some((from, to, reason)) = &moved {
        store::meeting::record_move(
            &mut tx,
            id,
            *from,
            *to,
            reason,
            app.clock.now(),
            &caller.actor.username,
        )
        .await?;
        summary = format!(
            "Dời {} từ {} sang {}: {reason}",
            kind_label(&m),
            format_date(*from),
            format_date(*to)
        );
    }
    let (b, a) = (
        serde_json::to_value(MeetingOut::from(&current)).ok(),
        serde_json::to_value(MeetingOut::from(&m)).ok(),
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "update",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: b,
            after: a,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(store::meeting::get(&app.db, id).await?)
}

fn kind_label(m: &MeetingRow) -> String {
    super::kind(m).label().to_lowercase()
}

pub fn signed_conflict() -> AppError {
    AppError::Conflict("biên bản đã ký, không sửa được; hãy ghi đính chính".into())
}

fn signed_or(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::Conflict(c) if c == "meeting_signed" => signed_conflict(),
        e => e.into(),
    }
}

/// Replaces the agenda with one item a line (the page's form), keeping the
/// presenter of every line whose title is unchanged.
pub async fn set_agenda_lines(app: &AppState, caller: &Caller, id: i64, lines: &str) -> Result<()> {
    authorize(app, caller, Action::ManageMeetings, id).await?;
    let presenters: std::collections::HashMap<String, i64> = store::meeting::agenda(&app.db, id)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.title.trim().to_string(), a.presenter_id?.0)))
        .collect();
    let items: Vec<(String, Option<i64>)> = lines
        .lines()
        .map(|l| (l.to_string(), presenters.get(l.trim()).copied()))
        .collect();
    set_agenda(app, caller, id, &items).await
}

/// Replaces the agenda (title, presenter) of an unsigned meeting.
pub async fn set_agenda(
    app: &AppState,
    caller: &Caller,
    id: i64,
    items: &[(String, Option<i64>)],
) -> Result<()> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_some() {
        return Err(signed_conflict());
    }
    let members: std::collections::HashSet<i64> = super::cell_members(app, m.org_id)
        .await?
        .iter()
        .map(|x| x.id.0)
        .collect();
    let mut clean = Vec::new();
    for (title, presenter) in items {
        let title = text::clean(title);
        if title.is_empty() {
            continue;
        }
        if presenter.is_some_and(|p| !members.contains(&p)) {
            return Err(invalid(
                "presenter_id",
                "Người trình bày",
                "phải là đảng viên của chi bộ",
            ));
        }
        clean.push((title, presenter.map(MemberId)));
    }
    if clean.is_empty() {
        return Err(invalid(
            "agenda",
            "Chương trình",
            "phải có ít nhất một nội dung",
        ));
    }
    let mut tx = app.db.begin().await?;
    store::meeting::set_agenda(&mut tx, id, &clean).await?;
    let after = serde_json::json!(clean.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
    let summary = format!(
        "Sửa chương trình {} ngày {}",
        kind_label(&m),
        format_date(m.held_on.to_jiff())
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "agenda",
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
    Ok(())
}

/// Largest meeting document accepted (a scanned report of a few dozen pages);
/// the page says so and the upload routes take this plus the multipart framing.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
/// Documents one meeting may hold: the agenda, reports, drafts and their
/// attachments are rarely a dozen; 30 leaves room and stops a script from
/// filling the database one upload at a time.
pub const MAX_DOCUMENTS_PER_MEETING: i64 = 30;
/// Bytes one meeting's documents may take together (ten at the size limit):
/// they are stored in the database, which every cell shares.
pub const MAX_MEETING_DOCUMENT_BYTES: i64 = 100 * 1024 * 1024;

/// An uploaded PDF or DOCX that passed the checks: its cleaned name, type
/// and SHA-256.
pub struct DocumentFile {
    pub name: String,
    pub content_type: &'static str,
    pub sha256: String,
}

/// The checks every uploaded document passes (a meeting's, a visit's
/// briefing): size, type by its first bytes, a DOCX's ZIP bounds. Errors
/// name the field `label`.
pub fn check_document(filename: &str, data: &[u8], label: &'static str) -> Result<DocumentFile> {
    if data.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid(
            "file",
            label,
            format!("lớn quá {} MB", MAX_DOCUMENT_BYTES / 1024 / 1024),
        ));
    }
    let lower = filename.to_lowercase();
    let content_type = if data.starts_with(b"%PDF-") {
        "application/pdf"
    } else if data.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else {
        return Err(invalid("file", label, "chỉ nhận tệp PDF hoặc DOCX"));
    };
    // A DOCX is a ZIP that whoever opens it inflates: bounded like an import.
    if !content_type.ends_with("pdf") {
        crate::docs::zip_guard::check_docx(data).map_err(|e| invalid("file", label, e))?;
    }
    let name: String = text::clean(filename)
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '"' | '\r' | '\n'))
        .take(150)
        .collect();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(DocumentFile {
        name,
        content_type,
        sha256: sha,
    })
}

/// Attaches a PDF or DOCX, stored with its SHA-256; the first document marks
/// the day documents went out (42-HD/BTCTW: at least 1 day ahead).
pub async fn upload_document(
    app: &AppState,
    caller: &Caller,
    id: i64,
    filename: &str,
    data: &[u8],
) -> Result<i64> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    let DocumentFile {
        name,
        content_type,
        sha256: sha,
    } = check_document(filename, data, "Tài liệu")?;
    let mut tx = app.db.begin().await?;
    // Locked first, so two uploads at once cannot both pass the totals below.
    let mut fresh = store::meeting::get_for_update(&mut tx, id).await?;
    let (count, bytes) = store::meeting::document_totals(&mut tx, id).await?;
    if count >= MAX_DOCUMENTS_PER_MEETING {
        return Err(invalid(
            "file",
            "Tài liệu",
            format!("buổi sinh hoạt đã có {count} tài liệu, tối đa {MAX_DOCUMENTS_PER_MEETING}"),
        ));
    }
    if bytes.saturating_add(data.len() as i64) > MAX_MEETING_DOCUMENT_BYTES {
        return Err(invalid(
            "file",
            "Tài liệu",
            format!(
                "tổng dung lượng tài liệu của buổi sinh hoạt sẽ vượt {} MB (đã có {} MB)",
                MAX_MEETING_DOCUMENT_BYTES / 1024 / 1024,
                bytes / 1024 / 1024
            ),
        ));
    }
    let doc = store::meeting::insert_document(
        &mut tx,
        id,
        &name,
        content_type,
        &sha,
        data,
        app.clock.now(),
    )
    .await?;
    if fresh.docs_published_on.is_none() && fresh.signed_at.is_none() {
        fresh.docs_published_on = Some(store::types::day(app.clock.today()));
        store::meeting::update(&mut tx, &fresh)
            .await
            .map_err(signed_or)?;
    }
    let summary = format!("Đính kèm tài liệu {name} ({} KB)", data.len() / 1024);
    let after = serde_json::json!({"document_id": doc, "filename": name, "sha256": sha, "size": data.len()});
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "document",
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
    Ok(doc)
}

/// A planned regular meeting's agenda: the standard one of its cell's type
/// (docs/rules.md "The standard agenda follows the cell's type").
pub(super) async fn set_regular_agenda(
    tx: &mut store::Tx,
    meeting: i64,
    cell: &store::org::OrgRow,
) -> Result<()> {
    let items: Vec<(String, Option<MemberId>)> =
        default_agenda(MeetingKind::Regular, cell.cell_type())
            .into_iter()
            .map(|s| (s.to_string(), None))
            .collect();
    store::meeting::set_agenda(tx, meeting, &items).await?;
    Ok(())
}
