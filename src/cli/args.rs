//! The clap definitions of the command line, from which `eje completions`
//! and `eje man` are generated, and what they resolve to (`GraphArgs::source`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export;
use crate::load::location::DataLocation;
use crate::render::Format;
use crate::session::GraphSource;

/// eje: a knowledge-graph builder with a query REPL.
///
/// Curated RON evidence in `data/`, validated and built into a property
/// graph; questions in an openCypher subset plus analyst statements.
#[derive(Debug, Parser)]
#[command(
    name = "eje",
    version,
    about,
    long_about = None,
    propagate_version = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// When to use colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The largest file eje reads (data files, articles, scripts), in bytes
    /// or with K, M or G (default 256M).
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::load::read::parse_size)]
    pub max_file_size: Option<u64>,

    /// Without a subcommand, eje opens the REPL: its options work here too
    /// (`eje --data DIR`).
    #[command(flatten)]
    pub repl: ReplArgs,

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
    /// The interactive shell (the default); reads statements from stdin when
    /// it is not a terminal.
    Repl(ReplArgs),
    /// Run statements given on the command line.
    Query(QueryArgs),
    /// Run query scripts (`.kgq`).
    Run(RunArgs),
    /// Check every data file against the schema and report all problems.
    Check(CheckArgs),
    /// Write the graph, a query's answer or an entity's neighbourhood as
    /// DOT, SVG, JSON, GraphML or Cypher.
    Export(ExportArgs),
    /// Count what the graph holds.
    Stats(StatsArgs),
    /// Which sentences of the cited articles no citation quotes yet.
    Coverage(super::coverage::CoverageArgs),
    /// A language server over stdio for dossiers and `.kgq` files (settings
    /// from the client's initializationOptions: `data`, `corpus`).
    Lsp(LspArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    Man,
}

#[derive(Debug, Args, Default)]
pub struct ReplArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub exec: ExecArgs,
    /// Where to keep the history (a file), or `off`; default: the user's
    /// data directory.
    #[arg(long, value_name = "PATH|off")]
    pub history: Option<String>,
    /// Reload the data whenever a data file is saved (`:watch on`).
    #[arg(long)]
    pub watch: bool,
    /// Folder of the cited articles, for `:coverage` (else $EJE_CORPUS).
    #[arg(long, value_name = "DIR", env = "EJE_CORPUS")]
    pub corpus: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub exec: ExecArgs,
    /// The statements to run (`;`-separated).
    #[arg(value_name = "QUERY")]
    pub query: String,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub exec: ExecArgs,
    /// Run every statement even after one fails.
    #[arg(long)]
    pub keep_going: bool,
    /// Report parse and execution time of each statement (on stderr; with
    /// `--format json`, as a `timing` member of each line).
    #[arg(long)]
    pub timing: bool,
    /// Query scripts (`.kgq`), run in order.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// How statements run and print.
#[derive(Debug, Clone, Args)]
pub struct ExecArgs {
    /// How to print answers.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// A query parameter `NAME=VALUE`; the value is a Cypher literal (`42`,
    /// `'text'`, `[1, 2]`, `{a: 1}`), anything else is taken as a string.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// How many hops an unbounded `*` stands for over curated data (over a
    /// graph from a Cypher script it is unbounded, as in openCypher).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_hops: u32,
}

impl Default for ExecArgs {
    fn default() -> Self {
        ExecArgs {
            format: Format::Table,
            params: Vec::new(),
            max_hops: 10,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// dot, svg, json, graphml, cypher, html (an interactive evidence map),
    /// or bulk (a folder of CSV files for a database's bulk importer; needs
    /// `-o FOLDER`).
    #[arg(long, value_name = "FORMAT")]
    pub format: export::Format,
    /// For `--format cypher`: neo4j (also Memgraph and FalkorDB) or kuzu.
    /// For `--format bulk`: neo4j (neo4j-admin import, also Memgraph), kuzu
    /// (COPY FROM) or falkordb (falkordb-bulk-loader).
    #[arg(long, value_name = "DIALECT", default_value = "neo4j")]
    pub dialect: export::Dialect,
    /// Export only what this query's answer holds (nodes, relations, paths).
    #[arg(long, value_name = "QUERY", conflicts_with = "focus")]
    pub query: Option<String>,
    /// Export this entity's neighbourhood.
    #[arg(long, value_name = "ENTITY")]
    pub focus: Option<String>,
    /// With `--focus`: how many hops around the entity.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Write to this file instead of stdout: a regular file is replaced
    /// atomically (links followed, its mode kept); a pipe, socket, terminal
    /// or character device is written as it is; `-` is stdout. For
    /// `--format bulk`, the folder to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With `--format bulk`: replace an existing folder even if eje did not
    /// write it.
    #[arg(long)]
    pub force: bool,
    /// A parameter of `--query`, as for `eje query`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

/// Where the graph comes from.
#[derive(Debug, Clone, Args, Default)]
pub struct GraphArgs {
    /// Folder of curated RON files (else $EJE_DATA, else ./data when it holds
    /// a schema.ron, else the dataset bundled into eje).
    // $EJE_DATA is read by `DataLocation::resolve`, not by clap, so that it
    // does not conflict with `--graph-script` the way `--data` does.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A Cypher script of CREATE statements to build the graph from, instead
    /// of curated data (no schema applies).
    #[arg(long, value_name = "FILE", conflicts_with = "data")]
    pub graph_script: Option<PathBuf>,
}

impl GraphArgs {
    /// Where these arguments say the graph comes from.
    pub fn source(&self) -> GraphSource {
        match &self.graph_script {
            Some(file) => GraphSource::Script(file.clone()),
            None => GraphSource::Data(DataLocation::resolve(self.data.as_ref())),
        }
    }
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
    /// text (for people, on stderr) or json (one object per diagnostic per
    /// line on stdout, for CI pipelines and editors).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Check again on every save of a data file, replacing the previous
    /// report (Ctrl-C to stop).
    #[arg(long)]
    pub watch: bool,
    /// Also list every citation whose quote names neither end of the
    /// relation it backs and that has no `note` (never fails the check).
    #[arg(long)]
    pub audit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// The data folder, when the client does not give one (else the
    /// workspace folder, or its `data/`, when it holds a schema.ron).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Folder of the cited articles (else $EJE_CORPUS).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
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
