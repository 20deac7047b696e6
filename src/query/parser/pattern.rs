//! Patterns: `MATCH` patterns, and pattern predicates in expressions.
//!
//! `strict` means the text must be a pattern (after `MATCH`): errors are
//! committed and say what the pattern lacks. Otherwise (in an expression)
//! a node pattern is only tried, and a relationship only once it cannot
//! be anything else.

use nom::{Err, Input, Parser};

use super::base::*;
use super::expr::{ex, labels, map_literal};
use crate::query::ast::*;
use crate::query::error::QueryError;

/// `pattern = pattern_part { "," pattern_part }`
pub(super) fn pattern(i: In) -> PResult<Vec<PatternPart>> {
    let (mut rest, first) = pattern_part(i)?;
    let mut parts = vec![first];
    while let Ok((r, _)) = sym(",").parse(rest) {
        let (r, part) = pattern_part(r)?;
        parts.push(part);
        rest = r;
    }
    Ok((rest, parts))
}

/// `pattern_part = [variable "="] pattern_element`
fn pattern_part(i: In) -> PResult<PatternPart> {
    if let Ok((rest, variable)) = variable(i, false)
        && at_sym(rest, "=")
        && !at_sym(rest, "=~")
    {
        let (rest, _) = sym("=").parse(rest)?;
        let (rest, element) = pattern_element(rest)?;
        let span = variable.span.to(element_span(&element));
        return Ok((
            rest,
            PatternPart {
                variable: Some(variable),
                element,
                span,
            },
        ));
    }
    let (rest, element) = pattern_element(i)?;
    let span = element_span(&element);
    Ok((
        rest,
        PatternPart {
            variable: None,
            element,
            span,
        },
    ))
}

fn element_span(element: &PatternElement) -> Span {
    match element {
        PatternElement::Path(p) | PatternElement::Shortest { path: p, .. } => p.span,
    }
}

/// `pattern_element = ("shortestPath" | "allShortestPaths") "(" path_pattern ")" | path_pattern`
fn pattern_element(i: In) -> PResult<PatternElement> {
    for (word, all) in [("shortestPath", false), ("allShortestPaths", true)] {
        if let Ok((rest, function)) = kw(word).parse(i) {
            let (rest, open) = must("`(`", sym("(")).parse(rest)?;
            let (rest, mut path) = path_pattern(rest)?;
            let what = if all {
                "the `allShortestPaths` call"
            } else {
                "the `shortestPath` call"
            };
            let (rest, close) = closing(rest, ")", "`)`", what, open)?;
            path.span = function.to(close);
            return Ok((rest, PatternElement::Shortest { all, path }));
        }
    }
    let (rest, path) = path_pattern(i)?;
    Ok((rest, PatternElement::Path(path)))
}

/// `path_pattern = node_pattern { relationship_pattern node_pattern }`
pub(super) fn path_pattern(i: In) -> PResult<PathPattern> {
    if !at_sym(i, "(") {
        let found_word = variable(i, false).is_ok();
        let reason = Reason::Expected("a node pattern such as `(n)`");
        let mut e = PErr::at(&i, reason);
        if found_word {
            // `MATCH n` or `MATCH n:Person`: say how nodes are written.
            let text = i.fragment();
            let word_len = text
                .find(|c: char| !crate::query::lexer::is_ident_char(c) && c != ':')
                .unwrap_or(text.len());
            let at = offset(&i);
            e = PErr::custom(
                crate::query::error::QueryError::syntax(
                    format!(
                        "expected a node pattern such as `(n)`, found `{}`",
                        &text[..word_len]
                    ),
                    Span::new(at, at + word_len),
                )
                .with_help(format!(
                    "write node patterns in parentheses: `({})`",
                    text[..word_len].trim_end()
                )),
            );
        }
        return Err(Err::Failure(e));
    }
    let (rest, start) = node_pattern(i, true)?;
    relationship_chain(rest, start, true)
}

/// A path pattern tried where an expression may stand instead: a node
/// pattern (not committed) and the relationships after it (committed once
/// certain; none is fine). Remembered by position, so trying it again at
/// the same place costs nothing.
///
/// `relationships_pattern = node_pattern relationship_pattern node_pattern { relationship_pattern node_pattern }`
pub(super) fn path_attempt(i: In) -> PResult<PathPattern> {
    let at = offset(&i);
    let cached = i.extra.paths.borrow().get(&at).cloned();
    match cached {
        Some(Ok((_, _, levels))) if would_be_too_deep(&i, levels) => return too_deep(&i),
        Some(Ok((end, path, _))) => return Ok((i.take_from(end - at), path)),
        Some(Err(e)) => return Err(Err::Error(e)),
        None => {}
    }
    let (result, levels) = measured(i, |i| {
        node_pattern(i, false).and_then(|(rest, start)| relationship_chain(rest, start, false))
    });
    let outcome = match &result {
        Ok((rest, path)) => Ok((offset(rest), path.clone(), levels)),
        Err(Err::Error(e)) => Err(e.clone()),
        Err(_) => return result,
    };
    i.extra.paths.borrow_mut().insert(at, outcome);
    result
}

