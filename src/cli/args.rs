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
    propagate_version = true
)]
pub struct Cli {
    /// The options every subcommand takes, before or after its name.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The largest file eje reads (data files, articles, scripts), in bytes
    /// or with K, M or G (default 256M).
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::load::read::parse_size)]
    pub max_file_size: Option<u64>,

    /// Read every data file, neither reading nor writing the snapshot in
    /// the cache directory (also `EJE_NO_CACHE=1`).
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Without a subcommand, eje opens the REPL: reload the data whenever a
    /// data file is saved (`:watch on`).
    #[arg(long)]
    pub watch: bool,

    /// Without a subcommand: refuse meta commands that write files or run
    /// programs.
    #[arg(long)]
    pub safe: bool,

    /// Without a subcommand, eje opens the REPL: where to keep its history
    /// (a file), or `off`; default: the user's data directory.
    #[arg(long, value_name = "PATH|off")]
    pub history: Option<String>,

    /// Without a subcommand: a script run before the first prompt (as
    /// sqlite3's `-init`), or `off`; default: `eje/init.kgq` in the user's
    /// config directory, when it exists.
    #[arg(long, value_name = "FILE|off")]
    pub init: Option<String>,

    /// Without a subcommand: print each statement before its answer.
    #[arg(long)]
    pub echo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options accepted before or after the subcommand (`eje --data DIR query
/// ...` and `eje query --data DIR ...` alike).
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Folder of curated RON files (else $EJE_DATA, else ./data when it holds
    /// a schema.ron, else the dataset bundled into eje).
    // $EJE_DATA is read by `DataLocation::resolve`, not by clap, so that it
    // does not conflict with `--graph-script` the way `--data` does.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A Cypher script of CREATE statements to build the graph from, instead
    /// of curated data (no schema applies).
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "data")]
    pub graph_script: Option<PathBuf>,
    /// Folder of the cited articles (`eje check`: check that every quote is
    /// in its source; `eje coverage` and `:coverage`, else $EJE_CORPUS).
    #[arg(long, global = true, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// How to print: table, json, csv or markdown for answers (`query`,
    /// `run`, `repl`); dot, svg, json, graphml, cypher, html or bulk for
    /// `export`; table or json for `stats` and `schema`; text or json for
    /// `check`; table, json or markdown for `coverage`.
    #[arg(long, global = true, value_name = "FORMAT")]
    pub format: Option<String>,
    /// A query parameter `NAME=VALUE`; the value is a Cypher literal (`42`,
    /// `'text'`, `[1, 2]`, `{a: 1}`), anything else is taken as a string.
    #[arg(long = "param", global = true, value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// How many hops an unbounded `*` stands for over curated data (over a
    /// graph from a Cypher script it is unbounded, as in openCypher).
    #[arg(long, global = true, value_name = "N", default_value_t = 10)]
    pub max_hops: u32,
    /// The work budget of a statement, in steps (nodes scanned, relations
    /// followed, rows made); default: max(20M, 20 × (nodes + relations)).
    #[arg(long, global = true, value_name = "N")]
    pub max_work: Option<u64>,
    /// The most memory a statement may build and hold (lists, strings,
    /// rows), in bytes or with K, M or G (default 2G).
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::load::read::parse_size)]
    pub max_memory: Option<u64>,
    /// The longest a statement may run, by the clock (`30s`, `2m`); off by
    /// default, as answers should not depend on how busy the machine is.
    #[arg(long, global = true, value_name = "DURATION", value_parser = crate::query::limits::parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// The most rows an answer may have (default: no limit besides memory).
    #[arg(long, global = true, value_name = "N")]
    pub max_rows: Option<usize>,
}

/// The limits of a statement given on the command line (D5, D8).
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub max_work: Option<u64>,
    pub max_memory: Option<u64>,
    pub timeout: Option<std::time::Duration>,
    pub max_rows: Option<usize>,
}

