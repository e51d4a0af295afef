//! Security headers on every answer of the server (pages, API, assets, docs):
//!
//! - `Content-Security-Policy`: pages get [`page_policy`] with their own nonce (the SSR layer
//!   sets it; the hydration scripts carry the same nonce), so no inline script runs without
//!   it; any other HTML (the API docs) gets [`DEFAULT_POLICY`]. Scripts come only from the
//!   server itself (nothing from a CDN: the UI works from mainland China).
//! - `frame-ancestors 'none'` and `X-Frame-Options: DENY`: no framing (clickjacking).
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
//! - `Cache-Control: no-store` on API answers and pages (they are full of contact data) unless
//!   the handler chose a policy itself (the browser bundle and stylesheet do).

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// What every HTML answer without a nonce of its own may load: the server's own scripts,
/// styles (inline ones too: Swagger UI sets them) and images.
pub const DEFAULT_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A page's policy: its inline hydration scripts run by their nonce; the WebAssembly bundle
/// needs `wasm-unsafe-eval` to be compiled (it allows WebAssembly, not JavaScript `eval`).
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn secure(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add_headers(response.headers_mut());
    response
}

fn add_headers(headers: &mut HeaderMap) {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is_html = content_type.starts_with("text/html");
    let is_json = content_type.starts_with("application/json");
    if is_html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_POLICY),
        );
    }
    if (is_html || is_json) && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_gets_a_policy_and_no_store_unless_it_has_its_own() {
        let mut page = HeaderMap::new();
        page.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        add_headers(&mut page);
        assert_eq!(page[header::CONTENT_SECURITY_POLICY], DEFAULT_POLICY);
        assert_eq!(page[header::CACHE_CONTROL], "no-store");
        assert_eq!(page[header::X_FRAME_OPTIONS], "DENY");

        let mut asset = HeaderMap::new();
        asset.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css"));
        asset.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("max-age=3600"),
        );
        add_headers(&mut asset);
        assert!(!asset.contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(asset[header::CACHE_CONTROL], "max-age=3600");
        assert_eq!(asset[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }

    #[test]
    fn a_page_policy_names_its_nonce_and_no_unsafe_inline_script() {
        let policy = page_policy("abc123");
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(scripts.contains("'nonce-abc123'"));
        assert!(!scripts.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
