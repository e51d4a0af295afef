//! The SQLite adapter: `search_documents` holds each record's text under an `INTEGER PRIMARY
//! KEY` (stable across VACUUM) that is its *rank*: a number that grows with the record's
//! `sort_key`, in a range of the subject's own. Two contentless FTS5 tables index the text by
//! that row id, so their matches come out in list order:
//! `search_trigrams` (trigram tokenizer, for three characters or more) and `search_grams` (each
//! distinct character and pair, see [`super::text::grams`]). A trigger removes a document's
//! FTS rows with it.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use super::text::{fts_quote, grams, is_word_char, trigrams};
use super::{InOrder, Subject};
use crate::core::Error;

fn sql(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// The row ids of one subject's documents: a range of its own, so ranks of two subjects never
/// meet.
fn rank_range(subject: Subject) -> (i64, i64) {
    let n = subject.number();
    (n << 56, (n + 1) << 56)
}

/// Rank distance between a new last (or first) document and its neighbour: room for billions
/// added in order at either end.
const END_STEP: i64 = 1 << 32;

/// A rank strictly between two neighbours' (either may be missing: first or last in order),
/// inside `lo..hi`; `None` when they are adjacent.
pub fn rank_between((lo, hi): (i64, i64), before: Option<i64>, after: Option<i64>) -> Option<i64> {
    match (before, after) {
        (None, None) => Some(lo + (hi - lo) / 2),
        (Some(b), None) => (hi - b >= 2).then(|| b + ((hi - b) / 2).min(END_STEP)),
        (None, Some(a)) => (a - lo >= 2).then(|| a - ((a - lo) / 2).min(END_STEP)),
        (Some(b), Some(a)) => (a - b >= 2).then(|| b + (a - b) / 2),
    }
}

async fn rank_of(db: &impl ConnectionTrait, statement: Statement) -> Result<Option<i64>, Error> {
    Ok(db
        .query_one_raw(statement)
        .await?
        .map(|row| row.try_get::<Option<i64>>("", "rowid"))
        .transpose()?
        .flatten())
}

async fn insert_fts(db: &impl ConnectionTrait, entries: &[(i64, &str)]) -> Result<(), Error> {
    for chunk in entries.chunks(1000) {
        let pairs = vec!["(?, ?)"; chunk.len()].join(", ");
        let mut trigrams = Vec::with_capacity(chunk.len() * 2);
        let mut words = Vec::with_capacity(chunk.len() * 2);
        for (rank, body) in chunk {
            trigrams.extend([Value::from(*rank), Value::from(*body)]);
            words.extend([Value::from(*rank), Value::from(grams(body))]);
        }
        db.execute_raw(sql(
            &format!("INSERT INTO search_trigrams (rowid, body) VALUES {pairs}"),
            trigrams,
        ))
        .await?;
        db.execute_raw(sql(
            &format!("INSERT INTO search_grams (rowid, grams) VALUES {pairs}"),
            words,
        ))
        .await?;
    }
    Ok(())
}

/// Inserts documents at the given ranks, with their FTS rows.
async fn insert_ranked(
    db: &impl ConnectionTrait,
    subject: Subject,
    ranked: &[(i64, &super::Entry)],
) -> Result<(), Error> {
    for chunk in ranked.chunks(500) {
        let mut values = Vec::with_capacity(chunk.len() * 5);
        let mut fts = Vec::with_capacity(chunk.len());
        for (rank, entry) in chunk {
            values.extend([
                Value::from(*rank),
                subject.as_str().into(),
                entry.id.into(),
                entry.sort_key.clone().into(),
                entry.body.clone().into(),
            ]);
            fts.push((*rank, entry.body.as_str()));
        }
        let rows = vec!["(?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        db.execute_raw(sql(
            &format!(
                "INSERT INTO search_documents (rowid, subject, subject_id, sort_key, body) \
                 VALUES {rows}"
            ),
            values,
        ))
        .await?;
        insert_fts(db, &fts).await?;
    }
    Ok(())
}

