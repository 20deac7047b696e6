//! Graphviz DOT, and SVG rendered from it by Graphviz's `dot`.
//!
//! The picture is meant to be read, not only parsed:
//! - nodes are drawn by kind, with the shape and colour the schema gives
//!   the kind or its nearest styled ancestor (a light fill of the colour, a
//!   border in it), labelled with the name and, small, the kind (and the
//!   date for events); without a schema, events, agreements and places still
//!   get their own shapes;
//! - edges are labelled with the relation type and the date or span, plus
//!   the quantity; how sure the claim is shows in the line: reported and
//!   estimated claims dotted, alleged and expected ones dashed, denied ones
//!   dashed with a bar for a head, deprecated ones grey, disputed ones
//!   (`conflicts_with`) red and bold with "⚠ disputed", derived ones thin and
//!   grey; symmetric relations (`met_with`) have no arrowhead;
//! - hovering over a node or an edge in the SVG shows its description or
//!   its evidence (sources and quotes);
//! - places are grouped in a box per country (following `located_in`);
//! - a legend lists the kinds and line styles the picture uses.
//!
//! Strings are escaped for where they go: node and edge ids are quoted DOT
//! strings, labels are HTML-like labels with every `&`, `<`, `>` and `"`
//! written as an entity, tooltips are quoted strings. Control characters
//! become U+FFFD. Output is sorted by id.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

use petgraph::Direction;
use petgraph::graph::NodeIndex;

use super::ExportError;
use super::stream::{Chunks, Progress};
use super::subgraph::Subgraph;
use super::text::{
    clean_char, plain, prop_nonempty, prop_str, prop_true, quantity_text, when_text,
};
use crate::model::{Graph, Node, Rel, Style, Value};

const FONT: &str = "Helvetica,Arial,sans-serif";
const EDGE_COLOR: &str = "#4d4d4d";
const DISPUTED_COLOR: &str = "#d62728";
const DEPRECATED_COLOR: &str = "#aaaaaa";
const DERIVED_COLOR: &str = "#999999";
const DENIED_COLOR: &str = "#8c564b";
/// Used for kinds without a style, chosen by a stable hash of the kind.
const PALETTE: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#d62728",
];
/// Node names longer than this are wrapped at spaces.
const WRAP: usize = 24;
/// Claims listed in the tooltip of an edge that draws several.
const MAX_TOOLTIP_CLAIMS: usize = 12;
/// Kinds per column in the legend.
const LEGEND_ROWS: usize = 5;

/// How a relation is drawn, from its evidence. The order is the legend's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Line {
    Asserted,
    Reported,
    Estimated,
    Alleged,
    Expected,
    Speculated,
    Denied,
    Deprecated,
    Disputed,
    Derived,
}

impl Line {
    fn legend(self) -> &'static str {
        match self {
            Line::Asserted => "asserted",
            Line::Reported => "reported (dotted)",
            Line::Estimated => "estimated (dotted)",
            Line::Alleged => "alleged (dashed)",
            Line::Expected => "expected (dashed)",
            Line::Speculated => "speculated (dash-dot, grey text)",
            Line::Denied => "denied (dashed, bar)",
            Line::Deprecated => "deprecated (grey)",
            Line::Disputed => "⚠ disputed (red)",
            Line::Derived => "derived (thin grey)",
        }
    }

    fn attrs(self) -> Vec<(&'static str, String)> {
        let s = |v: &str| v.to_string();
        match self {
            Line::Asserted => vec![],
            Line::Reported | Line::Estimated => {
                vec![("style", s("dotted")), ("penwidth", s("1.4"))]
            }
            Line::Alleged | Line::Expected => vec![("style", s("dashed"))],
            // The outlet's own conjecture: fainter than an allegation.
            Line::Speculated => vec![
                ("style", s("dashed")),
                ("penwidth", s("0.8")),
                ("fontcolor", s(DERIVED_COLOR)),
            ],
            Line::Denied => vec![
                ("style", s("dashed")),
                ("arrowhead", s("tee")),
                ("color", s(DENIED_COLOR)),
                ("fontcolor", s(DENIED_COLOR)),
            ],
            Line::Deprecated => vec![
                ("color", s(DEPRECATED_COLOR)),
                ("fontcolor", s(DEPRECATED_COLOR)),
            ],
            Line::Disputed => vec![
                ("color", s(DISPUTED_COLOR)),
                ("penwidth", s("2")),
                ("fontcolor", s(DISPUTED_COLOR)),
            ],
            Line::Derived => vec![
                ("color", s(DERIVED_COLOR)),
                ("penwidth", s("0.6")),
                ("fontcolor", s(DERIVED_COLOR)),
                ("arrowsize", s("0.5")),
            ],
        }
    }
}

