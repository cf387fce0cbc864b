//! The OpenAPI 3 document of /api/v1, served at /api/openapi.json.

use super::api;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "chibo API", description = "Sinh hoạt chi bộ: cây tổ chức, đảng viên, tài khoản. Mọi thông báo lỗi bằng tiếng Việt."),
    paths(
        api::auth::token,
        api::auth::me,
        api::auth::set_display,
        api::orgs::list,
        api::orgs::create,
        api::orgs::get,
        api::orgs::children,
        api::orgs::stats,
        api::dashboard::get,
        api::dashboard::xlsx,
        api::orgs::history,
        api::orgs::rename,
        api::orgs::move_to,
        api::orgs::merge,
        api::orgs::dissolve,
        api::orgs::audit,
        api::supervision::list,
        api::supervision::create,
        api::supervision::get,
        api::supervision::add_cadres,
        api::supervision::pick,
        api::supervision::visit,
        api::supervision::report,
        api::supervision::carry_up,
        api::conclusion::get,
        api::conclusion::save,
        api::conclusion::issue,
        api::conclusion::docx,
        api::conclusion::verify,
        api::followers::list,
        api::followers::assign,
        api::followers::end,
        api::inspections::list,
        api::inspections::create,
        api::inspections::get,
        api::inspections::add_finding,
        api::inspections::verify,
        api::inspections::of_cell,
        api::inspections::answer,
        api::urgent::list,
        api::urgent::register,
        api::urgent::progress,
        api::urgent::assess,
        api::urgent::overview,
        api::classification::year,
        api::classification::counts,
        api::classification::propose,
        api::classification::decide,
        api::classification::self_assess,
        api::quality::list,
        api::quality::draft,
        api::quality::show,
        api::quality::amend,
        api::quality::send,
        api::quality::comment,
        api::quality::adopt,
        api::quality::ranking,
        api::quality::month_view,
        api::quality::enter,
        api::quality::trend,
        api::quality::levels,
        api::quality::quality,
        api::quality::assess_self,
        api::quality::review,
        api::indicators::list,
        api::indicators::create,
        api::indicators::target,
        api::indicators::actual,
        api::indicators::training,
        api::indicators::signals,
        api::followers::attendance,
        api::posts::list,
        api::posts::set,
        api::posts::end,
        api::members::list,
        api::members::export,
        api::members::create,
        api::members::create_in,
        api::members::get,
        api::members::update,
        api::members::history,
        api::members::transfer,
        api::members::import,
        api::meetings::list,
        api::meetings::create,
        api::meetings::plan,
        api::meetings::schedule,
        api::meetings::set_schedule,
        api::meeting_day::list,
        api::meeting_day::set,
        api::meetings::stats,
        api::meetings::compliance,
        api::meetings::calendar_ics,
        api::meetings::calendar_xlsx,
        api::meetings::my_calendar,
        api::meetings::home,
        api::meetings::get,
        api::meetings::patch,
        api::meetings::agenda,
        api::preparation::agree,
        api::meetings::attendance,
        api::meetings::notice,
        api::meetings::mail_retry,
        api::meetings::sign,
        api::meetings::amend,
        api::meetings::add_task,
        api::meetings::review_task,
        api::meetings::report,
        api::meetings::upload,
        api::meetings::document,
        api::meetings::minutes_docx,
        api::meetings::resolution_docx,
        api::meetings::notice_docx,
        api::recommendations::list,
        api::recommendations::counts,
        api::recommendations::raise,
        api::recommendations::raise_at_meeting,
        api::recommendations::get,
        api::recommendations::route,
        api::recommendations::assign,
        api::recommendations::answer,
        api::recommendations::close,
        api::recommendations::report,
        api::users::list,
        api::users::get,
        api::users::disable,
        api::users::enable,
        api::users::revoke,
        api::users::remove_grant,
        health,
        ready,
    ),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "orgs"), (name = "members"), (name = "meetings"), (name = "recommendations"), (name = "quality"), (name = "system"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Liveness: answers 200 while the server runs and the database answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = String), (status = 503, body = String)))]
pub async fn health(
    axum::extract::State(app): axum::extract::State<crate::app::AppState>,
) -> (axum::http::StatusCode, &'static str) {
    let ok = crate::on_db!(&app.db, |p| sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(p)
        .await)
    .is_ok();
    if ok {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        )
    }
}

/// Readiness: the database answers, every migration of this build is
/// applied, and the server is not shutting down.
#[utoipa::path(get, path = "/readyz", tag = "system", responses((status = 200, body = String), (status = 503, body = String)))]
pub async fn ready(
    axum::extract::State(app): axum::extract::State<crate::app::AppState>,
) -> (axum::http::StatusCode, &'static str) {
    use axum::http::StatusCode;
    if super::DRAINING.load(std::sync::atomic::Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    if !app.db.migrated().await {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable or not migrated",
        );
    }
    (StatusCode::OK, "ready")
}

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// A string that is one of `values`, for fields typed `String` in Rust.
fn one_of(values: &[&str], description: &str) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}

pub fn meeting_status() -> utoipa::openapi::Object {
    one_of(
        &["planned", "held", "cancelled"],
        "planned | held | cancelled",
    )
}

pub fn transfer_kind() -> utoipa::openapi::Object {
    one_of(
        &["permanent", "temporary"],
        "permanent moves the home cell; temporary adds a host cell for a period",
    )
}

/// Which members a list shows: the active ones (default), all, or one status.
pub fn member_filter() -> utoipa::openapi::Object {
    let mut values = vec!["active", "all"];
    values.extend(
        crate::domain::status::MemberStatus::ALL
            .iter()
            .map(|s| s.code()),
    );
    one_of(&values, "active (default) | all | a status code")
}
