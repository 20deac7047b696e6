//! What bounds one statement: work (a deterministic count of steps),
//! memory (an approximate count of the bytes it builds and holds) and,
//! when asked for, wall-clock time. Each limit ends the statement with an
//! `ErrorKind::Limit` error that names the option raising it.
//!
//! Memory is metered per thread: `Meter::start` opens the meter for a
//! statement (the evaluator does, in `run_plan`), `reserve` checks that a
//! value about to be built fits beside what the statement holds, and
//! `hold`/`release` count what it keeps (rows buffered by ORDER BY,
//! aggregation and DISTINCT, `collect()` lists, the answer's rows). The
//! count is approximate (`value_bytes`): it is a guard against runaways,
//! not a profiler.

use std::cell::Cell;
use std::time::Duration;

use super::error::{ErrorKind, QueryError};
use crate::model::{Graph, Value};

/// The smallest default work budget, in steps.
pub const MIN_WORK: u64 = 20_000_000;
/// The default work budget grows by this many steps per node and relation.
pub const WORK_PER_ELEMENT: u64 = 20;
/// The default memory budget of one statement: 2 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;

/// The default work budget over `graph`: max(20M, 20 × (nodes + relations)),
/// so the same statement stops at the same step on any machine.
pub fn default_work(graph: &Graph) -> u64 {
    let elements = graph.node_count() as u64 + graph.rel_count() as u64;
    MIN_WORK.max(elements.saturating_mul(WORK_PER_ELEMENT))
}

/// A duration as `--timeout` takes it: `30s`, `2m`, `1h`, `500ms`, or a
/// number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| {
        format!("`{text}` is not a duration; expected a number with s, m or h (`30s`, `2m`)")
    })?;
    let secs = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit; expected ms, s, m or h (`30s`, `2m`)"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|_| format!("`{text}` is too long a duration"))
}

/// The limits a user can set by name: `:limits NAME VALUE` and the
/// language server's settings.
pub const NAMES: [&str; 4] = ["max-work", "max-memory", "timeout", "max-rows"];

/// One limit's new value, read from its text (`None`: back to the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    MaxWork(Option<u64>),
    MaxMemory(Option<u64>),
    Timeout(Option<Duration>),
    MaxRows(Option<usize>),
}

/// Why a limit's setting was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    /// No limit has this name.
    Unknown,
    /// The value is not one the limit takes (the message says which).
    Bad(String),
}

/// Reads `value` as the setting of the limit `name` (one of `NAMES`):
/// `default` for any; `off` for `timeout`, `none` for `max-rows`.
pub fn parse_setting(name: &str, value: &str) -> Result<Setting, SettingError> {
    let value = value.trim();
    let reset = value.eq_ignore_ascii_case("default");
    let bad =
        |what: &str| SettingError::Bad(format!("expected {what} for `{name}`, found `{value}`"));
    match name {
        "max-work" if reset => Ok(Setting::MaxWork(None)),
        "max-work" => match value.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Setting::MaxWork(Some(n))),
            _ => Err(bad("a number of steps (`100000000`)")),
        },
        "max-memory" if reset => Ok(Setting::MaxMemory(None)),
        "max-memory" => crate::model::text::parse_size(value)
            .map(|n| Setting::MaxMemory(Some(n)))
            .map_err(SettingError::Bad),
        "timeout" if reset || value.eq_ignore_ascii_case("off") => Ok(Setting::Timeout(None)),
        "timeout" => parse_duration(value)
            .map(|d| Setting::Timeout(Some(d)))
            .map_err(SettingError::Bad),
        "max-rows" if reset || value.eq_ignore_ascii_case("none") => Ok(Setting::MaxRows(None)),
        "max-rows" => match value.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Setting::MaxRows(Some(n))),
            _ => Err(bad("a number of rows")),
        },
        _ => Err(SettingError::Unknown),
    }
}

/// A size in `--max-memory`'s own syntax (`512M`, `2G`), rounded up.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")];
    for (scale, unit) in UNITS {
        if bytes >= scale {
            return format!("{}{unit}", bytes.div_ceil(scale));
        }
    }
    bytes.to_string()
}

