//! Reading a data folder from disk, safely.
//!
//! eje reads only regular files inside the folders it is given: a FIFO, a
//! socket or a device named `*.ron` is refused before it is opened (and the
//! file is opened non-blocking, so one swapped in meanwhile cannot hang the
//! load); every file is read up to a size cap. Links to files and folders
//! are followed with a guard by canonical path (a folder linked into itself
//! is read once), and each link that leaves the folder gets a `note:`.
//! Editor lock and backup files (`.#people.ron`, `.people.ron`,
//! `people.ron~`, `#people.ron#`) are skipped; `people.RON` gets a note that
//! it was not read. A file that cannot be read or is not UTF-8 is reported
//! (with line and column for a bad byte) and the other files are read on.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::InputFile;
use crate::diag::{Diagnostic, SourceMap, line_col};

/// The size cap when none is given: 256 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Sets the size cap used when `Options::max_file_size` is `None` (the
/// command line's `--max-file-size`).
pub fn set_default_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

/// The size cap in force when none is given.
pub fn default_max_file_size() -> u64 {
    MAX_FILE_SIZE.load(Ordering::Relaxed)
}

pub use crate::model::text::parse_size;

/// What reading a folder found.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// The files read, sorted by path.
    pub files: Vec<InputFile>,
    /// Problems (errors) and notes, in path order.
    pub diags: Vec<Diagnostic>,
    /// The text of files that could not be used (not UTF-8), for the
    /// diagnostics that point into them.
    pub broken: SourceMap,
}

/// Why a name under the data folder is not read as a dossier.
pub(super) enum Skip {
    /// Not ours: read silently past.
    Quiet,
    /// Looks like a dossier but is not read: say so.
    Noted(String),
}

/// Whether a file name is a dossier (`Ok`) or skipped.
pub(super) fn classify(name: &str) -> Result<(), Skip> {
    if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
        // Hidden files, editor locks and backups.
        return Err(Skip::Quiet);
    }
    match name.rsplit_once('.') {
        Some((stem, "ron")) if !stem.is_empty() => Ok(()),
        Some((stem, ext)) if !stem.is_empty() && ext.eq_ignore_ascii_case("ron") => {
            Err(Skip::Noted(format!(
                "`{name}` was not read: only files ending in `.ron` (lowercase) are"
            )))
        }
        _ => Err(Skip::Quiet),
    }
}

/// One file found by the walk.
#[derive(Debug)]
struct Found {
    rel: String,
    path: PathBuf,
}

/// At most this many folder entries are looked at: a link to `/` in a
/// hostile dataset does not walk the whole machine.
pub const MAX_ENTRIES: usize = 200_000;

struct Walk {
    /// Folder entries looked at so far, and whether there were too many.
    entries: usize,
    exhausted: bool,
    root: PathBuf,
    /// Canonical path of the folder given, for "leaves the folder".
    root_canon: PathBuf,
    /// Canonical paths of the folders and files already taken.
    seen_dirs: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
    found: Vec<Found>,
    diags: Vec<Diagnostic>,
}

/// Reads every `.ron` file under `dir` (links followed), sorted by path.
pub fn read_folder(dir: &Path, max_size: u64) -> Result<ReadOutcome, Diagnostic> {
    Ok(list_folder(dir)?.read(max_size))
}

/// The data files of a folder, found but not read yet.
#[derive(Debug)]
pub struct Listing {
    found: Vec<Found>,
    /// What the walk found to say (notes, errors), in path order.
    pub diags: Vec<Diagnostic>,
}

impl Listing {
    /// The files' paths relative to the folder, `/`-separated, sorted.
    pub fn rels(&self) -> Vec<String> {
        self.found.iter().map(|f| f.rel.clone()).collect()
    }

    /// Reads the files, in parallel; what could not be read is a diagnostic.
    pub fn read(self, max_size: u64) -> ReadOutcome {
        let read = super::par_map(&self.found, |f| read_one(&f.path, &f.rel, max_size));
        let mut diags = self.diags;
        let mut out = ReadOutcome::default();
        for r in read {
            match r {
                Ok(file) => out.files.push(file),
                Err((d, broken)) => {
                    if let Some((name, text)) = broken {
                        out.broken.insert(name, text);
                    }
                    diags.push(d);
                }
            }
        }
        out.diags = diags;
        FILES_READ.fetch_add(out.files.len(), std::sync::atomic::Ordering::Relaxed);
        out
    }
}

