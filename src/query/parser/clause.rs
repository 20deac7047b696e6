//! Statements and clauses: openCypher queries and the analyst statements.

use nom::bytes::complete::take_while1;
use nom::combinator::opt;
use nom::{Err, Parser};

use super::base::*;
use super::expr::required_expression;
use super::pattern::pattern;
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::query::lexer::is_ident_char;

/// Clauses eje does not have, with what to say about them.
const WRITE_CLAUSES: &[&str] = &[
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "FOREACH", "LOAD",
];

const STATEMENT_WORDS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "UNWIND",
    "WITH",
    "RETURN",
    "CALL",
    "DESCRIBE",
    "NEIGHBORS",
    "PATH",
    "TIMELINE",
    "EVIDENCE",
    "EXPLAIN",
    "PROFILE",
];

/// `statement = query | describe | neighbors | path | timeline | evidence`
pub(super) fn statement(i: In) -> PResult<Statement> {
    for (word, mode) in [
        ("EXPLAIN", QueryMode::Explain),
        ("PROFILE", QueryMode::Profile),
    ] {
        if at_kw(i, word) {
            let start = offset(&i);
            let (rest, _) = kw(word).parse(i)?;
            if !["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"]
                .iter()
                .any(|w| at_kw(rest, w))
            {
                let e = unexpected_word(
                    &rest,
                    if mode == QueryMode::Explain {
                        "a query after `EXPLAIN`: `MATCH`, `UNWIND`, `WITH`, `RETURN` or `CALL`"
                    } else {
                        "a query after `PROFILE`: `MATCH`, `UNWIND`, `WITH`, `RETURN` or `CALL`"
                    },
                );
                let analyst = ["DESCRIBE", "NEIGHBORS", "PATH", "TIMELINE", "EVIDENCE"]
                    .iter()
                    .any(|w| at_kw(rest, w));
                return Err(Err::Failure(match e.reason {
                    Reason::Custom(error) if analyst => PErr::custom(error.with_help(format!(
                        "`{word}` shows the plan of an openCypher query; analyst statements have none: run it without `{word}`"
                    ))),
                    _ => e,
                }));
            }
            let (rest, mut q) = query(rest)?;
            q.mode = mode;
            q.span = Span::new(start, q.span.end);
            return Ok((rest, Statement::Query(q)));
        }
    }
    if at_kw(i, "DESCRIBE") {
        return describe(i);
    }
    if at_kw(i, "NEIGHBORS") {
        return neighbors(i);
    }
    if at_kw(i, "PATH") {
        return path(i);
    }
    if at_kw(i, "TIMELINE") {
        return timeline(i);
    }
    if at_kw(i, "EVIDENCE") {
        return evidence(i);
    }
    if ["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"]
        .iter()
        .any(|w| at_kw(i, w))
    {
        let (rest, q) = query(i)?;
        return Ok((rest, Statement::Query(q)));
    }
    Err(Err::Failure(unexpected_word(
        &i,
        "a statement: `MATCH`, `UNWIND`, `WITH`, `RETURN`, `CALL`, `DESCRIBE`, `NEIGHBORS`, `PATH`, `TIMELINE` or `EVIDENCE`",
    )))
}

/// An error for a word where a clause or statement was expected, with a
/// suggestion when the word is close to one or names a write clause.
fn unexpected_word(i: &In, expected: &'static str) -> PErr {
    let text = i.fragment();
    let len = text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len());
    let word = &text[..len];
    let at = offset(i);
    let span = Span::new(at, at + len);
    if word.is_empty() {
        return PErr::at(i, Reason::Expected(expected));
    }
    let upper = word.to_ascii_uppercase();
    if WRITE_CLAUSES.contains(&upper.as_str()) {
        return PErr::custom(
            QueryError::syntax(
                format!("`{word}` is not supported: eje only reads the graph"),
                span,
            )
            .with_help(
                "queries are made of `MATCH`, `OPTIONAL MATCH`, `UNWIND`, `WITH` and `RETURN`",
            ),
        );
    }
    let error = QueryError::syntax(format!("expected {expected}, found `{word}`"), span);
    let closest = STATEMENT_WORDS
        .iter()
        .map(|w| (strsim::damerau_levenshtein(w, &upper), w))
        .min()
        .filter(|(d, w)| *d > 0 && *d <= 2 && *d * 3 <= w.len());
    match closest {
        Some((_, w)) => PErr::custom(error.with_help(format!("did you mean `{w}`?"))),
        None => PErr::custom(error),
    }
}

