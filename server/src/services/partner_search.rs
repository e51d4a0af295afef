//! Finding partners by any part of their English or Chinese name, fast at 100,000 partners.
//!
//! A plain `LIKE '%q%'` reads every row for a rare term, because no B-tree helps with a match in
//! the middle of a name. So each database gets an index that does:
//!
//! - **SQLite**: an FTS5 table with the trigram tokenizer (`partner_search`) holds the search
//!   text, for queries of three characters or more. Trigrams cannot answer one- or
//!   two-character queries, which are common in Chinese (上海, 河), so a second FTS5 table,
//!   `partner_grams`, holds each distinct character and each distinct pair of neighbouring
//!   characters as words of their own (see [`grams`]). Both keep no copy of the text and no
//!   positions (`detail=none`): every lookup is of whole tokens.
//! - **PostgreSQL**: `pg_trgm` with a GIN index on `search_text`, when the extension can be
//!   installed; the planner uses it for `LIKE`. Without it, search still works by scanning.
//!
//! The index only narrows: every result is checked against the search text itself, so the index
//! may over-approximate (a set of trigrams, a stale entry) but never decides what matches.
//!
//! ## Row ids in name order (SQLite)
//!
//! The list is in name order, and a common term ("lotus" in a tenth of 100,000 names) has far
//! more matches than a page. So an FTS row id is the partner's *rank*: a number that grows with
//! the name (`sort_key`). FTS5 hands out matches in row-id order, which is then name order, and
//! a page is the first 50 matches from the cursor on: no sort, and no reading of matches beyond
//! the page. Ranks live in `partner_search_rows` (`rowid` = rank, `partner_id`), whose `INTEGER
//! PRIMARY KEY` also survives `VACUUM`, which a table's implicit rowid does not.
//!
//! A new or renamed partner gets the rank halfway between its neighbours' (see [`rank_between`]);
//! a bulk load spaces ranks evenly ([`rebuild`]). When two neighbours have no rank left between
//! them, every rank is dealt again: with even spacing that takes dozens of inserts at the very
//! same spot in the name order.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait, Value};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::ttl_cache::TtlCache;

/// A token occurring in at most this many partners counts as rare: intersecting only the rare
/// tokens of a query reads short lists.
pub const RARE: usize = 400;
/// Trigrams of a long query whose frequency is checked; the rest add little.
const MAX_TRIGRAMS: usize = 12;
/// Rank distance between a new last (or first) partner and its neighbour: room for billions of
/// names added in order at either end.
const END_STEP: i64 = 1 << 32;

fn sql(sql: impl Into<String>, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// Whether `partner_grams` can hold this character inside a word. Its tokenizer (`ascii`)
/// splits words at ASCII punctuation and spaces and keeps every other character, so a query of
/// one or two characters with punctuation in it is answered by the walk instead.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// The text `partner_grams` indexes for a search text: each distinct character and each
/// distinct pair of neighbouring characters, as space-separated words. A one-character query
/// is then the word `c`, a two-character query the word `ab`.
pub fn grams(search_text: &str) -> String {
    let chars: Vec<char> = search_text.chars().collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(search_text.len() * 3);
    let mut push = |word: &[char]| {
        if word.iter().all(|&c| is_word_char(c)) && seen.insert(word.to_vec()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word);
        }
    };
    for c in &chars {
        push(std::slice::from_ref(c));
    }
    for pair in chars.windows(2) {
        push(pair);
    }
    out
}

/// Which FTS table can find the partners containing `needle` (lower-cased, non-empty), and
/// the tokens (quoted for a MATCH) that every such partner has; `None` when neither table can
/// (short text with punctuation).
pub fn lookup_tokens(needle: &str) -> Option<(&'static str, Vec<String>)> {
    let chars: Vec<char> = needle.chars().collect();
    let quoted = |text: String| format!("\"{}\"", text.replace('"', "\"\""));
    if chars.len() < 3 {
        return chars
            .iter()
            .all(|&c| is_word_char(c))
            .then(|| ("partner_grams", vec![quoted(needle.to_owned())]));
    }
    let mut trigrams: Vec<String> = Vec::new();
    for window in chars.windows(3) {
        let trigram: String = window.iter().collect();
        if !trigrams.contains(&trigram) {
            trigrams.push(trigram);
        }
    }
    // Spread the sample over the whole query, so its end narrows as much as its start.
    let step = trigrams.len().div_ceil(MAX_TRIGRAMS);
    Some((
        "partner_search",
        trigrams.into_iter().step_by(step).map(quoted).collect(),
    ))
}

