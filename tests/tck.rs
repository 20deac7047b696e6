//! The openCypher TCK as a ratchet, plus eje's own scenarios in the same
//! Gherkin format.
//!
//! ```text
//! EJE_TCK_DIR=../shared/tck cargo test --test tck -- --nocapture
//! EJE_TCK_DIR=../shared/tck EJE_TCK_BLESS=1 cargo test --test tck   # rewrite passing.txt and REPORT.md
//! EJE_TCK_FILTER=match/Match4 EJE_TCK_VERBOSE=1 ...                  # a subset, with every failure
//! EJE_TCK_DIR=../shared/tck EJE_TCK_CLI=1 cargo test --test tck -- --nocapture   # through the binary
//! ```
//!
//! With `EJE_TCK_CLI` each query runs through the `eje` binary as a user
//! would run it, `eje --graph-script SETUP [--param name=value]... query
//! --format json QUERY`, and the JSON Lines answer (or the error's code on
//! stderr) is compared. What the command line cannot express is skipped
//! with its reason: the test procedures a scenario declares (`there exists
//! a procedure`), which only the engine's options can register. Nor does
//! the command line say whether an error came at compile time or at run
//! time, so that is not checked there. That run prints its table and
//! failures; the ratchet and the report are the in-process run's.
//!
//! Scenarios (outlines expanded, one per row of their examples) run one at
//! a time, each on a worker thread: a panic in eje is caught and counted as
//! a failure, and a scenario still running after `EJE_TCK_TIMEOUT` seconds
//! (default 30) is cancelled and counted as a hang.
//!
//! `tests/tck/passing.txt` lists the scenarios that pass. The test fails
//! when one of them no longer passes, and prints those that newly pass.
//! eje's own scenarios (`tests/tck/features/`) always run; the TCK only
//! when `EJE_TCK_DIR` names it.

#[path = "tck/report.rs"]
mod report;
#[path = "tck/values.rs"]
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once, mpsc};
use std::time::Duration;

use eje::model::{Graph, Value};
use eje::query::procedures::TableProcedure;
use eje::query::{self, ErrorKind, QueryError, ResultSet};

use report::{Outcome, Ran, Report};
use values::{Cmp, TVal};

/// One scenario, or one row of a scenario outline's examples.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `clauses/match/Match4.feature`, or `eje/paths.feature` for ours.
    pub feature: String,
    /// `clauses/match`, or `eje`.
    pub folder: String,
    pub name: String,
    /// 1-based row of the outline's examples (over all its tables).
    pub example: Option<usize>,
    pub tags: Vec<String>,
    pub steps: Vec<Step>,
    /// Where the graphs named by `the <name> graph` are.
    pub graph_dirs: Vec<PathBuf>,
}

impl Scenario {
    pub fn id(&self) -> String {
        match self.example {
            Some(k) => format!("{}: {} #{k}", self.feature, self.name),
            None => format!("{}: {}", self.feature, self.name),
        }
    }

    /// Whether it expects an error at compile time.
    pub fn compile_error(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.text.contains("should be raised at compile time"))
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub text: String,
    pub docstring: Option<String>,
    pub table: Option<Vec<Vec<String>>>,
}

fn own_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tck")
}

