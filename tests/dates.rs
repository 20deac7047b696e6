//! Date comparison as data: `tests/cases/dates/compare.table` lists every
//! pair of precisions × every relative position × the six operators with
//! the answer D2 of the decisions gives; each line runs through the engine
//! as `RETURN date('A') OP date('B')`.

use std::path::Path;

use eje::model::{Graph, Value};
use eje::query::{self, Options};

#[test]
fn every_comparison_in_the_table_answers_as_written() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/dates/compare.table");
    let text = std::fs::read_to_string(&path).expect("the table is readable");
    let graph = Graph::default();
    let mut cases = 0;
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (lhs, want) = line
            .split_once("=>")
            .unwrap_or_else(|| panic!("line {}: no `=>` in `{line}`", n + 1));
        let parts: Vec<&str> = lhs.split_whitespace().collect();
        let [a, op, b] = parts[..] else {
            panic!("line {}: expected `A OP B => ANSWER`, got `{line}`", n + 1);
        };
        let want = match want.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            other => panic!("line {}: unknown answer `{other}`", n + 1),
        };
        let q = format!("RETURN date('{a}') {op} date('{b}') AS v");
        let got = match query::run_all(&graph, &q, &Options::default()).result {
            Ok(rs) => rs.rows[0][0].clone(),
            Err(e) => panic!("line {}: `{q}` failed: {e}", n + 1),
        };
        cases += 1;
        if got != want {
            failures.push(format!(
                "line {}: {a} {op} {b}: want {want}, got {got}",
                n + 1
            ));
        }
    }
    assert!(cases >= 6 * 9 * 3, "only {cases} cases in the table");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