/// The line styles that apply to a relation: its hedge, then its rank,
/// dispute and derivation, each adding to the one before.
fn lines_of(rel: &Rel) -> Vec<Line> {
    let mut out = Vec::new();
    out.push(
        match prop_str(&rel.props, "hedge")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("reported") => Line::Reported,
            Some("estimated") => Line::Estimated,
            Some("alleged") => Line::Alleged,
            Some("expected") => Line::Expected,
            Some("speculated") => Line::Speculated,
            Some("denied") => Line::Denied,
            _ => Line::Asserted,
        },
    );
    if prop_str(&rel.props, "rank").is_some_and(|r| r.eq_ignore_ascii_case("deprecated")) {
        out.push(Line::Deprecated);
    }
    if prop_nonempty(&rel.props, "conflicts_with") {
        out.push(Line::Disputed);
    }
    if prop_true(&rel.props, "derived") {
        out.push(Line::Derived);
    }
    out
}

/// Attributes of an edge: later styles override earlier ones key by key,
/// so a deprecated alleged claim is grey and dashed.
fn edge_attrs(lines: &[Line]) -> BTreeMap<&'static str, String> {
    let mut m = BTreeMap::new();
    for l in lines {
        for (k, v) in l.attrs() {
            m.insert(k, v);
        }
    }
    m
}

/// A quoted DOT string (an id, a colour, a tooltip): `"` and `\` escaped,
/// line breaks as `\n`, control characters replaced.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars().map(clean_char) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a quoted string that Graphviz reads as an escString (tooltips):
/// like `quote`, and `&` as `&amp;` since Graphviz decodes entities there.
fn quote_text(s: &str) -> String {
    quote(&s.replace('&', "&amp;"))
}

/// Text inside an HTML-like label: entities for `&<>"`, line breaks as
/// `<BR/>`, control characters replaced.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(clean_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<BR/>"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Wraps a name at spaces so no line is much longer than `WRAP` chars.
fn wrap(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for para in s.split('\n') {
        let mut cur = String::new();
        for word in para.split(' ') {
            if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > WRAP {
                lines.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        lines.push(cur);
    }
    lines.join("\n")
}

/// What kind of thing a node is, for the fallback shapes.
fn family(graph: &Graph, node: &Node) -> &'static str {
    let has = |name: &str| {
        node.labels.iter().any(|l| l.eq_ignore_ascii_case(name))
            || graph.schema.as_ref().is_some_and(|s| {
                node.kind()
                    .is_some_and(|k| s.lineage(k).iter().any(|a| a.eq_ignore_ascii_case(name)))
            })
    };
    if has("Agreement") {
        "agreement"
    } else if has("Event") {
        "event"
    } else if has("Place") || has("Location") || has("Country") || has("City") {
        "place"
    } else {
        "actor"
    }
}

fn default_shape(family: &str) -> &'static str {
    match family {
        "agreement" => "note",
        "event" => "ellipse",
        "place" => "house",
        _ => "box",
    }
}

fn palette_color(kind: &str) -> &'static str {
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in kind.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    PALETTE[(h as usize) % PALETTE.len()]
}

/// Shape and colour of a node of this kind: the schema's, else a default
/// by family and a palette colour by kind.
pub(super) fn node_style(graph: &Graph, node: &Node) -> Style {
    let kind = node.kind().unwrap_or("");
    let from_schema = graph
        .schema
        .as_ref()
        .map(|s| s.style(kind))
        .unwrap_or_default();
    let fam = family(graph, node);
    Style {
        shape: if from_schema.shape.is_empty() {
            default_shape(fam).to_string()
        } else {
            from_schema.shape
        },
        color: if from_schema.color.is_empty() {
            palette_color(kind).to_string()
        } else {
            from_schema.color
        },
    }
}

