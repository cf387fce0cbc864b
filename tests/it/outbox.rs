//! The mail outbox (issue 13, point 4; docs/rules.md "Mail goes through a
//! durable outbox", "Reminder the day before a meeting"): notices survive a
//! mail-server outage and a restart, their delivery shows on the meeting,
//! reminders go once to those who did not open the notice, and /metrics
//! shows the queue. Only 127.0.0.1 traffic: the mail server is a small SMTP
//! responder of the test's own.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, fixture, fresh_url, frozen_clock, get_text, login};
use chibo::app::{AppState, Clock};
use chibo::mail::Mailer;
use chibo::service::outbox::{Drained, drain_once, remind_once};
use chibo::service::{self, Caller};
use chibo::store::{self, Db};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The frozen "now" of the tests, moved by `secs`.
fn at(secs: i64) -> Clock {
    let Clock::Fixed(t) = frozen_clock() else {
        panic!("fixed clock")
    };
    Clock::Fixed(t.checked_add(SignedDuration::from_secs(secs)).unwrap())
}

fn now() -> Timestamp {
    frozen_clock().now()
}

/// A port on 127.0.0.1 nobody listens on (the mail server is down).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn smtp(port: u16) -> Mailer {
    Mailer::from_config(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "chibo <chibo@localhost>",
        None,
    )
    .unwrap()
}

/// A minimal SMTP server on 127.0.0.1:`port`: accepts every message and
/// keeps its recipients.
async fn smtp_server(port: u16) -> Arc<Mutex<Vec<String>>> {
    let got = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("mail server port");
    let seen = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 localhost ESMTP\r\n").await.ok()?;
                let mut data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if data {
                        if line == "." {
                            data = false;
                            b"250 OK queued\r\n"
                        } else {
                            continue;
                        }
                    } else {
                        let cmd = line.to_ascii_uppercase();
                        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                            b"250 localhost\r\n"
                        } else if cmd.starts_with("RCPT TO:") {
                            seen.lock().unwrap().push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        } else if cmd.starts_with("DATA") {
                            data = true;
                            b"354 go ahead\r\n"
                        } else if cmd.starts_with("QUIT") {
                            w.write_all(b"221 bye\r\n").await.ok()?;
                            return Some(());
                        } else {
                            b"250 OK\r\n"
                        }
                    };
                    w.write_all(reply).await.ok()?;
                }
                Some(())
            });
        }
    });
    got
}