#[test]
fn tck() {
    let filter = std::env::var("EJE_TCK_FILTER").ok();
    let verbose = std::env::var_os("EJE_TCK_VERBOSE").is_some();
    let bless = std::env::var_os("EJE_TCK_BLESS").is_some();
    let tck_dir = std::env::var_os("EJE_TCK_DIR").map(PathBuf::from);
    let cli = cli_mode();

    let mut scenarios = Vec::new();
    let own = own_dir();
    scenarios.extend(discover(
        &own.join("features"),
        "eje",
        &[own.join("graphs")],
    ));
    let tck_ran = match &tck_dir {
        Some(dir) => {
            let dir = if dir.is_relative() {
                Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
            } else {
                dir.clone()
            };
            assert!(
                dir.join("features").is_dir(),
                "EJE_TCK_DIR={} has no features/ folder",
                dir.display()
            );
            scenarios.extend(discover(
                &dir.join("features"),
                "",
                &[own.join("graphs"), dir.join("graphs")],
            ));
            true
        }
        None => {
            println!(
                "openCypher TCK not run: set EJE_TCK_DIR to its folder (../shared/tck) to run it; \
                 only eje's own scenarios ran, and no TCK scenario counts as passed"
            );
            false
        }
    };
    if let Some(f) = &filter {
        scenarios.retain(|s| s.id().contains(f.as_str()));
    }

    let mut ran = Vec::new();
    for s in &scenarios {
        let outcome = run_scenario(s);
        if verbose && let Outcome::Fail { category, detail } = &outcome {
            println!(
                "FAIL {}\n  {category}\n  {}",
                s.id(),
                detail.replace('\n', "\n  ")
            );
        }
        ran.push(Ran {
            scenario: s.clone(),
            outcome,
        });
    }

    let report = Report::new(&ran);
    print!("{}", report.summary_table());
    if cli {
        // Through the binary: the figure and the failures, no ratchet.
        for r in &ran {
            if let Outcome::Fail { category, .. } = &r.outcome {
                println!("cli FAIL {}: {category}", r.scenario.id());
            }
        }
        assert!(
            !bless,
            "EJE_TCK_BLESS writes the in-process run's report, not EJE_TCK_CLI's"
        );
        return;
    }
    let passing_path = own.join("passing.txt");
    let listed = std::fs::read_to_string(&passing_path).unwrap_or_default();
    let check = report.ratchet(&listed, tck_ran, filter.is_some());
    for id in &check.newly_passing {
        println!("newly passing: {id}");
    }
    if bless {
        assert!(
            tck_ran && filter.is_none(),
            "EJE_TCK_BLESS needs the whole TCK: set EJE_TCK_DIR and no EJE_TCK_FILTER"
        );
        std::fs::write(&passing_path, report.passing_list()).expect("write passing.txt");
        std::fs::write(own.join("REPORT.md"), report.markdown()).expect("write REPORT.md");
        println!("wrote {} and REPORT.md", passing_path.display());
        return;
    }
    if !check.newly_passing.is_empty() {
        println!(
            "{} scenarios pass that passing.txt does not list: \
             EJE_TCK_BLESS=1 adds them",
            check.newly_passing.len()
        );
    }
    if !check.regressions.is_empty() {
        let lines: Vec<String> = check
            .regressions
            .iter()
            .map(|(id, why)| format!("  {id}\n    {}", why.replace('\n', "\n    ")))
            .collect();
        panic!(
            "{} scenarios listed in tests/tck/passing.txt no longer pass:\n{}",
            check.regressions.len(),
            lines.join("\n")
        );
    }
}

// ----- discovery ----------------------------------------------------------------

/// Every scenario of the `.feature` files under `dir`, outlines expanded.
/// `prefix` goes before their paths (`eje` for ours).
fn discover(dir: &Path, prefix: &str, graph_dirs: &[PathBuf]) -> Vec<Scenario> {
    let mut files = Vec::new();
    collect_features(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(dir)
            .expect("under dir")
            .to_string_lossy()
            .replace('\\', "/");
        let rel = if prefix.is_empty() {
            rel
        } else {
            format!("{prefix}/{rel}")
        };
        let folder = match rel.rfind('/') {
            Some(i) => rel[..i].to_string(),
            None => prefix.to_string(),
        };
        let text = std::fs::read_to_string(&file).expect("read feature");
        let parsed = parse_feature(&text, &rel, &folder, graph_dirs)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        out.extend(parsed);
    }
    out
}

/// The scenarios of one feature file's text, outlines expanded.
fn parse_feature(
    text: &str,
    rel: &str,
    folder: &str,
    graph_dirs: &[PathBuf],
) -> Result<Vec<Scenario>, gherkin::ParseError> {
    let mut out = Vec::new();
    let feature = gherkin::Feature::parse(escape_table_backslashes(text), Default::default())?;
    let background: Vec<Step> = feature
        .background
        .iter()
        .flat_map(|b| b.steps.iter().map(step))
        .collect();
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
    for sc in scenarios {
        let mut tags = feature.tags.clone();
        tags.extend(sc.tags.iter().cloned());
        let steps: Vec<Step> = background
            .iter()
            .cloned()
            .chain(sc.steps.iter().map(step))
            .collect();
        let base = Scenario {
            feature: rel.to_string(),
            folder: folder.to_string(),
            name: sc.name.clone(),
            example: None,
            tags,
            steps,
            graph_dirs: graph_dirs.to_vec(),
        };
        if sc.examples.is_empty() {
            out.push(base);
            continue;
        }
        let mut k = 0;
        for ex in &sc.examples {
            let Some(table) = &ex.table else { continue };
            let Some((header, rows)) = table.rows.split_first() else {
                continue;
            };
            for row in rows {
                k += 1;
                let subst = |s: &str| {
                    let mut s = s.to_string();
                    for (h, v) in header.iter().zip(row) {
                        s = s.replace(&format!("<{h}>"), v);
                    }
                    s
                };
                let mut s = base.clone();
                s.example = Some(k);
                s.tags.extend(ex.tags.iter().cloned());
                for st in &mut s.steps {
                    st.text = subst(&st.text);
                    st.docstring = st.docstring.as_deref().map(subst);
                    if let Some(t) = &mut st.table {
                        for cell in t.iter_mut().flatten() {
                            *cell = subst(cell);
                        }
                    }
                }
                out.push(s);
            }
        }
    }
    Ok(out)
}

fn collect_features(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_features(&p, out);
        } else if p.extension().is_some_and(|x| x == "feature") {
            out.push(p);
        }
    }
}

