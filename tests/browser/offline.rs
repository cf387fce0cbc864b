//! Offline on a phone (issue 13, point 1): a secretary reads the home page,
//! the next meeting, its document and the cell's roll with the network off (and after a
//! reload), records the roll call and the minutes offline, sees them sent
//! when the network returns; then a conflict: a change queued offline while
//! someone else changed the same meeting is shown beside the server's, and
//! the secretary's choice is what the server keeps. A change waiting when
//! the session ends is kept and sent after signing in again. Signing out
//! leaves no page on the phone.
//!
//! "Off" is real: the browser reaches the server through a TCP proxy in this
//! test that refuses every connection while off (the service worker's own
//! fetches included), and chromedriver's DevTools network emulation tells
//! the page it is offline.

use super::{browser, login, screenshot, serve_demo_app, text_of, wait};
use axum::http::Method;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A proxy to `upstream` that can be switched off: connections are closed
/// at once, and those open are cut.
async fn proxy(upstream: String) -> (String, watch::Sender<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("addr");
    let (on, rx) = watch::channel(true);
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                continue;
            };
            let mut rx = rx.clone();
            let upstream = upstream.clone();
            tokio::spawn(async move {
                if !*rx.borrow() {
                    return;
                }
                let Ok(mut out) = TcpStream::connect(&upstream).await else {
                    return;
                };
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut inbound, &mut out) => {}
                    _ = rx.wait_for(|on| !on) => {}
                }
            });
        }
    });
    (format!("http://{addr}"), on)
}

/// chromedriver's DevTools network emulation for the page.
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/chromium/network_conditions",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        let body = json!({"network_conditions": {"offline": self.offline, "latency": 0,
            "download_throughput": -1, "upload_throughput": -1}});
        (Method::POST, Some(body.to_string()))
    }
}

/// A DevTools command through chromedriver.
#[derive(Debug)]
struct Cdp(&'static str);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": {}});
        (Method::POST, Some(body.to_string()))
    }
}

async fn network(c: &Client, on: &watch::Sender<bool>, online: bool) {
    on.send_replace(online);
    c.issue_cmd(NetworkConditions { offline: !online })
        .await
        .expect("network conditions");
}

/// Waits until `js` (an expression) is true in the page.
async fn until(c: &Client, js: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if let Ok(v) = c.execute(&format!("return !!({js});"), vec![]).await
            && v == json!(true)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("gave up waiting for {js}");
}

async fn banner(c: &Client) -> String {
    text_of(c, ".offline-banner", |t| t.contains("đang ngoại tuyến")).await
}

const PDF: &str = "%PDF-1.4\n% Tài liệu sinh hoạt chi bộ\n%%EOF\n";

/// The document's text as the page fetches it (through the service worker).
async fn read_document(
    c: &Client,
    href: &str,
) -> Result<serde_json::Value, fantoccini::error::CmdError> {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(arguments[0]).then(r => r.ok ? r.text() : 'HTTP ' + r.status).then(done, e => done('failed: ' + e));",
        vec![json!(href)],
    )
    .await
}

async fn proceedings(app: &chibo::app::AppState, id: i64) -> String {
    chibo::store::meeting::get(&app.db, id)
        .await
        .expect("meeting")
        .proceedings
}

const OFFLINE_MINUTES: &str = "Ghi lúc mất mạng: chi bộ thảo luận kế hoạch thu hoạch.";
const THEIRS: &str = "Bản phó bí thư sửa trên máy tính.";
const MINE: &str = "Bản bí thư ghi trên điện thoại khi ngoại tuyến.";
const LATE: &str = "Bản ghi khi phiên đăng nhập đã hết.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_reads_and_records_offline_and_settles_a_conflict() {
    let (server, _dir, app) = serve_demo_app().await;
    let (base, on) = proxy(server.trim_start_matches("http://").to_string()).await;
    let c = browser().await;
    let result = journey(&c, &base, &server, &on, &app).await;
    c.close().await.expect("close browser");
    result.expect("journey");
}

