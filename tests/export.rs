//! Export round-trips: every DOT export is accepted by the real Graphviz,
//! JSON and GraphML read back to the same graph, Cypher scripts are
//! snapshots, and a failed export leaves the previous file intact.

#[path = "export/fixtures.rs"]
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use eje::export::{self, Dialect, ExportError, Format, Subgraph};
use eje::model::{Graph, Node, Path, Rel, Value};
use eje::query::ResultSet;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::Value as Json;

fn render(graph: &Graph, sub: &Subgraph, format: Format, dialect: Dialect) -> String {
    let mut out = Vec::new();
    export::export(graph, sub, format, dialect, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn dot_of(graph: &Graph, sub: &Subgraph) -> String {
    render(graph, sub, Format::Dot, Dialect::Neo4j)
}

#[path = "common/dot_check.rs"]
mod dot_check;
#[path = "common/programs.rs"]
mod programs;

/// Checks a DOT text: in process on every run (the grammar, HTML labels,
/// escapes, edge ends), and with the real Graphviz where it is installed
/// (DECISIONS D12): it must exit 0 without a warning, produce well-formed
/// SVG, and show every label line the in-process check read. Returns the
/// text a reader sees, one line per label line.
#[track_caller]
fn assert_graphviz_accepts(dot: &str) -> String {
    let text = dot_check::labels_text(dot);
    if programs::available("dot", "rendering DOT exports with Graphviz") {
        let svg_text = graphviz_svg_text(dot);
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = squash(&svg_text);
        for line in text.lines() {
            assert!(
                shown.contains(&squash(line)),
                "Graphviz's picture lacks the label line {line:?}\n--- DOT ---\n{dot}"
            );
        }
    }
    text
}

/// Runs the real Graphviz on a DOT text and returns the SVG's text content.
#[track_caller]
fn graphviz_svg_text(dot: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dot: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "dot rejected the export:\n{stderr}\n--- DOT ---\n{dot}"
    );
    assert!(
        stderr.trim().is_empty(),
        "dot warned:\n{stderr}\n--- DOT ---\n{dot}"
    );
    let svg = String::from_utf8(out.stdout).expect("SVG is UTF-8");
    let doc = roxmltree::Document::parse_with_options(
        &svg,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("dot's SVG is not well-formed XML: {e}"));
    doc.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The DOT line that draws the relation with this claim id.
fn edge_line<'a>(dot: &'a str, claim: &str) -> &'a str {
    let needle = format!("[{claim}]");
    dot.lines()
        .find(|l| l.contains(" -> ") && l.contains(&needle))
        .unwrap_or_else(|| panic!("no edge for {claim} in\n{dot}"))
}

fn node_ix(g: &Graph, id: &str) -> NodeIndex {
    g.by_id(id).unwrap_or_else(|| panic!("no node {id}"))
}

fn rel_ix(g: &Graph, claim: &str) -> EdgeIndex {
    g.rels()
        .find(|&e| g.rel(e).props.get("id") == Some(&Value::Str(claim.into())))
        .unwrap_or_else(|| panic!("no claim {claim}"))
}

/// The same graph with nodes and relations inserted in reverse order.
fn reversed(g: &Graph) -> Graph {
    let mut r = Graph::new(g.schema.clone());
    *r.sources_mut() = g.sources().clone();
    let mut map = BTreeMap::new();
    for n in g.nodes().collect::<Vec<_>>().into_iter().rev() {
        map.insert(n, r.add_node(g.node(n).clone()));
    }
    for e in g.rels().collect::<Vec<_>>().into_iter().rev() {
        let (a, b) = g.endpoints(e);
        r.add_rel(map[&a], map[&b], g.rel(e).clone());
    }
    r
}

// ---------------------------------------------------------------- DOT, SVG