/// `query = single_query { "UNION" ["ALL"] single_query }`
fn query(i: In) -> PResult<Query> {
    let (mut rest, first) = single_query(i)?;
    let mut span = first.span;
    let mut unions = Vec::new();
    while let Ok((r, _)) = kw("UNION").parse(rest) {
        let (r, all) = opt(kw("ALL")).parse(r)?;
        if !["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"]
            .iter()
            .any(|w| at_kw(r, w))
        {
            return Err(Err::Failure(unexpected_word(&r, "a query after `UNION`")));
        }
        let (r, query) = single_query(r)?;
        span = span.to(query.span);
        unions.push(Union {
            all: all.is_some(),
            query,
        });
        rest = r;
    }
    Ok((
        rest,
        Query {
            first,
            unions,
            span,
            mode: QueryMode::Run,
        },
    ))
}

/// `single_query = { match_clause | unwind_clause | with_clause } return_clause`
fn single_query(i: In) -> PResult<SingleQuery> {
    clauses(i, false)
}

/// The clauses of an `EXISTS { ... }` subquery: those of a single query,
/// whose `RETURN` is optional; the body ends at `}`.
pub(super) fn subquery_body(i: In) -> PResult<SingleQuery> {
    clauses(i, true)
}

fn clauses(i: In, subquery: bool) -> PResult<SingleQuery> {
    let mut clauses = Vec::new();
    let mut rest = i;
    let start = offset(&i);
    loop {
        let (r, clause) = if at_kw(rest, "MATCH") || at_kw(rest, "OPTIONAL") {
            let (r, c) = match_clause(rest)?;
            (r, Clause::Match(c))
        } else if at_kw(rest, "UNWIND") {
            let (r, c) = unwind_clause(rest)?;
            (r, Clause::Unwind(c))
        } else if at_kw(rest, "WITH") {
            let (r, c) = with_clause(rest)?;
            (r, Clause::With(c))
        } else if at_kw(rest, "CALL") && !subquery {
            let (r, c) = call_clause(rest)?;
            let end = c.span.end;
            clauses.push(Clause::Call(c));
            // A query that ends after a `CALL` is a standalone call (the
            // planner refuses one that follows other clauses).
            if !["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"]
                .iter()
                .any(|w| at_kw(r, w))
            {
                return Ok((
                    r,
                    SingleQuery {
                        clauses,
                        span: Span::new(start, end),
                    },
                ));
            }
            rest = r;
            continue;
        } else if at_kw(rest, "RETURN") {
            let (r, c) = return_clause(rest)?;
            let end = c.span.end;
            clauses.push(Clause::Return(c));
            return Ok((
                r,
                SingleQuery {
                    clauses,
                    span: Span::new(start, end),
                },
            ));
        } else if subquery && at_sym(rest, "}") && !clauses.is_empty() {
            let end = offset(&rest);
            return Ok((
                rest,
                SingleQuery {
                    clauses,
                    span: Span::new(start, end),
                },
            ));
        } else {
            let expected = match clauses.last() {
                Some(Clause::Match(MatchClause { where_: None, .. })) => {
                    "`,`, `WHERE`, another clause or `RETURN`"
                }
                Some(Clause::With(WithClause { where_: None, .. })) => {
                    "`WHERE`, another clause or `RETURN`"
                }
                _ => "another clause or `RETURN`",
            };
            return Err(Err::Failure(unexpected_word(&rest, expected)));
        };
        clauses.push(clause);
        rest = r;
    }
}

/// `where = "WHERE" expression`
fn where_clause(i: In) -> PResult<Option<Expr>> {
    match kw("WHERE").parse(i) {
        Ok((rest, _)) => {
            let (rest, e) = predicate(rest, required_expression)?;
            Ok((rest, Some(e)))
        }
        Err(Err::Error(_)) => Ok((i, None)),
        Err(e) => Err(e),
    }
}

