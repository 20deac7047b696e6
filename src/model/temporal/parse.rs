//! Temporal values and durations read from strings, in every form the
//! TCK uses.

use super::*;

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

pub(super) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn num(s: &str) -> Result<i64, TemporalError> {
    if !all_digits(s) {
        return err(format!("`{s}` is not a number"));
    }
    s.parse()
        .map_err(|_| TemporalError(format!("`{s}` is too large")))
}

pub(super) fn make_day(y: i64, m: i64, d: i64) -> Result<i64, TemporalError> {
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

pub(super) fn week_day(wy: i64, w: i64, dow: i64) -> Result<i64, TemporalError> {
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

pub(super) fn ordinal_day(y: i64, od: i64) -> Result<i64, TemporalError> {
    check_year(y)?;
    if !(1..=days_in_year(y)).contains(&od) {
        return err(format!("ordinal day {od} is out of range for {y}"));
    }
    Ok(days_from_civil(y, 1, 1) + od - 1)
}

pub(super) fn quarter_day(y: i64, q: i64, dq: i64) -> Result<i64, TemporalError> {
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

pub(super) fn month_or_ordinal(y: i64, rest: &str) -> Option<Result<ParsedDate, TemporalError>> {
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
pub(super) type ZoneParts<'a> = (&'a str, Option<i32>, Option<Arc<str>>);

/// Splits `21:40:32+01:00[Europe/Stockholm]` into its time, offset and zone.
pub(super) fn split_zone(text: &str) -> Result<ZoneParts<'_>, TemporalError> {
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

pub(super) fn parse_local_parts(text: &str) -> Result<(i64, &str), TemporalError> {
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
pub(super) struct Acc {
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

pub(super) fn make_duration(
    months: i128,
    days: i128,
    nanos: i128,
) -> Result<Duration, TemporalError> {
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
pub(super) fn exact_seconds(s: &str) -> Option<(Num, Num)> {
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
