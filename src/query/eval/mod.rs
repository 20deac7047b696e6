//! The evaluator: runs a `QueryPlan` over a `Graph`.
//!
//! A single query is a pipeline of operators (`plan::Op`). Rows are pushed
//! through it one at a time (`Exec::push`): a `MATCH` pushes every match of
//! its pattern for each incoming row, streaming operators pass rows on, and
//! blocking ones (aggregation, sorting) keep them until the input ends
//! (`Exec::finish`). A `LIMIT` that is satisfied answers `Flow::Stop`, which
//! stops everything upstream of it, so `MATCH (n) RETURN n LIMIT 1` looks at
//! one node.
//!
//! Every loop that can run long ticks a work counter (`Exec::tick`), which
//! enforces `Options::max_work` and polls the cancel flag.
//!
//! Results are deterministic: nodes are scanned in insertion order and a
//! node's relations in the order they were added, groups come out in the
//! order they were first seen, and sorting is stable.

mod expr;
mod key;
mod matcher;
mod movable;
mod ops;
pub mod profile;
pub mod temporal;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::fxhash::FastSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};
use std::time::{Duration, Instant};

use regex::Regex;

pub use key::{Key, equivalent};
pub use ops::{compare, equals};
pub use profile::{OpCounters, Profile};

use super::ast;
use super::dates;
use super::error::{ErrorKind, QueryError};
use super::functions::AggKind;
use super::ir::{AggregatePlan, Op, PExpr, QueryPlan, SinglePlan};
use super::limits::{self, RowStream};
use super::plan;
use super::procedures::TableProcedure;
use super::result::{ResultSet, Rows};
use crate::model::{Graph, Value};

/// How a statement runs: the execution context every entry point takes
/// (`engine`), with the limits, the cancel flag, and what front ends read
/// while it runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The number of hops an unbounded `*` stands for over curated data
    /// (over a schema-less graph it is unbounded, as in openCypher).
    pub max_hops: u32,
    /// More result rows than this is an error (`ErrorKind::Limit`); none
    /// by default (the memory budget bounds the rows held).
    pub max_rows: usize,
    /// The budget of work: nodes scanned, relations followed, rows made.
    /// `None`: `limits::default_work` of the graph.
    pub max_work: Option<u64>,
    /// Values of `$name` parameters.
    pub params: BTreeMap<String, Value>,
    /// Set to true (Ctrl-C) to stop a running statement.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The most memory a statement may build and hold, in bytes (counted
    /// approximately, `limits`).
    pub max_memory: u64,
    /// The longest a statement may run (checked with the cancel flag).
    pub timeout: Option<Duration>,
    /// The work done so far by the running statement, updated as it runs,
    /// for a front end to show progress.
    pub progress: Option<Arc<AtomicU64>>,
    /// Where `PROFILE` collects its per-step counters.
    pub profile: Option<Arc<Profile>>,
    /// Apply `optimize`'s rewrites (off only to check they change no
    /// answer).
    pub rewrite: bool,
    /// Whether a search of a few hops may walk its last hop back from the
    /// nodes it looks for (`matcher::varlen`): `None` chooses by counting
    /// the relations each way would read; `Some` forces one way wherever
    /// both apply (tests hold them to the same rows in the same order).
    pub backward_hops: Option<bool>,
    /// Procedures given as tables, callable besides the built-in ones (the
    /// openCypher TCK declares its test procedures so).
    pub procedures: Vec<Arc<TableProcedure>>,
    /// Where the rows of an answer go as they are made, when nothing
    /// forces them to be held (no `UNION` without `ALL`); the answer then
    /// holds no rows and says how many were streamed.
    pub stream: Option<RowStream>,
}

impl Options {
    /// The work budget of a statement over `graph`.
    pub fn work_budget(&self, graph: &Graph) -> u64 {
        self.max_work
            .unwrap_or_else(|| super::limits::default_work(graph))
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_hops: 10,
            max_rows: usize::MAX,
            max_work: None,
            params: BTreeMap::new(),
            cancel: None,
            max_memory: super::limits::DEFAULT_MAX_MEMORY,
            timeout: None,
            progress: None,
            profile: None,
            rewrite: true,
            backward_hops: None,
            procedures: Vec::new(),
            stream: None,
        }
    }
}

/// Plans and runs one query. `text` is the text its spans point into (the
/// statement's source or the whole script it came from): unaliased return
/// items are named after their text there.
pub fn run_query(
    graph: &Graph,
    text: &str,
    q: &ast::Query,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    run_plan(graph, &plan_query(graph, text, q, opts)?, opts)
}

/// Plans a query, with `optimize`'s rewrites unless `opts` turns them off.
pub fn plan_query(
    graph: &Graph,
    text: &str,
    q: &ast::Query,
    opts: &Options,
) -> Result<QueryPlan, QueryError> {
    let mut plan = plan::plan_query(
        graph,
        text,
        q,
        &opts.params,
        opts.max_hops,
        eval_constant,
        &opts.procedures,
    )?;
    if opts.rewrite {
        super::optimize::optimize(&mut plan);
    }
    Ok(plan)
}