async fn journey(
    c: &Client,
    base: &str,
    server: &str,
    on: &watch::Sender<bool>,
    app: &chibo::app::AppState,
) -> Result<(), fantoccini::error::CmdError> {
    login(c, base, "bithu.banhon").await?;
    // The service worker controls the pages from now on.
    until(
        c,
        "navigator.serviceWorker && navigator.serviceWorker.controller",
    )
    .await;
    let manifest = c
        .find(Locator::Css("link[rel=manifest]"))
        .await?
        .attr("href")
        .await?;
    assert_eq!(manifest.as_deref(), Some("/manifest.webmanifest"));
    // Chromium finds the app installable (manifest, icons, service worker).
    let installable = c.issue_cmd(Cdp("Page.getInstallabilityErrors")).await?;
    assert_eq!(
        installable["installabilityErrors"],
        json!([]),
        "{installable}"
    );
    let parsed = c.issue_cmd(Cdp("Page.getAppManifest")).await?;
    assert_eq!(parsed["errors"], json!([]), "{parsed}");

    // Visit home, the next meeting, the cell's roll while online.
    c.goto(&format!("{base}/")).await?;
    let href = wait(c)
        .for_element(Locator::Css("main ul li a[href^='/meetings/']"))
        .await?
        .attr("href")
        .await?
        .expect("meeting link");
    let id: i64 = href.trim_start_matches("/meetings/").parse().expect("id");
    c.goto(&format!("{base}{href}")).await?;
    let title = text_of(c, "h1", |t| t.contains(" ngày ")).await;
    // The meeting's document, attached and opened once.
    let pdf = std::env::temp_dir().join(format!("tai-lieu-{id}.pdf"));
    std::fs::write(&pdf, PDF).expect("pdf");
    c.find(Locator::Css("#file"))
        .await?
        .send_keys(&pdf.display().to_string())
        .await?;
    c.find(Locator::Css(
        "form[action$='/documents'] button[type=submit]",
    ))
    .await?
    .click()
    .await?;
    text_of(c, ".flash", |t| t.starts_with("Đã đính kèm")).await;
    let doc = c
        .find(Locator::Css("main ul li a[href^='/documents/']"))
        .await?
        .attr("href")
        .await?
        .expect("document link");
    assert_eq!(read_document(c, &doc).await?, json!(PDF));
    let cell = c
        .find(Locator::Css("nav.crumbs a"))
        .await?
        .attr("href")
        .await?
        .expect("cell link");
    c.goto(&format!("{base}{cell}/members")).await?;
    let roll_title = text_of(c, "h1", |t| !t.is_empty()).await;

    // Network off: the three pages read from the phone, with the banner.
    network(c, on, false).await;
    c.goto(&format!("{base}/")).await?;
    assert!(banner(c).await.starts_with("Bản lưu lúc "));
    text_of(c, "h1", |t| t.starts_with("Xin chào")).await;
    c.goto(&format!("{base}{cell}/members")).await?;
    banner(c).await;
    text_of(c, "h1", |t| t == roll_title).await;
    c.goto(&format!("{base}{href}")).await?;
    banner(c).await;
    text_of(c, "h1", |t| t == title).await;
    screenshot(c, "offline-1-banner").await;
    super::a11y::assert_accessible(c, "offline-1-banner").await;
    assert_eq!(
        read_document(c, &doc).await?,
        json!(PDF),
        "the document reads offline"
    );
    // A page never visited says so instead of failing.
    c.goto(&format!("{base}/tree")).await?;
    text_of(c, "h1", |t| t == "Đang ngoại tuyến").await;

    // A reload while offline still shows the kept copy.
    c.goto(&format!("{base}{href}")).await?;
    c.refresh().await?;
    banner(c).await;

    // Record the roll call (the first two spoke) and the minutes offline.
    let spoke = c
        .find_all(Locator::Css(
            "form[data-offline=attendance] input[type=checkbox]",
        ))
        .await?;
    for s in spoke.iter().take(2) {
        s.click().await?;
    }
    c.find(Locator::Css(
        "form[data-offline=attendance] button[type=submit]",
    ))
    .await?
    .click()
    .await?;
    text_of(c, "#offline-queue .saved-local", |t| {
        t == "Đã lưu trên máy – sẽ gửi khi có mạng (1 thay đổi)."
    })
    .await;
    let minutes = c.find(Locator::Css("#proceedings")).await?;
    minutes.clear().await?;
    minutes.send_keys(OFFLINE_MINUTES).await?;
    c.find(Locator::Css(
        "form[data-offline=minutes] button[type=submit]",
    ))
    .await?
    .click()
    .await?;
    text_of(c, "#offline-queue .saved-local", |t| {
        t.contains("(2 thay đổi)")
    })
    .await;
    assert_ne!(proceedings(app, id).await, OFFLINE_MINUTES, "not sent yet");
    screenshot(c, "offline-2-saved-on-phone").await;
    super::a11y::assert_accessible(c, "offline-2-saved-on-phone").await;

    // Reload offline: both changes are still on the phone.
    c.refresh().await?;
    banner(c).await;
    text_of(c, "#offline-queue .saved-local", |t| {
        t.contains("(2 thay đổi)")
    })
    .await;

    // Network on: both go out in order, with a fresh page's CSRF token.
    network(c, on, true).await;
    text_of(c, "#offline-queue .note", |t| {
        t.starts_with("Đã gửi lên máy chủ: Biên bản")
    })
    .await;
    assert_eq!(proceedings(app, id).await, OFFLINE_MINUTES);
    let roll = chibo::store::meeting::attendance(&app.db, id)
        .await
        .expect("roll");
    assert!(!roll.is_empty(), "the roll call reached the server");
    assert_eq!(roll.iter().filter(|a| a.spoke).count(), 2, "two spoke");
    assert!(
        c.find(Locator::Css("#offline-queue .saved-local"))
            .await
            .is_err(),
        "nothing left waiting"
    );

    // A conflict: a fresh page, the network off, a change queued…
    c.goto(&format!("{base}{href}")).await?;
    text_of(c, "#proceedings", |t| t == OFFLINE_MINUTES).await;
    network(c, on, false).await;
    let minutes = c.find(Locator::Css("#proceedings")).await?;
    minutes.clear().await?;
    minutes.send_keys(MINE).await?;
    c.find(Locator::Css(
        "form[data-offline=minutes] button[type=submit]",
    ))
    .await?
    .click()
    .await?;
    text_of(c, "#offline-queue .saved-local", |t| {
        t.contains("(1 thay đổi)")
    })
    .await;

    // …while another session changes the same meeting's minutes.
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{server}/api/v1/auth/token"))
        .json(&json!({"username": "bithu.banhon", "password": "chibo-demo"}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["token"].as_str().expect("token").to_string();
    let r = http
        .patch(format!("{server}/api/v1/meetings/{id}"))
        .bearer_auth(&token)
        .json(&json!({"proceedings": THEIRS}))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), reqwest::StatusCode::OK);

    // Network on: both versions side by side, nothing overwritten.
    network(c, on, true).await;
    let mine = text_of(c, ".conflict .cf-mine", |t| t.contains(MINE)).await;
    assert!(mine.starts_with("Của bạn"), "{mine}");
    let theirs = text_of(c, ".conflict .cf-theirs", |t| t.contains(THEIRS)).await;
    assert!(theirs.starts_with("Trên máy chủ"), "{theirs}");
    assert_eq!(
        proceedings(app, id).await,
        THEIRS,
        "the server kept theirs so far"
    );
    c.execute(
        "document.querySelector('#offline-queue').scrollIntoView()",
        vec![],
    )
    .await?;
    screenshot(c, "offline-3-conflict").await;
    super::a11y::assert_accessible(c, "offline-3-conflict").await;
    // Still there after a reload: the choice is the secretary's.
    c.refresh().await?;
    text_of(c, ".conflict .cf-mine", |t| t.contains(MINE)).await;

    // The secretary sends hers over theirs.
    c.find(Locator::Css(".conflict button.cf-send"))
        .await?
        .click()
        .await?;
    text_of(c, "#offline-queue .note", |t| {
        t.starts_with("Đã gửi lên máy chủ: Biên bản")
    })
    .await;
    assert_eq!(proceedings(app, id).await, MINE);
    let audited: i64 = match &app.db {
        chibo::store::Db::Sqlite(p) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'meeting' AND entity_id = $1",
        )
        .bind(id)
        .fetch_one(p)
        .await
        .expect("audit"),
        chibo::store::Db::Postgres(_) => unreachable!("the demo journey runs on SQLite"),
    };
    assert!(audited >= 4, "each change is audited ({audited})");

    // The session ends while a change waits on the phone: nothing is sent
    // or dropped; once signed in again, it goes out.
    c.goto(&format!("{base}{href}")).await?;
    text_of(c, "#proceedings", |t| t == MINE).await;
    network(c, on, false).await;
    let minutes = c.find(Locator::Css("#proceedings")).await?;
    minutes.clear().await?;
    minutes.send_keys(LATE).await?;
    c.find(Locator::Css(
        "form[data-offline=minutes] button[type=submit]",
    ))
    .await?
    .click()
    .await?;
    text_of(c, "#offline-queue .saved-local", |t| {
        t.contains("(1 thay đổi)")
    })
    .await;
    if let chibo::store::Db::Sqlite(p) = &app.db {
        sqlx::query(
            "UPDATE app_user SET session_epoch = session_epoch + 1 WHERE username = 'bithu.banhon'",
        )
        .execute(p)
        .await
        .expect("end the sessions");
    }
    network(c, on, true).await;
    text_of(c, "#offline-queue .note", |t| {
        t.starts_with("Phiên đăng nhập đã hết")
    })
    .await;
    assert_eq!(
        proceedings(app, id).await,
        MINE,
        "nothing sent without a session"
    );
    login(c, base, "bithu.banhon").await?;
    text_of(c, "#offline-queue .note", |t| {
        t.starts_with("Đã gửi lên máy chủ: Biên bản")
    })
    .await;
    assert_eq!(proceedings(app, id).await, LATE);

    // Signing out drops the kept pages: the next person on this phone,
    // offline, sees none of them.
    c.find(Locator::Css("header form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait(c).for_element(Locator::Css("#username")).await?;
    let kept = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.keys().then(ks => done(ks.filter(k => k.startsWith('chibo-pages-')).length));",
            vec![],
        )
        .await?;
    assert_eq!(kept, json!(0), "no page kept after sign-out");
    network(c, on, false).await;
    c.goto(&format!("{base}/")).await?;
    text_of(c, "h1", |t| t == "Đang ngoại tuyến").await;
    c.goto(&format!("{base}{href}")).await?;
    text_of(c, "h1", |t| t == "Đang ngoại tuyến").await;
    network(c, on, true).await;
    Ok(())
}