#[test]
fn dot_of_the_whole_graph_is_valid_styled_and_has_every_node_and_claim() {
    let g = fixtures::alliance();
    let whole = Subgraph::whole(&g);
    let dot = dot_of(&g, &whole);
    let text = assert_graphviz_accepts(&dot);
    for n in g.nodes() {
        assert!(
            dot.contains(&format!("\"{}\" [label=", g.node(n).id)),
            "{} missing",
            g.node(n).id
        );
    }
    assert_eq!(
        dot.lines()
            .filter(|l| l.contains(" -> ") && l.contains("label="))
            .count()
            - legend_lines(&dot),
        g.rel_count()
    );
    // What a reader sees: names, kinds, relation types with dates.
    for s in [
        "Vladimir Putin",
        "Summit · 2024-06-19",
        "Legend",
        "⚠ disputed",
        "2024-10 – 2025-04 · 11,000 troops · reported",
    ] {
        assert!(text.contains(s), "the picture lacks {s:?}:\n{text}");
    }
    // Styles follow the evidence.
    assert!(
        edge_line(&dot, "c_missiles").contains("style=\"dashed\""),
        "alleged is dashed"
    );
    assert!(
        edge_line(&dot, "c_kpa_deploy").contains("style=\"dotted\""),
        "reported is dotted"
    );
    assert!(
        edge_line(&dot, "c_troops_12000").contains("style=\"dotted\""),
        "estimated is dotted"
    );
    assert!(
        edge_line(&dot, "c_visit_expected").contains("style=\"dashed\""),
        "expected is dashed"
    );
    let denied = edge_line(&dot, "c_denied");
    assert!(
        denied.contains("arrowhead=\"tee\"") && denied.contains("dashed"),
        "{denied}"
    );
    let old = edge_line(&dot, "c_choe_lavrov_old");
    assert!(
        old.contains("color=\"#aaaaaa\"") && old.contains("deprecated"),
        "{old}"
    );
    let disputed = edge_line(&dot, "c_troops_11000");
    assert!(
        disputed.contains("⚠ disputed") && disputed.contains("#d62728"),
        "{disputed}"
    );
    let asserted = edge_line(&dot, "c_putin_signed");
    assert!(
        !asserted.contains("style=") && !asserted.contains("dir="),
        "{asserted}"
    );
    assert!(
        edge_line(&dot, "c_choe_lavrov").contains("dir=\"none\""),
        "symmetric met_with has no arrow"
    );
    let derived = dot
        .lines()
        .find(|l| l.contains("derived</FONT>"))
        .expect("derived edge");
    assert!(derived.contains("penwidth=\"0.6\""), "{derived}");
    // Kinds are styled from the schema, inherited (Country from Place).
    let russia = dot
        .lines()
        .find(|l| l.trim_start().starts_with("\"russia\" ["))
        .unwrap();
    assert!(
        russia.contains("shape=\"house\"") && russia.contains("#2ca02c"),
        "{russia}"
    );
    let summit = dot
        .lines()
        .find(|l| l.trim_start().starts_with("\"summit_2024_pyongyang\""))
        .unwrap();
    assert!(
        summit.contains("doubleoctagon"),
        "events differ from actors: {summit}"
    );
    // Places are boxed by country; a deprecated located_in does not box.
    let russia_box = dot
        .split("subgraph")
        .find(|c| c.contains("label=<Russia>"))
        .expect("Russia box");
    assert!(russia_box.contains("\"moscow\"") && russia_box.contains("\"kursk_oblast\""));
    assert!(
        !dot.split("subgraph")
            .any(|c| c.contains("label=<Ukraine>") && c.contains("\"nis\""))
    );
    // The legend names each line style used, and only those.
    for s in [
        "alleged (dashed)",
        "reported (dotted)",
        "denied (dashed, bar)",
        "deprecated (grey)",
        "derived (thin grey)",
    ] {
        assert!(text.contains(s), "legend lacks {s}");
    }
}

fn legend_lines(dot: &str) -> usize {
    dot.lines()
        .filter(|l| l.contains("eje_legend") && l.contains(" -> ") && l.contains("label="))
        .count()
}

#[test]
fn dot_is_deterministic_whatever_the_insertion_order() {
    let g = fixtures::alliance();
    let r = reversed(&g);
    for format in [Format::Dot, Format::Json, Format::GraphMl, Format::Cypher] {
        for dialect in [Dialect::Neo4j, Dialect::Kuzu] {
            let a = render(&g, &Subgraph::whole(&g), format, dialect);
            let b = render(&r, &Subgraph::whole(&r), format, dialect);
            assert_eq!(a, b, "{format} {dialect} depends on insertion order");
        }
    }
}

#[test]
fn dot_of_a_query_answer_draws_exactly_its_nodes_relations_and_paths() {
    let g = fixtures::alliance();
    let putin = node_ix(&g, "putin");
    let kim = node_ix(&g, "kim_jong_un");
    let summit = node_ix(&g, "summit_2024_pyongyang");
    let p1 = rel_ix(&g, "c_putin_summit");
    let p2 = rel_ix(&g, "c_kim_summit");
    let mut rs = ResultSet::new(vec!["p".into(), "x".into(), "r".into()]);
    rs.rows.push(vec![
        Value::Path(Box::new(Path {
            nodes: vec![putin, summit, kim],
            rels: vec![p1, p2],
        })),
        Value::List(vec![
            Value::Str("ignored".into()),
            Value::Node(node_ix(&g, "treaty_2024")),
        ]),
        Value::Rel(rel_ix(&g, "c_missiles")),
    ]);
    rs.rows.push(vec![Value::Null, Value::Int(1), Value::Null]);
    let sub = Subgraph::from_result(&g, &rs);
    let ids: BTreeSet<&str> = sub.nodes.iter().map(|&n| g.node(n).id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "putin",
            "kim_jong_un",
            "summit_2024_pyongyang",
            "treaty_2024",
            "north_korea",
            "russia"
        ])
    );
    assert_eq!(sub.rels.len(), 3);
    let dot = dot_of(&g, &sub);
    assert_graphviz_accepts(&dot);
    assert!(dot.contains("[c_missiles]") && !dot.contains("[c_putin_signed]"));
    // North Korea and Russia are in the answer but not their located_in
    // claims: no country box.
    assert!(!dot.contains("cluster_place"));
}