/// Runs a planned query. With `opts.stream` set, and nothing that forces
/// the rows to be held (a `UNION` that removes duplicates), the rows go to
/// the stream as they are made and the answer keeps only their number.
pub fn run_plan(graph: &Graph, plan: &QueryPlan, opts: &Options) -> Result<ResultSet, QueryError> {
    // `datetime()` and its kin read one clock per statement.
    super::functions::reset_clock();
    let _meter = limits::Meter::start(opts.max_memory);
    let stream = opts.stream.as_ref().filter(|_| !plan.distinct);
    if let Some(s) = stream {
        lock(s)
            .start(&plan.columns)
            .map_err(|e| limits::write_error(&e))?;
    }
    let ran = run_parts(graph, plan, opts, stream.is_some());
    if let Some(s) = stream {
        let ended = lock(s).end(ran.is_ok());
        if ran.is_ok() {
            ended.map_err(|e| limits::write_error(&e))?;
        }
    }
    ran
}

fn lock(s: &RowStream) -> std::sync::MutexGuard<'_, dyn limits::RowSink + 'static> {
    s.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn run_parts(
    graph: &Graph,
    plan: &QueryPlan,
    opts: &Options,
    streaming: bool,
) -> Result<ResultSet, QueryError> {
    let mut rows = Rows::new();
    let mut work = 0;
    let mut coarse = 0;
    let mut counters = Vec::new();
    let mut streamed = 0;
    for part in &plan.parts {
        let mut ex = Exec::new(graph, opts, part);
        ex.work = work;
        ex.top = true;
        // Held for the part's whole run: nothing else writes to the stream
        // while a statement runs, and a row costs no lock of its own.
        if streaming {
            ex.sink = opts.stream.as_ref().map(lock);
        }
        ex.run()?;
        work = ex.work;
        if let Some(c) = ex.prof.take() {
            counters.push(c);
        }
        coarse += ex.coarse_rows;
        streamed += ex.streamed;
        // The rows stay counted as held: the answer keeps them.
        ex.held = 0;
        rows.append(&mut ex.out);
    }
    if let Some(p) = &opts.progress {
        p.store(work, AtomicOrdering::Relaxed);
    }
    if let Some(p) = &opts.profile {
        p.record(counters, rows.len() as u64);
    }
    if plan.distinct {
        let mut seen = HashSet::new();
        rows.retain(|r| seen.insert(Key(r.to_vec())));
    }
    let mut notes = Vec::new();
    if coarse > 0 {
        notes.push(dates::coarse_note(coarse));
    }
    notes.extend(super::functions::precision_note());
    Ok(ResultSet {
        columns: plan.columns.clone(),
        rows,
        notes,
        streamed: streaming.then_some(streamed),
        ..ResultSet::default()
    })
}

/// Evaluates an expression that reads no variables (for `SKIP`/`LIMIT`).
pub fn eval_constant(graph: &Graph, e: &PExpr, nslots: usize) -> Result<Value, QueryError> {
    let opts = Options::default();
    let plan = SinglePlan {
        nslots,
        ops: Vec::new(),
        names: Vec::new(),
        curated: graph.schema.is_some(),
    };
    let mut ex = Exec::new(graph, &opts, &plan);
    let mut row = vec![Value::Null; nslots];
    ex.eval(e, &mut row)
}

/// Binds a slot to a node. A slot that holds a node already gets the new
/// number in place: no drop of the old value, and no whole value built
/// apart and copied in (a stall when its parts were just written), in the
/// loops that bind one slot many times.
#[inline]
pub(crate) fn set_node(slot: &mut Value, ix: petgraph::graph::NodeIndex) {
    match slot {
        Value::Node(n) => *n = ix,
        other => *other = Value::Node(ix),
    }
}

/// Binds a slot to a relation (see `set_node`).
#[inline]
pub(crate) fn set_rel(slot: &mut Value, ix: petgraph::graph::EdgeIndex) {
    match slot {
        Value::Rel(r) => *r = ix,
        other => *other = Value::Rel(ix),
    }
}

/// The slots `slots` name as one range of the row, when they are
/// consecutive and in order.
#[inline]
fn in_order(slots: &[usize]) -> Option<std::ops::Range<usize>> {
    let first = *slots.first()?;
    slots
        .iter()
        .enumerate()
        .all(|(k, s)| *s == first + k)
        .then(|| first..first + slots.len())
}

/// Whether upstream operators should keep sending rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// The per-operator state of the blocking and counting operators.
enum State {
    None,
    Agg(AggState),
    Seen(FastSet<Key>),
    Sort(SortState),
    Count(usize),
}

/// The rows a `Sort` holds. Followed by `LIMIT` (after an optional
/// `SKIP`), it keeps only the rows that can still make the cut: a top-k
/// selection instead of sorting everything.
#[derive(Default)]
struct SortState {
    rows: Vec<SortRow>,
    /// How many rows the operators after the sort can use.
    keep: Option<usize>,
    /// The arrival number of the next row; ties are broken by it, so the
    /// order is the one a stable sort of all rows gives.
    next: u64,
    /// After a selection: the worst row kept, which a new row must beat.
    worst: Option<(Vec<Value>, u64)>,
    /// About how many bytes the rows take (`limits::row_bytes`).
    bytes: u64,
}

struct SortRow {
    keys: Vec<Value>,
    seq: u64,
    row: Vec<Value>,
}

impl SortRow {
    fn bytes(&self) -> u64 {
        limits::row_bytes(&self.keys) + limits::row_bytes(&self.row)
    }
}

fn sort_cmp(
    (a, sa): (&[Value], u64),
    (b, sb): (&[Value], u64),
    dirs: &[(PExpr, bool)],
) -> std::cmp::Ordering {
    for ((x, y), (_, desc)) in a.iter().zip(b).zip(dirs) {
        let o = x.total_cmp(y);
        let o = if *desc { o.reverse() } else { o };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    sa.cmp(&sb)
}

/// How many rows the operators after `ops[ix]` can use, when a `LIMIT`
/// bounds it.
fn rows_needed(ops: &[Op], ix: usize) -> Option<usize> {
    match ops.get(ix + 1..)? {
        [Op::Limit(n), ..] => Some(*n),
        [Op::Skip(s), Op::Limit(n), ..] => Some(s.saturating_add(*n)),
        _ => None,
    }
}

#[derive(Default)]
struct AggState {
    /// Group numbers by the hash of their keys (the keys live in `groups`,
    /// once).
    index: hashbrown::HashTable<usize>,
    groups: Vec<Group>,
    /// The slots of a group's first row that something after the
    /// aggregation reads besides its keys and aggregates (an item that
    /// mixes them, a later operator): only these are kept per group.
    keep: Vec<usize>,
}

impl AggState {
    fn new(plan: &SinglePlan, ix: usize, a: &AggregatePlan) -> Self {
        let mut keep = Vec::new();
        for (e, _) in &a.post {
            e.slots(&mut keep);
        }
        keep.extend(super::optimize::reads_from(plan, ix + 1));
        let written: Vec<usize> = a
            .keys
            .iter()
            .map(|(_, s)| *s)
            .chain(a.aggs.iter().map(|c| c.slot))
            .collect();
        keep.retain(|s| !written.contains(s) && *s < plan.nslots);
        keep.sort_unstable();
        keep.dedup();
        AggState {
            keep,
            ..AggState::default()
        }
    }
}

fn key_hash(keys: &[Value]) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<crate::model::fxhash::FxHasher>::default().hash_one(key::KeyRef(keys))
}

struct Group {
    keys: Vec<Value>,
    /// The values of the group's first row in the slots `AggState::keep`
    /// names, for items that mix keys and aggregates and later operators.
    row: Vec<Value>,
    accs: Vec<Acc>,
    seen: Vec<FastSet<Key>>,
}

enum Acc {
    Count(i64),
    Collect(Vec<Value>),
    Sum {
        int: i64,
        float: f64,
        is_float: bool,
    },
    Avg {
        sum: f64,
        n: u64,
    },
    Min(Value),
    Max(Value),
    /// Welford's running mean and sum of squared deviations.
    StDev {
        n: u64,
        mean: f64,
        m2: f64,
        population: bool,
    },
    Percentile {
        values: Vec<Value>,
        p: Option<f64>,
        cont: bool,
    },
}

impl Acc {
    fn new(kind: AggKind) -> Acc {
        match kind {
            AggKind::Count => Acc::Count(0),
            AggKind::Collect => Acc::Collect(Vec::new()),
            AggKind::Sum => Acc::Sum {
                int: 0,
                float: 0.0,
                is_float: false,
            },
            AggKind::Avg => Acc::Avg { sum: 0.0, n: 0 },
            AggKind::Min => Acc::Min(Value::Null),
            AggKind::Max => Acc::Max(Value::Null),
            AggKind::StDev | AggKind::StDevP => Acc::StDev {
                n: 0,
                mean: 0.0,
                m2: 0.0,
                population: kind == AggKind::StDevP,
            },
            AggKind::PercentileDisc | AggKind::PercentileCont => Acc::Percentile {
                values: Vec::new(),
                p: None,
                cont: kind == AggKind::PercentileCont,
            },
        }
    }

    /// The percentile of `percentileDisc` / `percentileCont`, from a row.
    fn percentile(&mut self, v: &Value, span: ast::Span) -> Result<(), QueryError> {
        let Acc::Percentile { p, .. } = self else {
            return Ok(());
        };
        let x = match v {
            Value::Null => return Ok(()),
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            v => {
                return Err(ops::type_error(
                    format!("a percentile is a number, got {}", v.type_name()),
                    span,
                ));
            }
        };
        if !(0.0..=1.0).contains(&x) {
            return Err(QueryError::new(
                ErrorKind::Runtime,
                format!(
                    "a percentile is a number from 0 to 1, got {}",
                    Value::Float(x)
                ),
                Some(span),
            )
            .with_code("NumberOutOfRange"));
        }
        *p = Some(x);
        Ok(())
    }

    fn add(&mut self, v: Value, span: ast::Span) -> Result<(), QueryError> {
        match self {
            Acc::Count(n) => *n += 1,
            Acc::Collect(l) => l.push(v),
            Acc::Sum {
                int,
                float,
                is_float,
            } => match v {
                Value::Int(i) if !*is_float => {
                    *int = int.checked_add(i).ok_or_else(|| {
                        QueryError::new(ErrorKind::Runtime, "integer overflow in `sum`", Some(span))
                            .with_code("IntegerOverflow")
                    })?
                }
                Value::Int(i) => *float += i as f64,
                Value::Float(f) => {
                    if !*is_float {
                        *is_float = true;
                        *float = *int as f64;
                    }
                    *float += f;
                }
                v => {
                    return Err(ops::type_error(
                        format!("`sum` expects numbers, got {}", v.type_name()),
                        span,
                    ));
                }
            },
            Acc::Avg { sum, n } => match v {
                Value::Int(i) => {
                    *sum += i as f64;
                    *n += 1;
                }
                Value::Float(f) => {
                    *sum += f;
                    *n += 1;
                }
                v => {
                    return Err(ops::type_error(
                        format!("`avg` expects numbers, got {}", v.type_name()),
                        span,
                    ));
                }
            },
            Acc::Min(m) => {
                if m.is_null() || v.total_cmp(m) == std::cmp::Ordering::Less {
                    *m = v;
                }
            }
            Acc::Max(m) => {
                if m.is_null() || v.total_cmp(m) == std::cmp::Ordering::Greater {
                    *m = v;
                }
            }
            Acc::StDev { n, mean, m2, .. } => {
                let x = match v {
                    Value::Int(i) => i as f64,
                    Value::Float(f) => f,
                    v => {
                        return Err(ops::type_error(
                            format!("`stDev` expects numbers, got {}", v.type_name()),
                            span,
                        ));
                    }
                };
                *n += 1;
                let delta = x - *mean;
                *mean += delta / *n as f64;
                *m2 += delta * (x - *mean);
            }
            Acc::Percentile { values, .. } => match v {
                Value::Int(_) | Value::Float(_) => values.push(v),
                v => {
                    return Err(ops::type_error(
                        format!("a percentile is taken of numbers, got {}", v.type_name()),
                        span,
                    ));
                }
            },
        }
        Ok(())
    }

    fn finish(self) -> Value {
        match self {
            Acc::Count(n) => Value::Int(n),
            Acc::Collect(l) => Value::List(l),
            Acc::Sum {
                int,
                float,
                is_float,
            } => {
                if is_float {
                    Value::Float(float)
                } else {
                    Value::Int(int)
                }
            }
            Acc::Avg { sum, n } => {
                if n == 0 {
                    Value::Null
                } else {
                    Value::Float(sum / n as f64)
                }
            }
            Acc::Min(v) | Acc::Max(v) => v,
            Acc::StDev {
                n, m2, population, ..
            } => {
                let d = if population { n } else { n.saturating_sub(1) };
                if d == 0 {
                    Value::Float(0.0)
                } else {
                    Value::Float((m2 / d as f64).sqrt())
                }
            }
            Acc::Percentile {
                mut values,
                p,
                cont,
            } => {
                let (Some(p), false) = (p, values.is_empty()) else {
                    return Value::Null;
                };
                values.sort_by(|a, b| a.total_cmp(b));
                let n = values.len();
                let num = |v: &Value| match v {
                    Value::Int(i) => *i as f64,
                    Value::Float(f) => *f,
                    _ => f64::NAN,
                };
                if p >= 1.0 || n == 1 {
                    let last = values.pop().unwrap_or(Value::Null);
                    return if cont { Value::Float(num(&last)) } else { last };
                }
                if cont {
                    let at = p * (n - 1) as f64;
                    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
                    let (a, b) = (num(&values[lo]), num(&values[hi.min(n - 1)]));
                    Value::Float(if lo == hi {
                        a
                    } else {
                        a + (b - a) * (at - lo as f64)
                    })
                } else {
                    // The smallest value with at least p of the values at
                    // or below it.
                    let at = p * n as f64;
                    let k = at.ceil() as usize;
                    values.swap_remove(k.saturating_sub(1).min(n - 1))
                }
            }
        }
    }
}

impl SortState {
    /// Keeps the best `keep` rows and remembers the worst of them.
    fn select(&mut self, keep: usize, dirs: &[(PExpr, bool)]) {
        if self.rows.len() > keep {
            if keep > 0 {
                self.rows.select_nth_unstable_by(keep - 1, |a, b| {
                    sort_cmp((&a.keys, a.seq), (&b.keys, b.seq), dirs)
                });
            }
            self.rows.truncate(keep);
        }
        if self.rows.len() == keep {
            self.worst = self
                .rows
                .iter()
                .max_by(|a, b| sort_cmp((&a.keys, a.seq), (&b.keys, b.seq), dirs))
                .map(|r| (r.keys.clone(), r.seq));
        }
    }
}

/// The running state of one single query.
pub(crate) struct Exec<'a> {
    pub(crate) graph: &'a Graph,
    opts: &'a Options,
    plan: &'a SinglePlan,
    states: Vec<State>,
    pub(crate) work: u64,
    /// The work budget (`Options::work_budget`).
    max_work: u64,
    /// The answer's rows, when they are held.
    out: Rows,
    /// Bytes this evaluator counts as held (`limits::hold`), given back
    /// when it is dropped.
    held: u64,
    /// The evaluator of a part of the statement (not of a subquery): its
    /// rows are the answer's.
    top: bool,
    /// Where its rows go, when they go to `Options::stream`: the stream,
    /// locked while the evaluator runs.
    sink: Option<std::sync::MutexGuard<'a, dyn limits::RowSink + 'static>>,
    /// The values of a streamed row whose columns are not its slots in
    /// order, reused from row to row.
    scratch: Vec<Value>,
    /// Rows sent to the stream.
    streamed: usize,
    regexes: HashMap<String, Regex>,
    pub(crate) curated: bool,
    /// When the statement must have finished (`Options::timeout`).
    deadline: Option<Instant>,
    /// Set when a date comparison was unknown because of precision.
    pub(crate) coarse: bool,
    /// Rows filters dropped because of that.
    coarse_rows: usize,
    /// `PROFILE`'s counters, one per operator, when it is on.
    pub(crate) prof: Option<Vec<OpCounters>>,
    /// For each column of the final `Emit`: whether it may move the value
    /// out of the row instead of copying it (see `movable_columns`).
    movable: Vec<bool>,
    /// How many relations a counted step follows from a node, by step and
    /// node, kept for a node the step starts from again (`expand_count`).
    pub(crate) hop_counts: crate::model::fxhash::FastMap<(usize, petgraph::graph::NodeIndex), u64>,
}

