//! The main journey in a real headless Chromium, on the demo data and a
//! phone-sized window: log in → find a member by an unaccented search → open
//! the profile → change a field → see the change in the audit log.
//!
//! Needs CHIBO_WEBDRIVER (a running chromedriver); `scripts/test` starts one.

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

async fn serve_demo() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = chibo::store::Db::connect(&format!(
        "sqlite://{}/demo.db?mode=rwc",
        dir.path().display()
    ))
    .await
    .expect("db");
    db.migrate().await.expect("migrate");
    let app = AppState::new(db);
    chibo::demo::seed(&app)
        .await
        .expect("seed")
        .expect("empty database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = chibo::web::serve(app, listener).await;
    });
    (base, dir)
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
