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

// ------------------------------------------------------------- time zones

/// Parses a zone: `Z`, `+01`, `+0100`, `+01:00`, `+01:00:30`, or a name from
/// the IANA database (`Europe/Stockholm`).
pub fn parse_zone(text: &str) -> Result<Zone, TemporalError> {
    if let Some(off) = parse_offset(text) {
        return Ok(Zone::Offset(off));
    }
    match jiff::tz::TimeZone::get(text) {
        Ok(_) => Ok(Zone::Named(Arc::from(text))),
        Err(_) => err(format!(
            "`{text}` is not a time zone: write an offset like `+01:00` or a name like `Europe/Stockholm`"
        )),
    }
}

fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &text[1..];
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4 | 6) {
        return None;
    }
    if rest.contains(':') && rest.len() != digits.len() + digits.len() / 2 - 1 {
        return None;
    }
    let h: i32 = digits[0..2].parse().ok()?;
    let m: i32 = digits.get(2..4).map_or(Some(0), |s| s.parse().ok())?;
    let s: i32 = digits.get(4..6).map_or(Some(0), |s| s.parse().ok())?;
    if h > 18 || m > 59 || s > 59 || (h == 18 && (m > 0 || s > 0)) {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + s))
}

fn jiff_zone(name: &str) -> Result<jiff::tz::TimeZone, TemporalError> {
    jiff::tz::TimeZone::get(name).map_err(|_| TemporalError(format!("`{name}` is not a time zone")))
}

fn jiff_range(days: i64) -> Result<(i16, i8, i8), TemporalError> {
    let (y, m, d) = civil_from_days(days);
    if !(-9998..=9998).contains(&y) {
        return err(format!(
            "year {y} is out of range for a named time zone: use an offset like `+01:00`"
        ));
    }
    Ok((y as i16, m as i8, d as i8))
}

/// The offset of a named zone at an instant.
fn offset_at_instant(name: &str, epoch_nanos: i128) -> Result<i32, TemporalError> {
    let tz = jiff_zone(name)?;
    let secs = epoch_nanos.div_euclid(i128::from(NANOS_PER_SEC));
    jiff_range((secs.div_euclid(i128::from(SECS_PER_DAY))) as i64)?;
    let ts = jiff::Timestamp::new(secs as i64, 0)
        .map_err(|e| TemporalError(format!("instant out of range: {e}")))?;
    Ok(tz.to_offset(ts).seconds())
}

/// Places a local date-time in a zone. In a gap (clocks moved forward) the
/// time moves forward by the gap; in an overlap the earlier offset wins.
pub fn in_zone(local: LocalDateTime, zone: &Zone) -> Result<DateTime, TemporalError> {
    match zone {
        Zone::Offset(o) => Ok(DateTime {
            local,
            offset: *o,
            zone: None,
        }),
        Zone::Named(name) => {
            let tz = jiff_zone(name)?;
            let (y, m, d) = jiff_range(local.days)?;
            let n = local.nanos;
            let civil = jiff::civil::DateTime::new(
                y,
                m,
                d,
                (n / NANOS_PER_HOUR) as i8,
                (n / NANOS_PER_MIN % 60) as i8,
                (n / NANOS_PER_SEC % 60) as i8,
                (n % NANOS_PER_SEC) as i32,
            )
            .map_err(|e| TemporalError(e.to_string()))?;
            let ts = tz
                .to_ambiguous_timestamp(civil)
                .compatible()
                .map_err(|e| TemporalError(e.to_string()))?;
            let offset = tz.to_offset(ts).seconds();
            let epoch = i128::from(ts.as_second()) * i128::from(NANOS_PER_SEC)
                + i128::from(ts.subsec_nanosecond());
            Ok(DateTime {
                local: local_from_nanos(epoch + i128::from(offset) * i128::from(NANOS_PER_SEC)),
                offset,
                zone: Some(name.clone()),
            })
        }
    }
}

/// The same instant seen in another zone.
pub fn at_instant(epoch_nanos: i128, zone: &Zone) -> Result<DateTime, TemporalError> {
    let (offset, name) = match zone {
        Zone::Offset(o) => (*o, None),
        Zone::Named(n) => (offset_at_instant(n, epoch_nanos)?, Some(n.clone())),
    };
    Ok(DateTime {
        local: local_from_nanos(epoch_nanos + i128::from(offset) * i128::from(NANOS_PER_SEC)),
        offset,
        zone: name,
    })
}

/// The instant now, for `datetime()` and its kin without arguments.
pub fn now_epoch_nanos() -> i128 {
    jiff::Timestamp::now().as_nanosecond()
}

/// `datetime.fromepoch(seconds, nanoseconds)`.
pub fn from_epoch(seconds: i64, nanos: i64) -> DateTime {
    let n = i128::from(seconds) * i128::from(NANOS_PER_SEC) + i128::from(nanos);
    DateTime {
        local: local_from_nanos(n),
        offset: 0,
        zone: None,
    }
}

// ---------------------------------------------------------------- display

fn fmt_year(f: &mut fmt::Formatter<'_>, y: i64) -> fmt::Result {
    if y > 9999 {
        write!(f, "+{y}")
    } else if y < 0 {
        write!(f, "-{:04}", -y)
    } else {
        write!(f, "{y:04}")
    }
}

/// Writes a day as `YYYY-MM-DD` (`+` before years past 9999).
pub fn fmt_date(f: &mut fmt::Formatter<'_>, days: i64) -> fmt::Result {
    let (y, m, d) = civil_from_days(days);
    fmt_year(f, y)?;
    write!(f, "-{m:02}-{d:02}")
}

/// Writes a time of day as `HH:MM`, then `:SS` and a fraction in groups of
/// three digits when they are not zero.
pub fn fmt_time(f: &mut fmt::Formatter<'_>, nanos: i64) -> fmt::Result {
    let h = nanos / NANOS_PER_HOUR;
    let m = nanos / NANOS_PER_MIN % 60;
    let s = nanos / NANOS_PER_SEC % 60;
    let ns = nanos % NANOS_PER_SEC;
    write!(f, "{h:02}:{m:02}")?;
    if s != 0 || ns != 0 {
        write!(f, ":{s:02}")?;
        if ns != 0 {
            if ns % 1_000_000 == 0 {
                write!(f, ".{:03}", ns / 1_000_000)?;
            } else if ns % 1000 == 0 {
                write!(f, ".{:06}", ns / 1000)?;
            } else {
                write!(f, ".{ns:09}")?;
            }
        }
    }
    Ok(())
}

/// Writes an offset as `Z`, `+HH:MM` or `+HH:MM:SS`.
pub fn fmt_offset(f: &mut fmt::Formatter<'_>, offset: i32) -> fmt::Result {
    f.write_str(&offset_string(offset))
}

