//! `EXPLAIN`: a planned query as lines a person can read. One line per
//! operator of the pipeline and, under each `MATCH`, one per step: where
//! the match starts and why (an entity named in the query, the id or name
//! index, the smallest label, or every node), the checks and `WHERE`
//! conjuncts pushed down to each step, and the rewrites of
//! `query::optimize` that applied. `PROFILE` adds the counters of a run to
//! the same lines (`eval::profile`).

use super::super::ast::BinaryOp;
use super::super::functions::AggKind;
use super::super::ir::{
    Dir, Ends, Expand, MatchPlan, NodeCheck, NodeSource, Op, PExpr, PKind, QueryPlan, Shortest,
    SinglePlan, Slot, StepKind, TypeFilter,
};
use crate::model::Graph;

/// One line of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLine {
    /// The part of a `UNION` (0 for the first or only one).
    pub part: usize,
    /// The operator's place in its part's pipeline.
    pub op: usize,
    /// `None` for the operator itself, `Some(i)` for step `i` of a `MATCH`.
    pub step: Option<usize>,
    pub operator: String,
    pub detail: String,
}

impl PlanLine {
    /// The line's number as shown: `2` for an operator, `2.1` for the first
    /// step of its match, and `u1:2` in the second part of a `UNION`.
    pub fn number(&self) -> String {
        let part = if self.part == 0 {
            String::new()
        } else {
            format!("u{}:", self.part)
        };
        match self.step {
            None => format!("{part}{}", self.op + 1),
            Some(s) => format!("{part}{}.{}", self.op + 1, s + 1),
        }
    }
}

/// The lines of a planned query. `text` is the text its spans point into.
pub fn describe(graph: &Graph, plan: &QueryPlan, text: &str) -> Vec<PlanLine> {
    let mut out = Vec::new();
    for (pi, part) in plan.parts.iter().enumerate() {
        let d = Describer { graph, part, text };
        for (oi, op) in part.ops.iter().enumerate() {
            let mut line = |step: Option<usize>, operator: &str, detail: String| {
                out.push(PlanLine {
                    part: pi,
                    op: oi,
                    step,
                    operator: operator.to_string(),
                    detail,
                })
            };
            match op {
                Op::Match(m) => {
                    let head = if m.optional { "OptionalMatch" } else { "Match" };
                    let mut detail = format!(
                        "{} step{}",
                        m.steps.len(),
                        if m.steps.len() == 1 { "" } else { "s" }
                    );
                    if !m.pre.is_empty() {
                        detail += &format!("; filters before matching: {}", d.exprs(&m.pre));
                    }
                    if !m.post.is_empty() {
                        detail += &format!("; filters on the paths: {}", d.exprs(&m.post));
                    }
                    if m.type_totals {
                        detail += "; rewrite: the totals per relation type are read from the graph's counts, no node is walked";
                    }
                    if m.distinct_rows {
                        detail += "; rewrite: its rows are distinct already (one start, each far node once, unique ids), so the DISTINCT after it goes";
                    }
                    line(None, head, detail);
                    for (si, step) in m.steps.iter().enumerate() {
                        let (operator, mut detail) = d.step(&step.kind);
                        if !step.filters.is_empty() {
                            detail += &format!("; filters: {}", d.exprs(&step.filters));
                        }
                        line(Some(si), &operator, detail);
                    }
                }
                Op::Unwind { expr, slot } => line(
                    None,
                    "Unwind",
                    format!("{} AS {}", d.expr(expr), d.var(*slot)),
                ),
                Op::Filter(e) => line(None, "Filter", d.expr(e)),
                Op::Project(items) => line(None, "Project", d.items(items)),
                Op::Aggregate(a) => {
                    let mut parts = Vec::new();
                    if !a.keys.is_empty() {
                        parts.push(format!("by {}", d.items(&a.keys)));
                    }
                    let aggs: Vec<String> = a
                        .aggs
                        .iter()
                        .map(|c| {
                            let arg = c.arg.as_ref().map_or("*".to_string(), |e| d.expr(e));
                            let distinct = if c.distinct { "DISTINCT " } else { "" };
                            format!("{}({distinct}{arg}) AS {}", agg_name(c.kind), d.var(c.slot))
                        })
                        .collect();
                    if !aggs.is_empty() {
                        parts.push(aggs.join(", "));
                    }
                    if !a.post.is_empty() {
                        parts.push(format!("then {}", d.items(&a.post)));
                    }
                    if a.per_row {
                        parts.push("rewrite: each row is a group of its own (one row per node, keyed by it), so nothing is grouped".to_string());
                    }
                    line(None, "Aggregate", parts.join("; "))
                }
                Op::Distinct(slots) => line(None, "Distinct", d.vars(slots)),
                Op::Sort(keys) => {
                    let mut detail = keys
                        .iter()
                        .map(|(e, desc)| {
                            format!("{}{}", d.expr(e), if *desc { " DESC" } else { "" })
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    match part.ops.get(oi + 1..) {
                        Some([Op::Limit(n), ..]) => detail += &format!("; keeps the top {n}"),
                        Some([Op::Skip(s), Op::Limit(n), ..]) => {
                            detail += &format!("; keeps the top {}", s.saturating_add(*n))
                        }
                        _ => {}
                    }
                    line(None, "Sort", detail)
                }
                Op::Skip(n) => line(None, "Skip", n.to_string()),
                Op::Limit(n) => line(None, "Limit", n.to_string()),
                Op::Emit(slots) => {
                    let cols = plan
                        .columns
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let _ = slots;
                    line(None, "Return", cols)
                }
                Op::Call {
                    procedure, outputs, ..
                } => {
                    let mut detail = procedure.signature.name.to_string();
                    if !outputs.is_empty() {
                        let slots: Vec<Slot> = outputs.iter().map(|(_, s)| *s).collect();
                        detail += &format!(" YIELD {}", d.vars(&slots));
                    }
                    line(None, "Call", detail)
                }
            }
        }
    }
    out
}

fn agg_name(k: AggKind) -> &'static str {
    match k {
        AggKind::Count => "count",
        AggKind::Collect => "collect",
        AggKind::Sum => "sum",
        AggKind::Avg => "avg",
        AggKind::Min => "min",
        AggKind::Max => "max",
        AggKind::StDev => "stDev",
        AggKind::StDevP => "stDevP",
        AggKind::PercentileDisc => "percentileDisc",
        AggKind::PercentileCont => "percentileCont",
    }
}

struct Describer<'a> {
    graph: &'a Graph,
    part: &'a SinglePlan,
    text: &'a str,
}

