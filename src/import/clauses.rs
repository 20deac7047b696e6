//! Finding the clauses of a statement (`ClauseStart`), and whether a
//! query writes (`write_clause`), with the lexer only.

use crate::query::ast::Span;
use crate::query::lexer::{self, TokenKind};

/// A clause keyword found at the top level of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseStart {
    /// The keyword in upper case; `OPTIONAL MATCH` and `DETACH DELETE` are
    /// named by their first word.
    pub keyword: String,
    /// Where the clause starts and ends (up to the next clause).
    pub span: Span,
}

const CLAUSE_WORDS: &[&str] = &[
    "CREATE", "MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "MERGE", "SET", "DELETE", "DETACH",
    "REMOVE", "CALL", "FOREACH", "UNION", "LOAD", "USE", "FINISH",
];

/// The clauses of the statement at `span` of `text`: each starts at a
/// clause keyword outside brackets, strings and comments.
pub fn clauses(text: &str, span: Span) -> Vec<ClauseStart> {
    let mut out: Vec<ClauseStart> = Vec::new();
    let mut depth = 0i32;
    let mut prev_word = String::new();
    let piece = &text[span.range()];
    for mut t in lexer::tokens(piece) {
        t.span = Span::new(t.span.start + span.start, t.span.end + span.start);
        let s = &text[t.span.range()];
        match t.kind {
            TokenKind::Comment => continue,
            TokenKind::Punct | TokenKind::Operator => {
                match s {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth -= 1,
                    _ => {}
                }
                prev_word.clear();
                continue;
            }
            TokenKind::String | TokenKind::Number | TokenKind::Parameter => {
                prev_word.clear();
                continue;
            }
            _ => {}
        }
        let word = s.to_ascii_uppercase();
        let follows = std::mem::replace(&mut prev_word, word.clone());
        let is_clause = depth == 0
            && !s.starts_with('`')
            && !matches!(
                t.kind,
                TokenKind::Property | TokenKind::Label | TokenKind::RelType
            )
            && CLAUSE_WORDS.contains(&word.as_str())
            && !(word == "WITH" && (follows == "STARTS" || follows == "ENDS"))
            && !(word == "MATCH" && follows == "OPTIONAL")
            && !(word == "DELETE" && follows == "DETACH")
            && !(word == "CREATE" && follows == "ON")
            && follows != "AS";
        if is_clause {
            if let Some(last) = out.last_mut() {
                last.span.end = t.span.start;
            }
            out.push(ClauseStart {
                keyword: word,
                span: Span::new(t.span.start, span.end),
            });
        }
    }
    // Trim trailing whitespace from each clause.
    for c in &mut out {
        let trimmed = text[c.span.range()].trim_end().len();
        c.span.end = c.span.start + trimmed;
    }
    out
}

/// The first clause of `text` (a query) that writes, if any: `CREATE`,
/// `MERGE`, `SET`, `DELETE`, `REMOVE`, `FOREACH`, `LOAD` (`CALL` reads:
/// eje's procedures only describe the graph).
pub fn write_clause(text: &str) -> Option<ClauseStart> {
    crate::query::split::split_statements(text)
        .into_iter()
        .flat_map(|s| clauses(text, s))
        .find(|c| {
            matches!(
                c.keyword.as_str(),
                "CREATE" | "MERGE" | "SET" | "DELETE" | "DETACH" | "REMOVE" | "FOREACH" | "LOAD"
            )
        })
}
