//! The data model: a general property graph (petgraph) with the indexes
//! every lookup uses, plus the schema and the sources behind the evidence.
//!
//! The knowledge graph maps onto it: an entity's kind and its ancestors are
//! its labels, a claim is a relation whose properties carry time, quantity,
//! certainty and evidence. A graph built from a Cypher script has no schema.

pub mod adjacency;
pub mod col;
pub mod date;
pub mod fxhash;
pub mod names;
pub mod props;
pub mod rel_type;
pub mod schema;
pub mod shared_str;
pub mod suggest;
pub mod temporal;
pub mod text;
pub mod value;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use fxhash::FastMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

pub use adjacency::{Adjacency, Hop, Rows, TypeId};
pub use col::{Bytes, Cells, Col, StrCol};
pub use date::{PartialDate, Precision, When};
pub use props::Props;
pub use rel_type::{RelType, interned};
pub use schema::{KindDef, RelationDef, Schema, Style, TimeShape, UnitDef};
pub use shared_str::SharedStr;
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
    /// Interned: every relation of a type shares its name.
    pub rel_type: RelType,
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
///
/// Two storages behind one API: `Built` (petgraph with hash indexes; what
/// a load, an import or a script fills with `add_node` and `add_rel`) and
/// `Mapped` (a graph opened from its snapshot: columns read in place from
/// shared bytes, each node and relation decoded on first read into a cell
/// and kept). A change to a mapped graph first turns it into a built one.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Present for curated data; absent for a graph built from a script.
    pub schema: Option<Schema>,
    store: Store,
    /// Renewed by every change made through `add_node` and `add_rel`.
    stamp: Stamp,
}

#[derive(Debug, Clone)]
enum Store {
    Built(Box<Built>),
    Mapped(Arc<Mapped>),
}

impl Default for Store {
    fn default() -> Self {
        Store::Built(Box::default())
    }
}

#[derive(Debug, Clone, Default)]
struct Built {
    graph: DiGraph<Node, Rel>,
    sources: BTreeMap<String, Source>,
    by_id: FastMap<String, NodeIndex>,
    by_key: FastMap<String, Vec<NodeIndex>>,
    by_label: FastMap<String, Vec<NodeIndex>>,
    /// Built on first use; adding a node or relation drops it.
    adjacency: OnceLock<Adjacency>,
    /// Each node's id as a shared string value, by node number, built on
    /// first use (adding a node drops it): queries answer `n.id` without
    /// copying the id.
    ids: OnceLock<Vec<Value>>,
    /// The property keys, gathered on first use (a change drops them).
    prop_keys: OnceLock<PropKeys>,
}

impl Built {
    fn add_node(&mut self, node: Node) -> NodeIndex {
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
        self.adjacency.take();
        self.ids.take();
        self.prop_keys.take();
        let ix = self.graph.add_node(node);
        // A label is looked up by its text: a graph has a few labels, shared
        // by many nodes, so a label's text is copied only when it is new.
        for l in &self.graph[ix].labels {
            match self.by_label.get_mut(l.as_str()) {
                Some(nodes) => nodes.push(ix),
                None => {
                    self.by_label.insert(l.clone(), vec![ix]);
                }
            }
        }
        self.by_id.insert(id, ix);
        keys.sort();
        keys.dedup();
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            self.by_key.entry(k).or_default().push(ix);
        }
        ix
    }
}

/// What a graph opened in place reads its nodes, relations and sources
/// from: records decoded one at a time (the snapshot's business; the model
/// only keeps what they decode to).
pub trait Archive: Send + Sync + std::fmt::Debug {
    /// The node numbered `ix`; `None` if its record cannot be read.
    fn node(&self, ix: usize) -> Option<Node>;
    /// The relation numbered `ix`; `None` if its record cannot be read.
    fn rel(&self, ix: usize) -> Option<Rel>;
    /// The property `key` of relation `ix`, read without decoding the
    /// relation: `Some(Some(v))` its value, `Some(None)` when it has none,
    /// `None` when it cannot be told in place (then the relation is
    /// decoded). It must agree with `rel(ix)`'s properties.
    fn rel_prop(&self, ix: usize, key: &str) -> Option<Option<Cow<'_, Value>>> {
        let _ = (ix, key);
        None
    }
    /// The cited articles, by id.
    fn sources(&self) -> BTreeMap<String, Source>;
}

