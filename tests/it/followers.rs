//! Who follows a cell for the committee above it (issue 10 point 3, issue 11
//! point 1): placed by name, told of every meeting (Hướng dẫn 42-HD/BTCTW,
//! 28/10/2025), reads the cell's meetings and nothing more.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login, member};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn a_follower_is_placed_notified_and_reads_the_meetings(b: Backend) {
    let t = TestApp::spawn(b).await;
    // A commune committee member, herself a member of the commune's other cell.
    let cadre = member(&t.app, t.fx.cell2, "Vũ Thị Theo", "Nữ", "20000001").await;
    add_user(&t.app, "cadre", Some(cadre), None).await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;

    // The committee above places her by name, from the cell's page.
    let page = get_text(&c, format!("{}/orgs/{}/followers", t.base, t.fx.cell1)).await;
    assert!(page.contains("Chưa phân công ai theo dõi"), "{page}");
    let r = c
        .post(format!("{}/orgs/{}/followers", t.base, t.fx.cell1))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("member", "vu thi theo"),
            ("kind", "cadre"),
            ("from", "01/11/2026"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/orgs/{}/followers", t.base, t.fx.cell1)).await;
    assert!(page.contains("Vũ Thị Theo</strong> — Chi bộ 2"), "{page}");
    assert!(page.contains("Cán bộ theo dõi"), "{page}");

    // An unknown name and a missing role are field errors, in Vietnamese.
    let r = c
        .post(format!("{}/orgs/{}/followers", t.base, t.fx.cell1))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("member", "Không Có Ai"),
            ("kind", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("t");
    assert!(
        html.contains("Người theo dõi: không tìm thấy đảng viên nào"),
        "{html}"
    );
    assert!(html.contains("Vai trò: phải chọn"), "{html}");

    // The cell's secretary cannot choose who supervises the cell.
    let sec = t.token("secretary").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/followers", t.fx.cell1),
            &json!({"member_id": t.fx.an.0, "kind": "cadre"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The notice of the next meeting reaches her too.
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;
    let n: Value = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/notice"),
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (n["notified"].as_i64(), n["followers"].as_i64()),
        (Some(4), Some(1)),
        "{n}"
    );
    let token = t.token("cadre").await;
    let home = t.get_json(&token, "/api/v1/me/home").await;
    assert!(
        home["notifications"]
            .to_string()
            .contains("Thông báo sinh hoạt thường kỳ ngày 03/12/2026"),
        "{home}"
    );

    // She reads the meeting and the cell, not its members' records.
    let r = t
        .http
        .get(format!("{}/api/v1/meetings/{id}", t.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .http
        .get(format!("{}/api/v1/orgs/{}/members", t.base, t.fx.cell1))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .http
        .get(format!("{}/api/v1/members/{}", t.base, t.fx.an))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .http
        .get(format!("{}/api/v1/orgs/{}", t.base, t.fx.commune))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "the commune she does not follow"
    );

    // The assignment ends: the cell is out of her sight again, and it is audited.
    let staff = t.token("staff").await;
    let list = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/followers", t.fx.cell1))
        .await;
    let follow = list[0]["id"].as_i64().expect("follow id");
    let r = t
        .http
        .delete(format!(
            "{}/api/v1/orgs/{}/followers/{follow}",
            t.base, t.fx.cell1
        ))
        .bearer_auth(&staff)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .http
        .get(format!("{}/api/v1/meetings/{id}", t.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let audit = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
        .await
        .to_string();
    assert!(
        audit.contains("theo dõi Chi bộ 1") && audit.contains("Kết thúc phân công"),
        "{audit}"
    );
}

both_backends!(a_follower_is_placed_notified_and_reads_the_meetings);
