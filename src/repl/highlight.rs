//! Syntax highlighting of the line being edited, driven by the query
//! language's lexer: keywords, functions, labels, relation types, strings,
//! numbers, comments, parameters and meta commands each get a colour, and
//! the bracket that matches the one at the cursor is shown in reverse.
//!
//! rustyline requires the highlighted text to be exactly as wide as the
//! raw text: only zero-width escape sequences are added, and each `PAD`
//! at the start of a continuation line is drawn as the equally wide
//! continuation prompt (see `input`). Without colour, the prompts are the
//! only change.

use std::borrow::Cow;

use super::input::{CONTINUATION, PAD};
use crate::meta::table;
use crate::query::lexer::{self, TokenKind};

const RESET: &str = "\x1b[0m";
pub const KEYWORD: &str = "\x1b[1;34m";
const FUNCTION: &str = "\x1b[36m";
const LABEL: &str = "\x1b[33m";
const REL_TYPE: &str = "\x1b[35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[96m";
const PARAMETER: &str = "\x1b[1;36m";
const COMMENT: &str = "\x1b[2m";
const UNKNOWN: &str = "\x1b[31m";
pub const META: &str = "\x1b[1;32m";
pub const DIM: &str = "\x1b[2m";
const BRACKET: &str = "\x1b[1;7m";

/// The line with colours (when `color`), its continuation prompts drawn,
/// and, when `bracket`, the bracket matching the one at `pos` marked.
pub fn highlight(line: &str, pos: usize, color: bool, bracket: bool) -> Cow<'_, str> {
    if !color {
        if line.contains(&format!("\n{PAD}")) {
            let mut out = String::with_capacity(line.len());
            emit(&mut out, line, None, false);
            return Cow::Owned(out);
        }
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() * 2);
    if line.trim_start().starts_with(':') {
        let colon = line.find(':').unwrap_or(0);
        let name_end = line[colon..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| colon + i);
        let known = table::find(&line[colon + 1..name_end]).is_some();
        out.push_str(&line[..colon]);
        emit(
            &mut out,
            &line[colon..name_end],
            known.then_some(META),
            true,
        );
        out.push_str(&line[name_end..]);
        return Cow::Owned(out);
    }
    let marks = if bracket {
        matching_bracket(line, pos)
    } else {
        None
    };
    let mut at = 0;
    for t in lexer::tokens(line) {
        emit(&mut out, &line[at..t.span.start], None, true);
        let text = &line[t.span.range()];
        let style = match t.kind {
            TokenKind::Keyword => Some(KEYWORD),
            TokenKind::Function => Some(FUNCTION),
            TokenKind::Label => Some(LABEL),
            TokenKind::RelType => Some(REL_TYPE),
            TokenKind::String => Some(STRING),
            TokenKind::Number => Some(NUMBER),
            TokenKind::Parameter => Some(PARAMETER),
            TokenKind::Comment => Some(COMMENT),
            TokenKind::Unknown => Some(UNKNOWN),
            TokenKind::Property | TokenKind::Variable | TokenKind::Punct | TokenKind::Operator => {
                None
            }
        };
        let style = match marks {
            Some((a, b))
                if t.kind == TokenKind::Punct && (t.span.start == a || t.span.start == b) =>
            {
                Some(BRACKET)
            }
            _ => style,
        };
        emit(&mut out, text, style, true);
        at = t.span.end;
    }
    emit(&mut out, &line[at..], None, true);
    Cow::Owned(out)
}

/// Appends `text` in `style`, drawing each continuation pad as the
/// continuation prompt.
fn emit(out: &mut String, text: &str, style: Option<&str>, color: bool) {
    let style = style.filter(|_| color);
    let mut lines = text.split('\n');
    let mut first = true;
    for piece in lines.by_ref() {
        let mut piece = piece;
        if !first {
            out.push('\n');
            if let Some(rest) = piece.strip_prefix(PAD) {
                if color {
                    out.push_str(DIM);
                    out.push_str(CONTINUATION);
                    out.push_str(RESET);
                } else {
                    out.push_str(CONTINUATION);
                }
                piece = rest;
            }
        }
        first = false;
        if piece.is_empty() {
            continue;
        }
        match style {
            Some(s) => {
                out.push_str(s);
                out.push_str(piece);
                out.push_str(RESET);
            }
            None => out.push_str(piece),
        }
    }
}

