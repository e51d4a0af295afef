//! The OpenAPI 3.1 document's frame: the areas' routes add their paths and schemas (see
//! `crate::app::startup::api_router`). Served at `/api/v1/openapi.json`, browsable at
//! `/api/v1/docs` (Swagger UI, served from the binary: no CDN).

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Liaison API", description = "Partner-engagement CRM. Authenticate with the session cookie from `POST /api/v1/auth/login`, or `Authorization: Bearer <token>` (`liaison token create`). Every error answers with `{\"error\": {\"code\", \"message\", \"fields\"}}`, its messages in the reader's language (the `liaison_lang` cookie, else `Accept-Language`)."),
    tags(
        (name = "auth", description = "Sign-in and the current user"),
        (name = "users", description = "Staff users"),
        (name = "partners", description = "Sponsoring organisations"),
        (name = "contacts", description = "People at a partner"),
        (name = "activities", description = "Logged contacts and next steps"),
    )
)]
pub struct ApiDoc;
