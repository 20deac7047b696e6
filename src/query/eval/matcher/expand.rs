//! Single-step expansion: from a bound node along one relation (or, for
//! counting and distinct ends, a variable-length step reduced to its
//! ends), over the adjacency rows (`hops`).

use super::*;
use crate::model::Rows;
use crate::query::ir::{Op, PKind, SinglePlan};

impl Exec<'_> {
    pub(super) fn expand(
        &mut self,
        m: &MatchPlan,
        i: usize,
        x: &Expand,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(from) = self.node_at(row, x.from)? else {
            return Ok(Flow::Continue);
        };
        // A bound relation is the one candidate; else every hop.
        let (mut one, mut all);
        let candidates: &mut dyn Iterator<Item = (EdgeIndex, NodeIndex)> = if x.rel_bound {
            match &row[x.rel] {
                Value::Rel(e) => {
                    one = self.adjacent_one(from, *e, x.dir, &x.types).into_iter();
                    &mut one
                }
                Value::Null => return Ok(Flow::Continue),
                v => {
                    return Err(type_error(
                        format!("expected a relationship, got {}", v.type_name()),
                        Default::default(),
                    ));
                }
            }
        } else {
            all = hops(self.graph, from, x.dir, &x.types).map(|h| (h.rel(), h.other()));
            &mut all
        };
        for (e, other) in candidates {
            self.tick()?;
            if used.contains(&e)
                || !self.rel_ok(e, &x.rel_props, row)?
                || !self.reaches(x, other, row)?
            {
                continue;
            }
            row[x.rel] = Value::Rel(e);
            row[x.to] = Value::Node(other);
            used.push(e);
            let flow = self.bound(m, i, row, used, sink);
            used.pop();
            if flow? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `Ends::Count`: how many matches the step has, without binding them.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn expand_count(
        &mut self,
        m: &MatchPlan,
        i: usize,
        x: &Expand,
        by_type: Option<usize>,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(from) = self.node_at(row, x.from)? else {
            return Ok(Flow::Continue);
        };
        // Per type, in the order each type is first met (the order in
        // which an aggregation would first see it).
        let mut counts: Vec<(TypeId, i64)> = Vec::new();
        let mut add = |ty: TypeId, k: i64| match counts.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, n)) => *n += k,
            None => counts.push((ty, k)),
        };
        let hops = hops(self.graph, from, x.dir, &x.types);
        let whole = by_type.is_none()
            && labels_only(x).is_some_and(|m| m == 0 || implied_labels(self.graph, x));
        if whole {
            // Every relation of the node counts but those bound before: the
            // node's count (kept, as a node met again has the same), less
            // those. The work is that of following each relation. A step
            // right after a scan meets each node once (per row coming in):
            // keeping its counts would only fill a map (`MATCH
            // (p:Person)-[r]-() RETURN p, count(r)`).
            let after_scan = i == 1
                && m.steps.first().is_some_and(|s| {
                    matches!(&s.kind, StepKind::Node(n) if n.slot == x.from
                        && matches!(n.source, NodeSource::Label(_) | NodeSource::All))
                });
            let n = if after_scan {
                hops.count() as u64
            } else {
                let key = (x as *const Expand as usize, from);
                match self.hop_counts.get(&key) {
                    Some(&n) => n,
                    None => {
                        let n = hops.count() as u64;
                        if self.hop_counts.len() < MAX_KEPT_COUNTS {
                            // Held as any map the statement builds: counted
                            // against its memory budget.
                            self.hold(KEPT_COUNT_BYTES)?;
                            self.hop_counts.insert(key, n);
                        }
                        n
                    }
                }
            };
            let bound = used
                .iter()
                .filter(|&&e| yields(self.graph, from, x, e))
                .count() as u64;
            add(0, n.saturating_sub(bound) as i64);
            self.tick_many(n)?;
        } else if used.is_empty() && x.rel_props.is_empty() && x.to_check.is_empty() {
            // Nothing to check per relation: count in bulk, work included.
            let n = match by_type {
                None => {
                    let n = hops.count();
                    add(0, n as i64);
                    n
                }
                Some(_) => hops.map(|h| add(h.ty, 1)).count(),
            };
            if n > 0 {
                self.work += n as u64 - 1;
                self.tick()?;
            }
        } else if let Some(mask) = labels_only(x) {
            // Only the far node's labels to check (from their bits, unless
            // the schema implies them) and the relations bound before to
            // skip: one tight pass, its work counted in one go.
            let adj = self.graph.adjacency();
            let mut n = 0u64;
            if mask == 0 || implied_labels(self.graph, x) {
                for h in hops {
                    n += 1;
                    if !used.contains(&h.rel()) {
                        add(if by_type.is_some() { h.ty } else { 0 }, 1);
                    }
                }
            } else {
                for h in hops {
                    n += 1;
                    if adj.label_bits(h.other()) & mask == mask && !used.contains(&h.rel()) {
                        add(if by_type.is_some() { h.ty } else { 0 }, 1);
                    }
                }
            }
            self.tick_many(n)?;
        } else {
            for h in hops {
                self.tick()?;
                if used.contains(&h.rel())
                    || !self.rel_ok(h.rel(), &x.rel_props, row)?
                    || !self.reaches(x, h.other(), row)?
                {
                    continue;
                }
                add(if by_type.is_some() { h.ty } else { 0 }, 1);
            }
        }
        counts.retain(|(_, n)| *n > 0);
        let names = self.graph.adjacency().type_names();
        for (ty, n) in counts {
            row[x.rel] = Value::Int(n);
            if let Some(slot) = by_type {
                row[slot] = Value::Str((names[ty as usize].clone()).into());
            }
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `MatchPlan::type_totals`: the rows its counted last step would add
    /// up to, one per relation type it follows, from the graph's totals.
    pub(super) fn type_totals(
        &mut self,
        m: &MatchPlan,
        row: &mut [Value],
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(StepKind::Expand(x)) = m.steps.last().map(|s| &s.kind) else {
            return Ok(Flow::Continue);
        };
        let Ends::Count(Some(slot)) = x.ends else {
            return Ok(Flow::Continue);
        };
        let adj = self.graph.adjacency();
        for (ty, (&n, name)) in adj.type_counts().iter().zip(adj.type_names()).enumerate() {
            self.tick()?;
            if n == 0 || !x.types.matches_id(ty as TypeId) {
                continue;
            }
            row[x.rel] = Value::Int(n as i64);
            row[slot] = Value::Str(name.as_str().into());
            if self.complete(m, row, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `Ends::Distinct` for one hop: each neighbour once.
    pub(super) fn expand_distinct(
        &mut self,
        m: &MatchPlan,
        i: usize,
        x: &Expand,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(from) = self.node_at(row, x.from)? else {
            return Ok(Flow::Continue);
        };
        let hops = hops(self.graph, from, x.dir, &x.types);
        let mut seen = Seen::new(self.graph.node_count(), hops.size_hint().1.unwrap_or(0));
        // When the step ends the match and only a one-column answer
        // follows, each far node goes straight to the answer: the column
        // made of it, then the row, without the trip through the step
        // after this one, the match's end and the projection.
        let direct = one_column_tail(self.plan, m, i, sink)
            .filter(|_| self.prof.is_none())
            .map(|(item, slot, emit)| {
                // The far node's id over curated data (`property`):
                // written into the slot in place.
                let far_id = self.curated
                    && matches!(&item.kind, PKind::Prop(base, key)
                        if key == "id" && matches!(base.kind, PKind::Slot(s) if s == x.to));
                (item, slot, emit, far_id)
            });
        if direct.is_some() && self.sink.is_none() {
            // Rows held for the answer: room for as many as there are
            // relations to follow (up to a bound), made once rather than
            // grown row by row.
            let rows = hops.size_hint().1.unwrap_or(0).min(MAX_ROOM);
            self.out.reserve(1, rows);
        }
        for h in hops {
            self.tick()?;
            // Checks without anything to check are not called: a hub's
            // every relation passes here.
            if seen.contains(h.other())
                || used.contains(&h.rel())
                || (!x.rel_props.is_empty() && !self.rel_ok(h.rel(), &x.rel_props, row)?)
                || ((x.to_bound || !x.to_check.is_empty()) && !self.reaches(x, h.other(), row)?)
            {
                continue;
            }
            seen.insert(h.other());
            super::super::set_rel(&mut row[x.rel], h.rel());
            super::super::set_node(&mut row[x.to], h.other());
            let flow = match direct {
                Some((item, slot, emit, far_id)) => {
                    if let Sink::Next { emitted, .. } = sink {
                        *emitted = true;
                    }
                    if far_id {
                        self.graph.set_id_value(&mut row[slot], h.other());
                    } else {
                        row[slot] = self.eval(item, row)?;
                    }
                    self.emit(emit, row)?
                }
                None => {
                    used.push(h.rel());
                    let flow = self.bound(m, i, row, used, sink);
                    used.pop();
                    flow?
                }
            };
            if flow == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }
}

/// When step `i` ends the match `m` and all that follows it in the
/// pipeline is a projection of one item and the answer's rows made of
/// that item alone: the item, its slot and the answer's columns. A match
/// of the step is then one row of the answer.
fn one_column_tail<'p>(
    plan: &'p SinglePlan,
    m: &MatchPlan,
    i: usize,
    sink: &Sink,
) -> Option<(&'p PExpr, usize, &'p [usize])> {
    let Sink::Next { op, .. } = sink else {
        return None;
    };
    if i + 1 != m.steps.len()
        || !m.steps[i].filters.is_empty()
        || !m.paths.is_empty()
        || !m.post.is_empty()
    {
        return None;
    }
    match plan.ops.get(*op..)? {
        [Op::Project(items), Op::Emit(slots)]
            if items.len() == 1 && slots.len() == 1 && items[0].1 == slots[0] =>
        {
            Some((&items[0].0, items[0].1, slots.as_slice()))
        }
        _ => None,
    }
}

/// The most rows a match going straight into the answer makes room for
/// at once (`expand_distinct`).
const MAX_ROOM: usize = 1 << 16;

/// The label bits the far node of `x` must have, when that is all a
/// counted step checks per relation (besides the relations bound before):
/// no property of the relation or the far node, no entity, the far node
/// not bound already.
fn labels_only(x: &Expand) -> Option<u64> {
    let c = &x.to_check;
    if !x.rel_props.is_empty() || x.to_bound || c.entity.is_some() || !c.props.is_empty() {
        return None;
    }
    match c.label_mask {
        Some(m) => Some(m),
        None if c.labels.is_empty() => Some(0),
        None => None,
    }
}

/// How many nodes' counts a counted step keeps (`Exec::hop_counts`).
const MAX_KEPT_COUNTS: usize = 1 << 20;

/// What one kept count holds: its key, its count and the map's slack.
const KEPT_COUNT_BYTES: u64 = 32;

/// Whether walking `x` from `from` (`hops`) meets relation `e`.
fn yields(g: &Graph, from: NodeIndex, x: &Expand, e: EdgeIndex) -> bool {
    let Some(ty) = g.adjacency().type_id(g.rel_type(e)) else {
        return false;
    };
    if !x.types.matches_id(ty) {
        return false;
    }
    let (s, t) = g.endpoints(e);
    // The row walked forwards, or the other (a self-loop is met once).
    let (near, far) = match x.dir {
        Dir::In => (t, s),
        Dir::Out | Dir::Both => (s, t),
    };
    let back = x.dir == Dir::Both || x.types.symmetric_id(ty);
    near == from || (back && far == from)
}

/// Whether every node at the far end of `x` carries the labels it checks,
/// by the schema: over curated data a relation joins only the kinds its
/// type allows (the loader checks every claim, event and derived meeting
/// against `from` and `to`), and a node's labels are its kind and the
/// kind's ancestors. So the far end of a step whose every type names its
/// far-end kinds, each of which is (or descends from) every checked label,
/// needs no check. False whenever any of that is not known.
fn implied_labels(g: &Graph, x: &Expand) -> bool {
    let (Some(schema), Some(types)) = (&g.schema, &x.types.types) else {
        return false;
    };
    let labels = &x.to_check.labels;
    let all_are = |kinds: &[String]| {
        !kinds.is_empty()
            && kinds
                .iter()
                .all(|k| labels.iter().all(|l| schema.is_a(k, l)))
    };
    !types.is_empty()
        && types.iter().all(|t| {
            let Some(def) = schema.relations.get(t) else {
                return false;
            };
            // Which ends a step of this type can arrive at.
            let either = x.dir == Dir::Both || x.types.symmetric.contains(t);
            match x.dir {
                _ if either => all_are(&def.from) && all_are(&def.to),
                Dir::In => all_are(&def.from),
                _ => all_are(&def.to),
            }
        })
}

/// The nodes an expansion has yielded: a bit per node of the graph when
/// the node has many relations (a hub), else a set.
enum Seen {
    Bits(Vec<u64>),
    Set(FastSet<NodeIndex>),
}

impl Seen {
    fn new(nodes: usize, hops: usize) -> Seen {
        // A bit each costs nodes / 8 bytes, zeroed; a set entry about 16.
        if hops.saturating_mul(128) >= nodes {
            Seen::Bits(vec![0; nodes.div_ceil(64)])
        } else {
            Seen::Set(FastSet::with_capacity_and_hasher(hops, Default::default()))
        }
    }

    #[inline]
    fn contains(&self, n: NodeIndex) -> bool {
        match self {
            Seen::Bits(b) => b
                .get(n.index() / 64)
                .is_some_and(|w| w & (1 << (n.index() % 64)) != 0),
            Seen::Set(s) => s.contains(&n),
        }
    }

    #[inline]
    fn insert(&mut self, n: NodeIndex) {
        match self {
            Seen::Bits(b) => {
                if let Some(w) = b.get_mut(n.index() / 64) {
                    *w |= 1 << (n.index() % 64);
                }
            }
            Seen::Set(s) => {
                s.insert(n);
            }
        }
    }
}

/// The relations of `from` a pattern step may follow, with the node at
/// their other end, in the order they were added: a merge of the node's
/// outgoing and incoming rows (`model::Adjacency`), without allocating.
pub(crate) fn hops<'g>(g: &'g Graph, from: NodeIndex, dir: Dir, types: &'g TypeFilter) -> Hops<'g> {
    hops_in(g.adjacency().rows(), from, dir, types)
}

/// `hops` over rows found once (`Adjacency::rows`), for a walk that reads
/// the rows of many nodes.
pub(crate) fn hops_in<'g>(
    rows: Rows<'g>,
    from: NodeIndex,
    dir: Dir,
    types: &'g TypeFilter,
) -> Hops<'g> {
    let (fwd, back) = match dir {
        Dir::Out | Dir::Both => (rows.outgoing(from), rows.incoming(from)),
        Dir::In => (rows.incoming(from), rows.outgoing(from)),
    };
    let both = dir == Dir::Both;
    // The other way round only for an undirected step or symmetric types.
    let back = if both || !types.symmetric.is_empty() {
        back
    } else {
        &[]
    };
    Hops {
        fwd,
        back,
        from,
        both,
        types,
    }
}

pub(crate) struct Hops<'g> {
    fwd: &'g [Hop],
    back: &'g [Hop],
    from: NodeIndex,
    both: bool,
    types: &'g TypeFilter,
}

