//! Yearly review and classification (Quy định 132-QĐ/TW → 124-QĐ/TW →
//! 366-QĐ/TW; docs/rules.md "Classification regimes by year",
//! "Classification quota", "Classification order (bottom-up)"; issue 12,
//! point 3): the member assesses themself, the cell proposes, the committee
//! decides, bottom-up and under the quota.

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, csrf_of, get_text, login};
use chibo::domain::authz::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn answer(r: reqwest::Response) -> (StatusCode, String) {
    let s = r.status();
    (s, r.text().await.expect("body"))
}

async fn year_of(t: &TestApp, token: &str, org: impl std::fmt::Display, year: i32) -> Value {
    t.get_json(
        token,
        &format!("/api/v1/orgs/{org}/classification?year={year}"),
    )
    .await
}

fn member_record(v: &Value, id: i64) -> &Value {
    v["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["subject_id"] == id)
        .expect("member line")
}

/// Chi bộ 1's four members: self (Hà), proposal of all four and the cell's
/// own self-review, by the secretary.
async fn cell_proposes(t: &TestApp, year: i32, grades: [&str; 4]) -> [i64; 4] {
    let cell1 = t.fx.cell1;
    let v = year_of(t, &t.token("secretary").await, cell1, year).await;
    let mut ids: Vec<i64> = v["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["subject_id"].as_i64().expect("id"))
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids.len(),
        4,
        "the four members of Chi bộ 1 are on the roll: {v}"
    );
    let sec = t.token("secretary").await;
    let members: Vec<Value> = ids
        .iter()
        .zip(grades)
        .map(|(id, g)| json!({"member_id": id, "grade": g}))
        .collect();
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{cell1}/classification/proposals"),
            &json!({"year": year.to_string(), "self_grade": "good", "members": members}),
        )
        .await;
    let (s, body) = answer(r).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("\"recorded\":5"), "{body}");
    [ids[0], ids[1], ids[2], ids[3]]
}

