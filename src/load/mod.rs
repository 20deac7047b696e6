//! The loader: reads `data/`, validates every file against the schema and
//! builds the `model::Graph`, or reports every problem at once.
//!
//! Stages: read the files (`read_dir` or the copy embedded at build time),
//! parse each with ron into the serde types of `files`, map their positions
//! (`outline`), check the schema (`schema`) and every dossier against it
//! (`check`), then build the graph (`build`) from the checked dossiers
//! (`dossier`, the types both share). Loading is all-or-nothing: any
//! error and no graph comes back.
//!
//! The heavy stages use all cores: files are read, parsed and
//! checked in parallel (`par_map`), and claims become relations on worker
//! threads while the nodes are made. Results never depend on it: the
//! diagnostics of each file are gathered in file order, and relations are
//! added to the graph in claim order, so the graph and the report are those
//! of a single thread.

pub mod build;
pub mod cache;
pub mod check;
pub mod cites;
pub mod dossier;
pub mod fast;
pub mod files;
pub mod freshness;
pub mod lexer;
pub mod location;
pub mod outline;
pub mod read;
pub mod schema;
pub mod snapfile;
pub mod snapshot;
pub mod wire;

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::Deserialize;

use crate::diag::{self, Diagnostic, SourceMap};
use crate::model::Graph;
use crate::progress::Progress;

/// The dataset bundled into the binary at build time.
static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/data");

/// The schema's file name, at the top of the data directory.
pub const SCHEMA_FILE: &str = "schema.ron";

#[derive(Debug, Clone)]
pub struct Options {
    /// Folder holding the articles, to check that every quote is in its
    /// source (`eje check --corpus`).
    pub corpus: Option<PathBuf>,
    /// Show a progress line on stderr when loading takes more than a
    /// second. The caller decides: only for a terminal.
    pub progress: bool,
    /// List the citations that name neither end of what they back
    /// (`eje check --audit`), in `Loaded::audit`.
    pub audit: bool,
    /// The largest file read, in bytes (data files and articles);
    /// `None`: `read::default_max_file_size()` (256 MiB unless
    /// `--max-file-size` says otherwise).
    pub max_file_size: Option<u64>,
    /// Open a folder from its snapshot when the data is unchanged, and
    /// write the snapshot after a load from the files (unless `--no-cache`
    /// or `EJE_NO_CACHE` switch it off). Never with `corpus` or `audit`,
    /// which look beyond what the snapshot holds.
    pub snapshot: bool,
    /// Keep the texts that warnings point into, in `Loaded::sources`, to
    /// render the warnings (the default). A session only counts them: it
    /// turns this off, and a first load then copies no text of its data.
    pub warned_texts: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            corpus: None,
            progress: false,
            audit: false,
            max_file_size: None,
            snapshot: false,
            warned_texts: true,
        }
    }
}

impl Options {
    /// The size cap in force.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
            .unwrap_or_else(read::default_max_file_size)
    }
}

/// One file of a dataset: its display name and text.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    /// Path relative to the data directory, `/`-separated.
    pub rel: String,
    pub text: String,
}

/// A loaded dataset.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub graph: Graph,
    /// Problems that do not stop loading.
    pub warnings: Vec<Diagnostic>,
    /// Every file read, with its text where a warning points into it (for
    /// rendering them; the others' texts are empty). No texts at all
    /// without `Options::warned_texts`, nor from the snapshot: the files
    /// are unchanged then, and `eje check`, which renders warnings, always
    /// reads them.
    pub sources: SourceMap,
    /// The audit's findings, when `Options::audit` asked for them.
    pub audit: Vec<check::AuditItem>,
}

/// A dataset that did not load: every error and warning, sorted.
#[derive(Debug, Clone)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Failure {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn render(&self, color: bool) -> String {
        diag::render(&self.diagnostics, &self.sources, color)
    }
}

