//! The REPL as a person uses it, in a real pseudo-terminal (rexpect): the
//! prompt, answers, multi-line statements, Tab completion, history across
//! restarts, Ctrl-C and Ctrl-D, meta commands. Then the same binary with
//! stdin and stdout piped, and the shell integration (completions, man).
//!
//! The expectations wait generously (the machine may be slow and shared)
//! and never measure time: a test fails when the text does not come.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use predicates::prelude::*;

#[path = "common/piped.rs"]
mod common_piped;
use common_piped::Piped;
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 120_000;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A copy of `data/` that a test may break.
fn copy_of_data(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let to = dir.join("data");
    copy(&data_dir(), &to);
    to
}

/// `eje repl` on `data` in a pseudo-terminal, colour off, the history in
/// `history`; returns once the first prompt is shown.
fn spawn(data: &Path, history: &Path) -> PtySession {
    spawn_with(data, &["--history", history.to_str().unwrap()], &[])
}

fn spawn_with(data: &Path, args: &[&str], env: &[(&str, &Path)]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eje"));
    cmd.arg("repl")
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        // No init script from the user's own config directory.
        .env("XDG_CONFIG_HOME", "/nonexistent/eje-test-config")
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("eje starts in a pty");
    expect(&mut p, "Type :help for help");
    expect(&mut p, "eje> ");
    p
}

/// Types a line and waits for `want` in what follows.
#[track_caller]
fn line(p: &mut PtySession, text: &str, want: &str) {
    p.send(text).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    if let Err(e) = p.exp_string(&bytes(want)) {
        panic!("after `{text}`, expected `{want}`: {e}");
    }
}

/// Waits for `want`.
#[track_caller]
fn expect(p: &mut PtySession, want: &str) {
    if let Err(e) = p.exp_string(&bytes(want)) {
        panic!("expected `{want}`: {e}");
    }
}

/// rexpect reads the terminal byte by byte, one `char` per byte: what
/// UTF-8 text (`│`) looks like to it.
fn bytes(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Waits for the next prompt (after an answer).
#[track_caller]
fn prompt(p: &mut PtySession) {
    expect(p, "eje> ");
}

/// Waits until a new line is being read. Needed after input that prints
/// nothing (Ctrl-C at the prompt): what is typed before rustyline reads
/// again can be lost with the old line, as with any line editor. A new
/// line starts by turning on bracketed paste (`ESC [?2004h`).
#[track_caller]
fn new_line(p: &mut PtySession) {
    expect(p, "\x1b[?2004h");
    expect(p, "eje> ");
}

/// Ctrl-D, and the exit status.
fn quit(mut p: PtySession) -> WaitStatus {
    p.send_control('d').unwrap();
    p.exp_eof().expect("eje leaves on Ctrl-D");
    p.process().wait().unwrap()
}

#[track_caller]
fn assert_exit_0(status: WaitStatus) {
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "expected exit status 0, got {status:?}"
    );
}

