//! A value as text for a table cell, a record or a CSV field: nodes as
//! `name (Kind)` coloured by kind, relations and paths drawn as arrows.

use colored::Colorize;

use crate::model::{Graph, Node, Path, Value, value::format_float};

/// A node as people read it: `Vladimir Putin (Person)`.
pub(super) fn node_text(n: &Node) -> String {
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

/// How a cell is coloured: the whole of its text takes one paint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paint {
    Plain,
    Dim,
    Color(colored::Color),
}

impl Paint {
    /// `text` in this paint; plain when colour is off.
    pub(super) fn apply(self, text: &str, color: bool) -> String {
        match (color, self) {
            (false, _) | (true, Paint::Plain) => text.to_string(),
            (true, Paint::Dim) => text.dimmed().to_string(),
            (true, Paint::Color(c)) => text.color(c).to_string(),
        }
    }
}

/// A value as text for a terminal, with the paint it is shown in, so a
/// table can measure and wrap the text before colouring each line. Control
/// characters but tab and line feed are shown as escapes (`\u{1b}`), so data
/// cannot move the cursor or retitle the terminal.
pub(super) fn styled(graph: &Graph, v: &Value) -> (String, Paint) {
    let plain = crate::diag::visible(&raw_text(graph, v)).into_owned();
    let paint = match v {
        Value::Null => Paint::Dim,
        Value::Node(ix) => graph
            .node(*ix)
            .kind()
            .map_or(Paint::Plain, |k| Paint::Color(kind_color(k))),
        _ => Paint::Plain,
    };
    (plain, paint)
}

/// A value as text for a table cell, Markdown or a terminal: control
/// characters escaped as `styled` does; coloured when `color`.
pub fn text(graph: &Graph, v: &Value, color: bool) -> String {
    let (plain, paint) = styled(graph, v);
    paint.apply(&plain, color)
}

/// A value as text, control characters and all (for CSV, which keeps them
/// as RFC 4180 says).
pub fn raw_text(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Str(s) => s.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Date(d) => d.to_string(),
        Value::Temporal(t) => t.to_string(),
        Value::Node(ix) => node_text(graph.node(*ix)),
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
pub(super) fn inner_text(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Str(_) => v.to_string(),
        other => raw_text(graph, other),
    }
}

pub(super) fn rel_text(graph: &Graph, ix: petgraph::graph::EdgeIndex) -> String {
    let r = graph.rel(ix);
    let (a, b) = graph.endpoints(ix);
    let when = match (
        r.props.get("date"),
        r.props.get("start"),
        r.props.get("end"),
    ) {
        (Some(d), _, _) => format!(" {}", raw_text(graph, d)),
        (None, Some(s), e) => format!(
            " {}–{}",
            raw_text(graph, s),
            e.map_or(String::new(), |e| raw_text(graph, e))
        ),
        (None, None, Some(e)) => format!(" –{}", raw_text(graph, e)),
        _ => String::new(),
    };
    format!(
        "({})-[:{}{when}]->({})",
        graph.node(a).display_name(),
        r.rel_type,
        graph.node(b).display_name()
    )
}

pub(super) fn path_text(graph: &Graph, p: &Path) -> String {
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
