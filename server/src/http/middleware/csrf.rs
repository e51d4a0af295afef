//! Refuses cross-site writes. Cookies ride along on a request another site makes the browser
//! send, so an unsafe method must come from our own origin. Browsers say where a request came
//! from (`Sec-Fetch-Site`, else `Origin`); a request with neither (curl, scripts) is not a
//! browser's cross-site request. Requests with a well-formed bearer token carry no ambient
//! credentials and pass; any other `Authorization` scheme does not (a browser can send Basic
//! or Negotiate by itself, with the cookie beside it).

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::ApiError;
use crate::http::cookies::bearer_token;

pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    if is_unsafe(request.method()) && is_cross_site(request.headers()) {
        return ApiError::CrossSite.into_response();
    }
    next.run(request).await
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    // The caller is then the token's, never the cookie's (`Caller`).
    if bearer_token(headers).is_some() {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        return origin == "null" || !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn judges_origin() {
        assert!(!is_cross_site(&headers(&[])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://crm.example.com"),
            ("host", "crm.example.com")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "crm.example.com")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("authorization", "Bearer x"),
            ("sec-fetch-site", "cross-site")
        ])));
        for other in ["Basic dXNlcjpwYXNz", "Negotiate YIIB", "Bearer ", "Bearer"] {
            let mut map = headers(&[("sec-fetch-site", "cross-site")]);
            map.insert("authorization", HeaderValue::from_static(other));
            assert!(is_cross_site(&map), "{other}");
        }
    }
}
