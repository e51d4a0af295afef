//! How `/api/v1` answers a failure: a status and the JSON body of [`shared::ErrorBody`].
//!
//! Services fail with [`crate::core::Error`]; reading the request can fail before any service
//! runs (a body that is not JSON, a field of the wrong type). Each variant's status is in
//! [`ApiError::status`]. Messages for people are written in English here and again in the
//! reader's language by the language layer on the way out (`middleware::language`), which
//! finds the error kept in the response's extensions. Details of a 500 are logged, never shown.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shared::auth::Language;
use shared::{ErrorBody, ErrorCode, FieldErrors};

use crate::core::{Entity, Error};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// What a service refused with; its status follows from the variant.
    #[error(transparent)]
    Domain(#[from] Error),
    /// `400`: the request could not be read at all (malformed JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// `422`: fields the API could not read (a wrong JSON type), with messages for
    /// programmers in English, and the rules the rest of the body breaks.
    #[error("unreadable fields: {fields:?}")]
    Unreadable {
        fields: FieldErrors,
        issues: shared::validate::Issues,
    },
    /// `403`: a cookie-carrying write from another site.
    #[error("cross-site write")]
    CrossSite,
    /// `404`: no endpoint at this path.
    #[error("no such endpoint")]
    NoEndpoint,
    /// `413`: a body over the API's limit, in bytes.
    #[error("body too large")]
    BodyTooLarge { limit_bytes: usize },
    /// `414`: an address (path and query) over the API's limit, in bytes.
    #[error("address too long")]
    UriTooLong { limit_bytes: usize },
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<shared::validate::Issues> for ApiError {
    fn from(issues: shared::validate::Issues) -> Self {
        ApiError::Domain(Error::Invalid(issues))
    }
}

/// The error behind a response, for the language layer to write again in the reader's
/// language.
#[derive(Clone)]
pub struct Localizable(pub Arc<ApiError>);

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(error) => match error {
                Error::NotFound(_) => StatusCode::NOT_FOUND,
                Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Error::Duplicate { .. } | Error::Stale => StatusCode::CONFLICT,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                Error::Unauthenticated | Error::BadCredentials => StatusCode::UNAUTHORIZED,
                Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unreadable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::NoEndpoint => StatusCode::NOT_FOUND,
            ApiError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
        }
    }

    /// The body, its messages in `language`.
    pub fn body(&self, language: Language) -> ErrorBody {
        use ErrorCode as C;
        let zh = language == Language::ZhCn;
        let say = |en: &str, zh_text: &str| {
            if zh {
                zh_text.to_owned()
            } else {
                en.to_owned()
            }
        };
        let attention = say("Some fields need attention.", "有些字段需要修改。");
        match self {
            ApiError::Domain(error) => match error {
                Error::Invalid(issues) => ErrorBody::with_fields(
                    C::Validation,
                    attention,
                    issues.to_field_errors_in(language),
                ),
                Error::Duplicate { field, issue } => ErrorBody::with_fields(
                    C::Conflict,
                    format!("{field}: {}", issue.message(language)),
                    shared::validate::Issues::one(field, *issue).to_field_errors_in(language),
                ),
                Error::NotFound(entity) => ErrorBody::new(C::NotFound, not_found(*entity, zh)),
                Error::Stale => ErrorBody::new(
                    C::StaleVersion,
                    say(
                        "Someone else changed this in the meantime. Reload to see their change.",
                        "其他人刚刚修改了此内容。请刷新后查看。",
                    ),
                ),
                Error::Forbidden(action) => ErrorBody::new(
                    C::Forbidden,
                    if zh {
                        action.refusal_zh()
                    } else {
                        action.refusal_en()
                    },
                ),
                Error::Unauthenticated => {
                    ErrorBody::new(C::Unauthenticated, say("Please sign in.", "请先登录。"))
                }
                Error::BadCredentials => ErrorBody::new(
                    C::Unauthenticated,
                    say("Wrong email or password.", "邮箱或密码错误。"),
                ),
                Error::RateLimited { retry_after_secs } => ErrorBody::new(
                    C::RateLimited,
                    if zh {
                        format!("登录失败次数过多，请在 {retry_after_secs} 秒后重试。")
                    } else {
                        format!(
                            "Too many failed sign-ins. Try again in {retry_after_secs} seconds."
                        )
                    },
                ),
                Error::Internal(_) => ErrorBody::new(
                    C::Internal,
                    say("Something went wrong on our side.", "服务器出错了。"),
                ),
            },
            ApiError::BadRequest(message) => ErrorBody::new(C::BadRequest, message.clone()),
            ApiError::Unreadable { fields, issues } => {
                let mut all = fields.clone();
                for (field, message) in issues.to_field_errors_in(language) {
                    all.entry(field).or_insert(message);
                }
                ErrorBody::with_fields(C::Validation, attention, all)
            }
            ApiError::CrossSite => ErrorBody::new(
                C::Forbidden,
                say(
                    "Cross-site requests may not change data.",
                    "跨站请求不能修改数据。",
                ),
            ),
            ApiError::NoEndpoint => {
                ErrorBody::new(C::NotFound, say("No such endpoint.", "没有这个接口。"))
            }
            ApiError::BodyTooLarge { limit_bytes } => ErrorBody::new(
                C::TooLarge,
                if zh {
                    format!("请求内容过大：最多 {} KiB。", limit_bytes / 1024)
                } else {
                    format!("The body is too large: at most {} KiB.", limit_bytes / 1024)
                },
            ),
            ApiError::UriTooLong { limit_bytes } => ErrorBody::new(
                C::TooLarge,
                if zh {
                    format!("请求地址过长：最多 {} KiB。", limit_bytes / 1024)
                } else {
                    format!(
                        "The address is too long: at most {} KiB.",
                        limit_bytes / 1024
                    )
                },
            ),
        }
    }
}

fn not_found(entity: Entity, zh: bool) -> String {
    if zh {
        format!("找不到该{}。", entity.name_zh())
    } else {
        format!("No such {}.", entity.name_en())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Domain(Error::Internal(error)) = &self {
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let mut response = (self.status(), axum::Json(self.body(Language::En))).into_response();
        if let ApiError::Domain(Error::RateLimited { retry_after_secs }) = &self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
            .extensions_mut()
            .insert(Localizable(Arc::new(self)));
        response
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        ApiError::Domain(self).into_response()
    }
}
