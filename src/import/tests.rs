use super::*;
use crate::diag::Diagnostic;
use std::collections::HashMap;

use petgraph::graph::NodeIndex;

use crate::model::{Node, Props, Value};
use crate::query::ast::Span;
use petgraph::Direction as Dir;

fn load(text: &str) -> Graph {
    match load_script("test.cypher", text) {
        Ok(g) => g,
        Err(f) => panic!("{}", f.render(false)),
    }
}

fn fail(text: &str) -> (Diagnostic, String) {
    match load_script("test.cypher", text) {
        Ok(_) => panic!("expected an error for {text:?}"),
        Err(f) => (f.diagnostics[0].clone(), f.render(false)),
    }
}

fn by_prop<'g>(g: &'g Graph, key: &str, value: &str) -> (NodeIndex, &'g Node) {
    let ix = g
        .nodes()
        .find(|&ix| g.node(ix).props.get(key) == Some(&Value::from(value)))
        .unwrap_or_else(|| panic!("no node with {key} = {value}"));
    (ix, g.node(ix))
}

fn rels(g: &Graph) -> Vec<(String, String, String)> {
    g.rels()
        .map(|e| {
            let (a, b) = g.endpoints(e);
            (
                g.node(a).id.clone(),
                g.rel(e).rel_type.to_string(),
                g.node(b).id.clone(),
            )
        })
        .collect()
}

#[test]
fn nodes_with_any_labels_and_every_literal_type() {
    let g = load(
        "CREATE (a:Person:Agent {name: 'Kim', age: 40, h: 1.75, ok: true, no: false, \
         gone: null, tags: ['x', 'y'], nums: [1, -2], neg: -3, e: 1e3, \
         maps: [{k: 1}, {k: 'v'}], nested: [[1, 2], []]}), (), (:Only)",
    );
    assert_eq!(g.node_count(), 3);
    assert!(g.schema.is_none());
    let (_, kim) = by_prop(&g, "name", "Kim");
    assert_eq!(kim.labels, ["Person", "Agent"]);
    let p = &kim.props;
    assert_eq!(p["age"], Value::Int(40));
    assert_eq!(p["h"], Value::Float(1.75));
    assert_eq!(p["ok"], Value::Bool(true));
    assert_eq!(p["no"], Value::Bool(false));
    assert!(!p.contains_key("gone"), "null properties are left out");
    assert_eq!(p["tags"], Value::List(vec!["x".into(), "y".into()]));
    assert_eq!(p["nums"], Value::List(vec![Value::Int(1), Value::Int(-2)]));
    assert_eq!(p["neg"], Value::Int(-3));
    assert_eq!(p["e"], Value::Float(1000.0));
    let Value::List(maps) = &p["maps"] else {
        panic!("{:?}", p["maps"])
    };
    assert!(matches!(&maps[1], Value::Map(m) if m["k"] == Value::from("v")));
    assert_eq!(
        p["nested"],
        Value::List(vec![
            Value::List(vec![Value::Int(1), Value::Int(2)]),
            Value::List(vec![])
        ])
    );
    let ids: Vec<&str> = g.nodes().map(|ix| g.node(ix).id.as_str()).collect();
    assert_eq!(ids, ["n0", "n1", "n2"]);
    assert!(g.node(NodeIndex::new(1)).labels.is_empty());
}

#[test]
fn relations_in_both_directions_with_reused_variables() {
    let g = load(
        "CREATE (a {name: 'A'}), (b {name: 'B'})\n\
         CREATE (a)-[:KNOWS {since: 2020}]->(b), (a)<-[:LIKES]-(b)\n\
         CREATE (b)-[:T]->(c {name: 'C'})-[:T]->(a)",
    );
    assert_eq!(g.node_count(), 3);
    assert_eq!(
        rels(&g),
        [
            ("n0".into(), "KNOWS".into(), "n1".into()),
            ("n1".into(), "LIKES".into(), "n0".into()),
            ("n1".into(), "T".into(), "n2".into()),
            ("n2".into(), "T".into(), "n0".into()),
        ]
    );
    let e = g.rels().next().unwrap();
    assert_eq!(g.rel(e).props["since"], Value::Int(2020));
}

