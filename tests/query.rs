//! The query language, tested with data: every `tests/cases/query/*.case`
//! file holds cases that run a statement against a fixture graph and say
//! what it must answer.
//!
//! # The case format
//!
//! ```text
//! # A comment (outside a case's expected block).
//! fixture world                 default fixture for the cases that follow
//!
//! == people by name             a case starts with `==` and its name
//! fixture plain                 optional: another fixture for this case
//! param who = 'putin'           optional: a parameter (a literal expression)
//! option max_work = 100         optional: max_work, max_rows or max_hops
//! MATCH (p:Person)              the statement: every line up to `----`
//! RETURN p.name AS name
//! ORDER BY name
//! ---- in order                 or `any order`, or `error <Kind> [<Code>]`
//! name                          the columns, separated by ` | `
//! 'Alexander Lukashenko'        one line per row, values separated by ` | `
//! ```
//!
//! Values are written as Cypher literals (`'text'`, `1`, `1.5`, `null`,
//! `[1, 2]`, `{a: 1}`, `date('2024-06')`); a node is `(id)`, a relation
//! `[:type from->to]`, a path `(a)-[:t]->(b)<-[:u]-(c)`. An analyst
//! statement's card comes first, one `@ key: value` line per entry. For an
//! error, the lines after `---- error Kind Code` are substrings the message
//! must contain; a line starting `help:` must be in the help.
//!
//! Fixtures: `world` is the curated dataset `tests/fixtures/world/` (loaded
//! with the RON loader); `bundled` is the dataset under `data/`, for the
//! cases that pin its curation (`bundled.case`); `plain` is a schema-less graph built below, the
//! way a Cypher script would build one, where openCypher's own rules apply.
//!
//! `EJE_BLESS=1 cargo test --test query` rewrites every expected block with
//! what the engine answers now. Review the diff: expectations are reasoned
//! from the fixture, never taken on trust.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use eje::model::{Graph, Node, Props, Rel, Value};
use eje::query::{self, ErrorKind, Options, QueryError, ResultSet};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn world() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let dir = manifest().join("tests/fixtures/world");
        match eje::load::load_dir(&dir, &eje::load::Options::default()) {
            Ok(l) => l.graph,
            Err(f) => panic!("fixture `world` does not load:\n{}", f.render(false)),
        }
    })
}

/// A small schema-less property graph:
///
/// ```text
/// (alice:Person {name:'Alice', age:30})  -[:KNOWS {since:2010}]-> (bob:Person {name:'Bob', age:25})
/// (bob)                                  -[:KNOWS {since:2015}]-> (carol:Person:Admin {name:'Carol', age:35})
/// (alice)                                -[:KNOWS {since:2020}]-> (carol)
/// (carol)                                -[:LIVES_IN]->           (paris:City {name:'Paris'})
/// (alice)                                -[:LIVES_IN]->           (paris)
/// (bob2:Person {name:'Bob', age:41})     -[:KNOWS]->              (bob2)
/// (carol)                                -[:KNOWS {since:2021}]-> (alice)
/// (empty)  no labels, no properties
/// ```
fn plain() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Graph::new(None);
        let node = |g: &mut Graph, id: &str, labels: &[&str], props: &[(&str, Value)]| {
            let props: Props = props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            g.add_node(Node {
                id: id.into(),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                props,
            })
        };
        let alice = node(
            &mut g,
            "alice",
            &["Person"],
            &[("name", "Alice".into()), ("age", Value::Int(30))],
        );
        let bob = node(
            &mut g,
            "bob",
            &["Person"],
            &[("name", "Bob".into()), ("age", Value::Int(25))],
        );
        let carol = node(
            &mut g,
            "carol",
            &["Person", "Admin"],
            &[("name", "Carol".into()), ("age", Value::Int(35))],
        );
        let paris = node(&mut g, "paris", &["City"], &[("name", "Paris".into())]);
        let bob2 = node(
            &mut g,
            "bob2",
            &["Person"],
            &[("name", "Bob".into()), ("age", Value::Int(41))],
        );
        node(&mut g, "empty", &[], &[]);
        let rel = |g: &mut Graph, a, b, t: &str, props: &[(&str, Value)]| {
            let props: Props = props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            g.add_rel(
                a,
                b,
                Rel {
                    rel_type: t.into(),
                    props,
                },
            );
        };
        rel(&mut g, alice, bob, "KNOWS", &[("since", Value::Int(2010))]);
        rel(&mut g, bob, carol, "KNOWS", &[("since", Value::Int(2015))]);
        rel(
            &mut g,
            alice,
            carol,
            "KNOWS",
            &[("since", Value::Int(2020))],
        );
        rel(&mut g, carol, paris, "LIVES_IN", &[]);
        rel(&mut g, alice, paris, "LIVES_IN", &[]);
        rel(&mut g, bob2, bob2, "KNOWS", &[]);
        rel(
            &mut g,
            carol,
            alice,
            "KNOWS",
            &[("since", Value::Int(2021))],
        );
        g
    })
}