/// The columns of a graph read in place (see `Graph::mapped`).
#[derive(Debug, Clone, Default)]
pub struct MappedParts {
    /// Each relation's ends and type (a number of `adjacency.types`), by
    /// relation number.
    pub src: Col<u32>,
    pub dst: Col<u32>,
    pub rel_ty: Col<u32>,
    /// Each node's id, by node number.
    pub ids: StrCol,
    /// The node numbers, sorted by id.
    pub id_order: Col<u32>,
    /// The normalised name keys (ids, names, aliases), sorted, and for key
    /// `k` its nodes `key_nodes[key_start[k]..key_start[k + 1]]`.
    pub keys: StrCol,
    pub key_start: Col<u32>,
    pub key_nodes: Col<u32>,
    /// The labels, sorted, and for label `l` its nodes
    /// `label_nodes[label_start[l]..label_start[l + 1]]`.
    pub labels: Vec<String>,
    pub label_start: Col<u32>,
    pub label_nodes: Col<u32>,
    pub adjacency: Adjacency,
    /// The property keys of the nodes and of the relations.
    pub prop_keys: PropKeys,
}

/// The property keys a graph's nodes have and those its relations have
/// (deferred ones included), each sorted once: what a query's key is
/// resolved against without reading every node and relation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropKeys {
    pub nodes: Vec<String>,
    pub rels: Vec<String>,
}

impl PropKeys {
    /// The keys of every node and relation of a built graph.
    fn gather<'a>(
        nodes: impl Iterator<Item = &'a Props>,
        rels: impl Iterator<Item = &'a Props>,
    ) -> Self {
        PropKeys {
            nodes: keys_of(nodes),
            rels: keys_of(rels),
        }
    }
}

/// The distinct keys of `props`, sorted. Keys are interned (one address per
/// text) and most records have the same keys as the one before, so few
/// are looked up at all.
fn keys_of<'a>(props: impl Iterator<Item = &'a Props>) -> Vec<String> {
    let mut seen: FastMap<*const String, &'a String> = FastMap::default();
    let mut last: Vec<&'a String> = Vec::new();
    let mut this: Vec<&'a String> = Vec::new();
    let same = |a: &[&String], b: &[&String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| std::ptr::eq(*x, *y))
    };
    for p in props {
        this.clear();
        this.extend(p.keys());
        if !same(&this, &last) {
            for &k in &this {
                seen.insert(k as *const String, k);
            }
            std::mem::swap(&mut this, &mut last);
        }
    }
    let mut out: Vec<String> = seen.into_values().cloned().collect();
    out.sort();
    out.dedup();
    out
}

/// A graph read in place: its columns, and cells for what was decoded.
struct Mapped {
    archive: Arc<dyn Archive>,
    /// The id column (`parts.ids`), shared with the values that name a
    /// node's id (`SharedStr`).
    ids: Arc<StrCol>,
    parts: MappedParts,
    nodes: Cells<Node>,
    rels: Cells<Rel>,
    key_nodes: Cells<Vec<NodeIndex>>,
    label_nodes: Vec<OnceLock<Vec<NodeIndex>>>,
    sources: OnceLock<BTreeMap<String, Source>>,
}

impl std::fmt::Debug for Mapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mapped")
            .field("nodes", &self.nodes)
            .field("rels", &self.rels)
            .finish_non_exhaustive()
    }
}

/// What a node or relation whose record cannot be read reads as (its
/// bytes passed their checksum, so only a bug of the writer leads here).
static BLANK_NODE: OnceLock<Node> = OnceLock::new();
static BLANK_REL: OnceLock<Rel> = OnceLock::new();

impl Mapped {
    fn node(&self, i: usize) -> &Node {
        self.nodes
            .get_or_init(i, || self.archive.node(i).unwrap_or_else(blank_node))
            .unwrap_or_else(|| BLANK_NODE.get_or_init(blank_node))
    }

    fn rel(&self, i: usize) -> &Rel {
        self.rels
            .get_or_init(i, || self.archive.rel(i).unwrap_or_else(blank_rel))
            .unwrap_or_else(|| BLANK_REL.get_or_init(blank_rel))
    }

