//! The query language: parse (`parser`) → syntax tree (`ast`) → plan
//! (`plan`) → evaluate (`eval`) over a `model::Graph`.

pub mod analyst;
pub mod ast;
pub mod error;
pub mod eval;
pub mod functions;
pub mod lexer;
pub mod optimize;
pub mod parser;
pub mod plan;
mod print;
pub mod procedures;
pub mod result;
pub mod types;

pub use error::{ErrorKind, QueryError};
pub use eval::{Options, execute, run};
pub use result::ResultSet;
