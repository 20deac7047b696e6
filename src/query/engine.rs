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

use std::sync::Arc;
use std::time::Instant;

use super::analyst;
use super::ast::{self, Span};
use super::cache;
use super::error::QueryError;
use super::eval::{self, Options};
use super::ir::QueryPlan;
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
///
/// A statement run before skips parsing and planning (`cache`): its own
/// text is parsed with spans counted from its start, so the same statement
/// anywhere in a script finds the same entry, and the spans of errors are
/// moved to where it stands in `text`.
pub fn run(graph: &Graph, text: &str, span: Span, opts: &Options) -> Executed {
    let started = Instant::now();
    let (script, own, shift) = match parsed(text, span) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Executed {
                span,
                result: Err(e),
                failed_in: Some(Stage::Parse),
                timing: Timing {
                    parse_ms: ms(started),
                    ..Timing::default()
                },
            };
        }
    };
    let mut timing = Timing {
        parse_ms: ms(started),
        ..Timing::default()
    };
    let started = Instant::now();
    let mut result = Ok(ResultSet::default());
    let mut failed_in = None;
    for (n, stmt) in script.statements.iter().enumerate() {
        result = match stmt {
            ast::Statement::Query(q) => {
                let planning = Instant::now();
                let plan = planned(graph, own, n, q, opts);
                timing.plan_ms += ms(planning);
                match plan {
                    Ok(p) => match q.mode {
                        ast::QueryMode::Run => eval::run_plan(graph, &p, opts),
                        ast::QueryMode::Explain => {
                            Ok(eval::profile::plan_table(graph, &p, own, None))
                        }
                        ast::QueryMode::Profile => profile(graph, &p, own, opts),
                    },
                    Err(e) => {
                        failed_in = Some(Stage::Plan);
                        Err(e)
                    }
                }
            }
            other => analyst::execute(graph, own, other, &held(opts)),
        };
        if result.is_err() {
            failed_in.get_or_insert(Stage::Run);
            break;
        }
    }
    timing.exec_ms = ms(started) - timing.plan_ms;
    Executed {
        span,
        result: result.map_err(|e| moved(e, shift)),
        failed_in,
        timing,
    }
}

/// The script at `span` of `text`, from the cache or parsed, with the text
/// its spans count in and where that text starts in `text`. A statement
/// that does not parse is parsed again in place, so its error's spans and
/// `line:column` count in the whole text.
fn parsed(text: &str, span: Span) -> Result<(Arc<ast::Script>, &str, usize), QueryError> {
    let (start, end) = super::parser::within(text, span);
    let own = &text[start..end];
    if let Some(script) = cache::script(own) {
        return Ok((script, own, start));
    }
    match super::parser::parse(own) {
        Ok(script) => {
            let script = Arc::new(script);
            cache::keep_script(own, script.clone());
            Ok((script, own, start))
        }
        Err(_) => super::parser::parse_in(text, span).map(|s| (Arc::new(s), text, 0)),
    }
}

/// The plan of statement `n` of `text`, from the cache or made (and kept).
/// Statements that call procedures given as tables are planned each time.
fn planned(
    graph: &Graph,
    text: &str,
    n: usize,
    q: &ast::Query,
    opts: &Options,
) -> Result<Arc<QueryPlan>, QueryError> {
    if !opts.procedures.is_empty() {
        return eval::plan_query(graph, text, q, opts).map(Arc::new);
    }
    let of = cache::PlanFor {
        text,
        statement: n,
        graph: graph.stamp(),
        max_hops: opts.max_hops,
        rewrite: opts.rewrite,
    };
    if let Some(plan) = cache::plan(&of, &opts.params) {
        return Ok(plan);
    }
    let plan = Arc::new(eval::plan_query(graph, text, q, opts)?);
    cache::keep_plan(&of, &opts.params, plan.clone());
    Ok(plan)
}

/// `e` with its spans moved `by` bytes on.
fn moved(mut e: QueryError, by: usize) -> QueryError {
    let shift = |s: Span| Span::new(s.start + by, s.end + by);
    e.span = e.span.map(shift);
    for (s, _) in &mut e.related {
        *s = shift(*s);
    }
    e
}

