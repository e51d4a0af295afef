//! The PostgreSQL adapter: `search_documents` with a `pg_trgm` GIN index on `body` (when the
//! extension could be installed; without it the same queries scan).
//!
//! The candidates query has no `ORDER BY`: asked for a rare term in name order, the planner
//! walked the whole name index and filtered every row (87 ms at 100,000 partners); asked only
//! for the matches, it reads them off the trigram index (tested by EXPLAIN in the API tests).

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use super::text::contains_pattern;
use super::{Candidates, Subject, few_or_many};
use crate::core::Error;

fn sql(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

pub async fn put(
    db: &impl ConnectionTrait,
    subject: Subject,
    id: Uuid,
    body: &str,
) -> Result<(), Error> {
    db.execute_raw(sql(
        "INSERT INTO search_documents (subject, subject_id, body) VALUES ($1, $2, $3) \
         ON CONFLICT (subject, subject_id) DO UPDATE SET body = excluded.body \
         WHERE search_documents.body <> excluded.body",
        [subject.as_str().into(), id.into(), body.into()],
    ))
    .await?;
    Ok(())
}

/// Documents for `entries`, replacing any there were.
pub async fn put_many(
    db: &impl ConnectionTrait,
    subject: Subject,
    entries: &[(Uuid, String)],
) -> Result<(), Error> {
    let mut values = Vec::with_capacity(entries.len() * 3);
    let mut rows = Vec::with_capacity(entries.len());
    for (n, (id, body)) in entries.iter().enumerate() {
        rows.push(format!("(${}, ${}, ${})", 3 * n + 1, 3 * n + 2, 3 * n + 3));
        values.extend([subject.as_str().into(), (*id).into(), body.clone().into()]);
    }
    db.execute_raw(sql(
        &format!(
            "INSERT INTO search_documents (subject, subject_id, body) VALUES {} \
             ON CONFLICT (subject, subject_id) DO UPDATE SET body = excluded.body",
            rows.join(", ")
        ),
        values,
    ))
    .await?;
    Ok(())
}

/// The statement that finds up to `few + 1` documents containing `needle`.
pub fn candidates_statement(subject: Subject, needle: &str, few: u64) -> Statement {
    sql(
        "SELECT subject_id AS id FROM search_documents \
         WHERE subject = $1 AND body LIKE $2 ESCAPE '\\' LIMIT $3",
        [
            subject.as_str().into(),
            contains_pattern(needle).into(),
            ((few + 1) as i64).into(),
        ],
    )
}

pub async fn candidates(
    db: &impl ConnectionTrait,
    subject: Subject,
    needle: &str,
    few: u64,
) -> Result<Candidates, Error> {
    // A trigram index has nothing to look up for one or two characters.
    if needle.chars().count() < 3 {
        return Ok(Candidates::Unindexed);
    }
    let rows = db
        .query_all_raw(candidates_statement(subject, needle, few))
        .await?;
    let ids = rows
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(few_or_many(ids, few))
}
