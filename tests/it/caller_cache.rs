//! The caller cache (docs/rules.md "Caller cache"): a change to what a caller
//! may do is seen by the very next request, on the instance that made it and
//! on another instance of the same database whose cache was warm.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, login, node};
use chibo::app::AppState;
use chibo::domain::authz::Role;
use chibo::domain::org::{CellType, OrgKind};
use chibo::service::{self, Caller};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The (role, node) pairs `/api/v1/me` reports for `token` on `t`.
async fn grants(t: &TestApp, token: &str) -> Vec<(String, i64)> {
    let me: Value = t.get_json(token, "/api/v1/me").await;
    me["grants"]
        .as_array()
        .expect("grants")
        .iter()
        .map(|g| {
            (
                g["role"].as_str().expect("role").to_string(),
                g["org_id"].as_i64().expect("org"),
            )
        })
        .collect()
}

fn refused(s: StatusCode) -> bool {
    matches!(
        s,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED
    )
}

async fn admin(app: &AppState) -> Caller {
    let id = service::account::by_username(app, "admin")
        .await
        .expect("admin");
    service::auth::caller(app, id).await.expect("admin caller")
}

async fn changes_reach_every_instance_at_once(b: Backend) {
    // Instance a makes the changes, instance b only serves: its cache must
    // still never answer with what a's writes made stale.
    let (a, b2) = TestApp::pair(b).await;
    let fx = a.fx.clone();
    let boss = admin(&a.app).await;

    // A grant removed: the next request is refused.
    let staff = a.token("staff").await;
    let district = format!("/api/v1/orgs/{}", fx.district);
    for t in [&a, &b2] {
        assert_eq!(
            t.get(Some(&staff), &district).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            t.get(Some(&staff), &district).await.status(),
            StatusCode::OK
        );
    }
    assert!(!b2.app.callers.is_empty(), "b has cached the caller");
    let staff_id = service::account::by_username(&a.app, "staff")
        .await
        .expect("id");
    let g = service::account::grant_id(&a.app, staff_id, Role::Staff, fx.district)
        .await
        .expect("grant");
    service::account::remove_grant(&a.app, &boss, staff_id, g)
        .await
        .expect("remove");
    for t in [&b2, &a] {
        let s = t.get(Some(&staff), &district).await.status();
        assert!(refused(s), "grant removed, yet {s}");
        assert!(grants(t, &staff).await.is_empty());
    }

    // An account disabled: its open session on the other instance ends.
    let c = client();
    login(&b2, &c, "secretary").await;
    let home = |base: String| {
        let c = c.clone();
        async move {
            c.get(format!("{base}/"))
                .send()
                .await
                .expect("home")
                .status()
        }
    };
    assert_eq!(home(b2.base.clone()).await, StatusCode::OK);
    assert_eq!(home(b2.base.clone()).await, StatusCode::OK);
    let sec_id = service::account::by_username(&a.app, "secretary")
        .await
        .expect("id");
    service::account::set_disabled(&a.app, &boss, sec_id, true)
        .await
        .expect("disable");
    let s = home(b2.base.clone()).await;
    assert_ne!(s, StatusCode::OK, "disabled account still served");

    // A member transferred to another cell sees the new cell, not the old.
    let member = a.token("member").await;
    let mine = vec![("member".to_string(), fx.cell1.0)];
    assert_eq!(grants(&b2, &member).await, mine);
    assert_eq!(grants(&a, &member).await, mine);
    service::member::transfer(
        &a.app,
        &boss,
        fx.ha,
        &service::member::TransferInput {
            to_org_id: Some(fx.cell2.0),
            kind: "permanent".into(),
            ..Default::default()
        },
    )
    .await
    .expect("transfer");
    let moved = vec![("member".to_string(), fx.cell2.0)];
    assert_eq!(grants(&b2, &member).await, moved);
    assert_eq!(grants(&a, &member).await, moved);

    // A follower placement ended: the followed cell is no longer the caller's.
    add_user(&a.app, "theodoi", Some(fx.other_member), None).await;
    let follow = service::follow::assign(
        &a.app,
        &boss,
        fx.cell1,
        &service::follow::FollowInput {
            member: String::new(),
            member_id: Some(fx.other_member.0),
            kind: "cadre".into(),
            from: "01/11/2026".into(),
        },
    )
    .await
    .expect("assign");
    let follower = a.token("theodoi").await;
    let cell1 = format!("/api/v1/orgs/{}/meetings", fx.cell1);
    for t in [&b2, &a] {
        assert!(
            grants(t, &follower)
                .await
                .contains(&("follower".to_string(), fx.cell1.0))
        );
        assert_eq!(
            t.get(Some(&follower), &cell1).await.status(),
            StatusCode::OK
        );
    }
    service::follow::end(&a.app, &boss, fx.cell1, follow)
        .await
        .expect("end");
    for t in [&b2, &a] {
        assert_eq!(
            grants(t, &follower).await,
            vec![("member".to_string(), fx.other_cell.0)]
        );
        let s = t.get(Some(&follower), &cell1).await.status();
        assert!(refused(s), "placement ended, yet {s}");
    }

    // A node dissolved: its secretary still reads it, and changes nothing.
    let cell3 = node(
        &a.app,
        fx.commune,
        "Chi bộ 3",
        OrgKind::Cell,
        Some(CellType::Rural),
    )
    .await;
    add_user(&a.app, "bithu3", None, Some((Role::Secretary, cell3))).await;
    let sec3 = a.token("bithu3").await;
    b2.new_meeting(&sec3, cell3, "2026-11-25").await;
    a.new_meeting(&sec3, cell3, "2026-11-26").await;
    service::org::dissolve(
        &a.app,
        &boss,
        cell3,
        &service::org::OrgChange {
            effective_on: "2026-11-23".into(),
            ..Default::default()
        },
    )
    .await
    .expect("dissolve");
    for t in [&b2, &a] {
        let r = t
            .post_json(
                Some(&sec3),
                &format!("/api/v1/orgs/{cell3}/meetings"),
                &json!({"kind": "regular", "date": "2026-11-27"}),
            )
            .await;
        assert!(refused(r.status()), "dissolved, yet {}", r.status());
        assert_eq!(
            t.get(Some(&sec3), &format!("/api/v1/orgs/{cell3}"))
                .await
                .status(),
            StatusCode::OK,
            "still read as of its last day"
        );
    }
}

/// A change written outside the services (the command line, a repair in SQL)
/// is seen too: the triggers raise the epoch, not the service code.
async fn a_grant_written_in_sql_is_seen(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let other = format!("/api/v1/orgs/{}", t.fx.other_district);
    assert!(refused(t.get(Some(&staff), &other).await.status()));
    let id = service::account::by_username(&t.app, "staff")
        .await
        .expect("id");
    let mut tx = t.app.db.begin().await.expect("tx");
    chibo::store::user::insert_grant(&mut tx, id, Role::Staff.code(), t.fx.other_district)
        .await
        .expect("grant");
    tx.commit().await.expect("commit");
    assert_eq!(t.get(Some(&staff), &other).await.status(), StatusCode::OK);
}

both_backends!(
    changes_reach_every_instance_at_once,
    a_grant_written_in_sql_is_seen
);
