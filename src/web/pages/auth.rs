//! Sign-in and sign-out.

use super::layout::{Frame, csrf_field, page};
use crate::app::AppState;
use crate::service;
use crate::web::extract::{CsrfForm, PageCaller, SESSION_USER, csrf_token};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths, so the login form cannot bounce a user elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn form(csrf: &str, username: &str, next: &str, error: Option<&str>) -> Markup {
    page(
        Frame {
            title: "Đăng nhập",
            caller: None,
            csrf,
            flash: None,
        },
        html! {
            h1 { "Đăng nhập" }
            div.card {
                @if let Some(e) = error { p.error role="alert" { (e) } }
                form method="post" action="/login" {
                    (csrf_field(csrf))
                    input type="hidden" name="next" value=(next);
                    label for="username" { "Tên đăng nhập" }
                    input #username name="username" value=(username) autocomplete="username" autocapitalize="none" required;
                    label for="password" { "Mật khẩu" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    button type="submit" { "Đăng nhập" }
                }
            }
        },
    )
}

pub async fn login_form(session: Session, Query(q): Query<Next>) -> Markup {
    let csrf = csrf_token(&session).await;
    form(&csrf, "", &safe_next(q.next.as_deref()), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(app): State<AppState>,
    session: Session,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    match service::auth::login(&app, &f.username, &f.password).await {
        Ok(user) => {
            // A new session id on sign-in defeats session fixation.
            if session.cycle_id().await.is_err()
                || session.insert(SESSION_USER, user.0).await.is_err()
            {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Không tạo được phiên làm việc",
                )
                    .into_response();
            }
            Redirect::to(&next).into_response()
        }
        Err(_) => {
            let csrf = csrf_token(&session).await;
            let msg = "Tên đăng nhập hoặc mật khẩu không đúng.";
            (
                StatusCode::UNAUTHORIZED,
                form(&csrf, &f.username, &next, Some(msg)),
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(pc: PageCaller, CsrfForm(_): CsrfForm<Empty>) -> Redirect {
    if let Err(e) = pc.session.flush().await {
        tracing::warn!(error = %e, "logout flush failed");
    }
    Redirect::to("/login")
}
