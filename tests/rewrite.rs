//! `query::optimize` changes how a query runs, never what it answers: on
//! random small multigraphs (self-loops, parallel relations, both with and
//! without a schema that makes a type symmetric), every query below gives
//! the same rows with the rewrites on and off (as a multiset: row order is
//! not defined without ORDER BY). Each query is also checked to be one the
//! rewrites apply to, so the comparison is never between two identical
//! plans.

use std::cmp::Ordering;

use eje::model::schema::{KindDef, RelationDef, Style, TimeShape};
use eje::model::{Graph, Node, Props, Rel, Schema, Value};
use eje::query::{self, Options, ast, optimize, parser, plan};
use proptest::prelude::*;

#[path = "common/mapped.rs"]
mod common_mapped;

/// Queries the count rewrite applies to.
const COUNTS: &[&str] = &[
    "MATCH (a)-[r]->() RETURN a.id AS id, count(r) AS n",
    "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n",
    "MATCH (a:A)-[r]-(b:B) RETURN a.id AS id, count(*) AS n",
    "MATCH (a)-[r:T]->(b) RETURN count(*) AS n",
    "MATCH (a)-[s]-(b)-[r]-(c) RETURN a.id AS id, count(*) AS n",
    "MATCH (a)-[r {w: 1}]-(b:A) RETURN type(r) AS t, count(r) AS n",
    "MATCH (a)<-[r:T|U]-(b) RETURN a.id AS id, type(r) AS t, count(*) AS n, count(b) AS m",
    "MATCH (a)-[r:T]->(b) WITH a, count(r) AS n WHERE n > 1 RETURN a.id AS id, n",
    // A label at the far end that the schema implies, or not; relations
    // bound before excluded.
    "MATCH (a {name: 'n0'})-[s]-(b)-[r:U]->(c:B) RETURN b.id AS id, count(*) AS n",
    "MATCH (a {name: 'n1'})-[s:U]-(b)<-[r:U]-(c:A) RETURN count(*) AS n",
    "MATCH (a {name: 'n0'})-[s:U]->(b)-[r:U]-(c:A) RETURN a.id AS id, count(*) AS n",
    "MATCH (a {name: 'n2'})-[s:T]-(b)-[r:T|U]->(c:B) RETURN count(*) AS n",
    "MATCH (a {name: 'n1'})-[s]->(b)-[r:U]->(c:A) RETURN count(*) AS n",
    "MATCH (a {name: 'n0'})-[s]-(b)<-[r:U]-(c:B) RETURN count(*) AS n",
    "MATCH (a:A)-[s:U]->(b)<-[r:U]-(c) RETURN a.id AS id, count(*) AS n",
    // Totals by type, and where they must not be read from the graph.
    "MATCH ()<-[r:T|U]-() RETURN type(r) AS t, count(r) AS n",
    "MATCH ()-[r:U]->() RETURN type(r) AS t, count(*) AS n",
    "MATCH ()-[r:T|U]->() RETURN type(r) AS t, count(*) AS n",
    "MATCH ()-[r]-() RETURN type(r) AS t, count(*) AS n",
    "MATCH (a)-[r]->() RETURN a.id AS a, type(r) AS t, count(*) AS n",
    "MATCH ()-[r]->(b:B) RETURN type(r) AS t, count(*) AS n",
    // One row per group, and where rows share groups.
    "MATCH (a:A)-[r]-() RETURN a.id AS id, count(r) AS deg ORDER BY deg DESC, id LIMIT 2",
    "MATCH (a)-[r:T|U]-() RETURN a AS a, count(*) AS n, count(r) AS m",
    "UNWIND [1, 2] AS x MATCH (a:A)-[r]-() RETURN a.id AS id, count(r) AS n",
    "MATCH (a:A) MATCH (a)-[r]-() RETURN a.id AS id, count(r) AS n",
    "MATCH (a:A)-[r]-() RETURN a.name AS k, count(r) AS n",
];

