//! The evidence map: one self-contained HTML file that draws a subgraph
//! with cytoscape.js and shows every claim's evidence.
//!
//! The file holds, inline: the page (`assets/html/map.html`, `map.css`,
//! `map.js`), the vendored cytoscape.js (`assets/html/cytoscape.min.js`,
//! MIT, its licence beside it) and the data as JSON in a
//! `<script type="application/json">` element. It makes no network request:
//! a Content-Security-Policy allows nothing but the page's own inline
//! scripts and styles, named by their SHA-256 hashes, so even a string that
//! escaped its element could not run.
//!
//! The data (see `MapData` in `map.js`):
//! - `nodes`: id, name, kind, aliases, description, when, other properties,
//!   and `keys`: eje's normalised name keys (`model::names::normalize`) of
//!   the id, the name and every alias, which the search box matches after
//!   normalising the typed text the same way;
//! - `claims`: one per relation, with its hedge, rank, dates (the text and
//!   the first and last day covered, as days since 1970-01-01, for the date
//!   filter's interval overlap), quantity, whether it is derived, what it
//!   conflicts with, and its citations (quote, source, claimant, hedge);
//! - `bundles`: the claims of one type between two nodes (both directions
//!   for a symmetric type): one drawn edge each;
//! - `kinds`: the schema's Graphviz shape and colour of each kind drawn,
//!   and the cytoscape.js shape it maps to (`cy_shape`);
//! - `sources`: the cited sources (title, date, publisher); `meta`: eje's
//!   version and what the file shows.
//!
//! JSON is written with `<`, `>`, `&` and U+2028/U+2029 as `\u` escapes, so
//! no data string can close the element or open a comment; the page puts
//! strings into the document only as text (`textContent`), never as markup.
//! Output is deterministic: the same subgraph gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value as Json, json};
use sha2::{Digest, Sha256};

use super::ExportError;
use super::dot::{is_symmetric, node_style};
use super::subgraph::Subgraph;
use super::text::{plain, prop_nonempty, prop_str, prop_true, quantity_text, when_text};
use crate::model::{Graph, PartialDate, Props, Rel, Value, names};

const TEMPLATE: &str = include_str!("../../assets/html/map.html");
const CSS: &str = include_str!("../../assets/html/map.css");
const SCRIPT: &str = include_str!("../../assets/html/map.js");
const CYTOSCAPE: &str = include_str!("../../assets/html/cytoscape.min.js");
/// The vendored library's version (`assets/html/README.md` says where it
/// came from).
pub const CYTOSCAPE_VERSION: &str = "3.35.0";
/// cytoscape.js adds this stylesheet to the page unless an element with its
/// id exists; the page carries it so the policy can name its hash.
const CYTOSCAPE_STYLE: &str = ".__________cytoscape_container { position: relative; }";

/// The most nodes the map lays out: above it the force-directed layout
/// takes too long in a browser (headless Chromium on two cores: 250 nodes
/// with 750 lines 1.4 s, 400 nodes 3.2 s, 500 nodes 5.3 s) and the picture
/// is unreadable anyway.
pub const MAX_NODES: usize = 400;

/// Where a Graphviz shape has no cytoscape.js twin, the nearest one.
/// The mapping is documented in ARCHITECTURE.md and shown in the legend.
pub fn cytoscape_shape(graphviz: &str) -> &'static str {
    match graphviz.to_ascii_lowercase().as_str() {
        "ellipse" | "oval" | "circle" | "doublecircle" | "point" | "egg" => "ellipse",
        "house" | "invhouse" | "pentagon" => "pentagon",
        "note" | "tab" | "folder" => "cut-rectangle",
        "component" | "box3d" | "rect" | "rectangle" => "rectangle",
        "octagon" | "doubleoctagon" | "tripleoctagon" => "octagon",
        "cds" | "rarrow" | "larrow" => "tag",
        "diamond" | "mdiamond" => "diamond",
        "hexagon" => "hexagon",
        "triangle" | "invtriangle" => "triangle",
        "star" => "star",
        "parallelogram" => "rhomboid",
        "trapezium" | "invtrapezium" => "round-tag",
        "cylinder" => "barrel",
        _ => "round-rectangle",
    }
}

/// The extra border a shape gets so doubled Graphviz shapes stay apart.
fn cytoscape_border(graphviz: &str) -> &'static str {
    match graphviz.to_ascii_lowercase().as_str() {
        "doubleoctagon" | "tripleoctagon" | "doublecircle" => "double",
        "box3d" | "component" => "thick",
        _ => "solid",
    }
}

