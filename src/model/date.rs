//! Partial dates: ISO prefixes whose length is their precision.
//!
//! `2025`, `2024-08` and `2025-10-27` are all dates; each stands for the
//! interval of days it covers. Comparisons follow from that: `2024-06` is
//! before `2024-07-01`, overlaps `2024-06-19` (so neither before nor after
//! it) and is not equal to it.

use std::cmp::Ordering;
use std::fmt;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

/// The calendar is `temporal`'s; these take a partial date's own types.
pub fn is_leap(year: i32) -> bool {
    super::temporal::is_leap(i64::from(year))
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    // At most 31: the narrowing cannot lose anything.
    super::temporal::days_in_month(i64::from(year), u32::from(month)) as u8
}

/// Days since 0000-03-01 in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`); only differences and order matter here.
fn day_number(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible dates.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let bad = || {
            DateError(format!(
                "`{text}` is not a date: write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"
            ))
        };
        // `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each part checked in turn and
        // read without allocating: a million claims' dates are parsed in
        // the check and again in the build.
        let mut parts = text.splitn(4, '-');
        let (y, m, d) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        if parts.next().is_some() {
            return Err(bad());
        }
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let number = |s: &str| s.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
        if !digits(y, 4) {
            return Err(bad());
        }
        let year = number(y) as i32;
        let mut date = PartialDate::year(year);
        if let Some(m) = m {
            if !digits(m, 2) {
                return Err(bad());
            }
            let month = number(m) as u8;
            if !(1..=12).contains(&month) {
                return Err(DateError(format!(
                    "`{text}` has no month {month}: months run from 01 to 12"
                )));
            }
            date.month = Some(month);
        }
        if let Some(d) = d {
            if !digits(d, 2) {
                return Err(bad());
            }
            let day = number(d) as u8;
            let month = date.month.unwrap_or(1);
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                return Err(DateError(format!(
                    "`{text}` is not a real day: {year}-{month:02} has {last} days"
                )));
            }
            date.day = Some(day);
        }
        Ok(date)
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// First day covered, as a day number.
    pub fn first_day(&self) -> i64 {
        day_number(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered, as a day number.
    pub fn last_day(&self) -> i64 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        day_number(self.year, month, day)
    }

    /// Interval comparison: `Some(Less)` when every day of `self` is before
    /// every day of `other`, `Some(Greater)` for the reverse, `Some(Equal)`
    /// when both are the same date at the same precision, `None` when they
    /// overlap without being equal (the answer is unknown).
    pub fn compare(&self, other: &PartialDate) -> Option<Ordering> {
        if self == other {
            Some(Ordering::Equal)
        } else if self.last_day() < other.first_day() {
            Some(Ordering::Less)
        } else if self.first_day() > other.last_day() {
            Some(Ordering::Greater)
        } else {
            None
        }
    }

    /// Whether the two intervals share a day.
    pub fn overlaps(&self, other: &PartialDate) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }

    /// A total order for sorting: by first day, coarser dates first.
    pub fn sort_key(&self) -> (i64, Precision) {
        (self.first_day(), self.precision())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// When a claim holds: a point or an interval with either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    On(PartialDate),
    Span {
        from: Option<PartialDate>,
        to: Option<PartialDate>,
    },
}

impl When {
    /// The earliest date mentioned, for ordering timelines.
    pub fn start(&self) -> Option<PartialDate> {
        match *self {
            When::On(d) => Some(d),
            When::Span { from, to } => from.or(to),
        }
    }

    pub fn end(&self) -> Option<PartialDate> {
        match *self {
            When::On(d) => Some(d),
            When::Span { from, to } => to.or(from),
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::On(d) => write!(f, "{d}"),
            When::Span { from, to } => {
                match from {
                    Some(d) => write!(f, "{d}")?,
                    None => f.write_str("…")?,
                }
                f.write_str(" – ")?;
                match to {
                    Some(d) => write!(f, "{d}"),
                    None => f.write_str("…"),
                }
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

    /// The parser as it was, splitting on `-`: the model `parse` is held to.
    fn parse_by_splitting(text: &str) -> Result<PartialDate, DateError> {
        let bad = || {
            DateError(format!(
                "`{text}` is not a date: write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"
            ))
        };
        let parts: Vec<&str> = text.split('-').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(parts[0], 4) {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let mut date = PartialDate::year(year);
        if let Some(m) = parts.get(1) {
            if !digits(m, 2) {
                return Err(bad());
            }
            let month: u8 = m.parse().map_err(|_| bad())?;
            if !(1..=12).contains(&month) {
                return Err(DateError(format!(
                    "`{text}` has no month {month}: months run from 01 to 12"
                )));
            }
            date.month = Some(month);
        }
        if let Some(dd) = parts.get(2) {
            if !digits(dd, 2) {
                return Err(bad());
            }
            let day: u8 = dd.parse().map_err(|_| bad())?;
            let month = date.month.unwrap_or(1);
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                return Err(DateError(format!(
                    "`{text}` is not a real day: {year}-{month:02} has {last} days"
                )));
            }
            date.day = Some(day);
        }
        Ok(date)
    }

    proptest::proptest! {
        /// Every text parses, or fails with the same message, as it did
        /// when it was split on `-`.
        #[test]
        fn parse_agrees_with_splitting(
            text in proptest::prop_oneof![
                "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?",
                "[0-9]{4}[-x][0-9]{2}[-x][0-9]{1,3}",
                "[0-9-]{0,11}",
                "[0-9a+ ٣é-]{0,11}",
            ]
        ) {
            let got = PartialDate::parse(&text).map_err(|e| e.0);
            let want = parse_by_splitting(&text).map_err(|e| e.0);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn precision_is_kept_and_printed() {
        for s in ["2025", "2024-08", "2025-10-27"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("2024-08").precision(), Precision::Month);
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for s in [
            "2025-02-30",
            "2025-13",
            "2025-00",
            "25-01",
            "2025-1-01",
            "2025-01-01-01",
            "",
            "abcd",
        ] {
            assert!(PartialDate::parse(s).is_err(), "{s} accepted");
        }
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(PartialDate::parse("2023-02-29").is_err());
    }

    #[test]
    fn partial_dates_compare_as_intervals() {
        assert_eq!(d("2024-06").compare(&d("2024-07-01")), Some(Ordering::Less));
        assert_eq!(d("2024-06").compare(&d("2024-06-19")), None);
        assert_eq!(d("2024-06-19").compare(&d("2024-06")), None);
        assert_eq!(d("2025").compare(&d("2024-12-31")), Some(Ordering::Greater));
        assert_eq!(d("2024-06").compare(&d("2024-06")), Some(Ordering::Equal));
        assert!(d("2024").overlaps(&d("2024-06-19")));
        assert!(!d("2024-05").overlaps(&d("2024-06-19")));
    }
}