/// Queries a rewrite could be wrongly applied to, were its guard missing:
/// they too must answer the same either way.
const GUARDED: &[&str] = &[
    "MATCH (a:A) MATCH (a)-[r]-(b) RETURN a.id AS id, count(b.id) AS n",
    "MATCH (a:A) OPTIONAL MATCH (a)-[r]-(b) RETURN a.id AS id, count(b) AS n",
    "MATCH (a:A) WHERE a.rank = 1 AND a.name CONTAINS '1' RETURN a.id AS id",
    // An optional match of one start and its neighbours (a null row when
    // it has none), and a start that is not there.
    "OPTIONAL MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b",
    "OPTIONAL MATCH (a {id: 'n9'})-[]-(b) RETURN DISTINCT b.id AS b",
    "MATCH (x:A) OPTIONAL MATCH (a {id: 'n1'})-[]-(b) RETURN DISTINCT b.id AS b",
];

/// Queries whose only rewrite is an aggregation of one row per group, or
/// a scan that reads names first.
const GROUPS: &[&str] = &[
    "MATCH (a:A) WHERE a.name CONTAINS '1' RETURN a.id AS id, a.name AS name",
    "MATCH (a) WHERE a.name STARTS WITH 'n' AND a.rank = 1 RETURN a.id AS id",
    "MATCH (a)-[r]-(b) WHERE a.name ENDS WITH '2' RETURN a.id AS a, b.id AS b",
    "MATCH (a) WHERE a.name CONTAINS '' RETURN a.id AS id",
    "MATCH (a:B) RETURN a AS a, count(*) AS n, collect(a.name) AS names",
    "MATCH (a) RETURN a AS a, a.name AS k, sum(a.rank) AS s, count(DISTINCT a.name) AS d",
];

/// Queries the distinct-ends rewrite applies to.
const DISTINCT: &[&str] = &[
    "MATCH (a)-[r]-(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[:T]->(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[*1..3]-(b) RETURN a.id AS a, count(DISTINCT b) AS n",
    "MATCH (a)-[*0..2]->(b:A) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[*1..3]->(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[*1..3]-(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[*..2]-(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)<-[:U*1..4]-(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[:T*1..3]->(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[:T|U*1..3]->(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[s:U]->(x)-[*1..3]-(b) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a)-[s]-(x)-[*1..2]->(b) RETURN DISTINCT a.id AS a, x.id AS x, b.id AS b",
    "MATCH (a)-[*1..2 {w: 1}]-(b) RETURN a.id AS a, count(DISTINCT b) AS n, min(b.id) AS lo",
    "MATCH (a:B)-[*1..3]-(b:B) WHERE b.id <> 'n0' RETURN DISTINCT a.id AS a, b.id AS b",
    // Over curated data these start at one node by its id: the rows are
    // distinct already and the `DISTINCT` goes.
    "MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n1'})-[*1..2]->(b) RETURN DISTINCT b.id AS b, b.name AS name",
    "MATCH (a {id: 'n0'})-[:T]-(b) WHERE b.id <> 'n1' RETURN DISTINCT b AS b",
    "MATCH (a {id: 'n0'})-[*1..3]-(b:A) RETURN count(DISTINCT b) AS n",
    // One hop with each check the expansion may skip when it has none:
    // the relation's properties, the far node's labels, a bound far node.
    "MATCH (a {id: 'n0'})-[r {w: 1}]-(b) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n1'})-[]->(b:B) RETURN DISTINCT b.id AS b",
    "MATCH (b:A) MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b",
    // Each match straight to a one-column answer: the node itself, one
    // direction, one type.
    "MATCH (a {id: 'n1'})-[]-(b) RETURN DISTINCT b AS b",
    "MATCH (a {id: 'n0'})<-[]-(b) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n2'})-[:U]-(b) RETURN DISTINCT b.id AS b",
];

