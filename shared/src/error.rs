//! The one error body every `/api/v1` failure uses:
//! `{"error": {"code": "…", "message": "…", "fields": {"name": "…"}}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Field name → why its value was refused. A `BTreeMap` keeps the JSON output stable.
pub type FieldErrors = BTreeMap<String, String>;

/// Machine-readable error codes; `message` is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Validation,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    StaleVersion,
    RateLimited,
    /// 413 or 414: the body or the address is longer than the API reads.
    TooLarge,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: FieldErrors,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: FieldErrors::new(),
            },
        }
    }

    pub fn with_fields(code: ErrorCode, message: impl Into<String>, fields: FieldErrors) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields,
            },
        }
    }
}
