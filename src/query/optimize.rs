//! Rewrites of a planned query that change how much work it takes, never
//! its answer: the planner writes down what the query says, this pass
//! notices where the rest of the query cannot tell the difference.
//!
//! - **Counting instead of enumerating.** `MATCH (p:Person)-[r]-() RETURN
//!   p, count(r)` needs the number of `p`'s relations, not a row for each:
//!   when the last step of a `MATCH` binds variables that nothing reads
//!   but `count(*)` / `count(r)` of the aggregation right after it, the
//!   step counts (`Ends::Count`) and the counts become `sum`s. A key
//!   `type(r)` is kept by counting per type.
//! - **Distinct ends.** `MATCH (p {id: 'x'})-[*1..3]-(e:Event) RETURN
//!   count(DISTINCT e)` asks which nodes are within three hops, not by
//!   how many walks: when the relation variable of the last step is read
//!   by nothing and every row after it goes into a `DISTINCT` or an
//!   aggregation that ignores duplicates, the step yields each node at
//!   its far end once (`Ends::Distinct`): one breadth-first search
//!   instead of every walk.
//!
//! - **Rows already distinct.** `MATCH (p {id: 'x'})-[]-(n) RETURN DISTINCT
//!   n.id`: the match starts at one node (an id looked up in curated data)
//!   and its last step yields each far node once (distinct ends), so every
//!   row has another `n`, and another `n.id` (ids are unique in curated
//!   data): the `DISTINCT` that follows has nothing to remove and is
//!   dropped (`MatchPlan::distinct_rows` says so to `EXPLAIN`). Likewise
//!   `count(DISTINCT n)` without grouping keys becomes `count(n)`.
//!
//! - **Totals by type.** `MATCH ()-[r]->() RETURN type(r), count(*)`,
//!   once counted per type, walks every node only to add up what the graph
//!   already knows: when the match is every node (no label, no filter)
//!   then one directed, counted step whose start nothing reads, and no
//!   symmetric type can be followed backwards, the match yields one row
//!   per relation type with its total (`MatchPlan::type_totals`). Each
//!   relation is then counted once, as the walk counts it from its start.
//! - **One row per group.** `MATCH (p:Person)-[r]-() RETURN p.id, count(r)`,
//!   once counted, gets one row per `p` (a scan meets each node once, a
//!   counted step yields at most one row), and a grouping key that tells
//!   nodes apart (`p`, or `p.id` in curated data, where ids are unique)
//!   puts each row in a group of its own: the aggregation computes each
//!   row's aggregates alone and passes it on, with no grouping table
//!   (`AggregatePlan::per_row`).
//!
//! - **Names read in one pass.** `MATCH (p:Person) WHERE p.name CONTAINS
//!   'ano'` scans every person: where a scan's first filter tests the
//!   scanned node's name against a string constant (`CONTAINS`, `STARTS
//!   WITH`, `ENDS WITH`) and nothing is checked before it but labels, a
//!   node whose name is a string that fails the test is passed over at
//!   once (`NodeStep::name_test`), without binding it or evaluating the
//!   filter; the filter still decides every node it does not skip.
//!
//! All keep openCypher's relationship uniqueness (relations bound earlier
//! in the `MATCH` are still excluded) and the step's filters.

use super::ast::BinaryOp;
use super::functions::AggKind;
use super::ir::{
    AggregatePlan, Dir, Ends, Expand, NodeSource, Op, PExpr, PKind, QueryPlan, SinglePlan, Slot,
    Step, StepKind, calls_random,
};
use crate::model::Value;

/// Applies every rewrite to every part of a query; says how many applied.
pub fn optimize(plan: &mut QueryPlan) -> usize {
    plan.parts.iter_mut().map(optimize_single).sum()
}

fn optimize_single(plan: &mut SinglePlan) -> usize {
    let n = (0..plan.ops.len())
        .filter(|&i| count_ends(plan, i) || distinct_ends(plan, i))
        .count();
    let n = n + usize::from(unique_rows(plan));
    let n = n
        + (0..plan.ops.len())
            .filter(|&i| type_totals(plan, i))
            .count();
    let n = n + (0..plan.ops.len()).filter(|&i| per_row(plan, i)).count();
    n + plan
        .ops
        .iter_mut()
        .map(|op| match op {
            Op::Match(m) => m.steps.iter_mut().map(name_test).filter(|&b| b).count(),
            _ => 0,
        })
        .sum::<usize>()
}

