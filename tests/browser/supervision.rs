//! Supervision on a phone (issue 11, point 9): the commune plans an
//! unannounced visit, the visited cell's secretary sees nothing of it, the
//! meeting is held, the cadre files the report and carries a recommendation
//! up, the commune answers it, the cell reads the answer.
//!
//! The issue names a district cadre; the journey runs in the demo's present
//! (2026), after district committees were dissolved on 1 July 2025, when the
//! commune committee plays the district's part (docs/rules.md "Supervision
//! rounds and unannounced visits"). A dissolved district reads its archive
//! and writes nothing, so a district-level round can only be a past one:
//! the demo's Kim Sơn rounds of 2017 and 2025 show those.

use super::{browser, login, screenshot, serve_demo_app, submit, text_of, wait};
use chibo::domain::time::format_date;
use fantoccini::{Client, Locator};

/// Lò Văn Phà, Bản Hon's commune secretary (seed 002), gets an account: he
/// is the cadre the commune sends.
const CADRE: &str = "pha.banhon";
const POSITION: &str = "Bí thư Đảng ủy xã, dự không báo trước";
const RAISED: &str = "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho 5 hộ bản Đông Pao";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_stays_hidden_until_the_meeting_and_its_recommendation_is_answered() {
    let (base, _dir, app) = serve_demo_app().await;
    let hash = chibo::service::auth::hash_password("chibo-demo".into())
        .await
        .expect("hash");
    let mut tx = app.db.begin().await.expect("tx");
    let pha: i64 = match &app.db {
        chibo::store::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT id FROM member WHERE full_name = 'Lò Văn Phà'")
                .fetch_one(p)
                .await
                .expect("Lò Văn Phà")
        }
        chibo::store::Db::Postgres(_) => unreachable!("the demo journey runs on SQLite"),
    };
    chibo::store::user::insert(
        &mut tx,
        CADRE,
        &hash,
        "Lò Văn Phà",
        Some(chibo::domain::ids::MemberId(pha)),
    )
    .await
    .expect("cadre account");
    tx.commit().await.expect("commit");
    let c = browser().await;
    let result = journey(&c, &base).await;
    c.close().await.expect("close browser");
    result.expect("journey");
}

pub(super) async fn logout(c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css("header form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait(c).for_element(Locator::Css("#username")).await?;
    Ok(())
}

async fn fill(c: &Client, css: &str, text: &str) -> Result<(), fantoccini::error::CmdError> {
    let el = c.find(Locator::Css(css)).await?;
    el.clear().await?;
    el.send_keys(text).await
}

async fn choose(
    c: &Client,
    select: &str,
    option_text: &str,
) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::XPath(&format!(
        "//select[@id='{select}']/option[contains(., '{option_text}')]"
    )))
    .await?
    .click()
    .await
}

/// Opens Chi bộ 4's visited meeting as its secretary and returns its source.
async fn cell_meeting(
    c: &Client,
    base: &str,
    meeting: &str,
) -> Result<String, fantoccini::error::CmdError> {
    c.goto(&format!("{base}{meeting}")).await?;
    text_of(c, "h1", |t| t.contains("ngày")).await;
    c.source().await
}

