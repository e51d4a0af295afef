//! Each partner's list entry, kept ready: `listing` holds the partner as the API shows it (JSON),
//! and `listing_version` the `version` it was made from. A listing whose version differs from
//! the row's (written by an older binary, or by hand) is stale and is not used. See
//! the server of that time (the listings were dropped again by migration 000006).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Partners {
    Table,
    Listing,
    ListingVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        Ok(())
    }
}
