//! Statement splitting: where the `;` that end statements are in a script
//! (not those inside strings or comments), using the lexer.

use super::ast::Span;
use super::lexer::{self, TokenKind};

/// Splits a script at the `;` that end statements (not those inside
/// strings or comments), dropping empty pieces.
pub fn split_statements(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    for t in lexer::tokens(text) {
        if t.kind == TokenKind::Punct && &text[t.span.range()] == ";" {
            if has_code {
                out.push(Span::new(start, t.span.start));
            }
            start = t.span.end;
            has_code = false;
        } else if t.kind != TokenKind::Comment {
            has_code = true;
        }
    }
    if has_code {
        out.push(Span::new(start, text.len()));
    }
    out
}