/// The FTS table and MATCH expression that find every partner containing `needle`
/// (lower-cased, non-empty), or `None` when no index can (short text with punctuation).
///
/// Of a long query's trigrams, only the rare ones are intersected when there are any: all of
/// them, for "partner 00999", would read the long lists of "par", "art" and so on only to keep
/// the ~100 partners the short lists of "999" and "099" give at once.
pub async fn match_expression(
    db: &impl ConnectionTrait,
    counts: &TokenCounts,
    needle: &str,
) -> ApiResult<Option<(&'static str, String)>> {
    let Some((table, tokens)) = lookup_tokens(needle) else {
        return Ok(None);
    };
    if tokens.len() == 1 {
        return Ok(Some((table, tokens.concat())));
    }
    let known = counts.get(table, &tokens);
    let unknown: Vec<&String> = tokens
        .iter()
        .zip(&known)
        .filter_map(|(token, count)| count.is_none().then_some(token))
        .collect();
    let mut fresh = Vec::with_capacity(unknown.len());
    if !unknown.is_empty() {
        let cap = RARE + 1;
        let columns = vec![
            format!(
                "(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT {cap}))"
            );
            unknown.len()
        ];
        let row = db
            .query_one_raw(sql(
                format!("SELECT {}", columns.join(", ")),
                unknown.iter().map(|t| Value::from((*t).clone())),
            ))
            .await?;
        for n in 0..unknown.len() {
            let count = match &row {
                Some(row) => row.try_get_by_index::<i64>(n)?,
                None => 0,
            };
            fresh.push(usize::try_from(count).unwrap_or(0));
        }
        counts.put(
            table,
            unknown
                .iter()
                .map(|t| t.as_str())
                .zip(fresh.iter().copied()),
        );
    }
    let mut fresh = fresh.into_iter();
    let rare: Vec<&str> = tokens
        .iter()
        .zip(known)
        .filter_map(|(token, count)| {
            let count = count.or_else(|| fresh.next()).unwrap_or(0);
            (count <= RARE).then_some(token.as_str())
        })
        .collect();
    let chosen = if rare.is_empty() {
        tokens.iter().map(String::as_str).collect()
    } else {
        rare
    };
    Ok(Some((table, chosen.join(" AND "))))
}

/// How many partners each search token occurs in (counted up to `RARE + 1`), remembered for a
/// while, so a search does not count its tokens again on every keystroke. The counts only
/// choose which tokens to intersect, never which partners match: a stale count costs at most
/// a slower query, so partner writes need not touch it. Keyed by FTS table and quoted token.
pub struct TokenCounts(TtlCache<(&'static str, String), usize>);

impl Default for TokenCounts {
    fn default() -> Self {
        // Ten minutes: partners are added by hand, a few a day; tens of thousands of trigrams
        // are a few megabytes at most.
        Self::new(Duration::from_secs(600), 20_000)
    }
}

impl TokenCounts {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self(TtlCache::new(ttl, capacity))
    }

    /// The remembered count of each token, `None` when unknown or too old.
    fn get(&self, table: &'static str, tokens: &[String]) -> Vec<Option<usize>> {
        tokens
            .iter()
            .map(|token| self.0.get(&(table, token.clone())))
            .collect()
    }

    fn put<'a>(&self, table: &'static str, counted: impl Iterator<Item = (&'a str, usize)>) {
        for (token, count) in counted {
            self.0.put((table, token.to_owned()), count);
        }
    }
}

/// A rank strictly between two neighbours' ranks, `None` when they are adjacent. Either side may
/// be missing (first or last in name order). Ranks stay within `1..i64::MAX`.
pub fn rank_between(before: Option<i64>, after: Option<i64>) -> Option<i64> {
    match (before, after) {
        (None, None) => Some(i64::MAX / 2),
        (Some(b), None) => {
            let room = i64::MAX - b;
            (room >= 2).then(|| b + (room / 2).min(END_STEP))
        }
        (None, Some(a)) => (a >= 2).then(|| a - (a / 2).min(END_STEP)),
        (Some(b), Some(a)) => (a - b >= 2).then(|| b + (a - b) / 2),
    }
}

/// Adds or refreshes one partner's entries (SQLite; nothing to do on PostgreSQL, whose index
/// follows the column). Call inside the transaction that writes the partner, after the write.
pub async fn index(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    sort_key: &str,
    search_text: &str,
) -> ApiResult<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    // The old entry (its trigger removes the FTS rows), so it is not its own neighbour.
    db.execute_raw(sql(
        "DELETE FROM partner_search_rows WHERE partner_id = ?",
        [partner_id.into()],
    ))
    .await?;
    let neighbour = |comparison: &str, order: &str| {
        sql(
            format!(
                "SELECT r.rowid AS rank FROM partners p \
                 JOIN partner_search_rows r ON r.partner_id = p.id \
                 WHERE p.sort_key {comparison} ? ORDER BY p.sort_key {order} LIMIT 1"
            ),
            [sort_key.into()],
        )
    };
    let rank_of = |row: Option<sea_orm::QueryResult>| -> ApiResult<Option<i64>> {
        Ok(row.map(|r| r.try_get::<i64>("", "rank")).transpose()?)
    };
    let before = rank_of(db.query_one_raw(neighbour("<", "DESC")).await?)?;
    let after = rank_of(db.query_one_raw(neighbour(">", "ASC")).await?)?;
    match rank_between(before, after) {
        Some(rank) => insert_entries(db, &[(rank, partner_id, search_text.to_owned())]).await?,
        // No room left here: deal every rank again, this partner included.
        None => {
            rebuild(db, |_| {}).await?;
        }
    }
    Ok(())
}

