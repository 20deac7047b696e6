//! Where a data folder's snapshot lives (D10): one file per data folder in
//! eje's folder of the user's cache directory, named by a digest of the
//! folder's canonical path; switched off by `EJE_NO_CACHE=1` (and by
//! `--no-cache`, which the caller passes in). A cache folder that cannot be
//! written is said once per process, and eje works on without it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

/// The environment variable that switches the snapshot off.
pub const NO_CACHE_ENV: &str = "EJE_NO_CACHE";

/// Whether a value of `EJE_NO_CACHE` switches the cache off: set and neither
/// empty nor `0`.
pub fn off_by_env(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// eje's folder in the user's cache directory (`~/.cache/eje` on Linux).
pub fn cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("eje"))
}

/// One snapshot in the cache folder.
#[derive(Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub size: u64,
    pub info: super::snapshot::Info,
}

/// Whether a name in the cache folder is eje's: a snapshot, or the
/// temporary file of one being written.
fn is_ours(name: &str) -> bool {
    (name.starts_with("data-") && name.ends_with(".snapshot")) || name.starts_with(".eje-snapshot-")
}

/// The snapshots in `dir` (eje's cache folder), sorted by file name; none
/// when the folder does not exist.
pub fn entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for e in read.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with("data-") && name.ends_with(".snapshot")) {
            continue;
        }
        let path = e.path();
        let size = e.metadata().map_or(0, |m| m.len());
        let info = super::snapshot::info(&path);
        out.push(Entry { path, size, info });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Removes the snapshots in `dir` whose data folder no longer exists (a
/// temporary folder, one moved or deleted), except `keep`: each names its
/// folder, and no other start could ever read it.
pub fn prune(dir: &Path, keep: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for e in read.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if !(name.starts_with("data-") && name.ends_with(".snapshot")) || path == keep {
            continue;
        }
        if let Some(root) = super::snapshot::info_root(&path)
            && !Path::new(&root).is_dir()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Removes eje's files from `dir` (snapshots and half-written ones);
/// how many files and bytes went.
pub fn clear(dir: &Path) -> std::io::Result<(usize, u64)> {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(e),
    };
    let (mut files, mut bytes) = (0, 0);
    for e in read.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().is_ok_and(|t| t.is_file());
        if !is_file || !is_ours(&name) {
            continue;
        }
        let size = e.metadata().map_or(0, |m| m.len());
        std::fs::remove_file(e.path())?;
        files += 1;
        bytes += size;
    }
    Ok((files, bytes))
}

/// The snapshot's file name for a data folder: a digest of its canonical
/// path, so two folders never share a snapshot and a moved folder starts
/// afresh.
pub fn snapshot_name(canonical_root: &Path) -> String {
    let digest = Sha256::digest(canonical_root.as_os_str().as_encoded_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("data-{hex}.snapshot")
}

/// Where the snapshot of `data_root` lives, or `None` when the cache is off
/// (`no_cache`, `EJE_NO_CACHE`), the folder has no canonical path, or the
/// user has no cache directory.
pub fn snapshot_path(data_root: &Path, no_cache: bool) -> Option<PathBuf> {
    if no_cache || off_by_env(std::env::var_os(NO_CACHE_ENV).as_deref()) {
        return None;
    }
    let root = data_root.canonicalize().ok()?;
    Some(cache_dir()?.join(snapshot_name(&root)))
}

static NO_CACHE: AtomicBool = AtomicBool::new(false);

/// Switches the snapshot off for this process (`--no-cache`).
pub fn set_no_cache(off: bool) {
    NO_CACHE.store(off, Ordering::Relaxed);
}

/// Whether `--no-cache` switched the snapshot off (`snapshot_path` also
/// reads `EJE_NO_CACHE`).
pub fn no_cache() -> bool {
    NO_CACHE.load(Ordering::Relaxed)
}

static UNWRITABLE_SAID: AtomicBool = AtomicBool::new(false);

/// The note (D6, without `note: `) for a snapshot that could not be written,
/// the first time in this process; `None` afterwards.
pub fn unwritable_note(path: &Path, err: &std::io::Error) -> Option<String> {
    once(&UNWRITABLE_SAID).then(|| {
        format!(
            "the snapshot could not be written to `{}` ({err}); eje works on without it, reading the data files on every start",
            path.display()
        )
    })
}

/// Prints a one-line note on stderr (D6); a standard error that cannot be
/// written loses it.
pub fn note(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "note: {text}");
}

/// True the first time it is called with `flag`, false afterwards.
fn once(flag: &AtomicBool) -> bool {
    !flag.swap(true, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_switches_the_cache_off_unless_empty_or_zero() {
        assert!(!off_by_env(None));
        assert!(!off_by_env(Some(OsStr::new(""))));
        assert!(!off_by_env(Some(OsStr::new("0"))));
        assert!(off_by_env(Some(OsStr::new("1"))));
        assert!(off_by_env(Some(OsStr::new("yes"))));
    }

    #[test]
    fn each_folder_has_its_own_snapshot_name() {
        let a = snapshot_name(Path::new("/home/ana/data"));
        assert_eq!(a, snapshot_name(Path::new("/home/ana/data")));
        assert_ne!(a, snapshot_name(Path::new("/home/ana/data2")));
        assert!(
            a.starts_with("data-") && a.ends_with(".snapshot") && a.len() == 30,
            "{a}"
        );
    }

    #[test]
    fn no_cache_gives_no_path() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(snapshot_path(dir.path(), true), None);
        // A folder that does not exist has no canonical path.
        assert_eq!(snapshot_path(&dir.path().join("missing"), false), None);
    }

    #[test]
    fn the_same_folder_by_another_spelling_has_the_same_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let plain = snapshot_path(&dir.path().join("data"), false);
        let dotted = snapshot_path(&dir.path().join("data/../data/."), false);
        assert_eq!(plain, dotted);
    }

    #[test]
    fn an_unwritable_cache_is_said_once() {
        let flag = AtomicBool::new(false);
        assert!(once(&flag));
        assert!(!once(&flag));
        assert!(!once(&flag));
        let err = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let first = unwritable_note(Path::new("/c/eje/data-x.snapshot"), &err);
        let second = unwritable_note(Path::new("/c/eje/data-x.snapshot"), &err);
        // Another test of this process may have said it first; never twice.
        assert!(second.is_none());
        if let Some(note) = first {
            assert!(
                note.starts_with("the snapshot could not be written to `/c/eje/data-x.snapshot`")
            );
        }
    }
}
