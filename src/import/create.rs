//! `CREATE`: the nodes and relations a pattern makes, for every row, with
//! their properties and ids.

use super::errors::{Res, Shift, clamp};
use super::importer::Importer;
use super::rows::{ROWS_PARAM, Rows, Vars};
use crate::model::{Node, Path, Props, Rel, Value};
use crate::query::ast::{
    self, Direction, Expr, NodePattern, PatternElement, PatternPart, Span, Statement,
};
use crate::query::lexer::{self, TokenKind};
use crate::query::params::literal_value;
use crate::query::{self, QueryError};
use petgraph::graph::NodeIndex;
use std::collections::BTreeMap;

impl<'g, 't> Importer<'g, 't> {
    /// Runs one `CREATE` clause for every row.
    pub(super) fn create(&mut self, span: Span, rows: &mut Rows) -> Res<()> {
        // `CREATE` and `MATCH ` have the same length: the pattern stays where
        // it is.
        let mut text = self.blanked(span);
        text.replace_range(span.start..span.start + 6, "MATCH ");
        text.push_str(" RETURN 1");
        let parsed = query::parser::parse_statement(&text).map_err(|e| {
            let mut e = clamp(e, span);
            e.message = e.message.replace("`MATCH`", "`CREATE`");
            e
        })?;
        let m = match &parsed {
            Statement::Query(q) => match q.first.clauses.first() {
                Some(ast::Clause::Match(m)) => m,
                _ => {
                    return Err(
                        QueryError::syntax("expected a pattern after `CREATE`", span).into(),
                    );
                }
            },
            _ => return Err(QueryError::syntax("expected a pattern after `CREATE`", span).into()),
        };
        if let Some(w) = &m.where_ {
            let at = self.text[..w.span.start]
                .rfind(|c: char| !c.is_whitespace())
                .map_or(w.span.start, |i| {
                    self.text[..=i]
                        .rfind(char::is_whitespace)
                        .map_or(0, |j| j + 1)
                });
            return Err(QueryError::syntax(
                "`WHERE` cannot follow `CREATE`",
                Span::new(at, w.span.end),
            )
            .with_help("filter in a `MATCH ... WHERE` before the `CREATE`")
            .into());
        }
        let pattern = m.pattern.clone();
        check_pattern(&pattern)?;
        // Property values: literals directly, anything else by the evaluator,
        // once for all rows.
        let mut exprs: Vec<&Expr> = Vec::new();
        for part in &pattern {
            let p = match &part.element {
                PatternElement::Path(p) | PatternElement::Shortest { path: p, .. } => p,
            };
            exprs.extend(p.start.properties.as_deref());
            for (r, n) in &p.chain {
                exprs.extend(r.properties.as_deref());
                exprs.extend(n.properties.as_deref());
            }
        }
        // Expressions that read a variable this clause creates wait for it,
        // row by row; the others are computed for all rows at once.
        let new_names = introduced(&pattern, &rows.vars);
        let mut values: Vec<Vec<Pending>> = vec![Vec::with_capacity(exprs.len()); rows.rows.len()];
        let mut computed = Vec::new();
        for (i, e) in exprs.iter().enumerate() {
            let v = match literal_value(e) {
                Some(v) => Pending::Ready(v),
                None if reads_any(&self.text[e.span.range()], &new_names) => Pending::Late(e.span),
                None => {
                    computed.push(i);
                    Pending::Ready(Value::Null)
                }
            };
            values.iter_mut().for_each(|r| r.push(v.clone()));
        }
        if !computed.is_empty() && !rows.rows.is_empty() {
            self.compute(&exprs, &computed, rows, &mut values)?;
        }
        for (row, vals) in rows.rows.iter_mut().zip(values) {
            let mut vals = vals.into_iter();
            let vars = &mut rows.vars;
            for part in &pattern {
                self.create_part(part, vars, row, &mut vals)?;
            }
        }
        let width = rows.vars.len();
        rows.rows
            .iter_mut()
            .for_each(|r| r.resize(width, Value::Null));
        Ok(())
    }

