//! `liaison seed`: synthetic partners and activities at scale, for benchmarks. Rows go in as
//! multi-row INSERTs, with a progress bar.
//!
//! On SQLite each table is loaded in one transaction that first drops the table's non-unique
//! indexes and builds them again at the end: building an index from sorted data is several
//! times faster than growing it row by row in random order. SQLite's DDL is transactional, so
//! other connections keep using the old indexes until the commit, and a seed that fails or is
//! stopped leaves the database exactly as it was.

use std::time::Instant;

use anyhow::Context as _;
use chrono::{Duration, SubsecRound, Utc};
use futures::{SinkExt, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityName, EntityTrait,
    PaginatorTrait, QueryOrder, QuerySelect, QueryTrait, Set, Statement, TransactionTrait,
};
use shared::activity::ActivityKind;
use shared::partner::PartnerStatus;
use uuid::Uuid;

use super::demo::Lcg;
use crate::areas::activities::entities::activity;
use crate::areas::partners::entities::partner;
use crate::areas::partners::{self as partners_area, store::search_text, store::sort_key};
use crate::areas::staff::entities::user;
use crate::core::Context;
use crate::store::Stored;

/// Rows per INSERT: under SQLite's 32,766 bound parameters for the widest table.
const BATCH: usize = 1_000;
/// Rows per transaction on PostgreSQL.
const COMMIT_EVERY: usize = 20_000;

const SECTORS: &[&str] = &[
    "Lighting",
    "Engineering",
    "Consumer goods",
    "Insurance",
    "Property",
    "Energy",
    "Finance",
];
const WORDS: &[&str] = &[
    "Green", "Harbour", "Summit", "Jade", "River", "Sky", "Lotus", "Pine", "Delta", "Sun",
];
const WORDS_ZH: &[&str] = &["绿", "港", "峰", "玉", "河", "天", "莲", "松", "洲", "日"];
const KINDS: &[ActivityKind] = &ActivityKind::ALL;

/// A progress bar for `len` items of `what`.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{what:>10} [{{bar:40}}] {{pos}}/{{len}} {{per_sec}} eta {{eta}} {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