/// Names read in one pass; see the module documentation.
fn name_test(step: &mut Step) -> bool {
    let StepKind::Node(n) = &mut step.kind else {
        return false;
    };
    if !matches!(n.source, NodeSource::Label(_) | NodeSource::All)
        || n.check.entity.is_some()
        || !n.check.props.is_empty()
    {
        return false;
    }
    let Some(PExpr {
        kind: PKind::Binary(op, a, b),
        ..
    }) = step.filters.first()
    else {
        return false;
    };
    let string_test = matches!(
        op,
        BinaryOp::Contains | BinaryOp::StartsWith | BinaryOp::EndsWith
    );
    let names_it =
        matches!(&a.kind, PKind::Prop(base, key) if key == "name" && is_slot(base, n.slot));
    let (PKind::Const(Value::Str(text)) | PKind::Param(Value::Str(text))) = &b.kind else {
        return false;
    };
    if !string_test || !names_it {
        return false;
    }
    n.name_test = Some((*op, text.to_string()));
    true
}

/// Totals by type; see the module documentation.
fn type_totals(plan: &mut SinglePlan, i: usize) -> bool {
    let Op::Match(m) = &plan.ops[i] else {
        return false;
    };
    if m.optional || !m.pre.is_empty() || !m.paths.is_empty() || !m.post.is_empty() {
        return false;
    }
    let [first, last] = m.steps.as_slice() else {
        return false;
    };
    let (StepKind::Node(start), StepKind::Expand(x)) = (&first.kind, &last.kind) else {
        return false;
    };
    let every_node = matches!(start.source, NodeSource::All) && start.check.is_empty();
    let counted_by_type = matches!(x.ends, Ends::Count(Some(_)))
        && x.var_len.is_none()
        && !x.rel_bound
        && !x.to_bound
        && x.rel_props.is_empty()
        && x.to_check.is_empty()
        && x.dir != Dir::Both
        && x.types.symmetric.is_empty()
        && x.from == start.slot;
    if !every_node || !counted_by_type || !first.filters.is_empty() || !last.filters.is_empty() {
        return false;
    }
    if reads_from(plan, i + 1).contains(&start.slot) {
        return false;
    }
    if let Op::Match(m) = &mut plan.ops[i] {
        m.type_totals = true;
    }
    true
}

/// One row per group; see the module documentation.
fn per_row(plan: &mut SinglePlan, i: usize) -> bool {
    // The match must be the first operator: it then runs once, so a node
    // starts at most one of its rows.
    let (Some(Op::Match(m)), Some(Op::Aggregate(a))) = (plan.ops.first(), plan.ops.get(i)) else {
        return false;
    };
    if i != 1 || m.optional || a.per_row {
        return false;
    }
    let (start, rest) = match m.steps.split_first() {
        Some((first, rest)) => (first, rest),
        None => return false,
    };
    let StepKind::Node(start) = &start.kind else {
        return false;
    };
    if !matches!(start.source, NodeSource::Label(_) | NodeSource::All) {
        return false;
    }
    let once_each = match rest {
        [] => true,
        [step] => matches!(
            &step.kind,
            StepKind::Expand(x) if x.ends == Ends::Count(None) && x.var_len.is_none() && x.from == start.slot
        ),
        _ => false,
    };
    let p = start.slot;
    let tells_apart = a.keys.iter().any(|(e, _)| {
        is_slot(e, p)
            || plan.curated && matches!(&e.kind, PKind::Prop(b, k) if k == "id" && is_slot(b, p))
    });
    if !once_each || !tells_apart || a.aggs.iter().any(|c| c.arg2.is_some()) {
        return false;
    }
    if let Some(Op::Aggregate(a)) = plan.ops.get_mut(i) {
        a.per_row = true;
    }
    true
}

/// The last step of the match at `ops[i]`, when it is an expansion whose
/// relation and far node the match binds fresh and reads nowhere else.
fn last_expand(plan: &SinglePlan, i: usize) -> Option<&Expand> {
    let Op::Match(m) = &plan.ops[i] else {
        return None;
    };
    if m.optional || !m.paths.is_empty() || !m.post.is_empty() {
        return None;
    }
    let last = m.steps.last()?;
    let StepKind::Expand(x) = &last.kind else {
        return None;
    };
    if x.rel_bound || x.to_bound || x.ends != Ends::Each {
        return None;
    }
    let mut own = Vec::new();
    x.rel_props.iter().for_each(|(_, e)| e.slots(&mut own));
    x.to_check.props.iter().for_each(|(_, e)| e.slots(&mut own));
    if own.contains(&x.rel) || own.contains(&x.to) {
        return None;
    }
    Some(x)
}

