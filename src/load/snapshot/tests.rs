//! A graph read back from its snapshot is the graph that was written: every
//! node and relation at its index, with the same properties (evidence
//! included), the same indexes, schema, sources and warnings.

use proptest::prelude::*;

use super::*;
use crate::load::build::{Cite, CiteSource};
use petgraph::graph::EdgeIndex;
use std::sync::OnceLock;

/// Everything a query can see of a graph, in index order.
fn same_graph(a: &Graph, b: &Graph) {
    assert_eq!(a.node_count(), b.node_count());
    assert_eq!(a.rel_count(), b.rel_count());
    assert_eq!(a.schema, b.schema);
    assert_eq!(a.sources(), b.sources());
    assert_eq!(a.prop_keys(), b.prop_keys());
    for ix in a.nodes() {
        assert_eq!(a.node(ix), b.node(ix), "node {}", ix.index());
        let id = &a.node(ix).id;
        assert_eq!(a.by_id(id), b.by_id(id));
    }
    for ix in a.rels() {
        assert_eq!(a.endpoints(ix), b.endpoints(ix));
        assert_eq!(a.rel(ix), b.rel(ix), "relation {}", ix.index());
        assert_eq!(a.rel_type(ix), b.rel_type(ix));
    }
    let keys_a: Vec<_> = a
        .name_keys()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    let mut keys_a = keys_a;
    let mut keys_b: Vec<_> = b
        .name_keys()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    keys_a.sort();
    keys_b.sort();
    assert_eq!(keys_a, keys_b);
    let mut la = a.labels();
    let mut lb = b.labels();
    la.sort();
    lb.sort();
    assert_eq!(la, lb);
    for l in la {
        assert_eq!(a.by_label(l), b.by_label(l));
    }
    for (k, nodes) in &keys_a {
        assert_eq!(b.by_name(k), nodes.as_slice(), "key {k}");
    }
    assert!(b.by_id("no such id").is_none());
    assert!(b.by_name("no such name").is_empty());
    assert!(b.by_label("NoSuchLabel").is_empty());
    let (ja, jb) = (a.adjacency(), b.adjacency());
    assert_eq!(ja.type_names(), jb.type_names());
    assert_eq!(ja.type_counts(), jb.type_counts());
    let all_labels: Vec<String> = a.labels().iter().map(|l| l.to_string()).collect();
    for l in &all_labels {
        let one = std::slice::from_ref(l);
        assert_eq!(ja.label_mask(one), jb.label_mask(one));
    }
    for ix in a.nodes() {
        assert_eq!(a.id_value(ix), b.id_value(ix));
        assert_eq!(ja.outgoing(ix), jb.outgoing(ix));
        assert_eq!(ja.incoming(ix), jb.incoming(ix));
        assert_eq!(ja.label_bits(ix), jb.label_bits(ix));
        assert_eq!(ja.name(ix), jb.name(ix));
        for dir in [petgraph::Direction::Outgoing, petgraph::Direction::Incoming] {
            let ra: Vec<_> = a.rels_of(ix, dir).collect();
            let rb: Vec<_> = b.rels_of(ix, dir).collect();
            assert_eq!(ra, rb, "{dir:?} of {ix:?}");
        }
    }
}

/// Every property a relation of `b` (read in place, none decoded yet)
/// reads through `rel_prop` is the one `a` (built) holds, missing keys
/// included; only evidence keys may decode a relation to answer.
fn same_rel_props(a: &Graph, b: &Graph) {
    assert!(b.is_mapped());
    assert_eq!(b.decoded_groups().1, 0, "no relation decoded before");
    let mut keys: Vec<String> = ["zz", "date", "name", "type", "id"]
        .into_iter()
        .map(String::from)
        .collect();
    for ix in a.rels() {
        keys.extend(a.rel(ix).props.keys().map(|k| k.to_string()));
    }
    keys.sort();
    keys.dedup();
    let evidence: Vec<&str> = evidence_keys().iter().map(|k| k.as_str()).collect();
    let plain: Vec<&String> = keys
        .iter()
        .filter(|k| !evidence.contains(&k.as_str()))
        .collect();
    for ix in a.rels() {
        same_props_of(a, b, ix, &plain);
    }
    assert_eq!(
        b.decoded_groups().1,
        0,
        "a property read in place decoded no relation"
    );
    for ix in a.rels() {
        same_props_of(a, b, ix, &keys);
    }
    // Once decoded, the decoded relation answers the same.
    for ix in a.rels() {
        let _ = b.rel(ix);
        same_props_of(a, b, ix, &keys);
    }
}

