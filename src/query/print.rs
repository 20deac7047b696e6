//! Canonical query text for the syntax tree: `Display` on every node.
//!
//! Keywords are upper-case, literals `true`, `false` and `null` lower-case,
//! strings single-quoted with escapes, names backtick-quoted only when they
//! must be, parentheses only where precedence needs them, and floats
//! printed so that they read back as the same `f64`. The parser reads the
//! printed text back to an equal tree (spans aside).
//!
//! The alternate form (`{:#}`) puts every compound subexpression in
//! parentheses, which shows how an expression was grouped.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lexer::{is_ident_char, is_ident_start, is_reserved};

type Result = fmt::Result;

// Precedence levels, loosest first; the same as the parser's.
const NOT: u8 = 4;
const COMPARISON: u8 = 5;
const PREDICATE: u8 = 6;
const ADDITIVE: u8 = 7;
const UNARY: u8 = 10;
const POSTFIX: u8 = 11;
const ATOM: u8 = 12;

fn binary_level(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Or => 1,
        Xor => 2,
        And => 3,
        Eq | Ne | Lt | Le | Gt | Ge => COMPARISON,
        In | StartsWith | EndsWith | Contains | RegexMatch => PREDICATE,
        Add | Sub => ADDITIVE,
        Mul | Div | Mod => 8,
        Pow => 9,
    }
}

/// How tightly an expression binds as printed.
fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => binary_level(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(..) => UNARY,
        ExprKind::IsNull { .. } => PREDICATE,
        ExprKind::Literal(Literal::Int(n)) if *n < 0 => UNARY,
        ExprKind::Literal(Literal::Float(x)) if x.is_sign_negative() => UNARY,
        ExprKind::Property(..)
        | ExprKind::Index(..)
        | ExprKind::Slice(..)
        | ExprKind::HasLabels(..) => POSTFIX,
        _ => ATOM,
    }
}

fn is_compound(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary(..) | ExprKind::Unary(..) | ExprKind::IsNull { .. }
    )
}

/// Prints `e` as the operand of an operator, in parentheses when `parens`,
/// when the alternate form asks for it, or when it is a pattern (whose
/// path could otherwise run on into the operator's text).
fn operand(f: &mut Formatter, e: &Expr, parens: bool) -> Result {
    let parens = parens || matches!(e.kind, ExprKind::Pattern(_));
    logical_operand(f, e, parens)
}

/// Prints `e` as the operand of `AND`, `OR`, `XOR` or `NOT`, where a
/// pattern needs no parentheses: no `-` or `<` can follow it there.
fn logical_operand(f: &mut Formatter, e: &Expr, parens: bool) -> Result {
    let parens = parens || (f.alternate() && is_compound(e));
    if parens {
        f.write_char('(')?;
        expr(f, e)?;
        f.write_char(')')
    } else {
        expr(f, e)
    }
}

