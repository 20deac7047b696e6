//! Exporters: the graph, or a part of it, as a Graphviz picture (DOT, SVG),
//! node-link JSON, GraphML, a Cypher script that recreates it in another
//! graph database (Neo4j, Memgraph, FalkorDB, Kuzu), or an interactive
//! evidence map (one self-contained HTML page).
//!
//! Every exporter takes the same two inputs: the `Graph` and a `Subgraph`
//! that says which nodes and relations to write (the whole graph, what a
//! query answered, or an entity's neighbourhood). Output is deterministic:
//! nodes are sorted by id and relations by their endpoints' ids, type and
//! claim id, so two exports of the same data are byte-for-byte equal and a
//! diff between two versions shows what changed.
//!
//! Data formats are written as the graph is walked (`stream`): no export
//! holds its whole output, or every relation's evidence, in memory. Writing
//! to a file goes through the output sink (`crate::sink`): a temporary file
//! beside the target, renamed over it at the end, so a failed export never
//! leaves a half-written file. SVG is laid out by Graphviz in memory and
//! refuses graphs too large to draw. `bulk` writes a folder of CSV files
//! for a database's bulk importer (through the sink's `write_folder`).

pub mod bulk;
pub mod cypher;
pub mod dot;
pub mod graphml;
pub mod html;
pub mod json;
mod stream;
mod subgraph;
mod text;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::str::FromStr;

use crate::model::Graph;

pub use crate::sink::Written;
use crate::sink::{self, WriteError, os_reason};
pub use html::Scope;
pub use stream::Progress;
pub use subgraph::Subgraph;

/// The largest graph SVG (Graphviz's layout) is asked to draw: beyond it
/// the layout takes minutes and the picture is unreadable anyway.
pub const MAX_DRAWN_NODES: usize = 2_000;
/// See `MAX_DRAWN_NODES`.
pub const MAX_DRAWN_RELATIONS: usize = 6_000;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Graphviz source, to render with `dot`.
    Dot,
    /// A picture: the DOT rendered by Graphviz's `dot -Tsvg`.
    Svg,
    /// Node-link JSON (the shape networkx and d3 read).
    Json,
    /// GraphML (Gephi, yEd, networkx, igraph).
    GraphMl,
    /// A script of Cypher statements that recreates the graph.
    Cypher,
    /// The evidence map: one self-contained interactive HTML page.
    Html,
    /// A folder of CSV files for a database's bulk importer (`--dialect`).
    Bulk,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Dot,
        Format::Svg,
        Format::Json,
        Format::GraphMl,
        Format::Cypher,
        Format::Html,
        Format::Bulk,
    ];

    /// The name on the command line (`--format graphml`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Json => "json",
            Format::GraphMl => "graphml",
            Format::Cypher => "cypher",
            Format::Html => "html",
            Format::Bulk => "bulk",
        }
    }

    /// Whether the format writes a folder of files rather than one file.
    pub fn is_folder(self) -> bool {
        self == Format::Bulk
    }

    /// Whether the format lays out a picture (and so has a size limit).
    pub fn is_picture(self) -> bool {
        self == Format::Svg
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Json => "json",
            Format::GraphMl => "graphml",
            Format::Cypher => "cypher",
            Format::Html => "html",
            Format::Bulk => "",
        }
    }

    /// Guesses the format from a file name's extension (`alliance.svg`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "dot" | "gv" => Some(Format::Dot),
            "svg" => Some(Format::Svg),
            "json" => Some(Format::Json),
            "graphml" => Some(Format::GraphMl),
            "cypher" | "cql" | "cyp" => Some(Format::Cypher),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .or(match lower.as_str() {
                "gv" => Some(Format::Dot),
                "cql" => Some(Format::Cypher),
                "htm" => Some(Format::Html),
                _ => None,
            })
            .ok_or_else(|| ExportError::UnknownFormat(s.to_string()))
    }
}

