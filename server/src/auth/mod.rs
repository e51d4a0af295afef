//! Who is asking: password hashing, secret tokens, the current-user extractor and the
//! cross-site write check.

pub mod csrf;
pub mod current_user;
pub mod password;
pub mod secret;

pub use current_user::CurrentUser;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "liaison_session";