impl Describer<'_> {
    /// A slot as the query names it (`_3` for an unnamed one).
    fn var(&self, slot: Slot) -> String {
        match self.part.names.get(slot) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("_{slot}"),
        }
    }

    /// A slot's name in a pattern (empty for an unnamed one).
    fn named(&self, slot: Slot) -> String {
        self.part.names.get(slot).cloned().unwrap_or_default()
    }

    fn vars(&self, slots: &[Slot]) -> String {
        slots
            .iter()
            .map(|s| self.var(*s))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn items(&self, items: &[(PExpr, Slot)]) -> String {
        items
            .iter()
            .map(|(e, s)| {
                let (e, v) = (self.expr(e), self.var(*s));
                if e == v { e } else { format!("{e} AS {v}") }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn exprs(&self, es: &[PExpr]) -> String {
        es.iter()
            .map(|e| self.expr(e))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// An expression: variables, properties and comparisons spelled out,
    /// anything else as the query wrote it.
    fn expr(&self, e: &PExpr) -> String {
        match &e.kind {
            PKind::Slot(s) => self.var(*s),
            PKind::Prop(base, key) => format!("{}.{key}", self.expr(base)),
            PKind::Const(v) | PKind::Param(v) if self.written(e).is_empty() => v.to_string(),
            PKind::Binary(op, a, b) if binary(*op).is_some() => format!(
                "{} {} {}",
                self.expr(a),
                binary(*op).unwrap_or("?"),
                self.expr(b)
            ),
            _ => {
                let w = self.written(e);
                if w.is_empty() { "…".to_string() } else { w }
            }
        }
    }

    fn written(&self, e: &PExpr) -> String {
        self.text
            .get(e.span.range())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    fn check(&self, c: &NodeCheck) -> Vec<String> {
        let mut out = Vec::new();
        if c.entity.is_some() {
            out.push("is the named entity".to_string());
        }
        if !c.labels.is_empty() {
            out.push(c.labels.iter().map(|l| format!(":{l}")).collect());
        }
        if !c.props.is_empty() {
            let props: Vec<String> = c
                .props
                .iter()
                .map(|(k, e)| format!("{k}: {}", self.expr(e)))
                .collect();
            out.push(format!("{{{}}}", props.join(", ")));
        }
        out
    }

    fn step(&self, kind: &StepKind) -> (String, String) {
        match kind {
            StepKind::Node(n) => {
                let v = self.var(n.slot);
                let (op, mut detail) = match &n.source {
                    NodeSource::Bound => ("Check", format!("`{v}`, bound before")),
                    NodeSource::Entity(ix) => (
                        "NodeByEntity",
                        format!(
                            "start at `{v}` = the entity `{}`, found while planning",
                            self.graph.node(*ix).id
                        ),
                    ),
                    NodeSource::Id(e) => (
                        "NodeById",
                        format!("start at `{v}` by the id index: {v}.id = {}", self.expr(e)),
                    ),
                    NodeSource::Name(e) => (
                        "NodeByName",
                        format!(
                            "start at `{v}` by the name index: {v}.name = {}",
                            self.expr(e)
                        ),
                    ),
                    NodeSource::Label(l) => (
                        "NodeByLabelScan",
                        format!(
                            "start at `{v}`: the {} nodes labelled :{l} (the fewest; no id or name to look up)",
                            self.graph.by_label(l).len()
                        ),
                    ),
                    NodeSource::All => (
                        "AllNodesScan",
                        format!(
                            "start at `{v}`: all {} nodes (no label, id or name to narrow it)",
                            self.graph.node_count()
                        ),
                    ),
                };
                let checks = self.check(&n.check);
                if !checks.is_empty() {
                    detail += &format!("; checks {}", checks.join(" "));
                }
                if n.name_test.is_some() {
                    detail += "; rewrite: a node whose name fails the first filter is passed over, read from the column of names";
                }
                (op.to_string(), detail)
            }
            StepKind::Expand(x) => self.expand(x),
            StepKind::Shortest(s) => self.shortest(s),
        }
    }

    fn rel_text(&self, name: String, types: &TypeFilter, range: Option<(u32, u32)>) -> String {
        let mut r = name;
        if let Some(ts) = &types.types {
            r += &format!(":{}", ts.join("|"));
        }
        if let Some((lo, hi)) = range {
            r += &format!("*{lo}..{hi}");
        }
        r
    }

    fn arrow(&self, from: String, rel: String, to: String, dir: Dir) -> String {
        match dir {
            Dir::Out => format!("({from})-[{rel}]->({to})"),
            Dir::In => format!("({from})<-[{rel}]-({to})"),
            Dir::Both => format!("({from})-[{rel}]-({to})"),
        }
    }

    fn expand(&self, x: &Expand) -> (String, String) {
        let rel_name = match x.ends {
            Ends::Each => self.named(x.rel),
            _ => String::new(),
        };
        let to = match x.ends {
            Ends::Count(_) => String::new(),
            _ => self.named(x.to),
        };
        let rel = self.rel_text(rel_name, &x.types, x.var_len);
        let mut detail = self.arrow(self.named(x.from), rel, to, x.dir);
        let op = match (x.ends, x.var_len.is_some()) {
            (Ends::Each, false) => "Expand",
            (Ends::Each, true) => "VarLengthExpand",
            (Ends::Distinct, true) => {
                detail += "; rewrite: each node within reach once (one breadth-first search, not every walk)";
                "ReachDistinct"
            }
            (Ends::Distinct, false) => {
                detail += "; rewrite: each neighbour once";
                "ExpandDistinct"
            }
            (Ends::Count(by_type), _) => {
                detail += &format!(
                    "; rewrite: counts the relations{} into `{}` instead of a row for each",
                    if by_type.is_some() { " per type" } else { "" },
                    self.var(x.rel)
                );
                "ExpandCount"
            }
        };
        if x.rel_bound {
            detail += &format!("; `{}` bound before", self.var(x.rel));
        }
        if x.to_bound {
            detail += &format!("; `{}` bound before", self.var(x.to));
        }
        if !x.rel_props.is_empty() {
            let props: Vec<String> = x
                .rel_props
                .iter()
                .map(|(k, e)| format!("{k}: {}", self.expr(e)))
                .collect();
            detail += &format!("; relation checks {{{}}}", props.join(", "));
        }
        let checks = self.check(&x.to_check);
        if !checks.is_empty() {
            detail += &format!("; checks {}", checks.join(" "));
        }
        (op.to_string(), detail)
    }

    fn shortest(&self, s: &Shortest) -> (String, String) {
        let rel = self.rel_text(
            s.rel.map(|r| self.named(r)).unwrap_or_default(),
            &s.types,
            Some((s.min, s.max)),
        );
        let mut detail = self.arrow(self.named(s.from), rel, self.named(s.to), s.dir);
        if let Some(p) = s.path {
            detail = format!("{} = {detail}", self.var(p));
        }
        detail += "; breadth-first search from both ends";
        let op = if s.all {
            "AllShortestPaths"
        } else {
            "ShortestPath"
        };
        (op.to_string(), detail)
    }
}

/// The comparisons EXPLAIN writes in its own words (the rest as an
/// expression).
fn binary(op: BinaryOp) -> Option<&'static str> {
    use BinaryOp::*;
    matches!(
        op,
        Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains | In
    )
    .then(|| op.symbol())
}

/// Whether a match is one operator of `part` (rather than a pattern inside
/// an expression), and which.
pub fn match_op(part: &SinglePlan, m: &MatchPlan) -> Option<usize> {
    part.ops
        .iter()
        .position(|op| matches!(op, Op::Match(x) if std::ptr::eq(x, m)))
}
