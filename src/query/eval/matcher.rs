//! Pattern matching: runs the steps of a `MatchPlan` depth-first over the
//! graph's adjacency lists.
//!
//! Relationship uniqueness (openCypher's "relationship isomorphism"): one
//! match never binds the same relation twice, also across the relations of
//! a variable-length segment; `used` holds the relations bound so far.
//!
//! Over curated data a directed pattern on a `symmetric` relation type
//! (`met_with`, ...) matches either way round: who is the subject of "met
//! with" is an accident of how a claim was written down. This deviates from
//! openCypher on purpose; graphs without a schema match exactly.

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::super::error::QueryError;
use super::super::ir::{
    Dir, Ends, Expand, MatchPlan, NodeCheck, NodeSource, NodeStep, PExpr, PathBuild, Shortest,
    StepKind, TypeFilter,
};
use super::ops::{self, type_error};
use super::{Exec, Flow};
use crate::model::fxhash::{FastMap, FastSet};
use crate::model::{Graph, Hop, Path, TypeId, Value, names};

/// Where the matches of a pattern go.
pub(crate) enum Sink<'p> {
    /// Into the pipeline, at this operator.
    Next { op: usize, emitted: bool },
    /// A pattern predicate: stop at the first match.
    Exists(bool),
    /// A pattern comprehension: one value per match.
    Collect { proj: &'p PExpr, out: Vec<Value> },
}

type Used = Vec<EdgeIndex>;