/// Relation `ix` reads each of `keys` through `rel_prop` as `a` holds it,
/// in both graphs.
fn same_props_of(a: &Graph, b: &Graph, ix: EdgeIndex, keys: &[impl AsRef<str>]) {
    for k in keys {
        let k = k.as_ref();
        let want = a.rel(ix).props.get(k).cloned();
        assert_eq!(
            b.rel_prop(ix, k).map(Cow::into_owned),
            want,
            "relation {} key {k}",
            ix.index()
        );
        assert_eq!(a.rel_prop(ix, k).map(Cow::into_owned), want);
    }
}

/// Groups of nodes and relations decoded so far, together.
fn decoded(g: &Graph) -> usize {
    let (nodes, rels) = g.decoded_groups();
    nodes + rels
}

/// The sections of a graph, as bytes.
fn encoded(g: &Graph) -> Vec<(u32, Vec<u8>)> {
    let mut sections = Vec::new();
    encode_graph(g, &mut sections).expect("sections kept in memory");
    assert_eq!(sections.len(), GRAPH_SECTIONS);
    sections
}

/// Opens the sections of a graph in place, from a snapshot made in memory.
fn decode(parts: &[(u32, Vec<u8>)]) -> Result<Graph, Damage> {
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::capture_at(dir.path(), &[], std::time::SystemTime::now(), "test").unwrap();
    let sections: Vec<(u32, &[u8])> = parts.iter().map(|(t, b)| (*t, b.as_slice())).collect();
    let image = snapfile::image(&key, &sections);
    let snap = SnapFile::from_bytes(Arc::new(image))?;
    snap.verify_all()?;
    read_graph(&snap)
}

fn round_trip(g: &Graph) -> Graph {
    let back = decode(&encoded(g)).expect("the snapshot reads back");
    assert!(back.is_mapped());
    back
}

#[test]
fn the_bundled_dataset_reads_back_whole() {
    let loaded = crate::load::load_embedded(&Default::default()).unwrap();
    same_rel_props(&loaded.graph, &round_trip(&loaded.graph));
    let back = round_trip(&loaded.graph);
    same_graph(&loaded.graph, &back);
    // Evidence stays compact until read, and reads the same.
    let with_evidence = loaded
        .graph
        .rels()
        .find(|ix| loaded.graph.rel(*ix).props.deferred().is_some())
        .expect("some relation has deferred evidence");
    assert!(back.rel(with_evidence).props.deferred().is_some());
    assert_eq!(
        back.rel(with_evidence).props.get("citations"),
        loaded.graph.rel(with_evidence).props.get("citations")
    );
}

#[test]
fn answers_from_the_snapshot_equal_those_of_the_load() {
    let loaded = crate::load::load_embedded(&Default::default()).unwrap();
    let back = round_trip(&loaded.graph);
    let opts = crate::query::Options::default();
    for q in [
        "MATCH (n) RETURN labels(n), n ORDER BY n.id",
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), r, b.id ORDER BY a.id, type(r), b.id",
        "MATCH (a)-[r]->(b) RETURN r.citations, r.sources, r.quotes, r.claimants ORDER BY a.id, b.id, type(r)",
        "MATCH p = (a)-[*1..2]->(b) RETURN count(p)",
    ] {
        let want = crate::query::engine::run_all(&loaded.graph, q, &opts);
        let got = crate::query::engine::run_all(&back, q, &opts);
        assert_eq!(
            format!("{:?}", got.result),
            format!("{:?}", want.result),
            "{q}"
        );
    }
}

