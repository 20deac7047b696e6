//! Walks over syntax-tree expressions the planner needs: visiting every
//! sub-expression, the names a subquery reads, conjuncts, aggregates.

use std::collections::HashSet;

use super::super::ast::{self, BinaryOp};
use super::super::functions;

/// Whether an expression calls an aggregate (outside nested scopes'
/// own aggregates, which are not allowed anyway).
pub(super) fn contains_aggregate(e: &ast::Expr) -> bool {
    let mut found = false;
    visit(e, &mut |x| {
        if let ast::ExprKind::CountStar = x.kind {
            found = true;
        }
        if let ast::ExprKind::Function { name, .. } = &x.kind
            && functions::aggregate(&name.name).is_some()
        {
            found = true;
        }
    });
    found
}

/// Every name a subquery mentions (variables, and names in its patterns):
/// those of the outer scope are what it reads.
pub(super) fn query_names(q: &ast::SingleQuery, out: &mut HashSet<String>) {
    pub(super) fn expr(e: &ast::Expr, out: &mut HashSet<String>) {
        visit(e, &mut |x| match &x.kind {
            ast::ExprKind::Variable(v) => {
                out.insert(v.name.clone());
            }
            ast::ExprKind::Pattern(p) | ast::ExprKind::PatternComprehension { pattern: p, .. } => {
                path(p, out)
            }
            ast::ExprKind::ExistsSubquery(q) => query_names(q, out),
            _ => {}
        });
    }
    pub(super) fn path(p: &ast::PathPattern, out: &mut HashSet<String>) {
        let nodes = std::iter::once(&p.start).chain(p.chain.iter().map(|(_, n)| n));
        for n in nodes {
            out.extend(n.variable.iter().map(|v| v.name.clone()));
            n.properties.iter().for_each(|e| expr(e, out));
        }
        for (r, _) in &p.chain {
            out.extend(r.variable.iter().map(|v| v.name.clone()));
            r.properties.iter().for_each(|e| expr(e, out));
        }
    }
    let projection = |p: &ast::Projection, out: &mut HashSet<String>| {
        for i in &p.items {
            expr(&i.expr, out);
        }
        for s in &p.order_by {
            expr(&s.expr, out);
        }
        p.skip.iter().chain(&p.limit).for_each(|e| expr(e, out));
    };
    for c in &q.clauses {
        match c {
            ast::Clause::Match(m) => {
                for part in &m.pattern {
                    match &part.element {
                        ast::PatternElement::Path(p)
                        | ast::PatternElement::Shortest { path: p, .. } => path(p, out),
                    }
                }
                m.where_.iter().for_each(|e| expr(e, out));
            }
            ast::Clause::Unwind(u) => expr(&u.expr, out),
            ast::Clause::With(w) => {
                projection(&w.projection, out);
                w.where_.iter().for_each(|e| expr(e, out));
            }
            ast::Clause::Return(r) => projection(&r.projection, out),
            ast::Clause::Call(c) => {
                c.args.iter().flatten().for_each(|e| expr(e, out));
                c.where_.iter().for_each(|e| expr(e, out));
            }
        }
    }
}

/// A variable or a property of one (`me`, `me.age`).
pub(super) fn is_simple(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Variable(_) => true,
        ast::ExprKind::Property(x, _) => is_simple(x),
        _ => false,
    }
}

/// Pre-order walk over an expression and its sub-expressions.
pub(super) fn visit(e: &ast::Expr, f: &mut dyn FnMut(&ast::Expr)) {
    use ast::ExprKind::*;
    f(e);
    match &e.kind {
        Literal(_) | Parameter(_) | Variable(_) | CountStar | Pattern(_) | ExistsSubquery(_) => {}
        Property(x, _) | HasLabels(x, _) | Unary(_, x) | IsNull { expr: x, .. } => visit(x, f),
        List(items) => items.iter().for_each(|x| visit(x, f)),
        Function { args, .. } => args.iter().for_each(|x| visit(x, f)),
        Map(items) => items.iter().for_each(|(_, x)| visit(x, f)),
        Index(a, b) | Binary(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        Slice(a, b, c) => {
            visit(a, f);
            b.iter().chain(c).for_each(|x| visit(x, f));
        }
        Case {
            operand,
            whens,
            else_,
        } => {
            operand.iter().chain(else_).for_each(|x| visit(x, f));
            for (w, t) in whens {
                visit(w, f);
                visit(t, f);
            }
        }
        ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            visit(list, f);
            predicate.iter().chain(projection).for_each(|x| visit(x, f));
        }
        Quantified {
            list, predicate, ..
        } => {
            visit(list, f);
            visit(predicate, f);
        }
        PatternComprehension {
            predicate,
            projection,
            ..
        } => {
            predicate.iter().for_each(|x| visit(x, f));
            visit(projection, f);
        }
    }
}

/// Splits `a AND b AND c` into its conjuncts.
pub(super) fn conjuncts(e: &ast::Expr, out: &mut Vec<ast::Expr>) {
    match &e.kind {
        ast::ExprKind::Binary(BinaryOp::And, a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        _ => out.push(e.clone()),
    }
}
