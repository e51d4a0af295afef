//! Sign-in, sign-out and the current user.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use shared::auth::{LoginRequest, Me, MePatch};
use shared::validate::Issue;

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

/// The reader's language and time zone, for the UI to render with before any request
/// finishes (see `web::prefs`). Not secrets, so readable by the page's script.
fn preference_cookies(me: &Me, secure: bool) -> [HeaderValue; 2] {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = |name: &str, value: &str| {
        HeaderValue::from_str(&format!(
            "{name}={value}; SameSite=Lax; Path=/; Max-Age=31536000{secure}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    };
    [
        cookie(web::prefs::LANGUAGE_COOKIE, me.locale.as_str()),
        cookie(
            web::prefs::TIME_ZONE_COOKIE,
            &me.time_zone.replace('/', "%2F"),
        ),
    ]
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
        return Err(ApiError::issue(
            if body.email.trim().is_empty() {
                "email"
            } else {
                "password"
            },
            Issue::Required,
        ));
    }
    let (user, token) = sessions::login(&state.db, &body.email, &body.password, &address).await?;
    let ttl = sessions::SESSION_TTL.num_seconds();
    let secure = served_over_https(&state, &headers);
    let me = user.me();
    let [language, zone] = preference_cookies(&me, secure);
    // Appended, not inserted: each Set-Cookie is its own header.
    let cookies = AppendHeaders([
        (SET_COOKIE, session_cookie(&token, ttl, secure)),
        (SET_COOKIE, language),
        (SET_COOKIE, zone),
    ]);
    Ok((cookies, Json(me)).into_response())
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
        state.recent_callers.forget_token(token_hash);
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
    headers: HeaderMap,
    user: CurrentUser,
    ApiJson(patch): ApiJson<MePatch>,
) -> ApiResult<Response> {
    let me = users::update_me(&state.db, &user, patch).await?;
    state.recent_callers.forget_user(user.id);
    let [language, zone] = preference_cookies(&me, served_over_https(&state, &headers));
    Ok((
        AppendHeaders([(SET_COOKIE, language), (SET_COOKIE, zone)]),
        Json(me),
    )
        .into_response())
}
