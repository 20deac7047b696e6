//! What every production shares: the input type, the error type, the depth
//! guard, and the lexemes (whitespace and comments, symbols, keywords,
//! names, string and number literals).
//!
//! Convention: every lexeme parser consumes the whitespace and comments
//! *after* its token, so the input a production receives always starts at
//! a token (and an error's offset points at the token it found). Spans
//! returned by lexemes cover the token only.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use nom::bytes::complete::{tag, tag_no_case, take_till, take_until, take_while, take_while1};
use nom::character::complete::{anychar, char, satisfy};
use nom::combinator::{opt, peek, recognize};
use nom::error::{ErrorKind as NomKind, ParseError};
use nom::{Err, IResult, Input, Parser};
use nom_locate::LocatedSpan;

use crate::query::ast::{Ident, PathPattern, Span};
use crate::query::error::{ErrorKind, QueryError};
use crate::query::lexer::{self, is_ident_char, is_ident_start};

/// How deep expressions and patterns may nest before the parser gives up.
pub const MAX_DEPTH: u32 = 200;

/// State shared by the whole parse: the nesting depth, and the outcome of
/// speculative attempts by position, so that backtracking never repeats
/// work (nested, repeated work would grow exponentially).
#[derive(Default)]
pub(super) struct Ctx {
    depth: Cell<u32>,
    /// The deepest level reached (see `measured`).
    deepest: Cell<u32>,
    /// How many predicates (`WHERE ...`, `exists(...)`) enclose the
    /// current position: pattern predicates are allowed only inside one.
    predicates: Cell<u32>,
    /// Path patterns tried in expressions: where each attempt ended and
    /// what it found, or why it failed.
    pub paths: RefCell<HashMap<usize, Attempt>>,
    /// How many levels were entered in all: the parser's work, which a
    /// test holds to grow linearly with nesting (see `parse_steps`).
    pub steps: Cell<u64>,
}

/// How a speculative attempt ended: where, with what; or why it failed.
/// A success also says how many levels deep it went.
pub(super) type Attempt = Result<(usize, PathPattern, u32), PErr>;

pub(super) type In<'a> = LocatedSpan<&'a str, &'a Ctx>;
pub(super) type PResult<'a, T> = IResult<In<'a>, T, PErr>;

/// A parse error, cheap to make: messages are written only once the parse
/// has failed (`into_query_error`).
#[derive(Debug, Clone)]
pub(super) struct PErr {
    /// Byte offset where the error was detected.
    pub offset: usize,
    pub reason: Reason,
}

#[derive(Debug, Clone)]
pub(super) enum Reason {
    /// A nom combinator failed; no better words for it.
    Nom,
    /// "expected {0}, found ..."
    Expected(&'static str),
    /// "expected {expected} to close {what} opened at {line:col}, found ..."
    Unclosed {
        expected: &'static str,
        what: &'static str,
        open: usize,
        /// openCypher's name for the error, if it has one.
        code: Option<&'static str>,
    },
    /// A finished error.
    Custom(Box<QueryError>),
}

impl<'a> ParseError<In<'a>> for PErr {
    fn from_error_kind(input: In<'a>, _: NomKind) -> Self {
        PErr {
            offset: input.location_offset(),
            reason: Reason::Nom,
        }
    }

    fn append(_: In<'a>, _: NomKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        self.furthest(other)
    }
}

impl PErr {
    /// Of two failed alternatives, the one that got further says more.
    pub fn furthest(self, other: Self) -> Self {
        if self.offset > other.offset
            || (self.offset == other.offset && matches!(other.reason, Reason::Nom))
        {
            self
        } else {
            other
        }
    }

    pub fn at(i: &In, reason: Reason) -> Self {
        PErr {
            offset: i.location_offset(),
            reason,
        }
    }