    fn rel_prop(&self, i: usize, key: &str) -> Option<Cow<'_, Value>> {
        if let Some(r) = self.rels.get(i) {
            return r.props.get(key).map(Cow::Borrowed);
        }
        match self.archive.rel_prop(i, key) {
            Some(v) => v,
            None => self.rel(i).props.get(key).map(Cow::Borrowed),
        }
    }

    fn nodes_of(&self, start: &Col<u32>, nodes: &Col<u32>, k: usize) -> Vec<NodeIndex> {
        match (start.get(k), start.get(k + 1)) {
            (Some(&a), Some(&b)) => nodes
                .get(a as usize..b as usize)
                .unwrap_or(&[])
                .iter()
                .map(|&n| NodeIndex::new(n as usize))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn key_nodes(&self, k: usize) -> &[NodeIndex] {
        let p = &self.parts;
        self.key_nodes
            .get_or_init(k, || self.nodes_of(&p.key_start, &p.key_nodes, k))
            .map_or(&[], Vec::as_slice)
    }
}

fn blank_node() -> Node {
    Node {
        id: String::new(),
        labels: Vec::new(),
        props: Props::new(),
    }
}

fn blank_rel() -> Rel {
    Rel {
        rel_type: RelType::default(),
        props: Props::new(),
    }
}

/// A node's relations in one direction, newest first.
pub enum RelsOf<'g> {
    Built(petgraph::graph::Edges<'g, Rel, petgraph::Directed, u32>),
    Mapped(std::iter::Rev<std::slice::Iter<'g, Hop>>),
}

impl Iterator for RelsOf<'_> {
    type Item = EdgeIndex;
    #[inline]
    fn next(&mut self) -> Option<EdgeIndex> {
        match self {
            RelsOf::Built(e) => e.next().map(|e| petgraph::visit::EdgeRef::id(&e)),
            RelsOf::Mapped(h) => h.next().map(Hop::rel),
        }
    }
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

    /// A graph read in place from `parts`, whose nodes and relations
    /// `archive` decodes on first read. The parts must describe one graph
    /// (the snapshot checks its columns' lengths before).
    pub fn mapped(schema: Option<Schema>, archive: Arc<dyn Archive>, parts: MappedParts) -> Graph {
        let n = parts.ids.len();
        let r = parts.src.len();
        let labels = parts.labels.len();
        let keys = parts.keys.len();
        Graph {
            schema,
            store: Store::Mapped(Arc::new(Mapped {
                archive,
                ids: Arc::new(parts.ids.clone()),
                parts,
                nodes: Cells::new(n),
                rels: Cells::new(r),
                key_nodes: Cells::new(keys),
                label_nodes: (0..labels).map(|_| OnceLock::new()).collect(),
                sources: OnceLock::new(),
            })),
            stamp: Stamp::fresh(),
        }
    }

    /// Whether the graph is read in place (opened from its snapshot).
    pub fn is_mapped(&self) -> bool {
        matches!(self.store, Store::Mapped(_))
    }

    /// The built storage, into which a mapped graph is first decoded whole
    /// (a change to a graph opened from its snapshot).
    fn built_mut(&mut self) -> &mut Built {
        if let Store::Mapped(m) = &self.store {
            let mut b = Built {
                sources: m
                    .sources
                    .get()
                    .cloned()
                    .unwrap_or_else(|| m.archive.sources()),
                ..Built::default()
            };
            b.graph.reserve_exact_nodes(m.nodes.len());
            b.graph.reserve_exact_edges(m.rels.len());
            for i in 0..m.nodes.len() {
                b.add_node(m.node(i).clone());
            }
            for i in 0..m.rels.len() {
                let (s, t) = (m.parts.src[i], m.parts.dst[i]);
                b.graph.add_edge(
                    NodeIndex::new(s as usize),
                    NodeIndex::new(t as usize),
                    m.rel(i).clone(),
                );
            }
            self.store = Store::Built(Box::new(b));
        }
        match &mut self.store {
            Store::Built(b) => b,
            Store::Mapped(_) => unreachable!("turned into a built graph above"),
        }
    }

    /// Adds a node and indexes its id, labels, name and aliases.
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        self.stamp = Stamp::fresh();
        self.built_mut().add_node(node)
    }

    pub fn add_rel(&mut self, from: NodeIndex, to: NodeIndex, rel: Rel) -> EdgeIndex {
        self.stamp = Stamp::fresh();
        let b = self.built_mut();
        b.adjacency.take();
        b.prop_keys.take();
        b.graph.add_edge(from, to, rel)
    }

    /// A node's id as a string value, shared with every answer that
    /// holds it.
    #[inline]
    pub fn id_value(&self, ix: NodeIndex) -> Value {
        match &self.store {
            Store::Built(b) => {
                let ids = b.ids.get_or_init(|| {
                    b.graph
                        .node_weights()
                        .map(|n| Value::from(n.id.as_str()))
                        .collect()
                });
                ids.get(ix.index())
                    .cloned()
                    .unwrap_or_else(|| Value::from(self.node(ix).id.as_str()))
            }
            // Read from the id column when looked at (`SharedStr`).
            Store::Mapped(m) => Value::Str(SharedStr::node_id(&m.ids, ix.index() as u32)),
        }
    }

    /// Writes node `ix`'s id into `slot`, as `id_value` gives it: for a
    /// graph read in place, a slot that holds another node's id of this
    /// graph gets the new number in place (the loops that write one slot
    /// per row).
    #[inline]
    pub fn set_id_value(&self, slot: &mut Value, ix: NodeIndex) {
        if let (Store::Mapped(m), Value::Str(s)) = (&self.store, &mut *slot)
            && s.renumber(&m.ids, ix.index() as u32)
        {
            return;
        }
        *slot = self.id_value(ix);
    }

    /// Makes room for this many more nodes and relations.
    pub fn reserve(&mut self, nodes: usize, rels: usize) {
        let b = self.built_mut();
        b.graph.reserve_exact_nodes(nodes);
        b.graph.reserve_exact_edges(rels);
        // Most nodes have an id and a name among their keys.
        b.by_id.reserve(nodes);
        b.by_key.reserve(nodes.saturating_mul(2));
    }

    /// The cited articles, by id (decoded on first use when read in
    /// place).
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        match &self.store {
            Store::Built(b) => &b.sources,
            Store::Mapped(m) => m.sources.get_or_init(|| m.archive.sources()),
        }
    }

    /// The cited articles, to fill while the graph is built.
    pub fn sources_mut(&mut self) -> &mut BTreeMap<String, Source> {
        &mut self.built_mut().sources
    }

    /// A relation, to change while the graph is built (tests).
    #[cfg(test)]
    pub(crate) fn rel_mut(&mut self, ix: EdgeIndex) -> &mut Rel {
        self.stamp = Stamp::fresh();
        let b = self.built_mut();
        b.prop_keys.take();
        &mut b.graph[ix]
    }

    /// The property keys its nodes have and those its relations have
    /// (gathered once when built, read from the snapshot's head when read
    /// in place: no node or relation is decoded for them).
    pub fn prop_keys(&self) -> &PropKeys {
        match &self.store {
            Store::Built(b) => b.prop_keys.get_or_init(|| {
                PropKeys::gather(
                    b.graph.node_weights().map(|n| &n.props),
                    b.graph.edge_weights().map(|r| &r.props),
                )
            }),
            Store::Mapped(m) => &m.parts.prop_keys,
        }
    }

    /// How many groups of nodes and of relations (64 to a group) a graph
    /// read in place has decoded so far ((0, 0) for a built graph): what
    /// tests read to see that something did not decode the whole graph.
    pub fn decoded_groups(&self) -> (usize, usize) {
        match &self.store {
            Store::Built(_) => (0, 0),
            Store::Mapped(m) => (m.nodes.touched_chunks(), m.rels.touched_chunks()),
        }
    }

    /// This state of the graph (see `Stamp`).
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    /// Adjacency by direction and relation type (built on first use, or
    /// read in place).
    pub fn adjacency(&self) -> &Adjacency {
        match &self.store {
            Store::Built(b) => b.adjacency.get_or_init(|| Adjacency::build(&b.graph)),
            Store::Mapped(m) => &m.parts.adjacency,
        }
    }

    pub fn node(&self, ix: NodeIndex) -> &Node {
        match &self.store {
            Store::Built(b) => &b.graph[ix],
            Store::Mapped(m) => m.node(ix.index()),
        }
    }

    pub fn rel(&self, ix: EdgeIndex) -> &Rel {
        match &self.store {
            Store::Built(b) => &b.graph[ix],
            Store::Mapped(m) => m.rel(ix.index()),
        }
    }

    /// A relation's property `key` (stored properties only), read in place
    /// without decoding the relation when the graph is mapped and the
    /// relation was not read whole before.
    pub fn rel_prop(&self, ix: EdgeIndex, key: &str) -> Option<Cow<'_, Value>> {
        match &self.store {
            Store::Built(b) => b.graph[ix].props.get(key).map(Cow::Borrowed),
            Store::Mapped(m) => m.rel_prop(ix.index(), key),
        }
    }

    /// A relation's type, without decoding the relation when read in
    /// place.
    pub fn rel_type(&self, ix: EdgeIndex) -> &str {
        match &self.store {
            Store::Built(b) => &b.graph[ix].rel_type,
            Store::Mapped(m) => {
                let types = &m.parts.adjacency.types;
                match m.parts.rel_ty.get(ix.index()) {
                    Some(t) => types.get(*t as usize).map_or("", String::as_str),
                    None => &self.rel(ix).rel_type,
                }
            }
        }
    }

    pub fn endpoints(&self, ix: EdgeIndex) -> (NodeIndex, NodeIndex) {
        match &self.store {
            Store::Built(b) => b
                .graph
                .edge_endpoints(ix)
                .expect("edge index from this graph"),
            Store::Mapped(m) => {
                let i = ix.index();
                let (s, t) = (m.parts.src.get(i), m.parts.dst.get(i));
                let (s, t) = s.zip(t).expect("edge index from this graph");
                (NodeIndex::new(*s as usize), NodeIndex::new(*t as usize))
            }
        }
    }

    pub fn node_count(&self) -> usize {
        match &self.store {
            Store::Built(b) => b.graph.node_count(),
            Store::Mapped(m) => m.nodes.len(),
        }
    }

    pub fn rel_count(&self) -> usize {
        match &self.store {
            Store::Built(b) => b.graph.edge_count(),
            Store::Mapped(m) => m.rels.len(),
        }
    }

    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + use<> {
        (0..self.node_count()).map(NodeIndex::new)
    }

    pub fn rels(&self) -> impl Iterator<Item = EdgeIndex> + use<> {
        (0..self.rel_count()).map(EdgeIndex::new)
    }

    pub fn by_id(&self, id: &str) -> Option<NodeIndex> {
        match &self.store {
            Store::Built(b) => b.by_id.get(id).copied(),
            Store::Mapped(m) => {
                let p = &m.parts;
                let (ids, order) = (p.ids.view(), p.id_order.as_slice());
                let at = order
                    .binary_search_by(|&n| ids.bytes(n as usize).cmp(id.as_bytes()))
                    .ok()?;
                Some(NodeIndex::new(order[at] as usize))
            }
        }
    }

    /// Every node whose id, name or alias has this normalised key.
    pub fn by_name(&self, name: &str) -> &[NodeIndex] {
        let key = names::normalize(name);
        match &self.store {
            Store::Built(b) => b.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]),
            Store::Mapped(m) => {
                let keys = &m.parts.keys;
                match binary_search_str(keys, &key) {
                    Some(k) => m.key_nodes(k),
                    None => &[],
                }
            }
        }
    }

    /// Every node that carries this label (exact spelling).
    pub fn by_label(&self, label: &str) -> &[NodeIndex] {
        match &self.store {
            Store::Built(b) => b.by_label.get(label).map(Vec::as_slice).unwrap_or(&[]),
            Store::Mapped(m) => {
                let p = &m.parts;
                let Ok(l) = p.labels.binary_search_by(|x| x.as_str().cmp(label)) else {
                    return &[];
                };
                m.label_nodes
                    .get(l)
                    .map(|c| c.get_or_init(|| m.nodes_of(&p.label_start, &p.label_nodes, l)))
                    .map_or(&[], Vec::as_slice)
            }
        }
    }

    /// All distinct labels, sorted.
    pub fn labels(&self) -> Vec<&str> {
        match &self.store {
            Store::Built(b) => {
                let mut v: Vec<&str> = b.by_label.keys().map(String::as_str).collect();
                v.sort_unstable();
                v
            }
            Store::Mapped(m) => m.parts.labels.iter().map(String::as_str).collect(),
        }
    }

    /// All normalised name keys with their nodes, for completion and
    /// suggestions.
    pub fn name_keys(&self) -> Box<dyn Iterator<Item = (&str, &[NodeIndex])> + '_> {
        match &self.store {
            Store::Built(b) => Box::new(b.by_key.iter().map(|(k, v)| (k.as_str(), v.as_slice()))),
            Store::Mapped(m) => Box::new(
                (0..m.parts.keys.len())
                    .map(|k| (m.parts.keys.get(k).unwrap_or(""), m.key_nodes(k))),
            ),
        }
    }

    /// Relations leaving (`Outgoing`) or entering (`Incoming`) a node,
    /// newest first.
    pub fn rels_of(&self, ix: NodeIndex, dir: Direction) -> RelsOf<'_> {
        match &self.store {
            Store::Built(b) => RelsOf::Built(b.graph.edges_directed(ix, dir)),
            Store::Mapped(m) => {
                let adj = &m.parts.adjacency;
                let hops = match dir {
                    Direction::Outgoing => adj.outgoing(ix),
                    Direction::Incoming => adj.incoming(ix),
                };
                RelsOf::Mapped(hops.iter().rev())
            }
        }
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

/// The index of `key` among sorted strings.
fn binary_search_str(sorted: &StrCol, key: &str) -> Option<usize> {
    let (mut lo, mut hi) = (0, sorted.len());
    let strings = sorted.view();
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match strings.bytes(mid).cmp(key.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}
