//! eje's dates: the parsing that comparisons with strings use (`date()`
//! itself is in `temporal.rs`).

use super::*;

/// Parses a date for `date()` and for comparisons with strings.
pub fn parse_date(text: &str) -> Result<PartialDate, QueryError> {
    PartialDate::parse(text.trim()).map_err(|e| value_error(e.0))
}
