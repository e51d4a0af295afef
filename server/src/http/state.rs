//! What every handler can reach.

use std::sync::Arc;

use axum::http::HeaderMap;

use crate::core::Context;

#[derive(Clone)]
pub struct AppState {
    /// What services work with.
    pub ctx: Context,
    /// Cookies are marked `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<super::proxies::TrustedProxies>,
    /// State an area's routes keep for themselves, by type (staff keeps the callers it
    /// signed in moments ago, `areas::staff::caller::RecentCallers`). A type map, so that this
    /// layer names no area: the areas depend on `http`, never the other way.
    pub extensions: Arc<axum::http::Extensions>,
}

impl AppState {
    /// Whether this request reached us over https (directly, or through a proxy that says so).
    pub fn served_over_https(&self, headers: &HeaderMap) -> bool {
        self.secure_cookies
            || headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https")
    }
}

impl AppState {
    /// The area state of type `T`, put there by `crate::app::startup`.
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.extensions.get::<T>()
    }
}
