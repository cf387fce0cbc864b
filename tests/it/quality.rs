//! Meeting quality and monthly scoring (issue 12, points 1 and 2): a cell
//! self-assesses a held meeting against the rubric in force on its day, the
//! level above reviews; a committee drafts a monthly rubric, the
//! organizations it was sent to comment, it is adopted and never changes,
//! and the staff above score and rank the base organizations
//! (docs/rules.md "Meeting quality levels", "Kim Sơn monthly scoring").

use crate::both_backends;
use crate::support::{Backend, TestApp, add_user, client, csrf_of, get_text, login, node};
use chibo::domain::authz::Role;
use chibo::domain::org::OrgKind;
use chibo::domain::rubric::example::{LOCAL_EXAMPLE_NOTE, kim_son_monthly, local_meeting};
use chibo::domain::rubric::{Definition, Kind};
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

async fn status_of(r: reqwest::Response) -> (StatusCode, String) {
    let s = r.status();
    (s, r.text().await.expect("body"))
}

/// Answers for every criterion chibo did not compute: yes, the first level,
/// or `value` for a figure; `no` lists criteria answered no.
fn answers(def: &Definition, metrics: &Value, thematic: bool, no: &[&str], value: f64) -> Value {
    let mut out = Map::new();
    for (_, c) in def.criteria() {
        if let Some(m) = c.kind.metric()
            && metrics
                .get(serde_json::to_value(m).expect("m").as_str().expect("s"))
                .is_some()
        {
            continue;
        }
        if c.only_if.is_some() && !thematic {
            continue;
        }
        let a = match &c.kind {
            Kind::Pick { .. } => json!({"pick": 0}),
            Kind::Band { .. } => json!({"value": value}),
            Kind::Bonus | Kind::Penalty => json!({"yes": false}),
            Kind::YesNo { .. } => json!({"yes": !no.contains(&c.key.as_str())}),
        };
        out.insert(c.key.clone(), a);
    }
    Value::Object(out)
}

/// A held regular meeting of cell 1 on `date`: 3 of 4 present, 2 speakers,
/// 19:00–20:45.
async fn held_meeting(t: &TestApp, sec: &str, date: &str) -> i64 {
    let id = t.new_meeting(sec, t.fx.cell1, date).await;
    let members = t
        .get_json(sec, &format!("/api/v1/orgs/{}/members", t.fx.cell1))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let (presence, spoke) = match m["full_name"].as_str().unwrap_or("") {
                "Nguyễn Văn An" | "Đặng Thị Hà" => ("present", true),
                "Lê Văn Bình" => ("absent_excused", false),
                _ => ("present", false),
            };
            json!({"member_id": m["id"], "presence": presence, "spoke": spoke, "reason": if spoke || presence == "present" { "" } else { "Ốm" }})
        })
        .collect();
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(sec)
        .json(&json!({"entries": entries}))
        .send()
        .await
        .expect("put");
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let r = t
        .patch_json(
            sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"started_time": "19:00", "ended_time": "20:45"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    id
}

/// The district issues a meeting rubric: draft, adopt from `from`.
async fn issue(t: &TestApp, token: &str, org: i64, body: Value, adopt: Value) -> i64 {
    let r = t
        .post_json(Some(token), &format!("/api/v1/orgs/{org}/rubrics"), &body)
        .await;
    let (s, text) = status_of(r).await;
    assert_eq!(s, StatusCode::CREATED, "{text}");
    let id = serde_json::from_str::<Value>(&text).expect("json")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            Some(token),
            &format!("/api/v1/orgs/{org}/rubrics/{id}/adopt"),
            &adopt,
        )
        .await;
    let (s, text) = status_of(r).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{text}");
    id
}