impl Drop for Exec<'_> {
    fn drop(&mut self) {
        limits::release(self.held);
    }
}

impl<'a> Exec<'a> {
    pub(crate) fn new(graph: &'a Graph, opts: &'a Options, plan: &'a SinglePlan) -> Self {
        let states = plan
            .ops
            .iter()
            .enumerate()
            .map(|(ix, op)| match op {
                Op::Aggregate(a) => State::Agg(AggState::new(plan, ix, a)),
                Op::Distinct(_) => State::Seen(FastSet::default()),
                Op::Sort(_) => State::Sort(SortState {
                    keep: rows_needed(&plan.ops, ix),
                    ..SortState::default()
                }),
                Op::Skip(_) | Op::Limit(_) => State::Count(0),
                _ => State::None,
            })
            .collect();
        Exec {
            graph,
            opts,
            plan,
            states,
            work: 0,
            max_work: opts.work_budget(graph),
            out: Rows::new(),
            held: 0,
            top: false,
            sink: None,
            scratch: Vec::new(),
            streamed: 0,
            regexes: HashMap::new(),
            curated: graph.schema.is_some(),
            deadline: opts.timeout.map(|t| Instant::now() + t),
            coarse: false,
            coarse_rows: 0,
            movable: movable::movable_columns(&plan.ops),
            hop_counts: Default::default(),
            prof: opts.profile.as_ref().map(|_| {
                plan.ops
                    .iter()
                    .map(|op| OpCounters {
                        steps: match op {
                            Op::Match(m) => vec![0; m.steps.len()],
                            _ => Vec::new(),
                        },
                        ..OpCounters::default()
                    })
                    .collect()
            }),
        }
    }

