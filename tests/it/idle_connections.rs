//! Connections idle past the pool's timeout are closed (store::pool, issue 14
//! point 5): an idle server holds none. The next request opens one again, and
//! it reads every write made meanwhile, here through a second instance on the
//! same database (docs/scale-out.md).

use crate::both_backends;
use crate::support::{Backend, TestApp, fixture, fresh_url, frozen_clock};
use chibo::app::AppState;
use chibo::store::{Db, Pooling};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Waits until `db`'s pool holds no connection; false after 10 s.
async fn all_closed(db: &Db) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if db.pool_state().0 == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

async fn idle_connections_close_and_reopen_current(b: Backend) {
    let (url, dir) = fresh_url(b).await;
    let short = Pooling {
        sqlite_idle: Duration::from_millis(200),
        postgres_idle: Duration::from_millis(200),
    };
    let db_a = Db::connect_with(&url, short).await.expect("a");
    db_a.migrate().await.expect("migrate");
    let app_a = AppState::new(db_a).with_clock(frozen_clock());
    let fx = fixture(&app_a).await;
    let a = TestApp::serve(app_a, fx.clone(), dir).await;
    let db_b = Db::connect(&url).await.expect("b");
    let b2 = TestApp::serve(
        AppState::new(db_b).with_clock(frozen_clock()),
        fx.clone(),
        None,
    )
    .await;

    let token = a.token("staff").await;
    let list = format!("/api/v1/orgs/{}/members?status=all", fx.cell1);
    let r = a.get(Some(&token), &list).await;
    assert_eq!(r.status(), StatusCode::OK);
    let before: usize = r.headers()["x-total-count"]
        .to_str()
        .expect("count")
        .parse()
        .expect("number");
    assert!(a.app.db.pool_state().0 > 0, "the read used a connection");
    assert!(all_closed(&a.app.db).await, "idle connections are closed");

    // Written through the other instance while the first holds no connection.
    let body = json!({"org_id": fx.cell1.0, "full_name": "Đinh Thị Mới", "gender": "Nữ", "card_number": "81000001"});
    let r = b2.post_json(Some(&token), "/api/v1/members", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(a.app.db.pool_state().0, 0);

    // The first instance opens a connection again and reads the write.
    let r = a.get(Some(&token), &list).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["x-total-count"].to_str().expect("count"),
        (before + 1).to_string()
    );
    let names: Vec<Value> = r.json().await.expect("json");
    assert!(
        names.iter().any(|m| m["full_name"] == "Đinh Thị Mới"),
        "{names:?}"
    );

    // And writes through a reopened connection after closing again.
    assert!(all_closed(&a.app.db).await);
    let body = json!({"org_id": fx.cell1.0, "full_name": "Đinh Văn Sau", "gender": "Nam", "card_number": "81000002"});
    assert_eq!(
        a.post_json(Some(&token), "/api/v1/members", &body)
            .await
            .status(),
        StatusCode::CREATED
    );
    let r = b2.get(Some(&token), &list).await;
    assert_eq!(
        r.headers()["x-total-count"].to_str().expect("count"),
        (before + 2).to_string()
    );
}

both_backends!(idle_connections_close_and_reopen_current);