/// `match_clause = ["OPTIONAL"] "MATCH" pattern [where]`
fn match_clause(i: In) -> PResult<MatchClause> {
    let (rest, optional) = opt(kw("OPTIONAL")).parse(i)?;
    let (rest, keyword) = must("`MATCH` after `OPTIONAL`", kw("MATCH")).parse(rest)?;
    let (rest, pattern) = pattern(rest)?;
    let (rest, where_) = where_clause(rest)?;
    let start = optional.unwrap_or(keyword);
    let end = match &where_ {
        Some(w) => w.span,
        None => pattern.last().map_or(keyword, |p| p.span),
    };
    let span = start.to(end);
    Ok((
        rest,
        MatchClause {
            optional: optional.is_some(),
            pattern,
            where_,
            span,
        },
    ))
}

/// `call_clause = "CALL" name { "." name } ["(" [expression { "," expression }] ")"]
///                ["YIELD" ("*" | yield_item { "," yield_item }) [where]]`
fn call_clause(i: In) -> PResult<CallClause> {
    let (rest, keyword) = kw("CALL").parse(i)?;
    let (mut rest, first) = must("a procedure name", schema_name).parse(rest)?;
    let mut parts = vec![first];
    while at_sym(rest, ".") {
        let (r, _) = sym(".").parse(rest)?;
        let (r, part) = must("a name after `.`", schema_name).parse(r)?;
        parts.push(part);
        rest = r;
    }
    let mut end = parts[parts.len() - 1].span;
    let name = Ident {
        name: parts
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        span: parts[0].span.to(end),
    };
    let mut args = None;
    if at_sym(rest, "(") {
        let (mut r, open) = sym("(").parse(rest)?;
        let mut list = Vec::new();
        if !at_sym(r, ")") {
            loop {
                let (r2, e) = required_expression(r)?;
                list.push(e);
                r = r2;
                match sym(",").parse(r) {
                    Ok((r2, _)) => r = r2,
                    Err(_) => break,
                }
            }
        }
        let (r, close) = closing(r, ")", "`,` or `)`", "the argument list", open)?;
        end = close;
        args = Some(list);
        rest = r;
    }
    let mut yield_star = false;
    let mut yields = Vec::new();
    let mut where_ = None;
    if let Ok((r, _)) = kw("YIELD").parse(rest) {
        rest = r;
        if let Ok((r, s)) = sym("*").parse(rest) {
            yield_star = true;
            end = s;
            rest = r;
        } else {
            loop {
                let (r, field) = must("a field to yield or `*`", schema_name).parse(rest)?;
                end = field.span;
                let (r, alias) = match kw("AS").parse(r) {
                    Ok((r, _)) => {
                        let (r, a) = must("a variable", |i| variable(i, true)).parse(r)?;
                        end = a.span;
                        (r, Some(a))
                    }
                    Err(_) => (r, None),
                };
                yields.push(YieldItem { field, alias });
                rest = r;
                match sym(",").parse(rest) {
                    Ok((r, _)) => rest = r,
                    Err(_) => break,
                }
            }
            let (r, w) = where_clause(rest)?;
            if let Some(w) = &w {
                end = w.span;
            }
            where_ = w;
            rest = r;
        }
    }
    Ok((
        rest,
        CallClause {
            name,
            args,
            yield_star,
            yields,
            where_,
            span: keyword.to(end),
        },
    ))
}

/// `unwind_clause = "UNWIND" expression "AS" variable`
fn unwind_clause(i: In) -> PResult<UnwindClause> {
    let (rest, keyword) = kw("UNWIND").parse(i)?;
    let (rest, expr) = required_expression(rest)?;
    let (rest, _) = must("`AS` and a variable", kw("AS")).parse(rest)?;
    let (rest, alias) = must("a variable", |i| variable(i, true)).parse(rest)?;
    let span = keyword.to(alias.span);
    Ok((rest, UnwindClause { expr, alias, span }))
}