/// Loads the `.ron` files under `dir` (recursively, links followed); with
/// `Options::snapshot`, from the snapshot when the data is unchanged.
pub fn load_dir(dir: &Path, opts: &Options) -> Result<Loaded, Failure> {
    let timer = PhaseTimer::start();
    let progress = Progress::loading(opts.progress);
    progress.phase(format!("reading {}", dir.display()));
    let listing = read::list_folder(dir).map_err(|d| Failure {
        diagnostics: vec![d],
        sources: SourceMap::new(),
    })?;
    let snap_path = (opts.snapshot && opts.corpus.is_none() && !opts.audit)
        .then(|| cache::snapshot_path(dir, cache::no_cache()))
        .flatten();
    let rels = listing.rels();
    let walk_failed = listing.diags.iter().any(Diagnostic::is_error);
    if let Some(path) = snap_path.as_deref().filter(|_| !walk_failed) {
        match snapshot::open(path, dir, &rels, &listing.diags) {
            snapshot::Opened::Fresh(loaded) => {
                timer.phase("snapshot");
                timer.files_read();
                return Ok(*loaded);
            }
            snapshot::Opened::Stale => {}
            snapshot::Opened::Damaged(damage) => {
                cache::note(&damage.note(path));
            }
        }
    }
    // The key is taken before the files are read: a file changed while it
    // is read has a newer stamp than the key, and the next start sees it.
    let key = snap_path
        .as_ref()
        .and_then(|_| freshness::DataKey::capture(dir, &rels).ok());
    let walk = listing.diags.clone();
    let read = listing.read(opts.max_file_size());
    timer.phase("read");
    let loaded = check_and_build(read.files, read.diags, read.broken, opts, &progress);
    timer.phase("load");
    if let (Ok(loaded), Some(path), Some(key)) = (&loaded, &snap_path, &key) {
        match snapshot::write(path, key, dir, &walk, loaded) {
            Err(e) => {
                if let Some(note) = cache::unwritable_note(path, &e) {
                    cache::note(&note);
                }
            }
            // The snapshots of folders that are gone would otherwise stay
            // forever.
            Ok(()) => {
                if let Some(cache_dir) = path.parent() {
                    cache::prune(cache_dir, path);
                }
            }
        }
        timer.phase("snapshot written");
    }
    timer.files_read();
    loaded
}

/// Loads the dataset embedded in the binary.
pub fn load_embedded(opts: &Options) -> Result<Loaded, Failure> {
    load_files(embedded_files(), opts)
}

/// The files of the dataset embedded in the binary, sorted by path.
pub fn embedded_files() -> Vec<InputFile> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<InputFile>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".ron")
            && let Some(text) = f.contents_utf8()
        {
            out.push(InputFile {
                name: format!("<bundled>/data/{rel}"),
                rel,
                text: text.to_string(),
            });
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// Reads every `.ron` file under `dir`, sorted by path; the first problem
/// found (in path order) is the error. `load_dir` reports them all.
pub fn read_dir(dir: &Path) -> Result<Vec<InputFile>, Diagnostic> {
    let read = read::read_folder(dir, read::default_max_file_size())?;
    match read.diags.into_iter().find(Diagnostic::is_error) {
        Some(d) => Err(d),
        None => Ok(read.files),
    }
}

/// Whether the loader reads a file at `path`: a `.ron` file that is not
/// hidden. Editors' lock files (Emacs's `.#a.ron`), swap and backup files
/// (`.a.ron.swp`, `a.ron~`) do not count; the watchers use the same rule.
pub fn is_data_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| read::classify(name).is_ok())
}

/// Parses a RON text into `T`, turning ron's error into a diagnostic.
pub fn parse_ron<'a, T: Deserialize<'a>>(name: &str, text: &'a str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options.from_str::<T>(text).map_err(|e| {
        let start = offset_of(text, e.span.start.line, e.span.start.col);
        let end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
        let message = friendly_ron_message(&e.code.to_string());
        let help = ron_help(&message).or_else(|| structure_help(&message, text, start));
        Diagnostic::error("ron", message)
            .at(name, start..end)
            .help_opt(help)
    })
}

/// Byte offset of a 1-based line and (character) column.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let chars = l.char_indices().nth(col.saturating_sub(1));
            return offset + chars.map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// ron names our serde types; users know them by what they are.
fn friendly_ron_message(message: &str) -> String {
    let mut m = message.to_string();
    for (ty, name) in [
        ("SchemaFile", "schema"),
        ("DataFile", "dossier"),
        ("KindSpec", "kind"),
        ("RelationSpec", "relation type"),
        ("UnitSpec", "unit"),
        ("SourceSpec", "source"),
        ("EntitySpec", "entity"),
        ("ParticipantSpec", "participant"),
        ("ClaimSpec", "claim"),
        ("QuantitySpec", "quantity"),
        ("CitationSpec", "citation"),
        ("ClaimantSpec", "claimant"),
        ("WhenSpec", "when"),
        ("RankSpec", "rank"),
        ("TimeShapeSpec", "time shape"),
    ] {
        m = m.replace(&format!("`{ty}`"), &format!("`{name}`"));
    }
    if m.contains("recursion limit") {
        // ron's text advises its own developer options.
        m = "the file nests brackets deeper than eje reads".into();
    }
    let mut chars = m.chars();
    match chars.next() {
        Some(c) => c
            .to_lowercase()
            .chain(chars)
            .collect::<String>()
            .trim_end_matches('.')
            .to_string(),
        None => m,
    }
}

