//! A forgiving tokenizer for the REPL (highlighting, completion, hints) and
//! for the parser's error messages ("found `foo`").
//!
//! Unlike the parser it never fails: unterminated strings, names and
//! comments run to the end of the text, and a character that starts no
//! token becomes an `Unknown` token of its own. Whitespace is skipped.
//! Context decides a few kinds: a word after `:` in a node is a `Label`,
//! after `:` or `|` inside a relationship's brackets a `RelType`, after `.` a
//! `Property`, before `(` a `Function`.

use super::ast::Span;

/// openCypher's reserved words: never a bare variable (quote them with
/// backticks), still allowed as labels, relation types and property keys.
pub const RESERVED: &[&str] = &[
    "ALL",
    "ASC",
    "ASCENDING",
    "BY",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "EXISTS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "ON",
    "OPTIONAL",
    "ORDER",
    "REMOVE",
    "RETURN",
    "SET",
    "SKIP",
    "WHERE",
    "WITH",
    "UNION",
    "UNWIND",
    "AND",
    "AS",
    "CONTAINS",
    "DISTINCT",
    "ENDS",
    "IN",
    "IS",
    "NOT",
    "OR",
    "STARTS",
    "XOR",
    "CASE",
    "ELSE",
    "END",
    "THEN",
    "WHEN",
    "NULL",
    "TRUE",
    "FALSE",
    "CALL",
    "YIELD",
    "CONSTRAINT",
    "DO",
    "FOR",
    "REQUIRE",
    "UNIQUE",
    "MANDATORY",
    "SCALAR",
    "OF",
    "ADD",
    "DROP",
];

/// Every keyword of eje's query language, for completion and highlighting:
/// the openCypher words it reads, then the analyst statements' words
/// (which are not reserved: `path` and `to` remain good variable names).
pub const KEYWORDS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "RETURN",
    "WITH",
    "UNWIND",
    "AS",
    "DISTINCT",
    "ORDER",
    "BY",
    "ASC",
    "ASCENDING",
    "DESC",
    "DESCENDING",
    "SKIP",
    "LIMIT",
    "UNION",
    "ALL",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "STARTS",
    "ENDS",
    "CONTAINS",
    "IS",
    "NULL",
    "TRUE",
    "FALSE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "DESCRIBE",
    "NEIGHBORS",
    "PATH",
    "TIMELINE",
    "EVIDENCE",
    "DEPTH",
    "VIA",
    "TO",
    "FROM",
    "OUTGOING",
    "INCOMING",
];

/// The analyst statements' keywords: keywords only in those statements.
const ANALYST_STATEMENTS: &[&str] = &["DESCRIBE", "NEIGHBORS", "PATH", "TIMELINE", "EVIDENCE"];
const ANALYST_WORDS: &[&str] = &["DEPTH", "VIA", "TO", "FROM", "OUTGOING", "INCOMING"];

/// Names written like calls that are syntax rather than functions of the
/// registry: the pattern functions and the list quantifiers.
const SYNTAX_CALLS: &[&str] = &[
    "shortestPath",
    "allShortestPaths",
    "all",
    "any",
    "none",
    "single",
];

/// Every name written like a call: the registry's functions and
/// aggregates (`functions::names`), then the syntax ones. Highlighting and
/// completion read this, so a function added to the registry is known
/// everywhere.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    super::functions::names().chain(SYNTAX_CALLS.iter().copied())
}

