//! Evaluation on a phone (issue 12): a cell's secretary self-assesses a held
//! meeting against the commune's rubric, the commune's staff review it and
//! the level shows with criteria and points; the commune closes the 2025
//! classification of Chi bộ 4 (bản Đông Pao)'s members and of the cell
//! itself, the quota refusing one "excellent" too many before a valid
//! decision goes through; the commune's dashboard counts the result
//! (docs/rules.md "Meeting quality levels", "Classification quota",
//! "Classification order (bottom-up)").

use super::{browser, login, screenshot, serve_demo_app, submit, text_of, wait};
use fantoccini::{Client, Locator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_assessed_and_reviewed_and_the_year_is_classified() {
    let (base, _dir, app) = serve_demo_app().await;
    let chibo::store::Db::Sqlite(p) = &app.db else {
        unreachable!("the demo journey runs on SQLite")
    };
    let ids = |sql: &'static str| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(chibo::demo::ORG_DONG_PAO)
            .fetch_one(p)
    };
    // The cell's last held meeting, its demo assessments taken away so the
    // secretary scores it afresh.
    let meeting = ids("SELECT id FROM meeting WHERE status = 'held' AND org_id = \
         (SELECT org_id FROM org_version WHERE name = $1 AND valid_to IS NULL) \
         ORDER BY held_on DESC LIMIT 1")
    .await
    .expect("a held meeting of Chi bộ 4");
    sqlx::query("DELETE FROM meeting_assessment WHERE meeting_id = $1")
        .bind(meeting)
        .execute(p)
        .await
        .expect("fresh meeting");
    let cell = ids("SELECT org_id FROM org_version WHERE name = $1 AND valid_to IS NULL")
        .await
        .expect("Chi bộ 4");
    let c = browser().await;
    let result = journey(&c, &base, meeting, cell).await;
    c.close().await.expect("close browser");
    result.expect("journey");
}

/// Scrolls the first element matching `css` into view (for the screenshot).
async fn show(c: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView()",
        vec![serde_json::json!(css)],
    )
    .await
    .map(drop)
}

