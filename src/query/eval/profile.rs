//! `PROFILE`'s counters and the table `EXPLAIN` and `PROFILE` answer.
//!
//! While a query runs with `Options::profile` set, each operator counts the
//! rows pushed into it and the time spent in it and in everything after it
//! (rows are pushed depth-first, so an operator's own time is its time less
//! that of the operator after it). Each step of a `MATCH` counts the rows
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
    /// Time in the operator and the operators after it, in nanoseconds.
    pub nanos: u64,
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
            let ops = parts.get(l.part)?;
            let mine = ops.get(l.op)?.nanos;
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
            Value::Str(l.number()),
            Value::Str(format!("{indent}{}", l.operator)),
            Value::Str(l.detail.clone()),
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
