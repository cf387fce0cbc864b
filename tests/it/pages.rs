//! The HTML side: sessions, CSRF, the main pages and their weight.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, csrf_of, get_text, login};
use reqwest::StatusCode;

async fn session_login_search_edit_audit(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    // Not signed in: sent to the login page.
    let r = c
        .get(format!("{}/orgs/{}", t.base, t.fx.district))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    let bad = get_text(&c, format!("{}/login", t.base)).await;
    let r = c
        .post(format!("{}/login", t.base))
        .form(&[
            ("username", "staff"),
            ("password", "sai"),
            ("_csrf", &csrf_of(&bad)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Tên đăng nhập hoặc mật khẩu không đúng")
    );

    let csrf = login(&t, &c, "staff").await;
    let list = c
        .get(format!(
            "{}/orgs/{}/members?q=nguyen+van+an",
            t.base, t.fx.district
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.expect("t");
    assert!(
        html.contains(&format!("/members/{}\">Nguyễn Văn An</a>", t.fx.an)),
        "{html}"
    );
    assert!(!html.contains("Đặng Thị Hà"));

    let url = format!("{}/members/{}/edit", t.base, t.fx.an);
    let form = get_text(&c, &url).await;
    assert!(form.contains("value=\"Nguyễn Văn An\""));
    let fields = [
        ("full_name", "Nguyễn Văn An"),
        ("gender", "male"),
        ("birth_date", "01/01/1980"),
        ("admitted_on", "01/06/2010"),
        ("official_on", "01/06/2011"),
        ("card_number", "10000001"),
        ("status", "official"),
        ("occupation", "Giáo viên"),
    ];
    // Without the CSRF token the form is refused and nothing changes.
    let r = c.post(&url).form(&fields).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // A bad date comes back with the field's error in Vietnamese.
    let mut bad = fields.to_vec();
    bad[2] = ("birth_date", "32/13/1980");
    bad.push(("_csrf", &csrf));
    let r = c.post(&url).form(&bad).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Ngày sinh: &quot;32/13/1980&quot; không đúng định dạng ngày dd/mm/yyyy")
    );
    let mut good = fields.to_vec();
    good.push(("_csrf", &csrf));
    let r = c.post(&url).form(&good).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let profile = get_text(&c, format!("{}/members/{}", t.base, t.fx.an)).await;
    assert!(profile.contains("Giáo viên"));
    assert!(profile.contains("Đã lưu hồ sơ."), "flash message");
    let log = get_text(&c, format!("{}/orgs/{}/audit", t.base, t.fx.district)).await;
    assert!(
        log.contains("Nghề nghiệp: <del></del> → <ins>Giáo viên</ins>"),
        "{log}"
    );
    // Logging out ends the session.
    let r = c
        .post(format!("{}/logout", t.base))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{}/", t.base)).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn pages_are_light_and_scoped(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    login(&t, &c, "outsider").await;
    let r = c
        .get(format!("{}/orgs/{}", t.base, t.fx.cell1))
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "outside the subtree looks like nothing"
    );
    let r = c
        .get(format!("{}/members/{}", t.base, t.fx.an))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for path in [
        "/",
        "/tree",
        &format!("/orgs/{}", t.fx.other_district),
        &format!("/orgs/{}/members", t.fx.other_district),
    ] {
        let r = c
            .get(format!("{}{path}", t.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let len = r.bytes().await.expect("b").len();
        assert!(len < 50 * 1024, "{path}: {len} bytes");
    }
    let css = c
        .get(format!("{}/static/app.css", t.base))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    let health = c
        .get(format!("{}/healthz", t.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
}

async fn staff_reorganize_in_the_ui(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;
    let r = c
        .post(format!("{}/orgs/{}/children", t.base, t.fx.commune))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "Chi bộ 3"),
            ("kind", "cell"),
            ("cell_type", "health"),
            ("effective_on", "01/01/2026"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/orgs/{}", t.base, t.fx.commune)).await;
    assert!(page.contains("Đã thành lập Chi bộ 3"));
    assert!(page.contains(">Chi bộ 3</a>"));
    let r = c
        .post(format!("{}/orgs/{}/children", t.base, t.fx.commune))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", ""),
            ("kind", "cell"),
            ("cell_type", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("t");
    assert!(html.contains("Tên tổ chức: không được để trống"), "{html}");
}

async fn calendar_pages_and_downloads(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "secretary").await;
    let r = c
        .post(format!("{}/orgs/{}/meetings/plan", t.base, t.fx.cell1))
        .form(&[("_csrf", csrf.as_str()), ("year", "2026")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(
        &c,
        format!("{}/orgs/{}/meetings?year=2026", t.base, t.fx.cell1),
    )
    .await;
    assert!(
        page.contains("Đã lập 12 buổi sinh hoạt thường kỳ."),
        "{page}"
    );
    assert_eq!(page.matches("<td>Sinh hoạt thường kỳ").count(), 12);
    let ics = c
        .get(format!("{}/orgs/{}/calendar.ics", t.base, t.fx.cell1))
        .send()
        .await
        .expect("ics");
    assert_eq!(
        ics.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        ics.text().await.expect("t").matches("BEGIN:VEVENT").count(),
        12
    );
    let x = c
        .get(format!("{}/orgs/{}/calendar.xlsx", t.base, t.fx.cell1))
        .send()
        .await
        .expect("xlsx");
    assert_eq!(x.status(), StatusCode::OK);
    assert!(x.bytes().await.expect("b").starts_with(b"PK"));
    let mine = c
        .get(format!("{}/me/calendar.ics", t.base))
        .send()
        .await
        .expect("ics")
        .text()
        .await
        .expect("t");
    assert_eq!(
        mine.matches("BEGIN:VEVENT").count(),
        12,
        "the secretary's own cell"
    );
    // A meeting page renders with the roll-call form for the secretary.
    let id = page
        .split("href=\"/meetings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("meeting link")
        .to_string();
    let m = get_text(&c, format!("{}/meetings/{id}", t.base)).await;
    assert!(
        m.contains("Lưu điểm danh") && m.contains("Nguyễn Văn An"),
        "{m}"
    );
}

both_backends!(
    session_login_search_edit_audit,
    pages_are_light_and_scoped,
    staff_reorganize_in_the_ui,
    calendar_pages_and_downloads
);