#[test]
fn variables_live_on_across_statements() {
    let g = load("CREATE (a:A);\nCREATE (b:B);\nCREATE (a)-[:R]->(b);\n");
    assert_eq!(g.node_count(), 2);
    assert_eq!(rels(&g), [("n0".into(), "R".into(), "n1".into())]);
    // A later pattern that describes the variable makes a new node.
    let g = load("CREATE (a:A); CREATE (a:A {x: 1})-[:R]->(a)");
    assert_eq!(g.node_count(), 2);
    assert_eq!(rels(&g), [("n1".into(), "R".into(), "n1".into())]);
}

#[test]
fn string_ids_become_node_ids() {
    let g = load("CREATE ({id: 'putin'}), ({id: 'putin'}), ({id: 7}), ({id: 'n0'})");
    let ids: Vec<&str> = g.nodes().map(|ix| g.node(ix).id.as_str()).collect();
    assert_eq!(ids, ["putin", "n1", "n2", "n0"]);
    let g = load("CREATE ({id: 'n1'}), (), ()");
    let ids: Vec<&str> = g.nodes().map(|ix| g.node(ix).id.as_str()).collect();
    assert_eq!(ids, ["n1", "n2", "n3"]);
}

#[test]
fn match_lines_as_the_exporter_writes_them() {
    let g = load(
        "CREATE (:Person:Agent {id: 'putin', name: 'Vladimir Putin'});\n\
         CREATE (:Person:Agent {id: 'kim_jong_un', name: 'Kim Jong Un'});\n\
         MATCH (a:Person {id: 'putin'}), (b:Person {id: 'kim_jong_un'}) CREATE (a)-[:met_with {date: '2024-06-19'}]->(b);\n\
         MATCH (a:Person {id: 'putin'}), (b:Nope {id: 'kim_jong_un'}) CREATE (a)-[:never]->(b);\n",
    );
    assert_eq!(g.node_count(), 2);
    assert_eq!(
        rels(&g),
        [("putin".into(), "met_with".into(), "kim_jong_un".into())]
    );
    // Without `;`, one statement a line.
    let g = load(
        "CREATE (:P {id: 'a'})\nCREATE (:P {id: 'b'})\n\
         MATCH (a {id: 'a'}), (b {id: 'b'}) CREATE (a)-[:T]->(b)\n\
         MATCH (a {id: 'b'}), (b {id: 'a'}) CREATE (a)-[:T]->(b)\n",
    );
    assert_eq!(
        rels(&g),
        [
            ("a".into(), "T".into(), "b".into()),
            ("b".into(), "T".into(), "a".into())
        ]
    );
}

#[test]
fn reading_clauses_feed_create() {
    // The shapes of the TCK's setup queries.
    let g = load(
        "UNWIND [1, 2, 3] AS i CREATE ({num: i, sq: i * i})\n\
         ;MATCH (n) WHERE n.num > 1 CREATE (n)-[:NEXT]->(:Copy {num: n.num + 10})",
    );
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.rel_count(), 2);
    let copy = g
        .nodes()
        .map(|ix| g.node(ix))
        .find(|n| n.props.get("num") == Some(&Value::Int(13)))
        .expect("13");
    assert_eq!(copy.labels, ["Copy"]);
    assert_eq!(copy.props.get("sq"), None);
    let g = load(
        "UNWIND range(0, 3) AS i\n\
         CREATE (s:S)\n\
         WITH s, i\n\
         UNWIND range(0, i) AS j\n\
         CREATE (s)-[:REL]->()",
    );
    assert_eq!(g.by_label("S").len(), 4);
    assert_eq!(g.rel_count(), 1 + 2 + 3 + 4);
    let g = load(
        "CREATE (a {var: 'start'}), (b {var: 'end'})\n\
         WITH *\n\
         UNWIND range(1, 3) AS i\n\
         CREATE (n {var: i})\n\
         WITH a, b, [a] + collect(n) + [b] AS nodeList\n\
         UNWIND range(0, size(nodeList) - 2, 1) AS i\n\
         WITH nodeList[i] AS n1, nodeList[i+1] AS n2\n\
         CREATE (n1)-[:T]->(n2)",
    );
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.rel_count(), 4);
    let start = by_prop(&g, "var", "start").0;
    assert_eq!(g.rels_of(start, Dir::Outgoing).count(), 1);
}

