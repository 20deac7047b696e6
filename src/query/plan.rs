//! The planner: resolves a syntax tree against the graph and its schema and
//! turns it into a `QueryPlan` the evaluator runs.
//!
//! What happens here, so that evaluation never has to look a name up:
//! - labels, relation types and property keys are resolved. Over curated
//!   data (the graph has a schema) they match ignoring case and an unknown
//!   one is an error with a "did you mean"; over a graph built from a Cypher
//!   script openCypher's rules apply (exact spelling, unknown names match
//!   nothing);
//! - variables become slot numbers in a row (`Vec<Value>`); undefined,
//!   rebound and conflicting variables are rejected with openCypher's error
//!   codes, and so are misplaced aggregates and non-constant `SKIP`/`LIMIT`;
//! - entity references (`("Kim Jong Un")`) are resolved to one node;
//! - each `MATCH` gets an order of steps: it starts at its most selective
//!   node (a bound variable, an entity reference, an `id` or `name`
//!   equality, then the rarest label, and only then every node) and expands
//!   from there; `WHERE` conjuncts are pushed down to the first step after
//!   which all their variables are bound.
//!
//! A single query becomes a linear pipeline of `Op`s (match, unwind,
//! project, aggregate, distinct, sort, skip, limit, filter, emit) that the
//! evaluator runs row by row.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::NodeIndex;

use super::ast::{self, BinaryOp, Quantifier, Span, UnaryOp};
use super::error::{ErrorKind, QueryError};
use super::functions::{self, AggKind, Function};
use super::types::{self, Checker, Ty};
use crate::model::{Adjacency, Graph, Resolution, TypeId, Value, names};

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
    fn new(kind: PKind, span: Span) -> Self {
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
}

#[derive(Debug, Clone)]
pub struct AggregatePlan {
    /// Grouping keys.
    pub keys: Vec<(PExpr, Slot)>,
    pub aggs: Vec<AggCall>,
    /// Items that mix aggregates and keys, computed per group afterwards.
    pub post: Vec<(PExpr, Slot)>,
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

#[derive(Debug, Clone, Copy)]
struct Var {
    slot: Slot,
    ty: Ty,
}

/// Variables visible at a point of the query.
#[derive(Debug, Clone, Default)]
struct Scope {
    vars: HashMap<String, Var>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<Var> {
        self.vars.get(name).copied()
    }

    fn sorted_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.vars.keys().cloned().collect();
        v.sort();
        v
    }
}

/// How expressions are planned at a given place.
struct Cx {
    scope: Scope,
    /// Expressions already computed into a slot (projection items, for
    /// `ORDER BY` after aggregation or `DISTINCT`).
    subst: Vec<(ast::Expr, Slot)>,
    /// Collects aggregate calls where they are allowed.
    aggs: Option<Vec<AggCall>>,
    in_agg: bool,
    /// What to call the place in an error about a misplaced aggregate.
    place: &'static str,
}

impl Cx {
    fn new(scope: Scope, place: &'static str) -> Self {
        Cx {
            scope,
            subst: Vec::new(),
            aggs: None,
            in_agg: false,
            place,
        }
    }
}

/// Plans one query against a graph. `text` is the text the spans point
/// into (for column names); `max_hops` caps unbounded `*` over curated data.
pub fn plan_query(
    graph: &Graph,
    text: &str,
    query: &ast::Query,
    params: &BTreeMap<String, Value>,
    max_hops: u32,
) -> Result<QueryPlan, QueryError> {
    let mut planner = Planner::new(graph, text, params, max_hops);
    let (first, columns) = planner.single(&query.first)?;
    let mut parts = vec![first];
    let mut distinct = false;
    if let Some(u) = query.unions.first() {
        distinct = !u.all;
        for u in &query.unions {
            if u.all == distinct {
                return Err(QueryError::semantic(
                    "`UNION` and `UNION ALL` cannot be mixed in one query",
                    u.query.span,
                )
                .with_code("InvalidClauseComposition"));
            }
            let mut planner = Planner::new(graph, text, params, max_hops);
            let (plan, cols) = planner.single(&u.query)?;
            if cols != columns {
                return Err(QueryError::semantic(
                    format!(
                        "all parts of a `UNION` must return the same columns: `{}` against `{}`",
                        columns.join(", "),
                        cols.join(", ")
                    ),
                    u.query.span,
                )
                .with_code("DifferentColumnsInUnion"));
            }
            parts.push(plan);
        }
    }
    Ok(QueryPlan {
        columns,
        parts,
        distinct,
    })
}

struct Planner<'a> {
    graph: &'a Graph,
    text: &'a str,
    params: &'a BTreeMap<String, Value>,
    max_hops: u32,
    curated: bool,
    nslots: usize,
    /// What is known of the type of each slot.
    tys: Vec<Ty>,
    /// How deep in `expr` the planner is: a whole expression is type-checked
    /// once it is planned.
    depth: u32,
    /// Property keys already checked (lower-cased wanted → canonical).
    keys: HashMap<String, String>,
}

/// Node keys eje itself provides over curated data.
const NODE_KEYS: &[&str] = &["id", "kind", "name", "aliases", "description", "note"];
/// Relation keys the loader sets (SPEC §3).
const REL_KEYS: &[&str] = &[
    "type",
    "date",
    "start",
    "end",
    "quantity",
    "unit",
    "hedge",
    "rank",
    "sources",
    "claimants",
    "quotes",
    "derived",
    "citations",
    "id",
    "note",
    "role",
    "quantity_low",
    "quantity_high",
    "approx",
    "quantity_text",
    "conflicts_with",
];

fn err_code(kind: ErrorKind, code: &'static str, msg: impl Into<String>, span: Span) -> QueryError {
    QueryError::new(kind, msg, Some(span)).with_code(code)
}