#[test]
fn a_query_prints_its_table_and_ctrl_d_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(
        &mut p,
        "MATCH (p \"Vladimir Putin\") RETURN p.id AS id, 40 + 2 AS answer",
        "│ putin",
    );
    expect(&mut p, "42");
    expect(&mut p, "1 row (");
    prompt(&mut p);
    // Errors point at the input with a caret and a suggestion.
    line(&mut p, "MATCH (n:Persn) RETURN n", "unknown label `Persn`");
    expect(&mut p, "<input>:1:10");
    expect(&mut p, "did you mean `Person`?");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn a_statement_that_is_not_finished_continues_on_the_next_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(&mut p, "MATCH (p:Person)", "\n...> ");
    line(
        &mut p,
        "WHERE p.id = 'putin' // a comment; not the end",
        "\n...> ",
    );
    line(
        &mut p,
        "RETURN p.name AS name, 'a;b' AS s",
        "│ Vladimir Putin",
    );
    expect(&mut p, "a;b");
    expect(&mut p, "1 row");
    prompt(&mut p);
    // An open string continues too.
    line(&mut p, "RETURN 'two", "\n...> ");
    line(&mut p, "lines' AS s", "1 row");
    prompt(&mut p);
    // An empty line submits what there is, so nobody is trapped.
    line(&mut p, "MATCH (p)", "\n...> ");
    line(&mut p, "", "Error");
    prompt(&mut p);
    line(&mut p, "RETURN 3 AS still_here", "still_here");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn tab_completes_labels_and_entity_names() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    // A label: `Pers` becomes `Person`, or the query fails on an unknown
    // label and says so.
    p.send("MATCH (p:Pers").unwrap();
    p.send("\t").unwrap();
    line(
        &mut p,
        ") WHERE p.id = 'putin' RETURN p.id AS who",
        "│ putin",
    );
    prompt(&mut p);
    // An entity name inside quotes, with its closing quote.
    p.send("MATCH (x \"vladimir pu").unwrap();
    p.send("\t").unwrap();
    line(&mut p, ") RETURN x.id AS id", "│ putin");
    prompt(&mut p);
    // An entity id after an analyst statement.
    p.send("DESCRIBE kim_jong_u").unwrap();
    p.send("\t").unwrap();
    line(&mut p, "", "name: Kim Jong Un");
    prompt(&mut p);
    // A meta command.
    p.send(":stat").unwrap();
    p.send("\t").unwrap();
    line(&mut p, "", "entities");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn history_survives_a_restart_with_multi_line_statements_as_one_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history");
    let mut p = spawn(&data_dir(), &history);
    line(&mut p, "RETURN 'remembered' AS word", "│ remembered");
    prompt(&mut p);
    line(&mut p, "RETURN", "\n...> ");
    line(&mut p, "'on two lines' AS s", "│ on two lines");
    prompt(&mut p);
    assert_exit_0(quit(p));

    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.contains("remembered"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "history mode {mode:o}");
    }

    let mut p = spawn(&data_dir(), &history);
    // Up: the two-line statement, whole; Up again: the one before.
    p.send("\x1b[A").unwrap();
    line(&mut p, "", "│ on two lines");
    prompt(&mut p);
    p.send("\x1b[A\x1b[A\x1b[A").unwrap();
    line(&mut p, "", "│ remembered");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn history_goes_to_the_data_directory_by_default_and_off_keeps_none() {
    let tmp = tempfile::tempdir().unwrap();
    let xdg = tmp.path().join("xdg");
    let mut p = spawn_with(
        &data_dir(),
        &[],
        &[("XDG_DATA_HOME", &xdg), ("HOME", tmp.path())],
    );
    line(&mut p, "RETURN 1 AS one", "1 row");
    prompt(&mut p);
    assert_exit_0(quit(p));
    let default = if cfg!(target_os = "macos") {
        tmp.path().join("Library/Application Support/eje/history")
    } else {
        xdg.join("eje/history")
    };
    assert!(default.is_file(), "no history at {}", default.display());

    let home = tmp.path().join("home2");
    let xdg2 = tmp.path().join("xdg2");
    // The snapshot of the data goes to the cache directory, not under HOME.
    let cache = tmp.path().join("cache2");
    let mut p = spawn_with(
        &data_dir(),
        &["--history", "off"],
        &[
            ("XDG_DATA_HOME", &xdg2),
            ("HOME", &home),
            ("XDG_CACHE_HOME", &cache),
        ],
    );
    line(&mut p, "RETURN 1 AS one", "1 row");
    prompt(&mut p);
    assert_exit_0(quit(p));
    assert!(!xdg2.exists() && !home.exists());
}

