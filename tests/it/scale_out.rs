//! Two chibo instances on one database (docs/scale-out.md): sessions, tokens
//! and writes made through one are seen by the other, and concurrent writes
//! through both lose nothing.

use crate::both_backends;
use crate::support::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn two_instances_one_database(b: Backend) {
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();

    // A token issued by one instance works on the other.
    let token = a.token("staff").await;
    assert_eq!(
        b2.get(Some(&token), "/api/v1/me").await.status(),
        StatusCode::OK
    );
    // A browser session opened on one is valid on the other (sessions live in the database).
    let c = crate::support::client();
    crate::support::login(&a, &c, "staff").await;
    // The cookie is for 127.0.0.1, whatever the port: the second instance sees the same session.
    let home = c.get(format!("{}/", b2.base)).send().await.expect("home");
    assert_eq!(
        home.status(),
        StatusCode::OK,
        "session shared through the database"
    );

    // Concurrent writes through both instances: every acknowledged one is there.
    let mut handles = Vec::new();
    for (i, base) in [a.base.clone(), b2.base.clone()].into_iter().enumerate() {
        let token = token.clone();
        let http = a.http.clone();
        let cell = fx.cell1.0;
        handles.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..15 {
                let letters: String = [b'a' + (n % 26) as u8, b'a' + i as u8].iter().map(|c| *c as char).collect();
                let body = json!({"org_id": cell, "full_name": format!("Lê Văn {letters}"), "gender": "Nam", "card_number": format!("7{i}{n:06}")});
                let r = http.post(format!("{base}/api/v1/members")).bearer_auth(&token).json(&body).send().await.expect("post");
                assert_eq!(r.status(), StatusCode::CREATED);
                ids.push(r.json::<Value>().await.expect("json")["id"].as_i64().expect("id"));
            }
            ids
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.expect("join"));
    }
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 30, "no id handed out twice");
    let r = b2
        .get(
            Some(&token),
            &format!("/api/v1/orgs/{}/members?status=all", fx.cell1),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "34");
}

both_backends!(two_instances_one_database);
