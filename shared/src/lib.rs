//! Types both sides of `/api/v1` agree on. Compiled into the server and into the browser's wasm,
//! so the form in the browser and the handler on the server validate with the same code.
//!
//! Nothing here touches a database or a runtime: serde types, enums, validation and paths.

pub mod activity;
pub mod auth;
pub mod contact;
pub mod cookies;
pub mod error;
pub mod language;
pub mod page;
pub mod partner;
pub mod patch;
pub mod policy;
pub mod routes;
pub mod timestamp;
pub mod validate;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};
pub use page::Page;
pub use patch::Patch;
pub use routes::API_PREFIX;

/// The zone dates are shown in unless a user picks another: the programme runs in China.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";
