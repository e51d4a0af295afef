//! The partners area's pages: `/partners` (the list), `/partners/new` and `/partners/{id}`
//! (the partner, its contacts, the log box and the timeline).

mod contacts;
mod detail;
mod form;
mod list;
mod log_box;
mod timeline;

pub use detail::PartnerPage;
pub use list::{NewPartnerPage, PartnersPage};
pub use timeline::TimelineEntry;