/// A duration in `--timeout`'s own syntax (`30s`, `2m`, `500ms`).
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(60_000) && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// The work budget ran out.
pub fn work_error(limit: u64) -> QueryError {
    QueryError::new(
        ErrorKind::Limit,
        format!(
            "the statement did more than {limit} steps of work (nodes scanned, relations \
             followed, rows made); add a LIMIT or narrow the pattern"
        ),
        None,
    )
    .with_help(format!(
        "raise it with --max-work {} (or `:limits max-work {}` in the shell)",
        limit.saturating_mul(10),
        limit.saturating_mul(10)
    ))
}

/// The wall-clock limit ran out.
pub fn time_error(limit: Duration) -> QueryError {
    let more = format_duration(limit.saturating_mul(10).max(Duration::from_secs(1)));
    QueryError::new(
        ErrorKind::Limit,
        format!(
            "the statement ran longer than {}; add a LIMIT or narrow the pattern",
            format_duration(limit)
        ),
        None,
    )
    .with_help(format!(
        "raise it with --timeout {more} (or `:limits timeout {more}` in the shell)"
    ))
}

/// The memory budget ran out.
pub fn memory_error(limit: u64) -> QueryError {
    let more = format_size(limit.saturating_mul(2).max(1 << 20));
    QueryError::new(
        ErrorKind::Limit,
        format!(
            "the statement needed more than {} of memory for its lists, strings and rows; \
             add a LIMIT, or return fewer or smaller values",
            format_size(limit)
        ),
        None,
    )
    .with_help(format!(
        "raise it with --max-memory {more} (or `:limits max-memory {more}` in the shell)"
    ))
}

/// The row limit ran out.
pub fn rows_error(limit: usize) -> QueryError {
    QueryError::new(
        ErrorKind::Limit,
        format!("the statement returned more than {limit} rows; add a LIMIT"),
        None,
    )
    .with_help(format!(
        "raise it with --max-rows {}",
        limit.saturating_mul(10)
    ))
}

/// An answer's rows are counted this many times their size: held, they are
/// then rendered whole by the front end (a table's cells and lines, the
/// text written), which needs several times the memory of the values (a
/// million-row table of three 140-character strings peaked at about 13
/// times the values' bytes).
pub const ANSWER_FACTOR: u64 = 8;

/// What the allocator adds to each string it holds, about.
const ALLOCATION: u64 = 16;

const VALUE: u64 = std::mem::size_of::<Value>() as u64;

/// About how many bytes `v` occupies: the value itself and what it owns.
pub fn value_bytes(v: &Value) -> u64 {
    match v {
        // A node's id read from the graph when looked at owns no bytes.
        Value::Str(s) if !s.is_held() || s.is_empty() => VALUE,
        Value::Str(s) => VALUE + ALLOCATION + s.len() as u64,
        Value::List(items) => VALUE + items.iter().map(value_bytes).sum::<u64>(),
        // A B-tree entry: its key, its value and about a pointer of
        // overhead.
        Value::Map(m) => {
            VALUE
                + m.iter()
                    .map(|(k, v)| 24 + k.len() as u64 + value_bytes(v) + 8)
                    .sum::<u64>()
        }
        Value::Path(p) => VALUE + 48 + 4 * (p.nodes.len() + p.rels.len()) as u64,
        Value::Temporal(_) => VALUE + 64,
        _ => VALUE,
    }
}

/// About how many bytes a row of values occupies.
pub fn row_bytes(row: &[Value]) -> u64 {
    24 + row.iter().map(value_bytes).sum::<u64>()
}

thread_local! {
    /// (limit, bytes held) of the statement running on this thread.
    static METER: Cell<(u64, u64)> = const { Cell::new((DEFAULT_MAX_MEMORY, 0)) };
}

/// The memory meter of one statement; the previous one comes back when it
/// is dropped (statements do not nest today, but constant folding and
/// subqueries run evaluators inside one).
pub struct Meter {
    saved: (u64, u64),
}