/// The database a Cypher script or a bulk folder is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// Schema-free `CREATE` statements (Neo4j, Memgraph, FalkorDB); for
    /// `bulk`, the CSV layout of `neo4j-admin database import` (Memgraph
    /// reads it too).
    #[default]
    Neo4j,
    /// Kuzu: node and relationship tables first, then the data; for
    /// `bulk`, CSV tables and a `COPY FROM` script.
    Kuzu,
    /// FalkorDB: the neo4j script; for `bulk`, the CSV layout of
    /// `falkordb-bulk-loader`.
    FalkorDb,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Neo4j, Dialect::Kuzu, Dialect::FalkorDb];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Neo4j => "neo4j",
            Dialect::Kuzu => "kuzu",
            Dialect::FalkorDb => "falkordb",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "neo4j" | "memgraph" | "opencypher" => Ok(Dialect::Neo4j),
            "kuzu" | "kùzu" => Ok(Dialect::Kuzu),
            "falkordb" => Ok(Dialect::FalkorDb),
            _ => Err(ExportError::UnknownDialect(s.to_string())),
        }
    }
}

/// Why an export failed. The messages are written for the user.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown export format `{0}`: use dot, svg, json, graphml, cypher, html or bulk")]
    UnknownFormat(String),
    #[error("unknown dialect `{0}`: use neo4j (also Memgraph), kuzu or falkordb")]
    UnknownDialect(String),
    #[error(
        "the graph is too large to draw as {format}: {nodes} nodes and {rels} relations \
         (at most {MAX_DRAWN_NODES} nodes and {MAX_DRAWN_RELATIONS} relations)\n\
         help: draw a part of it with `--focus ENTITY` or `--query 'MATCH ...'`, \
         or export a data format (json, graphml, cypher, bulk)"
    )]
    TooLargeToDraw {
        format: Format,
        nodes: usize,
        rels: usize,
    },
    #[error(
        "`--format bulk` writes a folder of files, not one stream\n\
         help: give the folder with `-o FOLDER`"
    )]
    FolderNeeded,
    #[error(
        "`{}` exists and is not a folder eje exported: it holds {found}\n\
         help: choose a new folder, or add `--force` to replace it",
        .path.display()
    )]
    FolderInUse { path: PathBuf, found: String },
    #[error(
        "`dot` (Graphviz) is not installed: install it (e.g. `apt-get install graphviz`) \
         or export `--format dot`"
    )]
    DotMissing,
    #[error("Graphviz `dot` could not render the picture ({status}){}", stderr_suffix(.stderr))]
    DotFailed { status: String, stderr: String },
    #[error("cannot run Graphviz `dot`: {0}")]
    DotIo(#[source] io::Error),
    #[error("cannot write `{}`: {}", .path.display(), os_reason(.source))]
    File {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "the map would draw {nodes} entities, more than the {max} it can lay out readably\n\
         help: draw a part of the graph: `--focus ENTITY --depth 1`, or `--query` with a query \
         whose answer holds what you want to see"
    )]
    MapTooLarge { nodes: usize, max: usize },
    #[error("cannot write the export: {}", os_reason(.0))]
    Io(#[from] io::Error),
}

