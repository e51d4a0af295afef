//! The few SQL expressions the two databases spell differently, for the stores' queries.

use sea_orm::DbBackend;

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
