//! Changes recorded on a phone while offline, sent later with the meeting
//! version they were based on (docs/rules.md "Offline recording and explicit
//! conflicts"): the same base is written and audited; a stale base or signed
//! minutes are refused with both versions, and nothing is written.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, get_text, login};
use chibo::store::Db;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn count(db: &Db, sql: &str, id: i64) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await,
    }
    .expect("count")
}

async fn audits(t: &TestApp, id: i64) -> i64 {
    count(
        &t.app.db,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'meeting' AND entity_id = $1",
        id,
    )
    .await
}

/// The version the meeting page's form `kind` was rendered with.
fn version_in(page: &str, kind: &str) -> i64 {
    let marker = format!("data-offline=\"{kind}\"");
    let at = page.find(&marker).expect("offline form");
    let rest = &page[at..];
    let v = rest.find("data-version=\"").expect("version") + "data-version=\"".len();
    rest[v..]
        .split('"')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("number")
}

/// The member ids of the roll-call form, in order.
fn roll_of(page: &str) -> Vec<String> {
    (0..)
        .map_while(|i| {
            let marker = format!("name=\"m{i}\" value=\"");
            let at = page.find(&marker)? + marker.len();
            page[at..].split('"').next().map(str::to_string)
        })
        .collect()
}

struct Phone {
    c: reqwest::Client,
    csrf: String,
}

impl Phone {
    async fn signed_in(t: &TestApp) -> Phone {
        let c = client();
        let csrf = login(t, &c, "secretary").await;
        Phone { c, csrf }
    }

    async fn page(&self, t: &TestApp, id: i64) -> String {
        get_text(&self.c, format!("{}/meetings/{id}", t.base)).await
    }

    async fn send(
        &self,
        t: &TestApp,
        id: i64,
        kind: &str,
        base: i64,
        fields: &[(&str, String)],
    ) -> (StatusCode, Value) {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        form.push(("base_version".into(), base.to_string()));
        form.push(("_csrf".into(), self.csrf.clone()));
        let r = self
            .c
            .post(format!("{}/meetings/{id}/offline/{kind}", t.base))
            .form(&form)
            .send()
            .await
            .expect("post");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

fn minutes(proceedings: &str) -> Vec<(&'static str, String)> {
    vec![
        ("date", "03/11/2026".into()),
        ("proceedings", proceedings.into()),
    ]
}

fn with_vote(mut fields: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    fields.push(("vote_for", "3".into()));
    fields.push(("vote_against", "0".into()));
    fields.push(("vote_abstain", "0".into()));
    fields
}

fn row<'a>(v: &'a Value, label: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"] == label)
        .unwrap_or_else(|| panic!("no row {label} in {v}"))
}

async fn same_base_is_written_and_audited(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-11-03").await;
    let phone = Phone::signed_in(&t).await;
    let page = phone.page(&t, id).await;
    let base = version_in(&page, "attendance");
    assert_eq!(base, version_in(&page, "minutes"));
    let roll = roll_of(&page);
    assert_eq!(roll.len(), 4, "the cell's four members");
    let before = audits(&t, id).await;

    // The roll call typed offline: everyone present, the first one spoke.
    let mut fields: Vec<(&str, String)> = Vec::new();
    let names: Vec<(String, String, String)> = (0..roll.len())
        .map(|i| (format!("m{i}"), format!("p{i}"), format!("s{i}")))
        .collect();
    for (i, (m, p, s)) in names.iter().enumerate() {
        fields.push((m.as_str(), roll[i].clone()));
        fields.push((p.as_str(), "present".into()));
        if i == 0 {
            fields.push((s.as_str(), "1".into()));
        }
    }
    let (status, v) = phone.send(&t, id, "attendance", base, &fields).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["saved"], true);
    let after_roll = v["version"].as_i64().expect("version");
    assert!(after_roll > base, "{v}");
    assert_eq!(audits(&t, id).await, before + 1, "audited like the form");

