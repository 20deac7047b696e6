//! Graphs from Cypher scripts: `eje --graph-script FILE.cypher`, the TCK's
//! setup queries, and what `eje export --format cypher` writes.
//!
//! A script is a sequence of statements separated by `;`. A statement is a
//! sequence of clauses: `CREATE` builds nodes and relations; the reading
//! clauses `MATCH`, `OPTIONAL MATCH`, `UNWIND` and `WITH` find or compute
//! what later `CREATE` clauses use (`MATCH (a {id: 'x'}), (b {id: 'y'})
//! CREATE (a)-[:T]->(b)`). Other clauses (`MERGE`, `SET`, `DELETE`...) are
//! errors with the code `unsupported-clause`.
//!
//! Nothing is parsed twice by hand: a `CREATE` clause is read by the query
//! parser as the `MATCH` pattern it looks like (its text is handed over in
//! place, everything else blanked, so every span points into the script),
//! and reading clauses and non-literal property values are run by the
//! evaluator over the graph built so far, with the rows of the statement so
//! far passed in as a parameter.
//!
//! Variables: as in openCypher, a statement runs once per row of its reading
//! clauses, and a `CREATE` binds its new variables in each row. Beyond
//! openCypher, the nodes and relations bound when a statement ends with a
//! single row stay known to later statements of the script, so a script may
//! create nodes in one statement and link them in the next; a later pattern
//! that gives such a variable labels or properties creates a new node. A
//! `MATCH` right after a `CREATE` starts a new statement, as if a `;` stood
//! between them (scripts written one statement a line need no `;`).
//!
//! Node ids: a node whose `id` property is a string not used yet gets it as
//! its id, so exported graphs keep their ids; any other node gets `n0`,
//! `n1`... (the next number not in use). A property whose value is null is
//! left out, as in openCypher.
//!
//! Files: `importer.rs` runs the statements, `create.rs` makes what a
//! `CREATE` makes, `rows.rs` holds the rows of a statement so far,
//! `clauses.rs` finds clause keywords, `errors.rs` places errors in the
//! script.

mod clauses;
mod create;
mod errors;
mod importer;
mod rows;

use crate::diag::SourceMap;
use crate::load::Failure;
use crate::model::Graph;

pub use clauses::{ClauseStart, clauses, write_clause};
use importer::Importer;

/// The diagnostic code of a clause that imports do not run (`MERGE`, `SET`,
/// `DELETE`, `REMOVE`, `CALL`, `FOREACH`, `LOAD CSV`, `RETURN`, `UNION`).
pub const UNSUPPORTED_CLAUSE: &str = "unsupported-clause";

/// Builds a schema-less graph from a script of `CREATE` statements. `name`
/// is how errors name the script (its path).
pub fn load_script(name: &str, text: &str) -> Result<Graph, Failure> {
    let mut graph = Graph::new(None);
    run_script(&mut graph, name, text)?;
    Ok(graph)
}

/// Runs a script's statements against `graph`, adding to it. On error the
/// graph may hold what the statements before the failing one created.
pub fn run_script(graph: &mut Graph, name: &str, text: &str) -> Result<(), Failure> {
    let mut importer = Importer::new(graph, text);
    importer.run().map_err(|e| {
        let mut d = e.error.to_diagnostic(name);
        if e.unsupported {
            d.code = UNSUPPORTED_CLAUSE;
        }
        let mut sources = SourceMap::new();
        sources.insert(name.to_string(), text.to_string());
        Failure {
            diagnostics: vec![d],
            sources,
        }
    })
}

#[cfg(test)]
mod tests;
