//! Addresses longer than the API reads are answered with its JSON error body (414), like every
//! other refusal. (Past hyper's own limit of 64 KiB, hyper answers 414 before any of this runs.)

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::{ApiError, URI_LIMIT_BYTES};

pub async fn refuse_long_uris(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |path| path.as_str().len());
    if length > URI_LIMIT_BYTES {
        return ApiError::UriTooLong {
            limit_bytes: URI_LIMIT_BYTES,
        }
        .into_response();
    }
    next.run(request).await
}
