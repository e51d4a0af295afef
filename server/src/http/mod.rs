//! `/api/v1` as HTTP: transport only. The error body and its language, the extractors that
//! answer bad input with that body, the layers every API call passes (cross-site check,
//! language, body limit, tracing) and the state handlers share. The areas' routes are written
//! against this module and merged by `crate::app::startup`.

pub mod cookies;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod state;

pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiQuery, ClientAddress, IdPath};
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::trace::TraceLayer;

/// The layers of the API router. In-process calls made during SSR go through them too, so
/// they sit on the API router itself, not on the outer one.
pub fn with_layers(router: Router<AppState>) -> Router<AppState> {
    router
        .layer(axum::middleware::from_fn(
            middleware::csrf::refuse_cross_site_writes,
        ))
        .layer(axum::middleware::from_fn(middleware::language::choose))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TraceLayer::new_for_http())
}
