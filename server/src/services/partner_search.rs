//! Finding partners by any part of their English or Chinese name, fast at 100,000 partners.
//!
//! A plain `LIKE '%q%'` reads every row for a rare term, because no B-tree helps with a match in
//! the middle of a name. So each database gets an index that does:
//!
//! - **SQLite**: an FTS5 table with the trigram tokenizer (`partner_search`). Its `body` column
//!   holds the search text, for queries of three characters or more. Trigrams cannot answer one-
//!   or two-character queries, which are common in Chinese (上海, 河), so a second column,
//!   `grams`, holds each distinct character and each distinct pair of neighbouring characters,
//!   spelled so that each is one trigram of its own (see [`grams`]). FTS row ids come from
//!   `partner_search_rows`, whose `INTEGER PRIMARY KEY` survives `VACUUM` (a table's implicit
//!   rowid does not).
//! - **PostgreSQL**: `pg_trgm` with a GIN index on `search_text`, when the extension can be
//!   installed; the planner uses it for `LIKE`. Without it, search still works by scanning.
//!
//! The index only narrows: every result is checked against the search text itself, so the index
//! may over-approximate (a trigram set, a stale row) but never decides what matches.
//!
//! On SQLite a query is answered one of two ways, chosen per query:
//! - **Few candidates** (at most [`CANDIDATE_LIMIT`]): fetch them by id, check, sort.
//! - **Many candidates**: the term is common, so walking the partners in name order through
//!   the covering index `idx_partners_sort_search` (name order + search text, no table reads)
//!   finds a page of matches after a short walk.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait, Value};
use uuid::Uuid;

use crate::error::ApiResult;

/// Above this many candidates a term counts as common, and the name-order walk is cheaper.
pub const CANDIDATE_LIMIT: usize = 400;
/// Trigrams used to look a long query up; more would only narrow an already short list.
const MAX_TRIGRAMS: usize = 12;
/// Marks a single character in `grams`: `\u{2}c\u{2}`.
const SINGLE: char = '\u{2}';
/// Joins a pair of neighbouring characters in `grams`: `a\u{1}b`.
const PAIR: char = '\u{1}';

/// The `grams` column for a search text: each distinct character as `␂c␂` and each distinct
/// pair of neighbours as `a␁b`. A trigram of either shape occurs in this string only where it
/// was written whole (the markers never sit anywhere else), so one-character and
/// two-character queries become exact trigram lookups.
pub fn grams(search_text: &str) -> String {
    let chars: Vec<char> = search_text.chars().collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(search_text.len() * 4);
    for &c in &chars {
        if seen.insert((c, None)) {
            out.extend([SINGLE, c, SINGLE]);
        }
    }
    for pair in chars.windows(2) {
        if seen.insert((pair[0], Some(pair[1]))) {
            out.extend([pair[0], PAIR, pair[1]]);
        }
    }
    out
}

/// The FTS5 query that finds every partner whose search text contains `needle` (and possibly
/// a few more, which the caller's check removes). `needle` is lower-cased and non-empty.
pub fn fts_query(needle: &str) -> String {
    let chars: Vec<char> = needle.chars().collect();
    let phrase = |text: String| format!("\"{}\"", text.replace('"', "\"\""));
    match chars.as_slice() {
        [] => String::new(),
        [c] => format!("grams : {}", phrase([SINGLE, *c, SINGLE].iter().collect())),
        [a, b] => format!("grams : {}", phrase([*a, PAIR, *b].iter().collect())),
        _ => {
            let mut trigrams: Vec<String> = Vec::new();
            for window in chars.windows(3) {
                let trigram: String = window.iter().collect();
                if !trigrams.contains(&trigram) {
                    trigrams.push(trigram);
                }
            }
            // Spread the sample over the whole query, so its end narrows as much as its start.
            let step = trigrams.len().div_ceil(MAX_TRIGRAMS);
            trigrams
                .into_iter()
                .step_by(step)
                .map(|t| format!("body : {}", phrase(t)))
                .collect::<Vec<_>>()
                .join(" AND ")
        }
    }
}

/// SQLite: the partners that may contain `needle`, as a SQL condition on `"partners"."id"`, when
/// there are at most [`CANDIDATE_LIMIT`] of them; `None` when the term is common.
pub async fn few_candidates(
    db: &impl ConnectionTrait,
    needle: &str,
) -> ApiResult<Option<(String, Value)>> {
    let query = fts_query(needle);
    let counted = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT count(*) AS n FROM (SELECT rowid FROM partner_search \
             WHERE partner_search MATCH ? LIMIT ?)",
            [query.clone().into(), (CANDIDATE_LIMIT as i64 + 1).into()],
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if counted as usize > CANDIDATE_LIMIT {
        return Ok(None);
    }
    Ok(Some((
        "\"partners\".\"id\" IN (SELECT partner_id FROM partner_search_rows WHERE rowid IN \
         (SELECT rowid FROM partner_search WHERE partner_search MATCH ?))"
            .to_owned(),
        query.into(),
    )))
}