pub fn offset_string(offset: i32) -> String {
    if offset == 0 {
        return "Z".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s != 0 {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    } else {
        format!("{sign}{h:02}:{m:02}")
    }
}

impl fmt::Display for Temporal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Temporal::Date(d) => fmt_date(f, *d),
            Temporal::LocalTime(n) => fmt_time(f, *n),
            Temporal::Time(t) => {
                fmt_time(f, t.nanos)?;
                fmt_offset(f, t.offset)
            }
            Temporal::LocalDateTime(l) => {
                fmt_date(f, l.days)?;
                f.write_str("T")?;
                fmt_time(f, l.nanos)
            }
            Temporal::DateTime(dt) => {
                fmt_date(f, dt.local.days)?;
                f.write_str("T")?;
                fmt_time(f, dt.local.nanos)?;
                fmt_offset(f, dt.offset)?;
                if let Some(z) = &dt.zone {
                    write!(f, "[{z}]")?;
                }
                Ok(())
            }
            Temporal::Duration(d) => write!(f, "{d}"),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = i128::from(self.seconds) * i128::from(NANOS_PER_SEC) + i128::from(self.nanos);
        if self.months == 0 && self.days == 0 && total == 0 {
            return f.write_str("PT0S");
        }
        f.write_str("P")?;
        let (y, m) = (self.months / 12, self.months % 12);
        if y != 0 {
            write!(f, "{y}Y")?;
        }
        if m != 0 {
            write!(f, "{m}M")?;
        }
        if self.days != 0 {
            write!(f, "{}D", self.days)?;
        }
        if total != 0 {
            f.write_str("T")?;
            let hour = i128::from(NANOS_PER_HOUR);
            let min = i128::from(NANOS_PER_MIN);
            let h = total / hour;
            let rest = total % hour;
            let mi = rest / min;
            let ns = rest % min;
            if h != 0 {
                write!(f, "{h}H")?;
            }
            if mi != 0 {
                write!(f, "{mi}M")?;
            }
            if ns != 0 {
                let sec = i128::from(NANOS_PER_SEC);
                let sign = if ns < 0 { "-" } else { "" };
                let a = ns.abs();
                write!(f, "{sign}{}", a / sec)?;
                let frac = a % sec;
                if frac != 0 {
                    let digits = format!("{frac:09}");
                    write!(f, ".{}", digits.trim_end_matches('0'))?;
                }
                f.write_str("S")?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- parsing

/// What `date()` reads from a string: eje's partial dates keep their
/// precision (D1), every other form is a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedDate {
    Year(i64),
    Month(i64, u32),
    Day(i64),
}

impl ParsedDate {
    /// The first day it covers.
    pub fn first_day(self) -> i64 {
        match self {
            ParsedDate::Year(y) => days_from_civil(y, 1, 1),
            ParsedDate::Month(y, m) => days_from_civil(y, m, 1),
            ParsedDate::Day(d) => d,
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str) -> Result<i64, TemporalError> {
    if !all_digits(s) {
        return err(format!("`{s}` is not a number"));
    }
    s.parse()
        .map_err(|_| TemporalError(format!("`{s}` is too large")))
}

fn make_day(y: i64, m: i64, d: i64) -> Result<i64, TemporalError> {
    check_year(y)?;
    if !(1..=12).contains(&m) {
        return err(format!(
            "month {m} is out of range: months run from 1 to 12"
        ));
    }
    let last = i64::from(days_in_month(y, m as u32));
    if !(1..=last).contains(&d) {
        return err(format!(
            "`{y:04}-{m:02}-{d:02}` is not a real day: {y:04}-{m:02} has {last} days"
        ));
    }
    Ok(days_from_civil(y, m as u32, d as u32))
}

fn week_day(wy: i64, w: i64, dow: i64) -> Result<i64, TemporalError> {
    check_year(wy)?;
    let max = weeks_in_year(wy);
    if !(1..=max).contains(&w) {
        return err(format!("week {w} is out of range: {wy} has {max} weeks"));
    }
    if !(1..=7).contains(&dow) {
        return err(format!(
            "day of the week {dow} is out of range: Monday is 1, Sunday 7"
        ));
    }
    Ok(week_one(wy) + (w - 1) * 7 + dow - 1)
}

fn ordinal_day(y: i64, od: i64) -> Result<i64, TemporalError> {
    check_year(y)?;
    if !(1..=days_in_year(y)).contains(&od) {
        return err(format!("ordinal day {od} is out of range for {y}"));
    }
    Ok(days_from_civil(y, 1, 1) + od - 1)
}

fn quarter_day(y: i64, q: i64, dq: i64) -> Result<i64, TemporalError> {
    check_year(y)?;
    if !(1..=4).contains(&q) {
        return err(format!(
            "quarter {q} is out of range: quarters run from 1 to 4"
        ));
    }
    let start = quarter_start(y, q);
    let end = if q == 4 {
        days_from_civil(y + 1, 1, 1)
    } else {
        quarter_start(y, q + 1)
    };
    if !(1..=end - start).contains(&dq) {
        return err(format!("day of quarter {dq} is out of range"));
    }
    Ok(start + dq - 1)
}

/// Parses a date: `2015-07-21`, `20150721`, `2015-07`, `201507`,
/// `2015-W30-2`, `2015W302`, `2015-W30`, `2015W30`, `2015-202`, `2015202`,
/// `2015`; a signed year (`-999999999-01-01`) takes the separated forms.
pub fn parse_date(text: &str) -> Result<ParsedDate, TemporalError> {
    let bad = || {
        TemporalError(format!(
            "`{text}` is not a date: write `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYY-Www-D` or `YYYY-DDD`"
        ))
    };
    if !text.is_ascii() {
        return Err(bad());
    }
    let (sign, body) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => (1, text),
    };
    let signed = body.len() != text.len();
    let ylen = if signed {
        body.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len())
    } else {
        4.min(body.len())
    };
    let ys = &body[..ylen];
    if !all_digits(ys) || (!signed && ys.len() != 4) {
        return Err(bad());
    }
    let y = check_year(sign * num(ys).map_err(|_| bad())?)?;
    let rest = &body[ylen..];
    let (sep, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() {
        return if sep {
            Err(bad())
        } else {
            Ok(ParsedDate::Year(y))
        };
    }
    if signed && !sep {
        return Err(bad());
    }
    if let Some(w) = rest.strip_prefix('W') {
        let (ws, ds) = if sep {
            match w.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (w, None),
            }
        } else if w.len() == 3 {
            (&w[..2], Some(&w[2..]))
        } else {
            (w, None)
        };
        if ws.len() != 2 || ds.is_some_and(|d| d.len() != 1) {
            return Err(bad());
        }
        let week = num(ws).map_err(|_| bad())?;
        let dow = match ds {
            Some(d) => num(d).map_err(|_| bad())?,
            None => 1,
        };
        return Ok(ParsedDate::Day(week_day(y, week, dow)?));
    }
    if sep {
        match rest.split_once('-') {
            Some((m, d)) if m.len() == 2 && d.len() == 2 => {
                let (m, d) = (num(m).map_err(|_| bad())?, num(d).map_err(|_| bad())?);
                Ok(ParsedDate::Day(make_day(y, m, d)?))
            }
            Some(_) => Err(bad()),
            None => month_or_ordinal(y, rest).ok_or_else(bad)?,
        }
    } else if rest.len() == 4 {
        let (m, d) = (
            num(&rest[..2]).map_err(|_| bad())?,
            num(&rest[2..]).map_err(|_| bad())?,
        );
        Ok(ParsedDate::Day(make_day(y, m, d)?))
    } else {
        month_or_ordinal(y, rest).ok_or_else(bad)?
    }
}

fn month_or_ordinal(y: i64, rest: &str) -> Option<Result<ParsedDate, TemporalError>> {
    let n = num(rest).ok()?;
    Some(match rest.len() {
        2 => {
            if (1..=12).contains(&n) {
                Ok(ParsedDate::Month(y, n as u32))
            } else {
                err(format!(
                    "month {n} is out of range: months run from 1 to 12"
                ))
            }
        }
        3 => ordinal_day(y, n).map(ParsedDate::Day),
        _ => return None,
    })
}

/// Parses a time of day: `21`, `21:40`, `2140`, `21:40:32`, `214032`, each
/// with an optional fraction of a second (`.142` or `,142`).
pub fn parse_local_time(text: &str) -> Result<i64, TemporalError> {
    let bad = || {
        TemporalError(format!(
            "`{text}` is not a time: write `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`"
        ))
    };
    if !text.is_ascii() {
        return Err(bad());
    }
    let (main, frac) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = if main.contains(':') {
        main.split(':').collect()
    } else {
        main.as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect()
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return Err(bad());
    }
    let h = num(parts[0]).map_err(|_| bad())?;
    let m = parts.get(1).map_or(Ok(0), |p| num(p)).map_err(|_| bad())?;
    let s = parts.get(2).map_or(Ok(0), |p| num(p)).map_err(|_| bad())?;
    if frac.is_some() && parts.len() != 3 {
        return Err(bad());
    }
    let ns = match frac {
        Some(f) if all_digits(f) && f.len() <= 9 => {
            let padded = format!("{f:0<9}");
            num(&padded).map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
        None => 0,
    };
    if h > 23 || m > 59 || s > 59 {
        return err(format!("`{text}` is not a time of day"));
    }
    Ok(h * NANOS_PER_HOUR + m * NANOS_PER_MIN + s * NANOS_PER_SEC + ns)
}

/// A time's text, its offset and its zone's name.
type ZoneParts<'a> = (&'a str, Option<i32>, Option<Arc<str>>);

/// Splits `21:40:32+01:00[Europe/Stockholm]` into its time, offset and zone.
fn split_zone(text: &str) -> Result<ZoneParts<'_>, TemporalError> {
    let (text, name) = match text.find('[') {
        Some(i) if text.ends_with(']') => (&text[..i], Some(&text[i + 1..text.len() - 1])),
        Some(_) => return err(format!("`{text}` has an unclosed `[`")),
        None => (text, None),
    };
    let (time, offset) = match text.find(['Z', 'z', '+', '-']) {
        Some(i) => {
            let o = parse_offset(&text[i..])
                .ok_or_else(|| TemporalError(format!("`{}` is not an offset", &text[i..])))?;
            (&text[..i], Some(o))
        }
        None => (text, None),
    };
    let name = match name {
        Some(n) => {
            jiff_zone(n)?;
            Some(Arc::from(n))
        }
        None => None,
    };
    Ok((time, offset, name))
}

/// Parses a time with an offset (`21:40:32.142+0100`, `2140Z`); no offset
/// means UTC.
pub fn parse_time(text: &str) -> Result<Time, TemporalError> {
    let (t, offset, _) = split_zone(text)?;
    Ok(Time {
        nanos: parse_local_time(t)?,
        offset: offset.unwrap_or(0),
    })
}

fn parse_local_parts(text: &str) -> Result<(i64, &str), TemporalError> {
    let (d, t) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, t),
        None => (text, ""),
    };
    Ok((parse_date(d)?.first_day(), t))
}

