//! Formalism signals (issue 12, point 5): each rule fires on crafted
//! meetings and stays quiet on normal ones; the committee above sees them,
//! the cell never does (docs/rules.md "Formalism signals").

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, get_text, login};
use chibo::domain::authz::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const MINUTES: &str = "Đồng chí Bí thư chi bộ tuyên bố lý do, giới thiệu thành phần. Đồng chí Bí thư \
    báo cáo kết quả thực hiện nghị quyết tháng trước: các hộ đã gieo cấy xong lúa mùa đúng khung thời \
    vụ, tiêm phòng cho đàn gia súc, vận động học sinh ra lớp đầy đủ. Tình hình tư tưởng đảng viên ổn \
    định. Phương hướng tháng tới: chăm sóc lúa, phòng chống rét cho gia súc, giữ gìn an ninh trật tự \
    trong thôn, xây dựng thôn văn hóa.";

/// One held meeting of Chi bộ 1 through the API: who spoke, its minutes,
/// times, and a task for each of `tasks`. Returns its id and its tasks' ids.
pub(crate) async fn meeting(
    t: &TestApp,
    sec: &str,
    date: &str,
    spoke: &[i64],
    (minutes, started, ended): (&str, &str, &str),
    tasks: &[i64],
) -> (i64, Vec<i64>) {
    let id = t.new_meeting(sec, t.fx.cell1, date).await;
    let members = t
        .get_json(sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let mid = m["id"].as_i64().expect("id");
            json!({"member_id": mid, "presence": "present", "spoke": spoke.contains(&mid)})
        })
        .collect();
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(sec)
        .json(&json!({ "entries": entries }))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .patch_json(
            sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0, "started_time": started,
                "ended_time": ended, "proceedings": minutes, "resolution_title": "Nghị quyết tháng",
                "resolution_text": "Chi bộ thống nhất các nhiệm vụ tháng tới."}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let mut ids = Vec::new();
    for m in tasks {
        let r = t
            .post_json(
                Some(sec),
                &format!("/api/v1/meetings/{id}/tasks"),
                &json!({"member_id": m, "title": "Vận động các hộ được phân công"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(
            r.json::<Value>().await.expect("json")["id"]
                .as_i64()
                .expect("task id"),
        );
    }
    (id, ids)
}

pub(crate) async fn review(t: &TestApp, sec: &str, tasks: &[i64], at: i64) {
    for task in tasks {
        let r = t
            .patch_json(
                sec,
                &format!("/api/v1/tasks/{task}"),
                &json!({"status": "done", "result": "Đã làm", "reviewed_in": at}),
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::NO_CONTENT,
            "{}",
            r.text().await.unwrap_or_default()
        );
    }
}

fn rules(v: &Value) -> Vec<String> {
    let mut r: Vec<String> = v["signals"]
        .as_array()
        .expect("signals")
        .iter()
        .map(|s| s["rule"].as_str().unwrap_or("").to_string())
        .collect();
    r.sort();
    r
}

pub(crate) async fn members(t: &TestApp, sec: &str) -> (i64, i64, i64, i64) {
    let list = t
        .get_json(sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let id = |name: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|m| m["full_name"] == name)
            .and_then(|m| m["id"].as_i64())
            .expect("member")
    };
    (
        id("Nguyễn Văn An"),
        id("Đặng Thị Hà"),
        id("Lê Văn Bình"),
        id("Trần Anh"),
    )
}

async fn each_rule_fires_on_crafted_meetings_and_not_on_normal_ones(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let sec = t.token("secretary").await;
    let commune = t.token("xa").await;
    // Six members: a task for one of them is under the fifth required.
    let e1 = crate::support::member(&t.app, t.fx.cell1, "Vi Văn Em", "Nam", "10000011")
        .await
        .0;
    let e2 = crate::support::member(&t.app, t.fx.cell1, "Lò Thị Én", "Nữ", "10000012")
        .await
        .0;
    let (an, ha, binh, anh) = members(&t, &sec).await;
    let all = [an, ha, binh, anh, e1, e2];
    let at =
        |from: &str, to: &str| format!("/api/v1/orgs/{}/signals?from={from}&to={to}", t.fx.commune);

    // Normal months: everyone speaks, a task each, reviewed at the next
    // meeting, different minutes, 100 minutes.
    let texts = [
        "Chi bộ kiểm điểm việc triển khai kế hoạch sản xuất vụ đông xuân: diện tích gieo trồng đạt kế hoạch, giống lúa mới được đưa vào ba cánh đồng; đảng viên phản ánh tình trạng thiếu nước tưới ở xứ đồng dưới và đề nghị xã nạo vét kênh mương trước mùa khô.".to_string(),
        "Chi bộ sinh hoạt chuyên đề về công tác bảo hiểm y tế. Đồng chí Trưởng thôn trình bày tham luận về tỷ lệ người dân tham gia bảo hiểm y tế; các đảng viên thảo luận cách vận động hộ cận nghèo, hộ làm nông nghiệp tham gia. Chi bộ giao mỗi đảng viên phụ trách vận động năm hộ gia đình.".to_string(),
        "Chi bộ đánh giá công tác phòng chống dịch bệnh trên đàn gia cầm, việc thu nộp đảng phí quý I, kết quả ra quân làm đường giao thông nông thôn, và bàn kế hoạch tổ chức ngày hội đại đoàn kết toàn dân tộc ở khu dân cư; các đồng chí đảng viên nêu nhiều ý kiến về việc huy động ngày công.".to_string(),
    ];
    let mut previous: Vec<i64> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let date = format!("2026-0{}-03", i + 1);
        let (id, tasks) = meeting(&t, &sec, &date, &all, (text, "19:00", "20:40"), &all).await;
        review(&t, &sec, &previous, id).await;
        previous = tasks;
    }
    let v = t.get_json(&commune, &at("2026-01-01", "2026-03-31")).await;
    assert_eq!(v["meetings_read"], 3);
    assert_eq!(rules(&v), Vec::<String>::new(), "{v}");

    // June: the model minutes, a task for the secretary only, never reviewed.
    let (june, _) = meeting(
        &t,
        &sec,
        "2026-06-03",
        &[an, anh, e1, e2],
        (MINUTES, "19:00", "20:40"),
        &[an],
    )
    .await;
    // July: June's minutes again; only the chair and the recorder spoke.
    let july_text = MINUTES.replace("lúa mùa", "lúa chiêm");
    let (july, _) = meeting(
        &t,
        &sec,
        "2026-07-03",
        &[an, ha],
        (&july_text, "19:00", "20:40"),
        &all,
    )
    .await;
    // August: new minutes, 60 minutes under 42-HD/BTCTW's 90.
    let august = "Chi bộ bàn việc chuẩn bị năm học mới: vận động các gia đình cho con em đến trường đúng độ tuổi, hỗ trợ sách vở cho học sinh hộ nghèo, phân công đảng viên theo dõi các hộ có trẻ bỏ học; thống nhất kế hoạch tu sửa nhà văn hóa thôn trước mùa mưa bão.";
    let (aug, _) = meeting(
        &t,
        &sec,
        "2026-08-03",
        &[an, ha, anh, e1, e2],
        (august, "19:00", "20:00"),
        &all,
    )
    .await;
    let v = t.get_json(&commune, &at("2026-06-01", "2026-08-31")).await;
    assert_eq!(
        rules(&v),
        [
            "only_leaders_spoke",
            "repeated_minutes",
            "short_meeting",
            "silent_member",
            "tasks_never_reviewed",
            "tasks_not_per_member",
        ],
        "{v}"
    );
    let find = |rule: &str| {
        v["signals"]
            .as_array()
            .expect("s")
            .iter()
            .find(|s| s["rule"] == rule)
            .cloned()
            .expect("signal")
    };
    let s = find("repeated_minutes");
    assert_eq!(
        (s["meeting_id"].as_i64(), s["evidence"]["earlier"].as_i64()),
        (Some(july), Some(june))
    );
    assert!(s["evidence"]["similarity"].as_f64().expect("sim") >= 0.85);
    assert_eq!(s["cell_name"], "Chi bộ 1");
    let s = find("only_leaders_spoke");
    assert_eq!(s["meeting_id"].as_i64(), Some(july));
    assert_eq!(
        s["evidence"]["speakers"],
        json!(["Nguyễn Văn An", "Đặng Thị Hà"])
    );
    let s = find("silent_member");
    assert_eq!(s["evidence"]["name"], "Lê Văn Bình");
    assert_eq!(s["evidence"]["meetings"].as_array().map(Vec::len), Some(3));
    let s = find("tasks_not_per_member");
    assert_eq!(s["meeting_id"].as_i64(), Some(june));
    assert_eq!(s["evidence"]["members_with_task"], 1);
    let s = find("tasks_never_reviewed");
    assert_eq!(s["meeting_id"].as_i64(), Some(june));
    let s = find("short_meeting");
    assert_eq!(
        (s["meeting_id"].as_i64(), s["evidence"]["required"].as_i64()),
        (Some(aug), Some(90))
    );
    let counts = v["counts"].as_array().expect("counts");
    assert_eq!(counts.len(), 7);
    assert!(
        counts
            .iter()
            .any(|c| c["rule"] == "lenient_grading" && c["count"] == 0)
    );
    // The district above sees the same; a bad period is refused in Vietnamese.
    let district = t.token("staff").await;
    let d = t
        .get_json(
            &district,
            &format!(
                "/api/v1/orgs/{}/signals?from=2026-06-01&to=2026-08-31",
                t.fx.district
            ),
        )
        .await;
    assert_eq!(rules(&d), rules(&v));
    let r = t.get(Some(&commune), &at("2026-09-01", "2026-08-01")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("t").contains("Từ ngày"));
}

