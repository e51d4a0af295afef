//! Settings, layered: built-in defaults, then an optional TOML file (`LIAISON_CONFIG`, or
//! `liaison.toml` in the working directory if present), then environment variables, then
//! command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`. Env: `DATABASE_URL`.
    pub database_url: String,
    /// Where `liaison serve` listens. Env: `LIAISON_ADDR`.
    pub addr: SocketAddr,
    /// A tracing filter such as `info` or `liaison=debug,info`. Env: `LIAISON_LOG`.
    pub log: String,
    /// The address people use to reach Liaison. When it is https, cookies are marked `Secure`.
    /// Env: `LIAISON_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// Database pool size; `None` picks [`Settings::pool_size`]'s default for the database.
    /// Env: `LIAISON_DB_POOL`.
    pub db_pool: Option<u32>,
    /// Seconds a client has to send a request's head, and that an idle keep-alive connection
    /// stays open. Env: `LIAISON_HEADER_TIMEOUT_SECS`.
    pub header_timeout_secs: u64,
    /// Connections open at once, in all. Keep it below the process's file limit (`ulimit -n`).
    /// Env: `LIAISON_MAX_CONNECTIONS`.
    pub max_connections: usize,
    /// Connections open at once from one client address. Behind a reverse proxy every client
    /// has the proxy's address: raise it there. Env: `LIAISON_MAX_CONNECTIONS_PER_ADDRESS`.
    pub max_connections_per_address: usize,
    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For` names
    /// the client; without, the header is never read. Env: `LIAISON_TRUSTED_PROXIES`.
    pub trusted_proxies: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/liaison.db".into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            log: "info".into(),
            public_url: None,
            db_pool: None,
            header_timeout_secs: 20,
            max_connections: 4096,
            max_connections_per_address: 256,
            trusted_proxies: String::new(),
        }
    }
}

// Written by hand so the database password never reaches a log line.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_password(&self.database_url))
            .field("addr", &self.addr)
            .field("log", &self.log)
            .field("public_url", &self.public_url)
            .field("db_pool", &self.db_pool)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("max_connections", &self.max_connections)
            .field(
                "max_connections_per_address",
                &self.max_connections_per_address,
            )
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Settings {
    /// Reads the file (if any) and the environment.
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var_os("LIAISON_CONFIG")
            .map(PathBuf::from)
            .or_else(|| {
                let local = Path::new("liaison.toml");
                local.exists().then(|| local.to_path_buf())
            });
        let mut settings = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading the config file {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("parsing the config file {}", path.display()))?
            }
            None => Settings::default(),
        };
        settings.apply_env(|key| std::env::var(key).ok())?;
        Ok(settings)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(url) = var("DATABASE_URL") {
            self.database_url = url;
        }
        if let Some(addr) = var("LIAISON_ADDR") {
            self.addr = addr
                .parse()
                .with_context(|| format!("LIAISON_ADDR={addr} is not host:port"))?;
        }
        if let Some(log) = var("LIAISON_LOG") {
            self.log = log;
        }
        if let Some(url) = var("LIAISON_PUBLIC_URL") {
            self.public_url = Some(url);
        }
        if let Some(pool) = var("LIAISON_DB_POOL") {
            self.db_pool = Some(
                pool.parse()
                    .with_context(|| format!("LIAISON_DB_POOL={pool} is not a number"))?,
            );
        }
        let number = |key: &str| -> anyhow::Result<Option<usize>> {
            var(key)
                .map(|value| {
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .with_context(|| format!("{key}={value} is not a positive number"))
                })
                .transpose()
        };
        if let Some(secs) = number("LIAISON_HEADER_TIMEOUT_SECS")? {
            self.header_timeout_secs = secs as u64;
        }
        if let Some(max) = number("LIAISON_MAX_CONNECTIONS")? {
            self.max_connections = max;
        }
        if let Some(max) = number("LIAISON_MAX_CONNECTIONS_PER_ADDRESS")? {
            self.max_connections_per_address = max;
        }
        if let Some(proxies) = var("LIAISON_TRUSTED_PROXIES") {
            self.trusted_proxies = proxies;
        }
        Ok(())
    }

    /// The pool size to open. On SQLite each connection is a thread with its own page cache,
    /// and queries are CPU work: past the machine's cores, more connections only add memory
    /// and contention (on 2 cores, 2 connections served the benchmark as fast as 4, with less
    /// CPU per request and 6 MiB less memory). A PostgreSQL connection mostly waits on the
    /// network, so more of them help.
    pub fn pool_size(&self) -> u32 {
        let default = if crate::store::is_sqlite(&self.database_url) {
            std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8) as u32)
        } else {
            8
        };
        self.db_pool.unwrap_or(default).max(1)
    }

    pub fn connection_limits(&self) -> super::serve::Limits {
        super::serve::Limits {
            header_read_timeout: std::time::Duration::from_secs(self.header_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            max_connections_per_address: self.max_connections_per_address.max(1),
        }
    }

    /// The proxies to believe, checked.
    pub fn trusted_proxies(&self) -> anyhow::Result<crate::http::proxies::TrustedProxies> {
        crate::http::proxies::TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("LIAISON_TRUSTED_PROXIES: {e}"))
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_follows_the_cores_on_sqlite_unless_set() {
        let mut settings = Settings::default();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(settings.pool_size() as usize, cores.clamp(2, 8));
        settings.database_url = "postgres://db/liaison".into();
        assert_eq!(settings.pool_size(), 8);
        settings
            .apply_env(|key| (key == "LIAISON_DB_POOL").then(|| "3".into()))
            .unwrap();
        assert_eq!(settings.pool_size(), 3);
        assert!(
            settings
                .apply_env(|key| (key == "LIAISON_DB_POOL").then(|| "many".into()))
                .is_err()
        );
    }

    #[test]
    fn env_overrides_defaults() {
        let mut settings = Settings::default();
        settings
            .apply_env(|key| match key {
                "DATABASE_URL" => Some("postgres://app:secret@db/liaison".into()),
                "LIAISON_ADDR" => Some("0.0.0.0:8080".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(settings.addr.port(), 8080);
        assert!(!format!("{settings:?}").contains("secret"));
    }

    #[test]
    fn a_bad_address_is_a_clear_error() {
        let mut settings = Settings::default();
        let error = settings
            .apply_env(|key| (key == "LIAISON_ADDR").then(|| "nonsense".to_string()))
            .unwrap_err();
        assert!(error.to_string().contains("LIAISON_ADDR"));
    }
}