#[test]
fn warnings_read_back_without_the_texts_they_point_into() {
    let walk = vec![Diagnostic::notice("not-read", "`a.RON` was not read").help("rename it")];
    let mut w = Diagnostic::warning("odd-date", "a date in the future").at("x.ron", 3..9);
    w.related.push(Related {
        file: Some("y.ron".into()),
        span: 1..2,
        label: "first here".into(),
    });
    w.notes.push("a note".into());
    let warnings = vec![walk[0].clone(), w];
    let bytes = encode_warnings(&walk, &warnings);
    let (w2, warnings2) = decode_warnings(Reader(&bytes)).unwrap();
    assert_eq!(w2, walk);
    assert_eq!(warnings2, warnings);
    // Truncated anywhere: refused, never a panic.
    for cut in 0..bytes.len() {
        assert!(decode_warnings(Reader(&bytes[..cut])).is_none(), "{cut}");
    }
}

/// A load that keeps the texts its warnings point into writes none of them
/// into the snapshot, and a dataset opened from it has the same warnings.
#[test]
fn the_snapshot_keeps_the_warnings_but_not_the_texts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("schema.ron"),
        crate::load::embedded_files()
            .iter()
            .find(|f| f.rel == "schema.ron")
            .map(|f| f.text.clone())
            .unwrap(),
    )
    .unwrap();
    // An entity nothing refers to is a warning that points into this file;
    // the comment is in its text and nowhere in the graph.
    let marker = "a comment only the file's text holds";
    std::fs::write(
        data.join("a.ron"),
        format!("// {marker}\n(entities: [(id: \"lonely\", kind: \"Person\", name: \"Lonely\")])"),
    )
    .unwrap();
    let key_files = vec!["a.ron".to_string(), "schema.ron".to_string()];
    let key = crate::load::freshness::DataKey::capture(&data, &key_files).unwrap();
    let opts = crate::load::Options::default();
    let files = crate::load::read_dir(&data).unwrap();
    let loaded = crate::load::load_files(files, &opts).unwrap();
    assert!(!loaded.warnings.is_empty(), "the test needs a warning");
    assert!(
        loaded.sources.values().any(|t| t.contains(marker)),
        "a load from the files keeps the text for rendering"
    );
    let path = dir.path().join("snap");
    write(&path, &key, &data, &[], &loaded).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
        "the snapshot holds the text of a warned file"
    );
    match open(&path, &data, &key_files, &[]) {
        Opened::Fresh(opened) => {
            assert_eq!(opened.warnings, loaded.warnings);
            assert!(opened.sources.is_empty());
        }
        other => panic!("expected a fresh snapshot, got {other:?}"),
    }
}