/// The node attributes that draw a style: a light tint of the colour as
/// fill (when it is `#rrggbb`), the colour as border.
fn style_attrs(style: &Style) -> Vec<(&'static str, String)> {
    let rounded = matches!(
        style.shape.as_str(),
        "box" | "rect" | "rectangle" | "square"
    );
    let mut styles = vec!["filled"];
    if rounded {
        styles.push("rounded");
    }
    let hex = style.color.len() == 7
        && style.color.starts_with('#')
        && style.color[1..].bytes().all(|b| b.is_ascii_hexdigit());
    let fill = if hex {
        format!("{}33", style.color)
    } else {
        "#ffffff".to_string()
    };
    vec![
        ("shape", style.shape.clone()),
        ("style", styles.join(",")),
        ("color", style.color.clone()),
        ("fillcolor", fill),
    ]
}

/// A fresh id prefix for the legend's own nodes that no data node uses.
fn legend_prefix(graph: &Graph, sub: &Subgraph) -> String {
    let ids: HashSet<&str> = sub
        .nodes
        .iter()
        .map(|&n| graph.node(n).id.as_str())
        .collect();
    let mut prefix = String::from("eje_legend");
    while ids.iter().any(|id| id.starts_with(&prefix)) {
        prefix.push('_');
    }
    prefix
}

/// Groups of places: each node that reaches another node of the subgraph
/// through `located_in` belongs to the group of the last node it reaches (the
/// country, usually). Groups of one are left out.
fn place_groups(graph: &Graph, sub: &Subgraph) -> BTreeMap<String, (NodeIndex, Vec<NodeIndex>)> {
    let located = |n: NodeIndex| -> Option<NodeIndex> {
        let mut targets: Vec<NodeIndex> = graph
            .rels_of(n, Direction::Outgoing)
            .filter(|e| sub.rels.contains(e) && groups_places(graph.rel(*e)))
            .map(|e| graph.endpoints(e).1)
            .filter(|t| sub.nodes.contains(t) && *t != n)
            .collect();
        targets.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id));
        targets.first().copied()
    };
    // Each node's place looked up once: ten million events and cities
    // reach the same few countries, whose relations would otherwise be
    // walked again for each of them.
    let mut places: HashMap<NodeIndex, Option<NodeIndex>> = HashMap::new();
    let mut located = |n: NodeIndex| *places.entry(n).or_insert_with(|| located(n));
    let mut groups: BTreeMap<String, (NodeIndex, Vec<NodeIndex>)> = BTreeMap::new();
    for n in sub.sorted_nodes(graph) {
        let mut root = n;
        let mut seen = HashSet::from([n]);
        while let Some(next) = located(root) {
            if !seen.insert(next) {
                break;
            }
            root = next;
        }
        if root != n {
            let entry = groups
                .entry(graph.node(root).id.clone())
                .or_insert_with(|| (root, vec![root]));
            entry.1.push(n);
        }
    }
    groups
}

/// Whether a relation puts its subject in its object's box: a `located_in`
/// claim that is neither deprecated nor denied.
fn groups_places(rel: &Rel) -> bool {
    rel.rel_type.eq_ignore_ascii_case("located_in")
        && !lines_of(rel)
            .iter()
            .any(|l| matches!(l, Line::Deprecated | Line::Denied))
}

/// The DOT text of a subgraph.
pub fn to_dot(graph: &Graph, sub: &Subgraph) -> String {
    let mut out = Vec::new();
    write_dot(graph, sub, &mut out, &Progress::off()).expect("writing to memory");
    String::from_utf8(out).expect("DOT is UTF-8")
}

