//! `eje check`: checks every data file against the schema and reports all
//! problems.

use std::io::IsTerminal;

use crate::diag;
use crate::load;
use crate::session::GraphSource;

use super::{CheckArgs, Exit};

pub(super) fn check(args: CheckArgs, color: bool) -> anyhow::Result<Exit> {
    let location = args.graph.source();
    let opts = load::Options {
        corpus: args.corpus.clone(),
        progress: std::io::stderr().is_terminal(),
        audit: args.audit,
    };
    let loaded = match &location {
        GraphSource::Data(d) => d.load(&opts),
        GraphSource::Script(_) => location.load(),
    };
    let (diags, sources, graph, audit) = match loaded {
        Ok(l) => (l.warnings, l.sources, Some(l.graph), l.audit),
        Err(f) => (f.diagnostics, f.sources, None, Vec::new()),
    };
    // The audit is a reading list on standard output; it never fails the
    // check, and `--deny-warnings` does not count it.
    if args.audit && graph.is_some() {
        for item in &audit {
            println!("{item}");
        }
        println!(
            "audit: {} citation(s) name neither end of what they back and have no `note`",
            audit.len()
        );
    }
    eprint!("{}", diag::render(&diags, &sources, color));
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    let summary = match &graph {
        Some(g) => format!(
            "{}: {} files, {} entities, {} relations, {} sources",
            location.describe(),
            sources.len(),
            g.node_count(),
            g.rel_count(),
            g.sources.len()
        ),
        None => format!("{}: not loaded", location.describe()),
    };
    let quotes = if args.corpus.is_some() && graph.is_some() {
        "; every quote found in its article"
    } else {
        ""
    };
    if failed {
        eprintln!("{summary}; {errors} error(s), {warnings} warning(s)");
        Ok(Exit::Failed)
    } else {
        println!("ok: {summary}; {warnings} warning(s){quotes}");
        Ok(Exit::Ok)
    }
}