    pub fn custom(error: QueryError) -> Self {
        let offset = error.span.map_or(0, |s| s.start);
        PErr {
            offset,
            reason: Reason::Custom(Box::new(error)),
        }
    }
}

/// A recoverable error: `alt` and `opt` try something else.
pub(super) fn error<T>(i: &In, reason: Reason) -> Result<T, Err<PErr>> {
    Err(Err::Error(PErr::at(i, reason)))
}

/// An unrecoverable error: the branch is committed.
pub(super) fn failure<T>(i: &In, reason: Reason) -> Result<T, Err<PErr>> {
    Err(Err::Failure(PErr::at(i, reason)))
}

/// A finished, unrecoverable error.
pub(super) fn fail_with<T>(error: QueryError) -> Result<T, Err<PErr>> {
    Err(Err::Failure(PErr::custom(error)))
}

/// Commits: a recoverable error of `p` becomes unrecoverable, saying what
/// was expected at `i`.
pub(super) fn must<'a, O>(
    what: &'static str,
    mut p: impl Parser<In<'a>, Output = O, Error = PErr>,
) -> impl FnMut(In<'a>) -> PResult<'a, O> {
    move |i: In<'a>| match p.parse(i) {
        Err(Err::Error(e)) => {
            // Keep a more precise error from inside `p` when it got further.
            let ours = PErr::at(&i, Reason::Expected(what));
            Err(Err::Failure(if e.offset > ours.offset { e } else { ours }))
        }
        other => other,
    }
}

/// Commits to a closing token: `close` must come next, else an error that
/// says what was `expected` and names the bracket opened at `open`.
pub(super) fn closing<'a>(
    i: In<'a>,
    close: &'static str,
    expected: &'static str,
    what: &'static str,
    open: Span,
) -> PResult<'a, Span> {
    match sym(close).parse(i) {
        Ok(ok) => Ok(ok),
        Err(Err::Error(_)) => failure(
            &i,
            Reason::Unclosed {
                expected,
                what,
                open: open.start,
                code: None,
            },
        ),
        Err(e) => Err(e),
    }
}

/// Parses `p` as a predicate, where a pattern may stand for a boolean.
pub(super) fn predicate<'a, O>(
    i: In<'a>,
    p: impl FnOnce(In<'a>) -> PResult<'a, O>,
) -> PResult<'a, O> {
    let count = &i.extra.predicates;
    count.set(count.get() + 1);
    let result = p(i);
    count.set(count.get() - 1);
    result
}

/// Leaves any `WHERE` or `exists(...)` (for a subquery's own clauses),
/// returning what to restore.
pub(super) fn without_predicate(i: &In) -> u32 {
    i.extra.predicates.replace(0)
}

pub(super) fn restore_predicate(i: &In, count: u32) {
    i.extra.predicates.set(count);
}

/// True inside a `WHERE` or `exists(...)`.
pub(super) fn in_predicate(i: &In) -> bool {
    i.extra.predicates.get() > 0
}

/// One level of nesting; dropping it leaves the level.
pub(super) struct Depth<'a>(&'a Cell<u32>);

impl Drop for Depth<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Enters one more level of nesting, or fails when too deep.
pub(super) fn enter<'a>(i: &In<'a>) -> Result<Depth<'a>, Err<PErr>> {
    let depth = &i.extra.depth;
    if depth.get() >= MAX_DEPTH {
        return too_deep(i);
    }
    depth.set(depth.get() + 1);
    i.extra.steps.set(i.extra.steps.get() + 1);
    let deepest = &i.extra.deepest;
    deepest.set(deepest.get().max(depth.get()));
    Ok(Depth(depth))
}

/// The error for nesting deeper than [`MAX_DEPTH`], pointing at `i`.
pub(super) fn too_deep<T>(i: &In) -> Result<T, Err<PErr>> {
    let at = i.location_offset();
    let len = lexer::scan(i.fragment(), 0).map_or(0, |(_, end)| end);
    fail_with(
        QueryError::syntax(
            format!("nesting deeper than {MAX_DEPTH} levels"),
            Span::new(at, at + len),
        )
        .with_help("split the expression, or use fewer parentheses, brackets and operators"),
    )
}

/// Runs `p` and says how many levels deeper than here it went, so that a
/// remembered attempt replayed deeper down still respects [`MAX_DEPTH`].
pub(super) fn measured<'a, O>(
    i: In<'a>,
    p: impl FnOnce(In<'a>) -> PResult<'a, O>,
) -> (PResult<'a, O>, u32) {
    let here = i.extra.depth.get();
    let deepest = &i.extra.deepest;
    let before = deepest.replace(here);
    let result = p(i);
    let went = deepest.get().saturating_sub(here);
    deepest.set(before.max(deepest.get()));
    (result, went)
}

