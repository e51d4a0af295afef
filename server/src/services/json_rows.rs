//! Reading a page of rows as one JSON array that the database builds.
//!
//! Through sqlx's SQLite driver, every row of a result is copied value by value on the
//! connection's thread, sent over a channel to the request's task, and then decoded column by
//! column, looked up by name. For a page of 50 partners that was most of the request's CPU
//! (bench/README.md). Here the database folds the page into a single JSON text (SQLite's
//! `json_group_array(json_object(…))`, PostgreSQL's `json_agg(json_build_object(…))`), which
//! crosses over as one value and is decoded by serde in one pass.
//!
//! The inner query stays an ordinary query (built by sea-orm or written by hand); [`fetch`]
//! wraps it as `FROM (inner) AS p`, so its columns are named by the keys of [`Field`]s.

use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbBackend, Statement, Values};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::inline_sqlite;

/// How a column of the inner query becomes a JSON value.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Text, numbers and timestamps as the database holds them (timestamps are RFC 3339 text
    /// on SQLite and become RFC 3339 strings on PostgreSQL).
    Plain,
    /// A UUID: a 16-byte blob on SQLite, which JSON cannot hold, so it goes as hex.
    Uuid,
    /// Text that already holds JSON (an array built by a subquery), embedded as JSON.
    Json,
    /// A boolean: an integer on SQLite, which would come out as 0 or 1.
    Bool,
}

/// A column of the inner query and how it is read.
pub struct Field(pub &'static str, pub Kind);

/// The JSON value of one field of row `p`.
fn value(backend: DbBackend, Field(name, kind): &Field) -> String {
    match (backend, kind) {
        // `hex(NULL)` is the empty string, not NULL.
        (DbBackend::Sqlite, Kind::Uuid) => format!("nullif(lower(hex(p.{name})), '')"),
        (DbBackend::Sqlite, Kind::Json) => format!("json(p.{name})"),
        (DbBackend::Sqlite, Kind::Bool) => {
            format!("json(CASE WHEN p.{name} THEN 'true' ELSE 'false' END)")
        }
        (DbBackend::Postgres, Kind::Json) => format!("p.{name}::json"),
        _ => format!("p.{name}"),
    }
}

/// Runs `inner` and returns its rows, ordered by `order` (an expression over the row `p`),
/// each decoded from a JSON object holding `fields`.
pub async fn fetch<T: DeserializeOwned>(
    db: &(impl ConnectionTrait + 'static),
    inner: Statement,
    fields: &'static [Field],
    order: &str,
) -> ApiResult<Vec<T>> {
    let statement = aggregate(inner, fields, order);
    Ok(read(db, statement).await?.unwrap_or_default())
}

/// As [`fetch`], for rows that belong to one row of `parent` (a partner's contacts, say):
/// `None` when that row does not exist. One query either way, where telling "no contacts"
/// from "no such partner" would otherwise take a second.
pub async fn fetch_under<T: DeserializeOwned>(
    db: &(impl ConnectionTrait + 'static),
    parent: &'static str,
    parent_id: Uuid,
    inner: Statement,
    fields: &'static [Field],
    order: &str,
) -> ApiResult<Option<Vec<T>>> {
    let Statement {
        sql,
        mut values,
        db_backend,
    } = aggregate(inner, fields, order);
    let mut all = values.take().map(|v| v.0).unwrap_or_default();
    all.push(parent_id.into());
    // The parent's id is bound after the inner query's values, and its placeholder comes
    // after theirs in the text too.
    let placeholder = match db_backend {
        DbBackend::Postgres => format!("${}", all.len()),
        _ => "?".to_owned(),
    };
    let statement = Statement {
        sql: format!("SELECT ({sql}) FROM {parent} WHERE id = {placeholder}"),
        values: Some(Values(all)),
        db_backend,
    };
    read(db, statement).await
}

/// The arguments of `json_object(…)` (or `json_build_object(…)`) for `fields`, built once per
/// field list and backend: building them for every query cost a partner page 3 % of its work.
fn object(backend: DbBackend, fields: &'static [Field]) -> Arc<str> {
    type Built = Vec<(usize, DbBackend, Arc<str>)>;
    static BUILT: Mutex<Built> = Mutex::new(Vec::new());
    // The lists are constants: their address names them (a copy of one only adds an entry).
    let key = fields.as_ptr() as usize;
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, _, object)) = built.iter().find(|(k, b, _)| *k == key && *b == backend) {
        return Arc::clone(object);
    }
    let object: Arc<str> = fields
        .iter()
        .map(|field| format!("'{}', {}", field.0, value(backend, field)))
        .collect::<Vec<_>>()
        .join(", ")
        .into();
    built.push((key, backend, Arc::clone(&object)));
    object
}

/// The query that folds the rows of `inner` into one JSON array.
fn aggregate(inner: Statement, fields: &'static [Field], order: &str) -> Statement {
    let backend = inner.db_backend;
    let object = object(backend, fields);
    let sql = match backend {
        DbBackend::Postgres => format!(
            "SELECT coalesce(json_agg(json_build_object({object}) ORDER BY {order}), '[]')::text \
             FROM ({}) AS p",
            inner.sql
        ),
        _ => format!(
            "SELECT json_group_array(json_object({object}) ORDER BY {order}) FROM ({}) AS p",
            inner.sql
        ),
    };
    Statement {
        sql,
        values: inner.values,
        db_backend: backend,
    }
}

/// Runs a query whose one column is a JSON array; `None` when it returns no row.
async fn read<T: DeserializeOwned>(
    db: &(impl ConnectionTrait + 'static),
    statement: Statement,
) -> ApiResult<Option<Vec<T>>> {
    let json = match inline_sqlite::first_text(db, statement).await? {
        Some(Some(json)) => json,
        Some(None) => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "a page of rows came back as NULL"
            )));
        }
        None => return Ok(None),
    };
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("decoding a page of rows: {e}")))
}
