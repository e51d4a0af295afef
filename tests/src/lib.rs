//! Test harness: every test gets its own app on a free port and its own database.
//!
//! The database is a fresh SQLite file in a temp folder, or, when `LIAISON_TEST_DATABASE`
//! names a PostgreSQL server (`postgres://postgres@127.0.0.1:5432`), a freshly created
//! database on it that is dropped afterwards. `cargo xtask test` runs the suite both ways.
//!
//! Migrations run once per test process, into a template: each test's database is a copy of
//! the migrated SQLite file, or a PostgreSQL database created `TEMPLATE` it. Passwords are
//! hashed with argon2's cheapest parameters (`Passwords::fast_for_tests`).

use std::net::{IpAddr, SocketAddr};

use std::sync::Arc;

use anyhow::Context;
use liaison::app::config::Settings;
use liaison::app::startup::{Application, Seams};
use liaison::areas::staff::users::{self, NewUser};
use liaison::core::clock::ShiftedClock;
use liaison::core::password::Passwords;
use liaison::core::{Actor, Db};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use shared::auth::Role;
use tokio::sync::OnceCell;

pub mod browser;
pub mod client;
pub mod fixtures;

/// The migrated template of this test process: a SQLite file, or a PostgreSQL database name.
enum Template {
    Sqlite(std::path::PathBuf, #[allow(dead_code)] tempfile::TempDir),
    Postgres(String),
}

static TEMPLATE: OnceCell<Template> = OnceCell::const_new();

fn postgres_server() -> Option<String> {
    std::env::var("LIAISON_TEST_DATABASE")
        .ok()
        .filter(|url| url.starts_with("postgres"))
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// The template, migrated on first use. On PostgreSQL it outlives the process and is shared
/// by later runs: its name carries the migrations' names, so a new migration makes a new one.
async fn template() -> anyhow::Result<&'static Template> {
    TEMPLATE
        .get_or_try_init(|| async {
            match postgres_server() {
                Some(server) => postgres_template(&server).await.map(Template::Postgres),
                None => {
                    let dir = tempfile::tempdir()?;
                    let file = dir.path().join("template.db");
                    let url = format!("sqlite://{}", file.display());
                    let db = liaison::store::open(&url, 1).await?;
                    db.close().await?;
                    Ok(Template::Sqlite(file, dir))
                }
            }
        })
        .await
}

async fn postgres_template(server: &str) -> anyhow::Result<String> {
    use migrations::MigratorTrait;
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for migration in migrations::Migrator::migrations() {
        migration.name().hash(&mut hasher);
    }
    let name = format!("liaison_template_{:016x}", hasher.finish());
    let admin = Database::connect(format!("{server}/postgres"))
        .await
        .context("connecting to PostgreSQL's maintenance database")?;
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ))
        .await?
        .is_some();
    if !exists {
        // Built under a name of its own and renamed when whole, so a run that dies midway
        // leaves no half-migrated template, and two runs never share a half-built one.
        let building = format!("liaison_building_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {building}"))
            .await?;
        let db = liaison::store::open(&format!("{server}/{building}"), 1).await?;
        db.close().await?;
        if admin
            .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await
            .is_err()
        {
            // Another run finished its template first.
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building}"))
                .await?;
        }
    }
    admin.close().await?;
    Ok(name)
}

/// A database only this test uses.
pub struct TestDb {
    pub url: String,
    /// Keeps the SQLite folder alive; removed on drop.
    _dir: Option<tempfile::TempDir>,
    /// For PostgreSQL: the server URL and database name to drop afterwards.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A migrated database: a copy of the process's template.
    pub async fn migrated() -> anyhow::Result<Self> {
        match template().await? {
            Template::Postgres(template) => {
                let server = postgres_server().context("the PostgreSQL server")?;
                Self::postgres(&server, &format!("TEMPLATE {template}")).await
            }
            Template::Sqlite(file, _) => {
                let dir = tempfile::tempdir()?;
                let copy = dir.path().join("liaison.db");
                std::fs::copy(file, &copy).context("copying the template database")?;
                Ok(TestDb {
                    url: format!("sqlite://{}", copy.display()),
                    _dir: Some(dir),
                    postgres: None,
                })
            }
        }
    }