/// `with_clause = "WITH" projection [where]`
fn with_clause(i: In) -> PResult<WithClause> {
    let (rest, keyword) = kw("WITH").parse(i)?;
    let (rest, (projection, end)) = projection(rest)?;
    let (rest, where_) = where_clause(rest)?;
    let end = where_.as_ref().map_or(end, |w| w.span);
    Ok((
        rest,
        WithClause {
            projection,
            where_,
            span: keyword.to(end),
        },
    ))
}

/// `return_clause = "RETURN" projection`
fn return_clause(i: In) -> PResult<ReturnClause> {
    let (rest, keyword) = kw("RETURN").parse(i)?;
    let (rest, (projection, end)) = projection(rest)?;
    Ok((
        rest,
        ReturnClause {
            projection,
            span: keyword.to(end),
        },
    ))
}

/// `projection = ["DISTINCT"] ("*" { "," projection_item } | projection_item { "," projection_item })
///               ["ORDER" "BY" sort_item { "," sort_item }] ["SKIP" expression] ["LIMIT" expression]`
///
/// Also returns where it ends.
fn projection(i: In) -> PResult<(Projection, Span)> {
    let (mut rest, distinct) = opt(kw("DISTINCT")).parse(i)?;
    let mut end;
    let mut star = false;
    let mut items = Vec::new();
    if at_sym(rest, "*") {
        let (r, s) = sym("*").parse(rest)?;
        star = true;
        end = s;
        rest = r;
    } else {
        let (r, item) = must("an expression or `*`", projection_item).parse(rest)?;
        end = item.span;
        items.push(item);
        rest = r;
    }
    while let Ok((r, _)) = sym(",").parse(rest) {
        let (r, item) = must("an expression", projection_item).parse(r)?;
        end = item.span;
        items.push(item);
        rest = r;
    }
    let mut order_by = Vec::new();
    if let Ok((r, _)) = kw("ORDER").parse(rest) {
        let (r, _) = must("`BY` after `ORDER`", kw("BY")).parse(r)?;
        rest = r;
        loop {
            let (r, (item, item_end)) = sort_item(rest)?;
            order_by.push(item);
            end = item_end;
            rest = r;
            match sym(",").parse(rest) {
                Ok((r, _)) => rest = r,
                Err(_) => break,
            }
        }
    }
    let mut skip = None;
    if let Ok((r, _)) = kw("SKIP").parse(rest) {
        let (r, e) = required_expression(r)?;
        end = e.span;
        skip = Some(e);
        rest = r;
    }
    let mut limit = None;
    if let Ok((r, _)) = kw("LIMIT").parse(rest) {
        let (r, e) = required_expression(r)?;
        end = e.span;
        limit = Some(e);
        rest = r;
    }
    let projection = Projection {
        distinct: distinct.is_some(),
        star,
        items,
        order_by,
        skip,
        limit,
    };
    Ok((rest, (projection, end)))
}

/// `projection_item = expression ["AS" variable]`
fn projection_item(i: In) -> PResult<ProjectionItem> {
    let (rest, expr) = super::expr::expression(i)?;
    let (rest, alias) = match kw("AS").parse(rest) {
        Ok((r, _)) => {
            let (r, alias) = must("a name for the column", |i| variable(i, true)).parse(r)?;
            (r, Some(alias))
        }
        Err(_) => (rest, None),
    };
    let span = alias.as_ref().map_or(expr.span, |a| expr.span.to(a.span));
    Ok((rest, ProjectionItem { expr, alias, span }))
}

/// `sort_item = expression ["ASC" | "ASCENDING" | "DESC" | "DESCENDING"]`
fn sort_item(i: In) -> PResult<(SortItem, Span)> {
    let (rest, expr) = required_expression(i)?;
    let mut end = expr.span;
    let mut descending = false;
    let mut rest = rest;
    for (word, desc) in [
        ("ASCENDING", false),
        ("ASC", false),
        ("DESCENDING", true),
        ("DESC", true),
    ] {
        if let Ok((r, s)) = kw(word).parse(rest) {
            descending = desc;
            end = s;
            rest = r;
            break;
        }
    }
    Ok((rest, (SortItem { expr, descending }, end)))
}

