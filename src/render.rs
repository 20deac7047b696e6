//! Turns answers into text: tables for people, JSON Lines, CSV and Markdown
//! for other programs. Every function takes the colour decision and the
//! table width as arguments; nothing here looks at the terminal.

use colored::Colorize;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Map, Value as Json, json};

use crate::model::{Graph, Node, Path, Value, value::format_float};
use crate::query::ResultSet;

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
        Format::Table => table(graph, rs, style),
        Format::Json => format!("{}\n", json_result(graph, rs)),
        Format::Csv => csv(graph, rs),
        Format::Markdown => markdown(graph, rs),
    }
}

/// A node as people read it: `Vladimir Putin (Person)`.
fn node_text(n: &Node) -> String {
    match n.kind() {
        Some(k) => format!("{} ({k})", n.display_name()),
        None => n.display_name().to_string(),
    }
}

fn kind_color(kind: &str) -> colored::Color {
    // A stable colour per kind, from a small palette.
    const PALETTE: [colored::Color; 6] = [
        colored::Color::Cyan,
        colored::Color::Green,
        colored::Color::Yellow,
        colored::Color::Magenta,
        colored::Color::Blue,
        colored::Color::Red,
    ];
    let h = kind
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    PALETTE[h % PALETTE.len()]
}

/// A value as text for a table cell or a CSV field.
pub fn text(graph: &Graph, v: &Value, color: bool) -> String {
    match v {
        Value::Null => {
            if color {
                "null".dimmed().to_string()
            } else {
                "null".into()
            }
        }
        Value::Str(s) => s.clone(),
        Value::Float(f) => format_float(*f),
        Value::Date(d) => d.to_string(),
        Value::Temporal(t) => t.to_string(),
        Value::Node(ix) => {
            let n = graph.node(*ix);
            let t = node_text(n);
            match (color, n.kind()) {
                (true, Some(k)) => t.color(kind_color(k)).to_string(),
                _ => t,
            }
        }
        Value::Rel(ix) => rel_text(graph, *ix),
        Value::Path(p) => path_text(graph, p),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| inner_text(graph, i)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", inner_text(graph, v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// Inside lists and maps strings keep their quotes, so `['a, b']` reads as
/// one element.
fn inner_text(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Str(_) => v.to_string(),
        other => text(graph, other, false),
    }
}

fn rel_text(graph: &Graph, ix: petgraph::graph::EdgeIndex) -> String {
    let r = graph.rel(ix);
    let (a, b) = graph.endpoints(ix);
    let when = match (
        r.props.get("date"),
        r.props.get("start"),
        r.props.get("end"),
    ) {
        (Some(d), _, _) => format!(" {}", text(graph, d, false)),
        (None, Some(s), e) => format!(
            " {}–{}",
            text(graph, s, false),
            e.map_or(String::new(), |e| text(graph, e, false))
        ),
        (None, None, Some(e)) => format!(" –{}", text(graph, e, false)),
        _ => String::new(),
    };
    format!(
        "({})-[:{}{when}]->({})",
        graph.node(a).display_name(),
        r.rel_type,
        graph.node(b).display_name()
    )
}

fn path_text(graph: &Graph, p: &Path) -> String {
    let mut out = String::new();
    for (i, n) in p.nodes.iter().enumerate() {
        if i > 0 {
            let r = p.rels[i - 1];
            let (from, _) = graph.endpoints(r);
            let t = &graph.rel(r).rel_type;
            if from == p.nodes[i - 1] {
                out.push_str(&format!("-[:{t}]->"));
            } else {
                out.push_str(&format!("<-[:{t}]-"));
            }
        }
        out.push_str(&format!("({})", graph.node(*n).display_name()));
    }
    out
}

fn table(graph: &Graph, rs: &ResultSet, style: TableStyle) -> String {
    let mut out = String::new();
    for (k, v) in &rs.header {
        let key = if style.color {
            format!("{k}:").bold().to_string()
        } else {
            format!("{k}:")
        };
        out.push_str(&format!("{key} {v}\n"));
    }
    if !rs.header.is_empty() {
        out.push('\n');
    }
    if rs.columns.is_empty() {
        return out;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    if let Some(w) = style.width {
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w);
    }
    let header: Vec<String> = rs
        .columns
        .iter()
        .map(|c| {
            if style.color {
                c.bold().to_string()
            } else {
                c.clone()
            }
        })
        .collect();
    t.set_header(header);
    let shown = style.max_rows.unwrap_or(usize::MAX).min(rs.rows.len());
    for row in &rs.rows[..shown] {
        t.add_row(
            row.iter()
                .map(|v| text(graph, v, style.color))
                .collect::<Vec<_>>(),
        );
    }
    out.push_str(&t.to_string());
    out.push('\n');
    if shown < rs.rows.len() {
        let more = rs.rows.len() - shown;
        let note = format!(
            "… {more} more row{} (:maxrows to show more)",
            if more == 1 { "" } else { "s" }
        );
        out.push_str(&if style.color {
            note.dimmed().to_string()
        } else {
            note
        });
        out.push('\n');
    }
    out
}

/// The JSON shape of SPEC §1 for one value.
pub fn json_value(graph: &Graph, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Json::String(format_float(*f)), Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Temporal(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(|i| json_value(graph, i)).collect()),
        Value::Map(m) => Json::Object(json_map(graph, m)),
        Value::Node(ix) => {
            let n = graph.node(*ix);
            let mut o = Map::new();
            o.insert("id".into(), json!(n.id));
            o.insert("labels".into(), json!(n.labels));
            if let Some(name) = n.name() {
                o.insert("name".into(), json!(name));
            }
            o.insert("properties".into(), Json::Object(json_map(graph, &n.props)));
            Json::Object(o)
        }
        Value::Rel(ix) => {
            let r = graph.rel(*ix);
            let (a, b) = graph.endpoints(*ix);
            json!({
                "type": r.rel_type,
                "from": graph.node(a).id,
                "to": graph.node(b).id,
                "properties": Json::Object(json_map(graph, &r.props)),
            })
        }
        Value::Path(p) => json!({
            "nodes": p.nodes.iter().map(|n| json_value(graph, &Value::Node(*n))).collect::<Vec<_>>(),
            "rels": p.rels.iter().map(|r| json_value(graph, &Value::Rel(*r))).collect::<Vec<_>>(),
        }),
    }
}

