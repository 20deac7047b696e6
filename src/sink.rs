//! The output sink: every file eje writes for the user goes through
//! `write_with`. `-` is standard output; pipes, sockets, terminals and
//! character devices are written as they are; directories and block
//! devices are refused; a regular file is replaced atomically (a temporary
//! file beside the target, written, synced and renamed over it), so a
//! reader sees the old file or the new one, never a half-written one, and a
//! failure at any step leaves the old file as it was.

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
    /// `path` is a folder with files eje did not write there (named in
    /// `found`): a folder output does not replace it without `--force`.
    InUse { path: PathBuf, found: String },
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
            WriteError::InUse { path, found } => write!(
                f,
                "`{}` exists and is not a folder eje exported: it holds {found}\n\
                 help: choose a new folder, or add `--force` to replace it",
                path.display()
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WriteError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::File { source, .. } => Some(source),
            WriteError::Fill(e) => Some(e),
            WriteError::InUse { .. } => None,
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

/// Writes `text` to standard error. A standard error that cannot be
/// written (a full disk, a closed pipe) loses the text: reporting must not
/// fail, nor panic as `eprint!` does.
pub fn to_stderr(text: impl std::fmt::Display) {
    let _ = write!(io::stderr().lock(), "{text}");
}

/// `to_stderr` with a line break after `text`.
pub fn line_to_stderr(text: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Where a write went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Standard output (`-`).
    Stdout,
    /// A FIFO, socket, terminal or character device (or a file descriptor
    /// such as `/dev/stdout`), written as it is, never replaced.
    Stream(PathBuf),
    /// A regular file, replaced atomically: the final target of any links.
    File(PathBuf),
}

/// Whether `path` names standard output (`-`).
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `bytes` to `path` (see `write_with`).
pub fn write(path: &Path, bytes: &[u8]) -> Result<Written, WriteError<io::Error>> {
    write_with(path, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path`:
/// - `-` is standard output;
/// - an existing FIFO, socket, terminal or character device is written to
///   directly, never replaced (so is a file descriptor: `/dev/stdout`,
///   `/dev/fd/N`, `/proc/self/fd/N`);
/// - a directory or a block device is refused;
/// - a regular file is written atomically: a temporary file in the same
///   folder, synced, renamed over the target. Symbolic links are followed to
///   their final target; an existing file keeps its mode, and one that the
///   user may not write is refused, as `>>` would refuse it; a new file gets
///   the usual `0666 & !umask`. If `fill` fails, even half-way, the
///   temporary file is removed and the target is left as it was.
pub fn write_with<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Written, WriteError<E>> {
    let fail = |source: io::Error| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    if is_stdout(path) {
        let mut out = io::stdout().lock();
        fill(&mut out).map_err(WriteError::Fill)?;
        out.flush().map_err(fail)?;
        return Ok(Written::Stdout);
    }
    if path.as_os_str().is_empty() {
        return Err(fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the file name is empty",
        )));
    }
    let target = match resolve_links(path).map_err(fail)? {
        Resolved::Descriptor => return write_stream(path, fill),
        Resolved::Path(p) => p,
    };
    match fs::metadata(path) {
        Ok(meta) => {
            let kind = meta.file_type();
            if kind.is_dir() {
                return Err(fail(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a directory",
                )));
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                if kind.is_block_device() {
                    return Err(fail(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "it is a block device; eje writes to files, pipes and terminals only",
                    )));
                }
                if kind.is_fifo() || kind.is_char_device() || kind.is_socket() {
                    return write_stream(path, fill);
                }
            }
            if kind.is_file() {
                // Refused as `>>` would refuse it (root may write anyway).
                fs::OpenOptions::new()
                    .append(true)
                    .open(&target)
                    .map_err(fail)?;
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e)),
    }
    write_atomic_to(path, &target, fill)?;
    Ok(Written::File(target))
}

/// Writes to a FIFO, socket, terminal, character device or descriptor as it
/// is: opened for appending, never truncated or replaced.
fn write_stream<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Written, WriteError<E>> {
    let fail = |source: io::Error| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut out: Box<dyn Write> = match fs::OpenOptions::new().append(true).open(path) {
        Ok(f) => Box::new(f),
        // A socket cannot be opened, only connected to.
        #[cfg(unix)]
        Err(e) if is_socket(path) => {
            drop(e);
            Box::new(std::os::unix::net::UnixStream::connect(path).map_err(fail)?)
        }
        Err(e) => return Err(fail(e)),
    };
    {
        let mut w = io::BufWriter::new(&mut out);
        fill(&mut w).map_err(WriteError::Fill)?;
        w.flush().map_err(fail)?;
    }
    Ok(Written::Stream(path.to_path_buf()))
}

#[cfg(unix)]
fn is_socket(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// Writes `fill`'s output to a temporary file beside `target` and renames
/// it over `target`; errors name `path`, the name the user gave.
fn write_atomic_to<E>(
    path: &Path,
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), WriteError<E>> {
    let fail = |source: io::Error| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target.file_name().map(|s| s.to_string_lossy().into_owned());
    let prefix = format!(".{}.", file_name.as_deref().unwrap_or("eje-export"));
    let existing = fs::metadata(target).ok().map(|m| m.permissions());

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
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).map_err(WriteError::Fill)?;
        w.flush().map_err(fail)?;
    }
    if let Some(perms) = existing {
        fs::set_permissions(tmp.path(), perms).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(target).map_err(|e| fail(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Writes a folder of files at `path`: `fill` writes them into a temporary
/// folder beside it, which is renamed into place once `fill` succeeds, so a
/// failure leaves no folder and never half of one. An existing folder is
/// replaced (moved aside, then deleted) only when it is empty, holds the
/// file `marker` (an earlier output of the same kind), or `force` is given;
/// anything at `path` that is not a folder is refused.
pub fn write_folder<T, E>(
    path: &Path,
    force: bool,
    marker: &str,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, WriteError<E>> {
    let fail = |source: io::Error| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str().is_empty() || path.as_os_str() == "-" {
        return Err(fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a folder is needed (several files are written)",
        )));
    }
    let existing = fs::metadata(path).ok();
    if let Some(m) = &existing {
        if !m.is_dir() {
            return Err(fail(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "it exists and is not a folder",
            )));
        }
        if !force && !path.join(marker).is_file() {
            let mut entries: Vec<String> = fs::read_dir(path)
                .map_err(fail)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if !entries.is_empty() {
                entries.sort();
                let shown: Vec<String> = entries.iter().take(3).map(|e| format!("`{e}`")).collect();
                let found = match entries.len() {
                    n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
                    _ => shown.join(", "),
                };
                return Err(WriteError::InUse {
                    path: path.to_path_buf(),
                    found,
                });
            }
        }
    }
    let target = match resolve_links(path).map_err(fail)? {
        Resolved::Path(p) => p,
        Resolved::Descriptor => {
            return Err(fail(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a folder is needed (several files are written)",
            )));
        }
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = target
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "eje-export".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".tmp")
        .tempdir_in(&parent)
        .map_err(fail)?;
    let out = fill(tmp.path()).map_err(WriteError::Fill)?;
    if existing.is_some() {
        // Move the old folder aside, the new one in, then delete the old.
        let old = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(".old")
            .tempdir_in(&parent)
            .map_err(fail)?;
        let aside = old.path().join("previous");
        fs::rename(&target, &aside).map_err(fail)?;
        if let Err(e) = fs::rename(tmp.path(), &target) {
            let _ = fs::rename(&aside, &target);
            return Err(fail(e));
        }
        drop(old);
    } else {
        fs::rename(tmp.path(), &target).map_err(fail)?;
    }
    // Renamed into place: nothing is left for the guard to delete.
    let _ = tmp.keep();
    sync_dir(&parent);
    Ok(out)
}

/// What a path names once its symbolic links are followed.
enum Resolved {
    /// A file or folder (which may not exist yet).
    Path(PathBuf),
    /// An open file descriptor (`/dev/stdout`, `/dev/fd/1`,
    /// `/proc/self/fd/1`): its links do not name a file to replace.
    Descriptor,
}

/// Follows the symbolic links of `path`'s last component to the final
/// target (`link1 -> link2 -> real.dot` gives `real.dot`), with the
/// kernel's limit on how many links a path may go through.
fn resolve_links(path: &Path) -> io::Result<Resolved> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if is_descriptor(&p) {
            return Ok(Resolved::Descriptor);
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(Resolved::Path(p)),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// Whether `p` names an open file descriptor rather than a file.
fn is_descriptor(p: &Path) -> bool {
    let parts: Vec<_> = p.components().map(|c| c.as_os_str()).collect();
    match parts.as_slice() {
        [_, dev, fd, _] if *dev == "dev" && *fd == "fd" => true,
        [_, dev, name] if *dev == "dev" && ["stdout", "stderr"].iter().any(|n| name == n) => true,
        [_, proc, _, fd, _] if *proc == "proc" && *fd == "fd" => true,
        _ => false,
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
        write(&p, b"one").unwrap();
        write(&p, b"two").unwrap();
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
        let msg = write(&p, b"x").unwrap_err().to_string();
        assert!(msg.contains(&p.display().to_string()), "{msg}");
        assert!(msg.contains("No such file or directory"), "{msg}");
    }

    #[test]
    fn a_directory_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let msg = write(dir.path(), b"x").unwrap_err().to_string();
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
        write(&link, b"new").unwrap();
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

    #[cfg(unix)]
    #[test]
    fn follows_a_chain_of_links_to_the_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.dot");
        fs::write(&real, "old").unwrap();
        let link2 = dir.path().join("link2");
        let link1 = dir.path().join("link1");
        std::os::unix::fs::symlink("real.dot", &link2).unwrap();
        std::os::unix::fs::symlink(&link2, &link1).unwrap();
        assert_eq!(write(&link1, b"new").unwrap(), Written::File(real.clone()));
        assert_eq!(fs::read(&real).unwrap(), b"new");
        for link in [&link1, &link2] {
            assert!(fs::symlink_metadata(link).unwrap().file_type().is_symlink());
        }
        // A loop of links is an error, not a hang.
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", &b).unwrap();
        let msg = write(&a, b"x").unwrap_err().to_string();
        assert!(msg.contains("symbolic links"), "{msg}");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_as_append_would_refuse_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ro.dot");
        fs::write(&p, "kept").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        // `>>` is the reference: where it may write (root), so may eje.
        let appendable = fs::OpenOptions::new().append(true).open(&p).is_ok();
        let result = write(&p, b"new");
        if appendable {
            eprintln!("the read-only check was not run: this user may write read-only files");
            assert!(result.is_ok());
            return;
        }
        let msg = result.unwrap_err().to_string();
        assert!(msg.contains("Permission denied"), "{msg}");
        assert_eq!(fs::read(&p).unwrap(), b"kept");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_as_it_is_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.dot");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("not run: mkfifo is not available");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(&fifo).unwrap())
        };
        assert_eq!(
            write(&fifo, b"digraph {}").unwrap(),
            Written::Stream(fifo.clone())
        );
        assert_eq!(reader.join().unwrap(), b"digraph {}");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_is_written_to_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("eje.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let reader = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            stream.read_to_end(&mut got).unwrap();
            got
        });
        assert_eq!(
            write(&path, b"hello").unwrap(),
            Written::Stream(path.clone())
        );
        assert_eq!(reader.join().unwrap(), b"hello");
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_socket());
    }

    /// Makes a device node in a temporary folder; `None` when this user may
    /// not (`mknod` needs root), and the caller's test is then not run.
    #[cfg(unix)]
    fn device(dir: &Path, name: &str, kind: &str, major: &str, minor: &str) -> Option<PathBuf> {
        let p = dir.join(name);
        let made = std::process::Command::new("mknod")
            .args([p.as_os_str(), kind.as_ref(), major.as_ref(), minor.as_ref()])
            .stderr(std::process::Stdio::null())
            .status();
        if made.is_ok_and(|s| s.success()) {
            Some(p)
        } else {
            eprintln!("not run: mknod was refused (it needs root)");
            None
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_as_it_is_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        // The null device's numbers, made inside the temporary folder.
        let Some(null) = device(dir.path(), "null", "c", "1", "3") else {
            return;
        };
        assert_eq!(write(&null, b"x").unwrap(), Written::Stream(null.clone()));
        let meta = fs::symlink_metadata(&null).unwrap();
        assert!(meta.file_type().is_char_device());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_block_device_is_refused() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        // A loop device's numbers, made inside the temporary folder; eje
        // refuses before opening it.
        let Some(block) = device(dir.path(), "disk", "b", "7", "250") else {
            return;
        };
        let msg = write(&block, b"x").unwrap_err().to_string();
        assert!(msg.contains("block device"), "{msg}");
        assert!(
            fs::symlink_metadata(&block)
                .unwrap()
                .file_type()
                .is_block_device()
        );
    }

    #[test]
    fn descriptors_are_recognised() {
        for p in [
            "/dev/stdout",
            "/dev/stderr",
            "/dev/fd/1",
            "/proc/self/fd/1",
            "/proc/42/fd/3",
        ] {
            assert!(is_descriptor(Path::new(p)), "{p}");
        }
        for p in [
            "/dev/null",
            "/dev/fd",
            "/proc/self/status",
            "out.dot",
            "/tmp/fd/1",
        ] {
            assert!(!is_descriptor(Path::new(p)), "{p}");
        }
    }
}