/// Prints an expression where any expression may stand (no parentheses).
fn expr(f: &mut Formatter, e: &Expr) -> Result {
    match &e.kind {
        ExprKind::Literal(l) => literal(f, l),
        ExprKind::Parameter(p) => parameter(f, &p.name),
        ExprKind::Variable(v) => variable(f, &v.name),
        ExprKind::Property(base, key) => {
            postfix_base(f, base)?;
            f.write_char('.')?;
            schema_name(f, &key.name)
        }
        ExprKind::HasLabels(base, labels) => {
            postfix_base(f, base)?;
            for l in labels {
                f.write_char(':')?;
                label(f, &l.name)?;
            }
            Ok(())
        }
        ExprKind::List(items) => {
            f.write_char('[')?;
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                // `[x IN list]` would read as a comprehension.
                if k == 0 && starts_with_name_in(item) {
                    operand(f, item, true)?;
                } else {
                    expr(f, item)?;
                }
            }
            f.write_char(']')
        }
        ExprKind::Map(entries) => map(f, entries),
        ExprKind::Index(base, index) => {
            postfix_base(f, base)?;
            f.write_char('[')?;
            expr(f, index)?;
            f.write_char(']')
        }
        ExprKind::Slice(base, from, to) => {
            postfix_base(f, base)?;
            f.write_char('[')?;
            if let Some(from) = from {
                expr(f, from)?;
            }
            f.write_str("..")?;
            if let Some(to) = to {
                expr(f, to)?;
            }
            f.write_char(']')
        }
        ExprKind::Unary(UnaryOp::Not, x) => {
            f.write_str("NOT ")?;
            logical_operand(f, x, level(x) < NOT)
        }
        ExprKind::Unary(op, x) => {
            f.write_char(if *op == UnaryOp::Neg { '-' } else { '+' })?;
            if matches!(x.kind, ExprKind::Unary(..)) {
                f.write_char(' ')?;
            }
            // `-5` would read as a negative literal.
            let numeric = *op == UnaryOp::Neg
                && matches!(
                    x.kind,
                    ExprKind::Literal(Literal::Int(_) | Literal::Float(_))
                );
            operand(f, x, level(x) < UNARY || numeric)
        }
        ExprKind::Binary(op, l, r) => {
            let lvl = binary_level(*op);
            // Comparisons do not associate: `a < b < c` reads as a chain.
            let left_parens = if lvl == COMPARISON {
                level(l) <= lvl
            } else {
                level(l) < lvl
            };
            let logical = matches!(op, BinaryOp::Or | BinaryOp::Xor | BinaryOp::And);
            let print = if logical { logical_operand } else { operand };
            print(f, l, left_parens)?;
            write!(f, " {} ", op.symbol())?;
            print(f, r, level(r) <= lvl)
        }
        ExprKind::IsNull { expr: x, negated } => {
            operand(f, x, level(x) < PREDICATE)?;
            f.write_str(if *negated { " IS NOT NULL" } else { " IS NULL" })
        }
        ExprKind::Function {
            name,
            distinct,
            args,
        } => {
            for (k, part) in name.name.split('.').enumerate() {
                if k > 0 {
                    f.write_char('.')?;
                }
                // The first part must not read as a keyword (`exists` may).
                if k == 0 && !part.eq_ignore_ascii_case("exists") {
                    variable(f, part)?;
                } else {
                    schema_name(f, part)?;
                }
            }
            f.write_char('(')?;
            if *distinct {
                f.write_str("DISTINCT ")?;
            }
            let quantifier_like = ["all", "any", "none", "single"]
                .iter()
                .any(|q| q.eq_ignore_ascii_case(&name.name));
            for (k, arg) in args.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                if k == 0 && quantifier_like && starts_with_name_in(arg) {
                    operand(f, arg, true)?;
                } else {
                    expr(f, arg)?;
                }
            }
            f.write_char(')')
        }
        ExprKind::CountStar => f.write_str("count(*)"),
        ExprKind::Case {
            operand: subject,
            whens,
            else_,
        } => {
            f.write_str("CASE")?;
            if let Some(subject) = subject {
                f.write_char(' ')?;
                expr(f, subject)?;
            }
            for (when, then) in whens {
                f.write_str(" WHEN ")?;
                expr(f, when)?;
                f.write_str(" THEN ")?;
                expr(f, then)?;
            }
            if let Some(else_) = else_ {
                f.write_str(" ELSE ")?;
                expr(f, else_)?;
            }
            f.write_str(" END")
        }
        ExprKind::ListComprehension {
            variable: v,
            list,
            predicate,
            projection,
        } => {
            f.write_char('[')?;
            variable(f, &v.name)?;
            f.write_str(" IN ")?;
            expr(f, list)?;
            if let Some(p) = predicate {
                f.write_str(" WHERE ")?;
                expr(f, p)?;
            }
            if let Some(p) = projection {
                f.write_str(" | ")?;
                expr(f, p)?;
            }
            f.write_char(']')
        }
        ExprKind::Quantified {
            quantifier,
            variable: v,
            list,
            predicate,
        } => {
            let name = match quantifier {
                Quantifier::All => "all",
                Quantifier::Any => "any",
                Quantifier::None => "none",
                Quantifier::Single => "single",
            };
            write!(f, "{name}(")?;
            variable(f, &v.name)?;
            f.write_str(" IN ")?;
            expr(f, list)?;
            f.write_str(" WHERE ")?;
            expr(f, predicate)?;
            f.write_char(')')
        }
        ExprKind::Pattern(p) => Display::fmt(p, f),
        ExprKind::ExistsSubquery(q) if f.alternate() => write!(f, "EXISTS {{ {q:#} }}"),
        ExprKind::ExistsSubquery(q) => write!(f, "EXISTS {{ {q} }}"),
        ExprKind::PatternComprehension {
            variable: v,
            pattern,
            predicate,
            projection,
        } => {
            f.write_char('[')?;
            if let Some(v) = v {
                variable(f, &v.name)?;
                f.write_str(" = ")?;
            }
            Display::fmt(pattern, f)?;
            if let Some(p) = predicate {
                f.write_str(" WHERE ")?;
                expr(f, p)?;
            }
            f.write_str(" | ")?;
            expr(f, projection)?;
            f.write_char(']')
        }
    }
}