/// True when going `levels` deeper from `i` would pass [`MAX_DEPTH`].
pub(super) fn would_be_too_deep(i: &In, levels: u32) -> bool {
    i.extra.depth.get() + levels > MAX_DEPTH
}

pub(super) fn offset(i: &In) -> usize {
    i.location_offset()
}

/// The span of a matched piece of input.
pub(super) fn span_of(m: &In) -> Span {
    Span::new(
        m.location_offset(),
        m.location_offset() + m.fragment().len(),
    )
}

/// The next character, if any.
pub(super) fn next_char(i: &In) -> Option<char> {
    i.fragment().chars().next()
}

/// `ws = { whitespace | "//" ... end of line | "/*" ... "*/" }`
pub(super) fn ws(mut i: In) -> PResult<()> {
    loop {
        (i, _) = take_while(char::is_whitespace).parse(i)?;
        if i.fragment().starts_with("//") {
            (i, _) = take_till(|c| c == '\n').parse(i)?;
        } else if i.fragment().starts_with("/*") {
            let open = i;
            let (rest, _) = tag("/*").parse(i)?;
            match take_until::<_, _, PErr>("*/").parse(rest) {
                Ok((rest, _)) => i = rest.take_from(2),
                Err(_) => {
                    let at = offset(&open);
                    return fail_with(
                        QueryError::new(
                            ErrorKind::UnexpectedEnd,
                            "unterminated block comment",
                            Some(Span::new(at, at + 2)),
                        )
                        .with_help("close the comment with `*/`"),
                    );
                }
            }
        } else {
            return Ok((i, ()));
        }
    }
}

/// A symbol (`(`, `->`, `..`), then whitespace.
pub(super) fn sym<'a>(s: &'static str) -> impl Fn(In<'a>) -> PResult<'a, Span> {
    move |i: In<'a>| {
        let (rest, m) = tag(s).parse(i)?;
        let (rest, _) = ws(rest)?;
        Ok((rest, span_of(&m)))
    }
}

/// A keyword, in any case, as a whole word, then whitespace.
pub(super) fn kw<'a>(word: &'static str) -> impl Fn(In<'a>) -> PResult<'a, Span> {
    move |i: In<'a>| {
        let (rest, m) = tag_no_case(word).parse(i)?;
        if next_char(&rest).is_some_and(is_ident_char) {
            return error(&i, Reason::Nom);
        }
        let (rest, _) = ws(rest)?;
        Ok((rest, span_of(&m)))
    }
}

/// True when the keyword comes next (consumes nothing).
pub(super) fn at_kw(i: In, word: &'static str) -> bool {
    peek(kw(word)).parse(i).is_ok()
}

/// True when the symbol comes next (consumes nothing).
pub(super) fn at_sym(i: In, s: &'static str) -> bool {
    i.fragment().starts_with(s)
}

/// A name as written: `name` or `` `quoted name` `` (a doubled backtick
/// stands for one), then whitespace. Returns whether it was quoted.
///
/// `name = letter { letter | digit | "_" } | "`" { any | "``" } "`"`
pub(super) fn name(i: In) -> PResult<(Ident, bool)> {
    if next_char(&i) == Some('`') {
        return quoted_name(i);
    }
    let (rest, m) = recognize((satisfy(is_ident_start), take_while(is_ident_char))).parse(i)?;
    let (rest, _) = ws(rest)?;
    Ok((
        rest,
        (
            Ident {
                name: m.fragment().to_string(),
                span: span_of(&m),
            },
            false,
        ),
    ))
}

fn quoted_name(i: In) -> PResult<(Ident, bool)> {
    let (mut rest, _) = char('`').parse(i)?;
    let mut text = String::new();
    loop {
        let (r, chunk) = take_while(|c| c != '`').parse(rest)?;
        text.push_str(chunk.fragment());
        if r.fragment().is_empty() {
            let at = offset(&i);
            return fail_with(
                QueryError::new(
                    ErrorKind::UnexpectedEnd,
                    "unterminated quoted name",
                    Some(Span::new(at, at + 1)),
                )
                .with_help("close the name with a backtick"),
            );
        }
        if r.fragment().starts_with("``") {
            text.push('`');
            rest = r.take_from(2);
        } else {
            rest = r.take_from(1);
            break;
        }
    }
    // Empty is allowed, as openCypher allows it (``{``: 1}``).
    let span = Span::new(offset(&i), offset(&rest));
    let (rest, _) = ws(rest)?;
    Ok((rest, (Ident { name: text, span }, true)))
}