/// Writes the DOT text of a subgraph, one node or edge at a time.
pub fn write_dot(
    graph: &Graph,
    sub: &Subgraph,
    w: &mut dyn Write,
    progress: &Progress,
) -> std::io::Result<()> {
    let mut out = Chunks::new(w, progress);
    let nodes = sub.sorted_nodes(graph);
    let rels = sub.sorted_rels(graph);
    let _ = writeln!(
        out,
        "// eje export: {} nodes, {} relations",
        nodes.len(),
        rels.len()
    );
    out.push_str("digraph \"eje\" {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=\"LR\", fontname={f}, fontsize=\"11\", nodesep=\"0.3\", ranksep=\"0.7\", \
         pad=\"0.3\", newrank=\"true\", remincross=\"true\", labelloc=\"t\", labeljust=\"l\"];",
        f = quote(FONT)
    );
    let _ = writeln!(
        out,
        "  node [fontname={f}, fontsize=\"11\", penwidth=\"1.3\", margin=\"0.12,0.05\"];",
        f = quote(FONT)
    );
    let _ = writeln!(
        out,
        "  edge [fontname={f}, fontsize=\"9\", color=\"{EDGE_COLOR}\", fontcolor=\"#333333\", \
         arrowsize=\"0.7\"];",
        f = quote(FONT)
    );

    // Nodes, each in its place group if it has one.
    let groups = place_groups(graph, sub);
    let mut grouped: HashMap<NodeIndex, &str> = HashMap::new();
    for (root_id, (_, members)) in &groups {
        for m in members {
            grouped.insert(*m, root_id);
        }
    }
    let mut kinds_used: BTreeMap<String, (Style, &'static str)> = BTreeMap::new();
    for (cluster_no, (_root_id, (root, members))) in groups.iter().enumerate() {
        let _ = writeln!(out, "\n  subgraph \"cluster_place_{cluster_no}\" {{");
        let _ = writeln!(
            out,
            "    graph [label=<{}>, style=\"rounded,filled\", color=\"#c8c8c8\", fillcolor=\"#f7f7f7\", \
             fontcolor=\"#666666\"];",
            html(graph.node(*root).display_name())
        );
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id));
        for m in sorted {
            write_node(&mut out, graph, m, "    ", &mut kinds_used);
            out.step()?;
        }
        out.push_str("  }\n");
    }
    if !nodes.is_empty() {
        out.push('\n');
    }
    for &n in &nodes {
        if !grouped.contains_key(&n) {
            write_node(&mut out, graph, n, "  ", &mut kinds_used);
            out.step()?;
        }
    }

    // Relations.
    if !rels.is_empty() {
        out.push('\n');
    }
    // Claims of one type between the same two nodes that are drawn alike
    // become one edge (`cooperates_with ×6`), so a busy pair reads as one
    // line; the tooltip keeps every claim's evidence. A symmetric type
    // merges both directions.
    let mut lines_used: BTreeSet<Line> = BTreeSet::new();
    let mut groups: Vec<(NodeIndex, NodeIndex, Vec<Line>, Vec<&Rel>)> = Vec::new();
    let mut group_of: HashMap<(NodeIndex, NodeIndex, &str, Vec<Line>), usize> = HashMap::new();
    for &e in &rels {
        let (mut a, mut b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let lines = lines_of(rel);
        lines_used.extend(lines.iter().copied());
        if is_symmetric(graph, rel) && graph.node(b).id < graph.node(a).id {
            std::mem::swap(&mut a, &mut b);
        }
        let key = (a, b, rel.rel_type.as_str(), lines.clone());
        match group_of.get(&key) {
            Some(&i) => groups[i].3.push(rel),
            None => {
                group_of.insert(key, groups.len());
                groups.push((a, b, lines, vec![rel]));
            }
        }
    }
    for (a, b, lines, members) in &groups {
        let mut attrs: Vec<(&str, String)> = edge_attrs(lines).into_iter().collect();
        if is_symmetric(graph, members[0]) {
            attrs.push(("dir", "none".into()));
        }
        let tips: Vec<String> = members
            .iter()
            .take(MAX_TOOLTIP_CLAIMS)
            .map(|r| tooltip_of_rel(graph, r))
            .collect();
        let mut tooltip = tips.join("\n\n");
        if members.len() > MAX_TOOLTIP_CLAIMS {
            let _ = write!(
                tooltip,
                "\n\n… and {} more",
                members.len() - MAX_TOOLTIP_CLAIMS
            );
        }
        attrs.push(("tooltip", tooltip));
        let _ = write!(
            out,
            "  {} -> {}",
            quote(&graph.node(*a).id),
            quote(&graph.node(*b).id)
        );
        let label = edge_label(graph, members, lines);
        write_attrs_with_tooltip(&mut out, &attrs, &label);
        out.push_str(";\n");
        progress.inc(members.len() as u64 - 1);
        out.step()?;
    }

    if !nodes.is_empty() {
        write_legend(
            &mut out,
            &legend_prefix(graph, sub),
            &kinds_used,
            &lines_used,
        );
    }
    out.push_str("}\n");
    out.finish()
}

