//! SQLite reads that run on the request's own thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: a query is a command sent to that
//! thread and rows sent back, and the connection thread sleeps again after each one. Under
//! load a partner page (three queries) cost about 13 thread switches, and the kernel took a
//! quarter of the server's CPU; sqlx's own handling of the rows took more (bench/README.md).
//!
//! The hottest reads return one text value: a page of rows folded into JSON by the database
//! ([`json_rows`](crate::services::json_rows)) and a page of stored search listings. For
//! those, [`first_text`] runs the statement right here, on a connection that this thread
//! keeps to the same file. SQLite in WAL mode lets such readers run beside the pool's writer,
//! and each read sees every write committed before it began, as a read through the pool does.
//!
//! It is used only where it gives the same answer as the pool:
//! - outside transactions (a read inside one goes through it, to see its own writes);
//! - on a SQLite file (not an in-memory database, which another connection cannot see);
//! - with values it binds exactly as sqlx does; anything else goes through the pool.
//!
//! Such a read holds the thread for as long as SQLite works, as the connection's own thread
//! did; the work is the same, only the hand-offs are gone.

use std::any::Any;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_int};
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::SecondsFormat;
use libsqlite3_sys as ffi;
use sea_orm::sea_query::Value;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseConnectionType, DbBackend, DbErr, Statement,
};

/// Whether each statement is logged, as the pool's are (`LIAISON_SQL_LOG`, see `db::connect`).
static LOG_STATEMENTS: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("LIAISON_SQL_LOG").is_some());

/// Prepared statements kept per connection before the cache starts over: the queries that come
/// this way have a few dozen shapes.
const STATEMENT_CACHE: usize = 128;

/// The first column of the first row of `statement`, as text: `None` when there is no row,
/// `Some(None)` when the value is NULL.
pub async fn first_text<C: ConnectionTrait + 'static>(
    db: &C,
    statement: Statement,
) -> Result<Option<Option<String>>, DbErr> {
    if let Some(options) = inline_file(db)
        && let Some(values) = bindable(&statement)
    {
        let started = LOG_STATEMENTS.then(Instant::now);
        // Not available while the thread's locals are being torn down (a task polled as its
        // thread exits): the pool answers then.
        let here = READERS.try_with(|readers| {
            let mut readers = readers.borrow_mut();
            readers
                .reader(options.get_filename())?
                .first_text(&statement.sql, &values)
        });
        if let Ok(answer) = here {
            if let Some(started) = started {
                // Where sqlx logs the pool's statements, so one filter shows both.
                tracing::info!(
                    target: "sqlx::query",
                    statement = %statement.sql,
                    elapsed = ?started.elapsed(),
                    "read on the request's thread"
                );
            }
            return answer;
        }
    }
    match db.query_one_raw(statement).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<Option<String>>(0)?)),
        None => Ok(None),
    }
}

/// The SQLite file behind `db`, when `db` is a pool (not a transaction) on a file.
fn inline_file<C: ConnectionTrait + 'static>(db: &C) -> Option<Arc<SqliteConnectOptions>> {
    let db = (db as &dyn Any).downcast_ref::<DatabaseConnection>()?;
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let DatabaseConnectionType::SqlxSqlitePoolConnection(_) = &db.inner else {
        return None;
    };
    let options = db.get_sqlite_connection_pool().connect_options();
    let name = options.get_filename().as_os_str();
    // sqlx names an in-memory database `:memory:` or `file:sqlx-in-memory-…`.
    if name.is_empty() || name == ":memory:" || name.as_encoded_bytes().starts_with(b"file:") {
        return None;
    }
    Some(options)
}

/// A value bound to a statement, as sqlx's SQLite driver binds it.
#[derive(Debug, PartialEq)]
enum Bound<'a> {
    Null,
    Integer(i64),
    Real(f64),
    /// Borrowed from the statement where it holds the text already.
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

/// The statement's values as sqlx would bind them, or `None` when one of them is of a kind
/// this module does not bind (the pool then runs the statement).
fn bindable(statement: &Statement) -> Option<Vec<Bound<'_>>> {
    let Some(values) = &statement.values else {
        return Some(Vec::new());
    };
    values.0.iter().map(bound).collect()
}

