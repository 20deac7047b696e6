//! Which part of the graph an export writes.

use std::collections::{BTreeSet, HashMap, VecDeque};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::model::{Graph, Value};
use crate::query::ResultSet;

/// A set of nodes and relations of one graph. Every relation's endpoints
/// are in `nodes` (the constructors keep that invariant; exporters skip a
/// relation whose endpoint is missing rather than invent a node).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    pub nodes: BTreeSet<NodeIndex>,
    pub rels: BTreeSet<EdgeIndex>,
}

impl Subgraph {
    /// Every node and relation.
    pub fn whole(graph: &Graph) -> Self {
        Subgraph {
            nodes: graph.nodes().collect(),
            rels: graph.rels().collect(),
        }
    }

    /// Every node, relation and path that appears in the answer, in any
    /// cell, also inside lists and maps, and those the answer lists as
    /// touched (the relations an analyst statement prints as text). A
    /// relation brings its endpoints; a path brings all its nodes and
    /// relations.
    pub fn from_result(graph: &Graph, result: &ResultSet) -> Self {
        let mut sub = Subgraph::default();
        for row in &result.rows {
            for value in row {
                sub.add_value(graph, value);
            }
        }
        for &ix in &result.touched.nodes {
            sub.add_node(ix);
        }
        for &ix in &result.touched.rels {
            sub.add_rel(graph, ix);
        }
        sub
    }

