//! The `eje` binary as users run it: exit codes, output formats, errors on
//! stderr with file:line:column and a caret, scripts, stdin, exports.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value as Json;

fn eje() -> Command {
    let mut c = Command::cargo_bin("eje").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    c
}

/// A graph script `g.cypher` in `dir`, as the path `--graph-script` takes.
fn graph_script(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("g.cypher");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
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
    c.current_dir(dir.path())
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1");
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
fn export_bulk_writes_a_folder_and_keeps_a_foreign_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kuzu");
    eje()
        .args(["export", "--format", "bulk", "--dialect", "kuzu", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("relations)"));
    assert!(out.join("load.cypher").is_file() && out.join("README.md").is_file());
    // Without -o (or with `-`) there is no one stream to write.
    for extra in [&[][..], &["-o", "-"][..]] {
        eje()
            .args(["export", "--format", "bulk", "--dialect", "neo4j"])
            .args(extra)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("-o FOLDER"));
    }
    // A folder eje did not write is refused, and kept, unless --force.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    eje()
        .args(["export", "--format", "bulk", "--dialect", "falkordb", "-o"])
        .arg(&mine)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`notes.txt`").and(predicate::str::contains("--force")));
    assert!(mine.join("notes.txt").is_file());
    eje()
        .args([
            "export",
            "--format",
            "bulk",
            "--dialect",
            "falkordb",
            "--force",
            "-o",
        ])
        .arg(&mine)
        .assert()
        .success();
    assert!(!mine.join("notes.txt").exists() && mine.join("manifest.json").is_file());
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
fn notes_on_coarse_dates_go_to_stderr_and_leave_the_answer_alone() {
    let out = eje()
        .args([
            "query",
            "--format",
            "json",
            "UNWIND [date('2024'), date('2023-01-01')] AS d WITH d WHERE d < date('2024-06-19') RETURN count(*) AS n",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "only the answer on stdout");
    assert_eq!(lines[0]["rows"], serde_json::json!([[1]]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("note: ") && l.contains("too coarse to compare; see within()")),
        "{stderr}"
    );
}

#[test]
fn export_of_an_analyst_statement_draws_the_relations_it_lists() {
    let out = eje()
        .args([
            "export",
            "--format",
            "json",
            "--query",
            r#"PATH "Medvedev" TO "Kim Jong Un""#,
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Json = serde_json::from_slice(&out).expect("one JSON document");
    let text = doc.to_string();
    assert!(
        text.contains("medvedev") && text.contains("kim_jong_un"),
        "{text}"
    );
    let links = doc["links"].as_array().map_or(0, Vec::len);
    assert!(links > 0, "no relation exported: {text}");
    assert_eq!(doc["graph"]["relations"], serde_json::json!(links));
}

#[test]
fn export_to_dash_or_dev_stdout_writes_standard_output() {
    for target in ["-", "/dev/stdout"] {
        let out = eje()
            .args([
                "export", "--format", "dot", "--focus", "putin", "-o", target,
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("digraph"), "{target}: {stdout}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            target == "-",
            !stderr.contains("wrote"),
            "{target}: {stderr}"
        );
    }
}

/// `eje ARGS` with standard output (or standard error, with `stderr`) read
/// up to `keep` bytes and then closed, as `| head -c` closes it; the other
/// stream goes nowhere. Returns the exit code.
fn exit_after_closing_the_pipe(args: &[&str], stderr: bool, keep: usize) -> Option<i32> {
    use std::io::Read;
    use std::process::Stdio;
    let (out, err) = if stderr {
        (Stdio::null(), Stdio::piped())
    } else {
        (Stdio::piped(), Stdio::null())
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("eje"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let mut pipe: Box<dyn Read> = if stderr {
        Box::new(child.stderr.take().unwrap())
    } else {
        Box::new(child.stdout.take().unwrap())
    };
    let mut first = vec![0; keep];
    pipe.read_exact(&mut first).unwrap();
    drop(pipe);
    child.wait().unwrap().code()
}

/// A data folder whose one dossier has `n` claims about a missing entity.
fn data_with_many_errors(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("data/schema.ron"), dir.path().join("schema.ron")).unwrap();
    let claim = r#"(subject: "nobody", relation: "visited", object: "pyongyang", cite: [(source: "art_1", quote: "q", hedge: Asserted)]),"#;
    let dossier = format!(
        r#"(
  sources: [(id: "art_1", kind: NewsArticle, title: "T", language: "es", file: "a.txt")],
  entities: [(id: "pyongyang", kind: "City", name: "Pyongyang")],
  claims: [{}],
)"#,
        format!("{claim}\n").repeat(n)
    );
    std::fs::write(dir.path().join("dossier.ron"), dossier).unwrap();
    dir
}

#[test]
fn a_closed_pipe_ends_quietly_without_a_panic() {
    let data = data_with_many_errors(3000);
    let data = data.path().to_str().unwrap();
    // `eje check 2>&1 | head`: the check failed (1), it did not panic (101).
    assert_eq!(
        exit_after_closing_the_pipe(&["check", "--data", data], true, 100),
        Some(1)
    );
    // `eje completions bash | head -c10`.
    assert_eq!(
        exit_after_closing_the_pipe(&["completions", "bash"], false, 10),
        Some(0)
    );
    assert_eq!(exit_after_closing_the_pipe(&["man"], false, 10), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_message_not_a_panic() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    if full().is_err() {
        eprintln!("not run: no /dev/full");
        return;
    }
    let raw = |args: &[&str]| {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("eje"));
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("EJE_DATA")
            .env("EJE_NO_CACHE", "1")
            .env("NO_COLOR", "1")
            .args(args);
        c
    };
    // Standard output on a full disk: a message, exit 1.
    for args in [
        &["check"][..],
        &["query", "RETURN 1 AS x"],
        &["completions", "bash"],
    ] {
        let out = raw(args).stdout(full().unwrap()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    // Errors printed to a full standard error: still exit 1, no panic.
    let data = data_with_many_errors(50);
    for args in [
        &["check", "--data", data.path().to_str().unwrap()][..],
        &["query", "RETURN nope"],
    ] {
        let out = raw(args).stderr(full().unwrap()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn a_malformed_or_huge_param_is_a_usage_error() {
    for (param, says) in [
        ("x", "NAME=VALUE"),
        ("=1", "no name"),
        ("n=99999999999999999999", "too large"),
    ] {
        eje()
            .args(["query", "--param", param, "RETURN $n AS n"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    eje()
        .args([
            "query",
            "--param",
            "n=-9223372036854775808",
            "RETURN $n AS n",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("-9223372036854775808"));
}

#[test]
fn history_refuses_a_file_that_is_not_a_history_and_dev_null_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    let text = "line one\nline two\n".repeat(100);
    std::fs::write(&notes, &text).unwrap();
    eje()
        .args(["repl", "--history", notes.to_str().unwrap()])
        .write_stdin("RETURN 1 AS x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an eje history"))
        .stderr(predicate::str::contains("--history off"));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
    // A folder cannot hold it either.
    eje()
        .args(["--history", dir.path().to_str().unwrap()])
        .write_stdin("RETURN 1 AS x")
        .assert()
        .code(2);
    // An eje history, an empty file, a new file and /dev/null are fine.
    let history = dir.path().join("history");
    std::fs::write(&history, "#V2\nRETURN 1\n").unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    for ok in [
        &history,
        &empty,
        &dir.path().join("new"),
        std::path::Path::new("/dev/null"),
    ] {
        eje()
            .args(["--history", ok.to_str().unwrap()])
            .write_stdin("RETURN 1 AS x")
            .assert()
            .success()
            .stdout(predicate::str::contains("x"));
    }
}

#[test]
fn control_characters_from_the_data_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    // A name that would retitle the terminal, then ring and return.
    let script = graph_script(&dir, "CREATE (:P {name: 'x\\u001B]0;owned\\u0007\\r!'})");
    let run = |format: &str| {
        let out = eje()
            .args(["query", "--graph-script", &script])
            .args(["--format", format, "MATCH (p:P) RETURN p.name AS n"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    // Markdown escapes the backslash, so that it reads `\u{1b}` rendered.
    for (format, shown) in [
        ("table", r"x\u{1b}]0;owned\u{7}\u{d}!"),
        ("markdown", r"x\\u{1b}]0;owned\\u{7}\\u{d}!"),
    ] {
        let out = run(format);
        assert!(out.contains(shown), "{format}: {out}");
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\r']),
            "{format}: {out:?}"
        );
    }
    // CSV to a pipe stays RFC 4180: the text as it is.
    assert!(run("csv").contains("x\u{1b}]0;owned\u{7}\r!"));
    // JSON escapes them as JSON does.
    assert!(run("json").contains(r"x\u001b]0;owned\u0007\r!"));
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

#[test]
fn schema_command_and_meta_command_render_the_schema_procedures() {
    let stdout = |c: &mut Command| {
        String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
    };
    // `:schema` in a script and `eje schema` print the same text.
    let shown = stdout(eje().arg("schema"));
    let meta = stdout(eje().args(["run", "-"]).write_stdin(":schema\n"));
    assert_eq!(meta.trim_end(), shown.trim_end());
    // Every kind and relation type of the JSON is a row of the procedures,
    // field for field, and nothing else is.
    let v: Json =
        serde_json::from_str(&stdout(eje().args(["schema", "--format", "json"]))).unwrap();
    let call = |q: &str| {
        let out = stdout(eje().args(["query", "--format", "json", q]));
        json_lines(out.as_bytes())[0]["rows"].clone()
    };
    let kinds = call(
        "CALL eje.schema.kinds() YIELD kind, parent, description, count RETURN kind, parent, description, count",
    );
    let from_json: Vec<Json> = v["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| serde_json::json!([k["name"], k["parent"], k["description"], k["count"]]))
        .collect();
    assert!(!from_json.is_empty());
    assert_eq!(kinds, Json::Array(from_json));
    let types = call(
        "CALL eje.schema.relationTypes() YIELD relationType, from, to, symmetric, time, unit, roles, count \
         RETURN relationType, from, to, symmetric, time, unit, roles, count",
    );
    let from_json: Vec<Json> = v["relation_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!([
                r["name"],
                r["from"],
                r["to"],
                r["symmetric"],
                r["time"],
                r["unit"],
                r["roles"],
                r["count"]
            ])
        })
        .collect();
    assert_eq!(types, Json::Array(from_json));
    // The text shows each relation type with the count the procedure gives.
    for row in types.as_array().unwrap() {
        let head = format!("{} ({})", row[0].as_str().unwrap(), row[7]);
        assert!(shown.contains(&head), "`{head}` not in:\n{shown}");
    }
    let units = call("CALL eje.schema.units() YIELD unit RETURN unit");
    let json_units: Vec<Json> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| serde_json::json!([u["name"]]))
        .collect();
    assert_eq!(units, Json::Array(json_units));
}

#[test]
fn schema_of_a_graph_without_one_lists_what_the_procedures_find() {
    let dir = tempfile::tempdir().unwrap();
    let script = &graph_script(&dir, "CREATE (:P {name: 'a'})-[:KNOWS]->(:Q)");
    let out = eje()
        .args(["--graph-script", script, "schema", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Json = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], false);
    assert_eq!(v["labels"], serde_json::json!(["P", "Q"]));
    assert_eq!(v["relation_types"], serde_json::json!([{"name": "KNOWS"}]));
    eje()
        .args(["--graph-script", script, "schema"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Labels: P, Q"))
        .stdout(predicate::str::contains("Relation types: KNOWS"));
}

#[test]
fn the_precision_note_of_partial_dates_goes_to_stderr_once() {
    for format in ["json", "csv", "table"] {
        let out = eje()
            .args([
                "query",
                "--format",
                format,
                "UNWIND [1, 2] AS i RETURN i, duration.inDays(date('2024-06'), date('2024-08')) AS days",
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stdout.contains("note"), "{format}: {stdout}");
        let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note: ")).collect();
        assert_eq!(notes.len(), 1, "{format}: {stderr}");
        assert!(notes[0].contains("`duration.inDays` was null"), "{stderr}");
        if format == "json" {
            let lines = json_lines(stdout.as_bytes());
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0]["rows"], serde_json::json!([[1, null], [2, null]]));
        }
    }
    // Full dates: an answer and no note.
    eje()
        .args([
            "query",
            "--format",
            "csv",
            "RETURN duration.inDays(date('2024-06-01'), date('2024-08-01')) AS days",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("note").not());
}

#[test]
fn global_options_work_before_or_after_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let script = &graph_script(&dir, "CREATE (:P {name: 'only'})");
    let query = "MATCH (p) RETURN p.name AS n, $k AS k";
    for args in [
        vec![
            "--graph-script",
            script,
            "--format",
            "csv",
            "--param",
            "k=7",
            "query",
            query,
        ],
        vec![
            "query",
            query,
            "--graph-script",
            script,
            "--format",
            "csv",
            "--param",
            "k=7",
        ],
        vec![
            "--format",
            "csv",
            "query",
            "--graph-script",
            script,
            query,
            "--param",
            "k=7",
        ],
    ] {
        eje().args(&args).assert().success().stdout("n,k\nonly,7\n");
    }
    // The REPL reading stdin, and the other subcommands, take them too.
    eje()
        .args(["--graph-script", script, "--format", "csv"])
        .write_stdin("MATCH (p) RETURN p.name AS n")
        .assert()
        .success()
        .stdout("n\nonly\n");
    eje()
        .args(["--format", "json", "--graph-script", script, "stats"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("{"));
    eje()
        .args(["--format", "cypher", "export", "--graph-script", script])
        .assert()
        .success()
        .stdout(predicate::str::contains("only"));
    // A format the subcommand does not know, and options that clash, are
    // usage errors.
    eje()
        .args(["--format", "dot", "query", "RETURN 1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("table, json, csv or markdown"));
    eje()
        .args(["export", "--focus", "putin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    eje()
        .args([
            "--data",
            "data",
            "query",
            "--graph-script",
            script,
            "RETURN 1",
        ])
        .assert()
        .code(2);
    eje()
        .args(["--history", "off", "query", "RETURN 1"])
        .assert()
        .code(2);
}

#[test]
fn scripts_and_pipes_read_meta_commands_and_statements_one_a_line() {
    let script = ":param who => 'Kim' + ' Jong Un'\n:format csv\nMATCH (p {name: $who})\nRETURN p.id AS id\nRETURN 1 AS a\nRETURN 2 AS b\n";
    let expected = "id\nkim_jong_un\n\na\n1\n\nb\n2\n";
    // Piped stdin, `eje run -` and `eje run FILE` alike; messages on stderr.
    eje()
        .write_stdin(script)
        .assert()
        .success()
        .stdout(expected);
    eje()
        .args(["run", "-"])
        .write_stdin(script)
        .assert()
        .success()
        .stdout(expected);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.kgq");
    std::fs::write(&file, script).unwrap();
    eje()
        .arg("run")
        .arg(&file)
        .assert()
        .success()
        .stdout(expected)
        .stderr(predicate::str::contains("format: csv"));
    // `:source` in a script runs the other script's meta commands too.
    let outer = dir.path().join("outer.kgq");
    std::fs::write(
        &outer,
        format!(":source {}\nRETURN 3 AS c\n", file.display()),
    )
    .unwrap();
    eje()
        .arg("run")
        .arg(&outer)
        .assert()
        .success()
        .stdout(format!("{expected}\nc\n3\n"));
}

#[test]
fn one_error_policy_stop_at_the_first_unless_keep_going() {
    let script = "RETURN 1 AS a\n:format bogus\nRETURN 2 AS b\n";
    for args in [&["run", "-"][..], &[]] {
        let out = eje()
            .args(args)
            .write_stdin(script)
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains('a') && !stdout.contains('b'),
            "{args:?}: {stdout}"
        );
    }
    for args in [&["run", "--keep-going", "-"][..], &["repl", "--keep-going"]] {
        let out = eje()
            .args(args)
            .write_stdin(script)
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains('a') && stdout.contains('b'),
            "{args:?}: {stdout}"
        );
    }
}

#[test]
fn analyst_statements_take_parameters_from_the_command_line() {
    let out = eje()
        .args([
            "--format",
            "csv",
            "query",
            "--param",
            "a=medvedev",
            "--param",
            "b='Kim Jong Un'",
            "PATH $a TO $b",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{out}");
    assert!(rows.iter().any(|r| r.starts_with("1,1,medvedev,")), "{out}");
    assert!(rows.iter().any(|r| r.contains(",kim_jong_un,")), "{out}");
    // A parameter that is not set is an error that says how to set it.
    eje()
        .args(["query", "DESCRIBE $who"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("parameter `$who` has no value"))
        .stderr(predicates::str::contains("--param who=VALUE"));
}

#[test]
fn profile_answers_its_plan_even_where_rows_would_stream() {
    // CSV answers stream their rows; PROFILE's answer is its plan, so the
    // profiled query's own rows must not reach standard output.
    let out = eje()
        .args([
            "--format",
            "csv",
            "query",
            "PROFILE UNWIND range(1, 3) AS x RETURN x AS streamed_row",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.starts_with("streamed_row"), "{out}");
    assert!(!out.lines().any(|l| l == "1" || l == "2"), "{out}");
    assert!(out.lines().count() > 1, "{out}");
}