/// Makes `body` what `id` is found by, at its place in `sort_key` order: the document's row id
/// is its rank, between its neighbours'. When they have no room left, every rank of the subject
/// is dealt again ([`reorder`]); with even spacing that takes dozens of inserts at one spot.
pub async fn put(
    db: &impl ConnectionTrait,
    subject: Subject,
    entry: &super::Entry,
) -> Result<(), Error> {
    let current = db
        .query_one_raw(sql(
            "SELECT body, sort_key FROM search_documents WHERE subject = ? AND subject_id = ?",
            [subject.as_str().into(), entry.id.into()],
        ))
        .await?;
    if let Some(row) = &current {
        let same_body = row.try_get::<String>("", "body")? == entry.body;
        let same_key = row.try_get::<String>("", "sort_key")? == entry.sort_key;
        if same_body && same_key {
            return Ok(());
        }
        // Its trigger removes the FTS rows, and it is no longer its own neighbour.
        delete(db, subject, &[entry.id]).await?;
    }
    let neighbour = |comparison: &str, order: &str| {
        sql(
            &format!(
                "SELECT rowid FROM search_documents WHERE subject = ? AND sort_key {comparison} ? \
                 ORDER BY sort_key {order} LIMIT 1"
            ),
            [subject.as_str().into(), entry.sort_key.clone().into()],
        )
    };
    let before = rank_of(db, neighbour("<=", "DESC")).await?;
    let after = rank_of(db, neighbour(">", "ASC")).await?;
    match rank_between(rank_range(subject), before, after) {
        Some(rank) => insert_ranked(db, subject, &[(rank, entry)]).await,
        None => {
            put_many(db, subject, std::slice::from_ref(entry)).await?;
            reorder(db, subject).await
        }
    }
}

async fn delete(db: &impl ConnectionTrait, subject: Subject, ids: &[Uuid]) -> Result<(), Error> {
    let marks = vec!["?"; ids.len()].join(", ");
    let mut values = vec![Value::from(subject.as_str())];
    values.extend(ids.iter().map(|id| Value::from(*id)));
    db.execute_raw(sql(
        &format!("DELETE FROM search_documents WHERE subject = ? AND subject_id IN ({marks})"),
        values,
    ))
    .await?;
    Ok(())
}

/// Documents for `entries`, replacing any there were, after the subject's last rank: call
/// [`reorder`] once they are all in, to give them their places.
pub async fn put_many(
    db: &impl ConnectionTrait,
    subject: Subject,
    entries: &[super::Entry],
) -> Result<(), Error> {
    let (lo, hi) = rank_range(subject);
    for chunk in entries.chunks(500) {
        let ids: Vec<Uuid> = chunk.iter().map(|entry| entry.id).collect();
        delete(db, subject, &ids).await?;
        let last = rank_of(
            db,
            sql(
                "SELECT max(rowid) AS rowid FROM search_documents WHERE rowid >= ? AND rowid < ?",
                [lo.into(), hi.into()],
            ),
        )
        .await?
        .unwrap_or(lo);
        let ranked: Vec<(i64, &super::Entry)> = chunk
            .iter()
            .enumerate()
            .map(|(n, entry)| (last + 1 + n as i64, entry))
            .collect();
        insert_ranked(db, subject, &ranked).await?;
    }
    Ok(())
}