/// A section cut short (with a checksum that matches the cut bytes, as
/// only a bug of the writer could make) is refused at open; the sources,
/// read on first use, then read as none, never a panic.
#[test]
fn a_truncated_graph_section_is_refused() {
    let loaded = crate::load::load_embedded(&Default::default()).unwrap();
    let parts = encoded(&loaded.graph);
    assert!(decode(&parts).is_ok());
    for which in 0..parts.len() {
        let (tag, len) = (parts[which].0, parts[which].1.len());
        for cut in (0..len).step_by(len / 37 + 1) {
            let mut cut_parts = parts.clone();
            cut_parts[which].1.truncate(cut);
            let opened = decode(&cut_parts);
            if tag == SOURCES {
                assert!(opened.unwrap().sources().is_empty());
            } else {
                assert!(opened.is_err(), "section {tag} cut at {cut}");
            }
        }
    }
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(Value::Float),
        "[a-zé ]{0,8}".prop_map(Value::from),
        (-3000i32..3000, proptest::option::of(1u8..=12), 1u8..=28).prop_map(|(year, m, d)| {
            Value::Date(PartialDate {
                year,
                month: m,
                day: m.map(|_| d),
            })
        }),
        (
            any::<i32>(),
            any::<i64>(),
            -50_000i32..50_000,
            any::<bool>()
        )
            .prop_map(|(days, nanos, offset, named)| {
                Value::Temporal(Box::new(Temporal::DateTime(DateTime {
                    local: LocalDateTime {
                        days: i64::from(days),
                        nanos,
                    },
                    offset,
                    zone: named.then(|| Arc::from("Europe/Madrid")),
                })))
            }),
        (
            any::<i64>(),
            any::<i64>(),
            any::<i64>(),
            0i64..1_000_000_000
        )
            .prop_map(|(months, days, seconds, nanos)| {
                Value::Temporal(Box::new(Temporal::Duration(Duration {
                    months,
                    days,
                    seconds,
                    nanos,
                })))
            }),
        (any::<i64>(), -50_000i32..50_000).prop_map(|(nanos, offset)| {
            Value::Temporal(Box::new(Temporal::Time(Time { nanos, offset })))
        }),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            proptest::collection::btree_map("[a-c]{1,2}", inner, 0..3).prop_map(Value::Map),
        ]
    })
}

fn props() -> impl Strategy<Value = Vec<(String, Value)>> {
    proptest::collection::vec(("[a-e]{1,2}|name|aliases", value()), 0..5)
}

prop_compose! {
    fn graph()(
        nodes in proptest::collection::vec(("[a-z]{1,6}", proptest::collection::vec("[A-C][a-z]{0,3}", 0..3), props()), 1..12),
        rels in proptest::collection::vec((0usize..100, 0usize..100, "[A-D]{1,3}", props()), 0..20),
    ) -> Graph {
        let mut g = Graph::new(None);
        let mut ixs = Vec::new();
        for (i, (id, labels, props)) in nodes.into_iter().enumerate() {
            let mut p = Props::new();
            for (k, v) in props {
                p.insert(k, v);
            }
            ixs.push(g.add_node(Node { id: format!("{id}{i}"), labels, props: p }));
        }
        for (from, to, rel_type, props) in rels {
            let mut p = Props::new();
            for (k, v) in props {
                p.insert(k, v);
            }
            let (a, b) = (ixs[from % ixs.len()], ixs[to % ixs.len()]);
            g.add_rel(a, b, Rel { rel_type: rel_type.into(), props: p });
        }
        g
    }
}

proptest! {
    #[test]
    fn random_graphs_read_back_whole(g in graph()) {
        same_rel_props(&g, &round_trip(&g));
        let back = round_trip(&g);
        same_graph(&g, &back);
        let opts = crate::query::Options::default();
        for q in [
            "MATCH (n) RETURN n, labels(n) ORDER BY n.id",
            "MATCH (a)-[r]->(b) RETURN a.id, r, b.id",
            "MATCH (a)-[*1..2]-(b) RETURN a.id, count(b) ORDER BY a.id",
        ] {
            let want = crate::query::engine::run_all(&g, q, &opts);
            let got = crate::query::engine::run_all(&back, q, &opts);
            prop_assert_eq!(format!("{:?}", got.result), format!("{:?}", want.result));
        }
    }
}

#[test]
fn a_named_zone_keeps_its_name() {
    let v = Value::Temporal(Box::new(Temporal::DateTime(DateTime {
        local: LocalDateTime { days: 1, nanos: 2 },
        offset: 3600,
        zone: Some(Arc::from("Europe/Madrid")),
    })));
    let mut g = Graph::new(None);
    let mut p = Props::new();
    p.insert("at".into(), v.clone());
    g.add_node(Node {
        id: "a".into(),
        labels: vec![],
        props: p,
    });
    let back = round_trip(&g);
    assert_eq!(back.node(NodeIndex::new(0)).props.get("at"), Some(&v));
}