#[test]
fn dot_of_an_ego_network_reaches_both_directions_to_the_depth() {
    let g = fixtures::alliance();
    let sub = Subgraph::ego(&g, node_ix(&g, "kursk_oblast"), 1);
    let ids: BTreeSet<&str> = sub.nodes.iter().map(|&n| g.node(n).id.as_str()).collect();
    // In: kpa deployed_to, the deployment held_at; out: located_in russia.
    assert_eq!(
        ids,
        BTreeSet::from(["kursk_oblast", "kpa", "kursk_deployment", "russia"])
    );
    let dot = dot_of(&g, &sub);
    assert_graphviz_accepts(&dot);
    // The relation between two neighbours (kpa participant_in the
    // deployment) belongs to the ego network.
    assert!(dot.contains("[c_kpa_deploy]"));
    let two = Subgraph::ego(&g, node_ix(&g, "kursk_oblast"), 2);
    assert!(
        two.nodes.contains(&node_ix(&g, "moscow"))
            && !two.nodes.contains(&node_ix(&g, "pyongyang"))
    );
    assert_graphviz_accepts(&dot_of(&g, &two));
}

#[test]
fn dot_of_hostile_strings_is_valid_and_shows_them_as_written() {
    let g = fixtures::hostile();
    let dot = dot_of(&g, &Subgraph::whole(&g));
    let text = assert_graphviz_accepts(&dot);
    for s in [
        "He said \"hi\" \\ O'Brien",
        "<b>bold</b> {x} | y & z;",
        "Ким Чен Ын / 김정은 🚀",
        "]]> </graphml> <!-- -->",
        "&amp; &#x41;",
        "rel type-with space",
        "5 <units>",
    ] {
        assert!(text.contains(s), "the picture lacks {s:?}:\n{text}");
    }
    assert!(
        text.contains("bell\u{FFFD} nul-free esc\u{FFFD}"),
        "control characters replaced"
    );
    // A free property called `end` is not a date.
    assert!(!text.contains("reserved key"));
}

#[test]
fn dot_of_every_hostile_subgraph_is_valid() {
    let g = fixtures::hostile();
    for n in g.nodes() {
        for depth in 0..2 {
            assert_graphviz_accepts(&dot_of(&g, &Subgraph::ego(&g, n, depth)));
        }
    }
    assert_graphviz_accepts(&dot_of(&g, &Subgraph::default()));
}

#[test]
fn dot_without_a_schema_still_tells_events_and_agreements_from_actors() {
    let mut g = Graph::new(None);
    let mk = |g: &mut Graph, id: &str, labels: &[&str]| {
        g.add_node(Node {
            id: id.into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            props: fixtures::props(&[("name", fixtures::s(id))]),
        })
    };
    let a = mk(&mut g, "a", &["Person", "Agent"]);
    let e = mk(&mut g, "e", &["Summit", "Meeting", "Event"]);
    let t = mk(&mut g, "t", &["Agreement"]);
    g.add_rel(
        a,
        e,
        Rel {
            rel_type: "participant_in".into(),
            props: Default::default(),
        },
    );
    g.add_rel(
        a,
        t,
        Rel {
            rel_type: "signed".into(),
            props: Default::default(),
        },
    );
    let dot = dot_of(&g, &Subgraph::whole(&g));
    assert_graphviz_accepts(&dot);
    let shape = |id: &str| {
        let line = dot
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("\"{id}\" [")))
            .unwrap();
        line.split("shape=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(shape("a"), "box");
    assert_eq!(shape("e"), "ellipse");
    assert_eq!(shape("t"), "note");
}

#[test]
fn svg_is_rendered_by_graphviz() {
    if !programs::available("dot", "svg_is_rendered_by_graphviz") {
        return;
    }
    let g = fixtures::alliance();
    let svg = render(
        &g,
        &Subgraph::ego(&g, node_ix(&g, "putin"), 1),
        Format::Svg,
        Dialect::Neo4j,
    );
    assert!(
        svg.contains("<svg") && svg.contains("Vladimir Putin"),
        "{svg}"
    );
}

#[test]
fn the_dot_checker_rejects_broken_dot() {
    for bad in [
        "digraph { a -> }",
        "digraph { a -- b; }",
        "digraph { \"a\" [label=\"x] }",
        "digraph { a [label=<<B>x</I>>]; }",
        "digraph { a; } extra",
        // Graphviz would draw undeclared ends as bare nodes; in an export
        // that is a relation whose end went missing.
        "digraph { a -> b; }",
        "graph { 1a; }",
    ] {
        let caught = std::panic::catch_unwind(|| dot_check::labels_text(bad));
        assert!(caught.is_err(), "the checker accepted {bad:?}");
    }
    let ok = "strict digraph g { node [shape=box]; a [label=<x<BR/>y>]; b [label=\"p\\nq\"]; \
              subgraph cluster_0 { label=\"c\"; c; } a -> b -> c [label=\"e\"]; }";
    assert_eq!(dot_check::labels_text(ok), "x\ny\np\nq\nc\ne");
}

