//! The data model: a general property graph (petgraph) with the indexes
//! every lookup uses, plus the schema and the sources behind the evidence.
//!
//! The knowledge graph maps onto it: an entity's kind and its ancestors are
//! its labels, a claim is a relation whose properties carry time, quantity,
//! certainty and evidence. A graph built from a Cypher script has no schema.

pub mod adjacency;
pub mod date;
pub mod fxhash;
pub mod names;
pub mod props;
pub mod schema;
pub mod suggest;
pub mod temporal;
pub mod text;
pub mod value;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fxhash::FastMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

pub use adjacency::{Adjacency, Hop, TypeId};
pub use date::{PartialDate, Precision, When};
pub use props::Props;
pub use schema::{KindDef, RelationDef, Schema, Style, TimeShape, UnitDef};
pub use value::{Path, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable identifier: the entity id, or one eje gave a scripted node.
    pub id: String,
    /// Most specific first (`Summit`, `Meeting`, `Event`, `Entity`).
    pub labels: Vec<String>,
    pub props: Props,
}

impl Node {
    pub fn name(&self) -> Option<&str> {
        self.props.get("name").and_then(Value::as_str)
    }

    /// The name when it has one, else the id.
    pub fn display_name(&self) -> &str {
        self.name().unwrap_or(&self.id)
    }

    /// The entity's kind: its most specific label.
    pub fn kind(&self) -> Option<&str> {
        self.labels.first().map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    pub rel_type: String,
    pub props: Props,
}

/// A cited article.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// Entity id of the publisher.
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub language: String,
    pub file: String,
}

/// The property graph and its indexes. Built once, then read-only.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    graph: DiGraph<Node, Rel>,
    /// Present for curated data; absent for a graph built from a script.
    pub schema: Option<Schema>,
    sources: BTreeMap<String, Source>,
    by_id: FastMap<String, NodeIndex>,
    by_key: FastMap<String, Vec<NodeIndex>>,
    by_label: FastMap<String, Vec<NodeIndex>>,
    /// Built on first use; adding a node or relation drops it.
    adjacency: OnceLock<Adjacency>,
    /// Renewed by every change made through `add_node` and `add_rel`.
    stamp: Stamp,
    /// Each node's id as a shared string value, by node number, built on
    /// first use (adding a node drops it): queries answer `n.id` without
    /// copying the id.
    ids: OnceLock<Vec<Value>>,
}

/// A number no other graph, and no earlier state of the same graph, has
/// (a clone keeps it until either changes): what the query engine keys its
/// plans by, so a plan is never used on a graph it was not made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp(u64);

impl Stamp {
    fn fresh() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Stamp(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for Stamp {
    fn default() -> Self {
        Stamp::fresh()
    }
}

impl Graph {
    pub fn new(schema: Option<Schema>) -> Self {
        Graph {
            schema,
            ..Graph::default()
        }
    }

    /// Adds a node and indexes its id, labels, name and aliases.
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        let id = node.id.clone();
        let mut keys: Vec<String> = vec![names::normalize(&node.id)];
        if let Some(name) = node.name() {
            keys.push(names::normalize(name));
        }
        if let Some(Value::List(aliases)) = node.props.get("aliases") {
            keys.extend(
                aliases
                    .iter()
                    .filter_map(Value::as_str)
                    .map(names::normalize),
            );
        }
        let labels = node.labels.clone();
        self.adjacency.take();
        self.ids.take();
        self.stamp = Stamp::fresh();
        let ix = self.graph.add_node(node);
        self.by_id.insert(id, ix);
        keys.sort();
        keys.dedup();
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            self.by_key.entry(k).or_default().push(ix);
        }
        for l in labels {
            self.by_label.entry(l).or_default().push(ix);
        }
        ix
    }

    pub fn add_rel(&mut self, from: NodeIndex, to: NodeIndex, rel: Rel) -> EdgeIndex {
        self.adjacency.take();
        self.stamp = Stamp::fresh();
        self.graph.add_edge(from, to, rel)
    }