/// Everything a query can read of one deferred group, the cheap paths
/// (`list_len`, `each_str`) included.
fn deferred_reads(d: &dyn Deferred) -> Vec<String> {
    let mut out = vec![format!("{:?} {:?}", d.keys(), d.values())];
    for key in ["citations", "claimants", "quotes", "sources", "other"] {
        out.push(format!("{key} {:?}", d.list_len(key)));
        for field in [None, Some("source"), Some("quote"), Some("claimant")] {
            let mut got = Vec::new();
            let listed = d.each_str(key, field, &mut |s| got.push(s.to_string()));
            out.push(format!("{key} {field:?} {listed} {got:?}"));
        }
        let mut hedges = Vec::new();
        d.each_str(key, Some("hedge"), &mut |s| hedges.push(s.to_string()));
        out.push(format!("{key} hedges {hedges:?}"));
    }
    out
}

/// Every deferred group of `b` (read from a snapshot) reads as that of `a`
/// (built by a load), and `b` writes the same snapshot as `a`.
fn same_evidence(a: &Graph, b: &Graph) {
    for ix in a.rels() {
        let (pa, pb) = (&a.rel(ix).props, &b.rel(ix).props);
        match (pa.deferred(), pb.deferred()) {
            (None, None) => {}
            (Some(da), Some(db)) => {
                assert!(
                    db.as_any()
                        .is_some_and(|x| x.downcast_ref::<SnapEvidence>().is_some())
                );
                assert_eq!(deferred_reads(da), deferred_reads(db), "relation {ix:?}");
            }
            _ => panic!("relation {ix:?}: evidence on one side only"),
        }
    }
    assert_eq!(encoded(a), encoded(b));
}

#[test]
fn evidence_read_from_the_snapshot_reads_as_the_loaded_evidence() {
    let loaded = crate::load::load_embedded(&Default::default()).unwrap();
    let back = round_trip(&loaded.graph);
    assert!(
        loaded
            .graph
            .rels()
            .filter(|ix| loaded.graph.rel(*ix).props.deferred().is_some())
            .count()
            > 10
    );
    same_evidence(&loaded.graph, &back);
}

fn cites() -> impl Strategy<Value = Vec<(String, String, Option<String>, usize)>> {
    proptest::collection::vec(
        (
            "s[0-3]",
            "[a-c ]{0,4}",
            proptest::option::of("c[0-2]"),
            0..HEDGES.len(),
        ),
        0..5,
    )
}

proptest! {
    #[test]
    fn random_evidence_reads_back_as_loaded(
        g in graph(),
        evidence in proptest::collection::vec(proptest::option::of(cites()), 0..20),
    ) {
        let mut g = g;
        let ixs: Vec<_> = g.rels().collect();
        for (ix, ev) in ixs.into_iter().zip(evidence) {
            let Some(ev) = ev else { continue };
            let cites = ev
                .into_iter()
                .map(|(source, quote, claimant, hedge)| Cite {
                    source: source.as_str().into(),
                    quote: Arc::from(quote),
                    claimant: claimant.map(Arc::from),
                    hedge: HEDGES[hedge],
                })
                .collect();
            // Evidence keys are never also set directly.
            let props = &mut g.rel_mut(ix).props;
            for k in evidence_keys() {
                props.remove(k);
            }
            props.set_deferred(Evidence::new(cites));
        }
        same_rel_props(&g, &round_trip(&g));
        let back = round_trip(&g);
        same_graph(&g, &back);
        same_evidence(&g, &back);
        // A graph read in place writes its citations (found by their
        // text) as a load's.
        let again = round_trip(&back);
        same_graph(&g, &again);
        same_evidence(&g, &again);
    }
}

/// A deferred group other than evidence: written as its values.
#[derive(Debug)]
struct Other(Vec<Value>);

impl Deferred for Other {
    fn keys(&self) -> &[Key] {
        static KEYS: OnceLock<[Key; 2]> = OnceLock::new();
        KEYS.get_or_init(|| [intern("da"), intern("date")])
    }
    fn values(&self) -> Vec<Value> {
        self.0.clone()
    }
}