    async fn postgres(server: &str, options: &str) -> anyhow::Result<Self> {
        let name = format!("liaison_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(format!("{server}/postgres"))
            .await
            .context("connecting to PostgreSQL's maintenance database")?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name} {options}"))
            .await?;
        admin.close().await?;
        Ok(TestDb {
            url: format!("{server}/{name}"),
            _dir: None,
            postgres: Some((server.to_owned(), name)),
        })
    }

    /// An empty database, with no migrations applied.
    pub async fn new() -> anyhow::Result<Self> {
        match postgres_server() {
            Some(server) => Self::postgres(&server, "").await,
            None => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
                Ok(TestDb {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                })
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The SQLite file, when the test runs on SQLite.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.url
            .strip_prefix("sqlite://")
            .map(std::path::PathBuf::from)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = Database::connect(format!("{server}/postgres")).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await
            })?;
            Ok::<(), anyhow::Error>(())
        })
        .join();
    }
}

/// A staff user a test made, with the password to sign in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub email: String,
    pub password: String,
    pub role: Role,
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    /// The app's clock: the real time until a test moves it (`app.clock.jump_to(…)`).
    pub clock: Arc<ShiftedClock>,
    /// The test's own connection to the app's database, for arranging data and checking it.
    pub db: DatabaseConnection,
    /// The server's own pool (closing it takes the app's database away).
    pub server_db: DatabaseConnection,
    /// `Option` only so [`TestApp::stop`] can hand the database on; always `Some` before.
    test_db: Option<TestDb>,
    server: Option<ServerThread>,
}

/// The app runs on its own thread and runtime, like a separate process: with the worker stack
/// size of the real binary, and untouched by the test's runtime.
struct ServerThread {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl ServerThread {
    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }
}

pub fn settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        log: "warn".into(),
        ..Settings::default()
    }
}

/// The app on a free port with a fresh database.
pub async fn spawn_app() -> TestApp {
    let test_db = TestDb::migrated()
        .await
        .expect("creating the test database");
    spawn_app_on(test_db).await
}

/// The app on a free port with the given database (to restart an app on the same data).
pub async fn spawn_app_on(test_db: TestDb) -> TestApp {
    spawn_app_tuned(test_db, |_| {}).await
}

/// [`spawn_app_on`] with settings changed by `tune` (connection limits, timeouts).
pub async fn spawn_app_tuned(test_db: TestDb, tune: fn(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        liaison::app::telemetry::init("info");
    }
    let clock = Arc::new(ShiftedClock::default());
    let (server, port, server_db) = start_server(test_db.url.clone(), clock.clone(), tune).await;
    let db = liaison::store::connect(&test_db.url, 2)
        .await
        .expect("connecting the test to the database");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        clock,
        db,
        server_db,
        test_db: Some(test_db),
        server: Some(server),
    }
}

/// A server on its own thread and runtime, on a free port, with the database at `url`.
async fn start_server(
    url: String,
    clock: Arc<ShiftedClock>,
    tune: fn(&mut Settings),
) -> (ServerThread, u16, DatabaseConnection) {
    let (ready_tx, ready_rx) =
        tokio::sync::oneshot::channel::<anyhow::Result<(u16, DatabaseConnection)>>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_stack_size(liaison::app::cli::SERVER_THREAD_STACK)
            .enable_all()
            .build()
            .expect("building the server runtime");
        runtime.block_on(async move {
            let built = async {
                let mut settings = settings(&url);
                tune(&mut settings);
                let db = liaison::store::open(&settings.database_url, settings.pool_size()).await?;
                let seams = Seams {
                    clock: Some(clock),
                    mailer: None,
                    passwords: Some(Passwords::fast_for_tests()),
                };
                Application::build_with(settings, db, seams).await
            };
            let app = match built.await {
                Ok(app) => app,
                Err(error) => {
                    let _ = ready_tx.send(Err(error));
                    return;
                }
            };
            let _ = ready_tx.send(Ok((app.port(), app.state().ctx.db.connection().clone())));
            // Stopping is abrupt, like a process exit: no waiting for idle keep-alive clients.
            tokio::select! {
                _ = app.run_until(std::future::pending()) => {}
                _ = stop_rx => {}
            }
        });
        runtime.shutdown_background();
    });
    let (port, server_db) = ready_rx
        .await
        .expect("the server thread ended")
        .expect("building the app");
    let server = ServerThread {
        stop: stop_tx,
        thread,
    };
    (server, port, server_db)
}