// ---------------------------------------------------------------------------
// Analyst statements

/// `entity = string | bare_word | "$" name` where
/// `bare_word = (letter | digit | "_")+`; `$name` is a parameter whose value
/// names the entity when the statement runs.
fn entity(i: In) -> PResult<EntityRef> {
    entity_before(i, None)
}

/// An entity that `keyword` must follow (`PATH a TO b`): unquoted words
/// without that keyword after them are not taken for a name of several
/// words.
fn entity_before<'a>(i: In<'a>, keyword: Option<&'static str>) -> PResult<'a, EntityRef> {
    if matches!(next_char(&i), Some('\'' | '"')) {
        let (rest, (text, span)) = string_literal(i)?;
        return Ok((
            rest,
            EntityRef {
                text,
                quoted: true,
                span,
            },
        ));
    }
    if matches!(next_char(&i), Some('$')) {
        let after = nom::bytes::complete::tag::<_, _, PErr>("$").parse(i);
        if let Ok((r, dollar)) = after
            && let Ok((r, name)) = take_while1::<_, _, PErr>(is_ident_char).parse(r)
        {
            let span = span_of(&dollar).to(span_of(&name));
            let (rest, _) = ws(r)?;
            return Ok((
                rest,
                EntityRef {
                    text: format!("${}", name.fragment()),
                    quoted: false,
                    span,
                },
            ));
        }
        return failure(
            &i,
            Reason::Expected("a parameter name after `$`, such as `$who`"),
        );
    }
    let expected = Reason::Expected(
        "an entity: a name in quotes, an id such as `putin`, or a parameter such as `$who`",
    );
    let Ok((rest, word)) = take_while1::<_, _, PErr>(is_ident_char).parse(i) else {
        return failure(&i, expected);
    };
    let span = span_of(&word);
    // `kim-jong-un` or `Kim Jong Un` unquoted: say how to write them.
    let text = i.fragment();
    let mut end = word.fragment().len();
    loop {
        let glued = text[end..].find(|c: char| !(is_ident_char(c) || "-.'’".contains(c)));
        let glued_end = glued.map_or(text.len(), |k| end + k);
        if glued_end > end {
            end = glued_end;
            continue;
        }
        let spaces = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        let next_start = end + spaces;
        let next_len = text[next_start..]
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(text.len() - next_start);
        let next = &text[next_start..next_start + next_len];
        let stop = next.is_empty()
            || crate::query::lexer::KEYWORDS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(next))
            || crate::query::lexer::is_reserved(next);
        if spaces == 0 || stop {
            if keyword.is_some_and(|k| !k.eq_ignore_ascii_case(next)) {
                // `PATH putin kim`: a missing `TO` more likely than a name.
                end = word.fragment().len();
            }
            break;
        }
        end = next_start + next_len;
    }
    if end > word.fragment().len() {
        let written = &text[..end];
        return fail_with(
            QueryError::syntax(
                format!("an unquoted entity must be a single word or id, found `{written}`"),
                Span::new(span.start, span.start + end),
            )
            .with_help(format!("quote the name: `'{written}'`")),
        );
    }
    let (rest, _) = ws(rest)?;
    Ok((
        rest,
        EntityRef {
            text: word.fragment().to_string(),
            quoted: false,
            span,
        },
    ))
}

/// `date = string | digit{4} ["-" digit{2} ["-" digit{2}]]`
fn date(i: In) -> PResult<DateText> {
    if matches!(next_char(&i), Some('\'' | '"')) {
        let (rest, (text, span)) = string_literal(i)?;
        return Ok((rest, DateText { text, span }));
    }
    let expected = "a date such as `2024`, `2024-06` or `2024-06-19`";
    let Ok((rest, m)) = take_while1::<_, _, PErr>(|c: char| is_ident_char(c) || c == '-').parse(i)
    else {
        return failure(&i, Reason::Expected(expected));
    };
    let text = *m.fragment();
    let parts: Vec<&str> = text.split('-').collect();
    let well_formed = parts.len() <= 3
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() == 4
        && parts[1..].iter().all(|p| p.len() == 2);
    if !well_formed {
        return fail_with(
            QueryError::syntax(format!("expected {expected}, found `{text}`"), span_of(&m))
                .with_help("dates are ISO prefixes: a year, a year and month, or a full date"),
        );
    }
    let (rest, _) = ws(rest)?;
    Ok((
        rest,
        DateText {
            text: text.to_string(),
            span: span_of(&m),
        },
    ))
}