/// The dataset bundled into eje, `data/`.
fn bundled() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let dir = manifest().join("data");
        match eje::load::load_dir(&dir, &eje::load::Options::default()) {
            Ok(l) => l.graph,
            Err(f) => panic!("the bundled data does not load:\n{}", f.render(false)),
        }
    })
}

fn fixture(name: &str) -> &'static Graph {
    match name {
        "world" => world(),
        "bundled" => bundled(),
        "plain" => plain(),
        other => panic!("unknown fixture `{other}`"),
    }
}

// ----- formatting values ------------------------------------------------------------

fn fmt_value(g: &Graph, v: &Value, out: &mut String) {
    match v {
        Value::Node(ix) => {
            let _ = write!(out, "({})", g.node(*ix).id);
        }
        Value::Rel(ix) => {
            let (s, t) = g.endpoints(*ix);
            let _ = write!(
                out,
                "[:{} {}->{}]",
                g.rel(*ix).rel_type,
                g.node(s).id,
                g.node(t).id
            );
        }
        Value::Path(p) => {
            let _ = write!(out, "({})", g.node(p.nodes[0]).id);
            for (i, r) in p.rels.iter().enumerate() {
                let (s, _) = g.endpoints(*r);
                let t = &g.rel(*r).rel_type;
                let next = &g.node(p.nodes[i + 1]).id;
                if s == p.nodes[i] {
                    let _ = write!(out, "-[:{t}]->({next})");
                } else {
                    let _ = write!(out, "<-[:{t}]-({next})");
                }
            }
        }
        Value::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                fmt_value(g, x, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{k}: ");
                fmt_value(g, x, out);
            }
            out.push('}');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn fmt_row(g: &Graph, row: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        fmt_value(g, v, &mut out);
    }
    out
}

// ----- cases ------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    InOrder,
    AnyOrder,
    Error(String),
}

#[derive(Debug)]
struct Case {
    name: String,
    line: usize,
    fixture: String,
    params: Vec<(String, String)>,
    options: Vec<(String, u64)>,
    query: String,
    mode: Mode,
    expected: Vec<String>,
    /// Line range of the expected block in the file (for blessing).
    block: std::ops::Range<usize>,
}

