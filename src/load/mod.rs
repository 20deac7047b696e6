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
pub mod dossier;
pub mod fast;
pub mod files;
pub mod freshness;
pub mod location;
pub mod outline;
pub mod progress;
pub mod schema;
pub mod snapfile;

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use crate::diag::{self, Diagnostic, SourceMap};
use crate::model::Graph;

/// The dataset bundled into the binary at build time.
static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/data");

/// The schema's file name, at the top of the data directory.
pub const SCHEMA_FILE: &str = "schema.ron";

#[derive(Debug, Clone, Default)]
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
    /// The text of every file, for rendering warnings.
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

/// Loads the `.ron` files under `dir` (recursively).
pub fn load_dir(dir: &Path, opts: &Options) -> Result<Loaded, Failure> {
    let timer = PhaseTimer::start();
    let progress = progress::Progress::new(opts.progress);
    progress.phase(format!("reading {}", dir.display()));
    let files = read_dir(dir).map_err(|d| Failure {
        diagnostics: vec![d],
        sources: SourceMap::new(),
    })?;
    timer.phase("read");
    let loaded = check_and_build(files, opts, &progress);
    timer.phase("load");
    loaded
}

/// Loads the dataset embedded in the binary.
pub fn load_embedded(opts: &Options) -> Result<Loaded, Failure> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    load_files(files, opts)
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

/// Reads every `.ron` file under `dir`, sorted by path.
pub fn read_dir(dir: &Path) -> Result<Vec<InputFile>, Diagnostic> {
    let mut paths = Vec::new();
    walk(dir, dir, &mut paths)?;
    paths.sort();
    // Both cores read and validate files; the first error in path order wins.
    par_map(&paths, |rel| {
        let path = dir.join(rel);
        let name = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| Diagnostic::error("io", format!("cannot read `{name}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostic::error(
                "encoding",
                format!(
                    "`{name}` is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .help("save the file as UTF-8")
        })?;
        Ok(InputFile {
            name,
            rel: rel.clone(),
            text,
        })
    })
    .into_iter()
    .collect()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(
            "io",
            format!("cannot read the data directory `{}`: {e}", dir.display()),
        )
        .help("pass the folder that holds `schema.ron` with `--data DIR`")
    })?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let file_type = match e.file_type() {
            Ok(t) => t,
            Err(_) => continue,
        };
        if file_type.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|x| x == "ron")
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Parses a RON text into `T`, turning ron's error into a diagnostic.
pub fn parse_ron<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options.from_str::<T>(text).map_err(|e| {
        let start = offset_of(text, e.span.start.line, e.span.start.col);
        let end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
        let message = friendly_ron_message(&e.code.to_string());
        let help = ron_help(&message);
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

fn ron_help(message: &str) -> Option<String> {
    if message.contains("duplicate field") {
        Some("each field may appear once; remove one of them".into())
    } else if message.contains("unexpected field") || message.contains("no such") {
        Some("check the spelling against the file format in ARCHITECTURE.md".into())
    } else if message.contains("expected") && message.contains("string") {
        Some("strings are written in double quotes".into())
    } else {
        None
    }
}

/// Checks and builds a dataset from its files.
pub fn load_files(files: Vec<InputFile>, opts: &Options) -> Result<Loaded, Failure> {
    let progress = progress::Progress::new(opts.progress);
    check_and_build(files, opts, &progress)
}

fn check_and_build(
    files: Vec<InputFile>,
    opts: &Options,
    progress: &progress::Progress,
) -> Result<Loaded, Failure> {
    let mut diags = Vec::new();
    let timer = PhaseTimer::start();
    let result = check::check(&files, opts, progress, &timer, &mut diags).map(|checked| {
        progress.phase("building the graph");
        let graph = build::build(checked.schema, checked.dossiers, checked.ends);
        timer.phase("build");
        // Queries walk adjacency first of all: index it now, as part of the load.
        graph.adjacency();
        timer.phase("index");
        (graph, checked.audit)
    });
    diag::sort(&mut diags);
    // The texts move into the source map (no copy of a large dataset).
    let sources: SourceMap = files.into_iter().map(|f| (f.name, f.text)).collect();
    match result {
        Some((graph, audit)) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            graph,
            warnings: diags,
            sources,
            audit,
        }),
        _ => Failure {
            diagnostics: diags,
            sources,
        }
        .into_err(),
    }
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
/// The calling thread works too: one thread fewer means one malloc arena
/// fewer holding freed memory (glibc gives each thread its own).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
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
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut out = work();
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
    on: bool,
}

impl PhaseTimer {
    pub fn start() -> Self {
        PhaseTimer {
            last: std::cell::Cell::new(std::time::Instant::now()),
            on: std::env::var_os("EJE_LOAD_TIMING").is_some(),
        }
    }

    pub fn phase(&self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .map(|l| l[6..].trim().to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "load: {name} {:.3} s (peak RSS so far {rss})",
                (now - self.last.get()).as_secs_f64()
            );
            self.last.set(now);
        }
    }
}
