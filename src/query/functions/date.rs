//! eje's dates: `date()` and the date parsing comparisons with strings
//! share.

use super::*;

/// Parses a date for `date()` and for comparisons with strings.
pub fn parse_date(text: &str) -> Result<PartialDate, QueryError> {
    PartialDate::parse(text.trim()).map_err(|e| value_error(e.0))
}

pub(super) fn date(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Date(d) => Value::Date(*d),
        Value::Str(s) => Value::Date(parse_date(s)?),
        Value::Map(m) => {
            let part = |k: &str| match m.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Int(i)) => Ok(Some(*i)),
                Some(v) => Err(arg_error("date", "integer year, month and day", v)),
            };
            let Some(year) = part("year")? else {
                return Err(value_error("`date` needs at least a `year`".into()));
            };
            let mut text = format!("{year:04}");
            if let Some(m) = part("month")? {
                text.push_str(&format!("-{m:02}"));
                if let Some(d) = part("day")? {
                    text.push_str(&format!("-{d:02}"));
                }
            }
            Value::Date(parse_date(&text)?)
        }
        v => return Err(arg_error("date", "a string like `2024-06` or a map", v)),
    })
}
