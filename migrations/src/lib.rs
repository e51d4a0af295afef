//! Liaison's schema, one migration per change. Each has `up` and `down`, and both run on SQLite
//! and PostgreSQL (the migration test walks up → down to zero → up on each).
//!
//! Conventions every table follows: a UUID `id`, `created_at` and `updated_at` in UTC; rows that
//! people edit concurrently (partners, contacts) carry an integer `version` for optimistic locking.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_partner_search;
mod m20261129_000003_timeline_order;
mod m20261129_000004_open_next_steps;
mod m20261129_000005_partner_listing;
mod m20261204_000006_one_read_path;
mod m20261204_000007_search_order;
mod m20261204_000008_search_walk;
mod m20261204_000009_one_primary_contact;
mod m20261204_000010_api_token_expiry;
mod m20261204_000011_user_disabled;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_partner_search::Migration),
            Box::new(m20261129_000003_timeline_order::Migration),
            Box::new(m20261129_000004_open_next_steps::Migration),
            Box::new(m20261129_000005_partner_listing::Migration),
            Box::new(m20261204_000006_one_read_path::Migration),
            Box::new(m20261204_000007_search_order::Migration),
            Box::new(m20261204_000008_search_walk::Migration),
            Box::new(m20261204_000009_one_primary_contact::Migration),
            Box::new(m20261204_000010_api_token_expiry::Migration),
            Box::new(m20261204_000011_user_disabled::Migration),
        ]
    }
}

/// Runs the statements written for the database at hand: SQLite and PostgreSQL differ in
/// search indexes (FTS5 against `pg_trgm`) and in a few types.
pub(crate) async fn run_for_backend(
    manager: &SchemaManager<'_>,
    sqlite: &[&str],
    postgres: &[&str],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let statements = match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DbBackend::Sqlite => sqlite,
        sea_orm_migration::sea_orm::DbBackend::Postgres => postgres,
        other => return Err(DbErr::Custom(format!("unsupported database {other:?}"))),
    };
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