/// Help for a value written in the wrong shape, from the field it is given
/// for and what is written there (`when: "2024-06"`).
fn structure_help(message: &str, text: &str, at: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("the file is empty: an empty dossier is written `()`".into());
    }
    if !message.starts_with("expected identifier") && !message.starts_with("expected opening") {
        return None;
    }
    let at = at.min(text.len());
    let found_string = text[at..].starts_with('"');
    // The field the value belongs to: `name:` before it.
    let before = text[..at].trim_end();
    let field = before.strip_suffix(':').map(|b| {
        let b = b.trim_end();
        let start = b
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        &b[start..]
    });
    let value: String = text[at..]
        .chars()
        .take(40)
        .take_while(|c| *c != ',' && *c != ')' && *c != '\n')
        .collect();
    let value = value.trim();
    match (field, found_string) {
        (Some("when"), true) => Some(format!(
            "`when` is `On(…)` or `Span(from: …, to: …)`: write `when: On({value})`"
        )),
        (Some("from" | "to"), false) => Some("dates are strings: write `\"2024-06\"`".into()),
        (Some(f @ ("hedge" | "kind" | "time" | "rank")), true) => Some(format!(
            "`{f}` takes a name without quotes: write `{f}: {}`",
            value.trim_matches('"')
        )),
        (_, true) => Some(
            "this value is a name written without quotes (`Asserted`, `On(\"2024-06\")`)".into(),
        ),
        _ => None,
    }
}

fn ron_help(message: &str) -> Option<String> {
    if message.contains("duplicate field") {
        Some("each field may appear once; remove one of them".into())
    } else if message.contains("unexpected field") || message.contains("no such") {
        Some("check the spelling against the file format in ARCHITECTURE.md".into())
    } else if message.contains("nests brackets deeper") {
        Some("nest lists, maps and values less deeply".into())
    } else if message.contains("expected") && message.contains("string") {
        Some("strings are written in double quotes".into())
    } else {
        None
    }
}

/// Checks and builds a dataset from its files.
pub fn load_files(files: Vec<InputFile>, opts: &Options) -> Result<Loaded, Failure> {
    let progress = Progress::loading(opts.progress);
    check_and_build(files, Vec::new(), SourceMap::new(), opts, &progress)
}

/// `read` holds what reading the files found (files that could not be read,
/// notes) and `broken` the text of files that are not UTF-8.
fn check_and_build(
    mut files: Vec<InputFile>,
    read: Vec<Diagnostic>,
    broken: SourceMap,
    opts: &Options,
    progress: &Progress,
) -> Result<Loaded, Failure> {
    for f in &mut files {
        // A byte-order mark (Windows Notepad) is not part of the text.
        if let Some(rest) = f.text.strip_prefix('\u{feff}') {
            f.text = rest.to_string();
        }
    }
    let mut diags = read;
    let timer = PhaseTimer::start();
    let parsed = check::parse(files, progress, &mut diags);
    let mut sources: SourceMap = parsed.schema_text.into_iter().collect();
    sources.extend(parsed.broken);
    sources.extend(broken);
    let checked = check::check(
        parsed.schema,
        &parsed.dossiers,
        opts,
        progress,
        &timer,
        &mut diags,
    );
    let result = match checked {
        Some(checked) if !diags.iter().any(Diagnostic::is_error) => checked,
        _ => {
            // The texts move into the source map (no copy of a large dataset).
            sources.extend(
                parsed
                    .dossiers
                    .into_iter()
                    .map(|d| (d.name, d.file.into_owner())),
            );
            diag::sort(&mut diags);
            return Failure {
                diagnostics: diags,
                sources,
            }
            .into_err();
        }
    };
    // The build frees each file once its claims are relations: a loaded
    // dataset keeps only the texts some warning points into (to render
    // them), and lists the others with an empty text (`eje check` counts
    // them).
    let named = if opts.warned_texts {
        named_files(&diags)
    } else {
        FastSet::default()
    };
    for d in &parsed.dossiers {
        let text = if named.contains(d.name.as_str()) {
            d.file.borrow_owner().clone()
        } else {
            String::new()
        };
        sources.insert(d.name.clone(), text);
    }
    let named: FastSet<String> = named.into_iter().map(str::to_string).collect();
    progress.phase("building the graph");
    let files = parsed.dossiers.into_iter().map(|d| d.file).collect();
    let graph = build::build(result.schema, files, result.ends, result.cite_sources);
    timer.phase("build");
    // Queries walk adjacency first of all: index it now, as part of the load.
    graph.adjacency();
    timer.phase("index");
    diag::sort(&mut diags);
    for (name, text) in &mut sources {
        if !named.contains(name.as_str()) {
            *text = String::new();
        }
    }
    Ok(Loaded {
        sources,
        graph,
        warnings: diags,
        audit: result.audit,
    })
}

