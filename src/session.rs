//! A session: the current graph, where it came from, and the settings that
//! running a statement depends on. The REPL, the script runner and the
//! one-shot CLI all go through `Session`, the one place that defines what
//! running a statement means.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::diag::{Diagnostic, SourceMap};
use crate::load::location::DataLocation;
use crate::load::{self, Failure};
use crate::model::Graph;
use crate::query::ast::{Span, Statement};
use crate::query::split::split_statements;
use crate::query::{self, QueryError, ResultSet};

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
                ..load::Options::default()
            }),
            GraphSource::Script(path) => {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(path).map_err(|e| Failure {
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
                })
            }
        }
    }
}

/// One statement run: where it sits in the text, what it answered, and how
/// long each stage took.
#[derive(Debug, Clone)]
pub struct Executed {
    pub span: Span,
    pub result: Result<ResultSet, QueryError>,
    pub timing: Timing,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    pub parse_ms: f64,
    pub plan_ms: f64,
    pub exec_ms: f64,
}

impl Timing {
    pub fn total_ms(&self) -> f64 {
        self.parse_ms + self.plan_ms + self.exec_ms
    }
}

pub struct Session {
    graph: Arc<Graph>,
    pub source: GraphSource,
    pub options: query::Options,
    /// The last answer, for `:export`.
    pub last: Option<ResultSet>,
    /// Set from another thread (Ctrl-C) to stop the running statement.
    pub cancel: Arc<AtomicBool>,
    /// Warnings of the last successful load, with the texts they point into
    /// (only those: a large dataset's text is not kept for nothing).
    pub warnings: Vec<Diagnostic>,
    pub sources: SourceMap,
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
            sources: warned_texts(&loaded.warnings, loaded.sources),
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
        self.graph = Arc::new(loaded.graph);
        self.sources = warned_texts(&loaded.warnings, loaded.sources);
        self.warnings = loaded.warnings;
        self.last = None;
        Ok(())
    }

    /// Runs every statement of `text`, in order. With `keep_going` false it
    /// stops after the first failure.
    pub fn run(&mut self, text: &str, keep_going: bool) -> Vec<Executed> {
        let mut out = Vec::new();
        for span in split_statements(text) {
            let executed = self.run_one(text, span);
            let failed = executed.result.is_err();
            if let Ok(rs) = &executed.result {
                self.last = Some(rs.clone());
            }
            out.push(executed);
            if failed && !keep_going {
                break;
            }
        }
        out
    }

    /// Runs the statement at `span` of `text` (a script that something else
    /// split, such as the script runner of `meta`), keeping its answer for
    /// `:export`; spans in errors are relative to the whole text.
    pub fn run_span(&mut self, text: &str, span: Span) -> Executed {
        let executed = self.run_one(text, span);
        if let Ok(rs) = &executed.result {
            self.last = Some(rs.clone());
        }
        executed
    }

    /// Parses and runs the statement at `span` of `text`; spans in errors are
    /// relative to the whole text.
    fn run_one(&self, text: &str, span: Span) -> Executed {
        self.cancel
            .store(false, std::sync::atomic::Ordering::Relaxed);
        // Spans, and the "opened at L:C" in messages, count in the whole text.
        let started = Instant::now();
        let parsed = query::parser::parse_in(text, span);
        let parse_ms = ms(started);
        let script = match parsed {
            Ok(s) => s,
            Err(e) => {
                let timing = Timing {
                    parse_ms,
                    ..Timing::default()
                };
                return Executed {
                    span,
                    result: Err(e),
                    timing,
                };
            }
        };
        let mut plan_ms = 0.0;
        let started = Instant::now();
        let mut result = Ok(ResultSet::default());
        for stmt in &script.statements {
            result = match stmt {
                // Planned apart so `--timing` can say where the time went.
                Statement::Query(q) => {
                    let planning = Instant::now();
                    let opts = &self.options;
                    let plan = query::eval::plan_query(&self.graph, text, q, opts);
                    plan_ms += ms(planning);
                    plan.and_then(|p| query::eval::run_plan(&self.graph, &p, opts))
                }
                other => query::execute(&self.graph, text, other, &self.options),
            };
            if result.is_err() {
                break;
            }
        }
        let exec_ms = ms(started) - plan_ms;
        Executed {
            span,
            result,
            timing: Timing {
                parse_ms,
                plan_ms,
                exec_ms,
            },
        }
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The texts of the files some warning points into.
fn warned_texts(warnings: &[Diagnostic], mut sources: SourceMap) -> SourceMap {
    sources.retain(|name, _| {
        warnings
            .iter()
            .any(|w| w.file.as_deref() == Some(name.as_str()))
    });
    sources
}
