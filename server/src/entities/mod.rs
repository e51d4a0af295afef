//! sea-orm entities: one per table. They never leave this crate; services map them to `shared`
//! DTOs.

pub mod activity;
pub mod activity_contact;
pub mod api_token;
pub mod contact;
pub mod login_attempt;
pub mod partner;
pub mod partner_tag;
pub mod session;
pub mod user;