proptest! {
    #[test]
    fn relation_properties_read_in_place_as_built(
        g in graph(),
        others in proptest::collection::vec(proptest::option::of((value(), value())), 0..20),
    ) {
        let mut g = g;
        let ixs: Vec<_> = g.rels().collect();
        for (ix, other) in ixs.into_iter().zip(others) {
            let Some((x, y)) = other else { continue };
            let props = &mut g.rel_mut(ix).props;
            for k in Other(Vec::new()).keys() {
                props.remove(k);
            }
            props.set_deferred(Other(vec![x, y]));
        }
        same_rel_props(&g, &round_trip(&g));
    }
}

/// A change to a graph read in place turns it into a built graph that
/// holds everything it held, and the change.
#[test]
fn a_graph_read_in_place_can_still_be_changed() {
    let loaded = crate::load::load_embedded(&Default::default()).unwrap();
    let mut back = round_trip(&loaded.graph);
    let n = back.node_count();
    let stamp = back.stamp();
    let ix = back.add_node(Node {
        id: "zz-new".into(),
        labels: vec!["Extra".into()],
        props: Props::new(),
    });
    assert!(!back.is_mapped());
    assert_ne!(back.stamp(), stamp);
    assert_eq!(back.node_count(), n + 1);
    assert_eq!(back.by_id("zz-new"), Some(ix));
    assert_eq!(back.by_label("Extra"), [ix]);
    for i in loaded.graph.nodes() {
        assert_eq!(back.node(i), loaded.graph.node(i));
    }
    assert_eq!(back.sources(), loaded.graph.sources());
    assert_eq!(back.rel_count(), loaded.graph.rel_count());
    same_evidence(&loaded.graph, &{
        let mut b = round_trip(&loaded.graph);
        b.reserve(0, 0);
        b
    });
}

/// A curated graph of `n` nodes with a key only nodes have (`nickname`)
/// and `n` relations with a key only relations have (`weight`).
fn keyed_graph(n: usize) -> Graph {
    let mut g = Graph::new(Some(Schema::default()));
    let ixs: Vec<NodeIndex> = (0..n)
        .map(|i| {
            let mut p = Props::new();
            p.insert("nickname".into(), Value::from(format!("nick {i}").as_str()));
            g.add_node(Node {
                id: format!("n{i}"),
                labels: vec!["Person".into()],
                props: p,
            })
        })
        .collect();
    for i in 0..n {
        let mut p = Props::new();
        p.insert("weight".into(), Value::Int(i as i64));
        g.add_rel(
            ixs[i],
            ixs[(i + 1) % n],
            Rel {
                rel_type: "KNOWS".into(),
                props: p,
            },
        );
    }
    g
}

#[test]
fn the_catalogue_of_keys_reads_back() {
    let g = keyed_graph(3);
    let keys = g.prop_keys();
    assert_eq!(keys.nodes, vec!["nickname".to_string()]);
    assert_eq!(keys.rels, vec!["weight".to_string()]);
    let back = round_trip(&g);
    assert_eq!(back.prop_keys(), keys);
    // A change is seen.
    let mut changed = back;
    let a = changed.by_id("n0").unwrap();
    let mut p = Props::new();
    p.insert("colour".into(), Value::from("red"));
    changed.add_rel(
        a,
        a,
        Rel {
            rel_type: "KNOWS".into(),
            props: p,
        },
    );
    assert_eq!(
        changed.prop_keys().rels,
        vec!["colour".to_string(), "weight".to_string()]
    );
    assert_eq!(changed.prop_keys().nodes, vec!["nickname".to_string()]);
}