/// Searches of a few hops to labelled ends, whose last hop may be walked
/// back from the ends (`Options::backward_hops`): every direction, a
/// symmetric type in a directed step, a search that keeps its start, many
/// starts.
const REACH: &[&str] = &[
    "MATCH (a {id: 'n0'})-[*1..3]-(b:A) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n1'})-[*1..2]->(b:B) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n0'})<-[*1..3]-(b:A) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n0'})<-[:T*1..3]-(b:A) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n2'})-[:T|U*1..2]->(b:B) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n0'})-[*0..3]-(b:A) RETURN DISTINCT b.id AS b",
    "MATCH (a {id: 'n1'})-[:U*1..1]-(b:B) RETURN DISTINCT b.id AS b",
    "MATCH (a)-[*1..3]-(b:B) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a:A)-[*1..2]->(b:A) RETURN DISTINCT a.id AS a, b.id AS b",
    "MATCH (a {id: 'n0'})-[*1..3]-(b:A) RETURN DISTINCT b.id AS b, b.name AS name",
    "MATCH (a {id: 'n3'})-[*1..3]-(b:B) RETURN count(DISTINCT b) AS n",
];

#[derive(Debug, Clone)]
struct Spec {
    /// Whether node `i` is labelled `A` (else `B`).
    labels: Vec<bool>,
    /// (from, to, type 0..3, w)
    rels: Vec<(usize, usize, usize, i64)>,
    curated: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..8).prop_flat_map(|n| {
        (
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec((0..n, 0..n, 0usize..3, 0i64..2), 0..16),
            any::<bool>(),
        )
            .prop_map(|(labels, rels, curated)| Spec {
                labels,
                rels,
                curated,
            })
    })
}

const TYPES: [&str; 3] = ["T", "U", "S"];

fn schema() -> Schema {
    let mut s = Schema::default();
    for k in ["A", "B"] {
        s.kinds.insert(
            k.to_string(),
            KindDef {
                name: k.to_string(),
                parent: None,
                description: String::new(),
                style: Style {
                    shape: "box".into(),
                    color: "black".into(),
                },
            },
        );
    }
    for (i, t) in TYPES.iter().enumerate() {
        s.relations.insert(
            t.to_string(),
            RelationDef {
                name: t.to_string(),
                description: String::new(),
                // `U` goes from an `A` to a `B` only: a counted step over
                // it needs no check of the far node's label.
                from: if i == 1 {
                    vec!["A".into()]
                } else {
                    vec!["A".into(), "B".into()]
                },
                to: if i == 1 {
                    vec!["B".into()]
                } else {
                    vec!["A".into(), "B".into()]
                },
                // `T` is symmetric: a directed pattern on it goes both ways.
                symmetric: i == 0,
                time: TimeShape::Any,
                unit: None,
                roles: Vec::new(),
            },
        );
    }
    s
}

fn build(spec: &Spec) -> Graph {
    let mut g = Graph::new(spec.curated.then(schema));
    let nodes: Vec<_> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut props = Props::new();
            // Names repeat: a name does not tell nodes apart.
            // Node 4's name is not a string.
            let name = match i {
                4 => Value::Int(4),
                _ => Value::from(format!("n{}", i % 3)),
            };
            props.insert("name".into(), name);
            props.insert("rank".into(), Value::Int(i as i64 % 2));
            // Over a schema-less graph `id` is an ordinary property.
            props.insert("id".into(), Value::from(format!("n{i}")));
            g.add_node(Node {
                id: format!("n{i}"),
                labels: vec![if *a { "A" } else { "B" }.to_string()],
                props,
            })
        })
        .collect();
    for &(f, t, ty, w) in &spec.rels {
        // Over curated data a relation joins the kinds its type allows
        // (the loader refuses any other).
        let (a_to_b, u) = (spec.labels[f] && !spec.labels[t], ty == 1);
        if spec.curated && u && !a_to_b {
            continue;
        }
        let mut props = Props::new();
        props.insert("w".into(), Value::Int(w));
        g.add_rel(
            nodes[f],
            nodes[t],
            Rel {
                rel_type: TYPES[ty].into(),
                props,
            },
        );
    }
    g
}

