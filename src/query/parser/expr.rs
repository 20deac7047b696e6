//! Expressions: operators by precedence climbing, postfix operators, atoms.

use nom::combinator::opt;
use nom::{Err, Parser};

use super::base::*;
use super::pattern::{node_as_expression, path_attempt};
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::query::lexer::is_ident_start;

// Precedence levels, loosest first (openCypher's).
const OR: u8 = 1;
const XOR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const COMPARISON: u8 = 5;
const PREDICATE: u8 = 6;
const ADDITIVE: u8 = 7;
const MULTIPLICATIVE: u8 = 8;
const POWER: u8 = 9;
const UNARY: u8 = 10;

pub(super) fn ex(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

/// `expression = or_expression`
pub(super) fn expression(i: In) -> PResult<Expr> {
    let _depth = enter(&i)?;
    binary(i, OR)
}

/// An expression where one is required: "expected an expression" otherwise.
pub(super) fn required_expression(i: In) -> PResult<Expr> {
    must("an expression", expression).parse(i)
}

enum Op {
    Binary(BinaryOp),
    Comparison(BinaryOp),
    IsNull { negated: bool },
}

/// The binary and postfix operators with their precedence level:
///
/// `or = "OR"`, `xor = "XOR"`, `and = "AND"`,
/// `comparison = "=" | "<>" | "<" | "<=" | ">" | ">="`,
/// `predicate = "IN" | "STARTS" "WITH" | "ENDS" "WITH" | "CONTAINS" | "=~" | "IS" ["NOT"] "NULL"`,
/// `additive = "+" | "-"`, `multiplicative = "*" | "/" | "%"`, `power = "^"`
fn operator(i: In) -> PResult<(Op, u8, Span)> {
    use BinaryOp::*;
    let words: [(&'static str, BinaryOp, u8); 5] = [
        ("OR", Or, OR),
        ("XOR", Xor, XOR),
        ("AND", And, AND),
        ("IN", In, PREDICATE),
        ("CONTAINS", Contains, PREDICATE),
    ];
    for (word, op, level) in words {
        if let Ok((rest, span)) = kw(word).parse(i) {
            return Ok((rest, (Op::Binary(op), level, span)));
        }
    }
    for (first, op) in [("STARTS", StartsWith), ("ENDS", EndsWith)] {
        if let Ok((rest, start)) = kw(first).parse(i) {
            let (rest, end) = must("`WITH`", kw("WITH")).parse(rest)?;
            return Ok((rest, (Op::Binary(op), PREDICATE, start.to(end))));
        }
    }
    if let Ok((rest, start)) = kw("IS").parse(i) {
        let (rest, not) = opt(kw("NOT")).parse(rest)?;
        let (rest, end) = must("`NULL` or `NOT NULL`", kw("NULL")).parse(rest)?;
        return Ok((
            rest,
            (
                Op::IsNull {
                    negated: not.is_some(),
                },
                PREDICATE,
                start.to(end),
            ),
        ));
    }
    let symbols: [(&'static str, Op, u8); 13] = [
        ("=~", Op::Binary(RegexMatch), PREDICATE),
        ("<>", Op::Comparison(Ne), COMPARISON),
        ("<=", Op::Comparison(Le), COMPARISON),
        (">=", Op::Comparison(Ge), COMPARISON),
        ("=", Op::Comparison(Eq), COMPARISON),
        ("<", Op::Comparison(Lt), COMPARISON),
        (">", Op::Comparison(Gt), COMPARISON),
        ("+", Op::Binary(Add), ADDITIVE),
        ("-", Op::Binary(Sub), ADDITIVE),
        ("*", Op::Binary(Mul), MULTIPLICATIVE),
        ("/", Op::Binary(Div), MULTIPLICATIVE),
        ("%", Op::Binary(Mod), MULTIPLICATIVE),
        ("^", Op::Binary(Pow), POWER),
    ];
    for (symbol, op, level) in symbols {
        if at_sym(i, symbol) {
            let (rest, span) = sym(symbol).parse(i)?;
            return Ok((rest, (op, level, span)));
        }
    }
    error(&i, Reason::Expected("an operator"))
}

/// Operators of level `min` and tighter, left-associative; a chain of
/// comparisons `a < b <= c` means `a < b AND b <= c`.
///
/// `or_expression = xor_expression { "OR" xor_expression }`
/// `xor_expression = and_expression { "XOR" and_expression }`
/// `and_expression = not_expression { "AND" not_expression }`
/// `not_expression = { "NOT" } comparison_expression`
/// `comparison_expression = predicate_expression { comparison predicate_expression }`
/// `predicate_expression = additive_expression { predicate additive_expression | "IS" ["NOT"] "NULL" }`
/// `additive_expression = multiplicative_expression { ("+" | "-") multiplicative_expression }`
/// `multiplicative_expression = power_expression { ("*" | "/" | "%") power_expression }`
/// `power_expression = unary_expression { "^" unary_expression }`
fn binary(i: In, min: u8) -> PResult<Expr> {
    let (mut i, mut lhs) = prefix(i)?;
    let mut depth = Vec::new();
    // The right operand of the last comparison, while comparisons chain.
    let mut compared: Option<Expr> = None;
    loop {
        let (after, (op, level, op_span)) = match operator(i) {
            Ok(ok) => ok,
            Err(Err::Error(_)) => break,
            Err(e) => return Err(e),
        };
        if level < min {
            break;
        }
        depth.push(enter(&i)?);
        let operand = |i| must("an expression", |i| binary(i, level + 1)).parse(i);
        match op {
            Op::IsNull { negated } => {
                let span = lhs.span.to(op_span);
                lhs = ex(
                    ExprKind::IsNull {
                        expr: Box::new(lhs),
                        negated,
                    },
                    span,
                );
                i = after;
                compared = None;
            }
            Op::Binary(op) => {
                let (after, rhs) = operand(after)?;
                let span = lhs.span.to(rhs.span);
                lhs = ex(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span);
                i = after;
                compared = None;
            }
            Op::Comparison(op) => {
                let (after, rhs) = operand(after)?;
                lhs = match compared.take() {
                    Some(previous) => {
                        let span = previous.span.to(rhs.span);
                        let next = ex(
                            ExprKind::Binary(op, Box::new(previous), Box::new(rhs.clone())),
                            span,
                        );
                        let span = lhs.span.to(span);
                        ex(
                            ExprKind::Binary(BinaryOp::And, Box::new(lhs), Box::new(next)),
                            span,
                        )
                    }
                    None => {
                        let span = lhs.span.to(rhs.span);
                        ex(
                            ExprKind::Binary(op, Box::new(lhs), Box::new(rhs.clone())),
                            span,
                        )
                    }
                };
                compared = Some(rhs);
                i = after;
            }
        }
    }
    Ok((i, lhs))
}

/// The prefix operators, then a postfix expression.
///
/// `unary_expression = ("-" | "+") unary_expression | postfix_expression`
///
/// `NOT` is also accepted here (`a = NOT b` reads `a = (NOT b)`); a minus
/// sign written right before a number makes a negative literal.
fn prefix(i: In) -> PResult<Expr> {
    if let Ok((rest, not)) = kw("NOT").parse(i) {
        let _depth = enter(&i)?;
        let (rest, operand) = must("an expression after `NOT`", |i| binary(i, NOT)).parse(rest)?;
        let span = not.to(operand.span);
        return Ok((
            rest,
            ex(ExprKind::Unary(UnaryOp::Not, Box::new(operand)), span),
        ));
    }
    let sign = if at_sym(i, "-") {
        Some(UnaryOp::Neg)
    } else if at_sym(i, "+") {
        Some(UnaryOp::Pos)
    } else {
        None
    };
    let Some(op) = sign else { return postfix(i) };
    let _depth = enter(&i)?;
    let (rest, sign_span) = sym(if op == UnaryOp::Neg { "-" } else { "+" }).parse(i)?;
    if op == UnaryOp::Neg && starts_number(&rest) {
        let (after, (number, span)) = number(rest)?;
        if !at_postfix(&after) {
            let span = sign_span.to(span);
            let written = &i.fragment()[..span.end - span.start];
            let literal = number_literal(number, true, written, span)
                .map_err(|e| Err::Failure(PErr::custom(e)))?;
            return Ok((after, ex(ExprKind::Literal(literal), span)));
        }
    }
    let (rest, operand) = must("an expression", |i| binary(i, UNARY)).parse(rest)?;
    let span = sign_span.to(operand.span);
    Ok((rest, ex(ExprKind::Unary(op, Box::new(operand)), span)))
}

fn starts_number(i: &In) -> bool {
    let mut chars = i.fragment().chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// True when a postfix operator (`.key`, `[...]`, `:Label`) comes next.
fn at_postfix(i: &In) -> bool {
    let s = i.fragment();
    s.starts_with('[')
        || s.starts_with(':')
        || (s.starts_with('.')
            && s[1..]
                .chars()
                .next()
                .is_some_and(|c| is_ident_start(c) || c == '`'))
}

/// Applies the sign to a number as written and checks its range.
pub(super) fn number_literal(
    number: Number,
    negative: bool,
    written: &str,
    span: Span,
) -> Result<Literal, QueryError> {
    match number {
        Number::Int(value) => {
            let value = i128::from(value);
            let value = if negative { -value } else { value };
            i64::try_from(value)
                .map(Literal::Int)
                .map_err(|_| too_large(written, span))
        }
        Number::Float(f) => Ok(Literal::Float(if negative { -f } else { f })),
    }
}

/// `postfix_expression = atom { "." schema_name | "[" index_or_slice "]" } [ label_predicate ]`
/// `label_predicate = ":" schema_name { ":" schema_name }`
fn postfix(i: In) -> PResult<Expr> {
    let (mut i, mut e) = atom(i)?;
    let mut depth = Vec::new();
    loop {
        if at_sym(i, ".") && !at_sym(i, "..") {
            depth.push(enter(&i)?);
            let (rest, _) = sym(".").parse(i)?;
            let (rest, key) = must("a property key after `.`", schema_name).parse(rest)?;
            let span = e.span.to(key.span);
            e = ex(ExprKind::Property(Box::new(e), key), span);
            i = rest;
        } else if at_sym(i, "[") {
            depth.push(enter(&i)?);
            (i, e) = index_or_slice(i, e)?;
        } else if at_sym(i, ":") {
            depth.push(enter(&i)?);
            let (rest, labels) = labels_where(i, true)?;
            let span = e.span.to(labels.last().map_or(e.span, |l| l.span));
            e = ex(ExprKind::HasLabels(Box::new(e), labels), span);
            i = rest;
            break;
        } else {
            break;
        }
    }
    Ok((i, e))
}

/// `labels = ":" schema_name { ":" schema_name }`
pub(super) fn labels(i: In) -> PResult<Vec<Ident>> {
    labels_where(i, false)
}

/// Clause keywords, which after `n:` in an expression more likely mean a
/// missing label than a label of that name (quoted, they are labels).
const CLAUSE_WORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER", "SKIP", "LIMIT", "UNION",
];

/// `labels`, where `in_expression` refuses an unquoted clause keyword.
fn labels_where(mut i: In, in_expression: bool) -> PResult<Vec<Ident>> {
    let mut labels = Vec::new();
    while at_sym(i, ":") {
        let (rest, _) = sym(":").parse(i)?;
        let (after, (label, quoted)) = must("a label after `:`", name).parse(rest)?;
        if in_expression
            && !quoted
            && CLAUSE_WORDS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&label.name))
        {
            return fail_with(
                QueryError::syntax(
                    format!("expected a label after `:`, found `{}`", label.name),
                    label.span,
                )
                .with_help(format!(
                    "to use `{}` as a label, quote it: `` :`{}` ``",
                    label.name, label.name
                )),
            );
        }
        labels.push(label);
        i = after;
    }
    Ok((i, labels))
}

/// `index_or_slice = expression | [expression] ".." [expression]`
fn index_or_slice<'a>(i: In<'a>, base: Expr) -> PResult<'a, Expr> {
    let start = base.span;
    let (rest, open) = sym("[").parse(i)?;
    let (rest, from) = if at_sym(rest, "..") {
        (rest, None)
    } else {
        let (rest, from) = must("an index or a slice", expression).parse(rest)?;
        (rest, Some(from))
    };
    let (rest, kind) = match from {
        Some(index) if !at_sym(rest, "..") => {
            (rest, ExprKind::Index(Box::new(base), Box::new(index)))
        }
        from => {
            let (rest, _) = sym("..").parse(rest)?;
            let (rest, to) = if at_sym(rest, "]") {
                (rest, None)
            } else {
                let (rest, to) = required_expression(rest)?;
                (rest, Some(Box::new(to)))
            };
            (
                rest,
                ExprKind::Slice(Box::new(base), from.map(Box::new), to),
            )
        }
    };
    let (rest, close) = closing(rest, "]", "`]`", "the index", open)?;
    Ok((rest, ex(kind, start.to(close))))
}

