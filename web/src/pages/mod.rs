//! One module per page (stable URLs): `/login`, `/partners`, `/partners/new`,
//! `/partners/{id}`, `/next-steps`.

pub mod login;
pub mod next_steps;
pub mod partner;
pub mod partner_form;
pub mod partners;