fn step(s: &gherkin::Step) -> Step {
    Step {
        text: s.value.trim().to_string(),
        docstring: s.docstring.clone(),
        table: s.table.as_ref().map(|t| t.rows.clone()),
    }
}

/// Cucumber reads `\n`, `\|` and `\\` in table cells as escapes and keeps
/// any other backslash; the gherkin crate rejects the others, so they are
/// doubled here.
fn escape_table_backslashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('|') {
            out.push_str(line);
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.peek() {
                Some('n' | '|' | '\\') => {
                    out.push('\\');
                    out.push(chars.next().expect("peeked"));
                }
                _ => out.push_str("\\\\"),
            }
        }
    }
    out
}

// ----- running --------------------------------------------------------------------

/// Whether queries run through the binary (`EJE_TCK_CLI`).
fn cli_mode() -> bool {
    std::env::var_os("EJE_TCK_CLI").is_some()
}

fn timeout() -> Duration {
    let secs = std::env::var("EJE_TCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(secs)
}

thread_local! {
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

const WORKER: &str = "tck-scenario";

/// Keeps panics in scenario workers quiet (they are reported as failures)
/// and remembers where they happened.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(WORKER) {
                let at = info.location().map(|l| l.to_string());
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                default(info);
            }
        }));
    });
}

/// Runs a scenario on a worker thread, catching panics and hangs.
fn run_scenario(s: &Scenario) -> Outcome {
    install_panic_hook();
    if let Some(t) = s.tags.iter().find(|t| *t == "ignore") {
        return Outcome::Skip(format!("tagged @{t}"));
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let scenario = s.clone();
    let flag = cancel.clone();
    let spawned = std::thread::Builder::new()
        .name(WORKER.into())
        .stack_size(256 << 20)
        .spawn(move || {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Runner::new(&scenario, flag).run()
            }));
            let outcome = run.unwrap_or_else(|payload| {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let at = PANIC_AT.with(|p| p.borrow_mut().take()).unwrap_or_default();
                Outcome::fail("eje panicked", format!("{msg} at {at}"))
            });
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Outcome::fail("harness", format!("cannot start a thread: {e}"));
    }
    match rx.recv_timeout(timeout()) {
        Ok(o) => o,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Outcome::fail("eje panicked", "the worker ended without an answer")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            cancel.store(true, Ordering::Relaxed);
            // Give the cancel flag a moment; a worker that ignores it is
            // left behind.
            let _ = rx.recv_timeout(Duration::from_secs(5));
            Outcome::fail(
                "hang",
                format!("no answer within {} s", timeout().as_secs()),
            )
        }
    }
}

/// What a query did.
enum Answer {
    Rows {
        columns: Vec<String>,
        rows: Vec<Vec<TVal>>,
        header: Vec<(String, String)>,
    },
    Error {
        compile_time: bool,
        error: QueryError,
    },
}

struct Runner<'s> {
    s: &'s Scenario,
    graph: Graph,
    params: BTreeMap<String, Value>,
    /// For `EJE_TCK_CLI`: the setup scripts run so far (`None`: the bundled
    /// data), and the parameters as the scenario writes them.
    setup_text: Option<Vec<String>>,
    param_text: Vec<(String, String)>,
    answer: Option<Answer>,
    cancel: Arc<AtomicBool>,
    /// Whether the query was run (a `Then` step before any `When` is odd).
    checked: bool,
    /// The procedures the scenario declares.
    procedures: Vec<Arc<TableProcedure>>,
}

impl<'s> Runner<'s> {
    fn new(s: &'s Scenario, cancel: Arc<AtomicBool>) -> Self {
        Runner {
            s,
            graph: Graph::new(None),
            params: BTreeMap::new(),
            setup_text: Some(Vec::new()),
            param_text: Vec::new(),
            answer: None,
            cancel,
            checked: false,
            procedures: Vec::new(),
        }
    }

    fn run(mut self) -> Outcome {
        for st in &self.s.steps {
            if let Some(o) = self.step(st) {
                return o;
            }
        }
        if !self.checked {
            return Outcome::Skip("no result step".into());
        }
        Outcome::Pass
    }

