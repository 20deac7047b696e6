//! Values as display text, shared by the analyst statements and the
//! exporters: plain values, grouped integers and a claim's quantity with
//! its bounds ("> 3,000,000").

use super::value::format_float;
use super::{Graph, Props, Value};

/// A claim's quantity with its unit: `≈ 12,000 troops` (an exact figure
/// marked `approx`), `10,000–12,000 troops`,
/// and for a bound alone (`quantity` is only ever an exact figure)
/// `> 3,000,000 shells` or `< 500 troops`.
pub fn quantity_text(graph: &Graph, props: &Props) -> Option<String> {
    let plain = |graph: &Graph, v: &Value| match v {
        Value::Int(i) => grouped(*i),
        other => plain(graph, other),
    };
    let Some(q) = props.get("quantity").filter(|v| !v.is_null()) else {
        let bound = |k: &str| {
            props
                .get(k)
                .filter(|v| !v.is_null())
                .map(|v| plain(graph, v))
        };
        let mut s = match (bound("quantity_low"), bound("quantity_high")) {
            (Some(lo), Some(hi)) if lo == hi => lo,
            (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
            (Some(lo), None) => format!("> {lo}"),
            (None, Some(hi)) => format!("< {hi}"),
            (None, None) => return None,
        };
        if let Some(u) = props
            .get("unit")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
        {
            s.push(' ');
            s.push_str(u);
        }
        return Some(s);
    };
    let mut s = match q {
        Value::Map(m) => {
            let part = |k: &str| m.get(k).filter(|v| !v.is_null()).map(|v| plain(graph, v));
            let range = match (part("low"), part("high")) {
                (Some(lo), Some(hi)) if lo != hi => Some(format!("{lo}–{hi}")),
                (Some(x), _) | (_, Some(x)) => Some(x),
                (None, None) => None,
            };
            let value = part("value").or(range)?;
            if matches!(m.get("approx"), Some(Value::Bool(true))) {
                format!("≈ {value}")
            } else {
                value
            }
        }
        other if matches!(props.get("approx"), Some(Value::Bool(true))) => {
            format!("≈ {}", plain(graph, other))
        }
        other => plain(graph, other),
    };
    let unit = props
        .get("unit")
        .and_then(Value::as_str)
        .or_else(|| match q {
            Value::Map(m) => m.get("unit").and_then(Value::as_str),
            _ => None,
        });
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        s.push(' ');
        s.push_str(u);
    }
    Some(s)
}

/// An integer with its thousands grouped: `15,000`; years and small counts
/// (under 10,000) stay as they are.
pub fn grouped(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    if digits.len() <= 4 {
        return i.to_string();
    }
    let mut out = String::new();
    for (n, c) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if i < 0 { format!("-{out}") } else { out }
}

/// A value as plain text: strings bare, dates ISO, lists comma-separated,
/// nodes by id.
pub fn plain(graph: &Graph, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Str(s) => s.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Temporal(t) => t.to_string(),
        Value::List(items) => items
            .iter()
            .map(|v| plain(graph, v))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", plain(graph, v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Node(n) if n.index() < graph.node_count() => graph.node(*n).id.clone(),
        Value::Rel(r) if r.index() < graph.rel_count() => graph.rel(*r).rel_type.to_string(),
        other => other.to_string(),
    }
}

/// Parses a size: bytes, or a number with `K`, `M`, `G` (powers of 1024,
/// also written `KiB`, `MB`...).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num.parse().map_err(|_| {
        format!("`{text}` is not a size; expected bytes or a number with K, M or G (`256M`)")
    })?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit; expected K, M or G (`256M`)"
            ));
        }
    };
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_bounds() {
        let g = Graph::new(None);
        let text = |pairs: &[(&str, Value)]| {
            let mut p = Props::new();
            for (k, v) in pairs {
                p.insert(k.to_string(), v.clone());
            }
            quantity_text(&g, &p)
        };
        let unit = ("unit", Value::from("shells"));
        assert_eq!(
            text(&[("quantity_low", Value::Int(3_000_000)), unit.clone()]).as_deref(),
            Some("> 3,000,000 shells")
        );
        assert_eq!(
            text(&[("quantity_high", Value::Int(500))]).as_deref(),
            Some("< 500")
        );
        assert_eq!(
            text(&[
                ("quantity_low", Value::Int(10_000)),
                ("quantity_high", Value::Int(12_000)),
                unit.clone()
            ])
            .as_deref(),
            Some("10,000–12,000 shells")
        );
        assert_eq!(
            text(&[("quantity", Value::Int(15_000)), unit]).as_deref(),
            Some("15,000 shells")
        );
        assert_eq!(
            text(&[
                ("quantity", Value::Int(11_000)),
                ("approx", Value::Bool(true))
            ])
            .as_deref(),
            Some("≈ 11,000")
        );
        assert_eq!(text(&[]), None);
    }

    #[test]
    fn large_integers_are_grouped() {
        assert_eq!(grouped(2024), "2024");
        assert_eq!(grouped(15000), "15,000");
        assert_eq!(grouped(-1234567), "-1,234,567");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
    }
}