#[test]
fn named_paths_and_relation_variables_bind() {
    let g = load("CREATE p = (a)-[r:T]->(b) CREATE (b)-[:U]->(a)");
    assert_eq!(g.node_count(), 2);
    assert_eq!(g.rel_count(), 2);
}

#[test]
fn comments_and_blank_statements() {
    let g = load("// a graph\nCREATE (a) /* one */ ;;\n\n CREATE (b) // two\n;");
    assert_eq!(g.node_count(), 2);
    assert_eq!(load("").node_count(), 0);
    assert_eq!(load("  // nothing\n").node_count(), 0);
}

#[test]
fn syntax_errors_point_at_the_script() {
    let (d, text) = fail("CREATE (a:A)\nCREATE (b {name: 'x')");
    assert_eq!(d.file.as_deref(), Some("test.cypher"));
    assert!(text.contains("test.cypher:2:"), "{text}");
    assert!(text.contains('^') || text.contains('─'), "{text}");
    let (d, _) = fail("CREATE (a)-[:T]-(b)");
    assert!(d.message.contains("direction"), "{}", d.message);
    assert_eq!(d.span, 10..16);
    let (d, _) = fail("CREATE (a)-[]->(b)");
    assert!(d.message.contains("type"), "{}", d.message);
    let (d, _) = fail("CREATE (a)-[:T*2]->(b)");
    assert!(d.message.contains("variable-length"), "{}", d.message);
    let (d, _) = fail("CREATE (a:A), (a:B)");
    assert_eq!(d.code, "VariableAlreadyBound");
    assert_eq!(d.span, 14..19);
    let (d, _) = fail("CREATE (a {x: nope})");
    assert_eq!(d.code, "UndefinedVariable", "{d:?}");
    assert_eq!(d.span, 14..18);
    let (d, _) = fail("hello (a)");
    assert!(d.message.contains("`hello`"), "{}", d.message);
    let (d, _) = fail("CREATE (a) WHERE a.x = 1");
    assert!(d.message.contains("WHERE"), "{}", d.message);
    let (d, _) = fail("CREATE (a");
    assert_eq!(d.span.start, 9, "{d:?}");
}

#[test]
fn write_clauses_other_than_create_are_unsupported() {
    for (text, word) in [
        ("CREATE (a) SET a.x = 1", "SET"),
        ("MATCH (a) DETACH DELETE a", "DETACH"),
        ("MERGE (a:A)", "MERGE"),
        ("CREATE (a) RETURN a", "RETURN"),
    ] {
        let (d, _) = fail(text);
        assert_eq!(d.code, UNSUPPORTED_CLAUSE, "{text}");
        assert!(d.message.contains(&format!("`{word}`")), "{}", d.message);
    }
    assert_eq!(
        write_clause("MATCH (n) WHERE n.name STARTS WITH 'a' SET n.x = 1 RETURN n")
            .map(|c| c.keyword),
        Some("SET".to_string())
    );
    assert_eq!(
        write_clause("MATCH (n {create: 1}) RETURN n.set, 'MERGE' AS delete"),
        None
    );
}

#[test]
fn clauses_split_at_top_level_keywords_only() {
    let text = "MATCH (n) WHERE n.s STARTS WITH 'x' OPTIONAL MATCH (n)-->(m) WITH n, [x IN [1] | x] AS l RETURN n";
    let found: Vec<String> = clauses(text, Span::new(0, text.len()))
        .into_iter()
        .map(|c| format!("{}:{}", c.keyword, &text[c.span.range()]))
        .collect();
    assert_eq!(
        found,
        [
            "MATCH:MATCH (n) WHERE n.s STARTS WITH 'x'",
            "OPTIONAL:OPTIONAL MATCH (n)-->(m)",
            "WITH:WITH n, [x IN [1] | x] AS l",
            "RETURN:RETURN n"
        ]
    );
}