fn did_you_mean(near: &[&str]) -> Option<String> {
    match near {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Whether an expression calls an aggregate (outside nested scopes'
/// own aggregates, which are not allowed anyway).
fn contains_aggregate(e: &ast::Expr) -> bool {
    let mut found = false;
    visit(e, &mut |x| {
        if let ast::ExprKind::CountStar = x.kind {
            found = true;
        }
        if let ast::ExprKind::Function { name, .. } = &x.kind
            && functions::aggregate(&name.name).is_some()
        {
            found = true;
        }
    });
    found
}

/// Every name a subquery mentions (variables, and names in its patterns):
/// those of the outer scope are what it reads.
fn query_names(q: &ast::SingleQuery, out: &mut HashSet<String>) {
    fn expr(e: &ast::Expr, out: &mut HashSet<String>) {
        visit(e, &mut |x| match &x.kind {
            ast::ExprKind::Variable(v) => {
                out.insert(v.name.clone());
            }
            ast::ExprKind::Pattern(p) | ast::ExprKind::PatternComprehension { pattern: p, .. } => {
                path(p, out)
            }
            ast::ExprKind::ExistsSubquery(q) => query_names(q, out),
            _ => {}
        });
    }
    fn path(p: &ast::PathPattern, out: &mut HashSet<String>) {
        let nodes = std::iter::once(&p.start).chain(p.chain.iter().map(|(_, n)| n));
        for n in nodes {
            out.extend(n.variable.iter().map(|v| v.name.clone()));
            n.properties.iter().for_each(|e| expr(e, out));
        }
        for (r, _) in &p.chain {
            out.extend(r.variable.iter().map(|v| v.name.clone()));
            r.properties.iter().for_each(|e| expr(e, out));
        }
    }
    let projection = |p: &ast::Projection, out: &mut HashSet<String>| {
        for i in &p.items {
            expr(&i.expr, out);
        }
        for s in &p.order_by {
            expr(&s.expr, out);
        }
        p.skip.iter().chain(&p.limit).for_each(|e| expr(e, out));
    };
    for c in &q.clauses {
        match c {
            ast::Clause::Match(m) => {
                for part in &m.pattern {
                    match &part.element {
                        ast::PatternElement::Path(p)
                        | ast::PatternElement::Shortest { path: p, .. } => path(p, out),
                    }
                }
                m.where_.iter().for_each(|e| expr(e, out));
            }
            ast::Clause::Unwind(u) => expr(&u.expr, out),
            ast::Clause::With(w) => {
                projection(&w.projection, out);
                w.where_.iter().for_each(|e| expr(e, out));
            }
            ast::Clause::Return(r) => projection(&r.projection, out),
            ast::Clause::Call(c) => {
                c.args.iter().flatten().for_each(|e| expr(e, out));
                c.where_.iter().for_each(|e| expr(e, out));
            }
        }
    }
}

/// A variable or a property of one (`me`, `me.age`).
fn is_simple(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Variable(_) => true,
        ast::ExprKind::Property(x, _) => is_simple(x),
        _ => false,
    }
}

/// Pre-order walk over an expression and its sub-expressions.
fn visit(e: &ast::Expr, f: &mut dyn FnMut(&ast::Expr)) {
    use ast::ExprKind::*;
    f(e);
    match &e.kind {
        Literal(_) | Parameter(_) | Variable(_) | CountStar | Pattern(_) | ExistsSubquery(_) => {}
        Property(x, _) | HasLabels(x, _) | Unary(_, x) | IsNull { expr: x, .. } => visit(x, f),
        List(items) => items.iter().for_each(|x| visit(x, f)),
        Function { args, .. } => args.iter().for_each(|x| visit(x, f)),
        Map(items) => items.iter().for_each(|(_, x)| visit(x, f)),
        Index(a, b) | Binary(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        Slice(a, b, c) => {
            visit(a, f);
            b.iter().chain(c).for_each(|x| visit(x, f));
        }
        Case {
            operand,
            whens,
            else_,
        } => {
            operand.iter().chain(else_).for_each(|x| visit(x, f));
            for (w, t) in whens {
                visit(w, f);
                visit(t, f);
            }
        }
        ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            visit(list, f);
            predicate.iter().chain(projection).for_each(|x| visit(x, f));
        }
        Quantified {
            list, predicate, ..
        } => {
            visit(list, f);
            visit(predicate, f);
        }
        PatternComprehension {
            predicate,
            projection,
            ..
        } => {
            predicate.iter().for_each(|x| visit(x, f));
            visit(projection, f);
        }
    }
}

/// Splits `a AND b AND c` into its conjuncts.
fn conjuncts(e: &ast::Expr, out: &mut Vec<ast::Expr>) {
    match &e.kind {
        ast::ExprKind::Binary(BinaryOp::And, a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        _ => out.push(e.clone()),
    }
}

/// A node of a pattern being planned.
struct PNode {
    slot: Slot,
    labels: Vec<String>,
    props: Vec<(String, ast::Expr)>,
    entity: Option<NodeIndex>,
}

/// A relation of a pattern being planned.
struct PRel {
    slot: Slot,
    bound: bool,
    dir: Dir,
    types: TypeFilter,
    props: Vec<(String, ast::Expr)>,
    var_len: Option<(u32, u32)>,
    named: bool,
}

struct PPart {
    nodes: Vec<PNode>,
    rels: Vec<PRel>,
    path: Option<Slot>,
    shortest: Option<bool>,
    span: Span,
}

impl<'a> Planner<'a> {
    fn new(
        graph: &'a Graph,
        text: &'a str,
        params: &'a BTreeMap<String, Value>,
        max_hops: u32,
    ) -> Self {
        Planner {
            graph,
            text,
            params,
            max_hops,
            curated: graph.schema.is_some(),
            nslots: 0,
            tys: Vec::new(),
            depth: 0,
            keys: HashMap::new(),
        }
    }

    fn slot(&mut self) -> Slot {
        self.nslots += 1;
        self.tys.push(Ty::ANY);
        self.nslots - 1
    }

    /// A new slot for the variable `name` of type `ty`, in `scope`.
    fn declare(&mut self, scope: &mut Scope, name: &str, ty: Ty) -> Slot {
        let slot = self.slot();
        self.tys[slot] = ty;
        scope.vars.insert(name.to_string(), Var { slot, ty });
        slot
    }

    /// The type of a planned (and so already checked) expression.
    fn type_of(&mut self, e: &PExpr) -> Ty {
        Checker {
            slots: &mut self.tys,
        }
        .check(e)
        .unwrap_or(Ty::ANY)
    }

    fn source(&self, span: Span) -> String {
        self.text
            .get(span.range())
            .map(str::trim)
            .unwrap_or("?")
            .to_string()
    }

    // ----- single queries and clauses -------------------------------------------------

    fn single(&mut self, q: &ast::SingleQuery) -> Result<(SinglePlan, Vec<String>), QueryError> {
        let (ops, columns) = self.clauses(q, Scope::default())?;
        let Some(columns) = columns else {
            return Err(err_code(
                ErrorKind::Semantic,
                "InvalidClauseComposition",
                "a query must end with `RETURN`",
                q.span,
            )
            .with_help("add `RETURN ...` to say what the query answers"));
        };
        Ok((
            SinglePlan {
                nslots: self.nslots,
                ops,
            },
            columns,
        ))
    }

    /// Plans an `EXISTS { ... }` subquery, which sees the variables of
    /// `scope`: a pipeline that stops at its first row.
    fn subquery(&mut self, q: &ast::SingleQuery, scope: &Scope) -> Result<PKind, QueryError> {
        // Its expressions are whole expressions of their own.
        let depth = std::mem::replace(&mut self.depth, 0);
        let planned = self.clauses(q, scope.clone());
        self.depth = depth;
        let (mut ops, columns) = planned?;
        if columns.is_none() {
            ops.push(Op::Emit(Vec::new()));
        }
        let emit = ops.pop().expect("a pipeline ends with its emit");
        ops.push(Op::Limit(1));
        ops.push(emit);
        let mut names = HashSet::new();
        query_names(q, &mut names);
        let mut reads: Vec<Slot> = names
            .iter()
            .filter_map(|n| scope.get(n).map(|v| v.slot))
            .collect();
        reads.sort_unstable();
        Ok(PKind::Subquery {
            plan: Box::new(SinglePlan {
                nslots: self.nslots,
                ops,
            }),
            reads,
        })
    }

    /// The operators of a single query's clauses, starting from `scope`,
    /// and its columns when it ends with `RETURN`.
    fn clauses(
        &mut self,
        q: &ast::SingleQuery,
        mut scope: Scope,
    ) -> Result<(Vec<Op>, Option<Vec<String>>), QueryError> {
        let mut ops = Vec::new();
        let mut columns = None;
        let n = q.clauses.len();
        for (i, clause) in q.clauses.iter().enumerate() {
            match clause {
                ast::Clause::Match(m) => {
                    let plan = self.plan_match(
                        &m.pattern,
                        m.where_.as_ref(),
                        &mut scope,
                        m.optional,
                        true,
                    )?;
                    ops.push(Op::Match(plan));
                }
                ast::Clause::Unwind(u) => {
                    let mut cx = Cx::new(scope.clone(), "UNWIND");
                    let expr = self.expr(&u.expr, &mut cx)?;
                    if scope.get(&u.alias.name).is_some() {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "VariableAlreadyBound",
                            format!("variable `{}` is already bound", u.alias.name),
                            u.alias.span,
                        ));
                    }
                    let ty = self.type_of(&expr).unwound();
                    let slot = self.declare(&mut scope, &u.alias.name, ty);
                    ops.push(Op::Unwind { expr, slot });
                }
                ast::Clause::With(w) => {
                    let (new_scope, _) =
                        self.projection(&w.projection, &scope, false, w.where_.as_ref(), &mut ops)?;
                    scope = new_scope;
                }
                ast::Clause::Return(r) => {
                    if i + 1 != n {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "InvalidClauseComposition",
                            "`RETURN` must be the last clause of a query",
                            r.span,
                        ));
                    }
                    let (_, cols) = self.projection(&r.projection, &scope, true, None, &mut ops)?;
                    let (names, slots): (Vec<String>, Vec<Slot>) = cols.into_iter().unzip();
                    ops.push(Op::Emit(slots));
                    columns = Some(names);
                }
                ast::Clause::Call(c) => {
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "ProcedureNotFound",
                        format!("unknown procedure `{}`", c.name.name),
                        c.name.span,
                    ));
                }
            }
        }
        Ok((ops, columns))
    }

    /// Plans `WITH` or `RETURN`: pushes its operators and returns the new
    /// scope and the output columns.
    fn projection(
        &mut self,
        p: &ast::Projection,
        scope: &Scope,
        is_return: bool,
        where_: Option<&ast::Expr>,
        ops: &mut Vec<Op>,
    ) -> Result<(Scope, Vec<(String, Slot)>), QueryError> {
        let clause = if is_return { "RETURN" } else { "WITH" };
        // The items, with their column names.
        let mut items: Vec<(String, ast::Expr, Span)> = Vec::new();
        if p.star {
            let names = scope.sorted_names();
            if names.is_empty() && p.items.is_empty() {
                let span = p.items.first().map(|i| i.span).unwrap_or_default();
                return Err(err_code(
                    ErrorKind::Semantic,
                    "NoVariablesInScope",
                    format!("`{clause} *` has no variables to return"),
                    span,
                ));
            }
            for name in names {
                let e = ast::Expr {
                    kind: ast::ExprKind::Variable(ast::Ident {
                        name: name.clone(),
                        span: Span::default(),
                    }),
                    span: Span::default(),
                };
                items.push((name, e, Span::default()));
            }
        }
        // Reported after the checks of aggregation, which say more.
        let mut alias_error = None;
        for item in &p.items {
            let name = match &item.alias {
                Some(a) => a.name.clone(),
                None => {
                    if !is_return
                        && !matches!(item.expr.kind, ast::ExprKind::Variable(_))
                        && alias_error.is_none()
                    {
                        alias_error = Some(
                            err_code(
                                ErrorKind::Semantic,
                                "NoExpressionAlias",
                                format!("`WITH {}` needs an alias", self.source(item.expr.span)),
                                item.span,
                            )
                            .with_help("name it: `WITH <expression> AS name`"),
                        );
                    }
                    match &item.expr.kind {
                        ast::ExprKind::Variable(v) => v.name.clone(),
                        _ => self.source(item.span),
                    }
                }
            };
            if items.iter().any(|(n, _, _)| *n == name) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "ColumnNameConflict",
                    format!("`{clause}` has two columns named `{name}`"),
                    item.span,
                )
                .with_help("give one of them another name with `AS`"));
            }
            items.push((name, item.expr.clone(), item.span));
        }

        let aggregating = items.iter().any(|(_, e, _)| contains_aggregate(e));
        if aggregating {
            let keys: Vec<&ast::Expr> = items
                .iter()
                .filter(|(_, e, _)| !contains_aggregate(e))
                .map(|(_, e, _)| e)
                .collect();
            for (_, e, span) in items.iter().filter(|(_, e, _)| contains_aggregate(e)) {
                self.check_ambiguous(e, &keys, *span, false)?;
            }
            for s in p.order_by.iter().filter(|s| contains_aggregate(&s.expr)) {
                self.check_ambiguous(&s.expr, &keys, s.expr.span, true)?;
            }
        }
        if let Some(e) = alias_error {
            return Err(e);
        }
        let mut out: Vec<(String, Slot)> = Vec::new();
        let mut new_scope = Scope::default();
        let mut subst: Vec<(ast::Expr, Slot)> = Vec::new();
        if !aggregating {
            let mut cx = Cx::new(scope.clone(), clause);
            let mut planned = Vec::new();
            for (name, e, _) in &items {
                let pe = self.expr(e, &mut cx)?;
                let ty = self.type_of(&pe);
                let slot = self.declare(&mut new_scope, name, ty);
                planned.push((pe, slot));
                out.push((name.clone(), slot));
                subst.push((e.clone(), slot));
            }
            ops.push(Op::Project(planned));
        } else {
            let mut keys = Vec::new();
            let mut post = Vec::new();
            let mut cx = Cx::new(scope.clone(), clause);
            cx.aggs = Some(Vec::new());
            for (name, e, _) in &items {
                let aggregate = contains_aggregate(e);
                let pe = self.expr(e, &mut cx)?;
                let ty = self.type_of(&pe);
                let slot = self.declare(&mut new_scope, name, ty);
                if aggregate {
                    post.push((pe, slot));
                } else {
                    keys.push((pe, slot));
                }
                out.push((name.clone(), slot));
                subst.push((e.clone(), slot));
            }
            let aggs = cx.aggs.take().unwrap_or_default();
            ops.push(Op::Aggregate(AggregatePlan { keys, aggs, post }));
        }
        // `WITH ... WHERE` sees the projected names and, when the WITH does
        // not aggregate, the variables bound before it too (`WITH a.name AS
        // name WHERE a.age > 30`).
        let mut filter = None;
        if let Some(w) = where_ {
            let where_scope = if aggregating {
                new_scope.clone()
            } else {
                let mut s = scope.clone();
                s.vars
                    .extend(new_scope.vars.iter().map(|(k, v)| (k.clone(), *v)));
                s
            };
            let mut cx = Cx::new(where_scope, "WHERE");
            filter = Some(self.expr(w, &mut cx)?);
        }
        // After `DISTINCT`, a row stands for all the rows it was made from:
        // a filter on variables that were not projected runs before it.
        let reads_old = filter.as_ref().is_some_and(|f| {
            let mut deps = Vec::new();
            f.slots(&mut deps);
            let new: HashSet<Slot> = out.iter().map(|(_, s)| *s).collect();
            deps.iter().any(|d| !new.contains(d))
        });
        let paged = !p.order_by.is_empty() || p.skip.is_some() || p.limit.is_some();
        if p.distinct && reads_old && !paged {
            ops.extend(filter.take().map(Op::Filter));
        }
        if p.distinct {
            ops.push(Op::Distinct(out.iter().map(|(_, s)| *s).collect()));
        }
        if !p.order_by.is_empty() {
            // After aggregation or DISTINCT only the projected items are
            // visible; otherwise the items shadow the earlier variables.
            let sort_scope = if aggregating || p.distinct {
                new_scope.clone()
            } else {
                let mut s = scope.clone();
                s.vars
                    .extend(new_scope.vars.iter().map(|(k, v)| (k.clone(), *v)));
                s
            };
            let mut cx = Cx::new(sort_scope, "ORDER BY");
            cx.subst = subst;
            let mut keys = Vec::new();
            for s in &p.order_by {
                keys.push((self.expr(&s.expr, &mut cx)?, s.descending));
            }
            ops.push(Op::Sort(keys));
        }
        if let Some(e) = &p.skip {
            ops.push(Op::Skip(self.constant_count(e, "SKIP")?));
        }
        if let Some(e) = &p.limit {
            ops.push(Op::Limit(self.constant_count(e, "LIMIT")?));
        }
        ops.extend(filter.map(Op::Filter));
        Ok((new_scope, out))
    }

    /// In an item that mixes aggregates and other expressions, everything
    /// outside the aggregates must be a grouping key that is a variable or a
    /// property of one (`me.age + count(*)` next to `me.age`); a more complex
    /// key (`me.age + you.age`) cannot be reused next to an aggregate. In
    /// `ORDER BY` (`order_by`), other variables are the projection's names,
    /// left to scoping.
    fn check_ambiguous(
        &self,
        e: &ast::Expr,
        keys: &[&ast::Expr],
        span: Span,
        order_by: bool,
    ) -> Result<(), QueryError> {
        use ast::ExprKind::*;
        let ambiguous = |what: &str, at: Span| {
            err_code(
                ErrorKind::Semantic,
                "AmbiguousAggregationExpression",
                format!(
                    "`{}` mixes an aggregate with `{what}`, which is not a grouping key",
                    self.source(span),
                ),
                at,
            )
        };
        if keys.contains(&e) {
            if is_simple(e) {
                return Ok(());
            }
            let text = self.source(e.span);
            return Err(ambiguous(&text, e.span).with_help(format!(
                "only variables and their properties can be used next to an aggregate: project `{text}` under a name with `WITH`, then use the name"
            )));
        }
        let walk = |x: &ast::Expr| self.check_ambiguous(x, keys, span, order_by);
        match &e.kind {
            CountStar => Ok(()),
            Function { name, .. } if functions::aggregate(&name.name).is_some() => Ok(()),
            Variable(_) if order_by => Ok(()),
            Variable(v) => Err(ambiguous(&v.name, v.span).with_help(format!(
                "return `{}` as a column of its own to group by it",
                v.name
            ))),
            Property(x, _) | HasLabels(x, _) | Unary(_, x) | IsNull { expr: x, .. } => walk(x),
            List(items) | Function { args: items, .. } => items.iter().try_for_each(walk),
            Map(items) => items.iter().try_for_each(|(_, x)| walk(x)),
            Index(a, b) | Binary(_, a, b) => {
                walk(a)?;
                walk(b)
            }
            Slice(a, b, c) => {
                walk(a)?;
                b.iter().chain(c).try_for_each(|x| walk(x))
            }
            Case {
                operand,
                whens,
                else_,
            } => {
                for x in operand.iter().chain(else_) {
                    walk(x)?;
                }
                for (w, t) in whens {
                    walk(w)?;
                    walk(t)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `SKIP` and `LIMIT` take a constant non-negative integer.
    fn constant_count(&mut self, e: &ast::Expr, clause: &'static str) -> Result<usize, QueryError> {
        let mut has_var = false;
        visit(e, &mut |x| {
            if matches!(
                x.kind,
                ast::ExprKind::Variable(_) | ast::ExprKind::Pattern(_)
            ) {
                has_var = true;
            }
        });
        if has_var {
            return Err(err_code(
                ErrorKind::Semantic,
                "NonConstantExpression",
                format!("`{clause}` takes a constant, not `{}`", self.source(e.span)),
                e.span,
            ));
        }
        let mut cx = Cx::new(Scope::default(), clause);
        let pe = self.expr(e, &mut cx)?;
        let v = super::eval::eval_constant(self.graph, &pe, self.nslots)?;
        match v {
            Value::Int(i) if i >= 0 => Ok(i as usize),
            Value::Int(i) => Err(err_code(
                ErrorKind::Semantic,
                "NegativeIntegerArgument",
                format!("`{clause}` takes a non-negative integer, got {i}"),
                e.span,
            )),
            v => Err(err_code(
                ErrorKind::Semantic,
                "InvalidArgumentType",
                format!(
                    "`{clause}` takes a non-negative integer, got {}",
                    v.type_name()
                ),
                e.span,
            )),
        }
    }

    // ----- names ------------------------------------------------------------------

    /// Resolves a label: over curated data ignoring case, with a suggestion
    /// for an unknown one; otherwise as written.
    fn label(&self, id: &ast::Ident) -> Result<String, QueryError> {
        if !self.curated {
            return Ok(id.name.clone());
        }
        let labels = self.graph.labels();
        if let Some(l) = labels.iter().find(|l| **l == id.name) {
            return Ok(l.to_string());
        }
        if let Some(l) = labels.iter().find(|l| l.eq_ignore_ascii_case(&id.name)) {
            return Ok(l.to_string());
        }
        let schema = self
            .graph
            .schema
            .as_ref()
            .expect("curated graphs have a schema");
        if let Some(k) = schema.kind_ci(&id.name) {
            return Ok(k.name.clone());
        }
        let mut all: Vec<&str> = schema.kinds.keys().map(String::as_str).collect();
        all.extend(labels.iter().copied());
        all.sort_unstable();
        all.dedup();
        let near = names::nearest(&id.name, all.iter().copied(), 1);
        let mut err = QueryError::semantic(format!("unknown label `{}`", id.name), id.span)
            .with_code("UnknownLabel");
        if let Some(h) = did_you_mean(&near) {
            err = err.with_help(h);
        }
        Err(err)
    }

    fn rel_type(&self, id: &ast::Ident) -> Result<String, QueryError> {
        if !self.curated {
            return Ok(id.name.clone());
        }
        let schema = self
            .graph
            .schema
            .as_ref()
            .expect("curated graphs have a schema");
        if let Some(r) = schema.relation_ci(&id.name) {
            return Ok(r.name.clone());
        }
        // Types present in the data but not in the schema (derived ones).
        let g = &self.graph.graph;
        if let Some(e) = g
            .edge_weights()
            .find(|r| r.rel_type.eq_ignore_ascii_case(&id.name))
        {
            return Ok(e.rel_type.clone());
        }
        let mut all: Vec<&str> = schema.relations.keys().map(String::as_str).collect();
        let mut seen: HashSet<&str> = all.iter().copied().collect();
        for r in g.edge_weights() {
            if seen.insert(r.rel_type.as_str()) {
                all.push(r.rel_type.as_str());
            }
        }
        let near = names::nearest(&id.name, all.iter().copied(), 1);
        let mut err = QueryError::semantic(format!("unknown relation type `{}`", id.name), id.span)
            .with_code("UnknownRelType");
        if let Some(h) = did_you_mean(&near) {
            err = err.with_help(h);
        }
        Err(err)
    }

    fn type_filter(&self, types: &[ast::Ident]) -> Result<TypeFilter, QueryError> {
        let resolved = if types.is_empty() {
            None
        } else {
            Some(
                types
                    .iter()
                    .map(|t| self.rel_type(t))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        };
        // Only a pattern that names a symmetric type matches it either way
        // round: `()-[r]->()` still sees every relation once.
        let mut symmetric = Vec::new();
        if let (Some(schema), Some(ts)) = (&self.graph.schema, &resolved) {
            for def in schema.relations.values().filter(|d| d.symmetric) {
                if ts.contains(&def.name) {
                    symmetric.push(def.name.clone());
                }
            }
        }
        Ok(TypeFilter::new(resolved, symmetric, self.graph.adjacency()))
    }

    /// Resolves a property key read from a node or relation over curated
    /// data: ignoring case, with a suggestion for one nothing has.
    fn prop_key(&mut self, key: &ast::Ident) -> Result<String, QueryError> {
        if !self.curated {
            return Ok(key.name.clone());
        }
        let lower = key.name.to_lowercase();
        if let Some(k) = self.keys.get(&lower) {
            return Ok(k.clone());
        }
        let found = self.find_key(&key.name);
        match found {
            Some(k) => {
                self.keys.insert(lower, k.clone());
                Ok(k)
            }
            None => {
                let mut all: Vec<String> = NODE_KEYS
                    .iter()
                    .chain(REL_KEYS)
                    .map(|s| s.to_string())
                    .collect();
                for n in self.graph.graph.node_weights() {
                    all.extend(n.props.keys().cloned());
                }
                for r in self.graph.graph.edge_weights() {
                    all.extend(r.props.keys().cloned());
                }
                all.sort();
                all.dedup();
                let near = names::nearest(&key.name, all.iter().map(String::as_str), 1);
                let mut err = QueryError::semantic(
                    format!("no node or relation has a property `{}`", key.name),
                    key.span,
                )
                .with_code("UnknownPropertyKey");
                if let Some(h) = did_you_mean(&near) {
                    err = err.with_help(h);
                }
                Err(err)
            }
        }
    }

    fn find_key(&self, wanted: &str) -> Option<String> {
        let pick = |k: &str| (k == wanted || k.eq_ignore_ascii_case(wanted)).then(|| k.to_string());
        if let Some(k) = NODE_KEYS.iter().chain(REL_KEYS).find_map(|k| pick(k)) {
            return Some(k);
        }
        let g = &self.graph.graph;
        g.node_weights()
            .flat_map(|n| n.props.keys())
            .chain(g.edge_weights().flat_map(|r| r.props.keys()))
            .find_map(|k| pick(k))
    }

    fn entity(&self, r: &ast::EntityRef) -> Result<NodeIndex, QueryError> {
        resolve_entity(self.graph, r)
    }

    // ----- patterns -------------------------------------------------------------------

    /// Plans the patterns of a `MATCH` (or of a pattern in an expression,
    /// `introduce: false`, which may not bind new named variables).
    fn plan_match(
        &mut self,
        parts: &[ast::PatternPart],
        where_: Option<&ast::Expr>,
        scope: &mut Scope,
        optional: bool,
        introduce: bool,
    ) -> Result<MatchPlan, QueryError> {
        let before: HashSet<Slot> = scope.vars.values().map(|v| v.slot).collect();
        // Pass 1: variables and names.
        let mut local_rels: HashSet<String> = HashSet::new();
        let mut pparts = Vec::new();
        let mut binds = Vec::new();
        for part in parts {
            let (path, shortest) = match &part.element {
                ast::PatternElement::Path(p) => (p, None),
                ast::PatternElement::Shortest { all, path } => (path, Some(*all)),
            };
            let mut nodes = Vec::new();
            let mut rels = Vec::new();
            nodes.push(self.pattern_node(&path.start, scope, introduce, &mut binds)?);
            for (r, n) in &path.chain {
                rels.push(self.pattern_rel(r, scope, introduce, &mut local_rels, &mut binds)?);
                nodes.push(self.pattern_node(n, scope, introduce, &mut binds)?);
            }
            if let Some(s) = shortest {
                if rels.len() != 1 {
                    let which = if s {
                        "allShortestPaths"
                    } else {
                        "shortestPath"
                    };
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "InvalidShortestPathPattern",
                        format!("`{which}` takes a pattern of one relationship between two nodes"),
                        path.span,
                    ));
                }
            }
            let path_slot = match &part.variable {
                Some(v) => {
                    if scope.get(&v.name).is_some() {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "VariableAlreadyBound",
                            format!("variable `{}` is already bound", v.name),
                            v.span,
                        ));
                    }
                    if !introduce {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "UndefinedVariable",
                            format!("a pattern in an expression cannot name a path `{}`", v.name),
                            v.span,
                        ));
                    }
                    let slot = self.declare(scope, &v.name, Ty::of(types::PATH));
                    binds.push(slot);
                    Some(slot)
                }
                None => None,
            };
            pparts.push(PPart {
                nodes,
                rels,
                path: path_slot,
                shortest,
                span: part.span,
            });
        }

        // Pass 2: property maps and WHERE, with every variable known.
        let new_slots: HashSet<Slot> = binds.iter().copied().collect();
        let mut cx = Cx::new(scope.clone(), "MATCH");
        let mut extra: Vec<PExpr> = Vec::new();
        let mut node_checks: Vec<Vec<NodeCheck>> = Vec::new();
        let mut rel_props: Vec<Vec<Vec<(String, PExpr)>>> = Vec::new();
        // Anchor hints: slot → (key, value) equalities on id and name.
        let mut hints: HashMap<Slot, Vec<(String, PExpr)>> = HashMap::new();
        for part in &pparts {
            let mut checks = Vec::new();
            for n in &part.nodes {
                let mut check = NodeCheck {
                    labels: n.labels.clone(),
                    label_mask: self.graph.adjacency().label_mask(&n.labels),
                    props: Vec::new(),
                    entity: n.entity,
                };
                for (k, e) in &n.props {
                    let pe = self.expr(e, &mut cx)?;
                    let mut deps = Vec::new();
                    pe.slots(&mut deps);
                    if deps.iter().any(|s| new_slots.contains(s)) {
                        extra.push(prop_eq(n.slot, k, pe));
                    } else {
                        if k == "id" || k == "name" {
                            hints
                                .entry(n.slot)
                                .or_default()
                                .push((k.clone(), pe.clone()));
                        }
                        check.props.push((k.clone(), pe));
                    }
                }
                checks.push(check);
            }
            node_checks.push(checks);
            let mut rprops = Vec::new();
            for r in &part.rels {
                let mut props = Vec::new();
                for (k, e) in &r.props {
                    let pe = self.expr(e, &mut cx)?;
                    let mut deps = Vec::new();
                    pe.slots(&mut deps);
                    if r.var_len.is_none() && deps.iter().any(|s| new_slots.contains(s)) {
                        extra.push(prop_eq(r.slot, k, pe));
                    } else {
                        props.push((k.clone(), pe));
                    }
                }
                rprops.push(props);
            }
            rel_props.push(rprops);
        }
        let mut conj = Vec::new();
        if let Some(w) = where_ {
            let mut parts_ast = Vec::new();
            conjuncts(w, &mut parts_ast);
            let mut wcx = Cx::new(scope.clone(), "WHERE");
            for c in &parts_ast {
                let pe = self.expr(c, &mut wcx)?;
                // `v.id = <expr>` or `v.name = <expr>` can anchor `v`.
                if let PKind::Binary(BinaryOp::Eq, a, b) = &pe.kind {
                    for (lhs, rhs) in [(a, b), (b, a)] {
                        if let PKind::Prop(base, key) = &lhs.kind
                            && let PKind::Slot(s) = base.kind
                            && new_slots.contains(&s)
                            && (key == "id" || key == "name")
                        {
                            let mut deps = Vec::new();
                            rhs.slots(&mut deps);
                            if deps.iter().all(|d| before.contains(d)) {
                                hints
                                    .entry(s)
                                    .or_default()
                                    .push((key.clone(), (**rhs).clone()));
                            }
                        }
                    }
                }
                conj.push(pe);
            }
        }
        conj.extend(extra);

        // Pass 3: order the parts and the steps.
        let mut bound: HashSet<Slot> = before.clone();
        let mut steps: Vec<Step> = Vec::new();
        let mut bound_at: HashMap<Slot, usize> = HashMap::new();
        let mut paths = Vec::new();
        let mut done = vec![false; pparts.len()];
        // Plain parts first, shortest paths once their ends are bound.
        for pass in [false, true] {
            loop {
                let mut best: Option<(usize, usize, u64)> = None;
                for (pi, part) in pparts.iter().enumerate() {
                    if done[pi] || part.shortest.is_some() != pass {
                        continue;
                    }
                    for (ni, n) in part.nodes.iter().enumerate() {
                        let c = self.node_cost(n, &bound, &hints);
                        if best.is_none_or(|(_, _, bc)| c < bc) {
                            best = Some((pi, ni, c));
                        }
                    }
                }
                let Some((pi, anchor, _)) = best else { break };
                done[pi] = true;
                let part = &pparts[pi];
                let checks = &node_checks[pi];
                let rprops = &rel_props[pi];
                let mut push = |step: StepKind, binds_now: Vec<Slot>, bound: &mut HashSet<Slot>| {
                    for s in binds_now {
                        if bound.insert(s) {
                            bound_at.insert(s, steps.len());
                        }
                    }
                    steps.push(Step {
                        kind: step,
                        filters: Vec::new(),
                    });
                };
                if let Some(all) = part.shortest {
                    for (n, check) in part.nodes.iter().zip(checks) {
                        let step = self.node_step(n, check, &bound, &hints);
                        push(StepKind::Node(step), vec![n.slot], &mut bound);
                    }
                    let r = &part.rels[0];
                    let (min, max) = r.var_len.unwrap_or((1, 1));
                    let s = Shortest {
                        from: part.nodes[0].slot,
                        to: part.nodes[1].slot,
                        all,
                        dir: r.dir,
                        types: r.types.clone(),
                        rel_props: rprops[0].clone(),
                        rel: r.named.then_some(r.slot),
                        path: part.path,
                        min,
                        max,
                    };
                    let mut b = vec![r.slot];
                    b.extend(part.path);
                    push(StepKind::Shortest(s), b, &mut bound);
                    continue;
                }
                let n = &part.nodes[anchor];
                let step = self.node_step(n, &checks[anchor], &bound, &hints);
                push(StepKind::Node(step), vec![n.slot], &mut bound);
                let mut expand = |from: usize,
                                  ri: usize,
                                  to: usize,
                                  reversed: bool,
                                  bound: &mut HashSet<Slot>| {
                    let r = &part.rels[ri];
                    let tn = &part.nodes[to];
                    let x = Expand {
                        from: part.nodes[from].slot,
                        rel: r.slot,
                        rel_bound: r.bound,
                        to: tn.slot,
                        to_bound: bound.contains(&tn.slot),
                        dir: if reversed { r.dir.flip() } else { r.dir },
                        types: r.types.clone(),
                        rel_props: rprops[ri].clone(),
                        to_check: checks[to].clone(),
                        var_len: r.var_len,
                        reversed,
                        ends: Ends::Each,
                    };
                    push(StepKind::Expand(x), vec![r.slot, tn.slot], bound);
                };
                for i in anchor + 1..part.nodes.len() {
                    expand(i - 1, i - 1, i, false, &mut bound);
                }
                for i in (1..=anchor).rev() {
                    expand(i, i - 1, i - 1, true, &mut bound);
                }
                if let Some(slot) = part.path {
                    paths.push(PathBuild {
                        slot,
                        start: part.nodes[0].slot,
                        hops: part.rels.iter().map(|r| r.slot).collect(),
                    });
                }
            }
        }
        let _ = pparts.iter().map(|p| p.span);

        // Pass 4: push each conjunct down to where its variables are bound.
        let path_slots: HashSet<Slot> = paths.iter().map(|p| p.slot).collect();
        let mut pre = Vec::new();
        let mut post = Vec::new();
        for c in conj {
            let mut deps = Vec::new();
            c.slots(&mut deps);
            if deps.iter().any(|d| path_slots.contains(d)) {
                post.push(c);
                continue;
            }
            match deps.iter().filter_map(|d| bound_at.get(d)).max() {
                Some(&i) => steps[i].filters.push(c),
                None => pre.push(c),
            }
        }
        Ok(MatchPlan {
            optional,
            pre,
            steps,
            paths,
            post,
            binds,
        })
    }

    fn node_cost(
        &self,
        n: &PNode,
        bound: &HashSet<Slot>,
        hints: &HashMap<Slot, Vec<(String, PExpr)>>,
    ) -> u64 {
        if bound.contains(&n.slot) {
            return 0;
        }
        if n.entity.is_some() {
            return 1;
        }
        if let Some(h) = hints.get(&n.slot) {
            if self.curated && h.iter().any(|(k, _)| k == "id") {
                return 2;
            }
            if h.iter().any(|(k, _)| k == "name") {
                return 3;
            }
        }
        let scan = self.graph.node_count() as u64 + 4;
        n.labels
            .iter()
            .map(|l| self.graph.by_label(l).len() as u64 + 4)
            .min()
            .unwrap_or(scan)
            .min(scan)
    }

    fn node_step(
        &self,
        n: &PNode,
        check: &NodeCheck,
        bound: &HashSet<Slot>,
        hints: &HashMap<Slot, Vec<(String, PExpr)>>,
    ) -> NodeStep {
        let source = if bound.contains(&n.slot) {
            NodeSource::Bound
        } else if let Some(ix) = n.entity {
            NodeSource::Entity(ix)
        } else if let Some(e) = hints
            .get(&n.slot)
            .and_then(|h| h.iter().find(|(k, _)| k == "id" && self.curated))
        {
            NodeSource::Id(e.1.clone())
        } else if let Some(e) = hints
            .get(&n.slot)
            .and_then(|h| h.iter().find(|(k, _)| k == "name"))
        {
            NodeSource::Name(e.1.clone())
        } else if let Some(l) = n.labels.iter().min_by_key(|l| self.graph.by_label(l).len()) {
            NodeSource::Label(l.clone())
        } else {
            NodeSource::All
        };
        let mut check = check.clone();
        if let NodeSource::Label(l) = &source {
            // Every node the label's index gives has it.
            check.labels.retain(|x| x != l);
            check.label_mask = self.graph.adjacency().label_mask(&check.labels);
        }
        NodeStep {
            slot: n.slot,
            source,
            check,
        }
    }

    fn pattern_node(
        &mut self,
        n: &ast::NodePattern,
        scope: &mut Scope,
        introduce: bool,
        binds: &mut Vec<Slot>,
    ) -> Result<PNode, QueryError> {
        let slot = match &n.variable {
            Some(v) => {
                match scope.get(&v.name) {
                    Some(var) => {
                        if !var.ty.may_be(types::NODE) {
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "VariableTypeConflict",
                                format!("`{}` is {}, not a node", v.name, describe_var(var.ty)),
                                v.span,
                            ));
                        }
                        var.slot
                    }
                    None => {
                        if !introduce {
                            return Err(err_code(
                            ErrorKind::Semantic,
                            "UndefinedVariable",
                            format!("variable `{}` is not defined", v.name),
                            v.span,
                        )
                        .with_help("a pattern used as a predicate can only use variables bound before it"));
                        }
                        let slot = self.declare(scope, &v.name, Ty::of(types::NODE));
                        binds.push(slot);
                        slot
                    }
                }
            }
            None => {
                let slot = self.slot();
                binds.push(slot);
                slot
            }
        };
        let labels = n
            .labels
            .iter()
            .map(|l| self.label(l))
            .collect::<Result<Vec<_>, _>>()?;
        let props = self.pattern_props(n.properties.as_deref())?;
        let entity = n.entity.as_ref().map(|e| self.entity(e)).transpose()?;
        Ok(PNode {
            slot,
            labels,
            props,
            entity,
        })
    }

    fn pattern_rel(
        &mut self,
        r: &ast::RelationshipPattern,
        scope: &mut Scope,
        introduce: bool,
        local: &mut HashSet<String>,
        binds: &mut Vec<Slot>,
    ) -> Result<PRel, QueryError> {
        // Over curated data an unbounded `*` stands for `max_hops` hops;
        // over a schema-less graph it is unbounded, as in openCypher: no
        // relation is used twice in a match, so paths end, and the work
        // budget stops a runaway.
        let unbounded = if self.curated {
            self.max_hops
        } else {
            u32::MAX
        };
        let var_len = r.length.map(|l| {
            let min = l.min.unwrap_or(1);
            (min, l.max.unwrap_or(unbounded.max(min)))
        });
        let (slot, bound) = match &r.variable {
            Some(v) => {
                if local.contains(&v.name) {
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "RelationshipUniquenessViolation",
                        format!(
                            "relationship `{}` appears twice in one pattern, which can never match",
                            v.name
                        ),
                        v.span,
                    ));
                }
                match scope.get(&v.name) {
                    Some(var) => {
                        let ok = if var_len.is_some() {
                            var.ty.may_be(types::LIST) && var.ty.element().may_be(types::REL)
                        } else {
                            var.ty.may_be(types::REL)
                        };
                        if !ok {
                            let want = if var_len.is_some() {
                                "a list of relationships"
                            } else {
                                "a relationship"
                            };
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "VariableTypeConflict",
                                format!("`{}` is {}, not {want}", v.name, describe_var(var.ty)),
                                v.span,
                            ));
                        }
                        local.insert(v.name.clone());
                        (var.slot, true)
                    }
                    None => {
                        if !introduce {
                            return Err(err_code(
                                ErrorKind::Semantic,
                                "UndefinedVariable",
                                format!("variable `{}` is not defined", v.name),
                                v.span,
                            ));
                        }
                        let ty = if var_len.is_some() {
                            Ty::list(types::REL)
                        } else {
                            Ty::of(types::REL)
                        };
                        let slot = self.declare(scope, &v.name, ty);
                        local.insert(v.name.clone());
                        binds.push(slot);
                        (slot, false)
                    }
                }
            }
            None => {
                let slot = self.slot();
                binds.push(slot);
                (slot, false)
            }
        };
        let dir = match r.direction {
            ast::Direction::Right => Dir::Out,
            ast::Direction::Left => Dir::In,
            ast::Direction::Both => Dir::Both,
        };
        let types = self.type_filter(&r.types)?;
        let props = self.pattern_props(r.properties.as_deref())?;
        Ok(PRel {
            slot,
            bound,
            dir,
            types,
            props,
            var_len,
            named: r.variable.is_some(),
        })
    }

    /// A pattern's property map: a map literal, or a parameter holding one.
    fn pattern_props(
        &mut self,
        e: Option<&ast::Expr>,
    ) -> Result<Vec<(String, ast::Expr)>, QueryError> {
        let Some(e) = e else { return Ok(Vec::new()) };
        match &e.kind {
            ast::ExprKind::Map(items) => {
                let mut out = Vec::new();
                for (k, v) in items {
                    let key = self.prop_key(k)?;
                    out.push((key, v.clone()));
                }
                Ok(out)
            }
            // openCypher takes a pattern's properties as a map literal
            // only: a whole map parameter says nothing of which keys a query
            // can rely on.
            ast::ExprKind::Parameter(p) => Err(err_code(
                ErrorKind::Semantic,
                "InvalidParameterUse",
                format!("a parameter (`${}`) cannot stand for a pattern's properties", p.name),
                p.span,
            )
            .with_help(format!(
                "write the properties as a map, taking values from the parameter: `{{key: ${}.key}}`",
                p.name
            ))),
            _ => Err(QueryError::semantic(
                "a pattern's properties must be a map",
                e.span,
            )),
        }
    }

    fn param(&self, p: &ast::Ident) -> Result<Value, QueryError> {
        self.params.get(&p.name).cloned().ok_or_else(|| {
            err_code(
                ErrorKind::Semantic,
                "ParameterMissing",
                format!("parameter `${}` has no value", p.name),
                p.span,
            )
            .with_help(format!(
                "set it with `--param {}=VALUE` or `:param {} VALUE`",
                p.name, p.name
            ))
        })
    }

    // ----- expressions ------------------------------------------------------------------

    /// Plans an expression; a whole expression (not a part of one) is then
    /// type-checked.
    /// Plans `body` with `variable` bound to a fresh slot for a list element
    /// (comprehensions, quantifiers). Aggregates are refused inside, since
    /// they see rows, not elements; `place` names where for the message.
    /// The scope is restored whatever `body` returns.
    fn with_element<T>(
        &mut self,
        variable: &ast::Ident,
        place: &'static str,
        cx: &mut Cx,
        body: impl FnOnce(&mut Self, &mut Cx) -> Result<T, QueryError>,
    ) -> Result<(Slot, T), QueryError> {
        let slot = self.slot();
        let old = cx
            .scope
            .vars
            .insert(variable.name.clone(), Var { slot, ty: Ty::ANY });
        let outer = (cx.aggs.take(), cx.place);
        cx.place = place;
        let result = body(self, cx);
        (cx.aggs, cx.place) = outer;
        restore(&mut cx.scope, &variable.name, old);
        Ok((slot, result?))
    }

    fn expr(&mut self, e: &ast::Expr, cx: &mut Cx) -> Result<PExpr, QueryError> {
        self.depth += 1;
        let planned = self.expr_here(e, cx);
        self.depth -= 1;
        let planned = planned?;
        if self.depth == 0 {
            let t = Checker {
                slots: &mut self.tys,
            }
            .check(&planned)?;
            if cx.place == "WHERE" && !t.may_be(types::BOOL) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidArgumentType",
                    format!("`WHERE` expects BOOLEAN, got {}", t.describe()),
                    planned.span,
                ));
            }
        }
        Ok(planned)
    }

    fn expr_here(&mut self, e: &ast::Expr, cx: &mut Cx) -> Result<PExpr, QueryError> {
        use ast::ExprKind as K;
        if let Some((_, slot)) = cx.subst.iter().find(|(x, _)| x == e) {
            return Ok(PExpr::new(PKind::Slot(*slot), e.span));
        }
        let span = e.span;
        let boxed = |p: PExpr| Box::new(p);
        let kind = match &e.kind {
            K::Literal(l) => PKind::Const(match l {
                ast::Literal::Null => Value::Null,
                ast::Literal::Bool(b) => Value::Bool(*b),
                ast::Literal::Int(i) => Value::Int(*i),
                ast::Literal::Float(f) => Value::Float(*f),
                ast::Literal::String(s) => Value::Str(s.clone()),
            }),
            K::Parameter(p) => PKind::Param(self.param(p)?),
            K::Variable(v) => match cx.scope.get(&v.name) {
                Some(var) => PKind::Slot(var.slot),
                None => {
                    let names: Vec<String> = cx.scope.sorted_names();
                    let near = names::nearest(&v.name, names.iter().map(String::as_str), 1);
                    let mut err = err_code(
                        ErrorKind::Semantic,
                        "UndefinedVariable",
                        format!("variable `{}` is not defined", v.name),
                        v.span,
                    );
                    if let Some(h) = did_you_mean(&near) {
                        err = err.with_help(h);
                    }
                    return Err(err);
                }
            },
            K::Property(base, key) => {
                let is_entity = match &base.kind {
                    K::Variable(v) => cx.scope.get(&v.name).is_some_and(|var| {
                        var.ty.only(types::NODE | types::REL)
                            && var.ty.may_be(types::NODE | types::REL)
                    }),
                    _ => false,
                };
                let b = self.expr(base, cx)?;
                let k = if is_entity {
                    self.prop_key(key)?
                } else {
                    key.name.clone()
                };
                PKind::Prop(boxed(b), k)
            }
            K::HasLabels(base, labels) => {
                let b = self.expr(base, cx)?;
                let ls = labels
                    .iter()
                    .map(|l| self.label(l))
                    .collect::<Result<Vec<_>, _>>()?;
                PKind::HasLabels(boxed(b), ls)
            }
            K::List(items) => PKind::List(
                items
                    .iter()
                    .map(|x| self.expr(x, cx))
                    .collect::<Result<_, _>>()?,
            ),
            K::Map(items) => PKind::Map(
                items
                    .iter()
                    .map(|(k, x)| Ok((k.name.clone(), self.expr(x, cx)?)))
                    .collect::<Result<_, QueryError>>()?,
            ),
            K::Index(a, b) => PKind::Index(boxed(self.expr(a, cx)?), boxed(self.expr(b, cx)?)),
            K::Slice(a, b, c) => {
                let a = self.expr(a, cx)?;
                let b = b
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                let c = c
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                PKind::Slice(boxed(a), b, c)
            }
            K::Unary(op, x) => {
                let x = self.expr(x, cx)?;
                match op {
                    UnaryOp::Not => PKind::Not(boxed(x)),
                    UnaryOp::Neg => match x.kind {
                        PKind::Const(Value::Int(i)) if i != i64::MIN => {
                            PKind::Const(Value::Int(-i))
                        }
                        PKind::Const(Value::Float(f)) => PKind::Const(Value::Float(-f)),
                        _ => PKind::Neg(boxed(x)),
                    },
                    UnaryOp::Pos => return Ok(x),
                }
            }
            K::Binary(op, a, b) => {
                PKind::Binary(*op, boxed(self.expr(a, cx)?), boxed(self.expr(b, cx)?))
            }
            K::IsNull { expr, negated } => PKind::IsNull(boxed(self.expr(expr, cx)?), *negated),
            K::CountStar => return self.aggregate(AggKind::Count, false, None, None, span, cx),
            K::Function {
                name,
                distinct,
                args,
            } => {
                if let Some(kind) = functions::aggregate(&name.name) {
                    if args.len() != kind.arity() {
                        let want = match kind.arity() {
                            1 => "one argument".to_string(),
                            n => format!("{n} arguments"),
                        };
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "InvalidNumberOfArguments",
                            format!("`{}` takes {want}, got {}", name.name, args.len()),
                            span,
                        ));
                    }
                    return self.aggregate(kind, *distinct, args.first(), args.get(1), span, cx);
                }
                if *distinct {
                    return Err(QueryError::semantic(
                        format!(
                            "`DISTINCT` only applies to aggregates, not to `{}`",
                            name.name
                        ),
                        span,
                    ));
                }
                let Some(f) = functions::lookup(&name.name) else {
                    let near = names::nearest(&name.name, functions::names(), 1);
                    let mut err = err_code(
                        ErrorKind::Semantic,
                        "UnknownFunction",
                        format!("unknown function `{}`", name.name),
                        name.span,
                    );
                    if let Some(h) = did_you_mean(&near) {
                        err = err.with_help(h);
                    }
                    return Err(err);
                };
                if args.len() < f.min_args || args.len() > f.max_args {
                    let want = if f.min_args == f.max_args {
                        format!("{}", f.min_args)
                    } else if f.max_args == usize::MAX {
                        format!("at least {}", f.min_args)
                    } else {
                        format!("{} to {}", f.min_args, f.max_args)
                    };
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "InvalidNumberOfArguments",
                        format!("`{}` takes {want} argument(s), got {}", f.name, args.len()),
                        span,
                    ));
                }
                // `exists(pattern)` is the pattern predicate itself.
                if f.name == "exists" && matches!(args[0].kind, K::Pattern(_)) {
                    return self.expr(&args[0], cx);
                }
                let args = args
                    .iter()
                    .map(|x| self.expr(x, cx))
                    .collect::<Result<_, _>>()?;
                PKind::Call(f, args)
            }
            K::Case {
                operand,
                whens,
                else_,
            } => {
                let operand = operand
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                let whens = whens
                    .iter()
                    .map(|(w, t)| Ok((self.expr(w, cx)?, self.expr(t, cx)?)))
                    .collect::<Result<_, QueryError>>()?;
                let else_ = else_
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                PKind::Case {
                    operand,
                    whens,
                    else_,
                }
            }
            K::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                let list = self.expr(list, cx)?;
                let (slot, (pred, proj)) =
                    self.with_element(variable, "a list comprehension", cx, |p, cx| {
                        let pred = predicate
                            .as_ref()
                            .map(|x| p.expr(x, cx))
                            .transpose()?
                            .map(Box::new);
                        let proj = projection
                            .as_ref()
                            .map(|x| p.expr(x, cx))
                            .transpose()?
                            .map(Box::new);
                        Ok((pred, proj))
                    })?;
                PKind::ListComp {
                    slot,
                    list: boxed(list),
                    pred,
                    proj,
                }
            }
            K::Quantified {
                quantifier,
                variable,
                list,
                predicate,
            } => {
                let list = self.expr(list, cx)?;
                let (slot, pred) =
                    self.with_element(variable, "a quantifier", cx, |p, cx| p.expr(predicate, cx))?;
                PKind::Quantified {
                    q: *quantifier,
                    slot,
                    list: boxed(list),
                    pred: boxed(pred),
                }
            }
            K::ExistsSubquery(q) => self.subquery(q, &cx.scope)?,
            K::Pattern(p) => {
                let part = ast::PatternPart {
                    variable: None,
                    element: ast::PatternElement::Path(p.clone()),
                    span: p.span,
                };
                let mut scope = cx.scope.clone();
                let m =
                    self.plan_match(std::slice::from_ref(&part), None, &mut scope, false, false)?;
                PKind::Exists(Box::new(m))
            }
            K::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                let part = ast::PatternPart {
                    variable: variable.clone(),
                    element: ast::PatternElement::Path(pattern.clone()),
                    span: pattern.span,
                };
                let mut scope = cx.scope.clone();
                let m = self.plan_match(
                    std::slice::from_ref(&part),
                    predicate.as_deref(),
                    &mut scope,
                    false,
                    true,
                )?;
                let saved = std::mem::replace(&mut cx.scope, scope);
                let proj = self.expr(projection, cx);
                cx.scope = saved;
                PKind::PatternComp {
                    pattern: Box::new(m),
                    proj: boxed(proj?),
                }
            }
        };
        Ok(PExpr::new(kind, span))
    }

    fn aggregate(
        &mut self,
        kind: AggKind,
        distinct: bool,
        arg: Option<&ast::Expr>,
        arg2: Option<&ast::Expr>,
        span: Span,
        cx: &mut Cx,
    ) -> Result<PExpr, QueryError> {
        if cx.in_agg {
            return Err(err_code(
                ErrorKind::Semantic,
                "NestedAggregation",
                "an aggregate cannot contain another aggregate",
                span,
            ));
        }
        if cx.aggs.is_none() {
            // An undefined variable in the argument says more.
            cx.in_agg = true;
            let planned = arg
                .iter()
                .chain(&arg2)
                .try_for_each(|a| self.expr(a, cx).map(drop));
            cx.in_agg = false;
            planned?;
            return Err(err_code(
                ErrorKind::Semantic,
                "InvalidAggregation",
                format!("aggregates are not allowed in {}", cx.place),
                span,
            )
            .with_help("aggregate in `WITH` or `RETURN`, then filter with `WITH ... WHERE`"));
        }
        cx.in_agg = true;
        let planned = (|| {
            let a = arg.map(|a| self.expr(a, cx)).transpose()?;
            let b = arg2.map(|a| self.expr(a, cx)).transpose()?;
            Ok::<_, QueryError>((a, b))
        })();
        cx.in_agg = false;
        let (arg, arg2) = planned?;
        let mut checker = Checker {
            slots: &mut self.tys,
        };
        let arg_ty = match &arg {
            Some(a) => checker.check(a)?,
            None => Ty::ANY,
        };
        if let Some(p) = &arg2 {
            let t = checker.check(p)?;
            if !t.may_be(types::NUM) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidArgumentType",
                    format!("a percentile is a number, got {}", t.describe()),
                    p.span,
                ));
            }
        }
        if let Some(a) = &arg
            && calls_random(a)
        {
            return Err(err_code(
                ErrorKind::Semantic,
                "NonConstantExpression",
                format!(
                    "cannot aggregate `{}`: its value changes with every call",
                    self.source(a.span)
                ),
                a.span,
            ));
        }
        let slot = self.slot();
        self.tys[slot] = types::aggregate_type(kind, arg_ty);
        cx.aggs.as_mut().expect("checked above").push(AggCall {
            kind,
            distinct,
            arg,
            arg2,
            slot,
        });
        Ok(PExpr::new(PKind::Slot(slot), span))
    }
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

