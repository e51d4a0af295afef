//! The PostgreSQL adapter: `search_documents` with a `pg_trgm` GIN index on `body` (when the
//! extension could be installed; without it the same queries scan).
//!
//! The candidates query has no `ORDER BY`: asked for a rare term in name order, the planner
//! walked the whole name index and filtered every row (87 ms at 100,000 partners); asked only
//! for the matches, it reads them off the trigram index (tested by EXPLAIN in the API tests).
//! The partner store asks for candidates only once a short walk of the list has not filled the
//! page: a common term never pays for reading its long posting lists.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use super::text::{contains_pattern, grams, is_word_char};
use super::{Candidates, Subject, few_or_many};
use crate::core::Error;

fn sql(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Documents for `entries`, replacing any there were. Each keeps its one- and two-character
/// grams too, as space-separated words between spaces (` 上 海 上海 `): a gram query is then a
/// `LIKE '% 上海 %'`, whose padded text the trigram index can look up.
pub async fn put_many(
    db: &impl ConnectionTrait,
    subject: Subject,
    entries: &[super::Entry],
) -> Result<(), Error> {
    for chunk in entries.chunks(1000) {
        let mut values = Vec::with_capacity(chunk.len() * 5);
        let mut rows = Vec::with_capacity(chunk.len());
        for (n, entry) in chunk.iter().enumerate() {
            let at = 5 * n;
            rows.push(format!(
                "(${}, ${}, ${}, ${}, ${})",
                at + 1,
                at + 2,
                at + 3,
                at + 4,
                at + 5
            ));
            values.extend([
                subject.as_str().into(),
                entry.id.into(),
                entry.sort_key.clone().into(),
                entry.body.clone().into(),
                format!(" {} ", grams(&entry.body)).into(),
            ]);
        }
        db.execute_raw(sql(
            &format!(
                "INSERT INTO search_documents (subject, subject_id, sort_key, body, grams) \
                 VALUES {} ON CONFLICT (subject, subject_id) DO UPDATE SET \
                 sort_key = excluded.sort_key, body = excluded.body, grams = excluded.grams",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// `text` as a dollar-quoted literal, with a tag the text does not contain: no character of it
/// needs escaping.
fn literal(text: &str) -> String {
    // Not even `$tag` in the text: then `$tag$` can neither appear inside it nor straddle its end.
    let mut tag = String::from("q");
    while text.contains(&format!("${tag}")) {
        tag.push('q');
    }
    format!("${tag}${text}${tag}$")
}

/// The statement that finds up to `few + 1` documents with the one- or two-character `needle`
/// among their grams.
///
/// The pattern is written into the statement, not bound: sqlx prepares statements, and after
/// five runs PostgreSQL may switch to a plan made without the values, which for `LIKE $1`
/// cannot know that the pattern is rare and scans every document (103 rare searches a second
/// at 100,000 partners). Each pattern is its own statement, planned for itself.
pub fn gram_candidates_statement(subject: Subject, needle: &str, few: u64) -> Statement {
    sql(
        &format!(
            "SELECT subject_id AS id FROM search_documents \
             WHERE subject = $1 AND grams LIKE {} LIMIT $2",
            literal(&format!("% {needle} %"))
        ),
        [subject.as_str().into(), ((few + 1) as i64).into()],
    )
}

/// The statement that finds up to `few + 1` documents containing `needle` (its pattern written
/// in, as in [`gram_candidates_statement`]).
pub fn candidates_statement(subject: Subject, needle: &str, few: u64) -> Statement {
    sql(
        &format!(
            "SELECT subject_id AS id FROM search_documents \
             WHERE subject = $1 AND body LIKE {} ESCAPE '\\' LIMIT $2",
            literal(&contains_pattern(needle))
        ),
        [subject.as_str().into(), ((few + 1) as i64).into()],
    )
}

pub async fn candidates(
    db: &impl ConnectionTrait,
    subject: Subject,
    needle: &str,
    few: u64,
) -> Result<Candidates, Error> {
    let statement = if needle.chars().count() >= 3 {
        candidates_statement(subject, needle, few)
    } else if needle.chars().all(is_word_char) {
        gram_candidates_statement(subject, needle, few)
    } else {
        // Short text with punctuation: no gram holds it.
        return Ok(Candidates::Unindexed);
    };
    let rows = db.query_all_raw(statement).await?;
    let ids = rows
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(few_or_many(ids, few))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_is_quoted_with_a_tag_its_text_lacks() {
        assert_eq!(literal("%lotus%"), "$q$%lotus%$q$");
        assert_eq!(literal("it's"), "$q$it's$q$");
        assert_eq!(literal("a$q$b"), "$qq$a$q$b$qq$");
        // A text ending in `$q` would otherwise close the quote one character early.
        assert_eq!(literal("a$q"), "$qq$a$q$qq$");
        assert_eq!(literal("$"), "$q$$$q$");
        let sql = candidates_statement(Subject::Partner, "x'); DROP TABLE partners; --", 5).sql;
        assert!(
            sql.contains("$q$%x'); DROP TABLE partners; --%$q$"),
            "{sql}"
        );
    }
}