async fn a_cell_assesses_and_the_level_above_reviews(b: Backend) {
    let t = TestApp::spawn(b).await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    add_user(&t.app, "sec2", None, Some((Role::Secretary, t.fx.cell2))).await;
    let district = t.token("staff").await;
    let commune = t.token("xa").await;
    let sec = t.token("secretary").await;
    let sec2 = t.token("sec2").await;
    let member = t.token("member").await;
    let d = t.fx.district.0;

    // No secretary issues rubrics; the district does, twice.
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/rubrics", t.fx.cell1),
            &json!({"purpose": "meeting", "name": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut bad = local_meeting();
    bad.groups[0].max = 6.0;
    let (s, body) = status_of(
        t.post_json(Some(&district), &format!("/api/v1/orgs/{d}/rubrics"),
            &json!({"purpose": "meeting", "name": "Sai", "definition": serde_json::to_string(&bad).expect("j")}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("các nhóm cộng được 101 điểm, khác tổng 100 điểm"),
        "{body}"
    );
    let v1 = issue(&t, &district, d,
        json!({"purpose": "meeting", "name": "Tiêu chí chất lượng sinh hoạt chi bộ", "note": LOCAL_EXAMPLE_NOTE}),
        json!({"document": "Hướng dẫn số 05-HD/HU", "document_date": "10/01/2026", "valid_from": "01/02/2026"})).await;
    // An adopted version never changes: amending it answers 409.
    let (s, body) = status_of(
        t.post_json(
            Some(&district),
            &format!("/api/v1/orgs/{d}/rubrics/{v1}"),
            &json!({"definition": serde_json::to_string(&local_meeting()).expect("j")}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(body.contains("phiên bản mới"), "{body}");
    let mut strict = local_meeting();
    strict.bands[0].min = 95.0;
    let v2 = issue(&t, &district, d,
        json!({"purpose": "meeting", "name": "Tiêu chí 2026 sửa đổi", "definition": serde_json::to_string(&strict).expect("j")}),
        json!({"document": "Hướng dẫn số 09-HD/HU", "document_date": "20/05/2026", "valid_from": "01/06/2026"})).await;

    let early = held_meeting(&t, &sec, "2026-03-05").await;
    let late = held_meeting(&t, &sec, "2026-11-05").await;

    // The rubric in force on each meeting's day: the older one for March.
    let q = t
        .get_json(&sec, &format!("/api/v1/meetings/{early}/quality"))
        .await;
    assert_eq!(q["rubric"]["id"], v1, "{q}");
    assert_eq!(q["rubric"]["valid_to"], "2026-06-01");
    assert_eq!(q["can_self"], true);
    assert_eq!(q["can_review"], false, "nothing to review yet");
    assert_eq!(q["metrics"]["attendance_percent"], 75.0);
    assert_eq!(q["metrics"]["duration_minutes"], 105.0);
    let q2 = t
        .get_json(&sec, &format!("/api/v1/meetings/{late}/quality"))
        .await;
    assert_eq!(q2["rubric"]["id"], v2, "{q2}");

    // Who may: a member reads but does not assess; a sibling cell's
    // secretary sees nothing; the secretary does not review.
    let path = format!("/api/v1/meetings/{early}/quality");
    let full = answers(&local_meeting(), &q["metrics"], false, &[], 85.0);
    assert_eq!(t.get(Some(&member), &path).await.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&member),
            &format!("{path}/self"),
            &json!({"answers": full}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        t.get(Some(&sec2), &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = t
        .post_json(
            Some(&sec2),
            &format!("{path}/self"),
            &json!({"answers": full}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(
            Some(&commune),
            &format!("{path}/review"),
            &json!({"answers": full}),
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no review before the self-assessment"
    );
    assert!(body.contains("chưa tự đánh giá"), "{body}");

    // Every criterion chibo does not compute must be answered.
    let (s, body) = status_of(
        t.post_json(Some(&sec), &format!("{path}/self"), &json!({"answers": {}}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Phiếu chấm: chưa chấm tiêu chí «Thực hiện đủ quy trình sinh hoạt»"),
        "{body}"
    );
    let r = t
        .post_json(
            Some(&sec),
            &format!("{path}/self"),
            &json!({"answers": full, "note": "Sinh hoạt nền nếp"}),
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let scored: Value = serde_json::from_str(&body).expect("json");
    // Of the 95 points that apply (no thematic content at a regular
    // meeting): − 1 (attendance 75% → 3 of 4), − 2 (no documents a day
    // ahead), − 3 (last resolution 85% → 27 of 30): 89/95 × 100 = 93.7.
    assert_eq!(scored["total"], 93.7, "{scored}");
    assert_eq!(scored["band"]["code"], "good");

    // The commune reviews and finds two failings: Khá.
    let rev = answers(
        &local_meeting(),
        &q["metrics"],
        false,
        &["procedure", "regular"],
        85.0,
    );
    let r = t
        .post_json(
            Some(&sec),
            &format!("{path}/review"),
            &json!({"answers": rev}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the cell does not review itself"
    );
    let r = t
        .post_json(
            Some(&commune),
            &format!("{path}/review"),
            &json!({"answers": rev, "note": "Chưa đủ quy trình"}),
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let q = t.get_json(&member, &path).await;
    assert_eq!(q["self"]["level"], "good", "{q}");
    assert_eq!(q["self"]["total"], 93.7);
    assert_eq!(q["review"]["level"], "fair");
    assert_eq!(q["review"]["total"], 77.9, "74/95");
    assert_eq!(q["final_level"], "fair");
    assert_eq!(
        q["recorded_level"], "good",
        "the minutes carry the self-assessment"
    );
    let lines = q["self"]["scored"]["lines"].as_array().expect("lines");
    let line = |k: &str| lines.iter().find(|l| l["key"] == k).cloned().expect("line");
    assert_eq!(line("attendance")["points"], 3.0);
    assert_eq!(line("attendance")["source"], "computed");
    assert_eq!(line("thematic")["source"], "not_applicable");
    assert_eq!(line("last_results")["source"], "entered");
    let r = t
        .get(Some(&commune), "/api/v1/orgs/999999/quality-levels")
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let counts = t
        .get_json(
            &district,
            &format!("/api/v1/orgs/{d}/quality-levels?from=2026-01-01&to=2026-12-31"),
        )
        .await;
    assert_eq!(
        counts,
        json!({"good": 0, "fair": 1, "average": 0, "weak": 0})
    );

    // The cell's follower (a commune cadre of the other cell) reviews too:
    // followers read the cell and review its meetings, nothing else.
    let cadre = crate::support::member(&t.app, t.fx.cell2, "Vũ Thị Theo", "Nữ", "20000001").await;
    add_user(&t.app, "cadre", Some(cadre), None).await;
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{}/followers", t.fx.cell1),
            &json!({"member_id": cadre.0, "kind": "cadre", "from": "01/11/2026"}),
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let cadre_t = t.token("cadre").await;
    let q = t.get_json(&cadre_t, &path).await;
    assert_eq!(
        (q["can_review"].as_bool(), q["can_self"].as_bool()),
        (Some(true), Some(false)),
        "{q}"
    );
    let r = t
        .post_json(
            Some(&cadre_t),
            &format!("{path}/self"),
            &json!({"answers": full}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = t
        .post_json(
            Some(&cadre_t),
            &format!("{path}/review"),
            &json!({"answers": full}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let q = t.get_json(&sec, &path).await;
    assert_eq!(
        (q["final_level"].as_str(), q["review"]["username"].as_str()),
        (Some("good"), Some("cadre"))
    );

    let audited: i64 = chibo::on_db!(&t.app.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('quality_self', 'quality_review', 'rubric_draft', 'rubric_adopt')"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(audited, 1 + 2 + 2 + 2);
}

async fn a_monthly_rubric_is_circulated_adopted_and_ranks(b: Backend) {
    let t = TestApp::spawn(b).await;
    let dong = node(
        &t.app,
        t.fx.district,
        "Đảng bộ xã Đông",
        OrgKind::BaseCommittee,
        None,
    )
    .await;
    add_user(&t.app, "xa", None, Some((Role::Staff, t.fx.commune))).await;
    add_user(&t.app, "dong", None, Some((Role::Staff, dong))).await;
    let district = t.token("staff").await;
    let xa = t.token("xa").await;
    let dong_t = t.token("dong").await;
    let sec = t.token("secretary").await;
    let d = t.fx.district.0;
    let c = t.fx.commune.0;

    // Draft 1 and its circulation to one commune.
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{d}/rubrics"),
            &json!({"purpose": "monthly", "name": "Tiêu chí chấm điểm hằng tháng (dự thảo)"}),
        )
        .await;
    let (s, body) = status_of(r).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let rid = serde_json::from_str::<Value>(&body).expect("j")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{d}/rubrics/{rid}/send"),
            &json!({"org_ids": [c]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{d}/rubrics/{rid}/send"),
            &json!({"org_ids": [t.fx.other_commune.0]}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only below the issuer"
    );

    // Only the organizations it was sent to see and comment on a draft.
    let comment = json!({"body": "Đề nghị tăng điểm tiêu chí việc cấp bách"});
    let r = t
        .post_json(
            Some(&xa),
            &format!("/api/v1/orgs/{c}/rubrics/{rid}/comments"),
            &comment,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .get(
            Some(&dong_t),
            &format!("/api/v1/orgs/{}/rubrics/{rid}", dong.0),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "a draft not sent to Đông"
    );
    let r = t
        .post_json(
            Some(&dong_t),
            &format!("/api/v1/orgs/{}/rubrics/{rid}/comments", dong.0),
            &comment,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{c}/rubrics/{rid}/comments"),
            &comment,
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the district does not speak for the commune"
    );
    let r = t
        .get(
            Some(&sec),
            &format!("/api/v1/orgs/{}/rubrics/{rid}", t.fx.cell1),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nor a cell below it");
    let v = t
        .get_json(&district, &format!("/api/v1/orgs/{d}/rubrics/{rid}"))
        .await;
    assert_eq!(v["comments"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["comments"][0]["org_name"], "Đảng bộ xã Cẩm");
    assert_eq!(v["recipients"], json!([c]));
    assert_eq!(v["status"], "draft");

    // Amended after the comment, then adopted from January.
    let mut def = kim_son_monthly();
    def.groups[3].criteria[1].max = 10.0;
    let r = t
        .post_json(Some(&district), &format!("/api/v1/orgs/{d}/rubrics/{rid}"),
            &json!({"name": "Tiêu chí chấm điểm hằng tháng", "definition": serde_json::to_string(&def).expect("j")}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, body) = status_of(
        t.post_json(Some(&district), &format!("/api/v1/orgs/{d}/rubrics/{rid}/adopt"),
            &json!({"document": "Quyết định số 3059-QĐ/HU", "document_date": "26/12/2025", "valid_from": "01/12/2025"}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Áp dụng từ ngày: không được trước ngày ban hành"),
        "{body}"
    );
    let r = t
        .post_json(Some(&district), &format!("/api/v1/orgs/{d}/rubrics/{rid}/adopt"),
            &json!({"document": "Quyết định số 3059-QĐ/HU", "document_date": "26/12/2025", "valid_from": "01/01/2026"}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t
        .post_json(
            Some(&xa),
            &format!("/api/v1/orgs/{c}/rubrics/{rid}/comments"),
            &comment,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "no comments once adopted");
    let r = t
        .post_json(
            Some(&district),
            &format!("/api/v1/orgs/{d}/rubrics/{rid}/adopt"),
            &json!({"document": "x", "document_date": "01/01/2026", "valid_from": "01/01/2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let list = t
        .get_json(&dong_t, &format!("/api/v1/orgs/{}/rubrics", dong.0))
        .await;
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "adopted: seen by all below"
    );

    // Scores: the month's figures are computed; the rest entered with
    // evidence. In October Chi bộ 1 met (3 of 4 present), Chi bộ 2 did not.
    let m = t
        .get_json(&district, &format!("/api/v1/orgs/{c}/scores/2026-09"))
        .await;
    assert_eq!(
        m["metrics"].get("meetings_held_percent"),
        None,
        "no record of September: entered by hand"
    );
    held_meeting(&t, &sec, "2026-10-05").await;
    t.new_meeting(&district, t.fx.cell2, "2026-10-08").await;
    let m = t
        .get_json(&district, &format!("/api/v1/orgs/{c}/scores/2026-10"))
        .await;
    assert_eq!(m["rubric"]["id"], rid, "{m}");
    assert_eq!(m["can_score"], true);
    assert_eq!(m["metrics"]["meetings_held_percent"], 50.0, "{m}");
    assert_eq!(m["metrics"]["attendance_percent"], 75.0);
    assert_eq!(m["metrics"]["thematic_held"], 0.0);
    let good = answers(&def, &m["metrics"], false, &[], 0.0);
    let path = format!("/api/v1/orgs/{c}/scores/2026-10");
    let (s, body) = status_of(
        t.post_json(Some(&district), &path, &json!({"answers": good}))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Minh chứng"), "{body}");
    let r = t
        .post_json(
            Some(&xa),
            &path,
            &json!({"answers": good, "evidence_note": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "not its own score");
    let r = t
        .post_json(
            Some(&sec),
            &path,
            &json!({"answers": good, "evidence_note": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t
        .post_json(Some(&district), "/api/v1/orgs/1/scores/2026-13", &json!({}))
        .await;
    assert!(r.status().is_client_error());
    let (s, body) = status_of(
        t.post_json(Some(&district), &path, &json!({"answers": good, "evidence_note": "Báo cáo tháng 10", "evidence_ref": "BC 45-BC/ĐU"})).await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let dm = t
        .get_json(
            &district,
            &format!("/api/v1/orgs/{}/scores/2026-10", dong.0),
        )
        .await;
    let mut worse = answers(&def, &dm["metrics"], false, &["reporting"], 0.0);
    worse["political"] = json!({"pick": 2});
    let (s, body) = status_of(
        t.post_json(
            Some(&district),
            &format!("/api/v1/orgs/{}/scores/2026-10", dong.0),
            &json!({"answers": worse, "evidence_note": "Báo cáo nộp muộn"}),
        )
        .await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let rank = t
        .get_json(
            &sec,
            &format!("/api/v1/orgs/{}/scores?month=2026-10", t.fx.cell1),
        )
        .await;
    assert_eq!(
        rank["ranked"].as_array().map(Vec::len),
        Some(0),
        "a cell ranks nobody"
    );
    let rank = t
        .get_json(&district, &format!("/api/v1/orgs/{d}/scores?month=2026-10"))
        .await;
    let ranked = rank["ranked"].as_array().expect("ranked");
    assert_eq!(ranked.len(), 2, "{rank}");
    assert_eq!(ranked[0]["org_id"], c);
    assert_eq!(ranked[0]["rank"], 1);
    assert_eq!(ranked[1]["org_id"], dong.0);
    assert_eq!(ranked[1]["rank"], 2);
    assert!(ranked[0]["total"].as_f64() > ranked[1]["total"].as_f64());
    assert_eq!(ranked[0]["evidence_ref"], "BC 45-BC/ĐU");
    let trend = t
        .get_json(&xa, &format!("/api/v1/orgs/{c}/score-trend?year=2026"))
        .await;
    assert_eq!(trend[9]["month"], "2026-10");
    assert_eq!(
        (trend[9]["rank"].as_i64(), trend[9]["of"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(trend[8]["total"], Value::Null);
    // 4 (one cell of two met) + 5 + 3 (75% present) + 0 (no thematic) + 10
    // (nothing overdue) + 8 + 7 (nothing to answer) + 0 (no visit) + 40
    // entered = 77: Hoàn thành tốt.
    assert_eq!(trend[9]["total"], 77.0, "{trend}");
    assert_eq!(trend[9]["level_label"], "Hoàn thành tốt");

    // The ranking as XLSX, from the page's link: each group's points, the
    // total and the level, the same as the API's.
    let cl = client();
    login(&t, &cl, "staff").await;
    let page = get_text(&cl, format!("{}/orgs/{d}/scores?month=2026-10", t.base)).await;
    assert!(
        page.contains(&format!("/orgs/{d}/scores.xlsx?month=2026-10")),
        "{page}"
    );
    let r = cl
        .get(format!("{}/orgs/{d}/scores.xlsx?month=2026-10", t.base))
        .send()
        .await
        .expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    use calamine::DataType;
    let range = wb.worksheet_range("Xếp hạng").expect("sheet");
    let rows: Vec<Vec<calamine::Data>> = range.rows().map(<[calamine::Data]>::to_vec).collect();
    let text = |c: &calamine::Data| c.to_string();
    let header = rows
        .iter()
        .find(|r| r.first().map(text).as_deref() == Some("Hạng"))
        .expect("header");
    assert_eq!(header.len(), 2 + def.groups.len() + 2, "{header:?}");
    assert!(
        text(&header[2]).starts_with(&def.groups[0].title),
        "{header:?}"
    );
    let cam = rows
        .iter()
        .find(|r| r.get(1).map(text).as_deref() == Some("Đảng bộ xã Cẩm"))
        .expect("Cẩm's row");
    let num = |c: &calamine::Data| c.as_f64().expect("number");
    assert_eq!(num(&cam[0]), 1.0);
    let total = num(&cam[2 + def.groups.len()]);
    assert_eq!(total, 77.0);
    let parts: f64 = cam[2..2 + def.groups.len()].iter().map(num).sum();
    assert!((parts - total).abs() < 0.05, "{cam:?}");
    assert_eq!(text(&cam[3 + def.groups.len()]), "Hoàn thành tốt");
    let second = rows
        .iter()
        .find(|r| r.get(1).map(text).as_deref() == Some("Đảng bộ xã Đông"))
        .expect("Đông's row");
    assert_eq!(num(&second[0]), 2.0);
    assert!(num(&second[2 + def.groups.len()]) < total);
}

async fn quality_pages(b: Backend) {
    let t = TestApp::spawn(b).await;
    let district = t.token("staff").await;
    let sec = t.token("secretary").await;
    issue(&t, &district, t.fx.district.0,
        json!({"purpose": "meeting", "name": "Tiêu chí chất lượng sinh hoạt chi bộ", "note": LOCAL_EXAMPLE_NOTE}),
        json!({"document": "Hướng dẫn số 05-HD/HU", "document_date": "10/01/2026", "valid_from": "01/02/2026"})).await;
    let id = held_meeting(&t, &sec, "2026-10-05").await;
    let c = client();
    login(&t, &c, "secretary").await;
    let at = format!("{}/meetings/{id}/quality", t.base);
    let page = get_text(&c, &at).await;
    assert!(
        page.contains("Chất lượng sinh hoạt ngày 05/10/2026") && page.contains(LOCAL_EXAMPLE_NOTE),
        "{page}"
    );
    assert!(
        page.contains("Chi bộ tự đánh giá</summary>")
            && !page.contains("Cấp trên đánh giá</summary>"),
        "{page}"
    );
    assert!(page.contains("tự tính: 75"), "{page}");
    let csrf = csrf_of(&page);
    let r = c
        .post(format!("{at}/self"))
        .form(&[("_csrf", csrf.as_str()), ("a_procedure", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("t");
    assert!(
        text.contains("Phiếu chấm: chưa chấm tiêu chí «Nội dung sinh hoạt thường kỳ»"),
        "{text}"
    );
    let mut form: Vec<(String, String)> = vec![("_csrf".into(), csrf.clone())];
    for (_, cr) in local_meeting().criteria() {
        let v = match &cr.kind {
            Kind::Pick { .. } => "1",
            Kind::Band { .. } => "95",
            _ => "yes",
        };
        form.push((format!("a_{}", cr.key), v.into()));
    }
    let r = c
        .post(format!("{at}/self"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get_text(&c, &at).await;
    assert!(
        page.contains("Tổng") && page.contains("3/4"),
        "points beside the criteria: {page}"
    );
    // The chair picked "Khá" (8 of 10): 95 − 1 − 2 − 2 = 90 of 95 → 94,7.
    assert!(page.contains("94,7 — Tốt"), "{page}");

    // The district's ranking and rubric pages render.
    let d = client();
    login(&t, &d, "staff").await;
    let page = get_text(
        &d,
        format!("{}/orgs/{}/scores?month=2026-10", t.base, t.fx.district),
    )
    .await;
    assert!(
        page.contains("Chấm điểm hằng tháng — tháng 10/2026") && page.contains("Đảng bộ xã Cẩm"),
        "{page}"
    );
    let page = get_text(&d, format!("{}/orgs/{}/rubrics", t.base, t.fx.district)).await;
    assert!(
        page.contains("Tiêu chí chất lượng sinh hoạt chi bộ (phiên bản 1)")
            && page.contains("Dự thảo bộ tiêu chí mới"),
        "{page}"
    );
    let page = get_text(
        &d,
        format!("{}/orgs/{}/score-trend?year=2026", t.base, t.fx.commune),
    )
    .await;
    assert!(
        page.contains("<svg") && page.contains("Điểm hằng tháng năm 2026"),
        "{page}"
    );
}

both_backends!(
    a_cell_assesses_and_the_level_above_reviews,
    a_monthly_rubric_is_circulated_adopted_and_ranks,
    quality_pages
);