/// `schema_name = name` (a label, relation type or property key; reserved
/// words are allowed).
pub(super) fn schema_name(i: In) -> PResult<Ident> {
    name.map(|(n, _)| n).parse(i)
}

/// `variable = name` that is not a reserved word unless quoted. `strict`
/// turns a reserved word into an error that explains itself; otherwise it
/// is only "not a variable" and the caller tries something else.
pub(super) fn variable<'a>(i: In<'a>, strict: bool) -> PResult<'a, Ident> {
    let (rest, (ident, quoted)) = name(i)?;
    if !quoted && lexer::is_reserved(&ident.name) {
        if strict {
            return fail_with(reserved_word(&ident));
        }
        return error(&i, Reason::Expected("a variable"));
    }
    Ok((rest, ident))
}

pub(super) fn reserved_word(ident: &Ident) -> QueryError {
    QueryError::syntax(
        format!(
            "`{}` is a reserved word and cannot be used as a variable",
            ident.name
        ),
        ident.span,
    )
    .with_help(format!("quote it with backticks: `` `{}` ``", ident.name))
}

/// `string = "'" { char | escape } "'" | '"' { char | escape } '"'`
/// where `escape = "\" ( "\" | "'" | '"' | "n" | "t" | "r" | "b" | "f"
/// | "u" hex hex hex hex | "U" hex{8} )`
pub(super) fn string_literal(i: In) -> PResult<(String, Span)> {
    let (mut rest, quote) = satisfy(|c| c == '\'' || c == '"').parse(i)?;
    let start = offset(&i);
    let mut text = String::new();
    loop {
        let (r, chunk) = take_while(|c| c != quote && c != '\\').parse(rest)?;
        text.push_str(chunk.fragment());
        let unterminated = || {
            fail_with(
                QueryError::new(
                    ErrorKind::UnexpectedEnd,
                    "unterminated string",
                    Some(Span::new(start, start + 1)),
                )
                .with_help(format!("close the string with `{quote}`")),
            )
        };
        let Ok((r, c)) = anychar::<_, PErr>(r) else {
            return unterminated();
        };
        if c == quote {
            rest = r;
            break;
        }
        // A backslash: an escape sequence.
        let escape_at = offset(&r) - 1;
        let Ok((r, e)) = anychar::<_, PErr>(r) else {
            return unterminated();
        };
        let (r, decoded) = match e {
            '\\' => (r, '\\'),
            '\'' => (r, '\''),
            '"' => (r, '"'),
            'n' => (r, '\n'),
            't' => (r, '\t'),
            'r' => (r, '\r'),
            'b' => (r, '\u{8}'),
            'f' => (r, '\u{c}'),
            'u' | 'U' => {
                let len = if e == 'u' { 4 } else { 8 };
                let (r2, hex) = take_while(|c: char| c.is_ascii_hexdigit()).parse(r)?;
                let hex = &hex.fragment()[..hex.fragment().len().min(len)];
                let r2 = if hex.len() == len {
                    r.take_from(len)
                } else {
                    r2
                };
                let decoded = (hex.len() == len)
                    .then(|| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                    .flatten();
                match decoded {
                    Some(c) => (r2, c),
                    None => {
                        let shown: String = r
                            .fragment()
                            .chars()
                            .take_while(|&c| c != quote)
                            .take(len)
                            .collect();
                        let hex = shown.as_str();
                        let end = offset(&r) + hex.len();
                        return fail_with(
                            QueryError::syntax(
                                format!(
                                    "invalid unicode escape `\\{e}{hex}` in a string"
                                ),
                                Span::new(escape_at, end),
                            )
                            .with_code("InvalidUnicodeLiteral")
                            .with_help(format!(
                                "write `\\{e}` followed by {len} hexadecimal digits of a unicode scalar value"
                            )),
                        );
                    }
                }
            }
            other => {
                let end = offset(&r);
                return fail_with(
                    QueryError::syntax(
                        format!("unknown escape sequence `\\{other}` in a string"),
                        Span::new(escape_at, end),
                    )
                    .with_help("the escapes are \\\\ \\' \\\" \\n \\t \\r \\b \\f \\uXXXX \\UXXXXXXXX; write `\\\\` for a backslash"),
                );
            }
        };
        text.push(decoded);
        rest = r;
    }
    let span = Span::new(start, offset(&rest));
    let (rest, _) = ws(rest)?;
    Ok((rest, (text, span)))
}

/// A number as written, before its value is known.
pub(super) enum Number {
    Int(u64),
    Float(f64),
}

/// `number = decimal | "0x" hexdigit+ | "0o" octdigit+ | float`
/// `float = digit+ "." digit+ [exponent] | "." digit+ [exponent] | digit+ exponent`
/// `exponent = ("e" | "E") ["+" | "-"] digit+`
///
/// Integers are read as unsigned: the caller applies the sign and checks
/// the range, so that `-9223372036854775808` is an integer.
pub(super) fn number(i: In) -> PResult<(Number, Span)> {
    let start = offset(&i);
    let decimal_digits = || take_while1(|c: char| c.is_ascii_digit());
    let exponent = || {
        (
            satisfy(|c| c == 'e' || c == 'E'),
            opt(satisfy(|c| c == '+' || c == '-')),
            decimal_digits(),
        )
    };
    let (rest, (text, kind)) = if let Ok((rest, (digits, radix))) =
        prefixed_digits(i, "0x", 16).or_else(|_| prefixed_digits(i, "0o", 8))
    {
        (rest, (*digits.fragment(), Some(radix)))
    } else {
        let float = recognize((
            take_while(|c: char| c.is_ascii_digit()),
            char('.'),
            decimal_digits(),
            opt(exponent()),
        ));
        let int_exp = recognize((decimal_digits(), exponent()));
        let (rest, (is_float, m)) = float
            .map(|m| (true, m))
            .or(int_exp.map(|m| (true, m)))
            .or(decimal_digits().map(|m| (false, m)))
            .parse(i)?;
        (rest, (*m.fragment(), (!is_float).then_some(10)))
    };
    // A number glued to letters (`12abc`, `0x`, `1e`) is one bad token.
    let glued = take_while::<_, _, PErr>(is_ident_char)
        .parse(rest)
        .map_or(0, |(_, g)| g.len());
    let end = offset(&rest) + glued;
    let span = Span::new(start, end);
    let written = &i.fragment()[..end - start];
    if glued > 0 || text.is_empty() {
        return fail_with(
            QueryError::syntax(format!("invalid number `{written}`"), span)
                .with_code("InvalidNumberLiteral")
                .with_help("numbers are written `42`, `0x2A`, `0o52`, `4.2`, `.5` or `4.2e-3`"),
        );
    }
    let number = match kind {
        Some(radix) => match u64::from_str_radix(text, radix) {
            Ok(value) => Number::Int(value),
            Err(_) => return fail_with(too_large(written, span)),
        },
        None => {
            let value: f64 = text.parse().unwrap_or(f64::INFINITY);
            if !value.is_finite() {
                return fail_with(
                    QueryError::syntax(format!("number `{written}` is too large"), span)
                        .with_code("FloatingPointOverflow")
                        .with_help("the largest float is about 1.8e308"),
                );
            }
            Number::Float(value)
        }
    };
    let (rest, _) = ws(rest)?;
    Ok((rest, (number, span)))
}

fn prefixed_digits<'a>(i: In<'a>, prefix: &'static str, radix: u32) -> PResult<'a, (In<'a>, u32)> {
    let (rest, _) = tag_no_case(prefix).parse(i)?;
    let (rest, digits) = take_while(|c: char| c.is_digit(radix)).parse(rest)?;
    Ok((rest, (digits, radix)))
}

pub(super) fn too_large(written: &str, span: Span) -> QueryError {
    QueryError::syntax(format!("integer `{written}` is too large"), span)
        .with_code("IntegerOverflow")
        .with_help("integers are 64-bit, from -9223372036854775808 to 9223372036854775807")
}

/// An unsigned decimal integer that fits in `u32` (range bounds, `DEPTH`).
pub(super) fn small_integer(i: In) -> PResult<(u32, Span)> {
    let (rest, digits) = take_while1(|c: char| c.is_ascii_digit()).parse(i)?;
    let span = span_of(&digits);
    if next_char(&rest).is_some_and(is_ident_char) {
        return error(&i, Reason::Expected("a whole number"));
    }
    match digits.fragment().parse::<u32>() {
        Ok(n) => {
            let (rest, _) = ws(rest)?;
            Ok((rest, (n, span)))
        }
        Err(_) => fail_with(
            QueryError::syntax(format!("`{}` is too large here", digits.fragment()), span)
                .with_help(format!("the largest allowed is {}", u32::MAX)),
        ),
    }
}

/// `parameter = "$" ( name | digit+ )`
pub(super) fn parameter(i: In) -> PResult<Ident> {
    let (rest, _) = char('$').parse(i)?;
    let (rest, ident) = match take_while1::<_, _, PErr>(|c: char| c.is_ascii_digit()).parse(rest) {
        Ok((r, digits)) if !next_char(&r).is_some_and(is_ident_char) => {
            let (r, _) = ws(r)?;
            (
                r,
                Ident {
                    name: digits.fragment().to_string(),
                    span: span_of(&digits),
                },
            )
        }
        _ => match name(rest) {
            Ok((r, (ident, _))) => (r, ident),
            Err(Err::Error(_)) => {
                return failure(&rest, Reason::Expected("a parameter name after `$`"));
            }
            Err(e) => return Err(e),
        },
    };
    Ok((
        rest,
        Ident {
            name: ident.name,
            span: Span::new(offset(&i), ident.span.end),
        },
    ))
}

/// Describes what the input holds at `at`: the next token in backticks, or
/// the end of the input. Returns the description, the token's span and
/// whether the input ended there.
pub(super) fn found(text: &str, at: usize) -> (String, Span, bool) {
    let at = lexer::skip_trivia(text, at.min(text.len()));
    match lexer::scan(text, at) {
        None => {
            // Point just after the last token, not past trailing blank lines.
            let end = text.trim_end().len();
            (
                "the end of the input".to_string(),
                Span::new(end, end),
                true,
            )
        }
        Some((_, end)) => {
            let token = &text[at..end];
            let shown: String = token.chars().take(40).collect();
            let ellipsis = if shown.len() < token.len() { "…" } else { "" };
            let shown = if shown.contains('`') {
                format!("`` {shown}{ellipsis} ``")
            } else {
                format!("`{shown}{ellipsis}`")
            };
            (shown, Span::new(at, end), false)
        }
    }
}

/// 1-based line and column (in characters) of a byte offset, counted as
/// every position eje prints (`diag::line_col`, D11).
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    crate::diag::line_col(text, at)
}

