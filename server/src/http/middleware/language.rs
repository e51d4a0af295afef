//! The language of the API's messages for people (field errors, refusals): the reader's, so
//! the UI can show a server-side refusal beside its field as it shows its own checks. It is the
//! UI's language cookie when there is one (the user's choice), else the first language of
//! `Accept-Language`, else English. Codes and field names never change with it.
//!
//! Errors are written in English where they happen (see `crate::http::error`); this layer writes
//! an error's body again in the reader's language on the way out, so nothing below it needs to
//! know the language.

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::auth::Language;

use crate::http::cookies::cookie_in;
use crate::http::error::Localizable;

/// Middleware: answers errors in the reader's language, and tells handlers what it is.
pub async fn choose(mut request: Request, next: Next) -> Response {
    let language = of(request.headers());
    request.extensions_mut().insert(language);
    let mut response = next.run(request).await;
    let Some(Localizable(error)) = response.extensions_mut().remove::<Localizable>() else {
        return response;
    };
    if language == Language::En {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let localized = axum::Json(error.body(language)).into_response();
    let (fresh, body) = localized.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    for (name, value) in fresh.headers.iter() {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

pub fn of(headers: &HeaderMap) -> Language {
    if let Some(language) = cookie_in(headers, shared::cookies::LANGUAGE).and_then(Language::parse)
    {
        return language;
    }
    let first = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(|tag| {
            tag.split(';')
                .next()
                .unwrap_or(tag)
                .trim()
                .to_ascii_lowercase()
        });
    match first {
        Some(tag) if tag == "zh" || tag.starts_with("zh-") => Language::ZhCn,
        _ => Language::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_cookie_wins_then_the_browsers_first_language() {
        assert_eq!(of(&headers(&[])), Language::En);
        assert_eq!(
            of(&headers(&[("accept-language", "zh-CN,zh;q=0.9,en;q=0.8")])),
            Language::ZhCn
        );
        assert_eq!(
            of(&headers(&[("accept-language", "en-GB,zh;q=0.5")])),
            Language::En
        );
        assert_eq!(
            of(&headers(&[
                ("accept-language", "en-GB"),
                ("cookie", "liaison_session=x; liaison_lang=zh-CN")
            ])),
            Language::ZhCn
        );
        assert_eq!(
            of(&headers(&[
                ("accept-language", "zh-TW"),
                ("cookie", "liaison_lang=en")
            ])),
            Language::En
        );
    }
}