/// What a file shows, for its provenance line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole graph.
    Whole,
    /// The answer to a query.
    Query(String),
    /// An entity and its neighbourhood.
    Focus { entity: String, depth: usize },
    /// The last answer of an interactive session.
    LastAnswer,
    /// A part of the graph, not said which.
    Part,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Whole => f.write_str("the whole graph"),
            Scope::Query(q) => write!(f, "the answer to the query {q}"),
            Scope::Focus { entity, depth } => write!(
                f,
                "{entity} and everything within {depth} hop{}",
                if *depth == 1 { "" } else { "s" }
            ),
            Scope::LastAnswer => f.write_str("the last answer"),
            Scope::Part => f.write_str("a part of the graph"),
        }
    }
}

/// Day number of 1970-01-01, so days are counted as JavaScript counts them.
fn unix_epoch_day() -> i64 {
    PartialDate {
        year: 1970,
        month: Some(1),
        day: Some(1),
    }
    .first_day()
}

fn date_of(v: Option<&Value>) -> Option<PartialDate> {
    match v? {
        Value::Date(d) => Some(*d),
        Value::Str(s) => PartialDate::parse(s).ok(),
        _ => None,
    }
}

/// The days a claim holds, `[first, last]` (days since 1970-01-01), `None`
/// at an open end; `None` altogether for an undated claim.
fn claim_days(props: &Props) -> Option<(Option<i64>, Option<i64>)> {
    let epoch = unix_epoch_day();
    if let Some(d) = date_of(props.get("date")) {
        return Some((Some(d.first_day() - epoch), Some(d.last_day() - epoch)));
    }
    let start = date_of(props.get("start"));
    let end = date_of(props.get("end"));
    if start.is_none() && end.is_none() {
        return None;
    }
    Some((
        start.map(|d| d.first_day() - epoch),
        end.map(|d| d.last_day() - epoch),
    ))
}

/// A value as display text, nodes by name.
fn text(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Node(n) if n.index() < graph.node_count() => {
            graph.node(*n).display_name().to_string()
        }
        Value::List(items) => items
            .iter()
            .map(|v| text(graph, v))
            .collect::<Vec<_>>()
            .join(", "),
        other => plain(graph, other),
    }
}

/// Someone named by id where the graph has them (a claimant), by name.
fn who(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Str(s) => match graph.by_id(s) {
            Some(ix) => graph.node(ix).display_name().to_string(),
            None => s.to_string(),
        },
        other => text(graph, other),
    }
}

/// Properties as `[key, text]` pairs, leaving out `skip` and empty ones.
fn other_props(graph: &Graph, props: &Props, skip: &[&str]) -> Json {
    Json::Array(
        props
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k, text(graph, v)))
            .filter(|(_, t)| !t.is_empty())
            .map(|(k, t)| json!([k, t]))
            .collect(),
    )
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::Str(s)) if !s.is_empty() => vec![(s.clone()).to_string()],
        _ => Vec::new(),
    }
}

/// A claim's citations: the loader's `citations`, else its `quotes` and
/// `sources` side by side (a graph built from a script).
fn citations(graph: &Graph, props: &Props, cited: &mut BTreeSet<String>) -> Json {
    let mut out = Vec::new();
    if let Some(Value::List(cites)) = props.get("citations") {
        for c in cites {
            let Value::Map(m) = c else { continue };
            let mut o = Map::new();
            for (k, v) in m {
                if v.is_null() {
                    continue;
                }
                let t = if k == "claimant" {
                    who(graph, v)
                } else {
                    text(graph, v)
                };
                if k == "source" {
                    cited.insert(t.clone());
                }
                if !t.is_empty() {
                    o.insert(k.clone(), Json::String(t));
                }
            }
            out.push(Json::Object(o));
        }
        return Json::Array(out);
    }
    let quotes = strings(props.get("quotes"));
    let sources = strings(props.get("sources"));
    for i in 0..quotes.len().max(sources.len()) {
        let mut o = Map::new();
        if let Some(s) = sources.get(i) {
            cited.insert(s.clone());
            o.insert("source".into(), Json::String(s.clone()));
        }
        if let Some(q) = quotes.get(i) {
            o.insert("quote".into(), Json::String(q.clone()));
        }
        out.push(Json::Object(o));
    }
    Json::Array(out)
}

/// The properties a claim card shows in their own places.
const CLAIM_KEYS: &[&str] = &[
    "id",
    "hedge",
    "rank",
    "date",
    "start",
    "end",
    "quantity",
    "unit",
    "derived",
    "conflicts_with",
    "citations",
    "quotes",
    "sources",
    "claimants",
    "note",
];

const NODE_KEYS: &[&str] = &["id", "name", "kind", "aliases", "description"];