fn bound(value: &Value) -> Option<Bound<'_>> {
    fn or_null<'a, T>(value: &'a Option<T>, f: impl FnOnce(&'a T) -> Bound<'a>) -> Bound<'a> {
        value.as_ref().map_or(Bound::Null, f)
    }
    Some(match value {
        Value::Bool(v) => or_null(v, |b| Bound::Integer(i64::from(*b))),
        Value::TinyInt(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        Value::SmallInt(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        Value::Int(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        Value::BigInt(v) => or_null(v, |n| Bound::Integer(*n)),
        Value::TinyUnsigned(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        Value::SmallUnsigned(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        Value::Unsigned(v) => or_null(v, |n| Bound::Integer(i64::from(*n))),
        // A `LIMIT`, say. sqlx would panic on one above `i64::MAX`; the pool gets those.
        Value::BigUnsigned(Some(n)) => Bound::Integer(i64::try_from(*n).ok()?),
        Value::BigUnsigned(None) => Bound::Null,
        Value::Double(v) => or_null(v, |n| Bound::Real(*n)),
        Value::String(v) => or_null(v, |s| Bound::Text(Cow::Borrowed(s))),
        Value::Bytes(v) => or_null(v, |b| Bound::Blob(Cow::Borrowed(b))),
        // sqlx binds a UUID as its 16 bytes, a timestamp as RFC 3339 text and a date as
        // `YYYY-MM-DD` (sqlx-sqlite's `types/uuid.rs` and `types/chrono.rs`).
        Value::Uuid(v) => or_null(v, |u| Bound::Blob(Cow::Borrowed(u.as_bytes()))),
        Value::ChronoDateTimeUtc(v) => or_null(v, |t| {
            Bound::Text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false).into())
        }),
        Value::ChronoDate(v) => or_null(v, |d| Bound::Text(d.format("%F").to_string().into())),
        _ => return None,
    })
}

thread_local! {
    static READERS: RefCell<Readers> = RefCell::new(Readers::default());
}

/// This thread's connections, one per database file (tests run many apps in one process).
#[derive(Default)]
struct Readers(Vec<Reader>);

impl Readers {
    fn reader(&mut self, file: &Path) -> Result<&mut Reader, DbErr> {
        match self.0.iter().position(|r| r.file == file) {
            Some(at) => Ok(&mut self.0[at]),
            None => {
                let reader = Reader::open(file.to_path_buf())?;
                self.0.push(reader);
                Ok(self.0.last_mut().expect("just pushed"))
            }
        }
    }
}

/// One connection, used by one thread at a time, with its prepared statements.
struct Reader {
    file: PathBuf,
    db: NonNull<ffi::sqlite3>,
    statements: HashMap<String, NonNull<ffi::sqlite3_stmt>>,
}

impl Reader {
    fn open(file: PathBuf) -> Result<Self, DbErr> {
        let path = CString::new(file.as_os_str().as_encoded_bytes())
            .map_err(|_| DbErr::Custom(format!("a NUL in the path {}", file.display())))?;
        let mut db = ptr::null_mut();
        // SAFETY: `path` is a NUL-terminated string and `db` a valid out-pointer. NOMUTEX: the
        // connection lives in a thread-local, so one thread uses it at a time.
        let code = unsafe {
            ffi::sqlite3_open_v2(
                path.as_ptr(),
                &mut db,
                ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_NOMUTEX,
                ptr::null(),
            )
        };
        let Some(db) = NonNull::new(db) else {
            return Err(DbErr::Custom(format!(
                "opening {} for reading: out of memory",
                file.display()
            )));
        };
        let reader = Self {
            file,
            db,
            statements: HashMap::new(),
        };
        if code != ffi::SQLITE_OK {
            return Err(reader.error(code, "opening the database for reading"));
        }
        // As the pool's connections (`db::connect`): wait for a lock rather than fail, the
        // same page cache, and the query planner's stability guarantee (see
        // `db::stable_query_plans`). `query_only` makes a write here an error, never a change.
        for pragma in [
            "PRAGMA query_only = ON",
            "PRAGMA cache_size = -8192",
            "PRAGMA busy_timeout = 5000",
        ] {
            reader.execute(pragma)?;
        }
        // SAFETY: the connection is open; the option takes an int and an optional int pointer.
        unsafe {
            ffi::sqlite3_db_config(
                reader.db.as_ptr(),
                ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as c_int,
                ptr::null_mut::<c_int>(),
            );
        }
        Ok(reader)
    }

    fn execute(&self, sql: &str) -> Result<(), DbErr> {
        let sql = CString::new(sql).map_err(|_| DbErr::Custom("a NUL in SQL".to_owned()))?;
        // SAFETY: the connection is open and `sql` NUL-terminated; no callback, no error text.
        let code = unsafe {
            ffi::sqlite3_exec(
                self.db.as_ptr(),
                sql.as_ptr(),
                None,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(code, "setting up the reading connection"))
        }
    }

    fn statement(&mut self, sql: &str) -> Result<NonNull<ffi::sqlite3_stmt>, DbErr> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(*statement);
        }
        if self.statements.len() >= STATEMENT_CACHE {
            self.finalize_all();
        }
        let mut statement = ptr::null_mut();
        let length = c_int::try_from(sql.len())
            .map_err(|_| DbErr::Custom("a statement too long for SQLite".to_owned()))?;
        // SAFETY: `sql` is valid for `length` bytes (no NUL needed when the length is given).
        let code = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db.as_ptr(),
                sql.as_ptr().cast(),
                length,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut statement,
                ptr::null_mut(),
            )
        };
        if code != ffi::SQLITE_OK {
            return Err(self.error(code, "preparing a read"));
        }
        let Some(statement) = NonNull::new(statement) else {
            return Err(DbErr::Custom("an empty statement".to_owned()));
        };
        self.statements.insert(sql.to_owned(), statement);
        Ok(statement)
    }

    fn first_text(&mut self, sql: &str, values: &[Bound]) -> Result<Option<Option<String>>, DbErr> {
        let statement = self.statement(sql)?;
        let raw = statement.as_ptr();
        let result = self.bind_and_step(raw, values);
        // SAFETY: `raw` belongs to this connection. Resetting ends the read transaction, which
        // must not stay open between requests; clearing frees the bound copies.
        unsafe {
            ffi::sqlite3_reset(raw);
            ffi::sqlite3_clear_bindings(raw);
        }
        result
    }

    fn bind_and_step(
        &self,
        raw: *mut ffi::sqlite3_stmt,
        values: &[Bound],
    ) -> Result<Option<Option<String>>, DbErr> {
        // SAFETY: `raw` is a prepared statement of this connection, used on this thread only.
        let expected = unsafe { ffi::sqlite3_bind_parameter_count(raw) };
        if usize::try_from(expected).ok() != Some(values.len()) {
            return Err(DbErr::Custom(format!(
                "{} values for {expected} placeholders",
                values.len()
            )));
        }
        for (at, value) in values.iter().enumerate() {
            let index = at as c_int + 1;
            // SAFETY: `index` is within the statement's parameters; text and blobs are copied
            // by SQLite (SQLITE_TRANSIENT), so they need not outlive this call.
            let code = unsafe {
                match value {
                    Bound::Null => ffi::sqlite3_bind_null(raw, index),
                    Bound::Integer(n) => ffi::sqlite3_bind_int64(raw, index, *n),
                    Bound::Real(n) => ffi::sqlite3_bind_double(raw, index, *n),
                    Bound::Text(s) => ffi::sqlite3_bind_text64(
                        raw,
                        index,
                        s.as_ptr().cast(),
                        s.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Bound::Blob(b) => ffi::sqlite3_bind_blob64(
                        raw,
                        index,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                }
            };
            if code != ffi::SQLITE_OK {
                return Err(self.error(code, "binding a value"));
            }
        }
        // SAFETY: as above; the column's text is copied out before the statement moves on.
        unsafe {
            match ffi::sqlite3_step(raw) {
                ffi::SQLITE_ROW => {
                    if ffi::sqlite3_column_type(raw, 0) == ffi::SQLITE_NULL {
                        return Ok(Some(None));
                    }
                    let text = ffi::sqlite3_column_text(raw, 0);
                    let length = ffi::sqlite3_column_bytes(raw, 0);
                    if text.is_null() {
                        return Err(self.error(ffi::SQLITE_NOMEM, "reading a value"));
                    }
                    let bytes = std::slice::from_raw_parts(text, length.max(0) as usize);
                    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                        DbErr::Custom("the database returned text that is not UTF-8".to_owned())
                    })?;
                    Ok(Some(Some(text)))
                }
                ffi::SQLITE_DONE => Ok(None),
                code => Err(self.error(code, "running a read")),
            }
        }
    }

    fn error(&self, code: c_int, doing: &str) -> DbErr {
        // SAFETY: the connection is open (possibly failed); SQLite owns the message.
        let message = unsafe {
            let text = ffi::sqlite3_errmsg(self.db.as_ptr());
            if text.is_null() {
                String::new()
            } else {
                CStr::from_ptr(text).to_string_lossy().into_owned()
            }
        };
        DbErr::Custom(format!("SQLite {doing}: {message} (code {code})"))
    }

    fn finalize_all(&mut self) {
        for (_, statement) in self.statements.drain() {
            // SAFETY: each statement belongs to this connection and is finalized once.
            unsafe {
                ffi::sqlite3_finalize(statement.as_ptr());
            }
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.finalize_all();
        // SAFETY: every statement is finalized; the connection is closed once.
        unsafe {
            ffi::sqlite3_close(self.db.as_ptr());
        }
    }
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("file", &self.file).finish()
    }
}

