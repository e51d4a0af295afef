//! The layers every API call passes.

pub mod csrf;
pub mod headers;
pub mod language;
pub mod limits;