#[test]
fn ctrl_c_clears_the_line_and_cancels_a_running_query() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    // At the prompt: the line is dropped.
    p.send("RETURN 'dropped'").unwrap();
    p.send_control('c').unwrap();
    new_line(&mut p);
    line(&mut p, "RETURN 'kept' AS k", "│ kept");
    prompt(&mut p);
    // While a query runs (a cross product far too big to finish soon).
    p.send_line("MATCH (a), (b), (c), (d) RETURN count(*) AS n")
        .unwrap();
    // After a second, a progress line with the work done so far.
    expect(&mut p, "running: ");
    expect(&mut p, "Ctrl-C to cancel");
    p.send_control('c').unwrap();
    expect(&mut p, "error: the query was cancelled");
    prompt(&mut p);
    // The session is intact.
    line(
        &mut p,
        "MATCH (p \"Kim Jong Un\") RETURN p.id AS id",
        "│ kim_jong_un",
    );
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn reload_keeps_the_old_graph_when_the_data_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let data = copy_of_data(tmp.path());
    let mut p = spawn(&data, &tmp.path().join("history"));
    // A new dossier with an entity of a kind the schema does not have.
    let broken = data.join("broken.ron");
    std::fs::write(
        &broken,
        "(entities: [(id: \"nobody\", kind: \"Nokind\", name: \"Nobody\")])\n",
    )
    .unwrap();
    line(&mut p, ":reload", "Nokind");
    expect(&mut p, "still using the graph loaded before");
    prompt(&mut p);
    line(
        &mut p,
        "MATCH (p \"Vladimir Putin\") RETURN p.id AS id",
        "│ putin",
    );
    prompt(&mut p);
    // Fixed, it loads again.
    std::fs::remove_file(&broken).unwrap();
    line(&mut p, ":reload", "reloaded");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn export_writes_the_last_answer_or_the_whole_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    let whole = tmp.path().join("whole.dot");
    line(
        &mut p,
        &format!(":export dot {}", whole.display()),
        "the whole graph",
    );
    prompt(&mut p);
    line(
        &mut p,
        "MATCH (p \"Vladimir Putin\")-[r:met_with]-(k \"Kim Jong Un\") RETURN p, r, k",
        "rows",
    );
    prompt(&mut p);
    let part = tmp.path().join("part.dot");
    line(
        &mut p,
        &format!(":export dot {}", part.display()),
        "the last answer, 2 nodes",
    );
    prompt(&mut p);
    assert_exit_0(quit(p));
    let whole = std::fs::read_to_string(whole).unwrap();
    let part = std::fs::read_to_string(part).unwrap();
    assert!(
        part.starts_with("digraph") || part.contains("digraph"),
        "{part}"
    );
    assert!(part.contains("Kim Jong Un") && part.contains("Vladimir Putin"));
    assert!(part.len() < whole.len());
}

#[test]
fn export_html_draws_the_last_answer_as_an_evidence_map() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(
        &mut p,
        "MATCH (p \"Vladimir Putin\")-[r:met_with]-(c \"Choe Son Hui\") RETURN r",
        "rows",
    );
    prompt(&mut p);
    let map = tmp.path().join("meeting.html");
    line(
        &mut p,
        &format!(":export html {}", map.display()),
        "the last answer, 2 nodes",
    );
    prompt(&mut p);
    assert_exit_0(quit(p));
    let html = std::fs::read_to_string(map).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains("<title>eje evidence map: the last answer</title>"));
    assert!(
        html.contains("c_putin_met_choe_20251026") && html.contains("c_putin_met_choe_20251027")
    );
}

