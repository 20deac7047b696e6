//! What a statement answers: named columns and rows of values, what the
//! answer stands for in the graph, and notes for the user. Nodes,
//! relations and paths in it refer into the graph that was queried.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::model::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Key facts shown above the table by the analyst statements (the card
    /// of `DESCRIBE`: kind, name, aliases...). Empty for openCypher queries.
    pub header: Vec<(String, String)>,
    /// Nodes and relations the answer is about beyond the values in its
    /// rows: an analyst statement prints relations as text (type, date,
    /// sources) and lists them here, so an export after it draws them.
    pub touched: Touched,
    /// Notes for the user that accompany the answer (a precision caveat...),
    /// one line each, printed to standard error as `note: ...`.
    pub notes: Vec<String>,
    /// When the rows were streamed as they were made (`Options::stream`),
    /// how many: `rows` is then empty.
    pub streamed: Option<usize>,
}

/// Nodes and relations of the graph an answer touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub nodes: Vec<NodeIndex>,
    pub rels: Vec<EdgeIndex>,
}

impl ResultSet {
    pub fn new(columns: Vec<String>) -> Self {
        ResultSet {
            columns,
            ..ResultSet::default()
        }
    }

    /// How many rows the answer had, streamed or held.
    pub fn row_count(&self) -> usize {
        self.streamed.unwrap_or(self.rows.len())
    }
}
