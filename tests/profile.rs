//! `PROFILE`'s row counts are the real intermediate counts: for each
//! profiled query, the rows out of a step or operator equal the answer of
//! a separate query that counts the rows of the query up to that point.

use std::path::PathBuf;
use std::sync::OnceLock;

use eje::model::{Graph, Value};
use eje::query::{self, Options, ResultSet};

fn world() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/world");
        match eje::load::load_dir(&dir, &eje::load::Options::default()) {
            Ok(l) => l.graph,
            Err(f) => panic!("fixture `world` does not load:\n{}", f.render(false)),
        }
    })
}

fn run(text: &str) -> ResultSet {
    match query::run_all(world(), text, &Options::default()).result {
        Ok(r) => r,
        Err(e) => panic!("`{text}` failed: {}", e.message),
    }
}

/// The one integer a counting query answers.
fn count(text: &str) -> i64 {
    match run(text).rows.into_vecs().as_slice() {
        [row] => match row.as_slice() {
            [Value::Int(n)] => *n,
            other => panic!("`{text}` answered {other:?}, not a count"),
        },
        rows => panic!("`{text}` answered {} rows, not one", rows.len()),
    }
}

/// The rows `PROFILE` reports for the line whose operator is `op`.
fn profiled_rows(table: &ResultSet, op: &str) -> i64 {
    let col = |name: &str| {
        table
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column `{name}` in {:?}", table.columns))
    };
    let (o, r) = (col("operator"), col("rows"));
    let found: Vec<i64> = table
        .rows
        .iter()
        .filter(|row| row[o].as_str().map(str::trim) == Some(op))
        .map(|row| match &row[r] {
            Value::Int(n) => *n,
            v => panic!("rows of `{op}` is {v:?}"),
        })
        .collect();
    match found.as_slice() {
        [n] => *n,
        _ => panic!("{} lines `{op}` in {:?}", found.len(), table.rows),
    }
}

/// Profiles `query` and checks each `(operator, counting query)`.
fn check(query: &str, expect: &[(&str, &str)]) {
    let table = run(&format!("PROFILE {query}"));
    let answer = run(query).rows.len() as i64;
    assert_eq!(profiled_rows(&table, "Return"), answer, "{query}");
    for (op, counting) in expect {
        let want = count(counting);
        assert_eq!(
            profiled_rows(&table, op),
            want,
            "`{op}` of `{query}` against `{counting}`"
        );
    }
    // Every operator has a time of its own; the steps of a match have none.
    let ms = table.columns.iter().position(|c| c == "ms").expect("ms");
    let step = table
        .columns
        .iter()
        .position(|c| c == "step")
        .expect("step");
    for row in &table.rows {
        let is_step = row[step].as_str().is_some_and(|s| s.contains('.'));
        match &row[ms] {
            Value::Float(t) => assert!(!is_step && *t >= 0.0, "{row:?}"),
            Value::Null => assert!(is_step, "{row:?}"),
            v => panic!("ms is {v:?}"),
        }
    }
    assert!(
        table
            .notes
            .iter()
            .any(|n| n.contains(&format!("answered {answer} row")))
    );
}

#[test]
fn steps_of_a_match_count_the_bindings_that_pass_them() {
    let q = "MATCH (p:Person)-[r]-(x) WHERE x.born IS NULL \
             WITH DISTINCT x.id AS id, type(r) AS t RETURN id ORDER BY id LIMIT 5";
    check(
        q,
        &[
            ("NodeByLabelScan", "MATCH (p:Person) RETURN count(*)"),
            (
                "Expand",
                "MATCH (p:Person)-[r]-(x) WHERE x.born IS NULL RETURN count(*)",
            ),
            (
                "Distinct",
                "MATCH (p:Person)-[r]-(x) WHERE x.born IS NULL \
                 WITH DISTINCT x.id AS id, type(r) AS t RETURN count(*)",
            ),
            // The sort keeps the top 5 for the limit.
            ("Sort", "RETURN 5"),
        ],
    );
}

#[test]
fn a_rewritten_step_counts_what_it_yields() {
    let q =
        "MATCH (p:Person)-[r]-() RETURN p.id AS id, count(r) AS deg ORDER BY deg DESC, id LIMIT 3";
    check(
        q,
        &[
            ("NodeByLabelScan", "MATCH (p:Person) RETURN count(*)"),
            (
                "ExpandCount",
                "MATCH (p:Person)-[r]-() RETURN count(DISTINCT p)",
            ),
            (
                "Aggregate",
                "MATCH (p:Person)-[r]-() RETURN count(DISTINCT p.id)",
            ),
        ],
    );
    let q = "MATCH (p {id: 'putin'})-[*1..3]-(e) RETURN count(DISTINCT e) AS n";
    check(
        q,
        &[
            ("NodeById", "MATCH (p {id: 'putin'}) RETURN count(*)"),
            (
                "ReachDistinct",
                "MATCH (p {id: 'putin'})-[*1..3]-(e) RETURN count(DISTINCT e)",
            ),
        ],
    );
}

#[test]
fn filters_unwinds_and_optional_matches_count_their_rows() {
    let q = "UNWIND range(1, 20) AS x WITH x WHERE x % 3 = 0 RETURN x";
    check(
        q,
        &[
            ("Unwind", "UNWIND range(1, 20) AS x RETURN count(*)"),
            (
                "Filter",
                "UNWIND range(1, 20) AS x WITH x WHERE x % 3 = 0 RETURN count(*)",
            ),
        ],
    );
    let q = "MATCH (a:Person) OPTIONAL MATCH (a)-[:met_with]->(b) RETURN a.id AS a, b.id AS b";
    check(
        q,
        &[(
            "OptionalMatch",
            "MATCH (a:Person) OPTIONAL MATCH (a)-[:met_with]->(b) RETURN count(*)",
        )],
    );
}

#[test]
fn profile_answers_the_plan_and_explain_runs_nothing() {
    let explained = run("EXPLAIN MATCH (n) RETURN n");
    assert_eq!(explained.columns, ["step", "operator", "detail"]);
    let profiled = run("PROFILE MATCH (n) RETURN n");
    assert_eq!(
        profiled.columns,
        ["step", "operator", "detail", "rows", "ms"]
    );
    assert_eq!(
        profiled_rows(&profiled, "AllNodesScan"),
        count("MATCH (n) RETURN count(*)")
    );
    // A failing query fails under PROFILE too, and is explained by EXPLAIN.
    let failed = query::run_all(world(), "PROFILE RETURN 1 / 0 AS x", &Options::default());
    assert!(failed.result.is_err());
    let explained = run("EXPLAIN RETURN 1 / 0 AS x");
    assert_eq!(explained.rows.len(), 2);
}
