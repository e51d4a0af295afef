//! Liaison's server: the `liaison` binary's library, so tests can build and run the real app.
//!
//! The dependency rule (ARCHITECTURE.md): `app` → `areas` → `core` + `store` + `search`;
//! an area's `routes.rs` uses `http`, its `service.rs` never does; nothing below `app` knows
//! about settings. Start with [`app::startup::Application`].

/// Composition root: settings, command line, logging, startup.
pub mod app;
/// One folder per area of the domain: routes, service, store and tables.
pub mod areas;
/// The domain kernel: errors, actors, the unit of work, events, clock, mailer.
pub mod core;
/// Synthetic and demo data (`liaison seed`, `serve --demo`).
pub mod dev;
/// `/api/v1` as HTTP: the error body, extractors and the layers every call passes.
pub mod http;
/// Background jobs, started and stopped with the server.
pub mod jobs;
/// Process-level pieces: the allocator, a small expiring map.
pub mod platform;
/// Search behind one interface, with an adapter per database.
pub mod search;
/// The UI host: Leptos pages rendered on the server, the browser bundle, and the guards
/// around Leptos's SSR.
pub mod ssr;
/// Persistence plumbing: connecting, migrating, column types, constraint mapping.
pub mod store;
