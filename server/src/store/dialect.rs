//! The few SQL expressions the two databases spell differently, for the stores' queries.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, SimpleExpr};

/// A correlated subquery giving a JSON array (as text) of `value` over the rows of `from`
/// (`FROM … WHERE …`), in `order`; `[]` when there are none.
pub fn json_array(backend: DbBackend, value: &str, from: &str, order: &str) -> String {
    match backend {
        DbBackend::Postgres => format!(
            "(SELECT coalesce(json_agg({value} ORDER BY {order}), '[]'::json)::text {from})"
        ),
        _ => format!("(SELECT json_group_array({value} ORDER BY {order}) {from})"),
    }
}

/// A JSON object of `(key, SQL expression)` pairs.
pub fn json_object(backend: DbBackend, pairs: &[(&str, &str)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("'{key}', {value}"))
        .collect();
    match backend {
        DbBackend::Postgres => format!("json_build_object({})", items.join(", ")),
        _ => format!("json_object({})", items.join(", ")),
    }
}

/// A UUID column as text: SQLite stores UUIDs as 16-byte blobs.
pub fn uuid_text(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => column.to_owned(),
        _ => format!("lower(hex({column}))"),
    }
}

/// Whether the text column `column` contains `needle` as it is, a plain substring test (both
/// sides normalised by the caller). Not `LIKE ?`: SQLite plans a statement with a bound LIKE
/// pattern again at every execution (it may use the pattern's prefix with an index), and that
/// re-preparing was a fifth of a search's cost.
pub fn contains(backend: DbBackend, column: &str, needle: &str) -> SimpleExpr {
    // Each query builder has its own placeholder.
    let test = match backend {
        DbBackend::Postgres => format!("strpos({column}, $1) > 0"),
        _ => format!("instr({column}, ?) > 0"),
    };
    Expr::cust_with_values(test, [needle.to_owned()])
}
