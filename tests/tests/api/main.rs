//! API tests through the real router on a real port: SQLite by default, PostgreSQL when
//! `LIAISON_TEST_DATABASE` points at one. One binary, one module per area.

mod activities;
mod auth;
mod connections;
mod contacts;
mod health;
mod hostile_input;
mod kernel;
mod partners;
mod search;
mod seed;