/// Like `write_attrs`, but the tooltip is escaped as text (entities too).
fn write_attrs_with_tooltip(out: &mut String, attrs: &[(&str, String)], label_html: &str) {
    let _ = write!(out, " [label=<{label_html}>");
    for (k, v) in attrs {
        let v = if *k == "tooltip" {
            quote_text(v)
        } else {
            quote(v)
        };
        let _ = write!(out, ", {k}={v}");
    }
    out.push(']');
}

fn write_node(
    out: &mut String,
    graph: &Graph,
    n: NodeIndex,
    indent: &str,
    kinds_used: &mut BTreeMap<String, (Style, &'static str)>,
) {
    let node = graph.node(n);
    let style = node_style(graph, node);
    let kind = node.kind().unwrap_or("");
    kinds_used
        .entry(kind.to_string())
        .or_insert_with(|| (style.clone(), family(graph, node)));
    let mut small = kind.to_string();
    if let Some(when) = when_text(&node.props) {
        if !small.is_empty() {
            small.push_str(" · ");
        }
        small.push_str(&when);
    }
    let mut label = html(&wrap(node.display_name()));
    if !small.is_empty() {
        let _ = write!(
            label,
            "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#555555\">{}</FONT>",
            html(&small)
        );
    }
    let mut attrs = style_attrs(&style);
    attrs.push(("tooltip", tooltip_of_node(graph, node)));
    let _ = write!(out, "{indent}{}", quote(&node.id));
    write_attrs_with_tooltip(out, &attrs, &label);
    out.push_str(";\n");
}

fn tooltip_of_node(graph: &Graph, node: &Node) -> String {
    let mut t = format!("{} ({})", node.display_name(), node.id);
    if let Some(d) = prop_str(&node.props, "description").filter(|d| !d.is_empty()) {
        t.push('\n');
        t.push_str(d);
    }
    if let Some(aliases @ Value::List(a)) = node.props.get("aliases")
        && !a.is_empty()
    {
        let _ = write!(t, "\naka {}", plain(graph, aliases));
    }
    t
}

fn tooltip_of_rel(graph: &Graph, rel: &Rel) -> String {
    let mut t = rel.rel_type.to_string();
    if let Some(id) = prop_str(&rel.props, "id") {
        let _ = write!(t, " [{id}]");
    }
    // Evidence is read for this tooltip only, not kept (`Props::scan`).
    rel.props.scan(|it| {
        let props: Vec<(&String, &Value)> = it.collect();
        tooltip_evidence(graph, &props, &mut t);
    });
    t
}

fn tooltip_evidence(graph: &Graph, props: &[(&String, &Value)], t: &mut String) {
    let get = |key: &str| {
        props
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| *v)
    };
    for key in ["hedge", "rank", "sources", "claimants", "conflicts_with"] {
        let text = match get(key) {
            Some(Value::List(items)) => items
                .iter()
                .map(|v| plain(graph, v))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            Some(v) => plain(graph, v),
            None => String::new(),
        };
        if !text.is_empty() {
            let _ = write!(t, "\n{key}: {text}");
        }
    }
    if let Some(Value::List(quotes)) = get("quotes") {
        for q in quotes {
            let _ = write!(t, "\n“{}”", plain(graph, q));
        }
    }
}

