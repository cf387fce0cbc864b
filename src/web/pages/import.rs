//! Importing a member list from a file, with the row-by-row report.

use super::layout::csrf_field;
use super::render;
use crate::app::AppState;
use crate::docs::table;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{PageCaller, same_token};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

fn import_page(csrf: &str, id: OrgId, name: &str, result: Option<Markup>) -> Markup {
    html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (name) } }
        h1 { "Nhập danh sách đảng viên" }
        @if let Some(r) = result { (r) }
        div.card {
            p { "Tệp Excel (.xlsx) hoặc CSV có dòng tiêu đề cột: " em { "Họ và tên, Ngày sinh, Giới tính, Dân tộc, Tôn giáo, Quê quán, Nơi ở hiện nay, Ngày vào Đảng, Ngày chính thức, Số thẻ đảng viên, Số CCCD, Trình độ học vấn, Lý luận chính trị, Nghề nghiệp, Điện thoại, Email, Trạng thái" } " và " em { "Chi bộ" } " khi nhập vào một cấp ủy." }
            p { "Nhận danh sách như văn phòng vẫn lập: các dòng tiêu đề phía trên (tên đảng bộ, chi bộ, “DANH SÁCH ĐẢNG VIÊN”), cột STT, dòng đánh số cột, phần ký tên phía dưới, và nhiều trang tính (mỗi trang một chi bộ; khi không có cột “Chi bộ”, tên chi bộ ở dòng tiêu đề hoặc tên trang tính được dùng). Nhận cả tệp xuất từ Cơ sở dữ liệu đảng viên và Sổ tay đảng viên điện tử; cột không dùng được bỏ qua. Ngày ghi dd/mm/yyyy hoặc là ngày của Excel. Số dòng báo lỗi là số dòng trong Excel. Nếu có một dòng sai, không dòng nào được ghi." }
            form method="post" action=(format!("/orgs/{id}/import")) enctype="multipart/form-data" {
                (csrf_field(csrf))
                label for="file" { "Tệp (tối đa " (table::MAX_BYTES / 1024 / 1024) " MB)" }
                input #file type="file" name="file" accept=".xlsx,.csv" required;
                button type="submit" { "Nhập" }
            }
        }
    }
}

pub async fn import_form(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let org = service::org::get(&app, &pc.caller, OrgId(id), app.clock.today()).await?;
    Ok(render(
        &pc,
        "Nhập đảng viên",
        import_page(&pc.csrf, OrgId(id), &org.name, None),
    )
    .await)
}

/// Room for the multipart framing and the CSRF field around the file.
const MULTIPART_SLACK: usize = 64 * 1024;

/// The body limit of an upload route whose file may reach `max_file` bytes:
/// the service refuses one byte more with its own message, and a body past
/// this limit gets the same message from `read_upload`.
pub fn body_limit(max_file: usize) -> usize {
    max_file + MULTIPART_SLACK
}

/// "lớn quá 20 MB": the words every upload limit is refused with.
pub fn too_large(max_file: usize) -> String {
    format!("lớn quá {} MB", max_file / 1024 / 1024)
}

/// Reads the `file` field (and `_csrf`, when `csrf` is given) of a multipart
/// upload whose file may reach `max_file` bytes.
pub async fn read_upload(
    mut mp: Multipart,
    csrf: Option<&str>,
    max_file: usize,
) -> Result<(String, Vec<u8>), AppError> {
    // axum's own text is English ("length limit exceeded"): say it in Vietnamese.
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        let problem = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max_file)
        } else {
            tracing::debug!(error = %e.body_text(), "unreadable multipart body");
            "không đọc được dữ liệu tải lên, hãy chọn lại tệp và gửi lại".to_string()
        };
        AppError::invalid(ValidationError::new("file", "Tệp", problem))
    };
    let mut file = None;
    let mut token_ok = csrf.is_none();
    while let Some(part) = mp.next_field().await.map_err(unreadable)? {
        match part.name() {
            Some("_csrf") => {
                let t = part.text().await.unwrap_or_default();
                token_ok = csrf.is_some_and(|c| same_token(c, &t));
            }
            Some("file") => {
                let name = part.file_name().unwrap_or("tep.xlsx").to_string();
                let bytes = part.bytes().await.map_err(unreadable)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !token_ok {
        return Err(AppError::Conflict(
            "phiên làm việc đã thay đổi, hãy tải lại trang và gửi lại".into(),
        ));
    }
    file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "file",
            "Tệp",
            "chưa chọn tệp hoặc tệp rỗng",
        ))
    })
}

pub async fn import(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let id = OrgId(id);
    let org = match service::org::get(&app, &pc.caller, id, app.clock.today()).await {
        Ok(o) => o,
        Err(e) => return PageError(e).into_response(),
    };
    let result = async {
        let (name, bytes) = read_upload(mp, Some(&pc.csrf), table::MAX_BYTES).await?;
        service::import::import(
            &app,
            &pc.caller,
            id,
            &name,
            &bytes,
            &service::import::NoProgress,
        )
        .await
    }
    .await;
    let (status, report) = match result {
        Ok(s) => (
            StatusCode::OK,
            html! {
                p.flash role="status" { "Đã nhập " (s.created) " đảng viên." }
                ul { @for (cell, n) in &s.by_cell { li { (cell) ": " (n) } } }
                @if !s.ignored_columns.is_empty() { p.muted { "Các cột không dùng: " (s.ignored_columns.join(", ")) } }
                @if !s.ignored_sheets.is_empty() { p.muted { "Các trang tính không có dòng tiêu đề “Họ và tên”, không đọc: " (s.ignored_sheets.join(", ")) } }
            },
        ),
        Err(AppError::ImportRejected(rows)) => {
            let sheets = rows.iter().any(|r| !r.sheet.is_empty());
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                html! {
                    p.alert role="alert" { "Tệp có " (rows.len()) " lỗi. Không dòng nào được ghi; hãy sửa và nhập lại." }
                    div.table-wrap { table {
                        thead { tr { @if sheets { th { "Trang tính" } } th { "Dòng" } th { "Cột" } th { "Lỗi" } } }
                        tbody { @for r in &rows { tr { @if sheets { td { (r.sheet) } } td { (r.row) } td { (r.column) } td { (r.message) } } } }
                    } }
                },
            )
        }
        Err(AppError::Invalid(errs)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                @for e in &errs { p.error role="alert" { (e.to_string()) } }
            },
        ),
        Err(e) => return PageError(e).into_response(),
    };
    (
        status,
        render(
            &pc,
            "Nhập đảng viên",
            import_page(&pc.csrf, id, &org.name, Some(report)),
        )
        .await,
    )
        .into_response()
}
