//! The importer: runs a script statement by statement, splitting each into
//! `CREATE` clauses and runs of reading clauses.

use super::clauses::clauses;
use super::errors::{Res, Shift, clamp, first_word, relocate, unsupported};
use super::rows::{ROW_VAR, ROWS_PARAM, Rows, Vars};
use crate::model::{Graph, Value};
use crate::query::ast::{self, PatternElement, Span, Statement};
use crate::query::lexer;
use crate::query::params::literal_value;
use crate::query::{self, QueryError};
use petgraph::graph::NodeIndex;
use std::collections::HashMap;

/// One piece of a statement: a `CREATE` clause, or a run of reading clauses.
pub(super) enum Segment {
    Create(Span),
    Read(Span),
}

pub(super) struct Importer<'g, 't> {
    pub(super) graph: &'g mut Graph,
    pub(super) text: &'t str,
    /// Nodes, relations and paths bound by earlier statements.
    pub(super) globals: HashMap<String, Value>,
    /// Nodes by their `id` property (string ids only), for `MATCH` lines.
    pub(super) by_id_prop: HashMap<String, Vec<NodeIndex>>,
    pub(super) opts: query::Options,
}

impl<'g, 't> Importer<'g, 't> {
    pub(super) fn new(graph: &'g mut Graph, text: &'t str) -> Self {
        let mut by_id_prop: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        for ix in graph.nodes() {
            if let Some(Value::Str(id)) = graph.node(ix).props.get("id") {
                by_id_prop
                    .entry((id.clone()).to_string())
                    .or_default()
                    .push(ix);
            }
        }
        Importer {
            graph,
            text,
            globals: HashMap::new(),
            by_id_prop,
            opts: query::Options::default(),
        }
    }

    /// Runs each statement on its own text (so that the work per statement
    /// does not grow with the script), then places errors in the script.
    pub(super) fn run(&mut self) -> Res<()> {
        let full = self.text;
        for stmt in crate::query::split::split_statements(full) {
            self.text = &full[stmt.range()];
            let done = self.run_statement();
            self.text = full;
            done.map_err(|e| relocate(e, stmt.start))?;
        }
        Ok(())
    }

    /// Runs the statement that is the whole of `self.text`.
    pub(super) fn run_statement(&mut self) -> Res<()> {
        let stmt = Span::new(0, self.text.len());
        let clauses = clauses(self.text, stmt);
        if clauses.is_empty() {
            let start = lexer::skip_trivia(self.text, stmt.start);
            let found = first_word(&self.text[start..stmt.end]);
            return Err(QueryError::syntax(
                format!("expected a clause such as `CREATE`, found `{found}`"),
                Span::new(start, start + found.len().max(1)),
            )
            .into());
        }
        // Text before the first clause keyword.
        let lead = lexer::skip_trivia(self.text, stmt.start);
        if lead < clauses[0].span.start {
            let found = first_word(&self.text[lead..clauses[0].span.start]);
            return Err(QueryError::syntax(
                format!("expected a clause such as `CREATE`, found `{found}`"),
                Span::new(lead, lead + found.len().max(1)),
            )
            .into());
        }
        let mut segments: Vec<Vec<Segment>> = vec![Vec::new()];
        let mut last_create = false;
        for c in &clauses {
            match c.keyword.as_str() {
                "CREATE" => {
                    segments
                        .last_mut()
                        .expect("one")
                        .push(Segment::Create(c.span));
                    last_create = true;
                }
                "MATCH" | "OPTIONAL" | "UNWIND" | "WITH" => {
                    if last_create && c.keyword != "WITH" && c.keyword != "UNWIND" {
                        segments.push(Vec::new());
                    }
                    let current = segments.last_mut().expect("one");
                    match current.last_mut() {
                        Some(Segment::Read(span)) => span.end = c.span.end,
                        _ => current.push(Segment::Read(c.span)),
                    }
                    last_create = false;
                }
                _ => return Err(unsupported(c.span, self.text)),
            }
        }
        for statement in segments {
            self.statement(&statement)?;
        }
        Ok(())
    }

    pub(super) fn statement(&mut self, segments: &[Segment]) -> Res<()> {
        let mut rows = Rows::one();
        for seg in segments {
            match seg {
                Segment::Create(span) => self.create(*span, &mut rows)?,
                Segment::Read(span) => self.read(*span, &mut rows)?,
            }
        }
        if rows.rows.len() == 1 {
            for (name, value) in rows.vars.iter().zip(&rows.rows[0]) {
                if matches!(value, Value::Node(_) | Value::Rel(_) | Value::Path(_)) {
                    self.globals.insert(name.clone(), value.clone());
                }
            }
        }
        Ok(())
    }