#[test]
fn keys_only_nodes_or_only_relations_have_resolve_alike_built_and_read_in_place() {
    let g = keyed_graph(5);
    let back = round_trip(&g);
    let opts = crate::query::Options::default();
    let run = |graph: &Graph, q: &str| {
        let e = crate::query::engine::run_all(graph, q, &opts);
        format!("{:?}", e.result)
    };
    // A key only nodes have, a key only relations have (written in
    // another case), read from either.
    for q in [
        "MATCH (n) RETURN n.NickName ORDER BY n.id",
        "MATCH ()-[r]->() RETURN r.WEIGHT ORDER BY r.weight",
        "MATCH (n) RETURN n.weight LIMIT 1",
        "MATCH (a)-[r]->() RETURN r.nickname, a.nickname ORDER BY a.id LIMIT 2",
    ] {
        let want = run(&g, q);
        assert!(!want.contains("UnknownPropertyKey"), "{q}: {want}");
        assert_eq!(run(&back, q), want, "{q}");
    }
    let nick = run(&back, "MATCH (n) RETURN n.NICKNAME ORDER BY n.id LIMIT 1");
    assert!(nick.contains("nick 0"), "{nick}");
    // A key no one has: the same error and suggestion either way.
    let want = crate::query::engine::run_all(&g, "MATCH (n) RETURN n.nicknam", &opts);
    let got = crate::query::engine::run_all(&back, "MATCH (n) RETURN n.nicknam", &opts);
    let err = want.result.as_ref().expect_err("no one has `nicknam`");
    assert_eq!(
        format!("{err:?}"),
        format!("{:?}", got.result.as_ref().unwrap_err())
    );
    let text = format!("{err:?}");
    assert!(text.contains("UnknownPropertyKey"), "{text}");
    assert!(text.contains("nickname"), "the suggestion: {text}");
}

#[test]
fn resolving_a_key_reads_no_node_or_relation_of_a_graph_read_in_place() {
    // Several groups of cells: a walk over the graph would decode them all.
    let back = round_trip(&keyed_graph(500));
    assert_eq!(decoded(&back), 0);
    let opts = crate::query::Options::default();
    for q in [
        "EXPLAIN MATCH (n) RETURN n.Weight",
        "EXPLAIN MATCH ()-[r]->() RETURN r.NICKNAME",
        "MATCH (n) RETURN n.no_such_key",
    ] {
        let _ = crate::query::engine::run_all(&back, q, &opts);
        assert_eq!(decoded(&back), 0, "{q}");
    }
    // The counter does count: a query that reads every node does.
    let _ = crate::query::engine::run_all(&back, "MATCH (n) RETURN n.nickname", &opts);
    assert!(decoded(&back) >= 500 / 64, "{}", decoded(&back));
}

proptest! {
    /// Claims' evidence and deferred groups of another kind mixed on the
    /// same graph: each record points at its own citations (the writer
    /// counts them in one walk and uses the counts in the next).
    #[test]
    fn evidence_and_other_groups_mixed_read_back(
        g in graph(),
        groups in proptest::collection::vec(
            proptest::option::of(prop_oneof![
                cites().prop_map(Ok),
                (value(), value()).prop_map(Err),
            ]),
            0..20,
        ),
    ) {
        let mut g = g;
        let ixs: Vec<_> = g.rels().collect();
        for (ix, group) in ixs.into_iter().zip(groups) {
            let Some(group) = group else { continue };
            let props = &mut g.rel_mut(ix).props;
            for k in evidence_keys().iter().chain(Other(Vec::new()).keys()) {
                props.remove(k);
            }
            match group {
                Ok(ev) => props.set_deferred(Evidence::new(
                    ev.into_iter()
                        .map(|(source, quote, claimant, hedge)| Cite {
                            source: CiteSource::Text(Arc::from(source)),
                            quote: Arc::from(quote),
                            claimant: claimant.map(Arc::from),
                            hedge: HEDGES[hedge],
                        })
                        .collect(),
                )),
                Err((x, y)) => props.set_deferred(Other(vec![x, y])),
            }
        }
        same_rel_props(&g, &round_trip(&g));
        same_graph(&g, &round_trip(&g));
    }
}
