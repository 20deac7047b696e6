//! Planning `CALL`: the procedure by name, its arguments (given, or taken
//! from the parameters of the same names in a standalone call), the fields
//! it yields and the variables they bind, and `YIELD ... WHERE`.

use super::*;
use crate::query::procedures::FieldType;

impl Planner<'_> {
    /// Plans a `CALL` clause: pushes its operators and returns the columns
    /// it yields (the output of a standalone call).
    pub(super) fn call(
        &mut self,
        c: &ast::CallClause,
        scope: &mut Scope,
        standalone: bool,
        ops: &mut Vec<Op>,
    ) -> Result<Vec<(String, Slot)>, QueryError> {
        let Some(procedure) = procedures::lookup(&c.name.name, self.procedures) else {
            let all = procedures::names(self.procedures);
            let near = names::nearest(&c.name.name, all.iter().map(String::as_str), 1);
            let mut e = err_code(
                ErrorKind::Semantic,
                "ProcedureNotFound",
                format!("unknown procedure `{}`", c.name.name),
                c.name.span,
            );
            e = e.with_help(match did_you_mean(&near) {
                Some(h) => h,
                None => "`CALL dbms.procedures()` lists the procedures".into(),
            });
            return Err(e);
        };
        let sig = procedure.signature.clone();
        // Arguments.
        let args = match &c.args {
            Some(list) => {
                if list.len() != sig.inputs.len() {
                    return Err(err_code(
                        ErrorKind::Semantic,
                        "InvalidNumberOfArguments",
                        format!(
                            "`{}` takes {} argument(s), got {}",
                            sig.name,
                            sig.inputs.len(),
                            list.len()
                        ),
                        c.span,
                    )
                    .with_help(format!("its signature is `{}`", sig.text())));
                }
                let mut planned = Vec::new();
                for (a, (name, ty)) in list.iter().zip(&sig.inputs) {
                    if walk::contains_aggregate(a) {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "InvalidAggregation",
                            "aggregates are not allowed in the arguments of `CALL`",
                            a.span,
                        )
                        .with_help("aggregate in `WITH`, then pass the variable"));
                    }
                    let mut cx = Cx::new(scope.clone(), "CALL");
                    let e = self.expr(a, &mut cx)?;
                    if let PKind::Const(v) | PKind::Param(v) = &e.kind
                        && !ty.accepts(v)
                    {
                        return Err(wrong_type(&sig.name, name, *ty, v, a.span));
                    }
                    planned.push(e);
                }
                planned
            }
            None if !standalone && !sig.inputs.is_empty() => {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "InvalidArgumentPassingMode",
                    format!(
                        "`{}` inside a query needs its arguments in parentheses",
                        sig.name
                    ),
                    c.span,
                )
                .with_help(format!("write `CALL {}(...)`", sig.text())));
            }
            None => {
                let mut planned = Vec::new();
                for (name, ty) in &sig.inputs {
                    let Some(v) = self.params.get(name) else {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "MissingParameter",
                            format!(
                                "`CALL {}` without arguments reads `${name}`, which is not set",
                                sig.name
                            ),
                            c.span,
                        )
                        .with_help(format!(
                            "set it (`:param {name} ...`) or pass the arguments"
                        )));
                    };
                    if !ty.accepts(v) {
                        return Err(wrong_type(&sig.name, name, *ty, v, c.span));
                    }
                    planned.push(PExpr::new(PKind::Param(v.clone()), c.span));
                }
                planned
            }
        };
        // Outputs.
        if c.yield_star && !standalone {
            return Err(QueryError::syntax(
                "`YIELD *` is only allowed in a standalone `CALL`",
                c.span,
            )
            .with_help("name the fields: `YIELD a, b`"));
        }
        let wanted: Vec<(String, Span, String)> = if c.yields.is_empty() {
            if standalone {
                sig.outputs
                    .iter()
                    .map(|(n, _)| (n.clone(), c.span, n.clone()))
                    .collect()
            } else {
                Vec::new()
            }
        } else {
            c.yields
                .iter()
                .map(|y| {
                    let v = y.variable();
                    (y.field.name.clone(), v.span, v.name.clone())
                })
                .collect()
        };
        let mut outputs = Vec::new();
        let mut cols = Vec::new();
        for (field, span, var) in wanted {
            let Some(k) = sig.outputs.iter().position(|(n, _)| *n == field) else {
                let near = names::nearest(&field, sig.outputs.iter().map(|(n, _)| n.as_str()), 1);
                let mut e = err_code(
                    ErrorKind::Semantic,
                    "UndefinedVariable",
                    format!("`{}` yields no field `{field}`", sig.name),
                    span,
                );
                e = e.with_help(match did_you_mean(&near) {
                    Some(h) => h,
                    None => format!("its signature is `{}`", sig.text()),
                });
                return Err(e);
            };
            if scope.get(&var).is_some() {
                return Err(err_code(
                    ErrorKind::Semantic,
                    "VariableAlreadyBound",
                    format!("variable `{var}` is already bound"),
                    span,
                )
                .with_help(format!(
                    "yield it under another name: `YIELD {field} AS other`"
                )));
            }
            let ty = match sig.outputs[k].1 {
                FieldType::String => Ty::of(types::STR | types::NULL),
                FieldType::Integer => Ty::of(types::INT | types::NULL),
                FieldType::Float => Ty::of(types::FLOAT | types::NULL),
                FieldType::Boolean => Ty::of(types::BOOL | types::NULL),
                _ => Ty::ANY,
            };
            let slot = self.declare(scope, &var, ty);
            outputs.push((k, slot));
            cols.push((var, slot));
        }
        ops.push(Op::Call {
            procedure: Box::new(procedure),
            args,
            outputs,
            pass: !standalone && sig.outputs.is_empty(),
        });
        if let Some(w) = &c.where_ {
            let mut cx = Cx::new(scope.clone(), "WHERE");
            let e = self.expr(w, &mut cx)?;
            ops.push(Op::Filter(e));
        }
        Ok(cols)
    }
}

fn wrong_type(proc: &str, arg: &str, ty: FieldType, v: &Value, span: Span) -> QueryError {
    err_code(
        ErrorKind::Semantic,
        "InvalidArgumentType",
        format!(
            "`{proc}` takes a {} for `{arg}`, got {}",
            ty.name(),
            v.type_name()
        ),
        span,
    )
}
