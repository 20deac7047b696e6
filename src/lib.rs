//! eje: a knowledge-graph builder with a query REPL.
//!
//! Curated RON files go in (`load`), a property graph comes out (`model`),
//! and people ask it questions in an openCypher subset (`query`) from the
//! REPL, scripts or the command line, or export it (`export`).

pub mod cli;
pub mod coverage;
pub mod diag;
pub mod export;
pub mod import;
pub mod lines;
pub mod load;
pub mod lsp;
pub mod meta;
pub mod model;
pub mod progress;
pub mod query;
pub mod render;
pub mod repl;
pub mod session;
pub mod sink;
pub mod stats;
pub mod watch;