    /// Evaluates the non-literal property maps `which` of `exprs` for every
    /// row, in one query.
    pub(super) fn compute(
        &self,
        exprs: &[&Expr],
        which: &[usize],
        rows: &Rows,
        values: &mut [Vec<Pending>],
    ) -> Res<()> {
        let (mut q, param) = rows.prelude();
        q.push_str("RETURN ");
        let mut shifts = Vec::new();
        for (k, &i) in which.iter().enumerate() {
            if k > 0 {
                q.push_str(", ");
            }
            let span = exprs[i].span;
            shifts.push(Shift {
                from: q.len(),
                len: span.end - span.start,
                to: span.start,
                whole: span,
            });
            q.push_str(&self.text[span.range()]);
            q.push_str(&format!(" AS `__eje_{k}`"));
        }
        let mut opts = self.opts.clone();
        opts.params.insert(ROWS_PARAM.to_string(), param);
        let locate = |e: QueryError| {
            let at = e.span.map_or(0, |s| s.start);
            let shift = shifts
                .iter()
                .rev()
                .find(|s| s.from <= at)
                .unwrap_or(&shifts[0]);
            shift.apply(e)
        };
        let stmt = query::parser::parse_statement(&q).map_err(locate)?;
        let rs = query::execute(self.graph, &q, &stmt, &opts).map_err(locate)?;
        for (row, out) in rs.rows.into_iter().zip(values.iter_mut()) {
            for (v, &i) in row.into_iter().zip(which) {
                out[i] = Pending::Ready(v);
            }
        }
        Ok(())
    }

    pub(super) fn create_part(
        &mut self,
        part: &PatternPart,
        vars: &mut Vars,
        row: &mut Vec<Value>,
        vals: &mut impl Iterator<Item = Pending>,
    ) -> Res<()> {
        let (PatternElement::Path(p) | PatternElement::Shortest { path: p, .. }) = &part.element;
        let mut nodes = Vec::with_capacity(p.chain.len() + 1);
        let mut rels = Vec::with_capacity(p.chain.len());
        let mut current = self.node(&p.start, vars, row, vals)?;
        nodes.push(current);
        for (r, n) in &p.chain {
            let props = r
                .properties
                .as_deref()
                .map(|e| {
                    let v = self.resolve(vals.next(), vars, row)?;
                    props_of(e, v)
                })
                .transpose()?
                .unwrap_or_default();
            let next = self.node(n, vars, row, vals)?;
            let (from, to) = match r.direction {
                Direction::Left => (next, current),
                _ => (current, next),
            };
            let rel_type = r.types[0].name.as_str().into();
            let e = self.graph.add_rel(from, to, Rel { rel_type, props });
            if let Some(v) = &r.variable {
                bind(vars, row, &v.name, Value::Rel(e), v.span)?;
            }
            rels.push(e);
            nodes.push(next);
            current = next;
        }
        if let Some(v) = &part.variable {
            let path = Value::Path(Box::new(Path { nodes, rels }));
            bind(vars, row, &v.name, path, v.span)?;
        }
        Ok(())
    }