/// The byte offsets of the bracket at the cursor (on it, or just before
/// it) and of its partner, when both exist. Brackets inside strings and
/// comments do not count.
pub fn matching_bracket(line: &str, pos: usize) -> Option<(usize, usize)> {
    let brackets: Vec<(usize, u8)> = lexer::tokens(line)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Punct)
        .filter_map(|t| {
            let b = line.as_bytes()[t.span.start];
            b"()[]{}".contains(&b).then_some((t.span.start, b))
        })
        .collect();
    let at = brackets
        .iter()
        .position(|&(o, _)| o == pos)
        .or_else(|| brackets.iter().position(|&(o, _)| o + 1 == pos))?;
    let (offset, b) = brackets[at];
    let (open, close) = match b {
        b'(' | b')' => (b'(', b')'),
        b'[' | b']' => (b'[', b']'),
        _ => (b'{', b'}'),
    };
    let mut depth = 0i32;
    if b == open {
        for &(o, c) in &brackets[at..] {
            depth += i32::from(c == open) - i32::from(c == close);
            if depth == 0 {
                return Some((offset, o));
            }
        }
    } else {
        for &(o, c) in brackets[..=at].iter().rev() {
            depth += i32::from(c == close) - i32::from(c == open);
            if depth == 0 {
                return Some((o, offset));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removes escape sequences.
    fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for n in chars.by_ref() {
                    if n == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_by_token_kind_and_keeps_the_width() {
        let line = "MATCH (p:Person)-[r:met_with]->(x 'Kim') WHERE p.age > 3 RETURN count(*) // hi";
        let got = highlight(line, 0, true, false);
        assert_eq!(plain(&got), line);
        assert!(got.contains(&format!("{KEYWORD}MATCH{RESET}")), "{got}");
        assert!(got.contains(&format!("{LABEL}Person{RESET}")));
        assert!(got.contains(&format!("{REL_TYPE}met_with{RESET}")));
        assert!(got.contains(&format!("{STRING}'Kim'{RESET}")));
        assert!(got.contains(&format!("{NUMBER}3{RESET}")));
        assert!(got.contains(&format!("{FUNCTION}count{RESET}")));
        assert!(got.contains(&format!("{COMMENT}// hi{RESET}")));
        assert_eq!(highlight(line, 0, false, true), line);
    }

    #[test]
    fn continuation_pads_become_prompts() {
        let line = format!("MATCH (n)\n{PAD}RETURN 'a\n{PAD}b'");
        let want = format!("MATCH (n)\n{CONTINUATION}RETURN 'a\n{CONTINUATION}b'");
        assert_eq!(highlight(&line, 0, false, false), want);
        let got = highlight(&line, 0, true, false);
        assert_eq!(plain(&got), want);
        assert_eq!(plain(&got).chars().count(), line.chars().count());
    }

    #[test]
    fn meta_commands() {
        let got = highlight(":export dot a.dot", 0, true, false);
        assert!(got.starts_with(&format!("{META}:export{RESET}")), "{got}");
        assert_eq!(highlight(":nonsense", 0, true, false), ":nonsense");
    }

    #[test]
    fn matching_brackets() {
        let line = "MATCH (a)-[r]->(b {x: [1, ')']})";
        assert_eq!(matching_bracket(line, 6), Some((6, 8)));
        assert_eq!(matching_bracket(line, 9), Some((6, 8)));
        assert_eq!(matching_bracket(line, 10), Some((10, 12)));
        let last = line.len() - 1;
        assert_eq!(matching_bracket(line, line.len()), Some((15, last)));
        assert_eq!(matching_bracket(line, 2), None);
        assert_eq!(matching_bracket("MATCH (a", 7), None);
        let got = highlight(line, 6, true, true);
        assert!(
            got.contains(&format!("{BRACKET}({RESET}a{BRACKET}){RESET}")),
            "{got}"
        );
    }
}
