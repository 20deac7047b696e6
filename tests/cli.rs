//! The `eje` binary as users run it: exit codes, output formats, errors on
//! stderr with file:line:column and a caret, scripts, stdin, exports.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value as Json;

fn eje() -> Command {
    let mut c = Command::cargo_bin("eje").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("EJE_DATA")
        .env("NO_COLOR", "1");
    c
}

fn json_lines(out: &[u8]) -> Vec<Json> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect()
}

#[test]
fn query_prints_json_lines_in_the_documented_shape() {
    let out = eje()
        .args([
            "query",
            "--format",
            "json",
            "MATCH (p:Person {id: 'putin'}) RETURN p, p.name AS name; RETURN 1 AS one",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "one object per statement");
    assert_eq!(lines[0]["columns"], serde_json::json!(["p", "name"]));
    let node = &lines[0]["rows"][0][0];
    assert_eq!(node["id"], "putin");
    assert_eq!(node["labels"][0], "Person");
    assert!(
        node["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "Agent")
    );
    assert_eq!(node["name"], lines[0]["rows"][0][1]);
    assert!(
        node["properties"]["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Vladímir Putin")
    );
    assert_eq!(lines[1]["rows"], serde_json::json!([[1]]));
}

#[test]
fn relations_and_dates_in_json() {
    let out = eje()
        .args([
            "query",
            "--format",
            "json",
            "MATCH (a)-[r:deployed_troops_to]->(b {id: 'kursk_oblast'}) RETURN r, r.start",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    let rel = &lines[0]["rows"][0][0];
    assert_eq!(rel["type"], "deployed_troops_to");
    assert_eq!(rel["from"], "north_korea");
    assert_eq!(rel["to"], "kursk_oblast");
    assert_eq!(rel["properties"]["quantity"], 15000);
    assert_eq!(lines[0]["rows"][0][1], "2024-08");
}

#[test]
fn a_query_error_points_at_the_text_and_exits_1() {
    eje()
        .args(["query", "MATCH (p:Persn) RETURN p"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("unknown label `Persn`"))
        .stderr(predicate::str::contains("<query>:1:10"))
        .stderr(predicate::str::contains("did you mean `Person`?"));
}

#[test]
fn a_syntax_error_says_what_was_expected() {
    eje()
        .args(["query", "MATCH (p:Person RETURN p"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<query>:1:"))
        .stderr(predicate::str::contains("expected"));
}

#[test]
fn usage_errors_exit_2() {
    eje().args(["query"]).assert().code(2);
    eje().args(["frobnicate"]).assert().code(2);
    eje()
        .args(["query", "--format", "yaml", "RETURN 1"])
        .assert()
        .code(2);
}

#[test]
fn csv_and_markdown_formats() {
    eje()
        .args([
            "query",
            "--format",
            "csv",
            "MATCH (c:Country {id: 'north_korea'}) RETURN c.name AS name, c",
        ])
        .assert()
        .success()
        .stdout("name,c\nNorth Korea,north_korea\n");
    eje()
        .args(["query", "--format", "markdown", "RETURN 'a|b' AS x"])
        .assert()
        .success()
        .stdout("| x |\n|---|\n| a\\|b |\n");
}

#[test]
fn scripts_stop_at_the_first_error_unless_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.kgq");
    std::fs::write(
        &script,
        "RETURN 1 AS a;\nRETURN nope AS b;\nRETURN 3 AS c;\n",
    )
    .unwrap();
    let out = eje()
        .args(["run", "--format", "json"])
        .arg(&script)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "the first answer and the error");
    assert_eq!(lines[1]["error"]["line"], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("s.kgq:2:8"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = eje()
        .args(["run", "--format", "json", "--keep-going"])
        .arg(&script)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["rows"], serde_json::json!([[3]]));
}

#[test]
fn statements_from_stdin_print_only_results() {
    eje()
        .write_stdin("RETURN 40 + 2 AS answer;\n")
        .args(["--color", "never"])
        .arg("--")
        .assert()
        .success()
        .stdout(predicate::str::contains("42"))
        .stdout(predicate::str::contains("eje>").not());
    eje()
        .write_stdin("RETURN 1 AS x; RETURN y;")
        .assert()
        .code(1);
}

#[test]
fn params_from_the_command_line() {
    eje()
        .args([
            "query",
            "--format",
            "csv",
            "--param",
            "who='putin'",
            "--param",
            "n=2",
            "RETURN $who AS who, $n + 1 AS n",
        ])
        .assert()
        .success()
        .stdout("who,n\nputin,3\n");
}

#[test]
fn check_passes_on_the_bundled_data() {
    eje()
        .args(["check"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: data:"));
}

#[test]
fn the_audit_lists_and_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("tests/fixtures/mini/schema.ron"),
        dir.path().join("schema.ron"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d.ron"),
        r#"(
  sources: [(id: "a", kind: NewsArticle, title: "A", language: "es", file: "a.txt")],
  entities: [(id: "putin", kind: "Person", name: "Vladimir Putin"), (id: "moscow", kind: "City", name: "Moscow")],
  claims: [(subject: "putin", relation: "visited", object: "moscow",
    cite: [(source: "a", quote: "llegó a la capital rusa", hedge: Asserted)])],
)"#,
    )
    .unwrap();
    let data = dir.path().to_str().unwrap();
    eje()
        .args(["check", "--data", data, "--audit", "--deny-warnings"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "d.ron:5:33: names neither `putin` nor `moscow` (visited): “llegó a la capital rusa”",
        ))
        .stdout(predicate::str::contains("audit: 1 citation(s)"));
    // Without `--audit`, nothing is listed.
    eje()
        .args(["check", "--data", data])
        .assert()
        .success()
        .stdout(predicate::str::contains("names neither").not());
}

#[test]
fn stats_json_counts_the_graph() {
    let out = eje()
        .args(["stats", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Json = serde_json::from_slice(&out).unwrap();
    assert!(v["entities"].as_u64().unwrap() > 100);
    assert!(v["claims"].as_u64().unwrap() > 150);
    assert_eq!(v["sources"], 5);
}

#[test]
fn a_missing_data_dir_is_a_clear_error() {
    eje()
        .args(["query", "--data", "/nonexistent/eje-data", "RETURN 1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot read the data directory `/nonexistent/eje-data`",
        ));
}

#[test]
fn the_bundled_copy_is_used_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("eje").unwrap();
    c.current_dir(dir.path()).env_remove("EJE_DATA");
    c.args([
        "query",
        "--format",
        "csv",
        "MATCH (p {id: 'putin'}) RETURN p.name AS n",
    ])
    .assert()
    .success()
    .stdout("n\nVladimir Putin\n");
}

#[test]
fn export_focus_writes_dot_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("putin.dot");
    eje()
        .args([
            "export", "--format", "dot", "--focus", "Putin", "--depth", "1", "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("digraph \"eje\""), "{text}");
    assert!(text.contains("Vladimir Putin"));
    eje()
        .args(["export", "--format", "dot", "--focus", "Putn"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean"));
}

#[test]
fn completions_and_man_page() {
    eje()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("export"));
    eje()
        .args(["man"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH eje"));
}

#[test]
fn schema_from_the_command_line_as_text_and_json() {
    eje()
        .arg("schema")
        .assert()
        .success()
        .stdout(predicate::str::contains("Entity kinds"))
        .stdout(predicate::str::contains("├─ Person ("));
    let out = eje()
        .args(["schema", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Json = serde_json::from_slice(&out).unwrap();
    let kind = |name: &str| {
        v["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("kind {name}"))
    };
    assert_eq!(kind("Person")["parent"], "Agent");
    let met = v["relation_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "met_with")
        .cloned()
        .unwrap();
    assert_eq!(met["symmetric"], true);
    // The counts are the graph's own.
    let counted = eje()
        .args([
            "query",
            "--format",
            "json",
            "MATCH (p:Person) WITH count(p) AS people MATCH ()-[r:met_with]-() RETURN people, count(DISTINCT r) AS met",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let row = &json_lines(&counted)[0]["rows"][0];
    assert_eq!(kind("Person")["count"], row[0]);
    assert_eq!(met["count"], row[1]);
}