/// The base of `.key`, `[index]` or `:Label`.
fn postfix_base(f: &mut Formatter, base: &Expr) -> Result {
    let parens = level(base) < POSTFIX || matches!(base.kind, ExprKind::HasLabels(..));
    operand(f, base, parens)
}

/// True when `e` prints as `name IN ...`, which at the start of a list or
/// of a quantifier's arguments would read as a comprehension.
fn starts_with_name_in(e: &Expr) -> bool {
    let mut e = e;
    loop {
        match &e.kind {
            // `null`, `true` and `false` are words too: `[null IN x]` would
            // be tried as a comprehension over a variable named `null`.
            ExprKind::Binary(BinaryOp::In, l, _)
                if matches!(
                    l.kind,
                    ExprKind::Variable(_) | ExprKind::Literal(Literal::Null | Literal::Bool(_))
                ) =>
            {
                return level(l) >= PREDICATE;
            }
            ExprKind::Binary(op, l, _) if level(l) >= binary_level(*op) => e = l,
            ExprKind::IsNull { expr: l, .. } if level(l) >= PREDICATE => e = l,
            _ => return false,
        }
    }
}

fn literal(f: &mut Formatter, l: &Literal) -> Result {
    match l {
        Literal::Null => f.write_str("null"),
        Literal::Bool(b) => write!(f, "{b}"),
        Literal::Int(n) => write!(f, "{n}"),
        // `{:?}` is the shortest text that reads back as the same f64, and
        // always has a `.` or an exponent.
        Literal::Float(x) => write!(f, "{x:?}"),
        Literal::String(s) => string(f, s),
    }
}

/// A single-quoted string literal with escapes.
fn string(f: &mut Formatter, s: &str) -> Result {
    f.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\'' => f.write_str("\\'")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            '\u{8}' => f.write_str("\\b")?,
            '\u{c}' => f.write_str("\\f")?,
            c if c.is_control() && (c as u32) <= 0xFFFF => write!(f, "\\u{:04X}", c as u32)?,
            c if c.is_control() => write!(f, "\\U{:08X}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('\'')
}

fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
}

fn quoted_name(f: &mut Formatter, name: &str) -> Result {
    f.write_char('`')?;
    f.write_str(&name.replace('`', "``"))?;
    f.write_char('`')
}

/// A variable, alias or function name: quoted when it is not a plain name
/// or is a reserved word.
fn variable(f: &mut Formatter, name: &str) -> Result {
    if is_plain_name(name) && !is_reserved(name) {
        f.write_str(name)
    } else {
        quoted_name(f, name)
    }
}