impl Meter {
    /// Opens the meter with `limit` bytes and nothing held.
    pub fn start(limit: u64) -> Meter {
        Meter {
            saved: METER.with(|m| m.replace((limit, 0))),
        }
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        METER.with(|m| m.set(self.saved));
    }
}

/// Checks that a value of `bytes` can be built beside what the statement
/// holds.
pub fn reserve(bytes: u64) -> Result<(), QueryError> {
    let (limit, held) = METER.with(Cell::get);
    if held.saturating_add(bytes) > limit {
        return Err(memory_error(limit));
    }
    Ok(())
}

/// Counts `bytes` more as held by the statement, failing past the limit.
pub fn hold(bytes: u64) -> Result<(), QueryError> {
    METER.with(|m| {
        let (limit, held) = m.get();
        let held = held.saturating_add(bytes);
        m.set((limit, held));
        if held > limit {
            Err(memory_error(limit))
        } else {
            Ok(())
        }
    })
}

/// Counts `bytes` as no longer held.
pub fn release(bytes: u64) {
    METER.with(|m| {
        let (limit, held) = m.get();
        m.set((limit, held.saturating_sub(bytes)));
    });
}

/// The bytes the running statement holds (for tests).
pub fn held() -> u64 {
    METER.with(Cell::get).1
}

/// Where a statement's rows go as they are made, instead of being kept in
/// its answer (CSV and JSON output of an answer nothing forces to be held).
pub trait RowSink: Send {
    /// The answer's columns, before its first row.
    fn start(&mut self, columns: &[String]) -> std::io::Result<()>;
    fn row(&mut self, row: &[Value]) -> std::io::Result<()>;
    /// After the last row; `complete` is false when the statement failed.
    fn end(&mut self, complete: bool) -> std::io::Result<()>;
}

/// A shared `RowSink` in the execution context.
#[derive(Clone)]
pub struct RowStream(pub std::sync::Arc<std::sync::Mutex<dyn RowSink>>);

impl std::fmt::Debug for RowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowStream")
    }
}

/// A write to a row sink failed (a closed pipe, a full disk).
pub fn write_error(e: &std::io::Error) -> QueryError {
    QueryError::new(
        ErrorKind::Cancelled,
        format!("cannot write the answer: {e}"),
        None,
    )
    .with_code("write")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_and_print_in_the_options_syntax() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 days").is_err());
        assert_eq!(format_duration(Duration::from_secs(120)), "2m");
        assert_eq!(format_duration(Duration::from_secs(30)), "30s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(format_size(DEFAULT_MAX_MEMORY), "2G");
        assert_eq!(format_size(3 << 20), "3M");
        assert_eq!(format_size(100), "100");
    }

    #[test]
    fn the_meter_counts_what_is_held_and_refuses_past_its_limit() {
        let _m = Meter::start(1000);
        assert!(reserve(1000).is_ok());
        assert!(reserve(1001).is_err());
        hold(600).unwrap();
        assert!(reserve(500).is_err());
        release(200);
        assert_eq!(held(), 400);
        let e = hold(700).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.help.as_deref().unwrap().contains("--max-memory"), "{e:?}");
    }

    #[test]
    fn a_meter_gives_back_the_one_it_replaced() {
        let _outer = Meter::start(10);
        hold(5).unwrap();
        {
            let _inner = Meter::start(1000);
            assert_eq!(held(), 0);
        }
        assert_eq!(held(), 5);
    }

    #[test]
    fn bytes_grow_with_lists_and_strings() {
        let s = Value::Str(("x".repeat(100)).into());
        assert_eq!(value_bytes(&s), VALUE + ALLOCATION + 100);
        let l = Value::List(vec![s.clone(), s]);
        assert_eq!(value_bytes(&l), 3 * VALUE + 2 * (ALLOCATION + 100));
    }

    #[test]
    fn the_work_budget_scales_with_the_graph() {
        assert_eq!(default_work(&Graph::default()), MIN_WORK);
    }
}
