//! The workbench in the REPL, in a pseudo-terminal. `eje --watch`: the REPL reloads a temporary copy of
//! the data when a file is saved (a valid edit, a broken one, the fix saved
//! by rename), prints a notice for each, and after the broken save shows
//! the errors while the previous graph keeps answering. `:coverage` on a
//! fixture article. Expectations wait
//! for text and never measure time.

use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

#[path = "common/fs.rs"]
mod common_fs;
use common_fs::copy_dir;

const TIMEOUT_MS: u64 = 120_000;

/// rexpect reads one `char` per byte.
fn bytes(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

#[track_caller]
fn expect(p: &mut PtySession, want: &str) {
    if let Err(e) = p.exp_string(&bytes(want)) {
        panic!("expected `{want}`: {e}");
    }
}

#[track_caller]
fn ask(p: &mut PtySession, statement: &str, want: &str) {
    p.send(statement).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    expect(p, want);
    new_line(p);
}

/// Waits until a new line is being read (rustyline turns on bracketed
/// paste, then draws the prompt): what is typed earlier may be lost.
#[track_caller]
fn new_line(p: &mut PtySession) {
    expect(p, "\x1b[?2004h");
    expect(p, "eje> ");
}

const NAME: &str = "MATCH (p {id: 'putin'}) RETURN p.name AS name;";

fn edit(path: &PathBuf, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn the_repl_reloads_on_every_save_and_keeps_the_old_graph_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    let people = data.join("people.ron");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eje"));
    cmd.arg("--watch")
        .arg("--data")
        .arg(&data)
        .args(["--history", "off"])
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("eje starts in a pty");
    expect(&mut p, "Type :help for help");
    new_line(&mut p);
    ask(&mut p, NAME, "Vladimir Putin");

    // A valid edit, written in place.
    let renamed = edit(
        &people,
        "name: \"Vladimir Putin\"",
        "name: \"Vladimir V. Putin\"",
    );
    std::fs::write(&people, renamed).unwrap();
    expect(&mut p, "reloaded");
    expect(&mut p, "(a file changed)");
    ask(&mut p, NAME, "Vladimir V. Putin");

    // A broken edit: the errors, and the previous graph still answers.
    let broken = edit(&people, "(id: \"putin\"", "(id: \"putin\", colour: 3");
    std::fs::write(&people, broken).unwrap();
    expect(&mut p, "colour");
    expect(&mut p, "still using the graph loaded before");
    ask(&mut p, NAME, "Vladimir V. Putin");

    // The fix, saved by rename.
    let fixed = std::fs::read_to_string(&people)
        .unwrap()
        .replacen(", colour: 3", "", 1)
        .replacen("Vladimir V. Putin", "Vladimir Putin", 1);
    let tmp = data.join("people.ron.tmp");
    std::fs::write(&tmp, fixed).unwrap();
    std::fs::rename(&tmp, &people).unwrap();
    expect(&mut p, "reloaded");
    ask(&mut p, NAME, "Vladimir Putin");

    // `:watch off` stops it: a save changes nothing until `:reload`.
    ask(&mut p, ":watch off", "watch: off");
    let again = edit(&people, "name: \"Vladimir Putin\"", "name: \"V. Putin\"");
    std::fs::write(&people, again).unwrap();
    ask(&mut p, NAME, "Vladimir Putin");
    ask(&mut p, ":reload", "reloaded");
    ask(&mut p, NAME, "V. Putin");
    p.send_control('d').unwrap();
    let _ = p.process().wait();
}

#[test]
fn coverage_in_the_repl() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coverage");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eje"));
    cmd.arg("--data")
        .arg(fixture.join("data"))
        .args(["--history", "off"])
        .env("EJE_CORPUS", fixture.join("corpus"))
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("eje starts in a pty");
    new_line(&mut p);
    ask(&mut p, ":coverage", "Un párrafo sin citar.");
    ask(&mut p, ":coverage art_x", "3 of 8 sentences cited (37.5%)");
    ask(&mut p, ":coverage art_y", "did you mean `art_x`?");
    p.send_control('d').unwrap();
    let _ = p.process().wait();
}