/// A property key: reserved words are fine.
fn schema_name(f: &mut Formatter, name: &str) -> Result {
    if is_plain_name(name) {
        f.write_str(name)
    } else {
        quoted_name(f, name)
    }
}

/// A label or relationship type: reserved words are quoted, so that
/// ``n:`RETURN` `` does not read as a missing label.
fn label(f: &mut Formatter, name: &str) -> Result {
    variable(f, name)
}

fn parameter(f: &mut Formatter, name: &str) -> Result {
    f.write_char('$')?;
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        f.write_str(name)
    } else {
        schema_name(f, name)
    }
}

fn map(f: &mut Formatter, entries: &[(Ident, Expr)]) -> Result {
    f.write_char('{')?;
    for (k, (key, value)) in entries.iter().enumerate() {
        if k > 0 {
            f.write_str(", ")?;
        }
        schema_name(f, &key.name)?;
        f.write_str(": ")?;
        expr(f, value)?;
    }
    f.write_char('}')
}

fn properties(f: &mut Formatter, p: &Expr) -> Result {
    match &p.kind {
        ExprKind::Map(entries) => map(f, entries),
        ExprKind::Parameter(name) => parameter(f, &name.name),
        // Not produced by the parser; printed in a form it reads back.
        _ => expr(f, p),
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter) -> Result {
        expr(f, self)
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter) -> Result {
        literal(f, self)
    }
}

impl Display for Script {
    fn fmt(&self, f: &mut Formatter) -> Result {
        for (k, statement) in self.statements.iter().enumerate() {
            if k > 0 {
                f.write_str(";\n")?;
            }
            Display::fmt(statement, f)?;
        }
        Ok(())
    }
}

fn toward_word(f: &mut Formatter, toward: Toward) -> Result {
    match toward {
        Toward::Both => Ok(()),
        Toward::Outgoing => f.write_str(" OUTGOING"),
        Toward::Incoming => f.write_str(" INCOMING"),
    }
}

impl Display for EntityRef {
    fn fmt(&self, f: &mut Formatter) -> Result {
        if let Some(name) = self.param() {
            return write!(f, "${name}");
        }
        if !self.quoted && !self.text.is_empty() && self.text.chars().all(is_ident_char) {
            f.write_str(&self.text)
        } else {
            string(f, &self.text)
        }
    }
}

impl Display for DateText {
    fn fmt(&self, f: &mut Formatter) -> Result {
        let parts: Vec<&str> = self.text.split('-').collect();
        let bare = parts.len() <= 3
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2);
        if bare {
            f.write_str(&self.text)
        } else {
            string(f, &self.text)
        }
    }
}

