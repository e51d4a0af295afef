//! Logging through `tracing`, filtered by `LIAISON_LOG` (or `RUST_LOG`).

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; a second call (tests build many apps) is a no-op.
pub fn init(default_filter: &str) {
    let filter = EnvFilter::try_from_env("LIAISON_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