fn parse_cases(path: &Path, text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut default_fixture = "world".to_string();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(f) = l.strip_prefix("fixture ") {
            default_fixture = f.trim().to_string();
            i += 1;
            continue;
        }
        let Some(name) = l.strip_prefix("== ") else {
            assert!(
                l.trim().is_empty() || l.starts_with('#'),
                "{}:{}: expected `== case name`, found `{l}`",
                path.display(),
                i + 1
            );
            i += 1;
            continue;
        };
        let start = i + 1;
        let mut case = Case {
            name: name.trim().to_string(),
            line: start,
            fixture: default_fixture.clone(),
            params: Vec::new(),
            options: Vec::new(),
            query: String::new(),
            mode: Mode::AnyOrder,
            expected: Vec::new(),
            block: 0..0,
        };
        i += 1;
        // Directives.
        while i < lines.len() {
            let l = lines[i];
            if let Some(f) = l.strip_prefix("fixture ") {
                case.fixture = f.trim().to_string();
            } else if let Some(p) = l.strip_prefix("param ") {
                let (k, v) = p.split_once('=').expect("param NAME = VALUE");
                case.params
                    .push((k.trim().to_string(), v.trim().to_string()));
            } else if let Some(o) = l.strip_prefix("option ") {
                let (k, v) = o.split_once('=').expect("option NAME = N");
                case.options
                    .push((k.trim().to_string(), v.trim().parse().expect("a number")));
            } else {
                break;
            }
            i += 1;
        }
        let mut query = Vec::new();
        while i < lines.len() && !lines[i].starts_with("----") {
            query.push(lines[i]);
            i += 1;
        }
        assert!(
            i < lines.len(),
            "{}:{}: case `{}` has no `----` line",
            path.display(),
            start,
            case.name
        );
        case.query = query.join("\n");
        let mode = lines[i].trim_start_matches('-').trim();
        case.mode = match mode {
            "in order" => Mode::InOrder,
            "any order" => Mode::AnyOrder,
            m if m.starts_with("error") => Mode::Error(m["error".len()..].trim().to_string()),
            m => panic!("{}:{}: unknown mode `{m}`", path.display(), i + 1),
        };
        i += 1;
        let block_start = i;
        while i < lines.len() && !lines[i].starts_with("== ") && !lines[i].starts_with("fixture ") {
            i += 1;
        }
        let mut end = i;
        while end > block_start
            && (lines[end - 1].trim().is_empty() || lines[end - 1].starts_with('#'))
        {
            end -= 1;
        }
        case.expected = lines[block_start..end]
            .iter()
            .map(|s| s.to_string())
            .collect();
        case.block = block_start - 1..end;
        cases.push(case);
    }
    cases
}

fn options_of(case: &Case, g: &Graph) -> Options {
    let mut opts = Options::default();
    for (k, v) in &case.options {
        match k.as_str() {
            "max_work" => opts.max_work = Some(*v),
            "max_rows" => opts.max_rows = *v as usize,
            "max_hops" => opts.max_hops = *v as u32,
            other => panic!("unknown option `{other}`"),
        }
    }
    let mut params = BTreeMap::new();
    for (k, text) in &case.params {
        let r = query::run_all(g, &format!("RETURN {text} AS v"), &Options::default());
        let v = match r.result {
            Ok(rs) => rs.rows[0][0].clone(),
            other => panic!("parameter `{k}` = `{text}` is not a literal: {other:?}"),
        };
        params.insert(k.clone(), v);
    }
    opts.params = params;
    opts
}

fn run_case(case: &Case) -> Result<ResultSet, QueryError> {
    let g = fixture(&case.fixture);
    let opts = options_of(case, g);
    query::run_all(g, &case.query, &opts).result
}

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::Syntax => "Syntax",
        ErrorKind::UnexpectedEnd => "UnexpectedEnd",
        ErrorKind::Semantic => "Semantic",
        ErrorKind::Runtime => "Runtime",
        ErrorKind::Limit => "Limit",
        ErrorKind::Cancelled => "Cancelled",
    }
}

/// What the engine answers, written the way the case file does: the mode
/// line and the block.
fn render(case: &Case, result: &Result<ResultSet, QueryError>) -> (String, Vec<String>) {
    let g = fixture(&case.fixture);
    match result {
        Ok(rs) => {
            let mut lines: Vec<String> = rs
                .header
                .iter()
                .map(|(k, v)| format!("@ {k}: {v}"))
                .collect();
            lines.extend(rs.notes.iter().map(|n| format!("note: {n}")));
            lines.push(rs.columns.join(" | "));
            let mut rows: Vec<String> = rs.rows.iter().map(|r| fmt_row(g, r)).collect();
            let mode = match case.mode {
                Mode::InOrder => "in order",
                _ => {
                    rows.sort();
                    "any order"
                }
            };
            lines.extend(rows);
            (mode.to_string(), lines)
        }
        Err(e) => {
            let mut mode = format!("error {}", kind_name(e.kind));
            if let Some(c) = e.code {
                mode.push(' ');
                mode.push_str(c);
            }
            let mut lines = vec![e.message.clone()];
            if let Some(h) = &e.help {
                lines.push(format!("help: {h}"));
            }
            (mode, lines)
        }
    }
}

