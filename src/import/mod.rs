//! Graphs from Cypher scripts: `eje --graph-script FILE.cypher`, the TCK's
//! setup queries, and what `eje export --format cypher` writes.
//!
//! A script is a sequence of statements separated by `;`. A statement is a
//! sequence of clauses: `CREATE` builds nodes and relations; the reading
//! clauses `MATCH`, `OPTIONAL MATCH`, `UNWIND` and `WITH` find or compute
//! what later `CREATE` clauses use (`MATCH (a {id: 'x'}), (b {id: 'y'})
//! CREATE (a)-[:T]->(b)`). Other clauses (`MERGE`, `SET`, `DELETE`...) are
//! errors with the code `unsupported-clause`.
//!
//! Nothing is parsed twice by hand: a `CREATE` clause is read by the query
//! parser as the `MATCH` pattern it looks like (its text is handed over in
//! place, everything else blanked, so every span points into the script),
//! and reading clauses and non-literal property values are run by the
//! evaluator over the graph built so far, with the rows of the statement so
//! far passed in as a parameter.
//!
//! Variables: as in openCypher, a statement runs once per row of its reading
//! clauses, and a `CREATE` binds its new variables in each row. Beyond
//! openCypher, the nodes and relations bound when a statement ends with a
//! single row stay known to later statements of the script, so a script may
//! create nodes in one statement and link them in the next; a later pattern
//! that gives such a variable labels or properties creates a new node. A
//! `MATCH` right after a `CREATE` starts a new statement, as if a `;` stood
//! between them (scripts written one statement a line need no `;`).
//!
//! Node ids: a node whose `id` property is a string not used yet gets it as
//! its id, so exported graphs keep their ids; any other node gets `n0`,
//! `n1`... (the next number not in use). A property whose value is null is
//! left out, as in openCypher.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::NodeIndex;

use crate::diag::SourceMap;
use crate::load::Failure;
use crate::model::{Graph, Node, Path, Props, Rel, Value};
use crate::query::ast::{
    self, Direction, Expr, ExprKind, Literal, NodePattern, PatternElement, PatternPart, Span,
    Statement, UnaryOp,
};
use crate::query::lexer::{self, TokenKind};
use crate::query::{self, ErrorKind, QueryError};

/// The diagnostic code of a clause that imports do not run (`MERGE`, `SET`,
/// `DELETE`, `REMOVE`, `CALL`, `FOREACH`, `LOAD CSV`, `RETURN`, `UNION`).
pub const UNSUPPORTED_CLAUSE: &str = "unsupported-clause";

/// Builds a schema-less graph from a script of `CREATE` statements. `name`
/// is how errors name the script (its path).
pub fn load_script(name: &str, text: &str) -> Result<Graph, Failure> {
    let mut graph = Graph::new(None);
    run_script(&mut graph, name, text)?;
    Ok(graph)
}

/// Runs a script's statements against `graph`, adding to it. On error the
/// graph may hold what the statements before the failing one created.
pub fn run_script(graph: &mut Graph, name: &str, text: &str) -> Result<(), Failure> {
    let mut importer = Importer::new(graph, text);
    importer.run().map_err(|e| {
        let mut d = crate::session::diagnostic(&e.error, name);
        if e.unsupported {
            d.code = UNSUPPORTED_CLAUSE;
        }
        let mut sources = SourceMap::new();
        sources.insert(name.to_string(), text.to_string());
        Failure {
            diagnostics: vec![d],
            sources,
        }
    })
}

/// A clause keyword found at the top level of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseStart {
    /// The keyword in upper case; `OPTIONAL MATCH` and `DETACH DELETE` are
    /// named by their first word.
    pub keyword: String,
    /// Where the clause starts and ends (up to the next clause).
    pub span: Span,
}

const CLAUSE_WORDS: &[&str] = &[
    "CREATE", "MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "MERGE", "SET", "DELETE", "DETACH",
    "REMOVE", "CALL", "FOREACH", "UNION", "LOAD", "USE", "FINISH",
];