async fn logout(c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css("header form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait(c).for_element(Locator::Css("#username")).await?;
    Ok(())
}

/// Answers every hand-scored criterion of a stage's form: the first real
/// choice of each list ("Có", or the best level), 95 in each figure box.
async fn answer_all(c: &Client, form: &str) -> Result<usize, fantoccini::error::CmdError> {
    let mut n = 0;
    for s in c
        .find_all(Locator::Css(&format!("{form} select[name^='a_']")))
        .await?
    {
        s.find(Locator::Css("option:nth-child(2)"))
            .await?
            .click()
            .await?;
        n += 1;
    }
    for i in c
        .find_all(Locator::Css(&format!("{form} input[name^='a_']")))
        .await?
    {
        i.clear().await?;
        i.send_keys("95").await?;
        n += 1;
    }
    Ok(n)
}

async fn journey(
    c: &Client,
    base: &str,
    meeting: i64,
    cell: i64,
) -> Result<(), fantoccini::error::CmdError> {
    // 1. The secretary opens the held meeting and its scoring sheet.
    login(c, base, "bithu.banhon").await?;
    c.goto(&format!("{base}/meetings/{meeting}")).await?;
    wait(c)
        .for_element(Locator::LinkText("Chất lượng (phiếu chấm)"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t.starts_with("Chất lượng sinh hoạt ngày")).await;
    let page = c.source().await?;
    assert!(
        page.contains("Tiêu chí đánh giá chất lượng sinh hoạt chi bộ"),
        "the commune's rubric is in force"
    );
    assert!(
        page.contains("Chi bộ tự đánh giá: chưa có"),
        "not yet scored"
    );
    assert!(
        !page.contains("/quality/review"),
        "the cell cannot review itself"
    );
    let form = "form[action$='/quality/self']";
    c.find(Locator::Css("details summary"))
        .await?
        .click()
        .await?;
    let answered = answer_all(c, form).await?;
    assert!(answered >= 10, "{answered} criteria answered by hand");
    // One point the cell admits it missed.
    c.find(Locator::XPath(
        "//select[@id='self-docs_on_app']/option[.='Không']",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("#self-note"))
        .await?
        .send_keys("Chi bộ tự chấm sau buổi sinh hoạt")
        .await?;
    screenshot(c, "evaluation-1-self-form").await;
    submit(c, form).await?;
    let flash = text_of(c, ".flash", |t| t.starts_with("Đã ghi:")).await;
    assert!(flash.contains("điểm"), "{flash}");
    let own = text_of(c, ".stats", |t| t.contains("điểm — Chi bộ tự đánh giá")).await;
    assert!(!own.contains("Chi bộ tự đánh giá: chưa có"), "{own}");
    let sheet = text_of(c, "main table", |t| t.contains("Tổng")).await;
    for group in [
        "Thời gian sinh hoạt",
        "Công tác chuẩn bị",
        "Tổ chức sinh hoạt",
        "Điều hành của chủ trì",
    ] {
        assert!(sheet.contains(group), "{group} in {sheet}");
    }
    assert!(
        sheet.contains("Tài liệu sinh hoạt trên ứng dụng"),
        "{sheet}"
    );
    assert!(
        sheet.contains("0/1"),
        "the missed point shows 0 of 1: {sheet}"
    );
    screenshot(c, "evaluation-2-self-scored").await;

    // The cell's 2025 round: self-reviewed, the proposal to the commune
    // follows it; the secretary puts it forward explicitly.
    c.goto(&format!("{base}/orgs/{cell}/classification?year=2025"))
        .await?;
    text_of(c, "h1", |t| t.ends_with("năm 2025")).await;
    let own = text_of(c, "main", |t| t.contains("Đề xuất với cấp trên")).await;
    assert!(
        own.contains(
            "Tự kiểm điểm, xếp loại: Tốt · Đề xuất với cấp trên: Tốt · Cấp trên quyết định: —"
        ),
        "{own}"
    );
    c.find(Locator::XPath(
        "//select[@id='f-proposed_grade']/option[@value='good']",
    ))
    .await?
    .click()
    .await?;
    show(c, "#f-proposed_grade").await?;
    screenshot(c, "evaluation-2b-cell-proposal").await;
    submit(c, "form[action$='/classification/propose']").await?;
    let flash = text_of(c, ".flash", |t| t.starts_with("Đã ghi")).await;
    assert!(flash.ends_with("kết quả."), "{flash}");
    logout(c).await?;

    // 2. The commune's staff review it: stricter on the procedure.
    login(c, base, "banhon").await?;
    c.goto(&format!("{base}/meetings/{meeting}/quality"))
        .await?;
    text_of(c, "h1", |t| t.starts_with("Chất lượng sinh hoạt ngày")).await;
    let form = "form[action$='/quality/review']";
    c.find(Locator::XPath(
        "//summary[starts-with(., 'Cấp trên đánh giá')]",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::XPath(
        "//select[@id='review-procedure']/option[.='Không']",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::XPath(
        "//select[@id='review-chair']/option[starts-with(., 'Đạt')]",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("#review-note"))
        .await?
        .send_keys("Đảng ủy xã dự và đánh giá lại: chưa đủ quy trình")
        .await?;
    submit(c, form).await?;
    text_of(c, ".flash", |t| t.starts_with("Đã ghi:")).await;
    let stats = text_of(c, ".stats", |t| !t.contains("Cấp trên đánh giá: chưa có")).await;
    assert!(stats.contains("Cấp trên đánh giá"), "{stats}");
    let page = c.source().await?;
    assert!(
        page.contains("Đảng ủy xã dự và đánh giá lại"),
        "the review's note"
    );
    let tables = c.find_all(Locator::Css("main table")).await?;
    assert_eq!(tables.len(), 2, "the self-assessment and the review");
    let review = tables[1].text().await?;
    assert!(
        review.contains("Thực hiện đủ quy trình sinh hoạt"),
        "{review}"
    );
    assert!(
        review.contains("0/5"),
        "the procedure lost its 5 points: {review}"
    );
    assert!(review.contains("6/10"), "the chair rated 'Đạt': {review}");
    let own_total = total_of(&tables[0].text().await?);
    let review_total = total_of(&review);
    assert!(
        review_total + 5.0 <= own_total,
        "review {review_total} below self {own_total}"
    );
    show(c, "main table:last-of-type").await?;
    screenshot(c, "evaluation-3-reviewed").await;

    // 3. The commune closes 2025 for Chi bộ 4's members: one excellent too
    // many is refused, then the proposal as it stands is decided.
    c.goto(&format!("{base}/orgs/{cell}")).await?;
    text_of(c, "h1", |t| t == chibo::demo::ORG_DONG_PAO).await;
    let crumbs = c.find_all(Locator::Css("nav.crumbs a")).await?;
    crumbs.first().expect("commune link").click().await?;
    text_of(c, "h1", |t| t == chibo::demo::ORG_BAN_HON).await;
    let commune = c.current_url().await?;
    c.find(Locator::LinkText("Đánh giá, xếp loại"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| {
        t.starts_with("Đánh giá, xếp loại chất lượng năm")
    })
    .await;
    c.find(Locator::Css("nav.pager a[rel=prev]"))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t.ends_with("năm 2025")).await;
    let form = "form[action$='/classification/decide']";
    let rows = c
        .find_all(Locator::XPath(
            "(//form[contains(@action, '/classification/decide')])[1]//tbody/tr[.//select]",
        ))
        .await?;
    assert!(rows.len() >= 7, "Chi bộ 4's members: {}", rows.len());
    // Raise the first member proposed "good" to excellent with 92 points.
    let good = c
        .find(Locator::XPath(&format!(
            "({}//tbody/tr[td[3][starts-with(normalize-space(.), 'Tốt')]])[1]",
            "//form[contains(@action, '/classification/decide')]"
        )))
        .await?;
    let name = good.find(Locator::Css("td")).await?.text().await?;
    good.find(Locator::Css("select option[value=excellent]"))
        .await?
        .click()
        .await?;
    let score = good.find(Locator::Css("input[name^=s]")).await?;
    score.clear().await?;
    score.send_keys("92").await?;
    c.find(Locator::Css(&format!("{form} #f-decision_ref")))
        .await?
        .send_keys("Số 45-QĐ/ĐU ngày 20/01/2026")
        .await?;
    submit(c, form).await?;
    let error = text_of(c, "p.error", |t| t.contains("Tỷ lệ xếp loại")).await;
    assert!(
        error.contains("vượt quá 20%") && error.contains("tối đa"),
        "{error}"
    );
    show(c, "p.error").await?;
    screenshot(c, "evaluation-4-quota-refused").await;
    let page = c.source().await?;
    assert!(
        !page.contains("Đã ghi"),
        "nothing recorded while the quota is exceeded"
    );
    // The proposal stands: back to the page, decide as proposed.
    c.goto(&format!(
        "{base}/orgs/{}/classification?year=2025",
        org_of(&commune)
    ))
    .await?;
    text_of(c, "h1", |t| t.ends_with("năm 2025")).await;
    c.find(Locator::Css(&format!("{form} #f-decision_ref")))
        .await?
        .send_keys("Số 45-QĐ/ĐU ngày 20/01/2026")
        .await?;
    submit(c, form).await?;
    let flash = text_of(c, ".flash", |t| t.starts_with("Đã ghi")).await;
    let decided: usize = flash
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert_eq!(decided, rows.len(), "{flash}");
    let row = c
        .find(Locator::XPath(&format!(
            "//tr[td[1][normalize-space(.)='{}']]",
            name.trim()
        )))
        .await?
        .find(Locator::Css("select option:checked"))
        .await?
        .text()
        .await?;
    assert_eq!(row, "Tốt", "{name} decided as proposed");

    // 4. Then the cell itself, its self-review and proposal already in.
    c.find(Locator::XPath(&format!(
        "//tr[td/a[.='{}']]//select/option[@value='good']",
        chibo::demo::ORG_DONG_PAO
    )))
    .await?
    .click()
    .await?;
    let refs = c.find_all(Locator::Css("#f-decision_ref")).await?;
    refs.last()
        .expect("the units' form")
        .send_keys("Số 46-QĐ/ĐU ngày 20/01/2026")
        .await?;
    c.find(Locator::XPath(
        "(//form[contains(@action, '/classification/decide')])[last()]//button[@type='submit']",
    ))
    .await?
    .click()
    .await?;
    text_of(c, ".flash", |t| t == "Đã ghi 1 kết quả.").await;
    let page = c.source().await?;
    assert!(
        page.contains("Chi bộ đã được quyết định xếp loại: kết quả của đảng viên không sửa được."),
        "the cell's members are closed"
    );
    let unit = c
        .find(Locator::XPath(&format!(
            "//tr[td/a[.='{}']]",
            chibo::demo::ORG_DONG_PAO
        )))
        .await?;
    let mut cells = Vec::new();
    for td in unit.find_all(Locator::Css("td")).await? {
        cells.push(td.text().await?);
    }
    assert_eq!(
        cells[1..3],
        ["Tốt", "Tốt"],
        "self-review and proposal side by side"
    );
    let decided = unit
        .find(Locator::Css("select option:checked"))
        .await?
        .text()
        .await?;
    assert_eq!(decided, "Tốt", "and the decision");
    show(c, "form[action$='/classification/decide']:last-of-type").await?;
    screenshot(c, "evaluation-5-decided").await;

    // 5. The commune's dashboard for 2025 counts them.
    c.goto(&format!(
        "{base}/orgs/{}/dashboard?year=2025",
        org_of(&commune)
    ))
    .await?;
    let section = text_of(c, "#classification", |t| {
        t.contains("Xếp loại chất lượng năm 2025")
    })
    .await;
    assert!(!section.contains("Chưa có kết quả xếp loại"), "{section}");
    let table = c
        .find(Locator::Css("#classification table"))
        .await?
        .text()
        .await?;
    let line = |label: &str| {
        table
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_default()
            .to_string()
    };
    let excellent = line("Hoàn thành xuất sắc nhiệm vụ");
    let good = line("Hoàn thành tốt nhiệm vụ");
    let nums = |l: &str| -> Vec<i64> {
        l.split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    let (e, g) = (nums(&excellent), nums(&good));
    assert_eq!(e.len(), 2, "members and organizations: {table}");
    assert!(e[0] >= 1 && g[0] >= 5, "members decided: {table}");
    assert!(e[0] * 5 <= g[0], "the quota holds: {table}");
    assert_eq!(g[1], 1, "Chi bộ 4 good: {table}");
    show(c, "#classification").await?;
    screenshot(c, "evaluation-6-dashboard").await;
    Ok(())
}

/// "Tổng 83 — Khá" → 83.
fn total_of(table: &str) -> f64 {
    table
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("Tổng"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.replace(',', ".").parse().ok())
        .expect("a total")
}

/// The node id at the end of `/orgs/{id}` (a query may follow).
fn org_of(url: &url::Url) -> i64 {
    url.path()
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an org id")
}

/// The commune's staff draft a rubric on a phone and add a criterion with
/// the editor's buttons, no script: a sum that does not match comes back
/// named, a good one is saved (docs/rules.md "Rubric editor").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rubric_is_edited_criterion_by_criterion() {
    let (base, _dir, _app) = serve_demo_app().await;
    let c = browser().await;
    let result = editor_journey(&c, &base).await;
    c.close().await.expect("close browser");
    result.expect("journey");
}

async fn fill_named(c: &Client, name: &str, text: &str) -> Result<(), fantoccini::error::CmdError> {
    let el = c.find(Locator::Css(&format!("[name='{name}']"))).await?;
    el.clear().await?;
    el.send_keys(text).await
}

async fn press(c: &Client, op: &str) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css(&format!(
        "button[name=op][value='{op}']:not(.offscreen)"
    )))
    .await?
    .click()
    .await
}

async fn editor_journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    login(c, base, "banhon").await?;
    c.find(Locator::LinkText(chibo::demo::ORG_BAN_HON))
        .await?
        .click()
        .await?;
    text_of(c, "h1", |t| t == chibo::demo::ORG_BAN_HON).await;
    let commune = c.current_url().await?;
    c.goto(&format!(
        "{}/rubrics",
        commune.as_str().trim_end_matches('/')
    ))
    .await?;
    text_of(c, "h1", |t| t == "Bộ tiêu chí đánh giá, chấm điểm").await;
    c.find(Locator::Css("#f-name"))
        .await?
        .send_keys("Tiêu chí sinh hoạt chi bộ 2027")
        .await?;
    submit(c, "form[action$='/rubrics']").await?;
    text_of(c, ".flash", |t| t == "Đã tạo dự thảo.").await;
    c.find(Locator::XPath("//summary[.='Sửa nội dung dự thảo']"))
        .await?
        .click()
        .await?;
    press(c, "add:0").await?;
    let row = wait(c)
        .for_element(Locator::Css("[name='g0.c1.title']"))
        .await?;
    row.send_keys("Bắt đầu đúng giờ").await?;
    fill_named(c, "g0.c1.max", "1").await?;
    screenshot(c, "evaluation-7-editor-row-added").await;
    press(c, "save").await?;
    let error = text_of(c, "form.rubric-editor p.error", |t| {
        t.contains("Thời gian sinh hoạt")
    })
    .await;
    assert!(
        error.contains("các tiêu chí cộng được 6 điểm, khác 5 điểm của nhóm"),
        "{error}"
    );
    let kept = c
        .find(Locator::Css("[name='g0.c1.title']"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some("Bắt đầu đúng giờ"), "typed text kept");
    show(c, "form.rubric-editor p.error").await?;
    screenshot(c, "evaluation-8-editor-error").await;
    fill_named(c, "g0.c0.max", "4").await?;
    fill_named(c, "g0.c0.steps", "90: 4").await?;
    press(c, "save").await?;
    text_of(c, ".flash", |t| t == "Đã lưu dự thảo.").await;
    let page = c.source().await?;
    assert!(page.contains("Bắt đầu đúng giờ"), "saved and listed");
    Ok(())
}