#[test]
fn a_missing_renderer_is_named_with_what_to_do() {
    let err =
        export::dot::render_with("eje-no-such-graphviz", &["-Tsvg"], "digraph {}").unwrap_err();
    assert!(matches!(err, ExportError::DotMissing));
    let msg = err.to_string();
    assert!(
        msg.contains("`dot` (Graphviz) is not installed")
            && msg.contains("apt-get install graphviz")
            && msg.contains("--format dot"),
        "{msg}"
    );
    if !programs::available("dot", "Graphviz's own error on bad DOT") {
        return;
    }
    let err = export::dot::render_with("dot", &["-Tsvg"], "digraph { a -> }").unwrap_err();
    assert!(matches!(err, ExportError::DotFailed { .. }), "{err}");
    assert!(err.to_string().contains("syntax error"), "{err}");
}

// ------------------------------------------------------------------ JSON

/// A property value as the JSON export should write it, computed without
/// the exporter's code.
fn expected_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::Str(s) => Json::from(&**s),
        Value::Date(d) => Json::from(d.to_string()),
        Value::Temporal(t) => Json::from(t.to_string()),
        Value::List(l) => Json::Array(l.iter().map(expected_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), expected_json(v)))
                .collect(),
        ),
        other => panic!("no graph references in properties: {other:?}"),
    }
}

fn expected_props(props: &eje::model::Props) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), expected_json(v)))
            .collect(),
    )
}

/// Relations as comparable tuples: (source, target, type, properties).
type RelKey = (String, String, String, String);

fn graph_rels(g: &Graph, sub: &Subgraph) -> Vec<RelKey> {
    let mut v: Vec<RelKey> = sub
        .rels
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            let r = g.rel(e);
            (
                g.node(a).id.clone(),
                g.node(b).id.clone(),
                r.rel_type.to_string(),
                expected_props(&r.props).to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[track_caller]
fn assert_json_round_trips(g: &Graph, sub: &Subgraph) {
    let text = render(g, sub, Format::Json, Dialect::Neo4j);
    let doc: Json = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(doc["directed"], true);
    assert_eq!(doc["multigraph"], true);
    let nodes = doc["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), sub.nodes.len());
    for &n in &sub.nodes {
        let node = g.node(n);
        let j = nodes
            .iter()
            .find(|j| j["id"] == node.id.as_str())
            .unwrap_or_else(|| panic!("{} missing", node.id));
        assert_eq!(j["labels"], serde_json::json!(node.labels));
        assert_eq!(j.get("name").and_then(Json::as_str), node.name());
        assert_eq!(
            j["properties"],
            expected_props(&node.props),
            "node {}",
            node.id
        );
    }
    let mut links: Vec<RelKey> = doc["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let p = &l["properties"];
            if let Some(id) = p.get("id") {
                assert_eq!(&l["key"], id, "the key is the claim id");
            }
            (
                l["source"].as_str().unwrap().to_string(),
                l["target"].as_str().unwrap().to_string(),
                l["type"].as_str().unwrap().to_string(),
                p.to_string(),
            )
        })
        .collect();
    links.sort();
    assert_eq!(links, graph_rels(g, sub));
}

#[test]
fn json_reads_back_to_the_same_nodes_relations_and_properties() {
    let g = fixtures::alliance();
    assert_json_round_trips(&g, &Subgraph::whole(&g));
    assert_json_round_trips(&g, &Subgraph::ego(&g, node_ix(&g, "putin"), 1));
    let h = fixtures::hostile();
    assert_json_round_trips(&h, &Subgraph::whole(&h));
}

#[test]
fn json_carries_the_evidence_and_describes_the_cited_sources() {
    let g = fixtures::alliance();
    let doc: Json = serde_json::from_str(&render(
        &g,
        &Subgraph::whole(&g),
        Format::Json,
        Dialect::Neo4j,
    ))
    .unwrap();
    let link = doc["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "c_troops_11000")
        .unwrap();
    let cite = &link["properties"]["citations"][0];
    assert_eq!(cite["source"], "src_b");
    assert_eq!(
        cite["quote"],
        "según la inteligencia surcoreana, unos 11.000 efectivos"
    );
    assert_eq!(
        link["properties"]["start"], "2024-10",
        "dates keep their precision"
    );
    assert_eq!(
        doc["graph"]["sources"]["src_d"]["title"],
        "Kremlin denies \"deployment\" <claims>"
    );
    assert_eq!(doc["graph"]["sources"]["src_b"]["publisher"], "nis");
    // An ego network lists only the sources its claims cite.
    let ego: Json = serde_json::from_str(&render(
        &g,
        &Subgraph::ego(&g, node_ix(&g, "choe_son_hui"), 1),
        Format::Json,
        Dialect::Neo4j,
    ))
    .unwrap();
    let cited: Vec<&String> = ego["graph"]["sources"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(cited, vec!["src_a"]);
}

// --------------------------------------------------------------- GraphML

/// A GraphML document read back: nodes by id with (labels, properties) and
/// edges as tuples, with each `<data>` decoded by its key's declared type.
struct ReadGraphMl {
    nodes: BTreeMap<String, (String, BTreeMap<String, Json>)>,
    edges: Vec<(String, String, String, BTreeMap<String, Json>)>,
}

fn read_graphml(text: &str) -> ReadGraphMl {
    let doc = roxmltree::Document::parse(text).expect("well-formed GraphML");
    let ns = "http://graphml.graphdrawing.org/xmlns";
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(root.tag_name().namespace(), Some(ns));
    let mut keys: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for k in root.children().filter(|c| c.has_tag_name((ns, "key"))) {
        let name = k.attribute("attr.name").unwrap().to_string();
        let ty = k.attribute("attr.type").unwrap().to_string();
        assert!(
            ["string", "int", "long", "double", "boolean"].contains(&ty.as_str()),
            "{ty}"
        );
        assert!(
            names.insert((k.attribute("for").unwrap().to_string(), name.clone())),
            "duplicate key {name}"
        );
        keys.insert(k.attribute("id").unwrap().to_string(), (name, ty));
    }
    let data = |el: roxmltree::Node| -> BTreeMap<String, Json> {
        el.children()
            .filter(|c| c.has_tag_name((ns, "data")))
            .map(|d| {
                let (name, ty) = &keys[d.attribute("key").unwrap()];
                let text = d.text().unwrap_or("");
                let v = match ty.as_str() {
                    "boolean" => Json::Bool(text.parse::<bool>().unwrap()),
                    "int" | "long" => Json::from(text.parse::<i64>().unwrap()),
                    "double" => Json::from(text.parse::<f64>().unwrap()),
                    _ => Json::from(text),
                };
                (name.clone(), v)
            })
            .collect()
    };
    let graph = root
        .children()
        .find(|c| c.has_tag_name((ns, "graph")))
        .unwrap();
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let mut out = ReadGraphMl {
        nodes: BTreeMap::new(),
        edges: Vec::new(),
    };
    let mut edge_ids = BTreeSet::new();
    for el in graph.children().filter(|c| c.is_element()) {
        let mut d = data(el);
        if el.has_tag_name((ns, "node")) {
            let labels = d
                .remove("labels")
                .map(|j| j.as_str().unwrap().to_string())
                .unwrap_or_default();
            out.nodes
                .insert(el.attribute("id").unwrap().to_string(), (labels, d));
        } else {
            assert!(el.has_tag_name((ns, "edge")));
            assert!(
                edge_ids.insert(el.attribute("id").unwrap().to_string()),
                "edge ids are unique"
            );
            let ty = d.remove("type").unwrap().as_str().unwrap().to_string();
            out.edges.push((
                el.attribute("source").unwrap().into(),
                el.attribute("target").unwrap().into(),
                ty,
                d,
            ));
        }
    }
    for (s, t, _, _) in &out.edges {
        assert!(
            out.nodes.contains_key(s) && out.nodes.contains_key(t),
            "edge to a missing node"
        );
    }
    out
}

/// A property as GraphML should hold it: scalars typed, dates as ISO
/// text, lists and maps as JSON text; characters XML cannot carry replaced.
fn expected_graphml(v: &Value) -> Json {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect()
    };
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::Str(s) => Json::from(clean(s)),
        Value::Date(d) => Json::from(d.to_string()),
        Value::Temporal(t) => Json::from(t.to_string()),
        Value::List(_) | Value::Map(_) => Json::from(clean(&expected_json(v).to_string())),
        other => panic!("unexpected {other:?}"),
    }
}

fn expected_graphml_props(props: &eje::model::Props) -> BTreeMap<String, Json> {
    props
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), expected_graphml(v)))
        .collect()
}

