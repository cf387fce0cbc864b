//! The main journey in a real headless Chromium, on the demo data and a
//! phone-sized window: log in → find a member by an unaccented search → open
//! the profile → change a field → see the change in the audit log.
//!
//! Needs CHIBO_WEBDRIVER (a running chromedriver); `scripts/test` starts one.

// A failing test panics: expect() is the point here, not a shortcut.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use chibo::app::AppState;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::time::Duration;

async fn browser() -> Client {
    let webdriver = std::env::var("CHIBO_WEBDRIVER").expect(
        "CHIBO_WEBDRIVER is not set: run the tests with scripts/test, which starts chromedriver",
    );
    let profile = tempfile::tempdir().expect("profile dir").keep();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=390,844", format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps
        .as_object()
        .expect("object")
        .clone()
        .into_iter()
        .collect();
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("WebDriver session")
}

mod a11y;
mod evaluation;
mod offline;
mod supervision;

/// The demo data on SQLite, mail captured as files in `<dir>/mail`. Every
/// member of Chi bộ 4 (bản Đông Pao) gets an address so notices go out.
async fn serve_demo() -> (String, tempfile::TempDir) {
    let (base, dir, _) = serve_demo_app().await;
    (base, dir)
}

/// `serve_demo`, and the application it serves (to add what a journey needs).
async fn serve_demo_app() -> (String, tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = chibo::store::Db::connect(&format!(
        "sqlite://{}/demo.db?mode=rwc",
        dir.path().display()
    ))
    .await
    .expect("db");
    db.migrate().await.expect("migrate");
    let mail = dir.path().join("mail");
    std::fs::create_dir_all(&mail).expect("mail dir");
    let mailer = chibo::mail::Mailer::from_config(None, "chibo <chibo@localhost>", Some(&mail))
        .expect("mailer");
    let app = AppState::new(db).with_mailer(mailer);
    chibo::demo::seed(&app)
        .await
        .expect("seed")
        .expect("empty database");
    if let chibo::store::Db::Sqlite(p) = &app.db {
        sqlx::query(
            "UPDATE member SET email = 'dv' || id || '@example.vn' WHERE cell_id = \
             (SELECT org_id FROM org_version WHERE name = $1 AND valid_to IS NULL)",
        )
        .bind(chibo::demo::ORG_DONG_PAO)
        .execute(p)
        .await
        .expect("emails");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = app.clone();
    tokio::spawn(async move {
        // As `chibo demo` does: the mail worker sends the outbox's messages.
        let worker = chibo::service::outbox::Worker::spawn(app.clone());
        let _ = chibo::web::serve(app, listener).await;
        drop(worker);
    });
    (base, dir, state)
}

fn wait(c: &Client) -> fantoccini::wait::Wait<'_> {
    c.wait().at_most(Duration::from_secs(10))
}

/// Waits until the element matching `css` has text satisfying `ok` (the page
/// may still be the previous one when a click returns), and returns it.
async fn text_of(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if ok(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css}: gave up waiting; last text {last:?}");
}

async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("dir");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_finds_edits_and_audits_a_member() {
    let (base, _dir) = serve_demo().await;
    let c = browser().await;
    let result = journey(&c, &base).await;
    c.close().await.expect("close browser");
    result.expect("journey");
}

