//! Builds the whole app in a function tests can call, bound to a port they can ask for, and
//! runs it: the HTTP server and the background jobs, stopped together.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{any, get};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use super::config::Settings;
use crate::core::password::Passwords;
use crate::core::{Clock, Context, Db, Mailer};
use crate::http::{ApiError, AppState};
use crate::jobs::Runner;
use crate::{areas, http, ssr, store};

/// How long the background jobs get to stop after the server has.
pub const JOB_STOP_GRACE: Duration = Duration::from_secs(3);

/// Replacements for the context's seams, for tests.
#[derive(Default)]
pub struct Seams {
    pub clock: Option<Arc<dyn Clock>>,
    pub mailer: Option<Arc<dyn Mailer>>,
    pub passwords: Option<Passwords>,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    state: AppState,
    limits: super::serve::Limits,
}

impl Application {
    /// Connects to the database named in the settings, migrates it, and binds the address.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = store::open(&settings.database_url, settings.pool_size()).await?;
        Self::build_with(settings, db, Seams::default()).await
    }

    /// Binds the address (port 0 picks a free one) with an already migrated database and the
    /// given seams.
    pub async fn build_with(
        settings: Settings,
        db: DatabaseConnection,
        seams: Seams,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding {}", settings.addr))?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        let mut ctx = Context::new(Db::new(db));
        if let Some(clock) = seams.clock {
            ctx.clock = clock;
        }
        if let Some(mailer) = seams.mailer {
            ctx.mailer = mailer;
        }
        if let Some(passwords) = seams.passwords {
            ctx.passwords = passwords;
        }
        let state = AppState {
            ctx,
            secure_cookies: settings.secure_cookies(),
            trusted_proxies: Arc::new(settings.trusted_proxies()?),
            extensions: Arc::new({
                let mut extensions = axum::http::Extensions::new();
                extensions.insert(Arc::new(areas::staff::caller::RecentCallers::default()));
                extensions
            }),
        };
        Ok(Self {
            router: app(state.clone()),
            listener,
            port,
            state,
            limits: settings.connection_limits(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Starts the background jobs and serves until `shutdown` completes; then finishes the
    /// requests under way and stops the jobs.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let jobs = Runner::start(&self.state.ctx);
        let served = super::serve::serve(self.listener, self.router, self.limits, shutdown)
            .await
            .context("serving HTTP");
        jobs.stop(JOB_STOP_GRACE).await;
        served
    }
}

/// The API router: every area's routes, the OpenAPI document they describe, a JSON 404 for any
/// other `/api/v1` path, and the layers every call passes. Paths are full (`/api/v1/...`), so
/// the SSR transport can call it as is.
pub fn api_router(state: AppState) -> Router {
    let (router, document) = OpenApiRouter::with_openapi(http::openapi::ApiDoc::openapi())
        .merge(areas::staff::routes::routes())
        .merge(areas::partners::routes::routes())
        .merge(areas::contacts::routes::routes())
        .merge(areas::activities::routes::routes())
        .split_for_parts();
    let document = Arc::new(document);
    let router = router
        .route(
            shared::routes::OPENAPI,
            get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .route(
            &format!("{}/{{*rest}}", shared::API_PREFIX),
            any(|| async { ApiError::NoEndpoint }),
        );
    http::with_layers(router).with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The whole HTTP surface: the API, health, the UI (SSR) and its assets.
pub fn app(state: AppState) -> Router {
    let api = api_router(state.clone());
    let health = Router::new()
        .route("/healthz", get(healthz))
        .with_state(state);
    // Swagger UI's files are compiled in (`vendored`): the docs page works offline and from
    // mainland China.
    let docs = utoipa_swagger_ui::SwaggerUi::new(shared::routes::DOCS)
        .config(utoipa_swagger_ui::Config::new([shared::routes::OPENAPI]));
    Router::new()
        .merge(health)
        .merge(docs)
        .merge(ssr::router(api.clone()))
        .merge(api)
        .layer(axum::middleware::from_fn(http::middleware::headers::secure))
        .layer(compression())
}

/// Gzip for pages and JSON when the client asks for it, as browsers always do: on the bench
/// data a partner page went from 11 to 3 KiB, the next-steps page from 506 to 64 KiB and a page
/// of search results from 19 to 2 KiB, which counts on the slow links people use from mainland
/// China. The fastest level: it added about an eighth to a page's CPU; the default level
/// doubled that for files a fifth smaller.
///
/// The in-process API calls of a page render bypass it (they use the API router, not this
/// one). The browser bundle is stored gzipped already, and a response that already has a
/// `Content-Encoding` is passed through. A streamed page reaches the client once its render
/// ends rather than chunk by chunk; renders here take milliseconds. No body carries a secret
/// (the session travels in a cookie, cross-site writes are refused by header, not by a token
/// in the page), so a BREACH-style attack on compressed pages that echo input has nothing to
/// guess.
fn compression() -> CompressionLayer {
    CompressionLayer::new()
        .gzip(true)
        .quality(tower_http::CompressionLevel::Fastest)
}

/// 200 when the database answers, 503 when it does not. No auth: for load balancers.
async fn healthz(State(state): State<AppState>) -> (StatusCode, axum::Json<serde_json::Value>) {
    match state.ctx.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
            )
        }
    }
}