#[track_caller]
fn assert_graphml_round_trips(g: &Graph, sub: &Subgraph) {
    let text = render(g, sub, Format::GraphMl, Dialect::Neo4j);
    let back = read_graphml(&text);
    assert_eq!(back.nodes.len(), sub.nodes.len());
    for &n in &sub.nodes {
        let node = g.node(n);
        let (labels, props) = &back.nodes[&node.id];
        let want: String = node.labels.iter().map(|l| format!(":{l}")).collect();
        assert_eq!(labels, &want);
        let got: BTreeMap<String, Json> = props.clone();
        let want = expected_graphml_props(&node.props);
        assert_eq!(
            normalise_numbers(got),
            normalise_numbers(want),
            "node {}",
            node.id
        );
    }
    let mut got: Vec<String> = back
        .edges
        .iter()
        .map(|(s, t, ty, p)| format!("{s} {t} {ty} {:?}", normalise_numbers(p.clone())))
        .collect();
    let mut want: Vec<String> = sub
        .rels
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            let r = g.rel(e);
            format!(
                "{} {} {} {:?}",
                g.node(a).id,
                g.node(b).id,
                r.rel_type,
                normalise_numbers(expected_graphml_props(&r.props))
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "first differing relation");
    }
}

/// Scalars compare by value, whatever the key's declared type: an int
/// among doubles reads back as a double, and a number or boolean in a key
/// that other values made a string reads back as its text.
fn normalise_numbers(m: BTreeMap<String, Json>) -> BTreeMap<String, Json> {
    m.into_iter()
        .map(|(k, v)| {
            (
                k,
                match &v {
                    Json::Number(n) => Json::from(n.as_f64().unwrap()),
                    Json::Bool(b) => Json::from(b.to_string()),
                    Json::String(t) => match t.parse::<f64>() {
                        Ok(f) if f.is_finite() => Json::from(f),
                        _ => v,
                    },
                    _ => v,
                },
            )
        })
        .collect()
}

