//! The output sink: where every file eje writes for the user goes through.
//! Today that is atomic file writes: a temporary file beside the target,
//! written, synced and renamed over it. A reader sees the old file or the
//! new one, never a half-written one, and a failure at any step leaves the
//! old file as it was.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a write failed: the file could not be written, or what filled it
/// failed (its own error, unchanged).
#[derive(Debug)]
pub enum WriteError<E> {
    /// `path` could not be written, for the OS's reason `source`.
    File { path: PathBuf, source: io::Error },
    /// The content could not be produced.
    Fill(E),
}

impl<E: std::fmt::Display> std::fmt::Display for WriteError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::File { path, source } => {
                write!(
                    f,
                    "cannot write `{}`: {}",
                    path.display(),
                    os_reason(source)
                )
            }
            WriteError::Fill(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WriteError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::File { source, .. } => Some(source),
            WriteError::Fill(e) => Some(e),
        }
    }
}

/// The OS's reason, without Rust's `(os error 13)` suffix and without the
/// temporary file's name that `tempfile` appends (`... at path "/x/.f.tmp"`;
/// the user never chose that file).
pub fn os_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Writes `bytes` to `path` atomically. An existing file keeps its
/// permissions; a new one gets the usual `0666 & !umask`. A symbolic link is
/// followed, so the file it points to is replaced, not the link.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError<io::Error>> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Like `write_atomic`, with the content written by `fill` into the
/// temporary file. If `fill` fails, even half-way, the temporary file is
/// removed and `path` is left as it was; its error is returned.
pub fn write_atomic_with<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), WriteError<E>> {
    let fail = |source: std::io::Error| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str().is_empty() {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the file name is empty",
        )));
    }
    let target = resolve_link(path);
    if target.is_dir() {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target.file_name().map(|s| s.to_string_lossy().into_owned());
    let prefix = format!(".{}.", file_name.as_deref().unwrap_or("eje-export"));
    let existing = fs::metadata(&target).ok().map(|m| m.permissions());

    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    let new_file_mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    builder.permissions(new_file_mode);
    // The temporary file is deleted when `tmp` is dropped on any error path.
    let mut tmp = builder.tempfile_in(&dir).map_err(fail)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).map_err(WriteError::Fill)?;
        w.flush().map_err(fail)?;
    }
    if let Some(perms) = existing {
        fs::set_permissions(tmp.path(), perms).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// The file a symbolic link points to (one level deep is what editors and
/// shells do; a dangling or looping link is replaced as a plain path).
fn resolve_link(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::read_link(path) {
            Ok(to) if to.is_absolute() => to,
            Ok(to) => path.parent().map(|p| p.join(&to)).unwrap_or(to),
            Err(_) => path.to_path_buf(),
        },
        _ => path.to_path_buf(),
    }
}

/// Makes the rename durable. Best effort: not every file system lets a
/// directory be opened and synced, and the data itself is already safe.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_reason_drops_the_error_number() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(os_reason(&e), "No such file or directory");
        let dir = tempfile::tempdir().unwrap();
        let e = tempfile::Builder::new()
            .tempfile_in(dir.path().join("missing"))
            .unwrap_err();
        assert_eq!(os_reason(&e), "No such file or directory");
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }

    #[test]
    fn missing_folder_is_named_with_the_os_reason() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("out.txt");
        let msg = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(msg.contains(&p.display().to_string()), "{msg}");
        assert!(msg.contains("No such file or directory"), "{msg}");
    }

    #[test]
    fn a_directory_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let msg = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(msg.contains("directory"), "{msg}");
        assert!(dir.path().is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_of_an_existing_file_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink("out.txt", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}