/// Parses a local date-time: a date, `T`, a time.
pub fn parse_local_datetime(text: &str) -> Result<LocalDateTime, TemporalError> {
    let (days, t) = parse_local_parts(text)?;
    let nanos = if t.is_empty() {
        0
    } else {
        parse_local_time(t)?
    };
    Ok(LocalDateTime { days, nanos })
}

/// Parses a date-time with an offset, a zone name in brackets, or both;
/// neither means UTC.
pub fn parse_datetime(text: &str) -> Result<DateTime, TemporalError> {
    let (days, t) = parse_local_parts(text)?;
    let (t, offset, name) = split_zone(t)?;
    let nanos = if t.is_empty() {
        0
    } else {
        parse_local_time(t)?
    };
    let local = LocalDateTime { days, nanos };
    match name {
        Some(n) => {
            let zone = Zone::Named(n);
            let dt = in_zone(local, &zone)?;
            // An offset written beside the name picks the side of an overlap.
            if let Some(o) = offset
                && o != dt.offset
            {
                let epoch = local_nanos(local) - i128::from(o) * i128::from(NANOS_PER_SEC);
                let alt = at_instant(epoch, &zone)?;
                if alt.local == local {
                    return Ok(alt);
                }
            }
            Ok(dt)
        }
        None => in_zone(local, &Zone::Offset(offset.unwrap_or(0))),
    }
}

/// A number as given to a temporal function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// Sums whole and fractional amounts exactly where they are whole.
#[derive(Default)]
struct Acc {
    int: i128,
    frac: f64,
}

impl Acc {
    fn add(&mut self, n: Num, unit: i128) {
        match n {
            Num::Int(i) => self.int = self.int.saturating_add(i128::from(i) * unit),
            Num::Float(f) => {
                let whole = f.trunc();
                self.int = self
                    .int
                    .saturating_add((whole as i128).saturating_mul(unit));
                self.frac += (f - whole) * unit as f64;
                let carry = self.frac.trunc();
                self.int = self.int.saturating_add(carry as i128);
                self.frac -= carry;
            }
        }
    }
}

