//! A node's id in a graph read in place from its snapshot is a string
//! value that names the node and reads the id from the graph's column
//! only when something looks at it (`model::SharedStr`). Every consumer
//! must see exactly the string a graph built from the files gives:
//! comparisons, hashing (`DISTINCT`, groups, `UNION`), `ORDER BY`, string
//! functions, lists and maps, and every renderer. These tests run the same
//! queries over a graph and over its snapshot read back, on the bundled
//! data and on random curated graphs, and compare the answers and their
//! renderings.

use eje::diag::SourceMap;
use eje::load::Loaded;
use eje::model::schema::Schema;
use eje::model::{Graph, Node, Props, Rel, Value};
use eje::query::{Options, engine};
use std::io::Write;
use std::sync::{Arc, Mutex};

use eje::render::{Format, TableStyle, render, row_stream};
use proptest::prelude::*;

#[path = "common/mapped.rs"]
mod common_mapped;
use common_mapped::mapped;

fn loaded(graph: Graph) -> Loaded {
    Loaded {
        graph,
        warnings: Vec::new(),
        sources: SourceMap::new(),
        audit: Vec::new(),
    }
}

/// Queries that hand a node's id to every kind of consumer.
fn queries(first: &str) -> Vec<String> {
    let mut q: Vec<String> = [
        "MATCH (n) RETURN n.id AS id ORDER BY id",
        "MATCH (n) RETURN n.id AS id ORDER BY id DESC",
        "MATCH (n) RETURN DISTINCT n.id AS id",
        "MATCH (a)-[]-(b) RETURN DISTINCT b.id AS id",
        "MATCH (a)-[]-(b) RETURN a.id AS a, count(DISTINCT b.id) AS n ORDER BY a",
        "MATCH (a)-[]-(b) WITH b.id AS id, count(*) AS c RETURN id, c ORDER BY c DESC, id",
        "MATCH (n) RETURN n.id AS id UNION MATCH (m) RETURN m.id AS id",
        "MATCH (n) RETURN min(n.id) AS lo, max(n.id) AS hi, count(DISTINCT n.id) AS d, collect(n.id) AS all",
        "MATCH (n) WITH n.id AS id WHERE id > 'm' RETURN id, {k: id} AS m, [id, id] AS l ORDER BY id DESC LIMIT 7",
        "MATCH (n) RETURN n.id, toUpper(n.id), size(n.id), n.id + '!', substring(n.id, 1, 3), split(n.id, '-'), reverse(n.id), left(n.id, 2), toString(n.id) ORDER BY n.id",
        "MATCH (n) RETURN n.id = 'x' AS eq, n.id IN ['a', 'b'] AS inl, n.id STARTS WITH 'p' AS sw, n.id CONTAINS '0' AS c, n.id =~ '.*[0-9].*' AS re, coalesce(n.id, 'z') AS co ORDER BY n.id",
        "MATCH (a), (b) WHERE a.id = b.id RETURN count(*) AS same",
        "MATCH (a), (b) WHERE a.id < b.id RETURN count(*) AS lt",
        "MATCH (a)-[r]->(b) RETURN a.id AS a, b.id AS b, a.id < b.id AS lt ORDER BY a, b",
        "UNWIND [1, 2] AS x MATCH (n) RETURN DISTINCT n.id AS id ORDER BY id",
        "MATCH (n) RETURN n.id AS id ORDER BY id SKIP 1 LIMIT 3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let lit = first.replace('\\', "\\\\").replace('\'', "\\'");
    q.push(format!(
        "MATCH (a {{id: '{lit}'}})-[]-(b) RETURN DISTINCT b.id AS id"
    ));
    q.push(format!(
        "MATCH (a {{id: '{lit}'}})-[]-(b) RETURN DISTINCT b.id AS id ORDER BY id"
    ));
    q.push(format!(
        "MATCH (a) WHERE a.id = '{lit}' RETURN a.id AS id, a.id = '{lit}' AS same"
    ));
    q
}

/// The answer and its renderings, over `g`.
fn answers(g: &Graph, q: &str) -> Vec<String> {
    let ex = engine::run_all(g, q, &Options::default());
    let mut out = vec![format!("{:?}", ex.result)];
    if let Ok(rs) = &ex.result {
        let style = TableStyle {
            color: false,
            width: None,
            max_rows: None,
            terminal: false,
            record: Default::default(),
        };
        for f in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
            out.push(render(g, rs, f, style));
        }
        // Streamed as the rows are made (all but a `UNION`'s): the bytes
        // of the whole answer.
        for f in [Format::Json, Format::Csv] {
            if let Some(streamed) = streamed(g, q, f) {
                assert_eq!(streamed, render(g, rs, f, style), "{q} streamed as {f:?}");
            }
        }
    }
    out
}

