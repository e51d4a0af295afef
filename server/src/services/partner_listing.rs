//! Each partner's list entry, kept ready as the JSON the API sends.
//!
//! A page of the partner list is the most frequent read (search as you type). Building it
//! from the rows took most of a search's time: the owner's name and the tags as correlated
//! subqueries, a JSON object per row in SQL, then decoding that into DTOs and encoding them
//! again (bench/README.md). So every write of a partner also stores the partner as the API
//! shows it (`partners.listing`, made by the same `Serialize` as every other response), with
//! the `version` it was made from (`listing_version`). A list page then concatenates the stored
//! entries of its rows, in order, and sends them as they are.
//!
//! A listing is used only while its `listing_version` equals the row's `version`. Every write
//! through the services bumps the version and stores a new listing in the same transaction; a
//! row written some other way (an older binary, an import, a hand edit that bumps the version)
//! has a missing or stale listing, and a page holding one is built the slow way instead. At
//! start-up, [`fill_missing`] makes the listings that are missing or stale.
//!
//! What a listing shows beyond the partner's own row: the owner's name and the tags. Tags
//! change only with the partner (and a version bump). A user's name cannot change in this
//! version; a feature that renames users must refresh the listings of the partners they own
//! (with [`store`]).

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait};
use serde::Deserialize;
use shared::partner::Partner;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::inline_sqlite;

use super::cursor;

/// Columns an inner query must select, from the partners table aliased `p`, for [`fetch_page`].
pub const COLUMNS: &str = "p.listing, p.listing_version, p.version";

/// A page of the partner list in its wire form: `items` is a JSON array of partners.
pub struct ListedPage {
    pub items: String,
    pub next_cursor: Option<String>,
}

impl ListedPage {
    /// The page as the API sends it: the JSON of `shared::Page<Partner>`.
    pub fn into_json(self) -> String {
        match self.next_cursor {
            Some(cursor) => format!(
                "{{\"items\":{},\"next_cursor\":{}}}",
                self.items,
                serde_json::Value::String(cursor)
            ),
            None => format!("{{\"items\":{}}}", self.items),
        }
    }

    /// A page built from DTOs (the slow way), in the same form.
    pub fn from_items(items: &[Partner], next_cursor: Option<String>) -> ApiResult<Self> {
        let items = serde_json::to_string(items)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("encoding partners: {e}")))?;
        Ok(Self { items, next_cursor })
    }
}

/// Stores the listing of `partner`, read back from the database in the transaction that
/// wrote it, so that it shows exactly what a `GET` of the partner shows.
pub async fn store(db: &impl ConnectionTrait, partner: &Partner) -> ApiResult<()> {
    let listing = serde_json::to_string(partner)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("encoding a partner: {e}")))?;
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE partners SET listing = $1, listing_version = $2 WHERE id = $3"
        }
        _ => "UPDATE partners SET listing = ?, listing_version = ? WHERE id = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [listing.into(), partner.version.into(), partner.id.into()],
    ))
    .await?;
    Ok(())
}

/// The page of rows of `inner` (which selects [`COLUMNS`] and whatever `order`, an expression
/// over the row `p`, needs), at most `limit + 1` rows. `None` when a row's listing is missing or
/// stale: the caller then builds the page from the rows themselves.
pub async fn fetch_page(
    db: &(impl ConnectionTrait + 'static),
    inner: Statement,
    order: &str,
    limit: u64,
) -> ApiResult<Option<ListedPage>> {
    let backend = inner.db_backend;
    let entry = "CASE WHEN p.listing_version = p.version THEN p.listing ELSE 'null' END";
    let sql = match backend {
        DbBackend::Postgres => format!(
            "SELECT string_agg({entry}, ',' ORDER BY {order}) FROM ({}) AS p",
            inner.sql
        ),
        _ => format!(
            "SELECT group_concat({entry}, ',' ORDER BY {order}) FROM ({}) AS p",
            inner.sql
        ),
    };
    let statement = Statement {
        sql,
        values: inner.values,
        db_backend: backend,
    };
    let joined = inline_sqlite::first_text(db, statement).await?.flatten();
    let Some(joined) = joined else {
        return Ok(Some(ListedPage {
            items: "[]".to_owned(),
            next_cursor: None,
        }));
    };
    let array = format!("[{joined}]");
    let entries: Vec<&serde_json::value::RawValue> = serde_json::from_str(&array)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading partner listings: {e}")))?;
    if entries.iter().any(|entry| entry.get() == "null") {
        return Ok(None);
    }
    if entries.len() as u64 <= limit {
        return Ok(Some(ListedPage {
            items: array,
            next_cursor: None,
        }));
    }
    let shown = &entries[..limit as usize];
    let next_cursor = match shown.last() {
        Some(last) => {
            let key: ListingKey = serde_json::from_str(last.get())
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading a listing: {e}")))?;
            Some(cursor::encode(&(
                super::partners::sort_key(&key.name),
                key.id,
            )))
        }
        None => None,
    };
    let mut items = String::with_capacity(array.len());
    items.push('[');
    for (n, entry) in shown.iter().enumerate() {
        if n > 0 {
            items.push(',');
        }
        items.push_str(entry.get());
    }
    items.push(']');
    Ok(Some(ListedPage { items, next_cursor }))
}

/// What the list's cursor needs of a listing.
#[derive(Deserialize)]
struct ListingKey {
    id: Uuid,
    name: String,
}

/// Partners per batch of [`fill_missing`].
const BATCH: u64 = 500;

/// Makes the listings that are missing or stale, in batches, reporting the running count to
/// `progress`; returns how many it made.
pub async fn fill_missing(
    db: &(impl ConnectionTrait + TransactionTrait + 'static),
    mut progress: impl FnMut(u64),
) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    let stale = match backend {
        DbBackend::Postgres => "listing_version IS DISTINCT FROM version",
        _ => "listing_version IS NOT version",
    };
    let mut done = 0;
    loop {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT id FROM partners WHERE {stale} LIMIT {BATCH}"),
            ))
            .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        let txn = db.begin().await?;
        for row in &rows {
            let id: Uuid = row.try_get_by_index(0)?;
            let partner = super::partners::get(&txn, id).await?;
            store(&txn, &partner).await?;
        }
        txn.commit().await?;
        done += rows.len() as u64;
        progress(done);
    }
}
