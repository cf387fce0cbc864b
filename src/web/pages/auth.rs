//! Sign-in and sign-out.
//!
//! The login form needs no session: its CSRF token is a random value in a
//! cookie of its own (double submit), so an anonymous visit writes nothing
//! to the database. The session is created at sign-in, under a new id and
//! with a new CSRF token.

use super::layout::{Frame, csrf_field, page};
use crate::app::AppState;
use crate::service::{self, AppError};
use crate::web::error::{message, retry_after};
use crate::web::extract::{
    ClientAddr, CsrfForm, PageCaller, SESSION_AUTH, random_token, renew_csrf, same_token,
};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use maud::{Markup, html};
use serde::Deserialize;
use tower_sessions::Session;

/// The login form's CSRF cookie.
const LOGIN_COOKIE: &str = "chibo_login";

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only paths of this site, so the login form cannot bounce a user elsewhere.
///
/// Browsers drop tabs and newlines inside URLs and read `\` as `/`, so
/// "/\t/evil.com" or "/\evil.com" become "//evil.com": anything with a
/// control character or a backslash, even percent-encoded, is refused; what
/// remains is resolved against a fixed origin and kept only if the origin is
/// unchanged, in its normalized form.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_site_path)
        .unwrap_or_else(|| "/".to_string())
}

fn same_site_path(next: &str) -> Option<String> {
    let bad = |s: &str| s.chars().any(|c| c.is_control() || c == '\\');
    if !next.starts_with('/') || bad(next) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    if bad(&decoded) || decoded.starts_with("//") {
        return None;
    }
    let base = url::Url::parse("http://chibo.invalid/").ok()?;
    let url = base.join(next).ok()?;
    (url.origin() == base.origin()).then(|| url[url::Position::BeforePath..].to_string())
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

/// The login form's token: the cookie's, or a new one set with the answer.
fn login_token(app: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(LOGIN_COOKIE)
        && c.value().len() == 32
    {
        let v = c.value().to_string();
        return (jar, v);
    }
    let token = random_token();
    let cookie = Cookie::build((LOGIN_COOKIE, token.clone()))
        .path("/login")
        .http_only(true)
        .secure(app.web.https())
        .same_site(SameSite::Strict)
        .max_age(tower_sessions::cookie::time::Duration::hours(2))
        .build();
    (jar.add(cookie), token)
}

pub async fn login_form(
    State(app): State<AppState>,
    jar: CookieJar,
    Query(q): Query<Next>,
) -> impl IntoResponse {
    let (jar, csrf) = login_token(&app, jar);
    (jar, form(&csrf, "", &safe_next(q.next.as_deref()), None))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn login(
    State(app): State<AppState>,
    session: Session,
    jar: CookieJar,
    ClientAddr(client): ClientAddr,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let cookie_ok = jar
        .get(LOGIN_COOKIE)
        .is_some_and(|c| !f.csrf.is_empty() && same_token(c.value(), &f.csrf));
    if !cookie_ok {
        let (jar, csrf) = login_token(&app, jar.remove(Cookie::from(LOGIN_COOKIE)));
        let msg = "Trang đăng nhập đã cũ; hãy nhập lại tên đăng nhập và mật khẩu.";
        return (
            StatusCode::FORBIDDEN,
            jar,
            form(&csrf, &f.username, &next, Some(msg)),
        )
            .into_response();
    }
    match service::login::login(
        &app,
        service::login::Channel::Page,
        &client,
        &f.username,
        &f.password,
    )
    .await
    {
        Ok(signed_in) => {
            let auth = service::auth::SessionAuth::from(signed_in);
            // A new session id on sign-in defeats session fixation, and a
            // new CSRF token makes any token seen before worthless.
            if session.cycle_id().await.is_err()
                || session.insert(SESSION_AUTH, auth).await.is_err()
            {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Không tạo được phiên làm việc",
                )
                    .into_response();
            }
            renew_csrf(&session).await;
            let jar = jar.remove(Cookie::build(LOGIN_COOKIE).path("/login"));
            (jar, Redirect::to(&next)).into_response()
        }
        Err(e) => {
            let status = match e {
                AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Unauthorized => StatusCode::UNAUTHORIZED,
                _ => return crate::web::error::PageError(e).into_response(),
            };
            let msg = match e {
                AppError::Unauthorized => "Tên đăng nhập hoặc mật khẩu không đúng.".to_string(),
                _ => message(&e),
            };
            let mut resp = (status, form(&f.csrf, &f.username, &next, Some(&msg))).into_response();
            if let Some(secs) = retry_after(&e)
                && let Ok(v) = HeaderValue::from_str(&secs.to_string())
            {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
    }
}

pub async fn logout(
    State(app): State<AppState>,
    pc: PageCaller,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Redirect {
    if let Err(e) = service::login::logout(&app, &pc.caller).await {
        tracing::warn!(error = %e, "logout audit failed");
    }
    if let Err(e) = pc.session.flush().await {
        tracing::warn!(error = %e, "logout flush failed");
    }
    Redirect::to("/login")
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_keeps_only_paths_of_this_site() {
        for (input, want) in [
            ("/", "/"),
            ("/ok?x=1#y", "/ok?x=1#y"),
            ("/orgs/3/members?q=An", "/orgs/3/members?q=An"),
            ("/a/../b", "/b"),
            ("/%E1%BA%A1", "/%E1%BA%A1"),
            ("/ a", "/%20a"),
        ] {
            assert_eq!(safe_next(Some(input)), want, "{input:?}");
        }
        for hostile in [
            "//evil.com",
            "///evil.com",
            "/\\evil.com",
            "/\\/evil.com",
            "\\\\evil.com",
            "/\t/evil.com",
            "/\n/evil.com",
            "/\r\n/evil.com",
            "/%09/evil.com",
            "/%0a/evil.com",
            "/%0D%0A/evil.com",
            "/%5c/evil.com",
            "/%5Cevil.com",
            "/%2f/evil.com",
            "/%2F%2Fevil.com",
            "https://evil.com",
            "http:evil.com",
            "javascript:alert(1)",
            "evil.com",
            " /evil",
            "\u{0}/x",
            "/\u{7f}/evil.com",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