    /// An entity's neighbourhood: the nodes within `depth` hops in either
    /// direction, and every relation between two of them (the induced
    /// subgraph, as networkx's `ego_graph`). Depth 0 is the node alone.
    pub fn ego(graph: &Graph, center: NodeIndex, depth: usize) -> Self {
        let mut nodes = BTreeSet::from([center]);
        let mut queue = VecDeque::from([(center, 0usize)]);
        while let Some((ix, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for dir in [Direction::Outgoing, Direction::Incoming] {
                for e in graph.rels_of(ix, dir) {
                    let (a, b) = graph.endpoints(e);
                    let other = if a == ix { b } else { a };
                    if nodes.insert(other) {
                        queue.push_back((other, d + 1));
                    }
                }
            }
        }
        let mut rels = BTreeSet::new();
        for &ix in &nodes {
            for e in graph.rels_of(ix, Direction::Outgoing) {
                if nodes.contains(&graph.endpoints(e).1) {
                    rels.insert(e);
                }
            }
        }
        Subgraph { nodes, rels }
    }

    /// Adds a node.
    pub fn add_node(&mut self, ix: NodeIndex) {
        self.nodes.insert(ix);
    }

    /// Adds a relation and its endpoints.
    pub fn add_rel(&mut self, graph: &Graph, ix: EdgeIndex) {
        let (a, b) = graph.endpoints(ix);
        self.nodes.insert(a);
        self.nodes.insert(b);
        self.rels.insert(ix);
    }

    /// Adds every graph element a value refers to, looking into lists and
    /// maps.
    pub fn add_value(&mut self, graph: &Graph, value: &Value) {
        match value {
            Value::Node(n) => self.add_node(*n),
            Value::Rel(r) => self.add_rel(graph, *r),
            Value::Path(p) => {
                self.nodes.extend(p.nodes.iter().copied());
                for r in &p.rels {
                    self.add_rel(graph, *r);
                }
            }
            Value::List(items) => items.iter().for_each(|v| self.add_value(graph, v)),
            Value::Map(m) => m.values().for_each(|v| self.add_value(graph, v)),
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Date(_)
            | Value::Temporal(_) => {}
        }
    }

    /// Adds the relations between nodes already in the set (a query that
    /// returned only nodes draws better with the relations among them).
    pub fn with_connecting_rels(mut self, graph: &Graph) -> Self {
        for &ix in &self.nodes {
            for e in graph.rels_of(ix, Direction::Outgoing) {
                if self.nodes.contains(&graph.endpoints(e).1) {
                    self.rels.insert(e);
                }
            }
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.rels.is_empty()
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn rel_count(&self) -> usize {
        self.rels.len()
    }

    /// The nodes sorted by id (then index, for duplicate ids): the order
    /// every exporter writes them in.
    pub(crate) fn sorted_nodes(&self, graph: &Graph) -> Vec<NodeIndex> {
        let mut v: Vec<NodeIndex> = self.nodes.iter().copied().collect();
        v.sort_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id).then(a.cmp(b)));
        v
    }

    /// The relations whose endpoints are both present, sorted by source id,
    /// target id, type, claim id, date, then index.
    ///
    /// Sorted as numbers: each node's rank among the ids and each type's
    /// rank among the types, so a million relations sort without a string
    /// key each; claim id, date and start are read only to order relations
    /// that share both endpoints and the type.
    pub(crate) fn sorted_rels(&self, graph: &Graph) -> Vec<EdgeIndex> {
        // Dense ranks: equal ids share one, as a sort by id string would.
        let mut id_rank: HashMap<NodeIndex, u32> = HashMap::with_capacity(self.nodes.len());
        let mut prev: Option<&str> = None;
        let mut rank = 0u32;
        for n in self.sorted_nodes(graph) {
            let id = graph.node(n).id.as_str();
            if prev.is_some_and(|p| p != id) {
                rank += 1;
            }
            prev = Some(id);
            id_rank.insert(n, rank);
        }
        let mut types: Vec<&str> = Vec::new();
        let mut v: Vec<(u32, u32, &str, EdgeIndex)> = Vec::with_capacity(self.rels.len());
        for &e in &self.rels {
            let (a, b) = graph.endpoints(e);
            if let (Some(&ra), Some(&rb)) = (id_rank.get(&a), id_rank.get(&b)) {
                v.push((ra, rb, graph.rel(e).rel_type.as_str(), e));
            }
        }
        for (_, _, t, _) in &v {
            types.push(t);
        }
        types.sort_unstable();
        types.dedup();
        let mut keyed: Vec<(u32, u32, u32, EdgeIndex)> = v
            .into_iter()
            .map(|(a, b, t, e)| {
                let t = types.binary_search(&t).expect("collected above") as u32;
                (a, b, t, e)
            })
            .collect();
        let tail = |e: EdgeIndex| {
            let rel = graph.rel(e);
            let prop = |k: &str| rel.props.get(k).map(|v| v.to_string()).unwrap_or_default();
            (prop("id"), prop("date"), prop("start"))
        };
        keyed.sort_unstable_by(|x, y| {
            (x.0, x.1, x.2)
                .cmp(&(y.0, y.1, y.2))
                .then_with(|| tail(x.3).cmp(&tail(y.3)))
                .then(x.3.cmp(&y.3))
        });
        keyed.into_iter().map(|k| k.3).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, Path, Props, Rel};

    fn graph() -> (Graph, Vec<NodeIndex>, Vec<EdgeIndex>) {
        let mut g = Graph::new(None);
        let n: Vec<NodeIndex> = (0..5)
            .map(|i| {
                g.add_node(Node {
                    id: format!("n{i}"),
                    labels: vec!["X".into()],
                    props: Props::new(),
                })
            })
            .collect();
        let rel = || Rel {
            rel_type: "r".into(),
            props: Props::new(),
        };
        // n0 -> n1 -> n2 <- n3, n4 alone, n1 -> n3
        let e = vec![
            g.add_rel(n[0], n[1], rel()),
            g.add_rel(n[1], n[2], rel()),
            g.add_rel(n[3], n[2], rel()),
            g.add_rel(n[1], n[3], rel()),
        ];
        (g, n, e)
    }

    #[test]
    fn ego_goes_both_ways_and_keeps_relations_among_its_nodes() {
        let (g, n, e) = graph();
        let s = Subgraph::ego(&g, n[2], 1);
        assert_eq!(s.nodes, BTreeSet::from([n[1], n[2], n[3]]));
        assert_eq!(s.rels, BTreeSet::from([e[1], e[2], e[3]]));
        let s0 = Subgraph::ego(&g, n[4], 3);
        assert_eq!(s0.nodes, BTreeSet::from([n[4]]));
        assert!(s0.rels.is_empty());
        assert_eq!(Subgraph::ego(&g, n[0], 0).nodes.len(), 1);
        assert_eq!(Subgraph::ego(&g, n[0], 9), {
            let mut w = Subgraph::whole(&g);
            w.nodes.remove(&n[4]);
            w
        });
    }

    #[test]
    fn result_cells_contribute_nodes_relations_and_paths_even_nested() {
        let (g, n, e) = graph();
        let mut rs = ResultSet::new(vec!["a".into(), "b".into()]);
        let mut m = std::collections::BTreeMap::new();
        m.insert("k".to_string(), Value::List(vec![Value::Rel(e[2])]));
        rs.rows.push(vec![Value::Node(n[4]), Value::Map(m)]);
        rs.rows.push(vec![
            Value::Path(Box::new(Path {
                nodes: vec![n[0], n[1]],
                rels: vec![e[0]],
            })),
            Value::Int(3),
        ]);
        let s = Subgraph::from_result(&g, &rs);
        assert_eq!(s.nodes, BTreeSet::from([n[0], n[1], n[2], n[3], n[4]]));
        assert_eq!(s.rels, BTreeSet::from([e[0], e[2]]));
        let nodes_only = Subgraph {
            nodes: BTreeSet::from([n[1], n[2]]),
            ..Default::default()
        };
        assert_eq!(
            nodes_only.with_connecting_rels(&g).rels,
            BTreeSet::from([e[1]])
        );
    }
}
