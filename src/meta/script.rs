//! Scripts and piped input read as the REPL reads typed input: a line that
//! starts with `:` between statements is a meta command; `;` ends a
//! statement, and so does a line break when the text before it is complete
//! and the next line does not continue it (the two together fail to parse),
//! so statements written one a line need no `;` and a statement broken over
//! several lines stays one.

use crate::query::ast::Span;
use crate::query::parser;
use crate::query::split::split_statements;

/// One piece of a script, as a span of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A meta command line (`:param who 'Kim'`).
    Meta(Span),
    /// A statement.
    Statement(Span),
}

/// Whether `text` is a statement that more text could still complete.
fn incomplete(text: &str) -> bool {
    matches!(parser::parse(text), Err(e) if e.is_incomplete())
}

/// Whether `next` continues `piece`: together they parse, or they are still
/// incomplete (a `UNION` on its own line).
fn continues(piece: &str, next: &str) -> bool {
    match parser::parse(&format!("{piece}\n{next}")) {
        Ok(_) => true,
        Err(e) => e.is_incomplete(),
    }
}

/// The meta commands and statements of `text`, in order.
pub fn items(text: &str) -> Vec<Item> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &(offset, line)) in lines.iter().enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if start.is_none() {
            if content.trim().is_empty() {
                continue;
            }
            if content.trim_start().starts_with(':') {
                let lead = content.len() - content.trim_start().len();
                out.push(Item::Meta(Span::new(offset + lead, offset + content.len())));
                continue;
            }
            start = Some(offset);
        }
        let Some(from) = start else { continue };
        let end = offset + content.len();
        let region = &text[from..end];
        let pieces = split_statements(region);
        // The text after the last `;`, if any code follows it.
        let tail = match pieces.last() {
            Some(last) if last.end == region.len() => &region[last.start..],
            _ => "",
        };
        let next = lines
            .get(i + 1)
            .map(|(_, l)| l.trim_end_matches(['\n', '\r']));
        let cut = tail.trim().is_empty()
            || (!incomplete(tail)
                && match next {
                    None => true,
                    Some(n) if n.trim_start().starts_with(':') => true,
                    Some(n) => !continues(tail, n),
                });
        if next.is_none() || cut {
            for p in pieces {
                out.push(Item::Statement(Span::new(from + p.start, from + p.end)));
            }
            start = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        items(text)
            .into_iter()
            .map(|i| match i {
                Item::Meta(s) => format!("meta {}", &text[s.range()]),
                Item::Statement(s) => text[s.range()].trim().to_string(),
            })
            .collect()
    }

    #[test]
    fn newlines_end_complete_statements_that_the_next_line_does_not_continue() {
        assert_eq!(
            texts("RETURN 1 AS a\nRETURN 2 AS b\nRETURN 3 AS c\n"),
            ["RETURN 1 AS a", "RETURN 2 AS b", "RETURN 3 AS c"]
        );
        assert_eq!(
            texts("MATCH (n)\nWHERE n.x = 1\nRETURN n\nLIMIT 2\n"),
            ["MATCH (n)\nWHERE n.x = 1\nRETURN n\nLIMIT 2"]
        );
        assert_eq!(
            texts("RETURN 1 AS x\nUNION\nRETURN 2 AS x\nRETURN 3 AS y"),
            ["RETURN 1 AS x\nUNION\nRETURN 2 AS x", "RETURN 3 AS y"]
        );
        assert_eq!(
            texts("RETURN 1; RETURN 2;\n\nRETURN 3"),
            ["RETURN 1", "RETURN 2", "RETURN 3"]
        );
    }

    #[test]
    fn meta_commands_between_statements() {
        assert_eq!(
            texts(":param who 'Kim'\nMATCH (p)\nRETURN p\n  :format csv\nRETURN $who;\n"),
            [
                "meta :param who 'Kim'",
                "MATCH (p)\nRETURN p",
                "meta :format csv",
                "RETURN $who"
            ]
        );
        // A broken statement is still one item, and the error is its own.
        assert_eq!(
            texts("RETURN nope nope\nRETURN 1"),
            ["RETURN nope nope", "RETURN 1"]
        );
    }
}