#[test]
fn meta_commands_help_and_did_you_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(&mut p, ":help", "Meta commands:");
    expect(&mut p, ":export FORMAT [FILE]");
    prompt(&mut p);
    line(&mut p, ":help keys", "Ctrl-R");
    prompt(&mut p);
    line(&mut p, ":shema", "did you mean `:schema`?");
    prompt(&mut p);
    line(&mut p, ":schema", "Entity kinds");
    expect(&mut p, "met_with");
    prompt(&mut p);
    line(&mut p, ":format csv", "format: csv");
    line(&mut p, "RETURN 1 AS a, 'x' AS b", "a,b");
    prompt(&mut p);
    line(&mut p, ":format table", "format: table");
    line(&mut p, ":timing off", "timing: off");
    line(&mut p, ":maxrows 2", "maxrows: 2");
    line(&mut p, "UNWIND range(1, 5) AS i RETURN i", "3 more rows");
    expect(&mut p, "5 rows\r\n");
    prompt(&mut p);
    line(&mut p, ":param who 'Kim Jong Un'", "$who = ");
    prompt(&mut p);
    line(
        &mut p,
        "MATCH (p) WHERE p.name = $who RETURN p.id AS id",
        "│ kim_jong_un",
    );
    prompt(&mut p);
    let script = tmp.path().join("s.kgq");
    std::fs::write(&script, "RETURN 'from a script' AS s;\n").unwrap();
    line(
        &mut p,
        &format!(":source {}", script.display()),
        "from a script",
    );
    prompt(&mut p);
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
    assert_exit_0(p.process().wait().unwrap());
}

// Piped stdin: statements in, only results out.

fn eje() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_eje"));
    cmd.env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn piped_statements_print_only_results() {
    eje()
        .args(["repl", "--history", "off", "--data"])
        .arg(data_dir())
        .write_stdin("MATCH (p \"Vladimir Putin\") RETURN p.id AS id;\nRETURN 'two' AS n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("putin"))
        .stdout(predicate::str::contains("two"))
        .stdout(predicate::str::contains("eje>").not())
        .stdout(predicate::str::contains(":help").not());
}

#[test]
fn piped_statements_fail_with_status_1() {
    eje()
        .env("EJE_DATA", data_dir())
        .write_stdin("RETURN 1 AS one;\nMATCH (n:Persn) RETURN n\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("one"))
        .stderr(predicate::str::contains("Persn"));
}

/// `eje repl` over piped standard input, driven a statement at a time.
fn piped_repl(args: &[&str]) -> Piped {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eje"));
    cmd.args(["repl", "--history", "off", "--color", "never", "--data"])
        .arg(data_dir())
        .args(args)
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    Piped::spawn(cmd, Duration::from_millis(TIMEOUT_MS))
}

#[test]
fn piped_input_runs_each_statement_as_it_arrives() {
    let mut p = piped_repl(&["--keep-going"]);
    // A meta command runs when its line ends; nothing is printed for it.
    p.send(":format csv\n");
    // Each answer is read before the next statement is written: a shell
    // that read its input whole would never answer (the watchdog ends it).
    p.send("RETURN 1 AS a;\n");
    assert_eq!(p.until("1"), ["a", "1"]);
    // Multi-line, with a `;` inside a string and inside a comment.
    p.send("RETURN 'x;y' AS s, // a comment; still one statement\n");
    p.send("  2 AS b;\n");
    // (A blank line goes between two answers.)
    assert_eq!(p.until("x;y,2"), ["", "s,b", "x;y,2"]);
    // Two on one line, then an error, and `--keep-going` goes on.
    p.send("RETURN 3 AS c; RETURN nosuchfunction(1);\n");
    assert_eq!(p.until("3"), ["", "c", "3"]);
    p.send("MATCH (p {id: 'putin'}) RETURN p.name AS name;\n");
    assert_eq!(p.until("Vladimir Putin"), ["", "name", "Vladimir Putin"]);
    // A statement without `;` runs once the input shows it ended.
    p.send("RETURN 4 AS d\n");
    let (status, rest, stderr) = p.finish();
    assert_eq!(rest, "\nd\n4\n");
    // The error points into the input as a whole: line 5, column 23.
    assert!(stderr.contains("<stdin>:5:23"), "{stderr}");
    assert!(stderr.contains("nosuchfunction"), "{stderr}");
    assert_eq!(status.code(), Some(1), "a statement failed: {stderr}");
}

#[test]
fn piped_input_stops_at_the_first_error_and_echoes_without_keep_going() {
    let mut p = piped_repl(&["--echo", "--format", "csv"]);
    p.send("RETURN 1 AS a;\n");
    assert_eq!(p.until("1"), ["RETURN 1 AS a", "a", "1"]);
    p.send("RETURN 1 +;\nRETURN 2 AS b;\n");
    let (status, rest, stderr) = p.finish();
    // The failed statement is echoed; nothing after it runs.
    assert_eq!(rest, "\nRETURN 1 +\n", "{stderr}");
    assert!(stderr.contains("<stdin>:2:"), "{stderr}");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn completions_and_man_page_mention_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = eje().args(["completions", shell]).assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for word in ["repl", "query", "run", "export", "check", "stats"] {
            assert!(text.contains(word), "{shell} completion lacks `{word}`");
        }
    }
    let out = eje().arg("man").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains(".TH"), "not roff");
    for word in ["repl", "query", "export"] {
        assert!(text.contains(word), "man page lacks `{word}`");
    }
}

