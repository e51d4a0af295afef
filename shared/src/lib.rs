//! Types both sides of `/api/v1` agree on. Compiled into the server and into the browser's wasm,
//! so the form in the browser and the handler on the server validate with the same code.
//!
//! Nothing here touches a database or a runtime: serde types, enums, validation and paths.

pub mod activity;
pub mod auth;
pub mod contact;
pub mod error;
pub mod page;
pub mod partner;
pub mod timestamp;
pub mod validate;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};
pub use page::Page;

/// Where the API lives; the UI's client and the server's router both build paths from it.
pub const API_PREFIX: &str = "/api/v1";

/// The zone dates are shown in unless a user picks another: the programme runs in China.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Deserialises a PATCH field so that an absent key (`None`) differs from an explicit `null`
/// (`Some(None)`, which clears the value).
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    Option::<T>::deserialize(deserializer).map(Some)
}