fn last_expand_mut(plan: &mut SinglePlan, i: usize) -> Option<&mut Expand> {
    let Op::Match(m) = &mut plan.ops[i] else {
        return None;
    };
    match &mut m.steps.last_mut()?.kind {
        StepKind::Expand(x) => Some(x),
        _ => None,
    }
}

/// The slots the operators `ops[from..]` read.
pub(crate) fn reads_from(plan: &SinglePlan, from: usize) -> Vec<Slot> {
    let mut out = Vec::new();
    for op in plan.ops.iter().skip(from) {
        op_reads(op, &mut out);
    }
    out
}

fn op_reads(op: &Op, out: &mut Vec<Slot>) {
    match op {
        Op::Match(m) => m.slots(out),
        Op::Unwind { expr, .. } | Op::Filter(expr) => expr.slots(out),
        Op::Project(items) => items.iter().for_each(|(e, _)| e.slots(out)),
        Op::Aggregate(a) => {
            a.keys.iter().chain(&a.post).for_each(|(e, _)| e.slots(out));
            for c in &a.aggs {
                c.arg.iter().chain(&c.arg2).for_each(|e| e.slots(out));
            }
        }
        Op::Distinct(slots) | Op::Emit(slots) => out.extend(slots),
        Op::Sort(keys) => keys.iter().for_each(|(e, _)| e.slots(out)),
        Op::Skip(_) | Op::Limit(_) => {}
        Op::Call { args, .. } => args.iter().for_each(|e| e.slots(out)),
    }
}

fn is_slot(e: &PExpr, slot: Slot) -> bool {
    matches!(e.kind, PKind::Slot(s) if s == slot)
}

/// `type(slot)`.
fn is_type_of(e: &PExpr, slot: Slot) -> bool {
    matches!(&e.kind, PKind::Call(f, args) if f.name == "type" && args.len() == 1 && is_slot(&args[0], slot))
}

/// Counting instead of enumerating; see the module documentation.
fn count_ends(plan: &mut SinglePlan, i: usize) -> bool {
    let Some(x) = last_expand(plan, i) else {
        return false;
    };
    let (rel, to) = (x.rel, x.to);
    if x.var_len.is_some() {
        return false;
    }
    let Some(Op::Aggregate(a)) = plan.ops.get(i + 1) else {
        return false;
    };
    if let Op::Match(m) = &plan.ops[i]
        && m.steps.last().is_some_and(|s| !s.filters.is_empty())
    {
        return false;
    }
    // Every aggregate a plain count of rows or of the step's variables.
    let counts = a.aggs.iter().all(|c| {
        c.kind == AggKind::Count
            && !c.distinct
            && c.arg2.is_none()
            && c.arg
                .as_ref()
                .is_none_or(|e| is_slot(e, rel) || is_slot(e, to))
    });
    if !counts {
        return false;
    }
    // The keys may read the relation only as `type(r)`.
    let mut by_type = false;
    for (k, _) in a.keys.iter().chain(&a.post) {
        if is_type_of(k, rel) {
            by_type = true;
            continue;
        }
        let mut s = Vec::new();
        k.slots(&mut s);
        if s.contains(&rel) || s.contains(&to) {
            return false;
        }
    }
    let later = reads_from(plan, i + 2);
    if later.contains(&rel) || later.contains(&to) {
        return false;
    }
    let type_slot = by_type.then(|| {
        plan.nslots += 1;
        plan.nslots - 1
    });
    let Some(Op::Aggregate(a)) = plan.ops.get_mut(i + 1) else {
        unreachable!("checked above")
    };
    rewrite_counts(a, rel, type_slot);
    if let Some(x) = last_expand_mut(plan, i) {
        x.ends = Ends::Count(type_slot);
    }
    true
}

/// The counts become sums of the per-row counts in `rel`; `type(r)` reads
/// the type from `type_slot`.
fn rewrite_counts(a: &mut AggregatePlan, rel: Slot, type_slot: Option<Slot>) {
    for c in &mut a.aggs {
        let span = c.arg.as_ref().map(|e| e.span).unwrap_or_default();
        c.kind = AggKind::Sum;
        c.arg = Some(PExpr {
            kind: PKind::Slot(rel),
            span,
        });
    }
    if let Some(ts) = type_slot {
        for (k, _) in a.keys.iter_mut().chain(a.post.iter_mut()) {
            if is_type_of(k, rel) {
                k.kind = PKind::Slot(ts);
            }
        }
    }
}