    fn run(&mut self) -> Result<(), QueryError> {
        let mut row = vec![Value::Null; self.plan.nslots];
        self.push(0, &mut row)?;
        self.finish(0)
    }

    /// One unit of work: enforces the budget and polls the cancel flag.
    #[inline]
    pub(crate) fn tick(&mut self) -> Result<(), QueryError> {
        self.work += 1;
        if self.work > self.max_work || self.work & 1023 == 0 {
            return self.tick_checks();
        }
        Ok(())
    }

    /// `n` units of work at once, done already (a loop too tight to count
    /// each): the same budget, and the same checks when the count passes
    /// a multiple of 1,024.
    #[inline]
    pub(crate) fn tick_many(&mut self, n: u64) -> Result<(), QueryError> {
        let before = self.work;
        self.work += n;
        if self.work > self.max_work || before >> 10 != self.work >> 10 {
            return self.tick_checks();
        }
        Ok(())
    }

    /// The budget, then what is polled every 1,024 units: progress, the
    /// cancel flag and the deadline.
    #[cold]
    fn tick_checks(&mut self) -> Result<(), QueryError> {
        if self.work > self.max_work {
            return Err(limits::work_error(self.max_work));
        }
        if let Some(p) = &self.opts.progress {
            p.store(self.work, AtomicOrdering::Relaxed);
        }
        self.check_cancel()?;
        if let Some(d) = self.deadline
            && Instant::now() >= d
        {
            return Err(limits::time_error(self.opts.timeout.unwrap_or_default()));
        }
        Ok(())
    }

