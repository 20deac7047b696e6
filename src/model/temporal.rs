//! openCypher's temporal values: dates, local times, times with an offset,
//! local date-times, date-times with an offset or a named time zone, and
//! durations.
//!
//! Calendar arithmetic works on day numbers (days since 1970-01-01, in the
//! proleptic Gregorian calendar) and nanoseconds of the day, so years far
//! outside 0..9999 (the TCK goes to ±999,999,999) stay exact. Named time
//! zones come from the IANA database that `jiff` bundles into the binary.
//!
//! eje's own dates keep their precision (`model::PartialDate`, D1): the query
//! layer turns a full-precision `PartialDate` into [`Temporal::Date`] and
//! back; year and month dates never reach this module.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub const NANOS_PER_SEC: i64 = 1_000_000_000;
pub const NANOS_PER_MIN: i64 = 60 * NANOS_PER_SEC;
pub const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MIN;
pub const NANOS_PER_DAY: i64 = 24 * NANOS_PER_HOUR;
const SECS_PER_DAY: i64 = 86_400;
/// The average Gregorian month (365.2425 / 12 days), which openCypher uses
/// for fractions of a month.
const SECS_PER_AVG_MONTH: f64 = 2_629_746.0;

/// Why a temporal value could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemporalError(pub String);

impl fmt::Display for TemporalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemporalError {}

fn err<T>(msg: impl Into<String>) -> Result<T, TemporalError> {
    Err(TemporalError(msg.into()))
}

// ---------------------------------------------------------------- calendar

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn days_in_year(y: i64) -> i64 {
    if is_leap(y) { 366 } else { 365 }
}

/// Day number of a civil date (1970-01-01 is 0), after Howard Hinnant's
/// `days_from_civil`.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO day of the week, Monday 1 to Sunday 7.
pub fn day_of_week(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The Monday that starts week 1 of an ISO week-based year.
fn week_one(week_year: i64) -> i64 {
    let jan4 = days_from_civil(week_year, 1, 4);
    jan4 - (day_of_week(jan4) - 1)
}

/// ISO week-based year and week of a day.
pub fn iso_week(days: i64) -> (i64, i64) {
    let (y, _, _) = civil_from_days(days);
    let mut wy = y;
    if days < week_one(y) {
        wy = y - 1;
    } else if days >= week_one(y + 1) {
        wy = y + 1;
    }
    (wy, (days - week_one(wy)) / 7 + 1)
}

fn weeks_in_year(week_year: i64) -> i64 {
    (week_one(week_year + 1) - week_one(week_year)) / 7
}

fn quarter_start(y: i64, q: i64) -> i64 {
    days_from_civil(y, (q as u32 - 1) * 3 + 1, 1)
}

/// Adds months to a date, clamping the day to the end of the month.
fn add_months(days: i64, months: i64) -> Result<i64, TemporalError> {
    let (y, m, d) = civil_from_days(days);
    let total = (y as i128) * 12 + i128::from(m - 1) + i128::from(months);
    let ny = total.div_euclid(12);
    let nm = total.rem_euclid(12) as u32 + 1;
    if ny.abs() > 999_999_999 {
        return err("the date is out of range: years run from -999999999 to 999999999");
    }
    let ny = ny as i64;
    Ok(days_from_civil(ny, nm, d.min(days_in_month(ny, nm))))
}

fn check_year(y: i64) -> Result<i64, TemporalError> {
    if y.abs() > 999_999_999 {
        err(format!(
            "year {y} is out of range: years run from -999999999 to 999999999"
        ))
    } else {
        Ok(y)
    }
}

// ------------------------------------------------------------------ types

/// A time zone: a fixed offset, or a named zone whose offset (resolved for
/// the value's local time) is kept alongside.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Zone {
    Offset(i32),
    Named(Arc<str>),
}

/// A time of day with a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    pub nanos: i64,
    pub offset: i32,
}

/// A date and a time of day, without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub days: i64,
    pub nanos: i64,
}

/// A date-time in a time zone: the local date-time, its offset, and the
/// zone's name when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub local: LocalDateTime,
    pub offset: i32,
    pub zone: Option<Arc<str>>,
}

/// An amount of time in openCypher's four independent units: months, days,
/// seconds and nanoseconds (`0 <= nanos < 1e9`; `seconds` carries the sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub months: i64,
    pub days: i64,
    pub seconds: i64,
    pub nanos: i64,
}

/// Any temporal value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Temporal {
    /// A day, as its day number.
    Date(i64),
    /// Nanoseconds since midnight.
    LocalTime(i64),
    Time(Time),
    LocalDateTime(LocalDateTime),
    DateTime(DateTime),
    Duration(Duration),
}

/// The temporal types that can be built from strings and maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::LocalTime => "localtime",
            Kind::Time => "time",
            Kind::LocalDateTime => "localdatetime",
            Kind::DateTime => "datetime",
        }
    }

    fn has_date(self) -> bool {
        matches!(self, Kind::Date | Kind::LocalDateTime | Kind::DateTime)
    }

    fn has_time(self) -> bool {
        !matches!(self, Kind::Date)
    }
}

