//! A session: the current graph, where it came from, and the settings that
//! running a statement depends on. The REPL, the script runner and the
//! one-shot CLI all go through `Session`, the one place that defines what
//! running a statement means.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::diag::{Diagnostic, SourceMap};
use crate::load::location::DataLocation;
use crate::load::{self, Failure};
use crate::model::Graph;
use crate::query::ast::Span;
use crate::query::split::split_statements;
use crate::query::{self, ResultSet};

/// A dataset that loaded, for front ends that load on a thread of their own
/// and `install` the result.
pub use crate::load::Loaded;

/// Where the graph comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphSource {
    Data(DataLocation),
    /// A Cypher script of `CREATE` statements (`--graph-script`).
    Script(PathBuf),
}

impl GraphSource {
    pub fn describe(&self) -> String {
        match self {
            GraphSource::Data(d) => d.describe(),
            GraphSource::Script(p) => p.display().to_string(),
        }
    }

    pub fn load(&self) -> Result<load::Loaded, Failure> {
        match self {
            // Progress goes to stderr, and only on a terminal.
            GraphSource::Data(d) => d.load(&load::Options {
                progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
                snapshot: true,
                warned_texts: false,
                ..load::Options::default()
            }),
            GraphSource::Script(path) => {
                let name = path.display().to_string();
                // Never a device, never past the size cap.
                let text = load::read::read_named(path).map_err(|e| Failure {
                    diagnostics: vec![Diagnostic::error(
                        "unreadable-script",
                        format!("cannot read the graph script `{name}`: {e}"),
                    )],
                    sources: SourceMap::new(),
                })?;
                let graph = crate::import::load_script(&name, &text)?;
                Ok(load::Loaded {
                    graph,
                    warnings: Vec::new(),
                    sources: SourceMap::from([(name, text)]),
                    audit: Vec::new(),
                })
            }
        }
    }
}

pub use crate::query::engine::{Executed, Timing};

pub struct Session {
    graph: Arc<Graph>,
    pub source: GraphSource,
    pub options: query::Options,
    /// The last answer, for `:export`.
    pub last: Option<ResultSet>,
    /// Set from another thread (Ctrl-C) to stop the running statement.
    pub cancel: Arc<AtomicBool>,
    /// Warnings of the last successful load. Only counted here (`eje check`
    /// renders them), so no text of the data is kept for them.
    pub warnings: Vec<Diagnostic>,
}

impl Session {
    pub fn open(source: GraphSource) -> Result<Session, Failure> {
        let loaded = source.load()?;
        let cancel = Arc::new(AtomicBool::new(false));
        let options = query::Options {
            cancel: Some(cancel.clone()),
            ..query::Options::default()
        };
        Ok(Session {
            graph: Arc::new(loaded.graph),
            source,
            options,
            last: None,
            cancel,
            warnings: loaded.warnings,
        })
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn graph_arc(&self) -> Arc<Graph> {
        self.graph.clone()
    }

    /// Re-reads the data. On failure the current graph stays as it was.
    pub fn reload(&mut self) -> Result<(), Failure> {
        let loaded = self.source.load()?;
        self.install(loaded);
        Ok(())
    }

    /// Puts a dataset loaded elsewhere (by a watcher, on another thread) in
    /// place of the current graph, as a successful `reload` does.
    pub fn install(&mut self, loaded: load::Loaded) {
        self.graph = Arc::new(loaded.graph);
        self.warnings = loaded.warnings;
        self.last = None;
    }

    /// Runs every statement of `text`, in order. With `keep_going` false it
    /// stops after the first failure.
    pub fn run(&mut self, text: &str, keep_going: bool) -> Vec<Executed> {
        let mut out = Vec::new();
        for span in split_statements(text) {
            let executed = self.run_one(text, span);
            let failed = executed.result.is_err();
            out.push(executed);
            if failed && !keep_going {
                break;
            }
        }
        out
    }

    /// Runs the statement at `span` of `text` (a script that something else
    /// split, such as the script runner of `meta`); spans in errors are
    /// relative to the whole text.
    pub fn run_span(&mut self, text: &str, span: Span) -> Executed {
        self.run_one(text, span)
    }

    /// Keeps the last answer of `results` that succeeded for `:last` and
    /// `:export`, moved, not copied: a front end calls it once it has shown
    /// them, so no answer is held twice (the memory budget counts one).
    pub fn keep_last(&mut self, results: Vec<Executed>) {
        if let Some(rs) = results.into_iter().rev().find_map(|e| e.result.ok()) {
            self.last = Some(rs);
        }
    }

    /// Parses and runs the statement at `span` of `text`; spans in errors are
    /// relative to the whole text.
    fn run_one(&self, text: &str, span: Span) -> Executed {
        self.cancel
            .store(false, std::sync::atomic::Ordering::Relaxed);
        query::engine::run(&self.graph, text, span, &self.options)
    }
}
