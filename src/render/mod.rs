//! Turns answers into text: tables for people, JSON Lines, CSV and Markdown
//! for other programs, one file per format (`table.rs`, `json.rs`,
//! `csv.rs`, `markdown.rs`), and a value as text for a cell (`text.rs`).
//! Every function takes the colour decision and the table width as
//! arguments; nothing here looks at the terminal.

mod csv;
mod json;
mod layout;
mod markdown;
mod table;
mod text;

use crate::model::Graph;
use crate::query::ResultSet;

pub use json::{json_result, json_value};
pub use layout::wrap_prose;
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
    /// When an answer is shown one record per row instead of as a table.
    pub record: Record,
}

/// When a table answer is shown as records (one block per row, a line per
/// column) instead of columns, as psql's `\x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Record {
    /// When the columns do not fit the width even at their narrowest.
    #[default]
    Auto,
    Always,
    Never,
}

impl Record {
    pub fn name(self) -> &'static str {
        match self {
            Record::Auto => "auto",
            Record::Always => "on",
            Record::Never => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Record> {
        [Record::Auto, Record::Always, Record::Never]
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s))
    }
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

/// Row `n` (counted from 1) of an answer as a record with nothing cut;
/// empty when there is no such row.
pub fn row_record(graph: &Graph, rs: &ResultSet, n: usize, style: TableStyle) -> String {
    table::row_record(graph, rs, n, style)
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
