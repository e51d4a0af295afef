//! The language of the API's messages for people (field errors, duplicates): the reader's, so
//! the UI can show a server-side refusal beside its field as it shows its own checks. It is the
//! UI's language cookie when there is one (the user's choice), else the first language of
//! `Accept-Language`, else English. Codes and field names never change with it.

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use shared::auth::Language;

use crate::auth::current_user::cookie_in;

tokio::task_local! {
    static LANGUAGE: Language;
}

/// Middleware: answers the request in its reader's language.
pub async fn choose(request: Request, next: Next) -> Response {
    let language = of(request.headers());
    LANGUAGE.scope(language, next.run(request)).await
}

/// The language of the request being answered (English outside one).
pub fn current() -> Language {
    LANGUAGE.try_with(|language| *language).unwrap_or_default()
}

fn of(headers: &HeaderMap) -> Language {
    if let Some(language) =
        cookie_in(headers, web::prefs::LANGUAGE_COOKIE).and_then(Language::parse)
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
