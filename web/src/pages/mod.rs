//! Pages, by area (stable URLs): `/login` (staff), `/partners`, `/partners/new` and
//! `/partners/{id}` (partners), `/next-steps` (activities). The next areas' pages go beside
//! them: `training/`, `interactions/`, `pipeline/`, `outbox/`, `imports/`, and `portal/` under
//! its own layout.

pub mod login;
pub mod next_steps;
pub mod partners;
