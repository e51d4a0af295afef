//! Row limits written into the SQL rather than bound.
//!
//! SQLite (3.47 and later) may plan a statement with the value bound to its `LIMIT ?`, so
//! binding that parameter again expires the prepared statement and the next step prepares it
//! anew: every execution of every paged query. Measured on the partner search at 100,000
//! partners, that re-preparing was a sixth of the server's CPU. A literal `LIMIT 51` is planned
//! once per distinct limit and then reused from the connection's statement cache. Limits are
//! the server's own integers, never text from a request.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, QueryTrait, Statement};

/// `query` (which must have no limit, offset or locking clause of its own) built for `backend`
/// with `LIMIT take` at its end.
pub fn with_limit(query: &impl QueryTrait, backend: DbBackend, take: u64) -> Statement {
    let mut statement = query.build(backend);
    statement.sql.push_str(&format!(" LIMIT {take}"));
    statement
}

/// The rows `query` finds, read as `M`, the first `limit` of them (a literal limit) when given:
/// what every store's list read goes through.
pub async fn rows<M: FromQueryResult>(
    db: &impl ConnectionTrait,
    query: &impl QueryTrait,
    limit: Option<u64>,
) -> Result<Vec<M>, DbErr> {
    let backend = db.get_database_backend();
    let statement = match limit {
        Some(limit) => with_limit(query, backend, limit),
        None => query.build(backend),
    };
    M::find_by_statement(statement).all(db).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{EntityTrait, QueryOrder};

    #[test]
    fn the_limit_is_part_of_the_text_and_not_a_parameter() {
        use crate::areas::partners::entities::partner;
        let select = partner::Entity::find().order_by_asc(partner::Column::SortKey);
        let statement = with_limit(&select, DbBackend::Sqlite, 51);
        assert!(
            statement
                .sql
                .ends_with("ORDER BY \"partners\".\"sort_key\" ASC LIMIT 51")
        );
        assert!(statement.values.is_none_or(|values| values.0.is_empty()));
    }
}
