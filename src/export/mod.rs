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
//! Writing to a file goes through the output sink (`crate::sink`): the text
//! is rendered in memory first, then written to a temporary file beside the
//! target and renamed over it, so a failed export never leaves a
//! half-written file.

pub mod cypher;
pub mod dot;
pub mod graphml;
pub mod html;
pub mod json;
mod subgraph;
mod text;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::str::FromStr;

use crate::model::Graph;

use crate::sink::{self, WriteError, os_reason};
pub use html::Scope;
pub use subgraph::Subgraph;

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
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Dot,
        Format::Svg,
        Format::Json,
        Format::GraphMl,
        Format::Cypher,
        Format::Html,
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
        }
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

/// The flavour of Cypher a script is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// Schema-free `CREATE` statements: Neo4j, Memgraph, FalkorDB.
    #[default]
    Neo4j,
    /// Kuzu: node and relationship tables first, then the data.
    Kuzu,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Neo4j, Dialect::Kuzu];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Neo4j => "neo4j",
            Dialect::Kuzu => "kuzu",
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
            "neo4j" | "memgraph" | "falkordb" | "opencypher" => Ok(Dialect::Neo4j),
            "kuzu" | "kùzu" => Ok(Dialect::Kuzu),
            _ => Err(ExportError::UnknownDialect(s.to_string())),
        }
    }
}

/// Why an export failed. The messages are written for the user.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown export format `{0}`: use dot, svg, json, graphml, cypher or html")]
    UnknownFormat(String),
    #[error("unknown Cypher dialect `{0}`: use neo4j (also Memgraph, FalkorDB) or kuzu")]
    UnknownDialect(String),
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
        matches!(self, ExportError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
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

/// Writes `sub` of `graph` in `format` to `out`. `dialect` matters only for
/// `Format::Cypher`.
///
/// The text is built in memory first and written in one go, so a renderer
/// error (Graphviz rejecting the input, say) writes nothing at all.
pub fn export(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let bytes = render(graph, sub, format, dialect)?;
    out.write_all(&bytes)?;
    out.flush()?;
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
        Format::Dot => dot::to_dot(graph, sub).into_bytes(),
        Format::Svg => dot::render_svg(&dot::to_dot(graph, sub))?,
        Format::Json => json::to_json_string(graph, sub).into_bytes(),
        Format::GraphMl => graphml::to_graphml(graph, sub).into_bytes(),
        Format::Cypher => cypher::to_cypher(graph, sub, dialect).into_bytes(),
        Format::Html => html::to_html(graph, sub, scope)?.into_bytes(),
    })
}

/// Writes `bytes` to `path` through the output sink (atomically).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), ExportError> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Like `write_atomic`, with the content written by `fill`; an I/O error of
/// `fill` names the file, as the sink's own errors do.
pub fn write_atomic_with(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    sink::write_atomic_with(path, fill).map_err(|e| match e {
        WriteError::File { path, source } => ExportError::File { path, source },
        WriteError::Fill(ExportError::Io(source)) => ExportError::File {
            path: path.to_path_buf(),
            source,
        },
        WriteError::Fill(other) => other,
    })
}

/// Renders an export and writes it to `path` atomically: on any error,
/// rendering included, an existing file is left as it was.
pub fn export_to_file(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    dialect: Dialect,
    path: &std::path::Path,
) -> Result<(), ExportError> {
    // Render first: a renderer that fails (Graphviz missing) should not
    // even create the temporary file.
    let bytes = render(graph, sub, format, dialect)?;
    write_atomic(path, &bytes)
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
        assert_eq!("FalkorDB".parse::<Dialect>().unwrap(), Dialect::Neo4j);
        let err = "png".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("`png`") && err.contains("graphml"), "{err}");
        assert_eq!(Format::from_path("a/b.GV".as_ref()), Some(Format::Dot));
        assert_eq!(Format::from_path("x".as_ref()), None);
    }
}
