//! Search documents keep their record's sort key, so an index can hand matches out in the
//! list's order (SQLite: the document's row id becomes its rank in that order), and on
//! PostgreSQL their one- and two-character grams, so a short Chinese query (上海) is read off
//! the trigram index too. The server's start-up repair fills both for every document.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "ALTER TABLE search_documents ADD COLUMN sort_key TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX idx_search_documents_order ON search_documents (subject, sort_key)",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS idx_search_documents_order",
    "ALTER TABLE search_documents DROP COLUMN sort_key",
];

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE search_documents ADD COLUMN sort_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE search_documents ADD COLUMN grams TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX idx_search_documents_order ON search_documents (subject, sort_key)",
    "DO $$
    BEGIN
        CREATE INDEX idx_search_documents_grams ON search_documents USING gin (grams gin_trgm_ops);
    EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm is not available (%); short searches will scan', SQLERRM;
    END $$",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS idx_search_documents_grams",
    "DROP INDEX IF EXISTS idx_search_documents_order",
    "ALTER TABLE search_documents DROP COLUMN grams",
    "ALTER TABLE search_documents DROP COLUMN sort_key",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
