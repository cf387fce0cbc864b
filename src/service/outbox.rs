//! The mail worker and the delivery state of a meeting's mail (docs/rules.md
//! "Mail goes through a durable outbox", "Reminder the day before a
//! meeting"). Notices queue their mail in their own transaction
//! (`meeting::send_notice`); the worker started by `chibo serve` claims due
//! messages, sends them through `Mailer`, and schedules retries with
//! `domain::outbox::after_failure`. Tests drive it with `tick`,
//! `drain_once` and `remind_once` under a fixed clock.

use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::outbox::{self as rules, AfterFailure, MailKind, MailState};
use crate::service::{Caller, Change, Result, audit};
use crate::store::{self, outbox::Outcome};
use jiff::Timestamp;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Messages claimed at a time (each sent one after the other; ten SMTP
/// timeouts fit in the lease).
const BATCH: i64 = 10;
/// At most this many messages per `drain_once`, so a long queue does not
/// keep the worker from its other duties (reminders, shutdown).
const MAX_PER_DRAIN: usize = 500;
/// How often the worker looks for due messages and reminders when nobody wakes it.
const TICK: Duration = Duration::from_secs(30);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drained {
    pub sent: usize,
    /// Failed this time, queued again for later.
    pub retried: usize,
    /// Failed for good (attempts spent, bad address, meeting over).
    pub failed: usize,
    /// Claimed but handed back untried (shutdown).
    pub released: usize,
}

/// Sends every due message once (retries that are not yet due wait).
pub async fn drain_once(app: &AppState) -> Result<Drained> {
    drain(app, &|| false).await
}

async fn drain(app: &AppState, stopping: &(dyn Fn() -> bool + Sync)) -> Result<Drained> {
    let mut done = Drained::default();
    // Without a mail server nothing is sent, and nothing is marked sent.
    if !app.mailer.is_enabled() {
        return Ok(done);
    }
    while !stopping() && done.sent + done.retried + done.failed < MAX_PER_DRAIN {
        let batch = store::outbox::claim(&app.db, app.clock.now(), BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for m in batch {
            if stopping() {
                // Handed back at once rather than after the lease.
                let back = Outcome::Release(app.clock.now());
                if store::outbox::finish(&app.db, m.id, m.attempts, back).await? {
                    done.released += 1;
                }
                continue;
            }
            if let Some(reason) = rules::not_to_send(&m.meeting_status) {
                let gone = Outcome::Failed {
                    at: app.clock.now(),
                    error: reason,
                };
                if store::outbox::finish(&app.db, m.id, m.attempts, gone).await? {
                    done.failed += 1;
                }
                continue;
            }
            let sent = app
                .mailer
                .send(
                    &m.to_address,
                    &m.to_name,
                    &m.subject,
                    &m.body,
                    m.ics.as_deref(),
                )
                .await;
            let now = app.clock.now();
            let outcome = match &sent {
                Ok(()) => Outcome::Sent(now),
                Err(e) => {
                    tracing::warn!(message = m.id, meeting = m.meeting_id, attempt = m.attempts,
                        error = %e, "mail not sent");
                    match rules::after_failure(
                        m.attempts,
                        e.permanent,
                        now,
                        app.clock.zoned(now).date(),
                        m.held_on.to_jiff(),
                        rand::random::<f64>(),
                    ) {
                        AfterFailure::RetryAt(next) => Outcome::Retry {
                            next,
                            error: &e.message,
                        },
                        AfterFailure::GiveUp => Outcome::Failed {
                            at: now,
                            error: &e.message,
                        },
                    }
                }
            };
            let counter = match outcome {
                Outcome::Sent(_) => &mut done.sent,
                Outcome::Retry { .. } => &mut done.retried,
                Outcome::Failed { .. } | Outcome::Release(_) => &mut done.failed,
            };
            // false: the lease ran out and another worker took the message
            // over; its attempt decides.
            if store::outbox::finish(&app.db, m.id, m.attempts, outcome).await? {
                *counter += 1;
            }
        }
    }
    Ok(done)
}

/// Queues the day-before reminders that are due (docs/rules.md "Reminder the
/// day before a meeting"): for tomorrow's meetings whose notice went out
/// earlier, to each notified member with an address who has not opened the
/// notice. Idempotent: a member's reminder of a meeting is queued once (a
/// unique index), so every tick may call it. Returns how many were queued.
pub async fn remind_once(app: &AppState) -> Result<u64> {
    if !app.mailer.is_enabled() {
        return Ok(0);
    }
    let now = app.clock.now();
    let local = app.clock.zoned(now);
    let today = local.date();
    let Some(day) = rules::reminder_day(today, local.time()) else {
        return Ok(0);
    };
    let system = Caller::system("outbox");
    let mut queued = 0;
    for mt in store::outbox::reminder_meetings(&app.db, day).await? {
        if !rules::meeting_wants_reminder(&mt.status, mt.notice_sent_on.map(|d| d.to_jiff()), today)
        {
            continue;
        }
        let m = store::meeting::get(&app.db, mt.id).await?;
        let cell = store::org::get_latest(&app.db, m.org_id).await?;
        let invite = crate::docs::ics::invitation(&super::meeting::notice::event(&m, &cell.name));
        let link = super::meeting::notice::meeting_link(app, m.id);
        let mut tx = app.db.begin().await?;
        let mails: Vec<_> = store::outbox::unopened(&mut tx, m.id)
            .await?
            .into_iter()
            .map(|u| {
                let (subject, body) =
                    super::meeting::notice::reminder_text(&m, &cell.name, &u.full_name, &link);
                store::outbox::NewMail {
                    meeting_id: m.id,
                    member_id: u.member_id,
                    kind: MailKind::Reminder,
                    to_address: u.email.trim().to_string(),
                    to_name: u.full_name,
                    subject,
                    body,
                    ics: Some(invite.clone()),
                }
            })
            .collect();
        let n = store::outbox::insert_many(&mut tx, &mails, now, true).await?;
        if n == 0 {
            continue; // another worker was first; the transaction rolls back
        }
        let summary = format!(
            "Xếp {n} thư nhắc lịch họp ngày {} cho đảng viên chưa mở thông báo",
            crate::domain::time::format_date(m.held_on.to_jiff())
        );
        audit(
            app,
            &mut tx,
            &system,
            Change {
                action: "remind",
                entity: "meeting",
                entity_id: m.id,
                org: Some(m.org_id),
                summary: &summary,
                before: None,
                after: Some(serde_json::json!({ "reminders": n })),
            },
        )
        .await?;
        tx.commit().await?;
        queued += n;
    }
    Ok(queued)
}

/// One turn of the worker: reminders first (so they go out in the same turn), then the queue.
pub async fn tick(app: &AppState) -> Result<Drained> {
    remind_once(app).await?;
    drain_once(app).await
}

/// The background worker of a serving process.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Starts the worker unless mail is disabled (then nothing would be sent).
    pub fn spawn(app: AppState) -> Option<Worker> {
        if !app.mailer.is_enabled() {
            return None;
        }
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let watch = stopped.clone();
        let handle = tokio::spawn(async move {
            let stopping = move || *watch.borrow();
            tracing::info!("mail worker started");
            while !stopping() {
                let turn = async {
                    remind_once(&app).await?;
                    drain(&app, &stopping).await
                };
                match turn.await {
                    Ok(d) if d != Drained::default() => tracing::info!(
                        sent = d.sent,
                        retried = d.retried,
                        failed = d.failed,
                        released = d.released,
                        "mail worker turn"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "mail worker turn failed"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(TICK) => {}
                    _ = app.outbox.notified() => {}
                    _ = stopped.changed() => {}
                }
            }
            tracing::info!("mail worker stopped");
        });
        Some(Worker { stop, handle })
    }

    /// Asks the worker to stop after the message it is sending, and waits
    /// for it (at most `grace`; a message still sending then is retried
    /// after its lease by the next process).
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, self.handle).await.is_err() {
            tracing::warn!("mail worker did not stop in time");
        }
    }
}

