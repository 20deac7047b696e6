//! The query language: parse (`parser`) → syntax tree (`ast`) → plan
//! (`plan`) → evaluate (`eval`) over a `model::Graph`.

pub mod analyst;
pub mod ast;
mod cache;
pub mod dates;
pub mod engine;
pub mod error;
pub mod eval;
pub mod functions;
pub mod ir;
pub mod kinds;
pub mod lexer;
pub mod limits;
pub mod optimize;
pub mod params;
pub mod parser;
pub mod plan;
mod print;
pub mod procedures;
pub mod result;
pub mod split;
pub mod types;

pub use engine::{Executed, Stage, Timing, execute, run, run_all};
pub use error::{ErrorKind, QueryError};
pub use eval::Options;
pub use result::{ResultSet, Rows, Touched};