fn json_map<'a>(
    graph: &Graph,
    m: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> Map<String, Json> {
    m.into_iter()
        .map(|(k, v)| (k.clone(), json_value(graph, v)))
        .collect()
}

pub fn json_result(graph: &Graph, rs: &ResultSet) -> Json {
    let mut o = Map::new();
    o.insert("columns".into(), json!(rs.columns));
    o.insert(
        "rows".into(),
        Json::Array(
            rs.rows
                .iter()
                .map(|r| Json::Array(r.iter().map(|v| json_value(graph, v)).collect()))
                .collect(),
        ),
    );
    if !rs.header.is_empty() {
        let h: Map<String, Json> = rs
            .header
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        o.insert("header".into(), Json::Object(h));
    }
    Json::Object(o)
}

/// CSV field text: scalars plain, nodes by id, the rest as JSON.
fn csv_field(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Node(ix) => graph.node(*ix).id.clone(),
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Date(_) => {
            text(graph, v, false)
        }
        other => json_value(graph, other).to_string(),
    }
}

fn csv(graph: &Graph, rs: &ResultSet) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&rs.columns);
    for row in &rs.rows {
        let _ = w.write_record(row.iter().map(|v| csv_field(graph, v)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn markdown(graph: &Graph, rs: &ResultSet) -> String {
    let esc = |s: String| {
        s.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace('\n', "<br>")
    };
    let mut out = String::new();
    for (k, v) in &rs.header {
        out.push_str(&format!("**{}:** {}  \n", esc(k.clone()), esc(v.clone())));
    }
    if !rs.header.is_empty() {
        out.push('\n');
    }
    if rs.columns.is_empty() {
        return out;
    }
    out.push_str(&format!(
        "| {} |\n",
        rs.columns
            .iter()
            .map(|c| esc(c.clone()))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(rs.columns.len())));
    for row in &rs.rows {
        let cells: Vec<String> = row.iter().map(|v| esc(text(graph, v, false))).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
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
