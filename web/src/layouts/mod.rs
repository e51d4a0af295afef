//! Page layouts, one per kind of user: `staff` now; the partner portal gets its own.

pub mod staff;

/// A full page load: used after signing in or out, so every resource starts fresh.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