impl Hops<'_> {
    /// How many relations the walk reads: the rows it merges, before the
    /// types and self-loops it passes over.
    pub(crate) fn read_len(&self) -> usize {
        self.fwd.len() + self.back.len()
    }
}

impl Iterator for Hops<'_> {
    type Item = Hop;

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.read_len()))
    }

    /// Without merging the two rows: what `Ends::Count` asks of a hub.
    fn count(self) -> usize {
        let fwd = match self.types.mask {
            None => self.fwd.len(),
            Some(_) => self
                .fwd
                .iter()
                .filter(|h| self.types.matches_id(h.ty))
                .count(),
        };
        let back = self
            .back
            .iter()
            .filter(|h| {
                h.other() != self.from
                    && self.types.matches_id(h.ty)
                    && (self.both || self.types.symmetric_id(h.ty))
            })
            .count();
        fwd + back
    }

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let take_fwd = match (self.fwd.first(), self.back.first()) {
                (None, None) => return None,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(f), Some(b)) => f.rel() < b.rel(),
            };
            if take_fwd {
                let h = self.fwd[0];
                self.fwd = &self.fwd[1..];
                if self.types.matches_id(h.ty) {
                    return Some(h);
                }
            } else {
                let h = self.back[0];
                self.back = &self.back[1..];
                // A self-loop was seen going the other way already.
                if h.other() == self.from {
                    continue;
                }
                if self.types.matches_id(h.ty) && (self.both || self.types.symmetric_id(h.ty)) {
                    return Some(h);
                }
            }
        }
    }
}
