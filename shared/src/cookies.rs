//! Cookie names: part of the HTTP contract between the API (which sets them) and the UI (which
//! reads the two preference cookies before anything renders).

/// The staff session (HttpOnly).
pub const SESSION: &str = "liaison_session";
/// The reader's language, readable by the page's script.
pub const LANGUAGE: &str = "liaison_lang";
/// The reader's time zone, readable by the page's script.
pub const TIME_ZONE: &str = "liaison_tz";
