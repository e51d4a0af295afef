//! Search documents keep their record's sort key, so an index can hand matches out in the
//! list's order (SQLite: the document's row id becomes its rank in that order), and on
//! PostgreSQL their one- and two-character grams, so a short Chinese query (上海) is read off
//! the trigram index too. The server's start-up repair fills both for every document.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

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
        run(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}

async fn run(manager: &SchemaManager<'_>, sqlite: &[&str], postgres: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let statements = match manager.get_database_backend() {
        DbBackend::Sqlite => sqlite,
        DbBackend::Postgres => postgres,
        other => return Err(DbErr::Custom(format!("unsupported database {other:?}"))),
    };
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