    /// The node a pattern stands for: bound already, or created now.
    pub(super) fn node(
        &mut self,
        n: &NodePattern,
        vars: &mut Vars,
        row: &mut Vec<Value>,
        vals: &mut impl Iterator<Item = Pending>,
    ) -> Res<NodeIndex> {
        let props = n
            .properties
            .as_deref()
            .map(|e| {
                let v = self.resolve(vals.next(), vars, row)?;
                props_of(e, v)
            })
            .transpose()?;
        let describes = !n.labels.is_empty() || props.is_some();
        if let Some(v) = &n.variable {
            let bound = vars.position(&v.name).and_then(|i| row.get(i));
            if let Some(value) = bound {
                if describes {
                    return Err(QueryError::semantic(
                        format!(
                            "`{}` is bound already: `CREATE` cannot give it labels or properties",
                            v.name
                        ),
                        n.span,
                    )
                    .with_code("VariableAlreadyBound")
                    .with_help(format!("refer to it as `({})`", v.name))
                    .into());
                }
                return match value {
                    Value::Node(ix) => Ok(*ix),
                    Value::Null => Err(QueryError::runtime(
                        format!("`{}` is null: a relation needs a node at each end", v.name),
                        Some(v.span),
                    )
                    .into()),
                    other => Err(QueryError::semantic(
                        format!("`{}` is a {}, not a node", v.name, other.type_name()),
                        v.span,
                    )
                    .with_code("VariableTypeConflict")
                    .into()),
                };
            }
            if !describes && let Some(value) = self.globals.get(&v.name) {
                if let Value::Node(ix) = value {
                    let ix = *ix;
                    bind(vars, row, &v.name, Value::Node(ix), v.span)?;
                    return Ok(ix);
                }
                return Err(QueryError::semantic(
                    format!("`{}` is a {}, not a node", v.name, value.type_name()),
                    v.span,
                )
                .with_code("VariableTypeConflict")
                .into());
            }
        }
        let mut labels: Vec<String> = Vec::new();
        for l in &n.labels {
            if !labels.contains(&l.name) {
                labels.push(l.name.clone());
            }
        }
        let props = props.unwrap_or_default();
        let id = match props.get("id") {
            Some(Value::Str(s)) if self.graph.by_id(s).is_none() => s.to_string(),
            _ => self.fresh_id(),
        };
        let id_prop = match props.get("id") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let ix = self.graph.add_node(Node { id, labels, props });
        if let Some(s) = id_prop {
            self.by_id_prop.entry(s.to_string()).or_default().push(ix);
        }
        if let Some(v) = &n.variable {
            bind(vars, row, &v.name, Value::Node(ix), v.span)?;
        }
        Ok(ix)
    }

    /// The value of a property map: computed already, or now, for this row.
    pub(super) fn resolve(&self, v: Option<Pending>, vars: &[String], row: &[Value]) -> Res<Value> {
        let span = match v {
            None => return Ok(Value::Null),
            Some(Pending::Ready(v)) => return Ok(v),
            Some(Pending::Late(span)) => span,
        };
        let known = Rows {
            vars: vars[..row.len().min(vars.len())].iter().cloned().collect(),
            rows: vec![row.to_vec()],
        };
        let (mut q, param) = known.prelude();
        q.push_str("RETURN ");
        let shift = Shift {
            from: q.len(),
            len: span.end - span.start,
            to: span.start,
            whole: span,
        };
        q.push_str(&self.text[span.range()]);
        let rs = self.eval(&q, param, &shift)?;
        Ok(rs
            .rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .unwrap_or(Value::Null))
    }

    /// `n` and the node's index, or the next number not in use.
    pub(super) fn fresh_id(&self) -> String {
        (self.graph.node_count()..)
            .map(|k| format!("n{k}"))
            .find(|id| self.graph.by_id(id).is_none())
            .expect("an unused id")
    }
}

/// A property map's value for one row: known, or to be computed once the
/// variables it reads exist.
#[derive(Debug, Clone)]
pub(super) enum Pending {
    Ready(Value),
    Late(Span),
}

/// The variables a `CREATE` pattern binds that `vars` lacks.
pub(super) fn introduced(pattern: &[PatternPart], vars: &Vars) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: crate::model::fxhash::FastSet<String> = Default::default();
    let mut add = |v: &Option<ast::Ident>| {
        if let Some(v) = v
            && !vars.contains(&v.name)
            && seen.insert(v.name.clone())
        {
            out.push(v.name.clone());
        }
    };
    for part in pattern {
        add(&part.variable);
        let (PatternElement::Path(p) | PatternElement::Shortest { path: p, .. }) = &part.element;
        add(&p.start.variable);
        for (r, n) in &p.chain {
            add(&r.variable);
            add(&n.variable);
        }
    }
    out
}

