//! Time zones: offsets and IANA names (jiff's bundled database), and
//! date-times placed in a zone or at an instant.

use super::*;

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

pub(super) fn parse_offset(text: &str) -> Option<i32> {
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

pub(super) fn jiff_zone(name: &str) -> Result<jiff::tz::TimeZone, TemporalError> {
    jiff::tz::TimeZone::get(name).map_err(|_| TemporalError(format!("`{name}` is not a time zone")))
}

pub(super) fn jiff_range(days: i64) -> Result<(i16, i8, i8), TemporalError> {
    let (y, m, d) = civil_from_days(days);
    if !(-9998..=9998).contains(&y) {
        return err(format!(
            "year {y} is out of range for a named time zone: use an offset like `+01:00`"
        ));
    }
    Ok((y as i16, m as i8, d as i8))
}

/// The offset of a named zone at an instant.
pub(super) fn offset_at_instant(name: &str, epoch_nanos: i128) -> Result<i32, TemporalError> {
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
