//! Variable-length steps: depth-first walks with relationship
//! uniqueness, reachability by breadth-first search, closed walks, and a
//! step whose list of relations is bound already.

use super::*;

impl Exec<'_> {
    /// `Ends::Distinct` for a variable-length step of `0..max` or `1..max`
    /// hops: every node some walk reaches, once, by breadth-first search.
    /// A node other than the start is the end of such a walk exactly when
    /// its distance is within `1..=max` (a shortest walk repeats no
    /// relation); the start is the end of a walk of no hops, or of a
    /// closed one (`closed_walk`).
    pub(super) fn reach(
        &mut self,
        m: &MatchPlan,
        i: usize,
        x: &Expand,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(start) = self.node_at(row, x.from)? else {
            return Ok(Flow::Continue);
        };
        let (min, max) = x.var_len.unwrap_or((1, 1));
        // Distances by node number, 0 for a node not reached: one array
        // (zeroed lazily by the allocator) instead of a hash map, as the
        // search of a few hops meets a good part of the graph.
        let mut dist = Dist::new(self.graph.node_count(), start, max);
        let mut order = Vec::new();
        let mut frontier = vec![start];
        let mut depth = 0;
        let plain = x.rel_props.is_empty() && used.is_empty();
        // A node first met on the last hop is only a result: one whose
        // labels already fail the end's check is not kept for it (the
        // last hop meets most of the nodes a search reaches, and the check
        // from the bits costs what keeping the node would).
        let adjacency = self.graph.adjacency();
        let rows = adjacency.rows();
        let end_mask = x.to_check.label_mask.filter(|_| !x.to_bound);
        let result = |v: NodeIndex| end_mask.is_none_or(|m| adjacency.label_bits(v) & m == m);
        while depth < max && !frontier.is_empty() {
            depth += 1;
            let last = depth == max;
            if last
                && plain
                && let Some(mask) = end_mask
                && let Some(ends) = self.last_hop_back(x, &frontier, &dist, mask)?
            {
                order.extend(ends);
                break;
            }
            let mut next = Vec::new();
            for &u in &frontier {
                if plain {
                    // Nothing to check per relation: one pass over the
                    // node's rows, its work counted at the end.
                    let mut n = 0;
                    for h in hops_in(rows, u, x.dir, &x.types) {
                        n += 1;
                        let v = h.other();
                        if dist.get(v).is_none() {
                            dist.set(v, depth);
                            if !last {
                                next.push(v);
                            } else if result(v) {
                                order.push(v);
                            }
                        }
                    }
                    self.tick_many(n)?;
                    continue;
                }
                for h in hops_in(rows, u, x.dir, &x.types) {
                    self.tick()?;
                    if dist.get(h.other()).is_some()
                        || (!plain
                            && (used.contains(&h.rel())
                                || !self.rel_ok(h.rel(), &x.rel_props, row)?))
                    {
                        continue;
                    }
                    dist.set(h.other(), depth);
                    if !last {
                        next.push(h.other());
                    } else if result(h.other()) {
                        // Not expanded further: only a result.
                        order.push(h.other());
                    }
                }
            }
            order.extend_from_slice(&next);
            frontier = next;
        }
        row[x.rel] = Value::Null;
        let start_too = self.reaches(x, start, row)?
            && (min == 0 || self.closed_walk(x, start, max, &dist, used, row)?);
        if start_too {
            order.insert(0, start);
        }
        for node in order {
            if node != start && !self.reaches(x, node, row)? {
                continue;
            }
            row[x.to] = Value::Node(node);
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// The last hop of `reach` walked back, when that reads fewer
    /// relations: from every node with the end's labels (`mask`, the
    /// rarest label's nodes) not reached yet, to the frontier. A search of
    /// a few hops soon meets hubs whose rows dwarf those of the nodes it
    /// looks for (q7 of the benchmark at large: the frontier's rows hold
    /// 10.8 M relations, every event's 3.3 M). The nodes come in the order
    /// the forward walk meets them: by the place in `frontier` of the node
    /// they are met from, then by relation number (`hops` merges a node's
    /// rows by relation number), each by its first such meeting. Every
    /// reached node next to one not reached is in the frontier: a nearer
    /// one would have reached it. `None` when walking forward reads fewer
    /// (or `Options::backward_hops` says so).
    fn last_hop_back(
        &mut self,
        x: &Expand,
        frontier: &[NodeIndex],
        dist: &Dist,
        mask: u64,
    ) -> Result<Option<Vec<NodeIndex>>, QueryError> {
        let force = self.opts.backward_hops;
        if force == Some(false) {
            return Ok(None);
        }
        let graph = self.graph;
        let Some(ends) = x
            .to_check
            .labels
            .iter()
            .map(|l| graph.by_label(l))
            .min_by_key(|nodes| nodes.len())
        else {
            return Ok(None);
        };
        let adjacency = graph.adjacency();
        let rows = adjacency.rows();
        let back = x.dir.flip();
        if force.is_none() {
            let row_len = |n: NodeIndex, dir: Dir| hops_in(rows, n, dir, &x.types).read_len();
            let forward: usize = frontier.iter().map(|&u| row_len(u, x.dir)).sum();
            // Each end costs a look at least.
            if ends.len() >= forward {
                return Ok(None);
            }
            let backward: usize = ends.iter().map(|&v| row_len(v, back)).sum();
            if backward >= forward {
                return Ok(None);
            }
        }
        // A frontier node's place + 1, by node number; 0 for any other.
        let mut place = vec![0u32; graph.node_count()];
        for (i, &u) in frontier.iter().enumerate() {
            if let Some(p) = place.get_mut(u.index()) {
                *p = u32::try_from(i + 1).unwrap_or(u32::MAX);
            }
        }
        let mut met: Vec<(u64, NodeIndex)> = Vec::new();
        for &v in ends {
            if dist.get(v).is_some() || adjacency.label_bits(v) & mask != mask {
                continue;
            }
            let mut first = u64::MAX;
            let mut n = 0;
            for h in hops_in(rows, v, back, &x.types) {
                n += 1;
                let p = place.get(h.other().index()).copied().unwrap_or(0);
                if p != 0 {
                    first = first.min((u64::from(p) << 32) | h.rel().index() as u64);
                }
            }
            self.tick_many(n.max(1))?;
            if first != u64::MAX {
                met.push((first, v));
            }
        }
        met.sort_unstable_by_key(|&(at, _)| at);
        Ok(Some(met.into_iter().map(|(_, v)| v).collect()))
    }

    /// Whether a walk of `1..=max` relations, none repeated and none in
    /// `used`, leads from `start` back to it. `dist` holds the distances
    /// the step's own search found from `start`.
    pub(super) fn closed_walk(
        &mut self,
        x: &Expand,
        start: NodeIndex,
        max: u32,
        dist: &Dist,
        used: &Used,
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        if x.dir == Dir::Both {
            return self.closed_walk_undirected(x, start, max, used, row);
        }
        if !x.types.symmetric.is_empty() {
            // Symmetric types make the step part directed, part not: look
            // for one by depth-first search.
            let mut trail = Vec::new();
            return self.closed_dfs(x, start, start, max, &mut trail, used, row);
        }
        // Directed: a shortest walk to a node with a relation back to the
        // start, then that relation.
        for h in hops(self.graph, start, x.dir.flip(), &x.types) {
            self.tick()?;
            if used.contains(&h.rel()) || !self.rel_ok(h.rel(), &x.rel_props, row)? {
                continue;
            }
            if h.other() == start || dist.get(h.other()).is_some_and(|d| d < max) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The shortest cycle through `start`, undirected, by breadth-first
    /// search labelling each node with the first relation of its search
    /// path: a relation outside the search tree that joins two different
    /// first relations (or returns to the start) closes a walk of
    /// `d(u) + d(v) + 1` relations, and the shortest such is the shortest
    /// cycle.
    pub(super) fn closed_walk_undirected(
        &mut self,
        x: &Expand,
        start: NodeIndex,
        max: u32,
        used: &Used,
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        // node -> (distance, first relation, relation it was reached by)
        let mut seen: FastMap<NodeIndex, (u32, EdgeIndex, EdgeIndex)> = FastMap::default();
        let mut frontier = vec![start];
        let mut depth = 0;
        while depth < max && !frontier.is_empty() {
            let mut next = Vec::new();
            for &u in &frontier {
                let (du, first, parent) = match seen.get(&u) {
                    Some(&(d, f, p)) => (d, Some(f), Some(p)),
                    None => (0, None, None),
                };
                for h in hops(self.graph, u, Dir::Both, &x.types) {
                    self.tick()?;
                    if Some(h.rel()) == parent
                        || used.contains(&h.rel())
                        || !self.rel_ok(h.rel(), &x.rel_props, row)?
                    {
                        continue;
                    }
                    if h.other() == start {
                        if du < max {
                            return Ok(true);
                        }
                        continue;
                    }
                    match seen.get(&h.other()) {
                        None => {
                            seen.insert(h.other(), (du + 1, first.unwrap_or(h.rel()), h.rel()));
                            next.push(h.other());
                        }
                        Some(&(dv, fv, pv)) => {
                            if pv == h.rel() {
                                continue;
                            }
                            let closes = first.is_none_or(|f| f != fv);
                            if closes && du + dv < max {
                                return Ok(true);
                            }
                        }
                    }
                }
            }
            frontier = next;
            depth += 1;
        }
        Ok(false)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn closed_dfs(
        &mut self,
        x: &Expand,
        start: NodeIndex,
        node: NodeIndex,
        left: u32,
        trail: &mut Vec<EdgeIndex>,
        used: &Used,
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        for h in hops(self.graph, node, x.dir, &x.types) {
            self.tick()?;
            if used.contains(&h.rel())
                || trail.contains(&h.rel())
                || !self.rel_ok(h.rel(), &x.rel_props, row)?
            {
                continue;
            }
            if h.other() == start {
                return Ok(true);
            }
            if left > 1 {
                trail.push(h.rel());
                let found = self.closed_dfs(x, start, h.other(), left - 1, trail, used, row)?;
                trail.pop();
                if found {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// A variable-length step whose list of relations is bound already:
    /// the list must be a walk from `from`, the way the step goes.
    pub(super) fn expand_list(
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
        let mut rels = Vec::new();
        match &row[x.rel] {
            Value::Null => return Ok(Flow::Continue),
            Value::List(items) => {
                for v in items {
                    match v {
                        Value::Rel(e) => rels.push(*e),
                        v => {
                            return Err(type_error(
                                format!("expected a list of relationships, got {}", v.type_name()),
                                Default::default(),
                            ));
                        }
                    }
                }
            }
            v => {
                return Err(type_error(
                    format!("expected a list of relationships, got {}", v.type_name()),
                    Default::default(),
                ));
            }
        }
        let (min, max) = x.var_len.unwrap_or((1, 1));
        let n = rels.len() as u32;
        if n < min || n > max {
            return Ok(Flow::Continue);
        }
        if x.reversed {
            rels.reverse();
        }
        let mut node = from;
        for (k, &e) in rels.iter().enumerate() {
            self.tick()?;
            let Some((_, other)) = self.adjacent_one(node, e, x.dir, &x.types) else {
                return Ok(Flow::Continue);
            };
            if used.contains(&e) || rels[..k].contains(&e) || !self.rel_ok(e, &x.rel_props, row)? {
                return Ok(Flow::Continue);
            }
            node = other;
        }
        if !self.reaches(x, node, row)? {
            return Ok(Flow::Continue);
        }
        row[x.to] = Value::Node(node);
        let before = used.len();
        used.extend(rels.iter().copied());
        let flow = self.bound(m, i, row, used, sink);
        used.truncate(before);
        flow
    }

    /// Whether a given relation leaves `from` the way the step goes.
    pub(super) fn adjacent_one(
        &self,
        from: NodeIndex,
        e: EdgeIndex,
        dir: Dir,
        types: &TypeFilter,
    ) -> Option<(EdgeIndex, NodeIndex)> {
        let (s, t) = self.graph.endpoints(e);
        let ty = self.graph.rel_type(e);
        if !types.matches(ty) {
            return None;
        }
        let sym = dir == Dir::Both || types.is_symmetric(ty);
        let out_ok = s == from && (dir != Dir::In || sym);
        let in_ok = t == from && (dir != Dir::Out || sym);
        if out_ok {
            Some((e, t))
        } else if in_ok {
            Some((e, s))
        } else {
            None
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn var_dfs(
        &mut self,
        m: &MatchPlan,
        i: usize,
        x: &Expand,
        node: NodeIndex,
        depth: u32,
        trail: &mut Vec<EdgeIndex>,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let (min, max) = x.var_len.unwrap_or((1, 1));
        if depth >= min && self.reaches(x, node, row)? {
            let mut rels: Vec<Value> = trail.iter().map(|e| Value::Rel(*e)).collect();
            if x.reversed {
                rels.reverse();
            }
            row[x.rel] = Value::List(rels);
            row[x.to] = Value::Node(node);
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        if depth < max {
            for h in hops(self.graph, node, x.dir, &x.types) {
                let (e, other) = (h.rel(), h.other());
                self.tick()?;
                if used.contains(&e) || !self.rel_ok(e, &x.rel_props, row)? {
                    continue;
                }
                used.push(e);
                trail.push(e);
                let flow = self.var_dfs(m, i, x, other, depth + 1, trail, row, used, sink);
                used.pop();
                trail.pop();
                if flow? == Flow::Stop {
                    return Ok(Flow::Stop);
                }
            }
        }
        Ok(Flow::Continue)
    }
}

/// Breadth-first distances from a start node, by node number: a byte
/// each when the search stops within 254 hops (as nearly every one does),
/// so the array a search of a large graph touches at random is a quarter
/// of the size.
pub(super) enum Dist {
    /// Distance + 1; 0 for a node not reached.
    Narrow(Vec<u8>),
    Wide(Vec<u32>),
}

impl Dist {
    fn new(nodes: usize, start: NodeIndex, max: u32) -> Self {
        let mut d = if max < u32::from(u8::MAX) {
            Dist::Narrow(vec![0; nodes])
        } else {
            Dist::Wide(vec![0; nodes])
        };
        d.set(start, 0);
        d
    }

    #[inline]
    fn get(&self, n: NodeIndex) -> Option<u32> {
        let d = match self {
            Dist::Narrow(v) => v.get(n.index()).map(|&d| u32::from(d)),
            Dist::Wide(v) => v.get(n.index()).copied(),
        };
        d.filter(|&d| d > 0).map(|d| d - 1)
    }

    /// Records `d`, which is at most the search's `max`.
    #[inline]
    fn set(&mut self, n: NodeIndex, d: u32) {
        let d = d.saturating_add(1);
        match self {
            Dist::Narrow(v) => {
                if let Some(x) = v.get_mut(n.index()) {
                    *x = u8::try_from(d).unwrap_or(u8::MAX);
                }
            }
            Dist::Wide(v) => {
                if let Some(x) = v.get_mut(n.index()) {
                    *x = d;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both widths give back every distance a search of their `max` sets,
    /// and nothing for a node not reached.
    #[test]
    fn distances_read_back_in_either_width() {
        for max in [1, 3, 253, 254, 255, 1000, u32::MAX] {
            let start = NodeIndex::new(2);
            let mut d = Dist::new(8, start, max);
            assert_eq!(
                matches!(d, Dist::Narrow(_)),
                max < 255,
                "the width for max {max}"
            );
            assert_eq!(d.get(start), Some(0));
            let far = max.min(100_000);
            d.set(NodeIndex::new(5), far);
            d.set(NodeIndex::new(7), 1);
            assert_eq!(d.get(NodeIndex::new(5)), Some(far), "max {max}");
            assert_eq!(d.get(NodeIndex::new(7)), Some(1));
            assert_eq!(d.get(NodeIndex::new(0)), None);
            // A node past the graph is never reached.
            d.set(NodeIndex::new(9), 1);
            assert_eq!(d.get(NodeIndex::new(9)), None);
        }
    }
}
