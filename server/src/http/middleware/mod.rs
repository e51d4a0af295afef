//! The layers every API call passes.

pub mod csrf;
pub mod language;
