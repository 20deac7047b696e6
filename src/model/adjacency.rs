//! Adjacency by direction and relation type, in compressed rows.
//!
//! petgraph keeps a node's relations as linked lists threaded through the
//! edge array and each relation's type as a `String`: walking a hub's
//! relations chases pointers and compares strings. Queries walk adjacency
//! far more than anything else, so the graph keeps a second, read-only
//! copy: for every node its outgoing and its incoming relations as one
//! contiguous slice each, every entry carrying the relation, the node at
//! the other end and the relation's type as a small number.
//!
//! Within a slice entries keep the order the relations were added, so
//! answers come out in the same order as a walk over petgraph's lists
//! sorted by relation.

use std::ops::Range;
use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use super::col::Col;
use super::fxhash::FastMap;
use super::{Node, Rel, RelType};

/// A relation type's number in this graph.
pub type TypeId = u32;

/// The name buffer and where each node's name lies in it, for a buffer
/// that is text (`Adjacency::name_view`). A name is text exactly when both
/// its ends fall between characters, so the byte tests here answer as the
/// same tests on `Adjacency::name`'s text.
#[derive(Debug, Clone, Copy)]
pub struct NameView<'a> {
    names: &'a [u8],
    at: &'a [[u32; 2]],
}

impl<'a> NameView<'a> {
    /// Node `n`'s name as bytes and where it lies in the buffer, when
    /// `Adjacency::name` gives it one.
    #[inline]
    pub fn name(&self, n: NodeIndex) -> Option<(Range<usize>, &'a [u8])> {
        let Range { start: a, end: b } = name_range(self.at, n)?;
        let between = |i: usize| {
            i == self.names.len() || self.names.get(i).is_some_and(|&c| (c as i8) >= -0x40)
        };
        if !(between(a) && between(b)) {
            return None;
        }
        Some((a..b, self.names.get(a..b)?))
    }

    /// How many nodes the view covers.
    pub fn nodes(&self) -> usize {
        self.at.len()
    }

    /// Where `needle` (not empty) starts in the buffer, every place in
    /// order, overlapping ones and those that run from one name into the
    /// next included: one search over the buffer instead of one per name.
    /// `None` once there are more places than `most`, as a needle met
    /// everywhere would cost a search per byte.
    pub fn places(&self, needle: &[u8], most: usize) -> Option<Places> {
        if needle.is_empty() {
            return None;
        }
        let finder = memchr::memmem::Finder::new(needle);
        let mut starts = Vec::new();
        let mut from = 0;
        while let Some(i) = self.names.get(from..).and_then(|rest| finder.find(rest)) {
            if starts.len() == most {
                return None;
            }
            starts.push(from + i);
            from += i + 1;
        }
        Some(Places {
            starts,
            len: needle.len(),
            next: 0,
        })
    }
}

/// Where node `n`'s name lies in the name buffer, from its `[start, len]`
/// (`u32::MAX` as the start: no name).
fn name_range(name_at: &[[u32; 2]], n: NodeIndex) -> Option<Range<usize>> {
    let &[at, len] = name_at.get(n.index())?;
    if at == u32::MAX {
        return None;
    }
    Some(at as usize..(at as usize).checked_add(len as usize)?)
}

/// Where a needle starts in a name buffer (`NameView::places`).
#[derive(Debug, Clone)]
pub struct Places {
    starts: Vec<usize>,
    len: usize,
    /// The first start at or after the last range asked about: a scan asks
    /// in node order, which is the buffer's order, so each start is passed
    /// over once.
    next: usize,
}

impl Places {
    /// Whether the needle lies wholly inside `range` of the buffer.
    #[inline]
    pub fn within(&mut self, range: Range<usize>) -> bool {
        let mut i = self.next;
        if i > 0 && self.starts.get(i - 1).is_some_and(|&p| p >= range.start) {
            // Back in the buffer: search again.
            i = self.starts.partition_point(|&p| p < range.start);
        }
        while self.starts.get(i).is_some_and(|&p| p < range.start) {
            i += 1;
        }
        self.next = i;
        self.starts
            .get(i)
            .is_some_and(|&p| p + self.len <= range.end)
    }
}