/// Whether the answer meets the expectation; `Err` explains how not.
fn check(case: &Case, result: &Result<ResultSet, QueryError>) -> Result<(), String> {
    let (mode, lines) = render(case, result);
    match (&case.mode, result) {
        (Mode::Error(want), Err(e)) => {
            if mode.trim() != format!("error {want}").trim()
                && !format!("{mode} ").starts_with(&format!("error {want} "))
            {
                return Err(format!(
                    "expected `error {want}`, got `{mode}`: {}",
                    e.message
                ));
            }
            for exp in &case.expected {
                let ok = match exp.strip_prefix("help: ") {
                    Some(h) => e.help.as_deref().is_some_and(|x| x.contains(h)),
                    None => e.message.contains(exp.as_str()),
                };
                if !ok {
                    return Err(format!(
                        "expected the error to contain `{exp}`, got:\n{}",
                        lines.join("\n")
                    ));
                }
            }
            Ok(())
        }
        (Mode::Error(want), Ok(_)) => Err(format!(
            "expected `error {want}`, got rows:\n{}",
            lines.join("\n")
        )),
        (_, Err(e)) => Err(format!(
            "expected rows, got `{mode}`: {}{}",
            e.message,
            e.help
                .as_deref()
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default()
        )),
        (m, Ok(_)) => {
            let mut expected = case.expected.clone();
            if *m == Mode::AnyOrder {
                let header = expected
                    .iter()
                    .take_while(|l| l.starts_with("@ ") || l.starts_with("note: "))
                    .count()
                    + 1;
                let header = header.min(expected.len());
                expected[header..].sort();
            }
            if expected == lines {
                Ok(())
            } else {
                Err(format!(
                    "expected:\n{}\n\ngot:\n{}",
                    expected.join("\n"),
                    lines.join("\n")
                ))
            }
        }
    }
}

fn bless(path: &Path, text: &str, cases: &[Case], results: &[Result<ResultSet, QueryError>]) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut pos = 0;
    for (case, result) in cases.iter().zip(results) {
        out.extend(lines[pos..case.block.start].iter().map(|s| s.to_string()));
        let (mode, block) = render(case, result);
        out.push(format!("---- {mode}"));
        out.extend(block);
        pos = case.block.end;
    }
    out.extend(lines[pos..].iter().map(|s| s.to_string()));
    let mut text = out.join("\n");
    text.push('\n');
    std::fs::write(path, text).expect("case file writable");
}

#[test]
fn query_cases() {
    let dir = manifest().join("tests/cases/query");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases/query exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    files.sort();
    let blessing = std::env::var_os("EJE_BLESS").is_some();
    let filter = std::env::var("EJE_CASE").ok();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("case file readable");
        let cases = parse_cases(path, &text);
        let mut results = Vec::new();
        for case in &cases {
            let result = if filter
                .as_ref()
                .is_none_or(|f| case.name.contains(f.as_str()))
            {
                count += 1;
                let r = run_case(case);
                if let Err(why) = check(case, &r) {
                    failures.push(format!(
                        "{}:{}: `{}`\n{}\n{}",
                        path.strip_prefix(manifest()).unwrap_or(path).display(),
                        case.line,
                        case.name,
                        case.query,
                        why
                    ));
                }
                r
            } else {
                run_case(case)
            };
            results.push(result);
        }
        if blessing {
            bless(path, &text, &cases, &results);
        }
    }
    println!("{count} query cases run, {} failed", failures.len());
    if !failures.is_empty() && !blessing {
        panic!(
            "{} of {count} query cases failed:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
