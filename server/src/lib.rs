//! Liaison's server: the `liaison` binary's library, so tests can build and run the real app.
//!
//! Start with [`startup::Application`], which wires everything below together.

/// The memory allocator, and how it gives memory back.
pub mod allocator;
/// The `/api/v1` router, its handlers (thin) and OpenAPI description.
pub mod api;
/// Passwords, secrets, the current user and the cross-site write check.
pub mod auth;
/// The `liaison` command line.
pub mod cli;
/// Settings from defaults, file, environment.
pub mod config;
/// Connecting to SQLite or PostgreSQL and migrating.
pub mod db;
/// The bilingual demo data set behind `--demo`.
pub mod demo;
/// Database tables as sea-orm entities; never leave this crate.
pub mod entities;
/// The API error type and its JSON body.
pub mod error;
/// SQLite reads run on the request's own thread.
pub mod inline_sqlite;
/// A page's Leptos tasks, run on the thread that serves the page.
pub mod page_tasks;
/// Page renders that run to their end when the client leaves midway.
pub mod render_to_end;
/// Synthetic scale data for benchmarks (`liaison seed`).
pub mod seed;
/// Rules and queries.
pub mod services;
/// Server-side rendering of the Leptos UI and its static assets.
pub mod ssr;
/// Building and running the HTTP server.
pub mod startup;
/// What handlers share.
pub mod state;
/// Logging.
pub mod telemetry;
/// A map whose entries age out.
pub mod ttl_cache;
