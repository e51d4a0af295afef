//! Finding records by any part of their English or Chinese text, behind one interface with an
//! adapter per database. Stores call it when they save (never handlers or services): the
//! partner store puts a partner's search text on every write and asks for candidates when a
//! list is searched. Any subject can be indexed the same way ([`Subject`]).
//!
//! The index only narrows a search; the store applies filters and checks each row's text.
//! [`SearchIndex::in_order`] hands out the matches themselves in list order, a page at a time:
//!
//! - SQLite: each document's FTS row id is its rank in that order, so FTS5's matches come out
//!   in it. A common term ("lotus" in a tenth of the names, all of them together in name order)
//!   costs what a rare one does.
//! - PostgreSQL: a short walk of the list in order (a covering index, no table reads), then the
//!   trigram index for a rare term, or a longer walk for a common one. That finds a page within
//!   a few hundred documents when the matches are spread through the list, but passes every
//!   name before them when they sit together (bench/README.md has the cost).
//!
//! - **SQLite** ([`sqlite`]): FTS5 with the trigram tokenizer for three characters or more, and
//!   a second FTS5 table of each text's one- and two-character grams for shorter queries, which
//!   are common in Chinese (上海, 河).
//! - **PostgreSQL** ([`postgres`]): `pg_trgm`'s GIN index on the documents. Queries shorter than
//!   a trigram cannot use it and walk instead.

use sea_orm::{ConnectionTrait, DbBackend};
use uuid::Uuid;

use crate::core::Error;

pub mod postgres;
pub mod sqlite;
pub mod text;

/// The longest search a list accepts, in characters: a name is at most 200, and a longer query
/// only costs the index work.
pub const MAX_QUERY_CHARS: usize = 100;

/// How many matches count as few: up to this many are fetched and ordered; past it, the list
/// is walked in order.
pub const FEW: u64 = 500;

/// What a search document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Partner,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Partner => "partner",
        }
    }

    /// A small number of its own (1 to 127), for the adapters that keep subjects apart by it.
    pub fn number(self) -> i64 {
        match self {
            Subject::Partner => 1,
        }
    }
}

/// What a record is found by: its normalised text ([`text::normalise`]), and the key its list
/// is ordered by, so the index can hand matches out in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Uuid,
    pub sort_key: String,
    pub body: String,
}

/// Matches in list order ([`SearchIndex::in_order`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InOrder {
    pub ids: Vec<Uuid>,
    /// The sort key of the last match, where the next chunk starts; empty when there is none.
    pub last: String,
}

impl InOrder {
    /// From `(id, sort key)` pairs in order.
    pub fn of(matches: Vec<(Uuid, String)>) -> Self {
        let last = matches
            .last()
            .map(|(_, key)| key.clone())
            .unwrap_or_default();
        Self {
            ids: matches.into_iter().map(|(id, _)| id).collect(),
            last,
        }
    }
}

/// The search index of one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIndex {
    Sqlite,
    Postgres,
}

impl SearchIndex {
    pub fn of(db: &impl ConnectionTrait) -> Self {
        match db.get_database_backend() {
            DbBackend::Postgres => SearchIndex::Postgres,
            _ => SearchIndex::Sqlite,
        }
    }

    /// Makes `entry` what its record is found by. Call in the transaction that writes the
    /// record.
    pub async fn put(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        entry: &Entry,
    ) -> Result<(), Error> {
        match self {
            SearchIndex::Sqlite => sqlite::put(db, subject, entry).await,
            SearchIndex::Postgres => {
                postgres::put_many(db, subject, std::slice::from_ref(entry)).await
            }
        }
    }

    /// [`SearchIndex::put`] for many records at once (a repair, a bulk load), a few statements
    /// per batch; then [`SearchIndex::reorder`] once, when all are in.
    pub async fn put_many(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        entries: &[Entry],
    ) -> Result<(), Error> {
        if entries.is_empty() {
            return Ok(());
        }
        match self {
            SearchIndex::Sqlite => sqlite::put_many(db, subject, entries).await,
            SearchIndex::Postgres => postgres::put_many(db, subject, entries).await,
        }
    }

    /// After [`SearchIndex::put_many`]: puts every entry of `subject` in its place in order.
    pub async fn reorder(self, db: &impl ConnectionTrait, subject: Subject) -> Result<(), Error> {
        match self {
            SearchIndex::Sqlite => sqlite::reorder(db, subject).await,
            // The index keeps no order; the list's own index does.
            SearchIndex::Postgres => Ok(()),
        }
    }

    /// Up to `take` records whose text contains `needle` (normalised, not empty), in list order
    /// after the sort key `after`.
    pub async fn in_order(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        needle: &str,
        after: Option<&str>,
        take: u64,
    ) -> Result<InOrder, Error> {
        match self {
            SearchIndex::Sqlite => sqlite::in_order(db, subject, needle, after, take).await,
            SearchIndex::Postgres => postgres::in_order(db, subject, needle, after, take).await,
        }
    }

    /// The first `take` matches after `after` in list order, as a condition on the id column
    /// `column` of the caller's own query, when this index keeps the list's order (SQLite's).
    pub fn in_order_condition(
        self,
        column: &str,
        subject: Subject,
        needle: &str,
        after: Option<&str>,
        take: u64,
    ) -> Option<sea_orm::sea_query::SimpleExpr> {
        match self {
            SearchIndex::Sqlite => sqlite::in_order_condition(column, subject, needle, after, take),
            SearchIndex::Postgres => None,
        }
    }

    /// Forgets `id`. Call in the transaction that deletes the record.
    pub async fn remove(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        id: Uuid,
    ) -> Result<(), Error> {
        let sql = match self {
            SearchIndex::Sqlite => {
                "DELETE FROM search_documents WHERE subject = ? AND subject_id = ?"
            }
            SearchIndex::Postgres => {
                "DELETE FROM search_documents WHERE subject = $1 AND subject_id = $2"
            }
        };
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [subject.as_str().into(), id.into()],
        ))
        .await?;
        Ok(())
    }
}
