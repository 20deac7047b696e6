//! Turns answers into text: tables for people, JSON Lines, CSV and Markdown
//! for other programs, one file per format (`table.rs`, `json.rs`,
//! `csv.rs`, `markdown.rs`), and a value as text for a cell (`text.rs`).
//! Every function takes the colour decision and the table width as
//! arguments; nothing here looks at the terminal.

mod csv;
mod json;
mod layout;
mod markdown;
mod stream;
mod table;
mod text;

use crate::model::Graph;
use crate::query::ResultSet;

pub use json::{json_result, json_value};
pub use layout::wrap_prose;
pub use stream::{Streamed, row_stream};
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
    /// The text goes to a terminal: CSV shows control characters as escapes
    /// too (tables and Markdown always do).
    pub terminal: bool,
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
        Format::Csv => csv::csv(graph, rs, style.terminal),
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Node, Path, Props, Rel, Value};

    /// Text with control characters among ordinary ones.
    fn hostile() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
                (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
                Just('\u{1b}'),
                Just('['),
                Just('m'),
                Just('|'),
                Just('\\'),
                any::<char>(),
                "[a-z0-9 ]".prop_map(|s| s.chars().next().unwrap()),
            ],
            0..24,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    /// A control character that reached the output raw: any but tab and
    /// line feed, once the colour sequences eje writes itself are taken out.
    fn raw_control(out: &str) -> Option<char> {
        let mut rest = out;
        let mut plain = String::new();
        while let Some(i) = rest.find("\x1b[") {
            plain.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let n = after.len()
                - after
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len();
            if after[n..].starts_with('m') {
                rest = &after[n + 1..];
            } else {
                plain.push('\u{1b}');
                rest = &rest[i + 1..];
            }
        }
        plain.push_str(rest);
        plain
            .chars()
            .find(|c| c.is_control() && *c != '\t' && *c != '\n')
    }

    proptest! {
        #[test]
        fn terminal_renderers_never_print_a_control_character_from_the_data(
            texts in proptest::collection::vec(hostile(), 6),
        ) {
            let mut graph = Graph::new(None);
            let mut props = Props::new();
            props.insert("name".into(), Value::Str((texts[0].clone()).into()));
            let a = graph.add_node(Node { id: texts[1].clone(), labels: vec![texts[2].clone()], props });
            let b = graph.add_node(Node { id: "b".into(), labels: vec![], props: Props::new() });
            let r = graph.add_rel(a, b, Rel { rel_type: texts[3].as_str().into(), props: Props::new() });
            let rs = ResultSet {
                columns: vec![texts[4].clone(), "n".into(), "r".into(), "p".into(), "l".into()],
                rows: vec![vec![
                    Value::Str((texts[5].clone()).into()),
                    Value::Node(a),
                    Value::Rel(r),
                    Value::Path(Box::new(Path { nodes: vec![a, b], rels: vec![r] })),
                    Value::List(vec![Value::Str((texts[0].clone()).into())]),
                ]]
                .into(),
                header: vec![(texts[2].clone(), texts[3].clone())],
                ..ResultSet::default()
            };
            // The same card with no rows: an analyst answer said in words.
            let empty = ResultSet {
                columns: vec!["claim".into()],
                header: vec![("entity".into(), texts[0].clone()), ("to".into(), texts[5].clone()), ("claims".into(), "0".into())],
                ..ResultSet::default()
            };
            for color in [false, true] {
                for width in [None, Some(40), Some(200)] {
                    for record in [Record::Auto, Record::Always, Record::Never] {
                        let style = TableStyle { color, width, max_rows: None, terminal: true, record };
                        for format in [Format::Table, Format::Markdown, Format::Csv] {
                            let out = render(&graph, &rs, format, style);
                            prop_assert_eq!(raw_control(&out), None, "{:?} {}", format, out);
                        }
                        let out = render(&graph, &empty, Format::Table, style);
                        prop_assert_eq!(raw_control(&out), None, "{}", out);
                        let out = row_record(&graph, &rs, 1, style);
                        prop_assert_eq!(raw_control(&out), None, "{}", out);
                    }
                }
            }
        }
    }
}
