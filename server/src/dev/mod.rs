//! Data for trying Liaison out and for measuring it.

pub mod demo;
pub mod seed;
