//! What a statement answers: named columns and rows of values. Nodes,
//! relations and paths in it refer into the graph that was queried.

use crate::model::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Key facts shown above the table by the analyst statements (the card
    /// of `DESCRIBE`: kind, name, aliases...). Empty for openCypher queries.
    pub header: Vec<(String, String)>,
}

impl ResultSet {
    pub fn new(columns: Vec<String>) -> Self {
        ResultSet {
            columns,
            ..ResultSet::default()
        }
    }
}
