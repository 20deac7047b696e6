//! The query language: parse (`parser`) → syntax tree (`ast`) → plan
//! (`plan`) → evaluate (`eval`) over a `model::Graph`.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod parser;
mod print;
pub mod result;

pub use error::{ErrorKind, QueryError};
pub use result::ResultSet;