fn statement(text: &str) -> ast::Query {
    match parser::parse_statement(text).expect("the test's queries parse") {
        ast::Statement::Query(q) => q,
        other => panic!("not a query: {other:?}"),
    }
}

fn rows(g: &Graph, text: &str, rewrite: bool) -> Result<Vec<Vec<Value>>, String> {
    let opts = Options {
        rewrite,
        ..Options::default()
    };
    let mut rows = query::run_all(g, text, &opts)
        .result
        .map_err(|e| e.to_string())?
        .rows
        .into_vecs();
    rows.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    Ok(rows)
}

fn rewrites(g: &Graph, text: &str) -> usize {
    let q = statement(text);
    let mut p = plan::plan_query(
        g,
        text,
        &q,
        &Default::default(),
        10,
        query::eval::eval_constant,
        &[],
    )
    .expect("plans");
    optimize::optimize(&mut p)
}

#[test]
fn every_query_here_is_rewritten() {
    for curated in [false, true] {
        let g = build(&Spec {
            labels: vec![true, false],
            rels: vec![(0, 1, 0, 1), (1, 0, 1, 0), (0, 0, 2, 1)],
            curated,
        });
        for q in COUNTS.iter().chain(DISTINCT).chain(GROUPS) {
            assert!(
                rewrites(&g, q) > 0,
                "no rewrite for {q} (curated: {curated})"
            );
        }
    }
}

#[test]
fn queries_the_rewrites_must_leave_alone() {
    let g = build(&Spec {
        labels: vec![true, false],
        rels: vec![(0, 1, 0, 1)],
        curated: false,
    });
    for q in [
        // The relation is returned, or counted distinctly.
        "MATCH (a)-[r]->(b) RETURN a, r",
        "MATCH (a)-[r]->(b) RETURN count(DISTINCT b) AS n, count(*) AS m",
        // Duplicates count.
        "MATCH (a)-[*1..2]-(b) RETURN b.id AS b, count(*) AS n",
        "MATCH (a)-[*1..2]-(b) RETURN collect(b.id) AS bs",
        // The list's order would change with the order of the rows.
        "MATCH (a)-[*1..2]-(b) RETURN collect(DISTINCT b.id) AS bs",
        // More than one hop at the least: reachability is not the question.
        "MATCH (a)-[*2..3]-(b) RETURN DISTINCT b.id AS b",
        // LIMIT before DISTINCT would see the duplicates.
        "MATCH (a)-[r]-(b) WITH b LIMIT 1 RETURN DISTINCT b.id AS b",
        // OPTIONAL MATCH keeps a row with nulls.
        "MATCH (a) OPTIONAL MATCH (a)-[r]->(b) RETURN a.id AS a, count(r) AS n",
        // A named path needs its relations.
        "MATCH p = (a)-[*1..2]-(b) RETURN DISTINCT b.id AS b",
    ] {
        assert_eq!(rewrites(&g, q), 0, "{q}");
    }
}

/// Whether `EXPLAIN` says the `DISTINCT` of `text` was dropped.
fn distinct_dropped(g: &Graph, text: &str) -> bool {
    let plan = query::run_all(g, &format!("EXPLAIN {text}"), &Options::default())
        .result
        .expect("explains");
    let ops: Vec<&str> = plan
        .rows
        .iter()
        .filter_map(|r| r[1].as_str().map(str::trim))
        .collect();
    let says = plan.rows.iter().any(|r| {
        r[2].as_str()
            .is_some_and(|d| d.contains("distinct already"))
    });
    if says {
        assert!(!ops.contains(&"Distinct"), "{text}: {ops:?}");
        let agg = plan.rows.iter().find_map(|r| {
            (r[1].as_str().map(str::trim) == Some("Aggregate")).then(|| r[2].to_string())
        });
        assert!(
            agg.as_ref().is_none_or(|a| !a.contains("DISTINCT")),
            "{text}: {agg:?}"
        );
    }
    says
}