/// Continues a path after its first node: `{ relationship_pattern node_pattern }`.
/// Never fails on the first element that is not a relationship; fails once
/// a relationship is certain and its node is wrong.
pub(super) fn relationship_chain<'a>(
    i: In<'a>,
    start: NodePattern,
    strict: bool,
) -> PResult<'a, PathPattern> {
    let mut span = start.span;
    let mut chain = Vec::new();
    let mut rest = i;
    loop {
        if !(at_sym(rest, "-") || at_sym(rest, "<")) {
            break;
        }
        let (after, (rel, has_detail)) = match relationship_pattern(rest, strict) {
            Ok(ok) => ok,
            Err(Err::Error(_)) if !strict => break,
            Err(Err::Error(e)) => return Err(Err::Failure(e)),
            Err(e) => return Err(e),
        };
        // In an expression, `(a) - -1` is arithmetic: a bare `--` commits
        // only when a node follows.
        let certain =
            strict || rel.direction != Direction::Both || has_detail || at_sym(after, "(");
        if !certain {
            break;
        }
        if !at_sym(after, "(") {
            return failure(
                &after,
                Reason::Expected("a node pattern such as `(m)` after the relationship"),
            );
        }
        let (after, node) = node_pattern(after, true)?;
        span = span.to(node.span);
        chain.push((rel, node));
        rest = after;
    }
    Ok((rest, PathPattern { start, chain, span }))
}

/// `node_pattern = "(" [variable] [labels] [string] [map_literal | parameter] ")"`
pub(super) fn node_pattern(i: In, strict: bool) -> PResult<NodePattern> {
    let (mut rest, open) = sym("(").parse(i)?;
    let mut variable_ = None;
    if next_char(&rest).is_some_and(|c| crate::query::lexer::is_ident_start(c) || c == '`') {
        let (r, v) = variable(rest, strict)?;
        variable_ = Some(v);
        rest = r;
    }
    let (mut rest, labels) = labels(rest)?;
    let mut entity = None;
    if matches!(next_char(&rest), Some('\'' | '"')) {
        let (r, (text, span)) = string_literal(rest)?;
        entity = Some(EntityRef {
            text,
            quoted: true,
            span,
        });
        rest = r;
    }
    let mut properties = None;
    if at_sym(rest, "{") {
        let (r, map) = map_literal(rest)?;
        properties = Some(Box::new(map));
        rest = r;
    } else if at_sym(rest, "$") {
        let (r, p) = parameter(rest)?;
        let span = p.span;
        properties = Some(Box::new(ex(ExprKind::Parameter(p), span)));
        rest = r;
    }
    let close = Reason::Unclosed {
        expected: "`)`",
        what: "the node pattern",
        open: open.start,
        code: None,
    };
    let (rest, close) = match sym(")").parse(rest) {
        Ok(ok) => ok,
        Err(Err::Error(_)) if strict => return failure(&rest, close),
        Err(Err::Error(_)) => return error(&rest, close),
        Err(e) => return Err(e),
    };
    let node = NodePattern {
        variable: variable_,
        labels,
        entity,
        properties,
        span: open.to(close),
    };
    Ok((rest, node))
}

/// A node pattern that reads as an expression when no relationship follows:
/// `(n)`, `(n:Label)`, `('text')`, `({map})`, `($param)`.
pub(super) fn node_as_expression(node: NodePattern) -> Option<Expr> {
    let span = node.span;
    match (
        node.variable,
        node.labels.is_empty(),
        node.entity,
        node.properties,
    ) {
        (Some(v), true, None, None) => Some(ex(ExprKind::Variable(v), span)),
        (Some(v), false, None, None) => {
            let base = ex(ExprKind::Variable(v.clone()), v.span);
            Some(ex(ExprKind::HasLabels(Box::new(base), node.labels), span))
        }
        (None, true, Some(e), None) => Some(ex(ExprKind::Literal(Literal::String(e.text)), span)),
        (None, true, None, Some(p)) => Some(*p),
        _ => None,
    }
}

