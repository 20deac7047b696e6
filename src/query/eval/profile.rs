//! `PROFILE`'s counters and the table `EXPLAIN` and `PROFILE` answer.
//!
//! While a query runs with `Options::profile` set, each operator counts the
//! rows pushed into it and the time spent in it and in everything after it,
//! and the time of its flush when its input ends (rows are pushed
//! depth-first, so an operator's own time is its time and its flush's less
//! the time of the pushes into the operator after it). Each step of a `MATCH` counts the rows
//! that passed it: the bindings that came through its checks and filters.
//! The counters are kept per run in the evaluator and handed to the
//! `Profile` of the execution context when the query ends.

use std::sync::Mutex;

use super::super::ir::QueryPlan;
use super::super::plan::explain::{self, PlanLine};
use super::super::result::ResultSet;
use crate::model::{Graph, Value};

/// The counters of one operator of a pipeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpCounters {
    /// Rows pushed into the operator.
    pub rows_in: u64,
    /// Time from a row pushed into the operator until it returned: in it
    /// and in the operators after it, in nanoseconds.
    pub nanos: u64,
    /// Time in flushing what the operator held once its input ended (an
    /// aggregation's groups, a sort's rows), pushes on included.
    pub flush_nanos: u64,
    /// For a `MATCH`: the rows that passed each of its steps.
    pub steps: Vec<u64>,
}

/// What `PROFILE` collects: the counters of each part of the last query
/// run with it, and how many rows that query answered.
#[derive(Debug, Default)]
pub struct Profile {
    runs: Mutex<Option<(Vec<Vec<OpCounters>>, u64)>>,
}

impl Profile {
    pub(crate) fn record(&self, parts: Vec<Vec<OpCounters>>, rows: u64) {
        if let Ok(mut r) = self.runs.lock() {
            *r = Some((parts, rows));
        }
    }

    /// The counters of each part of the last query, and its rows.
    pub fn counters(&self) -> Option<(Vec<Vec<OpCounters>>, u64)> {
        self.runs.lock().ok().and_then(|r| r.clone())
    }
}

/// The rows out of each line: for an operator, the rows the next operator
/// got (or the answer's rows, after the last one); for a step, the rows
/// that passed it.
pub fn rows_out(lines: &[PlanLine], parts: &[Vec<OpCounters>], answer: u64) -> Vec<u64> {
    lines
        .iter()
        .map(|l| {
            let Some(ops) = parts.get(l.part) else {
                return 0;
            };
            match l.step {
                Some(s) => ops
                    .get(l.op)
                    .and_then(|c| c.steps.get(s))
                    .copied()
                    .unwrap_or(0),
                None => match ops.get(l.op + 1) {
                    Some(next) => next.rows_in,
                    // The last operator makes the answer's rows (before a
                    // `UNION`'s duplicates go).
                    None if parts.len() == 1 => answer,
                    None => ops.get(l.op).map_or(0, |c| c.rows_in),
                },
            }
        })
        .collect()
}

/// The time of each operator line by itself, in milliseconds (`None` for
/// the steps of a match, whose time is the match's).
fn own_ms(lines: &[PlanLine], parts: &[Vec<OpCounters>]) -> Vec<Option<f64>> {
    lines
        .iter()
        .map(|l| {
            if l.step.is_some() {
                return None;
            }
            // Every row the next operator gets comes from this one's pushes
            // or flush; the next one's own flush comes after.
            let ops = parts.get(l.part)?;
            let c = ops.get(l.op)?;
            let mine = c.nanos + c.flush_nanos;
            let after = ops.get(l.op + 1).map_or(0, |c| c.nanos);
            Some(mine.saturating_sub(after) as f64 / 1e6)
        })
        .collect()
}

/// The answer of `EXPLAIN` (no counters) or `PROFILE`: one row per line of
/// the plan, with the rows and milliseconds of each for `PROFILE`.
pub fn plan_table(
    graph: &Graph,
    plan: &QueryPlan,
    text: &str,
    counters: Option<(Vec<Vec<OpCounters>>, u64)>,
) -> ResultSet {
    let lines = explain::describe(graph, plan, text);
    let mut columns = vec![
        "step".to_string(),
        "operator".to_string(),
        "detail".to_string(),
    ];
    let measured = counters.map(|(parts, answer)| {
        (
            rows_out(&lines, &parts, answer),
            own_ms(&lines, &parts),
            answer,
        )
    });
    if measured.is_some() {
        columns.push("rows".to_string());
        columns.push("ms".to_string());
    }
    let mut result = ResultSet::new(columns);
    for (i, l) in lines.iter().enumerate() {
        let indent = if l.step.is_some() { "  " } else { "" };
        let mut row = vec![
            Value::Str((l.number()).into()),
            Value::Str((format!("{indent}{}", l.operator)).into()),
            Value::Str((l.detail.clone()).into()),
        ];
        if let Some((rows, ms, _)) = &measured {
            row.push(Value::Int(rows[i] as i64));
            row.push(match ms[i] {
                Some(t) => Value::Float((t * 1000.0).round() / 1000.0),
                None => Value::Null,
            });
        }
        result.rows.push(row);
    }
    if let Some((_, ms, answer)) = &measured {
        let total: f64 = ms.iter().flatten().sum();
        result.notes.push(format!(
            "the query answered {answer} row{} in {total:.3} ms (with the cost of counting)",
            if *answer == 1 { "" } else { "s" }
        ));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(op: usize, step: Option<usize>) -> PlanLine {
        PlanLine {
            part: 0,
            op,
            step,
            operator: String::new(),
            detail: String::new(),
        }
    }

    fn op(rows_in: u64, nanos: u64, flush_nanos: u64) -> OpCounters {
        OpCounters {
            rows_in,
            nanos,
            flush_nanos,
            steps: Vec::new(),
        }
    }

    #[test]
    fn an_operator_owns_its_time_and_its_flush_less_the_pushes_on() {
        // A match pushing 5 rows into an aggregation (3 ms of its 10), which
        // flushes 2 groups into a return in 4 ms (1 ms of it the return).
        let lines = [
            line(0, None),
            line(0, Some(0)),
            line(1, None),
            line(2, None),
        ];
        let parts = vec![vec![
            op(1, 10_000_000, 0),
            op(5, 3_000_000, 4_000_000),
            op(2, 1_000_000, 0),
        ]];
        assert_eq!(
            own_ms(&lines, &parts),
            [Some(7.0), None, Some(6.0), Some(1.0)]
        );
        let mut with_steps = parts.clone();
        with_steps[0][0].steps = vec![5];
        assert_eq!(rows_out(&lines, &with_steps, 2), [5, 5, 2, 2]);
    }
}
