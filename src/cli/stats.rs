//! `eje stats`: what the graph holds, counted, as a table or JSON; and
//! `eje schema`: its kinds and relation types, as `:schema` shows them, or
//! JSON.

use std::io::Write;
use std::mem::ManuallyDrop;

use super::{Exit, StatsArgs, StatsFormat, load_or_report};

pub(super) fn stats(args: StatsArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(loaded) = load_or_report(&args.graph, err_color) else {
        return Ok(Exit::Failed);
    };
    // Freed by the process exit (see `open_session`).
    let loaded = ManuallyDrop::new(loaded);
    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Table => write!(out, "{}", crate::stats::Stats::of(&loaded.graph).table())?,
        StatsFormat::Json => writeln!(out, "{}", crate::stats::Stats::of(&loaded.graph).json())?,
    }
    Ok(Exit::Ok)
}

pub(super) fn schema(args: StatsArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(loaded) = load_or_report(&args.graph, err_color) else {
        return Ok(Exit::Failed);
    };
    let loaded = ManuallyDrop::new(loaded);
    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Table => {
            let color = colored::control::SHOULD_COLORIZE.should_colorize();
            let width = std::io::IsTerminal::is_terminal(&std::io::stdout())
                .then(super::terminal_width)
                .flatten();
            write!(
                out,
                "{}",
                crate::meta::schema::show(&loaded.graph, color, width)
            )?
        }
        StatsFormat::Json => writeln!(out, "{}", crate::meta::schema::json(&loaded.graph))?,
    }
    Ok(Exit::Ok)
}
