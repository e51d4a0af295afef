//! Partners: the sponsoring organisations. Their list (search, filters, pages), and create,
//! read, change and delete.

pub mod entities;
pub mod routes;
pub mod service;
pub mod store;
