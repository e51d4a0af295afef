//! Cursor pagination: a page of items and the opaque cursor of the next page, if any.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Page size when a list request names none, and the most it may ask for.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// The page size a query asks for (text, so a wrong one is an issue of `limit`): the default
/// when absent, else 1 to the maximum.
pub fn limit(check: &mut crate::validate::Check, requested: Option<&str>) -> u64 {
    check
        .optional_number("limit", requested, 1, MAX_LIMIT)
        .unwrap_or(DEFAULT_LIMIT)
}
