//! `shortestPath` and `allShortestPaths` between two bound nodes, by
//! breadth-first search.

use std::collections::hash_map::Entry;

use super::*;

impl Exec<'_> {
    pub(super) fn shortest(
        &mut self,
        m: &MatchPlan,
        i: usize,
        s: &Shortest,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let (Some(a), Some(b)) = (self.node_at(row, s.from)?, self.node_at(row, s.to)?) else {
            return Ok(Flow::Continue);
        };
        let paths = if s.all {
            self.all_shortest(a, b, s, row)?
        } else {
            self.one_shortest(a, b, s, row)?.into_iter().collect()
        };
        for p in paths {
            if let Some(r) = s.rel {
                row[r] = Value::List(p.rels.iter().map(|e| Value::Rel(*e)).collect());
            }
            if let Some(ps) = s.path {
                row[ps] = Value::Path(Box::new(p));
            }
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// One shortest path by bidirectional breadth-first search.
    pub(super) fn one_shortest(
        &mut self,
        a: NodeIndex,
        b: NodeIndex,
        s: &Shortest,
        row: &mut [Value],
    ) -> Result<Option<Path>, QueryError> {
        if a == b {
            return Ok((s.min == 0).then(|| Path {
                nodes: vec![a],
                rels: Vec::new(),
            }));
        }
        // parent pointers: node → (node it was reached from, relation)
        let mut fwd: FastMap<NodeIndex, (NodeIndex, EdgeIndex)> =
            FastMap::with_capacity_and_hasher(64, Default::default());
        let mut bwd: FastMap<NodeIndex, (NodeIndex, EdgeIndex)> =
            FastMap::with_capacity_and_hasher(64, Default::default());
        let (mut ff, mut bf) = (vec![a], vec![b]);
        let rows = self.graph.adjacency().rows();
        // The next layer is made in the last one's buffer.
        let mut next = Vec::new();
        let mut depth = 0;
        while !ff.is_empty() && !bf.is_empty() && depth < s.max {
            depth += 1;
            let forward = ff.len() <= bf.len();
            let (frontier, dir, mine, root, theirs, their_root) = if forward {
                (&mut ff, s.dir, &mut fwd, a, &bwd, b)
            } else {
                (&mut bf, s.dir.flip(), &mut bwd, b, &fwd, a)
            };
            next.clear();
            let mut meet = None;
            'layer: for &u in frontier.iter() {
                for h in hops_in(rows, u, dir, &s.types) {
                    let (e, v) = (h.rel(), h.other());
                    self.tick()?;
                    if v == root {
                        continue;
                    }
                    // One look-up for a node met first: the slot found is
                    // the one filled.
                    let Entry::Vacant(slot) = mine.entry(v) else {
                        continue;
                    };
                    if !self.rel_ok(e, &s.rel_props, row)? {
                        continue;
                    }
                    slot.insert((u, e));
                    if v == their_root || theirs.contains_key(&v) {
                        meet = Some(v);
                        break 'layer;
                    }
                    next.push(v);
                }
            }
            std::mem::swap(frontier, &mut next);
            if let Some(v) = meet {
                let path = join_paths(v, a, b, &fwd, &bwd);
                return Ok((path.rels.len() as u32 >= s.min).then_some(path));
            }
        }
        Ok(None)
    }

    /// Every shortest path, by breadth-first search keeping every parent.
    pub(super) fn all_shortest(
        &mut self,
        a: NodeIndex,
        b: NodeIndex,
        s: &Shortest,
        row: &mut [Value],
    ) -> Result<Vec<Path>, QueryError> {
        if a == b {
            return Ok(if s.min == 0 {
                vec![Path {
                    nodes: vec![a],
                    rels: Vec::new(),
                }]
            } else {
                Vec::new()
            });
        }
        let mut dist: FastMap<NodeIndex, u32> = FastMap::from_iter([(a, 0)]);
        let mut parents: FastMap<NodeIndex, Vec<(NodeIndex, EdgeIndex)>> = FastMap::default();
        let mut frontier = vec![a];
        let rows = self.graph.adjacency().rows();
        let mut depth = 0;
        while !frontier.is_empty() && depth < s.max && !dist.contains_key(&b) {
            depth += 1;
            let mut next = Vec::new();
            for &u in &frontier {
                for h in hops_in(rows, u, s.dir, &s.types) {
                    let (e, v) = (h.rel(), h.other());
                    self.tick()?;
                    if !self.rel_ok(e, &s.rel_props, row)? {
                        continue;
                    }
                    match dist.get(&v) {
                        Some(&d) if d == depth => parents.entry(v).or_default().push((u, e)),
                        Some(_) => {}
                        None => {
                            dist.insert(v, depth);
                            parents.entry(v).or_default().push((u, e));
                            next.push(v);
                        }
                    }
                }
            }
            frontier = next;
        }
        if !dist.contains_key(&b) || depth < s.min {
            return Ok(Vec::new());
        }
        // Walk the parents back from b.
        let mut out = Vec::new();
        let mut stack: Vec<(NodeIndex, Vec<NodeIndex>, Vec<EdgeIndex>)> =
            vec![(b, vec![b], Vec::new())];
        while let Some((v, nodes, rels)) = stack.pop() {
            self.tick()?;
            if v == a {
                let mut nodes = nodes;
                let mut rels = rels;
                nodes.reverse();
                rels.reverse();
                out.push(Path { nodes, rels });
                continue;
            }
            for &(u, e) in parents
                .get(&v)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .rev()
            {
                let mut n2 = nodes.clone();
                n2.push(u);
                let mut r2 = rels.clone();
                r2.push(e);
                stack.push((u, n2, r2));
            }
        }
        Ok(out)
    }
}

/// Joins the two halves of a bidirectional search that met at `v`.
pub(super) fn join_paths(
    v: NodeIndex,
    a: NodeIndex,
    b: NodeIndex,
    fwd: &FastMap<NodeIndex, (NodeIndex, EdgeIndex)>,
    bwd: &FastMap<NodeIndex, (NodeIndex, EdgeIndex)>,
) -> Path {
    let mut nodes = vec![v];
    let mut rels = Vec::new();
    let mut cur = v;
    while cur != a {
        let (p, e) = fwd[&cur];
        rels.push(e);
        nodes.push(p);
        cur = p;
    }
    nodes.reverse();
    rels.reverse();
    let mut cur = v;
    while cur != b {
        let (p, e) = bwd[&cur];
        rels.push(e);
        nodes.push(p);
        cur = p;
    }
    Path { nodes, rels }
}