#[test]
fn a_distinct_goes_only_where_the_rows_are_distinct_already() {
    let g = build(&Spec {
        labels: vec![true, false, true],
        rels: vec![(0, 1, 0, 1), (0, 2, 1, 0)],
        curated: true,
    });
    for q in [
        "MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b",
        "MATCH (a {id: 'n0'})-[*1..2]-(b) RETURN DISTINCT b.id AS b, b.name AS name",
        "MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b AS b",
        "MATCH (a {id: 'n0'})-[*1..3]-(b:A) RETURN count(DISTINCT b) AS n",
        "MATCH (a {id: 'n0'})-[]-(b) RETURN count(DISTINCT b.id) AS n",
    ] {
        assert!(distinct_dropped(&g, q), "{q}");
    }
    for q in [
        // A name may repeat; an id is unique only in curated data.
        "MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.name AS b",
        // More than one start node.
        "MATCH (a:A)-[]-(b) RETURN DISTINCT b.id AS b",
        // The relation is read: one row per relation.
        "MATCH (a {id: 'n0'})-[r]-(b) RETURN DISTINCT b.id AS b, r.w AS w",
        // Rows before the match.
        "UNWIND [1, 2] AS x MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b",
        // A grouping key, or a count of names.
        "MATCH (a {id: 'n0'})-[*1..2]-(b) RETURN b.name AS k, count(DISTINCT b) AS n",
        "MATCH (a {id: 'n0'})-[*1..2]-(b) RETURN count(DISTINCT b.name) AS n",
    ] {
        assert!(!distinct_dropped(&g, q), "{q}");
    }
    let plain = build(&Spec {
        labels: vec![true, false, true],
        rels: vec![(0, 1, 0, 1), (0, 2, 1, 0)],
        curated: false,
    });
    assert!(!distinct_dropped(
        &plain,
        "MATCH (a {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b"
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn rewrites_change_no_answer(s in spec()) {
        let g = build(&s);
        for q in COUNTS.iter().chain(DISTINCT).chain(GROUPS).chain(GUARDED) {
            let with = rows(&g, q, true);
            let without = rows(&g, q, false);
            prop_assert_eq!(&with, &without, "{} on {:?}", q, s);
        }
    }
}

/// The rows of `text` in the order they come, the last hop of a search
/// walked back or forward as `backward` says.
fn rows_in_order(g: &Graph, text: &str, backward: Option<bool>) -> Vec<Vec<Value>> {
    let opts = Options {
        backward_hops: backward,
        ..Options::default()
    };
    query::run_all(g, text, &opts)
        .result
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .rows
        .into_vecs()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Walked back, the last hop meets the nodes the forward walk meets,
    /// in its order; and both are what the plain walk without rewrites
    /// finds.
    #[test]
    fn the_last_hop_walked_back_meets_the_same_nodes_in_the_same_order(s in spec()) {
        let g = build(&s);
        for q in REACH {
            let back = rows_in_order(&g, q, Some(true));
            let forward = rows_in_order(&g, q, Some(false));
            prop_assert_eq!(&back, &forward, "{} on {:?}", q, s);
            let sorted = rows(&g, q, true).expect("answers");
            prop_assert_eq!(&sorted, &rows(&g, q, false).expect("answers"), "{}", q);
        }
    }
}

#[test]
fn the_last_hop_is_walked_back_when_that_reads_less() {
    // A start beside a hub of many `B`s and one `A`: forward, the last hop
    // reads every relation of the hub; back, the one of the `A`.
    const N: usize = 3000;
    let mut labels = vec![false; N + 2];
    labels[N + 1] = true;
    let mut rels = vec![(0, 1, 2, 0)];
    rels.extend((2..=N + 1).map(|i| (1, i, 2, 0)));
    let g = build(&Spec {
        labels,
        rels,
        curated: true,
    });
    let q = "MATCH (a {id: 'n0'})-[*1..2]-(b:A) RETURN DISTINCT b.id AS b";
    let run = |backward_hops| {
        let opts = Options {
            max_work: Some(N as u64 / 2),
            backward_hops,
            ..Options::default()
        };
        query::run_all(&g, q, &opts)
            .result
            .map(|r| r.rows.into_vecs())
    };
    let found = vec![vec![Value::from(format!("n{}", N + 1))]];
    assert_eq!(run(None).expect("walked back within the budget"), found);
    assert_eq!(run(Some(true)).expect("walked back"), found);
    let e = run(Some(false)).expect_err("forward, the hub's relations pass the budget");
    assert_eq!(e.kind, query::ErrorKind::Limit, "{e}");
}

/// Whether some line of `EXPLAIN text` says `what`.
fn explain_says(g: &Graph, text: &str, what: &str) -> bool {
    let plan = query::run_all(g, &format!("EXPLAIN {text}"), &Options::default())
        .result
        .expect("explains");
    plan.rows
        .iter()
        .any(|r| r[2].as_str().is_some_and(|d| d.contains(what)))
}

#[test]
fn groups_of_one_row_and_totals_by_type_only_where_they_hold() {
    const ALONE: &str = "nothing is grouped";
    const TOTALS: &str = "read from the graph's counts";
    let curated = build(&Spec {
        labels: vec![true, false, true, true],
        rels: vec![(0, 1, 1, 1), (0, 2, 2, 0), (3, 3, 1, 0)],
        curated: true,
    });
    let plain = build(&Spec {
        labels: vec![true, false, true, true],
        rels: vec![(0, 1, 1, 1), (0, 2, 2, 0), (3, 3, 1, 0)],
        curated: false,
    });
    for q in [
        "MATCH (p:A)-[r]-() RETURN p.id AS id, count(r) AS deg ORDER BY deg DESC, id LIMIT 10",
        "MATCH (p)-[r:U]->() RETURN p AS p, count(*) AS n",
        "MATCH (p:B) RETURN p AS p, collect(p.name) AS names",
    ] {
        assert!(explain_says(&curated, q, ALONE), "{q}");
    }
    for q in [
        // Names repeat.
        "MATCH (p:A)-[r]-() RETURN p.name AS k, count(r) AS n",
        // Rows before the match: a node starts a row for each.
        "UNWIND [1, 2] AS x MATCH (p:A)-[r]-() RETURN p.id AS id, count(r) AS n",
        "MATCH (p:A) OPTIONAL MATCH (p)-[r]-() RETURN p.id AS id, count(r) AS n",
        // A row per relation, per far node.
        "MATCH (p:A)-[r]-(b) RETURN p.id AS id, b.id AS b, count(*) AS n",
        "MATCH (p:A)-[*1..2]-(b) RETURN p.id AS id, count(DISTINCT b) AS n",
    ] {
        assert!(!explain_says(&curated, q, ALONE), "{q}");
    }
    // Without a schema `id` is a property like any other.
    assert!(!explain_says(
        &plain,
        "MATCH (p:A)-[r]-() RETURN p.id AS id, count(r) AS n",
        ALONE
    ));
    assert!(explain_says(
        &plain,
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n",
        TOTALS
    ));
    for q in [
        "MATCH ()-[r:U|S]->() RETURN type(r) AS t, count(*) AS n",
        // Unnamed, a symmetric type is followed as stored.
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n",
    ] {
        assert!(explain_says(&curated, q, TOTALS), "{q}");
    }
    for q in [
        // `T` is symmetric: a directed pattern that names it follows it
        // both ways.
        "MATCH ()-[r:T|U]->() RETURN type(r) AS t, count(*) AS n",
        "MATCH ()-[r]-() RETURN type(r) AS t, count(*) AS n",
        "MATCH (a:A)-[r:U]->() RETURN type(r) AS t, count(*) AS n",
        "MATCH ()-[r:U]->(b:B) RETURN type(r) AS t, count(*) AS n",
        "MATCH (a)-[r:U]->() RETURN a.id AS a, type(r) AS t, count(*) AS n",
    ] {
        assert!(!explain_says(&curated, q, TOTALS), "{q}");
    }
}

#[test]
fn names_are_read_first_only_where_the_name_test_comes_first() {
    const NAMES: &str = "read from the column of names";
    let g = build(&Spec {
        labels: vec![true, false, true, true, false],
        rels: vec![(0, 1, 1, 1)],
        curated: true,
    });
    assert!(explain_says(
        &g,
        "MATCH (p:A) WHERE p.name CONTAINS 'n1' RETURN p.id AS id",
        NAMES
    ));
    for q in [
        // Another conjunct first: it might fail where the name would not.
        "MATCH (p:A) WHERE p.rank = 1 AND p.name CONTAINS 'n1' RETURN p.id AS id",
        // Not the scanned node's name, or not against a constant.
        "MATCH (p:A)-[]-(q) WHERE q.name CONTAINS 'n1' RETURN p.id AS id",
        "MATCH (p:A) WHERE p.name CONTAINS p.id RETURN p.id AS id",
        // An equality goes to the name index instead.
        "MATCH (p:A) WHERE p.name = 'n1' RETURN p.id AS id",
    ] {
        assert!(!explain_says(&g, q, NAMES), "{q}");
    }
}

#[test]
fn kept_counts_are_held_against_the_memory_budget() {
    // A hub joined by `T` to many `A`s, each with one `U` to a `B`: the
    // counted step keeps one count per `A`, some 32 bytes each.
    const N: usize = 4000;
    let mut labels = vec![true; N + 1];
    labels.push(false);
    let mut rels: Vec<_> = (1..=N).map(|i| (0, i, 0, 0)).collect();
    rels.extend((1..=N).map(|i| (i, N + 1, 1, 0)));
    let g = build(&Spec {
        labels,
        rels,
        curated: true,
    });
    let q = "MATCH (h:A {id: 'n0'})-[s:T]-(b)-[r:U]->(c:B) RETURN count(*) AS n";
    let plan = query::run_all(&g, &format!("EXPLAIN {q}"), &Options::default())
        .result
        .expect("explains");
    assert!(
        plan.rows
            .iter()
            .any(|r| r[1].as_str().map(str::trim) == Some("ExpandCount")),
        "{q}: {:?}",
        plan.rows
    );
    let answer = |max_memory| {
        let opts = Options {
            max_memory,
            ..Options::default()
        };
        query::run_all(&g, q, &opts)
            .result
            .map(|r| r.rows.into_vecs())
            .map_err(|e| e.to_string())
    };
    let counted = vec![vec![Value::Int(N as i64)]];
    assert_eq!(answer(64 << 20), Ok(counted.clone()));
    assert_eq!(rows(&g, q, false), Ok(counted));
    // 4,000 kept counts do not fit in 64 KiB: the budget says so.
    let err = answer(64 << 10).expect_err("the kept counts pass the budget");
    assert!(err.contains("memory"), "{err}");
}

#[test]
fn a_match_made_straight_into_the_answer_keeps_the_limits() {
    // A hub with many neighbours: its one-hop distinct expansion goes
    // straight into a one-column answer.
    const N: usize = 3000;
    let labels = vec![true; N + 1];
    let rels: Vec<_> = (1..=N).map(|i| (0, i, 0, 0)).collect();
    let g = build(&Spec {
        labels,
        rels,
        curated: true,
    });
    let q = "MATCH (h {id: 'n0'})-[]-(b) RETURN DISTINCT b.id AS b";
    assert!(distinct_dropped(&g, q), "{q}");
    let run = |opts: Options| query::run_all(&g, q, &opts).result;
    let all = run(Options::default()).expect("answers");
    assert_eq!(all.rows.len(), N);
    let error = |opts| run(opts).expect_err("stopped by a limit");
    let e = error(Options {
        max_rows: N - 1,
        ..Options::default()
    });
    assert_eq!(e.kind, query::ErrorKind::Limit, "{e}");
    let e = error(Options {
        max_work: Some(N as u64 / 2),
        ..Options::default()
    });
    assert_eq!(e.kind, query::ErrorKind::Limit, "{e}");
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let e = error(Options {
        cancel: Some(cancel),
        ..Options::default()
    });
    assert_eq!(e.kind, query::ErrorKind::Cancelled, "{e}");
    let e = error(Options {
        max_memory: 4096,
        ..Options::default()
    });
    assert_eq!(e.kind, query::ErrorKind::Limit, "{e}");
}

/// A name for `name_scans_answer_as_the_filter`: a string of letters, one
/// of them two bytes and one three, so that a needle can run from one name
/// into the next in the names' buffer and fall inside a character; or a
/// number (not a string), or none.
#[derive(Debug, Clone)]
enum NameSpec {
    Text(String),
    Number,
    Absent,
}

fn name_spec() -> impl Strategy<Value = NameSpec> {
    let text = prop::collection::vec(prop::sample::select(vec!['a', 'b', 'ñ', '€']), 0..5)
        .prop_map(|cs| NameSpec::Text(cs.into_iter().collect()));
    prop_oneof![6 => text, 1 => Just(NameSpec::Number), 1 => Just(NameSpec::Absent)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A scan that tests names first (`NodeStep::name_test`: its bytes, one
    /// search over the whole buffer for `CONTAINS` over most names) keeps
    /// exactly the nodes the filter keeps, on the graph built and on its
    /// snapshot read in place.
    #[test]
    fn name_scans_answer_as_the_filter(
        names in prop::collection::vec(name_spec(), 1..24),
        labels in prop::collection::vec(any::<bool>(), 24),
        needle in prop::collection::vec(prop::sample::select(vec!['a', 'b', 'ñ', '€']), 0..3),
    ) {
        let mut g = Graph::new(None);
        for (i, name) in names.iter().enumerate() {
            let mut props = Props::new();
            let value = match name {
                NameSpec::Text(t) => Some(Value::from(t.as_str())),
                NameSpec::Number => Some(Value::Int(i as i64)),
                NameSpec::Absent => None,
            };
            if let Some(v) = value {
                props.insert("name".into(), v);
            }
            g.add_node(Node {
                id: format!("n{i}"),
                labels: vec![if labels[i] { "A" } else { "B" }.to_string()],
                props,
            });
        }
        let needle: String = needle.into_iter().collect();
        let mapped = common_mapped::mapped(&eje::load::Loaded {
            graph: g.clone(),
            warnings: Vec::new(),
            sources: Default::default(),
            audit: Vec::new(),
        });
        for op in ["CONTAINS", "STARTS WITH", "ENDS WITH"] {
            for scan in ["(p)", "(p:A)"] {
                let q = format!("MATCH {scan} WHERE p.name {op} '{needle}' RETURN p.id AS id");
                prop_assert!(rewrites(&g, &q) > 0, "{} is not rewritten", q);
                let without = rows(&g, &q, false);
                prop_assert_eq!(&rows(&g, &q, true), &without, "{} on {:?}", q, names);
                prop_assert_eq!(&rows(&mapped, &q, true), &without, "{} read in place", q);
            }
        }
    }
}
