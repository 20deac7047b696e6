//! The plan's intermediate representation: what the planner produces and
//! the type check, the optimizer and the evaluator read. Expressions with
//! their names resolved and variables turned into row slots (`PExpr`), the
//! operator pipeline of a query (`Op`), and the steps of a `MATCH`.

use petgraph::graph::NodeIndex;

use super::ast::{BinaryOp, Quantifier, Span};
use super::functions::{self, AggKind, Function};
use super::procedures::Procedure;
use crate::model::{Adjacency, TypeId, Value};

/// A position in a row.
pub type Slot = usize;

/// A planned expression: names resolved, variables turned into slots.
#[derive(Debug, Clone)]
pub struct PExpr {
    pub kind: PKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum PKind {
    Const(Value),
    /// A parameter's value (a constant whose type the query does not know).
    Param(Value),
    Slot(Slot),
    Prop(Box<PExpr>, String),
    HasLabels(Box<PExpr>, Vec<String>),
    List(Vec<PExpr>),
    Map(Vec<(String, PExpr)>),
    Index(Box<PExpr>, Box<PExpr>),
    Slice(Box<PExpr>, Option<Box<PExpr>>, Option<Box<PExpr>>),
    Not(Box<PExpr>),
    Neg(Box<PExpr>),
    Binary(BinaryOp, Box<PExpr>, Box<PExpr>),
    IsNull(Box<PExpr>, bool),
    Call(&'static Function, Vec<PExpr>),
    Case {
        operand: Option<Box<PExpr>>,
        whens: Vec<(PExpr, PExpr)>,
        else_: Option<Box<PExpr>>,
    },
    /// `[x IN list WHERE pred | proj]`; `slot` holds `x`.
    ListComp {
        slot: Slot,
        list: Box<PExpr>,
        pred: Option<Box<PExpr>>,
        proj: Option<Box<PExpr>>,
    },
    Quantified {
        q: Quantifier,
        slot: Slot,
        list: Box<PExpr>,
        pred: Box<PExpr>,
    },
    /// A pattern predicate: true when the pattern matches at least once.
    Exists(Box<MatchPlan>),
    /// `EXISTS { ... }`: whether the subquery's pipeline, started from the
    /// current row, yields a row. `reads` are the outer slots it uses.
    Subquery {
        plan: Box<SinglePlan>,
        reads: Vec<Slot>,
    },
    /// `[(a)-->(b) WHERE pred | proj]`: the match carries the predicate.
    PatternComp {
        pattern: Box<MatchPlan>,
        proj: Box<PExpr>,
    },
}

impl PExpr {
    pub(crate) fn new(kind: PKind, span: Span) -> Self {
        PExpr { kind, span }
    }

    /// Every slot the expression reads, including inside nested patterns.
    pub fn slots(&self, out: &mut Vec<Slot>) {
        match &self.kind {
            PKind::Const(_) | PKind::Param(_) => {}
            PKind::Slot(s) => out.push(*s),
            PKind::Prop(e, _)
            | PKind::HasLabels(e, _)
            | PKind::Not(e)
            | PKind::Neg(e)
            | PKind::IsNull(e, _) => e.slots(out),
            PKind::List(items) | PKind::Call(_, items) => items.iter().for_each(|e| e.slots(out)),
            PKind::Map(items) => items.iter().for_each(|(_, e)| e.slots(out)),
            PKind::Index(a, b) | PKind::Binary(_, a, b) => {
                a.slots(out);
                b.slots(out);
            }
            PKind::Slice(a, b, c) => {
                a.slots(out);
                b.iter().chain(c).for_each(|e| e.slots(out));
            }
            PKind::Case {
                operand,
                whens,
                else_,
            } => {
                operand.iter().chain(else_).for_each(|e| e.slots(out));
                for (w, t) in whens {
                    w.slots(out);
                    t.slots(out);
                }
            }
            PKind::ListComp {
                list, pred, proj, ..
            } => {
                list.slots(out);
                pred.iter().chain(proj).for_each(|e| e.slots(out));
            }
            PKind::Quantified { list, pred, .. } => {
                list.slots(out);
                pred.slots(out);
            }
            PKind::Exists(m) => m.slots(out),
            PKind::Subquery { reads, .. } => out.extend(reads),
            PKind::PatternComp { pattern, proj } => {
                pattern.slots(out);
                proj.slots(out);
            }
        }
    }
}

/// A whole statement: one or more single queries joined by `UNION`.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    pub columns: Vec<String>,
    pub parts: Vec<SinglePlan>,
    /// `UNION` (true) rather than `UNION ALL`: duplicate rows are removed.
    pub distinct: bool,
}

/// One single query: a pipeline of operators over rows of `nslots` values.
#[derive(Debug, Clone)]
pub struct SinglePlan {
    pub nslots: usize,
    pub ops: Vec<Op>,
    /// The variable each slot holds, for `EXPLAIN` (empty: unnamed).
    pub names: Vec<String>,
    /// Planned over curated data, where node ids are unique (what
    /// `optimize` may rely on).
    pub curated: bool,
}

#[derive(Debug, Clone)]
pub enum Op {
    Match(MatchPlan),
    /// Binds `slot` to each element of the list (null: no row; a non-list
    /// value: one row).
    Unwind {
        expr: PExpr,
        slot: Slot,
    },
    Filter(PExpr),
    /// Computes each expression into its slot.
    Project(Vec<(PExpr, Slot)>),
    Aggregate(AggregatePlan),
    Distinct(Vec<Slot>),
    /// Sort keys, `true` for descending. Stable.
    Sort(Vec<(PExpr, bool)>),
    Skip(usize),
    Limit(usize),
    /// The final operator: the values of these slots make a result row.
    Emit(Vec<Slot>),
    /// `CALL`: runs the procedure on each row; each row it yields binds
    /// `outputs` (field index → slot). Inside a query, a procedure without
    /// outputs passes the row on once (`pass`); a standalone call of one
    /// answers no rows.
    Call {
        procedure: Box<Procedure>,
        args: Vec<PExpr>,
        outputs: Vec<(usize, Slot)>,
        pass: bool,
    },
}

#[derive(Debug, Clone)]
pub struct AggregatePlan {
    /// Grouping keys.
    pub keys: Vec<(PExpr, Slot)>,
    pub aggs: Vec<AggCall>,
    /// Items that mix aggregates and keys, computed per group afterwards.
    pub post: Vec<(PExpr, Slot)>,
    /// Set by `optimize` where it proved that no two input rows share a
    /// group: each row is its own group, aggregated alone and passed on at
    /// once, with no grouping table.
    pub per_row: bool,
}

#[derive(Debug, Clone)]
pub struct AggCall {
    pub kind: AggKind,
    pub distinct: bool,
    /// `None` for `count(*)`.
    pub arg: Option<PExpr>,
    /// The percentile of `percentileDisc` and `percentileCont`.
    pub arg2: Option<PExpr>,
    pub slot: Slot,
}

/// One `MATCH` (or a pattern inside an expression).
#[derive(Debug, Clone, Default)]
pub struct MatchPlan {
    pub optional: bool,
    /// Conjuncts that need nothing this match binds.
    pub pre: Vec<PExpr>,
    pub steps: Vec<Step>,
    pub paths: Vec<PathBuild>,
    /// Conjuncts that need a named path.
    pub post: Vec<PExpr>,
    /// Slots bound here, set to null when an optional match finds nothing.
    pub binds: Vec<Slot>,
    /// Set by `optimize` where it proved the rows of this match distinct
    /// in what a `DISTINCT` after it compared, and dropped that `DISTINCT`.
    pub distinct_rows: bool,
    /// Set by `optimize` for a match of every relation by type, whose
    /// nodes nothing reads (`MATCH ()-[r]->() RETURN type(r), count(*)`):
    /// one row per relation type with its number of relations, read from
    /// the graph's per-type totals instead of a walk over every node.
    pub type_totals: bool,
}

impl MatchPlan {
    /// Every slot the match reads or binds.
    pub fn slots(&self, out: &mut Vec<Slot>) {
        self.pre.iter().chain(&self.post).for_each(|e| e.slots(out));
        for step in &self.steps {
            step.filters.iter().for_each(|e| e.slots(out));
            match &step.kind {
                StepKind::Node(n) => {
                    out.push(n.slot);
                    n.check.slots(out);
                    if let NodeSource::Id(e) | NodeSource::Name(e) = &n.source {
                        e.slots(out);
                    }
                }
                StepKind::Expand(x) => {
                    out.extend([x.from, x.rel, x.to]);
                    x.rel_props.iter().for_each(|(_, e)| e.slots(out));
                    x.to_check.slots(out);
                }
                StepKind::Shortest(s) => {
                    out.extend([s.from, s.to]);
                    s.rel_props.iter().for_each(|(_, e)| e.slots(out));
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    /// Conjuncts whose variables are all bound once this step has run.
    pub filters: Vec<PExpr>,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    Node(NodeStep),
    Expand(Expand),
    Shortest(Shortest),
}

/// Binds a node (from `source`) or checks an already bound one.
#[derive(Debug, Clone)]
pub struct NodeStep {
    pub slot: Slot,
    pub source: NodeSource,
    pub check: NodeCheck,
    /// Set by `optimize` where the step's first filter is a string test of
    /// the node's name against a constant (`n.name CONTAINS 'ano'`): a scan
    /// passes over a node whose name (a string) fails it without binding
    /// it. A node whose name is not a string goes through the filters.
    pub name_test: Option<(BinaryOp, String)>,
}

#[derive(Debug, Clone)]
pub enum NodeSource {
    /// The slot is bound already: only check it.
    Bound,
    Entity(NodeIndex),
    /// The node whose id is the value (curated data).
    Id(PExpr),
    /// The nodes whose name key is the value's (then checked exactly).
    Name(PExpr),
    Label(String),
    All,
}

/// What a node must satisfy.
#[derive(Debug, Clone, Default)]
pub struct NodeCheck {
    pub labels: Vec<String>,
    /// `labels` as `model::Adjacency` label bits, when they all have one.
    pub label_mask: Option<u64>,
    pub props: Vec<(String, PExpr)>,
    pub entity: Option<NodeIndex>,
}

impl NodeCheck {
    /// Whether every node passes.
    pub fn is_empty(&self) -> bool {
        self.entity.is_none() && self.labels.is_empty() && self.props.is_empty()
    }

    fn slots(&self, out: &mut Vec<Slot>) {
        self.props.iter().for_each(|(_, e)| e.slots(out));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Out,
    In,
    Both,
}

impl Dir {
    pub fn flip(self) -> Dir {
        match self {
            Dir::Out => Dir::In,
            Dir::In => Dir::Out,
            Dir::Both => Dir::Both,
        }
    }
}

/// Which relation types an expansion follows.
#[derive(Debug, Clone, Default)]
pub struct TypeFilter {
    /// `None`: any type.
    pub types: Option<Vec<String>>,
    /// Types that are symmetric in the schema: a directed pattern matches
    /// them either way round.
    pub symmetric: Vec<String>,
    /// The same by the graph's type numbers (`model::Adjacency`), so that
    /// walking adjacency compares no strings: bit 0 set when the type
    /// matches, bit 1 when it is also symmetric. `None`: any type.
    pub mask: Option<Vec<u8>>,
}

impl TypeFilter {
    pub fn new(types: Option<Vec<String>>, symmetric: Vec<String>, adj: &Adjacency) -> Self {
        let mask = types.as_ref().map(|ts| {
            let mut m = vec![0u8; adj.type_names().len()];
            for t in ts {
                if let Some(id) = adj.type_id(t) {
                    m[id as usize] = if symmetric.contains(t) { 3 } else { 1 };
                }
            }
            m
        });
        TypeFilter {
            types,
            symmetric,
            mask,
        }
    }

    pub fn matches(&self, t: &str) -> bool {
        self.types
            .as_ref()
            .is_none_or(|ts| ts.iter().any(|x| x == t))
    }

    pub fn is_symmetric(&self, t: &str) -> bool {
        !self.symmetric.is_empty() && self.symmetric.iter().any(|x| x == t)
    }

    #[inline]
    pub fn matches_id(&self, t: TypeId) -> bool {
        self.mask
            .as_ref()
            .is_none_or(|m| m.get(t as usize).is_some_and(|b| b & 1 != 0))
    }

    #[inline]
    pub fn symmetric_id(&self, t: TypeId) -> bool {
        self.mask
            .as_ref()
            .is_some_and(|m| m.get(t as usize).is_some_and(|b| b & 2 != 0))
    }
}

/// From a bound node, along one relation (or a variable-length chain of
/// them), to a node.
#[derive(Debug, Clone)]
pub struct Expand {
    pub from: Slot,
    pub rel: Slot,
    pub rel_bound: bool,
    pub to: Slot,
    pub to_bound: bool,
    pub dir: Dir,
    pub types: TypeFilter,
    pub rel_props: Vec<(String, PExpr)>,
    pub to_check: NodeCheck,
    /// `Some((min, max))` for a variable-length relation: `rel` gets the
    /// list of relations.
    pub var_len: Option<(u32, u32)>,
    /// Expanding against the written direction of the pattern: the list of
    /// a variable-length relation is reversed to keep the written order.
    pub reversed: bool,
    /// What the step yields; anything but `Ends::Each` is set by
    /// `optimize`, which proves the rest of the query cannot tell.
    pub ends: Ends,
}

/// What an expansion yields for each row it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ends {
    /// A row per match (per relation, or per walk of a variable-length one).
    #[default]
    Each,
    /// A row per distinct node at the far end; `rel` is left unbound.
    Distinct,
    /// One row with `rel` set to the number of matches (none when zero);
    /// with `Some(slot)`, one row per relation type instead, with the type
    /// in `slot`. `to` is left unbound.
    Count(Option<Slot>),
}

/// `shortestPath` / `allShortestPaths` between two bound nodes.
#[derive(Debug, Clone)]
pub struct Shortest {
    pub from: Slot,
    pub to: Slot,
    pub all: bool,
    pub dir: Dir,
    pub types: TypeFilter,
    pub rel_props: Vec<(String, PExpr)>,
    pub rel: Option<Slot>,
    pub path: Option<Slot>,
    pub min: u32,
    pub max: u32,
}

/// A named path, built from its start node and its relation slots (a
/// relation or a list of them each).
#[derive(Debug, Clone)]
pub struct PathBuild {
    pub slot: Slot,
    pub start: Slot,
    pub hops: Vec<Slot>,
}

/// Whether an expression calls a function whose value changes from call
/// to call (`rand()`).
pub(crate) fn calls_random(e: &PExpr) -> bool {
    match &e.kind {
        PKind::Call(f, args) => functions::is_random(f) || args.iter().any(calls_random),
        PKind::Const(_) | PKind::Param(_) | PKind::Slot(_) => false,
        PKind::Prop(x, _)
        | PKind::HasLabels(x, _)
        | PKind::Not(x)
        | PKind::Neg(x)
        | PKind::IsNull(x, _) => calls_random(x),
        PKind::List(items) => items.iter().any(calls_random),
        PKind::Map(items) => items.iter().any(|(_, x)| calls_random(x)),
        PKind::Index(a, b) | PKind::Binary(_, a, b) => calls_random(a) || calls_random(b),
        PKind::Slice(a, b, c) => calls_random(a) || b.iter().chain(c).any(|x| calls_random(x)),
        PKind::Case {
            operand,
            whens,
            else_,
        } => {
            operand.iter().chain(else_).any(|x| calls_random(x))
                || whens
                    .iter()
                    .any(|(w, t)| calls_random(w) || calls_random(t))
        }
        PKind::ListComp {
            list, pred, proj, ..
        } => calls_random(list) || pred.iter().chain(proj).any(|x| calls_random(x)),
        PKind::Quantified { list, pred, .. } => calls_random(list) || calls_random(pred),
        PKind::Exists(_) | PKind::Subquery { .. } => false,
        PKind::PatternComp { proj, .. } => calls_random(proj),
    }
}