impl ExportError {
    /// Whether the reader went away (`eje export ... | head`): not worth a
    /// message, the command line exits quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ExportError::Io(e) | ExportError::File { source: e, .. }
            if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

fn stderr_suffix(stderr: &str) -> String {
    let s = stderr.trim();
    if s.is_empty() {
        String::new()
    } else {
        format!(": {s}")
    }
}

/// Refuses a subgraph too large for a picture format to lay out.
pub fn check_drawable(sub: &Subgraph, format: Format) -> Result<(), ExportError> {
    if sub.node_count() > MAX_DRAWN_NODES || sub.rel_count() > MAX_DRAWN_RELATIONS {
        return Err(ExportError::TooLargeToDraw {
            format,
            nodes: sub.node_count(),
            rels: sub.rel_count(),
        });
    }
    Ok(())
}

/// Writes `sub` of `graph` in `format` to `out`. `dialect` matters only for
/// `Format::Cypher`.
///
/// SVG is rendered in memory first, so a Graphviz error writes nothing;
/// the data formats are written as they are made.
pub fn export(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    write_to(graph, sub, format, dialect, out, &Progress::off())
}

/// Like `export`, with a progress line (`Progress::exporting`) that counts the
/// nodes and relations written.
pub fn write_to(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    out: &mut dyn Write,
    progress: &Progress,
) -> Result<(), ExportError> {
    match format {
        Format::Dot => dot::write_dot(graph, sub, out, progress)?,
        Format::Svg | Format::Html => {
            let bytes = render(graph, sub, format, dialect)?;
            out.write_all(&bytes)?;
            out.flush()?;
        }
        Format::Json => json::write_json(graph, sub, out, progress)?,
        Format::GraphMl => graphml::write_graphml(graph, sub, out, progress)?,
        Format::Cypher => cypher::write_cypher(graph, sub, dialect, out, progress)?,
        Format::Bulk => return Err(ExportError::FolderNeeded),
    }
    Ok(())
}

/// Renders an export in memory.
pub fn render(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
) -> Result<Vec<u8>, ExportError> {
    render_scoped(graph, sub, format, dialect, &Scope::Part)
}

/// Renders an export in memory, saying what it shows where the format has
/// room for it (the HTML map's provenance).
pub fn render_scoped(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    scope: &Scope,
) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        Format::Svg => {
            check_drawable(sub, format)?;
            dot::render_svg(&dot::to_dot(graph, sub))?
        }
        Format::Html => html::to_html(graph, sub, scope)?.into_bytes(),
        Format::Bulk => return Err(ExportError::FolderNeeded),
        _ => {
            let mut out = Vec::new();
            write_to(graph, sub, format, dialect, &mut out, &Progress::off())?;
            out
        }
    })
}

/// Writes `bytes` to `path` through the output sink (`crate::sink`): `-`
/// is stdout, pipes and devices are written as they are, a file atomically.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<Written, ExportError> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Like `write_atomic`, with the content written by `fill`; an I/O error of
/// `fill` names the file, as the sink's own errors do.
pub fn write_atomic_with(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<Written, ExportError> {
    sink::write_with(path, fill).map_err(|e| match e {
        WriteError::File { path, source } => ExportError::File { path, source },
        WriteError::Fill(ExportError::Io(source)) => ExportError::File {
            path: path.to_path_buf(),
            source,
        },
        WriteError::Fill(other) => other,
        WriteError::InUse { path, found } => ExportError::FolderInUse { path, found },
    })
}

/// Writes an export to `path` atomically: on any error an existing file is
/// left as it was. A bulk export writes the folder `path` (see
/// `bulk::write_folder`, which also takes `--force`).
pub fn export_to_file(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    scope: &Scope,
    path: &std::path::Path,
) -> Result<Written, ExportError> {
    export_to_path(graph, sub, format, dialect, scope, path, &Progress::off())
}

/// `export_to_file` with a progress line.
pub fn export_to_path(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    scope: &Scope,
    path: &std::path::Path,
    progress: &Progress,
) -> Result<Written, ExportError> {
    match format {
        // Render first: a renderer that fails (Graphviz missing, a graph
        // too large) should not even create the temporary file.
        Format::Svg | Format::Html => {
            write_atomic(path, &render_scoped(graph, sub, format, dialect, scope)?)
        }
        Format::Bulk => bulk::write_folder(graph, sub, dialect, path, false, progress)
            .map(|_| Written::File(path.to_path_buf())),
        _ => write_atomic_with(path, |w| write_to(graph, sub, format, dialect, w, progress)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_dialects_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
            assert_eq!(f.to_string().to_uppercase().parse::<Format>().unwrap(), f);
        }
        for d in Dialect::ALL {
            assert_eq!(d.name().parse::<Dialect>().unwrap(), d);
        }
        assert_eq!("FalkorDB".parse::<Dialect>().unwrap(), Dialect::FalkorDb);
        assert_eq!("memgraph".parse::<Dialect>().unwrap(), Dialect::Neo4j);
        let err = "png".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("`png`") && err.contains("graphml"), "{err}");
        assert_eq!(Format::from_path("a/b.GV".as_ref()), Some(Format::Dot));
        assert_eq!(Format::from_path("x".as_ref()), None);
    }
}
