//! The page frame and shared pieces of markup: one layout, one form-field
//! helper, one pager.

use crate::domain::ValidationError;
use crate::domain::display::Display;
use crate::service::Caller;
use maud::{DOCTYPE, Markup, PreEscaped, html};

pub struct Frame<'a> {
    pub title: &'a str,
    pub caller: Option<&'a Caller>,
    pub csrf: &'a str,
    pub flash: Option<String>,
}

pub fn page(f: Frame<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" class=[f.caller.and_then(|c| display_class(c.display))] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (f.title) " · chibo" }
                link rel="stylesheet" href="/static/app.css";
                // Installable, readable and writable offline (docs/rules.md
                // "Offline reading and recording"); the user key lets the
                // service worker keep one person's pages only.
                link rel="manifest" href="/manifest.webmanifest";
                meta name="theme-color" content="#a3171c";
                @if let Some(c) = f.caller { meta name="chibo-user" content=(format!("u{}", c.actor.user_id.0)); }
                script src="/static/offline.js" defer {}
            }
            body {
                header {
                    a.brand href="/" { "chibo · Sinh hoạt chi bộ" }
                    @if let Some(c) = f.caller {
                        a href="/" { "Trang chủ" }
                        a href="/tree" { "Cây tổ chức" }
                        a href="/orgs" { "Tìm tổ chức" }
                        @if let Some(m) = c.actor.member_id {
                            a href=(format!("/members/{m}")) { "Hồ sơ của tôi" }
                        }
                        a href="/me/display" { "Cỡ chữ" }
                        form method="post" action="/logout" {
                            (csrf_field(f.csrf))
                            button type="submit" title=(c.actor.display_name) { "Đăng xuất (" (c.actor.username) ")" }
                        }
                    }
                }
                main {
                    @if let Some(msg) = f.flash { p.flash role="status" { (msg) } }
                    (body)
                }
            }
        }
    }
}

/// The classes of `<html>` for the caller's reading preferences
/// (docs/rules.md "Reading preferences"); static/app.css styles them.
fn display_class(d: Display) -> Option<&'static str> {
    match (d.large_text, d.high_contrast) {
        (false, false) => None,
        (true, false) => Some("text-large"),
        (false, true) => Some("contrast-high"),
        (true, true) => Some("text-large contrast-high"),
    }
}

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(crate::web::extract::CSRF_FIELD) value=(token); }
}

pub fn error_page(title: &str, message: &str) -> Markup {
    page(
        Frame {
            title,
            caller: None,
            csrf: "",
            flash: None,
        },
        html! {
            h1 { (title) }
            p.alert { (message) }
            p { a href="/" { "Về trang chủ" } }
        },
    )
}

/// Errors of one field, by API field name.
pub fn errors_for<'a>(errors: &'a [ValidationError], field: &str) -> Vec<&'a ValidationError> {
    errors.iter().filter(|e| e.field == field).collect()
}

pub enum Input<'a> {
    Text,
    Date,
    Email,
    Tel,
    /// Digits typed on a phone's number pad (Số CCCD).
    Numeric,
    Select(&'a [(&'a str, &'a str)]),
    /// Free text with suggestions from the `<datalist>` of this id.
    Suggest(&'a str),
}

/// A labelled input with its errors shown under it.
pub fn field(
    name: &str,
    label: &str,
    value: &str,
    input: Input<'_>,
    errors: &[ValidationError],
) -> Markup {
    let errs = errors_for(errors, name);
    let id = format!("f-{name}");
    html! {
        div class=[(!errs.is_empty()).then_some("field-error")] {
            label for=(id) { (label) }
            @match input {
                Input::Select(options) => {
                    select id=(id) name=(name) {
                        @for (code, text) in options {
                            option value=(code) selected[*code == value] { (text) }
                        }
                    }
                }
                Input::Date => input id=(id) name=(name) value=(value) placeholder="dd/mm/yyyy" inputmode="numeric";
                Input::Email => input id=(id) type="email" name=(name) value=(value);
                Input::Tel => input id=(id) type="tel" name=(name) value=(value);
                Input::Numeric => input id=(id) name=(name) value=(value) inputmode="numeric" autocomplete="off";
                Input::Text => input id=(id) name=(name) value=(value);
                Input::Suggest(list) => input id=(id) name=(name) value=(value) list=(list) autocomplete="off";
            }
            @for e in errs { p.error { (e.to_string()) } }
        }
    }
}

/// Errors not tied to a field shown by the form.
pub fn other_errors(errors: &[ValidationError], shown: &[&str]) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| !shown.contains(&e.field)) { p.error { (e.to_string()) } }
    }
}

pub fn pager(base: &str, page: i64, pages: i64) -> Markup {
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        @if pages > 1 {
            nav.pager aria-label="Phân trang" {
                @if page > 1 { a href=(format!("{base}{sep}page={}", page - 1)) rel="prev" { "← Trang trước" } }
                span { "Trang " (page) " / " (pages) }
                @if page < pages { a href=(format!("{base}{sep}page={}", page + 1)) rel="next" { "Trang sau →" } }
            }
        }
    }
}

/// Percent-encodes a query value.
pub fn qs(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

pub fn nbsp() -> Markup {
    PreEscaped("&nbsp;".to_string())
}
