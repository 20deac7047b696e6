//! The TCK's text forms of temporal values and durations.

use super::*;

pub(super) fn fmt_year(f: &mut fmt::Formatter<'_>, y: i64) -> fmt::Result {
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
