//! Scripts and piped input read as the REPL reads typed input: a line that
//! starts with `:` between statements is a meta command; `;` ends a
//! statement, and so does a line break when the text before it is complete
//! and the next line does not continue it (the two together fail to parse),
//! so statements written one a line need no `;` and a statement broken over
//! several lines stays one. While a bracket is open, a line break never ends
//! a statement.

use crate::query::ast::Span;
use crate::query::lexer::{self, TokenKind};
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

/// How many brackets (`(`, `[`, `{`) `text` leaves open, by its tokens
/// (not those in strings or comments); negative when more close than open.
fn open_brackets(text: &str) -> i64 {
    lexer::tokens(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Punct)
        .map(|t| match &text[t.span.range()] {
            "(" | "[" | "{" => 1,
            ")" | "]" | "}" => -1,
            _ => 0,
        })
        .sum()
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
    let mut split = Splitter::default();
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        out.extend(split.push(line));
    }
    out.extend(split.finish());
    out
}

/// The splitter of `items`, fed a line at a time, so piped input runs as it
/// arrives (as sqlite3 reads a pipe): a meta command is given out when its
/// line has come, a statement when its `;` has come, and a statement that
/// ends without one when the next line shows that it does not continue it
/// (or the input ends). Spans count in the whole text pushed so far
/// (`text`), so positions in errors are the input's.
#[derive(Debug, Default)]
pub struct Splitter {
    text: String,
    /// Where the statement being read starts, if one is.
    start: Option<usize>,
    /// The end of the last line's content (without its line break).
    end: usize,
    /// The statement being read is complete as it stands: the next line
    /// says whether it continues it.
    waiting: bool,
}

impl Splitter {
    /// Everything pushed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Adds one line (with its line break; the input's last line may come
    /// without) and returns the items it completes.
    pub fn push(&mut self, line: &str) -> Vec<Item> {
        let offset = self.text.len();
        self.text.push_str(line);
        let content = line.trim_end_matches(['\n', '\r']);
        let mut out = Vec::new();
        if let (Some(from), true) = (self.start, self.waiting) {
            self.waiting = false;
            let tail = &self.text[from..self.end];
            if content.trim_start().starts_with(':') || !continues(tail, content) {
                out.push(Item::Statement(Span::new(from, self.end)));
                self.start = None;
            }
        }
        self.end = offset + content.len();
        if self.start.is_none() {
            if content.trim().is_empty() {
                return out;
            }
            if content.trim_start().starts_with(':') {
                let lead = content.len() - content.trim_start().len();
                out.push(Item::Meta(Span::new(offset + lead, self.end)));
                return out;
            }
            self.start = Some(offset);
        }
        let Some(from) = self.start else {
            return out;
        };
        let region = &self.text[from..self.end];
        let pieces = split_statements(region);
        // The text after the last `;`, if any code follows it.
        // (Spans always compare equal: compare offsets.)
        let tail = match pieces.last() {
            Some(last) if last.end == region.len() => Some(*last),
            _ => None,
        };
        let ended = pieces.len() - usize::from(tail.is_some());
        for p in &pieces[..ended] {
            out.push(Item::Statement(Span::new(from + p.start, from + p.end)));
        }
        match tail {
            None => self.start = None,
            Some(t) => {
                self.start = Some(from + t.start);
                // While a bracket is open the statement goes on, and parsing
                // it at every line would make a statement of many lines
                // quadratic (a list literal one element a line).
                let tail = &region[t.range()];
                self.waiting = open_brackets(tail) <= 0 && !incomplete(tail);
            }
        }
        out
    }

    /// The input ended: the statement being read, if any, is complete (or
    /// broken, and its error is its own).
    pub fn finish(&mut self) -> Vec<Item> {
        self.waiting = false;
        let Some(from) = self.start.take() else {
            return Vec::new();
        };
        split_statements(&self.text[from..self.end])
            .into_iter()
            .map(|p| Item::Statement(Span::new(from + p.start, from + p.end)))
            .collect()
    }
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

    /// What each pushed line gives out, as texts.
    fn pushed(lines: &[&str]) -> Vec<Vec<String>> {
        let mut split = Splitter::default();
        let mut out: Vec<Vec<String>> = Vec::new();
        let show = |split: &Splitter, items: Vec<Item>| -> Vec<String> {
            items
                .into_iter()
                .map(|i| match i {
                    Item::Meta(s) => format!("meta {}", &split.text()[s.range()]),
                    Item::Statement(s) => split.text()[s.range()].trim().to_string(),
                })
                .collect()
        };
        for l in lines {
            let items = split.push(l);
            out.push(show(&split, items));
        }
        let items = split.finish();
        out.push(show(&split, items));
        out
    }

    #[test]
    fn pushed_lines_give_out_each_item_as_soon_as_it_is_complete() {
        assert_eq!(
            pushed(&[
                ":format csv\n",
                "RETURN 1 AS a;\n",
                "RETURN 'x;y' AS s, // not the end;\n",
                "  2 AS b; RETURN 3\n",
                "AS c\n",
                "RETURN 4\n",
                ":quit\n",
                "RETURN 5",
            ]),
            [
                vec!["meta :format csv"],
                vec!["RETURN 1 AS a"],
                vec![],
                vec!["RETURN 'x;y' AS s, // not the end;\n  2 AS b"],
                // `RETURN 3\nAS c` waits: the next line may continue it.
                vec![],
                vec!["RETURN 3\nAS c"],
                vec!["RETURN 4", "meta :quit"],
                vec![],
                vec!["RETURN 5"],
            ]
        );
    }

    #[test]
    fn a_line_break_inside_brackets_does_not_end_a_statement() {
        assert_eq!(
            texts("RETURN [\n  1,\n  2\n] AS l\nRETURN (1 2\nRETURN 3 AS x;\n"),
            ["RETURN [\n  1,\n  2\n] AS l", "RETURN (1 2\nRETURN 3 AS x"]
        );
    }
}