/// Whether `file` is the database a reader on this thread has open (for tests).
#[cfg(test)]
fn has_reader(file: &Path) -> bool {
    READERS.with(|readers| readers.borrow().0.iter().any(|r| r.file == file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    #[test]
    fn values_bind_as_sqlx_binds_them() {
        let at = Utc.with_ymd_and_hms(2026, 11, 29, 8, 30, 0).unwrap();
        let id = Uuid::now_v7();
        assert_eq!(bound(&Value::Bool(Some(true))), Some(Bound::Integer(1)));
        assert_eq!(bound(&Value::Int(None)), Some(Bound::Null));
        assert_eq!(
            bound(&Value::BigUnsigned(Some(31))),
            Some(Bound::Integer(31))
        );
        assert_eq!(bound(&Value::BigUnsigned(Some(u64::MAX))), None);
        assert_eq!(
            bound(&Value::Uuid(Some(id))),
            Some(Bound::Blob(id.as_bytes().to_vec().into()))
        );
        assert_eq!(
            bound(&Value::ChronoDateTimeUtc(Some(at))),
            Some(Bound::Text("2026-11-29T08:30:00+00:00".into()))
        );
        assert_eq!(
            bound(&Value::ChronoDate(NaiveDate::from_ymd_opt(2026, 1, 2))),
            Some(Bound::Text("2026-01-02".into()))
        );
        // A kind not listed goes through the pool.
        assert_eq!(bound(&Value::Char(Some('x'))), None);
    }

    fn text(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    }

    /// A read sees what the pool committed, runs here (this thread opens a connection), and a
    /// read inside a transaction goes through the transaction, which sees its own writes.
    #[tokio::test]
    async fn reads_here_outside_transactions_and_through_them_inside() {
        use sea_orm::TransactionTrait;
        let folder = std::env::temp_dir().join(format!("liaison-inline-{}", Uuid::now_v7()));
        let file = folder.join("read.db");
        let db = crate::db::connect(&format!("sqlite://{}", file.display()), 2)
            .await
            .unwrap();
        db.execute_unprepared("CREATE TABLE t (id BLOB, x TEXT, at TEXT)")
            .await
            .unwrap();
        let id = Uuid::now_v7();
        let at = Utc.with_ymd_and_hms(2026, 11, 29, 8, 30, 0).unwrap();
        db.execute_raw(text(
            "INSERT INTO t VALUES (?, ?, ?)",
            vec![id.into(), "a".into(), at.into()],
        ))
        .await
        .unwrap();

        // Values bound here find the row sqlx wrote with the same values.
        let query = text(
            "SELECT x FROM t WHERE id = ? AND at = ?",
            vec![id.into(), at.into()],
        );
        assert!(!has_reader(&file));
        assert_eq!(
            first_text(&db, query).await.unwrap(),
            Some(Some("a".to_owned()))
        );
        assert!(has_reader(&file), "the read ran on this thread");
        let none = text("SELECT x FROM t WHERE x = ?", vec!["zzz".into()]);
        assert_eq!(first_text(&db, none).await.unwrap(), None);
        let null = text("SELECT NULL", vec![]);
        assert_eq!(first_text(&db, null).await.unwrap(), Some(None));

        let all = || text("SELECT group_concat(x, ',') FROM t", vec![]);
        let transaction = db.begin().await.unwrap();
        transaction
            .execute_raw(text("INSERT INTO t (x) VALUES (?)", vec!["b".into()]))
            .await
            .unwrap();
        assert_eq!(
            first_text(&transaction, all()).await.unwrap(),
            Some(Some("a,b".to_owned()))
        );
        // Not committed yet: a read outside the transaction does not see it.
        assert_eq!(
            first_text(&db, all()).await.unwrap(),
            Some(Some("a".to_owned()))
        );
        transaction.commit().await.unwrap();
        assert_eq!(
            first_text(&db, all()).await.unwrap(),
            Some(Some("a,b".to_owned()))
        );

        // A reading connection refuses to write, and says why.
        let write = text("INSERT INTO t (x) VALUES ('c')", vec![]);
        let error = first_text(&db, write).await.unwrap_err().to_string();
        assert!(
            error.contains("readonly") || error.contains("read-only"),
            "{error}"
        );
        let syntax = text("SELEC nonsense", vec![]);
        assert!(first_text(&db, syntax).await.is_err());
        db.close().await.unwrap();
        std::fs::remove_dir_all(folder).unwrap();
    }
}