/// Writes map rows and FTS rows for `(rank, partner, search text)` entries.
async fn insert_entries(
    db: &impl ConnectionTrait,
    entries: &[(i64, Uuid, String)],
) -> ApiResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let pairs = vec!["(?, ?)"; entries.len()].join(", ");
    let mut map = Vec::with_capacity(entries.len() * 2);
    let mut body = Vec::with_capacity(entries.len() * 2);
    let mut words = Vec::with_capacity(entries.len() * 2);
    for (rank, id, text) in entries {
        map.extend([Value::from(*rank), Value::from(*id)]);
        body.extend([Value::from(*rank), Value::from(text.clone())]);
        words.extend([Value::from(*rank), Value::from(grams(text))]);
    }
    for (table, values) in [
        ("partner_search_rows (rowid, partner_id)", map),
        ("partner_search (rowid, body)", body),
        ("partner_grams (rowid, grams)", words),
    ] {
        db.execute_raw(sql(format!("INSERT INTO {table} VALUES {pairs}"), values))
            .await?;
    }
    Ok(())
}

/// Indexes partners that have no entry yet: one by one when they are few, by [`rebuild`] when
/// they are many. Runs at start-up (so a database written by other means, such as an import or
/// a restore, heals itself) and after `liaison seed`. Returns how many partners it indexed.
pub async fn index_missing(
    db: &(impl ConnectionTrait + TransactionTrait),
    progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(0);
    }
    const ONE_BY_ONE: usize = 1000;
    let missing = db
        .query_all_raw(sql(
            format!(
                "SELECT p.id AS id, p.sort_key AS sort_key, p.search_text AS search_text \
                 FROM partners p WHERE NOT EXISTS \
                 (SELECT 1 FROM partner_search_rows r WHERE r.partner_id = p.id) LIMIT {}",
                ONE_BY_ONE + 1
            ),
            [],
        ))
        .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let txn = db.begin().await?;
    if missing.len() > ONE_BY_ONE {
        let total = rebuild(&txn, progress).await?;
        txn.commit().await?;
        return Ok(total);
    }
    for row in &missing {
        let id: Uuid = row.try_get("", "id")?;
        let key: String = row.try_get("", "sort_key")?;
        let text: String = row.try_get("", "search_text")?;
        index(&txn, id, &key, &text).await?;
    }
    txn.commit().await?;
    Ok(missing.len() as u64)
}

