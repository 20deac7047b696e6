//! `eje check`: checks every data file against the schema and reports all
//! problems, as text or JSON lines, once or on every save (`--watch`).

use std::io::{IsTerminal, Write};

use crate::diag;
use crate::load;
use crate::load::location::DataLocation;
use crate::session::GraphSource;

use super::{CheckArgs, CheckFormat, Exit};

pub(super) fn check(args: CheckArgs, color: bool) -> anyhow::Result<Exit> {
    if !args.watch {
        let report = check_report(&args, color);
        report.print()?;
        return Ok(report.exit);
    }
    let dir = match args.graph.source() {
        GraphSource::Data(DataLocation::Dir(d)) => d,
        _ => {
            crate::sink::line_to_stderr(format_args!(
                "eje: `--watch` needs a data folder, and the data is {}\n  help: give the folder with `--data DIR`",
                args.graph.source().describe()
            ));
            return Ok(Exit::Failed);
        }
    };
    let watch = match crate::watch::Watch::new(&dir) {
        Ok(w) => w,
        Err(e) => {
            crate::sink::line_to_stderr(format_args!("eje: cannot watch `{}`: {e}", dir.display()));
            return Ok(Exit::Failed);
        }
    };
    let tty = std::io::stdout().is_terminal();
    loop {
        let report = check_report(&args, color);
        if tty {
            // Clear the screen: this report replaces the previous one.
            write!(std::io::stdout().lock(), "\x1b[2J\x1b[H")?;
        }
        report.print()?;
        crate::sink::line_to_stderr(format_args!(
            "eje: watching {} for changes (Ctrl-C to stop)",
            dir.display()
        ));
        if !watch.wait() {
            return Ok(report.exit);
        }
    }
}

/// What one `eje check` prints, and how it ends.
struct CheckReport {
    stdout: String,
    stderr: String,
    exit: Exit,
}

impl CheckReport {
    /// Prints the report; a standard output that cannot be written is an
    /// error for the caller (a closed pipe ends quietly), never a panic.
    fn print(&self) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(self.stdout.as_bytes())?;
        out.flush()?;
        crate::sink::to_stderr(&self.stderr);
        Ok(())
    }
}

fn check_report(args: &CheckArgs, color: bool) -> CheckReport {
    let location = args.graph.source();
    let opts = load::Options {
        corpus: args.corpus.clone(),
        progress: std::io::stderr().is_terminal() && !args.watch,
        audit: args.audit,
        ..load::Options::default()
    };
    let loaded = match &location {
        GraphSource::Data(d) => d.load(&opts),
        GraphSource::Script(_) => location.load(),
    };
    let (diags, sources, graph, audit) = match loaded {
        Ok(l) => (l.warnings, l.sources, Some(l.graph), l.audit),
        Err(f) => (f.diagnostics, f.sources, None, Vec::new()),
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    // The audit is a reading list on standard output; it never fails the
    // check, and `--deny-warnings` does not count it.
    // With `--format json` it goes to standard error, so standard output
    // keeps only the diagnostics.
    if args.audit && graph.is_some() {
        let list = match args.format {
            CheckFormat::Text => &mut stdout,
            CheckFormat::Json => &mut stderr,
        };
        for item in &audit {
            list.push_str(&format!("{item}\n"));
        }
        list.push_str(&format!(
            "audit: {} citation(s) name neither end of what they back and have no `note`\n",
            audit.len()
        ));
    }
    match args.format {
        CheckFormat::Text => stderr.push_str(&diag::render(&diags, &sources, color)),
        CheckFormat::Json => stdout.push_str(&diag::render_json(&diags, &sources)),
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.iter().filter(|d| d.is_warning()).count();
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    let summary = match &graph {
        Some(g) => format!(
            "{}: {} files, {} entities, {} relations, {} sources",
            location.describe(),
            sources.len(),
            g.node_count(),
            g.rel_count(),
            g.sources().len()
        ),
        None => format!("{}: not loaded", location.describe()),
    };
    let quotes = if args.corpus.is_some() && graph.is_some() {
        "; every quote found in its article"
    } else {
        ""
    };
    let exit = if failed {
        stderr.push_str(&format!(
            "{summary}; {errors} error(s), {warnings} warning(s)\n"
        ));
        Exit::Failed
    } else {
        let line = format!("ok: {summary}; {warnings} warning(s){quotes}\n");
        // JSON output keeps stdout for the diagnostics alone.
        match args.format {
            CheckFormat::Text => stdout.push_str(&line),
            CheckFormat::Json => stderr.push_str(&line),
        }
        Exit::Ok
    };
    CheckReport {
        stdout,
        stderr,
        exit,
    }
}