/// `via = "VIA" schema_name { "," schema_name }`
fn via(i: In) -> PResult<(Vec<Ident>, Span)> {
    let (mut rest, keyword) = kw("VIA").parse(i)?;
    let mut types = Vec::new();
    loop {
        let (r, t) = must("a relation type", schema_name).parse(rest)?;
        types.push(t);
        rest = r;
        match sym(",").parse(rest) {
            Ok((r, _)) => rest = r,
            Err(_) => break,
        }
    }
    let end = types.last().map_or(keyword, |t| t.span);
    Ok((rest, (types, end)))
}

/// `toward = "OUTGOING" | "INCOMING"`
fn toward(i: In) -> Option<(In, Toward, Span)> {
    if let Ok((r, s)) = kw("OUTGOING").parse(i) {
        return Some((r, Toward::Outgoing, s));
    }
    if let Ok((r, s)) = kw("INCOMING").parse(i) {
        return Some((r, Toward::Incoming, s));
    }
    None
}

/// `describe = "DESCRIBE" entity [ toward ]`
fn describe(i: In) -> PResult<Statement> {
    let (rest, keyword) = kw("DESCRIBE").parse(i)?;
    let (rest, entity) = entity(rest)?;
    let mut span = keyword.to(entity.span);
    let (rest, toward) = match toward(rest) {
        Some((r, t, s)) => {
            span = span.to(s);
            (r, t)
        }
        None => (rest, Toward::Both),
    };
    Ok((
        rest,
        Statement::Describe {
            entity,
            toward,
            span,
        },
    ))
}

/// `neighbors = "NEIGHBORS" entity [ "DEPTH" integer ] [ via ] [ toward ]`
/// (in any order)
fn neighbors(i: In) -> PResult<Statement> {
    let (rest, keyword) = kw("NEIGHBORS").parse(i)?;
    let (mut rest, entity) = entity(rest)?;
    let mut span = keyword.to(entity.span);
    let mut depth = None;
    let mut via_types = None;
    let mut toward_ = None;
    loop {
        if toward_.is_none()
            && let Some((r, t, s)) = toward(rest)
        {
            toward_ = Some(t);
            span = span.to(s);
            rest = r;
        } else if depth.is_none() && at_kw(rest, "DEPTH") {
            let (r, _) = kw("DEPTH").parse(rest)?;
            let (r, (n, s)) = must("a whole number of hops", small_integer).parse(r)?;
            depth = Some(n);
            span = span.to(s);
            rest = r;
        } else if via_types.is_none() && at_kw(rest, "VIA") {
            let (r, (types, end)) = via(rest)?;
            via_types = Some(types);
            span = span.to(end);
            rest = r;
        } else {
            break;
        }
    }
    let via = via_types.unwrap_or_default();
    Ok((
        rest,
        Statement::Neighbors {
            entity,
            depth,
            via,
            toward: toward_.unwrap_or_default(),
            span,
        },
    ))
}

/// `path = "PATH" entity "TO" entity [ via ]`
fn path(i: In) -> PResult<Statement> {
    let (rest, keyword) = kw("PATH").parse(i)?;
    let (rest, from) = entity_before(rest, Some("TO"))?;
    let (rest, _) = must("`TO` and the other entity", kw("TO")).parse(rest)?;
    let (rest, to) = entity(rest)?;
    let mut span = keyword.to(to.span);
    let (rest, via) = match via(rest) {
        Ok((r, (types, end))) => {
            span = span.to(end);
            (r, types)
        }
        Err(Err::Error(_)) => (rest, Vec::new()),
        Err(e) => return Err(e),
    };
    Ok((
        rest,
        Statement::Path {
            from,
            to,
            via,
            span,
        },
    ))
}

