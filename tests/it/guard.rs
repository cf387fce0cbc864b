//! The route guard: every route, page or API, declares what it needs, and the
//! check runs before the handler reads its body.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, csrf_of, get_text, login};
use chibo::service::Object;
use chibo::web::guard::{Need, Surface};
use reqwest::StatusCode;
use serde_json::json;

/// Every route of the application, pages and API alike, with ids of objects
/// outside the caller's subtree: everything answers 404, whatever the method,
/// with a valid CSRF token and a well-formed body, so only the guard can
/// refuse. Routes that name no object refuse anonymous callers.
async fn every_route_hides_another_subtree(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (meeting, task, doc) = t.foreign_objects().await;
    let (round, visit) = crate::supervision::foreign_round(&t, meeting).await;
    let recommendation = t.foreign_recommendation().await;
    let rules = chibo::web::rules(&t.app);
    // An account of the other district and one of its grants.
    let outsider = chibo::store::user::by_username(&t.app.db, "outsider")
        .await
        .expect("user")
        .expect("outsider")
        .id;
    let grant = chibo::store::user::grant_rows(&t.app.db, outsider)
        .await
        .expect("grants")[0]
        .id;
    let mut failures = Vec::new();
    let mut checked = 0;
    for user in ["staff", "secretary", "member"] {
        let token = t.token(user).await;
        let browser = client();
        login(&t, &browser, user).await;
        let csrf = csrf_of(&get_text(&browser, format!("{}/", t.base)).await);
        for rule in &rules {
            let Need::On(object, _) = rule.need else {
                continue;
            };
            let id = match object {
                Object::Org => t.fx.other_cell.0,
                Object::Member => t.fx.other_member.0,
                Object::Meeting => meeting,
                Object::Task => task,
                Object::Document => doc,
                Object::User => outsider.0,
                Object::Round => round,
                Object::Visit => visit,
                Object::Conclusion => round,
                Object::Recommendation => recommendation,
            };
            let path = rule
                .path
                .replace("{id}", &id.to_string())
                .replace("{which}", "minutes")
                .replace("{grant_id}", &grant.to_string());
            let url = format!("{}{path}", t.base);
            let method =
                reqwest::Method::from_bytes(rule.method.as_str().as_bytes()).expect("method");
            let req = match rule.surface {
                Surface::Api => t
                    .http
                    .request(method.clone(), &url)
                    .bearer_auth(&token)
                    .json(&json!({"name": "Tên mới", "status": "done"})),
                Surface::Page => browser
                    .request(method.clone(), &url)
                    .form(&[("_csrf", csrf.as_str()), ("name", "Tên mới")]),
            };
            let status = req.send().await.expect("request").status();
            checked += 1;
            if status != StatusCode::NOT_FOUND {
                failures.push(format!("{user} {method} {path}: {status}"));
            }
        }
    }
    // Routes that name no object still want a caller.
    for rule in rules.iter().filter(|r| r.need == Need::SignedIn) {
        let method = reqwest::Method::from_bytes(rule.method.as_str().as_bytes()).expect("method");
        let status = t
            .http
            .request(method.clone(), format!("{}{}", t.base, rule.path))
            .json(&json!({}))
            .send()
            .await
            .expect("request")
            .status();
        let expected = match rule.surface {
            Surface::Api => StatusCode::UNAUTHORIZED,
            Surface::Page => StatusCode::SEE_OTHER,
        };
        checked += 1;
        if status != expected {
            failures.push(format!("anonymous {method} {}: {status}", rule.path));
        }
    }
    assert!(checked > 200, "{checked} checks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The API's routes and its OpenAPI document list the same operations, so
/// the document-driven sweep and fuzzing see every route.
async fn openapi_lists_every_api_route(b: Backend) {
    let t = TestApp::spawn(b).await;
    let doc = t.openapi().await;
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for method in item.as_object().expect("methods").keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let mut served: Vec<String> = chibo::web::rules(&t.app)
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    documented.sort();
    served.sort();
    assert_eq!(served, documented);
}

/// An outsider's request is refused before its body is read: a malformed
/// JSON body or a 1.5 MB form answers 404 (not 400 or 422), and a caller who
/// may not act learns nothing from the body's shape.
async fn refused_before_the_body_is_read(b: Backend) {
    let t = TestApp::spawn(b).await;
    let (meeting, _, _) = t.foreign_objects().await;
    let token = t.token("secretary").await;
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{meeting}/attendance", t.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let browser = client();
    login(&t, &browser, "secretary").await;
    let big = "m0=1&".repeat(300_000);
    let r = browser
        .post(format!("{}/meetings/{meeting}/attendance", t.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// Public routes are few and named here: a new one must be added on purpose.
/// Each refuses what it should without a caller (the login form asks for
/// credentials; a calendar address that was never made is not found).
async fn public_routes_are_deliberate(b: Backend) {
    let t = TestApp::spawn(b).await;
    let mut public: Vec<String> = chibo::web::rules(&t.app)
        .iter()
        .filter(|r| r.need == Need::Public)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    public.sort();
    assert_eq!(
        public,
        [
            "GET /api/openapi.json",
            "GET /feeds/{file}",
            "GET /healthz",
            "GET /login",
            "GET /manifest.webmanifest",
            "GET /metrics",
            "GET /readyz",
            "GET /static/app.css",
            "GET /static/icon-192.png",
            "GET /static/icon-512.png",
            "GET /static/offline.html",
            "GET /static/offline.js",
            "GET /sw.js",
            "POST /api/v1/auth/token",
            "POST /login",
        ]
    );
    let r = t
        .http
        .get(format!("{}/feeds/{}.ics", t.base, "x".repeat(43)))
        .send()
        .await
        .expect("feed");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // /metrics is the operator's (docs/operations.md): through a proxy and
    // without the token it does not exist.
    let r = t
        .http
        .get(format!("{}/metrics", t.base))
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

both_backends!(
    public_routes_are_deliberate,
    every_route_hides_another_subtree,
    openapi_lists_every_api_route,
    refused_before_the_body_is_read
);
