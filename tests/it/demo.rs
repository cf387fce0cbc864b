//! The demo data reproduces the figures of domain.md §10.1 on 2018-06-30,
//! and today's tree has the post-2025 shape.

use crate::both_backends;
use crate::support::{Backend, fresh_db, frozen_clock};
use chibo::app::AppState;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn demo_reproduces_the_seed_figures(b: Backend) {
    let (db, dir) = fresh_db(b).await;
    let app = AppState::new(db).with_clock(frozen_clock());
    let summary = chibo::demo::seed(&app)
        .await
        .expect("seed")
        .expect("fresh database");
    assert!(summary.members > 11_000);
    assert!(
        chibo::demo::seed(&app)
            .await
            .expect("second seed")
            .is_none(),
        "seeding twice changes nothing"
    );
    let fx = crate::support::Fixture {
        root: chibo::domain::ids::OrgId(0),
        province: chibo::domain::ids::OrgId(0),
        district: chibo::domain::ids::OrgId(0),
        commune: chibo::domain::ids::OrgId(0),
        cell1: chibo::domain::ids::OrgId(0),
        cell2: chibo::domain::ids::OrgId(0),
        other_district: chibo::domain::ids::OrgId(0),
        other_commune: chibo::domain::ids::OrgId(0),
        other_cell: chibo::domain::ids::OrgId(0),
        an: chibo::domain::ids::MemberId(0),
        ha: chibo::domain::ids::MemberId(0),
        other_member: chibo::domain::ids::MemberId(0),
    };
    let t = crate::support::TestApp::serve(app, fx, dir).await;
    let token = |user: &'static str| {
        let t = &t;
        async move {
            let r = t
                .post_json(
                    None,
                    "/api/v1/auth/token",
                    &json!({"username": user, "password": "chibo-demo"}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{user}");
            r.json::<Value>().await.expect("json")["token"]
                .as_str()
                .expect("token")
                .to_string()
        }
    };
    let admin = token("admin").await;
    let find = |q: &'static str, kind: &'static str| {
        let (t, admin) = (&t, admin.clone());
        async move {
            let v = t
                .get_json(&admin, &format!("/api/v1/orgs?q={q}&on=2018-06-30"))
                .await;
            let found = v
                .as_array()
                .expect("a")
                .iter()
                .find(|o| o["kind"] == kind)
                .expect("found")
                .clone();
            found["id"].as_i64().expect("id")
        }
    };
    let stats = |id: i64, on: &'static str| {
        let (t, admin) = (&t, admin.clone());
        async move {
            t.get_json(&admin, &format!("/api/v1/orgs/{id}/stats?on={on}"))
                .await
        }
    };
    let kim_son = find("huyen%20kim%20son", "district").await;
    let s = stats(kim_son, "2018-06-30").await;
    assert_eq!(
        (
            s["base_orgs"].as_i64(),
            s["party_committees"].as_i64(),
            s["base_cells"].as_i64()
        ),
        (Some(76), Some(30), Some(46))
    );
    assert_eq!(s["subordinate_cells"], 462);
    assert_eq!(s["cells"], 508);
    assert_eq!(s["members"], 7575);
    assert_eq!(s["religious_members"], 780);
    let ban_hon = find("xa%20ban%20hon", "base_committee").await;
    let s = stats(ban_hon, "2018-06-30").await;
    assert_eq!(
        (s["cells"].as_i64(), s["members"].as_i64()),
        (Some(13), Some(166))
    );
    assert_eq!(
        (
            s["by_cell_type"]["rural"].as_i64(),
            s["by_cell_type"]["school"].as_i64(),
            s["by_cell_type"]["health"].as_i64()
        ),
        (Some(9), Some(3), Some(1))
    );
    let lam_son = find("xa%20lam%20son", "base_committee").await;
    let s = stats(lam_son, "2018-06-30").await;
    assert_eq!(
        (s["cells"].as_i64(), s["by_cell_type"]["rural"].as_i64()),
        (Some(13), Some(8))
    );
    assert!(s["members"].as_i64().expect("n") > 330);
    let bloc = find("khoi%20cac%20co%20quan", "bloc").await;
    let s = stats(bloc, "2018-06-30").await;
    assert_eq!(
        (s["base_orgs"].as_i64(), s["cells"].as_i64()),
        (Some(71), Some(295))
    );
    assert!(s["members"].as_i64().expect("n") > 3400);

    // Today: districts are gone, communes sit under their province.
    let today = t.get_json(&admin, &format!("/api/v1/orgs/{ban_hon}")).await;
    let parent = t
        .get_json(&admin, &format!("/api/v1/orgs/{}", today["parent_id"]))
        .await;
    assert_eq!(parent["kind"], "province");
    let gone = t.get_json(&admin, &format!("/api/v1/orgs/{kim_son}")).await;
    assert_eq!(gone["dissolved_on"], "2025-07-01");

    // The demo logins work and see their own part of the tree.
    let banhon = token("banhon").await;
    let v = t
        .get_json(
            &banhon,
            &format!("/api/v1/orgs/{ban_hon}/members?q=nguyen%20van%20an"),
        )
        .await;
    assert_eq!(v[0]["full_name"], "Nguyễn Văn An");
    assert_eq!(
        t.get(Some(&banhon), &format!("/api/v1/orgs/{kim_son}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let kimson = token("kimson").await;
    let r = t
        .get(Some(&kimson), &format!("/api/v1/orgs/{kim_son}/members"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let member = token("dangvien.banhon").await;
    let me = t.get_json(&member, "/api/v1/me").await;
    let own = t
        .get(
            Some(&member),
            &format!("/api/v1/members/{}", me["member_id"]),
        )
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    token("bithu.banhon").await;

    // Dashboards show the demo's year of meetings (to October 2026), month
    // by month, at the commune and at the national root.
    let root = find("dang%20cong%20san", "central").await;
    for (who, org) in [(&banhon, ban_hon), (&admin, root)] {
        let d = t
            .get_json(who, &format!("/api/v1/orgs/{org}/dashboard?year=2026"))
            .await;
        let sections = d["sections"].as_array().expect("sections");
        let by_key = |k: &str| sections.iter().find(|s| s["key"] == k).expect(k).clone();
        let m = by_key("meetings_by_month");
        let p = by_key("participation_by_month");
        for month in 0..10 {
            let planned = m["series"][0]["values"][month].as_f64().expect("planned");
            let held = m["series"][1]["values"][month].as_f64().expect("held");
            assert!(
                held > 0.0 && held <= planned,
                "{org} T{}: {held}/{planned}",
                month + 1
            );
            let rate = p["series"][0]["values"][month].as_f64().expect("rate");
            assert!(
                (80.0..=100.0).contains(&rate),
                "{org} T{}: {rate}",
                month + 1
            );
        }
    }
    // The evaluation sections read the same rollup rows: Bản Hon's 2018
    // classification (seed 002) and its meetings' quality levels.
    let d = t
        .get_json(
            &banhon,
            &format!("/api/v1/orgs/{ban_hon}/dashboard?year=2018"),
        )
        .await;
    let sections = d["sections"].as_array().expect("sections");
    let c = sections
        .iter()
        .find(|s| s["key"] == "classification")
        .expect("classification");
    let values = |i: usize| -> Vec<f64> {
        c["series"][i]["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_f64().unwrap_or(0.0))
            .collect()
    };
    assert_eq!(values(0), [17.0, 108.0, 22.0, 0.0], "members");
    assert_eq!(
        values(1),
        [5.0, 8.0, 0.0, 0.0],
        "cells, without the commune's own"
    );
    // Kim Sơn scored its 76 base organizations every month of 2018: the
    // dashboard ranks December's.
    let d = t
        .get_json(
            &kimson,
            &format!("/api/v1/orgs/{kim_son}/dashboard?year=2018"),
        )
        .await;
    let r = d["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["key"] == "monthly_ranking")
        .expect("ranking")
        .clone();
    assert_eq!(
        r["title"], "Xếp hạng chấm điểm hằng tháng, tháng 12/2018",
        "{r}"
    );
    assert_eq!(r["categories"].as_array().map(Vec::len), Some(76));
    let d = t
        .get_json(
            &banhon,
            &format!("/api/v1/orgs/{ban_hon}/dashboard?year=2026"),
        )
        .await;
    let q = d["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["key"] == "quality_levels")
        .expect("quality")
        .clone();
    let assessed: f64 = q["series"][0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(|v| v.as_f64())
        .sum();
    assert!(assessed > 0.0, "{q}");
    let xlsx = t
        .get(
            Some(&banhon),
            &format!("/api/v1/orgs/{ban_hon}/dashboard.xlsx"),
        )
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));
}

both_backends!(demo_reproduces_the_seed_figures);