async fn a_cell_round_runs_bottom_up(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    add_user(&t.app, "xa", None, Some((Role::Staff, fx.commune))).await;
    let (commune, district) = (t.token("xa").await, t.token("staff").await);
    let (sec, mem) = (t.token("secretary").await, t.token("member").await);
    // The district's dashboard is read (and its rollup row kept) before the
    // round: it must follow every decision below, never answer stale.
    let dashboard = format!("/api/v1/orgs/{}/dashboard?year=2024", fx.district);
    let grades = |d: &Value, series: usize| -> Vec<f64> {
        let s = d["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["key"] == "classification")
            .expect("classification")
            .clone();
        s["series"][series]["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_f64().unwrap_or(0.0))
            .collect()
    };
    assert_eq!(
        grades(&t.get_json(&district, &dashboard).await, 0),
        [0.0; 4]
    );

    // The member assesses themself, and only themself.
    let own = format!("/api/v1/members/{}/classification", fx.ha.0);
    let r = t
        .post_json(Some(&mem), &own, &json!({"year": "2024", "grade": "good"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&mem),
            &format!("/api/v1/members/{}/classification", fx.an.0),
            &json!({"year": "2024", "grade": "excellent"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(
            Some(&sec),
            &own,
            &json!({"year": "2024", "grade": "excellent"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the secretary does not assess for Hà"
    );

    // The cell proposes; a member cannot, a sibling cell cannot even see.
    let proposals = format!("/api/v1/orgs/{}/classification/proposals", fx.cell1);
    let r = t
        .post_json(
            Some(&mem),
            &proposals,
            &json!({"year": "2024", "self_grade": "good"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .get(
            Some(&sec),
            &format!("/api/v1/orgs/{}/classification?year=2024", fx.cell2),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let ids = cell_proposes(&t, 2024, ["good", "good", "good", "complete"]).await;

    // Nobody in the cell decides.
    let decisions =
        |org: chibo::domain::ids::OrgId| format!("/api/v1/orgs/{org}/classification/decisions");
    let all: Vec<Value> = ids
        .iter()
        .zip(["good", "good", "good", "complete"])
        .map(|(id, g)| json!({"member_id": id, "grade": g}))
        .collect();
    let body = json!({"year": "2024", "decision_ref": "Biên bản hội nghị Đảng ủy xã ngày 20/12/2024", "members": all});
    let r = t.post_json(Some(&sec), &decisions(fx.cell1), &body).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t.post_json(Some(&sec), &decisions(fx.commune), &body).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t.post_json(Some(&mem), &decisions(fx.commune), &body).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Bottom-up: the cell is not decided before its members.
    let cell_body = json!({"year": "2024", "decision_ref": "QĐ 12-QĐ/ĐU", "orgs": [{"org_id": fx.cell1.0, "grade": "good"}]});
    let (s, text) = answer(
        t.post_json(Some(&commune), &decisions(fx.commune), &cell_body)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains("còn 4 đảng viên chưa có kết quả xếp loại"),
        "{text}"
    );
    // A decision names its document.
    let mut unnamed = body.clone();
    unnamed["decision_ref"] = json!(" ");
    let (s, text) = answer(
        t.post_json(Some(&commune), &decisions(fx.commune), &unnamed)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("Số, ngày quyết định"), "{text}");
    // The commune decides its members, then the cell.
    let (s, text) = answer(
        t.post_json(Some(&commune), &decisions(fx.commune), &body)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let (s, text) = answer(
        t.post_json(Some(&commune), &decisions(fx.commune), &cell_body)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let v = year_of(&t, &sec, fx.cell1, 2024).await;
    assert_eq!(v["regime"]["code"], "qd124");
    assert_eq!(v["own"]["final_grade"], "good");
    assert_eq!(v["own"]["decided_by"], fx.commune.0);
    let ha = member_record(&v, fx.ha.0);
    assert_eq!(ha["self_grade"], "good");
    assert!(ha["proposed_grade"].is_string(), "{ha}");
    assert_eq!(ha["final_grade"], ha["proposed_grade"]);
    assert_eq!(
        ha["decision_ref"],
        "Biên bản hội nghị Đảng ủy xã ngày 20/12/2024"
    );

    // The cell decided: its members' grades are frozen.
    let (s, text) = answer(
        t.post_json(Some(&commune), &decisions(fx.commune), &body)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains("Chi bộ 1 đã được quyết định xếp loại"),
        "{text}"
    );
    // Decided: the member's self-assessment is closed.
    let (s, text) = answer(
        t.post_json(
            Some(&mem),
            &own,
            &json!({"year": "2024", "grade": "excellent"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("đã có quyết định xếp loại"), "{text}");

    // The commune itself: after its own self-review and once Chi bộ 2 is decided.
    let r = t
        .post_json(
            Some(&commune),
            &format!("/api/v1/orgs/{}/classification/proposals", fx.commune),
            &json!({"year": "2024", "self_grade": "good"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let commune_body = json!({"year": "2024", "decision_ref": "QĐ 30-QĐ/HU", "orgs": [{"org_id": fx.commune.0, "grade": "good"}]});
    let r = t
        .post_json(Some(&commune), &decisions(fx.district), &commune_body)
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "the commune does not decide for itself"
    );
    let (s, text) = answer(
        t.post_json(Some(&district), &decisions(fx.district), &commune_body)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("còn 1 tổ chức trực thuộc"), "{text}");

    // Counts roll up: the district sees the commune's members and cells.
    let c = t
        .get_json(
            &district,
            &format!(
                "/api/v1/orgs/{}/classification/counts?year=2024",
                fx.district
            ),
        )
        .await;
    assert_eq!(c["members"]["good"], 3, "{c}");
    assert_eq!(c["members"]["complete"], 1, "{c}");
    assert_eq!(c["members"]["excellent"], 0, "{c}");
    assert_eq!(c["orgs"]["good"], 1, "{c}");
    assert_eq!(
        c["orgs_pending"], 1,
        "the commune's own self-review awaits the district: {c}"
    );
    let d = t.get_json(&district, &dashboard).await;
    assert_eq!(
        grades(&d, 0),
        [0.0, 3.0, 1.0, 0.0],
        "members, from the rollup"
    );
    assert_eq!(grades(&d, 1), [0.0, 1.0, 0.0, 0.0], "organizations");
    let other = t
        .get(
            Some(&district),
            &format!(
                "/api/v1/orgs/{}/classification/counts?year=2024",
                fx.other_district
            ),
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

async fn the_quota_refuses_one_excellent_too_many(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    add_user(&t.app, "xa", None, Some((Role::Staff, fx.commune))).await;
    let commune = t.token("xa").await;
    // Chi bộ 1: excellent, excellent, good, good → 2 > 20% × 2.
    let ids = cell_proposes(&t, 2023, ["excellent", "excellent", "good", "good"]).await;
    let decisions = format!("/api/v1/orgs/{}/classification/decisions", fx.commune);
    let members: Vec<Value> = ids
        .iter()
        .zip(["excellent", "excellent", "good", "good"])
        .map(|(id, g)| json!({"member_id": id, "grade": g}))
        .collect();
    let body = json!({"year": "2023", "decision_ref": "BB ngày 15/12/2023", "members": members});
    let (s, text) = answer(t.post_json(Some(&commune), &decisions, &body).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains(
            "số đảng viên xếp loại \\\"Hoàn thành xuất sắc nhiệm vụ\\\" (2) vượt quá 20%"
        ),
        "{text}"
    );
    assert!(text.contains("2 × 20% = 0,4; tối đa 0"), "{text}");
    assert!(text.contains("Quy định 124-QĐ/TW"), "{text}");
    // Refused as a whole: nothing was decided.
    let v = year_of(&t, &commune, fx.commune, 2023).await;
    assert!(
        v["members"]
            .as_array()
            .expect("m")
            .iter()
            .all(|m| m["final_grade"].is_null()),
        "{v}"
    );
    // With a reason, the excess stands and the reason is kept and audited.
    let mut with = body.clone();
    with["override_reason"] = json!("Ban Thường vụ Huyện ủy đồng ý tại Công văn 45-CV/HU");
    let (s, text) = answer(t.post_json(Some(&commune), &decisions, &with).await).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let v = year_of(&t, &commune, fx.commune, 2023).await;
    let excellent: Vec<&Value> = v["members"]
        .as_array()
        .expect("m")
        .iter()
        .filter(|m| m["final_grade"] == "excellent")
        .collect();
    assert_eq!(excellent.len(), 2, "{v}");
    assert_eq!(
        excellent[0]["override_reason"],
        "Ban Thường vụ Huyện ủy đồng ý tại Công văn 45-CV/HU"
    );
    let audited: i64 = match &t.app.db {
        chibo::store::Db::Sqlite(p) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'classification_override'",
        )
        .fetch_one(p)
        .await
        .expect("audit"),
        chibo::store::Db::Postgres(p) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'classification_override'",
        )
        .fetch_one(p)
        .await
        .expect("audit"),
    };
    assert_eq!(audited, 1);
}

async fn the_regime_follows_the_year(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    let mem = t.token("member").await;
    let own = format!("/api/v1/members/{}/classification", fx.ha.0);
    // 2018: Quy định 132 — four grades, no score.
    let r = t
        .post_json(Some(&mem), &own, &json!({"year": "2018", "grade": "good"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (s, text) = answer(
        t.post_json(
            Some(&mem),
            &own,
            &json!({"year": "2018", "grade": "good", "score": 80}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("không chấm điểm"), "{text}");
    // 2025: Quy định 366 — a 100-point score, and the grade follows it.
    let (s, text) = answer(
        t.post_json(Some(&mem), &own, &json!({"year": "2025", "grade": "good"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("bắt buộc theo Quy định 366-QĐ/TW"), "{text}");
    let (s, text) = answer(
        t.post_json(
            Some(&mem),
            &own,
            &json!({"year": "2025", "grade": "excellent", "score": 85}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("85 điểm chỉ cho phép"), "{text}");
    let r = t
        .post_json(
            Some(&mem),
            &own,
            &json!({"year": "2025", "grade": "excellent", "score": 92}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Only a member on the roll that year: Hà was admitted in 2010.
    let (s, text) = answer(
        t.post_json(Some(&mem), &own, &json!({"year": "2009", "grade": "good"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains("Đặng Thị Hà không có tên trong danh sách đảng viên xếp loại năm 2009"),
        "{text}"
    );
    // Before 2018 chibo holds no regime; a year to come is refused.
    let (s, text) = answer(
        t.post_json(Some(&mem), &own, &json!({"year": "2017", "grade": "good"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("chibo xếp loại từ năm 2018"), "{text}");
    let (s, _) = answer(
        t.post_json(Some(&mem), &own, &json!({"year": "2027", "grade": "good"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let sec = t.token("secretary").await;
    let v18 = year_of(&t, &sec, fx.cell1, 2018).await;
    assert_eq!(v18["regime"]["code"], "qd132");
    assert_eq!(v18["regime"]["uses_score"], false);
    assert_eq!(member_record(&v18, fx.ha.0)["regime"], "qd132");
    let v25 = year_of(&t, &sec, fx.cell1, 2025).await;
    assert_eq!(v25["regime"]["code"], "qd366");
    assert_eq!(v25["regime"]["uses_score"], true);
    let ha = member_record(&v25, fx.ha.0);
    assert_eq!(ha["self_score"], 92);
    assert_eq!(ha["self_grade"], "excellent");
    // The cell proposes with a score too, and may lower the grade below the band.
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/classification/proposals", fx.cell1),
            &json!({"year": "2025", "members": [{"member_id": fx.ha.0, "grade": "good", "score": 92}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (s, text) = answer(
        t.post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/classification/proposals", fx.cell1),
            &json!({"year": "2025", "members": [{"member_id": fx.ha.0, "grade": "good"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("Đặng Thị Hà"), "{text}");
}

async fn pages_and_xlsx(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    add_user(&t.app, "xa", None, Some((Role::Staff, fx.commune))).await;
    // The secretary's one form: a select per member, and the cell's own.
    let c = client();
    let csrf = login(&t, &c, "secretary").await;
    let page = get_text(
        &c,
        format!("{}/orgs/{}/classification?year=2024", t.base, fx.cell1),
    )
    .await;
    assert!(page.contains("Quy định số 124-QĐ/TW"), "{page}");
    assert_eq!(
        page.matches("aria-label=\"Đề xuất cho ").count(),
        4,
        "{page}"
    );
    let mut form: Vec<(String, String)> = vec![
        ("_csrf".into(), csrf.clone()),
        ("year".into(), "2024".into()),
        ("self_grade".into(), "excellent".into()),
    ];
    for (m, g) in [(fx.an.0, "excellent"), (fx.ha.0, "good")] {
        form.push((format!("m{m}"), g.into()));
    }
    let r = c
        .post(format!(
            "{}/orgs/{}/classification/propose",
            t.base, fx.cell1
        ))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The commune's one form: both members over the quota → 422 page with the rule.
    let c2 = client();
    let csrf2 = login(&t, &c2, "xa").await;
    let page = get_text(
        &c2,
        format!("{}/orgs/{}/classification?year=2024", t.base, fx.commune),
    )
    .await;
    assert!(
        page.contains("aria-label=\"Quyết định cho Nguyễn Văn An\""),
        "{page}"
    );
    let form = [
        ("_csrf", csrf2.as_str()),
        ("year", "2024"),
        ("decision_ref", "BB 20/12/2024"),
        ("override_reason", ""),
        (&format!("m{}", fx.an.0), "excellent"),
        (&format!("m{}", fx.ha.0), "good"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect::<Vec<_>>();
    let r = c2
        .post(format!(
            "{}/orgs/{}/classification/decide",
            t.base, fx.commune
        ))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("vượt quá 20%"), "{text}");
    let mut ok = form.clone();
    ok[4].1 = "good".into();
    let r = c2
        .post(format!(
            "{}/orgs/{}/classification/decide",
            t.base, fx.commune
        ))
        .form(&ok)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The XLSX of the commune: counts and the members' stages.
    let bytes = c2
        .get(format!(
            "{}/orgs/{}/classification.xlsx?year=2024",
            t.base, fx.commune
        ))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let sum = wb.worksheet_range("Tổng hợp").expect("sheet");
    let row = |label: &str| -> Vec<String> {
        sum.rows()
            .find(|r| r.first().is_some_and(|c| *c == label))
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .expect(label)
    };
    assert_eq!(row("Hoàn thành tốt nhiệm vụ")[1], "2");
    assert_eq!(row("Hoàn thành xuất sắc nhiệm vụ")[1], "0");
    assert_eq!(row("Tổng số")[1], "2");
    let members = wb.worksheet_range("Đảng viên").expect("sheet");
    let an: Vec<String> = members
        .rows()
        .find(|r| r.iter().any(|c| *c == "Nguyễn Văn An"))
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .expect("An's row");
    assert!(
        an.contains(&"Hoàn thành xuất sắc nhiệm vụ".to_string()),
        "proposed: {an:?}"
    );
    assert!(
        an.contains(&"Hoàn thành tốt nhiệm vụ".to_string()),
        "decided: {an:?}"
    );
    assert!(an.contains(&"BB 20/12/2024".to_string()), "{an:?}");

    // The member's own page: the form, and a self-assessment through it.
    let c3 = client();
    let csrf3 = login(&t, &c3, "member").await;
    let page = get_text(
        &c3,
        format!("{}/members/{}/classification?year=2025", t.base, fx.ha.0),
    )
    .await;
    assert!(page.contains("Tự đánh giá"), "{page}");
    let csrf3 = if page.contains("_csrf") {
        csrf_of(&page)
    } else {
        csrf3
    };
    let r = c3
        .post(format!("{}/members/{}/classification", t.base, fx.ha.0))
        .form(&[
            ("_csrf", csrf3.as_str()),
            ("year", "2025"),
            ("grade", "good"),
            ("score", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("t").contains("Điểm: bắt buộc"));
}

/// An organization proposes and the level above decides, side by side; the
/// quota is checked on the decision (docs/rules.md "Organization proposals").
async fn an_organization_is_proposed_then_decided(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    add_user(&t.app, "xa", None, Some((Role::Staff, fx.commune))).await;
    let (commune, district) = (t.token("xa").await, t.token("staff").await);
    let sec = t.token("secretary").await;
    let proposals =
        |org: chibo::domain::ids::OrgId| format!("/api/v1/orgs/{org}/classification/proposals");
    let decisions =
        |org: chibo::domain::ids::OrgId| format!("/api/v1/orgs/{org}/classification/decisions");

    // The cell's self-review is its proposal, until it puts forward another.
    let ids = cell_proposes(&t, 2024, ["good", "good", "good", "complete"]).await;
    let v = year_of(&t, &sec, fx.cell1, 2024).await;
    assert_eq!(v["own"]["proposed_grade"], "good", "{v}");
    let (s, text) = answer(
        t.post_json(
            Some(&sec),
            &proposals(fx.cell1),
            &json!({"year": "2024", "self_grade": "good", "proposed_grade": "excellent"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let v = year_of(&t, &sec, fx.cell1, 2024).await;
    assert_eq!(
        (&v["own"]["self_grade"], &v["own"]["proposed_grade"]),
        (&json!("good"), &json!("excellent")),
        "{v}"
    );
    let all: Vec<Value> = ids
        .iter()
        .zip(["good", "good", "good", "complete"])
        .map(|(id, g)| json!({"member_id": id, "grade": g}))
        .collect();
    let r = t
        .post_json(
            Some(&commune),
            &decisions(fx.commune),
            &json!({"year": "2024", "decision_ref": "QĐ 11-QĐ/ĐU", "members": all}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // The commune's page shows the cell's self-review and proposal side by
    // side, its decision list preset to the proposal.
    let c = client();
    login(&t, &c, "xa").await;
    let page = get_text(
        &c,
        format!("{}/orgs/{}/classification?year=2024", t.base, fx.commune),
    )
    .await;
    assert!(
        page.contains("<th>Tự đánh giá</th><th>Đề xuất</th><th>Cấp trên quyết định</th>"),
        "{page}"
    );
    assert!(
        page.contains(
            ">Tốt</span></td><td><span title=\"Hoàn thành xuất sắc nhiệm vụ\">Xuất sắc</span></td>"
        ),
        "{page}"
    );
    assert!(
        page.contains(&format!("name=\"o{}\"", fx.cell1.0)),
        "decidable: {page}"
    );
    // The commune decides lower than proposed; the proposal stays beside it.
    let (s, text) = answer(
        t.post_json(
            Some(&commune),
            &decisions(fx.commune),
            &json!({"year": "2024", "decision_ref": "QĐ 12-QĐ/ĐU", "orgs": [{"org_id": fx.cell1.0, "grade": "good"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let v = year_of(&t, &sec, fx.cell1, 2024).await;
    assert_eq!(v["own"]["final_grade"], "good");
    assert_eq!(v["own"]["proposed_grade"], "excellent");
    // Decided: the cell's proposal is closed.
    let (s, text) = answer(
        t.post_json(
            Some(&sec),
            &proposals(fx.cell1),
            &json!({"year": "2024", "proposed_grade": "good"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("đã có quyết định xếp loại"), "{text}");

    // A proposal without a self-review first is refused.
    let (s, text) = answer(
        t.post_json(
            Some(&commune),
            &proposals(fx.cell2),
            &json!({"year": "2024", "proposed_grade": "good"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains("tự kiểm điểm, xếp loại tập thể trước khi đề xuất"),
        "{text}"
    );
    let r = t
        .post_json(
            Some(&commune),
            &proposals(fx.cell2),
            &json!({"year": "2024", "self_grade": "good"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&commune),
            &decisions(fx.commune),
            &json!({"year": "2024", "decision_ref": "QĐ 13-QĐ/ĐU", "orgs": [{"org_id": fx.cell2.0, "grade": "good"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // The commune proposes itself excellent; the district's decision is
    // held to the quota of base organizations, then decided good.
    let r = t
        .post_json(
            Some(&commune),
            &proposals(fx.commune),
            &json!({"year": "2024", "self_grade": "good", "proposed_grade": "excellent"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let excellent = json!({"year": "2024", "decision_ref": "QĐ 30-QĐ/HU", "orgs": [{"org_id": fx.commune.0, "grade": "excellent"}]});
    let (s, text) = answer(
        t.post_json(Some(&district), &decisions(fx.district), &excellent)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("số tổ chức cơ sở đảng xếp loại") && text.contains("vượt quá 20%"),
        "{text}"
    );
    let v = year_of(&t, &district, fx.commune, 2024).await;
    assert!(v["own"]["final_grade"].is_null(), "nothing recorded: {v}");
    let mut good = excellent.clone();
    good["orgs"][0]["grade"] = json!("good");
    let (s, text) = answer(
        t.post_json(Some(&district), &decisions(fx.district), &good)
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let v = year_of(&t, &district, fx.commune, 2024).await;
    assert_eq!(
        (&v["own"]["proposed_grade"], &v["own"]["final_grade"]),
        (&json!("excellent"), &json!("good")),
        "{v}"
    );
    // The XLSX carries the three stages of each organization.
    let bytes = c
        .get(format!(
            "{}/orgs/{}/classification.xlsx?year=2024",
            t.base, fx.commune
        ))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let units = wb.worksheet_range("Tổ chức").expect("sheet");
    let rows: Vec<Vec<String>> = units
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][3], "Đề xuất", "{rows:?}");
    let cell1 = rows
        .iter()
        .find(|r| r[1] == "Chi bộ 1")
        .expect("Chi bộ 1's row");
    assert_eq!(
        cell1[2..5],
        [
            "Hoàn thành tốt nhiệm vụ",
            "Hoàn thành xuất sắc nhiệm vụ",
            "Hoàn thành tốt nhiệm vụ"
        ],
        "{cell1:?}"
    );
}

both_backends!(
    a_cell_round_runs_bottom_up,
    an_organization_is_proposed_then_decided,
    the_quota_refuses_one_excellent_too_many,
    the_regime_follows_the_year,
    pages_and_xlsx
);
