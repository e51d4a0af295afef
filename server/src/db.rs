//! Connecting to SQLite or PostgreSQL, chosen by the URL, and applying migrations.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::services::{partner_listing, partner_search};

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file behind a `sqlite://` URL, if it names one (not `:memory:`).
fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| Path::new(path))
}

/// Turns off SQLite's memory statistics, once per process and before the first connection (it
/// cannot change later). The statistics take one process-wide mutex on every allocation, and
/// under load the pool's connection threads spent more time waiting for that mutex than
/// running queries.
fn tune_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is safe to call before SQLite is initialised, which no
        // connection has done yet in this process; afterwards it only returns SQLITE_MISUSE.
        let code = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if code != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(
                code,
                "SQLite was initialised already; memory statistics stay on"
            );
        }
    });
}

/// Turns on SQLite's query planner stability guarantee for one connection. Without it, SQLite
/// (built with STAT4, as the bundled library is) marks a prepared statement as expired whenever
/// a parameter that could sway the plan is bound again, and compiles it afresh on the next
/// step: the statement cache then saves nothing for range filters such as `expires_at > ?`.
async fn stable_query_plans(
    connection: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is locked for this call, so no other thread uses the connection;
    // `SQLITE_DBCONFIG_ENABLE_QPSG` takes an int and an optional int pointer.
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            raw.cast(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if code != libsqlite3_sys::SQLITE_OK {
        tracing::warn!(code, "could not turn on SQLite's query plan stability");
    }
    Ok(())
}

pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool_size.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        // `LIAISON_SQL_LOG=1` with `LIAISON_LOG=sqlx=info` logs each statement, for finding what a
        // page or call runs.
        .sqlx_logging(std::env::var_os("LIAISON_SQL_LOG").is_some());
    if is_sqlite(url) {
        tune_sqlite_library();
        // A ping per checkout is a round trip to the connection's thread for every query, and
        // a local file connection does not go stale.
        options.test_before_acquire(false);
        if let Some(parent) = sqlite_file(url).and_then(Path::parent)
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating the database folder {}", parent.display()))?;
        }
        // WAL lets readers run beside the writer; NORMAL lost no acknowledged row in kill -9
        // trials and is 2.8x faster than FULL (BUILD.md). The size limit keeps the WAL from
        // growing without bound under sustained writes.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("journal_size_limit", "67108864")
                // 8 MiB of page cache per connection instead of SQLite's 2: the search mix
                // of the benchmark ran a quarter faster, a page cache miss being a read() of
                // the file.
                .pragma("cache_size", "-8192")
        });
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|connection, _| Box::pin(stable_query_plans(connection)))
        });
    } else {
        // Only connections idle long enough for a proxy or firewall to have cut them.
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Database::connect(options)
        .await
        .with_context(|| format!("connecting to the database ({})", scheme(url)))
}

fn scheme(url: &str) -> &str {
    url.split(':').next().unwrap_or("unknown")
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("applying database migrations")
}

/// Connects and brings the schema up to date: what every subcommand that touches the database
/// does first, so each works on a fresh folder. Also indexes, for search, any partner written
/// without going through the server (an import, a restore, an older version), and stores the
/// list entries such partners lack (see `partner_listing`).
pub async fn open(url: &str, pool_size: u32) -> anyhow::Result<DatabaseConnection> {
    let db = connect(url, pool_size).await?;
    migrate(&db).await?;
    let indexed = partner_search::index_missing(&db, |_| {})
        .await
        .context("indexing partners for search")?;
    if indexed > 0 {
        tracing::info!(partners = indexed, "indexed partners for search");
    }
    let listed = partner_listing::fill_missing(&db, |_| {})
        .await
        .context("storing partner listings")?;
    if listed > 0 {
        tracing::info!(partners = listed, "stored partner listings");
    }
    Ok(db)
}
