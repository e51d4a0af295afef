//! Sign-in, sign-out, the current user and the staff list.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use shared::auth::{LoginRequest, Me, MePatch, UserRef};
use shared::{ErrorBody, cookies, routes as paths};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::caller::{Caller, RecentCallers};
use super::sessions::{self, Credential};
use super::users;
use crate::http::cookies::set_cookie;
use crate::http::{ApiJson, ApiResult, AppState, ClientAddress};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me, update_me))
        .routes(routes!(list_users))
}

/// The reader's language and time zone, for the UI to render with before any request
/// finishes (see `web::prefs`). Not secrets, so readable by the page's script.
fn preference_cookies(me: &Me, secure: bool) -> [HeaderValue; 2] {
    const YEAR: i64 = 31_536_000;
    [
        set_cookie(cookies::LANGUAGE, me.locale.as_str(), YEAR, false, secure),
        set_cookie(
            cookies::TIME_ZONE,
            &me.time_zone.replace('/', "%2F"),
            YEAR,
            false,
            secure,
        ),
    ]
}

/// Sign in with email and password; sets the session cookie.
#[utoipa::path(post, path = paths::LOGIN, tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let (signed_in, token) =
        sessions::login(&state.ctx, &body.email, &body.password, &address).await?;
    let secure = state.served_over_https(&headers);
    let me = super::caller::me_of(&signed_in.user);
    let [language, zone] = preference_cookies(&me, secure);
    let session = set_cookie(
        // The name follows the configured public address only, never a request's header: the
        // in-process calls of a page render must look for the same cookie.
        cookies::session(state.secure_cookies),
        &token,
        sessions::SESSION_TTL.num_seconds(),
        true,
        secure,
    );
    // Appended, not inserted: each Set-Cookie is its own header.
    let cookies = AppendHeaders([
        (SET_COOKIE, session),
        (SET_COOKIE, language),
        (SET_COOKIE, zone),
    ]);
    Ok((cookies, Json(me)).into_response())
}

/// Sign out: deletes the session and clears the cookie; with a bearer token, revokes the token.
#[utoipa::path(post, path = paths::LOGOUT, tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> ApiResult<Response> {
    // Signing out with an API token revokes it: a script that says it is done is.
    match &caller.credential {
        Credential::Session { token_hash } => {
            sessions::close_session(&*state.ctx.db, token_hash).await?;
            RecentCallers::of(&state)?.forget_token(token_hash);
        }
        Credential::ApiToken { id, token_hash } => {
            sessions::revoke_api_token(&*state.ctx.db, *id).await?;
            RecentCallers::of(&state)?.forget_api_token(token_hash);
        }
    }
    let secure = state.served_over_https(&headers);
    let cookie = set_cookie(cookies::session(state.secure_cookies), "", 0, true, secure);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

/// The signed-in user.
#[utoipa::path(get, path = paths::ME, tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(caller.me())
}

/// Change one's own language or time zone.
#[utoipa::path(patch, path = paths::ME, tag = "auth", request_body = MePatch,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    ApiJson(patch): ApiJson<MePatch>,
) -> ApiResult<Response> {
    let me = users::update_me(&state.ctx, &caller.actor, patch).await?;
    RecentCallers::of(&state)?.forget_user(caller.user.id);
    let [language, zone] = preference_cookies(&me, state.served_over_https(&headers));
    Ok((
        AppendHeaders([(SET_COOKIE, language), (SET_COOKIE, zone)]),
        Json(me),
    )
        .into_response())
}

/// All staff users (for owner pickers and filters).
#[utoipa::path(get, path = paths::USERS, tag = "users",
    responses((status = 200, body = Vec<UserRef>), (status = 401, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<UserRef>>> {
    Ok(Json(users::list(&state.ctx, &caller.actor).await?))
}