/// Deals every partner a fresh rank, evenly spaced in name order, and indexes all of them anew.
/// Call inside a transaction. Returns how many partners it indexed.
pub async fn rebuild(db: &impl ConnectionTrait, mut progress: impl FnMut(u64)) -> ApiResult<u64> {
    const BATCH: usize = 2000;
    for table in ["partner_search", "partner_grams"] {
        db.execute_unprepared(&format!(
            "INSERT INTO {table} ({table}) VALUES ('delete-all')"
        ))
        .await?;
    }
    // Emptying the map would fire its delete trigger once per row for entries already gone.
    let trigger: Option<String> = db
        .query_one_raw(sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'partner_search_rows_deleted'",
            [],
        ))
        .await?
        .map(|row| row.try_get("", "sql"))
        .transpose()?;
    if trigger.is_some() {
        db.execute_unprepared("DROP TRIGGER partner_search_rows_deleted")
            .await?;
    }
    db.execute_unprepared("DELETE FROM partner_search_rows")
        .await?;
    if let Some(trigger) = &trigger {
        db.execute_unprepared(trigger).await?;
    }

    let total: i64 = db
        .query_one_raw(sql("SELECT count(*) AS n FROM partners", []))
        .await?
        .map(|row| row.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let gap = i64::MAX / (total + 2);
    let mut done: i64 = 0;
    let mut after: Option<String> = None;
    loop {
        let (condition, values): (&str, Vec<Value>) = match &after {
            Some(key) => ("WHERE sort_key > ?", vec![key.clone().into()]),
            None => ("", vec![]),
        };
        let rows = db
            .query_all_raw(sql(
                format!(
                    "SELECT id, sort_key, search_text FROM partners {condition} \
                     ORDER BY sort_key LIMIT {BATCH}"
                ),
                values,
            ))
            .await?;
        let Some(last) = rows.last() else {
            return Ok(done as u64);
        };
        after = Some(last.try_get("", "sort_key")?);
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            done += 1;
            entries.push((
                done * gap,
                row.try_get::<Uuid>("", "id")?,
                row.try_get::<String>("", "search_text")?,
            ));
        }
        insert_entries(db, &entries).await?;
        progress(done as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_fall_between_neighbours_and_run_out_only_when_adjacent() {
        assert_eq!(rank_between(None, None), Some(i64::MAX / 2));
        assert_eq!(rank_between(Some(10), Some(20)), Some(15));
        assert_eq!(rank_between(Some(10), Some(12)), Some(11));
        assert_eq!(rank_between(Some(10), Some(11)), None);
        assert_eq!(rank_between(Some(10), None), Some(10 + END_STEP));
        assert_eq!(rank_between(None, Some(20)), Some(10));
        assert_eq!(rank_between(None, Some(1)), None);
        assert_eq!(rank_between(Some(i64::MAX - 1), None), None);
        let last = rank_between(Some(i64::MAX - 10), None).unwrap();
        assert!(last > i64::MAX - 10 && last < i64::MAX);
    }

    #[test]
    fn token_counts_are_remembered_per_table_until_they_age() {
        let counts = TokenCounts::new(Duration::from_millis(200), 100);
        let tokens = ["\"lot\"".to_owned(), "\"otu\"".to_owned()];
        counts.put("partner_search", [("\"lot\"", 401)].into_iter());
        assert_eq!(counts.get("partner_search", &tokens), [Some(401), None]);
        assert_eq!(counts.get("partner_grams", &tokens), [None, None]);
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(counts.get("partner_search", &tokens), [None, None]);
    }

    #[test]
    fn grams_are_each_character_and_pair_once_without_punctuation() {
        assert_eq!(grams("aba"), "a b ab ba");
        assert_eq!(grams("上海 a-1"), "上 海 a 1 上海");
    }

    #[test]
    fn short_queries_look_up_one_word_unless_punctuated() {
        assert_eq!(
            lookup_tokens("河"),
            Some(("partner_grams", vec!["\"河\"".to_owned()]))
        );
        assert_eq!(
            lookup_tokens("上海"),
            Some(("partner_grams", vec!["\"上海\"".to_owned()]))
        );
        assert_eq!(lookup_tokens("%"), None);
        assert_eq!(lookup_tokens("a "), None);
    }

    #[test]
    fn long_queries_need_every_distinct_trigram_and_quotes_are_escaped() {
        let tokens = |q| lookup_tokens(q).unwrap().1;
        assert_eq!(tokens("lotus"), ["\"lot\"", "\"otu\"", "\"tus\""]);
        assert_eq!(tokens("a\"bc"), ["\"a\"\"b\"", "\"\"\"bc\""]);
        assert_eq!(tokens("aaaa"), ["\"aaa\""]);
    }

    #[test]
    fn very_long_queries_sample_their_trigrams() {
        let (table, tokens) = lookup_tokens("abcdefghijklmnopqrstuvwxyz0123456789").unwrap();
        assert_eq!(table, "partner_search");
        assert!(tokens.len() <= MAX_TRIGRAMS);
        assert_eq!(tokens[0], "\"abc\"");
    }
}
