//! Every main page of every role held to axe-core (issue 13 point 2), in a
//! real headless Chromium at phone size on the demo data.
//!
//! For each demo role the test signs in and walks the pages the role can
//! reach by following links from its home page, one page for each route
//! pattern (`/orgs/{id}/dashboard` is visited once, whatever the id), so a
//! page added by any issue is checked as soon as it is linked. axe-core
//! (pinned in scripts/axe-fetch, path in CHIBO_AXE) runs on each; any serious
//! or critical violation fails the test, and every violation is printed.
//! The member's walk is repeated with larger text and high contrast on.

use super::supervision::logout;
use super::{browser, login, serve_demo};
use fantoccini::Client;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Route patterns checked per role, at most (keeps the walk to a few minutes).
const MAX_PAGES: usize = 70;

/// Links not to follow: downloads, feeds, and the sign-out.
fn skipped(path_and_query: &str) -> bool {
    let path = path_and_query.split('?').next().unwrap_or_default();
    const FILES: [&str; 7] = [".xlsx", ".ics", ".docx", ".pdf", ".csv", ".json", ".png"];
    FILES.iter().any(|x| path.ends_with(x))
        || path.starts_with("/feeds/")
        || path.starts_with("/api/")
        || path.starts_with("/static/")
        || path.starts_with("/logout")
        || path.contains("/download")
        || path.contains("/documents/")
}