/// The clauses of the statement at `span` of `text`: each starts at a
/// clause keyword outside brackets, strings and comments.
pub fn clauses(text: &str, span: Span) -> Vec<ClauseStart> {
    let mut out: Vec<ClauseStart> = Vec::new();
    let mut depth = 0i32;
    let mut prev_word = String::new();
    let piece = &text[span.range()];
    for mut t in lexer::tokens(piece) {
        t.span = Span::new(t.span.start + span.start, t.span.end + span.start);
        let s = &text[t.span.range()];
        match t.kind {
            TokenKind::Comment => continue,
            TokenKind::Punct | TokenKind::Operator => {
                match s {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth -= 1,
                    _ => {}
                }
                prev_word.clear();
                continue;
            }
            TokenKind::String | TokenKind::Number | TokenKind::Parameter => {
                prev_word.clear();
                continue;
            }
            _ => {}
        }
        let word = s.to_ascii_uppercase();
        let follows = std::mem::replace(&mut prev_word, word.clone());
        let is_clause = depth == 0
            && !s.starts_with('`')
            && !matches!(
                t.kind,
                TokenKind::Property | TokenKind::Label | TokenKind::RelType
            )
            && CLAUSE_WORDS.contains(&word.as_str())
            && !(word == "WITH" && (follows == "STARTS" || follows == "ENDS"))
            && !(word == "MATCH" && follows == "OPTIONAL")
            && !(word == "DELETE" && follows == "DETACH")
            && !(word == "CREATE" && follows == "ON")
            && follows != "AS";
        if is_clause {
            if let Some(last) = out.last_mut() {
                last.span.end = t.span.start;
            }
            out.push(ClauseStart {
                keyword: word,
                span: Span::new(t.span.start, span.end),
            });
        }
    }
    // Trim trailing whitespace from each clause.
    for c in &mut out {
        let trimmed = text[c.span.range()].trim_end().len();
        c.span.end = c.span.start + trimmed;
    }
    out
}

/// The first clause of `text` (a query) that writes or calls, if any:
/// `CREATE`, `MERGE`, `SET`, `DELETE`, `REMOVE`, `CALL`, `FOREACH`, `LOAD`.
pub fn write_clause(text: &str) -> Option<ClauseStart> {
    crate::session::split_statements(text)
        .into_iter()
        .flat_map(|s| clauses(text, s))
        .find(|c| {
            matches!(
                c.keyword.as_str(),
                "CREATE"
                    | "MERGE"
                    | "SET"
                    | "DELETE"
                    | "DETACH"
                    | "REMOVE"
                    | "CALL"
                    | "FOREACH"
                    | "LOAD"
            )
        })
}

struct ImportError {
    error: QueryError,
    unsupported: bool,
}

impl From<QueryError> for ImportError {
    fn from(error: QueryError) -> Self {
        ImportError {
            error,
            unsupported: false,
        }
    }
}

type Res<T> = Result<T, ImportError>;

/// The rows of a statement so far: variable names and one value per name
/// in each row.
/// The variables of the rows, in column order, with an index by name (a
/// single `CREATE` of 100,000 named nodes looks each up at once).
#[derive(Debug, Clone, Default)]
struct Vars {
    names: Vec<String>,
    index: crate::model::fxhash::FastMap<String, usize>,
}

impl Vars {
    fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn push(&mut self, name: String) {
        self.index.entry(name.clone()).or_insert(self.names.len());
        self.names.push(name);
    }
}

impl std::ops::Deref for Vars {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.names
    }
}

impl FromIterator<String> for Vars {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut v = Vars::default();
        for name in iter {
            v.push(name);
        }
        v
    }
}

struct Rows {
    vars: Vars,
    rows: Vec<Vec<Value>>,
}

impl Rows {
    fn one() -> Self {
        Rows {
            vars: Vars::default(),
            rows: vec![Vec::new()],
        }
    }

    /// `UNWIND $__eje_rows AS __eje_row WITH __eje_row[0] AS a, ...`: the
    /// start of a query that sees these rows; and the parameter.
    fn prelude(&self) -> (String, Value) {
        let mut q = format!("UNWIND ${ROWS_PARAM} AS {ROW_VAR} ");
        if !self.vars.is_empty() {
            q.push_str("WITH ");
            for (i, v) in self.vars.iter().enumerate() {
                if i > 0 {
                    q.push_str(", ");
                }
                q.push_str(&format!("{ROW_VAR}[{i}] AS `{}`", v.replace('`', "``")));
            }
            q.push(' ');
        }
        let rows = Value::List(self.rows.iter().map(|r| Value::List(r.clone())).collect());
        (q, rows)
    }
}

const ROWS_PARAM: &str = "__eje_rows";
const ROW_VAR: &str = "__eje_row";

