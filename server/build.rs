//! Embeds the browser bundle (wasm + JS written by `cargo xtask`) into the binary, so the
//! release binary serves the full UI on its own. Each file goes in raw and gzipped, with an
//! ETag. Without a bundle (a plain `cargo build`), pages still render on the server; they just
//! don't hydrate, and the server logs how to build the bundle.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn site_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LIAISON_SITE_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../target")
        });
    target.join("site")
}

fn main() {
    println!("cargo:rerun-if-env-changed=LIAISON_SITE_DIR");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_DIR");
    let pkg = site_dir().join("pkg");
    // Watching a missing path would rerun this script on every build.
    let _ = std::fs::create_dir_all(&pkg);
    println!("cargo:rerun-if-changed={}", pkg.display());

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let mut entries = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pkg)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzipped = encoder
            .write_all(&bytes)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        let gz_path = out_dir.join(format!("{name}.gz"));
        let _ = std::fs::write(&gz_path, &gzipped);
        let digest = sha2::Sha256::digest_hex(&bytes);
        let _ = writeln!(
            entries,
            "    Asset {{ path: {name:?}, raw: include_bytes!({raw:?}), gzip: include_bytes!({gz:?}), etag: \"\\\"{etag}\\\"\" }},",
            raw = path.display().to_string(),
            gz = gz_path.display().to_string(),
            etag = &digest[..16],
        );
    }
    let code = format!("pub static PKG: &[Asset] = &[\n{entries}];\n");
    let _ = std::fs::write(out_dir.join("pkg_assets.rs"), code);
}

trait DigestHex {
    fn digest_hex(bytes: &[u8]) -> String;
}

impl DigestHex for sha2::Sha256 {
    fn digest_hex(bytes: &[u8]) -> String {
        use sha2::Digest;
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