/// `atom = literal | parameter | case_expression | count_star | quantified
///       | function_call | bracket_expression | map_literal
///       | parenthesized_or_pattern | variable`
fn atom(i: In) -> PResult<Expr> {
    match next_char(&i) {
        Some('\'' | '"') => {
            let (rest, (text, span)) = string_literal(i)?;
            Ok((rest, ex(ExprKind::Literal(Literal::String(text)), span)))
        }
        Some(_) if starts_number(&i) => {
            let (rest, (number, span)) = number(i)?;
            let written = &i.fragment()[..span.end - span.start];
            let literal = number_literal(number, false, written, span)
                .map_err(|e| Err::Failure(PErr::custom(e)))?;
            Ok((rest, ex(ExprKind::Literal(literal), span)))
        }
        Some('$') => {
            let (rest, p) = parameter(i)?;
            let span = p.span;
            Ok((rest, ex(ExprKind::Parameter(p), span)))
        }
        Some('[') => bracket_expression(i),
        Some('{') => map_literal(i),
        Some('(') => parenthesized_or_pattern(i),
        Some(c) if is_ident_start(c) || c == '`' => word_expression(i),
        _ => error(&i, Reason::Expected("an expression")),
    }
}

/// An atom that starts with a word: `true`, `false`, `null`, `CASE`,
/// `count(*)`, a quantifier, a function call or a variable.
fn word_expression(i: In) -> PResult<Expr> {
    for (word, literal) in [
        ("TRUE", Literal::Bool(true)),
        ("FALSE", Literal::Bool(false)),
        ("NULL", Literal::Null),
    ] {
        if let Ok((rest, span)) = kw(word).parse(i) {
            return Ok((rest, ex(ExprKind::Literal(literal), span)));
        }
    }
    if at_kw(i, "CASE") {
        return case_expression(i);
    }
    if let Ok((rest, keyword)) = kw("EXISTS").parse(i)
        && at_sym(rest, "{")
    {
        return exists_subquery(rest, keyword);
    }
    let (rest, (first, quoted)) = name(i)?;
    let upper = first.name.to_ascii_uppercase();
    if !quoted && at_sym(rest, "(") {
        if upper == "COUNT" {
            let (after, _) = sym("(").parse(rest)?;
            if at_sym(after, "*") {
                let (after, _) = sym("*").parse(after)?;
                let (after, close) = closing(after, ")", "`)`", "`count(*)`", first.span)?;
                return Ok((after, ex(ExprKind::CountStar, first.span.to(close))));
            }
        }
        if let Some(quantifier) = quantifier(&upper) {
            let (after, _) = sym("(").parse(rest)?;
            let is_quantified =
                quantifier == Quantifier::All || name(after).is_ok_and(|(r, _)| at_kw(r, "IN"));
            if is_quantified {
                return quantified(i, quantifier);
            }
        }
    }
    // A function call: a (dotted) name followed by `(`.
    if quoted || !crate::query::lexer::is_reserved(&first.name) || upper == "EXISTS" {
        let mut parts = vec![first.clone()];
        let mut after = rest;
        while at_sym(after, ".") && !at_sym(after, "..") {
            let Ok((r, _)) = sym(".").parse(after) else {
                break;
            };
            let Ok((r, part)) = schema_name(r) else { break };
            parts.push(part);
            after = r;
        }
        if at_sym(after, "(") {
            return function_call(after, parts);
        }
    }
    if quoted || !crate::query::lexer::is_reserved(&first.name) {
        let span = first.span;
        return Ok((rest, ex(ExprKind::Variable(first), span)));
    }
    error(&i, Reason::Expected("an expression"))
}