/// Builds a duration from amounts of each unit, as `duration({...})` and the
/// duration strings do: fractions of months become days and seconds (at the
/// average month), fractions of days become seconds, and seconds are kept
/// as seconds (never turned into days).
#[allow(clippy::too_many_arguments)]
pub fn duration_from_parts(
    years: Num,
    months: Num,
    weeks: Num,
    days: Num,
    hours: Num,
    minutes: Num,
    seconds: Num,
    subsecond_nanos: Num,
) -> Result<Duration, TemporalError> {
    let amounts = [
        years,
        months,
        weeks,
        days,
        hours,
        minutes,
        seconds,
        subsecond_nanos,
    ];
    if amounts
        .iter()
        .any(|n| matches!(n, Num::Float(f) if !f.is_finite()))
    {
        return err("a duration needs finite amounts, not NaN or infinity");
    }
    let mut mo = Acc::default();
    mo.add(years, 12);
    mo.add(months, 1);
    let mut dy = Acc::default();
    dy.add(weeks, 7);
    dy.add(days, 1);
    let mut ns = Acc::default();
    ns.add(hours, i128::from(NANOS_PER_HOUR));
    ns.add(minutes, i128::from(NANOS_PER_MIN));
    ns.add(seconds, i128::from(NANOS_PER_SEC));
    ns.add(subsecond_nanos, 1);
    // Fractions of a month: whole days, then the rest as nanoseconds.
    let month_secs = mo.frac * SECS_PER_AVG_MONTH;
    let month_days = (month_secs / SECS_PER_DAY as f64).trunc();
    let month_rest = month_secs - month_days * SECS_PER_DAY as f64;
    let day_frac_nanos = dy.frac * NANOS_PER_DAY as f64;
    let total_ns = ns.int.saturating_add(
        (ns.frac + day_frac_nanos + month_rest * NANOS_PER_SEC as f64).round() as i128,
    );
    make_duration(mo.int, dy.int.saturating_add(month_days as i128), total_ns)
}

fn make_duration(months: i128, days: i128, nanos: i128) -> Result<Duration, TemporalError> {
    let sec = i128::from(NANOS_PER_SEC);
    let seconds = nanos.div_euclid(sec);
    let (Ok(months), Ok(days), Ok(seconds)) = (
        i64::try_from(months),
        i64::try_from(days),
        i64::try_from(seconds),
    ) else {
        return err("the duration is out of range");
    };
    Ok(Duration {
        months,
        days,
        seconds,
        nanos: nanos.rem_euclid(sec) as i64,
    })
}

impl Duration {
    pub fn new(months: i64, days: i64, nanos: i128) -> Result<Duration, TemporalError> {
        make_duration(months.into(), days.into(), nanos)
    }

    /// Seconds and nanoseconds together.
    pub fn total_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SEC) + i128::from(self.nanos)
    }

    pub fn add(&self, o: &Duration) -> Result<Duration, TemporalError> {
        make_duration(
            i128::from(self.months) + i128::from(o.months),
            i128::from(self.days) + i128::from(o.days),
            self.total_nanos() + o.total_nanos(),
        )
    }

    pub fn neg(&self) -> Result<Duration, TemporalError> {
        make_duration(
            -i128::from(self.months),
            -i128::from(self.days),
            -self.total_nanos(),
        )
    }

    pub fn sub(&self, o: &Duration) -> Result<Duration, TemporalError> {
        self.add(&o.neg()?)
    }

    /// Multiplies every unit by a number; fractions spill into the smaller
    /// units as in `duration({months: 0.5})`.
    pub fn mul(&self, k: Num) -> Result<Duration, TemporalError> {
        match k {
            Num::Int(i) => {
                let k = i128::from(i);
                match self.total_nanos().checked_mul(k) {
                    Some(n) => {
                        make_duration(i128::from(self.months) * k, i128::from(self.days) * k, n)
                    }
                    None => err("the duration is out of range"),
                }
            }
            Num::Float(f) => {
                if !f.is_finite() {
                    return err("a duration can only be multiplied by a finite number");
                }
                duration_from_parts(
                    Num::Int(0),
                    Num::Float(self.months as f64 * f),
                    Num::Int(0),
                    Num::Float(self.days as f64 * f),
                    Num::Int(0),
                    Num::Int(0),
                    Num::Int(0),
                    Num::Float(self.total_nanos() as f64 * f),
                )
            }
        }
    }

    pub fn div(&self, k: Num) -> Result<Duration, TemporalError> {
        let f = k.f();
        if f == 0.0 {
            return err("division of a duration by zero");
        }
        self.mul(Num::Float(1.0 / f))
    }

    /// A named component (`d.days`, `d.minutesOfHour`...).
    pub fn component(&self, name: &str) -> Option<i64> {
        let (mo, d, s, n) = (self.months, self.days, self.seconds, self.nanos);
        Some(match name {
            "years" => mo / 12,
            "quarters" => mo / 3,
            "months" => mo,
            "weeks" => d / 7,
            "days" => d,
            "hours" => s.div_euclid(3600),
            "minutes" => s.div_euclid(60),
            "seconds" => s,
            "milliseconds" => s.saturating_mul(1000).saturating_add(n / 1_000_000),
            "microseconds" => s.saturating_mul(1_000_000).saturating_add(n / 1000),
            "nanoseconds" => s.saturating_mul(NANOS_PER_SEC).saturating_add(n),
            "quartersOfYear" => mo % 12 / 3,
            "monthsOfQuarter" => mo % 3,
            "monthsOfYear" => mo % 12,
            "daysOfWeek" => d % 7,
            "minutesOfHour" => s.div_euclid(60).rem_euclid(60),
            "secondsOfMinute" => s.rem_euclid(60),
            "millisecondsOfSecond" => n / 1_000_000,
            "microsecondsOfSecond" => n / 1000,
            "nanosecondsOfSecond" => n,
            _ => return None,
        })
    }
}

