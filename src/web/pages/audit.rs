//! The audit log: who changed what, when, and the values before and after.

use super::layout::pager;
use super::render;
use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service;
use crate::store::audit::AuditRow;
use crate::web::error::PageError;
use crate::web::extract::{PageCaller, clamp_page};
use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use serde::Deserialize;

/// Field-by-field changes between two JSON snapshots.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (b, a) = (parse(before), parse(after));
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut keys: Vec<String> = Vec::new();
    for v in [&b, &a].into_iter().flatten() {
        if let Some(o) = v.as_object() {
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys.into_iter()
        .filter_map(|k| {
            let (old, new) = (
                text(b.as_ref().and_then(|v| v.get(&k))),
                text(a.as_ref().and_then(|v| v.get(&k))),
            );
            (old != new).then(|| {
                let label = crate::domain::member::FIELDS
                    .iter()
                    .find(|(f, _)| *f == k)
                    .map(|(_, l)| l.to_string());
                (label.unwrap_or(k), old, new)
            })
        })
        .collect()
}

pub fn entries(app: &AppState, rows: &[AuditRow]) -> Markup {
    html! {
        @if rows.is_empty() { p.muted { "Chưa có thay đổi nào." } }
        div.table-wrap { table {
            thead { tr { th { "Thời điểm" } th { "Người thực hiện" } th { "Nội dung" } } }
            tbody { @for r in rows { tr {
                td { (app.clock.zoned(r.at.to_jiff()).strftime("%d/%m/%Y %H:%M")) }
                td { (r.username) }
                td {
                    (r.summary)
                    @let diff = changes(r.before.as_deref(), r.after.as_deref());
                    @if !diff.is_empty() && r.before.is_some() {
                        ul { @for (field, old, new) in &diff { li { (field) ": " del { (old) } " → " ins { (new) } } } }
                    }
                }
            } } }
        } }
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn org_log(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, PageError> {
    let page = clamp_page(q.page);
    let rows = service::audit::for_org(&app, &pc.caller, OrgId(id), page).await?;
    let org = service::org::get(&app, &pc.caller, OrgId(id), app.clock.today()).await?;
    let more = rows.len() as i64 == service::PAGE_SIZE;
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Nhật ký thay đổi" }
        (entries(&app, &rows))
        (pager(&format!("/orgs/{id}/audit"), page, if more { page + 1 } else { page }))
    };
    Ok(render(&pc, "Nhật ký thay đổi", body).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_changed_fields() {
        let d = changes(
            Some(r#"{"phone":"0912","full_name":"A B"}"#),
            Some(r#"{"phone":"0987","full_name":"A B"}"#),
        );
        assert_eq!(
            d,
            vec![(
                "Điện thoại".to_string(),
                "0912".to_string(),
                "0987".to_string()
            )]
        );
    }
}