impl Limits {
    /// These limits as settings, for the language server.
    pub fn settings(&self) -> Vec<crate::query::limits::Setting> {
        use crate::query::limits::Setting;
        let mut out = Vec::new();
        if let Some(n) = self.max_work {
            out.push(Setting::MaxWork(Some(n)));
        }
        if let Some(n) = self.max_memory {
            out.push(Setting::MaxMemory(Some(n)));
        }
        if let Some(d) = self.timeout {
            out.push(Setting::Timeout(Some(d)));
        }
        if let Some(n) = self.max_rows {
            out.push(Setting::MaxRows(Some(n)));
        }
        out
    }

    /// Sets these limits in an execution context.
    pub fn apply(&self, opts: &mut crate::query::Options) {
        if self.max_work.is_some() {
            opts.max_work = self.max_work;
        }
        if let Some(m) = self.max_memory {
            opts.max_memory = m;
        }
        if self.timeout.is_some() {
            opts.timeout = self.timeout;
        }
        if let Some(r) = self.max_rows {
            opts.max_rows = r;
        }
    }
}

impl GlobalArgs {
    /// `--corpus`, else `$EJE_CORPUS` (for `coverage` and the REPL's
    /// `:coverage`; `check` reads only `--corpus`).
    pub fn corpus_or_env(&self) -> Option<PathBuf> {
        self.corpus
            .clone()
            .or_else(|| std::env::var_os("EJE_CORPUS").map(PathBuf::from))
    }

    /// Where the graph comes from.
    pub fn graph(&self) -> GraphArgs {
        GraphArgs {
            data: self.data.clone(),
            graph_script: self.graph_script.clone(),
        }
    }

    /// How statements run and print; `--format` must name an answer format.
    pub fn exec(&self) -> Result<ExecArgs, String> {
        let format = match &self.format {
            None => Format::Table,
            Some(f) => Format::parse(f).ok_or_else(|| {
                format!("unknown answer format `{f}`\nhelp: use table, json, csv or markdown")
            })?,
        };
        Ok(ExecArgs {
            format,
            params: self.params.clone(),
            max_hops: self.max_hops,
            safe: false,
            limits: self.limits(),
        })
    }

    /// The limits given.
    pub fn limits(&self) -> Limits {
        Limits {
            max_work: self.max_work,
            max_memory: self.max_memory,
            timeout: self.timeout,
            max_rows: self.max_rows,
        }
    }
}

/// `eje cache info` and `eje cache clear`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum CacheCommand {
    /// Where the cache is, its size, and each snapshot's data folder and
    /// whether it is fresh.
    Info,
    /// Remove every snapshot.
    Clear,
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
    /// The snapshots of data folders in the cache directory: `info` shows
    /// where, how large, of which folder and whether fresh; `clear` removes
    /// them.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// How much of each cited article the data quotes (needs `--corpus`).
    Coverage(super::coverage::CoverageArgs),
    /// A language server for the data files (stdio).
    Lsp(LspArgs),
    /// The schema: labels, relation types and properties.
    Schema(StatsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    Man,
}

// The `graph` and `exec` fields below are the global options, resolved by
// `Cli::resolve` after parsing.