    /// Runs one step: `None` to go on, or how the scenario ends.
    fn step(&mut self, st: &Step) -> Option<Outcome> {
        let t = st.text.as_str();
        let t = t.strip_suffix(':').unwrap_or(t).trim();
        match t {
            "an empty graph" | "any graph" => {
                self.graph = Graph::new(None);
                self.setup_text = Some(Vec::new());
                None
            }
            "the eje bundled graph" => {
                match eje::load::load_embedded(&eje::load::Options::default()) {
                    Ok(l) => self.graph = l.graph,
                    Err(f) => return Some(Outcome::fail("setup", f.render(false))),
                }
                self.setup_text = None;
                None
            }
            "having executed" | "after having executed" => {
                let doc = st.docstring.as_deref().unwrap_or_default();
                self.setup("setup query", doc)
            }
            "parameters are" | "parameter values are" => {
                for row in st.table.iter().flatten() {
                    let [name, value] = row.as_slice() else {
                        return Some(Outcome::Skip("parameters table not name | value".into()));
                    };
                    let v = match values::parse(value).map(|v| values::to_eje(&v)) {
                        Ok(Some(v)) => v,
                        _ => {
                            return Some(Outcome::Skip(format!(
                                "parameter value not understood: {value}"
                            )));
                        }
                    };
                    self.params.insert(name.clone(), v);
                    self.param_text.push((name.clone(), value.clone()));
                }
                None
            }
            "executing query" => {
                let q = st.docstring.clone().unwrap_or_default();
                self.execute(&q)
            }
            "the result should be empty" => {
                self.checked = true;
                match self.rows() {
                    Err(o) => Some(o),
                    Ok((_, [], _)) => None,
                    Ok((_, rows, _)) => Some(Outcome::fail(
                        "wrong result: rows where none were expected",
                        format!("{} rows, the first: {}", rows.len(), show_row(&rows[0])),
                    )),
                }
            }
            "no side effects" => None,
            _ if t.starts_with("there exists a procedure ") => self.procedure(t, st),
            "the side effects should be" => {
                // Reads have none: any non-zero figure fails.
                let nonzero = st
                    .table
                    .iter()
                    .flatten()
                    .any(|r| r.get(1).is_some_and(|v| v.trim() != "0"));
                nonzero.then(|| {
                    Outcome::fail("side effects", "expects side effects from a read query")
                })
            }
            // For the harness's own tests: a panic, as a bug in eje would.
            "the harness panics" => panic!("a panic on purpose"),
            "the header should be" => {
                self.checked = true;
                self.check_header(st)
            }
            _ => {
                if let Some(rest) = t.strip_prefix("the result should be") {
                    self.checked = true;
                    return self.check_rows(rest, st, false);
                }
                if let Some(rest) = t.strip_prefix("the result should include") {
                    self.checked = true;
                    return self.check_rows(rest, st, true);
                }
                if let Some(rest) = t.strip_prefix("the ")
                    && let Some(name) = rest.strip_suffix(" graph")
                {
                    return self.named_graph(name);
                }
                if let Some(e) = ExpectedError::parse(t) {
                    self.checked = true;
                    return self.check_error(&e);
                }
                Some(Outcome::Skip(format!(
                    "unsupported step: {}",
                    shorten(t, 60)
                )))
            }
        }
    }

    /// `there exists a procedure test.my.proc(in :: INTEGER?) :: (out ::
    /// STRING?)`, with its table of inputs and outputs.
    fn procedure(&mut self, t: &str, st: &Step) -> Option<Outcome> {
        let text = t.trim_start_matches("there exists a procedure ");
        let Some(signature) = eje::query::procedures::parse_signature(text) else {
            return Some(Outcome::Skip(format!(
                "procedure signature not understood: {}",
                shorten(text, 60)
            )));
        };
        let table = st.table.clone().unwrap_or_default();
        let header = table.first().cloned().unwrap_or_default();
        let (ni, no) = (signature.inputs.len(), signature.outputs.len());
        let mut rows = Vec::new();
        for row in table.iter().skip(1) {
            let mut vals = Vec::new();
            for cell in row {
                match values::parse(cell).map(|v| values::to_eje(&v)) {
                    Ok(Some(v)) => vals.push(v),
                    _ => {
                        return Some(Outcome::Skip(format!(
                            "procedure value not understood: {cell}"
                        )));
                    }
                }
            }
            if vals.len() != ni + no {
                return Some(Outcome::Skip(
                    "procedure table does not fit its signature".into(),
                ));
            }
            let outputs = vals.split_off(ni);
            rows.push((vals, outputs));
        }
        if !header.is_empty() && header.iter().any(|h| !h.is_empty()) && header.len() != ni + no {
            return Some(Outcome::Skip(
                "procedure table does not fit its signature".into(),
            ));
        }
        self.procedures
            .push(Arc::new(TableProcedure { signature, rows }));
        None
    }

    fn named_graph(&mut self, name: &str) -> Option<Outcome> {
        for dir in &self.s.graph_dirs {
            let file = dir.join(name).join(format!("{name}.cypher"));
            if let Ok(text) = std::fs::read_to_string(&file) {
                self.graph = Graph::new(None);
                self.setup_text = Some(Vec::new());
                return self.setup(&file.display().to_string(), &text);
            }
        }
        Some(Outcome::Skip(format!("unknown graph `{name}`")))
    }