#[test]
fn path_at_80_columns_is_shown_as_records_and_last_shows_a_row_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history");
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap()],
        &[("COLUMNS", Path::new("80"))],
    );
    line(
        &mut p,
        "PATH \"Medvedev\" TO \"Kim Jong Un\"",
        "1: Dmitry Medvedev —former_head_of→ Russia",
    );
    expect(&mut p, "─[ row 1 ]");
    expect(&mut p, "type      │ former_head_of");
    expect(&mut p, "8 rows");
    prompt(&mut p);
    line(&mut p, ":last 2", "─[ row 2 ]");
    expect(&mut p, "type      │ promised_support_to");
    prompt(&mut p);
    line(
        &mut p,
        ":last 9",
        "the last answer has no row `9`: it has 8 rows",
    );
    prompt(&mut p);
    line(&mut p, ":records off", "records: off");
    prompt(&mut p);
    line(
        &mut p,
        "PATH \"Medvedev\" TO \"Kim Jong Un\"",
        "┆ former_head_of",
    );
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn a_burst_of_typed_ahead_lines_runs_every_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    // Three statements arrive in one write, as a fast typist's or a paste
    // without bracketed paste: each must run, in order.
    p.send("RETURN 1 AS a\rRETURN 2 AS b\rRETURN 3 AS c\r")
        .unwrap();
    p.flush().unwrap();
    for column in ["│ a ", "│ b ", "│ c "] {
        expect(&mut p, column);
        expect(&mut p, "1 row (");
    }
    prompt(&mut p);
    // A statement over several lines in one burst continues as typed: each
    // line but the last stops early (a MATCH without RETURN, a trailing
    // comma), so one statement runs, with both columns. (Had a line been
    // complete, it would run alone, and the rest print an error and more
    // prompts than the one waited for here.)
    p.send("MATCH (p \"Vladimir Putin\")\rRETURN p.id AS id,\r40 + 2 AS answer\r")
        .unwrap();
    p.flush().unwrap();
    expect(&mut p, "│ id ");
    expect(&mut p, "┆ answer");
    expect(&mut p, "│ putin");
    expect(&mut p, "42");
    expect(&mut p, "1 row (");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn the_cancel_message_starts_a_line_of_its_own_after_the_echoed_ctrl_c() {
    // A terminal that echoes `^C` as most do (the test's pty does not, by
    // default): the message must not be printed right after it.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("stty echo echoctl && exec \"$0\" repl --data \"$1\" --history off")
        .arg(env!("CARGO_BIN_EXE_eje"))
        .arg(data_dir())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        // No init script from the user's own config directory.
        .env("XDG_CONFIG_HOME", "/nonexistent/eje-test-config")
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("eje starts in a pty");
    expect(&mut p, "eje> ");
    p.send_line("MATCH (a), (b), (c), (d) RETURN count(*) AS n")
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    p.send_control('c').unwrap();
    let before = p
        .exp_string("error: the query was cancelled")
        .expect("the query is cancelled");
    assert!(before.ends_with('\n'), "printed after {before:?}");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn other_shells_spellings_show_and_help_on_statements() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(&mut p, ".help", "Meta commands:");
    prompt(&mut p);
    line(&mut p, ":help DESCRIBE", "DESCRIBE <entity>");
    expect(&mut p, "Example: DESCRIBE putin");
    prompt(&mut p);
    line(&mut p, "\\x on", "records: on");
    prompt(&mut p);
    line(&mut p, ":show", "format:   table");
    expect(&mut p, "records:  on");
    prompt(&mut p);
    p.send_line("\\q").unwrap();
    p.exp_eof().expect("`\\q` leaves");
    assert_exit_0(p.process().wait().unwrap());
}