fn claim_json(
    graph: &Graph,
    rel: &Rel,
    from: usize,
    to: usize,
    cited: &mut BTreeSet<String>,
) -> Json {
    let p = &rel.props;
    let hedge = prop_str(p, "hedge")
        .map(str::to_lowercase)
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "asserted".to_string());
    let mut o = Map::new();
    o.insert("id".into(), json!(prop_str(p, "id").unwrap_or("")));
    o.insert("type".into(), json!(rel.rel_type));
    o.insert("from".into(), json!(from));
    o.insert("to".into(), json!(to));
    o.insert("hedge".into(), json!(hedge));
    o.insert(
        "rank".into(),
        json!(prop_str(p, "rank").unwrap_or("normal").to_lowercase()),
    );
    o.insert("when".into(), json!(when_text(p).unwrap_or_default()));
    let (dated, lo, hi) = match claim_days(p) {
        Some((lo, hi)) => (true, lo, hi),
        None => (false, None, None),
    };
    o.insert("dated".into(), json!(dated));
    o.insert("lo".into(), json!(lo));
    o.insert("hi".into(), json!(hi));
    o.insert(
        "quantity".into(),
        json!(quantity_text(graph, p).unwrap_or_default()),
    );
    o.insert("derived".into(), json!(prop_true(p, "derived")));
    let conflicts = if prop_nonempty(p, "conflicts_with") {
        match p.get("conflicts_with") {
            Some(Value::List(items)) => items.iter().map(|v| plain(graph, v)).collect(),
            Some(v) => vec![plain(graph, v)],
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    o.insert("conflicts".into(), json!(conflicts));
    o.insert("citations".into(), citations(graph, p, cited));
    o.insert(
        "note".into(),
        json!(p.get("note").map(|v| text(graph, v)).unwrap_or_default()),
    );
    o.insert("props".into(), other_props(graph, p, CLAIM_KEYS));
    Json::Object(o)
}

/// The data the page draws, as a JSON value.
pub fn map_data(graph: &Graph, sub: &Subgraph, scope: &Scope) -> Json {
    let order = sub.sorted_nodes(graph);
    let pos: HashMap<_, usize> = order.iter().enumerate().map(|(i, n)| (*n, i)).collect();

    let mut kinds: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    let nodes: Vec<Json> = order
        .iter()
        .map(|&ix| {
            let node = graph.node(ix);
            let kind = node.kind().unwrap_or("").to_string();
            let style = node_style(graph, node);
            kinds
                .entry(kind.clone())
                .or_insert_with(|| (style.shape.clone(), style.color.clone(), 0))
                .2 += 1;
            let aliases = strings(node.props.get("aliases"));
            let mut keys: Vec<String> = Vec::new();
            for name in std::iter::once(node.id.as_str())
                .chain(node.name())
                .chain(aliases.iter().map(String::as_str))
            {
                let k = names::normalize(name);
                if !k.is_empty() && !keys.contains(&k) {
                    keys.push(k);
                }
            }
            json!({
                "id": node.id,
                "name": node.display_name(),
                "kind": kind,
                "aliases": aliases,
                "keys": keys,
                "description": prop_str(&node.props, "description").unwrap_or(""),
                "when": when_text(&node.props).unwrap_or_default(),
                "props": other_props(graph, &node.props, NODE_KEYS),
            })
        })
        .collect();

    let mut cited = BTreeSet::new();
    let mut claims = Vec::new();
    let mut bundles: Vec<(usize, usize, String, bool, Vec<usize>)> = Vec::new();
    let mut bundle_of: HashMap<(usize, usize, String), usize> = HashMap::new();
    for e in sub.sorted_rels(graph) {
        let (a, b) = graph.endpoints(e);
        let (Some(&from), Some(&to)) = (pos.get(&a), pos.get(&b)) else {
            continue;
        };
        let rel = graph.rel(e);
        let ci = claims.len();
        claims.push(claim_json(graph, rel, from, to, &mut cited));
        let symmetric = is_symmetric(graph, rel);
        let (x, y) = if symmetric && to < from {
            (to, from)
        } else {
            (from, to)
        };
        let key = (x, y, rel.rel_type.to_string());
        match bundle_of.get(&key) {
            Some(&i) => bundles[i].4.push(ci),
            None => {
                bundle_of.insert(key, bundles.len());
                bundles.push((x, y, rel.rel_type.to_string(), symmetric, vec![ci]));
            }
        }
    }
    let bundles: Vec<Json> = bundles
        .into_iter()
        .map(|(from, to, t, symmetric, claims)| {
            json!({"from": from, "to": to, "type": t, "symmetric": symmetric, "claims": claims})
        })
        .collect();

    let sources: Vec<Json> = cited
        .iter()
        .map(|id| match graph.sources().get(id) {
            Some(s) => json!({
                "id": id,
                "title": s.title,
                "kind": s.kind,
                "published": s.published.map(|d| d.to_string()).unwrap_or_default(),
                "publisher": s.publisher.as_ref().map(|p| who(graph, &Value::Str((p.clone()).into()))).unwrap_or_default(),
                "language": s.language,
            }),
            None => json!({"id": id, "title": "", "kind": "", "published": "", "publisher": "", "language": ""}),
        })
        .collect();

    let kinds: Vec<Json> = kinds
        .into_iter()
        .map(|(name, (shape, color, count))| {
            json!({
                "name": name,
                "shape": shape,
                "color": color,
                "cy_shape": cytoscape_shape(&shape),
                "border": cytoscape_border(&shape),
                "count": count,
            })
        })
        .collect();

    json!({
        "meta": {
            "generator": format!("eje {}", env!("CARGO_PKG_VERSION")),
            "library": format!("cytoscape.js {CYTOSCAPE_VERSION}"),
            "scope": scope.to_string(),
            "nodes": nodes.len(),
            "claims": claims.len(),
            "bundles": bundles.len(),
        },
        "kinds": kinds,
        "sources": sources,
        "nodes": nodes,
        "claims": claims,
        "bundles": bundles,
    })
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (which
/// could close the element or open a comment) and U+2028/U+2029 as `\u`
/// escapes. They can only occur inside JSON strings, where the escape
/// means the same character.
pub fn script_safe_json(v: &Json) -> String {
    let raw = v.to_string();
    let mut out = String::with_capacity(raw.len() + raw.len() / 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Text for an HTML element or a double-quoted attribute: `&<>"` as entities.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The CSP source expression of an inline script or style.
fn csp_hash(content: &str) -> String {
    use base64::Engine as _;
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy: nothing may load or connect; only the page's own scripts and
/// styles (by hash) run.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {} {}; style-src {} {}; \
         connect-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; \
         frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; \
         form-action 'none'",
        csp_hash(CYTOSCAPE),
        csp_hash(SCRIPT),
        csp_hash(CSS),
        csp_hash(CYTOSCAPE_STYLE)
    )
}

/// The evidence map of `sub` as one HTML document.
pub fn to_html(graph: &Graph, sub: &Subgraph, scope: &Scope) -> Result<String, ExportError> {
    if sub.node_count() > MAX_NODES {
        return Err(ExportError::MapTooLarge {
            nodes: sub.node_count(),
            max: MAX_NODES,
        });
    }
    let data = map_data(graph, sub, scope);
    let title = format!("eje evidence map: {scope}");
    let mut out = String::with_capacity(CYTOSCAPE.len() + 64 * 1024);
    // The template's markers are replaced in order; each appears once.
    let parts: [(&str, String); 7] = [
        ("{{CSP}}", escape_html(&content_security_policy())),
        ("{{TITLE}}", escape_html(&title)),
        ("{{CYTOSCAPE_STYLE}}", CYTOSCAPE_STYLE.to_string()),
        ("{{CSS}}", CSS.to_string()),
        ("{{DATA}}", script_safe_json(&data)),
        ("{{CYTOSCAPE}}", CYTOSCAPE.to_string()),
        ("{{SCRIPT}}", SCRIPT.to_string()),
    ];
    let mut rest = TEMPLATE;
    for (marker, value) in &parts {
        let Some(i) = rest.find(marker) else {
            unreachable!("the template has no {marker}");
        };
        out.push_str(&rest[..i]);
        out.push_str(value);
        rest = &rest[i + marker.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_its_element() {
        let v = json!({"k</script>": "</script><!-- <b>&amp;\u{2028}"});
        let s = script_safe_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert!(!s.contains('\u{2028}'));
        let back: Json = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn every_graphviz_shape_of_the_schema_has_a_cytoscape_shape() {
        assert_eq!(cytoscape_shape("house"), "pentagon");
        assert_eq!(cytoscape_shape("Box"), "round-rectangle");
        assert_eq!(cytoscape_shape("oval"), "ellipse");
        assert_eq!(cytoscape_shape("doubleoctagon"), "octagon");
        assert_eq!(cytoscape_border("doubleoctagon"), "double");
        assert_eq!(cytoscape_shape("no such shape"), "round-rectangle");
    }

    #[test]
    fn claim_days_cover_partial_dates_and_open_spans() {
        let mut p = Props::new();
        p.insert(
            "date".into(),
            Value::Date(PartialDate::parse("1970-02").unwrap()),
        );
        assert_eq!(claim_days(&p), Some((Some(31), Some(58))));
        let mut p = Props::new();
        p.insert(
            "start".into(),
            Value::Date(PartialDate::parse("1971").unwrap()),
        );
        assert_eq!(claim_days(&p), Some((Some(365), None)));
        assert_eq!(claim_days(&Props::new()), None);
    }

    #[test]
    fn the_policy_names_each_inline_script_and_style() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'"));
        assert_eq!(csp.matches("'sha256-").count(), 4, "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
    }
}
