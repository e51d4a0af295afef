//! The domain kernel: what every area's service is written in terms of, and nothing of HTTP.
//!
//! - [`Error`]: what a service refuses with; `crate::http` turns it into a status and a body.
//! - [`Actor`]: who asks, checked against `shared::policy` by [`Actor::require`].
//! - [`Db`] and [`Tx`]: the unit of work; a change and the [`Event`]s it records commit
//!   together or not at all.
//! - [`Context`]: the database, the clock, the mailer and the password hasher a service uses.

pub mod actor;
pub mod clock;
pub mod context;
pub mod cursor;
pub mod error;
pub mod events;
pub mod mailer;
pub mod password;
pub mod secret;
pub mod tx;

pub use actor::Actor;
pub use clock::Clock;
pub use context::Context;
pub use error::{Entity, Error, Result};
pub use events::Event;
pub use mailer::Mailer;
pub use tx::{Db, Tx};
