//! The command line: clap definitions (the raw layer) and the dispatch that
//! resolves them into work. Only this module and `repl` touch the terminal.

use std::io::{IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::diag::{self, SourceMap};
use crate::export;
use crate::load::{self, Loaded};
use crate::model::{Resolution, Value};
use crate::query::ast::{ExprKind, Literal, UnaryOp};
use crate::render::{self, Format, TableStyle};
use crate::session::{self, Executed, GraphSource, Session};
use crate::stats;

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

    /// The largest file eje reads (data files, articles), in bytes or with
    /// K, M or G (default 256M).
    #[arg(long, global = true, value_name = "SIZE", value_parser = load::read::parse_size)]
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
    /// dot, svg, json, graphml or cypher.
    #[arg(long, value_name = "FORMAT")]
    pub format: export::Format,
    /// For `--format cypher`: neo4j (also Memgraph, FalkorDB) or kuzu.
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
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
        if let Some(dir) = std::env::var_os("EJE_DATA").filter(|d| !d.is_empty()) {
            return DataLocation::Dir(PathBuf::from(dir));
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
    if let Some(max) = cli.max_file_size {
        load::read::set_default_max_file_size(max);
    }
    let err_color = use_color(cli.color, std::io::stderr().is_terminal());
    let out_color = use_color(cli.color, std::io::stdout().is_terminal());
    colored::control::set_override(out_color);
    match cli.command {
        Some(Command::Check(args)) => check(args, err_color),
        Some(Command::Stats(args)) => {
            let Some(loaded) = load_or_report(&args.graph, err_color) else {
                return Ok(Exit::Failed);
            };
            // Freed by the process exit (see `open_session`).
            let loaded = ManuallyDrop::new(loaded);
            let mut out = std::io::stdout().lock();
            match args.format {
                StatsFormat::Table => write!(out, "{}", stats::Stats::of(&loaded.graph).table())?,
                StatsFormat::Json => writeln!(out, "{}", stats::Stats::of(&loaded.graph).json())?,
            }
            Ok(Exit::Ok)
        }
        Some(Command::Query(args)) => {
            let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
                return Ok(Exit::Failed);
            };
            let sources = SourceMap::from([("<query>".to_string(), args.query.clone())]);
            let results = session.run(&args.query, false);
            print_results(
                &session, &results, &args.exec, "<query>", &sources, false, err_color,
            )
        }
        Some(Command::Run(args)) => run_scripts(args, err_color),
        Some(Command::Export(args)) => export_cmd(args, err_color),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "eje", &mut std::io::stdout());
            Ok(Exit::Ok)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(Exit::Ok)
        }
        Some(Command::Repl(args)) => repl(args, err_color),
        None => repl(cli.repl, err_color),
    }
}

/// The REPL on a terminal; statements from stdin otherwise (like
/// `sqlite3 < file`): only results and errors are printed, and the exit
/// status says whether any statement failed.
fn repl(args: ReplArgs, err_color: bool) -> anyhow::Result<Exit> {
    if std::io::stdin().is_terminal() {
        let Some(session) = open_session(&args.graph, &args.exec, err_color)? else {
            return Ok(Exit::Failed);
        };
        return crate::repl::run(ManuallyDrop::into_inner(session), &args, err_color);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let sources = SourceMap::from([("<stdin>".to_string(), text.clone())]);
    let results = session.run(&text, true);
    print_results(
        &session, &results, &args.exec, "<stdin>", &sources, false, err_color,
    )
}

fn run_scripts(args: RunArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let mut exit = Exit::Ok;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match load::read::read_named(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("eje: cannot read `{name}`: {e}");
                exit = Exit::Failed;
                if args.keep_going {
                    continue;
                }
                return Ok(exit);
            }
        };
        let sources = SourceMap::from([(name.clone(), text.clone())]);
        let results = session.run(&text, args.keep_going);
        if print_results(
            &session,
            &results,
            &args.exec,
            &name,
            &sources,
            args.timing,
            err_color,
        )? == Exit::Failed
        {
            exit = Exit::Failed;
            if !args.keep_going {
                return Ok(exit);
            }
        }
    }
    Ok(exit)
}

