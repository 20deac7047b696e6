//! The parser: query text to [`Script`](crate::query::ast::Script), with nom 8 over
//! `nom_locate` spans. One function per production below; each carries its
//! production as its doc comment.
//!
//! # Grammar
//!
//! Keywords are case-insensitive whole words. Whitespace, `// line` and
//! `/* block */` comments may appear between any two tokens.
//!
//! ```text
//! script          = [ statement ] { ";" [ statement ] } EOF
//! statement       = query | describe | neighbors | path | timeline | evidence
//!
//! query           = single_query { "UNION" [ "ALL" ] single_query }
//! single_query    = { match_clause | unwind_clause | with_clause } return_clause
//! match_clause    = [ "OPTIONAL" ] "MATCH" pattern [ where ]
//! unwind_clause   = "UNWIND" expression "AS" variable
//! with_clause     = "WITH" projection [ where ]
//! return_clause   = "RETURN" projection
//! where           = "WHERE" expression
//! projection      = [ "DISTINCT" ] ( "*" { "," projection_item }
//!                                  | projection_item { "," projection_item } )
//!                   [ "ORDER" "BY" sort_item { "," sort_item } ]
//!                   [ "SKIP" expression ] [ "LIMIT" expression ]
//! projection_item = expression [ "AS" variable ]
//! sort_item       = expression [ "ASC" | "ASCENDING" | "DESC" | "DESCENDING" ]
//!
//! pattern         = pattern_part { "," pattern_part }
//! pattern_part    = [ variable "=" ] pattern_element
//! pattern_element = ( "shortestPath" | "allShortestPaths" ) "(" path_pattern ")"
//!                 | path_pattern
//! path_pattern    = node_pattern { relationship_pattern node_pattern }
//! node_pattern    = "(" [ variable ] [ labels ] [ string ] [ map_literal | parameter ] ")"
//! labels          = ":" schema_name { ":" schema_name }
//! relationship_pattern = [ "<" ] "-" [ relationship_detail ] "-" [ ">" ]
//! relationship_detail  = "[" [ variable ] [ relationship_types ] [ range ]
//!                            [ map_literal | parameter ] "]"
//! relationship_types   = ":" schema_name { "|" [ ":" ] schema_name }
//! range           = "*" [ integer ] [ ".." [ integer ] ]
//!
//! expression      = or_expression
//! or_expression   = xor_expression { "OR" xor_expression }
//! xor_expression  = and_expression { "XOR" and_expression }
//! and_expression  = not_expression { "AND" not_expression }
//! not_expression  = { "NOT" } comparison_expression
//! comparison_expression = predicate_expression
//!                   { ( "=" | "<>" | "<" | "<=" | ">" | ">=" ) predicate_expression }
//! predicate_expression  = additive_expression
//!                   { ( "IN" | "STARTS" "WITH" | "ENDS" "WITH" | "CONTAINS" | "=~" )
//!                     additive_expression
//!                   | "IS" [ "NOT" ] "NULL" }
//! additive_expression   = multiplicative_expression { ( "+" | "-" ) multiplicative_expression }
//! multiplicative_expression = power_expression { ( "*" | "/" | "%" ) power_expression }
//! power_expression = unary_expression { "^" unary_expression }
//! unary_expression = ( "-" | "+" ) unary_expression | postfix_expression
//! postfix_expression = atom { "." schema_name | "[" index_or_slice "]" } [ labels ]
//! index_or_slice  = expression | [ expression ] ".." [ expression ]
//! atom            = literal | parameter | case_expression | "count" "(" "*" ")"
//!                 | exists_subquery
//!                 | quantified | function_call | list_comprehension
//!                 | pattern_comprehension | list_literal | map_literal
//!                 | relationships_pattern | "(" expression ")" | variable
//! literal         = number | string | "TRUE" | "FALSE" | "NULL"
//! exists_subquery = "EXISTS" "{" ( { match_clause | unwind_clause | with_clause }
//!                                   [ return_clause ]
//!                                 | pattern [ where ] ) "}"
//! case_expression = "CASE" [ expression ] ( "WHEN" expression "THEN" expression )+
//!                   [ "ELSE" expression ] "END"
//! quantified      = ( "all" | "any" | "none" | "single" )
//!                   "(" variable "IN" expression "WHERE" expression ")"
//! function_call   = name { "." name } "(" [ "DISTINCT" ] [ expression { "," expression } ] ")"
//! list_comprehension    = "[" variable "IN" expression [ "WHERE" expression ]
//!                         [ "|" expression ] "]"
//! pattern_comprehension = "[" [ variable "=" ] relationships_pattern
//!                         [ "WHERE" expression ] "|" expression "]"
//! list_literal    = "[" [ expression { "," expression } ] "]"
//! map_literal     = "{" [ schema_name ":" expression { "," schema_name ":" expression } ] "}"
//! relationships_pattern = node_pattern relationship_pattern node_pattern
//!                         { relationship_pattern node_pattern }
//!
//! describe        = "DESCRIBE" entity
//! neighbors       = "NEIGHBORS" entity [ "DEPTH" integer ] [ via ]
//! path            = "PATH" entity "TO" entity [ via ]
//! timeline        = "TIMELINE" [ entity ] [ "FROM" date ] [ "TO" date ]
//! evidence        = "EVIDENCE" entity [ "TO" entity ]
//! via             = "VIA" schema_name { "," schema_name }
//! entity          = string | ( letter | digit | "_" )+
//! date            = string | digit{4} [ "-" digit{2} [ "-" digit{2} ] ]
//!
//! variable        = name, not a reserved word unless quoted
//! schema_name     = name (labels, relationship types, property keys: reserved words allowed)
//! name            = letter { letter | digit | "_" } | "`" { any | "``" } "`"
//! parameter       = "$" ( name | digit+ )
//! string          = "'" { char | escape } "'" | '"' { char | escape } '"'
//! escape          = "\" ( "\" | "'" | '"' | "n" | "t" | "r" | "b" | "f"
//!                       | "u" hex{4} | "U" hex{8} )
//! number          = digit+ | "0x" hexdigit+ | "0o" octdigit+
//!                 | digit+ "." digit+ [ exponent ] | "." digit+ [ exponent ]
//!                 | digit+ exponent
//! exponent        = ( "e" | "E" ) [ "+" | "-" ] digit+
//! ```
//!
//! # Beyond the productions
//!
//! - A chain of comparisons `a < b <= c` means `a < b AND b <= c`.
//! - `-` right before a number is part of it: `-9223372036854775808` is an
//!   integer; integers out of the 64-bit range and floats out of the `f64`
//!   range are errors that point at the number.
//! - In an expression, `(` starts a pattern predicate when a node pattern
//!   is followed by a relationship (`WHERE (a)-[:KNOWS]->(b)`); otherwise
//!   `(n)`, `(n:Label)`, `('text')`, `({map})` and `($param)` read as the
//!   parenthesized expressions they also are.
//! - `NOT` is accepted as an operand anywhere (`a = NOT b`).
//! - `NEIGHBORS` takes `DEPTH` and `VIA` in either order.
//!
//! # Errors
//!
//! The first error stops the parse. It says what was expected and what was
//! found, and points at what was found. Errors with kind
//! [`ErrorKind::UnexpectedEnd`] are those where the text ends where more is
//! needed (an unclosed bracket, string or comment, a query without its
//! `RETURN`, a trailing `WHERE` or `AND`): the REPL reads another line on
//! those. Specific errors:
//!
//! - a bracket left open points at where it was opened, as a related span
//!   ("expected `)` to close the node pattern, found `-`", with "the node
//!   pattern opens here" under the `(`);
//! - a reserved word used as a variable suggests backticks;
//! - a misspelled clause keyword suggests the keyword; a write clause
//!   (`CREATE`, `MERGE`, `SET`...) says that eje only reads;
//! - `MATCH n` says that node patterns are written in parentheses;
//! - an unquoted entity of several words (`DESCRIBE Kim Jong Un`) suggests
//!   quoting it;
//! - invalid escapes, numbers and dates name themselves;
//! - text after a complete statement is named ("unexpected text after the
//!   end of the statement: `foo`"), with a hint for misplaced clauses;
//! - nesting deeper than [`MAX_DEPTH`] levels (brackets, operators,
//!   property chains) is an error, never a stack overflow.
//!
//! [`ErrorKind::UnexpectedEnd`]: crate::query::error::ErrorKind::UnexpectedEnd

