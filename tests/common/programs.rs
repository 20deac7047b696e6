//! System programs in tests (DECISIONS D12): a test that needs one runs
//! when it is installed and otherwise says it was not run; `EJE_REQUIRE`
//! (a comma-separated list, set by `.ci/run`, which installs them) turns a
//! missing program into a failure.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// Whether `program` can be run here. When it cannot: panics if
/// `EJE_REQUIRE` names it, else prints that `what` was not run.
#[track_caller]
pub fn available(program: &str, what: &str) -> bool {
    let found = Command::new(program)
        .arg(if program == "dot" { "-V" } else { "--version" })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if found {
        return true;
    }
    let required = std::env::var("EJE_REQUIRE").unwrap_or_default();
    if required.split(',').any(|p| p.trim() == program) {
        panic!("`{program}` is required (EJE_REQUIRE={required}) but cannot be run: {what}");
    }
    // Straight to the process's stderr: the test harness captures
    // `eprintln!`, and this line is meant to be seen.
    let _ = writeln!(
        std::io::stderr(),
        "note: `{program}` is not installed: not run: {what}"
    );
    false
}
