//! The `CurrentUser` extractor: a bearer token (`Authorization: Bearer lia_…`) or the session
//! cookie, looked up in the database on every request, so sessions survive restarts and work
//! across instances.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use shared::auth::{Language, Me, Role};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::services::sessions;
use crate::state::AppState;
use crate::ttl_cache::TtlCache;

use super::{SESSION_COOKIE, secret};

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The session with this token hash.
    Session {
        token_hash: String,
    },
    ApiToken,
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Language,
    pub time_zone: String,
    pub credential: Credential,
}

impl CurrentUser {
    /// Refuses a viewer's write with 403.
    pub fn require_writer(&self) -> ApiResult<()> {
        if self.role.can_write_crm() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Viewers can look but not change anything.",
            ))
        }
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            locale: self.locale,
            time_zone: self.time_zone.clone(),
        }
    }
}

/// Shared by the in-process API calls that render one page (`crate::ssr`): they all carry the
/// page request's credentials, so the first call looks the caller up and the rest reuse it.
/// Only the server can put it on a request (extensions do not come over the wire).
#[derive(Clone, Default)]
pub struct PageCaller(Arc<OnceCell<Option<CurrentUser>>>);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let user = match parts.extensions.get::<PageCaller>().cloned() {
            Some(PageCaller(caller)) => caller
                .get_or_try_init(|| look_up(parts, state))
                .await?
                .clone(),
            None => look_up(parts, state).await?,
        };
        let user = user.ok_or(ApiError::Unauthenticated)?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// Callers signed in moments ago, by credential, so a burst of requests (search as you type,
/// a page and the calls it makes once hydrated) looks the session up once, not once a request.
/// Two seconds at most: sign-out and changes to the user made through this server take effect
/// at once ([`RecentCallers::forget_token`], [`RecentCallers::forget_user`]); made through
/// another instance sharing the database, within those two seconds.
pub struct RecentCallers(TtlCache<(bool, String), CurrentUser>);

impl Default for RecentCallers {
    fn default() -> Self {
        Self(TtlCache::new(Duration::from_secs(2), 10_000))
    }
}

impl RecentCallers {
    /// After sign-out: the session's token hash.
    pub fn forget_token(&self, token_hash: &str) {
        self.0.forget(&(false, token_hash.to_owned()));
    }

    /// After a change to the user (their preferences, role, or the user removed).
    pub fn forget_user(&self, id: Uuid) {
        self.0.forget_where(|user| user.id == id);
    }
}

async fn look_up(parts: &Parts, state: &AppState) -> ApiResult<Option<CurrentUser>> {
    // Keyed by (is an API token, digest of the secret): never the secret itself.
    let (key, token) = if let Some(token) = bearer_token(parts) {
        ((true, secret::digest(token)), token)
    } else if let Some(token) = cookie(parts, SESSION_COOKIE) {
        ((false, secret::digest(token)), token)
    } else {
        return Ok(None);
    };
    if let Some(user) = state.recent_callers.0.get(&key) {
        return Ok(Some(user));
    }
    let user = if key.0 {
        sessions::user_for_api_token(&state.db, token).await?
    } else {
        sessions::user_for_session(&state.db, token).await?
    };
    if let Some(user) = &user {
        state.recent_callers.0.put(key, user.clone());
    }
    Ok(user)
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The value of a cookie, from any of the request's `Cookie` headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// The value of a cookie among these headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