/// Opens the graph for running statements, with the parameters set.
/// `Ok(None)`: the data did not load (already reported).
///
/// The session is never dropped: a command that opens one ends with the
/// process, which gives the memory back at once, where freeing a large
/// graph piece by piece takes a good part of a second.
fn open_session(
    graph: &GraphArgs,
    exec: &ExecArgs,
    err_color: bool,
) -> anyhow::Result<Option<ManuallyDrop<Session>>> {
    let params = parse_params(&exec.params)?;
    let source = graph.source();
    match Session::open(source.clone()) {
        Ok(mut s) => {
            eprint!("{}", diag::render_notes(&s.warnings));
            s.options.params = params;
            s.options.max_hops = exec.max_hops;
            Ok(Some(ManuallyDrop::new(s)))
        }
        Err(failure) => {
            eprint!("{}", failure.render(err_color));
            eprintln!(
                "eje: {} could not be loaded: {} error(s)",
                source.describe(),
                failure.error_count()
            );
            Ok(None)
        }
    }
}

/// `NAME=VALUE` pairs; the value read as a Cypher literal, else a string.
pub fn parse_params(raw: &[String]) -> anyhow::Result<std::collections::BTreeMap<String, Value>> {
    let mut out = std::collections::BTreeMap::new();
    for p in raw {
        let Some((name, value)) = p.split_once('=') else {
            anyhow::bail!("`--param {p}` needs the form NAME=VALUE");
        };
        let name = name.trim().trim_start_matches('$');
        if name.is_empty() {
            anyhow::bail!("`--param {p}` has no name before `=`");
        }
        let v = crate::query::parser::parse_expr(value)
            .ok()
            .and_then(|e| literal_value(&e))
            .unwrap_or_else(|| Value::Str(value.to_string()));
        out.insert(name.to_string(), v);
    }
    Ok(out)
}

