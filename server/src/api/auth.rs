//! Sign-in, sign-out and the current user.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::auth::{LoginRequest, Me, MePatch};

use super::ClientAddress;
use super::extract::ApiJson;
use crate::auth::current_user::Credential;
use crate::auth::{CurrentUser, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::services::{sessions, users};
use crate::state::AppState;

fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn served_over_https(state: &AppState, headers: &HeaderMap) -> bool {
    state.settings.secure_cookies()
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https")
}

/// Sign in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = shared::ErrorBody),
              (status = 429, body = shared::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    if body.email.trim().is_empty() || body.password.is_empty() {
        return Err(ApiError::field(
            if body.email.trim().is_empty() {
                "email"
            } else {
                "password"
            },
            "is required",
        ));
    }
    let (user, token) = sessions::login(&state.db, &body.email, &body.password, &address).await?;
    let ttl = sessions::SESSION_TTL.num_seconds();
    let cookie = session_cookie(&token, ttl, served_over_https(&state, &headers));
    Ok(([(SET_COOKIE, cookie)], Json(user.me())).into_response())
}

/// Sign out: deletes the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = shared::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> ApiResult<Response> {
    if let Credential::Session { token_hash } = &user.credential {
        sessions::close_session(&state.db, token_hash).await?;
    }
    let cookie = session_cookie("", 0, served_over_https(&state, &headers));
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = shared::ErrorBody)))]
pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(user.me())
}

/// Change one's own language or time zone.
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = MePatch,
    responses((status = 200, body = Me), (status = 422, body = shared::ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(patch): ApiJson<MePatch>,
) -> ApiResult<Json<Me>> {
    Ok(Json(users::update_me(&state.db, &user, patch).await?))
}
