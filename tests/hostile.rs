//! Hostile and careless inputs, as data: every folder under
//! `tests/cases/hostile/` is a case. Its files are copied into a temporary
//! folder, its `case` file says what else to make there (FIFOs, links, big
//! files: things git cannot hold) and how eje is run, and what must come out.
//!
//! The `case` file, one directive a line (`#` starts a comment):
//! - `mini: DIR` copies `tests/fixtures/mini` (schema and dossier) to DIR;
//! - `fifo: PATH` makes a FIFO; `link: PATH -> TARGET` a symbolic link;
//! - `bytes: PATH N` a file of N bytes of `x`; `write: PATH TEXT` a file
//!   holding TEXT with `\n`, `\r`, `\t`, `\\`, `\u{…}` and `\xNN` (a raw
//!   byte) unescaped (`\"` stays as it is, for RON);
//! - `stdin: TEXT` a line of standard input (unescaped as `write:`);
//! - `run: ARGS` the arguments (split at spaces), `arg: TEXT` one more
//!   argument as it is;
//! - `exit: N`, `stdout: TEXT`, `stderr: TEXT` (must occur), `not-stdout:`,
//!   `not-stderr:` (must not occur; these four unescaped as `write:`),
//!   `stderr-lines-at-most: N`, `stderr-bytes-at-most: N`;
//! - `long-id: N` writes `data/long.ron`, a claim naming an id N characters
//!   long (after `mini:`).
//!
//! eje runs in the temporary folder with no colour, no `EJE_DATA` and a home
//! of its own. A guard kills a run that takes minutes (a hang is a failure,
//! never a pass).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

#[path = "common/fs.rs"]
mod common_fs;
use common_fs::copy_dir;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `\n`, `\r`, `\t`, `\u{…}` and `\xNN` in a directive's text.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('r') => out.push(b'\r'),
            Some('t') => out.push(b'\t'),
            Some('\\') => out.push(b'\\'),
            // Kept as written: RON's own escape.
            Some('"') => out.extend(b"\\\""),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).expect("\\xNN"));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap();
                let mut buf = [0; 4];
                out.extend(c.encode_utf8(&mut buf).as_bytes());
            }
            other => panic!("unknown escape \\{other:?}"),
        }
    }
    out
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[derive(Default)]
struct Expect {
    args: Vec<String>,
    exit: Option<i32>,
    stdout: Vec<String>,
    stderr: Vec<String>,
    not_stdout: Vec<String>,
    not_stderr: Vec<String>,
    stderr_lines_at_most: Option<usize>,
    stderr_bytes_at_most: Option<usize>,
    stdin: Vec<u8>,
}

fn text(value: &str) -> String {
    String::from_utf8(unescape(value)).expect("UTF-8 after unescaping")
}

/// Makes the case's folder and reads what it expects.
fn prepare(case: &Path, dir: &Path) -> Expect {
    copy_dir(case, dir);
    let spec = std::fs::read_to_string(case.join("case")).expect("a `case` file");
    let mut e = Expect::default();
    for line in spec.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("`{line}`: expected `key: value`"));
        match key {
            "mini" => copy_dir(&manifest().join("tests/fixtures/mini"), &dir.join(value)),
            #[cfg(unix)]
            "fifo" => {
                std::fs::create_dir_all(dir.join(value).parent().unwrap()).unwrap();
                mkfifo(&dir.join(value));
            }
            #[cfg(unix)]
            "link" => {
                let (path, target) = value.split_once(" -> ").expect("PATH -> TARGET");
                std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(target, dir.join(path)).unwrap();
            }
            "bytes" => {
                let (path, n) = value.rsplit_once(' ').expect("PATH N");
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, vec![b'x'; n.parse().unwrap()]).unwrap();
            }
            "write" => {
                let (path, text) = value.split_once(' ').expect("PATH TEXT");
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, unescape(text)).unwrap();
            }
            "run" => e.args.extend(value.split(' ').map(String::from)),
            "arg" => e.args.push(String::from_utf8(unescape(value)).unwrap()),
            "stdin" => {
                e.stdin.extend(unescape(value));
                e.stdin.push(b'\n');
            }
            "exit" => e.exit = Some(value.parse().unwrap()),
            "stdout" => e.stdout.push(text(value)),
            "stderr" => e.stderr.push(text(value)),
            "not-stdout" => e.not_stdout.push(text(value)),
            "not-stderr" => e.not_stderr.push(text(value)),
            "stderr-lines-at-most" => e.stderr_lines_at_most = Some(value.parse().unwrap()),
            "stderr-bytes-at-most" => e.stderr_bytes_at_most = Some(value.parse().unwrap()),
            "long-id" => {
                // A dossier whose claim names an id of N characters.
                let n: usize = value.parse().unwrap();
                let text = format!(
                    "(claims: [(subject: \"{}\", relation: \"visited\", object: \"pyongyang\", cite: [(source: \"art_1\", quote: \"q\", hedge: Asserted)])])",
                    "a".repeat(n)
                );
                std::fs::write(dir.join("data/long.ron"), text).unwrap();
            }
            other => panic!("unknown directive `{other}`"),
        }
    }
    let _ = std::fs::remove_file(dir.join("case"));
    e
}

fn run_case(case: &Path) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("work");
    let e = prepare(case, &dir);
    let out = Command::cargo_bin("eje")
        .unwrap()
        .current_dir(&dir)
        .env_remove("EJE_DATA")
        .env_remove("EJE_CORPUS")
        .env("NO_COLOR", "1")
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("share"))
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .args(&e.args)
        .write_stdin(e.stdin.clone())
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = || {
        let clip = |s: &str| s.chars().take(3000).collect::<String>();
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.status.code(),
            clip(&stdout),
            clip(&stderr)
        )
    };
    let mut problems = Vec::new();
    if out.status.code() != e.exit {
        problems.push(format!("exit code: expected {:?}", e.exit));
    }
    for s in &e.stdout {
        if !stdout.contains(s.as_str()) {
            problems.push(format!("stdout lacks `{s}`"));
        }
    }
    for s in &e.stderr {
        if !stderr.contains(s.as_str()) {
            problems.push(format!("stderr lacks `{s}`"));
        }
    }
    for s in &e.not_stdout {
        if stdout.contains(s.as_str()) {
            problems.push(format!("stdout holds `{s}`"));
        }
    }
    for s in &e.not_stderr {
        if stderr.contains(s.as_str()) {
            problems.push(format!("stderr holds `{s}`"));
        }
    }
    if let Some(n) = e.stderr_lines_at_most {
        let lines = stderr.lines().count();
        if lines > n {
            problems.push(format!("stderr has {lines} lines, at most {n} expected"));
        }
    }
    if let Some(n) = e.stderr_bytes_at_most
        && out.stderr.len() > n
    {
        problems.push(format!(
            "stderr has {} bytes, at most {n} expected",
            out.stderr.len()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n{}", problems.join("\n"), shown()))
    }
}

#[test]
fn every_hostile_case_has_its_outcome() {
    let root = manifest().join("tests/cases/hostile");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the hostile cases are missing");
    let mut failed = Vec::new();
    for case in &cases {
        if let Err(why) = run_case(case) {
            failed.push(format!(
                "== {}\n{why}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} hostile cases failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

#[test]
fn escapes_in_case_files_unescape() {
    assert_eq!(unescape(r"a\nb\x00\u{2028}"), b"a\nb\x00\xE2\x80\xA8");
}