/// Deals every document of `subject` a fresh rank, evenly spaced in `sort_key` order.
pub async fn reorder(db: &impl ConnectionTrait, subject: Subject) -> Result<(), Error> {
    let rows = db
        .query_all_raw(sql(
            "SELECT subject_id, sort_key, body FROM search_documents WHERE subject = ? \
             ORDER BY sort_key, subject_id",
            [subject.as_str().into()],
        ))
        .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        entries.push(super::Entry {
            id: row.try_get("", "subject_id")?,
            sort_key: row.try_get("", "sort_key")?,
            body: row.try_get("", "body")?,
        });
    }
    drop(rows);
    db.execute_raw(sql(
        "DELETE FROM search_documents WHERE subject = ?",
        [subject.as_str().into()],
    ))
    .await?;
    let (lo, hi) = rank_range(subject);
    let gap = (hi - lo) / (entries.len() as i64 + 1);
    let ranked: Vec<(i64, &super::Entry)> = entries
        .iter()
        .enumerate()
        .map(|(n, entry)| (lo + (n as i64 + 1) * gap, entry))
        .collect();
    insert_ranked(db, subject, &ranked).await
}

/// The first `take` documents containing `needle` after `after`, as a condition on an id
/// column (`column IN (…)`): [`in_order`] folded into the caller's own query, one statement
/// instead of two, for a list without other filters.
pub fn in_order_condition(
    column: &str,
    subject: Subject,
    needle: &str,
    after: Option<&str>,
    take: u64,
) -> Option<SimpleExpr> {
    let (table, expression) = match_expression(needle)?;
    let (lo, hi) = rank_range(subject);
    Some(Expr::cust_with_values(
        format!(
            "{column} IN (SELECT id FROM (SELECT d.subject_id AS id FROM {table} AS f \
             CROSS JOIN search_documents AS d ON d.rowid = f.rowid \
             WHERE f.{table} MATCH ? AND f.rowid >= coalesce((SELECT rowid FROM \
             search_documents WHERE subject = ? AND sort_key <= ? ORDER BY sort_key DESC \
             LIMIT 1), ?) AND f.rowid < ? AND d.sort_key > ? AND instr(d.body, ?) > 0 \
             ORDER BY f.rowid LIMIT {take}))"
        ),
        [
            Value::from(expression),
            subject.as_str().into(),
            after.unwrap_or_default().into(),
            lo.into(),
            hi.into(),
            after.unwrap_or_default().into(),
            needle.into(),
        ],
    ))
}

/// Up to `take` documents containing `needle`, in `sort_key` order after `after`: FTS5 hands
/// matches out in row-id order, which is rank order, so this reads no match beyond the page,
/// however common the term. Text no index can answer (a short query with punctuation) walks
/// the documents in order.
pub async fn in_order(
    db: &impl ConnectionTrait,
    subject: Subject,
    needle: &str,
    after: Option<&str>,
    take: u64,
) -> Result<InOrder, Error> {
    let Some((table, expression)) = match_expression(needle) else {
        let rows = db
            .query_all_raw(sql(
                &format!(
                    "SELECT subject_id AS id, sort_key FROM search_documents \
                     WHERE subject = ? AND sort_key > ? AND instr(body, ?) > 0 \
                     ORDER BY sort_key LIMIT {take}"
                ),
                [
                    subject.as_str().into(),
                    after.unwrap_or_default().into(),
                    needle.into(),
                ],
            ))
            .await?;
        let matches = rows
            .iter()
            .map(|row| Ok((row.try_get("", "id")?, row.try_get("", "sort_key")?)))
            .collect::<Result<Vec<(Uuid, String)>, Error>>()?;
        return Ok(InOrder::of(matches));
    };
    let (lo, hi) = rank_range(subject);
    // Start at the cursor's rank: the nearest document at or before it.
    let start = match after {
        Some(after) => rank_of(
            db,
            sql(
                "SELECT rowid FROM search_documents WHERE subject = ? AND sort_key <= ? \
                 ORDER BY sort_key DESC LIMIT 1",
                [subject.as_str().into(), after.into()],
            ),
        )
        .await?
        .unwrap_or(lo),
        None => lo,
    };
    // CROSS JOIN keeps the FTS table driving, in row-id order, so the query stops after
    // `take`. `instr` keeps exact matches (the index over-approximates). The ids come back as
    // one row (hex, comma-separated) with the last sort key: sqlx hands each row of a result
    // from the connection's thread to the caller's, and a row per match was most of the cost.
    let row = db
        .query_one_raw(sql(
            &format!(
                "SELECT group_concat(hex(id), ',') AS ids, max(sort_key) AS last FROM \
                 (SELECT d.subject_id AS id, d.sort_key AS sort_key FROM {table} AS f \
                  CROSS JOIN search_documents AS d ON d.rowid = f.rowid \
                  WHERE f.{table} MATCH ? AND f.rowid >= ? AND f.rowid < ? AND d.sort_key > ? \
                  AND instr(d.body, ?) > 0 ORDER BY f.rowid LIMIT {take})"
            ),
            [
                expression.into(),
                start.into(),
                hi.into(),
                after.unwrap_or_default().into(),
                needle.into(),
            ],
        ))
        .await?;
    let (ids, last) = match row {
        Some(row) => (
            row.try_get::<Option<String>>("", "ids")?,
            row.try_get::<Option<String>>("", "last")?,
        ),
        None => (None, None),
    };
    let mut found = Vec::new();
    if let (Some(ids), Some(last)) = (ids, last) {
        for hex in ids.split(',') {
            let id = Uuid::try_parse(hex)
                .map_err(|e| anyhow::anyhow!("reading a search document's id {hex}: {e}"))?;
            found.push(id);
        }
        return Ok(InOrder { ids: found, last });
    }
    Ok(InOrder {
        ids: found,
        last: String::new(),
    })
}