async fn journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    let today = jiff::Zoned::now().date();
    let until = today.checked_add(jiff::Span::new().days(45)).expect("date");

    // The commune's staff plan a round and send the commune secretary.
    login(c, base, "banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_BAN_HON))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Dự sinh hoạt chi bộ"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |_| true).await;
    fill(c, "#f-name", "Dự sinh hoạt chi bộ không báo trước").await?;
    fill(
        c,
        "#f-purpose",
        "Nắm tình hình thực hiện Hướng dẫn 42-HD/BTCTW",
    )
    .await?;
    fill(c, "#f-from", &format_date(today)).await?;
    fill(c, "#f-to", &format_date(until)).await?;
    fill(c, "#f-cadres", &format!("Lò Văn Phà | {POSITION}")).await?;
    submit(c, "form[action$='/rounds']").await?;
    text_of(c, "h1", |t| t == "Dự sinh hoạt chi bộ không báo trước").await;
    logout(c).await?;

    // The cadre picks Chi bộ 4's next registered meeting, on a phone.
    login(c, base, CADRE).await?;
    wait(c)
        .for_element(Locator::Css("a[href='/me/rounds']"))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Dự sinh hoạt chi bộ không báo trước"))
        .await?
        .click()
        .await?;
    let option = c
        .find(Locator::XPath(&format!(
            "//select[@id='f-meeting_id']/option[contains(., '{}')]",
            chibo::demo::ORG_DONG_PAO
        )))
        .await?;
    let meeting = format!(
        "/meetings/{}",
        option.attr("value").await?.expect("meeting id")
    );
    option.click().await?;
    submit(c, "form[action$='/visits']").await?;
    text_of(c, "h1", |t| t.starts_with("Dự sinh hoạt Chi bộ 4")).await;
    let visit = c.current_url().await?.path().to_string();
    assert!(c.source().await?.contains("Giấy giới thiệu số"));
    screenshot(c, "7-visit-picked").await;
    logout(c).await?;

    // The cell's secretary sees nothing of it: not on the meeting page, not
    // at the visit's address.
    login(c, base, "bithu.banhon").await?;
    let page = cell_meeting(c, base, &meeting).await?;
    assert!(
        !page.contains(POSITION) && !page.contains("Đại biểu dự: "),
        "hidden before the meeting"
    );
    c.goto(&format!("{base}{visit}")).await?;
    let hidden = c.source().await?;
    assert!(
        !hidden.contains("Lò Văn Phà") && !hidden.contains("Giấy giới thiệu"),
        "{hidden}"
    );

    // The meeting is held: the roll call is recorded; now the visit shows.
    cell_meeting(c, base, &meeting).await?;
    submit(c, "form[action$='/attendance']").await?;
    text_of(c, ".flash", |t| t.starts_with("Đã lưu điểm danh")).await;
    let page = cell_meeting(c, base, &meeting).await?;
    assert!(
        page.contains(POSITION),
        "the cadre shows once the meeting is held"
    );
    logout(c).await?;

    // The cadre files the report and carries the members' point up.
    login(c, base, CADRE).await?;
    c.goto(&format!("{base}{visit}")).await?;
    text_of(c, "h1", |t| t.starts_with("Dự sinh hoạt Chi bộ 4")).await;
    choose(c, "f-on_time", "Có").await?;
    fill(c, "#f-started_time", "19:30").await?;
    c.find(Locator::Css("#f-procedure option:nth-child(2)"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#f-quality option:nth-child(2)"))
        .await?
        .click()
        .await?;
    fill(c, "#f-raised", RAISED).await?;
    fill(c, "#f-fixes", "Thư ký ghi biên bản còn sơ sài").await?;
    submit(c, "form[action$='/report']").await?;
    text_of(c, ".flash", |t| t == "Đã gửi báo cáo.").await;
    choose(c, "f-topic", "Cấp giấy chứng nhận").await?;
    submit(c, "form[action$='/recommendations']").await?;
    text_of(c, ".flash", |t| t.starts_with("Đã chuyển 1 kiến nghị")).await;
    screenshot(c, "8-visit-reported").await;
    logout(c).await?;

    // The commune assigns and answers it.
    login(c, base, "banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_BAN_HON))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Kiến nghị"))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::XPath(&format!("//a[contains(., '{RAISED}')]")))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t == "Kiến nghị").await;
    fill(c, "form[action$='/assign'] #f-assignee", "UBND xã Bản Hon").await?;
    fill(
        c,
        "form[action$='/assign'] #f-deadline",
        &format_date(until),
    )
    .await?;
    submit(c, "form[action$='/assign']").await?;
    text_of(c, ".flash", |_| true).await;
    fill(
        c,
        "#f-answer",
        "UBND xã đã lập hồ sơ, trả giấy chứng nhận trong tháng tới.",
    )
    .await?;
    submit(c, "form[action$='/answer']").await?;
    text_of(c, ".flash", |_| true).await;
    logout(c).await?;

    // The cell reads the answer on its recommendations page.
    login(c, base, "bithu.banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_DONG_PAO))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Kiến nghị"))
        .await?
        .click()
        .await?;
    let list = text_of(c, "main", |t| t.contains(RAISED)).await;
    assert!(list.contains("UBND xã đã lập hồ sơ"), "{list}");
    screenshot(c, "9-cell-reads-answer").await;
    logout(c).await?;

    // The round ends with its conclusion notice, drafted from the report;
    // the cell's shortcoming becomes an item it must answer.
    login(c, base, "banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_BAN_HON))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Dự sinh hoạt chi bộ"))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Dự sinh hoạt chi bộ không báo trước"))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Thông báo kết luận đợt"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t == "Thông báo kết luận").await;
    submit(c, "form[action$='/conclusion']").await?;
    text_of(c, ".flash", |_| true).await;
    submit(c, "form[action$='/conclusion/issue']").await?;
    let issued = text_of(c, "main", |t| t.contains("Đã ban hành")).await;
    assert!(
        issued.contains("Chi bộ 4 (bản Đông Pao): thư ký ghi biên bản còn sơ sài"),
        "{issued}"
    );
    screenshot(c, "10-conclusion-issued").await;
    logout(c).await?;
    login(c, base, "bithu.banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_DONG_PAO))
        .await?
        .click()
        .await?;
    wait(c)
        .for_element(Locator::LinkText("Kết quả kiểm tra"))
        .await?
        .click()
        .await?;
    text_of(c, "main", |t| t.contains("thư ký ghi biên bản còn sơ sài")).await;
    Ok(())
}