fn quantifier(upper: &str) -> Option<Quantifier> {
    match upper {
        "ALL" => Some(Quantifier::All),
        "ANY" => Some(Quantifier::Any),
        "NONE" => Some(Quantifier::None),
        "SINGLE" => Some(Quantifier::Single),
        _ => None,
    }
}

/// `function_call = name { "." name } "(" ["DISTINCT"] [expression { "," expression }] ")"`
fn function_call<'a>(i: In<'a>, parts: Vec<Ident>) -> PResult<'a, Expr> {
    let span = parts[0].span.to(parts[parts.len() - 1].span);
    let joined = parts
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let name = Ident { name: joined, span };
    let (mut rest, open) = sym("(").parse(i)?;
    let distinct;
    (rest, distinct) = opt(kw("DISTINCT")).parse(rest)?;
    let mut args = Vec::new();
    let exists = name.name.eq_ignore_ascii_case("exists");
    if distinct.is_some() || !at_sym(rest, ")") {
        loop {
            let (r, arg) = if exists {
                predicate(rest, required_expression)?
            } else {
                required_expression(rest)?
            };
            args.push(arg);
            rest = r;
            match sym(",").parse(rest) {
                Ok((r, _)) => rest = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = closing(rest, ")", "`,` or `)`", "the argument list", open)?;
    let kind = ExprKind::Function {
        name,
        distinct: distinct.is_some(),
        args,
    };
    Ok((rest, ex(kind, span.to(close))))
}

/// `quantified = ("all" | "any" | "none" | "single") "(" variable "IN" expression "WHERE" expression ")"`
fn quantified(i: In, quantifier: Quantifier) -> PResult<Expr> {
    let (rest, (word, _)) = name(i)?;
    let (rest, open) = sym("(").parse(rest)?;
    let (rest, variable) = must("a variable", |i| variable(i, true)).parse(rest)?;
    let (rest, _) = must("`IN`", kw("IN")).parse(rest)?;
    let (rest, list) = required_expression(rest)?;
    let (rest, _) = must("`WHERE` and a predicate", kw("WHERE")).parse(rest)?;
    let (rest, predicate) = predicate(rest, required_expression)?;
    let (rest, close) = closing(rest, ")", "`)`", "the quantifier", open)?;
    let kind = ExprKind::Quantified {
        quantifier,
        variable,
        list: Box::new(list),
        predicate: Box::new(predicate),
    };
    Ok((rest, ex(kind, word.span.to(close))))
}

/// `case_expression = "CASE" [expression] ("WHEN" expression "THEN" expression)+ ["ELSE" expression] "END"`
fn case_expression(i: In) -> PResult<Expr> {
    let (mut rest, case) = kw("CASE").parse(i)?;
    let mut operand = None;
    if !at_kw(rest, "WHEN") {
        let (r, e) = must("an expression or `WHEN`", expression).parse(rest)?;
        operand = Some(Box::new(e));
        rest = r;
    }
    let mut whens = Vec::new();
    while let Ok((r, _)) = kw("WHEN").parse(rest) {
        let (r, condition) = required_expression(r)?;
        let (r, _) = must("`THEN`", kw("THEN")).parse(r)?;
        let (r, value) = required_expression(r)?;
        whens.push((condition, value));
        rest = r;
    }
    if whens.is_empty() {
        return failure(&rest, Reason::Expected("`WHEN`"));
    }
    let mut else_ = None;
    if let Ok((r, _)) = kw("ELSE").parse(rest) {
        let (r, e) = required_expression(r)?;
        else_ = Some(Box::new(e));
        rest = r;
    }
    let expected = if else_.is_some() {
        "`END`"
    } else {
        "`WHEN`, `ELSE` or `END`"
    };
    let (rest, end) = match kw("END").parse(rest) {
        Ok(ok) => ok,
        Err(Err::Error(_)) => {
            return failure(
                &rest,
                Reason::Unclosed {
                    expected,
                    what: "the `CASE` expression",
                    open: case.start,
                    code: None,
                },
            );
        }
        Err(e) => return Err(e),
    };
    Ok((
        rest,
        ex(
            ExprKind::Case {
                operand,
                whens,
                else_,
            },
            case.to(end),
        ),
    ))
}

/// `bracket_expression = list_comprehension | pattern_comprehension | list_literal`
/// `list_comprehension = "[" variable "IN" expression ["WHERE" expression] ["|" expression] "]"`
/// `pattern_comprehension = "[" [variable "="] relationships_pattern ["WHERE" expression] "|" expression "]"`
/// `list_literal = "[" [expression { "," expression }] "]"`
fn bracket_expression(i: In) -> PResult<Expr> {
    let (rest, open) = sym("[").parse(i)?;
    if let Ok((after_name, (ident, false))) = name(rest)
        && crate::query::lexer::is_reserved(&ident.name)
        && at_kw(after_name, "IN")
    {
        return fail_with(reserved_word(&ident));
    }
    if let Ok((after_var, variable)) = variable(rest, false) {
        if let Ok((after_in, _)) = kw("IN").parse(after_var) {
            return list_comprehension(after_in, open, variable);
        }
        if at_sym(after_var, "=") && !at_sym(after_var, "=~") {
            let (after_eq, _) = sym("=").parse(after_var)?;
            // As deep as when read as `p = (...)`, an element of the list:
            // the element, then the comparison.
            let _element = enter(&rest)?;
            let _comparison = enter(&rest)?;
            match path_attempt(after_eq) {
                Ok((after, path))
                    if !path.chain.is_empty() && (at_kw(after, "WHERE") || at_sym(after, "|")) =>
                {
                    return pattern_comprehension(after, open, Some(variable), path);
                }
                Err(Err::Failure(e)) => return Err(Err::Failure(e)),
                _ => {}
            }
        }
    }
    if at_sym(rest, "(") {
        // As deep as when read as the list's first element, so that the
        // remembered attempt counts the same levels.
        let _element = enter(&rest)?;
        match path_attempt(rest) {
            Ok((after, path))
                if !path.chain.is_empty() && (at_kw(after, "WHERE") || at_sym(after, "|")) =>
            {
                return pattern_comprehension(after, open, None, path);
            }
            Err(Err::Failure(e)) => return Err(Err::Failure(e)),
            _ => {}
        }
    }
    let mut items = Vec::new();
    let mut rest = rest;
    if !at_sym(rest, "]") {
        loop {
            let (r, item) = must("an expression or `]`", expression).parse(rest)?;
            rest = r;
            items.push(item);
            match sym(",").parse(rest) {
                Ok((r, _)) => rest = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = closing(rest, "]", "`,` or `]`", "the list", open)?;
    Ok((rest, ex(ExprKind::List(items), open.to(close))))
}

fn list_comprehension<'a>(rest: In<'a>, open: Span, variable: Ident) -> PResult<'a, Expr> {
    let (mut rest, list) = required_expression(rest)?;
    let mut predicate_ = None;
    if let Ok((r, _)) = kw("WHERE").parse(rest) {
        let (r, p) = predicate(r, required_expression)?;
        predicate_ = Some(Box::new(p));
        rest = r;
    }
    let mut projection = None;
    if let Ok((r, _)) = sym("|").parse(rest) {
        let (r, p) = required_expression(r)?;
        projection = Some(Box::new(p));
        rest = r;
    }
    let expected = match (&predicate_, &projection) {
        (None, None) => "`WHERE`, `|` or `]`",
        (Some(_), None) => "`|` or `]`",
        _ => "`]`",
    };
    let (rest, close) = closing(rest, "]", expected, "the list comprehension", open)?;
    let kind = ExprKind::ListComprehension {
        variable,
        list: Box::new(list),
        predicate: predicate_,
        projection,
    };
    Ok((rest, ex(kind, open.to(close))))
}

fn pattern_comprehension<'a>(
    rest: In<'a>,
    open: Span,
    variable: Option<Ident>,
    pattern: PathPattern,
) -> PResult<'a, Expr> {
    let mut rest = rest;
    let mut predicate_ = None;
    if let Ok((r, _)) = kw("WHERE").parse(rest) {
        let (r, p) = predicate(r, required_expression)?;
        predicate_ = Some(Box::new(p));
        rest = r;
    }
    let (rest, _) = must("`|` and the expression to collect", sym("|")).parse(rest)?;
    let (rest, projection) = required_expression(rest)?;
    let (rest, close) = closing(rest, "]", "`]`", "the pattern comprehension", open)?;
    let kind = ExprKind::PatternComprehension {
        variable,
        pattern,
        predicate: predicate_,
        projection: Box::new(projection),
    };
    Ok((rest, ex(kind, open.to(close))))
}

/// `map_literal = "{" [schema_name ":" expression { "," schema_name ":" expression }] "}"`
pub(super) fn map_literal(i: In) -> PResult<Expr> {
    let (mut rest, open) = sym("{").parse(i)?;
    let mut entries = Vec::new();
    if !at_sym(rest, "}") {
        loop {
            let (r, key) = must("a property key", schema_name).parse(rest)?;
            let (r, _) = must("`:` after the property key", sym(":")).parse(r)?;
            let (r, value) = required_expression(r)?;
            entries.push((key, value));
            rest = r;
            match sym(",").parse(rest) {
                Ok((r, _)) => rest = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = closing(rest, "}", "`,` or `}`", "the map", open)?;
    Ok((rest, ex(ExprKind::Map(entries), open.to(close))))
}

/// `parenthesized_or_pattern = relationships_pattern | "(" expression ")"`
///
/// A node pattern is tried first: followed by a relationship it starts a
/// pattern predicate; alone, `(n)`, `(n:Label)`, `('text')`, `({map})` and
/// `($param)` read as the parenthesized expression they also are.
fn parenthesized_or_pattern(i: In) -> PResult<Expr> {
    let node_error = match path_attempt(i) {
        Ok((after, path)) => {
            if !path.chain.is_empty() {
                let span = path.span;
                if !in_predicate(&i) {
                    return fail_with(
                        QueryError::syntax(
                            "a pattern can be used as an expression only in `WHERE` or `exists(...)`",
                            span,
                        )
                        .with_help(
                            "to collect what it matches, use a pattern comprehension: `[(a)-->(b) | b]`",
                        ),
                    );
                }
                return Ok((after, ex(ExprKind::Pattern(path), span)));
            }
            let span = path.span;
            return match node_as_expression(path.start) {
                Some(e) => Ok((after, Expr { span, ..e })),
                None => failure(
                    &after,
                    Reason::Expected("a relationship pattern such as `-->` after the node pattern"),
                ),
            };
        }
        Err(Err::Error(e)) => e,
        Err(e) => return Err(e),
    };
    let (rest, open) = sym("(").parse(i)?;
    let (rest, inner) = match expression(rest) {
        Ok(ok) => ok,
        Err(Err::Error(e)) => {
            let ours = PErr::at(&rest, Reason::Expected("an expression"));
            return Err(Err::Failure(node_error.furthest(e).furthest(ours)));
        }
        Err(e) => return Err(e),
    };
    let (rest, close) = match closing(rest, ")", "`)`", "the parenthesis", open) {
        Ok(ok) => ok,
        Err(Err::Failure(e)) => return Err(Err::Failure(node_error.furthest(e))),
        Err(e) => return Err(e),
    };
    Ok((
        rest,
        Expr {
            span: open.to(close),
            ..inner
        },
    ))
}

/// `exists_subquery = "EXISTS" "{" ( single_query_body | pattern [ where ] ) "}"`
///
/// The short form, a pattern and its `WHERE`, reads as a subquery of one
/// `MATCH`. A pattern in the subquery's own clauses is a predicate only
/// where a `WHERE` of its own makes it one.
fn exists_subquery(i: In, keyword: Span) -> PResult<Expr> {
    let _depth = enter(&i)?;
    let (rest, open) = sym("{").parse(i)?;
    let outer = without_predicate(&rest);
    let body = (|| {
        if ["MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN"]
            .iter()
            .any(|w| at_kw(rest, w))
        {
            return super::clause::subquery_body(rest);
        }
        let start = offset(&rest);
        let (r, pattern) = super::pattern::pattern(rest)?;
        let (r, where_) = match kw("WHERE").parse(r) {
            Ok((r, _)) => {
                let (r, e) = predicate(r, required_expression)?;
                (r, Some(e))
            }
            Err(Err::Error(_)) => (r, None),
            Err(e) => return Err(e),
        };
        let end = match &where_ {
            Some(w) => w.span.end,
            None => pattern.last().map_or(start, |p| p.span.end),
        };
        let span = Span::new(start, end);
        let clause = MatchClause {
            optional: false,
            pattern,
            where_,
            span,
        };
        Ok((
            r,
            SingleQuery {
                clauses: vec![Clause::Match(clause)],
                span,
            },
        ))
    })();
    restore_predicate(&rest, outer);
    let (rest, query) = body?;
    let (rest, close) = closing(rest, "}", "`}`", "the `EXISTS` subquery", open)?;
    Ok((
        rest,
        ex(ExprKind::ExistsSubquery(Box::new(query)), keyword.to(close)),
    ))
}