/// The delivery of a meeting's mail, for whoever manages its notices.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MailDelivery {
    pub sent: i64,
    /// Queued or being sent.
    pub waiting: i64,
    pub failed: i64,
    /// RFC 3339: the earliest next attempt of a waiting message.
    pub next_attempt_at: Option<String>,
    /// People notified in the app, and how many of them opened the notice.
    pub notified: i64,
    pub opened: i64,
    pub messages: Vec<MailMessageOut>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailMessageOut {
    pub id: i64,
    /// notice | reminder
    pub kind: String,
    pub member_id: i64,
    pub to_name: String,
    pub to_address: String,
    /// queued | sending | sent | failed
    pub state: String,
    pub attempts: i64,
    /// RFC 3339: next attempt (queued), end of the lease (sending), given up (failed).
    pub next_attempt_at: String,
    /// The last attempt's error ("" when none).
    pub last_error: String,
    pub sent_at: Option<String>,
    /// The member opened the notice in the app.
    pub opened: bool,
}

impl MailMessageOut {
    pub fn state(&self) -> MailState {
        MailState::from_code(&self.state).unwrap_or(MailState::Queued)
    }
    pub fn kind(&self) -> MailKind {
        MailKind::from_code(&self.kind).unwrap_or(MailKind::Notice)
    }
}