/// A meeting of Chi bộ 1 on `date`, An (the secretary) and Hà with addresses.
async fn meeting_with_addresses(t: &TestApp, date: &str) -> (String, i64) {
    let sec = t.token("secretary").await;
    for (m, email) in [(t.fx.an, "an@example.vn"), (t.fx.ha, "ha@example.vn")] {
        let r = t
            .patch_json(
                &sec,
                &format!("/api/v1/members/{m}"),
                &json!({"email": email}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let id = t.new_meeting(&sec, t.fx.cell1, date).await;
    (sec, id)
}

async fn send_notice(t: &TestApp, sec: &str, id: i64) -> Value {
    let r = t
        .post_json(
            Some(sec),
            &format!("/api/v1/meetings/{id}/notice"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Whether a captured mail's text holds `needle`, whichever transfer
/// encoding lettre chose (base64, or quoted-printable with soft breaks).
fn mail_contains(eml: &str, needle: &str) -> bool {
    if crate::support::eml_contains(eml, needle) {
        return true;
    }
    let s = eml.replace("=\r\n", "").replace("=\n", "");
    let (b, mut out, mut i) = (s.as_bytes(), Vec::new(), 0);
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'=', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).contains(needle)
}

/// The outbox's rows of a meeting, straight from the store.
async fn rows(db: &Db, id: i64) -> Vec<store::outbox::DeliveryRow> {
    store::outbox::of_meeting(db, id).await.unwrap()
}

fn delay(r: &store::outbox::DeliveryRow, from: Timestamp) -> i64 {
    r.next_attempt_at.to_jiff().as_second() - from.as_second()
}

/// (a) The mail server is down: the messages stay queued, their attempts
/// and waits growing; it comes back: they are sent, once.
async fn outage_then_recovery(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    let n = send_notice(&t, &sec, id).await;
    assert_eq!(
        (n["notified"].as_i64(), n["emailed"].as_i64()),
        (Some(4), Some(2))
    );
    // Queued in the notice's transaction, nothing sent yet.
    let queued = rows(&t.app.db, id).await;
    assert_eq!(queued.len(), 2);
    assert!(
        queued
            .iter()
            .all(|r| r.state == "queued" && r.attempts == 0)
    );

    let port = closed_port();
    let down = |secs| t.app.clone().with_mailer(smtp(port)).with_clock(at(secs));
    let d = drain_once(&down(0)).await.unwrap();
    assert_eq!(
        d,
        Drained {
            retried: 2,
            ..Drained::default()
        }
    );
    let first = rows(&t.app.db, id).await;
    for r in &first {
        assert_eq!((r.state.as_str(), r.attempts), ("queued", 1));
        assert!(r.last_error.starts_with("SMTP"), "{}", r.last_error);
        assert!((48..=60).contains(&delay(r, now())), "{}", delay(r, now()));
    }
    // Not due yet: nothing happens.
    assert_eq!(drain_once(&down(30)).await.unwrap(), Drained::default());
    // Due: tried again, and the wait doubles.
    let d = drain_once(&down(61)).await.unwrap();
    assert_eq!(d.retried, 2);
    let second = rows(&t.app.db, id).await;
    let then = at(61).now();
    for r in &second {
        assert_eq!(r.attempts, 2);
        assert!((96..=120).contains(&delay(r, then)), "{}", delay(r, then));
    }

    // The meeting shows it to the secretary: 2 waiting, with the next try.
    let v = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    let mail = &v["mail"];
    assert_eq!(
        (
            mail["sent"].as_i64(),
            mail["waiting"].as_i64(),
            mail["failed"].as_i64()
        ),
        (Some(0), Some(2), Some(0))
    );
    assert!(mail["next_attempt_at"].is_string(), "{mail}");
    assert_eq!(mail["messages"][0]["attempts"], 2);
    assert!(
        mail["messages"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("SMTP")
    );
    // A member who may not send the notice does not see the delivery.
    let member = t.token("member").await;
    let v = t.get_json(&member, &format!("/api/v1/meetings/{id}")).await;
    assert!(v["mail"].is_null());

    // The server is back on the same port.
    let got = smtp_server(port).await;
    let up = t.app.clone().with_mailer(smtp(port)).with_clock(at(600));
    let d = drain_once(&up).await.unwrap();
    assert_eq!(
        d,
        Drained {
            sent: 2,
            ..Drained::default()
        }
    );
    let mut to = got.lock().unwrap().clone();
    to.sort();
    assert_eq!(to, ["<an@example.vn>", "<ha@example.vn>"]);
    let done = rows(&t.app.db, id).await;
    assert!(
        done.iter()
            .all(|r| r.state == "sent" && r.sent_at.is_some())
    );
    // Sent is final: nothing goes twice.
    assert_eq!(
        drain_once(&up.clone().with_clock(at(7200))).await.unwrap(),
        Drained::default()
    );
    assert_eq!(got.lock().unwrap().len(), 2);
}

/// Attempts run out (or the address is bad): `failed`, shown with its
/// reason; the secretary's "send again" queues it afresh.
async fn give_up_and_resend(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    let sec_member = t.fx.an;
    // Hà's address cannot be parsed: never retried.
    if let Db::Sqlite(p) = &t.app.db {
        sqlx::query("UPDATE member SET email = 'ha at example' WHERE id = $1")
            .bind(t.fx.ha)
            .execute(p)
            .await
            .unwrap();
    } else if let Db::Postgres(p) = &t.app.db {
        sqlx::query("UPDATE member SET email = 'ha at example' WHERE id = $1")
            .bind(t.fx.ha)
            .execute(p)
            .await
            .unwrap();
    }
    send_notice(&t, &sec, id).await;
    let port = closed_port();
    let mut secs = 0;
    for _ in 0..chibo::domain::outbox::MAX_ATTEMPTS {
        drain_once(&t.app.clone().with_mailer(smtp(port)).with_clock(at(secs)))
            .await
            .unwrap();
        secs += 3600;
    }
    let r = rows(&t.app.db, id).await;
    let an = r.iter().find(|r| r.member_id == sec_member).unwrap();
    let ha = r.iter().find(|r| r.member_id == t.fx.ha).unwrap();
    assert_eq!(
        (an.state.as_str(), an.attempts),
        ("failed", chibo::domain::outbox::MAX_ATTEMPTS)
    );
    assert_eq!((ha.state.as_str(), ha.attempts), ("failed", 1));
    assert!(
        ha.last_error.contains("invalid recipient address"),
        "{}",
        ha.last_error
    );

    let v = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(v["mail"]["failed"], 2);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/mail/retry"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["requeued"], 2);
    // The file mailer of the test app delivers An's; Hà's address is still bad.
    let d = drain_once(&t.app).await.unwrap();
    assert_eq!((d.sent, d.failed), (1, 1));
    // A meeting cancelled after its notice was queued: its mail is not sent.
    let (_, gone) = meeting_with_addresses(&t, "2026-11-27").await;
    send_notice(&t, &sec, gone).await;
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{gone}"),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let d = drain_once(&t.app).await.unwrap();
    assert_eq!((d.sent, d.failed), (0, 2));
    let r = rows(&t.app.db, gone).await;
    assert!(
        r.iter()
            .all(|r| r.state == "failed" && r.last_error.contains("hủy"))
    );
    // Outsiders cannot ask for it.
    let other = t.token("outsider").await;
    let r = t
        .post_json(
            Some(&other),
            &format!("/api/v1/meetings/{id}/mail/retry"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// (b) A restart: a message queued and one claimed by a worker that died
/// are both sent by a new process on the same database.
async fn restart_keeps_the_queue(b: Backend) {
    let (url, dir) = fresh_url(b).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let t = TestApp::serve(app, fx, dir).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    send_notice(&t, &sec, id).await;
    // The old process's worker claimed one message, then died.
    let claimed = store::outbox::claim(&t.app.db, now(), 1).await.unwrap();
    assert_eq!(claimed.len(), 1);
    t.app.db.close().await;

    let mail = tempfile::tempdir().unwrap();
    let fresh = AppState::new(Db::connect(&url).await.unwrap())
        .with_clock(frozen_clock())
        .with_mailer(
            Mailer::from_config(None, "chibo <chibo@localhost>", Some(mail.path())).unwrap(),
        );
    let files = || std::fs::read_dir(mail.path()).unwrap().count();
    assert_eq!(drain_once(&fresh).await.unwrap().sent, 1, "the queued one");
    assert_eq!(files(), 1);
    // The claimed one waits for its lease …
    assert_eq!(
        drain_once(&fresh.clone().with_clock(at(600)))
            .await
            .unwrap()
            .sent,
        0
    );
    // … then goes, as its second attempt.
    let later = fresh
        .clone()
        .with_clock(at(chibo::domain::outbox::LEASE_SECS + 1));
    assert_eq!(drain_once(&later).await.unwrap().sent, 1);
    assert_eq!(files(), 2);
    let r = rows(&fresh.db, id).await;
    assert!(r.iter().all(|r| r.state == "sent"));
    assert_eq!(r.iter().map(|r| r.attempts).max(), Some(2));
    fresh.db.close().await;
}

/// `chibo serve` runs the worker: what an earlier process queued is sent by
/// the real binary, which then stops cleanly on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_binary_sends_the_queue_and_stops_cleanly() {
    let (url, dir) = fresh_url(Backend::Sqlite).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let app = AppState::new(db).with_clock(frozen_clock());
    let fx = fixture(&app).await;
    let t = TestApp::serve(app, fx, dir).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    send_notice(&t, &sec, id).await;
    t.app.db.close().await;

    let mail = tempfile::tempdir().unwrap();
    let port = closed_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chibo"))
        .arg("serve")
        .env("CHIBO_DATABASE_URL", &url)
        .env("CHIBO_ADDR", format!("127.0.0.1:{port}"))
        .env("CHIBO_MAIL_DIR", mail.path())
        .env_remove("CHIBO_SMTP_URL")
        .env_remove("CHIBO_CONFIG")
        .env("RUST_LOG", "chibo=info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chibo serve");
    let files = || std::fs::read_dir(mail.path()).map_or(0, |d| d.count());
    let started = std::time::Instant::now();
    while files() < 2 {
        assert!(started.elapsed().as_secs() < 30, "the queue was not sent");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(started.elapsed().as_secs() < 60, "did not stop");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit}");
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    assert!(logs.contains("mail worker started"), "{logs}");
    assert!(logs.contains("mail worker stopped"), "{logs}");
    let db = Db::connect(&url).await.unwrap();
    let r = rows(&db, id).await;
    assert!(
        r.iter().all(|r| r.state == "sent" && r.attempts == 1),
        "{r:?}"
    );
    assert_eq!(files(), 2, "each message once");
    db.close().await;
}

/// A figure, not a limit: how fast one worker empties a queue of 1,000
/// messages into the capture directory (printed; run with --nocapture).
async fn drain_rate(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    send_notice(&t, &sec, id).await;
    let mails: Vec<_> = (0..998)
        .map(|i| store::outbox::NewMail {
            meeting_id: id,
            member_id: t.fx.an,
            kind: chibo::domain::outbox::MailKind::Notice,
            to_address: format!("dv{i}@example.vn"),
            to_name: "Nguyễn Văn An".into(),
            subject: "Thông báo".into(),
            body: "Kính gửi đồng chí".into(),
            ics: None,
        })
        .collect();
    let mut tx = t.app.db.begin().await.unwrap();
    store::outbox::insert_many(&mut tx, &mails, now(), false)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let started = std::time::Instant::now();
    let mut sent = 0;
    loop {
        let d = drain_once(&t.app).await.unwrap();
        if d.sent == 0 {
            break;
        }
        sent += d.sent;
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(sent, 1000);
    println!(
        "outbox drain ({b:?}): {sent} messages in {secs:.2} s = {:.0} messages/s",
        sent as f64 / secs
    );
}

/// Two workers claiming at once never take the same message.
async fn concurrent_claims_split_the_queue(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, _) = meeting_with_addresses(&t, "2026-11-26").await;
    for date in ["2026-11-27", "2026-11-28", "2026-11-29"] {
        let id = t.new_meeting(&sec, t.fx.cell1, date).await;
        send_notice(&t, &sec, id).await;
    }
    let (a, b2, c) = tokio::join!(
        store::outbox::claim(&t.app.db, now(), 2),
        store::outbox::claim(&t.app.db, now(), 2),
        store::outbox::claim(&t.app.db, now(), 2),
    );
    let mut ids: Vec<i64> = [a.unwrap(), b2.unwrap(), c.unwrap()]
        .into_iter()
        .flat_map(|v| {
            assert!(v.len() <= 2);
            v.into_iter().map(|m| m.id)
        })
        .collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!((n, ids.len()), (6, 6), "six messages, each claimed once");
    // A worker stopping hands a claimed message back untried (as on SIGTERM):
    // queued again at once, its attempt not counted; a stale claim cannot.
    let back = store::outbox::Outcome::Release(now());
    assert!(
        store::outbox::finish(&t.app.db, ids[0], 1, back)
            .await
            .unwrap()
    );
    let stale = store::outbox::Outcome::Sent(now());
    assert!(
        !store::outbox::finish(&t.app.db, ids[0], 1, stale)
            .await
            .unwrap()
    );
    let again = store::outbox::claim(&t.app.db, now(), 10).await.unwrap();
    assert_eq!(
        again.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        [(ids[0], 1)]
    );
}

/// (c) The meeting page shows the delivery to the secretary, not to a member.
async fn meeting_page_shows_delivery(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    send_notice(&t, &sec, id).await;
    let port = closed_port();
    drain_once(&t.app.clone().with_mailer(smtp(port)))
        .await
        .unwrap();
    // One goes through afterwards (the test's file mailer, once due).
    let sent = store::outbox::claim(&t.app.db, at(120).now(), 1)
        .await
        .unwrap();
    let first = &sent[0];
    store::outbox::finish(
        &t.app.db,
        first.id,
        first.attempts,
        store::outbox::Outcome::Sent(at(121).now()),
    )
    .await
    .unwrap();

    let c = client();
    login(&t, &c, "secretary").await;
    let page = get_text(&c, format!("{}/meetings/{id}", t.base)).await;
    assert!(page.contains("Thư thông báo"), "{page}");
    assert!(page.contains("Đã gửi <strong>1</strong>"), "{page}");
    assert!(page.contains("đang chờ <strong>1</strong>"), "{page}");
    assert!(page.contains("Đang chờ gửi") && page.contains("Đã gửi"));
    assert!(page.contains("SMTP"), "the reason is shown");
    // 10:00 on 23/11/2026 in Hà Nội + about a minute: the next try's time.
    assert!(page.contains("lần gửi tới: 10:0"), "{page}");
    let c = client();
    login(&t, &c, "member").await;
    // Hà's home lists the notice, unopened, with the way to the meeting …
    let home = get_text(&c, format!("{}/", t.base)).await;
    assert!(home.contains(&format!("href=\"/meetings/{id}\"")), "{home}");
    assert!(home.contains("chưa xem"), "{home}");
    let page = get_text(&c, format!("{}/meetings/{id}", t.base)).await;
    assert!(!page.contains("Thư thông báo"));
    // … and once opened, no longer marks it.
    let home = get_text(&c, format!("{}/", t.base)).await;
    assert!(!home.contains("chưa xem"), "{home}");
}

/// (d) The day before, the member who did not open the notice is reminded;
/// the one who did is not; never twice; not for a cancelled meeting.
async fn reminder_once_to_who_did_not_open(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (_, id) = meeting_with_addresses(&t, "2026-11-24").await;
    let other = t
        .new_meeting(&t.token("secretary").await, t.fx.cell1, "2026-11-24")
        .await;
    // The notices went out two days before (the clock of that day).
    let earlier = t.app.clone().with_clock(at(-86_400));
    let cli = Caller::system("test");
    for m in [id, other] {
        service::meeting::send_notice(&earlier, &cli, m)
            .await
            .unwrap();
    }
    drain_once(&earlier).await.unwrap();
    let notice_files = std::fs::read_dir(t.mail.path()).unwrap().count();
    assert_eq!(notice_files, 4);
    // The other meeting is cancelled.
    if let Db::Sqlite(p) = &t.app.db {
        sqlx::query("UPDATE meeting SET status = 'cancelled' WHERE id = $1")
            .bind(other)
            .execute(p)
            .await
            .unwrap();
    } else if let Db::Postgres(p) = &t.app.db {
        sqlx::query("UPDATE meeting SET status = 'cancelled' WHERE id = $1")
            .bind(other)
            .execute(p)
            .await
            .unwrap();
    }
    // Before 7:00 in Hà Nội nothing is due (06:30 on 23/11).
    assert_eq!(
        remind_once(&t.app.clone().with_clock(at(-12_600)))
            .await
            .unwrap(),
        0
    );
    // Hà opens the meeting (its page, through the API here).
    let member = t.token("member").await;
    t.get_json(&member, &format!("/api/v1/meetings/{id}")).await;

    assert_eq!(remind_once(&t.app).await.unwrap(), 1);
    assert_eq!(remind_once(&t.app).await.unwrap(), 0, "never twice");
    assert_eq!(
        remind_once(&t.app.clone().with_clock(at(3600)))
            .await
            .unwrap(),
        0
    );
    let r = rows(&t.app.db, id).await;
    let reminders: Vec<_> = r.iter().filter(|r| r.kind == "reminder").collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].member_id, t.fx.an);
    assert!(
        rows(&t.app.db, other)
            .await
            .iter()
            .all(|r| r.kind == "notice")
    );
    assert_eq!(drain_once(&t.app).await.unwrap().sent, 1);
    let files: Vec<String> = std::fs::read_dir(t.mail.path())
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(files.len(), 5);
    let reminder: Vec<_> = files
        .iter()
        .filter(|f| mail_contains(f, "nhắc lịch"))
        .collect();
    assert_eq!(reminder.len(), 1);
    assert!(reminder[0].contains("an@example.vn"));
    assert!(mail_contains(reminder[0], &format!("/meetings/{id}")));
    // The cell's audit log says who queued them.
    let v = t
        .get_json(
            &t.token("staff").await,
            &format!("/api/v1/orgs/{}/audit", t.fx.cell1),
        )
        .await;
    assert!(v.to_string().contains("nhắc lịch"), "{v}");
}

/// (e) /metrics shows the queue by state.
async fn metrics_show_the_queue(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (sec, id) = meeting_with_addresses(&t, "2026-11-26").await;
    send_notice(&t, &sec, id).await;
    let text = get_text(&t.http, format!("{}/metrics", t.base)).await;
    assert!(
        text.contains("mail_outbox_messages{state=\"queued\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("mail_outbox_messages{state=\"failed\"} 0"),
        "{text}"
    );
    assert!(text.contains("mail_outbox_oldest_due_seconds 0"), "{text}");
    drain_once(&t.app).await.unwrap();
    let text = get_text(&t.http, format!("{}/metrics", t.base)).await;
    assert!(
        text.contains("mail_outbox_messages{state=\"queued\"} 0"),
        "{text}"
    );
}

both_backends!(
    outage_then_recovery,
    give_up_and_resend,
    restart_keeps_the_queue,
    concurrent_claims_split_the_queue,
    drain_rate,
    meeting_page_shows_delivery,
    reminder_once_to_who_did_not_open,
    metrics_show_the_queue,
);