async fn journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/")).await?;
    wait(c)
        .for_element(Locator::Css("#username"))
        .await?
        .send_keys("banhon")
        .await?;
    c.find(Locator::Css("#password"))
        .await?
        .send_keys("chibo-demo")
        .await?;
    c.find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t.starts_with("Xin chào")).await;
    screenshot(c, "1-home").await;

    // Search without accents.
    let search = wait(c)
        .for_element(Locator::Css("form[role=search] input[name=q]"))
        .await?;
    search.send_keys("nguyen van an").await?;
    c.find(Locator::Css("form[role=search] button[type=submit]"))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Nguyễn Văn An"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t == "Nguyễn Văn An").await;
    screenshot(c, "2-profile").await;

    // Change a field.
    c.find(Locator::LinkText("Sửa hồ sơ"))
        .await?
        .click()
        .await?;
    let occupation = wait(c).for_element(Locator::Css("#f-occupation")).await?;
    occupation.clear().await?;
    occupation.send_keys("Trưởng bản").await?;
    c.find(Locator::Css("form.card button[type=submit]"))
        .await?
        .click()
        .await?;
    text_of(c, ".flash", |t| t == "Đã lưu hồ sơ.").await;
    let page = c.source().await?;
    assert!(page.contains("Trưởng bản"), "profile shows the new value");

    // The change is in the audit log of the commune.
    c.find(Locator::Css("nav.crumbs a")).await?.click().await?;
    text_of(c, "h1", |t| t == "Chi bộ 4 (bản Đông Pao)").await;
    let crumbs = c.find_all(Locator::Css("nav.crumbs a")).await?;
    crumbs.first().expect("commune link").click().await?;
    text_of(c, "h1", |t| t == "Đảng bộ xã Bản Hon").await;
    wait(c)
        .for_element(Locator::LinkText("Nhật ký thay đổi"))
        .await?
        .click()
        .await?;
    let log = text_of(c, "main table", |t| t.contains("Trưởng bản")).await;
    assert!(log.contains("banhon"), "{log}");
    assert!(log.contains("Nghề nghiệp"), "{log}");
    assert!(log.contains("Trưởng bản"), "{log}");
    screenshot(c, "3-audit").await;
    Ok(())
}

async fn login(c: &Client, base: &str, user: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/login")).await?;
    wait(c)
        .for_element(Locator::Css("#username"))
        .await?
        .send_keys(user)
        .await?;
    c.find(Locator::Css("#password"))
        .await?
        .send_keys("chibo-demo")
        .await?;
    c.find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t.starts_with("Xin chào")).await;
    Ok(())
}

async fn submit(c: &Client, form: &str) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css(&format!("{form} button[type=submit]")))
        .await?
        .click()
        .await
}