/// The FTS table and MATCH expression that find every document containing `needle`, or `None`
/// when neither table can (a short query with punctuation; text with control characters, which
/// FTS5's query syntax cannot quote).
pub fn match_expression(needle: &str) -> Option<(&'static str, String)> {
    if needle.chars().any(char::is_control) {
        return None;
    }
    let length = needle.chars().count();
    if length < 3 {
        return needle
            .chars()
            .all(is_word_char)
            .then(|| ("search_grams", fts_quote(needle)));
    }
    let terms: Vec<String> = trigrams(needle).iter().map(|t| fts_quote(t)).collect();
    Some(("search_trigrams", terms.join(" AND ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_fall_between_neighbours_inside_the_subjects_range() {
        let lo = 1i64 << 56;
        let hi = 2i64 << 56;
        assert_eq!(rank_between((lo, hi), None, None), Some(lo + (1 << 55)));
        assert_eq!(
            rank_between((lo, hi), Some(lo + 10), Some(lo + 20)),
            Some(lo + 15)
        );
        assert_eq!(rank_between((lo, hi), Some(lo + 10), Some(lo + 11)), None);
        assert_eq!(rank_between((lo, hi), Some(lo), None), Some(lo + END_STEP));
        assert_eq!(rank_between((lo, hi), None, Some(lo + 2)), Some(lo + 1));
        assert_eq!(rank_between((lo, hi), None, Some(lo + 1)), None);
        assert_eq!(rank_between((lo, hi), Some(hi - 3), None), Some(hi - 2));
        assert_eq!(rank_between((lo, hi), Some(hi - 1), None), None);
    }

    #[test]
    fn short_queries_look_up_one_gram_unless_punctuated() {
        assert_eq!(
            match_expression("河"),
            Some(("search_grams", "\"河\"".to_owned()))
        );
        assert_eq!(
            match_expression("上海"),
            Some(("search_grams", "\"上海\"".to_owned()))
        );
        assert_eq!(match_expression("%"), None);
        assert_eq!(match_expression("a "), None);
        assert_eq!(match_expression("ab\0c"), None);
    }

    #[test]
    fn long_queries_need_every_covering_trigram() {
        assert_eq!(
            match_expression("lotus"),
            Some(("search_trigrams", "\"lot\" AND \"tus\"".to_owned()))
        );
    }
}
