//! Targets and indicators (issue 12, point 4): Lâm Sơn's health-insurance
//! indicator owned by its thematic resolution, roll-ups over cells, and the
//! registry's admissions and training per year (docs/rules.md "Targets and
//! indicators").

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, csrf_of, get_text, login};
use chibo::domain::authz::Role;
use chibo::store::Db;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect(sql);
}

async fn created(r: reqwest::Response) -> i64 {
    let s = r.status();
    let body = r.text().await.expect("body");
    assert_eq!(s, StatusCode::CREATED, "{body}");
    serde_json::from_str::<Value>(&body).expect("json")["id"]
        .as_i64()
        .expect("id")
}

async fn status_of(r: reqwest::Response) -> (StatusCode, String) {
    let s = r.status();
    (s, r.text().await.expect("body"))
}

async fn health_insurance_from_baseline_to_progress(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let xa = t.token("xa").await;
    let sec = t.token("secretary").await;
    let base = format!("/api/v1/orgs/{}/indicators", t.fx.commune);
    let bhyt = json!({"code": "bhyt", "name": "Tỷ lệ người dân tham gia bảo hiểm y tế", "unit": "percent",
        "baseline": "87,6", "baseline_numerator": "3.631", "baseline_on": "31/12/2017",
        "resolution_ref": "Nghị quyết chuyên đề số 57-NQ/ĐU"});

    // A cell's secretary does not set the commune's indicators.
    let r = t.post_json(Some(&sec), &base, &bhyt).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, body) = status_of(
        t.post_json(Some(&xa), &base, &json!({"unit": "percent"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Mã chỉ tiêu: không được để trống",
        "Tên chỉ tiêu: không được để trống",
        "Ngày của số liệu gốc: không được để trống",
        "Số liệu gốc: không được để trống",
    ] {
        assert!(body.contains(msg), "{msg}: {body}");
    }
    let mut over = bhyt.clone();
    over["baseline"] = json!("120");
    let (s, body) = status_of(t.post_json(Some(&xa), &base, &over).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("tỷ lệ không vượt quá 100%"), "{body}");
    let id = created(t.post_json(Some(&xa), &base, &bhyt).await).await;
    let (s, body) = status_of(t.post_json(Some(&xa), &base, &bhyt).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("đã có chỉ tiêu mã BHYT"), "{body}");

    let targets = format!("{base}/{id}/targets");
    let actuals = format!("{base}/{id}/actuals");
    for (year, value) in [("2018", "90"), ("2020", "100")] {
        let r = t
            .post_json(Some(&xa), &targets, &json!({"year": year, "value": value}))
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let (s, body) = status_of(
        t.post_json(Some(&xa), &targets, &json!({"year": "2016", "value": "80"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("không trước năm của số liệu gốc (2017)"),
        "{body}"
    );
    // 91% first, corrected to 92%: the first stays as history.
    for (period, value) in [("2018", "91"), ("2018", "92"), ("Q1/2019", "95")] {
        let r = t
            .post_json(
                Some(&xa),
                &actuals,
                &json!({"period": period, "value": value}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let (s, body) = status_of(
        t.post_json(
            Some(&xa),
            &actuals,
            &json!({"period": "2027", "value": "99"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Kỳ số liệu: chưa đến kỳ này"), "{body}");

    let v = t.get_json(&xa, &base).await;
    let ind = &v["own"][0];
    assert_eq!(ind["code"], "BHYT");
    assert_eq!(ind["baseline"]["value"], 87.6);
    assert_eq!(ind["baseline"]["numerator"], 3631.0);
    assert_eq!(ind["resolution_ref"], "Nghị quyết chuyên đề số 57-NQ/ĐU");
    assert_eq!(ind["corrections"], 1);
    assert_eq!(ind["actuals"].as_array().map(Vec::len), Some(2));
    let year = |y: i64| {
        ind["years"]
            .as_array()
            .expect("years")
            .iter()
            .find(|x| x["year"] == y)
            .cloned()
            .expect("year")
    };
    let y2018 = year(2018);
    assert_eq!(
        (y2018["actual"].as_f64(), y2018["reached"].as_bool()),
        (Some(92.0), Some(true))
    );
    let y2019 = year(2019);
    assert_eq!(y2019["target_year"], 2020, "100% by 2020 speaks for 2019");
    assert_eq!(y2019["actual_period"], "2019-Q1");
    let p = y2019["progress"].as_f64().expect("progress");
    assert!((p - 59.68).abs() < 0.01, "{p}");
    // Every write is audited.
    let audit = t
        .get_json(&xa, &format!("/api/v1/orgs/{}/audit", t.fx.commune))
        .await;
    let text = audit.to_string();
    assert!(
        text.contains("Đặt chỉ tiêu BHYT") && text.contains("Kết quả chỉ tiêu BHYT Quý 1/2019"),
        "{text}"
    );

    // The page shows it to a member of the commune's staff, in Vietnamese figures.
    let c = client();
    login(&t, &c, "xa").await;
    let page = get_text(&c, format!("{}/orgs/{}/indicators", t.base, t.fx.commune)).await;
    for s in [
        "87,6%",
        "3.631",
        "92%",
        "95% (Quý 1/2019)",
        "(đến 2020)",
        "Đạt",
        "59,68% chặng đường",
        "Số liệu đã được sửa (1)",
    ] {
        assert!(page.contains(s), "{s}");
    }
    // A form sent back with its errors: 422 and the page.
    let csrf = csrf_of(&page);
    let r = c
        .post(format!(
            "{}/orgs/{}/indicators/{id}/actuals",
            t.base, t.fx.commune
        ))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("period", "Q5/2019"),
            ("value", "9"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Kỳ số liệu: phải là năm (2018)")
    );

    // The XLSX the page links to: the indicator, then its values by period.
    assert!(page.contains(&format!("/orgs/{}/indicators.xlsx", t.fx.commune)));
    let bytes = c
        .get(format!("{}/orgs/{}/indicators.xlsx", t.base, t.fx.commune))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let rows = |wb: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        wb.worksheet_range(sheet)
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let defs = rows(&mut wb, "Chỉ tiêu");
    let bhyt = defs.iter().find(|r| r[0] == "BHYT").expect("BHYT");
    assert_eq!(bhyt[3..7], ["Càng cao càng tốt", "", "87.6", "3631"]);
    assert_eq!(bhyt[8], "31/12/2017");
    let by_period = rows(&mut wb, "Số liệu theo kỳ");
    let line = |label: &str| {
        by_period
            .iter()
            .find(|r| r[0] == "BHYT" && r[2] == label)
            .cloned()
            .unwrap_or_else(|| panic!("{label} in {by_period:?}"))
    };
    assert_eq!(
        line("Năm 2018")[3..9],
        ["90", "92", "", "", "183.33", "Đạt"]
    );
    assert_eq!(
        line("Quý 1/2019")[4..9],
        ["95", "", "", "59.68", "Chưa đạt"]
    );
    assert_eq!(line("Năm 2020")[3..5], ["100", ""]);
}

async fn values_roll_up_over_the_cells(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let xa = t.token("xa").await;
    let sec = t.token("secretary").await;
    let (c1, c2) = (t.fx.cell1, t.fx.cell2);
    let make = |org, token: String, body: Value| {
        let t = &t;
        async move {
            let base = format!("/api/v1/orgs/{org}/indicators");
            let id = created(t.post_json(Some(&token), &base, &body).await).await;
            (base, id)
        }
    };
    let rate = |n: &str, d: &str| {
        json!({"code": "BHYT", "name": "Tỷ lệ BHYT", "unit": "percent", "baseline": "",
        "baseline_numerator": n, "baseline_denominator": d, "baseline_on": "31/12/2017"})
    };
    let tea = json!({"code": "CHE", "name": "Diện tích chè trồng mới", "unit": "amount", "measure": "ha",
        "baseline": "0", "baseline_on": "01/01/2018"});
    let (b1, r1) = make(c1, sec.clone(), rate("80", "100")).await;
    let (b2, r2) = make(c2, xa.clone(), rate("20", "25")).await;
    let (_, t1) = make(c1, sec.clone(), tea.clone()).await;
    let (_, t2) = make(c2, xa.clone(), tea.clone()).await;
    // 2018: 90/100 and 20/25 → 110/125 = 88%, not the mean of 90% and 80%.
    for (b, id, n, d) in [(&b1, r1, "90", "100"), (&b2, r2, "20", "25")] {
        let r = t
            .post_json(
                Some(&xa),
                &format!("{b}/{id}/actuals"),
                &json!({"period": "2018", "numerator": n, "denominator": d}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    // 2019: one cell gives a bare rate: the roll-up says it cannot add.
    let r = t
        .post_json(
            Some(&xa),
            &format!("{b1}/{r1}/actuals"),
            &json!({"period": "2019", "value": "93"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(
            Some(&xa),
            &format!("{b2}/{r2}/actuals"),
            &json!({"period": "2019", "numerator": "22", "denominator": "25"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    for (b, id, v, target) in [(&b1, t1, "3", "2,5"), (&b2, t2, "2,5", "3")] {
        let r = t
            .post_json(
                Some(&xa),
                &format!("{b}/{id}/actuals"),
                &json!({"period": "2018", "value": v}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = t
            .post_json(
                Some(&xa),
                &format!("{b}/{id}/targets"),
                &json!({"year": "2018", "value": target}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    // A rate that disagrees with its parts is refused.
    let (s, body) = status_of(
        t.post_json(
            Some(&xa),
            &format!("{b1}/{r1}/actuals"),
            &json!({"period": "2020", "value": "50", "numerator": "90", "denominator": "100"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("không khớp tử số / mẫu số"), "{body}");

    let v = t
        .get_json(&xa, &format!("/api/v1/orgs/{}/indicators", t.fx.commune))
        .await;
    assert_eq!(v["own"].as_array().map(Vec::len), Some(0));
    let roll = |code: &str| {
        v["rollups"]
            .as_array()
            .expect("rollups")
            .iter()
            .find(|r| r["code"] == code)
            .cloned()
            .expect("rollup")
    };
    let year = |r: &Value, y: i64| {
        r["years"]
            .as_array()
            .expect("y")
            .iter()
            .find(|x| x["year"] == y)
            .cloned()
            .expect("year")
    };
    let bhyt = roll("BHYT");
    assert_eq!(bhyt["org_ids"].as_array().map(Vec::len), Some(2));
    let y = year(&bhyt, 2018);
    assert_eq!(
        (
            y["kind"].as_str(),
            y["numerator"].as_f64(),
            y["denominator"].as_f64()
        ),
        (Some("rate"), Some(110.0), Some(125.0))
    );
    assert!((y["value"].as_f64().expect("v") - 88.0).abs() < 1e-9);
    assert_eq!(year(&bhyt, 2019)["kind"], "not_summable");
    let tea = roll("CHE");
    let y = year(&tea, 2018);
    assert_eq!(
        (
            y["kind"].as_str(),
            y["value"].as_f64(),
            y["target"].as_f64(),
            y["units_reporting"].as_i64()
        ),
        (Some("sum"), Some(5.5), Some(5.5), Some(2))
    );
    // The district above sees the same roll-up through the commune's cells.
    let district = t.token("staff").await;
    let d = t
        .get_json(
            &district,
            &format!("/api/v1/orgs/{}/indicators", t.fx.district),
        )
        .await;
    assert_eq!(d["rollups"].as_array().map(Vec::len), Some(2));
}

async fn admissions_and_training_per_year(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    let xa = t.token("xa").await;
    // Two members admitted in 2018 (one per cell), one in 2019, elsewhere one in 2018.
    let db = &t.app.db;
    exec(
        db,
        &format!(
            "UPDATE member SET admitted_on = '2018-03-15' WHERE id = {}",
            t.fx.an.0
        ),
    )
    .await;
    exec(
        db,
        "UPDATE member SET admitted_on = '2018-09-02' WHERE full_name = 'Phạm Thị Ánh'",
    )
    .await;
    exec(
        db,
        &format!(
            "UPDATE member SET admitted_on = '2019-05-19' WHERE id = {}",
            t.fx.ha.0
        ),
    )
    .await;
    exec(
        db,
        &format!(
            "UPDATE member SET admitted_on = '2018-05-19' WHERE id = {}",
            t.fx.other_member.0
        ),
    )
    .await;
    let v = t
        .get_json(&xa, &format!("/api/v1/orgs/{}/indicators", t.fx.commune))
        .await;
    let count = |v: &Value, y: i64| {
        v["admissions"]
            .as_array()
            .expect("a")
            .iter()
            .find(|a| a["year"] == y)
            .and_then(|a| a["count"].as_i64())
            .unwrap_or(0)
    };
    assert_eq!(
        (count(&v, 2018), count(&v, 2019), count(&v, 2010)),
        (2, 1, 0)
    );
    let c1 = t
        .get_json(&xa, &format!("/api/v1/orgs/{}/indicators", t.fx.cell1))
        .await;
    assert_eq!((count(&c1, 2018), count(&c1, 2019)), (1, 1));

    // Training: recorded by name for a member of the subtree, counted per year and level.
    let training = format!("/api/v1/orgs/{}/training", t.fx.commune);
    for (name, level) in [
        ("Nguyễn Văn An", "political_theory_intermediate"),
        ("Đặng Thị Hà", "party_work"),
        ("Phạm Thị Ánh", "party_work"),
    ] {
        let r = t
            .post_json(
                Some(&xa),
                &training,
                &json!({"member": name, "course": "Lớp bồi dưỡng", "level": level, "year": "2018"}),
            )
            .await;
        created(r).await;
    }
    let (s, body) = status_of(
        t.post_json(
            Some(&xa),
            &training,
            &json!({"member": "Hoàng Văn Cường", "course": "", "level": "x", "year": "1990"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Đảng viên: không có đảng viên nào tên «Hoàng Văn Cường»",
        "Khóa đào tạo, bồi dưỡng: không được để trống",
        "Loại: phải chọn",
        "Năm: phải là năm",
    ] {
        assert!(body.contains(msg), "{msg}: {body}");
    }
    let v = t
        .get_json(&xa, &format!("/api/v1/orgs/{}/indicators", t.fx.commune))
        .await;
    let tr = v["training"].as_array().expect("training");
    let n = |level: &str| {
        tr.iter()
            .find(|x| x["year"] == 2018 && x["level"] == level)
            .and_then(|x| x["count"].as_i64())
    };
    assert_eq!(
        (n("political_theory_intermediate"), n("party_work")),
        (Some(1), Some(2))
    );
    let c = client();
    login(&t, &c, "xa").await;
    let page = get_text(&c, format!("{}/orgs/{}/indicators", t.base, t.fx.commune)).await;
    assert!(
        page.contains("Trung cấp lý luận chính trị - hành chính")
            && page.contains("Kết nạp đảng viên mới theo năm"),
        "{page}"
    );
}

both_backends!(
    health_insurance_from_baseline_to_progress,
    values_roll_up_over_the_cells,
    admissions_and_training_per_year
);
