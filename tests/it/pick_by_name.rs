//! No form asks for an internal id (issue 10, point 5): organizations are
//! chosen by name, "name — parent" when names repeat.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login, node};
use chibo::domain::org::{CellType, OrgKind};
use reqwest::StatusCode;

async fn transfer_and_merge_pick_by_name(b: Backend) {
    let t = TestApp::spawn(b).await;
    // A second "Chi bộ 2" elsewhere in the staff's district makes the bare name ambiguous.
    let commune_b = node(
        &t.app,
        t.fx.district,
        "Đảng bộ xã Đông",
        OrgKind::BaseCommittee,
        None,
    )
    .await;
    node(
        &t.app,
        commune_b,
        "Chi bộ 2",
        OrgKind::Cell,
        Some(CellType::Rural),
    )
    .await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;

    // The profile offers the commune's other cells by name; no field asks for a "mã số".
    let profile = get_text(&c, format!("{}/members/{}", t.base, t.fx.ha)).await;
    assert!(!profile.contains("mã số"), "{profile}");
    assert!(
        profile.contains("value=\"Chi bộ 2 — Đảng bộ xã Cẩm\""),
        "{profile}"
    );

    let transfer = |to: &'static str| {
        c.post(format!("{}/members/{}/transfer", t.base, t.fx.ha))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kind", "permanent"),
                ("to", to),
                ("on", "01/11/2026"),
            ])
            .send()
    };
    let r = transfer("chi bo 2").await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("t");
    assert!(html.contains("có 2 tổ chức khớp"), "{html}");
    assert!(html.contains("Chi bộ 2 — Đảng bộ xã Đông"), "{html}");

    let r = transfer("Không Có Chi Bộ Này").await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("không tìm thấy tổ chức nào")
    );

    // A committee is not a cell: the name matches nothing a member can move to.
    let r = transfer("Đảng bộ xã Đông").await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = transfer("Chi bộ 2 — Đảng bộ xã Cẩm").await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let profile = get_text(&c, format!("{}/members/{}", t.base, t.fx.ha)).await;
    assert!(
        profile.contains(&format!("/orgs/{}\">Chi bộ 2</a>", t.fx.cell2)),
        "{profile}"
    );

    // Merging a cell into a sibling, named as the form offers it.
    let page = get_text(&c, format!("{}/orgs/{}", t.base, t.fx.cell1)).await;
    assert!(!page.contains("mã số"), "{page}");
    assert!(
        page.contains("value=\"Chi bộ 2 — Đảng bộ xã Cẩm\""),
        "{page}"
    );
    let r = c
        .post(format!("{}/orgs/{}/change", t.base, t.fx.cell1))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("action", "merge"),
            ("target", "Chi bộ 2 — Đảng bộ xã Cẩm"),
            ("effective_on", "01/11/2026"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/orgs/{}", t.base, t.fx.cell1)).await;
    assert!(page.contains("Đã sáp nhập"), "{page}");
}

async fn outsider_cannot_pick_what_they_do_not_see(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "outsider").await;
    // "Chi bộ 1" exists, but not in the outsider's district: it is not found.
    let r = c
        .post(format!("{}/members/{}/transfer", t.base, t.fx.other_member))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "permanent"),
            ("to", "Chi bộ 1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("t");
    assert!(html.contains("không tìm thấy tổ chức nào"), "{html}");
    assert!(!html.contains("Đảng bộ xã Cẩm"), "{html}");
}

both_backends!(
    transfer_and_merge_pick_by_name,
    outsider_cannot_pick_what_they_do_not_see
);
