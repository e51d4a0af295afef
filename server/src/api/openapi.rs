//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`, and browsable at
//! `/api/v1/docs` (Swagger UI, served from the binary: no CDN).

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Liaison API", description = "Partner-engagement CRM. Authenticate with the session cookie from `POST /api/v1/auth/login`, or `Authorization: Bearer <token>` (`liaison token create`)."),
    paths(
        super::auth::login, super::auth::logout, super::auth::me, super::auth::update_me,
        super::users::list,
        super::partners::list, super::partners::create, super::partners::get,
        super::partners::update, super::partners::delete,
        super::contacts::list, super::contacts::create, super::contacts::get,
        super::contacts::update, super::contacts::delete,
        super::activities::timeline, super::activities::log, super::activities::next_steps,
        super::activities::get, super::activities::update,
    ),
    tags(
        (name = "auth", description = "Sign-in and the current user"),
        (name = "partners", description = "Sponsoring organisations"),
        (name = "contacts", description = "People at a partner"),
        (name = "activities", description = "Logged contacts and next steps"),
    )
)]
pub struct ApiDoc;

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