/// One relation seen from one of its ends: three plain numbers laid out
/// as C lays them out, so a column of hops can be read in place from bytes
/// (the snapshot) as well as built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Hop {
    rel: u32,
    other: u32,
    pub ty: TypeId,
}

impl Hop {
    pub fn new(rel: EdgeIndex, other: NodeIndex, ty: TypeId) -> Hop {
        Hop {
            rel: rel.index() as u32,
            other: other.index() as u32,
            ty,
        }
    }

    /// The relation.
    pub fn rel(&self) -> EdgeIndex {
        EdgeIndex::new(self.rel as usize)
    }

    /// The node at the other end.
    pub fn other(&self) -> NodeIndex {
        NodeIndex::new(self.other as usize)
    }
}

/// Every node's rows as plain slices. Read in place, each column is found
/// in the snapshot's bytes (checked for its length and alignment) on every
/// read; a walk that reads the rows of many nodes (a breadth-first search)
/// finds them once here.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    out_start: &'a [u32],
    out: &'a [Hop],
    in_start: &'a [u32],
    inc: &'a [Hop],
}

impl<'a> Rows<'a> {
    /// A node's outgoing relations.
    #[inline]
    pub fn outgoing(&self, n: NodeIndex) -> &'a [Hop] {
        row(self.out_start, self.out, n)
    }

    /// A node's incoming relations.
    #[inline]
    pub fn incoming(&self, n: NodeIndex) -> &'a [Hop] {
        row(self.in_start, self.inc, n)
    }
}

#[inline]
fn row<'a>(start: &[u32], hops: &'a [Hop], n: NodeIndex) -> &'a [Hop] {
    let i = n.index();
    match (start.get(i), start.get(i + 1)) {
        (Some(&a), Some(&b)) => hops.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// The columns are owned when built from a graph and read in place when
/// the graph was opened from its snapshot (`Col`); the snapshot writes and
/// reads them as they are, so the fields are public.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    /// Type names by number, sorted.
    pub types: Vec<String>,
    /// Relations per type, by number.
    pub type_counts: Vec<usize>,
    pub out_start: Col<u32>,
    pub out: Col<Hop>,
    pub in_start: Col<u32>,
    pub inc: Col<Hop>,
    /// The first 64 labels met, by bit.
    pub labels: Vec<String>,
    /// Each node's labels among those, as bits: a label check reads eight
    /// bytes from one array instead of the node.
    pub label_bits: Col<u64>,
    /// Every node's `name` (when a string) end to end, in node order, and
    /// where each starts (`u32::MAX`: none): a filter on names over a scan
    /// reads one buffer in order instead of each node's properties.
    pub names: Col<u8>,
    pub name_at: Col<[u32; 2]>,
    /// Whether `names` is text as a whole, checked on first use
    /// (`name_view`).
    pub names_text: OnceLock<bool>,
}

