//! Statements a page (issue 14 point 3): every HTML page of a cell runs at
//! most ten statements, counted by the server itself (`Server-Timing`).

use crate::both_backends;
use crate::support::{Backend, TestApp, client, login, member};
use chibo::service::Object;
use chibo::web::guard::{Need, Surface};
use reqwest::StatusCode;

/// The most statements an HTML page of a cell may run.
const MOST: u32 = 10;

/// The statement count the server reported for an answer.
fn statements(res: &reqwest::Response) -> Option<u32> {
    let v = res.headers().get("server-timing")?.to_str().ok()?;
    let desc = v.split("desc=\"").nth(1)?;
    desc.split(' ').next()?.parse().ok()
}

/// Every page route of one organization, opened on a cell by the district's
/// staff and by the cell's secretary, right after a write to the cell (the
/// caches of the cell are all stale then) and once more: each HTML answer
/// reports its statements, and none runs more than ten.
async fn a_cells_pages_run_at_most_ten_statements(b: Backend) {
    let t = TestApp::spawn(b).await;
    t.new_meeting(&t.token("secretary").await, t.fx.cell1, "05/12/2026")
        .await;
    let mut failures = Vec::new();
    let (mut pages, mut most) = (0, 0);
    let mut card = 60_000_000;
    for user in ["staff", "secretary"] {
        let browser = client();
        login(&t, &browser, user).await;
        for rule in chibo::web::rules(&t.app) {
            if rule.surface != Surface::Page
                || rule.method != axum::http::Method::GET
                || !matches!(rule.need, Need::On(Object::Org, _))
                || rule.path.matches('{').count() != 1
            {
                continue;
            }
            let url = format!(
                "{}{}",
                t.base,
                rule.path.replace("{id}", &t.fx.cell1.0.to_string())
            );
            card += 1;
            member(&t.app, t.fx.cell1, "Lý Thị Hai", "Nữ", &card.to_string()).await;
            for view in ["after a write", "again"] {
                let res = browser.get(&url).send().await.expect("request");
                let html = res
                    .headers()
                    .get("content-type")
                    .is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/html"));
                if res.status() != StatusCode::OK || !html {
                    continue;
                }
                pages += 1;
                match statements(&res) {
                    Some(n) if n <= MOST => most = most.max(n),
                    n => failures.push(format!("{user} {view} {}: {n:?} statements", rule.path)),
                }
            }
        }
    }
    assert!(pages >= 10, "only {pages} pages opened");
    eprintln!("{pages} views of a cell's pages, at most {most} statements");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both_backends!(a_cells_pages_run_at_most_ten_statements);
