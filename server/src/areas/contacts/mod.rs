//! Contacts: the people at a partner. At most one is primary: marking one moves the flag.

pub mod entities;
pub mod routes;
pub mod service;
pub mod store;
