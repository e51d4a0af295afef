//! The UI host: renders Leptos pages on the server and serves the browser bundle and styles
//! from inside the binary (no CDN, no files beside it).
//!
//! Pages get their data through `/api/v1` like the browser does: the [`web::api::SsrTransport`]
//! given to each render calls the API router in process with the page request's cookie.

pub mod guards;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, generate_route_list, render_app_to_stream_with_context,
};
use tower::ServiceExt;
use web::api::{RawResponse, SsrTransport};

use crate::areas::staff::caller::PageCaller;
use guards::render_to_end::RenderToEndLayer;

/// A file of the browser bundle, embedded at build time (see `build.rs`).
pub struct Asset {
    pub path: &'static str,
    pub raw: &'static [u8],
    pub gzip: &'static [u8],
    pub etag: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/pkg_assets.rs"));

const STYLE: &str = include_str!("../../../web/style/main.css");
const FAVICON: &str = include_str!("../../../web/style/favicon.svg");

/// True when the binary carries the browser bundle; without it pages render but stay static.
pub fn has_browser_bundle() -> bool {
    PKG.iter().any(|asset| asset.path.ends_with(".wasm"))
}

fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("web")
        .site_root("site")
        .site_pkg_dir("pkg")
        .build()
}

pub fn router(api: Router) -> Router {
    if !has_browser_bundle() {
        tracing::warn!(
            "built without the browser bundle: pages will not be interactive (build with `cargo xtask dist`)"
        );
    }
    // Before `leptos_axum` installs Tokio's executor for want of any.
    guards::page_tasks::install_executor();
    let options = leptos_options();
    // Runs once per page request: the page's API calls share one caller lookup.
    let context = move || {
        // The page's scripts carry this request's nonce (Leptos made it just before this
        // runs); the policy names it.
        if let (Some(nonce), Some(response)) = (
            leptos::nonce::use_nonce(),
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        ) && let Ok(policy) = HeaderValue::from_str(
            &crate::http::middleware::headers::page_policy(&nonce.to_string()),
        ) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
        }
        let api = api.clone();
        let caller = PageCaller::default();
        provide_context(SsrTransport(Arc::new(
            move |mut request: http::Request<String>| {
                request.extensions_mut().insert(caller.clone());
                let api = api.clone();
                Box::pin(async move { call_api(api, request).await })
            },
        )));
    };
    let not_found = render_app_to_stream_with_context(context.clone(), {
        let options = options.clone();
        move || web::shell(options.clone())
    });
    let routes = page_routes();
    Router::new()
        .route("/pkg/{file}", get(bundle_file))
        .route(
            "/assets/style.css",
            get(|| async { text_asset(STYLE, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/favicon.svg",
            get(|| async { text_asset(FAVICON, "image/svg+xml") }),
        )
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || web::shell(options.clone())
        })
        .fallback(move |request: Request| {
            let render = not_found.clone();
            async move {
                let mut response = render(request).await;
                *response.status_mut() = StatusCode::NOT_FOUND;
                response
            }
        })
        .with_state(options)
        .layer(axum::middleware::map_response(redirect_every_client))
        // Outermost, so that it also holds the fallback's renders.
        .layer(RenderToEndLayer)
}

/// A page that redirects (`<Redirect>`, e.g. an anonymous visitor sent to `/login`) answers
/// 302 whoever asks. Leptos sets 302 only for requests that accept `text/html` and otherwise
/// marks the answer for its server-function client (a 200 with `serverfnredirect`); this app
/// has no server functions, so crawlers and scripts got a 200 page.
async fn redirect_every_client(mut response: Response) -> Response {
    if response.headers_mut().remove("serverfnredirect").is_some()
        && response.headers().contains_key(header::LOCATION)
    {
        *response.status_mut() = StatusCode::FOUND;
    }
    response
}

/// The UI's routes, found once per process.
///
/// Leptos finds them by rendering the app with resource loading switched off, and that switch
/// is one flag for the whole process (`leptos_server::SuppressResourceLoad`). A page that another
/// app in the same process rendered meanwhile had its resources wait forever, so its response
/// never came. Finding them once, before any app in the process serves a page, means no render
/// can overlap the search.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(web::App)).clone()
}

async fn call_api(api: Router, request: http::Request<String>) -> RawResponse {
    let response = match api.oneshot(request.map(Body::from)).await {
        Ok(response) => response,
        Err(infallible) => match infallible {},
    };
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .map(|bytes| {
            // The API writes UTF-8 JSON; `Vec::from` takes the buffer over without a copy.
            String::from_utf8(Vec::from(bytes))
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
        .unwrap_or_default();
    RawResponse { status, body }
}

fn text_asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

async fn bundle_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = PKG.iter().find(|asset| asset.path == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(asset.etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let content_type = match file.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    };
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut response = if gzip_ok { asset.gzip } else { asset.raw }.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    // Not content-hashed names: revalidate each time, answered cheaply by the ETag.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip_ok {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}