#[derive(Debug, Args, Default)]
pub struct ReplArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    #[arg(skip)]
    pub exec: ExecArgs,
    /// Where to keep the history (a file), or `off`; default: the user's
    /// data directory.
    #[arg(long, value_name = "PATH|off")]
    pub history: Option<String>,
    /// A script of statements and meta commands run before the first prompt
    /// (as sqlite3's `-init` and psql's `.psqlrc`), or `off`; default:
    /// `eje/init.kgq` in the user's config directory when it exists (on a
    /// terminal only; with statements piped in, only `--init FILE` runs).
    #[arg(long, value_name = "FILE|off")]
    pub init: Option<String>,
    /// Print each statement (and meta command) before its answer, as
    /// sqlite3's `.echo on` and `psql -e`.
    #[arg(long)]
    pub echo: bool,
    /// With statements piped in: run every statement even after one fails.
    #[arg(long)]
    pub keep_going: bool,
    /// Reload the data whenever a data file is saved (`:watch on`).
    #[arg(long)]
    pub watch: bool,
    /// Folder of the cited articles, for `:coverage` (the global
    /// `--corpus`, else $EJE_CORPUS).
    #[arg(skip)]
    pub corpus: Option<PathBuf>,
    /// Refuse meta commands that write files or run programs (`:export`),
    /// for running statements from others, as sqlite3's `-safe`.
    #[arg(long)]
    pub safe: bool,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    #[arg(skip)]
    pub exec: ExecArgs,
    /// Refuse meta commands that write files or run programs (`:export`),
    /// for running statements from others, as sqlite3's `-safe`.
    #[arg(long)]
    pub safe: bool,
    /// The statements to run (`;`-separated).
    #[arg(value_name = "QUERY")]
    pub query: String,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    #[arg(skip)]
    pub exec: ExecArgs,
    /// Refuse meta commands that write files or run programs (`:export`),
    /// for running statements from others, as sqlite3's `-safe`.
    #[arg(long)]
    pub safe: bool,
    /// Run every statement even after one fails.
    #[arg(long)]
    pub keep_going: bool,
    /// Report parse and execution time of each statement (on stderr; with
    /// `--format json`, as a `timing` member of each line).
    #[arg(long)]
    pub timing: bool,
    /// Print each statement (and meta command) before its answer, as
    /// sqlite3's `.echo on` and `psql -e`. When several files run, each
    /// file's answers follow a `==> FILE <==` line (in tables and Markdown).
    #[arg(long)]
    pub echo: bool,
    /// Query scripts (`.kgq`), run in order; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// How statements run and print (from the global options).
#[derive(Debug, Clone)]
pub struct ExecArgs {
    /// How to print answers.
    pub format: Format,
    /// Query parameters, `NAME=VALUE`.
    pub params: Vec<String>,
    /// How many hops an unbounded `*` stands for over curated data.
    pub max_hops: u32,
    /// Refuse meta commands that write files or run programs.
    pub safe: bool,
    /// The limits of each statement.
    pub limits: Limits,
}

