//! Who is calling the API: a bearer token (`Authorization: Bearer lia_…`) or the session
//! cookie, looked up in the database (sessions survive restarts and work across instances), as
//! an [`Actor`] for the services.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shared::auth::Me;
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::sessions::{self, Credential, SignedIn};
use crate::core::actor::StaffUser;
use crate::core::{Actor, Error, secret};
use crate::http::cookies::{bearer_token, cookie_in};
use crate::http::{ApiError, AppState};
use crate::platform::ttl_cache::TtlCache;

/// A signed-in staff user and how they signed in. Extracting it answers 401 when nobody is.
#[derive(Debug, Clone)]
pub struct Caller {
    /// What services are told: `Actor::Staff` of [`Caller::user`].
    pub actor: Actor,
    pub user: StaffUser,
    pub credential: Credential,
}

impl Caller {
    pub fn new(SignedIn { user, credential }: SignedIn) -> Self {
        Self {
            actor: Actor::Staff(user.clone()),
            user,
            credential,
        }
    }

    pub fn me(&self) -> Me {
        me_of(&self.user)
    }
}

pub fn me_of(user: &StaffUser) -> Me {
    Me {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        locale: user.locale,
        time_zone: user.time_zone.clone(),
    }
}

/// Shared by the in-process API calls that render one page (`crate::ssr`): they all carry the
/// page request's credentials, so the first call looks the caller up and the rest reuse it.
/// Only the server can put it on a request (extensions do not come over the wire).
#[derive(Clone, Default)]
pub struct PageCaller(Arc<OnceCell<Option<Caller>>>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let caller = match parts.extensions.get::<PageCaller>().cloned() {
            Some(PageCaller(caller)) => caller
                .get_or_try_init(|| look_up(parts, state))
                .await?
                .clone(),
            None => look_up(parts, state).await?,
        };
        let caller = caller.ok_or(Error::Unauthenticated)?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// Callers signed in moments ago, by credential, so a burst of requests (search as you type,
/// a page and the calls it makes once hydrated) looks the session up once, not once a request.
/// Two seconds at most: sign-out and changes to the user made through this server take effect
/// at once ([`RecentCallers::forget_token`], [`RecentCallers::forget_user`]); made through
/// another instance sharing the database, within those two seconds.
pub struct RecentCallers(TtlCache<(bool, String), Caller>);

impl Default for RecentCallers {
    fn default() -> Self {
        Self(TtlCache::new(Duration::from_secs(2), 10_000))
    }
}

impl RecentCallers {
    /// This app's, kept in its state's extensions.
    pub fn of(state: &AppState) -> Result<&RecentCallers, Error> {
        state
            .extension::<Arc<RecentCallers>>()
            .map(Arc::as_ref)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("the app state has no RecentCallers")))
    }

    /// After sign-out: the session's token hash.
    pub fn forget_token(&self, token_hash: &str) {
        self.0.forget(&(false, token_hash.to_owned()));
    }

    /// After an API token is revoked: its hash.
    pub fn forget_api_token(&self, token_hash: &str) {
        self.0.forget(&(true, token_hash.to_owned()));
    }

    /// After a change to the user (their preferences, role, or the user removed).
    pub fn forget_user(&self, id: Uuid) {
        self.0.forget_where(|caller| caller.user.id == id);
    }
}

async fn look_up(parts: &Parts, state: &AppState) -> Result<Option<Caller>, Error> {
    // Keyed by (is an API token, digest of the secret): never the secret itself.
    let (key, token) = if let Some(token) = bearer_token(&parts.headers) {
        ((true, secret::digest(token)), token)
    } else if let Some(token) = cookie_in(
        &parts.headers,
        // With an https public address only the `__Host-` cookie counts: a plain one may have
        // been planted by a sibling subdomain.
        shared::cookies::session(state.secure_cookies),
    ) {
        ((false, secret::digest(token)), token)
    } else {
        return Ok(None);
    };
    let recent = RecentCallers::of(state)?;
    if let Some(caller) = recent.0.get(&key) {
        return Ok(Some(caller));
    }
    let signed_in = if key.0 {
        sessions::for_api_token(&state.ctx, token).await?
    } else {
        sessions::for_session(&state.ctx, token).await?
    };
    let caller = signed_in.map(Caller::new);
    if let Some(caller) = &caller {
        recent.0.put(key, caller.clone());
    }
    Ok(caller)
}
