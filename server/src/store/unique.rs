//! Unique-constraint violations as 409s naming the field, keyed by the constraint's name (as
//! realworld-axum-sqlx does), so one statement that could break two constraints names the right
//! one. Any other database error stays a 500.

use sea_orm::{DbErr, SqlErr};
use shared::validate::Issue;

use crate::core::Error;

/// A unique constraint and the field and issue it is reported as.
pub struct Unique {
    /// The index name, as the migration made it (`uq_partners_sort_key`).
    pub constraint: &'static str,
    /// Words the database's message has for it when it does not name the index: SQLite says
    /// `UNIQUE constraint failed: partners.sort_key`.
    pub columns: &'static str,
    pub field: &'static str,
    pub issue: Issue,
}

/// Maps `error` to a 409 when it broke one of `known`; otherwise to a 500.
pub fn on_unique(error: DbErr, known: &[Unique]) -> Error {
    if let Some(SqlErr::UniqueConstraintViolation(message)) = error.sql_err() {
        for unique in known {
            if message.contains(unique.constraint) || message.contains(unique.columns) {
                return Error::Duplicate {
                    field: unique.field,
                    issue: unique.issue,
                };
            }
        }
    }
    error.into()
}