/// How many data files this process has read (`EJE_LOAD_TIMING` prints it).
static FILES_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many data files this process has read so far.
pub fn files_read() -> usize {
    FILES_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// Finds every `.ron` file under `dir` (links followed), sorted by path,
/// without reading them.
pub fn list_folder(dir: &Path) -> Result<Listing, Diagnostic> {
    let not_a_folder = |e: String| {
        Diagnostic::error(
            "io",
            format!("cannot read the data directory `{}`: {e}", dir.display()),
        )
        .help("pass the folder that holds `schema.ron` with `--data DIR`")
    };
    let root_canon = std::fs::canonicalize(dir).map_err(|e| not_a_folder(e.to_string()))?;
    if !root_canon.is_dir() {
        return Err(not_a_folder("it is not a folder".into()));
    }
    let mut walk = Walk {
        entries: 0,
        exhausted: false,
        root: dir.to_path_buf(),
        root_canon: root_canon.clone(),
        seen_dirs: HashSet::from([root_canon]),
        seen_files: HashSet::new(),
        found: Vec::new(),
        diags: Vec::new(),
    };
    walk.dir(dir, "", false)
        .map_err(|e| not_a_folder(e.to_string()))?;
    let Walk {
        mut found, diags, ..
    } = walk;
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(Listing { found, diags })
}

impl Walk {
    /// Reads a folder; `outside`: it was reached through a link that left
    /// the data folder (its own links get no note of their own).
    fn dir(&mut self, dir: &Path, rel: &str, outside: bool) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        self.entries += entries.len();
        if self.entries > MAX_ENTRIES {
            if !self.exhausted {
                self.exhausted = true;
                self.diags.push(
                    Diagnostic::error(
                        "too-many-files",
                        format!(
                            "the data folder `{}` holds more than {MAX_ENTRIES} files and folders; stopped at `{}`",
                            self.root.display(),
                            dir.display()
                        ),
                    )
                    .help("a link may lead somewhere large (`/`, a home folder): remove it"),
                );
            }
            return Ok(());
        }
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let rel_path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let Ok(lmeta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let is_link = lmeta.file_type().is_symlink();
            // Where a link leads (its canonical target), and what is there.
            let (canon, meta) = if is_link {
                match (std::fs::canonicalize(&path), std::fs::metadata(&path)) {
                    (Ok(c), Ok(m)) => (c, m),
                    _ => {
                        if classify(&name).is_ok() {
                            self.diags.push(
                                Diagnostic::error(
                                    "io",
                                    format!(
                                        "cannot read `{}`: it is a link to nothing (or a loop of links)",
                                        path.display()
                                    ),
                                )
                                .help("fix or remove the link"),
                            );
                        }
                        continue;
                    }
                }
            } else {
                match std::fs::canonicalize(&path) {
                    Ok(c) => (c, lmeta),
                    Err(_) => continue,
                }
            };
            if meta.is_dir() {
                if name.starts_with('.') {
                    continue;
                }
                if !self.seen_dirs.insert(canon.clone()) {
                    // A folder already read (a link back up, or two links
                    // to one folder): read once.
                    continue;
                }
                let leaves = is_link && !outside && self.note_if_outside(&path, &canon);
                if let Err(err) = self.dir(&path, &rel_path, outside || leaves) {
                    self.diags.push(Diagnostic::error(
                        "io",
                        format!("cannot read the folder `{}`: {err}", path.display()),
                    ));
                }
                continue;
            }
            match classify(&name) {
                Ok(()) => {}
                Err(Skip::Quiet) => continue,
                Err(Skip::Noted(msg)) => {
                    self.diags.push(
                        Diagnostic::notice("not-read", msg).help("rename it to end in `.ron`"),
                    );
                    continue;
                }
            }
            if let Some(kind) = not_regular(&meta) {
                self.diags.push(
                    Diagnostic::error(
                        "not-a-file",
                        format!(
                            "`{}` is {kind}, not a regular file: it was not read",
                            path.display()
                        ),
                    )
                    .help("eje reads only regular files; remove it or rename it so it does not end in `.ron`"),
                );
                continue;
            }
            if !self.seen_files.insert(canon.clone()) {
                self.diags.push(Diagnostic::notice(
                    "not-read",
                    format!(
                        "`{}` was not read: it is a link to a file already read (`{}`)",
                        path.display(),
                        canon.display()
                    ),
                ));
                continue;
            }
            if is_link && !outside {
                self.note_if_outside(&path, &canon);
            }
            self.found.push(Found {
                rel: rel_path,
                path,
            });
        }
        Ok(())
    }

    /// Notes a link that leaves the data folder; whether it does.
    fn note_if_outside(&mut self, path: &Path, canon: &Path) -> bool {
        let leaves = !canon.starts_with(&self.root_canon);
        if leaves {
            self.diags.push(Diagnostic::notice(
                "link-outside",
                format!(
                    "`{}` is a link that leaves the data folder `{}`: it leads to `{}`",
                    path.display(),
                    self.root.display(),
                    canon.display()
                ),
            ));
        }
        leaves
    }
}

/// What a non-regular file is, in words; `None` for a regular file.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    if meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    if meta.is_dir() {
        return Some("a folder");
    }
    Some("a special file")
}

/// Opens a file for reading without blocking on a FIFO.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Why `read_capped` gave up.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    NotRegular(&'static str),
    TooLarge { size: u64, max: u64 },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, max } => write!(
                f,
                "it is larger ({}) than the limit of {}",
                human(*size),
                human(*max)
            ),
        }
    }
}