impl Adjacency {
    pub fn build(g: &DiGraph<Node, Rel>) -> Adjacency {
        // Types are interned (`RelType`): one name, one address, so they
        // are told apart by address without hashing their text. One walk
        // numbers them as met, counts each node's relations both ways and
        // each type's; the numbers are then made those of the sorted names.
        let key = |t: &RelType| t.as_str().as_ptr() as usize;
        let mut names: Vec<RelType> = Vec::new();
        let mut met: FastMap<usize, TypeId> = FastMap::default();
        let n = g.node_count();
        let mut out_start = vec![0u32; n + 1];
        let mut in_start = vec![0u32; n + 1];
        let mut tys: Vec<TypeId> = Vec::with_capacity(g.edge_count());
        // Neighbouring relations often share a type: the last one is kept.
        let mut last: Option<(usize, TypeId)> = None;
        for e in g.raw_edges() {
            out_start[e.source().index() + 1] += 1;
            in_start[e.target().index() + 1] += 1;
            let k = key(&e.weight.rel_type);
            let t = match last {
                Some((lk, lt)) if lk == k => lt,
                _ => {
                    let t = *met.entry(k).or_insert_with(|| {
                        names.push(e.weight.rel_type);
                        (names.len() - 1) as TypeId
                    });
                    last = Some((k, t));
                    t
                }
            };
            tys.push(t);
        }
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_unstable_by(|&a, &b| names[a].cmp(&names[b]));
        let mut renumber = vec![0 as TypeId; names.len()];
        for (sorted, &was) in order.iter().enumerate() {
            renumber[was] = sorted as TypeId;
        }
        let names: Vec<RelType> = order.iter().map(|&i| names[i]).collect();
        let mut type_counts = vec![0usize; names.len()];
        for t in &mut tys {
            *t = renumber[*t as usize];
            type_counts[*t as usize] += 1;
        }
        for i in 0..n {
            out_start[i + 1] += out_start[i];
            in_start[i + 1] += in_start[i];
        }
        // Each direction is filled by a thread of its own, relations in
        // index order, so each node's slice is in index order.
        let fill =
            |start: &[u32], end: fn(&petgraph::graph::Edge<Rel>) -> (NodeIndex, NodeIndex)| {
                let mut hops =
                    vec![Hop::new(EdgeIndex::end(), NodeIndex::end(), 0); g.edge_count()];
                let mut at = start.to_vec();
                for (i, e) in g.raw_edges().iter().enumerate() {
                    let (from, to) = end(e);
                    let o = &mut at[from.index()];
                    hops[*o as usize] = Hop::new(EdgeIndex::new(i), to, tys[i]);
                    *o += 1;
                }
                hops
            };
        let (out, inc) = std::thread::scope(|scope| {
            let inc = scope.spawn(|| fill(&in_start, |e| (e.target(), e.source())));
            let out = fill(&out_start, |e| (e.source(), e.target()));
            (
                out,
                inc.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            )
        });
        let mut labels: Vec<String> = Vec::new();
        let label_bits: Vec<u64> = g
            .node_weights()
            .map(|n| {
                let mut bits = 0u64;
                for l in &n.labels {
                    let bit = match labels.iter().position(|x| x == l) {
                        Some(b) => b,
                        None if labels.len() < 64 => {
                            labels.push(l.clone());
                            labels.len() - 1
                        }
                        None => continue,
                    };
                    bits |= 1 << bit;
                }
                bits
            })
            .collect();
        let mut name_buf = String::new();
        let name_at: Vec<[u32; 2]> = g
            .node_weights()
            .map(|n| match n.name() {
                Some(s) if name_buf.len() + s.len() < u32::MAX as usize => {
                    let at = name_buf.len() as u32;
                    name_buf.push_str(s);
                    [at, s.len() as u32]
                }
                _ => [u32::MAX, 0],
            })
            .collect();
        Adjacency {
            names: name_buf.into_bytes().into(),
            name_at: name_at.into(),
            names_text: OnceLock::new(),
            labels,
            label_bits: label_bits.into(),
            types: names.iter().map(|t| t.to_string()).collect(),
            type_counts,
            out_start: out_start.into(),
            out: out.into(),
            in_start: in_start.into(),
            inc: inc.into(),
        }
    }

    /// A node's outgoing relations.
    pub fn outgoing(&self, n: NodeIndex) -> &[Hop] {
        self.rows().outgoing(n)
    }

    /// A node's incoming relations.
    pub fn incoming(&self, n: NodeIndex) -> &[Hop] {
        self.rows().incoming(n)
    }

