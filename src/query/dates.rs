//! Date semantics in one place: the comparison operators on eje's partial
//! dates (interval semantics), how a string compared with a date is read
//! over curated data, and `within` / `overlaps` over dates, relations and
//! events.
//!
//! A date covers the days [a₀, a₁]: one day for a full date, a month or a
//! year for a partial one.
//! - `a < b` is true if a₁ < b₀, false if a₀ ≥ b₁, null otherwise; `>`
//!   mirrors it.
//! - `a <= b` is true if a₁ ≤ b₀ or a and b are the same date at the same
//!   precision, false if a₀ > b₁, null otherwise; `>=` mirrors it.
//! - `a = b` is true exactly when value and precision are equal; `<>` is
//!   its negation.
//!
//! The whole table (every pair of precisions, every relative position, the
//! six operators) is test data: `tests/cases/dates/compare.table`.

use super::ast::{BinaryOp, Span};
use super::error::{ErrorKind, QueryError};
use crate::model::{PartialDate, Precision, Props, Value};

/// A comparison operator applied to two dates: `None` when the answer is
/// unknown (null) because of their precision.
pub fn compare(op: BinaryOp, a: &PartialDate, b: &PartialDate) -> Option<bool> {
    match op {
        BinaryOp::Eq => Some(a == b),
        BinaryOp::Ne => Some(a != b),
        BinaryOp::Lt => less(a, b),
        BinaryOp::Gt => less(b, a),
        BinaryOp::Le => less_or_equal(a, b),
        BinaryOp::Ge => less_or_equal(b, a),
        _ => None,
    }
}

fn less(a: &PartialDate, b: &PartialDate) -> Option<bool> {
    if a.last_day() < b.first_day() {
        Some(true)
    } else if a.first_day() >= b.last_day() {
        Some(false)
    } else {
        None
    }
}

fn less_or_equal(a: &PartialDate, b: &PartialDate) -> Option<bool> {
    if a.last_day() <= b.first_day() || a == b {
        Some(true)
    } else if a.first_day() > b.last_day() {
        Some(false)
    } else {
        None
    }
}

/// Whether `op` is one of the six comparison operators.
pub fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

/// Over curated data, a string compared with a date is read as a date when
/// it names a full day (`'2020-01-01'`); any other string is an error
/// (`None`), since `r.date >= '2024'` reads as a year but would compare
/// as text in openCypher.
pub fn full_day(text: &str) -> Option<PartialDate> {
    PartialDate::parse(text.trim())
        .ok()
        .filter(|d| d.precision() == Precision::Day)
}

/// The error for a date compared with a string that is not a full day:
/// `ErrorKind::Semantic` when the planner sees it, `Runtime` otherwise.
/// `date` is the text of the date's side where it is known.
pub fn string_error(text: &str, span: Span, kind: ErrorKind, date: Option<&str>) -> QueryError {
    let t = text.trim();
    let date = date.unwrap_or("r.date");
    let first =
        PartialDate::parse(t).map_or_else(|_| "2024-01-01".to_string(), |d| first_day_text(&d));
    QueryError::new(
        kind,
        format!("a date is compared with the string `{t}`, which is not a full day (`YYYY-MM-DD`)"),
        Some(span),
    )
    .with_code("InvalidArgumentType")
    .with_help(format!(
        "for what falls in that period write `within({date}, date('{t}'))`; to compare with its first day write `{date} >= date('{first}')`"
    ))
}

fn first_day_text(d: &PartialDate) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        d.year,
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    )
}

/// The note for rows a filter could not decide because their dates were
/// too coarse.
pub fn coarse_note(rows: usize) -> String {
    let rows = if rows == 1 {
        "1 row had a date".to_string()
    } else {
        format!("{rows} rows had dates")
    };
    format!("{rows} too coarse to compare; see within()")
}

/// When something holds, in days: it starts on a day in
/// [`start.0`, `start.1`] and ends on a day in [`end.0`, `end.1`]; an
/// unknown end is `i64::MIN` or `i64::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    start: (i64, i64),
    end: (i64, i64),
}

impl Extent {
    /// A thing that happened on one day known to `d`'s precision.
    pub fn on(d: &PartialDate) -> Self {
        let days = (d.first_day(), d.last_day());
        Extent {
            start: days,
            end: days,
        }
    }

    /// Days it covers for certain, if any.
    fn certain(&self) -> Option<(i64, i64)> {
        (self.start.1 <= self.end.0).then_some((self.start.1, self.end.0))
    }
}

/// A relation's or a node's extent from its `date`, or its `start` and
/// `end`; past `known_until` an open end is unknown, never ongoing.
fn extent_of(props: &Props) -> Option<Extent> {
    let get = |k: &str| match props.get(k) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    if let Some(d) = get("date") {
        return Some(Extent::on(&d));
    }
    let (from, to) = (get("start"), get("end"));
    if from.is_none() && to.is_none() {
        return None;
    }
    let start = from.map_or((i64::MIN, i64::MAX), |d| (d.first_day(), d.last_day()));
    let end = match (to, get("known_until")) {
        (Some(d), _) => (d.first_day(), d.last_day()),
        // It held at least until `known_until`; after that nothing is known.
        (None, Some(k)) => (k.first_day(), i64::MAX),
        (None, None) => (start.0, i64::MAX),
    };
    // An end known only as "after the start" cannot end before it.
    let end = (end.0.max(start.0), end.1);
    Some(Extent { start, end })
}

