//! The reader's language and time zone, known before anything renders.
//!
//! They live in two small cookies (`liaison_lang`, `liaison_tz`) that the API sets at sign-in
//! and whenever the user changes them (the user's record stays the truth). The server reads them
//! from the page request, the browser from `document.cookie`, so both render the same page and
//! hydration matches; no request has to finish first.

use leptos::prelude::*;
use shared::auth::Language;

use shared::cookies::{LANGUAGE as LANGUAGE_COOKIE, TIME_ZONE as TIME_ZONE_COOKIE};

/// The reader's time zone, given by the app.
#[derive(Debug, Clone)]
pub struct TimeZone(pub String);

pub fn use_time_zone() -> String {
    use_context::<TimeZone>()
        .map(|z| z.0)
        .unwrap_or_else(|| shared::DEFAULT_TIME_ZONE.to_owned())
}

pub fn language() -> Language {
    cookie(LANGUAGE_COOKIE)
        .and_then(|v| Language::parse(&v))
        .unwrap_or_default()
}

pub fn time_zone() -> String {
    cookie(TIME_ZONE_COOKIE)
        .filter(|zone| shared::auth::SUPPORTED_TIME_ZONES.contains(&zone.as_str()))
        .unwrap_or_else(|| shared::DEFAULT_TIME_ZONE.to_owned())
}

/// Keeps a language chosen in this browser (also before signing in).
pub fn remember_language(language: Language) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
        if let Some(document) = document {
            let _ = document.set_cookie(&format!(
                "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                language.as_str()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = language;
}

fn find(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.replace("%2F", "/"))
}

#[cfg(feature = "ssr")]
fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| find(header, name))
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn cookie(name: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?;
    find(&document.cookie().ok()?, name)
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn cookie(name: &str) -> Option<String> {
    let _ = (name, find);
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn reads_a_cookie_among_others() {
        let header = "liaison_session=abc; liaison_lang=zh-CN; liaison_tz=Europe%2FLondon";
        assert_eq!(find(header, "liaison_lang").as_deref(), Some("zh-CN"));
        assert_eq!(find(header, "liaison_tz").as_deref(), Some("Europe/London"));
        assert_eq!(find(header, "missing"), None);
    }
}
