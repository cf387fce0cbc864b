//! Browser sessions (issue 9 items 5 and 6): no session row for anonymous
//! visits, a new CSRF token at sign-in, Secure cookies and HSTS over HTTPS,
//! a 12-hour absolute lifetime, revocation, and only same-site redirects
//! after sign-in.

use crate::both_backends;
use crate::support::{
    Backend, PASSWORD, TestApp, client, csrf_of, fixture, fresh_db, fresh_url, frozen_clock,
    get_text, login,
};
use chibo::app::{AppState, Clock, WebSettings};
use chibo::store::Db;
use reqwest::StatusCode;

async fn session_rows(db: &Db) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions")
            .fetch_one(p)
            .await
            .expect("count"),
        Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions.session")
            .fetch_one(p)
            .await
            .expect("count"),
    }
}

async fn spawn_with(b: Backend, web: WebSettings) -> (TestApp, Db) {
    let (db, dir) = fresh_db(b).await;
    let app = AppState::new(db.clone())
        .with_clock(frozen_clock())
        .with_web(web);
    let fx = fixture(&app).await;
    (TestApp::serve(app, fx, dir).await, db)
}

async fn anonymous_visits_write_no_session(b: Backend) {
    let (t, db) = spawn_with(b, WebSettings::default()).await;
    for path in [
        "/login",
        "/login?next=/orgs/1",
        "/",
        "/orgs/1",
        "/khong-co-trang-nay",
        "/static/app.css",
    ] {
        for _ in 0..5 {
            // A fresh client each time: a visitor with no cookie at all.
            let r = client()
                .get(format!("{}{path}", t.base))
                .send()
                .await
                .expect("get");
            assert!(r.status().as_u16() < 500, "{path}");
        }
    }
    // A failed sign-in writes no session either.
    let c = client();
    let page = get_text(&c, format!("{}/login", t.base)).await;
    let r = c
        .post(format!("{}/login", t.base))
        .form(&[
            ("username", "staff"),
            ("password", "sai"),
            ("_csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(session_rows(&db).await, 0);
    login(&t, &c, "staff").await;
    assert_eq!(session_rows(&db).await, 1, "one row once signed in");
}

async fn csrf_token_is_renewed_at_sign_in(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let before = csrf_of(&get_text(&c, format!("{}/login", t.base)).await);
    let after = login(&t, &c, "staff").await;
    assert_ne!(before, after);
    // The pre-login token is worth nothing for a signed-in form.
    let r = c
        .post(format!("{}/logout", t.base))
        .form(&[("_csrf", before.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // A login form posted without its cookie is refused.
    let r = client()
        .post(format!("{}/login", t.base))
        .form(&[
            ("username", "staff"),
            ("password", PASSWORD),
            ("_csrf", before.as_str()),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn https_means_secure_cookies_and_hsts(b: Backend) {
    let (plain, _db) = spawn_with(b, WebSettings::default()).await;
    let r = client()
        .get(format!("{}/login", plain.base))
        .send()
        .await
        .expect("get");
    assert!(!r.headers().contains_key("strict-transport-security"));
    let (t, _db) = spawn_with(
        b,
        WebSettings {
            public_url: "https://chibo.example.vn".into(),
            ..WebSettings::default()
        },
    )
    .await;
    let r = client()
        .get(format!("{}/login", t.base))
        .send()
        .await
        .expect("get");
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .starts_with("max-age=")
    );
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
    let login_cookie = cookie.split(';').next().expect("pair").to_string();
    let html = r.text().await.expect("text");
    // A browser would not send a Secure cookie over http: send it by hand.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/login", t.base))
        .header("cookie", login_cookie)
        .form(&[
            ("username", "staff"),
            ("password", PASSWORD),
            ("_csrf", &csrf_of(&html)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("chibo_session="))
        .expect("session cookie")
        .to_string();
    assert!(session.contains("Secure"), "{session}");
    assert!(session.contains("HttpOnly"), "{session}");
}

/// A session opened at T is refused 12 hours later however active; the
/// second instance's clock stands 13 hours on.
async fn sessions_end_twelve_hours_after_sign_in(b: Backend) {
    let (url, dir) = fresh_url(b).await;
    let db_a = Db::connect(&url).await.expect("a");
    db_a.migrate().await.expect("migrate");
    let app_a = AppState::new(db_a).with_clock(frozen_clock());
    let fx = fixture(&app_a).await;
    let later = |h: i64| {
        let now = frozen_clock().now();
        Clock::Fixed(now + jiff::SignedDuration::from_hours(h))
    };
    let a = TestApp::serve(app_a, fx.clone(), None).await;
    let db_b = Db::connect(&url).await.expect("b");
    let b11 = TestApp::serve(AppState::new(db_b).with_clock(later(11)), fx.clone(), None).await;
    let db_c = Db::connect(&url).await.expect("c");
    let c13 = TestApp::serve(AppState::new(db_c).with_clock(later(13)), fx, dir).await;
    let c = client();
    login(&a, &c, "staff").await;
    let at = |base: &str| c.get(format!("{base}/")).send();
    assert_eq!(at(&b11.base).await.expect("get").status(), StatusCode::OK);
    let r = at(&c13.base).await.expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    // And the session is gone for good, even at the earlier clock.
    assert_eq!(
        at(&a.base).await.expect("get").status(),
        StatusCode::SEE_OTHER
    );
}

async fn next_after_sign_in_stays_on_this_site(b: Backend) {
    let t = TestApp::spawn(b).await;
    for (next, want) in [
        ("/\t/evil.com", "/"),
        ("/\\evil.com", "/"),
        ("//evil.com", "/"),
        ("/%09/evil.com", "/"),
        ("https://evil.com", "/"),
        ("/orgs/1?x=1#y", "/orgs/1?x=1#y"),
    ] {
        let c = client();
        let page = get_text(
            &c,
            format!(
                "{}/login?next={}",
                t.base,
                chibo::web::pages::layout::qs(next)
            ),
        )
        .await;
        let r = c
            .post(format!("{}/login", t.base))
            .form(&[
                ("username", "staff"),
                ("password", PASSWORD),
                ("_csrf", &csrf_of(&page)),
                ("next", next),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.headers()["location"], want, "{next:?}");
    }
}

both_backends!(
    anonymous_visits_write_no_session,
    csrf_token_is_renewed_at_sign_in,
    https_means_secure_cookies_and_hsts,
    sessions_end_twelve_hours_after_sign_in,
    next_after_sign_in_stays_on_this_site,
);