    /// Every node's rows, their columns found once.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            out_start: &self.out_start,
            out: &self.out,
            in_start: &self.in_start,
            inc: &self.inc,
        }
    }

    /// The bits of these labels, when every one of them has a bit (a
    /// label no node has has none).
    pub fn label_mask(&self, labels: &[String]) -> Option<u64> {
        labels.iter().try_fold(0u64, |m, l| {
            let b = self.labels.iter().position(|x| x == l)?;
            Some(m | 1 << b)
        })
    }

    /// A node's label bits (see `label_mask`).
    #[inline]
    pub fn label_bits(&self, n: NodeIndex) -> u64 {
        self.label_bits.get(n.index()).copied().unwrap_or(0)
    }

    /// A node's `name`, when it has one and it is a string.
    #[inline]
    pub fn name(&self, n: NodeIndex) -> Option<&str> {
        let range = name_range(self.name_at.as_slice(), n)?;
        std::str::from_utf8(self.names.get(range)?).ok()
    }

    /// The names' columns found once, for a scan that tests many names;
    /// `None` unless the name buffer is text as a whole (checked once per
    /// graph, so no name is checked again).
    pub fn name_view(&self) -> Option<NameView<'_>> {
        let names = self.names.as_slice();
        let text = *self
            .names_text
            .get_or_init(|| std::str::from_utf8(names).is_ok());
        text.then(|| NameView {
            names,
            at: self.name_at.as_slice(),
        })
    }

    /// The number of a relation type, if any relation has it.
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        self.types
            .binary_search_by(|t| t.as_str().cmp(name))
            .ok()
            .map(|i| i as TypeId)
    }

    /// Type names by number.
    pub fn type_names(&self) -> &[String] {
        &self.types
    }

    /// How many relations have each type, by number.
    pub fn type_counts(&self) -> &[usize] {
        &self.type_counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Props;

    fn rel(t: &str) -> Rel {
        Rel {
            rel_type: t.into(),
            props: Props::new(),
        }
    }

    fn node(id: &str) -> Node {
        let mut props = Props::new();
        if id != "c" {
            props.insert(
                "name".into(),
                crate::model::Value::Str((id.to_uppercase()).into()),
            );
        }
        Node {
            id: id.to_string(),
            labels: Vec::new(),
            props,
        }
    }

    /// Each node's relations both ways, as petgraph lists them, in
    /// relation order, with the name of their type.
    fn listed(g: &DiGraph<Node, Rel>, n: NodeIndex) -> [Vec<(EdgeIndex, NodeIndex, String)>; 2] {
        use petgraph::visit::EdgeRef;
        [petgraph::Direction::Outgoing, petgraph::Direction::Incoming].map(|dir| {
            let mut want: Vec<_> = g
                .edges_directed(n, dir)
                .map(|e| {
                    let other = if dir == petgraph::Direction::Outgoing {
                        e.target()
                    } else {
                        e.source()
                    };
                    (e.id(), other, e.weight().rel_type.to_string())
                })
                .collect();
            want.sort_by_key(|w| w.0);
            want
        })
    }

    /// A node's rows both ways, with the name of each one's type.
    fn rows(adj: &Adjacency, n: NodeIndex) -> [Vec<(EdgeIndex, NodeIndex, String)>; 2] {
        [adj.outgoing(n), adj.incoming(n)].map(|hops| {
            hops.iter()
                .map(|h| (h.rel(), h.other(), adj.type_names()[h.ty as usize].clone()))
                .collect()
        })
    }

    proptest::proptest! {
        /// Types met in any order are numbered as their sorted names, and
        /// every node's rows are petgraph's, on graphs of up to 6 nodes.
        #[test]
        fn rows_and_types_match_petgraph(
            nodes in 1usize..6,
            edges in proptest::collection::vec((0usize..6, 0usize..6, 0usize..5), 0..40),
        ) {
            const TYPES: [&str; 5] = ["ZAPS", "KNOWS", "ADMIRES", "LIKES", "MET"];
            let mut g = DiGraph::new();
            let ix: Vec<NodeIndex> = (0..nodes).map(|i| g.add_node(node(&format!("n{i}")))).collect();
            for (a, b, t) in edges {
                g.add_edge(ix[a % nodes], ix[b % nodes], rel(TYPES[t]));
            }
            let adj = Adjacency::build(&g);
            let mut names: Vec<&str> = g.raw_edges().iter().map(|e| e.weight.rel_type.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            proptest::prop_assert_eq!(adj.type_names(), &names[..]);
            for (i, name) in names.iter().enumerate() {
                let count = g.raw_edges().iter().filter(|e| e.weight.rel_type.as_str() == *name).count();
                proptest::prop_assert_eq!(adj.type_counts()[i], count);
            }
            for &n in &ix {
                proptest::prop_assert_eq!(rows(&adj, n), listed(&g, n));
            }
        }
    }

    #[test]
    fn rows_match_petgraph_in_relation_order() {
        let mut g = DiGraph::new();
        let a = g.add_node(node("a"));
        let b = g.add_node(node("b"));
        let c = g.add_node(node("c"));
        g.add_edge(a, b, rel("KNOWS"));
        g.add_edge(b, a, rel("LIKES"));
        g.add_edge(a, c, rel("KNOWS"));
        g.add_edge(a, a, rel("SELF"));
        let adj = Adjacency::build(&g);
        assert_eq!(adj.type_names(), ["KNOWS", "LIKES", "SELF"]);
        assert_eq!(adj.type_counts(), [2, 1, 1]);
        for n in [a, b, c] {
            assert_eq!(rows(&adj, n), listed(&g, n), "{n:?}");
        }
        assert_eq!(adj.type_id("LIKES"), Some(1));
        assert_eq!(adj.name(a), Some("A"));
        assert_eq!(adj.name(c), None);
        assert_eq!(adj.type_id("NOPE"), None);
        assert!(adj.outgoing(NodeIndex::new(99)).is_empty());
    }

    /// An adjacency holding only names, as `Adjacency::build` lays them
    /// out: `None` is a node without one.
    fn names(names: &[Option<&str>]) -> Adjacency {
        let mut buf = String::new();
        let at = names
            .iter()
            .map(|n| match n {
                Some(s) => {
                    buf.push_str(s);
                    [(buf.len() - s.len()) as u32, s.len() as u32]
                }
                None => [u32::MAX, 0],
            })
            .collect::<Vec<_>>();
        Adjacency {
            names: buf.into_bytes().into(),
            name_at: at.into(),
            ..Adjacency::default()
        }
    }

    #[test]
    fn a_name_view_gives_each_name_where_it_lies() {
        let adj = names(&[Some("ab"), None, Some("ñe"), Some("")]);
        let v = adj.name_view().expect("the names are text");
        assert_eq!(v.nodes(), 4);
        assert_eq!(v.name(NodeIndex::new(0)), Some((0..2, &b"ab"[..])));
        assert_eq!(v.name(NodeIndex::new(1)), None);
        assert_eq!(v.name(NodeIndex::new(2)), Some((2..5, "ñe".as_bytes())));
        assert_eq!(v.name(NodeIndex::new(3)), Some((5..5, &b""[..])));
        assert_eq!(v.name(NodeIndex::new(4)), None);
        // A name whose end falls inside a character is not text.
        let mut cut = names(&[Some("ñ")]);
        cut.name_at = vec![[0u32, 1]].into();
        let v = cut.name_view().expect("the buffer is text");
        assert_eq!(v.name(NodeIndex::new(0)), None);
        assert_eq!(cut.name(NodeIndex::new(0)), None);
        // A buffer that is not text gives no view.
        let bad = Adjacency {
            names: vec![0xff, b'a'].into(),
            name_at: vec![[1u32, 1]].into(),
            ..Adjacency::default()
        };
        assert!(bad.name_view().is_none());
    }

    #[test]
    fn places_count_a_needle_only_inside_one_name() {
        // "ba" + "aab" + "b": "aa" starts in the first name and in the
        // second; only the second holds it whole. "ab" runs from the
        // second into the third as well as lying inside the second.
        let adj = names(&[Some("ba"), Some("aab"), Some("b")]);
        let v = adj.name_view().unwrap();
        let range = |i| v.name(NodeIndex::new(i)).unwrap().0;
        let mut aa = v.places(b"aa", 10).unwrap();
        assert!(!aa.within(range(0)));
        assert!(aa.within(range(1)));
        assert!(!aa.within(range(2)));
        let mut bb = v.places(b"bb", 10).unwrap();
        assert!(
            (0..3).all(|i| !bb.within(range(i))),
            "`bb` runs across names only"
        );
        let mut b = v.places(b"b", 10).unwrap();
        assert!((0..3).all(|i| b.within(range(i))));
        // Asked out of the buffer's order, the answers are the same.
        assert!([2, 0, 1, 0].into_iter().all(|i| b.within(range(i))));
        assert!(aa.within(range(1)) && !aa.within(range(0)) && aa.within(range(1)));
        // More places than allowed, or an empty needle: no places.
        assert!(v.places(b"b", 2).is_none());
        assert!(v.places(b"", 10).is_none());
    }
}