mod base;
mod clause;
mod expr;
mod pattern;

use nom::{Err, Input, Parser};

use self::base::{Ctx, In, PErr, Reason, into_query_error, sym, ws};
use super::ast::{Expr, Script, Span, Statement};
use super::error::{ErrorKind, QueryError};

pub use self::base::MAX_DEPTH;

/// Stack for the parse: enough for [`MAX_DEPTH`] levels even in a debug
/// build, whose frames are large (about 60 KiB a level at worst, so 12 MiB;
/// a release build needs a fraction of that).
const PARSE_STACK: usize = 64 << 20;

/// Runs `f` where at least [`PARSE_STACK`]'s worth of stack is left, so the
/// caller's stack size does not matter: on a fresh stack segment when the
/// current one has less (stacker; only the pages used are committed). A
/// segment costs a mapping, not a thread.
fn with_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(PARSE_STACK / 4, PARSE_STACK, f)
}

/// Parses a script: statements separated by `;`.
pub fn parse(text: &str) -> Result<Script, QueryError> {
    with_stack(|| parse_here(text))
}

/// `span`'s start and end, kept inside `text` and moved back to the
/// nearest character boundary.
pub fn within(text: &str, span: Span) -> (usize, usize) {
    let mut end = span.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = span.start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    (start, end)
}

