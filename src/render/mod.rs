//! Turns answers into text: tables for people, JSON Lines, CSV and Markdown
//! for other programs, one file per format (`table.rs`, `json.rs`,
//! `csv.rs`, `markdown.rs`), and a value as text for a cell (`text.rs`).
//! Every function takes the colour decision and the table width as
//! arguments; nothing here looks at the terminal.

mod csv;
mod json;
mod markdown;
mod table;
mod text;

use crate::model::Graph;
use crate::query::ResultSet;

pub use json::{json_result, json_value};
pub use text::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        [Format::Table, Format::Json, Format::Csv, Format::Markdown]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
    }
}

/// How to draw a table.
#[derive(Debug, Clone, Copy)]
pub struct TableStyle {
    pub color: bool,
    /// Wrap to this many columns (a terminal's width); `None`: no wrapping.
    pub width: Option<u16>,
    /// Show at most this many rows, then say how many were left out.
    pub max_rows: Option<usize>,
}

/// Renders one answer in the chosen format. JSON is one line.
pub fn render(graph: &Graph, rs: &ResultSet, format: Format, style: TableStyle) -> String {
    match format {
        Format::Table => table::table(graph, rs, style),
        Format::Json => format!("{}\n", json_result(graph, rs)),
        Format::Csv => csv::csv(graph, rs),
        Format::Markdown => markdown::markdown(graph, rs),
    }
}

/// `3 rows (0.4 ms)`.
pub fn footer(rows: usize, millis: f64) -> String {
    let unit = if rows == 1 { "row" } else { "rows" };
    if millis < 10.0 {
        format!("{rows} {unit} ({millis:.1} ms)")
    } else {
        format!("{rows} {unit} ({millis:.0} ms)")
    }
}
