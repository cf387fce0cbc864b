//! A base committee inspects its cells' meetings every six months (Hòa Bình
//! agencies' bloc practice, seed 001): each shortcoming has a deadline, the
//! cell reports what it did, the next inspection judges it (issue 11, point 5).

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn an_inspection_is_followed_up_to_the_next_one(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let sec = t.token("secretary").await;
    let base = format!("/api/v1/orgs/{}/inspections", t.fx.commune);

    // The cell's secretary does not inspect (the committee is out of sight);
    // the committee's staff do.
    let r = t
        .post_json(Some(&sec), &base, &json!({"period": "2026-H1"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(Some(&staff), &base, &json!({"period": "2026-H3"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("t").contains("Kỳ kiểm tra"));
    let r = t
        .post_json(Some(&staff), &base, &json!({"period": "2026-H1"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(Some(&staff), &base, &json!({"period": "2026-H1"}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "one inspection a half-year"
    );

    // Findings name the cell by name; a shortcoming needs a deadline.
    let findings = format!("{base}/{first}/findings");
    let r = t
        .post_json(
            Some(&staff),
            &findings,
            &json!({"cell": "Chi bộ 1", "kind": "shortcoming", "body": "Biên bản ghi sơ sài"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("t").contains("Thời hạn khắc phục"));
    let r = t
        .post_json(
            Some(&staff),
            &findings,
            &json!({"cell": "Chi bộ Xa", "kind": "strength", "body": "Tốt"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a cell of this committee"
    );
    let r = t
        .post_json(
            Some(&staff),
            &findings,
            &json!({"cell": "Chi bộ 1", "kind": "shortcoming", "body": "Biên bản ghi sơ sài", "deadline": "31/12/2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let finding = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            Some(&staff),
            &findings,
            &json!({"cell": "Chi bộ 2", "kind": "strength", "body": "Sinh hoạt đúng quy trình"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // The cell sees what was found and answers; its members read, not answer.
    let cell = t
        .get_json(&sec, &format!("/api/v1/orgs/{}/findings", t.fx.cell1))
        .await;
    assert_eq!(cell[0]["status"], "open");
    assert_eq!(cell[0]["deadline"], "2026-12-31");
    let answer = format!("/api/v1/orgs/{}/findings/{finding}/answer", t.fx.cell1);
    let member = t.token("member").await;
    let r = t
        .post_json(Some(&member), &answer, &json!({"answer": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .post_json(Some(&sec), &answer, &json!({"answer": ""}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_json(
            Some(&sec),
            &answer,
            &json!({"answer": "Thư ký ghi đủ ý kiến từng đồng chí từ tháng 7"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Another cell's id in the path does not reach this finding.
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{}/findings/{finding}/answer", t.fx.cell2),
            &json!({"answer": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The next inspection lists it to judge, and judges it once.
    let r = t
        .post_json(Some(&staff), &base, &json!({"period": "2026-H2"}))
        .await;
    let second = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let v = t.get_json(&staff, &format!("{base}/{second}")).await;
    assert_eq!(v["pending"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(
        v["pending"][0]["answer"],
        "Thư ký ghi đủ ý kiến từng đồng chí từ tháng 7"
    );
    let verify = format!("{base}/{second}/findings/{finding}/verify");
    let r = t
        .post_json(Some(&staff), &verify, &json!({"status": "fixed"}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(Some(&staff), &verify, &json!({"status": "not_fixed"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "no longer pending");
    let cell = t
        .get_json(&sec, &format!("/api/v1/orgs/{}/findings", t.fx.cell1))
        .await;
    assert_eq!(
        (cell[0]["status"].as_str(), cell[0]["verified_in"].as_i64()),
        (Some("fixed"), Some(second))
    );
    let r = t
        .post_json(Some(&sec), &answer, &json!({"answer": "lại"}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "judged: nothing more to answer"
    );

    // The committee's audit log holds each step.
    let audit = t
        .get_json(&staff, &format!("/api/v1/orgs/{}/audit", t.fx.commune))
        .await
        .to_string();
    assert!(
        audit.contains("Lập đợt kiểm tra") && audit.contains("Kiểm tra lại"),
        "{audit}"
    );
}

async fn inspection_pages(b: Backend) {
    let t = TestApp::spawn(b).await;
    let c = client();
    let csrf = login(&t, &c, "staff").await;
    let r = c
        .post(format!("{}/orgs/{}/inspections", t.base, t.fx.commune))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("period", "2026-H2"),
            ("title", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let at = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let page = get_text(&c, format!("{}{at}", t.base)).await;
    assert!(
        page.contains("Kiểm tra sinh hoạt chi bộ 6 tháng cuối năm 2026"),
        "{page}"
    );
    let r = c
        .post(format!("{}{at}/findings", t.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("cell", "chi bo 2"),
            ("kind", "shortcoming"),
            ("body", "Chưa sinh hoạt chuyên đề quý 3"),
            ("deadline", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Thời hạn khắc phục: phải ghi thời hạn")
    );
    let r = c
        .post(format!("{}{at}/findings", t.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("cell", "chi bo 2"),
            ("kind", "shortcoming"),
            ("body", "Chưa sinh hoạt chuyên đề quý 3"),
            ("deadline", "15/01/2027"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, format!("{}/orgs/{}/findings", t.base, t.fx.cell2)).await;
    assert!(
        page.contains("Chưa sinh hoạt chuyên đề quý 3") && page.contains("hạn 15/01/2027"),
        "{page}"
    );
}

both_backends!(
    an_inspection_is_followed_up_to_the_next_one,
    inspection_pages
);