/// `/orgs/12/meetings/7` → `/orgs/{id}/meetings/{id}`, and a month
/// (`/orgs/3/scores/2026-11`) is an id too.
fn pattern(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with(|c: char| c.is_ascii_digit())
                && s.chars().all(|c| c.is_ascii_digit() || c == '-')
            {
                "{id}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug)]
struct Finding {
    page: String,
    id: String,
    impact: String,
    help: String,
    nodes: Vec<String>,
}

/// Runs axe-core on the current page: its violations.
async fn axe(c: &Client, source: &str, page: &str) -> Vec<Finding> {
    c.execute(source, vec![]).await.expect("inject axe-core");
    let out = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {resultTypes: ['violations']})\
               .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,\
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))\
               .catch(e => done({error: String(e)}));",
            vec![],
        )
        .await
        .expect("axe.run");
    let list = match out {
        Value::Array(list) => list,
        other => panic!("axe-core failed on {page}: {other}"),
    };
    list.into_iter()
        .map(|v| Finding {
            page: page.to_string(),
            id: v["id"].as_str().unwrap_or_default().to_string(),
            impact: v["impact"].as_str().unwrap_or("unknown").to_string(),
            help: v["help"].as_str().unwrap_or_default().to_string(),
            nodes: v["nodes"]
                .as_array()
                .map(|n| {
                    n.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Same-origin links of the current page, as paths with their query.
async fn links(c: &Client, base: &str) -> Vec<String> {
    let v = c
        .execute(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);",
            vec![],
        )
        .await
        .expect("links");
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h.as_str())
        .filter_map(|h| h.strip_prefix(base))
        .map(|p| p.split('#').next().unwrap_or_default().to_string())
        .filter(|p| p.starts_with('/'))
        .collect()
}

/// Walks the role's pages breadth-first from its home, one per pattern.
async fn walk(c: &Client, base: &str, source: &str) -> (Vec<String>, Vec<Finding>) {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut visited = Vec::new();
    let mut findings = Vec::new();
    while let Some(path) = queue.pop_front() {
        if visited.len() >= MAX_PAGES {
            break;
        }
        let key = pattern(path.split('?').next().unwrap_or_default());
        if skipped(&path) || !seen.insert(key.clone()) {
            continue;
        }
        c.goto(&format!("{base}{path}")).await.expect("goto");
        findings.extend(axe(c, source, &path).await);
        visited.push(key);
        queue.extend(links(c, base).await);
    }
    (visited, findings)
}

/// axe-core on the page shown now (a screen a walk cannot reach by links:
/// the offline banner, a conflict): no serious or critical violation.
pub(super) async fn assert_accessible(c: &Client, what: &str) {
    let source = std::fs::read_to_string(axe_path()).expect("read axe-core");
    let findings = axe(c, &source, what).await;
    let blocking: Vec<_> = findings.iter().filter(|f| is_blocking(f)).collect();
    assert!(blocking.is_empty(), "{what}: {blocking:#?}");
}

fn axe_path() -> String {
    std::env::var("CHIBO_AXE")
        .expect("CHIBO_AXE is not set: run the tests with scripts/test, which fetches axe-core")
}

fn is_blocking(f: &Finding) -> bool {
    matches!(f.impact.as_str(), "serious" | "critical")
}

async fn set_display(c: &Client, base: &str, large: bool, contrast: bool) {
    use fantoccini::Locator;
    c.goto(&format!("{base}/me/display"))
        .await
        .expect("display page");
    for (name, on) in [("large_text", large), ("high_contrast", contrast)] {
        let el = c
            .find(Locator::Css(&format!("input[name={name}]")))
            .await
            .expect("checkbox");
        if el.is_selected().await.expect("checked?") != on {
            el.click().await.expect("tick");
        }
    }
    c.find(Locator::Css(
        "form[action='/me/display'] button[type=submit]",
    ))
    .await
    .expect("save")
    .click()
    .await
    .expect("click save");
    super::text_of(c, ".flash", |t| t.contains("Đã lưu cách hiển thị")).await;
    let class = c
        .execute("return document.documentElement.className;", vec![])
        .await
        .expect("class");
    let want = match (large, contrast) {
        (true, true) => "text-large contrast-high",
        (true, false) => "text-large",
        (false, true) => "contrast-high",
        (false, false) => "",
    };
    assert_eq!(
        class.as_str().unwrap_or_default(),
        want,
        "the setting shows at once"
    );
    super::screenshot(
        c,
        &format!(
            "a11y-display-{}",
            if want.is_empty() {
                "ordinary"
            } else {
                "large-contrast"
            }
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_of_every_role_passes_axe_core() {
    let source = std::fs::read_to_string(axe_path()).expect("read axe-core");
    let (base, _dir) = serve_demo().await;
    let c = browser().await;

    let mut report: BTreeMap<String, (Vec<String>, Vec<Finding>)> = BTreeMap::new();
    c.goto(&format!("{base}/login")).await.expect("login page");
    report.insert(
        "(signed out)".into(),
        (vec!["/login".into()], axe(&c, &source, "/login").await),
    );

    // The least a walk must reach, so that a broken home page cannot pass
    // the test by checking nothing.
    let roles: [(&str, &[&str]); 6] = [
        ("dangvien.banhon", &["/", "/members/{id}", "/me/display"]),
        ("bithu.banhon", &["/", "/orgs/{id}", "/orgs/{id}/meetings"]),
        ("banhon", &["/", "/orgs/{id}", "/orgs/{id}/dashboard"]),
        ("kimson", &["/", "/orgs/{id}", "/orgs/{id}/dashboard"]),
        ("kimson.canbo01", &["/", "/me/rounds"]),
        ("admin", &["/", "/tree"]),
    ];
    for (user, must) in roles {
        login(&c, &base, user).await.expect("login");
        let (visited, findings) = walk(&c, &base, &source).await;
        for m in must {
            assert!(
                visited.iter().any(|v| v == m),
                "{user} never reached {m}: {visited:?}"
            );
        }
        report.insert(user.to_string(), (visited, findings));
        if user == "dangvien.banhon" {
            // The same pages with larger text and high contrast.
            set_display(&c, &base, true, true).await;
            let (visited, findings) = walk(&c, &base, &source).await;
            report.insert(
                format!("{user} (chữ lớn, tương phản cao)"),
                (visited, findings),
            );
            set_display(&c, &base, false, false).await;
        }
        logout(&c).await.expect("logout");
    }
    c.close().await.expect("close browser");

    let mut blocking = 0;
    for (who, (pages, findings)) in &report {
        let mut by_impact: BTreeMap<&str, usize> = BTreeMap::new();
        for f in findings {
            *by_impact.entry(f.impact.as_str()).or_default() += 1;
        }
        println!(
            "axe-core {who}: {} pages, violations {by_impact:?}",
            pages.len()
        );
        println!("  pages: {}", pages.join(" "));
        for f in findings {
            println!(
                "  [{}] {} on {}: {} {:?}",
                f.impact, f.id, f.page, f.help, f.nodes
            );
            blocking += usize::from(is_blocking(f));
        }
    }
    assert_eq!(
        blocking, 0,
        "serious or critical accessibility violations (listed above)"
    );
}

#[test]
fn patterns_fold_ids() {
    assert_eq!(pattern("/orgs/12/meetings/7"), "/orgs/{id}/meetings/{id}");
    assert_eq!(pattern("/"), "/");
    assert_eq!(pattern("/orgs/3/scores/2026-11"), "/orgs/{id}/scores/{id}");
    assert!(skipped("/orgs/1/dashboard.xlsx"));
    assert!(skipped("/orgs/1/calendar.xlsx?from=2026-01-01"));
    assert!(!skipped("/orgs/1/dashboard"));
}
