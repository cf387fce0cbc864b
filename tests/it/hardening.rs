//! Issue 9: scope holes found by trying chibo as a hostile user would.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login, node};
use chibo::domain::authz::Role;
use chibo::domain::org::{CellType, OrgKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// After its district is dissolved (1 July 2025, its commune moved under the
/// province), the district's staff read what was theirs and change nothing:
/// members, minutes, the cells' structure, on the API and the pages.
async fn dissolved_committee_changes_nothing(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let meeting = t.new_meeting(&admin, t.fx.cell1, "2026-12-05").await;
    t.dissolve_district().await;

    let staff = t.token("staff").await;
    let an = t.fx.an;
    // Reads still work.
    let r = t.get(Some(&staff), &format!("/api/v1/members/{an}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .get(Some(&staff), &format!("/api/v1/meetings/{meeting}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Writes are refused.
    let r = t
        .patch_json(
            &staff,
            &format!("/api/v1/members/{an}"),
            &json!({"occupation": "Thợ mộc"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "edit a member");
    for (path, body) in [
        (format!("/api/v1/meetings/{meeting}/sign"), json!({})),
        (
            format!("/api/v1/orgs/{}/rename", t.fx.cell2),
            json!({"name": "Chi bộ Hai"}),
        ),
        (
            format!("/api/v1/orgs/{}/members", t.fx.cell1),
            json!({"full_name": "Lê Thị Mới", "gender": "Nữ"}),
        ),
        (
            format!("/api/v1/orgs/{}/dissolve", t.fx.cell2),
            json!({"effective_on": "2026-01-01"}),
        ),
    ] {
        let r = t.post_json(Some(&staff), &path, &body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // The pages offer no form and refuse a forged one.
    let browser = client();
    let csrf = login(&t, &browser, "staff").await;
    let profile = get_text(&browser, format!("{}/members/{an}", t.base)).await;
    assert!(
        !profile.contains(&format!("/members/{an}/edit")),
        "no edit link"
    );
    let r = browser
        .post(format!("{}/members/{an}/edit", t.base))
        .form(&[("_csrf", csrf.as_str()), ("full_name", "Nguyễn Văn An")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nothing changed.
    let m = t.get_json(&admin, &format!("/api/v1/members/{an}")).await;
    assert_ne!(m["occupation"], "Thợ mộc");
}

/// A grant on a live node is judged on today's tree only, even for a user who
/// also holds a grant on a dissolved node (whose last day is read for it).
async fn an_old_date_never_widens_a_live_grant(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    // The commune leaves the district for the other district on 1 July 2025;
    // a cell elsewhere closes the same day.
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{}/move", t.fx.commune),
            &json!({"target_id": t.fx.other_district.0, "effective_on": "2025-07-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let closed = node(
        &t.app,
        t.fx.other_commune,
        "Chi bộ Cũ",
        OrgKind::Cell,
        Some(CellType::Rural),
    )
    .await;
    let r = t
        .post_json(
            Some(&admin),
            &format!("/api/v1/orgs/{closed}/dissolve"),
            &json!({"effective_on": "2025-07-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let user = add_user(&t.app, "mixed", None, Some((Role::Staff, t.fx.district))).await;
    let mut tx = t.app.db.begin().await.expect("tx");
    chibo::store::user::insert_grant(&mut tx, user, "staff", closed)
        .await
        .expect("grant");
    tx.commit().await.expect("commit");
    let mixed = t.token("mixed").await;
    let an = t.fx.an;
    let r = t.get(Some(&mixed), &format!("/api/v1/members/{an}")).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "the commune left the district"
    );
    let r = t
        .patch_json(
            &mixed,
            &format!("/api/v1/members/{an}"),
            &json!({"occupation": "Thợ mộc"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t.get(Some(&mixed), &format!("/api/v1/orgs/{closed}")).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the closed cell's archive stays readable"
    );
}

/// A transfer writes the receiving cell's register: reading it is not enough.
async fn transfer_needs_write_on_the_destination(b: Backend) {
    let t = TestApp::spawn(b).await;
    // Secretary of cell 1 who is an ordinary member of cell 2.
    let anh = crate::support::member(&t.app, t.fx.cell2, "Võ Thị Ngọc", "Nữ", "10000099").await;
    add_user(
        &t.app,
        "two.hats",
        Some(anh),
        Some((Role::Secretary, t.fx.cell1)),
    )
    .await;
    let token = t.token("two.hats").await;
    let r = t
        .get(Some(&token), &format!("/api/v1/orgs/{}", t.fx.cell2))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "cell 2 is readable");
    let r = t
        .post_json(
            Some(&token),
            &format!("/api/v1/members/{}/transfer", t.fx.ha),
            &json!({"to_org_id": t.fx.cell2.0, "kind": "permanent"}),
        )
        .await;
    // A member may not even see that a cell's register can be written (404).
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/members/{}/transfer", t.fx.ha),
            &json!({"to_org_id": t.fx.cell2.0, "kind": "permanent"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "the committee can");
}

/// Religion and status breakdowns single out people in a small cell: only
/// a committee's staff see them.
async fn breakdowns_are_for_committee_staff(b: Backend) {
    let t = TestApp::spawn(b).await;
    let path = format!("/api/v1/orgs/{}/stats", t.fx.cell1);
    for user in ["secretary", "member"] {
        let s = t.get_json(&t.token(user).await, &path).await;
        assert_eq!(s["members"], 4, "{user}");
        for field in [
            "religious_members",
            "probationary_members",
            "official_members",
            "exempt_members",
            "by_status",
        ] {
            assert!(s[field].is_null(), "{user} sees {field}");
        }
    }
    let s = t.get_json(&t.token("staff").await, &path).await;
    assert_eq!(s["religious_members"], 0);
    assert_eq!(s["by_status"]["official"], 4);
    // The node page shows the same.
    let browser = client();
    login(&t, &browser, "secretary").await;
    let page = get_text(&browser, format!("{}/orgs/{}", t.base, t.fx.cell1)).await;
    assert!(!page.contains("đảng viên có đạo"));
}

/// A card number finds a member only inside the caller's subtree.
async fn card_lookup_stays_in_scope(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let cell1 = t.fx.cell1;
    let own = t
        .get(
            Some(&sec),
            &format!("/api/v1/orgs/{cell1}/members?q=10000002"),
        )
        .await;
    assert_eq!(own.headers()["x-total-count"], "1");
    for card in ["10000005", "10000006"] {
        let r = t
            .get(
                Some(&sec),
                &format!("/api/v1/orgs/{cell1}/members?q={card}"),
            )
            .await;
        assert_eq!(r.headers()["x-total-count"], "0", "{card}");
    }
    let other = t
        .get(
            Some(&sec),
            &format!("/api/v1/orgs/{}/members?q=10000006", t.fx.other_cell),
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

/// A task is reviewed at a meeting of its own cell.
async fn task_reviews_name_a_meeting_of_the_same_cell(b: Backend) {
    let t = TestApp::spawn(b).await;
    let admin = t.token("admin").await;
    let sec = t.token("secretary").await;
    let meeting = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{meeting}/tasks"),
            &json!({"member_id": t.fx.ha.0, "title": "Việc"}),
        )
        .await;
    let task = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("task");
    let elsewhere = t.new_meeting(&admin, t.fx.other_cell, "2026-12-05").await;
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/tasks/{task}"),
            &json!({"status": "done", "reviewed_in": elsewhere}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("cùng chi bộ"));
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/tasks/{task}"),
            &json!({"status": "done", "reviewed_in": meeting}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
}

/// A roll call longer than the cell is refused at once, not searched.
async fn oversized_roll_call_is_refused(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let meeting = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let entries: Vec<Value> = (0..50_000)
        .map(|i| json!({"member_id": i, "presence": "present"}))
        .collect();
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{meeting}/attendance", t.base))
        .bearer_auth(&sec)
        .json(&json!({"entries": entries}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("nhiều hơn số đảng viên")
    );
    // The page form, 40,000 fields of it, the same.
    let browser = client();
    let csrf = login(&t, &browser, "secretary").await;
    let mut form = format!("_csrf={csrf}");
    for i in 0..20_000 {
        form.push_str(&format!("&m{i}={i}&p{i}=present"));
    }
    let r = browser
        .post(format!("{}/meetings/{meeting}/attendance", t.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Pages satisfy their Content-Security-Policy (no inline script or style
/// attribute; the print style sheet by hash), send no referrer off site,
/// and nothing personal is cached.
async fn response_headers(b: Backend) {
    let t = TestApp::spawn(b).await;
    let browser = client();
    login(&t, &browser, "secretary").await;
    let sec = t.token("secretary").await;
    let meeting = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let cell1 = t.fx.cell1;
    for path in [
        "/".to_string(),
        format!("/orgs/{cell1}"),
        format!("/orgs/{cell1}/members"),
        format!("/orgs/{cell1}/meetings"),
        format!("/members/{}", t.fx.an),
        format!("/meetings/{meeting}"),
        format!("/orgs/{cell1}/members.xlsx"),
    ] {
        let r = browser
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers().clone();
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let body = r.text().await.unwrap_or_default();
        // Scripts come from files the CSP allows ('self'), never inline.
        let inline = body.match_indices("<script").any(|(at, _)| {
            !body[at..]
                .split('>')
                .next()
                .unwrap_or_default()
                .contains(" src=")
        });
        assert!(!inline, "{path} runs an inline script");
        assert!(!body.contains(" style=\""), "{path} has an inline style");
    }
    let r = t
        .get(Some(&sec), &format!("/api/v1/members/{}", t.fx.an))
        .await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    // The printable minutes carry their style sheet inline, allowed by hash.
    let r = browser
        .get(format!("{}/meetings/{meeting}/print/minutes", t.base))
        .send()
        .await
        .expect("print");
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    let html = r.text().await.expect("text");
    let css = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .expect("inline style");
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(css));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    let r = t
        .http
        .get(format!("{}/static/app.css", t.base))
        .send()
        .await
        .expect("css");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .starts_with("public")
    );
}

both_backends!(
    dissolved_committee_changes_nothing,
    an_old_date_never_widens_a_live_grant,
    transfer_needs_write_on_the_destination,
    breakdowns_are_for_committee_staff,
    card_lookup_stays_in_scope,
    task_reviews_name_a_meeting_of_the_same_cell,
    oversized_roll_call_is_refused,
    response_headers
);
