//! At most one primary contact per partner, held by the database: under PostgreSQL's READ
//! COMMITTED two concurrent "make primary" requests each cleared the others and set their own
//! (10 at once left 3 primaries). Where that already happened, the most recently changed
//! primary keeps the flag.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

// The same SQL on both databases.
const UP: &[&str] = &[
    "UPDATE contacts SET is_primary = false WHERE is_primary AND id NOT IN ( \
       SELECT (SELECT c2.id FROM contacts c2 WHERE c2.partner_id = c.partner_id AND c2.is_primary \
               ORDER BY c2.updated_at DESC, c2.id DESC LIMIT 1) \
       FROM contacts c WHERE c.is_primary)",
    "CREATE UNIQUE INDEX uq_contacts_one_primary ON contacts (partner_id) WHERE is_primary",
];

const DOWN: &[&str] = &["DROP INDEX IF EXISTS uq_contacts_one_primary"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, UP, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_for_backend(manager, DOWN, DOWN).await
    }
}