/// Parses an ISO 8601 duration: `P14DT16H12M`, `P5M1.5D`, `PT0.75M`,
/// `P2.5W`, `P12Y5M14DT16H12M70S`, the date form `P2012-02-02T14:37:21.545`,
/// and the signed components openCypher prints (`PT-1M-0.001S`).
pub fn parse_duration(text: &str) -> Result<Duration, TemporalError> {
    let bad = || {
        TemporalError(format!(
            "`{text}` is not a duration: write ISO 8601 like `P1Y2M3DT4H5M6.5S` or `PT90M`"
        ))
    };
    if !text.is_ascii() {
        return Err(bad());
    }
    let (neg, body) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = body.strip_prefix(['P', 'p']).ok_or_else(bad)?;
    if body.is_empty() {
        return Err(bad());
    }
    let zero = Num::Int(0);
    let d = if body.len() > 4 && body.as_bytes()[4] == b'-' && !body.contains(['Y', 'M', 'W', 'D'])
    {
        // The alternative form: PYYYY-MM-DDThh:mm:ss.
        let (date, time) = match body.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let p: Vec<&str> = date.split('-').collect();
        if p.len() != 3 {
            return Err(bad());
        }
        let nums: Result<Vec<i64>, _> = p.iter().map(|s| num(s)).collect();
        let nums = nums.map_err(|_| bad())?;
        let t = match time {
            Some(t) => parse_local_time(t).map_err(|_| bad())?,
            None => 0,
        };
        duration_from_parts(
            Num::Int(nums[0]),
            Num::Int(nums[1]),
            zero,
            Num::Int(nums[2]),
            zero,
            zero,
            zero,
            Num::Int(t),
        )?
    } else {
        let mut parts: BTreeMap<char, Num> = BTreeMap::new();
        let mut in_time = false;
        let mut numtext = String::new();
        for c in body.chars() {
            match c {
                'T' | 't' if numtext.is_empty() && !in_time => in_time = true,
                '0'..='9' | '.' | ',' | '-' | '+' => numtext.push(if c == ',' { '.' } else { c }),
                _ => {
                    let unit = match (c.to_ascii_uppercase(), in_time) {
                        ('Y', false) => 'Y',
                        ('M', false) => 'M',
                        ('W', false) => 'W',
                        ('D', false) => 'D',
                        ('H', true) => 'h',
                        ('M', true) => 'm',
                        ('S', true) => 's',
                        _ => return Err(bad()),
                    };
                    if numtext.is_empty() || parts.contains_key(&unit) {
                        return Err(bad());
                    }
                    let n = if numtext.contains('.') {
                        Num::Float(numtext.parse().map_err(|_| bad())?)
                    } else {
                        Num::Int(numtext.parse().map_err(|_| bad())?)
                    };
                    parts.insert(unit, n);
                    numtext.clear();
                }
            }
        }
        if !numtext.is_empty() || parts.is_empty() {
            return Err(bad());
        }
        let get = |u: char| parts.get(&u).copied().unwrap_or(zero);
        // Fractional seconds are read exactly.
        let (secs, sub) = match get('s') {
            Num::Float(_) => {
                let s = body
                    .rsplit(|c: char| c.is_ascii_alphabetic())
                    .nth(1)
                    .unwrap_or("")
                    .replace(',', ".");
                exact_seconds(&s).ok_or_else(bad)?
            }
            n => (n, zero),
        };
        duration_from_parts(
            get('Y'),
            get('M'),
            get('W'),
            get('D'),
            get('h'),
            get('m'),
            secs,
            sub,
        )?
    };
    if neg { d.neg() } else { Ok(d) }
}

/// `-1.999` as whole seconds and signed nanoseconds, exactly.
fn exact_seconds(s: &str) -> Option<(Num, Num)> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (w, f) = s.split_once('.')?;
    if f.len() > 9 || !(w.is_empty() || all_digits(w)) || !(f.is_empty() || all_digits(f)) {
        return None;
    }
    let w: i64 = if w.is_empty() { 0 } else { w.parse().ok()? };
    let f: i64 = if f.is_empty() {
        0
    } else {
        format!("{f:0<9}").parse().ok()?
    };
    let k = if neg { -1 } else { 1 };
    Some((Num::Int(k * w), Num::Int(k * f)))
}

// ------------------------------------------------------------ from maps

/// A map entry given to a temporal function.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Num(Num),
    Str(String),
    Temporal(Temporal),
}

pub type Fields = BTreeMap<String, Arg>;

const DATE_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayOfWeek",
    "ordinalDay",
    "quarter",
    "dayOfQuarter",
];
const TIME_KEYS: &[&str] = &[
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

fn int_field(fields: &Fields, key: &str) -> Result<Option<i64>, TemporalError> {
    match fields.get(key) {
        None => Ok(None),
        Some(Arg::Num(Num::Int(i))) => Ok(Some(*i)),
        Some(Arg::Num(Num::Float(f))) if f.fract() == 0.0 => Ok(Some(*f as i64)),
        Some(_) => err(format!("`{key}` must be an integer")),
    }
}

fn temporal_field<'a>(
    fields: &'a Fields,
    key: &str,
) -> Result<Option<&'a Temporal>, TemporalError> {
    match fields.get(key) {
        None => Ok(None),
        Some(Arg::Temporal(t)) => Ok(Some(t)),
        Some(_) => err(format!("`{key}` must be a temporal value")),
    }
}

/// How a map is read: `from_map` (selection from other values; a new
/// `timezone` converts a zoned value) or truncation (the map's fields refine
/// the truncated value; a `timezone` replaces the zone, keeping the local
/// time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Select,
    Truncate,
}

/// Builds a value from a map (`date({year: 1984, week: 10})`,
/// `datetime({date: d, time: t, timezone: 'Europe/Stockholm'})`).
/// Without a zone from the map or from a base value, a time or date-time is
/// in UTC.
pub fn from_map(kind: Kind, fields: &Fields) -> Result<Temporal, TemporalError> {
    build(kind, fields, Mode::Select, None, None)
}