#[test]
fn safe_mode_refuses_meta_commands_that_write_files() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history");
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap(), "--safe"],
        &[],
    );
    let target = tmp.path().join("x.dot");
    line(
        &mut p,
        &format!(":export dot {}", target.display()),
        "`:export` is refused in safe mode: it writes files and runs programs",
    );
    prompt(&mut p);
    // Statements and harmless commands still run.
    line(&mut p, "RETURN 1 AS one", "│ one");
    prompt(&mut p);
    assert_exit_0(quit(p));
    assert!(!target.exists(), "nothing was written");
}

#[test]
fn search_ignores_case_and_accents_and_feeds_last() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    // Lower case and no accent find `Kursk` and `Moscú`.
    line(&mut p, ":search kursk", "Kursk region (Region)");
    expect(&mut p, " found");
    prompt(&mut p);
    line(&mut p, ":search moscu", "Moscow (City)");
    expect(&mut p, "alias");
    prompt(&mut p);
    line(&mut p, ":last 1", "─[ row 1 ]");
    expect(&mut p, "in    │ alias");
    prompt(&mut p);
    line(&mut p, ":search zzzz", "nothing contains `zzzz`");
    prompt(&mut p);
    assert_exit_0(quit(p));
}

#[test]
fn once_writes_exactly_one_answer_and_output_every_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    let once = tmp.path().join("one.csv");
    line(
        &mut p,
        &format!(":once {}", once.display()),
        "the next answer goes to",
    );
    prompt(&mut p);
    line(&mut p, "RETURN 1 AS a", "wrote 1 row to");
    prompt(&mut p);
    // The answer after it is on the screen again.
    line(&mut p, "RETURN 2 AS b", "│ b");
    prompt(&mut p);
    assert_eq!(std::fs::read_to_string(&once).unwrap(), "a\n1\n");
    let all = tmp.path().join("all.json");
    line(
        &mut p,
        &format!(":output {}", all.display()),
        "answers go to",
    );
    prompt(&mut p);
    line(&mut p, "RETURN 3 AS c", "wrote 1 row");
    prompt(&mut p);
    line(&mut p, "RETURN 4 AS d", "wrote 1 row");
    prompt(&mut p);
    line(&mut p, ":output off", "output: the screen");
    prompt(&mut p);
    line(&mut p, "RETURN 5 AS e", "│ e");
    prompt(&mut p);
    let text = std::fs::read_to_string(&all).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("\"c\"") && lines[1].contains("\"d\""),
        "{text}"
    );
    assert_exit_0(quit(p));
}

/// An executable shell script in `dir`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn echo_prints_each_statement_and_several_files_get_headers() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.kgq");
    let b = tmp.path().join("b.kgq");
    std::fs::write(
        &a,
        "RETURN 1 AS one\n:param who 'lavrov'\nRETURN $who AS who;\n",
    )
    .unwrap();
    std::fs::write(&b, "RETURN 2 AS two;\n").unwrap();
    let out = eje()
        .arg("--data")
        .arg(data_dir())
        .args(["run", "--echo"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("`{needle}` missing from:\n{out}"))
    };
    // Each file under its name, each statement before its answer.
    assert!(at(&format!("==> {} <==", a.display())) < at("RETURN 1 AS one"));
    assert!(at("RETURN 1 AS one") < at("│ one"));
    assert!(at("│ one") < at(":param who 'lavrov'"));
    assert!(at("RETURN $who AS who") < at("│ lavrov"));
    assert!(at("│ lavrov") < at(&format!("==> {} <==", b.display())));
    assert!(at(&format!("==> {} <==", b.display())) < at("RETURN 2 AS two"));
    // One file: no header; no `--echo`: no statement.
    eje()
        .arg("--data")
        .arg(data_dir())
        .arg("run")
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("==>").not())
        .stdout(predicate::str::contains("RETURN").not())
        .stdout(predicate::str::contains("│ two"));
    // `:source` with `:echo on`, from a pipe.
    eje()
        .args(["repl", "--history", "off", "--data"])
        .arg(data_dir())
        .write_stdin(format!(":echo on\n:source {}\n", b.display()))
        .assert()
        .success()
        .stdout(predicate::str::contains("RETURN 2 AS two"))
        .stdout(predicate::str::contains("│ two"));
}

