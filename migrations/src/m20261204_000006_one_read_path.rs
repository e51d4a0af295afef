//! The redesign of 2026-12: one way to read rows, search behind one interface, domain events.
//!
//! - Drops the stored partner listings (`partners.listing`, `listing_version`): pages are built
//!   from the rows.
//! - Replaces the partner-only search tables with one index any subject can use
//!   (`server::search`): `search_documents` holds each subject's search text; on SQLite two
//!   contentless FTS5 tables (trigrams, and the one- and two-character grams that make 上海
//!   findable) point at its `rowid`; on PostgreSQL a `pg_trgm` GIN index covers its `body`.
//!   The server fills it at start-up for every partner that lacks an entry, so this migration
//!   needs no data step.
//! - Adds `events`: domain events, written in the transaction of the change they describe.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Partners {
    Table,
    Listing,
    ListingVersion,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Kind,
    SubjectId,
    PartnerId,
    ActorKind,
    ActorId,
    Payload,
    OccurredAt,
    CreatedAt,
    UpdatedAt,
}

const SQLITE_SEARCH_UP: &[&str] = &[
    "DROP TRIGGER IF EXISTS partner_search_rows_deleted",
    "DROP TABLE IF EXISTS partner_search",
    "DROP TABLE IF EXISTS partner_grams",
    "DROP TABLE IF EXISTS partner_search_rows",
    // An INTEGER PRIMARY KEY keeps its values across VACUUM (an implicit rowid may not), so the
    // FTS row ids stay valid.
    "CREATE TABLE search_documents (
        rowid INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        subject_id BLOB NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (subject, subject_id)
    )",
    // Contentless (the text stays in `search_documents`) and without positions (lookups are of
    // whole tokens): the smallest index that answers them.
    "CREATE VIRTUAL TABLE search_trigrams USING fts5 (
        body, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram'
    )",
    "CREATE VIRTUAL TABLE search_grams USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
    )",
    "CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents BEGIN
        DELETE FROM search_trigrams WHERE rowid = old.rowid;
        DELETE FROM search_grams WHERE rowid = old.rowid;
    END",
];

const SQLITE_SEARCH_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS search_documents_deleted",
    "DROP TABLE IF EXISTS search_trigrams",
    "DROP TABLE IF EXISTS search_grams",
    "DROP TABLE IF EXISTS search_documents",
    // As migration 000002 made them; the old server refilled them at start-up.
    "CREATE TABLE partner_search_rows (
        rowid INTEGER PRIMARY KEY,
        partner_id BLOB NOT NULL UNIQUE REFERENCES partners (id) ON DELETE CASCADE
    )",
    "CREATE VIRTUAL TABLE partner_search USING fts5 (
        body, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram'
    )",
    "CREATE VIRTUAL TABLE partner_grams USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
    )",
    "CREATE TRIGGER partner_search_rows_deleted AFTER DELETE ON partner_search_rows BEGIN
        DELETE FROM partner_search WHERE rowid = old.rowid;
        DELETE FROM partner_grams WHERE rowid = old.rowid;
    END",
];

const POSTGRES_SEARCH_UP: &[&str] = &[
    // The list walks names in order for a common term; the index on the documents serves a
    // rare one (see `server::search`).
    "DROP INDEX IF EXISTS idx_partners_search_trgm",
    "CREATE TABLE search_documents (
        id BIGSERIAL PRIMARY KEY,
        subject TEXT NOT NULL,
        subject_id UUID NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (subject, subject_id)
    )",
    // Installing an extension needs a privilege a hosted database may not grant; then the
    // index is skipped with a notice and search scans: correct, slower.
    "DO $$
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX idx_search_documents_trgm ON search_documents USING gin (body gin_trgm_ops);
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE NOTICE 'pg_trgm is not available (%); search will scan', SQLERRM;
    END $$",
];

const POSTGRES_SEARCH_DOWN: &[&str] = &[
    "DROP TABLE IF EXISTS search_documents",
    "DO $$
    BEGIN
        CREATE INDEX idx_partners_search_trgm ON partners USING gin (search_text gin_trgm_ops);
    EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm is not available (%)', SQLERRM;
    END $$",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Partners::ListingVersion, Partners::Listing] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partners::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        crate::run_for_backend(manager, SQLITE_SEARCH_UP, POSTGRES_SEARCH_UP).await?;
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    // UUIDv7: the primary key is also the order events happened in.
                    .col(pk_uuid(Events::Id))
                    .col(string_len(Events::Kind, 64))
                    .col(uuid(Events::SubjectId))
                    .col(uuid_null(Events::PartnerId))
                    .col(string_len(Events::ActorKind, 16))
                    .col(uuid_null(Events::ActorId))
                    .col(text(Events::Payload))
                    .col(timestamp_with_time_zone(Events::OccurredAt))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_subject")
                    .table(Events::Table)
                    .col(Events::SubjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await?;
        crate::run_for_backend(manager, SQLITE_SEARCH_DOWN, POSTGRES_SEARCH_DOWN).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Partners::Table)
                    .add_column(ColumnDef::new(Partners::Listing).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Partners::Table)
                    .add_column(ColumnDef::new(Partners::ListingVersion).integer().null())
                    .to_owned(),
            )
            .await
    }
}