/// The delivery of a meeting's mail from its messages and in-app notices,
/// read for a caller authorized to see it (`ManageMeetings` on the cell, the
/// same need as sending the notice: `service::meeting::view`).
pub(crate) fn delivery(
    rows: Vec<store::outbox::DeliveryRow>,
    notified: i64,
    opened: i64,
) -> MailDelivery {
    let mut d = MailDelivery {
        notified,
        opened,
        ..MailDelivery::default()
    };
    let mut next: Option<Timestamp> = None;
    for r in rows {
        let state = MailState::from_code(&r.state).unwrap_or(MailState::Queued);
        match state {
            MailState::Sent => d.sent += 1,
            MailState::Failed => d.failed += 1,
            MailState::Queued | MailState::Sending => {
                d.waiting += 1;
                let t = r.next_attempt_at.to_jiff();
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        }
        d.messages.push(MailMessageOut {
            id: r.id,
            kind: r.kind,
            member_id: r.member_id.0,
            to_name: r.to_name,
            to_address: r.to_address,
            state: r.state,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at.to_jiff().to_string(),
            last_error: r.last_error,
            sent_at: r.sent_at.map(|t| t.to_jiff().to_string()),
            opened: r.opened,
        });
    }
    d.next_attempt_at = next.map(|t| t.to_string());
    d
}

/// Queues a meeting's failed messages again (a person fixed an address, or
/// the mail server is back): same need as sending the notice, audited.
pub async fn retry_failed(app: &AppState, caller: &Caller, meeting: i64) -> Result<u64> {
    let m = super::meeting::authorize(app, caller, Action::ManageMeetings, meeting).await?;
    let mut tx = app.db.begin().await?;
    let n = store::outbox::requeue_failed(&mut tx, meeting, app.clock.now()).await?;
    if n > 0 {
        let summary = format!("Gửi lại {n} thư chưa gửi được của buổi sinh hoạt");
        audit(
            app,
            &mut tx,
            caller,
            Change {
                action: "mail_retry",
                entity: "meeting",
                entity_id: meeting,
                org: Some(m.org_id),
                summary: &summary,
                before: None,
                after: Some(serde_json::json!({ "requeued": n })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    app.outbox.notify_one();
    Ok(n)
}

/// Lines for /metrics: messages by live state, and how long the oldest
/// queued message has been due (0 when none is). Read from the database,
/// so every process reports the one shared queue.
pub async fn metrics_text(app: &AppState) -> Result<String> {
    let (counts, oldest) = store::outbox::queue_counts(&app.db).await?;
    let mut out = String::from(
        "# HELP mail_outbox_messages Messages in the mail outbox by state (sent ones are not counted).\n\
         # TYPE mail_outbox_messages gauge\n",
    );
    for s in [MailState::Queued, MailState::Sending, MailState::Failed] {
        let n = counts
            .iter()
            .find(|(c, _)| c == s.code())
            .map_or(0, |(_, n)| *n);
        out.push_str(&format!(
            "mail_outbox_messages{{state=\"{}\"}} {n}\n",
            s.code()
        ));
    }
    let now = app.clock.now();
    let overdue = oldest
        .map(|t| (now.as_second() - t.to_jiff().as_second()).max(0))
        .unwrap_or(0);
    out.push_str(
        "# HELP mail_outbox_oldest_due_seconds Seconds since the oldest queued message became due.\n\
         # TYPE mail_outbox_oldest_due_seconds gauge\n",
    );
    out.push_str(&format!("mail_outbox_oldest_due_seconds {overdue}\n"));
    Ok(out)
}
