//! Cookie names: part of the HTTP contract between the API (which sets them) and the UI (which
//! reads the two preference cookies before anything renders).

/// The staff session (HttpOnly), when served over plain http (a laptop, a test).
pub const SESSION: &str = "liaison_session";
/// The staff session when served over https: the `__Host-` prefix makes the browser refuse it
/// unless it is `Secure`, for `Path=/` and without a `Domain`, so a sibling subdomain cannot
/// plant one (cookie tossing).
pub const SECURE_SESSION: &str = "__Host-liaison_session";

/// The session cookie's name: [`SECURE_SESSION`] over https, else [`SESSION`].
pub fn session(secure: bool) -> &'static str {
    if secure { SECURE_SESSION } else { SESSION }
}
/// The reader's language, readable by the page's script.
pub const LANGUAGE: &str = "liaison_lang";
/// The reader's time zone, readable by the page's script.
pub const TIME_ZONE: &str = "liaison_tz";