    /// A node's id as a string value, shared with every answer that
    /// holds it.
    pub fn id_value(&self, ix: NodeIndex) -> Value {
        let ids = self.ids.get_or_init(|| {
            self.graph
                .node_weights()
                .map(|n| Value::from(n.id.as_str()))
                .collect()
        });
        ids.get(ix.index())
            .cloned()
            .unwrap_or_else(|| Value::from(self.node(ix).id.as_str()))
    }

    /// Makes room for this many more nodes and relations.
    pub fn reserve(&mut self, nodes: usize, rels: usize) {
        self.graph.reserve_exact_nodes(nodes);
        self.graph.reserve_exact_edges(rels);
    }

    /// The cited articles, by id.
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        &self.sources
    }

    /// The cited articles, to fill while the graph is built.
    pub fn sources_mut(&mut self) -> &mut BTreeMap<String, Source> {
        &mut self.sources
    }

    /// A relation, to change while the graph is built (tests).
    #[cfg(test)]
    pub(crate) fn rel_mut(&mut self, ix: EdgeIndex) -> &mut Rel {
        &mut self.graph[ix]
    }

    /// This state of the graph (see `Stamp`).
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    /// Adjacency by direction and relation type (built on first use).
    pub fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| Adjacency::build(&self.graph))
    }

    pub fn node(&self, ix: NodeIndex) -> &Node {
        &self.graph[ix]
    }

    pub fn rel(&self, ix: EdgeIndex) -> &Rel {
        &self.graph[ix]
    }

    pub fn endpoints(&self, ix: EdgeIndex) -> (NodeIndex, NodeIndex) {
        self.graph
            .edge_endpoints(ix)
            .expect("edge index from this graph")
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn rel_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    pub fn rels(&self) -> impl Iterator<Item = EdgeIndex> + '_ {
        self.graph.edge_indices()
    }

    pub fn by_id(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// Every node whose id, name or alias has this normalised key.
    pub fn by_name(&self, name: &str) -> &[NodeIndex] {
        self.by_key
            .get(&names::normalize(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every node that carries this label (exact spelling).
    pub fn by_label(&self, label: &str) -> &[NodeIndex] {
        self.by_label.get(label).map(Vec::as_slice).unwrap_or(&[])
    }

    /// All distinct labels, sorted.
    pub fn labels(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.by_label.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// All normalised name keys with their nodes, for completion and
    /// suggestions.
    pub fn name_keys(&self) -> impl Iterator<Item = (&str, &[NodeIndex])> {
        self.by_key.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Relations leaving (`Outgoing`) or entering (`Incoming`) a node.
    pub fn rels_of(&self, ix: NodeIndex, dir: Direction) -> impl Iterator<Item = EdgeIndex> + '_ {
        self.graph
            .edges_directed(ix, dir)
            .map(|e| petgraph::visit::EdgeRef::id(&e))
    }

    /// Resolves an entity reference by id, name or alias (normalised).
    pub fn resolve(&self, reference: &str) -> Resolution {
        if let Some(ix) = self.by_id(reference) {
            return Resolution::One(ix);
        }
        let hits = self.by_name(reference);
        match hits {
            [one] => Resolution::One(*one),
            [] => {
                let candidates = self.name_candidates();
                let near = names::nearest(reference, candidates.iter().map(String::as_str), 5);
                Resolution::None {
                    nearest: near.into_iter().map(str::to_string).collect(),
                }
            }
            many => Resolution::Many(many.to_vec()),
        }
    }

    /// Ids, names and aliases of every node, for suggestions.
    pub fn name_candidates(&self) -> Vec<String> {
        let mut out = Vec::new();
        for ix in self.nodes() {
            let n = self.node(ix);
            out.push(n.id.clone());
            if let Some(name) = n.name() {
                out.push(name.to_string());
            }
            if let Some(Value::List(aliases)) = n.props.get("aliases") {
                out.extend(aliases.iter().filter_map(Value::as_str).map(str::to_string));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// What an entity reference resolved to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    One(NodeIndex),
    Many(Vec<NodeIndex>),
    None { nearest: Vec<String> },
}
