//! Business rules and queries. Handlers stay thin and call these; entities go in, `shared`
//! DTOs come out.

pub mod activities;
pub mod contacts;
pub mod cursor;
pub mod json_rows;
pub mod partner_listing;
pub mod partner_search;
pub mod partners;
pub mod sessions;
pub mod users;
