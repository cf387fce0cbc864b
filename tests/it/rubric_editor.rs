//! The rubric editor by criterion (issue 12): a draft is edited in a form
//! of groups and criteria; a wrong figure comes back with a Vietnamese error
//! naming its group, its criterion and the field; rows are added with no
//! script; a good form is saved and the JSON API reads it (docs/rules.md
//! "Rubric editor").

use crate::both_backends;
use crate::support::{Backend, TestApp, client, csrf_of, get_text, login};
use chibo::domain::rubric::example::local_meeting;
use chibo::domain::rubric::form::FormRubric;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn set(fields: &mut [(String, String)], key: &str, value: &str) {
    fields
        .iter_mut()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("{key} in the form"))
        .1 = value.to_string();
}

async fn post(
    c: &reqwest::Client,
    at: &str,
    csrf: &str,
    fields: &[(String, String)],
    op: &str,
) -> (StatusCode, String) {
    let mut form = fields.to_vec();
    form.push(("_csrf".into(), csrf.into()));
    form.push(("name".into(), "Tiêu chí sửa theo từng mục".into()));
    form.push(("op".into(), op.into()));
    let r = c.post(at).form(&form).send().await.expect("post");
    let s = r.status();
    (s, r.text().await.expect("body"))
}

async fn a_draft_is_edited_criterion_by_criterion(b: Backend) {
    let t = TestApp::spawn(b).await;
    let staff = t.token("staff").await;
    let org = t.fx.district.0;
    let r = t
        .post_json(
            Some(&staff),
            &format!("/api/v1/orgs/{org}/rubrics"),
            &json!({"purpose": "meeting", "name": "Tiêu chí 2026"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let c = client();
    login(&t, &c, "staff").await;
    let at = format!("{}/orgs/{org}/rubrics/{id}", t.base);
    let page = get_text(&c, &at).await;
    assert!(
        page.contains("Sửa nội dung dự thảo")
            && page.contains("name=\"g2.c1.max\" value=\"2\"")
            && !page.contains("name=\"definition\""),
        "the form, not a JSON box: {page}"
    );
    let csrf = csrf_of(&page);
    let mut fields = FormRubric::of(&local_meeting()).pairs();

    // A word where points go: 422, the row named, nothing saved.
    set(&mut fields, "g2.c1.max", "hai");
    let (s, text) = post(&c, &at, &csrf, &fields, "save").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("Nhóm 3 «Công tác chuẩn bị», tiêu chí 2 «Dự thảo kết luận, nghị quyết»: điểm tối đa «hai» phải là một số lớn hơn 0"),
        "{text}"
    );
    assert!(
        text.contains("name=\"g2.c1.max\" value=\"hai\""),
        "typed value kept"
    );

    // Points that no longer add up: the rule's own message.
    set(&mut fields, "g2.c1.max", "3");
    let (s, text) = post(&c, &at, &csrf, &fields, "save").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains(
            "nhóm «Công tác chuẩn bị»: các tiêu chí cộng được 11 điểm, khác 10 điểm của nhóm"
        ),
        "{text}"
    );
    set(&mut fields, "g2.c1.max", "2");

    // "Add a criterion" re-renders with a blank row, saves nothing.
    let (s, text) = post(&c, &at, &csrf, &fields, "add:0").await;
    assert_eq!(s, StatusCode::OK, "{text}");
    assert!(
        text.contains("name=\"g0.c1.key\" value=\"tc1\"") && text.contains("Xoá tiêu chí 2"),
        "{text}"
    );
    let stored = t
        .get_json(&staff, &format!("/api/v1/orgs/{org}/rubrics/{id}"))
        .await;
    assert_eq!(
        stored["definition"]["groups"][0]["criteria"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{stored}"
    );

    // A band on attendance in group 1, its points taken from the duration.
    let mut f = FormRubric::from_pairs(&fields);
    f.apply(chibo::domain::rubric::form::Edit::AddCriterion(0));
    let mut fields = f.pairs();
    set(&mut fields, "g0.c0.max", "4");
    set(&mut fields, "g0.c0.steps", "90: 4");
    set(&mut fields, "g0.c1.title", "Bắt đầu đúng giờ, đủ đảng viên");
    set(&mut fields, "g0.c1.max", "1");
    set(&mut fields, "g0.c1.kind", "band");
    set(&mut fields, "g0.c1.metric", "attendance_percent");
    set(&mut fields, "g0.c1.steps", "95: 1; 0: 0");
    let (s, text) = post(&c, &at, &csrf, &fields, "save").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{text}");
    let page = get_text(&c, &at).await;
    assert!(
        page.contains("Đã lưu dự thảo.") && page.contains("Bắt đầu đúng giờ, đủ đảng viên"),
        "{page}"
    );
    let stored = t
        .get_json(&staff, &format!("/api/v1/orgs/{org}/rubrics/{id}"))
        .await;
    let added = &stored["definition"]["groups"][0]["criteria"][1];
    assert_eq!(added["key"], "tc1", "{stored}");
    assert_eq!(added["kind"], "band");
    assert_eq!(added["metric"], "attendance_percent");
    assert_eq!(added["steps"][0]["threshold"], 95.0);
    assert_eq!(stored["name"], "Tiêu chí sửa theo từng mục");
}

both_backends!(a_draft_is_edited_criterion_by_criterion);
