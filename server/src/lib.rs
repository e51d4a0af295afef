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

/// The dependency rule, checked on the source: a service or store never speaks HTTP, a route
/// never builds SQL, the kernel depends on no area.
#[cfg(test)]
mod layering {
    use std::path::{Path, PathBuf};

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn sources() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = Vec::new();
        files(&root, &mut paths);
        paths
            .into_iter()
            .map(|path| {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect()
    }

    /// The `use` lines of a file and the paths it names inline.
    fn uses(text: &str, what: &str) -> bool {
        text.lines().any(|line| {
            let line = line.trim_start();
            !line.starts_with("//")
                && (line.starts_with(&format!("use {what}")) || line.contains(&format!("{what}::")))
        })
    }

    #[test]
    fn services_and_stores_never_speak_http_and_routes_never_build_sql() {
        let mut checked = 0;
        for (name, text) in sources() {
            let kernel = ["core/", "store/", "search/", "jobs/"]
                .iter()
                .any(|dir| name.starts_with(dir));
            let service_or_store = name.starts_with("areas/")
                && (name.ends_with("service.rs")
                    || name.ends_with("store.rs")
                    || name.ends_with("users.rs")
                    || name.ends_with("sessions.rs"));
            if kernel || service_or_store {
                checked += 1;
                for http in ["axum", "crate::http", "tower"] {
                    assert!(!uses(&text, http), "{name} uses {http}");
                }
            }
            if name.starts_with("areas/")
                && (name.ends_with("routes.rs") || name.ends_with("caller.rs"))
            {
                checked += 1;
                assert!(!uses(&text, "sea_orm"), "{name} uses sea_orm");
            }
            if kernel {
                assert!(
                    !uses(&text, "crate::app"),
                    "{name} uses the composition root"
                );
            }
            if name.starts_with("core/") || name.starts_with("http/") {
                // The areas use `http`; `http` naming an area would close a circle.
                assert!(!uses(&text, "crate::areas"), "{name} depends on an area");
            }
        }
        assert!(checked >= 20, "only {checked} files checked");
    }
}
