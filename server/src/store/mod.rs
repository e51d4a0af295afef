//! Persistence plumbing shared by the areas' stores: connecting and migrating, string-backed
//! enum columns, unique-constraint mapping and the versioned update. Each area's `store.rs`
//! holds its own queries; services never build SQL.

pub mod connect;
pub mod dialect;
pub mod limit;
pub mod stored;
pub mod unique;
pub mod versioned;

pub use connect::{connect, is_sqlite, migrate, open};
pub use stored::Stored;
