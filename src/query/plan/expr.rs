//! Planning expressions: variables to slots, names resolved, functions
//! looked up, aggregates collected where they are allowed.

use super::super::dates;
use super::*;

impl Planner<'_> {
    /// Plans an expression; a whole expression (not a part of one) is then
    /// type-checked.
    /// Plans `body` with `variable` bound to a fresh slot for a list element
    /// (comprehensions, quantifiers). Aggregates are refused inside, since
    /// they see rows, not elements; `place` names where for the message.
    /// The scope is restored whatever `body` returns.
    pub(super) fn with_element<T>(
        &mut self,
        variable: &ast::Ident,
        place: &'static str,
        cx: &mut Cx,
        body: impl FnOnce(&mut Self, &mut Cx) -> Result<T, QueryError>,
    ) -> Result<(Slot, T), QueryError> {
        let slot = self.slot();
        let old = cx
            .scope
            .vars
            .insert(variable.name.clone(), Var { slot, ty: Ty::ANY });
        let outer = (cx.aggs.take(), cx.place);
        cx.place = place;
        let result = body(self, cx);
        (cx.aggs, cx.place) = outer;
        restore(&mut cx.scope, &variable.name, old);
        Ok((slot, result?))
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, cx: &mut Cx) -> Result<PExpr, QueryError> {
        self.depth += 1;
        let planned = self.expr_here(e, cx);
        self.depth -= 1;
        let planned = planned?;
        if self.depth == 0 {
            let t = Checker {
                slots: &mut self.tys,
            }
            .check(&planned)?;
            if cx.place == "WHERE" && !t.may_be(types::BOOL) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidArgumentType",
                    format!("`WHERE` expects BOOLEAN, got {}", t.describe()),
                    planned.span,
                ));
            }
        }
        Ok(planned)
    }

    pub(super) fn expr_here(&mut self, e: &ast::Expr, cx: &mut Cx) -> Result<PExpr, QueryError> {
        use ast::ExprKind as K;
        if let Some((_, slot)) = cx.subst.iter().find(|(x, _)| x == e) {
            return Ok(PExpr::new(PKind::Slot(*slot), e.span));
        }
        let span = e.span;
        let boxed = |p: PExpr| Box::new(p);
        let kind = match &e.kind {
            K::Literal(l) => PKind::Const(match l {
                ast::Literal::Null => Value::Null,
                ast::Literal::Bool(b) => Value::Bool(*b),
                ast::Literal::Int(i) => Value::Int(*i),
                ast::Literal::Float(f) => Value::Float(*f),
                ast::Literal::String(s) => Value::Str((s.clone()).into()),
            }),
            K::Parameter(p) => PKind::Param(self.param(p)?),
            K::Variable(v) => match cx.scope.get(&v.name) {
                Some(var) => PKind::Slot(var.slot),
                None => {
                    let names: Vec<String> = cx.scope.sorted_names();
                    let near = names::nearest(&v.name, names.iter().map(String::as_str), 1);
                    let mut err = err_code(
                        ErrorKind::Semantic,
                        "UndefinedVariable",
                        format!("variable `{}` is not defined", v.name),
                        v.span,
                    );
                    if let Some(h) = did_you_mean(&near) {
                        err = err.with_help(h);
                    }
                    return Err(err);
                }
            },
            K::Property(base, key) => {
                let is_entity = match &base.kind {
                    K::Variable(v) => cx.scope.get(&v.name).is_some_and(|var| {
                        var.ty.only(types::NODE | types::REL)
                            && var.ty.may_be(types::NODE | types::REL)
                    }),
                    _ => false,
                };
                let b = self.expr(base, cx)?;
                let k = if is_entity {
                    self.prop_key(key)?
                } else {
                    key.name.clone()
                };
                PKind::Prop(boxed(b), k)
            }
            K::HasLabels(base, labels) => {
                let b = self.expr(base, cx)?;
                let ls = labels
                    .iter()
                    .map(|l| self.label(l))
                    .collect::<Result<Vec<_>, _>>()?;
                PKind::HasLabels(boxed(b), ls)
            }
            K::List(items) => PKind::List(
                items
                    .iter()
                    .map(|x| self.expr(x, cx))
                    .collect::<Result<_, _>>()?,
            ),
            K::Map(items) => PKind::Map(
                items
                    .iter()
                    .map(|(k, x)| Ok((k.name.clone(), self.expr(x, cx)?)))
                    .collect::<Result<_, QueryError>>()?,
            ),
            K::Index(a, b) => PKind::Index(boxed(self.expr(a, cx)?), boxed(self.expr(b, cx)?)),
            K::Slice(a, b, c) => {
                let a = self.expr(a, cx)?;
                let b = b
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                let c = c
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                PKind::Slice(boxed(a), b, c)
            }
            K::Unary(op, x) => {
                let x = self.expr(x, cx)?;
                match op {
                    UnaryOp::Not => PKind::Not(boxed(x)),
                    UnaryOp::Neg => match x.kind {
                        PKind::Const(Value::Int(i)) if i != i64::MIN => {
                            PKind::Const(Value::Int(-i))
                        }
                        PKind::Const(Value::Float(f)) => PKind::Const(Value::Float(-f)),
                        _ => PKind::Neg(boxed(x)),
                    },
                    UnaryOp::Pos => return Ok(x),
                }
            }
            K::Binary(op, a, b) => {
                let (a, b) = (self.expr(a, cx)?, self.expr(b, cx)?);
                if self.curated && dates::is_comparison(*op) {
                    for (d, s) in [(&a, &b), (&b, &a)] {
                        date_with_partial_string(d, s, &self.source(d.span))?;
                    }
                }
                PKind::Binary(*op, boxed(a), boxed(b))
            }
            K::IsNull { expr, negated } => PKind::IsNull(boxed(self.expr(expr, cx)?), *negated),
            K::CountStar => return self.aggregate(AggKind::Count, false, None, None, span, cx),
            K::Function {
                name,
                distinct,
                args,
            } => {
                if let Some(kind) = functions::aggregate(&name.name) {
                    if args.len() != kind.arity() {
                        let want = match kind.arity() {
                            1 => "one argument".to_string(),
                            n => format!("{n} arguments"),
                        };
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "InvalidNumberOfArguments",
                            format!("`{}` takes {want}, got {}", name.name, args.len()),
                            span,
                        ));
                    }
                    return self.aggregate(kind, *distinct, args.first(), args.get(1), span, cx);
                }
                if *distinct {
                    return Err(QueryError::semantic(
                        format!(
                            "`DISTINCT` only applies to aggregates, not to `{}`",
                            name.name
                        ),
                        span,
                    ));
                }
                let Some(f) = functions::lookup(&name.name) else {
                    let near = names::nearest(&name.name, functions::names(), 1);
                    let mut err = err_code(
                        ErrorKind::Semantic,
                        "UnknownFunction",
                        format!("unknown function `{}`", name.name),
                        name.span,
                    );
                    if let Some(h) = did_you_mean(&near) {
                        err = err.with_help(h);
                    }
                    return Err(err);
                };
                if args.len() < f.min_args || args.len() > f.max_args {
                    let want = if f.min_args == f.max_args {
                        format!("{}", f.min_args)
                    } else if f.max_args == usize::MAX {
                        format!("at least {}", f.min_args)
                    } else {
                        format!("{} to {}", f.min_args, f.max_args)
                    };
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "InvalidNumberOfArguments",
                        format!("`{}` takes {want} argument(s), got {}", f.name, args.len()),
                        span,
                    ));
                }
                // `exists(pattern)` is the pattern predicate itself.
                if f.name == "exists" && matches!(args[0].kind, K::Pattern(_)) {
                    return self.expr(&args[0], cx);
                }
                let args = args
                    .iter()
                    .map(|x| self.expr(x, cx))
                    .collect::<Result<_, _>>()?;
                PKind::Call(f, args)
            }
            K::Case {
                operand,
                whens,
                else_,
            } => {
                let operand = operand
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                let whens = whens
                    .iter()
                    .map(|(w, t)| Ok((self.expr(w, cx)?, self.expr(t, cx)?)))
                    .collect::<Result<_, QueryError>>()?;
                let else_ = else_
                    .as_ref()
                    .map(|x| self.expr(x, cx))
                    .transpose()?
                    .map(Box::new);
                PKind::Case {
                    operand,
                    whens,
                    else_,
                }
            }
            K::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                let list = self.expr(list, cx)?;
                let (slot, (pred, proj)) =
                    self.with_element(variable, "a list comprehension", cx, |p, cx| {
                        let pred = predicate
                            .as_ref()
                            .map(|x| p.expr(x, cx))
                            .transpose()?
                            .map(Box::new);
                        let proj = projection
                            .as_ref()
                            .map(|x| p.expr(x, cx))
                            .transpose()?
                            .map(Box::new);
                        Ok((pred, proj))
                    })?;
                PKind::ListComp {
                    slot,
                    list: boxed(list),
                    pred,
                    proj,
                }
            }
            K::Quantified {
                quantifier,
                variable,
                list,
                predicate,
            } => {
                let list = self.expr(list, cx)?;
                let (slot, pred) =
                    self.with_element(variable, "a quantifier", cx, |p, cx| p.expr(predicate, cx))?;
                PKind::Quantified {
                    q: *quantifier,
                    slot,
                    list: boxed(list),
                    pred: boxed(pred),
                }
            }
            K::ExistsSubquery(q) => self.subquery(q, &cx.scope)?,
            K::Pattern(p) => {
                let part = ast::PatternPart {
                    variable: None,
                    element: ast::PatternElement::Path(p.clone()),
                    span: p.span,
                };
                let mut scope = cx.scope.clone();
                let m =
                    self.plan_match(std::slice::from_ref(&part), None, &mut scope, false, false)?;
                PKind::Exists(Box::new(m))
            }
            K::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                let part = ast::PatternPart {
                    variable: variable.clone(),
                    element: ast::PatternElement::Path(pattern.clone()),
                    span: pattern.span,
                };
                let mut scope = cx.scope.clone();
                let m = self.plan_match(
                    std::slice::from_ref(&part),
                    predicate.as_deref(),
                    &mut scope,
                    false,
                    true,
                )?;
                let saved = std::mem::replace(&mut cx.scope, scope);
                let proj = self.expr(projection, cx);
                cx.scope = saved;
                PKind::PatternComp {
                    pattern: Box::new(m),
                    proj: boxed(proj?),
                }
            }
        };
        Ok(PExpr::new(kind, span))
    }

    pub(super) fn aggregate(
        &mut self,
        kind: AggKind,
        distinct: bool,
        arg: Option<&ast::Expr>,
        arg2: Option<&ast::Expr>,
        span: Span,
        cx: &mut Cx,
    ) -> Result<PExpr, QueryError> {
        if cx.in_agg {
            return Err(err_code(
                ErrorKind::Semantic,
                "NestedAggregation",
                "an aggregate cannot contain another aggregate",
                span,
            ));
        }
        if cx.aggs.is_none() {
            // An undefined variable in the argument says more.
            cx.in_agg = true;
            let planned = arg
                .iter()
                .chain(&arg2)
                .try_for_each(|a| self.expr(a, cx).map(drop));
            cx.in_agg = false;
            planned?;
            return Err(err_code(
                ErrorKind::Semantic,
                "InvalidAggregation",
                format!("aggregates are not allowed in {}", cx.place),
                span,
            )
            .with_help("aggregate in `WITH` or `RETURN`, then filter with `WITH ... WHERE`"));
        }
        cx.in_agg = true;
        let planned = (|| {
            let a = arg.map(|a| self.expr(a, cx)).transpose()?;
            let b = arg2.map(|a| self.expr(a, cx)).transpose()?;
            Ok::<_, QueryError>((a, b))
        })();
        cx.in_agg = false;
        let (arg, arg2) = planned?;
        let mut checker = Checker {
            slots: &mut self.tys,
        };
        let arg_ty = match &arg {
            Some(a) => checker.check(a)?,
            None => Ty::ANY,
        };
        if let Some(p) = &arg2 {
            let t = checker.check(p)?;
            if !t.may_be(types::NUM) {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidArgumentType",
                    format!("a percentile is a number, got {}", t.describe()),
                    p.span,
                ));
            }
        }
        if let Some(a) = &arg
            && calls_random(a)
        {
            return Err(err_code(
                ErrorKind::Semantic,
                "NonConstantExpression",
                format!(
                    "cannot aggregate `{}`: its value changes with every call",
                    self.source(a.span)
                ),
                a.span,
            ));
        }
        let slot = self.slot();
        self.tys[slot] = types::aggregate_type(kind, arg_ty);
        cx.aggs.as_mut().expect("checked above").push(AggCall {
            kind,
            distinct,
            arg,
            arg2,
            slot,
        });
        Ok(PExpr::new(PKind::Slot(slot), span))
    }
}

/// Over curated data a date (a date property, `date(...)`) compared with a
/// string literal that is not a full day is an error the planner can
/// already see (`query::dates`).
fn date_with_partial_string(date: &PExpr, text: &PExpr, source: &str) -> Result<(), QueryError> {
    let is_date = match &date.kind {
        PKind::Prop(_, key) => matches!(key.as_str(), "date" | "start" | "end" | "known_until"),
        PKind::Call(f, _) => f.name == "date",
        _ => false,
    };
    match &text.kind {
        PKind::Const(Value::Str(s)) if is_date && dates::full_day(s).is_none() => Err(
            dates::string_error(s, text.span, ErrorKind::Semantic, Some(source)),
        ),
        _ => Ok(()),
    }
}
