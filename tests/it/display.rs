//! Reading preferences kept per account (docs/rules.md "Reading
//! preferences"): set from the page or the API, shown on every page, audited.

use crate::both_backends;
use crate::support::{Backend, TestApp, client, csrf_of, get_text, login};
use reqwest::StatusCode;
use serde_json::json;

both_backends!(a_member_chooses_large_text_and_high_contrast);

async fn a_member_chooses_large_text_and_high_contrast(backend: Backend) {
    let t = TestApp::spawn(backend).await;
    let c = client();
    login(&t, &c, "member").await;
    let page = get_text(&c, format!("{}/me/display", t.base)).await;
    assert!(
        page.contains("<html lang=\"vi\">"),
        "no class before a choice"
    );
    let r = c
        .post(format!("{}/me/display", t.base))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("large_text", "1")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let home = get_text(&c, format!("{}/", t.base)).await;
    assert!(
        home.contains("<html lang=\"vi\" class=\"text-large\">"),
        "{home}"
    );

    // The same account over the API: the choice is the account's, not the browser's.
    let token = t.token("member").await;
    let me = t.get_json(&token, "/api/v1/me").await;
    assert_eq!(
        me["display"],
        json!({"large_text": true, "high_contrast": false})
    );
    let both = json!({"large_text": true, "high_contrast": true});
    let r = t.put_json(&token, "/api/v1/me/display", &both).await;
    assert_eq!(r.status(), StatusCode::OK);
    let home = get_text(&c, format!("{}/", t.base)).await;
    assert!(
        home.contains("class=\"text-large contrast-high\""),
        "{home}"
    );

    // A misspelt field is refused, not silently ignored.
    let r = t
        .put_json(&token, "/api/v1/me/display", &json!({"large": true}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another account is untouched.
    let sec = t.token("secretary").await;
    let other = t.get_json(&sec, "/api/v1/me").await;
    assert_eq!(other["display"]["large_text"], false);

    let admin = t.token("admin").await;
    let log = t
        .get_json(&admin, &format!("/api/v1/orgs/{}/audit", t.fx.cell1))
        .await;
    let changes: Vec<_> = log
        .as_array()
        .expect("audit")
        .iter()
        .filter(|e| e["action"] == "display")
        .collect();
    assert_eq!(changes.len(), 2, "both changes audited: {log}");
    assert!(changes.iter().any(|e| e["after"]["high_contrast"] == true));
}