async fn the_cell_never_sees_its_signals(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let (cell, commune) = (t.fx.cell1, t.fx.commune);
    for (user, org, want) in [
        ("secretary", cell, StatusCode::FORBIDDEN),
        ("secretary", commune, StatusCode::NOT_FOUND),
        ("member", cell, StatusCode::FORBIDDEN),
        ("member", commune, StatusCode::NOT_FOUND),
        ("outsider", commune, StatusCode::NOT_FOUND),
        ("xa", commune, StatusCode::OK),
        ("staff", commune, StatusCode::OK),
    ] {
        let tok = t.token(user).await;
        let r = t
            .get(Some(&tok), &format!("/api/v1/orgs/{org}/signals"))
            .await;
        assert_eq!(r.status(), want, "{user} on {org}");
    }
    // Pages: the committee's page offers the signals, the cell's never does.
    let c = client();
    login(&t, &c, "secretary").await;
    let page = get_text(&c, format!("{}/orgs/{cell}", t.base)).await;
    assert!(!page.contains("Dấu hiệu hình thức"), "{page}");
    let r = c
        .get(format!("{}/orgs/{cell}/signals", t.base))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let s = client();
    login(&t, &s, "xa").await;
    let page = get_text(&s, format!("{}/orgs/{commune}", t.base)).await;
    assert!(page.contains(&format!("/orgs/{commune}/signals")), "{page}");
    let page = get_text(
        &s,
        format!(
            "{}/orgs/{commune}/signals?from=01/01/2026&to=31/10/2026",
            t.base
        ),
    )
    .await;
    assert!(
        page.contains("Biên bản gần trùng cuộc họp trước") && page.contains("0</strong> dấu hiệu"),
        "{page}"
    );
}