impl DateTime {
    /// Seconds and nanoseconds since 1970-01-01T00:00Z.
    pub fn epoch_nanos(&self) -> i128 {
        local_nanos(self.local) - i128::from(self.offset) * i128::from(NANOS_PER_SEC)
    }

    pub fn epoch_seconds(&self) -> i64 {
        self.epoch_nanos().div_euclid(i128::from(NANOS_PER_SEC)) as i64
    }

    fn zone(&self) -> Zone {
        match &self.zone {
            Some(n) => Zone::Named(n.clone()),
            None => Zone::Offset(self.offset),
        }
    }
}

fn local_nanos(l: LocalDateTime) -> i128 {
    i128::from(l.days) * i128::from(NANOS_PER_DAY) + i128::from(l.nanos)
}

fn local_from_nanos(n: i128) -> LocalDateTime {
    let day = i128::from(NANOS_PER_DAY);
    LocalDateTime {
        days: n.div_euclid(day) as i64,
        nanos: n.rem_euclid(day) as i64,
    }
}

impl Temporal {
    pub fn type_name(&self) -> &'static str {
        match self {
            Temporal::Date(_) => "DATE",
            Temporal::LocalTime(_) => "LOCAL TIME",
            Temporal::Time(_) => "ZONED TIME",
            Temporal::LocalDateTime(_) => "LOCAL DATETIME",
            Temporal::DateTime(_) => "ZONED DATETIME",
            Temporal::Duration(_) => "DURATION",
        }
    }

    /// The day, for values that have one.
    pub fn days(&self) -> Option<i64> {
        match self {
            Temporal::Date(d) => Some(*d),
            Temporal::LocalDateTime(l) => Some(l.days),
            Temporal::DateTime(dt) => Some(dt.local.days),
            _ => None,
        }
    }

    /// The local time of day, for values that have one.
    pub fn time_of_day(&self) -> Option<i64> {
        match self {
            Temporal::LocalTime(n) => Some(*n),
            Temporal::Time(t) => Some(t.nanos),
            Temporal::LocalDateTime(l) => Some(l.nanos),
            Temporal::DateTime(dt) => Some(dt.local.nanos),
            _ => None,
        }
    }

    fn zone(&self) -> Option<Zone> {
        match self {
            Temporal::Time(t) => Some(Zone::Offset(t.offset)),
            Temporal::DateTime(dt) => Some(dt.zone()),
            _ => None,
        }
    }

    fn offset(&self) -> Option<i32> {
        match self {
            Temporal::Time(t) => Some(t.offset),
            Temporal::DateTime(dt) => Some(dt.offset),
            _ => None,
        }
    }

    /// Rank among temporal types for a total order (ORDER BY).
    pub fn rank(&self) -> u8 {
        match self {
            Temporal::DateTime(_) => 0,
            Temporal::LocalDateTime(_) => 1,
            Temporal::Date(_) => 2,
            Temporal::Time(_) => 3,
            Temporal::LocalTime(_) => 4,
            Temporal::Duration(_) => 5,
        }
    }

    /// Comparison as openCypher's `<`: only between values of one type;
    /// durations do not compare. Times order by their instant in UTC, then
    /// (the same instant) the larger offset first; date-times by instant,
    /// then local date-time, then zone, so that only equal values compare
    /// equal.
    pub fn compare(&self, other: &Temporal) -> Option<Ordering> {
        use Temporal::*;
        match (self, other) {
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (LocalTime(a), LocalTime(b)) => Some(a.cmp(b)),
            (Time(a), Time(b)) => Some(time_utc(a).cmp(&time_utc(b)).then(b.offset.cmp(&a.offset))),
            (LocalDateTime(a), LocalDateTime(b)) => Some(a.cmp(b)),
            (DateTime(a), DateTime(b)) => Some(
                a.epoch_nanos()
                    .cmp(&b.epoch_nanos())
                    .then(a.local.cmp(&b.local))
                    .then_with(|| a.zone.cmp(&b.zone)),
            ),
            _ => None,
        }
    }

    /// A total order: by type rank, then by value (durations by their
    /// components, ties broken deterministically).
    pub fn total_cmp(&self, other: &Temporal) -> Ordering {
        use Temporal::*;
        match (self, other) {
            (Duration(a), Duration(b)) => {
                (a.months, a.days, a.seconds, a.nanos).cmp(&(b.months, b.days, b.seconds, b.nanos))
            }
            _ => match self.compare(other) {
                Some(o) => o,
                None => self.rank().cmp(&other.rank()),
            },
        }
    }
}

fn time_utc(t: &Time) -> i64 {
    t.nanos - i64::from(t.offset) * NANOS_PER_SEC
}

mod display;
mod map;
mod ops;
mod parse;
mod zone;

pub use display::*;
pub use map::*;
pub use ops::*;
pub use parse::*;
pub use zone::*;

#[cfg(test)]
mod tests;