pub(super) fn is_symmetric(graph: &Graph, rel: &Rel) -> bool {
    graph
        .schema
        .as_ref()
        .and_then(|s| s.relation_ci(&rel.rel_type))
        .is_some_and(|r| r.symmetric)
}

/// The label of an edge drawing one or more claims of one type: the type
/// (with `×N`), then small: the date or the span of dates, the quantity
/// when they agree, the hedge, deprecated, derived.
fn edge_label(graph: &Graph, members: &[&Rel], lines: &[Line]) -> String {
    let first = members[0];
    let mut label = html(&first.rel_type);
    if members.len() > 1 {
        let _ = write!(label, " ×{}", members.len());
    }
    if lines.contains(&Line::Disputed) {
        let _ = write!(
            label,
            " <FONT COLOR=\"{DISPUTED_COLOR}\"><B>⚠ disputed</B></FONT>"
        );
    }
    let mut small: Vec<String> = Vec::new();
    let whens: BTreeSet<String> = members.iter().filter_map(|r| when_text(&r.props)).collect();
    match whens.len() {
        0 => {}
        1 => small.extend(whens),
        _ => {
            let mut dates: Vec<String> = members
                .iter()
                .flat_map(|r| ["date", "start", "end"].map(|k| r.props.get(k)))
                .flatten()
                .filter_map(|v| match v {
                    Value::Date(d) => Some(d.to_string()),
                    _ => None,
                })
                .collect();
            dates.sort();
            if let (Some(lo), Some(hi)) = (dates.first(), dates.last()) {
                small.push(if lo == hi {
                    lo.clone()
                } else {
                    format!("{lo} – {hi}")
                });
            }
        }
    }
    let quantities: BTreeSet<Option<String>> = members
        .iter()
        .map(|r| quantity_text(graph, &r.props))
        .collect();
    if quantities.len() == 1 {
        small.extend(quantities.into_iter().flatten());
    }
    let hedge = prop_str(&first.props, "hedge").filter(|h| !h.eq_ignore_ascii_case("asserted"));
    if let Some(h) = hedge {
        small.push(h.to_string());
    }
    if lines.contains(&Line::Deprecated) {
        small.push("deprecated".into());
    }
    if lines.contains(&Line::Derived) {
        small.push("derived".into());
    }
    if !small.is_empty() {
        let _ = write!(
            label,
            "<BR/><FONT POINT-SIZE=\"8\">{}</FONT>",
            html(&small.join(" · "))
        );
    }
    label
}

fn write_legend(
    out: &mut String,
    prefix: &str,
    kinds: &BTreeMap<String, (Style, &'static str)>,
    lines: &BTreeSet<Line>,
) {
    out.push_str("\n  subgraph \"cluster_legend\" {\n");
    let _ = writeln!(
        out,
        "    graph [label=<<B>Legend</B>>, style=\"rounded\", color=\"#bbbbbb\", fontsize=\"10\", \
         margin=\"8\", nodesep=\"0.1\", ranksep=\"0.3\"];"
    );
    out.push_str("    node [fontsize=\"9\", height=\"0.3\"];\n    edge [fontsize=\"8\"];\n");
    let q = |s: &str| quote(s);
    // Kinds in columns of LEGEND_ROWS (a rank is a column when the layout
    // runs left to right); invisible edges put the columns in order.
    let mut column_heads: Vec<String> = Vec::new();
    let kinds: Vec<_> = kinds.iter().collect();
    for (c, chunk) in kinds.chunks(LEGEND_ROWS).enumerate() {
        let mut ids = Vec::new();
        for (r, (kind, (style, _))) in chunk.iter().enumerate() {
            let id = format!("{prefix}_kind_{c}_{r}");
            let name = if kind.is_empty() {
                "(no kind)"
            } else {
                kind.as_str()
            };
            let mut attrs = style_attrs(style);
            attrs.push(("tooltip", format!("kind {name}")));
            let _ = write!(out, "    {}", q(&id));
            write_attrs_with_tooltip(out, &attrs, &html(name));
            out.push_str(";\n");
            ids.push(q(&id));
        }
        let _ = writeln!(out, "    {{ rank=\"same\"; {}; }}", ids.join("; "));
        column_heads.push(ids[0].clone());
    }
    // Line styles: a short edge between two points each, the tails in one
    // column and the heads in the next.
    let (mut tails, mut heads) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let a = q(&format!("{prefix}_line_{i}_a"));
        let b = q(&format!("{prefix}_line_{i}_b"));
        for p in [&a, &b] {
            let _ = writeln!(
                out,
                "    {p} [shape=\"point\", width=\"0.04\", color=\"#888888\", label=\"\"];"
            );
        }
        let mut attrs: Vec<(&str, String)> = edge_attrs(&[*line]).into_iter().collect();
        attrs.push(("tooltip", line.legend().to_string()));
        let _ = write!(out, "    {a} -> {b}");
        write_attrs_with_tooltip(out, &attrs, &html(line.legend()));
        out.push_str(";\n");
        tails.push(a);
        heads.push(b);
    }
    if !tails.is_empty() {
        let _ = writeln!(out, "    {{ rank=\"same\"; {}; }}", tails.join("; "));
        let _ = writeln!(out, "    {{ rank=\"same\"; {}; }}", heads.join("; "));
        column_heads.push(tails[0].clone());
    }
    for pair in column_heads.windows(2) {
        let _ = writeln!(out, "    {} -> {} [style=\"invis\"];", pair[0], pair[1]);
    }
    out.push_str("  }\n");
}

