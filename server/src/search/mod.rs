//! Finding records by any part of their English or Chinese text, behind one interface with an
//! adapter per database. Stores call it when they save (never handlers or services): the
//! partner store puts a partner's search text on every write and asks for candidates when a
//! list is searched. Any subject can be indexed the same way ([`Subject`]).
//!
//! The index only narrows a search; it never decides order or filters. [`SearchIndex::candidates`]
//! answers with the ids of every match when there are few, and says so when there are many:
//! a common term ("lotus" in a tenth of the names) is then served by walking the list in its own
//! order and checking each row's text, which finds a page of matches within a few hundred rows;
//! a rare term ("0012345") by fetching its few matches and ordering those. Either way a page
//! costs about the same at 100,000 records as at 100, without a plan that reads every row.
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
}

/// The ids matching a search, when the index can tell cheaply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// Every match (at most [`FEW`]); may be empty.
    Few(Vec<Uuid>),
    /// More than [`FEW`] matches: walk the list and check each row's text.
    Many,
    /// The index cannot answer this text (too short for a trigram on PostgreSQL, punctuation
    /// in a short query on SQLite): walk the list.
    Unindexed,
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

    /// Makes `body` (already normalised: see [`text::normalise`]) what `id` is found by.
    /// Call in the transaction that writes the record.
    pub async fn put(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        id: Uuid,
        body: &str,
    ) -> Result<(), Error> {
        match self {
            SearchIndex::Sqlite => sqlite::put(db, subject, id, body).await,
            SearchIndex::Postgres => postgres::put(db, subject, id, body).await,
        }
    }

    /// [`SearchIndex::put`] for many records at once (a repair, a bulk load): a few
    /// statements per batch instead of a few per record.
    pub async fn put_many(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        entries: &[(Uuid, String)],
    ) -> Result<(), Error> {
        if entries.is_empty() {
            return Ok(());
        }
        match self {
            SearchIndex::Sqlite => sqlite::put_many(db, subject, entries).await,
            SearchIndex::Postgres => postgres::put_many(db, subject, entries).await,
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

    /// The records of `subject` whose text contains `needle` (normalised, not empty).
    pub async fn candidates(
        self,
        db: &impl ConnectionTrait,
        subject: Subject,
        needle: &str,
    ) -> Result<Candidates, Error> {
        match self {
            SearchIndex::Sqlite => sqlite::candidates(db, subject, needle, FEW).await,
            SearchIndex::Postgres => postgres::candidates(db, subject, needle, FEW).await,
        }
    }
}

/// `Few` when at most `few` ids came back from a query that asked for `few + 1`.
fn few_or_many(ids: Vec<Uuid>, few: u64) -> Candidates {
    if ids.len() as u64 > few {
        Candidates::Many
    } else {
        Candidates::Few(ids)
    }
}
