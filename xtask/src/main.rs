//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`):
//!
//! - `dist`: the browser bundle (release wasm) and the self-contained release binary.
//! - `demo`: builds, then runs Liaison with demo data on a SQLite file.
//! - `test`: builds the bundle the browser tests need, then runs every test: on SQLite, and
//!   again on PostgreSQL when one answers (or `LIAISON_TEST_PG` names one).
//! - `lint`: `cargo fmt --check` and clippy with warnings as errors, for the server build and
//!   for both builds of the web crate (SSR and wasm).
//! - `wasm`: just the browser bundle.
//!
//! wasm-bindgen runs in process from `wasm-bindgen-cli-support`, so its version is locked in
//! Cargo.lock together with the `wasm-bindgen` the web crate uses, and nothing needs
//! `cargo install`.

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

const USAGE: &str =
    "usage: cargo xtask <dist | demo [--release] | test [--sqlite-only] | wasm [--release]>";

fn main() {
    if let Err(error) = run() {
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    match args.first().map(String::as_str) {
        Some("dist") => dist(),
        Some("demo") => demo(flag("--release")),
        Some("test") => test(flag("--sqlite-only")),
        Some("lint") => lint(),
        Some("wasm") => wasm(if flag("--release") {
            Profile::Release
        } else {
            Profile::Dev
        })
        .map(|_| ()),
        _ => bail!("{USAGE}"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Dev,
    Release,
}

/// The workspace this run was started in, found at run time: the target dir is shared across
/// clones (CI keeps it outside the clone), so a path compiled into this binary could name another
/// clone's sources.
fn workspace_root() -> PathBuf {
    let located = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    located
        .and_then(|manifest| manifest.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where the bundle goes; the server's build script embeds it from here.
fn site_dir() -> PathBuf {
    target_dir().join("site")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(workspace_root())
        .env("LIAISON_SITE_DIR", site_dir());
    command
}

fn status(mut command: Command, what: &str) -> anyhow::Result<()> {
    let status = command
        .status()
        .with_context(|| format!("starting {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match output {
        Ok(out) if String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown") => {
            Ok(())
        }
        Ok(_) => {
            println!("xtask: adding the wasm32-unknown-unknown target with rustup");
            let mut add = Command::new("rustup");
            add.args(["target", "add", "wasm32-unknown-unknown"]);
            status(add, "rustup target add wasm32-unknown-unknown")
        }
        Err(_) => bail!(
            "rustup is not installed: install the wasm32-unknown-unknown target for your Rust toolchain by hand"
        ),
    }
}

/// Builds the web crate to wasm and writes `web.js` + `web_bg.wasm` into `<site>/pkg`.
/// Returns the wasm file written.
fn wasm(profile: Profile) -> anyhow::Result<PathBuf> {
    ensure_wasm_target()?;
    let (cargo_profile, dir) = match profile {
        Profile::Dev => ("dev", "debug"),
        Profile::Release => ("wasm-release", "wasm-release"),
    };
    println!("xtask: building the browser bundle ({cargo_profile})");
    let mut build = cargo();
    build.args([
        "rustc",
        "-p",
        "web",
        "--lib",
        "--crate-type",
        "cdylib",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "hydrate",
        "--profile",
        cargo_profile,
    ]);
    status(build, "the wasm build")?;
    let input = target_dir()
        .join("wasm32-unknown-unknown")
        .join(dir)
        .join("web.wasm");
    let pkg = site_dir().join("pkg");
    std::fs::create_dir_all(&pkg).with_context(|| format!("creating {}", pkg.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .out_name("web")
        .debug(profile == Profile::Dev)
        .keep_debug(false)
        // Function names alone were 1.1 MB of a 2.4 MB release bundle.
        .remove_name_section(profile == Profile::Release)
        .remove_producers_section(profile == Profile::Release)
        .generate(&pkg)
        .map_err(|e| anyhow::anyhow!("wasm-bindgen: {e}"))?;
    let wasm = pkg.join("web_bg.wasm");
    let bytes = std::fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    let gzipped = gz.finish()?.len();
    println!(
        "xtask: wasm {} KiB raw, {} KiB gzipped -> {}",
        bytes.len() / 1024,
        gzipped / 1024,
        pkg.display()
    );
    Ok(wasm)
}

fn dist() -> anyhow::Result<()> {
    wasm(Profile::Release)?;
    println!("xtask: building the release binary");
    let mut build = cargo();
    build.args(["build", "--release", "-p", "server", "--bin", "liaison"]);
    status(build, "the release build")?;
    let binary = target_dir().join("release").join("liaison");
    println!(
        "xtask: done: {} (self-contained: copy it anywhere and run `liaison serve`)",
        binary.display()
    );
    Ok(())
}

fn demo(release: bool) -> anyhow::Result<()> {
    wasm(if release {
        Profile::Release
    } else {
        Profile::Dev
    })?;
    let mut run = cargo();
    run.arg("run");
    if release {
        run.arg("--release");
    }
    run.args(["-p", "server", "--bin", "liaison", "--", "serve", "--demo"]);
    if std::env::var_os("DATABASE_URL").is_none() {
        run.env("DATABASE_URL", "sqlite://data/demo.db");
    }
    status(run, "liaison serve --demo")
}

/// The PostgreSQL to run the database tests against as well, if any.
fn postgres_for_tests() -> Option<String> {
    if let Ok(url) = std::env::var("LIAISON_TEST_PG") {
        return (!url.is_empty()).then_some(url);
    }
    let local: SocketAddr = ([127, 0, 0, 1], 5432).into();
    TcpStream::connect_timeout(&local, Duration::from_millis(500))
        .ok()
        .map(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn test(sqlite_only: bool) -> anyhow::Result<()> {
    wasm(Profile::Dev)?;
    println!("xtask: running every test on SQLite");
    let mut all = cargo();
    all.args(["test", "--workspace", "--no-fail-fast"])
        .env_remove("LIAISON_TEST_DATABASE");
    status(all, "the tests on SQLite")?;
    if sqlite_only {
        return Ok(());
    }
    match postgres_for_tests() {
        Some(url) => {
            println!("xtask: running the database tests again on PostgreSQL");
            let mut pg = cargo();
            pg.args(["test", "-p", "liaison-tests", "--no-fail-fast"])
                .env("LIAISON_TEST_DATABASE", url);
            status(pg, "the tests on PostgreSQL")
        }
        None => {
            println!(
                "xtask: no PostgreSQL at 127.0.0.1:5432 and LIAISON_TEST_PG unset: skipped the PostgreSQL pass"
            );
            Ok(())
        }
    }
}

fn lint() -> anyhow::Result<()> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    status(fmt, "cargo fmt --check")?;
    let mut native = cargo();
    native.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--exclude",
        "web",
        "--",
        "-D",
        "warnings",
    ]);
    status(native, "clippy (server, tests, tools)")?;
    let mut ssr = cargo();
    ssr.args([
        "clippy",
        "-p",
        "web",
        "--features",
        "ssr",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    status(ssr, "clippy (web, ssr)")?;
    ensure_wasm_target()?;
    let mut hydrate = cargo();
    hydrate.args([
        "clippy",
        "-p",
        "web",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "hydrate",
        "--",
        "-D",
        "warnings",
    ]);
    status(hydrate, "clippy (web, wasm)")
}
