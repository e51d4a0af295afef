//! One folder per area of the domain, each owning its routes (`routes.rs`, merged by
//! `crate::app::startup`), its rules (`service.rs`: permissions, validation, units of work),
//! its queries (`store.rs`) and its tables (`entities.rs`).
//!
//! Where the next areas go (ARCHITECTURE.md): `training` (academies, training sessions),
//! `interactions` (a partner's part in a session, with conflict checks), `sponsorship`
//! (interests, deals), `portal` (partners' contacts signed in by emailed link, calendar
//! feeds), `outbox` (follow-up emails), `imports`, `audit` and `webhooks`.

pub mod activities;
pub mod contacts;
pub mod partners;
pub mod staff;