    /// Counts `bytes` as held by this evaluator (`limits::hold`).
    pub(crate) fn hold(&mut self, bytes: u64) -> Result<(), QueryError> {
        self.held += bytes;
        limits::hold(bytes)
    }

    /// Gives back `bytes` this evaluator held.
    fn release(&mut self, bytes: u64) {
        let bytes = bytes.min(self.held);
        self.held -= bytes;
        limits::release(bytes);
    }

    fn check_cancel(&self) -> Result<(), QueryError> {
        if let Some(c) = &self.opts.cancel
            && c.load(AtomicOrdering::Relaxed)
        {
            return Err(QueryError::new(
                ErrorKind::Cancelled,
                "the query was cancelled",
                None,
            ));
        }
        Ok(())
    }

    /// Pushes a row into operator `ix`.
    pub(crate) fn push(&mut self, ix: usize, row: &mut [Value]) -> Result<Flow, QueryError> {
        if self.prof.is_none() {
            return self.push_op(ix, row);
        }
        let started = Instant::now();
        let flow = self.push_op(ix, row);
        if let Some(c) = self.prof.as_mut().and_then(|p| p.get_mut(ix)) {
            c.rows_in += 1;
            c.nanos += started.elapsed().as_nanos() as u64;
        }
        flow
    }

