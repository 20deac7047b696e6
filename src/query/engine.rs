//! The engine's one entry point: text → parse → plan → run, with the
//! analyst statements dispatched here and each stage timed here. The
//! session, the REPL, scripts, the TCK harness and the query-case tests all
//! run statements through `run`, so there is one meaning of running one.
//!
//! `Options` is the execution context (limits, cancel flag, progress,
//! `PROFILE` counters); a `ResultSet` is the answer (rows, what it touched
//! in the graph, notes). The layers below never call back up here: a query
//! goes to the planner and the evaluator (`eval`), an analyst statement to
//! `analyst`.

use std::time::Instant;

use super::analyst;
use super::ast::{self, Span};
use super::error::QueryError;
use super::eval::{self, Options};
use super::result::ResultSet;
use crate::model::Graph;

/// How long each stage of a run took, in milliseconds.
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

/// The stage a statement failed in: parsing and planning are compile time,
/// running is run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Parse,
    Plan,
    Run,
}

/// One run: where it sits in the text, what it answered (the last
/// statement's answer, or the first error), where it failed, and how long
/// each stage took.
#[derive(Debug, Clone)]
pub struct Executed {
    pub span: Span,
    pub result: Result<ResultSet, QueryError>,
    /// `None` when it succeeded.
    pub failed_in: Option<Stage>,
    pub timing: Timing,
}

/// Parses the statements of `text` at `span` and runs them in turn,
/// stopping at the first error. Spans in errors count in the whole text,
/// and unaliased return items are named after their text there.
pub fn run(graph: &Graph, text: &str, span: Span, opts: &Options) -> Executed {
    let started = Instant::now();
    let parsed = super::parser::parse_in(text, span);
    let mut timing = Timing {
        parse_ms: ms(started),
        ..Timing::default()
    };
    let script = match parsed {
        Ok(s) => s,
        Err(e) => {
            return Executed {
                span,
                result: Err(e),
                failed_in: Some(Stage::Parse),
                timing,
            };
        }
    };
    let started = Instant::now();
    let mut result = Ok(ResultSet::default());
    let mut failed_in = None;
    for stmt in &script.statements {
        result = match stmt {
            ast::Statement::Query(q) => {
                let planning = Instant::now();
                let plan = eval::plan_query(graph, text, q, opts);
                timing.plan_ms += ms(planning);
                match plan {
                    Ok(p) => match q.mode {
                        ast::QueryMode::Run => eval::run_plan(graph, &p, opts),
                        ast::QueryMode::Explain => {
                            Ok(eval::profile::plan_table(graph, &p, text, None))
                        }
                        ast::QueryMode::Profile => profile(graph, &p, text, opts),
                    },
                    Err(e) => {
                        failed_in = Some(Stage::Plan);
                        Err(e)
                    }
                }
            }
            other => analyst::execute(graph, text, other, &held(opts)),
        };
        if result.is_err() {
            failed_in.get_or_insert(Stage::Run);
            break;
        }
    }
    timing.exec_ms = ms(started) - timing.plan_ms;
    Executed {
        span,
        result,
        failed_in,
        timing,
    }
}

/// `PROFILE`: runs the plan with the context's counters on (its own
/// `Profile` when the caller gave none) and answers the plan with them.
fn profile(
    graph: &Graph,
    plan: &super::ir::QueryPlan,
    text: &str,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    // PROFILE answers its plan, so the query's own rows are never streamed.
    let mut counting = held(opts);
    let profile = opts.profile.clone().unwrap_or_default();
    counting.profile = Some(profile.clone());
    eval::run_plan(graph, plan, &counting)?;
    Ok(eval::profile::plan_table(
        graph,
        plan,
        text,
        profile.counters(),
    ))
}

/// Runs every statement of `text` (see `run`).
pub fn run_all(graph: &Graph, text: &str, opts: &Options) -> Executed {
    run(graph, text, Span::new(0, text.len()), opts)
}

/// Runs one parsed statement. `text` is the text its spans point into.
pub fn execute(
    graph: &Graph,
    text: &str,
    stmt: &ast::Statement,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    match stmt {
        ast::Statement::Query(q) if q.mode == ast::QueryMode::Run => {
            eval::run_query(graph, text, q, opts)
        }
        ast::Statement::Query(_) => run(graph, text, stmt.span(), opts).result,
        other => analyst::execute(graph, text, other, &held(opts)),
    }
}

/// The context without its row stream: analyst statements and PROFILE run
/// queries of their own whose rows are not the answer, so they are held.
fn held(opts: &Options) -> Options {
    Options {
        stream: None,
        ..opts.clone()
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::query::ErrorKind;

    const LONG: &str = "UNWIND range(1, 100000) AS x RETURN count(*) AS n";

    #[test]
    fn a_run_reports_its_answer_and_where_it_failed() {
        let g = Graph::default();
        let ok = run_all(&g, "RETURN 1 AS a; RETURN 2 AS b", &Options::default());
        assert_eq!(ok.failed_in, None);
        assert_eq!(ok.result.unwrap().columns, vec!["b".to_string()]);
        let syntax = run_all(&g, "RETURN", &Options::default());
        assert_eq!(syntax.failed_in, Some(Stage::Parse));
        let plan = run_all(&g, "RETURN x", &Options::default());
        assert_eq!(plan.failed_in, Some(Stage::Plan));
        let run = run_all(&g, "RETURN 1 / 0 AS x", &Options::default());
        assert_eq!(run.failed_in, Some(Stage::Run));
    }

    #[test]
    fn progress_is_published_while_running() {
        let progress = Arc::new(AtomicU64::new(0));
        let opts = Options {
            progress: Some(progress.clone()),
            ..Options::default()
        };
        let done = run_all(&Graph::default(), LONG, &opts);
        assert!(done.result.is_ok());
        let work = progress.load(Ordering::Relaxed);
        assert!(work >= 100_000, "{work}");
    }

    #[test]
    fn a_statement_past_its_time_limit_stops() {
        let opts = Options {
            timeout: Some(Duration::ZERO),
            ..Options::default()
        };
        let stopped = run_all(&Graph::default(), LONG, &opts);
        let e = stopped.result.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("ran longer than"), "{}", e.message);
    }
}
