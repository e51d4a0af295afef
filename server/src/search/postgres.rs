//! The PostgreSQL adapter: `search_documents` with a `pg_trgm` GIN index on `body` (when the
//! extension could be installed; without it the same queries scan).
//!
//! A search walks the documents in list order a short way, and only then asks the trigram
//! index ([`in_order`]): a common term never pays for reading its long posting lists, and a
//! rare one does not walk the whole list.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use super::text::{contains_pattern, grams, is_word_char};
use super::{InOrder, Subject};
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

/// How many documents a search walks in list order before it asks the trigram index: a term
/// spread through the list (one name in ten) fills its page within them.
pub const SHORT_WALK: u64 = 500;

/// The condition that a document holds the one- or two-character `needle` among its grams, or
/// `None` when no gram can (punctuation).
///
/// Patterns are written into the statement, not bound: sqlx prepares statements, and after
/// five runs PostgreSQL may switch to a plan made without the values, which for `LIKE $1`
/// cannot know that the pattern is rare and scans every document (103 rare searches a second
/// at 100,000 partners). Each pattern is its own statement, planned for itself.
fn indexed_condition(needle: &str) -> Option<String> {
    if needle.chars().count() >= 3 {
        Some(format!(
            "body LIKE {} ESCAPE '\\'",
            literal(&contains_pattern(needle))
        ))
    } else if needle.chars().all(is_word_char) {
        Some(format!("grams LIKE {}", literal(&format!("% {needle} %"))))
    } else {
        None
    }
}

/// The statement that finds up to `few + 1` documents containing `needle` after the sort key
/// `after`, with their sort keys, through the trigram index; `None` when the index cannot
/// answer the text. No `ORDER BY`: asked for a rare term in name order, the planner walked the
/// whole name index and filtered every row (87 ms at 100,000 partners); asked only for the
/// matches, it reads them off the trigram index (tested by EXPLAIN in the API tests).
pub fn candidates_statement(
    subject: Subject,
    needle: &str,
    after: &str,
    few: u64,
) -> Option<Statement> {
    let condition = indexed_condition(needle)?;
    Some(sql(
        &format!(
            "SELECT subject_id AS id, sort_key FROM search_documents \
             WHERE subject = $1 AND sort_key > {} AND {condition} LIMIT {}",
            literal(after),
            few + 1
        ),
        [subject.as_str().into()],
    ))
}

async fn matches(
    db: &impl ConnectionTrait,
    statement: Statement,
) -> Result<Vec<(Uuid, String)>, Error> {
    db.query_all_raw(statement)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "id")?, row.try_get("", "sort_key")?)))
        .collect()
}

/// Documents after `after` whose text contains `needle`, in list order: a walk of the
/// covering order index (`idx_search_documents_walk`: sort key, id and text in the index, so
/// the walk reads no table page), up to the sort key `bound` when given.
fn walk_statement(
    subject: Subject,
    needle: &str,
    after: &str,
    bound: Option<&str>,
    take: u64,
) -> Statement {
    let bound = bound
        .map(|bound| format!("AND sort_key <= {}", literal(bound)))
        .unwrap_or_default();
    sql(
        &format!(
            "SELECT subject_id AS id, sort_key FROM search_documents \
             WHERE subject = $1 AND sort_key > $2 {bound} AND strpos(body, $3) > 0 \
             ORDER BY sort_key LIMIT {take}"
        ),
        [subject.as_str().into(), after.into(), needle.into()],
    )
}

/// Up to `take` documents containing `needle` after `after`, in list order. A short walk in
/// order first ([`SHORT_WALK`] documents); a page it does not fill is finished from the trigram
/// index when the remaining matches are few ([`super::FEW`]), or else by walking on: a common
/// term whose matches sit far into the list walks to them (bench/README.md has the cost).
pub async fn in_order(
    db: &impl ConnectionTrait,
    subject: Subject,
    needle: &str,
    after: Option<&str>,
    take: u64,
) -> Result<InOrder, Error> {
    let after = after.unwrap_or_default();
    let bound: Option<String> = db
        .query_one_raw(sql(
            &format!(
                "SELECT sort_key FROM search_documents WHERE subject = $1 AND sort_key > $2 \
                 ORDER BY sort_key OFFSET {} LIMIT 1",
                SHORT_WALK - 1
            ),
            [subject.as_str().into(), after.into()],
        ))
        .await?
        .map(|row| row.try_get("", "sort_key"))
        .transpose()?;
    let mut found = matches(
        db,
        walk_statement(subject, needle, after, bound.as_deref(), take),
    )
    .await?;
    // Fewer documents than a short walk remained, or the walk filled the page.
    let Some(bound) = bound.filter(|_| (found.len() as u64) < take) else {
        return Ok(InOrder::of(found));
    };
    let room = take - found.len() as u64;
    let rest = match candidates_statement(subject, needle, &bound, super::FEW) {
        Some(statement) => Some(matches(db, statement).await?),
        None => None,
    };
    match rest {
        Some(mut rest) if rest.len() as u64 <= super::FEW => {
            rest.sort_by(|a, b| a.1.cmp(&b.1));
            rest.truncate(room as usize);
            found.extend(rest);
        }
        _ => found.extend(matches(db, walk_statement(subject, needle, &bound, None, room)).await?),
    }
    Ok(InOrder::of(found))
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
        let sql = candidates_statement(Subject::Partner, "x'); DROP TABLE partners; --", "", 5)
            .unwrap()
            .sql;
        assert!(
            sql.contains("$q$%x'); DROP TABLE partners; --%$q$"),
            "{sql}"
        );
    }
}