/// Bytes for people: `300 MiB`, `12 KiB`, `17 bytes`.
pub fn human(bytes: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1u64 << shift && bytes.is_multiple_of(1u64 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
        if bytes >= 1u64 << shift {
            return format!("{:.1} {unit}", bytes as f64 / (1u64 << shift) as f64);
        }
    }
    format!("{bytes} bytes")
}

/// Reads a regular file of at most `max` bytes: never blocks on a FIFO,
/// never reads a device, never reads more than `max + 1` bytes.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    // The file opened may not be the one looked at: look again.
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// The text of a regular file of at most the default size cap (a script
/// for `:source`), or why not, in words (`it is a FIFO…`).
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_capped(path, default_max_file_size()).map_err(|e| e.to_string())?;
    decode(bytes).map_err(|(at, lossy)| {
        let (line, col) = line_col(&lossy, at);
        format!("it is not UTF-8 (line {line}, column {col})")
    })
}

/// The text of a file the user named (a graph script, a query script):
/// a regular file or a pipe (`<(…)` in a shell), never a device or a
/// folder, and never more than the size cap.
pub fn read_named(path: &Path) -> Result<String, String> {
    let max = default_max_file_size();
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    let pipe = std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type());
    #[cfg(not(unix))]
    let pipe = false;
    if !pipe && let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(kind).to_string());
    }
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        let size =
            std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len().max(bytes.len() as u64));
        return Err(ReadError::TooLarge { size, max }.to_string());
    }
    decode(bytes).map_err(|(at, lossy)| {
        let (line, col) = line_col(&lossy, at);
        format!("it is not UTF-8 (line {line}, column {col})")
    })
}

/// Text from bytes: a leading byte-order mark dropped; `Err` with the
/// offset of the first byte that is not UTF-8 and the text read lossily.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, (usize, String)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (at, String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

/// The diagnostic for a file that is not UTF-8, pointing at the bad byte.
pub fn not_utf8(name: &str, at: usize, lossy: &str) -> Diagnostic {
    let (line, col) = line_col(lossy, at);
    Diagnostic::error(
        "encoding",
        format!("`{name}` is not UTF-8: the byte at line {line}, column {col} is not valid"),
    )
    .at(name, at..(at + '\u{FFFD}'.len_utf8()).min(lossy.len()))
    .label("not UTF-8")
    .help("save the file as UTF-8")
}

type Broken = Option<(String, String)>;

fn read_one(path: &Path, rel: &str, max: u64) -> Result<InputFile, (Diagnostic, Broken)> {
    let name = path.display().to_string();
    let bytes = read_capped(path, max).map_err(|e| {
        let d = Diagnostic::error("io", format!("cannot read `{name}`: {e}"));
        let d = match e {
            ReadError::TooLarge { .. } => {
                d.help("split the file, or raise the limit with `--max-file-size`")
            }
            ReadError::NotRegular(_) => d.help("eje reads only regular files"),
            ReadError::Io(_) => d.help("check the file's permissions"),
        };
        (d, None)
    })?;
    match decode(bytes) {
        Ok(text) => Ok(InputFile {
            name,
            rel: rel.to_string(),
            text,
        }),
        Err((at, lossy)) => {
            let d = not_utf8(&name, at, &lossy);
            Err((d, Some((name, lossy))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("17"), Ok(17));
        assert_eq!(parse_size("2K"), Ok(2048));
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn names_are_classified() {
        assert!(classify("people.ron").is_ok());
        for quiet in [
            ".#people.ron",
            ".people.ron",
            "people.ron~",
            "#people.ron#",
            "a.txt",
            ".ron",
        ] {
            assert!(matches!(classify(quiet), Err(Skip::Quiet)), "{quiet}");
        }
        assert!(matches!(classify("people.RON"), Err(Skip::Noted(_))));
    }

    #[test]
    fn a_bom_is_dropped_and_bad_bytes_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF(x)".to_vec()).unwrap(), "(x)");
        let (at, lossy) = decode(b"ab\ncd\xFFe".to_vec()).unwrap_err();
        assert_eq!(at, 5);
        let d = not_utf8("f.ron", at, &lossy);
        assert!(d.message.contains("line 2, column 3"), "{}", d.message);
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.kgq");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Would block forever if it were opened for reading as a file.
        let err = read_text(&fifo).unwrap_err();
        assert!(err.contains("FIFO"), "{err}");
        let big = dir.path().join("big.ron");
        std::fs::write(&big, vec![b'x'; 100]).unwrap();
        assert!(matches!(
            read_capped(&big, 99),
            Err(ReadError::TooLarge { size: 100, max: 99 })
        ));
        assert_eq!(read_capped(&big, 100).unwrap().len(), 100);
        assert!(read_text(dir.path()).unwrap_err().contains("folder"));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(256 << 20), "256 MiB");
        assert_eq!(human(10), "10 bytes");
        assert_eq!(human(1536), "1.5 KiB");
    }
}