/// `relationship_pattern = ["<"] "-" [relationship_detail] "-" [">"]`
/// Also says whether the pattern had brackets.
fn relationship_pattern(i: In, strict: bool) -> PResult<(RelationshipPattern, bool)> {
    let start = offset(&i);
    let (rest, left) = match sym("<").parse(i) {
        Ok((r, _)) => (r, true),
        Err(_) => (i, false),
    };
    let (rest, _) = if left && strict {
        must("`-` after `<` in the relationship pattern", sym("-")).parse(rest)?
    } else {
        sym("-").parse(rest)?
    };
    let mut detail = None;
    let mut rest = rest;
    if at_sym(rest, "[") {
        let (r, d) = relationship_detail(rest)?;
        detail = Some(d);
        rest = r;
    }
    let committed = strict || detail.is_some();
    let (rest, dash) = if committed {
        let what = if detail.is_some() {
            "`-` after `]` in the relationship pattern"
        } else {
            "`-` or `[` in the relationship pattern"
        };
        must(what, sym("-")).parse(rest)?
    } else {
        sym("-").parse(rest)?
    };
    let (rest, right) = match sym(">").parse(rest) {
        Ok((r, s)) => (r, Some(s)),
        Err(_) => (rest, None),
    };
    let direction = match (left, right.is_some()) {
        (true, false) => Direction::Left,
        (false, true) => Direction::Right,
        _ => Direction::Both,
    };
    let end = right.unwrap_or(dash).end;
    let has_detail = detail.is_some();
    let (variable, types, length, properties) = detail.unwrap_or_default();
    let rel = RelationshipPattern {
        variable,
        types,
        direction,
        length,
        properties,
        span: Span::new(start, end),
    };
    Ok((rest, (rel, has_detail)))
}

type Detail = (Option<Ident>, Vec<Ident>, Option<Range>, Option<Box<Expr>>);

/// `relationship_detail = "[" [variable] [relationship_types] [range] [map_literal | parameter] "]"`
/// `relationship_types = ":" schema_name { "|" [":"] schema_name }`
fn relationship_detail(i: In) -> PResult<Detail> {
    let (mut rest, open) = sym("[").parse(i)?;
    let mut variable_ = None;
    if next_char(&rest).is_some_and(|c| crate::query::lexer::is_ident_start(c) || c == '`') {
        let (r, v) = variable(rest, true)?;
        variable_ = Some(v);
        rest = r;
    }
    let mut types = Vec::new();
    if let Ok((r, _)) = sym(":").parse(rest) {
        let (r, t) = must("a relationship type after `:`", schema_name).parse(r)?;
        types.push(t);
        rest = r;
        while let Ok((r, _)) = sym("|").parse(rest) {
            let r = sym(":").parse(r).map_or(r, |(r, _)| r);
            let (r, t) = must("a relationship type after `|`", schema_name).parse(r)?;
            types.push(t);
            rest = r;
        }
    }
    let mut length = None;
    if at_sym(rest, "*") {
        let (r, l) = range(rest)?;
        length = Some(l);
        rest = r;
    } else if at_sym(rest, "..") || next_char(&rest).is_some_and(|c| c.is_ascii_digit()) {
        let at = offset(&rest);
        let width = if at_sym(rest, "..") { 2 } else { 1 };
        return fail_with(
            QueryError::syntax(
                "a variable-length relationship needs `*` before its bounds",
                Span::new(at, at + width),
            )
            .with_code("InvalidRelationshipPattern")
            .with_help("write `*1..3`, `*..3`, `*2` or `*`"),
        );
    }
    let mut properties = None;
    if at_sym(rest, "{") {
        let (r, map) = map_literal(rest)?;
        properties = Some(Box::new(map));
        rest = r;
    } else if at_sym(rest, "$") {
        let (r, p) = parameter(rest)?;
        let span = p.span;
        properties = Some(Box::new(ex(ExprKind::Parameter(p), span)));
        rest = r;
    }
    let (rest, _) = match sym("]").parse(rest) {
        Ok(ok) => ok,
        Err(Err::Error(_)) => {
            let reason = Reason::Unclosed {
                expected: "`]`",
                what: "the relationship pattern",
                open: open.start,
                code: Some("InvalidRelationshipPattern"),
            };
            return failure(&rest, reason);
        }
        Err(e) => return Err(e),
    };
    Ok((rest, (variable_, types, length, properties)))
}

/// `range = "*" [integer] [".." [integer]]`
fn range(i: In) -> PResult<Range> {
    let negative = |rest: &In| {
        if next_char(rest) == Some('-') {
            let at = offset(rest);
            return fail_with(
                QueryError::syntax(
                    "the bounds of a variable-length relationship cannot be negative",
                    Span::new(at, at + 1),
                )
                .with_code("InvalidRelationshipPattern"),
            );
        }
        Ok(())
    };
    let (rest, _) = sym("*").parse(i)?;
    negative(&rest)?;
    let (rest, min) = match small_integer(rest) {
        Ok((r, (n, _))) => (r, Some(n)),
        Err(Err::Error(_)) => (rest, None),
        Err(e) => return Err(e),
    };
    if let Ok((rest, _)) = sym("..").parse(rest) {
        negative(&rest)?;
        let (rest, max) = match small_integer(rest) {
            Ok((r, (n, _))) => (r, Some(n)),
            Err(Err::Error(_)) => (rest, None),
            Err(e) => return Err(e),
        };
        return Ok((rest, Range { min, max }));
    }
    Ok((rest, Range { min, max: min }))
}