/// A variable's type in an error message: "a node", "a list of
/// relationships", "a value of type INTEGER"...
fn describe_var(t: Ty) -> String {
    let rels = t.element();
    match t.kinds & !types::NULL {
        types::NODE => "a node".into(),
        types::REL => "a relationship".into(),
        types::PATH => "a path".into(),
        types::LIST if rels.kinds & types::REL != 0 && rels.only(types::REL) => {
            "a list of relationships".into()
        }
        _ => format!("a value of type {}", t.describe()),
    }
}

fn restore(scope: &mut Scope, name: &str, old: Option<Var>) {
    match old {
        Some(v) => {
            scope.vars.insert(name.to_string(), v);
        }
        None => {
            scope.vars.remove(name);
        }
    }
}

/// `slot.key = value` as a filter.
fn prop_eq(slot: Slot, key: &str, value: PExpr) -> PExpr {
    let span = value.span;
    let lhs = PExpr::new(
        PKind::Prop(
            Box::new(PExpr::new(PKind::Slot(slot), span)),
            key.to_string(),
        ),
        span,
    );
    PExpr::new(
        PKind::Binary(BinaryOp::Eq, Box::new(lhs), Box::new(value)),
        span,
    )
}

/// Resolves relation type names (`VIA met_with, ...` of the analyst
/// statements) the way patterns do.
pub fn resolve_rel_types(graph: &Graph, types: &[ast::Ident]) -> Result<Vec<String>, QueryError> {
    let params = BTreeMap::new();
    let planner = Planner::new(graph, "", &params, 0);
    types.iter().map(|t| planner.rel_type(t)).collect()
}