#[test]
fn no_panic_on_odd_scripts() {
    for text in [
        "CREATE",
        "CREATE ()-",
        "CREATE (a)-[:T]->",
        "MATCH",
        "MATCH (a) CREATE (a)-[:T]->(a)",
        "WITH 1 AS x CREATE ({x: x})",
        "UNWIND [] AS x CREATE ({x: x})",
        "OPTIONAL MATCH (a:Nope) CREATE (a)-[:T]->()",
        "UNWIND [1, 2] AS x CREATE (a {x: x}) CREATE (a)-[:T]->(b)",
        "CREATE (a {p: $missing})",
        "CREATE (a)-[r:T]->(b), (b)-[r:T]->(a)",
        "CREATE ('Kim')",
        "CREATE shortestPath((a)-[:T]->(b))",
        "CREATE (n {x: [1, {a: (1)}]})",
        "CREATE ({x: 1 / 0})",
        "; ; ;",
        "créate (é)",
        "CREATE (`a``b` {`k k`: 'v'})",
    ] {
        let _ = load_script("odd.cypher", text);
    }
    let g = load("UNWIND [1, 2] AS x CREATE (a {x: x}) CREATE (a)-[:T]->(b)");
    assert_eq!((g.node_count(), g.rel_count()), (4, 2));
}

/// `eje export --format cypher` of the bundled data loads back with the
/// same nodes, relations and properties (as the exporter writes them:
/// dates as ISO text, maps and mixed lists as JSON text).
#[test]
fn round_trip_of_the_bundled_data() {
    use crate::export::{self, Dialect, Format, Subgraph};
    let loaded = crate::load::load_embedded(&crate::load::Options::default())
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let original = loaded.graph;
    let script = export::render(
        &original,
        &Subgraph::whole(&original),
        Format::Cypher,
        Dialect::Neo4j,
    )
    .expect("export");
    let script = String::from_utf8(script).expect("utf-8");
    let back = load(&script);
    assert_eq!(back.node_count(), original.node_count());
    assert_eq!(back.rel_count(), original.rel_count());
    for ix in original.nodes() {
        let n = original.node(ix);
        let m = back.node(
            back.by_id(&n.id)
                .unwrap_or_else(|| panic!("node `{}` is lost", n.id)),
        );
        assert_eq!(m.labels, n.labels, "labels of {}", n.id);
        same_props(&n.props, &m.props, &n.id);
    }
    let key = |g: &Graph, e| {
        let (a, b) = g.endpoints(e);
        let r = g.rel(e);
        (
            g.node(a).id.clone(),
            r.rel_type.to_string(),
            g.node(b).id.clone(),
        )
    };
    let mut theirs: HashMap<(String, String, String), Vec<&Props>> = HashMap::new();
    for e in back.rels() {
        theirs
            .entry(key(&back, e))
            .or_default()
            .push(&back.rel(e).props);
    }
    for e in original.rels() {
        let k = key(&original, e);
        let candidates = theirs
            .get_mut(&k)
            .unwrap_or_else(|| panic!("{k:?} is lost"));
        let want = &original.rel(e).props;
        let at = candidates
            .iter()
            .position(|p| props_match(want, p))
            .unwrap_or_else(|| panic!("no relation {k:?} with the properties {want:?}"));
        candidates.remove(at);
    }
}

fn same_props(want: &Props, got: &Props, what: &str) {
    assert!(props_match(want, got), "{what}: {want:?}\n!=\n{got:?}");
}

fn props_match(want: &Props, got: &Props) -> bool {
    let want: Vec<_> = want.iter().filter(|(_, v)| !v.is_null()).collect();
    want.len() == got.len()
        && want
            .iter()
            .all(|(k, v)| got.get(k).is_some_and(|g| exported(v, g)))
}

