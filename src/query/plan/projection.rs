//! Planning `WITH` and `RETURN`: projection items, grouping and
//! aggregation, `DISTINCT`, `ORDER BY`, and the constant `SKIP`/`LIMIT`.

use super::*;

impl Planner<'_> {
    /// Plans `WITH` or `RETURN`: pushes its operators and returns the new
    /// scope and the output columns.
    pub(super) fn projection(
        &mut self,
        p: &ast::Projection,
        scope: &Scope,
        is_return: bool,
        where_: Option<&ast::Expr>,
        ops: &mut Vec<Op>,
    ) -> Result<(Scope, Vec<(String, Slot)>), QueryError> {
        let clause = if is_return { "RETURN" } else { "WITH" };
        // The items, with their column names.
        let mut items: Vec<(String, ast::Expr, Span)> = Vec::new();
        if p.star {
            let names = scope.sorted_names();
            if names.is_empty() && p.items.is_empty() {
                let span = p.items.first().map(|i| i.span).unwrap_or_default();
                return Err(err_code(
                    ErrorKind::Semantic,
                    "NoVariablesInScope",
                    format!("`{clause} *` has no variables to return"),
                    span,
                ));
            }
            for name in names {
                let e = ast::Expr {
                    kind: ast::ExprKind::Variable(ast::Ident {
                        name: name.clone(),
                        span: Span::default(),
                    }),
                    span: Span::default(),
                };
                items.push((name, e, Span::default()));
            }
        }
        // Reported after the checks of aggregation, which say more.
        let mut alias_error = None;
        for item in &p.items {
            let name = match &item.alias {
                Some(a) => a.name.clone(),
                None => {
                    if !is_return
                        && !matches!(item.expr.kind, ast::ExprKind::Variable(_))
                        && alias_error.is_none()
                    {
                        alias_error = Some(
                            err_code(
                                ErrorKind::Semantic,
                                "NoExpressionAlias",
                                format!("`WITH {}` needs an alias", self.source(item.expr.span)),
                                item.span,
                            )
                            .with_help("name it: `WITH <expression> AS name`"),
                        );
                    }
                    match &item.expr.kind {
                        ast::ExprKind::Variable(v) => v.name.clone(),
                        _ => self.source(item.span),
                    }
                }
            };
            if items.iter().any(|(n, _, _)| *n == name) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "ColumnNameConflict",
                    format!("`{clause}` has two columns named `{name}`"),
                    item.span,
                )
                .with_help("give one of them another name with `AS`"));
            }
            items.push((name, item.expr.clone(), item.span));
        }

        let aggregating = items.iter().any(|(_, e, _)| contains_aggregate(e));
        if aggregating {
            let keys: Vec<&ast::Expr> = items
                .iter()
                .filter(|(_, e, _)| !contains_aggregate(e))
                .map(|(_, e, _)| e)
                .collect();
            for (_, e, span) in items.iter().filter(|(_, e, _)| contains_aggregate(e)) {
                self.check_ambiguous(e, &keys, *span, false)?;
            }
            for s in p.order_by.iter().filter(|s| contains_aggregate(&s.expr)) {
                self.check_ambiguous(&s.expr, &keys, s.expr.span, true)?;
            }
        }
        if let Some(e) = alias_error {
            return Err(e);
        }
        let mut out: Vec<(String, Slot)> = Vec::new();
        let mut new_scope = Scope::default();
        let mut subst: Vec<(ast::Expr, Slot)> = Vec::new();
        if !aggregating {
            let mut cx = Cx::new(scope.clone(), clause);
            let mut planned = Vec::new();
            for (name, e, _) in &items {
                let pe = self.expr(e, &mut cx)?;
                let ty = self.type_of(&pe);
                let slot = self.declare(&mut new_scope, name, ty);
                planned.push((pe, slot));
                out.push((name.clone(), slot));
                subst.push((e.clone(), slot));
            }
            ops.push(Op::Project(planned));
        } else {
            let mut keys = Vec::new();
            let mut post = Vec::new();
            let mut cx = Cx::new(scope.clone(), clause);
            cx.aggs = Some(Vec::new());
            for (name, e, _) in &items {
                let aggregate = contains_aggregate(e);
                let pe = self.expr(e, &mut cx)?;
                let ty = self.type_of(&pe);
                let slot = self.declare(&mut new_scope, name, ty);
                if aggregate {
                    post.push((pe, slot));
                } else {
                    keys.push((pe, slot));
                }
                out.push((name.clone(), slot));
                subst.push((e.clone(), slot));
            }
            let aggs = cx.aggs.take().unwrap_or_default();
            ops.push(Op::Aggregate(AggregatePlan {
                keys,
                aggs,
                post,
                per_row: false,
            }));
        }
        // `WITH ... WHERE` sees the projected names and, when the WITH does
        // not aggregate, the variables bound before it too (`WITH a.name AS
        // name WHERE a.age > 30`).
        let mut filter = None;
        if let Some(w) = where_ {
            let where_scope = if aggregating {
                new_scope.clone()
            } else {
                let mut s = scope.clone();
                s.vars
                    .extend(new_scope.vars.iter().map(|(k, v)| (k.clone(), *v)));
                s
            };
            let mut cx = Cx::new(where_scope, "WHERE");
            filter = Some(self.expr(w, &mut cx)?);
        }
        // After `DISTINCT`, a row stands for all the rows it was made from:
        // a filter on variables that were not projected runs before it.
        let reads_old = filter.as_ref().is_some_and(|f| {
            let mut deps = Vec::new();
            f.slots(&mut deps);
            let new: HashSet<Slot> = out.iter().map(|(_, s)| *s).collect();
            deps.iter().any(|d| !new.contains(d))
        });
        let paged = !p.order_by.is_empty() || p.skip.is_some() || p.limit.is_some();
        if p.distinct && reads_old && !paged {
            ops.extend(filter.take().map(Op::Filter));
        }
        if p.distinct {
            ops.push(Op::Distinct(out.iter().map(|(_, s)| *s).collect()));
        }
        if !p.order_by.is_empty() {
            // After aggregation or DISTINCT only the projected items are
            // visible; otherwise the items shadow the earlier variables.
            let sort_scope = if aggregating || p.distinct {
                new_scope.clone()
            } else {
                let mut s = scope.clone();
                s.vars
                    .extend(new_scope.vars.iter().map(|(k, v)| (k.clone(), *v)));
                s
            };
            let mut cx = Cx::new(sort_scope, "ORDER BY");
            cx.subst = subst;
            let mut keys = Vec::new();
            for s in &p.order_by {
                keys.push((self.expr(&s.expr, &mut cx)?, s.descending));
            }
            ops.push(Op::Sort(keys));
        }
        if let Some(e) = &p.skip {
            ops.push(Op::Skip(self.constant_count(e, "SKIP")?));
        }
        if let Some(e) = &p.limit {
            ops.push(Op::Limit(self.constant_count(e, "LIMIT")?));
        }
        ops.extend(filter.map(Op::Filter));
        Ok((new_scope, out))
    }

    /// In an item that mixes aggregates and other expressions, everything
    /// outside the aggregates must be a grouping key that is a variable or a
    /// property of one (`me.age + count(*)` next to `me.age`); a more complex
    /// key (`me.age + you.age`) cannot be reused next to an aggregate. In
    /// `ORDER BY` (`order_by`), other variables are the projection's names,
    /// left to scoping.
    pub(super) fn check_ambiguous(
        &self,
        e: &ast::Expr,
        keys: &[&ast::Expr],
        span: Span,
        order_by: bool,
    ) -> Result<(), QueryError> {
        use ast::ExprKind::*;
        let ambiguous = |what: &str, at: Span| {
            err_code(
                ErrorKind::Semantic,
                "AmbiguousAggregationExpression",
                format!(
                    "`{}` mixes an aggregate with `{what}`, which is not a grouping key",
                    self.source(span),
                ),
                at,
            )
        };
        if keys.contains(&e) {
            if is_simple(e) {
                return Ok(());
            }
            let text = self.source(e.span);
            return Err(ambiguous(&text, e.span).with_help(format!(
                "only variables and their properties can be used next to an aggregate: project `{text}` under a name with `WITH`, then use the name"
            )));
        }
        let walk = |x: &ast::Expr| self.check_ambiguous(x, keys, span, order_by);
        match &e.kind {
            CountStar => Ok(()),
            Function { name, .. } if functions::aggregate(&name.name).is_some() => Ok(()),
            Variable(_) if order_by => Ok(()),
            Variable(v) => Err(ambiguous(&v.name, v.span).with_help(format!(
                "return `{}` as a column of its own to group by it",
                v.name
            ))),
            Property(x, _) | HasLabels(x, _) | Unary(_, x) | IsNull { expr: x, .. } => walk(x),
            List(items) | Function { args: items, .. } => items.iter().try_for_each(walk),
            Map(items) => items.iter().try_for_each(|(_, x)| walk(x)),
            Index(a, b) | Binary(_, a, b) => {
                walk(a)?;
                walk(b)
            }
            Slice(a, b, c) => {
                walk(a)?;
                b.iter().chain(c).try_for_each(|x| walk(x))
            }
            Case {
                operand,
                whens,
                else_,
            } => {
                for x in operand.iter().chain(else_) {
                    walk(x)?;
                }
                for (w, t) in whens {
                    walk(w)?;
                    walk(t)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `SKIP` and `LIMIT` take a constant non-negative integer.
    pub(super) fn constant_count(
        &mut self,
        e: &ast::Expr,
        clause: &'static str,
    ) -> Result<usize, QueryError> {
        let mut has_var = false;
        visit(e, &mut |x| {
            if matches!(
                x.kind,
                ast::ExprKind::Variable(_) | ast::ExprKind::Pattern(_)
            ) {
                has_var = true;
            }
        });
        if has_var {
            return Err(err_code(
                ErrorKind::Semantic,
                "NonConstantExpression",
                format!("`{clause}` takes a constant, not `{}`", self.source(e.span)),
                e.span,
            ));
        }
        let mut cx = Cx::new(Scope::default(), clause);
        let pe = self.expr(e, &mut cx)?;
        let v = (self.consts)(self.graph, &pe, self.nslots)?;
        match v {
            Value::Int(i) if i >= 0 => Ok(i as usize),
            Value::Int(i) => Err(err_code(
                ErrorKind::Semantic,
                "NegativeIntegerArgument",
                format!("`{clause}` takes a non-negative integer, got {i}"),
                e.span,
            )),
            v => Err(err_code(
                ErrorKind::Semantic,
                "InvalidArgumentType",
                format!(
                    "`{clause}` takes a non-negative integer, got {}",
                    v.type_name()
                ),
                e.span,
            )),
        }
    }
}