/// What `within` and `overlaps` compare.
pub enum Operand {
    /// Every day of a period.
    Period(i64, i64),
    /// Something dated: an event, a claim, or a bare date (one day).
    Fact(Extent),
    /// Something without a date: the answer is null.
    Undated,
}

impl Operand {
    /// A relation or a node, by its dates.
    pub fn of(props: &Props) -> Self {
        extent_of(props).map_or(Operand::Undated, Operand::Fact)
    }
}

/// Whether `x` lies inside the period [`p0`, `p1`]; `None` when its
/// precision leaves it open. A bare date is one day known to its precision.
pub fn within(x: &Operand, (p0, p1): (i64, i64)) -> Option<bool> {
    let x = match x {
        Operand::Fact(x) => x,
        Operand::Period(a0, a1) => &Extent {
            start: (*a0, *a1),
            end: (*a0, *a1),
        },
        Operand::Undated => return None,
    };
    if x.start.0 >= p0 && x.end.1 <= p1 {
        Some(true)
    } else if x.start.1 < p0 || x.end.0 > p1 {
        Some(false)
    } else {
        None
    }
}

/// Whether two dated things share a day; `None` when their precision
/// leaves it open.
pub fn overlaps(x: &Operand, y: &Operand) -> Option<bool> {
    let meet = |a: (i64, i64), b: (i64, i64)| a.0 <= b.1 && b.0 <= a.1;
    let inside = |a: (i64, i64), b: (i64, i64)| a.0 >= b.0 && a.1 <= b.1;
    match (x, y) {
        (Operand::Undated, _) | (_, Operand::Undated) => None,
        (Operand::Period(a0, a1), Operand::Period(b0, b1)) => Some(meet((*a0, *a1), (*b0, *b1))),
        (Operand::Fact(f), Operand::Period(p0, p1))
        | (Operand::Period(p0, p1), Operand::Fact(f)) => {
            let p = (*p0, *p1);
            if f.certain().is_some_and(|c| meet(c, p)) || inside(f.start, p) || inside(f.end, p) {
                Some(true)
            } else if f.end.1 < p.0 || f.start.0 > p.1 {
                Some(false)
            } else {
                None
            }
        }
        (Operand::Fact(f), Operand::Fact(h)) => {
            if let (Some(c), Some(d)) = (f.certain(), h.certain())
                && meet(c, d)
            {
                Some(true)
            } else if f.end.1 < h.start.0 || h.end.1 < f.start.0 {
                Some(false)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn props(items: &[(&str, &str)]) -> Props {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Date(d(v))))
            .collect()
    }

    fn period(s: &str) -> (i64, i64) {
        (d(s).first_day(), d(s).last_day())
    }

    #[test]
    fn only_full_days_read_as_dates() {
        assert_eq!(full_day("2020-01-01"), Some(d("2020-01-01")));
        assert_eq!(full_day("2024-06"), None);
        assert_eq!(full_day("2024"), None);
        assert_eq!(full_day("June"), None);
    }

    #[test]
    fn an_open_end_past_known_until_is_unknown_not_ongoing() {
        let open = Operand::of(&props(&[("start", "2023-08"), ("known_until", "2024-03")]));
        // Known to hold in January 2024, before `known_until`.
        assert_eq!(
            overlaps(
                &open,
                &Operand::Period(period("2024-01").0, period("2024-01").1)
            ),
            Some(true)
        );
        // After `known_until` nothing is known.
        assert_eq!(
            overlaps(&open, &Operand::Period(period("2025").0, period("2025").1)),
            None
        );
        assert_eq!(within(&open, period("2023")), Some(false));
        // Without `known_until` only the start is known.
        let unknown = Operand::of(&props(&[("start", "2023-08")]));
        assert_eq!(
            overlaps(
                &unknown,
                &Operand::Period(period("2024-01").0, period("2024-01").1)
            ),
            None
        );
        assert_eq!(
            overlaps(
                &unknown,
                &Operand::Period(period("2022").0, period("2022").1)
            ),
            Some(false)
        );
    }

    #[test]
    fn a_closed_span_is_within_a_period_that_holds_both_ends() {
        let span = Operand::of(&props(&[("start", "2023-08"), ("end", "2024-02")]));
        assert_eq!(
            within(&span, (d("2023").first_day(), d("2024").last_day())),
            Some(true)
        );
        assert_eq!(within(&span, period("2024")), Some(false));
        let undated = Operand::of(&Props::default());
        assert_eq!(within(&undated, period("2024")), None);
    }
}