    fn setup(&mut self, name: &str, script: &str) -> Option<Outcome> {
        match eje::import::run_script(&mut self.graph, name, script) {
            Ok(()) => {
                if let Some(texts) = &mut self.setup_text {
                    texts.push(script.to_string());
                }
                None
            }
            Err(f) => {
                let d = &f.diagnostics[0];
                if d.code == eje::import::UNSUPPORTED_CLAUSE {
                    return Some(Outcome::Skip(format!(
                        "setup query {}",
                        d.message
                            .split(": ")
                            .nth(1)
                            .unwrap_or("has an unsupported clause")
                    )));
                }
                Some(Outcome::fail(
                    format!("setup failed: {}", category_of(&d.message)),
                    f.render(false),
                ))
            }
        }
    }

    fn execute(&mut self, q: &str) -> Option<Outcome> {
        if let Some(c) = eje::import::write_clause(q) {
            return Some(Outcome::Skip(format!("write query ({})", c.keyword)));
        }
        if cli_mode() {
            if !self.procedures.is_empty() {
                return Some(Outcome::Skip(
                    "declares test procedures, which the command line cannot register".into(),
                ));
            }
            return match self.execute_cli(q) {
                Ok(answer) => {
                    self.answer = Some(answer);
                    None
                }
                Err(why) => Some(Outcome::fail("harness", why)),
            };
        }
        let opts = query::Options {
            params: self.params.clone(),
            cancel: Some(self.cancel.clone()),
            procedures: self.procedures.clone(),
            ..query::Options::default()
        };
        let compile = |e: QueryError| Answer::Error {
            compile_time: true,
            error: e,
        };
        let run = query::run_all(&self.graph, q, &opts);
        let answer = match (run.result, run.failed_in) {
            (Err(e), Some(query::Stage::Parse | query::Stage::Plan)) => compile(e),
            (r, _) => self.answer_of(r),
        };
        self.answer = Some(answer);
        None
    }