/// Whether an expression's text names one of `names` (a variable token).
pub(super) fn reads_any(text: &str, names: &[String]) -> bool {
    !names.is_empty()
        && lexer::tokens(text).iter().any(|t| {
            t.kind == TokenKind::Variable && {
                let w = &text[t.span.range()];
                let w = w
                    .strip_prefix('`')
                    .and_then(|w| w.strip_suffix('`'))
                    .unwrap_or(w);
                names.iter().any(|n| n == w)
            }
        })
}

/// Binds a new variable in a row (an error if the row has it already).
/// Slots at or past the row's end are not bound yet: every row binds the
/// clause's new variables in the same order.
pub(super) fn bind(
    vars: &mut Vars,
    row: &mut Vec<Value>,
    name: &str,
    v: Value,
    span: Span,
) -> Res<()> {
    match vars.position(name) {
        Some(i) if i < row.len() => Err(QueryError::semantic(
            format!("`{name}` is bound already"),
            span,
        )
        .with_code("VariableAlreadyBound")
        .into()),
        Some(i) => {
            row.resize(i, Value::Null);
            row.push(v);
            Ok(())
        }
        None => {
            vars.push(name.to_string());
            row.resize(vars.len() - 1, Value::Null);
            row.push(v);
            Ok(())
        }
    }
}

/// What `CREATE` takes: one type and a direction per relation, no
/// variable length, no entity references, no shortest paths.
pub(super) fn check_pattern(pattern: &[PatternPart]) -> Res<()> {
    for part in pattern {
        let p = match &part.element {
            PatternElement::Path(p) => p,
            PatternElement::Shortest { path, .. } => {
                return Err(QueryError::semantic(
                    "`CREATE` cannot create a shortest path",
                    path.span,
                )
                .into());
            }
        };
        let nodes = std::iter::once(&p.start).chain(p.chain.iter().map(|(_, n)| n));
        for n in nodes {
            if let Some(e) = &n.entity {
                return Err(
                    QueryError::semantic("an entity reference cannot be created", e.span)
                        .with_help("give the node a property instead: `(n {name: ...})`")
                        .into(),
                );
            }
        }
        for (r, _) in &p.chain {
            if r.types.len() != 1 {
                let msg = if r.types.is_empty() {
                    "a relation in `CREATE` needs a type, such as `-[:KNOWS]->`"
                } else {
                    "a relation in `CREATE` has exactly one type"
                };
                return Err(QueryError::semantic(msg, r.span)
                    .with_code("NoSingleRelationshipType")
                    .into());
            }
            if r.direction == Direction::Both {
                return Err(QueryError::semantic(
                    "a relation in `CREATE` needs a direction: `-[...]->` or `<-[...]-`",
                    r.span,
                )
                .with_code("RequiresDirectedRelationship")
                .into());
            }
            if r.length.is_some() {
                return Err(QueryError::semantic(
                    "`CREATE` cannot create a variable-length relation",
                    r.span,
                )
                .with_code("CreatingVarLength")
                .into());
            }
        }
    }
    Ok(())
}

/// The properties a node or relation gets from its map's value.
pub(super) fn props_of(e: &Expr, v: Value) -> Res<Props> {
    let map = match v {
        Value::Map(m) => m,
        Value::Null => BTreeMap::new(),
        other => {
            return Err(QueryError::runtime(
                format!("properties must be a map, found a {}", other.type_name()),
                Some(e.span),
            )
            .with_code("InvalidArgumentType")
            .into());
        }
    };
    let mut props = Props::new();
    for (k, v) in map {
        if v.is_null() {
            continue;
        }
        if !storable(&v) {
            return Err(QueryError::runtime(
                format!("property `{k}` cannot hold a {}", v.type_name()),
                Some(e.span),
            )
            .with_code("InvalidPropertyType")
            .into());
        }
        props.insert(k, v);
    }
    Ok(props)
}

pub(super) fn storable(v: &Value) -> bool {
    match v {
        Value::Node(_) | Value::Rel(_) | Value::Path(_) => false,
        Value::List(items) => items.iter().all(storable),
        Value::Map(m) => m.values().all(storable),
        _ => true,
    }
}
