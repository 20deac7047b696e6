//! The loader: reads `data/`, validates every file against the schema and
//! builds the `model::Graph`, or reports every problem at once.

pub mod files;