/// Writes the message of a failed parse.
pub(super) fn into_query_error(e: PErr, text: &str) -> QueryError {
    let (found, span, at_end) = found(text, e.offset);
    let kind = if at_end {
        ErrorKind::UnexpectedEnd
    } else {
        ErrorKind::Syntax
    };
    let error = match e.reason {
        Reason::Custom(q) => *q,
        Reason::Nom => QueryError::new(kind, format!("unexpected {found}"), Some(span)),
        Reason::Expected(what) => {
            QueryError::new(kind, format!("expected {what}, found {found}"), Some(span))
        }
        Reason::Unclosed {
            expected,
            what,
            open,
            code,
        } => {
            let (line, col) = line_col(text, open);
            let e = QueryError::new(
                kind,
                format!(
                    "expected {expected} to close {what} opened at {line}:{col}, found {found}"
                ),
                Some(span),
            );
            match code {
                Some(code) => e.with_code(code),
                None => e,
            }
        }
    };
    lookalike(text, error)
}

/// Characters that look like an operator or a quote but are not, with the
/// one meant.
fn meant(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => Some('-'),
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => Some('\''),
        '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}' => Some('"'),
        _ => None,
    }
}

/// When an error points at a look-alike character (`—` for `-`, `’` for
/// `'`), says so.
pub(super) fn lookalike(text: &str, error: QueryError) -> QueryError {
    let Some(span) = error.span else { return error };
    let mut chars = text.get(span.range()).unwrap_or("").chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if error.code.is_none() => match meant(c) {
            Some(m) => error
                .with_code("InvalidUnicodeCharacter")
                .with_help(format!(
                    "`{c}` (U+{:04X}) is not `{m}`: write `{m}`",
                    c as u32
                )),
            None => error,
        },
        _ => error,
    }
}