    /// The text with everything outside `span` blanked (line breaks kept),
    /// so the parser's spans point into the script.
    pub(super) fn blanked(&self, span: Span) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        for (i, c) in self.text.char_indices() {
            if span.start <= i && i < span.end {
                out.push(c);
            } else if c == '\n' {
                out.push('\n');
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        out
    }

    /// Runs reading clauses over the rows so far; their `RETURN *` becomes
    /// the new rows.
    pub(super) fn read(&mut self, span: Span, rows: &mut Rows) -> Res<()> {
        // Parse in place first, so syntax errors point into the script.
        let mut text = self.blanked(span);
        text.push_str(" RETURN *");
        let parsed = query::parser::parse_statement(&text).map_err(|e| clamp(e, span))?;
        if let Some(found) = self.fast_match(&parsed, rows) {
            *rows = found;
            return Ok(());
        }
        let (prelude, param) = rows.prelude();
        let body = &self.text[span.range()];
        let q = format!("{prelude}{body} RETURN *");
        let shift = Shift {
            from: prelude.len(),
            len: body.len(),
            to: span.start,
            whole: span,
        };
        let rs = self.eval(&q, param, &shift)?;
        let keep: Vec<usize> = (0..rs.columns.len())
            .filter(|&i| rs.columns[i] != ROW_VAR)
            .collect();
        rows.vars = keep.iter().map(|&i| rs.columns[i].clone()).collect();
        rows.rows = rs
            .rows
            .into_iter()
            .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
            .collect();
        Ok(())
    }

    pub(super) fn eval(&self, q: &str, rows: Value, shift: &Shift) -> Res<query::ResultSet> {
        let mut opts = self.opts.clone();
        opts.params.insert(ROWS_PARAM.to_string(), rows);
        let stmt = query::parser::parse_statement(q).map_err(|e| shift.apply(e))?;
        query::execute(self.graph, q, &stmt, &opts).map_err(|e| shift.apply(e).into())
    }

    /// `MATCH (a:L {id: 'x'}), (b {id: 'y'})` at the start of a statement,
    /// as `eje export --format cypher` writes it: looked up by id, not by a
    /// scan of the graph, so that large dumps load in linear time.
    pub(super) fn fast_match(&self, parsed: &Statement, rows: &Rows) -> Option<Rows> {
        let Statement::Query(q) = parsed else {
            return None;
        };
        if !rows.vars.is_empty() || rows.rows.len() != 1 || !q.unions.is_empty() {
            return None;
        }
        let [ast::Clause::Match(m), ast::Clause::Return(_)] = q.first.clauses.as_slice() else {
            return None;
        };
        if m.optional || m.where_.is_some() {
            return None;
        }
        let mut vars = Vars::default();
        let mut choices: Vec<Vec<NodeIndex>> = Vec::new();
        for part in &m.pattern {
            let PatternElement::Path(p) = &part.element else {
                return None;
            };
            let n = &p.start;
            if part.variable.is_some() || !p.chain.is_empty() || n.entity.is_some() {
                return None;
            }
            let var = n.variable.as_ref()?;
            if vars.contains(&var.name) {
                return None;
            }
            let props = match n.properties.as_deref() {
                Some(e) => match literal_value(e)? {
                    Value::Map(m) => m,
                    _ => return None,
                },
                None => return None,
            };
            let Some(Value::Str(id)) = props.get("id") else {
                return None;
            };
            let found: Vec<NodeIndex> = self
                .by_id_prop
                .get(&**id)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&ix| {
                    let node = self.graph.node(ix);
                    n.labels.iter().all(|l| node.labels.contains(&l.name))
                        && props.iter().all(|(k, v)| {
                            node.props
                                .get(k)
                                .is_some_and(|x| query::eval::equals(x, v) == Some(true))
                        })
                })
                .collect();
            vars.push(var.name.clone());
            choices.push(found);
        }
        let mut out = vec![Vec::new()];
        for c in &choices {
            let mut next = Vec::with_capacity(out.len() * c.len());
            for row in &out {
                for &ix in c {
                    let mut r: Vec<Value> = row.clone();
                    r.push(Value::Node(ix));
                    next.push(r);
                }
            }
            out = next;
        }
        Some(Rows { vars, rows: out })
    }
}