fn build(
    kind: Kind,
    fields: &Fields,
    mode: Mode,
    base_date_in: Option<i64>,
    base_time_in: Option<(i64, Option<Zone>)>,
) -> Result<Temporal, TemporalError> {
    for k in fields.keys() {
        let known = DATE_KEYS.contains(&k.as_str())
            || TIME_KEYS.contains(&k.as_str())
            || matches!(k.as_str(), "date" | "time" | "datetime" | "timezone");
        if !known {
            return err(format!("`{k}` is not a field of {}", kind.name()));
        }
    }
    let dt_src = temporal_field(fields, "datetime")?;
    let date_src = temporal_field(fields, "date")?.or(dt_src);
    let time_src = temporal_field(fields, "time")?.or(dt_src);
    let base_date = match date_src {
        Some(t) => Some(t.days().ok_or_else(|| {
            TemporalError(format!(
                "`date` must have a date, found a {}",
                t.type_name()
            ))
        })?),
        None => base_date_in,
    };
    let (base_time, base_zone) = match time_src {
        Some(t) => {
            let n = t.time_of_day().unwrap_or(0);
            let z = t.zone();
            // A date-only value as time source gives midnight.
            if matches!(t, Temporal::Duration(_)) {
                return err("`time` must be a temporal value with a time");
            }
            (Some(n), z)
        }
        None => match base_time_in {
            Some((n, z)) => (Some(n), z),
            None => (None, None),
        },
    };
    // Date part.
    let days = if kind.has_date() {
        Some(date_fields(fields, base_date)?)
    } else {
        None
    };
    // Time part.
    let nanos = if kind.has_time() {
        Some(time_fields(fields, base_time, mode)?)
    } else {
        None
    };
    if !kind.has_time() {
        for k in TIME_KEYS {
            if fields.contains_key(*k) {
                return err(format!("`{k}` is not a field of a date"));
            }
        }
    }
    if !kind.has_date() {
        for k in DATE_KEYS {
            if fields.contains_key(*k) {
                return err(format!("`{k}` is not a field of a time"));
            }
        }
    }
    let new_zone = match fields.get("timezone") {
        None => None,
        Some(Arg::Str(s)) => Some(parse_zone(s)?),
        Some(_) => return err("`timezone` must be a string like `+01:00` or `Europe/Stockholm`"),
    };
    match kind {
        Kind::Date => Ok(Temporal::Date(days.unwrap_or(0))),
        Kind::LocalTime => Ok(Temporal::LocalTime(nanos.unwrap_or(0))),
        Kind::LocalDateTime => Ok(Temporal::LocalDateTime(LocalDateTime {
            days: days.unwrap_or(0),
            nanos: nanos.unwrap_or(0),
        })),
        Kind::Time => {
            let nanos = nanos.unwrap_or(0);
            // A named zone as a time's zone: its offset where the source
            // value is (a date-time), else its offset now.
            let fixed = |z: &Zone, src: Option<&Temporal>| -> Result<i32, TemporalError> {
                match z {
                    Zone::Offset(o) => Ok(*o),
                    Zone::Named(n) => match src {
                        Some(Temporal::DateTime(dt)) if dt.zone.as_deref() == Some(n) => {
                            Ok(dt.offset)
                        }
                        _ => offset_at_instant(n, now_epoch_nanos()),
                    },
                }
            };
            let src_offset = time_src.and_then(Temporal::offset);
            match (new_zone, &base_zone) {
                (Some(nz), Some(_)) if mode == Mode::Select => {
                    let from = src_offset.unwrap_or(0);
                    let to = fixed(&nz, None)?;
                    let n = (nanos - i64::from(from) * NANOS_PER_SEC
                        + i64::from(to) * NANOS_PER_SEC)
                        .rem_euclid(NANOS_PER_DAY);
                    Ok(Temporal::Time(Time {
                        nanos: n,
                        offset: to,
                    }))
                }
                (Some(nz), _) => Ok(Temporal::Time(Time {
                    nanos,
                    offset: fixed(&nz, None)?,
                })),
                (None, Some(z)) => Ok(Temporal::Time(Time {
                    nanos,
                    offset: match src_offset {
                        Some(o) => o,
                        None => fixed(z, None)?,
                    },
                })),
                (None, None) => Ok(Temporal::Time(Time { nanos, offset: 0 })),
            }
        }
        Kind::DateTime => {
            let local = LocalDateTime {
                days: days.unwrap_or(0),
                nanos: nanos.unwrap_or(0),
            };
            let dt = match (new_zone, base_zone) {
                (Some(nz), Some(bz)) if mode == Mode::Select => {
                    let here = in_zone(local, &bz)?;
                    at_instant(here.epoch_nanos(), &nz)?
                }
                (Some(nz), _) => in_zone(local, &nz)?,
                (None, Some(bz)) => in_zone(local, &bz)?,
                (None, None) => in_zone(local, &Zone::Offset(0))?,
            };
            Ok(Temporal::DateTime(dt))
        }
    }
}

fn date_fields(fields: &Fields, base: Option<i64>) -> Result<i64, TemporalError> {
    let g = |k| int_field(fields, k);
    let (year, month, day) = (g("year")?, g("month")?, g("day")?);
    let (week, dow) = (g("week")?, g("dayOfWeek")?);
    let ordinal = g("ordinalDay")?;
    let (quarter, doq) = (g("quarter")?, g("dayOfQuarter")?);
    let base_civil = base.map(civil_from_days);
    let need_year = || -> Result<i64, TemporalError> {
        match (year, base_civil) {
            (Some(y), _) => Ok(y),
            (None, Some((y, _, _))) => Ok(y),
            (None, None) => err("a date needs a `year`"),
        }
    };
    if week.is_some() || (dow.is_some() && month.is_none() && ordinal.is_none()) {
        if month.is_some() || day.is_some() || ordinal.is_some() || quarter.is_some() {
            return err("`week` cannot be combined with `month`, `day`, `ordinalDay` or `quarter`");
        }
        let (bwy, bw) = match base {
            Some(b) => {
                let (wy, w) = iso_week(b);
                (Some(wy), Some(w))
            }
            None => (None, None),
        };
        let wy = match (year, bwy) {
            (Some(y), _) => y,
            (None, Some(y)) => y,
            (None, None) => return err("a date needs a `year`"),
        };
        let w = week.or(bw).unwrap_or(1);
        let d = dow.or(base.map(day_of_week)).unwrap_or(1);
        return week_day(wy, w, d);
    }
    if let Some(od) = ordinal {
        if month.is_some() || day.is_some() || quarter.is_some() {
            return err("`ordinalDay` cannot be combined with `month`, `day` or `quarter`");
        }
        return ordinal_day(need_year()?, od);
    }
    if quarter.is_some() || doq.is_some() {
        if month.is_some() || day.is_some() {
            return err("`quarter` cannot be combined with `month` or `day`");
        }
        let y = need_year()?;
        let (bq, bdq) = match base {
            Some(b) => {
                let (by, bm, _) = civil_from_days(b);
                let q = i64::from((bm - 1) / 3 + 1);
                (Some(q), Some(b - quarter_start(by, q) + 1))
            }
            None => (None, None),
        };
        return quarter_day(y, quarter.or(bq).unwrap_or(1), doq.or(bdq).unwrap_or(1));
    }
    if day.is_some() && month.is_none() && base.is_none() {
        return err("a date with a `day` needs a `month`");
    }
    let y = need_year()?;
    let m = month
        .or(base_civil.map(|(_, m, _)| i64::from(m)))
        .unwrap_or(1);
    let d = day
        .or(base_civil.map(|(_, _, d)| i64::from(d)))
        .unwrap_or(1);
    make_day(y, m, d)
}

