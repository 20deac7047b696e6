//! Import errors, and placing an error found in a generated query or in a
//! statement's own text back into the script.

use crate::query::ast::Span;
use crate::query::{ErrorKind, QueryError};

pub(super) struct ImportError {
    pub(super) error: QueryError,
    pub(super) unsupported: bool,
}

impl From<QueryError> for ImportError {
    fn from(error: QueryError) -> Self {
        ImportError {
            error,
            unsupported: false,
        }
    }
}

pub(super) type Res<T> = Result<T, ImportError>;

/// Maps spans of a generated query back into the script: the text at
/// `from..from+len` of the query is the script's text at `to`.
pub(super) struct Shift {
    pub(super) from: usize,
    pub(super) len: usize,
    pub(super) to: usize,
    /// Where errors outside the copied text point.
    pub(super) whole: Span,
}

impl Shift {
    pub(super) fn apply(&self, mut e: QueryError) -> QueryError {
        e.span = Some(e.span.and_then(|s| self.map(s)).unwrap_or(self.whole));
        // A related place outside the copied text has no place in the script.
        e.related = std::mem::take(&mut e.related)
            .into_iter()
            .filter_map(|(s, label)| Some((self.map(s)?, label)))
            .collect();
        e
    }

    fn map(&self, s: Span) -> Option<Span> {
        (s.start >= self.from && s.end <= self.from + self.len)
            .then(|| Span::new(s.start - self.from + self.to, s.end - self.from + self.to))
    }
}

/// Moves an error found in a statement's own text to where the statement
/// is in the script: its span and its related spans.
pub(super) fn relocate(mut e: ImportError, base: usize) -> ImportError {
    if base == 0 {
        return e;
    }
    let shift = |s: &mut Span| *s = Span::new(s.start + base, s.end + base);
    if let Some(s) = e.error.span.as_mut() {
        shift(s);
    }
    for (s, _) in &mut e.error.related {
        shift(s);
    }
    e
}

/// Keeps an error's span inside `span` (the generated `RETURN` after it).
pub(super) fn clamp(mut e: QueryError, span: Span) -> QueryError {
    if let Some(s) = e.span.as_mut()
        && s.start >= span.end
    {
        *s = Span::new(span.end, span.end);
        if e.kind == ErrorKind::Syntax {
            e.kind = ErrorKind::UnexpectedEnd;
        }
    }
    e
}

pub(super) fn unsupported(span: Span, text: &str) -> ImportError {
    let word_end = text[span.start..]
        .find(|c: char| !c.is_alphabetic())
        .map_or(span.end, |i| span.start + i);
    let error = QueryError::semantic(
        format!(
            "a graph script only creates: `{}` is not supported",
            &text[span.start..word_end]
        ),
        Span::new(span.start, word_end),
    )
    .with_help("use `CREATE`, with `MATCH`, `UNWIND` and `WITH` to find or compute what it links");
    ImportError {
        error,
        unsupported: true,
    }
}

pub(super) fn first_word(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || "()[]{},;".contains(c)))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}