    // The minutes typed after it build on the version the roll call left.
    let (status, v) = phone
        .send(
            &t,
            id,
            "minutes",
            after_roll,
            &with_vote(minutes("Bản ghi ngoại tuyến.")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(audits(&t, id).await, before + 2);
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["meeting"]["proceedings"], "Bản ghi ngoại tuyến.", "{m}");
    assert_eq!(m["meeting"]["vote_for"], 3, "{m}");
    let page = phone.page(&t, id).await;
    assert_eq!(
        version_in(&page, "minutes"),
        v["version"].as_i64().expect("version")
    );
    assert!(
        page.contains("Có mặt <strong>4/4</strong>"),
        "the roll is on the server"
    );

    // Invalid content is a 422 naming the field, in Vietnamese; nothing written.
    let mut bad = minutes("x");
    bad.push(("started_time", "25:99".into()));
    let now = version_in(&page, "minutes");
    let (status, v) = phone.send(&t, id, "minutes", now, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["errors"][0]
            .as_str()
            .is_some_and(|e| e.contains("Giờ bắt đầu")),
        "{v}"
    );

    // A stale CSRF token is refused before anything (an HTML answer, not a conflict).
    let r = phone
        .c
        .post(format!("{}/meetings/{id}/offline/minutes", t.base))
        .form(&[
            ("_csrf", "stale"),
            ("base_version", &now.to_string()),
            ("proceedings", "Sửa lén"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/html"))
    );
    assert_eq!(audits(&t, id).await, before + 2);
}

async fn stale_base_gets_both_versions(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-11-03").await;
    let phone = Phone::signed_in(&t).await;
    let base = version_in(&phone.page(&t, id).await, "minutes");

    // Meanwhile someone else writes the minutes.
    let r = t
        .patch_json(
            &sec,
            &format!("/api/v1/meetings/{id}"),
            &json!({"proceedings": "Bản của đồng chí phó bí thư."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let before = audits(&t, id).await;

    let (status, v) = phone
        .send(
            &t,
            id,
            "minutes",
            base,
            &minutes("Bản ghi trên điện thoại."),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["reason"], "changed");
    assert_eq!(v["signed"], false);
    let p = row(&v, "Diễn biến");
    assert_eq!(p["mine"], "Bản ghi trên điện thoại.");
    assert_eq!(p["theirs"], "Bản của đồng chí phó bí thư.");
    assert_eq!(p["differs"], true);
    assert_eq!(row(&v, "Ngày họp")["differs"], false, "{v}");
    assert_eq!(audits(&t, id).await, before, "nothing written");
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["meeting"]["proceedings"], "Bản của đồng chí phó bí thư.");

    // The roll call from the same stale page is refused too, member by member.
    let page = phone.page(&t, id).await;
    let roll = roll_of(&page);
    let (status, v) = phone
        .send(
            &t,
            id,
            "attendance",
            base,
            &[
                ("m0", roll[0].clone()),
                ("p0", "present".into()),
                ("s0", "1".into()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    let first = &v["rows"][0];
    assert_eq!(first["mine"], "Có mặt · phát biểu", "{v}");
    assert_eq!(first["theirs"], "(chưa điểm danh)", "{v}");

    // The secretary chooses "mine over theirs": sent again on the server's version.
    let theirs = v["version"].as_i64().expect("version");
    let (status, v) = phone
        .send(
            &t,
            id,
            "minutes",
            theirs,
            &minutes("Bản ghi trên điện thoại."),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(audits(&t, id).await, before + 1);
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["meeting"]["proceedings"], "Bản ghi trên điện thoại.");
}

async fn signed_minutes_refuse_with_both(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let cell = t.fx.cell1;
    let id = t.new_meeting(&sec, cell, "2026-11-03").await;
    let members = t
        .get_json(&sec, &format!("/api/v1/orgs/{cell}/members"))
        .await;
    let entries: Vec<Value> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| json!({"member_id": m["id"], "presence": "present"}))
        .collect();
    let r = t
        .http
        .put(format!("{}/api/v1/meetings/{id}/attendance", t.base))
        .bearer_auth(&sec)
        .json(&json!({"entries": entries}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let body = json!({"chair_id": t.fx.an.0, "recorder_id": t.fx.ha.0,
        "proceedings": "Biên bản đã ký.", "vote_for": 4, "vote_against": 0, "vote_abstain": 0});
    let r = t
        .patch_json(&sec, &format!("/api/v1/meetings/{id}"), &body)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/meetings/{id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let phone = Phone::signed_in(&t).await;
    let page = phone.page(&t, id).await;
    assert!(
        !page.contains("data-offline"),
        "no offline form once signed"
    );
    let version: i64 = count(&t.app.db, "SELECT version FROM meeting WHERE id = $1", id).await;
    let before = audits(&t, id).await;
    // Even on the current version, signed minutes are not written.
    let (status, v) = phone
        .send(&t, id, "minutes", version, &minutes("Sửa sau khi ký."))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["reason"], "signed");
    assert_eq!(v["signed"], true);
    let p = row(&v, "Diễn biến");
    assert_eq!(p["mine"], "Sửa sau khi ký.");
    assert_eq!(p["theirs"], "Biên bản đã ký.");
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("đính chính")),
        "{v}"
    );
    let (status, v) = phone
        .send(
            &t,
            id,
            "attendance",
            version,
            &[
                ("m0", t.fx.an.0.to_string()),
                ("p0", "absent_excused".into()),
                ("r0", "Ốm".into()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["reason"], "signed");
    assert_eq!(audits(&t, id).await, before, "nothing written");
    let m = t.get_json(&sec, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(m["meeting"]["proceedings"], "Biên bản đã ký.");
}

both_backends!(
    same_base_is_written_and_audited,
    stale_base_gets_both_versions,
    signed_minutes_refuse_with_both
);