fn time_fields(fields: &Fields, base: Option<i64>, mode: Mode) -> Result<i64, TemporalError> {
    let g = |k| int_field(fields, k);
    let (h, m, s) = (g("hour")?, g("minute")?, g("second")?);
    let (ms, us, ns) = (g("millisecond")?, g("microsecond")?, g("nanosecond")?);
    let b = base.unwrap_or(0);
    if base.is_none() {
        if h.is_none() && (m.is_some() || s.is_some()) {
            return err("a time with a `minute` or `second` needs an `hour`");
        }
        if m.is_none() && s.is_some() {
            return err("a time with a `second` needs a `minute`");
        }
    }
    let hour = h.unwrap_or(b / NANOS_PER_HOUR);
    let minute = m.unwrap_or(b / NANOS_PER_MIN % 60);
    let second = s.unwrap_or(b / NANOS_PER_SEC % 60);
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) || !(0..60).contains(&second) {
        return err(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let sub_given = ms.is_some() || us.is_some() || ns.is_some();
    let (msv, usv, nsv) = (ms.unwrap_or(0), us.unwrap_or(0), ns.unwrap_or(0));
    if ms.is_some() && !(0..1000).contains(&msv) {
        return err(format!("millisecond {msv} is out of range: 0 to 999"));
    }
    let limit_us = if ms.is_some() { 1000 } else { 1_000_000 };
    if us.is_some() && !(0..limit_us).contains(&usv) {
        return err(format!("microsecond {usv} is out of range"));
    }
    let limit_ns = if us.is_some() {
        1000
    } else if ms.is_some() {
        1_000_000
    } else {
        NANOS_PER_SEC
    };
    if ns.is_some() && !(0..limit_ns).contains(&nsv) {
        return err(format!("nanosecond {nsv} is out of range"));
    }
    let given = msv * 1_000_000 + usv * 1000 + nsv;
    let sub = match mode {
        _ if !sub_given => b % NANOS_PER_SEC,
        Mode::Select => given,
        Mode::Truncate => b % NANOS_PER_SEC + given,
    };
    Ok(hour * NANOS_PER_HOUR + minute * NANOS_PER_MIN + second * NANOS_PER_SEC + sub)
}

// -------------------------------------------------------------- projection

/// `date(x)`, `localtime(x)`... of another temporal value: the parts the
/// target type has, taken from `t`.
pub fn project(kind: Kind, t: &Temporal) -> Result<Temporal, TemporalError> {
    let mut f = Fields::new();
    let key = if t.days().is_some() && t.time_of_day().is_some() {
        "datetime"
    } else if t.days().is_some() {
        "date"
    } else {
        "time"
    };
    if kind.has_date() && t.days().is_none() {
        return err(format!(
            "cannot make a {} from a {}",
            kind.name(),
            t.type_name()
        ));
    }
    if matches!(t, Temporal::Duration(_)) {
        return err(format!("cannot make a {} from a DURATION", kind.name()));
    }
    f.insert(key.into(), Arg::Temporal(t.clone()));
    from_map(kind, &f)
}

// ---------------------------------------------------------------- truncate

/// `date.truncate(unit, t, map)` and its kin.
pub fn truncate(
    kind: Kind,
    unit: &str,
    t: &Temporal,
    fields: &Fields,
) -> Result<Temporal, TemporalError> {
    let days = t.days();
    let nanos = t.time_of_day().unwrap_or(0);
    if kind.has_date() && days.is_none() {
        return err(format!(
            "cannot truncate a {} to a {}",
            t.type_name(),
            kind.name()
        ));
    }
    let date_unit = matches!(
        unit,
        "millennium" | "century" | "decade" | "year" | "weekYear" | "quarter" | "month" | "week"
    );
    let time_unit = matches!(
        unit,
        "day" | "hour" | "minute" | "second" | "millisecond" | "microsecond"
    );
    if !date_unit && !time_unit {
        return err(format!(
            "`{unit}` is not a unit: use millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute, second, millisecond or microsecond"
        ));
    }
    if !kind.has_date() && date_unit {
        return err(format!("cannot truncate a time to the `{unit}`"));
    }
    let new_days = days.map(|d| {
        let (y, m, _) = civil_from_days(d);
        match unit {
            "millennium" => days_from_civil(y.div_euclid(1000) * 1000, 1, 1),
            "century" => days_from_civil(y.div_euclid(100) * 100, 1, 1),
            "decade" => days_from_civil(y.div_euclid(10) * 10, 1, 1),
            "year" => days_from_civil(y, 1, 1),
            "weekYear" => week_one(iso_week(d).0),
            "quarter" => quarter_start(y, i64::from((m - 1) / 3 + 1)),
            "month" => days_from_civil(y, m, 1),
            "week" => d - (day_of_week(d) - 1),
            _ => d,
        }
    });
    let step = match unit {
        "hour" => NANOS_PER_HOUR,
        "minute" => NANOS_PER_MIN,
        "second" => NANOS_PER_SEC,
        "millisecond" => 1_000_000,
        "microsecond" => 1000,
        _ => NANOS_PER_DAY,
    };
    let new_nanos = nanos - nanos % step;
    let zone = t.zone();
    build(
        kind,
        fields,
        Mode::Truncate,
        new_days,
        Some((new_nanos, zone)),
    )
}

// -------------------------------------------------------------- components

/// A named component of a date, time or date-time (`d.year`, `t.offset`...).
pub enum Component {
    Int(i64),
    Str(String),
}

pub fn component(t: &Temporal, name: &str) -> Option<Component> {
    use Component::{Int, Str};
    if let Temporal::Duration(d) = t {
        return d.component(name).map(Int);
    }
    if let Some(days) = t.days() {
        let (y, m, d) = civil_from_days(days);
        let q = i64::from((m - 1) / 3 + 1);
        let v = match name {
            "year" => Some(y),
            "quarter" => Some(q),
            "month" => Some(i64::from(m)),
            "week" => Some(iso_week(days).1),
            "weekYear" => Some(iso_week(days).0),
            "day" => Some(i64::from(d)),
            "ordinalDay" => Some(days - days_from_civil(y, 1, 1) + 1),
            "weekDay" | "dayOfWeek" => Some(day_of_week(days)),
            "dayOfQuarter" => Some(days - quarter_start(y, q) + 1),
            _ => None,
        };
        if let Some(v) = v {
            return Some(Int(v));
        }
    }
    if let Some(n) = t.time_of_day() {
        let v = match name {
            "hour" => Some(n / NANOS_PER_HOUR),
            "minute" => Some(n / NANOS_PER_MIN % 60),
            "second" => Some(n / NANOS_PER_SEC % 60),
            "millisecond" => Some(n % NANOS_PER_SEC / 1_000_000),
            "microsecond" => Some(n % NANOS_PER_SEC / 1000),
            "nanosecond" => Some(n % NANOS_PER_SEC),
            _ => None,
        };
        if let Some(v) = v {
            return Some(Int(v));
        }
    }
    if let Some(off) = t.offset() {
        match name {
            "timezone" => {
                return Some(Str(match t {
                    Temporal::DateTime(DateTime { zone: Some(z), .. }) => z.to_string(),
                    _ => offset_string(off),
                }));
            }
            "offset" => {
                return Some(Str(if off == 0 {
                    "+00:00".into()
                } else {
                    offset_string(off)
                }));
            }
            "offsetMinutes" => return Some(Int(i64::from(off) / 60)),
            "offsetSeconds" => return Some(Int(i64::from(off))),
            _ => {}
        }
    }
    if let Temporal::DateTime(dt) = t {
        let e = dt.epoch_nanos();
        match name {
            "epochSeconds" => return Some(Int(e.div_euclid(i128::from(NANOS_PER_SEC)) as i64)),
            "epochMillis" => return Some(Int(e.div_euclid(1_000_000) as i64)),
            _ => {}
        }
    }
    None
}

// -------------------------------------------------------------- arithmetic

/// `t + d` (and `t - d` with `d` negated).
pub fn add_duration(t: &Temporal, d: &Duration) -> Result<Temporal, TemporalError> {
    let out_of_range = || TemporalError("the result is out of range".into());
    let day_step = |days: i64| -> Result<i64, TemporalError> {
        let days = add_months(days, d.months)?;
        days.checked_add(d.days).ok_or_else(out_of_range)
    };
    match t {
        Temporal::Date(days) => {
            // A date takes the whole days of the seconds, as openCypher does.
            let extra = d.seconds / SECS_PER_DAY;
            let day = day_step(*days)?
                .checked_add(extra)
                .ok_or_else(out_of_range)?;
            check_year(civil_from_days(day).0)?;
            Ok(Temporal::Date(day))
        }
        Temporal::LocalTime(n) => Ok(Temporal::LocalTime(shift_time(*n, d))),
        Temporal::Time(tm) => Ok(Temporal::Time(Time {
            nanos: shift_time(tm.nanos, d),
            offset: tm.offset,
        })),
        Temporal::LocalDateTime(l) => {
            let base = LocalDateTime {
                days: day_step(l.days)?,
                nanos: l.nanos,
            };
            Ok(Temporal::LocalDateTime(local_from_nanos(
                local_nanos(base) + d.total_nanos(),
            )))
        }
        Temporal::DateTime(dt) => {
            let base = LocalDateTime {
                days: day_step(dt.local.days)?,
                nanos: dt.local.nanos,
            };
            let zone = dt.zone();
            let placed = in_zone(base, &zone)?;
            Ok(Temporal::DateTime(at_instant(
                placed.epoch_nanos() + d.total_nanos(),
                &zone,
            )?))
        }
        Temporal::Duration(a) => Ok(Temporal::Duration(a.add(d)?)),
    }
}

fn shift_time(n: i64, d: &Duration) -> i64 {
    (i128::from(n) + d.total_nanos()).rem_euclid(i128::from(NANOS_PER_DAY)) as i64
}

// ------------------------------------------------------------ differences

/// What `duration.between` and its kin measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Between {
    All,
    Months,
    Days,
    Seconds,
}

