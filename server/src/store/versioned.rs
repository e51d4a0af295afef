//! Optimistic locking, written once: a change carries the version it was read at, and the
//! update only applies while the row still has that version.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, UpdateMany};
use uuid::Uuid;

use super::unique::{Unique, on_unique};
use crate::core::Error;

/// The columns of a versioned table that the update needs.
pub struct Versioned<C> {
    pub id: C,
    pub version: C,
}

/// Runs `update` (the columns to set) on row `id` if it is still at `version`, bumping the
/// version. The version in the `WHERE` makes the check and the write one step, even against a
/// writer on another instance; no row changed means someone else changed it first
/// ([`Error::Stale`]). A broken unique constraint in `unique` is a 409 naming its field.
pub async fn update<E: EntityTrait>(
    db: &impl ConnectionTrait,
    update: UpdateMany<E>,
    columns: Versioned<E::Column>,
    (id, version): (Uuid, i32),
    unique: &[Unique],
) -> Result<(), Error> {
    let result = update
        .col_expr(columns.version, Expr::value(version + 1))
        .filter(columns.id.eq(id))
        .filter(columns.version.eq(version))
        .exec(db)
        .await
        .map_err(|error| on_unique(error, unique))?;
    if result.rows_affected == 0 {
        return Err(Error::Stale);
    }
    Ok(())
}