/// A secretary runs a month's thematic meeting on a phone, from plan to
/// signed minutes, and a member then sees their task (issue #4 point 10).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_runs_a_thematic_meeting() {
    let (base, dir) = serve_demo().await;
    let c = browser().await;
    let result = meeting_journey(&c, &base).await;
    let mails: Vec<String> = std::fs::read_dir(dir.path().join("mail"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    c.close().await.expect("close browser");
    result.expect("journey");
    assert!(!mails.is_empty(), "the notice was emailed");
    assert!(
        mails.iter().all(|m| m.contains("text/calendar")),
        "each email carries the ICS invitation"
    );
}

async fn meeting_journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    login(c, base, "bithu.banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_DONG_PAO))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Lịch sinh hoạt"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t.starts_with("Lịch sinh hoạt năm")).await;

    // Plan a thematic meeting ten days ahead with two presenters.
    let day = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(10))
        .expect("date");
    c.find(Locator::XPath(
        "//summary[contains(., 'Thêm buổi sinh hoạt')]",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("form[action$='/meetings/new'] #f-date"))
        .await?
        .send_keys(&chibo::domain::time::format_date(day))
        .await?;
    c.find(Locator::Css("form[action$='/meetings/new'] #f-topic"))
        .await?
        .send_keys("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
        .await?;
    c.find(Locator::Css("input[name=ho_chi_minh]"))
        .await?
        .click()
        .await?;
    let presenters = c.find_all(Locator::Css("input[name=presenters]")).await?;
    for p in presenters.iter().take(2) {
        p.click().await?;
    }
    submit(c, "form[action$='/meetings/new']").await?;
    text_of(c, "h1", |t| t.starts_with("Sinh hoạt chuyên đề ngày")).await;
    let agenda = c.find(Locator::Css("main ol")).await?.text().await?;
    assert_eq!(agenda.matches("Tham luận:").count(), 2, "{agenda}");
    screenshot(c, "4-meeting-planned").await;

    // Send the notice (mail with the ICS goes to members with an address).
    submit(c, "form[action$='/notice']").await?;
    let flash = text_of(c, ".flash", |t| t.starts_with("Đã thông báo")).await;
    assert!(!flash.contains("; 0 email"), "{flash}");
    // The demo's mail worker sends them; the meeting shows their delivery.
    let page = c.current_url().await?;
    let mut summary = String::new();
    for _ in 0..100 {
        c.goto(page.as_str()).await?;
        summary = c.find(Locator::Css(".mail-summary")).await?.text().await?;
        if summary.contains("đang chờ 0") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        summary.starts_with("Đã gửi") && summary.contains("đang chờ 0"),
        "{summary}"
    );
    c.find(Locator::XPath(
        "//summary[contains(., 'Chi tiết từng thư')]",
    ))
    .await?
    .click()
    .await?;
    c.execute("document.getElementById('mail').scrollIntoView()", vec![])
        .await?;
    screenshot(c, "5-mail-delivery").await;

    // Roll call: everyone present by default; two of them spoke.
    let spoke = c
        .find_all(Locator::Css(
            "form[action$='/attendance'] input[type=checkbox]",
        ))
        .await?;
    for s in spoke.iter().take(2) {
        s.click().await?;
    }
    submit(c, "form[action$='/attendance']").await?;
    text_of(c, ".flash", |t| t.starts_with("Đã lưu điểm danh")).await;

    // Minutes: chair, recorder, proceedings.
    c.find(Locator::Css("#f-chair_id option:nth-child(2)"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#f-recorder_id option:nth-child(3)"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#f-started_time"))
        .await?
        .send_keys("19:30")
        .await?;
    c.find(Locator::Css("#f-ended_time"))
        .await?
        .send_keys("21:15")
        .await?;
    c.find(Locator::Css("#proceedings"))
        .await?
        .send_keys(
            "Chi bộ nghe trình bày chuyên đề và hai tham luận; các đồng chí thảo luận sôi nổi.",
        )
        .await?;
    submit(c, "form[action$='/edit']").await?;
    text_of(c, ".flash", |t| t == "Đã lưu biên bản.").await;

    // A task for the ordinary member (Lý Thị Mẩy in the demo).
    c.find(Locator::XPath("//summary[contains(., 'Giao nhiệm vụ')]"))
        .await?
        .click()
        .await?;
    c.find(Locator::XPath(
        "//select[@id='f-member_id']/option[contains(., 'Lý Thị Mẩy')]",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("form[action$='/tasks'] #f-title"))
        .await?
        .send_keys("Vận động 4 hộ tham gia bảo hiểm y tế")
        .await?;
    c.find(Locator::Css("form[action$='/tasks'] #f-deadline"))
        .await?
        .send_keys(&chibo::domain::time::format_date(
            day.checked_add(jiff::Span::new().days(20)).expect("d"),
        ))
        .await?;
    submit(c, "form[action$='/tasks']").await?;
    text_of(c, ".flash", |t| t == "Đã giao nhiệm vụ.").await;

    // Sign; the minutes can no longer be edited, only amended.
    submit(c, "form[action$='/sign']").await?;
    text_of(c, ".flash", |t| t.starts_with("Đã ký biên bản số")).await;
    assert!(
        c.find(Locator::Css("form[action$='/edit']")).await.is_err(),
        "no edit form once signed"
    );
    let status: serde_json::Value = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const body = new URLSearchParams({_csrf: document.querySelector('input[name=_csrf]').value, conclusion: 'Sửa lén'});
             fetch(location.pathname + '/edit', {method: 'POST', body}).then(r => done(r.status));",
            vec![],
        )
        .await?;
    assert_eq!(
        status,
        serde_json::json!(409),
        "a signed record refuses edits"
    );
    c.find(Locator::Css("#amend"))
        .await?
        .send_keys("Đính chính: buổi họp kết thúc lúc 21 giờ 20.")
        .await?;
    submit(c, "form[action$='/amend']").await?;
    text_of(c, ".flash", |t| t == "Đã ghi đính chính.").await;
    assert!(
        c.source()
            .await?
            .contains("Đính chính: buổi họp kết thúc lúc 21 giờ 20.")
    );
    screenshot(c, "5-meeting-signed").await;

    // The member sees the task on their home page.
    c.find(Locator::Css("header form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait(c).for_element(Locator::Css("#username")).await?;
    login(c, base, "dangvien.banhon").await?;
    let tasks = text_of(c, "ul.tasks", |t| {
        t.contains("Vận động 4 hộ tham gia bảo hiểm y tế")
    })
    .await;
    assert!(!tasks.is_empty());
    screenshot(c, "6-member-home").await;
    Ok(())
}
