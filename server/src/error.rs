//! The one error type of `/api/v1`. Each variant's doc names the status it answers with; every
//! response carries the JSON body of [`shared::ErrorBody`]. Details of a 500 are logged, never
//! shown: a client learns only that something went wrong on our side.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use shared::auth::Language;
use shared::validate::{Issue, Issues};
use shared::{ErrorBody, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `400 Bad Request`: the request could not be read (malformed JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// `422 Unprocessable Entity`: readable input that breaks field rules, field by field, said
    /// in the reader's language (see [`crate::api::language`]).
    #[error("validation failed")]
    Invalid(Issues),
    /// `422 Unprocessable Entity`: a field the API could not read at all (a malformed cursor,
    /// a wrong JSON type); these messages are for programmers and stay English.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// `401 Unauthorized`: no valid session or token.
    #[error("not signed in")]
    Unauthenticated,
    /// `401 Unauthorized`: sign-in with a wrong email or password.
    #[error("wrong email or password")]
    BadCredentials,
    /// `403 Forbidden`: signed in, but this role may not do this (or a cross-site write).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// `404 Not Found`: no such thing (or not one the caller may see).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// `409 Conflict`: a duplicate of something that must be unique, named by its field.
    #[error("conflict: {field} {}", issue.message_en())]
    Duplicate { field: &'static str, issue: Issue },
    /// `409 Conflict`: the change was made against an older version; reload and retry.
    #[error("stale version")]
    StaleVersion,
    /// `429 Too Many Requests`: too many failed sign-ins; retry after the given seconds.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// `500 Internal Server Error`: our fault. Logged with its chain of causes.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(FieldErrors::from([(field.to_owned(), message.into())]))
    }

    /// One field breaking one rule.
    pub fn issue(field: &str, issue: Issue) -> Self {
        ApiError::Invalid(Issues::one(field, issue))
    }

    fn status_and_body(&self) -> (StatusCode, ErrorBody) {
        use ErrorCode as C;
        let language = crate::api::language::current();
        let attention = match language {
            Language::En => "Some fields need attention.",
            Language::ZhCn => "有些字段需要修改。",
        };
        match self {
            ApiError::Invalid(issues) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody::with_fields(
                    C::Validation,
                    attention,
                    issues.to_field_errors_in(language),
                ),
            ),
            ApiError::Duplicate { field, issue } => (
                StatusCode::CONFLICT,
                ErrorBody::with_fields(
                    C::Conflict,
                    format!("{field}: {}", issue.message(language)),
                    Issues::one(field, *issue).to_field_errors_in(language),
                ),
            ),
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ErrorBody::new(C::BadRequest, message.clone()),
            ),
            ApiError::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody::with_fields(C::Validation, attention, fields.clone()),
            ),
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(C::Unauthenticated, "Please sign in."),
            ),
            ApiError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(C::Unauthenticated, "Wrong email or password."),
            ),
            ApiError::Forbidden(why) => (StatusCode::FORBIDDEN, ErrorBody::new(C::Forbidden, *why)),
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                ErrorBody::new(C::NotFound, format!("No such {what}.")),
            ),
            ApiError::StaleVersion => (
                StatusCode::CONFLICT,
                ErrorBody::new(
                    C::StaleVersion,
                    "Someone else changed this in the meantime. Reload to see their change.",
                ),
            ),
            ApiError::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorBody::new(
                    C::RateLimited,
                    format!("Too many failed sign-ins. Try again in {retry_after_secs} seconds."),
                ),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorBody::new(C::Internal, "Something went wrong on our side."),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let (status, body) = self.status_and_body();
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<Issues> for ApiError {
    fn from(issues: Issues) -> Self {
        ApiError::Invalid(issues)
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        ApiError::Internal(anyhow::Error::new(error).context("database error"))
    }
}

/// Turns a unique-constraint violation into a 409 naming the field; anything else stays a 500.
pub fn conflict_on_unique(error: DbErr, field: &'static str, issue: Issue) -> ApiError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::Duplicate { field, issue },
        _ => error.into(),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