impl Default for ExecArgs {
    fn default() -> Self {
        ExecArgs {
            format: Format::Table,
            params: Vec::new(),
            max_hops: 10,
            safe: false,
            limits: Limits::default(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    /// dot, svg, json, graphml, cypher, html (an interactive evidence map),
    /// or bulk (a folder of CSV files for a database's bulk importer; needs
    /// `-o FOLDER`): the global `--format`.
    #[arg(skip)]
    pub format: Option<export::Format>,
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
    /// Parameters of `--query` (the global `--param`).
    #[arg(skip)]
    pub params: Vec<String>,
    /// Limits of `--query` (the global `--max-work`, `--max-memory`,
    /// `--timeout`, `--max-rows`).
    #[arg(skip)]
    pub limits: Limits,
}

/// Where the graph comes from (from the global options).
#[derive(Debug, Clone, Default)]
pub struct GraphArgs {
    pub data: Option<PathBuf>,
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
    #[arg(skip)]
    pub graph: GraphArgs,
    /// The global `--corpus`.
    #[arg(skip)]
    pub corpus: Option<PathBuf>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// text or json (the global `--format`).
    #[arg(skip)]
    pub format: CheckFormat,
    /// Check again whenever a data file is saved.
    #[arg(long)]
    pub watch: bool,
    /// Also list what the data leaves unsaid (entities without claims,
    /// claims without sources).
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
    /// The global `--data`.
    #[arg(skip)]
    pub data: Option<PathBuf>,
    /// The global `--corpus`.
    #[arg(skip)]
    pub corpus: Option<PathBuf>,
    /// The global limits.
    #[arg(skip)]
    pub limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StatsFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    /// The global `--format`: table or json.
    #[arg(skip)]
    pub format: StatsFormat,
}

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    /// A data or query error (exit 1).
    Failed,
}

impl Cli {
    /// Hands the global options to the subcommand that uses them; a
    /// `--format` the subcommand does not know is a usage error.
    pub fn resolve(mut self) -> Result<(Command, ColorChoice), String> {
        let g = &self.global;
        // clap sees the conflict only when both are on the same side of
        // the subcommand.
        if g.data.is_some() && g.graph_script.is_some() {
            return Err(
                "`--data` and `--graph-script` both say where the graph comes from\n\
                        help: give one of them"
                    .into(),
            );
        }
        let format = g.format.as_deref();
        match &mut self.command {
            None => {}
            Some(Command::Repl(a)) => {
                a.graph = g.graph();
                a.exec = g.exec()?;
                a.exec.safe = a.safe;
                a.corpus = g.corpus_or_env();
            }
            Some(Command::Query(a)) => {
                a.graph = g.graph();
                a.exec = g.exec()?;
                a.exec.safe = a.safe;
            }
            Some(Command::Run(a)) => {
                a.graph = g.graph();
                a.exec = g.exec()?;
                a.exec.safe = a.safe;
            }
            Some(Command::Check(a)) => {
                a.graph = g.graph();
                a.corpus = g.corpus.clone();
                a.format = match format {
                    None => CheckFormat::Text,
                    Some(f) => CheckFormat::from_str(f, true).map_err(|_| {
                        format!("unknown check format `{f}`\nhelp: use text or json")
                    })?,
                };
            }
            Some(Command::Coverage(a)) => {
                a.graph = g.graph();
                a.corpus = g.corpus_or_env();
                a.format = match format {
                    None => crate::coverage::Format::Table,
                    Some(f) => crate::coverage::Format::from_str(f, true).map_err(|_| {
                        format!("unknown coverage format `{f}`\nhelp: use table, json or markdown")
                    })?,
                };
            }
            Some(Command::Lsp(a)) => {
                a.data = g.data.clone();
                a.corpus = g.corpus.clone();
                a.limits = g.limits();
            }
            Some(Command::Export(a)) => {
                a.graph = g.graph();
                a.params = g.params.clone();
                a.limits = g.limits();
                a.format = match format {
                    None => None,
                    Some(f) => Some(f.parse::<export::Format>().map_err(|e| e.to_string())?),
                };
            }
            Some(Command::Stats(a) | Command::Schema(a)) => {
                a.graph = g.graph();
                a.format = match format {
                    None => StatsFormat::Table,
                    Some(f) => StatsFormat::from_str(f, true).map_err(|_| {
                        format!("unknown stats format `{f}`\nhelp: use table or json")
                    })?,
                };
            }
            Some(Command::Completions { .. } | Command::Man | Command::Cache(_)) => {}
        }
        let command = match self.command {
            Some(Command::Repl(mut a)) => {
                a.history = a.history.or(self.history);
                a.init = a.init.or(self.init);
                a.echo |= self.echo;
                a.watch |= self.watch;
                a.safe |= self.safe;
                a.exec.safe = a.safe;
                Command::Repl(a)
            }
            Some(_) if self.watch || self.safe => {
                let flag = if self.watch { "--watch" } else { "--safe" };
                return Err(format!(
                    "`{flag}` before the subcommand is an option of the REPL\nhelp: put it \
                     after the subcommand's name"
                ));
            }
            Some(_) if self.init.is_some() || self.echo => {
                let flag = if self.echo { "--echo" } else { "--init" };
                return Err(format!(
                    "`{flag}` before the subcommand is an option of the REPL\nhelp: put it \
                     after the subcommand's name (`eje run --echo FILE`)"
                ));
            }
            Some(_) if self.history.is_some() => {
                return Err(
                    "`--history` is an option of the REPL\nhelp: `eje --history FILE` or \
                     `eje repl --history FILE`"
                        .into(),
                );
            }
            Some(c) => c,
            None => {
                let mut exec = self.global.exec()?;
                exec.safe = self.safe;
                Command::Repl(ReplArgs {
                    graph: self.global.graph(),
                    exec,
                    history: self.history,
                    init: self.init,
                    echo: self.echo,
                    keep_going: false,
                    watch: self.watch,
                    corpus: self.global.corpus_or_env(),
                    safe: self.safe,
                })
            }
        };
        Ok((command, self.global.color))
    }
}
