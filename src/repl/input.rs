//! Multi-line input: when a statement is complete, and how the continuation
//! prompt is drawn.
//!
//! The query parser decides completeness (nushell's `validation.rs` does the
//! same): when parsing fails only because the text stops early (an unclosed
//! bracket, string or comment, a clause still missing), Enter starts a new
//! line; anything else is submitted, so the user sees the error. An empty
//! line on a continuation submits whatever is there, so nobody is ever
//! trapped in a statement they cannot finish.
//!
//! rustyline has no continuation prompt, and it places the cursor by the
//! raw text, not by what the highlighter draws. So Enter on an incomplete
//! statement inserts a newline followed by `PAD`, blanks exactly as wide as
//! `CONTINUATION`, and the highlighter draws those blanks as the prompt:
//! the cursor arithmetic stays right and the statement reads like psql's.
//! The blanks are removed again before the statement runs.

use crate::meta::table::bare_meta;
use crate::query::parser;

/// The prompt of a statement's first line.
pub const PROMPT: &str = "eje> ";
/// The prompt of its further lines.
pub const CONTINUATION: &str = "...> ";
/// What a continuation line starts with in the line buffer: as many blanks
/// as `CONTINUATION` is wide.
pub const PAD: &str = "     ";

const _: () = assert!(PAD.len() == CONTINUATION.len());
// Continuation lines start where the first line's text does.
const _: () = assert!(PROMPT.len() == CONTINUATION.len());

/// Whether Enter should run the input or start a new line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    Incomplete,
}

/// The statement text of a line buffer: each continuation line without its
/// `PAD`.
pub fn strip_pads(buffer: &str) -> String {
    buffer.replace(&format!("\n{PAD}"), "\n")
}

/// The line-buffer form of a statement, for history: every line after the
/// first starts with `PAD`, so a recalled statement shows its prompts.
pub fn with_pads(text: &str) -> String {
    strip_pads(text).replace('\n', &format!("\n{PAD}"))
}

/// Whether the input is a meta command (`:help`), which is one line and
/// always complete. `help`, `quit` and `exit` without the colon count too:
/// they are what people type first in any shell.
pub fn is_meta(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(':') || bare_meta(t).is_some()
}

/// Whether Enter at the end of `buffer` (a line buffer, with pads) should
/// submit it.
pub fn completeness(buffer: &str) -> Completeness {
    let text = strip_pads(buffer);
    if text.trim().is_empty() || is_meta(&text) {
        return Completeness::Complete;
    }
    // An empty line after a continuation: submit, whatever the parser says.
    if let Some((_, last)) = text.rsplit_once('\n')
        && last.trim().is_empty()
    {
        return Completeness::Complete;
    }
    match parser::parse(&text) {
        Err(e) if e.is_incomplete() => Completeness::Incomplete,
        _ => Completeness::Complete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(buffer: &str, want: Completeness) {
        assert_eq!(completeness(buffer), want, "{buffer:?}");
    }

    #[test]
    fn a_statement_that_stops_early_continues() {
        use Completeness::*;
        check("MATCH (n:Person) RETURN n", Complete);
        check("MATCH (n:Person)", Incomplete);
        check("MATCH (n:Person", Incomplete);
        check("MATCH (n) WHERE n.name = 'Kim", Incomplete);
        check("MATCH (n) /* a comment", Incomplete);
        check("RETURN 1 +", Incomplete);
        check("RETURN 1;", Complete);
        check("RETURN 1; MATCH (n)", Incomplete);
        // A `;` inside a string or a comment does not end the statement.
        check("MATCH (n) WHERE n.name = 'a;", Incomplete);
        check("MATCH (n) // done;", Incomplete);
        // Errors other than an early end are submitted, to be shown.
        check("MATCH (n) RETURN n n", Complete);
        check("MATCH n RETURN n", Complete);
        check("", Complete);
        check("   ", Complete);
    }

    #[test]
    fn an_empty_continuation_line_submits() {
        use Completeness::*;
        check(&format!("MATCH (n)\n{PAD}"), Complete);
        check(&format!("MATCH (n)\n{PAD}WHERE n.x = 1"), Incomplete);
        check(&format!("MATCH (n)\n{PAD}RETURN n"), Complete);
        check("MATCH (n)\n", Complete);
    }

    #[test]
    fn meta_commands_are_always_complete() {
        use Completeness::*;
        check(":help", Complete);
        check("  :export dot (", Complete);
        check("quit", Complete);
        check("EXIT;", Complete);
        assert_eq!(bare_meta("Exit;"), Some("quit"));
        assert_eq!(bare_meta("helper"), None);
    }

    #[test]
    fn pads_come_and_go() {
        let buffer = format!("MATCH (n)\n{PAD}RETURN n");
        assert_eq!(strip_pads(&buffer), "MATCH (n)\nRETURN n");
        assert_eq!(with_pads("MATCH (n)\nRETURN n"), buffer);
        assert_eq!(with_pads(&buffer), buffer);
    }
}