/// True when `word` is one of openCypher's reserved words, in any case.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn is_function(word: &str) -> bool {
    function_names().any(|f| f.eq_ignore_ascii_case(word))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    /// A name followed by `(`.
    Function,
    /// A name after `:` in a node pattern or a label predicate.
    Label,
    /// A name after `:` or `|` inside a relationship pattern's brackets.
    RelType,
    /// A property key: after `.`, or before `:` in a map.
    Property,
    /// Any other name: variables, aliases, bare entity ids.
    Variable,
    /// `$name`
    Parameter,
    String,
    Number,
    Comment,
    /// `( ) [ ] { } , ; : .`
    Punct,
    /// `+ - * / % ^ = <> < <= > >= =~ .. | ->` and the like.
    Operator,
    /// A character that starts no token.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The lexical shape of one token, before context decides its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Raw {
    Word,
    QuotedName,
    Parameter,
    String,
    Number,
    Comment,
    Punct,
    Operator,
    Unknown,
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Skips whitespace and comments from `at`; returns the offset of the next
/// token (or the end of the text).
pub(crate) fn skip_trivia(text: &str, mut at: usize) -> usize {
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") || trimmed.starts_with("/*") {
            at = scan(text, at).map_or(text.len(), |(_, end)| end);
        } else {
            return at;
        }
    }
}

/// The end of the run of characters from `from` that satisfy `pred`.
fn run(text: &str, from: usize, pred: impl Fn(char) -> bool) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !pred(c))
        .map_or(text.len(), |(k, _)| from + k)
}

/// End of a quoted run starting at `at` (the quote itself): `\` escapes the
/// next character unless `doubled`, where the quote written twice stands
/// for itself. Unterminated: the end of the text.
fn quoted(text: &str, at: usize, quote: char, doubled: bool) -> usize {
    let mut chars = text[at + 1..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        if !doubled && c == '\\' {
            chars.next();
        } else if c == quote {
            if doubled && chars.peek().is_some_and(|&(_, n)| n == quote) {
                chars.next();
            } else {
                return at + 1 + k + c.len_utf8();
            }
        }
    }
    text.len()
}

/// The raw token starting at byte `at` (which must be a char boundary and
/// not whitespace): its shape and end. `None` at the end of the text.
pub(crate) fn scan(text: &str, at: usize) -> Option<(Raw, usize)> {
    let rest = &text[at..];
    let c = rest.chars().next()?;
    let next = rest[c.len_utf8()..].chars().next();
    let token = if rest.starts_with("//") {
        (Raw::Comment, rest.find('\n').map_or(text.len(), |k| at + k))
    } else if let Some(body) = rest.strip_prefix("/*") {
        (
            Raw::Comment,
            body.find("*/").map_or(text.len(), |k| at + 2 + k + 2),
        )
    } else if c == '\'' || c == '"' {
        (Raw::String, quoted(text, at, c, false))
    } else if c == '`' {
        (Raw::QuotedName, quoted(text, at, '`', true))
    } else if c == '$' {
        let end = match next {
            Some('`') => quoted(text, at + 1, '`', true),
            _ => run(text, at + 1, is_ident_char),
        };
        (Raw::Parameter, end)
    } else if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) {
        (Raw::Number, number_end(text, at))
    } else if is_ident_start(c) {
        (Raw::Word, run(text, at, is_ident_char))
    } else {
        const OPERATORS: &[&str] = &[
            "<>", "<=", ">=", "=~", "->", "<-", "..", "+", "-", "*", "/", "%", "^", "=", "<", ">",
            "|",
        ];
        match OPERATORS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => (Raw::Operator, at + op.len()),
            None if "()[]{},;:.".contains(c) => (Raw::Punct, at + 1),
            None => (Raw::Unknown, at + c.len_utf8()),
        }
    };
    Some(token)
}

/// The end of a number starting at `at`: digits, an optional fraction
/// (a `.` followed by a digit, so `1..3` stays a range), an optional
/// exponent, and any letters or digits glued on (`12abc` is one bad token).
fn number_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut end = run(text, at, |c| c.is_ascii_digit());
    if bytes.get(end) == Some(&b'.') && digit_at(end + 1) {
        end = run(text, end + 1, |c| c.is_ascii_digit());
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if digit_at(end + 1 + sign) {
            end = run(text, end + 1 + sign, |c| c.is_ascii_digit());
        }
    }
    run(text, end, is_ident_char)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Paren,
    Relationship,
    List,
    Brace,
}

/// Where a dotted function name (`duration.between(`, `date.truncate(`)
/// that starts at `at` ends, so that it is one token; `end` (the first
/// word's end) when the word does not start one.
fn dotted_function_end(text: &str, at: usize, end: usize) -> usize {
    let mut e = end;
    while text[e..].starts_with('.') && text[e + 1..].chars().next().is_some_and(is_ident_start) {
        e = run(text, e + 1, is_ident_char);
        if text[e..].trim_start().starts_with('(') && is_function(&text[at..e]) {
            return e;
        }
    }
    end
}