pub async fn run(ctx: &Context, partners: u64, activities: u64) -> anyhow::Result<()> {
    let db: &DatabaseConnection = &ctx.db;
    let started = Instant::now();
    let existing = partner::Entity::find().count(db).await?;
    let author = user::Entity::find()
        .order_by_asc(user::Column::CreatedAt)
        .one(db)
        .await?
        .map(|u| u.id);
    // Microseconds, as PostgreSQL keeps them.
    let now = Utc::now().trunc_subsecs(6);
    let mut rng = Lcg(existing + 1);

    let mut partner_ids = Vec::with_capacity(partners as usize);
    let stage = Instant::now();
    insert_in_batches(db, partners, "partners", |n| {
        let serial = existing + n + 1;
        let word = rng.below(WORDS.len() as u64) as usize;
        let sector = SECTORS[serial as usize % SECTORS.len()];
        let name = format!("{} {sector} Partner {serial:07}", WORDS[word]);
        let name_zh = format!(
            "{}{}合作伙伴{serial}",
            WORDS_ZH[word],
            WORDS_ZH[(word + 3) % WORDS_ZH.len()]
        );
        let id = Uuid::now_v7();
        partner_ids.push(id);
        let status = PartnerStatus::ALL[rng.below(3) as usize];
        partner::ActiveModel {
            id: Set(id),
            sort_key: Set(sort_key(&name)),
            search_text: Set(search_text(&name, Some(&name_zh))),
            name: Set(name),
            name_zh: Set(Some(name_zh)),
            sector: Set(Some(sector.to_owned())),
            website: Set(None),
            status: Set(Stored(status)),
            owner_id: Set(author),
            notes: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
    })
    .await?;

    println!(
        "partners: {partners} in {:.1} s",
        stage.elapsed().as_secs_f64()
    );

    let stage = Instant::now();
    let progress = bar(partners, "search");
    let indexed = partners_area::service::reindex(ctx, |done| progress.set_position(done))
        .await
        .map_err(|e| e.describe())
        .context("indexing partners for search")?;
    progress.finish();
    println!(
        "search index: {indexed} partners in {:.1} s",
        stage.elapsed().as_secs_f64()
    );

    if partner_ids.is_empty() && activities > 0 {
        // Log activities against the partners already there.
        partner_ids = partner::Entity::find()
            .select_only()
            .column(partner::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
    }
    if partner_ids.is_empty() && activities > 0 {
        anyhow::bail!("activities need partners: pass --partners 1 or more");
    }
    let stage = Instant::now();
    insert_in_batches(db, activities, "activities", |n| {
        let partner_id = partner_ids[rng.below(partner_ids.len() as u64) as usize];
        let occurred_at = now - Duration::minutes(rng.below(60 * 24 * 365) as i64);
        let with_step = rng.below(5) == 0;
        let due = (now + Duration::days(rng.below(30) as i64 - 10)).date_naive();
        activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            partner_id: Set(partner_id),
            author_id: Set(author),
            kind: Set(Stored(KINDS[rng.below(KINDS.len() as u64) as usize])),
            occurred_at: Set(occurred_at),
            summary: Set(format!("Synthetic contact {n} for load testing.")),
            next_step: Set(with_step.then(|| "Follow up".to_owned())),
            next_step_due: Set(with_step.then_some(due)),
            next_step_done_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
    })
    .await?;

    println!(
        "activities: {activities} in {:.1} s",
        stage.elapsed().as_secs_f64()
    );
    checkpoint(db).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let rows = partners + activities;
    println!(
        "Seeded {partners} partners and {activities} activities in {elapsed:.1} s ({:.0} rows/s).",
        rows as f64 / elapsed.max(0.001)
    );
    Ok(())
}

/// Inserts `total` rows made by `row` as multi-row INSERTs, with a progress bar. On SQLite
/// it is one transaction that rebuilds the table's non-unique indexes at the end (see the
/// module docs); on PostgreSQL, a transaction per [`COMMIT_EVERY`] rows.
async fn insert_in_batches<A>(
    db: &DatabaseConnection,
    total: u64,
    what: &str,
    mut row: impl FnMut(u64) -> A,
) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
{
    let table = A::Entity::default().table_name().to_owned();
    let backend = db.get_database_backend();
    let sqlite = backend == DbBackend::Sqlite;
    let progress = bar(total, what);
    let txn = db.begin().await?;
    let indexes = if sqlite {
        // A bigger page cache for this one connection: the load touches every page.
        txn.execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
        drop_secondary_indexes(&txn, &table).await?
    } else {
        Vec::new()
    };
    // The next batch's INSERT is built while the database runs this one: on SQLite they run
    // on two threads (this one and the connection's), which made the seed about a third faster
    // than building and running in turn. One batch waits at most.
    let (mut built, mut to_write) = futures::channel::mpsc::channel::<Built>(1);
    let build = async move {
        let mut batch = Vec::with_capacity(BATCH);
        for n in 0..total {
            batch.push(row(n));
            if batch.len() == BATCH || n + 1 == total {
                let rows = batch.len() as u64;
                let statement = A::Entity::insert_many(std::mem::take(&mut batch)).build(backend);
                if built
                    .send(Built {
                        statement,
                        rows,
                        through: n + 1,
                    })
                    .await
                    .is_err()
                {
                    break; // the writer failed; its error says why
                }
            }
        }
    };
    let bar = &progress;
    let write = async move {
        let mut txn = txn;
        while let Some(Built {
            statement,
            rows,
            through,
        }) = to_write.next().await
        {
            txn.execute_raw(statement)
                .await
                .with_context(|| format!("inserting {what}"))?;
            bar.inc(rows);
            if !sqlite && (through as usize).is_multiple_of(COMMIT_EVERY) {
                txn.commit().await?;
                txn = db.begin().await?;
            }
        }
        anyhow::Ok(txn)
    };
    let ((), written) = futures::join!(build, write);
    let txn = written?;
    progress.set_message("indexing");
    for sql in &indexes {
        txn.execute_unprepared(sql)
            .await
            .with_context(|| format!("rebuilding an index of {table}: {sql}"))?;
    }
    txn.commit().await?;
    progress.finish();
    Ok(())
}

/// One batch's INSERT, ready to run.
struct Built {
    statement: Statement,
    rows: u64,
    /// Rows built so far, this batch included.
    through: u64,
}

/// Drops the table's non-unique indexes and returns the statements that create them again,
/// exactly as the migrations wrote them. Unique indexes stay: they guard the data.
async fn drop_secondary_indexes(
    txn: &impl ConnectionTrait,
    table: &str,
) -> anyhow::Result<Vec<String>> {
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
             AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'",
            [table.into()],
        ))
        .await?;
    let mut create = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get("", "name")?;
        create.push(row.try_get::<String>("", "sql")?);
        txn.execute_unprepared(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .await?;
    }
    Ok(create)
}

/// Leaves the database ready to be read. SQLite: copies the write-ahead log into the database
/// file and empties it (a seed writes hundreds of megabytes of WAL; left there, every later read
/// would look pages up in the WAL index first). PostgreSQL: `VACUUM ANALYZE`, so the planner
/// knows the new rows at once rather than when autovacuum next passes (without the statistics
/// a search walked every partner by a sequential scan), and index-only scans need no heap.
async fn checkpoint(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE")
            .await
            .context("analysing the seeded tables")?;
        return Ok(());
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ))
        .await
        .context("checkpointing the WAL")?;
    let busy: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    if busy != 0 {
        // Another process is reading; its next checkpoint will finish the job.
        println!("WAL checkpoint deferred: the database is in use elsewhere");
    }
    Ok(())
}