    /// Runs the query through the `eje` binary (`EJE_TCK_CLI`).
    fn execute_cli(&self, q: &str) -> Result<Answer, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_eje"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("EJE_DATA")
            .env("EJE_NO_CACHE", "1")
            .env("NO_COLOR", "1")
            .env("EJE_NO_CACHE", "1")
            .stdin(std::process::Stdio::null());
        if let Some(texts) = &self.setup_text {
            let script = dir.path().join("setup.cypher");
            std::fs::write(&script, texts.join(";\n")).map_err(|e| e.to_string())?;
            cmd.arg("--graph-script").arg(&script);
        }
        for (name, value) in &self.param_text {
            cmd.arg("--param").arg(format!("{name}={value}"));
        }
        cmd.args(["query", "--format", "json", q]);
        let out = cmd.output().map_err(|e| format!("cannot run eje: {e}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stdout.lines().last().unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("not JSON ({e}): {stdout}\nstderr: {stderr}"))?;
        if let Some(e) = json.get("error") {
            // `[Code] Error: message` on stderr; a kind in lower case
            // (`[syntax]`) when openCypher has no name for it.
            let tag = stderr
                .lines()
                .find_map(|l| l.strip_prefix('[')?.split_once(']').map(|(t, _)| t))
                .unwrap_or("runtime");
            let message = e["message"].as_str().unwrap_or_default().to_string();
            let (kind, code) = match tag {
                "syntax" => (ErrorKind::Syntax, None),
                "semantic" => (ErrorKind::Semantic, None),
                "runtime" => (ErrorKind::Runtime, None),
                "limit" => (ErrorKind::Limit, None),
                "cancelled" => (ErrorKind::Cancelled, None),
                code => (
                    ErrorKind::Semantic,
                    Some(&*Box::leak(code.to_string().into_boxed_str())),
                ),
            };
            let mut error = QueryError::new(kind, message, None);
            error.code = code;
            // The command line does not say when an error was raised.
            return Ok(Answer::Error {
                compile_time: true,
                error,
            });
        }
        let columns = json["columns"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let rows = json["rows"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .map(|r| {
                        r.as_array()
                            .map(|r| r.iter().map(values::from_json).collect())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let header = json["header"]
            .as_object()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Answer::Rows {
            columns,
            rows,
            header,
        })
    }

    fn answer_of(&self, r: Result<ResultSet, QueryError>) -> Answer {
        match r {
            Ok(rs) => Answer::Rows {
                rows: rs
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|v| values::from_eje(&self.graph, v)).collect())
                    .collect(),
                columns: rs.columns,
                header: rs.header,
            },
            Err(e) => Answer::Error {
                compile_time: false,
                error: e,
            },
        }
    }

    /// The answer's rows, or the failure of a query that raised an error.
    #[allow(clippy::type_complexity)]
    fn rows(&self) -> Result<(&[String], &[Vec<TVal>], &[(String, String)]), Outcome> {
        match &self.answer {
            None => Err(Outcome::Skip("result step before any query".into())),
            Some(Answer::Rows {
                columns,
                rows,
                header,
            }) => Ok((columns, rows, header)),
            Some(Answer::Error {
                compile_time,
                error,
            }) => Err(Outcome::fail(
                format!("unexpected error: {}", error_category(error)),
                format!(
                    "{} error{}: {}",
                    if *compile_time {
                        "compile-time"
                    } else {
                        "runtime"
                    },
                    error.code.map(|c| format!(" {c}")).unwrap_or_default(),
                    error.message
                ),
            )),
        }
    }

    fn check_rows(&self, how: &str, st: &Step, include: bool) -> Option<Outcome> {
        let in_order = how.contains("in order");
        let cmp = Cmp {
            unordered_lists: how.contains("ignoring element order for lists"),
            partial_entities: include,
        };
        let (columns, rows, _) = match self.rows() {
            Ok(x) => x,
            Err(o) => return Some(o),
        };
        let Some((header, expected)) = st.table.as_deref().and_then(|t| t.split_first()) else {
            return Some(Outcome::Skip("result step without a table".into()));
        };
        let mut want = Vec::new();
        for row in expected {
            let mut parsed = Vec::new();
            for cell in row {
                match values::parse(cell) {
                    Ok(v) => parsed.push(v),
                    Err(e) => {
                        return Some(Outcome::Skip(format!("expected value not understood: {e}")));
                    }
                }
            }
            want.push(parsed);
        }
        // Columns by name: the expected order picks eje's columns.
        let mut pick = Vec::new();
        for h in header {
            match columns.iter().position(|c| c == h) {
                Some(i) => pick.push(i),
                None => {
                    return Some(Outcome::fail(
                        "wrong columns",
                        format!("expected columns {header:?}, eje answered {columns:?}"),
                    ));
                }
            }
        }
        if !include && columns.len() != header.len() {
            return Some(Outcome::fail(
                "wrong columns",
                format!("expected columns {header:?}, eje answered {columns:?}"),
            ));
        }
        let got: Vec<Vec<&TVal>> = rows
            .iter()
            .map(|r| pick.iter().map(|&i| &r[i]).collect())
            .collect();
        let row_eq =
            |w: &Vec<TVal>, g: &Vec<&TVal>| w.iter().zip(g).all(|(a, b)| a.matches(b, cmp));
        let show = || {
            let w: Vec<String> = want.iter().map(|r| show_row(r)).collect();
            let g: Vec<String> = got
                .iter()
                .map(|r| show_row(&r.iter().map(|v| (*v).clone()).collect::<Vec<_>>()))
                .collect();
            format!(
                "expected {} rows:\n  {}\neje answered {} rows:\n  {}",
                w.len(),
                w.join("\n  "),
                g.len(),
                shorten(&g.join("\n  "), 4000)
            )
        };
        if include {
            let mut used = vec![false; got.len()];
            let all = want.iter().all(|w| {
                let found = (0..got.len()).find(|&j| !used[j] && row_eq(w, &got[j]));
                found.map(|j| used[j] = true).is_some()
            });
            return (!all).then(|| Outcome::fail("wrong result: missing rows", show()));
        }
        if want.len() != got.len() {
            return Some(Outcome::fail("wrong result: row count", show()));
        }
        if in_order {
            if want.iter().zip(&got).all(|(w, g)| row_eq(w, g)) {
                return None;
            }
            // Same rows in another order?
            let mut used = vec![false; got.len()];
            let as_bag = want.iter().all(|w| {
                let found = (0..got.len()).find(|&j| !used[j] && row_eq(w, &got[j]));
                found.map(|j| used[j] = true).is_some()
            });
            let category = if as_bag {
                "wrong result: order"
            } else {
                "wrong result: values"
            };
            return Some(Outcome::fail(category, show()));
        }
        let mut used = vec![false; got.len()];
        let ok = want.iter().all(|w| {
            let found = (0..got.len()).find(|&j| !used[j] && row_eq(w, &got[j]));
            found.map(|j| used[j] = true).is_some()
        });
        (!ok).then(|| Outcome::fail("wrong result: values", show()))
    }

    fn check_header(&self, st: &Step) -> Option<Outcome> {
        let (_, _, header) = match self.rows() {
            Ok(x) => x,
            Err(o) => return Some(o),
        };
        for row in st.table.iter().flatten() {
            let [key, value] = row.as_slice() else {
                return Some(Outcome::Skip("header table not key | value".into()));
            };
            match header.iter().find(|(k, _)| k == key) {
                Some((_, v)) if v == value => {}
                other => {
                    return Some(Outcome::fail(
                        "wrong result: header",
                        format!(
                            "expected {key} = {value}, eje answered {:?}\nheader: {header:?}",
                            other.map(|(_, v)| v)
                        ),
                    ));
                }
            }
        }
        None
    }

    fn check_error(&self, e: &ExpectedError) -> Option<Outcome> {
        let (compile_time, error) = match &self.answer {
            None => return Some(Outcome::Skip("error step before any query".into())),
            Some(Answer::Rows { rows, .. }) => {
                return Some(Outcome::fail(
                    format!("no error: expected {} ({})", e.detail, e.phase),
                    format!(
                        "eje answered {} rows instead of raising {}",
                        rows.len(),
                        e.text
                    ),
                ));
            }
            Some(Answer::Error {
                compile_time,
                error,
            }) => (*compile_time, error),
        };
        let phase_ok = match e.phase.as_str() {
            "compile time" => compile_time,
            // Raising a runtime error early, at compile time, is no worse.
            _ => true,
        };
        let detail_ok = e.detail == "*"
            || error.code == Some(e.detail.as_str())
            || (error.code.is_none()
                && e.detail == "UnexpectedSyntax"
                && matches!(error.kind, ErrorKind::Syntax | ErrorKind::UnexpectedEnd));
        if phase_ok && detail_ok {
            return None;
        }
        let got = format!(
            "{} error {}: {}",
            if compile_time {
                "compile-time"
            } else {
                "runtime"
            },
            error.code.unwrap_or("(no code)"),
            error.message
        );
        let category = if detail_ok {
            format!("error too late: {} raised at runtime", e.detail)
        } else {
            let got = match error.code {
                Some(c) => format!("{:?} {c}", error.kind),
                None => error_category(error),
            };
            format!("wrong error: expected {}, got {got}", e.detail)
        };
        Some(Outcome::fail(
            category,
            format!("expected {}\ngot {got}", e.text),
        ))
    }
}

/// `a SyntaxError should be raised at compile time: UndefinedVariable`
struct ExpectedError {
    text: String,
    phase: String,
    detail: String,
}

impl ExpectedError {
    fn parse(t: &str) -> Option<Self> {
        let rest = t.strip_prefix("a ").or_else(|| t.strip_prefix("an "))?;
        let (_ty, rest) = rest.split_once(" should be raised at ")?;
        let (phase, detail) = rest.split_once(':')?;
        Some(ExpectedError {
            text: t.to_string(),
            phase: phase.trim().to_string(),
            detail: detail.trim().to_string(),
        })
    }
}

/// An error as a failure category: its kind and code, and its message
/// with the user's text left out.
fn error_category(e: &QueryError) -> String {
    let kind = format!("{:?}", e.kind);
    match e.code {
        Some(c) => format!("{kind} {c}: {}", category_of(&e.message)),
        None => format!("{kind}: {}", category_of(&e.message)),
    }
}

/// A message with quoted text and numbers replaced, so that messages of
/// one kind fall into one category.
fn category_of(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut in_tick = false;
    for c in first.chars() {
        match c {
            '`' => {
                if !in_tick {
                    out.push_str("`…`");
                }
                in_tick = !in_tick;
            }
            _ if in_tick => {}
            '0'..='9' => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    // Type names (`got LIST`, `got MAP`) as one word.
    let words: Vec<&str> = out.split(' ').collect();
    let out = words
        .iter()
        .map(|w| {
            let core = w.trim_end_matches([',', '.', ')', ':']);
            if core.len() > 1 && core.chars().all(|c| c.is_ascii_uppercase()) {
                w.replacen(core, "TYPE", 1)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    shorten(&out, 90)
}

fn show_row(r: &[TVal]) -> String {
    let cells: Vec<String> = r.iter().map(|v| v.to_string()).collect();
    format!("| {} |", cells.join(" | "))
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// The harness judges honestly: wrong answers fail, errors must match.
mod harness {
    use super::*;

    fn outcome(steps: &str) -> Outcome {
        let text = format!("Feature: f\n\n  Scenario: s\n{steps}");
        let scenarios = parse_feature(&text, "self/f.feature", "self", &[])
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(scenarios.len(), 1);
        run_scenario(&scenarios[0])
    }

    fn query(setup: &str, q: &str, then: &str) -> Outcome {
        let setup = if setup.is_empty() {
            String::new()
        } else {
            format!("    And having executed:\n      \"\"\"\n      {setup}\n      \"\"\"\n")
        };
        outcome(&format!(
            "    Given an empty graph\n{setup}    When executing query:\n      \"\"\"\n      {q}\n      \"\"\"\n    Then {then}\n"
        ))
    }

    #[track_caller]
    fn passes(o: Outcome) {
        assert!(matches!(o, Outcome::Pass), "{o:?}");
    }

    #[track_caller]
    fn fails(o: Outcome, category: &str) {
        match o {
            Outcome::Fail { category: c, .. } if c.contains(category) => {}
            o => panic!("expected a failure `{category}`, got {o:?}"),
        }
    }

    #[track_caller]
    fn skips(o: Outcome, reason: &str) {
        match o {
            Outcome::Skip(r) if r.contains(reason) => {}
            o => panic!("expected a skip `{reason}`, got {o:?}"),
        }
    }

    const NODES: &str = "CREATE (:A {name: 'a'})-[:T {w: 1}]->(:B {name: 'b'})";

    #[test]
    fn right_answers_pass_and_wrong_ones_fail() {
        let table =
            |rows: &str| format!("the result should be, in any order:\n      | x |\n{rows}");
        passes(query(
            "",
            "UNWIND [1, 2] AS x RETURN x",
            &table("      | 2 |\n      | 1 |"),
        ));
        fails(
            query(
                "",
                "UNWIND [1, 2] AS x RETURN x",
                &table("      | 1 |\n      | 3 |"),
            ),
            "wrong result: values",
        );
        fails(
            query("", "UNWIND [1, 2] AS x RETURN x", &table("      | 1 |")),
            "row count",
        );
        fails(
            query("", "RETURN 1.0 AS x", &table("      | 1 |")),
            "values",
        );
        fails(
            query("", "RETURN 1 AS y", &table("      | 1 |")),
            "wrong columns",
        );
        let in_order = "the result should be, in order:\n      | x |\n      | 2 |\n      | 1 |";
        fails(query("", "UNWIND [1, 2] AS x RETURN x", in_order), "order");
        passes(query("", "UNWIND [2, 1] AS x RETURN x", in_order));
        fails(
            query("", "RETURN 1 AS x", "the result should be empty"),
            "rows where none",
        );
        passes(query(
            "",
            "UNWIND [] AS x RETURN x",
            "the result should be empty",
        ));
    }

    #[test]
    fn graph_values_compare_by_labels_properties_and_direction() {
        let t = |header: &str, row: &str| {
            format!("the result should be, in any order:\n      | {header} |\n      | {row} |")
        };
        passes(query(
            NODES,
            "MATCH (n:A) RETURN n",
            &t("n", "(:A {name: 'a'})"),
        ));
        fails(
            query(NODES, "MATCH (n:A) RETURN n", &t("n", "(:A)")),
            "values",
        );
        fails(
            query(NODES, "MATCH (n:A) RETURN n", &t("n", "(:B {name: 'a'})")),
            "values",
        );
        passes(query(
            NODES,
            "MATCH ()-[r]->() RETURN r",
            &t("r", "[:T {w: 1}]"),
        ));
        let p = "MATCH p = (:B)<--(:A) RETURN p";
        passes(query(
            NODES,
            p,
            &t("p", "<(:B {name: 'b'})<-[:T {w: 1}]-(:A {name: 'a'})>"),
        ));
        fails(
            query(
                NODES,
                p,
                &t("p", "<(:B {name: 'b'})-[:T {w: 1}]->(:A {name: 'a'})>"),
            ),
            "values",
        );
        let lists = "the result should be (ignoring element order for lists):\n      | l |\n      | [2, 1] |";
        passes(query("", "RETURN [1, 2] AS l", lists));
        fails(
            query(
                "",
                "RETURN [1, 2] AS l",
                "the result should be, in any order:\n      | l |\n      | [2, 1] |",
            ),
            "values",
        );
    }

    #[test]
    fn errors_must_be_the_expected_ones() {
        let e = |what: &str| format!("a SyntaxError should be raised at compile time: {what}");
        passes(query("", "RETURN x", &e("UndefinedVariable")));
        fails(
            query("", "RETURN x", &e("VariableTypeConflict")),
            "wrong error",
        );
        fails(
            query("", "RETURN 1 AS x", &e("UndefinedVariable")),
            "no error",
        );
        passes(query("", "RETURN (1", &e("UnexpectedSyntax")));
        fails(query("", "RETURN x", &e("UnexpectedSyntax")), "wrong error");
        fails(
            query(
                "",
                "RETURN x",
                "the result should be, in any order:\n      | x |\n      | 1 |",
            ),
            "unexpected error",
        );
    }

    #[test]
    fn what_does_not_fit_is_skipped_with_a_reason() {
        skips(
            query("", "CREATE (n) RETURN n", "the result should be empty"),
            "write query",
        );
        skips(
            query(
                "CREATE (a) SET a.x = 1",
                "MATCH (n) RETURN n",
                "the result should be empty",
            ),
            "setup query",
        );
        skips(
            outcome("    Given an empty graph\n    When something else happens\n"),
            "unsupported step",
        );
    }

    #[test]
    fn panics_are_caught_and_counted_as_failures() {
        fails(
            outcome("    Given an empty graph\n    And the harness panics\n"),
            "eje panicked",
        );
    }

    #[test]
    fn outlines_expand_one_scenario_per_example() {
        let text = "Feature: f\n\n  Scenario Outline: o\n    Given any graph\n    When executing query:\n      \"\"\"\n      RETURN <v> AS v\n      \"\"\"\n    Then the result should be, in any order:\n      | v   |\n      | <v> |\n\n    Examples:\n      | v |\n      | 1 |\n      | 'a\\'b' |\n";
        let s = parse_feature(text, "self/o.feature", "self", &[]).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].id(), "self/o.feature: o #2");
        for sc in &s {
            passes(run_scenario(sc));
        }
    }
}
