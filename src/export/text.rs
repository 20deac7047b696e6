//! Small helpers the exporters share: reading the well-known properties of
//! claims and entities, and turning values into display text.

use crate::model::{PartialDate, Props, Value};

pub(crate) use crate::model::text::{plain, quantity_text};

/// A string property.
pub(crate) fn prop_str<'a>(props: &'a Props, key: &str) -> Option<&'a str> {
    props.get(key).and_then(Value::as_str)
}

/// Whether a boolean property is true.
pub(crate) fn prop_true(props: &Props, key: &str) -> bool {
    matches!(props.get(key), Some(Value::Bool(true)))
}

/// Whether a list property has at least one element (a single non-null
/// value counts too).
pub(crate) fn prop_nonempty(props: &Props, key: &str) -> bool {
    match props.get(key) {
        Some(Value::List(v)) => !v.is_empty(),
        Some(Value::Null) | None => false,
        Some(Value::Str(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// When a claim or event holds, for a label: `2024-06-19`, `2024-08 – 2025-05`,
/// `2024-08 – …`. `None` for a timeless one.
/// Only dates count (a `Value::Date`, or a string that reads as one), so a
/// free property that happens to be called `end` is not taken for a date.
pub(crate) fn when_text(props: &Props) -> Option<String> {
    let get = |k: &str| match props.get(k) {
        Some(Value::Date(d)) => Some(d.to_string()),
        Some(Value::Str(s)) if PartialDate::parse(s).is_ok() => Some(s.to_string()),
        _ => None,
    };
    if let Some(d) = get("date") {
        return Some(d);
    }
    match (get("start"), get("end")) {
        (None, None) => None,
        (Some(s), Some(e)) if s == e => Some(s),
        (s, e) => Some(format!(
            "{} – {}",
            s.as_deref().unwrap_or("…"),
            e.as_deref().unwrap_or("…")
        )),
    }
}

/// Replaces the characters that no text format here can carry (control
/// characters other than tab, newline and carriage return, and the XML
/// non-characters) with U+FFFD.
pub(crate) fn clean_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if c.is_control() => '\u{FFFD}',
        '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}