#[test]
fn history_save_writes_a_script_that_replays_the_session() {
    let tmp = tempfile::tempdir().unwrap();
    let saved = tmp.path().join("session.kgq");
    let typed = [
        ":format csv",
        ":param who 'lavrov'",
        "NEIGHBORS $who VIA met_with",
        "MATCH (p:Person)\nWHERE p.id = $who\nRETURN p.name AS name",
    ];
    let mut p = spawn(&data_dir(), &tmp.path().join("history"));
    line(&mut p, typed[0], "format: csv");
    prompt(&mut p);
    line(&mut p, typed[1], "$who = 'lavrov'");
    prompt(&mut p);
    line(&mut p, typed[2], "1,lavrov,met_with,--,choe_son_hui,Person");
    prompt(&mut p);
    // A statement over three lines: Enter continues it until it is complete.
    line(&mut p, "MATCH (p:Person)", "...> ");
    line(&mut p, "WHERE p.id = $who", "...> ");
    line(&mut p, "RETURN p.name AS name", "Sergey Lavrov");
    prompt(&mut p);
    line(&mut p, ":history", "NEIGHBORS $who VIA met_with");
    prompt(&mut p);
    line(
        &mut p,
        &format!(":history save {}", saved.display()),
        "wrote 4 entries",
    );
    prompt(&mut p);
    assert_exit_0(quit(p));
    let script = std::fs::read_to_string(&saved).unwrap();
    assert_eq!(
        script,
        ":format csv\n:param who 'lavrov'\nNEIGHBORS $who VIA met_with;\n\
         MATCH (p:Person)\nWHERE p.id = $who\nRETURN p.name AS name;\n"
    );
    // The script replays with the answers the same input gives.
    let replayed = eje()
        .arg("--data")
        .arg(data_dir())
        .arg("run")
        .arg(&saved)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let piped = eje()
        .args(["repl", "--history", "off", "--data"])
        .arg(data_dir())
        .write_stdin(typed.join("\n"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let replayed = String::from_utf8(replayed).unwrap();
    assert_eq!(replayed, String::from_utf8(piped).unwrap());
    assert!(
        replayed.contains("1,lavrov,met_with,--,choe_son_hui,Person")
            && replayed.contains("Sergey Lavrov"),
        "{replayed}"
    );
}

#[test]
fn edit_opens_the_editor_on_the_last_statement_and_runs_what_it_saves() {
    let tmp = tempfile::tempdir().unwrap();
    let seen = tmp.path().join("seen.kgq");
    let editor = script(
        tmp.path(),
        "editor",
        &format!(
            "cp \"$1\" '{}'\nprintf 'RETURN 40 + 2 AS answer\\n' > \"$1\"",
            seen.display()
        ),
    );
    let history = tmp.path().join("history");
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap()],
        &[("VISUAL", &editor), ("EDITOR", &editor)],
    );
    line(&mut p, "RETURN 7 AS seven", "│ seven");
    prompt(&mut p);
    line(&mut p, ":edit", "│ 42");
    prompt(&mut p);
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        "RETURN 7 AS seven\n"
    );
    // What ran is in the history, and `:edit` itself is not.
    line(&mut p, ":history", "RETURN 40 + 2 AS answer");
    prompt(&mut p);
    // Ctrl-X Ctrl-E: the line being typed goes to the editor.
    p.send("RETURN 9 AS nine").unwrap();
    p.send_control('x').unwrap();
    p.send_control('e').unwrap();
    p.flush().unwrap();
    expect(&mut p, "│ 42");
    prompt(&mut p);
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        "RETURN 9 AS nine\n"
    );
    assert_exit_0(quit(p));
    // And in the history file, for Up and the next session.
    let kept = std::fs::read_to_string(&history).unwrap();
    assert!(kept.contains("RETURN 40 + 2 AS answer"), "{kept}");
}

