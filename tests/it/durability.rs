//! Durability under SIGKILL (issue 5, point 3): the real `chibo serve` runs as a
//! separate process; while four writers stream `POST /api/v1/members`, the
//! process is killed with SIGKILL at a random moment, restarted on the same
//! database, and every acknowledged (201) write must be there, consistent.
//!
//! SQLite: a file in a temp dir, opened by the app in WAL mode with
//! `synchronous=FULL`. PostgreSQL: a fresh database on the test server. Note
//! that `scripts/pg-start` runs PostgreSQL with `fsync=off`, so this does not
//! test PostgreSQL surviving a power loss; it kills *chibo*, not PostgreSQL,
//! and that is still a valid test that chibo acknowledges a write only after
//! its transaction committed (a committed transaction survives the death of
//! the client process whatever fsync says).

use crate::both_backends;
use crate::support::{self, Backend, PASSWORD};
use chibo::app::AppState;
use chibo::store::Db;
use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: u64 = 10;
const WRITERS: usize = 4;

/// The server process; killed (SIGKILL) and reaped on every exit path.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `chibo serve` on a free port and waits (at most 20 s) for /healthz.
    async fn start(url: &str) -> Server {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let child = Command::new(env!("CARGO_BIN_EXE_chibo"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--database-url", url])
            .env("RUST_LOG", "warn")
            .env_remove("CHIBO_SMTP_URL")
            .env_remove("CHIBO_MAIL_DIR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chibo");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_healthy().await;
        server
    }

    async fn wait_healthy(&mut self) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(1))
            .build()
            .expect("client");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                panic!("chibo serve exited during start-up: {status}");
            }
            if let Ok(r) = http.get(format!("{}/healthz", self.base)).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chibo serve not healthy within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap the process.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A name word made of letters only: a capital then base-26 lowercase letters.
fn word(capital: char, mut n: u64) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("{capital}{s}")
}

#[derive(Default)]
struct Outcome {
    acked: Vec<(i64, String)>,
    failed_in_flight: u64,
    other: Vec<String>,
}

async fn token(http: &reqwest::Client, base: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .expect("login request");
    assert_eq!(r.status(), StatusCode::OK, "login admin");
    let v: Value = r.json().await.expect("json");
    v["token"].as_str().expect("token").to_string()
}