/// The value of a constant expression (literals, lists, maps, negation).
pub fn literal_value(e: &crate::query::ast::Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Literal(Literal::Null) => Value::Null,
        ExprKind::Literal(Literal::Bool(b)) => Value::Bool(*b),
        ExprKind::Literal(Literal::Int(i)) => Value::Int(*i),
        ExprKind::Literal(Literal::Float(f)) => Value::Float(*f),
        ExprKind::Literal(Literal::String(s)) => Value::Str(s.clone()),
        ExprKind::Unary(UnaryOp::Neg, inner) => match literal_value(inner)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Float(f) => Value::Float(-f),
            _ => return None,
        },
        ExprKind::List(items) => {
            Value::List(items.iter().map(literal_value).collect::<Option<_>>()?)
        }
        ExprKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Some((k.name.clone(), literal_value(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// Prints every answer to stdout and every error to stderr (or, in JSON,
/// as an `error` line). Returns `Failed` if any statement failed.
fn print_results(
    session: &Session,
    results: &[Executed],
    exec: &ExecArgs,
    file: &str,
    sources: &SourceMap,
    timing: bool,
    err_color: bool,
) -> anyhow::Result<Exit> {
    let out_tty = std::io::stdout().is_terminal();
    let style = TableStyle {
        color: colored::control::SHOULD_COLORIZE.should_colorize(),
        width: if out_tty { terminal_width() } else { None },
        max_rows: None,
    };
    let mut stdout = std::io::stdout().lock();
    let mut exit = Exit::Ok;
    for (i, ex) in results.iter().enumerate() {
        match &ex.result {
            Ok(rs) => {
                let text = render::render(session.graph(), rs, exec.format, style);
                if exec.format == Format::Json && timing {
                    let mut v = render::json_result(session.graph(), rs);
                    v["timing"] = serde_json::json!({"parse_ms": ex.timing.parse_ms, "plan_ms": ex.timing.plan_ms, "exec_ms": ex.timing.exec_ms});
                    writeln!(stdout, "{v}")?;
                } else {
                    if i > 0 && exec.format != Format::Json {
                        writeln!(stdout)?;
                    }
                    write!(stdout, "{text}")?;
                }
                if timing && exec.format != Format::Json {
                    eprintln!(
                        "{file}: statement {}: {} (parse {:.2} ms, plan {:.2} ms, run {:.2} ms)",
                        i + 1,
                        render::footer(rs.rows.len(), ex.timing.total_ms()),
                        ex.timing.parse_ms,
                        ex.timing.plan_ms,
                        ex.timing.exec_ms
                    );
                }
            }
            Err(e) => {
                exit = Exit::Failed;
                let d = session::diagnostic(e, file);
                if exec.format == Format::Json {
                    let (line, column) = e
                        .span
                        .map_or((1, 1), |s| diag::line_col(&sources[file], s.start));
                    let v = serde_json::json!({"error": {"message": e.message, "line": line, "column": column}});
                    writeln!(stdout, "{v}")?;
                }
                stdout.flush()?;
                eprint!("{}", diag::render(&[d], sources, err_color));
            }
        }
    }
    stdout.flush()?;
    Ok(exit)
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or(Some(120))
}

fn export_cmd(args: ExportArgs, err_color: bool) -> anyhow::Result<Exit> {
    let exec = ExecArgs {
        params: args.params.clone(),
        ..ExecArgs::default()
    };
    let Some(mut session) = open_session(&args.graph, &exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let graph = session.graph_arc();
    let sub = if let Some(q) = &args.query {
        let sources = SourceMap::from([("<query>".to_string(), q.clone())]);
        let results = session.run(q, false);
        let mut sub = export::Subgraph::default();
        for ex in &results {
            match &ex.result {
                Ok(rs) => rs
                    .rows
                    .iter()
                    .flatten()
                    .for_each(|v| sub.add_value(&graph, v)),
                Err(e) => {
                    eprint!(
                        "{}",
                        diag::render(&[session::diagnostic(e, "<query>")], &sources, err_color)
                    );
                    return Ok(Exit::Failed);
                }
            }
        }
        sub
    } else if let Some(focus) = &args.focus {
        match graph.resolve(focus) {
            Resolution::One(ix) => export::Subgraph::ego(&graph, ix, args.depth),
            Resolution::Many(ixs) => {
                let names: Vec<String> = ixs
                    .iter()
                    .map(|i| format!("`{}`", graph.node(*i).id))
                    .collect();
                eprintln!(
                    "eje: `{focus}` names several entities: {}; give an id",
                    names.join(", ")
                );
                return Ok(Exit::Failed);
            }
            Resolution::None { nearest } => {
                let hint = nearest
                    .first()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                eprintln!("eje: no entity is called `{focus}`{hint}");
                return Ok(Exit::Failed);
            }
        }
    } else {
        export::Subgraph::whole(&graph)
    };
    let result = match &args.output {
        Some(path) => export::export_to_file(&graph, &sub, args.format, args.dialect, path),
        None => export::export(
            &graph,
            &sub,
            args.format,
            args.dialect,
            &mut std::io::stdout().lock(),
        ),
    };
    match result {
        Ok(()) => {
            if let Some(path) = &args.output {
                eprintln!(
                    "wrote {} ({} nodes, {} relations)",
                    path.display(),
                    sub.node_count(),
                    sub.rel_count()
                );
            }
            Ok(Exit::Ok)
        }
        Err(e) if e.is_broken_pipe() => Ok(Exit::Ok),
        Err(e) => {
            eprintln!("eje: {e}");
            Ok(Exit::Failed)
        }
    }
}

/// Loads the graph, printing the diagnostics on failure and warnings on
/// success to stderr.
pub fn load_or_report(args: &GraphArgs, color: bool) -> Option<Loaded> {
    let location = args.source();
    match location.load() {
        Ok(loaded) => {
            eprint!("{}", diag::render_notes(&loaded.warnings));
            Some(loaded)
        }
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
    let location = args.graph.source();
    let opts = load::Options {
        corpus: args.corpus.clone(),
        progress: std::io::stderr().is_terminal(),
        ..load::Options::default()
    };
    let loaded = match &location {
        GraphSource::Data(d) => d.load(&opts),
        GraphSource::Script(_) => location.load(),
    };
    let (diags, sources, graph) = match loaded {
        Ok(l) => (l.warnings, l.sources, Some(l.graph)),
        Err(f) => (f.diagnostics, f.sources, None),
    };
    eprint!("{}", diag::render(&diags, &sources, color));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