/// Resolves an entity reference to one node, or explains why it cannot.
pub fn resolve_entity(graph: &Graph, r: &ast::EntityRef) -> Result<NodeIndex, QueryError> {
    match graph.resolve(&r.text) {
        Resolution::One(ix) => Ok(ix),
        Resolution::None { nearest } => {
            let mut err = QueryError::semantic(format!("no entity is called `{}`", r.text), r.span)
                .with_code("UnknownEntity");
            let near: Vec<&str> = nearest.iter().map(String::as_str).take(5).collect();
            if let Some(h) = did_you_mean(&near) {
                err = err.with_help(h);
            }
            Err(err)
        }
        Resolution::Many(ixs) => {
            let list: Vec<String> = ixs
                .iter()
                .map(|ix| {
                    let n = graph.node(*ix);
                    match n.kind() {
                        Some(k) => format!("`{}` ({}, {k})", n.id, n.display_name()),
                        None => format!("`{}` ({})", n.id, n.display_name()),
                    }
                })
                .collect();
            Err(QueryError::semantic(
                format!(
                    "`{}` is ambiguous: it names {} entities: {}",
                    r.text,
                    ixs.len(),
                    list.join(", ")
                ),
                r.span,
            )
            .with_code("AmbiguousEntity")
            .with_help("use the id of the one you mean"))
        }
    }
}