/// `PROFILE`: runs the plan with the context's counters on (its own
/// `Profile` when the caller gave none) and answers the plan with them.
fn profile(
    graph: &Graph,
    plan: &QueryPlan,
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

    const PEOPLE: &str = "CREATE (a:Person {id: 'a', name: 'Ann'})-[:KNOWS]->(b:Person {id: 'b', name: 'Bob'}), (b)-[:KNOWS]->(c:Person {id: 'c', name: 'Cy'}), (a)-[:MET {date: '2020-01-02'}]->(c)";

    fn people() -> Graph {
        let mut g = Graph::default();
        crate::import::run_script(&mut g, "people", PEOPLE).unwrap();
        g
    }

    /// The answer without the statement cache: parsed, planned and run
    /// afresh.
    fn uncached(g: &Graph, text: &str, opts: &Options) -> ResultSet {
        let script = super::super::parser::parse(text).unwrap();
        let mut last = ResultSet::default();
        for stmt in &script.statements {
            let ast::Statement::Query(q) = stmt else {
                panic!("a query")
            };
            let plan = eval::plan_query(g, text, q, opts).unwrap();
            last = eval::run_plan(g, &plan, opts).unwrap();
        }
        last
    }

    // What the cache keeps is tested in `cache.rs` on maps of its own: the
    // process-wide maps are shared with every test running beside this one,
    // so whether an entry is still there when a test looks cannot be said.
    #[test]
    fn a_repeated_statement_answers_as_an_uncached_one() {
        let g = people();
        let mut opts = Options::default();
        opts.params
            .insert("who".into(), crate::model::Value::from("b"));
        let texts = [
            "MATCH (p:Person {id: 'a'})-[]-(n) RETURN DISTINCT n.id AS id ORDER BY id",
            "MATCH (p:Person)-[r]-() RETURN p.id AS id, count(r) AS deg ORDER BY deg DESC, id LIMIT 2",
            "MATCH p = shortestPath((a:Person {id: 'a'})-[*..4]-(b:Person {id: $who})) RETURN length(p) AS len",
            "MATCH (n) WHERE n.name CONTAINS 'n' RETURN n.id AS id, n.name AS name ORDER BY id",
            "RETURN 1 AS one; MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t",
        ];
        for text in texts {
            let want = uncached(&g, text, &opts);
            for _ in 0..3 {
                let got = run_all(&g, text, &opts);
                assert_eq!(got.result.unwrap(), want, "{text}");
            }
        }
    }

    #[test]
    fn other_parameter_values_are_planned_again() {
        let g = people();
        let text = "MATCH (p:Person {id: $who}) RETURN p.name AS name";
        let mut answers = Vec::new();
        for who in ["a", "b", "a"] {
            let mut opts = Options::default();
            opts.params
                .insert("who".into(), crate::model::Value::from(who));
            let rs = run_all(&g, text, &opts).result.unwrap();
            assert_eq!(rs, uncached(&g, text, &opts));
            answers.push(rs.rows);
        }
        assert_ne!(answers[0], answers[1]);
        assert_eq!(answers[0], answers[2]);
    }

    #[test]
    fn a_changed_graph_gets_a_new_plan() {
        let g = people();
        let text = "MATCH (p:Person {id: 'd'}) RETURN p.name AS name";
        let opts = Options::default();
        assert!(run_all(&g, text, &opts).result.unwrap().rows.is_empty());
        let mut changed = g.clone();
        crate::import::run_script(
            &mut changed,
            "more",
            "CREATE (:Person {id: 'd', name: 'Di'})",
        )
        .unwrap();
        assert_ne!(changed.stamp(), g.stamp());
        let rs = run_all(&changed, text, &opts).result.unwrap();
        assert_eq!(rs.rows, vec![vec![crate::model::Value::from("Di")]]);
        assert!(run_all(&g, text, &opts).result.unwrap().rows.is_empty());
    }

    #[test]
    fn a_reload_gets_a_new_plan() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("people.cypher");
        std::fs::write(&script, PEOPLE).unwrap();
        let mut session =
            crate::session::Session::open(crate::session::GraphSource::Script(script.clone()))
                .unwrap();
        let text = "MATCH (p:Person {id: 'a'}) RETURN p.name AS name";
        let name = |session: &mut crate::session::Session| {
            let mut done = session.run(text, false);
            done.pop().unwrap().result.unwrap().rows
        };
        assert_eq!(
            name(&mut session),
            vec![vec![crate::model::Value::from("Ann")]]
        );
        let before = session.graph().stamp();
        std::fs::write(&script, PEOPLE.replace("'Ann'", "'Anna'")).unwrap();
        session.reload().unwrap();
        assert_ne!(session.graph().stamp(), before);
        assert_eq!(
            name(&mut session),
            vec![vec![crate::model::Value::from("Anna")]]
        );
    }

    #[test]
    fn errors_of_a_repeated_statement_point_where_it_stands() {
        let g = Graph::default();
        let opts = Options::default();
        for bad in ["RETURN x AS y", "RETURN 1 / 0 AS x"] {
            let text = format!("{bad};\n  {bad};\n");
            let second = text.rfind(bad).unwrap();
            for start in [0, second] {
                let done = run(&g, &text, Span::new(start, start + bad.len()), &opts);
                let e = done.result.unwrap_err();
                let at = e.span.expect("a span");
                assert!(
                    at.start >= start && at.end <= start + bad.len(),
                    "{bad} at {start}: {at:?}"
                );
            }
        }
    }

    #[test]
    fn groups_keep_what_is_read_after_the_aggregation() {
        let g = people();
        let opts = Options::default();
        let rows = |text: &str| {
            let rs = run_all(&g, text, &opts).result.unwrap();
            assert_eq!(rs, uncached(&g, text, &opts), "{text}");
            rs.rows
                .into_iter()
                .map(|r| {
                    r.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rows(
                "MATCH (p:Person)-[r]->() RETURN p.name AS name, p.name + '/' + toString(count(r)) AS x ORDER BY x"
            ),
            ["'Ann' 'Ann/2'", "'Bob' 'Bob/1'"]
        );
        assert_eq!(
            rows(
                "MATCH (p:Person)-[r]-() WITH p, count(r) AS deg WHERE deg > 1 RETURN p.name AS name, deg ORDER BY name"
            ),
            ["'Ann' 2", "'Bob' 2", "'Cy' 2"]
        );
        assert_eq!(
            rows("MATCH (p:Person)<-[r]-() RETURN count(r) AS n, p.id AS id ORDER BY id"),
            ["1 'b'", "2 'c'"]
        );
    }
}
