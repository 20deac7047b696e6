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

mod expand;
mod shortest;
mod varlen;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::super::ast::BinaryOp;
use super::super::error::QueryError;
use super::super::ir::{
    Dir, Ends, Expand, MatchPlan, NodeCheck, NodeSource, NodeStep, PExpr, PathBuild, Shortest,
    StepKind, TypeFilter,
};
use super::ops::{self, type_error};
use super::{Exec, Flow};
use crate::model::fxhash::{FastMap, FastSet};
use crate::model::{Graph, Hop, Path, TypeId, Value, names};

pub(crate) use expand::{hops, hops_in};

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
            if !self.filter(f, row)? {
                return Ok(Flow::Continue);
            }
        }
        if m.type_totals {
            return self.type_totals(m, row, sink);
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
            if !self.filter(f, row)? {
                return Ok(Flow::Continue);
            }
        }
        if self.prof.is_some() {
            self.count_step(m, i);
        }
        self.step(m, i + 1, row, used, sink)
    }

    /// `PROFILE`: a row passed step `i` of `m` (when `m` is an operator of
    /// the pipeline, not a pattern inside an expression).
    fn count_step(&mut self, m: &MatchPlan, i: usize) {
        let Some(op) = super::super::plan::explain::match_op(self.plan, m) else {
            return;
        };
        if let Some(n) = self
            .prof
            .as_mut()
            .and_then(|p| p.get_mut(op))
            .and_then(|c| c.steps.get_mut(i))
        {
            *n += 1;
        }
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
            if !self.filter(f, row)? {
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
        if let Some((op, text)) = &n.name_test {
            return self.scan_names(m, i, n, (*op, text), nodes, row, used, sink);
        }
        for ix in nodes {
            if self.try_node(m, i, n, ix, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `NodeStep::name_test`: a scan that passes over the nodes whose name
    /// (from `Adjacency`'s name buffer) fails the test, each still counted
    /// as work.
    #[allow(clippy::too_many_arguments)]
    fn scan_names(
        &mut self,
        m: &MatchPlan,
        i: usize,
        n: &NodeStep,
        (op, text): (BinaryOp, &str),
        nodes: impl Iterator<Item = NodeIndex>,
        row: &mut [Value],
        used: &mut Used,
        sink: &mut Sink,
    ) -> Result<Flow, QueryError> {
        let adj = self.graph.adjacency();
        let needle = text.as_bytes();
        let finder = memchr::memmem::Finder::new(needle);
        // Names are tested as bytes, their columns found once. For
        // `CONTAINS` over a good share of the names, one search over the
        // whole buffer replaces a search per name.
        let view = adj.name_view();
        let mut places = match view {
            Some(v) if op == BinaryOp::Contains && nodes.size_hint().0 * 8 >= v.nodes() => {
                v.places(needle, v.nodes())
            }
            _ => None,
        };
        // A name and, from the view, where it lies in the buffer (`places`
        // is only made from the view).
        let mut name_fails = |name: &[u8], range: Option<std::ops::Range<usize>>| match op {
            BinaryOp::StartsWith => !name.starts_with(needle),
            BinaryOp::EndsWith => !name.ends_with(needle),
            _ => match (&mut places, range) {
                (Some(p), Some(range)) => !p.within(range),
                _ => finder.find(name).is_none(),
            },
        };
        let mut fails = |ix: NodeIndex| match view {
            Some(v) => v
                .name(ix)
                .is_some_and(|(range, name)| name_fails(name, Some(range))),
            None => adj
                .name(ix)
                .is_some_and(|name| name_fails(name.as_bytes(), None)),
        };
        let mut skipped = 0;
        for ix in nodes {
            if fails(ix) {
                skipped += 1;
                if skipped == 1024 {
                    self.tick_many(skipped)?;
                    skipped = 0;
                }
                continue;
            }
            if self.try_node(m, i, n, ix, row, used, sink)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        self.tick_many(skipped)?;
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
        Value::Path(Box::new(path))
    }
}