/// `timeline = "TIMELINE" [entity] ["FROM" date] ["TO" date]`
fn timeline(i: In) -> PResult<Statement> {
    let (mut rest, keyword) = kw("TIMELINE").parse(i)?;
    let mut span = keyword;
    let mut entity_ = None;
    let starts_entity = matches!(next_char(&rest), Some(c) if c == '\'' || c == '"' || c == '$' || is_ident_char(c));
    if starts_entity && !at_kw(rest, "FROM") && !at_kw(rest, "TO") {
        let (r, e) = entity(rest)?;
        span = span.to(e.span);
        entity_ = Some(e);
        rest = r;
    }
    let mut from = None;
    if let Ok((r, _)) = kw("FROM").parse(rest) {
        let (r, d) = date(r)?;
        span = span.to(d.span);
        from = Some(d);
        rest = r;
    }
    let mut to = None;
    if let Ok((r, _)) = kw("TO").parse(rest) {
        let (r, d) = date(r)?;
        span = span.to(d.span);
        to = Some(d);
        rest = r;
    }
    Ok((
        rest,
        Statement::Timeline {
            entity: entity_,
            from,
            to,
            span,
        },
    ))
}

/// `evidence = "EVIDENCE" [entity ["TO" entity]] ["BY" entity] ["IN" source]`,
/// with at least one part.
fn evidence(i: In) -> PResult<Statement> {
    let (mut rest, keyword) = kw("EVIDENCE").parse(i)?;
    let mut span = keyword;
    let mut entity_ = None;
    let mut to = None;
    if !at_kw(rest, "BY") && !at_kw(rest, "IN") {
        let (r, e) = entity(rest)?;
        span = span.to(e.span);
        entity_ = Some(e);
        rest = r;
        if let Ok((r, _)) = kw("TO").parse(rest) {
            let (r, e) = entity(r)?;
            span = span.to(e.span);
            to = Some(e);
            rest = r;
        }
    }
    let mut by = None;
    if let Ok((r, _)) = kw("BY").parse(rest) {
        let (r, e) = entity(r)?;
        span = span.to(e.span);
        by = Some(e);
        rest = r;
    }
    let mut source = None;
    if let Ok((r, _)) = kw("IN").parse(rest) {
        let (r, e) = entity(r)?;
        span = span.to(e.span);
        source = Some(e);
        rest = r;
    }
    Ok((
        rest,
        Statement::Evidence {
            entity: entity_,
            to,
            by,
            source,
            span,
        },
    ))
}

/// The error for text left over after a complete statement, with a hint
/// for the usual causes.
pub(super) fn trailing_text(text: &str, at: usize, statement: &Statement) -> QueryError {
    let (found, span, _) = found(text, at);
    let word = text[span.range()].to_ascii_uppercase();
    let help = match word.as_str() {
        "WHERE" if matches!(statement, Statement::Query(_)) => {
            Some("`WHERE` belongs after `MATCH`, `OPTIONAL MATCH` or `WITH`, before `RETURN`")
        }
        "ORDER" | "SKIP" | "LIMIT" if matches!(statement, Statement::Query(_)) => Some(
            "write `ORDER BY`, `SKIP` and `LIMIT` in this order, at the end of `RETURN` or `WITH`",
        ),
        "MATCH" | "OPTIONAL" | "UNWIND" | "WITH" | "RETURN"
            if matches!(statement, Statement::Query(_)) =>
        {
            Some("a query ends with `RETURN`; end the statement with `;` before the next one")
        }
        "DEPTH" | "VIA" | "TO" | "FROM" | "OUTGOING" | "INCOMING"
            if !matches!(statement, Statement::Query(_)) =>
        {
            Some("each option may appear once, in the order of the statement's syntax")
        }
        w if STATEMENT_WORDS.contains(&w) => Some("end the statement with `;` before the next one"),
        _ => None,
    };
    let error = QueryError::syntax(
        format!("unexpected text after the end of the statement: {found}"),
        span,
    );
    let error = match help {
        Some(h) => error.with_help(h),
        None => error,
    };
    lookalike(text, error)
}