    fn push_op(&mut self, ix: usize, row: &mut [Value]) -> Result<Flow, QueryError> {
        let plan = self.plan;
        let Some(op) = plan.ops.get(ix) else {
            return Ok(Flow::Continue);
        };
        match op {
            Op::Match(m) => self.run_match(m, ix + 1, row),
            Op::Unwind { expr, slot } => match self.eval(expr, row)? {
                Value::Null => Ok(Flow::Continue),
                Value::List(items) => {
                    for item in items {
                        self.tick()?;
                        row[*slot] = item;
                        if self.push(ix + 1, row)? == Flow::Stop {
                            return Ok(Flow::Stop);
                        }
                    }
                    Ok(Flow::Continue)
                }
                v => {
                    row[*slot] = v;
                    self.push(ix + 1, row)
                }
            },
            Op::Filter(e) => {
                if self.filter(e, row)? {
                    self.push(ix + 1, row)
                } else {
                    Ok(Flow::Continue)
                }
            }
            Op::Project(items) if items.len() == 1 => {
                // One item: nothing it reads can be overwritten first.
                let (e, slot) = &items[0];
                row[*slot] = self.eval(e, row)?;
                self.push(ix + 1, row)
            }
            Op::Project(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for (e, _) in items {
                    vals.push(self.eval(e, row)?);
                }
                for ((_, s), v) in items.iter().zip(vals) {
                    row[*s] = v;
                }
                self.push(ix + 1, row)
            }
            Op::Aggregate(a) if a.per_row => {
                self.aggregate_alone(a, row)?;
                self.push(ix + 1, row)
            }
            Op::Aggregate(a) => {
                self.aggregate_row(ix, a, row)?;
                Ok(Flow::Continue)
            }
            Op::Distinct(slots) => {
                let key = Key(slots.iter().map(|s| row[*s].clone()).collect());
                let bytes = limits::row_bytes(&key.0);
                let State::Seen(seen) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                if seen.insert(key) {
                    self.hold(bytes)?;
                    self.push(ix + 1, row)
                } else {
                    Ok(Flow::Continue)
                }
            }
            Op::Sort(keys) => {
                // Against the worst row a top-k selection keeps, a row is
                // decided by its first key that differs: the keys after it
                // are not computed for a row that cannot enter.
                let mut k = Vec::with_capacity(keys.len());
                let mut better = false;
                for (j, (e, desc)) in keys.iter().enumerate() {
                    let v = self.eval(e, row)?;
                    if !better
                        && let State::Sort(SortState {
                            worst: Some((w, _)),
                            ..
                        }) = &self.states[ix]
                    {
                        let o = v.total_cmp(&w[j]);
                        match if *desc { o.reverse() } else { o } {
                            std::cmp::Ordering::Greater => return Ok(Flow::Continue),
                            std::cmp::Ordering::Less => better = true,
                            std::cmp::Ordering::Equal => {}
                        }
                    }
                    k.push(v);
                }
                let State::Sort(st) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                let seq = st.next;
                st.next += 1;
                // Equal keys: the earlier row (the worst kept) goes first.
                if !better && st.worst.is_some() {
                    return Ok(Flow::Continue);
                }
                let sorted = SortRow {
                    keys: k,
                    seq,
                    row: row.to_vec(),
                };
                let bytes = limits::row_bytes(&sorted.keys) + limits::row_bytes(&sorted.row);
                st.bytes += bytes;
                st.rows.push(sorted);
                let mut freed = 0;
                if let Some(keep) = st.keep
                    && st.rows.len() >= keep.saturating_mul(2).max(1024)
                {
                    st.select(keep, keys);
                    let kept = st.rows.iter().map(SortRow::bytes).sum::<u64>();
                    freed = st.bytes.saturating_sub(kept);
                    st.bytes = kept;
                }
                self.release(freed);
                self.hold(bytes)?;
                Ok(Flow::Continue)
            }
            Op::Skip(n) => {
                let State::Count(c) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                if *c < *n {
                    *c += 1;
                    Ok(Flow::Continue)
                } else {
                    self.push(ix + 1, row)
                }
            }
            Op::Limit(n) => {
                let State::Count(c) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                if *c >= *n {
                    return Ok(Flow::Stop);
                }
                *c += 1;
                let done = *c >= *n;
                let flow = self.push(ix + 1, row)?;
                Ok(if done { Flow::Stop } else { flow })
            }
            Op::Call {
                procedure,
                args,
                outputs,
                pass,
            } => {
                let mut values = Vec::with_capacity(args.len());
                for (a, (name, ty)) in args.iter().zip(&procedure.signature.inputs) {
                    let v = self.eval(a, row)?;
                    if !ty.accepts(&v) {
                        return Err(QueryError::new(
                            ErrorKind::Runtime,
                            format!(
                                "`{}` takes a {} for `{name}`, got {}",
                                procedure.signature.name,
                                ty.name(),
                                v.type_name()
                            ),
                            Some(a.span),
                        )
                        .with_code("InvalidArgumentType"));
                    }
                    values.push(v);
                }
                self.tick()?;
                let results = procedure.call(self.graph, &values);
                if *pass {
                    return self.push(ix + 1, row);
                }
                for result in results {
                    self.tick()?;
                    for (k, slot) in outputs {
                        row[*slot] = result.get(*k).cloned().unwrap_or(Value::Null);
                    }
                    if self.push(ix + 1, row)? == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                }
                Ok(Flow::Continue)
            }
            Op::Emit(slots) => self.emit(slots, row),
        }
    }

