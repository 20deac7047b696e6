//! The command line: clap definitions (the raw layer) and the dispatch that
//! resolves them into work. Only this module and `repl` touch the terminal.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag;
use crate::load::{self, Loaded};
use crate::stats;

/// eje: a knowledge-graph builder with a query REPL.
///
/// Curated RON evidence in `data/`, validated and built into a property
/// graph; questions in an openCypher subset plus analyst statements.
#[derive(Debug, Parser)]
#[command(name = "eje", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// When to use colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every data file against the schema and report all problems.
    Check(CheckArgs),
    /// Count what the graph holds.
    Stats(StatsArgs),
}

/// Where the graph comes from.
#[derive(Debug, Clone, Args, Default)]
pub struct GraphArgs {
    /// Folder of curated RON files (else $EJE_DATA, else ./data when it holds
    /// a schema.ron, else the dataset bundled into eje).
    #[arg(long, value_name = "DIR", env = "EJE_DATA")]
    pub data: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Folder of the cited articles: check that every quote is in its source.
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StatsFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    /// A data or query error (exit 1).
    Failed,
}

/// Where data is read from, resolved as SPEC §1 says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataLocation {
    Dir(PathBuf),
    Embedded,
}

impl DataLocation {
    pub fn resolve(explicit: Option<&PathBuf>) -> DataLocation {
        if let Some(dir) = explicit {
            return DataLocation::Dir(dir.clone());
        }
        let local = PathBuf::from("data");
        if local.join(load::SCHEMA_FILE).is_file() {
            DataLocation::Dir(local)
        } else {
            DataLocation::Embedded
        }
    }

    pub fn load(&self, opts: &load::Options) -> Result<Loaded, load::Failure> {
        match self {
            DataLocation::Dir(d) => load::load_dir(d, opts),
            DataLocation::Embedded => load::load_embedded(opts),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            DataLocation::Dir(d) => d.display().to_string(),
            DataLocation::Embedded => "the bundled dataset".into(),
        }
    }
}

/// Colour for stderr diagnostics and stdout tables, decided once.
pub fn use_color(choice: ColorChoice, stream_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let err_color = use_color(cli.color, std::io::stderr().is_terminal());
    let out_color = use_color(cli.color, std::io::stdout().is_terminal());
    colored::control::set_override(out_color);
    match cli.command {
        Some(Command::Check(args)) => check(args, err_color),
        Some(Command::Stats(args)) => {
            let Some(loaded) = load_or_report(&args.graph, err_color) else {
                return Ok(Exit::Failed);
            };
            let mut out = std::io::stdout().lock();
            match args.format {
                StatsFormat::Table => write!(out, "{}", stats::Stats::of(&loaded.graph).table())?,
                StatsFormat::Json => writeln!(out, "{}", stats::Stats::of(&loaded.graph).json())?,
            }
            Ok(Exit::Ok)
        }
        None => {
            anyhow::bail!("the REPL is not built yet: use `eje check` or `eje stats`")
        }
    }
}

/// Loads the graph, printing the diagnostics on failure and warnings on
/// success to stderr.
pub fn load_or_report(args: &GraphArgs, color: bool) -> Option<Loaded> {
    let location = DataLocation::resolve(args.data.as_ref());
    let opts = load::Options {
        progress: std::io::stderr().is_terminal(),
        ..load::Options::default()
    };
    match location.load(&opts) {
        Ok(loaded) => Some(loaded),
        Err(failure) => {
            eprint!("{}", failure.render(color));
            eprintln!(
                "eje: {} could not be loaded: {} error(s)",
                location.describe(),
                failure.error_count()
            );
            None
        }
    }
}

fn check(args: CheckArgs, color: bool) -> anyhow::Result<Exit> {
    let location = DataLocation::resolve(args.graph.data.as_ref());
    let opts = load::Options {
        corpus: args.corpus.clone(),
        progress: std::io::stderr().is_terminal(),
    };
    let (diags, sources, graph) = match location.load(&opts) {
        Ok(l) => (l.warnings, l.sources, Some(l.graph)),
        Err(f) => (f.diagnostics, f.sources, None),
    };
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
