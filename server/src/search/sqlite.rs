//! The SQLite adapter: `search_documents` holds each record's text under an `INTEGER PRIMARY
//! KEY` (stable across VACUUM); two contentless FTS5 tables index it by that row id:
//! `search_trigrams` (trigram tokenizer, for three characters or more) and `search_grams` (each
//! distinct character and pair, see [`super::text::grams`]). A trigger removes a document's
//! FTS rows with it.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use super::text::{fts_quote, grams, is_word_char, trigrams};
use super::{Candidates, Subject, few_or_many};
use crate::core::Error;

fn sql(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

pub async fn put(
    db: &impl ConnectionTrait,
    subject: Subject,
    id: Uuid,
    body: &str,
) -> Result<(), Error> {
    let current = db
        .query_one_raw(sql(
            "SELECT body FROM search_documents WHERE subject = ? AND subject_id = ?",
            [subject.as_str().into(), id.into()],
        ))
        .await?
        .map(|row| row.try_get::<String>("", "body"))
        .transpose()?;
    if current.as_deref() == Some(body) {
        return Ok(());
    }
    if current.is_some() {
        db.execute_raw(sql(
            "DELETE FROM search_documents WHERE subject = ? AND subject_id = ?",
            [subject.as_str().into(), id.into()],
        ))
        .await?;
    }
    let rowid: i64 = db
        .query_one_raw(sql(
            "INSERT INTO search_documents (subject, subject_id, body) VALUES (?, ?, ?) \
             RETURNING rowid",
            [subject.as_str().into(), id.into(), body.into()],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the search document's insert returned no row id"))?
        .try_get("", "rowid")?;
    db.execute_raw(sql(
        "INSERT INTO search_trigrams (rowid, body) VALUES (?, ?)",
        [rowid.into(), body.into()],
    ))
    .await?;
    db.execute_raw(sql(
        "INSERT INTO search_grams (rowid, grams) VALUES (?, ?)",
        [rowid.into(), grams(body).into()],
    ))
    .await?;
    Ok(())
}

/// Documents for `entries` (at most a few thousand: three bound values each), replacing any
/// there were.
pub async fn put_many(
    db: &impl ConnectionTrait,
    subject: Subject,
    entries: &[(Uuid, String)],
) -> Result<(), Error> {
    let ids: Vec<Value> = entries.iter().map(|(id, _)| (*id).into()).collect();
    let marks = vec!["?"; ids.len()].join(", ");
    let mut values = vec![Value::from(subject.as_str())];
    values.extend(ids);
    db.execute_raw(sql(
        &format!("DELETE FROM search_documents WHERE subject = ? AND subject_id IN ({marks})"),
        values,
    ))
    .await?;
    let mut values = Vec::with_capacity(entries.len() * 3);
    for (id, body) in entries {
        values.extend([subject.as_str().into(), (*id).into(), body.clone().into()]);
    }
    let rows = vec!["(?, ?, ?)"; entries.len()].join(", ");
    let inserted = db
        .query_all_raw(sql(
            &format!(
                "INSERT INTO search_documents (subject, subject_id, body) VALUES {rows} \
                 RETURNING rowid, body"
            ),
            values,
        ))
        .await?;
    let mut trigrams = Vec::with_capacity(inserted.len() * 2);
    let mut words = Vec::with_capacity(inserted.len() * 2);
    for row in &inserted {
        let rowid: i64 = row.try_get("", "rowid")?;
        let body: String = row.try_get("", "body")?;
        words.extend([Value::from(rowid), Value::from(grams(&body))]);
        trigrams.extend([Value::from(rowid), Value::from(body)]);
    }
    let pairs = vec!["(?, ?)"; inserted.len()].join(", ");
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
    Ok(())
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

pub async fn candidates(
    db: &impl ConnectionTrait,
    subject: Subject,
    needle: &str,
    few: u64,
) -> Result<Candidates, Error> {
    let Some((table, expression)) = match_expression(needle) else {
        return Ok(Candidates::Unindexed);
    };
    // The index over-approximates (a set of trigrams is not a substring); `instr` keeps exact
    // matches only, so `Few` holds exactly the records that contain the text.
    let rows = db
        .query_all_raw(sql(
            &format!(
                "SELECT d.subject_id AS id FROM {table} AS f \
                 CROSS JOIN search_documents AS d ON d.rowid = f.rowid \
                 WHERE f.{table} MATCH ? AND d.subject = ? AND instr(d.body, ?) > 0 LIMIT ?"
            ),
            [
                expression.into(),
                subject.as_str().into(),
                needle.into(),
                ((few + 1) as i64).into(),
            ],
        ))
        .await?;
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
    fn long_queries_need_every_sampled_trigram() {
        assert_eq!(
            match_expression("lotus"),
            Some((
                "search_trigrams",
                "\"lot\" AND \"otu\" AND \"tus\"".to_owned()
            ))
        );
    }
}