#[test]
fn graphml_reads_back_to_the_same_nodes_relations_and_typed_properties() {
    let g = fixtures::alliance();
    assert_graphml_round_trips(&g, &Subgraph::whole(&g));
    assert_graphml_round_trips(&g, &Subgraph::ego(&g, node_ix(&g, "kpa"), 2));
    let h = fixtures::hostile();
    assert_graphml_round_trips(&h, &Subgraph::whole(&h));
}

#[test]
fn graphml_keys_are_typed() {
    let h = fixtures::hostile();
    let text = render(&h, &Subgraph::whole(&h), Format::GraphMl, Dialect::Neo4j);
    for (name, ty) in [
        ("flag", "boolean"),
        ("key with space", "int"),
        ("ratio", "double"),
        ("w", "double"),
        ("when", "string"),
        ("mixed", "string"),
    ] {
        assert!(
            text.contains(&format!("attr.name=\"{name}\" attr.type=\"{ty}\"")),
            "{name} should be {ty}:\n{text}"
        );
    }
    let g = fixtures::alliance();
    let text = render(&g, &Subgraph::whole(&g), Format::GraphMl, Dialect::Neo4j);
    // Claim ids are the edge ids.
    assert!(
        text.contains("<edge id=\"c_troops_11000\"") || text.contains("<edge id=\"r"),
        "{text}"
    );
    assert!(text.contains("attr.name=\"derived\" attr.type=\"boolean\""));
}

// ----------------------------------------------------------------- Cypher

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "export/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn cypher_scripts_match_their_snapshots() {
    let g = fixtures::alliance();
    let h = fixtures::hostile();
    for (name, graph) in [("alliance", &g), ("hostile", &h)] {
        for dialect in [Dialect::Neo4j, Dialect::Kuzu] {
            let text = render(graph, &Subgraph::whole(graph), Format::Cypher, dialect);
            snapshot(&format!("{name}_{dialect}"), &text);
        }
        // FalkorDB reads the neo4j script: the dialect is an alias there.
        assert_eq!(
            render(
                graph,
                &Subgraph::whole(graph),
                Format::Cypher,
                Dialect::FalkorDb
            ),
            render(
                graph,
                &Subgraph::whole(graph),
                Format::Cypher,
                Dialect::Neo4j
            )
        );
    }
    let ego = Subgraph::ego(&g, node_ix(&g, "kursk_oblast"), 1);
    snapshot(
        "kursk_ego_kuzu",
        &render(&g, &ego, Format::Cypher, Dialect::Kuzu),
    );
}

#[test]
fn cypher_scripts_have_one_statement_per_line_nodes_first() {
    for g in [fixtures::alliance(), fixtures::hostile()] {
        let kuzu = render(&g, &Subgraph::whole(&g), Format::Cypher, Dialect::Kuzu);
        let data: Vec<&str> = kuzu
            .split('\n')
            .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.contains(" TABLE "))
            .collect();
        assert_eq!(data.len(), g.node_count() + g.rel_count(), "{kuzu}");
        assert!(
            data.iter().all(|l| l.ends_with(");") && !l.contains('\r')),
            "{kuzu}"
        );
        let text = render(&g, &Subgraph::whole(&g), Format::Cypher, Dialect::Neo4j);
        let statements: Vec<&str> = text
            .split('\n')
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .collect();
        assert_eq!(statements.len(), g.node_count() + g.rel_count());
        assert!(statements.iter().all(|l| l.ends_with(");")));
        let first_match = statements
            .iter()
            .position(|l| l.starts_with("MATCH"))
            .unwrap();
        assert!(
            statements[..first_match]
                .iter()
                .all(|l| l.starts_with("CREATE ("))
        );
        assert!(
            statements[first_match..]
                .iter()
                .all(|l| l.starts_with("MATCH (a"))
        );
        // No map or mixed list is stored as a property (FalkorDB and Neo4j
        // refuse them): citations are JSON text.
        assert!(!text.contains("citations: ["), "{text}");
    }
}

#[test]
fn kuzu_script_declares_tables_before_data() {
    let g = fixtures::alliance();
    let text = render(&g, &Subgraph::whole(&g), Format::Cypher, Dialect::Kuzu);
    let lines: Vec<&str> = text.lines().collect();
    let last_ddl = lines
        .iter()
        .rposition(|l| l.starts_with("CREATE NODE TABLE") || l.starts_with("CREATE REL TABLE"))
        .unwrap();
    let first_data = text
        .lines()
        .position(|l| l.starts_with("CREATE (") || l.starts_with("MATCH"))
        .unwrap();
    assert!(last_ddl < first_data);
    assert!(text.contains("CREATE NODE TABLE Person(id STRING, aliases STRING[], "));
    let deployed = text
        .lines()
        .find(|l| l.starts_with("CREATE REL TABLE deployed_to("))
        .unwrap();
    assert!(
        deployed.contains("FROM MilitaryUnit TO Place, FROM Country TO Country")
            || deployed.contains("FROM Country TO Country, FROM MilitaryUnit TO Place"),
        "{deployed}"
    );
    assert!(
        deployed.contains("quantity INT64") && deployed.contains("`end` STRING"),
        "{deployed}"
    );
}

// ------------------------------------------------------------ atomic files