/// Runs Graphviz's `dot -Tsvg` on a DOT text and returns the SVG.
pub fn render_svg(dot: &str) -> Result<Vec<u8>, ExportError> {
    render_with("dot", &["-Tsvg"], dot)
}

/// Runs a Graphviz program (`dot`, `neato`...) with these arguments, the
/// DOT text on its standard input, and returns its standard output.
pub fn render_with(program: &str, args: &[&str], dot: &str) -> Result<Vec<u8>, ExportError> {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ExportError::DotMissing),
        Err(e) => return Err(ExportError::DotIo(e)),
    };
    // Feed stdin from a thread so a large picture cannot deadlock on full
    // pipes; read stderr the same way.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let r = stdin.write_all(&input);
        drop(stdin);
        r
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let mut svg = Vec::new();
    let read = child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_end(&mut svg);
    let status = child.wait().map_err(ExportError::DotIo)?;
    let write_result = writer.join().unwrap_or(Ok(()));
    let err_text = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if !status.success() {
        let status = match status.code() {
            Some(c) => format!("exit code {c}"),
            None => "killed by a signal".to_string(),
        };
        return Err(ExportError::DotFailed {
            status,
            stderr: err_text,
        });
    }
    read.map_err(ExportError::DotIo)?;
    write_result.map_err(ExportError::DotIo)?;
    if svg.is_empty() {
        return Err(ExportError::DotFailed {
            status: "no output".into(),
            stderr: err_text,
        });
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_dot_reads_specially() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\ny\u{7}"), "\"x\\ny\u{FFFD}\"");
        assert_eq!(quote("ends with \\"), "\"ends with \\\\\"");
        assert_eq!(html("<b> & \"{x}|\""), "&lt;b&gt; &amp; &quot;{x}|&quot;");
        assert_eq!(html("a\nb"), "a<BR/>b");
        assert_eq!(quote_text("R&D"), "\"R&amp;D\"");
    }

    #[test]
    fn long_names_wrap_at_spaces() {
        assert_eq!(wrap("short"), "short");
        let w = wrap("Democratic People's Republic of Korea");
        assert!(w.lines().all(|l| l.chars().count() <= WRAP), "{w}");
        assert_eq!(
            w.replace('\n', " "),
            "Democratic People's Republic of Korea"
        );
    }

    #[test]
    fn later_line_styles_override_earlier_ones() {
        let a = edge_attrs(&[Line::Alleged, Line::Deprecated]);
        assert_eq!(a["style"], "dashed");
        assert_eq!(a["color"], DEPRECATED_COLOR);
    }

    #[test]
    fn palette_is_stable() {
        assert_eq!(palette_color("Person"), palette_color("Person"));
    }
}
