//! The built site on disk (`--site-root`): the browser bundle that pages
//! name, the stylesheet and the static files.
//!
//! Pages work without script, so a server whose bundle is missing fails
//! quietly: the map and the location button are simply dead. `serve`
//! therefore checks, before it listens, that every file its pages ask for
//! is there, and refuses to start with the way to build it.

use std::path::{Path, PathBuf};

/// The name wasm-bindgen's output and the stylesheet carry
/// (`[[workspace.metadata.leptos]] name`, `LEPTOS_OUTPUT_NAME`).
pub const OUTPUT_NAME: &str = "kieskaart";

/// Where under the site root the bundle lies (`site-pkg-dir`).
pub const PKG_DIR: &str = "pkg";

/// The files of the bundle that every page names, relative to the site
/// root. Leptos names the WASM file after `LEPTOS_OUTPUT_NAME` as it was
/// when the server was compiled; `.cargo/config.toml` sets it for every
/// cargo command, so a server built any way here names these.
pub fn bundle_files() -> [String; 3] {
    ["js", "wasm", "css"].map(|extension| format!("{PKG_DIR}/{OUTPUT_NAME}.{extension}"))
}

/// A bundle file the pages name is not under the site root.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is missing: pages would load no map and no location button. Build the site with \
     `make build` (scripts/build-site.sh), or pass --site-root the folder that holds it \
     (target/site after a build)",
    missing.display()
)]
pub struct MissingBundle {
    pub missing: PathBuf,
}

/// Checks that every bundle file is under `site_root`.
pub fn check_bundle(site_root: &Path) -> Result<(), MissingBundle> {
    match bundle_files().iter().map(|file| site_root.join(file)).find(|path| !path.is_file()) {
        Some(missing) => Err(MissingBundle { missing }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_its_bundle_is_refused_with_the_way_to_build_it() {
        let folder = tempfile::tempdir().unwrap();
        let error = check_bundle(folder.path()).unwrap_err();
        assert!(error.missing.ends_with("pkg/kieskaart.js"), "{error}");
        assert!(error.to_string().contains("scripts/build-site.sh"), "{error}");
        std::fs::create_dir(folder.path().join("pkg")).unwrap();
        for file in ["kieskaart.js", "kieskaart.css"] {
            std::fs::write(folder.path().join("pkg").join(file), "").unwrap();
        }
        // The WASM file of a plain build without LEPTOS_OUTPUT_NAME does not count.
        std::fs::write(folder.path().join("pkg/kieskaart_bg.wasm"), "").unwrap();
        let error = check_bundle(folder.path()).unwrap_err();
        assert!(error.missing.ends_with("pkg/kieskaart.wasm"), "{error}");
        std::fs::write(folder.path().join("pkg/kieskaart.wasm"), "").unwrap();
        check_bundle(folder.path()).unwrap();
    }
}