/// `duration.between(a, b)` (and `inMonths`, `inDays`, `inSeconds`): whole
/// months, then whole days, then the rest, from `a` to `b`. A value without
/// a zone is read in the other's zone; when either has no date only the
/// times of day count.
pub fn between(a: &Temporal, b: &Temporal, unit: Between) -> Result<Duration, TemporalError> {
    if matches!(a, Temporal::Duration(_)) || matches!(b, Temporal::Duration(_)) {
        return err("durations have no duration between them");
    }
    let both_dates = a.days().is_some() && b.days().is_some();
    let za = a.zone();
    let zb = b.zone();
    // Where each is: day (if any), local time, offset (if any).
    let place = |t: &Temporal,
                 other: &Temporal,
                 other_zone: &Option<Zone>|
     -> Result<(Option<i64>, i64, Option<i32>), TemporalError> {
        let days = t.days();
        let nanos = t.time_of_day().unwrap_or(0);
        if let Some(o) = t.offset() {
            return Ok((days, nanos, Some(o)));
        }
        match other_zone {
            None => Ok((days, nanos, None)),
            Some(z) => {
                let day = days.or(other.days());
                match day {
                    Some(day) => {
                        let dt = in_zone(LocalDateTime { days: day, nanos }, z)?;
                        Ok((days, nanos, Some(dt.offset)))
                    }
                    None => match z {
                        Zone::Offset(o) => Ok((days, nanos, Some(*o))),
                        Zone::Named(_) => Ok((days, nanos, None)),
                    },
                }
            }
        }
    };
    let (da, na, oa) = place(a, b, &zb)?;
    let (db, nb, ob) = place(b, a, &za)?;
    let sec = i128::from(NANOS_PER_SEC);
    if !both_dates {
        if matches!(unit, Between::Months | Between::Days) {
            return Ok(Duration::default());
        }
        let diff = match (oa, ob) {
            (Some(oa), Some(ob)) => {
                (i128::from(nb) - i128::from(ob) * sec) - (i128::from(na) - i128::from(oa) * sec)
            }
            _ => i128::from(nb) - i128::from(na),
        };
        return Duration::new(0, 0, diff);
    }
    let (da, db) = (da.unwrap_or(0), db.unwrap_or(0));
    let la = LocalDateTime {
        days: da,
        nanos: na,
    };
    let mut lb = LocalDateTime {
        days: db,
        nanos: nb,
    };
    let zoned = oa.is_some() && ob.is_some();
    // Both zoned: see `b` in `a`'s zone.
    let a_zone = match (&za, oa) {
        (Some(z), _) => Some(z.clone()),
        (None, Some(o)) => Some(Zone::Offset(o)),
        _ => None,
    };
    let epoch_b = local_nanos(lb) - i128::from(ob.unwrap_or(0)) * sec;
    let epoch_a = local_nanos(la) - i128::from(oa.unwrap_or(0)) * sec;
    if zoned && let Some(z) = &a_zone {
        lb = at_instant(epoch_b, z)?.local;
    }
    match unit {
        Between::Seconds => {
            let diff = if zoned {
                epoch_b - epoch_a
            } else {
                local_nanos(lb) - local_nanos(la)
            };
            Duration::new(0, 0, diff)
        }
        Between::Days => Duration::new(0, days_until(la, lb), 0),
        Between::Months => Duration::new(months_until(la, lb), 0, 0),
        Between::All => {
            let months = months_until(la, lb);
            let a1 = LocalDateTime {
                days: add_months(la.days, months)?,
                nanos: la.nanos,
            };
            let days = days_until(a1, lb);
            let a2 = LocalDateTime {
                days: a1.days + days,
                nanos: a1.nanos,
            };
            let rest = match (zoned, &a_zone) {
                (true, Some(z)) => epoch_b - in_zone(a2, z)?.epoch_nanos(),
                _ => local_nanos(lb) - local_nanos(a2),
            };
            Duration::new(months, days, rest)
        }
    }
}

fn months_until(a: LocalDateTime, b: LocalDateTime) -> i64 {
    let (ya, ma, da) = civil_from_days(a.days);
    let (yb, mb, db) = civil_from_days(b.days);
    let mut months = (yb * 12 + i64::from(mb)) - (ya * 12 + i64::from(ma));
    let ka = (da, a.nanos);
    let kb = (db, b.nanos);
    if months > 0 && kb < ka {
        months -= 1;
    } else if months < 0 && kb > ka {
        months += 1;
    }
    months
}

fn days_until(a: LocalDateTime, b: LocalDateTime) -> i64 {
    let mut days = b.days - a.days;
    if days > 0 && b.nanos < a.nanos {
        days -= 1;
    } else if days < 0 && b.nanos > a.nanos {
        days += 1;
    }
    days
}

#[cfg(test)]
mod tests;