/// Distinct ends; see the module documentation.
fn distinct_ends(plan: &mut SinglePlan, i: usize) -> bool {
    let Some(x) = last_expand(plan, i) else {
        return false;
    };
    let rel = x.rel;
    // A variable-length step from at most one hop: reachability is then
    // the same as "some walk of min..max relations ends there".
    if x.var_len.is_some_and(|(min, _)| min > 1) {
        return false;
    }
    if let Op::Match(m) = &plan.ops[i] {
        let mut s = Vec::new();
        m.steps
            .last()
            .into_iter()
            .for_each(|st| st.filters.iter().for_each(|e| e.slots(&mut s)));
        if s.contains(&rel) {
            return false;
        }
    }
    if reads_from(plan, i + 1).contains(&rel) {
        return false;
    }
    // Rows may pass through operators that keep duplicates as duplicates,
    // and must then meet one that removes them.
    let mut insensitive = false;
    for op in &plan.ops[i + 1..] {
        match op {
            Op::Filter(e) | Op::Unwind { expr: e, .. } if !calls_random(e) => continue,
            Op::Project(items) if !items.iter().any(|(e, _)| calls_random(e)) => continue,
            Op::Match(_) => continue,
            Op::Distinct(_) => insensitive = true,
            Op::Aggregate(a) => {
                // Not `collect(DISTINCT x)`: its list's order would change.
                insensitive = a.aggs.iter().all(|c| {
                    (c.distinct && c.kind != AggKind::Collect)
                        || matches!(c.kind, AggKind::Min | AggKind::Max)
                }) && !a.keys.iter().chain(&a.post).any(|(e, _)| calls_random(e));
            }
            _ => {}
        }
        break;
    }
    if !insensitive {
        return false;
    }
    if let Some(x) = last_expand_mut(plan, i) {
        x.ends = Ends::Distinct;
    }
    true
}

/// Rows already distinct; see the module documentation. Runs after
/// `distinct_ends`, on a pipeline that starts with a match (no rows before
/// it could repeat a start node); true when it dropped a `DISTINCT`.
fn unique_rows(plan: &mut SinglePlan) -> bool {
    let Some(Op::Match(m)) = plan.ops.first() else {
        return false;
    };
    let [first, last] = m.steps.as_slice() else {
        return false;
    };
    let (StepKind::Node(start), StepKind::Expand(x)) = (&first.kind, &last.kind) else {
        return false;
    };
    // One start node, and ids unique: a lookup by id is only planned over
    // curated data, whose loader rejects a repeated id.
    let by_id = matches!(start.source, NodeSource::Id(_));
    if !(by_id || matches!(start.source, NodeSource::Entity(_)))
        || x.ends != Ends::Distinct
        || x.from != start.slot
    {
        return false;
    }
    let to = x.to;
    let names_far = |e: &PExpr| {
        is_slot(e, to)
            || by_id && matches!(&e.kind, PKind::Prop(b, k) if k == "id" && is_slot(b, to))
    };
    // `count(DISTINCT e)` with no grouping key counts distinct far nodes,
    // which the match yields once each: a plain count.
    if let Some(Op::Aggregate(a)) = plan.ops.get(1)
        && a.keys.is_empty()
        && a.aggs.iter().all(|c| {
            c.kind == AggKind::Count && c.distinct && c.arg.as_ref().is_some_and(names_far)
        })
    {
        if let Some(Op::Aggregate(a)) = plan.ops.get_mut(1) {
            a.aggs.iter_mut().for_each(|c| c.distinct = false);
        }
        if let Some(Op::Match(m)) = plan.ops.first_mut() {
            m.distinct_rows = true;
        }
        return true;
    }
    let (Some(Op::Project(items)), Some(Op::Distinct(slots))) = (plan.ops.get(1), plan.ops.get(2))
    else {
        return false;
    };
    // Some column of the distinct rows tells the far nodes apart.
    let tells_apart = slots
        .iter()
        .any(|s| items.iter().any(|(e, out)| out == s && names_far(e)));
    if !tells_apart {
        return false;
    }
    plan.ops.remove(2);
    if let Some(Op::Match(m)) = plan.ops.first_mut() {
        m.distinct_rows = true;
    }
    true
}