/// Rule 7 reads the yearly classification: a commune that rates all ten of
/// a cell's members good shows to the district, not to itself.
async fn year_end_grades_without_spread_show_to_the_level_above(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    let names = [
        "Lò Văn Một",
        "Lò Văn Hai",
        "Lò Văn Ba",
        "Lò Văn Bốn",
        "Lò Văn Năm",
        "Lò Văn Sáu",
    ];
    for (i, name) in names.iter().enumerate() {
        crate::support::member(&t.app, fx.cell1, name, "Nam", &format!("1000020{i}")).await;
    }
    add_user(&t.app, "xa", None, Some((Role::Staff, fx.commune))).await;
    let (sec, commune, district) = (
        t.token("secretary").await,
        t.token("xa").await,
        t.token("staff").await,
    );
    let year = t
        .get_json(
            &sec,
            &format!("/api/v1/orgs/{}/classification?year=2025", fx.cell1),
        )
        .await;
    let good: Vec<Value> = year["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| json!({"member_id": m["subject_id"], "grade": "good", "score": 80}))
        .collect();
    assert_eq!(good.len(), 10, "{year}");
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/classification/proposals", fx.cell1),
            &json!({"year": "2025", "self_grade": "good", "members": good}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    let r = t
        .post_json(
            Some(&commune),
            &format!("/api/v1/orgs/{}/classification/decisions", fx.commune),
            &json!({"year": "2025", "decision_ref": "BB ngày 20/11/2026", "members": good}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    let at = |org: chibo::domain::ids::OrgId| {
        format!("/api/v1/orgs/{org}/signals?from=2026-01-01&to=2026-12-31")
    };
    let v = t.get_json(&district, &at(fx.district)).await;
    assert_eq!(rules(&v), ["lenient_grading"], "{v}");
    let v = t.get_json(&commune, &at(fx.commune)).await;
    assert!(
        !rules(&v).contains(&"lenient_grading".to_string()),
        "not of itself: {v}"
    );
}

both_backends!(
    each_rule_fires_on_crafted_meetings_and_not_on_normal_ones,
    the_cell_never_sees_its_signals,
    year_end_grades_without_spread_show_to_the_level_above
);