#[test]
fn exporting_to_a_file_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alliance.dot");
    std::fs::write(&path, "old").unwrap();
    let g = fixtures::alliance();
    export::export_to_file(
        &g,
        &Subgraph::whole(&g),
        Format::Dot,
        Dialect::Neo4j,
        &export::Scope::Whole,
        &path,
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        dot_of(&g, &Subgraph::whole(&g))
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");
}

#[test]
fn a_failure_half_way_leaves_the_previous_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.json");
    let previous: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    std::fs::write(&path, &previous).unwrap();
    // The renderer writes half its output, then fails.
    let err = export::write_atomic_with(&path, |w| {
        w.write_all(&[b'x'; 50_000])?;
        Err(ExportError::DotFailed {
            status: "exit code 1".into(),
            stderr: "boom".into(),
        })
    })
    .unwrap_err();
    assert!(err.to_string().contains("boom"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), previous);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "temporary file removed"
    );
    // An I/O error half-way names the file.
    let err = export::write_atomic_with(&path, |w| {
        w.write_all(b"partial")?;
        Err(std::io::Error::other("disk on fire").into())
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("graph.json") && err.contains("disk on fire"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), previous);
}

#[test]
fn an_unwritable_path_is_named_with_the_reason_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixtures::alliance();
    let whole = Subgraph::whole(&g);
    // A folder that does not exist.
    let missing = dir.path().join("no").join("such").join("out.svg");
    let msg = export::export_to_file(
        &g,
        &whole,
        Format::Dot,
        Dialect::Neo4j,
        &export::Scope::Whole,
        &missing,
    )
    .unwrap_err()
    .to_string();
    assert!(
        msg.starts_with("cannot write `")
            && msg.contains("no/such/out.svg")
            && msg.contains("No such file or directory"),
        "{msg}"
    );
    assert!(
        !msg.contains("os error") && !msg.contains(" at path "),
        "{msg}"
    );
    assert!(!dir.path().join("no").exists());
    // A file where a folder should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "keep").unwrap();
    let msg = export::write_atomic(&file.join("out.dot"), b"x")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("Not a directory"), "{msg}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // A read-only folder: /proc refuses new files even to root, so an
    // existing file there must stay as it is.
    #[cfg(target_os = "linux")]
    {
        let target = std::path::Path::new("/proc/version");
        let before = std::fs::read(target).unwrap();
        let msg = export::write_atomic(target, b"overwritten")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("/proc/version"), "{msg}");
        assert_eq!(std::fs::read(target).unwrap(), before);
    }
    // A folder without write permission (effective for non-root users).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        let kept = ro.join("kept.dot");
        std::fs::write(&kept, "previous").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let result = export::write_atomic(&kept, b"new");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        match result {
            Err(e) => {
                assert!(e.to_string().contains("Permission denied"), "{e}");
                assert_eq!(std::fs::read_to_string(&kept).unwrap(), "previous");
            }
            // Root ignores the folder's mode: the write is then legitimate.
            Ok(_) => assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new"),
        }
    }
}

#[test]
fn an_interrupted_writer_is_reported() {
    struct Broken(usize);
    impl Write for Broken {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            let n = buf.len().min(self.0);
            self.0 -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let g = fixtures::alliance();
    let err = export::export(
        &g,
        &Subgraph::whole(&g),
        Format::Json,
        Dialect::Neo4j,
        &mut Broken(100),
    )
    .unwrap_err();
    assert!(err.is_broken_pipe(), "{err}");
}

// ---------------------------------------------------------- bundled data

fn bundled() -> Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    match eje::load::load_dir(&dir, &eje::load::Options::default()) {
        Ok(loaded) => loaded.graph,
        Err(f) => panic!("the bundled data does not load:\n{}", f.render(false)),
    }
}

