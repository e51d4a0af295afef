//! What every handler can reach.

use std::sync::Arc;

use axum::http::HeaderMap;

use crate::areas::staff::caller::RecentCallers;
use crate::core::Context;

#[derive(Clone)]
pub struct AppState {
    /// What services work with.
    pub ctx: Context,
    /// Cookies are marked `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// Callers signed in moments ago (see [`RecentCallers`]).
    pub recent_callers: Arc<RecentCallers>,
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