/// One piece of a statement: a `CREATE` clause, or a run of reading clauses.
enum Segment {
    Create(Span),
    Read(Span),
}

struct Importer<'g, 't> {
    graph: &'g mut Graph,
    text: &'t str,
    /// Nodes, relations and paths bound by earlier statements.
    globals: HashMap<String, Value>,
    /// Nodes by their `id` property (string ids only), for `MATCH` lines.
    by_id_prop: HashMap<String, Vec<NodeIndex>>,
    opts: query::Options,
}

impl<'g, 't> Importer<'g, 't> {
    fn new(graph: &'g mut Graph, text: &'t str) -> Self {
        let mut by_id_prop: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        for ix in graph.nodes() {
            if let Some(Value::Str(id)) = graph.node(ix).props.get("id") {
                by_id_prop.entry(id.clone()).or_default().push(ix);
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
    fn run(&mut self) -> Res<()> {
        let full = self.text;
        for stmt in crate::session::split_statements(full) {
            self.text = &full[stmt.range()];
            let done = self.run_statement();
            self.text = full;
            done.map_err(|e| relocate(e, full, stmt.start))?;
        }
        Ok(())
    }

    /// Runs the statement that is the whole of `self.text`.
    fn run_statement(&mut self) -> Res<()> {
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

    fn statement(&mut self, segments: &[Segment]) -> Res<()> {
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
    fn blanked(&self, span: Span) -> String {
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
    fn read(&mut self, span: Span, rows: &mut Rows) -> Res<()> {
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

    fn eval(&self, q: &str, rows: Value, shift: &Shift) -> Res<query::ResultSet> {
        let mut opts = self.opts.clone();
        opts.params.insert(ROWS_PARAM.to_string(), rows);
        let stmt = query::parser::parse_statement(q).map_err(|e| shift.apply(e))?;
        query::execute(self.graph, q, &stmt, &opts).map_err(|e| shift.apply(e).into())
    }

    /// `MATCH (a:L {id: 'x'}), (b {id: 'y'})` at the start of a statement,
    /// as `eje export --format cypher` writes it: looked up by id, not by a
    /// scan of the graph, so that large dumps load in linear time.
    fn fast_match(&self, parsed: &Statement, rows: &Rows) -> Option<Rows> {
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
                Some(e) => match literal(e)? {
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
                .get(id)
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

    /// Runs one `CREATE` clause for every row.
    fn create(&mut self, span: Span, rows: &mut Rows) -> Res<()> {
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
            let v = match literal(e) {
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
    fn compute(
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

    fn create_part(
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
            let rel_type = r.types[0].name.clone();
            let e = self.graph.add_rel(from, to, Rel { rel_type, props });
            if let Some(v) = &r.variable {
                bind(vars, row, &v.name, Value::Rel(e), v.span)?;
            }
            rels.push(e);
            nodes.push(next);
            current = next;
        }
        if let Some(v) = &part.variable {
            let path = Value::Path(Path { nodes, rels });
            bind(vars, row, &v.name, path, v.span)?;
        }
        Ok(())
    }

    /// The node a pattern stands for: bound already, or created now.
    fn node(
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
            if !describes {
                if let Some(value) = self.globals.get(&v.name) {
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
        }
        let mut labels: Vec<String> = Vec::new();
        for l in &n.labels {
            if !labels.contains(&l.name) {
                labels.push(l.name.clone());
            }
        }
        let props = props.unwrap_or_default();
        let id = match props.get("id") {
            Some(Value::Str(s)) if self.graph.by_id(s).is_none() => s.clone(),
            _ => self.fresh_id(),
        };
        let id_prop = match props.get("id") {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let ix = self.graph.add_node(Node { id, labels, props });
        if let Some(s) = id_prop {
            self.by_id_prop.entry(s).or_default().push(ix);
        }
        if let Some(v) = &n.variable {
            bind(vars, row, &v.name, Value::Node(ix), v.span)?;
        }
        Ok(ix)
    }

    /// The value of a property map: computed already, or now, for this row.
    fn resolve(&self, v: Option<Pending>, vars: &[String], row: &[Value]) -> Res<Value> {
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
    fn fresh_id(&self) -> String {
        (self.graph.node_count()..)
            .map(|k| format!("n{k}"))
            .find(|id| self.graph.by_id(id).is_none())
            .expect("an unused id")
    }
}

/// A property map's value for one row: known, or to be computed once the
/// variables it reads exist.
#[derive(Debug, Clone)]
enum Pending {
    Ready(Value),
    Late(Span),
}

/// The variables a `CREATE` pattern binds that `vars` lacks.
fn introduced(pattern: &[PatternPart], vars: &Vars) -> Vec<String> {
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
fn reads_any(text: &str, names: &[String]) -> bool {
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
fn bind(vars: &mut Vars, row: &mut Vec<Value>, name: &str, v: Value, span: Span) -> Res<()> {
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
fn check_pattern(pattern: &[PatternPart]) -> Res<()> {
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
fn props_of(e: &Expr, v: Value) -> Res<Props> {
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

fn storable(v: &Value) -> bool {
    match v {
        Value::Node(_) | Value::Rel(_) | Value::Path(_) => false,
        Value::List(items) => items.iter().all(storable),
        Value::Map(m) => m.values().all(storable),
        _ => true,
    }
}

/// The value of an expression made of literals only.
fn literal(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Literal(l) => match l {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Int(i) => Value::Int(*i),
            Literal::Float(f) => Value::Float(*f),
            Literal::String(s) => Value::Str(s.clone()),
        },
        ExprKind::List(items) => Value::List(items.iter().map(literal).collect::<Option<_>>()?),
        ExprKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Some((k.name.clone(), literal(v)?)))
                .collect::<Option<_>>()?,
        ),
        ExprKind::Unary(UnaryOp::Neg, inner) => match literal(inner)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Float(f) => Value::Float(-f),
            _ => return None,
        },
        _ => return None,
    })
}

/// Maps spans of a generated query back into the script: the text at
/// `from..from+len` of the query is the script's text at `to`.
struct Shift {
    from: usize,
    len: usize,
    to: usize,
    /// Where errors outside the copied text point.
    whole: Span,
}

impl Shift {
    fn apply(&self, mut e: QueryError) -> QueryError {
        e.span = Some(match e.span {
            Some(s) if s.start >= self.from && s.end <= self.from + self.len => {
                Span::new(s.start - self.from + self.to, s.end - self.from + self.to)
            }
            _ => self.whole,
        });
        e
    }
}

/// Moves an error found in a statement's own text to where the statement
/// is in the script: its span, and the `line:column` its message may name.
fn relocate(mut e: ImportError, full: &str, base: usize) -> ImportError {
    if base == 0 {
        return e;
    }
    if let Some(s) = e.error.span.as_mut() {
        *s = Span::new(s.start + base, s.end + base);
    }
    const AT: &str = " opened at ";
    if let Some(i) = e.error.message.find(AT) {
        let rest = &e.error.message[i + AT.len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let l = digits(rest);
        if l > 0 && rest[l..].starts_with(':') {
            let c = digits(&rest[l + 1..]);
            if let (Ok(line), Ok(col)) = (
                rest[..l].parse::<usize>(),
                rest[l + 1..l + 1 + c].parse::<usize>(),
            ) {
                let (bl, bc) = crate::diag::line_col(full, base);
                let (line, col) = if line == 1 {
                    (bl, bc + col - 1)
                } else {
                    (bl + line - 1, col)
                };
                let end = i + AT.len() + l + 1 + c;
                e.error.message = format!(
                    "{}{AT}{line}:{col}{}",
                    &e.error.message[..i],
                    &e.error.message[end..]
                );
            }
        }
    }
    e
}

/// Keeps an error's span inside `span` (the generated `RETURN` after it).
fn clamp(mut e: QueryError, span: Span) -> QueryError {
    if let Some(s) = e.span.as_mut()
        && s.start >= span.end
    {
        *s = Span::new(span.end, span.end);
        if e.kind == ErrorKind::Syntax {
            e.kind = ErrorKind::UnexpectedEnd;
        }
    }
    e
}

fn unsupported(span: Span, text: &str) -> ImportError {
    let word_end = text[span.start..]
        .find(|c: char| !c.is_alphabetic())
        .map_or(span.end, |i| span.start + i);
    let error = QueryError::semantic(
        format!(
            "a graph script only creates: `{}` is not supported",
            &text[span.start..word_end]
        ),
        Span::new(span.start, word_end),
    )
    .with_help("use `CREATE`, with `MATCH`, `UNWIND` and `WITH` to find or compute what it links");
    ImportError {
        error,
        unsupported: true,
    }
}

fn first_word(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || "()[]{},;".contains(c)))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

#[cfg(test)]
mod tests;
