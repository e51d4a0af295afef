//! Staff: users, their sign-in (sessions, API tokens, limits on failed sign-ins) and the
//! caller every other area's routes start from.

pub mod caller;
pub mod entities;
pub mod routes;
pub mod sessions;
pub mod store;
pub mod users;

pub use caller::Caller;
