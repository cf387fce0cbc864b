//! Notices of a meeting: in the app and by email with the ICS invitation
//! (domain.md §4.2: members are told time, place and content 1–2 days ahead).

use super::{authorize, kind};
use crate::app::AppState;
use crate::docs::ics::{self, CalEvent};
use crate::domain::authz::Action;
use crate::domain::document::DocKind;
use crate::domain::member::MemberStatus;
use crate::domain::outbox::MailKind;
use crate::domain::time::format_date;
use crate::service::{AppError, Caller, Change, Result, audit};
use crate::store::{self, meeting::MeetingRow, outbox::NewMail};
use serde::Serialize;

/// The calendar event of a meeting (planned length: the rule's minimum, or 90 minutes).
pub fn event(m: &MeetingRow, cell: &str) -> CalEvent {
    let day = m.held_on.to_jiff();
    let time = crate::domain::schedule::parse_time(&m.start_time)
        .unwrap_or(jiff::civil::Time::constant(19, 30, 0, 0));
    let minutes = if kind(m) == crate::domain::meeting::MeetingKind::Combined {
        120
    } else {
        90
    };
    let mut summary = format!("{} – {cell}", kind(m).label());
    if !m.topic.is_empty() {
        summary.push_str(&format!(": {}", m.topic));
    }
    CalEvent {
        uid: format!("meeting-{}@chibo", m.id),
        summary,
        description: format!(
            "{} ngày {} lúc {} tại {}",
            kind(m).label(),
            format_date(day),
            m.start_time,
            m.place
        ),
        location: m.place.clone(),
        start: day.to_datetime(time),
        minutes,
        cancelled: m.status == "cancelled",
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeResult {
    /// The notice's number in the cell's series for the year ("Số 03-TB/CB").
    pub number: i64,
    /// Members notified in the app.
    pub notified: usize,
    /// Upper-level followers of the cell notified too (Hướng dẫn 42-HD/BTCTW).
    pub followers: usize,
    /// Emails queued in the outbox, one per notified person with an address
    /// (0 when mail is not configured); their delivery shows on the meeting
    /// (`mail` of the meeting's detail).
    pub emailed: usize,
}

/// The link to the meeting's page, which marks the notice opened.
pub fn meeting_link(app: &AppState, id: i64) -> String {
    format!("{}/meetings/{id}", app.web.public_url.trim_end_matches('/'))
}

/// Subject and body of the notice mail.
fn notice_text(
    m: &MeetingRow,
    cell: &str,
    title: &str,
    agenda: &[store::meeting::AgendaRow],
    link: &str,
) -> (String, String) {
    let mut body = format!(
        "Kính gửi đồng chí,\n\n{cell} – {}.\n{title}.\n\nNội dung:\n",
        kind(m).label()
    );
    for a in agenda {
        body.push_str(&format!("  {}. {}\n", a.position, a.title));
    }
    body.push_str(&format!(
        "\nĐề nghị đồng chí có mặt đúng giờ.\nXem thông báo và tài liệu: {link}\n"
    ));
    (format!("[{cell}] {title}"), body)
}

/// Subject and body of the reminder the day before (docs/rules.md "Reminder
/// the day before a meeting").
pub fn reminder_text(m: &MeetingRow, cell: &str, name: &str, link: &str) -> (String, String) {
    let day = format_date(m.held_on.to_jiff());
    let what = format!(
        "{} ngày mai, {day}, lúc {} tại {}",
        kind(m).label().to_lowercase(),
        m.start_time,
        m.place
    );
    let body = format!(
        "Kính gửi đồng chí {name},\n\n{cell} nhắc lịch {what}.\n\
         Đồng chí chưa mở thông báo của buổi sinh hoạt; xem nội dung và tài liệu tại: {link}\n\n\
         Đề nghị đồng chí có mặt đúng giờ.\n"
    );
    (format!("[{cell}] Nhắc lịch {what}"), body)
}

/// Notifies every member of the cell who takes part (exempt members are not
/// convened) and the upper-level cadres placed to follow the cell
/// (docs/rules.md "Followers"), and records the day the notice went out.
/// The mails are queued in the same transaction (docs/rules.md "Mail goes
/// through a durable outbox"): an acknowledged notice cannot lose its mail.
pub async fn send_notice(app: &AppState, caller: &Caller, id: i64) -> Result<NoticeResult> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.status == "cancelled" {
        return Err(AppError::Conflict("cuộc họp đã hủy".into()));
    }
    let cell = store::org::get_latest(&app.db, m.org_id).await?;
    let members: Vec<_> = super::cell_members(app, m.org_id)
        .await?
        .into_iter()
        .filter(|x| x.status() != MemberStatus::Exempt)
        .collect();
    let day = format_date(m.held_on.to_jiff());
    let title = format!(
        "Thông báo {} ngày {} lúc {} tại {}",
        kind(&m).label().to_lowercase(),
        day,
        m.start_time,
        m.place
    );
    let agenda = store::meeting::agenda(&app.db, id).await?;
    let followers: Vec<_> = store::follow::of_org(&app.db, m.org_id, app.clock.today())
        .await?
        .into_iter()
        .filter(|f| !members.iter().any(|x| x.id == f.member_id))
        .collect();
    let ids: Vec<_> = members
        .iter()
        .map(|x| x.id)
        .chain(followers.iter().map(|f| f.member_id))
        .collect();
    let mails: Vec<NewMail> = if app.mailer.is_enabled() {
        let invite = ics::invitation(&event(&m, &cell.name));
        let (subject, body) = notice_text(&m, &cell.name, &title, &agenda, &meeting_link(app, id));
        members
            .iter()
            .map(|x| (x.id, &x.email, &x.full_name))
            .chain(
                followers
                    .iter()
                    .map(|f| (f.member_id, &f.email, &f.full_name)),
            )
            .filter(|(_, e, _)| !e.trim().is_empty())
            .map(|(member, email, name)| NewMail {
                meeting_id: id,
                member_id: member,
                kind: MailKind::Notice,
                to_address: email.trim().to_string(),
                to_name: name.clone(),
                subject: subject.clone(),
                body: body.clone(),
                ics: Some(invite.clone()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut tx = app.db.begin().await?;
    store::meeting::notify(&mut tx, &ids, id, &title, app.clock.now()).await?;
    let mut fresh = store::meeting::get_for_update(&mut tx, id).await?;
    if fresh.signed_at.is_none() {
        fresh.notice_sent_on = Some(store::types::day(app.clock.today()));
        store::meeting::update(&mut tx, &fresh).await?;
    }
    // The notice takes its number when first issued, never again
    // (docs/rules.md "Number series of a cell's documents").
    let number =
        store::document::issue(&mut tx, id, m.org_id, DocKind::Notice, app.clock.today()).await?;
    store::outbox::insert_many(&mut tx, &mails, app.clock.now(), false).await?;
    let summary = format!(
        "Gửi thông báo số {number} họp ngày {day} tới {} đảng viên và {} cán bộ theo dõi; {} thư chờ gửi",
        members.len(),
        followers.len(),
        mails.len()
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "notice",
            entity: "meeting",
            entity_id: id,
            org: Some(m.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "notified": members.len(),
                "followers": followers.len(),
                "number": number,
                "mail_queued": mails.len()
            })),
        },
    )
    .await?;
    tx.commit().await?;
    // The worker (if this process runs one) sends them now rather than at its next tick.
    app.outbox.notify_one();
    Ok(NoticeResult {
        number,
        notified: members.len(),
        followers: followers.len(),
        emailed: mails.len(),
    })
}