/// Splits `text` into tokens; never fails. Whitespace is not a token.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut stack: Vec<Bracket> = Vec::new();
    // What the last significant token asks of the next name.
    let mut name_kind: Option<TokenKind> = None;
    let mut statement_start = true;
    let mut analyst = false;
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        let Some((raw, mut end)) = scan(text, at) else {
            break;
        };
        if raw == Raw::Word && name_kind.is_none() {
            end = dotted_function_end(text, at, end);
        }
        let word = &text[at..end];
        let kind = match raw {
            Raw::Comment => TokenKind::Comment,
            Raw::String => TokenKind::String,
            Raw::Number => TokenKind::Number,
            Raw::Parameter => TokenKind::Parameter,
            Raw::Unknown => TokenKind::Unknown,
            Raw::Word | Raw::QuotedName => {
                let followed_by_paren = text[end..].trim_start().starts_with('(');
                let unquoted = raw == Raw::Word;
                let analyst_statement = ANALYST_STATEMENTS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(word));
                let analyst_word = ANALYST_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word));
                if let Some(kind) = name_kind {
                    kind
                } else if unquoted && statement_start && analyst_statement {
                    analyst = true;
                    TokenKind::Keyword
                } else if unquoted && analyst && analyst_word {
                    TokenKind::Keyword
                } else if followed_by_paren && (is_function(word) || !is_keyword(word)) {
                    TokenKind::Function
                } else if unquoted && is_keyword(word) && !analyst_statement && !analyst_word {
                    TokenKind::Keyword
                } else if stack.last() == Some(&Bracket::Brace)
                    && text[end..].trim_start().starts_with(':')
                {
                    TokenKind::Property
                } else {
                    TokenKind::Variable
                }
            }
            Raw::Punct | Raw::Operator => {
                if raw == Raw::Punct {
                    TokenKind::Punct
                } else {
                    TokenKind::Operator
                }
            }
        };
        // Update the context for the next token.
        let previous = out.last().map(|t| &text[t.span.range()]);
        name_kind = None;
        match word {
            "(" => stack.push(Bracket::Paren),
            "[" => stack.push(if matches!(previous, Some("-" | "<-")) {
                Bracket::Relationship
            } else {
                Bracket::List
            }),
            "{" => stack.push(Bracket::Brace),
            ")" | "]" | "}" => {
                stack.pop();
            }
            ":" => {
                name_kind = match stack.last() {
                    Some(Bracket::Relationship) => Some(TokenKind::RelType),
                    Some(Bracket::Brace) => None,
                    _ => Some(TokenKind::Label),
                }
            }
            "|" if stack.last() == Some(&Bracket::Relationship) => {
                name_kind = Some(TokenKind::RelType)
            }
            "." => name_kind = Some(TokenKind::Property),
            ";" => {
                statement_start = true;
                analyst = false;
                stack.clear();
            }
            _ => {}
        }
        if kind != TokenKind::Comment && word != ";" {
            statement_start = false;
        }
        out.push(Token {
            kind,
            span: Span::new(at, end),
        });
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_of_the_registry_is_highlighted_as_one() {
        for name in crate::query::functions::names() {
            let text = format!("RETURN {name}(x)");
            let toks = tokens(&text);
            let call = toks
                .iter()
                .find(|t| &text[t.span.range()] == name)
                .unwrap_or_else(|| panic!("`{name}` is not a token of `{text}`"));
            assert_eq!(call.kind, TokenKind::Function, "{name}");
        }
    }

    #[test]
    fn a_dotted_function_name_is_one_token_and_a_property_chain_is_not() {
        use TokenKind::*;
        assert_eq!(
            kinds("RETURN date.truncate('month', d)")[1],
            ("date.truncate".to_string(), Function)
        );
        let chain = kinds("RETURN date.truncate, d.year");
        assert_eq!(chain[1], ("date".to_string(), Variable));
        assert_eq!(chain[3], ("truncate".to_string(), Property));
    }

    fn kinds(text: &str) -> Vec<(String, TokenKind)> {
        tokens(text)
            .into_iter()
            .map(|t| (text[t.span.range()].to_string(), t.kind))
            .collect()
    }

    #[test]
    fn classifies_by_context() {
        use TokenKind::*;
        let got = kinds(
            "MATCH (n:Person)-[r:MET_WITH|:ALLY*1..2]->(m) WHERE n.name = $p RETURN count(*)",
        );
        let want = [
            ("MATCH", Keyword),
            ("(", Punct),
            ("n", Variable),
            (":", Punct),
            ("Person", Label),
            (")", Punct),
            ("-", Operator),
            ("[", Punct),
            ("r", Variable),
            (":", Punct),
            ("MET_WITH", RelType),
            ("|", Operator),
            (":", Punct),
            ("ALLY", RelType),
            ("*", Operator),
            ("1", Number),
            ("..", Operator),
            ("2", Number),
            ("]", Punct),
            ("->", Operator),
            ("(", Punct),
            ("m", Variable),
            (")", Punct),
            ("WHERE", Keyword),
            ("n", Variable),
            (".", Punct),
            ("name", Property),
            ("=", Operator),
            ("$p", Parameter),
            ("RETURN", Keyword),
            ("count", Function),
            ("(", Punct),
            ("*", Operator),
            (")", Punct),
        ];
        let want: Vec<_> = want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn analyst_words_are_keywords_only_in_analyst_statements() {
        use TokenKind::*;
        let got = kinds("PATH putin TO 'Kim' VIA met_with; MATCH path = (a) RETURN path");
        assert_eq!(got[0], ("PATH".into(), Keyword));
        assert_eq!(got[1], ("putin".into(), Variable));
        assert_eq!(got[2], ("TO".into(), Keyword));
        assert_eq!(got[3], ("'Kim'".into(), String));
        assert_eq!(got[4], ("VIA".into(), Keyword));
        assert_eq!(got[8], ("path".into(), Variable));
        assert_eq!(got.last().unwrap(), &("path".into(), Variable));
    }

    #[test]
    fn never_fails_on_unterminated_input() {
        for text in [
            "'abc",
            "/* comment",
            "`name",
            "$`p",
            "\"x\\",
            "é",
            "1e",
            ".5e+",
            "0x",
        ] {
            let toks = tokens(text);
            assert!(!toks.is_empty(), "{text}");
            assert_eq!(toks.last().unwrap().span.end, text.len(), "{text}");
        }
        assert_eq!(
            tokens("MATCH // to the end\n(n)")[1].kind,
            TokenKind::Comment
        );
        assert_eq!(kinds("1..3").len(), 3);
        assert_eq!(kinds("1.5e-3")[0].1, TokenKind::Number);
        assert_eq!(kinds("{name: 'x'}")[1].1, TokenKind::Property);
        assert_eq!(kinds("#")[0].1, TokenKind::Unknown);
    }
}