/// One writer: POSTs members until the server has been killed.
async fn writer(
    base: String,
    token: String,
    cell: i64,
    round: u64,
    next: Arc<AtomicU64>,
    killed: Arc<AtomicBool>,
    out: Arc<Mutex<Outcome>>,
) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client");
    loop {
        if killed.load(Ordering::SeqCst) {
            return;
        }
        let n = next.fetch_add(1, Ordering::SeqCst);
        let name = format!("Nguyễn Văn Bền {} {}", word('K', round), word('B', n));
        let card = format!("9{round:02}{n:07}");
        let r = http
            .post(format!("{base}/api/v1/members"))
            .bearer_auth(&token)
            .json(&json!({
                "org_id": cell, "full_name": name, "gender": "Nam",
                "birth_date": "01/01/1980", "admitted_on": "01/06/2010",
                "official_on": "01/06/2011", "card_number": card,
            }))
            .send()
            .await;
        let answer = match r {
            Ok(r) => {
                let status = r.status();
                r.text().await.map(|body| (status, body))
            }
            Err(e) => Err(e),
        };
        match answer {
            Ok((StatusCode::CREATED, body)) => {
                let v: Value = serde_json::from_str(&body).expect("json");
                let id = v["id"].as_i64().expect("id");
                assert_eq!(v["full_name"], name.as_str(), "name as sent");
                out.lock().expect("lock").acked.push((id, name));
            }
            Ok((status, body)) => {
                out.lock()
                    .expect("lock")
                    .other
                    .push(format!("{status}: {body}"));
            }
            // No answer: the request was in flight when the server died (or
            // was sent in the instant between the kill and the flag).
            Err(_) => {
                out.lock().expect("lock").failed_in_flight += 1;
                if killed.load(Ordering::SeqCst) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}

async fn count(db: &Db, sql: &str, arg: Option<i64>) -> i64 {
    chibo::on_db!(db, |p| {
        let q = sqlx::query_scalar::<_, i64>(sql);
        let q = match arg {
            Some(a) => q.bind(a),
            None => q,
        };
        q.fetch_one(p).await.expect(sql)
    })
}

async fn survives_sigkill_during_writes(b: Backend) {
    let started = Instant::now();
    let (url, _dir) = support::fresh_url(b).await;
    // Prepare through the library: migrate, the fixture tree and users.
    let fx = {
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let app = AppState::new(db).with_clock(support::frozen_clock());
        let fx = support::fixture(&app).await;
        app.db.close().await;
        fx
    };
    let cell = fx.cell1.0;
    let mut server = Server::start(&url).await;
    let mut all_acked: Vec<(i64, String)> = Vec::new();
    let db = Db::connect(&url).await.expect("connect");
    let mut members_before = count(&db, "SELECT COUNT(*) FROM member", None).await;
    db.close().await;

    for round in 0..ROUNDS {
        let http = reqwest::Client::new();
        let tok = token(&http, &server.base).await;
        let next = Arc::new(AtomicU64::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let out = Arc::new(Mutex::new(Outcome::default()));
        let tasks: Vec<_> = (0..WRITERS)
            .map(|_| {
                tokio::spawn(writer(
                    server.base.clone(),
                    tok.clone(),
                    cell,
                    round,
                    next.clone(),
                    killed.clone(),
                    out.clone(),
                ))
            })
            .collect();
        let delay = StdRng::seed_from_u64(round).random_range(200..=800u64);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill();
        killed.store(true, Ordering::SeqCst);
        let killed_at = Instant::now();
        for t in tasks {
            t.await.expect("writer");
        }
        let out = std::mem::take(&mut *out.lock().expect("lock"));
        assert!(
            out.other.is_empty(),
            "round {round}: answers other than 201: {:?}",
            out.other
        );
        assert!(
            !out.acked.is_empty(),
            "round {round}: no acknowledged write"
        );

        // Restart on the same database.
        server = Server::start(&url).await;
        let recovery = killed_at.elapsed();

        // Every acknowledged write is readable through the API, unchanged.
        let tok = token(&http, &server.base).await;
        for (id, name) in &out.acked {
            let r = http
                .get(format!("{}/api/v1/members/{id}", server.base))
                .bearer_auth(&tok)
                .send()
                .await
                .expect("request");
            assert_eq!(r.status(), StatusCode::OK, "round {round}: member {id}");
            let v: Value = r.json().await.expect("json");
            assert_eq!(v["full_name"], name.as_str(), "round {round}: member {id}");
        }

        // Consistency, straight from the database.
        let db = Db::connect(&url).await.expect("connect");
        for (id, _) in &out.acked {
            let audits = count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'member' AND action = 'create' AND entity_id = $1",
                Some(*id),
            )
            .await;
            assert_eq!(audits, 1, "round {round}: audit 'create' of member {id}");
        }
        let members = count(&db, "SELECT COUNT(*) FROM member", None).await;
        let new_rows = members - members_before;
        let acked = out.acked.len() as i64;
        // Acknowledged writes are all there; beyond them, at most the writes
        // that were in flight may have committed without an answer.
        assert!(
            new_rows >= acked && new_rows <= acked + out.failed_in_flight as i64,
            "round {round}: {new_rows} new rows, {acked} acknowledged, {} in flight",
            out.failed_in_flight
        );
        println!(
            "{b:?} round {round}: kill after {delay} ms, {} acknowledged, {} failed in flight, recovered in {} ms, {} unanswered writes committed",
            out.acked.len(),
            out.failed_in_flight,
            recovery.as_millis(),
            new_rows - acked
        );
        members_before = members;
        let no_home = count(
            &db,
            "SELECT COUNT(*) FROM member m WHERE (SELECT COUNT(*) FROM member_placement p \
             WHERE p.member_id = m.id AND p.kind = 'home' AND p.valid_to IS NULL) <> 1",
            None,
        )
        .await;
        assert_eq!(
            no_home, 0,
            "round {round}: members without exactly one open home placement"
        );
        let no_status = count(
            &db,
            "SELECT COUNT(*) FROM member m WHERE (SELECT COUNT(*) FROM member_status s \
             WHERE s.member_id = m.id AND s.valid_to IS NULL) <> 1",
            None,
        )
        .await;
        assert_eq!(
            no_status, 0,
            "round {round}: members without exactly one open status"
        );
        let no_audit = count(
            &db,
            "SELECT COUNT(*) FROM member m WHERE NOT EXISTS (SELECT 1 FROM audit_log a \
             WHERE a.entity = 'member' AND a.action = 'create' AND a.entity_id = m.id)",
            None,
        )
        .await;
        assert_eq!(
            no_audit, 0,
            "round {round}: members without a 'create' audit row"
        );
        let orphan_audit = count(
            &db,
            "SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'member' AND a.action = 'create' \
             AND NOT EXISTS (SELECT 1 FROM member m WHERE m.id = a.entity_id)",
            None,
        )
        .await;
        assert_eq!(
            orphan_audit, 0,
            "round {round}: 'create' audit rows without a member"
        );
        let in_cell = count(
            &db,
            "SELECT COUNT(*) FROM member_placement WHERE org_id = $1 AND kind = 'home' AND valid_to IS NULL",
            Some(cell),
        )
        .await;
        db.close().await;
        // The statistics the server computes agree with the rows.
        let stats: Value = http
            .get(format!("{}/api/v1/orgs/{cell}/stats", server.base))
            .bearer_auth(&tok)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        assert_eq!(
            stats["members"], in_cell,
            "round {round}: stats of the cell"
        );
        all_acked.extend(out.acked);
    }

    // Every write acknowledged in any round is still there at the end.
    let db = Db::connect(&url).await.expect("connect");
    for (id, _) in &all_acked {
        let n = count(&db, "SELECT COUNT(*) FROM member WHERE id = $1", Some(*id)).await;
        assert_eq!(n, 1, "member {id} acknowledged earlier");
    }
    db.close().await;
    drop(server);
    println!(
        "{b:?}: {} rounds, {} acknowledged writes verified in {:.1} s",
        ROUNDS,
        all_acked.len(),
        started.elapsed().as_secs_f64()
    );
}

both_backends!(survives_sigkill_during_writes);