/// Adds or refreshes one partner's entry (SQLite; nothing to do on PostgreSQL, whose index
/// follows the column). Call inside the transaction that writes the partner.
pub async fn index(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    search_text: &str,
) -> ApiResult<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let sql = |sql: &str, values: Vec<Value>| {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    };
    db.execute_raw(sql(
        "INSERT INTO partner_search_rows (partner_id) VALUES (?) ON CONFLICT (partner_id) DO NOTHING",
        vec![partner_id.into()],
    ))
    .await?;
    let row = db
        .query_one_raw(sql(
            "SELECT rowid FROM partner_search_rows WHERE partner_id = ?",
            vec![partner_id.into()],
        ))
        .await?;
    let Some(rowid) = row.map(|r| r.try_get::<i64>("", "rowid")).transpose()? else {
        return Ok(());
    };
    db.execute_raw(sql(
        "DELETE FROM partner_search WHERE rowid = ?",
        vec![rowid.into()],
    ))
    .await?;
    db.execute_raw(sql(
        "INSERT INTO partner_search (rowid, body, grams) VALUES (?, ?, ?)",
        vec![rowid.into(), search_text.into(), grams(search_text).into()],
    ))
    .await?;
    Ok(())
}

/// Indexes every partner that has no entry yet, in batches, calling `progress` with the count
/// done. Runs at start-up (so a database written by other means heals itself) and after
/// `liaison seed`. Returns how many partners it indexed.
pub async fn index_missing(
    db: &(impl ConnectionTrait + TransactionTrait),
    mut progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(0);
    }
    const BATCH: u64 = 2000;
    let mut done = 0;
    // Walks partners in rowid order, so each batch starts where the last one stopped.
    let mut after: i64 = i64::MIN;
    loop {
        let txn = db.begin().await?;
        let missing = txn
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT p.rowid AS at, p.id AS id, p.search_text AS search_text FROM partners p \
                 WHERE p.rowid > ? AND NOT EXISTS \
                 (SELECT 1 FROM partner_search_rows r WHERE r.partner_id = p.id) \
                 ORDER BY p.rowid LIMIT ?",
                [after.into(), (BATCH as i64).into()],
            ))
            .await?;
        if missing.is_empty() {
            txn.commit().await?;
            return Ok(done);
        }
        let first: i64 = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT coalesce(max(rowid), 0) + 1 AS next FROM partner_search_rows",
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "next"))
            .transpose()?
            .unwrap_or(1);
        let mut map_values: Vec<Value> = Vec::with_capacity(missing.len() * 2);
        let mut fts_values: Vec<Value> = Vec::with_capacity(missing.len() * 3);
        for (n, row) in missing.iter().enumerate() {
            after = after.max(row.try_get("", "at")?);
            let id: Uuid = row.try_get("", "id")?;
            let text: String = row.try_get("", "search_text")?;
            let rowid = first + n as i64;
            map_values.extend([rowid.into(), id.into()]);
            fts_values.extend([rowid.into(), grams(&text).into(), text.into()]);
        }
        let rows = missing.len();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!(
                "INSERT INTO partner_search_rows (rowid, partner_id) VALUES {}",
                vec!["(?, ?)"; rows].join(", ")
            ),
            map_values,
        ))
        .await?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!(
                "INSERT INTO partner_search (rowid, grams, body) VALUES {}",
                vec!["(?, ?, ?)"; rows].join(", ")
            ),
            fts_values,
        ))
        .await?;
        txn.commit().await?;
        done += rows as u64;
        progress(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_spell_each_character_and_pair_once() {
        assert_eq!(grams("aba"), "\u{2}a\u{2}\u{2}b\u{2}a\u{1}bb\u{1}a");
    }

    #[test]
    fn short_queries_look_up_one_gram() {
        assert_eq!(fts_query("河"), "grams : \"\u{2}河\u{2}\"");
        assert_eq!(fts_query("上海"), "grams : \"上\u{1}海\"");
    }

    #[test]
    fn long_queries_need_every_distinct_trigram_and_quotes_are_escaped() {
        assert_eq!(
            fts_query("lotus"),
            "body : \"lot\" AND body : \"otu\" AND body : \"tus\""
        );
        assert_eq!(
            fts_query("a\"bc"),
            "body : \"a\"\"b\" AND body : \"\"\"bc\""
        );
        assert_eq!(fts_query("aaaa"), "body : \"aaa\"");
    }

    #[test]
    fn very_long_queries_sample_their_trigrams() {
        let query = fts_query("abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(query.matches(" AND ").count() < MAX_TRIGRAMS);
        assert!(query.starts_with("body : \"abc\""));
    }
}
