//! Which answer values the final `Emit` may move out of a row instead of
//! copying them: a copy per answer string was most of the time of queries
//! that return many strings.

use crate::query::ir::Op;

/// Which columns of a pipeline's final `Emit` may be moved out of the row
/// rather than copied: those a `Project` computes afresh for every row it
/// gets, from values other than their own, where nothing between it and
/// the `Emit` sends one row on more than once (a match, an unwind, a call)
/// and no operator before it reads the slot. The row the `Emit` gets is
/// then never read again before the `Project` writes the slot anew.
pub(super) fn movable_columns(ops: &[Op]) -> Vec<bool> {
    let Some((Op::Emit(slots), before)) = ops.split_last() else {
        return Vec::new();
    };
    slots
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            if slots[..k].contains(&s) || slots[k + 1..].contains(&s) {
                return false;
            }
            for (at, op) in before.iter().enumerate().rev() {
                match op {
                    Op::Filter(_) | Op::Distinct(_) | Op::Skip(_) | Op::Limit(_) => continue,
                    Op::Project(items) => {
                        let Some((e, _)) = items.iter().find(|(_, out)| *out == s) else {
                            continue;
                        };
                        let mut reads = Vec::new();
                        e.slots(&mut reads);
                        for op in &before[..at] {
                            op_slots(op, &mut reads);
                        }
                        for (e, _) in items {
                            e.slots(&mut reads);
                        }
                        return !reads.contains(&s);
                    }
                    _ => return false,
                }
            }
            false
        })
        .collect()
}

/// Every slot an operator reads or writes.
fn op_slots(op: &Op, out: &mut Vec<usize>) {
    match op {
        Op::Match(m) => m.slots(out),
        Op::Unwind { expr, slot } => {
            expr.slots(out);
            out.push(*slot);
        }
        Op::Filter(e) => e.slots(out),
        Op::Project(items) => items.iter().for_each(|(e, s)| {
            e.slots(out);
            out.push(*s);
        }),
        Op::Aggregate(a) => {
            for (e, s) in a.keys.iter().chain(&a.post) {
                e.slots(out);
                out.push(*s);
            }
            for c in &a.aggs {
                c.arg.iter().chain(&c.arg2).for_each(|e| e.slots(out));
                out.push(c.slot);
            }
        }
        Op::Distinct(slots) | Op::Emit(slots) => out.extend(slots),
        Op::Sort(keys) => keys.iter().for_each(|(e, _)| e.slots(out)),
        Op::Skip(_) | Op::Limit(_) => {}
        Op::Call { args, outputs, .. } => {
            args.iter().for_each(|e| e.slots(out));
            out.extend(outputs.iter().map(|(_, s)| *s));
        }
    }
}