/// A writer whose bytes the test reads after the stream is done.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The answer to `q` over `g`, streamed in `format`; `None` for one that
/// is held whole.
fn streamed(g: &Graph, q: &str, format: Format) -> Option<String> {
    let buf = Shared::default();
    let (stream, _) = row_stream(Arc::new(g.clone()), format, false, buf.clone()).unwrap();
    let opts = Options {
        stream: Some(stream),
        ..Options::default()
    };
    engine::run_all(g, q, &opts).result.unwrap().streamed?;
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    Some(text)
}

fn same_answers(built: &Graph, back: &Graph) -> Result<(), TestCaseError> {
    let first = built.nodes().next().map(|ix| built.node(ix).id.clone());
    let first = first.unwrap_or_default();
    // The ids of the graph read back are the lazy kind, so the comparison
    // is between the two ways of holding them.
    if let Some(ix) = back.nodes().next() {
        let Value::Str(s) = back.id_value(ix) else {
            panic!("an id is a string")
        };
        prop_assert!(!s.is_held());
    }
    for q in queries(&first) {
        prop_assert_eq!(answers(back, &q), answers(built, &q), "{}", q);
    }
    Ok(())
}

#[test]
fn ids_read_in_place_answer_as_the_loaded_ids_on_the_bundled_data() {
    let loaded = eje::load::load_embedded(&Default::default()).unwrap();
    let back = mapped(&loaded);
    same_answers(&loaded.graph, &back).unwrap();
}

prop_compose! {
    fn graph()(
        nodes in proptest::collection::vec(("[a-cé' -]{0,4}", proptest::collection::vec("[A-C]", 0..2)), 1..10),
        rels in proptest::collection::vec((0usize..100, 0usize..100, "[A-B]"), 0..16),
    ) -> Graph {
        let mut g = Graph::new(Some(Schema::default()));
        let mut ixs = Vec::new();
        for (i, (id, labels)) in nodes.into_iter().enumerate() {
            // Ids are unique; some share a prefix, some are empty-ish.
            let id = if i % 3 == 0 { id } else { format!("{id}{i}") };
            if ixs.iter().any(|ix| g.node(*ix).id == id) {
                continue;
            }
            ixs.push(g.add_node(Node { id, labels, props: Props::new() }));
        }
        for (from, to, rel_type) in rels {
            let (a, b) = (ixs[from % ixs.len()], ixs[to % ixs.len()]);
            g.add_rel(a, b, Rel { rel_type: rel_type.into(), props: Props::new() });
        }
        g
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn ids_read_in_place_answer_as_built_ids_on_random_graphs(g in graph()) {
        let l = loaded(g);
        let back = mapped(&l);
        same_answers(&l.graph, &back)?;
    }
}

#[test]
fn an_id_read_in_place_is_the_id_and_hashes_as_it() {
    use std::hash::BuildHasher;
    let loaded = eje::load::load_embedded(&Default::default()).unwrap();
    let back = mapped(&loaded);
    let hasher = std::collections::hash_map::RandomState::new();
    for ix in loaded.graph.nodes() {
        let (Value::Str(a), Value::Str(b)) = (loaded.graph.id_value(ix), back.id_value(ix)) else {
            panic!("ids are strings")
        };
        assert!(a.is_held() && !b.is_held());
        assert_eq!(&*b, loaded.graph.node(ix).id.as_str());
        assert_eq!(a, b);
        assert_eq!(hasher.hash_one(&a), hasher.hash_one(&b));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        // A copy made of it is held apart and equal.
        let held: std::sync::Arc<str> = b.to_arc();
        assert_eq!(&*held, &*a);
    }
}