/// Whether `got` is what the exporter makes of `v`.
fn exported(v: &Value, got: &Value) -> bool {
    match (v, got) {
        (Value::Date(d), Value::Str(s)) => *d.to_string() == **s,
        (Value::List(a), Value::List(b)) => {
            let a: Vec<_> = a.iter().filter(|x| !x.is_null()).collect();
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| exported(x, y))
        }
        (Value::List(_) | Value::Map(_), Value::Str(s)) => s.starts_with(['[', '{']),
        (Value::Float(a), Value::Str(s)) if !a.is_finite() => !s.is_empty(),
        (Value::Int(a), Value::Float(b)) => *a as f64 == *b,
        _ => v == got,
    }
}

#[test]
fn values_may_read_nodes_created_in_the_same_clause() {
    let g = load("CREATE (a:A {num: 7}), (:B {num: a.num + 1})");
    let b = g.node(g.by_label("B")[0]);
    assert_eq!(b.props["num"], Value::Int(8));
    // Several rows, each binding the clause's variables anew.
    let g = load(
        "CREATE (:D {name: 'x'}), (:D {name: 'y'})\n\
         ;MATCH (d:D)\n\
         CREATE (e1:E {name: d.name + '0'}),\n\
                (e2:E {name: d.name + '1'})\n\
         CREATE (d)-[:LIKES]->(e1), (d)-[:LIKES]->(e2)",
    );
    assert_eq!(g.by_label("E").len(), 4);
    assert_eq!(g.rel_count(), 4);
    by_prop(&g, "name", "y1");
}

#[test]
fn errors_in_later_statements_point_into_the_whole_script() {
    let (d, text) = fail("CREATE (a);\nCREATE (b);\nCREATE (c)-[:T]->(d {x: 1)");
    assert_eq!(d.span.start, 49, "{d:?}");
    // The map opened at 3:21 is a related span there, in the whole script.
    assert_eq!(d.related.len(), 1, "{d:?}");
    assert_eq!(d.related[0].span.start, 44, "{d:?}");
    assert!(text.contains("test.cypher:3:"), "{text}");
    let (d, _) = fail("CREATE (a);\n  CREATE (b)-[:T]->(c");
    assert_eq!(d.related.len(), 1, "{d:?}");
    assert_eq!(d.related[0].span.start, 31, "{d:?}");
    assert!(d.related[0].label.contains("opens here"), "{d:?}");
}

#[test]
fn a_script_file_is_a_graph_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.cypher");
    std::fs::write(&file, "CREATE (:A {name: 'x'})-[:T]->(:B)").unwrap();
    let source = crate::session::GraphSource::Script(file.clone());
    let loaded = source
        .load()
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    assert_eq!(loaded.graph.node_count(), 2);
    assert!(loaded.graph.schema.is_none());
    let missing = crate::session::GraphSource::Script(dir.path().join("nope.cypher"));
    let Err(f) = missing.load() else {
        panic!("a missing script loads")
    };
    assert!(f.render(false).contains("nope.cypher"));
}

#[test]
fn one_create_with_thousands_of_variables_binds_each_right() {
    // Variables are looked up by name through an index: a long pattern
    // binds and refers back to each of them correctly.
    let n = 2000;
    let mut parts: Vec<String> = (0..n).map(|i| format!("(n{i}:P {{k: 'v{i}'}})")).collect();
    parts.extend((0..n - 1).map(|i| format!("(n{})-[:NEXT]->(n{i})", i + 1)));
    let g = load(&format!("CREATE {}", parts.join(", ")));
    assert_eq!(g.node_count(), n);
    assert_eq!(g.rel_count(), n - 1);
    let (a, _) = by_prop(&g, "k", "v1234");
    let (b, _) = by_prop(&g, "k", "v1233");
    let next: Vec<NodeIndex> = g
        .rels_of(a, Dir::Outgoing)
        .map(|e| g.endpoints(e).1)
        .collect();
    assert_eq!(next, vec![b]);
}