    /// `Op::Emit`: one row of the answer, to the stream or held.
    pub(crate) fn emit(&mut self, slots: &[usize], row: &mut [Value]) -> Result<Flow, QueryError> {
        if self.out.len() + self.streamed >= self.opts.max_rows {
            return Err(limits::rows_error(self.opts.max_rows));
        }
        if let Some(sink) = self.sink.as_mut() {
            self.streamed += 1;
            // Lent to the stream where the columns are slots of the
            // row in order (always so for one column): no copy of
            // a value, no list per row.
            let written = match in_order(slots) {
                Some(range) => sink.row(&row[range]),
                None => {
                    self.scratch.extend(slots.iter().map(|s| row[*s].clone()));
                    let written = sink.row(&self.scratch);
                    self.scratch.clear();
                    written
                }
            };
            written.map_err(|e| limits::write_error(&e))?;
            return Ok(Flow::Continue);
        }
        let movable = &self.movable;
        self.out.push(slots.iter().enumerate().map(|(k, s)| {
            if movable.get(k).copied().unwrap_or(false) {
                std::mem::replace(&mut row[*s], Value::Null)
            } else {
                row[*s].clone()
            }
        }));
        let bytes = self.out.last().map_or(0, limits::row_bytes);
        self.hold(limits::ANSWER_FACTOR * bytes)?;
        Ok(Flow::Continue)
    }

    /// The input of operator `ix` has ended: flush what it holds, then
    /// the operators after it.
    fn finish(&mut self, ix: usize) -> Result<(), QueryError> {
        for ix in ix..self.plan.ops.len() {
            let started = self.prof.as_ref().map(|_| Instant::now());
            self.flush(ix)?;
            if let (Some(t), Some(c)) = (started, self.prof.as_mut().and_then(|p| p.get_mut(ix))) {
                c.flush_nanos += t.elapsed().as_nanos() as u64;
            }
        }
        Ok(())
    }