fn via(f: &mut Formatter, types: &[Ident]) -> Result {
    for (k, t) in types.iter().enumerate() {
        f.write_str(if k == 0 { " VIA " } else { ", " })?;
        schema_name(f, &t.name)?;
    }
    Ok(())
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter) -> Result {
        match self {
            Statement::Query(q) => Display::fmt(q, f),
            Statement::Describe { entity, toward, .. } => {
                write!(f, "DESCRIBE {entity}")?;
                toward_word(f, *toward)
            }
            Statement::Neighbors {
                entity,
                depth,
                via: types,
                toward,
                ..
            } => {
                write!(f, "NEIGHBORS {entity}")?;
                if let Some(depth) = depth {
                    write!(f, " DEPTH {depth}")?;
                }
                via(f, types)?;
                toward_word(f, *toward)
            }
            Statement::Path {
                from,
                to,
                via: types,
                ..
            } => {
                write!(f, "PATH {from} TO {to}")?;
                via(f, types)
            }
            Statement::Timeline {
                entity, from, to, ..
            } => {
                f.write_str("TIMELINE")?;
                if let Some(entity) = entity {
                    write!(f, " {entity}")?;
                }
                if let Some(from) = from {
                    write!(f, " FROM {from}")?;
                }
                if let Some(to) = to {
                    write!(f, " TO {to}")?;
                }
                Ok(())
            }
            Statement::Evidence {
                entity,
                to,
                by,
                source,
                ..
            } => {
                f.write_str("EVIDENCE")?;
                if let Some(entity) = entity {
                    write!(f, " {entity}")?;
                }
                if let Some(to) = to {
                    write!(f, " TO {to}")?;
                }
                if let Some(by) = by {
                    write!(f, " BY {by}")?;
                }
                if let Some(source) = source {
                    write!(f, " IN {source}")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter) -> Result {
        match self.mode {
            QueryMode::Run => {}
            QueryMode::Explain => f.write_str("EXPLAIN ")?,
            QueryMode::Profile => f.write_str("PROFILE ")?,
        }
        Display::fmt(&self.first, f)?;
        for union in &self.unions {
            f.write_str(if union.all { " UNION ALL " } else { " UNION " })?;
            Display::fmt(&union.query, f)?;
        }
        Ok(())
    }
}

impl Display for SingleQuery {
    fn fmt(&self, f: &mut Formatter) -> Result {
        for (k, clause) in self.clauses.iter().enumerate() {
            if k > 0 {
                f.write_char(' ')?;
            }
            Display::fmt(clause, f)?;
        }
        Ok(())
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        match self {
            Clause::Match(c) => Display::fmt(c, f),
            Clause::Unwind(c) => Display::fmt(c, f),
            Clause::With(c) => Display::fmt(c, f),
            Clause::Return(c) => Display::fmt(c, f),
            Clause::Call(c) => Display::fmt(c, f),
        }
    }
}

impl Display for CallClause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str("CALL ")?;
        for (k, part) in self.name.name.split('.').enumerate() {
            if k > 0 {
                f.write_char('.')?;
            }
            schema_name(f, part)?;
        }
        if let Some(args) = &self.args {
            f.write_char('(')?;
            for (k, a) in args.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                expr(f, a)?;
            }
            f.write_char(')')?;
        }
        if self.yield_star {
            f.write_str(" YIELD *")?;
        } else if !self.yields.is_empty() {
            f.write_str(" YIELD ")?;
            for (k, y) in self.yields.iter().enumerate() {
                if k > 0 {
                    f.write_str(", ")?;
                }
                schema_name(f, &y.field.name)?;
                if let Some(a) = &y.alias {
                    f.write_str(" AS ")?;
                    variable(f, &a.name)?;
                }
            }
            where_(f, &self.where_)?;
        }
        Ok(())
    }
}

fn where_(f: &mut Formatter, w: &Option<Expr>) -> Result {
    match w {
        Some(w) => {
            f.write_str(" WHERE ")?;
            expr(f, w)
        }
        None => Ok(()),
    }
}

impl Display for MatchClause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str(if self.optional {
            "OPTIONAL MATCH "
        } else {
            "MATCH "
        })?;
        for (k, part) in self.pattern.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            Display::fmt(part, f)?;
        }
        where_(f, &self.where_)
    }
}

impl Display for UnwindClause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str("UNWIND ")?;
        expr(f, &self.expr)?;
        f.write_str(" AS ")?;
        variable(f, &self.alias.name)
    }
}

impl Display for WithClause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str("WITH ")?;
        Display::fmt(&self.projection, f)?;
        where_(f, &self.where_)
    }
}

impl Display for ReturnClause {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str("RETURN ")?;
        Display::fmt(&self.projection, f)
    }
}

