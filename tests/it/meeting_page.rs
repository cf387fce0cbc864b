//! The meeting page reads every list of a meeting in one statement
//! (`store::meeting_page`, issue 14 point 3): a meeting whose every list
//! holds a row shows each of them, to whoever may see it, on both databases.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put(t: &TestApp, token: &str, path: &str, body: &Value) -> StatusCode {
    t.http
        .put(format!("{}{path}", t.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put")
        .status()
}

async fn created(r: reqwest::Response) -> i64 {
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

/// A held, signed meeting of cell 1 with a row in every list, and the
/// earlier meeting whose tasks it reviews.
async fn full_meeting(t: &TestApp) -> i64 {
    let sec = t.token("secretary").await;
    let staff = t.token("staff").await;
    let (an, ha) = (t.fx.an.0, t.fx.ha.0);

    // October: two tasks, one reviewed in December, one still open.
    let oct = t.new_meeting(&sec, t.fx.cell1, "2026-10-03").await;
    let reviewed = created(
        t.post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{oct}/tasks"),
            &json!({"member_id": ha, "title": "Vận động hộ tham gia BHYT", "deadline": "2026-10-30"}),
        )
        .await,
    )
    .await;
    created(
        t.post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{oct}/tasks"),
            &json!({"group_name": "Tổ 3", "title": "Sửa đường liên thôn", "deadline": "2026-11-15"}),
        )
        .await,
    )
    .await;
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{oct}"),
            &json!({"status": "held"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // December: moved once, its agenda, a document, the content agreed.
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-12-03").await;
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"date": "2026-12-04", "move_reason": "Trùng lịch họp xã"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let agenda = json!([{"title": "Báo cáo tình hình tháng", "presenter_id": ha},
                        {"title": "Bàn nhiệm vụ tháng tới"}]);
    assert_eq!(
        put(t, &sec, &format!("/api/v1/meetings/{id}/agenda"), &agenda).await,
        StatusCode::NO_CONTENT
    );
    let r = t
        .upload(
            &sec,
            &format!("/api/v1/meetings/{id}/documents"),
            "ke-hoach-thang-12.pdf",
            b"%PDF-1.4 test".to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = put(
        t,
        &sec,
        &format!("/api/v1/meetings/{id}/agreement"),
        &json!({"agreed_on": "2026-11-20"}),
    )
    .await;
    assert_eq!(r, StatusCode::OK);

    // A follower of the cell, and the notice (in the app, by mail to Hà).
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/followers", t.fx.cell1),
            &json!({"member": "Phạm Thị Ánh", "kind": "committee_member", "from": "2026-10-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/members/{ha}"),
            &json!({"email": "ha@example.vn"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/notice"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // An unannounced visit by a district cadre, reported with what was raised.
    let agency = crate::support::node(
        &t.app,
        t.fx.district,
        "Chi bộ Cơ quan Huyện ủy",
        chibo::domain::org::OrgKind::BaseCell,
        Some(chibo::domain::org::CellType::Agency),
    )
    .await;
    let cadre = crate::support::member(&t.app, agency, "Vũ Văn Cán", "Nam", "10000099").await;
    add_user(&t.app, "canbo", Some(cadre), None).await;
    let round = created(
        t.post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/rounds", t.fx.district),
            &json!({"name": "Đợt dự sinh hoạt tháng 12/2026", "from": "20/11/2026", "to": "31/12/2026",
                    "scope": "Đảng bộ xã Cẩm", "cadres": "Vũ Văn Cán | Chuyên viên Ban Tổ chức"}),
        )
        .await,
    )
    .await;
    let canbo = t.token("canbo").await;
    let visit = created(
        t.post_json(
            Some(&canbo),
            &format!("/api/v1/rounds/{round}/visits"),
            &json!({"meeting_id": id}),
        )
        .await,
    )
    .await;

    // Held: the roll call (with a guest and the follower), the minutes, a
    // task, October's task reviewed.
    let entries: Vec<Value> = t
        .get_json(&sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await
        .as_array()
        .expect("members")
        .iter()
        .map(|m| match m["full_name"].as_str() {
            Some("Lê Văn Bình") => {
                json!({"member_id": m["id"], "presence": "absent_excused", "reason": "Đi công tác tỉnh"})
            }
            _ => json!({"member_id": m["id"], "presence": "present", "spoke": m["id"] == ha}),
        })
        .collect();
    let follower = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/followers", t.fx.cell1))
        .await[0]["member_id"]
        .clone();
    let roll = json!({"entries": entries,
        "guests": [{"name": "Nguyễn Văn Khách", "position": "Đảng ủy viên"}],
        "followers": [{"member_id": follower, "present": true}]});
    assert_eq!(
        put(t, &sec, &format!("/api/v1/meetings/{id}/attendance"), &roll).await,
        StatusCode::OK
    );
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/tasks/{reviewed}"),
            &json!({"status": "done", "result": "Đủ 4 hộ", "reviewed_in": id}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let r = t.patch_json(&sec, &format!("/api/v1/meetings/{id}"), &json!({
        "status": "held", "chair_id": an, "recorder_id": ha, "started_time": "19:30", "ended_time": "21:00",
        "proceedings": "Đồng chí Hà báo cáo tình hình tháng.", "conclusion": "Thống nhất triển khai.",
        "resolution_title": "Nghị quyết tháng 12", "resolution_text": "Hoàn thành thu quỹ."
    })).await;
    assert_eq!(r.status(), StatusCode::OK);
    created(
        t.post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/tasks"),
            &json!({"member_id": an, "title": "Tổng kết công tác năm", "deadline": "2026-12-25"}),
        )
        .await,
    )
    .await;
    let report = json!({"on_time": true, "started_time": "19:30", "procedure": "followed", "present": "3",
        "convened": "4", "quality": "good", "raised": "Đề nghị xã sửa cống thoát nước", "fixes": ""});
    assert_eq!(
        put(
            t,
            &canbo,
            &format!("/api/v1/visits/{visit}/report"),
            &report
        )
        .await,
        StatusCode::NO_CONTENT
    );

    // Signed, then corrected.
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    created(
        t.post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/amendments"),
            &json!({"body": "Đính chính: kết thúc lúc 21:10."}),
        )
        .await,
    )
    .await;
    id
}

async fn every_list_of_a_meeting_is_on_its_page(b: Backend) {
    let t = TestApp::spawn(b).await;
    let id = full_meeting(&t).await;
    // What each list puts on the page (the roll call's names are also in
    // the attendance rows; the members are read for the chair's name).
    let lists = [
        ("agenda", "Báo cáo tình hình tháng — <em>Đặng Thị Hà</em>"),
        (
            "moves",
            "Dời từ 03/12/2026 sang 04/12/2026: Trùng lịch họp xã",
        ),
        ("open tasks", "Sửa đường liên thôn"),
        ("agreement", "thống nhất nội dung ngày 20/11/2026"),
        ("documents", "ke-hoach-thang-12.pdf"),
        ("numbers", "Thông báo số 1"),
        (
            "attendance",
            "Lê Văn Bình: Vắng có lý do (Đi công tác tỉnh)",
        ),
        ("tally", "Có mặt <strong>3/4</strong>"),
        ("groups", "Đảng viên không giữ chức vụ"),
        ("visits", "Đại biểu dự: <strong>Vũ Văn Cán</strong>"),
        ("raised at the visit", "Đề nghị xã sửa cống thoát nước"),
        (
            "guests",
            "Đại biểu cấp trên: Nguyễn Văn Khách (Đảng ủy viên)",
        ),
        ("followers and presence", "Phạm Thị Ánh"),
        ("members", "Chủ trì: Nguyễn Văn An; thư ký: Đặng Thị Hà"),
        ("tasks", "Tổng kết công tác năm"),
        ("amendments", "Đính chính: kết thúc lúc 21:10."),
    ];
    for user in ["secretary", "member", "staff", "admin"] {
        let c = client();
        login(&t, &c, user).await;
        let page = get_text(&c, format!("{}/meetings/{id}", t.base)).await;
        for (list, shown) in lists {
            assert!(page.contains(shown), "{user}: {list} ({shown}) missing");
        }
        assert!(
            page.contains("<strong>Có mặt</strong>"),
            "{user}: follower presence"
        );
        // The mail's delivery only for those who manage the meeting.
        let manages = user != "member";
        assert_eq!(page.contains("ha@example.vn"), manages, "{user}: mail");
        assert_eq!(page.contains("Thư thông báo"), manages, "{user}: mail");
        // The prints read the lists only they show: the tasks reviewed, the
        // cell's ancestors and the chair's post.
        let resolution = get_text(&c, format!("{}/meetings/{id}/print/resolution", t.base)).await;
        for shown in [
            "Vận động hộ tham gia BHYT",
            "Đủ 4 hộ",
            "ĐẢNG BỘ XÃ CẨM",
            "BÍ THƯ",
        ] {
            assert!(
                resolution.contains(shown),
                "{user}: resolution lacks {shown}"
            );
        }
    }
}

both_backends!(every_list_of_a_meeting_is_on_its_page);
