//! The query language: parse (`parser`) → syntax tree (`ast`) → plan
//! (`plan`) → evaluate (`eval`) over a `model::Graph`.

pub mod ast;