impl Display for Projection {
    fn fmt(&self, f: &mut Formatter) -> Result {
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        if self.star {
            f.write_char('*')?;
        }
        for (k, item) in self.items.iter().enumerate() {
            if k > 0 || self.star {
                f.write_str(", ")?;
            }
            Display::fmt(item, f)?;
        }
        for (k, item) in self.order_by.iter().enumerate() {
            f.write_str(if k == 0 { " ORDER BY " } else { ", " })?;
            Display::fmt(item, f)?;
        }
        if let Some(skip) = &self.skip {
            f.write_str(" SKIP ")?;
            expr(f, skip)?;
        }
        if let Some(limit) = &self.limit {
            f.write_str(" LIMIT ")?;
            expr(f, limit)?;
        }
        Ok(())
    }
}

impl Display for ProjectionItem {
    fn fmt(&self, f: &mut Formatter) -> Result {
        expr(f, &self.expr)?;
        if let Some(alias) = &self.alias {
            f.write_str(" AS ")?;
            variable(f, &alias.name)?;
        }
        Ok(())
    }
}

impl Display for SortItem {
    fn fmt(&self, f: &mut Formatter) -> Result {
        expr(f, &self.expr)?;
        if self.descending {
            f.write_str(" DESC")?;
        }
        Ok(())
    }
}

impl Display for PatternPart {
    fn fmt(&self, f: &mut Formatter) -> Result {
        if let Some(v) = &self.variable {
            variable(f, &v.name)?;
            f.write_str(" = ")?;
        }
        Display::fmt(&self.element, f)
    }
}

impl Display for PatternElement {
    fn fmt(&self, f: &mut Formatter) -> Result {
        match self {
            PatternElement::Path(p) => Display::fmt(p, f),
            PatternElement::Shortest { all, path } => {
                f.write_str(if *all {
                    "allShortestPaths("
                } else {
                    "shortestPath("
                })?;
                Display::fmt(path, f)?;
                f.write_char(')')
            }
        }
    }
}

impl Display for PathPattern {
    fn fmt(&self, f: &mut Formatter) -> Result {
        Display::fmt(&self.start, f)?;
        for (rel, node) in &self.chain {
            Display::fmt(rel, f)?;
            Display::fmt(node, f)?;
        }
        Ok(())
    }
}

impl Display for NodePattern {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_char('(')?;
        let mut any = false;
        if let Some(v) = &self.variable {
            variable(f, &v.name)?;
            any = true;
        }
        for l in &self.labels {
            f.write_char(':')?;
            label(f, &l.name)?;
            any = true;
        }
        if let Some(entity) = &self.entity {
            if any {
                f.write_char(' ')?;
            }
            string(f, &entity.text)?;
            any = true;
        }
        if let Some(p) = &self.properties {
            if any {
                f.write_char(' ')?;
            }
            properties(f, p)?;
        }
        f.write_char(')')
    }
}

impl Display for RelationshipPattern {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_str(if self.direction == Direction::Left {
            "<-"
        } else {
            "-"
        })?;
        let detail = self.variable.is_some()
            || !self.types.is_empty()
            || self.length.is_some()
            || self.properties.is_some();
        if detail {
            f.write_char('[')?;
            if let Some(v) = &self.variable {
                variable(f, &v.name)?;
            }
            for (k, t) in self.types.iter().enumerate() {
                f.write_char(if k == 0 { ':' } else { '|' })?;
                label(f, &t.name)?;
            }
            if let Some(range) = &self.length {
                Display::fmt(range, f)?;
            }
            if let Some(p) = &self.properties {
                if self.variable.is_some() || !self.types.is_empty() || self.length.is_some() {
                    f.write_char(' ')?;
                }
                properties(f, p)?;
            }
            f.write_char(']')?;
        }
        f.write_str(if self.direction == Direction::Right {
            "->"
        } else {
            "-"
        })
    }
}

impl Display for Range {
    fn fmt(&self, f: &mut Formatter) -> Result {
        f.write_char('*')?;
        match (self.min, self.max) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (Some(a), None) => write!(f, "{a}.."),
            (None, Some(b)) => write!(f, "..{b}"),
            (Some(a), Some(b)) => write!(f, "{a}..{b}"),
        }
    }
}
