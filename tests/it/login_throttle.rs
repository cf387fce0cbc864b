//! Sign-in throttling (issue 9 item 2): failures slow down further tries per
//! account and per client address, on every instance of one database; the
//! answer is the same whether the account exists; password checks in flight
//! are bounded; every outcome is audited.

use crate::both_backends;
use crate::support::{
    Backend, PASSWORD, TestApp, client, csrf_of, fixture, fresh_db, fresh_url, frozen_clock,
    get_text,
};
use chibo::app::AppState;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn try_token(t: &TestApp, user: &str, password: &str) -> reqwest::Response {
    t.post_json(
        None,
        "/api/v1/auth/token",
        &json!({"username": user, "password": password}),
    )
    .await
}

/// Five wrong passwords are free; the sixth try waits, even with the right
/// password, and an unknown name is treated exactly alike.
async fn account_is_slowed_after_five_failures(b: Backend) {
    let t = TestApp::spawn(b).await;
    for user in ["staff", "khong-ton-tai"] {
        for i in 0..5 {
            let r = try_token(&t, user, "sai-mat-khau").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{user} try {i}");
        }
        let r = try_token(&t, user, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{user}");
        let wait: i64 = r.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=900).contains(&wait), "{wait}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            body["error"],
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 1 giây."
        );
    }
    // Another account from the same address is not held up.
    assert_eq!(
        try_token(&t, "admin", PASSWORD).await.status(),
        StatusCode::OK
    );
    // Case and spaces do not make a fresh account to guess at.
    assert_eq!(
        try_token(&t, "  STAFF ", "x").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// One address guessing many accounts is stopped after 20 failures.
async fn address_is_slowed_across_accounts(b: Backend) {
    let t = TestApp::spawn(b).await;
    for i in 0..20 {
        let r = try_token(&t, &format!("ten-{i}"), "sai").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "try {i}");
    }
    let r = try_token(&t, "admin", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
}

/// The login page answers 429 with the form and a Vietnamese message.
async fn login_page_says_when_to_retry(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let page = get_text(&c, format!("{}/login", t.base)).await;
    let csrf = csrf_of(&page);
    let post = |password: &'static str| {
        c.post(format!("{}/login", t.base))
            .form(&[
                ("username", "staff"),
                ("password", password),
                ("_csrf", csrf.as_str()),
            ])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            post("sai").await.expect("post").status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = post(PASSWORD).await.expect("post");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let html = r.text().await.expect("text");
    assert!(html.contains("Vui lòng thử lại sau"), "{html}");
    assert!(
        html.contains("name=\"password\""),
        "the form is shown again"
    );
}

/// Failures counted by one instance slow down the same account on another.
async fn throttle_holds_across_instances(b: Backend) {
    let (url, dir) = fresh_url(b).await;
    let db_a = chibo::store::Db::connect(&url).await.expect("a");
    db_a.migrate().await.expect("migrate");
    let app_a = AppState::new(db_a).with_clock(frozen_clock());
    let fx = fixture(&app_a).await;
    let db_b = chibo::store::Db::connect(&url).await.expect("b");
    let a = TestApp::serve(app_a, fx.clone(), None).await;
    let b2 = TestApp::serve(AppState::new(db_b).with_clock(frozen_clock()), fx, dir).await;
    for i in 0..5 {
        let t = if i % 2 == 0 { &a } else { &b2 };
        assert_eq!(
            try_token(t, "staff", "sai").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    for t in [&a, &b2] {
        assert_eq!(
            try_token(t, "staff", PASSWORD).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

/// With every password check busy, a sign-in waits a bounded time and is
/// told to come back (503, Retry-After) instead of queueing without end.
async fn password_checks_in_flight_are_bounded(b: Backend) {
    let (db, dir) = fresh_db(b).await;
    let gate = chibo::service::login::LoginGate::new(1, std::time::Duration::from_millis(200));
    let app = AppState::new(db)
        .with_clock(frozen_clock())
        .with_login_gate(gate);
    let permits = app.login.hashes().clone();
    let fx = fixture(&app).await;
    let t = TestApp::serve(app, fx, dir).await;
    let held = permits.acquire().await.expect("permit");
    let r = try_token(&t, "staff", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: Value = r.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .expect("error")
            .contains("Máy chủ đang bận")
    );
    drop(held);
    assert_eq!(
        try_token(&t, "staff", PASSWORD).await.status(),
        StatusCode::OK
    );
}

/// Failed and successful sign-ins and token issues are in the audit log of
/// the account's node, without the password typed.
async fn sign_ins_are_audited(b: Backend) {
    let t = TestApp::spawn(b).await;
    assert_eq!(
        try_token(&t, "staff", "mat-khau-sai-9").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        try_token(&t, "ai-do", "mat-khau-sai-9").await.status(),
        StatusCode::UNAUTHORIZED
    );
    t.token("staff").await;
    let c = client();
    crate::support::login(&t, &c, "staff").await;
    let admin = t.token("admin").await;
    let log = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.district))
        .await;
    let actions: Vec<&str> = log
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["entity"] == "user")
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    for want in ["login_failed", "issue_token", "login"] {
        assert!(actions.contains(&want), "{want} in {actions:?}");
    }
    assert!(
        !log.to_string().contains("mat-khau-sai-9"),
        "no password in the log"
    );
    // A failure for a name nobody has is the admin's, with the root's log;
    // staff of the district do not see it.
    let root = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.root))
        .await;
    assert!(
        root.as_array()
            .expect("array")
            .iter()
            .any(|e| e["action"] == "login_failed" && e["username"] == "ai-do"),
        "{root}"
    );
    let staff = t.token("staff").await;
    assert!(
        !t.get_json(&staff, &format!("/api/v1/orgs/{}/audit", t.fx.district))
            .await
            .to_string()
            .contains("ai-do")
    );
}

both_backends!(
    account_is_slowed_after_five_failures,
    address_is_slowed_across_accounts,
    login_page_says_when_to_retry,
    throttle_holds_across_instances,
    password_checks_in_flight_are_bounded,
    sign_ins_are_audited,
);
