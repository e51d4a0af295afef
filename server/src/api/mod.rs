//! `/api/v1`: the one door. The browser, SSR (in process) and scripts all come through this
//! router, so its layers (auth, cross-site check, tracing, body limit) apply to every caller.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::trace::TraceLayer;

use crate::auth::csrf;
use crate::error::ApiError;
use crate::state::AppState;

pub mod activities;
pub mod auth;
pub mod contacts;
pub mod extract;
pub mod language;
pub mod openapi;
pub mod partners;
pub mod users;

/// The API router, with full paths (`/api/v1/...`), so the SSR transport can call it as is.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me).patch(auth::update_me))
        .route("/users", get(users::list))
        .route("/partners", get(partners::list).post(partners::create))
        .route(
            "/partners/{id}",
            get(partners::get)
                .patch(partners::update)
                .delete(partners::delete),
        )
        .route(
            "/partners/{id}/contacts",
            get(contacts::list).post(contacts::create),
        )
        .route(
            "/contacts/{id}",
            get(contacts::get)
                .patch(contacts::update)
                .delete(contacts::delete),
        )
        .route(
            "/partners/{id}/activities",
            get(activities::timeline).post(activities::log),
        )
        .route("/activities", get(activities::next_steps))
        .route(
            "/activities/{id}",
            get(activities::get).patch(activities::update),
        )
        .route("/openapi.json", get(openapi::spec))
        .fallback(|| async { ApiError::NotFound("endpoint") })
        .layer(middleware::from_fn(csrf::refuse_cross_site_writes))
        .layer(middleware::from_fn(language::choose))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    Router::new().nest(shared::API_PREFIX, v1)
}

/// The caller's network address, for sign-in rate limits. Requests made in process during SSR
/// have none and count as the loopback address.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "127.0.0.1".to_owned());
        Ok(ClientAddress(address))
    }
}
