//! `eje check` for machines and while editing: `--format json` (one object
//! per diagnostic per line) and `--watch` (a new report on every save).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn eje() -> Command {
    let mut c = Command::cargo_bin("eje").unwrap();
    c.env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env_remove("EJE_CORPUS")
        .env("NO_COLOR", "1");
    c
}

/// A copy of `tests/fixtures/mini` to break.
fn mini_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["schema.ron", "dossier.ron"] {
        std::fs::copy(
            root().join("tests/fixtures/mini").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn json_gives_one_object_per_diagnostic_with_positions_and_related_locations() {
    let dir = mini_copy();
    let dossier = dir.path().join("dossier.ron");
    // A second `pyongyang` (a duplicate id, which points at the first) and
    // an unknown entity (with a suggestion).
    edit(
        &dossier,
        r#"(id: "pyongyang", kind: "City", name: "Pyongyang"),"#,
        "(id: \"pyongyang\", kind: \"City\", name: \"Pyongyang\"),\n    (id: \"pyongyang\", kind: \"City\", name: \"Pyongyang bis\"),",
    );
    edit(
        &dossier,
        r#"object: "north_korea", when: On("2024-06")"#,
        r#"object: "north_kore", when: On("2024-06")"#,
    );
    let out = eje()
        .args(["check", "--format", "json", "--data"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect();
    let rules: Vec<&str> = lines.iter().map(|v| v["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"duplicate-id"), "{rules:?}");
    assert!(rules.contains(&"unknown-ref"), "{rules:?}");
    let text = std::fs::read_to_string(&dossier).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let dup = lines.iter().find(|v| v["rule"] == "duplicate-id").unwrap();
    assert_eq!(dup["severity"], "error");
    assert_eq!(dup["line"].as_u64(), Some(line_of("Pyongyang bis")));
    let related = &dup["related"][0];
    assert_eq!(
        related["line"].as_u64(),
        Some(line_of(r#"name: "Pyongyang")"#))
    );
    assert!(related["file"].as_str().unwrap().ends_with("dossier.ron"));
    let unknown = lines.iter().find(|v| v["rule"] == "unknown-ref").unwrap();
    assert_eq!(unknown["help"], "did you mean `north_korea` (Country)?");
    let l = line_of("north_kore\"");
    let col = text
        .lines()
        .nth(l as usize - 1)
        .unwrap()
        .find("\"north_kore\"")
        .unwrap() as u64
        + 1;
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(l), Some(col))
    );
    assert_eq!(unknown["end"]["line"].as_u64(), Some(l));
    assert!(unknown["end"]["column"].as_u64().unwrap() > col);
    // Clean data: nothing on stdout, the verdict on stderr.
    eje()
        .args(["check", "--format", "json", "--data"])
        .arg(root().join("tests/fixtures/mini"))
        .assert()
        .success()
        .stdout("")
        .stderr(predicates::str::contains("ok: "));
}

/// Lines of a child's stderr, read on a thread of their own.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Everything printed up to the next "watching" line.
fn next_report(rx: &mpsc::Receiver<String>) -> String {
    let mut report = String::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no report; so far:\n{report}"));
        if line.contains("watching") {
            return report;
        }
        report.push_str(&line);
        report.push('\n');
    }
}

#[test]
fn watch_checks_again_on_every_save() {
    let dir = mini_copy();
    let dossier = dir.path().join("dossier.ron");
    let mut child = StdCommand::cargo_bin("eje")
        .unwrap()
        .args(["check", "--watch", "--format", "json", "--data"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let first = next_report(&rx);
    assert!(first.contains("ok: "), "{first}");
    // A broken save.
    edit(
        &dossier,
        r#"subject: "putin", relation: "visited""#,
        r#"subject: "putn", relation: "visited""#,
    );
    let broken = next_report(&rx);
    assert!(broken.contains("1 error(s)"), "{broken}");
    // An editor's lock file and backup change nothing: no new report, and
    // the loader does not read them either (they do not parse).
    std::fs::write(dir.path().join(".#dossier.ron"), "lock").unwrap();
    std::fs::write(dir.path().join("dossier.ron~"), "backup").unwrap();
    std::fs::write(dir.path().join(".dossier.ron.swp"), "swap").unwrap();
    if let Ok(line) = rx.recv_timeout(Duration::from_secs(2)) {
        panic!("a lock or backup file started a check: {line}");
    }
    // The fix, saved by rename as many editors do.
    let fixed = std::fs::read_to_string(&dossier)
        .unwrap()
        .replace(r#""putn""#, r#""putin""#);
    let tmp = dir.path().join("dossier.ron.tmp");
    std::fs::write(&tmp, fixed).unwrap();
    std::fs::rename(&tmp, &dossier).unwrap();
    let again = next_report(&rx);
    assert!(again.contains("ok: "), "{again}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn check_reads_the_global_format_on_either_side() {
    for args in [["--format", "json", "check"], ["check", "--format", "json"]] {
        let out = eje().args(args).assert().success().get_output().clone();
        // JSON mode: the summary goes to stderr, stdout holds only the
        // diagnostics (none for the bundled data).
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("ok: "),
            "{args:?}"
        );
    }
    let out = eje()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("unknown check format `yaml`"));
}
