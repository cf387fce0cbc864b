//! Upload size limits: what the pages state is what the routes and the
//! service keep (just under and just over), and how many documents, and how
//! many bytes of them, one meeting may hold.

use crate::both_backends;
use crate::hostile_files::{assert_alive, assert_refused, page_upload};
use crate::support::{self, Backend, TestApp};
use axum::body::Body;
use chibo::app::AppState;
use chibo::docs::table::MAX_BYTES;
use chibo::service::meeting::{
    MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_MEETING, MAX_MEETING_DOCUMENT_BYTES,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

fn pdf_of(len: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.resize(len, b' ');
    v
}

/// A CSV of one member padded with blank lines to `len` bytes.
fn csv_of(len: usize, card: &str) -> Vec<u8> {
    let mut v = format!(
        "Họ và tên;Ngày sinh;Giới tính;Ngày vào Đảng;Số thẻ đảng viên\n\
         Hồ Văn Thử;05/06/1985;Nam;19/05/2010;{card}\n"
    )
    .into_bytes();
    v.resize(len, b'\n');
    v
}

/// The app on a socket, and its router for requests that need no socket: a
/// body far past a route's limit is answered before it is all sent, and a
/// client still writing it sees a broken pipe instead of the answer.
async fn spawn_with_router(b: Backend) -> (TestApp, axum::Router) {
    let (db, dir) = support::fresh_db(b).await;
    let app = AppState::new(db).with_clock(support::frozen_clock());
    let fx = support::fixture(&app).await;
    let router = chibo::web::router(app.clone()).await.expect("router");
    (TestApp::serve(app, fx, dir).await, router)
}

/// A multipart body with an optional CSRF field and the file.
fn multipart(csrf: Option<&str>, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    const B: &str = "chibo-boundary-7f3a";
    let mut body = Vec::new();
    if let Some(token) = csrf {
        body.extend(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n")
                .bytes(),
        );
    }
    body.extend(format!("--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes());
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{B}--\r\n").bytes());
    (format!("multipart/form-data; boundary={B}"), body)
}

/// Status and body text of a multipart upload sent straight to the router.
async fn oneshot_upload(
    router: &axum::Router,
    path: &str,
    auth: (&str, &str),
    csrf: Option<&str>,
    filename: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let (content_type, body) = multipart(csrf, filename, bytes);
    let req = axum::http::Request::post(path)
        .header("content-type", content_type)
        .header(auth.0, auth.1)
        .body(Body::from(body))
        .expect("request");
    let resp = router.clone().oneshot(req).await.expect("response");
    let status = StatusCode::from_u16(resp.status().as_u16()).expect("status");
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The limits the pages state are the limits the routes and the service
/// keep: a file of exactly the limit goes in, one byte more is refused with
/// the figure, and so is a body far past it (refused by the route).
async fn upload_limits_match_the_pages(b: Backend) {
    let (t, router) = spawn_with_router(b).await;
    let sec = t.token("secretary").await;
    let bearer = format!("Bearer {sec}");
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let c = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    support::login(&t, &c, "secretary").await;
    let base: reqwest::Url = t.base.parse().expect("url");
    let cookie = reqwest::cookie::CookieStore::cookies(&*jar, &base).expect("session cookie");
    let cookie = cookie.to_str().expect("cookie").to_string();

    // Meeting documents: API, then page.
    let doc_mb = format!("lớn quá {} MB", MAX_DOCUMENT_BYTES >> 20);
    let far = MAX_DOCUMENT_BYTES + (1 << 20);
    let api = format!("/api/v1/meetings/{id}/documents");
    let r = t
        .upload(&sec, &api, "a.pdf", pdf_of(MAX_DOCUMENT_BYTES))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "a document of exactly the limit"
    );
    let r = t
        .upload(&sec, &api, "a.pdf", pdf_of(MAX_DOCUMENT_BYTES + 1))
        .await;
    assert_refused(r, "a document one byte over", &doc_mb).await;
    let (status, body) = oneshot_upload(
        &router,
        &api,
        ("authorization", &bearer),
        None,
        "a.pdf",
        &pdf_of(far),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains(&format!("Tệp: {doc_mb}")), "{body}");

    let page = support::get_text(&c, format!("{}/meetings/{id}", t.base)).await;
    assert!(page.contains(&format!("tối đa {} MB", MAX_DOCUMENT_BYTES >> 20)));
    let csrf = support::csrf_of(&page);
    let path = format!("/meetings/{id}/documents");
    let r = page_upload(&c, &t, &path, &page, "b.pdf", pdf_of(MAX_DOCUMENT_BYTES)).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "page: a file of exactly the limit"
    );
    let r = page_upload(
        &c,
        &t,
        &path,
        &page,
        "b.pdf",
        pdf_of(MAX_DOCUMENT_BYTES + 1),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "page: one byte over"
    );
    assert!(
        r.text()
            .await
            .expect("body")
            .contains(&format!("Tài liệu: {doc_mb}"))
    );
    let (status, body) = oneshot_upload(
        &router,
        &path,
        ("cookie", &cookie),
        Some(&csrf),
        "b.pdf",
        &pdf_of(far),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "page: far over");
    assert!(body.contains(&format!("Tệp: {doc_mb}")), "page: far over");

    // Member import: API, then page.
    let import_mb = format!("lớn quá {} MB", MAX_BYTES >> 20);
    let far = MAX_BYTES + (1 << 20);
    let api = format!("/api/v1/orgs/{}/members/import", t.fx.cell1);
    let r = t
        .upload(&sec, &api, "ds.csv", csv_of(MAX_BYTES, "40000001"))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let r = t
        .upload(&sec, &api, "ds.csv", csv_of(MAX_BYTES + 1, "40000002"))
        .await;
    assert_refused(r, "an import one byte over", &import_mb).await;
    let (status, body) = oneshot_upload(
        &router,
        &api,
        ("authorization", &bearer),
        None,
        "ds.csv",
        &csv_of(far, "40000002"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains(&format!("Tệp: {import_mb}")), "{body}");

    let path = format!("/orgs/{}/import", t.fx.cell1);
    let page = support::get_text(&c, format!("{}{path}", t.base)).await;
    assert!(
        page.contains(&format!("tối đa {} MB", MAX_BYTES >> 20)),
        "{page}"
    );
    let csrf = support::csrf_of(&page);
    let r = page_upload(
        &c,
        &t,
        &path,
        &page,
        "ds.csv",
        csv_of(MAX_BYTES, "40000003"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Đã nhập 1 đảng viên")
    );
    let r = page_upload(
        &c,
        &t,
        &path,
        &page,
        "ds.csv",
        csv_of(MAX_BYTES + 1, "40000004"),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "import page: one byte over"
    );
    assert!(r.text().await.expect("body").contains(&import_mb));
    let (status, body) = oneshot_upload(
        &router,
        &path,
        ("cookie", &cookie),
        Some(&csrf),
        "ds.csv",
        &csv_of(far, "40000004"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "import page: far over"
    );
    assert!(
        body.contains(&format!("Tệp: {import_mb}")),
        "import page: far over"
    );
    assert_alive(&t, "uploads over the limits").await;
}

/// A meeting holds at most so many documents, and so many bytes of them.
async fn documents_per_meeting_are_bounded(b: Backend) {
    let t = TestApp::spawn(b).await;
    let sec = t.token("secretary").await;
    let id = t.new_meeting(&sec, t.fx.cell1, "2026-12-05").await;
    let path = format!("/api/v1/meetings/{id}/documents");
    for i in 0..MAX_DOCUMENTS_PER_MEETING {
        let r = t
            .upload(&sec, &path, &format!("{i}.pdf"), pdf_of(100))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "document {i}");
    }
    let r = t.upload(&sec, &path, "one-more.pdf", pdf_of(100)).await;
    let count = format!("tối đa {MAX_DOCUMENTS_PER_MEETING}");
    assert_refused(r, "one document too many", &count).await;

    let other = t
        .post_json(
            Some(&sec),
            &format!("/api/v1/orgs/{}/meetings", t.fx.cell1),
            &json!({"kind": "thematic", "date": "2026-12-19", "topic": "Học tập nghị quyết"}),
        )
        .await;
    assert_eq!(
        other.status(),
        StatusCode::CREATED,
        "{}",
        other.text().await.unwrap_or_default()
    );
    let other = other.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/meetings/{other}/documents");
    let full = (MAX_MEETING_DOCUMENT_BYTES as usize) / MAX_DOCUMENT_BYTES;
    for i in 0..full {
        let r = t
            .upload(&sec, &path, &format!("{i}.pdf"), pdf_of(MAX_DOCUMENT_BYTES))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "large document {i}");
    }
    let r = t.upload(&sec, &path, "small.pdf", pdf_of(100)).await;
    let total = format!("vượt {} MB", MAX_MEETING_DOCUMENT_BYTES >> 20);
    assert_refused(r, "one byte past the meeting's total", &total).await;
    let docs = t.get_json(&sec, &format!("/api/v1/meetings/{other}")).await;
    assert_eq!(
        docs["documents"].as_array().map(Vec::len),
        Some(full),
        "nothing more stored"
    );
}

both_backends!(
    upload_limits_match_the_pages,
    documents_per_meeting_are_bounded,
);