#[test]
fn the_pager_shows_answers_on_a_terminal_and_never_in_a_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let paged = tmp.path().join("paged.txt");
    let pager = script(
        tmp.path(),
        "pager",
        &format!("cat >> '{}'", paged.display()),
    );
    let history = tmp.path().join("history");
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap()],
        &[("PAGER", &pager)],
    );
    line(&mut p, ":pager on", "pager: on");
    prompt(&mut p);
    p.send_line("RETURN 'through the pager' AS p").unwrap();
    prompt(&mut p);
    let text = std::fs::read_to_string(&paged).unwrap();
    assert!(
        text.contains("through the pager") && text.contains("1 row"),
        "{text}"
    );
    line(&mut p, ":pager off", "pager: off");
    prompt(&mut p);
    line(&mut p, "RETURN 'on the screen' AS s", "│ on the screen");
    prompt(&mut p);
    assert!(
        !std::fs::read_to_string(&paged)
            .unwrap()
            .contains("on the screen")
    );
    assert_exit_0(quit(p));
    // Piped: never.
    std::fs::remove_file(&paged).unwrap();
    eje()
        .args(["repl", "--history", "off", "--data"])
        .arg(data_dir())
        .env("PAGER", &pager)
        .write_stdin(":pager on\nRETURN 'piped' AS p\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("piped"));
    assert!(!paged.exists());
}

#[test]
fn an_init_script_runs_before_the_first_prompt() {
    let tmp = tempfile::tempdir().unwrap();
    let init = tmp.path().join("init.kgq");
    std::fs::write(&init, ":param who 'putin'\n:timing off\n").unwrap();
    let history = tmp.path().join("history");
    let mut p = spawn_with(
        &data_dir(),
        &[
            "--history",
            history.to_str().unwrap(),
            "--init",
            init.to_str().unwrap(),
        ],
        &[],
    );
    line(&mut p, "DESCRIBE $who", "Vladimir Putin");
    prompt(&mut p);
    line(&mut p, ":show", "timing:   off");
    prompt(&mut p);
    assert_exit_0(quit(p));
    // The default: `eje/init.kgq` in the config directory, unless `--init off`.
    let config = tmp.path().join("config");
    std::fs::create_dir_all(config.join("eje")).unwrap();
    std::fs::write(config.join("eje/init.kgq"), ":param who 'kim_jong_un'\n").unwrap();
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap()],
        &[("XDG_CONFIG_HOME", &config)],
    );
    line(&mut p, ":params", "$who = 'kim_jong_un'");
    prompt(&mut p);
    assert_exit_0(quit(p));
    let mut p = spawn_with(
        &data_dir(),
        &["--history", history.to_str().unwrap(), "--init", "off"],
        &[("XDG_CONFIG_HOME", &config)],
    );
    line(&mut p, ":params", "no parameters");
    prompt(&mut p);
    assert_exit_0(quit(p));
    // Piped: only `--init FILE`, never the default.
    eje()
        .args(["repl", "--history", "off", "--data"])
        .arg(data_dir())
        .env("XDG_CONFIG_HOME", &config)
        .write_stdin("RETURN $who AS who\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("parameter `$who` has no value"));
    eje()
        .args(["repl", "--history", "off", "--init"])
        .arg(&init)
        .arg("--data")
        .arg(data_dir())
        .write_stdin("RETURN $who AS who\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("putin"));
}
