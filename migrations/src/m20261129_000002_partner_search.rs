//! An index for finding partners by any part of their name (replaced by `search_documents` in
//! migration 000006).
//!
//! - SQLite: the FTS5 tables `partner_search` (trigrams) and `partner_grams` (short words), the id map `partner_search_rows`, and the
//!   covering index `idx_partners_sort_search` for walking partners in name order. The server
//!   fills the FTS table (it computes one column in Rust) and fills in partners that lack an
//!   entry at start-up, so this migration needs no data step.
//! - PostgreSQL: a `pg_trgm` GIN index on `partners.search_text`. Installing an extension needs
//!   a privilege a hosted database may not grant; then the index is skipped with a notice and
//!   search scans, correct but slower.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    // An INTEGER PRIMARY KEY, unlike a table's implicit rowid, keeps its values across VACUUM,
    // so FTS row ids stay valid.
    "CREATE TABLE partner_search_rows (
        rowid INTEGER PRIMARY KEY,
        partner_id BLOB NOT NULL UNIQUE REFERENCES partners (id) ON DELETE CASCADE
    )",
    // Contentless (the text stays in `partners`) and without positions (lookups are by whole
    // tokens): the smallest index that answers them.
    "CREATE VIRTUAL TABLE partner_search USING fts5 (
        body, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram'
    )",
    "CREATE VIRTUAL TABLE partner_grams USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
    )",
    // Deleting a partner cascades to its map row, and this removes its index entries.
    "CREATE TRIGGER partner_search_rows_deleted AFTER DELETE ON partner_search_rows BEGIN
        DELETE FROM partner_search WHERE rowid = old.rowid;
        DELETE FROM partner_grams WHERE rowid = old.rowid;
    END",
    "CREATE INDEX idx_partners_sort_search ON partners (sort_key, search_text)",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS idx_partners_sort_search",
    "DROP TRIGGER IF EXISTS partner_search_rows_deleted",
    "DROP TABLE IF EXISTS partner_search",
    "DROP TABLE IF EXISTS partner_grams",
    "DROP TABLE IF EXISTS partner_search_rows",
];

const POSTGRES_UP: &str = "DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX idx_partners_search_trgm ON partners USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm is not available (%); partner search will scan', SQLERRM;
END $$";

const POSTGRES_DOWN: &str = "DROP INDEX IF EXISTS idx_partners_search_trgm";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, SQLITE_UP, &[POSTGRES_UP]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, SQLITE_DOWN, &[POSTGRES_DOWN]).await
    }
}
