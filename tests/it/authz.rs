//! Who sees what: every API read and write, as each role, inside and outside
//! the role's subtree.

use crate::both_backends;
use crate::support::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::json;

async fn matrix(b: Backend) {
    let t = TestApp::spawn(b).await;
    let fx = t.fx.clone();
    let (cell1, cell2, other_cell, district) = (fx.cell1, fx.cell2, fx.other_cell, fx.district);
    let (an, ha, other) = (fx.an, fx.ha, fx.other_member);
    // (user, method, path, expected)
    let cases: Vec<(&str, &str, String, StatusCode)> = vec![
        // yearly classification (docs/rules.md "Classification order
        // (bottom-up)"): the committee decides, the cell proposes, the member
        // assesses themself; nobody sees a sibling's round
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}/classification"),
            StatusCode::NOT_FOUND,
        ),
        (
            "secretary",
            "POST",
            format!("/api/v1/orgs/{cell1}/classification/decisions"),
            StatusCode::FORBIDDEN,
        ),
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{cell2}/classification"),
            StatusCode::NOT_FOUND,
        ),
        (
            "member",
            "POST",
            format!("/api/v1/orgs/{cell1}/classification/proposals"),
            StatusCode::FORBIDDEN,
        ),
        (
            "member",
            "POST",
            format!("/api/v1/members/{an}/classification"),
            StatusCode::NOT_FOUND,
        ),
        (
            "secretary",
            "POST",
            format!("/api/v1/members/{ha}/classification"),
            StatusCode::FORBIDDEN,
        ),
        (
            "staff",
            "POST",
            format!("/api/v1/orgs/{}/classification/decisions", fx.province),
            StatusCode::NOT_FOUND,
        ),
        // staff of Huyện B: everything in it, nothing outside
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{district}"),
            StatusCode::OK,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{cell1}/members"),
            StatusCode::OK,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/members/{an}"),
            StatusCode::OK,
        ),
        (
            "staff",
            "PATCH",
            format!("/api/v1/members/{an}"),
            StatusCode::OK,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}/stats"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}/members"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}/children"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/members/{other}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "PATCH",
            format!("/api/v1/members/{other}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/members/{other}/history"),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{}", fx.province),
            StatusCode::NOT_FOUND,
        ),
        (
            "staff",
            "POST",
            format!("/api/v1/orgs/{district}/rename"),
            StatusCode::FORBIDDEN,
        ),
        (
            "staff",
            "GET",
            "/api/v1/orgs/999999".to_string(),
            StatusCode::NOT_FOUND,
        ),
        // secretary of Chi bộ 1: their cell only
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{cell1}/members"),
            StatusCode::OK,
        ),
        (
            "secretary",
            "PATCH",
            format!("/api/v1/members/{ha}"),
            StatusCode::OK,
        ),
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{cell2}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{}", fx.commune),
            StatusCode::NOT_FOUND,
        ),
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{cell1}/audit"),
            StatusCode::FORBIDDEN,
        ),
        (
            "secretary",
            "POST",
            format!("/api/v1/orgs/{cell1}/rename"),
            StatusCode::FORBIDDEN,
        ),
        // formalism signals: the committee's, never the cell's
        (
            "secretary",
            "GET",
            format!("/api/v1/orgs/{cell1}/signals"),
            StatusCode::FORBIDDEN,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{cell1}/signals"),
            StatusCode::FORBIDDEN,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{}/signals", fx.commune),
            StatusCode::OK,
        ),
        (
            "staff",
            "GET",
            format!("/api/v1/orgs/{other_cell}/signals"),
            StatusCode::NOT_FOUND,
        ),
        // indicators: read with the node, written by who runs it
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{cell1}/indicators"),
            StatusCode::OK,
        ),
        (
            "member",
            "POST",
            format!("/api/v1/orgs/{cell1}/indicators"),
            StatusCode::FORBIDDEN,
        ),
        // ordinary member: own record and own cell
        (
            "member",
            "GET",
            format!("/api/v1/members/{ha}"),
            StatusCode::OK,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{cell1}"),
            StatusCode::OK,
        ),
        (
            "member",
            "PATCH",
            format!("/api/v1/members/{ha}"),
            StatusCode::FORBIDDEN,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/members/{an}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "member",
            "PATCH",
            format!("/api/v1/members/{an}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{cell1}/members"),
            StatusCode::FORBIDDEN,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{district}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "member",
            "GET",
            format!("/api/v1/orgs/{district}/stats"),
            StatusCode::NOT_FOUND,
        ),
        // outsider (staff elsewhere)
        (
            "outsider",
            "GET",
            format!("/api/v1/orgs/{other_cell}/members"),
            StatusCode::OK,
        ),
        (
            "outsider",
            "GET",
            format!("/api/v1/orgs/{cell1}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "outsider",
            "GET",
            format!("/api/v1/members/{an}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "outsider",
            "POST",
            format!("/api/v1/orgs/{cell1}/members/import"),
            StatusCode::NOT_FOUND,
        ),
        // admin: everything
        (
            "admin",
            "GET",
            format!("/api/v1/members/{other}"),
            StatusCode::OK,
        ),
        (
            "admin",
            "GET",
            format!("/api/v1/orgs/{}/stats", fx.root),
            StatusCode::OK,
        ),
    ];
    let mut failures = Vec::new();
    for (user, method, path, expected) in &cases {
        let token = t.token(user).await;
        let url = format!("{}{path}", t.base);
        let req = match *method {
            "GET" => t.http.get(&url),
            "PATCH" => t.http.patch(&url).json(&json!({"occupation": "Nông dân"})),
            _ if path.ends_with("/import") => {
                let part =
                    reqwest::multipart::Part::bytes(b"Ho va ten\n".to_vec()).file_name("a.csv");
                t.http
                    .post(&url)
                    .multipart(reqwest::multipart::Form::new().part("file", part))
            }
            _ => t.http.post(&url).json(&json!({"name": "Tên mới"})),
        };
        let status = req
            .bearer_auth(&token)
            .send()
            .await
            .expect("request")
            .status();
        if status != *expected {
            failures.push(format!(
                "{user} {method} {path}: {status}, expected {expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn no_token_no_data(b: Backend) {
    let t = TestApp::spawn(b).await;
    for path in [
        "/api/v1/me",
        "/api/v1/orgs",
        &format!("/api/v1/members/{}", t.fx.an),
    ] {
        let r = t.get(None, path).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let r = t.get(Some("forged-token"), "/api/v1/me").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = t
        .post_json(
            None,
            "/api/v1/auth/token",
            &json!({"username": "admin", "password": "sai"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let me = t.get_json(&t.token("secretary").await, "/api/v1/me").await;
    assert_eq!(me["username"], "secretary");
    assert_eq!(me["member_id"], t.fx.an.0);
    let roles: Vec<&str> = me["grants"]
        .as_array()
        .expect("a")
        .iter()
        .map(|g| g["role"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(roles, ["secretary", "member"]);
}

/// Staff of a node that has since been dissolved keep reading what was theirs.
async fn dissolved_committee_keeps_its_archive(b: Backend) {
    let t = TestApp::spawn(b).await;
    t.dissolve_district().await;
    let staff = t.token("staff").await;
    let r = t
        .get(
            Some(&staff),
            &format!("/api/v1/orgs/{}/members", t.fx.district),
        )
        .await;
    assert_eq!(r.headers()["x-total-count"], "5");
    let v = t
        .get_json(
            &staff,
            &format!("/api/v1/orgs/{}/stats?on=2020-01-01", t.fx.district),
        )
        .await;
    assert_eq!(v["members"], 5);
    assert_eq!(
        t.get(Some(&staff), &format!("/api/v1/members/{}", t.fx.an))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        t.get(Some(&staff), &format!("/api/v1/orgs/{}", t.fx.province))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

both_backends!(
    matrix,
    no_token_no_data,
    dissolved_committee_keeps_its_archive
);

/// Every route of the OpenAPI document, with ids of objects outside the
/// caller's subtree: reads answer 404, writes never succeed, nothing answers 500.
async fn no_route_leaks_another_subtree(b: Backend) {
    let t = TestApp::spawn(b).await;
    let doc = t.openapi().await;
    let admin = t.token("admin").await;
    let (meeting_id, task_id, doc_id) = t.foreign_objects().await;
    let (round_id, visit_id) = crate::supervision::foreign_round(&t, meeting_id).await;
    let recommendation_id = t.foreign_recommendation().await;

    // An account of the other district, and its grant.
    let outsiders = t
        .get_json(
            &admin,
            &format!("/api/v1/orgs/{}/users", t.fx.other_district),
        )
        .await;
    let outsider_id = outsiders[0]["id"].as_i64().expect("outsider account");
    let grant_id = t
        .get_json(&admin, &format!("/api/v1/users/{outsider_id}"))
        .await["grants"][0]["id"]
        .as_i64()
        .expect("grant");

    let mut failures = Vec::new();
    let mut checked = 0;
    for user in ["staff", "secretary", "member"] {
        let token = t.token(user).await;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            if !path.contains('{') {
                continue;
            }
            let id = if path.starts_with("/api/v1/orgs/") {
                t.fx.other_cell.0
            } else if path.starts_with("/api/v1/members/") {
                t.fx.other_member.0
            } else if path.starts_with("/api/v1/meetings/") {
                meeting_id
            } else if path.starts_with("/api/v1/tasks/") {
                task_id
            } else if path.starts_with("/api/v1/documents/") {
                doc_id
            } else if path.starts_with("/api/v1/users/") {
                outsider_id
            } else if path.starts_with("/api/v1/rounds/") {
                round_id
            } else if path.starts_with("/api/v1/visits/") {
                visit_id
            } else if path.starts_with("/api/v1/recommendations/") {
                recommendation_id
            } else {
                failures.push(format!("no object for {path}"));
                continue;
            };
            let url = format!(
                "{}{}",
                t.base,
                path.replace("{id}", &id.to_string())
                    .replace("{grant_id}", &grant_id.to_string())
            );
            for method in item.as_object().expect("methods").keys() {
                let req = match method.as_str() {
                    "get" => t.http.get(&url),
                    "post" => t.http.post(&url).json(&json!({})),
                    "patch" => t.http.patch(&url).json(&json!({})),
                    "put" => t.http.put(&url).json(&json!({})),
                    other => t.http.request(
                        reqwest::Method::from_bytes(other.to_uppercase().as_bytes())
                            .expect("method"),
                        &url,
                    ),
                };
                let status = req
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("request")
                    .status();
                checked += 1;
                let ok = if method == "get" {
                    status == StatusCode::NOT_FOUND
                } else {
                    status.is_client_error() && status != StatusCode::FORBIDDEN
                };
                if !ok {
                    failures.push(format!("{user} {method} {path}: {status}"));
                }
            }
        }
    }
    assert!(checked > 80, "{checked} checks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both_backends!(no_route_leaks_another_subtree);