impl Exec<'_> {
    /// Runs a `MATCH` for one incoming row, pushing every match to `next`;
    /// an optional match with no match pushes the row with its variables
    /// null.
    pub(crate) fn run_match(
        &mut self,
        m: &MatchPlan,
        next: usize,
        row: &mut [Value],
    ) -> Result<Flow, QueryError> {
        let mut sink = Sink::Next {
            op: next,
            emitted: false,
        };
        let flow = self.match_from(m, row, &mut sink)?;
        if m.optional && matches!(sink, Sink::Next { emitted: false, .. }) {
            for s in &m.binds {
                row[*s] = Value::Null;
            }
            return self.push(next, row);
        }
        Ok(flow)
    }

    pub(crate) fn match_from(
        &mut self,
        m: &MatchPlan,
        row: &mut [Value],
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        for f in &m.pre {
            if !self.test(f, row)? {
                return Ok(Flow::Continue);
            }
        }
        let mut used = Vec::new();
        self.step(m, 0, row, &mut used, sink)
    }

    fn step(
        &mut self,
        m: &MatchPlan,
        i: usize,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let Some(step) = m.steps.get(i) else {
            return self.complete(m, row, sink);
        };
        match &step.kind {
            StepKind::Node(n) => self.node_step(m, i, n, row, used, sink),
            StepKind::Expand(x) if x.var_len.is_some() && x.rel_bound => {
                self.expand_list(m, i, x, row, used, sink)
            }
            StepKind::Expand(x) if x.var_len.is_some() && x.ends == Ends::Each => {
                let Some(from) = self.node_at(row, x.from)? else {
                    return Ok(Flow::Continue);
                };
                let mut trail = Vec::new();
                self.var_dfs(m, i, x, from, 0, &mut trail, row, used, sink)
            }
            StepKind::Expand(x) => match x.ends {
                Ends::Each => self.expand(m, i, x, row, used, sink),
                Ends::Distinct if x.var_len.is_some() => self.reach(m, i, x, row, used, sink),
                Ends::Distinct => self.expand_distinct(m, i, x, row, used, sink),
                Ends::Count(by_type) => self.expand_count(m, i, x, by_type, row, used, sink),
            },
            StepKind::Shortest(s) => self.shortest(m, i, s, row, used, sink),
        }
    }

    /// Step `i` has bound its variables: apply its filters, go on.
    fn bound(
        &mut self,
        m: &MatchPlan,
        i: usize,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        for f in &m.steps[i].filters {
            if !self.test(f, row)? {
                return Ok(Flow::Continue);
            }
        }
        self.step(m, i + 1, row, used, sink)
    }

    fn complete(
        &mut self,
        m: &MatchPlan,
        row: &mut [Value],
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        for p in &m.paths {
            row[p.slot] = self.build_path(p, row);
        }
        for f in &m.post {
            if !self.test(f, row)? {
                return Ok(Flow::Continue);
            }
        }
        match sink {
            Sink::Next { op, emitted } => {
                *emitted = true;
                let op = *op;
                self.push(op, row)
            }
            Sink::Exists(found) => {
                *found = true;
                Ok(Flow::Stop)
            }
            Sink::Collect { proj, out } => {
                let v = self.eval(proj, row)?;
                out.push(v);
                Ok(Flow::Continue)
            }
        }
    }

    fn node_at(&self, row: &[Value], slot: usize) -> Result<Option<NodeIndex>, QueryError> {
        match &row[slot] {
            Value::Node(ix) => Ok(Some(*ix)),
            Value::Null => Ok(None),
            v => Err(type_error(
                format!("expected a node, got {}", v.type_name()),
                Default::default(),
            )),
        }
    }

    fn node_step(
        &mut self,
        m: &MatchPlan,
        i: usize,
        n: &NodeStep,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let g = self.graph;
        match &n.source {
            NodeSource::Bound => {
                let Some(ix) = self.node_at(row, n.slot)? else {
                    return Ok(Flow::Continue);
                };
                if self.node_ok(ix, &n.check, row)? {
                    return self.bound(m, i, row, used, sink);
                }
                Ok(Flow::Continue)
            }
            NodeSource::Entity(ix) => self.try_node(m, i, n, *ix, row, used, sink),
            NodeSource::Id(e) => match self.eval(e, row)? {
                Value::Str(s) => match g.by_id(&s) {
                    Some(ix) => self.try_node(m, i, n, ix, row, used, sink),
                    None => Ok(Flow::Continue),
                },
                _ => Ok(Flow::Continue),
            },
            NodeSource::Name(e) => match self.eval(e, row)? {
                Value::Str(s) if !names::normalize(&s).is_empty() => {
                    for &ix in g.by_name(&s) {
                        if self.try_node(m, i, n, ix, row, used, sink)? == Flow::Stop {
                            return Ok(Flow::Stop);
                        }
                    }
                    Ok(Flow::Continue)
                }
                // Not indexed: look at every node.
                _ => self.scan(m, i, n, g.nodes(), row, used, sink),
            },
            NodeSource::Label(l) => {
                self.scan(m, i, n, g.by_label(l).iter().copied(), row, used, sink)
            }
            NodeSource::All => self.scan(m, i, n, g.nodes(), row, used, sink),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scan(
        &mut self,
        m: &MatchPlan,
        i: usize,
        n: &NodeStep,
        nodes: impl Iterator<Item = NodeIndex>,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        for ix in nodes {
            if self.try_node(m, i, n, ix, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    #[allow(clippy::too_many_arguments)]
    fn try_node(
        &mut self,
        m: &MatchPlan,
        i: usize,
        n: &NodeStep,
        ix: NodeIndex,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        self.tick()?;
        if !self.node_ok(ix, &n.check, row)? {
            return Ok(Flow::Continue);
        }
        row[n.slot] = Value::Node(ix);
        self.bound(m, i, row, used, sink)
    }

    fn node_ok(
        &mut self,
        ix: NodeIndex,
        check: &NodeCheck,
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        if check.is_empty() {
            return Ok(true);
        }
        if check.entity.is_some_and(|e| e != ix) {
            return Ok(false);
        }
        match check.label_mask {
            // From the bits: spare the node's memory a visit.
            Some(m) => {
                if self.graph.adjacency().label_bits(ix) & m != m {
                    return Ok(false);
                }
            }
            None if check.labels.is_empty() => {}
            None => {
                let node = self.graph.node(ix);
                if !check.labels.iter().all(|l| node.labels.contains(l)) {
                    return Ok(false);
                }
            }
        }
        self.props_match(&Value::Node(ix), &check.props, row)
    }

    fn rel_ok(
        &mut self,
        e: EdgeIndex,
        props: &[(String, PExpr)],
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        self.props_match(&Value::Rel(e), props, row)
    }

    /// Whether a node's or relation's properties equal a pattern's map.
    fn props_match(
        &mut self,
        v: &Value,
        props: &[(String, PExpr)],
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        for (k, e) in props {
            let want = self.eval(e, row)?;
            let have = self.property(v, k, e.span)?;
            if ops::equals(&have, &want) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn reaches(
        &mut self,
        x: &Expand,
        node: NodeIndex,
        row: &mut [Value],
    ) -> Result<bool, QueryError> {
        if x.to_bound && row[x.to] != Value::Node(node) {
            return Ok(false);
        }
        self.node_ok(node, &x.to_check, row)
    }

    fn expand(
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
            all = hops(self.graph, from, x.dir, &x.types).map(|h| (h.rel, h.other));
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
    fn expand_count(
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
        if used.is_empty() && x.rel_props.is_empty() && x.to_check.is_empty() {
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
        } else {
            for h in hops {
                self.tick()?;
                if used.contains(&h.rel)
                    || !self.rel_ok(h.rel, &x.rel_props, row)?
                    || !self.reaches(x, h.other, row)?
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
                row[slot] = Value::Str(names[ty as usize].clone());
            }
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `Ends::Distinct` for one hop: each neighbour once.
    fn expand_distinct(
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
        let mut seen =
            FastSet::with_capacity_and_hasher(hops.size_hint().1.unwrap_or(0), Default::default());
        for h in hops {
            self.tick()?;
            if seen.contains(&h.other)
                || used.contains(&h.rel)
                || !self.rel_ok(h.rel, &x.rel_props, row)?
                || !self.reaches(x, h.other, row)?
            {
                continue;
            }
            seen.insert(h.other);
            row[x.rel] = Value::Rel(h.rel);
            row[x.to] = Value::Node(h.other);
            used.push(h.rel);
            let flow = self.bound(m, i, row, used, sink);
            used.pop();
            if flow? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `Ends::Distinct` for a variable-length step of `0..max` or `1..max`
    /// hops: every node some walk reaches, once, by breadth-first search.
    /// A node other than the start is the end of such a walk exactly when
    /// its distance is within `1..=max` (a shortest walk repeats no
    /// relation); the start is the end of a walk of no hops, or of a
    /// closed one (`closed_walk`).
    fn reach(
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
        let mut dist: FastMap<NodeIndex, u32> = FastMap::from_iter([(start, 0)]);
        let mut order = Vec::new();
        let mut frontier = vec![start];
        let mut depth = 0;
        while depth < max && !frontier.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for &u in &frontier {
                for h in hops(self.graph, u, x.dir, &x.types) {
                    self.tick()?;
                    if dist.contains_key(&h.other)
                        || used.contains(&h.rel)
                        || !self.rel_ok(h.rel, &x.rel_props, row)?
                    {
                        continue;
                    }
                    dist.insert(h.other, depth);
                    next.push(h.other);
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

    /// Whether a walk of `1..=max` relations, none repeated and none in
    /// `used`, leads from `start` back to it. `dist` holds the distances
    /// the step's own search found from `start`.
    fn closed_walk(
        &mut self,
        x: &Expand,
        start: NodeIndex,
        max: u32,
        dist: &FastMap<NodeIndex, u32>,
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
            if used.contains(&h.rel) || !self.rel_ok(h.rel, &x.rel_props, row)? {
                continue;
            }
            if h.other == start || dist.get(&h.other).is_some_and(|d| *d < max) {
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
    fn closed_walk_undirected(
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
                    if Some(h.rel) == parent
                        || used.contains(&h.rel)
                        || !self.rel_ok(h.rel, &x.rel_props, row)?
                    {
                        continue;
                    }
                    if h.other == start {
                        if du < max {
                            return Ok(true);
                        }
                        continue;
                    }
                    match seen.get(&h.other) {
                        None => {
                            seen.insert(h.other, (du + 1, first.unwrap_or(h.rel), h.rel));
                            next.push(h.other);
                        }
                        Some(&(dv, fv, pv)) => {
                            if pv == h.rel {
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
    fn closed_dfs(
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
            if used.contains(&h.rel)
                || trail.contains(&h.rel)
                || !self.rel_ok(h.rel, &x.rel_props, row)?
            {
                continue;
            }
            if h.other == start {
                return Ok(true);
            }
            if left > 1 {
                trail.push(h.rel);
                let found = self.closed_dfs(x, start, h.other, left - 1, trail, used, row)?;
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
    fn expand_list(
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
    fn adjacent_one(
        &self,
        from: NodeIndex,
        e: EdgeIndex,
        dir: Dir,
        types: &TypeFilter,
    ) -> Option<(EdgeIndex, NodeIndex)> {
        let (s, t) = self.graph.endpoints(e);
        let ty = &self.graph.rel(e).rel_type;
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
    fn var_dfs(
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
            for Hop { rel: e, other, .. } in hops(self.graph, node, x.dir, &x.types) {
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

    fn build_path(&self, p: &PathBuild, row: &[Value]) -> Value {
        let Value::Node(start) = row[p.start] else {
            return Value::Null;
        };
        let mut path = Path {
            nodes: vec![start],
            rels: Vec::new(),
        };
        let walk = |e: EdgeIndex, path: &mut Path| {
            let cur = *path.nodes.last().expect("a path has a first node");
            let (s, t) = self.graph.endpoints(e);
            path.rels.push(e);
            path.nodes.push(if s == cur { t } else { s });
        };
        for h in &p.hops {
            match &row[*h] {
                Value::Rel(e) => walk(*e, &mut path),
                Value::List(rels) => {
                    for r in rels {
                        if let Value::Rel(e) = r {
                            walk(*e, &mut path);
                        }
                    }
                }
                _ => return Value::Null,
            }
        }
        Value::Path(path)
    }

    fn shortest(
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
                row[ps] = Value::Path(p);
            }
            if self.bound(m, i, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// One shortest path by bidirectional breadth-first search.
    fn one_shortest(
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
        let mut fwd: FastMap<NodeIndex, (NodeIndex, EdgeIndex)> = FastMap::default();
        let mut bwd: FastMap<NodeIndex, (NodeIndex, EdgeIndex)> = FastMap::default();
        let (mut ff, mut bf) = (vec![a], vec![b]);
        let mut depth = 0;
        while !ff.is_empty() && !bf.is_empty() && depth < s.max {
            depth += 1;
            let forward = ff.len() <= bf.len();
            let (frontier, dir, mine, root, theirs, their_root) = if forward {
                (&mut ff, s.dir, &mut fwd, a, &bwd, b)
            } else {
                (&mut bf, s.dir.flip(), &mut bwd, b, &fwd, a)
            };
            let mut next = Vec::new();
            let mut meet = None;
            'layer: for &u in frontier.iter() {
                for Hop {
                    rel: e, other: v, ..
                } in hops(self.graph, u, dir, &s.types)
                {
                    self.tick()?;
                    if v == root || mine.contains_key(&v) || !self.rel_ok(e, &s.rel_props, row)? {
                        continue;
                    }
                    mine.insert(v, (u, e));
                    if v == their_root || theirs.contains_key(&v) {
                        meet = Some(v);
                        break 'layer;
                    }
                    next.push(v);
                }
            }
            *frontier = next;
            if let Some(v) = meet {
                let path = join_paths(v, a, b, &fwd, &bwd);
                return Ok((path.rels.len() as u32 >= s.min).then_some(path));
            }
        }
        Ok(None)
    }

    /// Every shortest path, by breadth-first search keeping every parent.
    fn all_shortest(
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
        let mut depth = 0;
        while !frontier.is_empty() && depth < s.max && !dist.contains_key(&b) {
            depth += 1;
            let mut next = Vec::new();
            for &u in &frontier {
                for Hop {
                    rel: e, other: v, ..
                } in hops(self.graph, u, s.dir, &s.types)
                {
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
fn join_paths(
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

/// The relations of `from` a pattern step may follow, with the node at
/// their other end, in the order they were added: a merge of the node's
/// outgoing and incoming rows (`model::Adjacency`), without allocating.
pub(crate) fn hops<'g>(g: &'g Graph, from: NodeIndex, dir: Dir, types: &'g TypeFilter) -> Hops<'g> {
    let adj = g.adjacency();
    let (fwd, back) = match dir {
        Dir::Out | Dir::Both => (adj.outgoing(from), adj.incoming(from)),
        Dir::In => (adj.incoming(from), adj.outgoing(from)),
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

impl Iterator for Hops<'_> {
    type Item = Hop;

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.fwd.len() + self.back.len()))
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
                h.other != self.from
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
                (Some(f), Some(b)) => f.rel < b.rel,
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
                if h.other == self.from {
                    continue;
                }
                if self.types.matches_id(h.ty) && (self.both || self.types.symmetric_id(h.ty)) {
                    return Some(h);
                }
            }
        }
    }
}