/// The strings a list property holds (with `field`, its maps' `field`), read
/// from the built value.
fn strings_of(v: Option<&Value>, field: Option<&str>) -> Vec<String> {
    let Some(Value::List(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match (field, item) {
            (None, Value::Str(s)) => Some(s.to_string()),
            (Some(f), Value::Map(m)) => match m.get(f) {
                Some(Value::Str(s)) => Some(s.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Listing a relation's evidence strings without building its evidence
/// (what the JSON export's list of cited sources reads) gives what the
/// built values hold, item for item, on every relation of the bundled data.
#[test]
fn evidence_strings_listed_unbuilt_equal_the_built_values() {
    let g = bundled();
    let asks: [(&str, Option<&str>); 7] = [
        ("sources", None),
        ("claimants", None),
        ("quotes", None),
        ("citations", Some("source")),
        ("citations", Some("quote")),
        ("citations", Some("claimant")),
        ("citations", Some("hedge")),
    ];
    let mut listed_any = 0;
    for e in g.rels() {
        let props = &g.rel(e).props;
        // All listed first: reading a value below builds and keeps it.
        let listed: Vec<Vec<String>> = asks
            .iter()
            .map(|&(key, field)| {
                let mut out = Vec::new();
                props.each_str(key, field, |s| out.push(s.to_string()));
                out
            })
            .collect();
        for (&(key, field), listed) in asks.iter().zip(&listed) {
            let built = strings_of(props.get(key), field);
            assert_eq!(listed, &built, "{key} {field:?} of relation {e:?}");
            listed_any += listed.len();
        }
    }
    assert!(listed_any > 1000, "the bundled data cites: {listed_any}");
}

#[test]
fn bundled_data_exports_in_every_format_and_reads_back() {
    let g = bundled();
    let whole = Subgraph::whole(&g);
    let dot = dot_of(&g, &whole);
    assert_graphviz_accepts(&dot);
    assert_json_round_trips(&g, &whole);
    assert_graphml_round_trips(&g, &whole);
    for dialect in Dialect::ALL {
        let text = render(&g, &whole, Format::Cypher, dialect);
        let data = text
            .split('\n')
            .filter(|l| l.starts_with("CREATE (") || l.starts_with("MATCH ("));
        assert_eq!(data.count(), g.node_count() + g.rel_count(), "{dialect}");
    }
    if let Ok(dir) = std::env::var("EJE_DUMP") {
        for (name, sub) in [
            ("bundled", whole.clone()),
            ("putin2", Subgraph::ego(&g, node_ix(&g, "putin"), 1)),
            (
                "kursk",
                Subgraph::ego(&g, node_ix(&g, "nk_troop_deployment"), 1),
            ),
        ] {
            std::fs::write(format!("{dir}/{name}.dot"), dot_of(&g, &sub)).unwrap();
        }
        for (file, format, dialect) in [
            ("graph.neo4j.cypher", Format::Cypher, Dialect::Neo4j),
            ("graph.kuzu.cypher", Format::Cypher, Dialect::Kuzu),
            ("graph.json", Format::Json, Dialect::Neo4j),
            ("graph.graphml", Format::GraphMl, Dialect::Neo4j),
        ] {
            std::fs::write(format!("{dir}/{file}"), render(&g, &whole, format, dialect)).unwrap();
        }
    }
}

#[test]
fn an_export_after_an_analyst_statement_draws_the_relations_it_printed() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let g = match eje::load::load_dir(&data, &eje::load::Options::default()) {
        Ok(loaded) => loaded.graph,
        Err(f) => panic!("the bundled data does not load:\n{}", f.render(false)),
    };
    let rs = eje::query::run_all(
        &g,
        r#"PATH "Medvedev" TO "Kim Jong Un""#,
        &eje::query::Options::default(),
    )
    .result
    .expect("PATH answers");
    assert!(!rs.rows.is_empty(), "the two are connected");
    let sub = Subgraph::from_result(&g, &rs);
    // Exactly the relations of the hops printed, each with its endpoints.
    let hop = |e: EdgeIndex, row: &[Value]| {
        let (s, t) = g.endpoints(e);
        let ends = [Value::Node(s), Value::Node(t)];
        ends.contains(&row[2])
            && ends.contains(&row[5])
            && row[3] == Value::from(g.rel(e).rel_type.as_str())
    };
    assert!(!sub.rels.is_empty());
    for row in &rs.rows {
        assert!(sub.rels.iter().any(|&e| hop(e, row)), "{row:?}");
    }
    for &e in &sub.rels {
        assert!(rs.rows.iter().any(|row| hop(e, row)));
        let (a, b) = g.endpoints(e);
        assert!(sub.nodes.contains(&a) && sub.nodes.contains(&b));
    }
    let dot = dot_of(&g, &sub);
    assert!(dot.contains(" -> "), "{dot}");
}

/// Temporal properties made by a graph script survive every export: the
/// Neo4j script writes them as temporal values that read back equal, JSON
/// and GraphML as their ISO text.
#[test]
fn temporal_properties_survive_every_export() {
    let script = "CREATE (:Meeting {at: datetime('2024-06-19T10:00+02:00[Europe/Paris]'), \
                  lasted: duration('PT2H30M'), opens: localtime('09:30'), \
                  day: date('2024-06-19'), month: date('2024-06')})";
    let g = eje::import::load_script("temporal.cypher", script).unwrap();
    let whole = Subgraph::whole(&g);
    let neo4j = render(&g, &whole, Format::Cypher, Dialect::Neo4j);
    assert!(
        neo4j.contains("datetime('2024-06-19T10:00+02:00[Europe/Paris]')"),
        "{neo4j}"
    );
    assert!(neo4j.contains("duration('PT2H30M')"), "{neo4j}");
    let back = eje::import::load_script("back.cypher", &neo4j).unwrap();
    let props = |g: &Graph| g.node(g.nodes().next().unwrap()).props.to_map();
    let (a, b) = (props(&g), props(&back));
    for key in ["at", "lasted", "opens"] {
        assert_eq!(a.get(key), b.get(key), "{key} after a round trip");
    }
    let json = render(&g, &whole, Format::Json, Dialect::Neo4j);
    assert!(json.contains("\"PT2H30M\""), "{json}");
    assert_json_round_trips(&g, &whole);
    let graphml = render(&g, &whole, Format::GraphMl, Dialect::Neo4j);
    assert!(graphml.contains("09:30"), "{graphml}");
    let kuzu = render(&g, &whole, Format::Cypher, Dialect::Kuzu);
    assert!(kuzu.contains("'PT2H30M'"), "{kuzu}");
}