    /// The input of operator `ix` has ended: push on the rows it holds.
    fn flush(&mut self, ix: usize) -> Result<(), QueryError> {
        let plan = self.plan;
        let Some(op) = plan.ops.get(ix) else {
            return Ok(());
        };
        match op {
            Op::Aggregate(a) => {
                let State::Agg(state) = std::mem::replace(&mut self.states[ix], State::None) else {
                    unreachable!("state made for the op")
                };
                let mut groups = state.groups;
                if groups.is_empty() && a.keys.is_empty() {
                    groups.push(Group {
                        keys: Vec::new(),
                        row: vec![Value::Null; state.keep.len()],
                        accs: a.aggs.iter().map(|c| Acc::new(c.kind)).collect(),
                        seen: Vec::new(),
                    });
                }
                for g in groups {
                    self.check_cancel()?;
                    let mut row = vec![Value::Null; self.plan.nslots];
                    for (s, v) in state.keep.iter().zip(g.row) {
                        row[*s] = v;
                    }
                    for ((_, s), v) in a.keys.iter().zip(g.keys) {
                        row[*s] = v;
                    }
                    for (c, acc) in a.aggs.iter().zip(g.accs) {
                        row[c.slot] = acc.finish();
                    }
                    for (e, s) in &a.post {
                        row[*s] = self.eval(e, &mut row)?;
                    }
                    if self.push(ix + 1, &mut row)? == Flow::Stop {
                        break;
                    }
                }
            }
            Op::Sort(keys) => {
                let State::Sort(mut st) = std::mem::replace(&mut self.states[ix], State::None)
                else {
                    unreachable!("state made for the op")
                };
                if let Some(keep) = st.keep {
                    st.select(keep, keys);
                }
                st.rows
                    .sort_unstable_by(|a, b| sort_cmp((&a.keys, a.seq), (&b.keys, b.seq), keys));
                for SortRow { mut row, .. } in st.rows {
                    if self.push(ix + 1, &mut row)? == Flow::Stop {
                        break;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `AggregatePlan::per_row`: the row is a group of its own; its keys,
    /// aggregates (each over this one row, by the same accumulators) and
    /// mixed items are written into it.
    fn aggregate_alone(&mut self, a: &AggregatePlan, row: &mut [Value]) -> Result<(), QueryError> {
        let mut out = Vec::with_capacity(a.keys.len() + a.aggs.len());
        for (e, s) in &a.keys {
            out.push((*s, self.eval(e, row)?));
        }
        for c in &a.aggs {
            let mut acc = Acc::new(c.kind);
            if let Some(e) = &c.arg2 {
                let p = self.eval(e, row)?;
                acc.percentile(&p, e.span)?;
            }
            let v = match &c.arg {
                Some(e) => self.eval(e, row)?,
                // count(*) counts rows.
                None => Value::Bool(true),
            };
            if !v.is_null() {
                let span = c.arg.as_ref().map(|e| e.span).unwrap_or_default();
                acc.add(v, span)?;
            }
            out.push((c.slot, acc.finish()));
        }
        for (s, v) in out {
            row[s] = v;
        }
        for (e, s) in &a.post {
            row[*s] = self.eval(e, row)?;
        }
        Ok(())
    }

    fn aggregate_row(
        &mut self,
        ix: usize,
        a: &AggregatePlan,
        row: &mut [Value],
    ) -> Result<(), QueryError> {
        let mut keys = Vec::with_capacity(a.keys.len());
        for (e, _) in &a.keys {
            keys.push(self.eval(e, row)?);
        }
        let State::Agg(state) = &mut self.states[ix] else {
            unreachable!("state made for the op")
        };
        let groups = &state.groups;
        let hash;
        let found = if keys.is_empty() && !groups.is_empty() {
            // No keys: one group, the first.
            hash = 0;
            Some(&0)
        } else {
            hash = key_hash(&keys);
            state.index.find(hash, |&g| {
                let k = &groups[g].keys;
                k.len() == keys.len() && k.iter().zip(&keys).all(|(x, y)| equivalent(x, y))
            })
        };
        let gi = match found {
            Some(&g) => g,
            None => {
                let State::Agg(state) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                let first: Vec<Value> = state.keep.iter().map(|s| row[*s].clone()).collect();
                let bytes = limits::row_bytes(&keys) + limits::row_bytes(&first);
                self.hold(bytes)?;
                let State::Agg(state) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                let g = state.groups.len();
                let distinct = a.aggs.iter().any(|c| c.distinct);
                state.groups.push(Group {
                    keys,
                    row: first,
                    accs: a.aggs.iter().map(|c| Acc::new(c.kind)).collect(),
                    // Sets only for `DISTINCT` aggregates.
                    seen: if distinct {
                        a.aggs.iter().map(|_| FastSet::default()).collect()
                    } else {
                        Vec::new()
                    },
                });
                let groups = &state.groups;
                state
                    .index
                    .insert_unique(hash, g, |&i| key_hash(&groups[i].keys));
                g
            }
        };
        for (i, c) in a.aggs.iter().enumerate() {
            let v = match &c.arg {
                Some(e) => Some(self.eval(e, row)?),
                None => None,
            };
            if let Some(e) = &c.arg2 {
                let p = self.eval(e, row)?;
                let State::Agg(state) = &mut self.states[ix] else {
                    unreachable!("state made for the op")
                };
                state.groups[gi].accs[i].percentile(&p, e.span)?;
            }
            let v = match v {
                // count(*) counts rows.
                None => Value::Bool(true),
                Some(Value::Null) => continue,
                Some(v) => v,
            };
            let State::Agg(state) = &mut self.states[ix] else {
                unreachable!("state made for the op")
            };
            let group = &mut state.groups[gi];
            if c.distinct && !group.seen[i].insert(Key(vec![v.clone()])) {
                continue;
            }
            // What the accumulator keeps: the values of `collect()` and of
            // percentiles, and the set of a `DISTINCT` aggregate.
            let kept = matches!(group.accs[i], Acc::Collect(_) | Acc::Percentile { .. });
            let bytes = u64::from(c.distinct || kept) * limits::value_bytes(&v);
            let State::Agg(state) = &mut self.states[ix] else {
                unreachable!("state made for the op")
            };
            let group = &mut state.groups[gi];
            let span = c.arg.as_ref().map(|e| e.span).unwrap_or_default();
            group.accs[i].add(v, span)?;
            if bytes > 0 {
                self.hold(bytes)?;
            }
        }
        Ok(())
    }

    /// A filter (`WHERE`) keeps a row: only `true` counts. A row dropped
    /// because a date comparison in it was unknown (its dates too coarse)
    /// is counted, for the answer's note.
    pub(crate) fn filter(&mut self, e: &PExpr, row: &mut [Value]) -> Result<bool, QueryError> {
        self.coarse = false;
        let keep = self.test(e, row)?;
        if !keep && self.coarse {
            self.coarse_rows += 1;
        }
        Ok(keep)
    }

    /// A predicate holds: only `true` counts.
    pub(crate) fn test(&mut self, e: &PExpr, row: &mut [Value]) -> Result<bool, QueryError> {
        match self.eval(e, row)? {
            Value::Bool(b) => Ok(b),
            Value::Null => Ok(false),
            v => Err(ops::type_error(
                format!("a predicate must be a boolean, got {}", v.type_name()),
                e.span,
            )),
        }
    }

    fn regex(&mut self, pattern: &str, span: ast::Span) -> Result<&Regex, QueryError> {
        if !self.regexes.contains_key(pattern) {
            let re = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                QueryError::new(
                    ErrorKind::Runtime,
                    format!(
                        "invalid regular expression `{pattern}`: {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                    Some(span),
                )
                .with_code("InvalidArgumentValue")
            })?;
            self.regexes.insert(pattern.to_string(), re);
        }
        Ok(&self.regexes[pattern])
    }
}
