//! Urgent issues (việc cấp bách): a base organization registers what it will
//! solve in a year and reports each month; the committee above assesses
//! (Kim Sơn practice, seed 003: 76 base organizations, 127 issues in 2018;
//! docs/rules.md "Urgent issues (việc cấp bách)"; issue 11, point 7).

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, csrf_of, get_text, login};
use chibo::domain::authz::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn status_of(r: reqwest::Response) -> (StatusCode, String) {
    let s = r.status();
    (s, r.text().await.expect("body"))
}

async fn the_base_org_reports_and_the_level_above_assesses(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let commune = t.token("xa").await;
    let district = t.token("staff").await;
    let sec = t.token("secretary").await;
    let base = format!("/api/v1/orgs/{}/urgent-issues", t.fx.commune);
    let issue = json!({"year": "2026", "title": "Xử lý rác thải khu dân cư", "field": "Môi trường",
        "target": "100% thôn có điểm tập kết rác", "deadline": "30/11/2026"});

    // A subordinate cell's secretary does not register for the commune; a
    // subordinate cell is no base organization.
    let r = t.post_json(Some(&sec), &base, &issue).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{}/urgent-issues", t.fx.cell1),
            &issue,
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("tổ chức cơ sở đảng"), "{body}");
    // Rule: the deadline falls inside the year registered for.
    let mut late = issue.clone();
    late["deadline"] = json!("15/01/2027");
    let (s, body) = status_of(t.post_json(Some(&commune), &base, &late).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Thời hạn hoàn thành: phải trong năm 2026"),
        "{body}"
    );
    let (s, body) = status_of(
        t.post_json(Some(&commune), &base, &json!({"year": "2026"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Tên việc cấp bách") && body.contains("Kết quả cần đạt"),
        "{body}"
    );
    let r = t.post_json(Some(&commune), &base, &issue).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            Some(&commune),
            &base,
            &json!({"year": "2026", "title": "Vệ sinh an toàn thực phẩm",
            "field": "An toàn thực phẩm", "target": "Không để xảy ra ngộ độc"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Monthly progress: not a month still to come; the status decides the percentage.
    let progress = format!("{base}/{id}/progress");
    let (s, body) = status_of(
        t.post_json(
            Some(&commune),
            &progress,
            &json!({"month": "12", "body": "x", "status": "in_progress"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Tháng"), "{body}");
    let (s, body) = status_of(
        t.post_json(
            Some(&commune),
            &progress,
            &json!({"month": "10", "body": "Đã khảo sát", "status": "done", "percent": "60"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Tỷ lệ hoàn thành"), "{body}");
    for (month, status, percent) in [("10", "in_progress", "40"), ("11", "done", "")] {
        let r = t
            .post_json(Some(&commune), &progress,
                &json!({"month": month, "body": "Thôn đã có điểm tập kết", "status": status, "percent": percent}))
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }

    // The base organization does not grade itself; the district does, and
    // "not done" needs a reason.
    let assess = format!("{base}/{id}/assess");
    let r = t
        .post_json(Some(&commune), &assess, &json!({"grade": "good"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .post_json(Some(&sec), &assess, &json!({"grade": "good"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, body) = status_of(
        t.post_json(Some(&district), &assess, &json!({"grade": "not_done"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Nhận xét"), "{body}");
    let r = t
        .post_json(
            Some(&district),
            &assess,
            &json!({"grade": "good", "comment": "Làm sớm hơn hạn"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    // A subordinate cell's secretary does not see the commune's issues.
    let r = t.get(Some(&sec), &format!("{base}?year=2026")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let list = t.get_json(&commune, &format!("{base}?year=2026")).await;
    let first = &list[0];
    assert_eq!(first["status"], "done");
    assert_eq!(first["percent"], 100);
    assert_eq!(first["assessment"], "good");
    assert_eq!(first["assessed_by"], t.fx.district.0);
    assert_eq!(first["progress"].as_array().map(Vec::len), Some(2));
    assert_eq!(list[1]["status"], "not_started");

    // The district's overview: one base organization, two issues.
    let o = t
        .get_json(
            &district,
            &format!("/api/v1/orgs/{}/urgent-overview?year=2026", t.fx.district),
        )
        .await;
    assert_eq!(o["orgs"].as_array().map(Vec::len), Some(1), "{o}");
    assert_eq!(o["total"]["issues"], 2);
    assert_eq!(o["total"]["by_status"]["done"], 1);
    assert_eq!(o["total"]["by_status"]["not_started"], 1);
    assert_eq!(o["total"]["by_assessment"]["good"], 1);
    assert_eq!(o["total"]["unassessed"], 1);
    let other = t
        .get_json(
            &district,
            &format!("/api/v1/orgs/{}/urgent-overview?year=2025", t.fx.district),
        )
        .await;
    assert_eq!(other["total"]["issues"], 0, "another year");

    // Every change is audited.
    let audited: i64 = chibo::on_db!(&t.app.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('urgent_issue', 'urgent_progress', 'urgent_assess')"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(audited, 2 + 2 + 1);
}

async fn urgent_issue_pages(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let c = client();
    let csrf = login(&t, &c, "xa").await;
    let at = format!("{}/orgs/{}/urgent", t.base, t.fx.commune);
    let page = get_text(&c, &at).await;
    assert!(
        page.contains("Việc cấp bách năm 2026") && page.contains("Kim Sơn"),
        "{page}"
    );
    let r = c
        .post(&at)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("year", "2026"),
            ("title", ""),
            ("field", "Môi trường"),
            ("target", "x"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Tên việc cấp bách: không được để trống")
    );
    let r = c
        .post(&at)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("year", "2026"),
            ("title", "Chỉnh trang nghĩa trang nhân dân"),
            ("field", "Nông thôn mới"),
            ("target", "Hoàn thành quy hoạch"),
            ("deadline", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{at}?year=2026")).await;
    assert!(
        page.contains("Chỉnh trang nghĩa trang nhân dân") && page.contains("Báo cáo tiến độ"),
        "{page}"
    );
    assert!(
        !page.contains("Cấp trên đánh giá</summary>"),
        "the commune does not grade itself"
    );
    let csrf = csrf_of(&page);
    let id: i64 = chibo::on_db!(&t.app.db, |p| sqlx::query_scalar(
        "SELECT MAX(id) FROM urgent_issue"
    )
    .fetch_one(p)
    .await)
    .expect("id");
    let r = c
        .post(format!("{at}/{id}/progress"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("month", "11"),
            ("status", "in_progress"),
            ("percent", "30"),
            ("body", "Đã đo đạc, cắm mốc"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{at}?year=2026")).await;
    assert!(
        page.contains("Đã đo đạc, cắm mốc") && page.contains("Đang thực hiện · 30%"),
        "{page}"
    );

    // The district sees the overview and the assessment form.
    let d = client();
    login(&t, &d, "staff").await;
    let page = get_text(
        &d,
        format!(
            "{}/orgs/{}/urgent-overview?year=2026",
            t.base, t.fx.district
        ),
    )
    .await;
    assert!(
        page.contains("Tổng hợp việc cấp bách năm 2026") && page.contains("Đảng bộ xã Cẩm"),
        "{page}"
    );
    assert!(
        page.contains("Đang thực hiện: 1") && page.contains("Chưa đánh giá: 1"),
        "{page}"
    );
    let page = get_text(&d, format!("{at}?year=2026")).await;
    assert!(page.contains("Cấp trên đánh giá</summary>"), "{page}");
    let csrf = csrf_of(&page);
    let r = d
        .post(format!("{at}/{id}/assess"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("grade", "not_done"),
            ("comment", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Nhận xét: phải nêu lý do không hoàn thành")
    );
}

both_backends!(
    the_base_org_reports_and_the_level_above_assesses,
    urgent_issue_pages
);
