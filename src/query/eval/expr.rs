//! Expression evaluation over a row.
//!
//! Comprehension and quantifier variables live in slots of the row like any
//! other variable, so evaluation takes the row mutably; nothing outside
//! those slots is changed.

use std::borrow::Cow;

use super::super::ast::{BinaryOp, Quantifier, Span};
use super::super::dates;
use super::super::error::{ErrorKind, QueryError};
use super::super::ir::{PExpr, PKind};
use super::super::limits;
use super::Exec;
use super::matcher::Sink;
use super::ops::{self, type_error};
use crate::model::{PartialDate, Value};

impl Exec<'_> {
    pub(crate) fn eval(&mut self, e: &PExpr, row: &mut [Value]) -> Result<Value, QueryError> {
        Ok(match &e.kind {
            PKind::Const(v) | PKind::Param(v) => v.clone(),
            PKind::Slot(s) => row[*s].clone(),
            PKind::Prop(base, key) => {
                if let PKind::Slot(s) = base.kind {
                    return self.property(&row[s], key, e.span);
                }
                let b = self.eval(base, row)?;
                return self.property(&b, key, e.span);
            }
            PKind::HasLabels(base, labels) => match self.eval(base, row)? {
                Value::Null => Value::Null,
                Value::Node(ix) => {
                    let have = &self.graph.node(ix).labels;
                    Value::Bool(labels.iter().all(|l| have.contains(l)))
                }
                v => {
                    return Err(type_error(
                        format!("labels can only be tested on a node, not {}", v.type_name()),
                        e.span,
                    ));
                }
            },
            PKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    out.push(self.eval(x, row)?);
                }
                Value::List(out)
            }
            PKind::Map(items) => {
                let mut out = std::collections::BTreeMap::new();
                for (k, x) in items {
                    let v = self.eval(x, row)?;
                    out.insert(k.clone(), v);
                }
                Value::Map(out)
            }
            PKind::Index(base, idx) => {
                let b = self.eval(base, row)?;
                let i = self.eval(idx, row)?;
                match (&b, &i) {
                    (Value::Node(_) | Value::Rel(_), Value::Str(k)) => {
                        return self.property(&b, k, e.span);
                    }
                    _ => ops::index(&b, &i, e.span)?,
                }
            }
            PKind::Slice(base, from, to) => {
                let b = self.eval(base, row)?;
                let f = from.as_ref().map(|x| self.eval(x, row)).transpose()?;
                let t = to.as_ref().map(|x| self.eval(x, row)).transpose()?;
                ops::slice(&b, f.as_ref(), t.as_ref(), e.span)?
            }
            PKind::Not(x) => match self.eval(x, row)? {
                Value::Bool(b) => Value::Bool(!b),
                Value::Null => Value::Null,
                v => {
                    return Err(type_error(
                        format!("`NOT` expects a boolean, got {}", v.type_name()),
                        e.span,
                    ));
                }
            },
            PKind::Neg(x) => match self.eval(x, row)? {
                Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(|| {
                    QueryError::new(super::ErrorKind::Runtime, "integer overflow", Some(e.span))
                        .with_code("IntegerOverflow")
                })?),
                Value::Float(f) => Value::Float(-f),
                Value::Null => Value::Null,
                v => {
                    return Err(type_error(
                        format!("cannot negate {}", v.type_name()),
                        e.span,
                    ));
                }
            },
            PKind::Binary(op, a, b) => return self.binary(*op, a, b, e.span, row),
            PKind::IsNull(x, negated) => Value::Bool(self.eval(x, row)?.is_null() != *negated),
            PKind::Call(f, args) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a, row)?);
                }
                let v = (f.call)(self.graph, &vals).map_err(|mut err| {
                    err.span = err.span.or(Some(e.span));
                    err
                })?;
                // Functions that can build much check before they build
                // (`range`, `replace`); the rest are checked here.
                if matches!(v, Value::List(_) | Value::Str(_) | Value::Map(_)) {
                    limits::reserve(limits::value_bytes(&v))?;
                }
                return Ok(v);
            }
            PKind::Case {
                operand,
                whens,
                else_,
            } => {
                let subject = operand.as_ref().map(|o| self.eval(o, row)).transpose()?;
                for (w, t) in whens {
                    let v = self.eval(w, row)?;
                    let hit = match &subject {
                        Some(s) => ops::equals(s, &v) == Some(true),
                        None => v == Value::Bool(true),
                    };
                    if hit {
                        return self.eval(t, row);
                    }
                }
                match else_ {
                    Some(x) => return self.eval(x, row),
                    None => Value::Null,
                }
            }
            PKind::ListComp {
                slot,
                list,
                pred,
                proj,
            } => {
                let items = match self.eval(list, row)? {
                    Value::Null => return Ok(Value::Null),
                    Value::List(items) => items,
                    v => {
                        return Err(type_error(
                            format!("`IN` expects a list, got {}", v.type_name()),
                            list.span,
                        ));
                    }
                };
                let mut out = Vec::new();
                let mut bytes = 0;
                for item in items {
                    self.tick()?;
                    row[*slot] = item;
                    if let Some(p) = pred
                        && !self.test(p, row)?
                    {
                        continue;
                    }
                    let v = match proj {
                        Some(p) => self.eval(p, row)?,
                        None => row[*slot].clone(),
                    };
                    bytes += limits::value_bytes(&v);
                    limits::reserve(bytes).map_err(|err| err.at(e.span))?;
                    out.push(v);
                }
                Value::List(out)
            }
            PKind::Quantified {
                q,
                slot,
                list,
                pred,
            } => {
                let items = match self.eval(list, row)? {
                    Value::Null => return Ok(Value::Null),
                    Value::List(items) => items,
                    v => {
                        return Err(type_error(
                            format!("`IN` expects a list, got {}", v.type_name()),
                            list.span,
                        ));
                    }
                };
                let (mut trues, mut nulls, mut falses) = (0usize, 0usize, 0usize);
                for item in items {
                    self.tick()?;
                    row[*slot] = item;
                    match self.eval(pred, row)? {
                        Value::Bool(true) => trues += 1,
                        Value::Bool(false) => falses += 1,
                        Value::Null => nulls += 1,
                        v => {
                            return Err(type_error(
                                format!("a predicate must be a boolean, got {}", v.type_name()),
                                pred.span,
                            ));
                        }
                    }
                    // Stop early once the answer is known.
                    let settled = match q {
                        Quantifier::All => falses > 0,
                        Quantifier::Any => trues > 0,
                        Quantifier::None => trues > 0,
                        Quantifier::Single => trues > 1,
                    };
                    if settled {
                        break;
                    }
                }
                let unknown = nulls > 0;
                match q {
                    Quantifier::All if falses > 0 => Value::Bool(false),
                    Quantifier::Any if trues > 0 => Value::Bool(true),
                    Quantifier::None if trues > 0 => Value::Bool(false),
                    Quantifier::Single if trues > 1 => Value::Bool(false),
                    _ if unknown => Value::Null,
                    Quantifier::All | Quantifier::None => Value::Bool(true),
                    Quantifier::Any => Value::Bool(false),
                    Quantifier::Single => Value::Bool(trues == 1),
                }
            }
            PKind::Exists(m) => {
                let mut sink = Sink::Exists(false);
                self.match_from(m, row, &mut sink)?;
                matches!(sink, Sink::Exists(true)).into()
            }
            PKind::Subquery { plan, .. } => {
                let mut sub = super::Exec::new(self.graph, self.opts, plan);
                sub.work = self.work;
                sub.prof = None;
                let mut start = row.to_vec();
                let ran = sub.push(0, &mut start).and_then(|_| sub.finish(0));
                self.work = sub.work;
                ran?;
                Value::Bool(!sub.out.is_empty())
            }
            PKind::PatternComp { pattern, proj } => {
                let mut sink = Sink::Collect {
                    proj,
                    out: Vec::new(),
                };
                self.match_from(pattern, row, &mut sink)?;
                match sink {
                    Sink::Collect { out, .. } => Value::List(out),
                    _ => unreachable!("the sink keeps its kind"),
                }
            }
        })
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        a: &PExpr,
        b: &PExpr,
        span: Span,
        row: &mut [Value],
    ) -> Result<Value, QueryError> {
        let logic = |v: Value, side: &PExpr| -> Result<Option<bool>, QueryError> {
            match v {
                Value::Bool(x) => Ok(Some(x)),
                Value::Null => Ok(None),
                v => Err(type_error(
                    format!("a logical operator expects booleans, got {}", v.type_name()),
                    side.span,
                )),
            }
        };
        match op {
            BinaryOp::And => {
                let x = logic(self.eval(a, row)?, a)?;
                if x == Some(false) {
                    return Ok(Value::Bool(false));
                }
                let y = logic(self.eval(b, row)?, b)?;
                Ok(match (x, y) {
                    (_, Some(false)) => Value::Bool(false),
                    (Some(true), Some(true)) => Value::Bool(true),
                    _ => Value::Null,
                })
            }
            BinaryOp::Or => {
                let x = logic(self.eval(a, row)?, a)?;
                if x == Some(true) {
                    return Ok(Value::Bool(true));
                }
                let y = logic(self.eval(b, row)?, b)?;
                Ok(match (x, y) {
                    (_, Some(true)) => Value::Bool(true),
                    (Some(false), Some(false)) => Value::Bool(false),
                    _ => Value::Null,
                })
            }
            BinaryOp::Xor => {
                let x = logic(self.eval(a, row)?, a)?;
                let y = logic(self.eval(b, row)?, b)?;
                Ok(match (x, y) {
                    (Some(p), Some(q)) => Value::Bool(p != q),
                    _ => Value::Null,
                })
            }
            _ => {
                if let Some(v) = self.compare_in_place(op, a, b, row) {
                    return Ok(v);
                }
                let x = self.eval(a, row)?;
                let y = self.eval(b, row)?;
                match op {
                    BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge => self.compare(op, &x, &y, span),
                    BinaryOp::In => ops::in_list(&x, &y, span),
                    BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains => {
                        Ok(ops::string_op(op, &x, &y))
                    }
                    BinaryOp::RegexMatch => match (&x, &y) {
                        (Value::Str(s), Value::Str(p)) => {
                            let re = self.regex(p, b.span)?;
                            Ok(Value::Bool(re.is_match(s)))
                        }
                        _ => Ok(Value::Null),
                    },
                    _ => {
                        // A concatenation builds a value as large as both,
                        // while both are still alive.
                        if op == BinaryOp::Add
                            && (matches!(x, Value::List(_) | Value::Str(_))
                                || matches!(y, Value::List(_) | Value::Str(_)))
                        {
                            let both = limits::value_bytes(&x) + limits::value_bytes(&y);
                            limits::reserve(2 * both).map_err(|e| e.at(span))?;
                        }
                        ops::arithmetic(op, x, y, span)
                    }
                }
            }
        }
    }

    /// A comparison operator. Dates compare as intervals (`query::dates`),
    /// and an unknown answer is remembered for the note on coarse dates;
    /// over curated data a string compared with a date must name a full day.
    fn compare(
        &mut self,
        op: BinaryOp,
        x: &Value,
        y: &Value,
        span: Span,
    ) -> Result<Value, QueryError> {
        match date_sides(x, y, self.curated) {
            None => Ok(ops::comparison(op, x, y)),
            Some(Err(s)) => Err(dates::string_error(s, span, ErrorKind::Runtime, None)),
            Some(Ok((a, b))) => Ok(self.compare_dates(op, &a, &b)),
        }
    }

    fn compare_dates(&mut self, op: BinaryOp, a: &PartialDate, b: &PartialDate) -> Value {
        let answer = dates::compare(op, a, b);
        if answer.is_none() {
            self.coarse = true;
        }
        answer.map_or(Value::Null, Value::Bool)
    }

    /// A comparison or string predicate whose sides can both be read where
    /// they are, computed without copying them (a filter over every node's
    /// name copies no name); `None` when a side must be evaluated.
    fn compare_in_place(
        &mut self,
        op: BinaryOp,
        a: &PExpr,
        b: &PExpr,
        row: &[Value],
    ) -> Option<Value> {
        let string_pred = matches!(
            op,
            BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains
        );
        if string_pred && let (Some(x), Some(y)) = (self.peek_str(a, row), self.peek_str(b, row)) {
            return Some(Value::Bool(ops::str_pred(op, x, y)));
        }
        let comparison = matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        );
        if !(string_pred || comparison) {
            return None;
        }
        let (x, y) = (self.peek(a, row)?, self.peek(b, row)?);
        let (x, y) = (x.as_ref(), y.as_ref());
        if comparison {
            // Dates have rules of their own; a string that is not a full
            // day is left to `compare`, which says so.
            match date_sides(x, y, self.curated) {
                None => {}
                Some(Err(_)) => return None,
                Some(Ok((a, b))) => return Some(self.compare_dates(op, &a, &b)),
            }
        }
        Some(if string_pred {
            ops::string_op(op, x, y)
        } else {
            ops::comparison(op, x, y)
        })
    }

    /// The value of a constant, a variable or a stored property of a node
    /// or relation, where it already is; `None` for anything to compute.
    /// A relation's property is read in place from a graph opened from its
    /// snapshot (lent from the snapshot's shared values, or decoded alone).
    fn peek<'s>(&'s self, e: &'s PExpr, row: &'s [Value]) -> Option<Cow<'s, Value>> {
        const NULL: Value = Value::Null;
        match &e.kind {
            PKind::Const(v) | PKind::Param(v) => Some(Cow::Borrowed(v)),
            PKind::Slot(s) => row.get(*s).map(Cow::Borrowed),
            PKind::Prop(base, key) => {
                let PKind::Slot(s) = base.kind else {
                    return None;
                };
                match row.get(s)? {
                    Value::Null => Some(Cow::Borrowed(&NULL)),
                    Value::Node(ix) => self.graph.node(*ix).props.get(key).map(Cow::Borrowed),
                    Value::Rel(ix) => self.graph.rel_prop(*ix, key),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A string constant, or a node's `name` read from `Adjacency`'s name
    /// buffer; `None` for anything else (then `peek` or `eval` decide).
    fn peek_str<'s>(&'s self, e: &'s PExpr, row: &'s [Value]) -> Option<&'s str> {
        match &e.kind {
            PKind::Const(Value::Str(s)) | PKind::Param(Value::Str(s)) => Some(s),
            PKind::Prop(base, key) if key == "name" => match (&base.kind, row) {
                (PKind::Slot(s), row) => match row.get(*s)? {
                    Value::Node(ix) => self.graph.adjacency().name(*ix),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// `v.key` for a node, relation, map or date. Over curated data a node
    /// also has `id` and `kind`, and a relation `type`, when no stored
    /// property of that name exists.
    pub(crate) fn property(&self, v: &Value, key: &str, span: Span) -> Result<Value, QueryError> {
        Ok(match v {
            Value::Null => Value::Null,
            Value::Node(ix) => {
                // The loader reserves `id` (no stored property has it):
                // answer without searching the properties (or reading the
                // node, for a graph read in place).
                if self.curated && key == "id" {
                    return Ok(self.graph.id_value(*ix));
                }
                let n = self.graph.node(*ix);
                match n.props.get(key) {
                    Some(v) => v.clone(),
                    None if self.curated => match key {
                        "id" => self.graph.id_value(*ix),
                        "kind" => n.kind().map_or(Value::Null, Value::from),
                        _ => Value::Null,
                    },
                    None => Value::Null,
                }
            }
            // Read in place: a graph opened from its snapshot decodes no
            // relation to answer one of its properties.
            Value::Rel(ix) => match self.graph.rel_prop(*ix, key) {
                Some(v) => v.into_owned(),
                None if self.curated && key == "type" => Value::from(self.graph.rel_type(*ix)),
                None => Value::Null,
            },
            Value::Map(m) => m.get(key).cloned().unwrap_or(Value::Null),
            Value::Date(_) | Value::Temporal(_) => match super::temporal::component(v, key) {
                Some(x) => x,
                None => {
                    return Err(type_error(
                        format!("{} has no component `{key}`", v.type_name()),
                        span,
                    )
                    .with_help(
                        "dates have `year`, `month`, `day`, `week`, `dayOfWeek`...; times `hour`, `minute`, `second`, `timezone`...; durations `years`, `months`, `days`, `seconds`...",
                    ));
                }
            },
            v => {
                return Err(type_error(
                    format!("cannot read property `{key}` of {}", v.type_name()),
                    span,
                ));
            }
        })
    }
}

/// The two dates a comparison compares, when one side is a date: the other
/// a date too, or over curated data a string naming a full day (`Err` with
/// the string when it names less). `None` otherwise: openCypher's rules.
fn date_sides<'v>(
    x: &'v Value,
    y: &'v Value,
    curated: bool,
) -> Option<Result<(PartialDate, PartialDate), &'v str>> {
    let read = |s: &'v str| dates::full_day(s).ok_or(s);
    Some(match (x, y) {
        (Value::Date(a), Value::Date(b)) => Ok((*a, *b)),
        (Value::Date(a), Value::Str(s)) if curated => read(s).map(|b| (*a, b)),
        (Value::Str(s), Value::Date(b)) if curated => read(s).map(|a| (a, *b)),
        _ => return None,
    })
}