/// Parses the part `span` of `text` (one statement of a script, say) as a
/// script, with every span and every `line:column` in messages counted in
/// the whole of `text`.
pub fn parse_in(text: &str, span: Span) -> Result<Script, QueryError> {
    let (start, end) = within(text, span);
    let text = &text[..end];
    with_stack(|| {
        let ctx = Ctx::default();
        let input = In::new_extra(text, &ctx).take_from(start);
        script(input, text).map_err(|e| finish(e, text))
    })
}

fn parse_here(text: &str) -> Result<Script, QueryError> {
    let ctx = Ctx::default();
    let input = In::new_extra(text, &ctx);
    script(input, text).map_err(|e| finish(e, text))
}

/// How much work parsing `text` takes, counted in nesting levels entered:
/// a deterministic measure for tests that backtracking stays bounded.
pub fn parse_steps(text: &str) -> u64 {
    with_stack(|| {
        let ctx = Ctx::default();
        let input = In::new_extra(text, &ctx);
        let _ = script(input, text);
        ctx.steps.get()
    })
}

/// Parses exactly one statement (a trailing `;` is allowed).
pub fn parse_statement(text: &str) -> Result<Statement, QueryError> {
    let script = parse(text)?;
    let mut statements = script.statements.into_iter();
    match (statements.next(), statements.next()) {
        (Some(statement), None) => Ok(statement),
        (None, _) => Err(QueryError::new(
            ErrorKind::UnexpectedEnd,
            "expected a statement, found the end of the input",
            Some(Span::new(text.len(), text.len())),
        )),
        (Some(_), Some(second)) => Err(QueryError::syntax(
            "expected a single statement, found another one",
            second.span(),
        )),
    }
}

/// Parses one expression, such as `n.name STARTS WITH 'Kim'`.
pub fn parse_expr(text: &str) -> Result<Expr, QueryError> {
    with_stack(|| parse_expr_here(text))
}

fn parse_expr_here(text: &str) -> Result<Expr, QueryError> {
    let ctx = Ctx::default();
    let input = In::new_extra(text, &ctx);
    let run = |i| -> base::PResult<Expr> {
        let (i, _) = ws(i)?;
        // A lone expression may be a predicate: patterns are allowed.
        let (i, e) = base::predicate(i, expr::required_expression)?;
        if !i.fragment().is_empty() {
            let (found, span, _) = base::found(text, base::offset(&i));
            let error = QueryError::syntax(
                format!("unexpected text after the end of the expression: {found}"),
                span,
            );
            return Err(Err::Failure(PErr::custom(base::lookalike(text, error))));
        }
        Ok((i, e))
    };
    run(input).map(|(_, e)| e).map_err(|e| finish(e, text))
}

fn finish(e: Err<PErr>, text: &str) -> QueryError {
    match e {
        Err::Error(e) | Err::Failure(e) => into_query_error(e, text),
        Err::Incomplete(_) => into_query_error(
            PErr {
                offset: text.len(),
                reason: Reason::Nom,
            },
            text,
        ),
    }
}

/// `script = [ statement ] { ";" [ statement ] } EOF`
fn script<'a>(i: In<'a>, text: &str) -> Result<Script, Err<PErr>> {
    // A byte-order mark, as some editors write at the start of a file.
    let i = match i.fragment().strip_prefix('\u{feff}') {
        Some(_) => i.take_from('\u{feff}'.len_utf8()),
        None => i,
    };
    let (mut rest, _) = ws(i)?;
    let mut statements = Vec::new();
    while !rest.fragment().is_empty() {
        if let Ok((r, _)) = sym(";").parse(rest) {
            rest = r;
            continue;
        }
        let (r, statement) = clause::statement(rest)?;
        rest = r;
        if !rest.fragment().is_empty() && sym(";").parse(rest).is_err() {
            let error = clause::trailing_text(text, base::offset(&rest), &statement);
            return Err(Err::Failure(PErr::custom(error)));
        }
        statements.push(statement);
    }
    Ok(Script { statements })
}