/// The files some diagnostic points into (its own or a related place).
fn named_files(diags: &[Diagnostic]) -> FastSet<&str> {
    diags
        .iter()
        .flat_map(|d| {
            d.file
                .iter()
                .chain(d.related.iter().filter_map(|r| r.file.as_ref()))
        })
        .map(String::as_str)
        .collect()
}

impl Failure {
    fn into_err<T>(mut self) -> Result<T, Failure> {
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            self.diagnostics.push(Diagnostic::error(
                "internal",
                "the dataset could not be built",
            ));
        }
        Err(self)
    }
}

pub use crate::model::fxhash::{FastMap, FastSet, FxHasher};

/// Maps `f` over `items` on every core, keeping the order.
///
/// The calling thread waits for threads of its own and works on none of the
/// items, even on one core or for one item: what they allocate (a file's
/// text, its parsed form) is freed later by other threads, and mimalloc
/// lets the threads that allocate next take over the pages of a thread that
/// has ended, while the pages of the calling thread, which lives on, stay
/// its own, holding freed memory.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads == 0 {
        return Vec::new();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut out: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut out = Vec::new();
        for h in helpers {
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Prints how long each loading phase took when `EJE_LOAD_TIMING` is set
/// (for profiling; never in normal output).
pub struct PhaseTimer {
    last: std::cell::Cell<std::time::Instant>,
    /// The process's CPU time (user and system, every thread) at `last`.
    cpu: std::cell::Cell<f64>,
    on: bool,
}

/// The CPU time this process has used so far, user and system, from
/// `/proc/self/stat` (0 where there is none): the phases that leave a core
/// idle show as less CPU than twice their time on two cores.
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may
    // hold spaces: utime and stime are the 12th and 13th of them.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // The kernel's USER_HZ is 100 on every Linux eje runs on.
    ticks as f64 / 100.0
}

impl PhaseTimer {
    pub fn start() -> Self {
        let on = std::env::var_os("EJE_LOAD_TIMING").is_some();
        PhaseTimer {
            last: std::cell::Cell::new(std::time::Instant::now()),
            cpu: std::cell::Cell::new(if on { process_cpu_seconds() } else { 0.0 }),
            on,
        }
    }

    pub fn phase(&self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map_or("", str::trim)
            };
            let cpu = process_cpu_seconds();
            eprintln!(
                "load: {name} {:.3} s, {:.3} s of CPU (peak RSS so far {}, now {})",
                (now - self.last.get()).as_secs_f64(),
                cpu - self.cpu.get(),
                field("VmHWM:"),
                field("VmRSS:"),
            );
            self.last.set(now);
            self.cpu.set(cpu);
        }
    }

    /// Prints how many data files this process has read (a query answered
    /// from the snapshot reads none).
    pub fn files_read(&self) {
        if self.on {
            eprintln!("load: {} data files read", read::files_read());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::par_map;

    /// Results come back in the items' order, and none is worked on by the
    /// calling thread, whose pages would keep the memory that other threads
    /// free later.
    #[test]
    fn par_map_keeps_order_and_leaves_the_calling_thread_free() {
        let caller = std::thread::current().id();
        for n in [0, 1, 2, 64] {
            let items: Vec<usize> = (0..n).collect();
            let out = par_map(&items, |&i| (i * 3, std::thread::current().id()));
            let values: Vec<usize> = out.iter().map(|(v, _)| *v).collect();
            assert_eq!(values, items.iter().map(|i| i * 3).collect::<Vec<_>>());
            let on_caller = out.iter().filter(|(_, t)| *t == caller).count();
            assert_eq!(
                on_caller, 0,
                "the calling thread worked on {on_caller} of {n} items"
            );
        }
    }
}