/// Another instance of the app on the same database, as a second process would be.
pub struct OtherInstance {
    pub address: String,
    server: Option<ServerThread>,
}

impl OtherInstance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

impl Drop for OtherInstance {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn is_postgres(&self) -> bool {
        self.test_db.as_ref().is_some_and(TestDb::is_postgres)
    }

    /// The app's SQLite file, when the test runs on SQLite.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.test_db.as_ref().and_then(TestDb::sqlite_file)
    }

    /// Starts a second instance on this app's database.
    pub async fn another_instance(&self) -> OtherInstance {
        let url = self.test_db.as_ref().expect("a running app").url.clone();
        let (server, port, _) = start_server(url, self.clock.clone(), |_| {}).await;
        OtherInstance {
            address: format!("http://127.0.0.1:{port}"),
            server: Some(server),
        }
    }

    /// Stops the server, keeping the database, as a process exit would.
    pub async fn stop(mut self) -> TestDb {
        if let Some(server) = self.server.take() {
            tokio::task::spawn_blocking(move || server.stop())
                .await
                .ok();
        }
        self.db.clone().close().await.ok();
        self.test_db.take().expect("the database is handed on once")
    }

    /// A service context on the test's own connection, as the server's would be.
    /// A service context on the test's own connection, with the server's clock.
    pub fn ctx(&self) -> liaison::core::Context {
        liaison::core::Context {
            passwords: Passwords::fast_for_tests(),
            clock: self.clock.clone(),
            ..liaison::core::Context::new(Db::new(self.db.clone()))
        }
    }

    pub async fn add_user(&self, role: Role) -> TestUser {
        let email = format!(
            "{}-{}@example.com",
            role.as_str(),
            uuid::Uuid::new_v4().simple()
        );
        let password = "correct horse battery staple".to_owned();
        users::create(
            &self.ctx(),
            &Actor::System("test"),
            NewUser {
                email: email.clone(),
                name: format!("Test {}", role.as_str()),
                role,
                password: password.clone(),
            },
        )
        .await
        .expect("creating a test user");
        TestUser {
            email,
            password,
            role,
        }
    }

    /// A new HTTP client with its own cookie jar, not signed in.
    pub fn client(&self) -> Api {
        Api::new(&self.address, None)
    }

    /// A client signed in as a new user of this role.
    pub async fn signed_in(&self, role: Role) -> (Api, TestUser) {
        let user = self.add_user(role).await;
        let api = self.client();
        let response = api.login(&user.email, &user.password).await;
        assert_eq!(response.status, 200, "signing in: {}", response.body);
        (api, user)
    }
}

/// A JSON client for `/api/v1` with a cookie jar.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

/// A response read whole: status, headers, JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The field names a 422 complains about.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["error"]["fields"]
            .as_object()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A `Set-Cookie` header of this reply by cookie name, whole (`name=value; attributes`).
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

impl Api {
    /// `from` picks the source address (any of 127.0.0.0/8), to look like another client.
    pub fn new(base: &str, from: Option<IpAddr>) -> Self {
        let mut builder = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(address) = from {
            builder = builder.local_address(address);
        }
        Api {
            base: base.to_owned(),
            http: builder.build().expect("building the HTTP client"),
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("sending the request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(self.http.patch(self.url(path)).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.http.delete(self.url(path))).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post("/auth/login", json!({"email": email, "password": password}))
            .await
    }

    /// Creates a partner and returns its JSON; panics unless 201.
    pub async fn create_partner(&self, body: Value) -> Value {
        let reply = self.post("/partners", body).await;
        assert_eq!(reply.status, 201, "creating a partner: {}", reply.body);
        reply.body
    }
}
