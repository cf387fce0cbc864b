//! Posts held in a cell, with dates (issue 10), and whether the cell's
//! followers attend its meetings (issue 11, point 1).

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login, member};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn docx_text(t: &TestApp, token: &str, id: i64, kind: &str) -> String {
    let r = t
        .get(Some(token), &format!("/api/v1/meetings/{id}/{kind}.docx"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("read");
    xml
}

// docs/rules.md "Posts in a cell" (Điều lệ Đảng, Điều 24: a cell elects one
// secretary, approved by the committee above; Hướng dẫn 36-HD/VPTW, 2018:
// the signer's title): the committee above records the post by the member's
// name, one secretary at a time; documents read the post held on the
// meeting's day, whether or not the secretary has an account.
async fn the_committee_above_records_a_cells_secretary(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;
    let page = get_text(&c, format!("{}/orgs/{}", t.base, t.fx.cell2)).await;
    assert!(
        page.contains("Chi ủy, bí thư") && page.contains("Chưa ghi nhận ai giữ chức vụ"),
        "{page}"
    );

    // Phạm Thị Ánh has no account: she is chosen by name.
    let r = c
        .post(format!("{}/orgs/{}/posts", t.base, t.fx.cell2))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("member", "pham thi anh"),
            ("kind", "cell_secretary"),
            ("from", "01/01/2026"),
            ("decision", "Quyết định số 12-QĐ/ĐU"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/orgs/{}", t.base, t.fx.cell2)).await;
    assert!(
        page.contains("Phạm Thị Ánh") && page.contains("Quyết định số 12-QĐ/ĐU"),
        "{page}"
    );

    // A second secretary while she holds the post is refused, in Vietnamese.
    member(&t.app, t.fx.cell2, "Lê Văn Mới", "Nam", "30000001").await;
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/posts", t.fx.cell2),
            &json!({"member": "Lê Văn Mới", "kind": "cell_secretary", "from": "2026-06-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("text");
    assert!(body.contains("một Bí thư"), "{body}");
    // Only the cell's members are offered: An belongs to Chi bộ 1.
    let r = c
        .post(format!("{}/orgs/{}/posts", t.base, t.fx.cell2))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("member", "Nguyễn Văn An"),
            ("kind", "cell_deputy"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains("Đảng viên: không có đảng viên nào tên"),
        "{html}"
    );
    // A cell does not appoint its own secretary.
    let sec = t.token("secretary").await;
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/posts", t.fx.cell1),
            &json!({"member": "Đặng Thị Hà", "kind": "cell_deputy"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Her profile shows the post; the notice of a meeting she leads names her.
    let page = get_text(&c, format!("{}/members/{}", t.base, anh(&t, &staff).await)).await;
    assert!(
        page.contains("Chức vụ") && page.contains("Bí thư Chi bộ 2"),
        "{page}"
    );
    let id = t.new_meeting(&staff, t.fx.cell2, "2026-12-03").await;
    let xml = docx_text(&t, &staff, id, "notice").await;
    assert!(
        xml.contains("Phạm Thị Ánh") && xml.contains("BÍ THƯ"),
        "{xml}"
    );

    // Her post ends on 1 December: the meeting of the 3rd has no secretary.
    let posts = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/posts", t.fx.cell2))
        .await;
    let post = posts[0]["id"].as_i64().expect("post id");
    assert_eq!(posts[0]["kind"], "cell_secretary");
    let r = c
        .post(format!("{}/orgs/{}/posts/{post}/end", t.base, t.fx.cell2))
        .form(&[("_csrf", csrf.as_str()), ("to", "01/12/2026")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let xml = docx_text(&t, &staff, id, "notice").await;
    assert!(!xml.contains("Phạm Thị Ánh"), "{xml}");
    let audit = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/audit", t.fx.cell2))
        .await
        .to_string();
    assert!(
        audit.contains("giữ chức vụ Bí thư") && audit.contains("Kết thúc chức vụ"),
        "{audit}"
    );
}

async fn anh(t: &TestApp, token: &str) -> i64 {
    let m = t
        .get_json(token, &format!("/api/v1/orgs/{}/members", t.fx.cell2))
        .await;
    m.as_array()
        .expect("members")
        .iter()
        .find(|x| x["full_name"] == "Phạm Thị Ánh")
        .and_then(|x| x["id"].as_i64())
        .expect("Ánh")
}

async fn roll_call(t: &TestApp, token: &str, id: i64, followers: Value) -> StatusCode {
    let members = t
        .get_json(token, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| json!({"member_id": m["id"], "presence": "present"}))
        .collect();
    t.http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(token)
        .json(&json!({ "entries": entries, "followers": followers }))
        .send()
        .await
        .expect("put")
        .status()
}

// docs/rules.md "Followers attend their cells' meetings" (Lâm Sơn practice,
// seed 000: the commune office checks that the committee members placed in
// cells attend; Hướng dẫn 42-HD/BTCTW, 28/10/2025: the follower is told of
// each meeting): presence recorded with the roll call, printed among those
// attending, counted per follower and across the committee's cells.
async fn followers_attendance_is_recorded_and_counted(b: Backend) {
    let t = TestApp::spawn(b).await;
    let cadre = member(&t.app, t.fx.cell2, "Vũ Thị Theo", "Nữ", "20000001").await;
    add_user(&t.app, "cadre", Some(cadre), None).await;
    let staff = t.token("staff").await;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/followers", t.fx.cell1),
            &json!({"member": "Vũ Thị Theo", "kind": "committee_member", "from": "2026-10-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let sec = t.token("secretary").await;
    let first = t.new_meeting(&sec, t.fx.cell1, "2026-11-03").await;
    let second = t.new_meeting(&sec, t.fx.cell1, "2026-11-13").await;

    // The roll-call page lists her apart from the members.
    let c = client();
    login(&t, &c, "secretary").await;
    let page = get_text(&c, format!("{}/meetings/{first}", t.base)).await;
    assert!(
        page.contains("Cán bộ phụ trách, theo dõi chi bộ") && page.contains("Vũ Thị Theo"),
        "{page}"
    );

    let present = json!([{"member_id": cadre.0, "present": true}]);
    assert_eq!(roll_call(&t, &sec, first, present).await, StatusCode::OK);
    let absent = json!([{"member_id": cadre.0, "present": false}]);
    assert_eq!(roll_call(&t, &sec, second, absent).await, StatusCode::OK);
    // Someone who does not follow the cell is refused.
    let stranger = json!([{"member_id": t.fx.ha.0, "present": true}]);
    assert_eq!(
        roll_call(&t, &sec, second, stranger).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let m = t.get_json(&sec, &format!("/api/v1/meetings/{first}")).await;
    assert_eq!(m["followers"][0]["present"], json!(true), "{m}");
    let xml = docx_text(&t, &sec, first, "minutes").await;
    assert!(
        xml.contains("Vũ Thị Theo"),
        "present: printed among those attending"
    );
    let xml = docx_text(&t, &sec, second, "minutes").await;
    assert!(!xml.contains("Vũ Thị Theo"), "absent: not printed");

    let f = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/followers", t.fx.cell1))
        .await;
    assert_eq!(
        (
            f[0]["meetings_held"].as_i64(),
            f[0]["meetings_attended"].as_i64()
        ),
        (Some(2), Some(1)),
        "{f}"
    );
    let all = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/follower-attendance", t.fx.commune),
        )
        .await;
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
    assert_eq!(all[0]["rate"].as_f64(), Some(0.5), "{all}");
    let sc = client();
    login(&t, &sc, "staff").await;
    let page = get_text(&sc, format!("{}/orgs/{}", t.base, t.fx.commune)).await;
    assert!(
        page.contains("Cán bộ phụ trách dự sinh hoạt") && page.contains("1/2"),
        "{page}"
    );
    let page = get_text(&sc, format!("{}/orgs/{}/followers", t.base, t.fx.cell1)).await;
    assert!(page.contains("1/2"), "{page}");

    // Once signed, the roll call (followers included) is not edited.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{first}"),
            &json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0, "proceedings": "Chi bộ thảo luận.",
                    "resolution_text": "Chăm sóc lúa mùa."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{first}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let absent = json!([{"member_id": cadre.0, "present": false}]);
    assert_eq!(
        roll_call(&t, &sec, first, absent).await,
        StatusCode::CONFLICT
    );
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{first}")).await;
    assert_eq!(m["followers"][0]["present"], json!(true), "{m}");
}

both_backends!(
    the_committee_above_records_a_cells_secretary,
    followers_attendance_is_recorded_and_counted
);
