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
//!
//! openCypher's other temporal values (times, date-times, durations)
//! compare here too, as openCypher says: only within one type, times and
//! date-times by their instant, durations only for (in)equality.

use super::ast::{BinaryOp, Span};
use super::error::{ErrorKind, QueryError};
use crate::model::temporal::Temporal;
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

/// A comparison operator applied to two temporal values other than dates:
/// `None` (null) between different types and for durations ordered.
pub fn compare_temporal(op: BinaryOp, a: &Temporal, b: &Temporal) -> Option<bool> {
    use std::cmp::Ordering::{Greater, Less};
    match op {
        BinaryOp::Eq => Some(a == b),
        BinaryOp::Ne => Some(a != b),
        BinaryOp::Lt => a.compare(b).map(|o| o == Less),
        BinaryOp::Gt => a.compare(b).map(|o| o == Greater),
        BinaryOp::Le => a.compare(b).map(|o| o != Greater),
        BinaryOp::Ge => a.compare(b).map(|o| o != Less),
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

/// When something holds, in days: every day of [`start`, `end`] for
/// certain; before `start` or after `end` nothing is known when the span
/// is open that way (an open end after `known_until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub start: i64,
    pub end: i64,
    pub open_before: bool,
    pub open_after: bool,
}

impl Extent {
    /// Every day of a date: `2024-06` is the month of June 2024.
    pub fn of_date(d: &PartialDate) -> Self {
        Extent {
            start: d.first_day(),
            end: d.last_day(),
            open_before: false,
            open_after: false,
        }
    }

    /// A relation's or a node's extent: its `date`, or its `start` and
    /// `end`. An open end is known until `known_until` (or its start) and
    /// unknown after, never taken as ongoing. `None` without any date.
    pub fn of(props: &Props) -> Option<Self> {
        let get = |k: &str| match props.get(k) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        };
        if let Some(d) = get("date") {
            return Some(Extent::of_date(&d));
        }
        let known_until = get("known_until");
        match (get("start"), get("end")) {
            (None, None) => None,
            (Some(s), Some(e)) => Some(Extent {
                start: s.first_day(),
                end: e.last_day().max(s.first_day()),
                open_before: false,
                open_after: false,
            }),
            (Some(s), None) => Some(Extent {
                start: s.first_day(),
                end: known_until.map_or(s.last_day(), |k| k.last_day().max(s.last_day())),
                open_before: false,
                open_after: true,
            }),
            (None, Some(e)) => Some(Extent {
                start: e.first_day(),
                end: e.last_day(),
                open_before: true,
                open_after: false,
            }),
        }
    }
}

/// Whether `x` lies inside the period [`p0`, `p1`]: false as soon as a
/// known day falls outside, null only when the known days are inside and
/// the unknown ones (an open span) might not be.
pub fn within(x: &Extent, (p0, p1): (i64, i64)) -> Option<bool> {
    if x.start < p0 || x.end > p1 {
        Some(false)
    } else if x.open_before || x.open_after {
        None
    } else {
        Some(true)
    }
}

/// Whether two extents share a day: true when their known days meet,
/// false when they are apart and neither is open towards the other, null
/// otherwise.
pub fn overlaps(x: &Extent, y: &Extent) -> Option<bool> {
    if x.start <= y.end && y.start <= x.end {
        return Some(true);
    }
    let (first, second) = if x.end < y.start { (x, y) } else { (y, x) };
    if first.open_after || second.open_before {
        None
    } else {
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn other_temporal_values_compare_within_their_type() {
        use crate::model::temporal as tm;
        let time = |s: &str| Temporal::Time(tm::parse_time(s).unwrap());
        let dur = |s: &str| Temporal::Duration(tm::parse_duration(s).unwrap());
        let local = |s: &str| Temporal::LocalTime(tm::parse_local_time(s).unwrap());
        let (a, b) = (time("10:00+01:00"), time("10:30+01:00"));
        assert_eq!(compare_temporal(BinaryOp::Lt, &a, &b), Some(true));
        assert_eq!(compare_temporal(BinaryOp::Ge, &a, &b), Some(false));
        assert_eq!(compare_temporal(BinaryOp::Le, &a, &a), Some(true));
        // The same instant at other offsets is not the same time.
        let c = time("09:00Z");
        assert_eq!(compare_temporal(BinaryOp::Eq, &a, &c), Some(false));
        // Different types, and durations, have no order.
        let l = local("10:00");
        assert_eq!(compare_temporal(BinaryOp::Lt, &a, &l), None);
        assert_eq!(compare_temporal(BinaryOp::Ne, &a, &l), Some(true));
        let (p, q) = (dur("P1D"), dur("PT24H"));
        assert_eq!(compare_temporal(BinaryOp::Lt, &p, &q), None);
        assert_eq!(compare_temporal(BinaryOp::Eq, &p, &dur("P1D")), Some(true));
        assert_eq!(compare_temporal(BinaryOp::Eq, &p, &q), Some(false));
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
        let open = Extent::of(&props(&[("start", "2023-08"), ("known_until", "2024-03")])).unwrap();
        let p = |s: &str| Extent::of_date(&d(s));
        // Known to hold in January 2024, before `known_until`.
        assert_eq!(overlaps(&open, &p("2024-01")), Some(true));
        // After `known_until` nothing is known.
        assert_eq!(overlaps(&open, &p("2025")), None);
        assert_eq!(overlaps(&open, &p("2022")), Some(false));
        // Inside 2023 and 2024 as far as it is known: open.
        assert_eq!(
            within(&open, (period("2023-08").0, period("2024-12").1)),
            None
        );
        // It began before 2024: not within it, whatever comes later.
        assert_eq!(within(&open, period("2024")), Some(false));
        // Without `known_until` only the start is known.
        let unknown = Extent::of(&props(&[("start", "2023-08")])).unwrap();
        assert_eq!(overlaps(&unknown, &p("2024-01")), None);
        assert_eq!(overlaps(&unknown, &p("2023-08-15")), Some(true));
    }

    #[test]
    fn dates_are_the_periods_they_name() {
        let p = |s: &str| Extent::of_date(&d(s));
        assert_eq!(within(&p("2024-06"), period("2024")), Some(true));
        assert_eq!(within(&p("2024"), period("2024-06")), Some(false));
        assert_eq!(within(&p("2023-12-31"), period("2024")), Some(false));
        assert_eq!(overlaps(&p("2024"), &p("2024-06")), Some(true));
        assert_eq!(overlaps(&p("2024-05"), &p("2024-06-01")), Some(false));
    }

    #[test]
    fn a_closed_span_is_within_a_period_that_holds_both_ends() {
        let span = Extent::of(&props(&[("start", "2023-08"), ("end", "2024-02")])).unwrap();
        assert_eq!(
            within(&span, (d("2023").first_day(), d("2024").last_day())),
            Some(true)
        );
        assert_eq!(within(&span, period("2024")), Some(false));
        assert_eq!(Extent::of(&Props::default()), None);
    }
}
