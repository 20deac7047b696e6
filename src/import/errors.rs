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
        e.span = Some(match e.span {
            Some(s) if s.start >= self.from && s.end <= self.from + self.len => {
                Span::new(s.start - self.from + self.to, s.end - self.from + self.to)
            }
            _ => self.whole,
        });
        e
    }
}

/// Moves an error found in a statement's own text to where the statement
/// is in the script: its span, and the `line:column` its message may name.
pub(super) fn relocate(mut e: ImportError, full: &str, base: usize) -> ImportError {
    if base == 0 {
        return e;
    }
    if let Some(s) = e.error.span.as_mut() {
        *s = Span::new(s.start + base, s.end + base);
    }
    const AT: &str = " opened at ";
    if let Some(i) = e.error.message.find(AT) {
        let rest = &e.error.message[i + AT.len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let l = digits(rest);
        if l > 0 && rest[l..].starts_with(':') {
            let c = digits(&rest[l + 1..]);
            if let (Ok(line), Ok(col)) = (
                rest[..l].parse::<usize>(),
                rest[l + 1..l + 1 + c].parse::<usize>(),
            ) {
                let (bl, bc) = crate::diag::line_col(full, base);
                let (line, col) = if line == 1 {
                    (bl, bc + col - 1)
                } else {
                    (bl + line - 1, col)
                };
                let end = i + AT.len() + l + 1 + c;
                e.error.message = format!(
                    "{}{AT}{line}:{col}{}",
                    &e.error.message[..i],
                    &e.error.message[end..]
                );
            }
        }
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
