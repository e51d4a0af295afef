//! `/api/v1` as HTTP: transport only. The error body and its language, the extractors that
//! answer bad input with that body, the layers every API call passes (cross-site check,
//! language, body limit, tracing) and the state handlers share. The areas' routes are written
//! against this module and merged by `crate::app::startup`.

pub mod cookies;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod proxies;
pub mod state;

pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiQuery, ClientAddress, IdPath};
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::trace::TraceLayer;

/// The largest body the API reads: a partner's notes are at most 10,000 characters.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The longest address (path and query) the API reads: a search is at most 100 characters.
pub const URI_LIMIT_BYTES: usize = 8 * 1024;

/// The layers of the API router. In-process calls made during SSR go through them too, so
/// they sit on the API router itself, not on the outer one.
pub fn with_layers(router: Router<AppState>) -> Router<AppState> {
    router
        .layer(axum::middleware::from_fn(
            middleware::csrf::refuse_cross_site_writes,
        ))
        .layer(axum::middleware::from_fn(
            middleware::limits::refuse_long_uris,
        ))
        .layer(axum::middleware::from_fn(middleware::language::choose))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(TraceLayer::new_for_http())
}
