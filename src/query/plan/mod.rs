//! The planner: resolves a syntax tree against the graph and its schema and
//! turns it into a `QueryPlan` the evaluator runs.
//!
//! What happens here, so that evaluation never has to look a name up:
//! - labels, relation types and property keys are resolved. Over curated
//!   data (the graph has a schema) they match ignoring case and an unknown
//!   one is an error with a "did you mean"; over a graph built from a Cypher
//!   script openCypher's rules apply (exact spelling, unknown names match
//!   nothing);
//! - variables become slot numbers in a row (`Vec<Value>`); undefined,
//!   rebound and conflicting variables are rejected with openCypher's error
//!   codes, and so are misplaced aggregates and non-constant `SKIP`/`LIMIT`;
//! - entity references (`("Kim Jong Un")`) are resolved to one node;
//! - each `MATCH` gets an order of steps: it starts at its most selective
//!   node (a bound variable, an entity reference, an `id` or `name`
//!   equality, then the rarest label, and only then every node) and expands
//!   from there; `WHERE` conjuncts are pushed down to the first step after
//!   which all their variables are bound.
//!
//! A single query becomes a linear pipeline of `Op`s (match, unwind,
//! project, aggregate, distinct, sort, skip, limit, filter, emit) that the
//! evaluator runs row by row.

mod call;
pub mod explain;
mod expr;
mod pattern;
mod projection;
mod resolve;
mod scope;
mod walk;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use petgraph::graph::NodeIndex;

use super::ast::{self, BinaryOp, Span, UnaryOp};
use super::error::{ErrorKind, QueryError};
use super::functions::{self, AggKind};
use super::ir::*;
use super::procedures::{self, TableProcedure};
use super::types::{self, Checker, Ty};
use crate::model::{Graph, Resolution, Value, names};

pub use resolve::{resolve_entity, resolve_rel_types};
use scope::{Cx, Scope, Var, describe_var, restore};
use walk::{conjuncts, contains_aggregate, is_simple, query_names, visit};

/// Evaluates a planned expression that reads no variables, in a row of
/// `nslots` values (for `SKIP`/`LIMIT`). The evaluator provides it: the
/// planner sits below the evaluator and only calls it through this.
pub type ConstEval = fn(&Graph, &PExpr, usize) -> Result<Value, QueryError>;

/// Plans one query against a graph. `text` is the text the spans point
/// into (for column names); `max_hops` caps unbounded `*` over curated data;
/// `consts` evaluates the constant `SKIP` and `LIMIT`.
pub fn plan_query(
    graph: &Graph,
    text: &str,
    query: &ast::Query,
    params: &BTreeMap<String, Value>,
    max_hops: u32,
    consts: ConstEval,
    procedures: &[Arc<TableProcedure>],
) -> Result<QueryPlan, QueryError> {
    let mut planner = Planner::new(graph, text, params, max_hops, consts, procedures);
    let (first, columns) = planner.single(&query.first)?;
    let mut parts = vec![first];
    let mut distinct = false;
    if let Some(u) = query.unions.first() {
        distinct = !u.all;
        for u in &query.unions {
            if u.all == distinct {
                return Err(QueryError::semantic(
                    "`UNION` and `UNION ALL` cannot be mixed in one query",
                    u.query.span,
                )
                .with_code("InvalidClauseComposition"));
            }
            let mut planner = Planner::new(graph, text, params, max_hops, consts, procedures);
            let (plan, cols) = planner.single(&u.query)?;
            if cols != columns {
                return Err(QueryError::semantic(
                    format!(
                        "all parts of a `UNION` must return the same columns: `{}` against `{}`",
                        columns.join(", "),
                        cols.join(", ")
                    ),
                    u.query.span,
                )
                .with_code("DifferentColumnsInUnion"));
            }
            parts.push(plan);
        }
    }
    Ok(QueryPlan {
        columns,
        parts,
        distinct,
    })
}

struct Planner<'a> {
    graph: &'a Graph,
    text: &'a str,
    params: &'a BTreeMap<String, Value>,
    max_hops: u32,
    consts: ConstEval,
    curated: bool,
    nslots: usize,
    /// What is known of the type of each slot.
    tys: Vec<Ty>,
    /// The variable each slot holds (empty for an unnamed one).
    names: Vec<String>,
    /// How deep in `expr` the planner is: a whole expression is type-checked
    /// once it is planned.
    depth: u32,
    /// Property keys already checked (lower-cased wanted → canonical).
    keys: HashMap<String, String>,
    /// Procedures given as tables, besides the built-in ones.
    procedures: &'a [Arc<TableProcedure>],
}

fn err_code(kind: ErrorKind, code: &'static str, msg: impl Into<String>, span: Span) -> QueryError {
    QueryError::new(kind, msg, Some(span)).with_code(code)
}

fn did_you_mean(near: &[&str]) -> Option<String> {
    match near {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

impl<'a> Planner<'a> {
    fn new(
        graph: &'a Graph,
        text: &'a str,
        params: &'a BTreeMap<String, Value>,
        max_hops: u32,
        consts: ConstEval,
        procedures: &'a [Arc<TableProcedure>],
    ) -> Self {
        Planner {
            graph,
            text,
            params,
            max_hops,
            consts,
            procedures,
            curated: graph.schema.is_some(),
            nslots: 0,
            tys: Vec::new(),
            names: Vec::new(),
            depth: 0,
            keys: HashMap::new(),
        }
    }

    fn slot(&mut self) -> Slot {
        self.nslots += 1;
        self.tys.push(Ty::ANY);
        self.names.push(String::new());
        self.nslots - 1
    }

    /// A new slot for the variable `name` of type `ty`, in `scope`.
    fn declare(&mut self, scope: &mut Scope, name: &str, ty: Ty) -> Slot {
        let slot = self.slot();
        self.tys[slot] = ty;
        self.names[slot] = name.to_string();
        scope.vars.insert(name.to_string(), Var { slot, ty });
        slot
    }

    /// The type of a planned (and so already checked) expression.
    fn type_of(&mut self, e: &PExpr) -> Ty {
        Checker {
            slots: &mut self.tys,
        }
        .check(e)
        .unwrap_or(Ty::ANY)
    }

    fn source(&self, span: Span) -> String {
        self.text
            .get(span.range())
            .map(str::trim)
            .unwrap_or("?")
            .to_string()
    }

    // ----- single queries and clauses -------------------------------------------------

    fn single(&mut self, q: &ast::SingleQuery) -> Result<(SinglePlan, Vec<String>), QueryError> {
        let (ops, columns) = self.clauses(q, Scope::default())?;
        let Some(columns) = columns else {
            return Err(err_code(
                ErrorKind::Semantic,
                "InvalidClauseComposition",
                "a query must end with `RETURN`",
                q.span,
            )
            .with_help("add `RETURN ...` to say what the query answers"));
        };
        Ok((
            SinglePlan {
                nslots: self.nslots,
                ops,
                names: self.names.clone(),
                curated: self.curated,
            },
            columns,
        ))
    }

    /// Plans an `EXISTS { ... }` subquery, which sees the variables of
    /// `scope`: a pipeline that stops at its first row.
    fn subquery(&mut self, q: &ast::SingleQuery, scope: &Scope) -> Result<PKind, QueryError> {
        // Its expressions are whole expressions of their own.
        let depth = std::mem::replace(&mut self.depth, 0);
        let planned = self.clauses(q, scope.clone());
        self.depth = depth;
        let (mut ops, columns) = planned?;
        if columns.is_none() {
            ops.push(Op::Emit(Vec::new()));
        }
        let emit = ops.pop().expect("a pipeline ends with its emit");
        ops.push(Op::Limit(1));
        ops.push(emit);
        let mut names = HashSet::new();
        query_names(q, &mut names);
        let mut reads: Vec<Slot> = names
            .iter()
            .filter_map(|n| scope.get(n).map(|v| v.slot))
            .collect();
        reads.sort_unstable();
        Ok(PKind::Subquery {
            plan: Box::new(SinglePlan {
                nslots: self.nslots,
                ops,
                names: self.names.clone(),
                curated: self.curated,
            }),
            reads,
        })
    }

    /// The operators of a single query's clauses, starting from `scope`,
    /// and its columns when it ends with `RETURN`.
    fn clauses(
        &mut self,
        q: &ast::SingleQuery,
        mut scope: Scope,
    ) -> Result<(Vec<Op>, Option<Vec<String>>), QueryError> {
        let mut ops = Vec::new();
        let mut columns = None;
        let n = q.clauses.len();
        for (i, clause) in q.clauses.iter().enumerate() {
            match clause {
                ast::Clause::Match(m) => {
                    let plan = self.plan_match(
                        &m.pattern,
                        m.where_.as_ref(),
                        &mut scope,
                        m.optional,
                        true,
                    )?;
                    ops.push(Op::Match(plan));
                }
                ast::Clause::Unwind(u) => {
                    let mut cx = Cx::new(scope.clone(), "UNWIND");
                    let expr = self.expr(&u.expr, &mut cx)?;
                    if scope.get(&u.alias.name).is_some() {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "VariableAlreadyBound",
                            format!("variable `{}` is already bound", u.alias.name),
                            u.alias.span,
                        ));
                    }
                    let ty = self.type_of(&expr).unwound();
                    let slot = self.declare(&mut scope, &u.alias.name, ty);
                    ops.push(Op::Unwind { expr, slot });
                }
                ast::Clause::With(w) => {
                    let (new_scope, _) =
                        self.projection(&w.projection, &scope, false, w.where_.as_ref(), &mut ops)?;
                    scope = new_scope;
                }
                ast::Clause::Return(r) => {
                    if i + 1 != n {
                        return Err(err_code(
                            ErrorKind::Semantic,
                            "InvalidClauseComposition",
                            "`RETURN` must be the last clause of a query",
                            r.span,
                        ));
                    }
                    let (_, cols) = self.projection(&r.projection, &scope, true, None, &mut ops)?;
                    let (names, slots): (Vec<String>, Vec<Slot>) = cols.into_iter().unzip();
                    ops.push(Op::Emit(slots));
                    columns = Some(names);
                }
                ast::Clause::Call(c) => {
                    let standalone = n == 1;
                    let cols = self.call(c, &mut scope, standalone, &mut ops)?;
                    if standalone {
                        let (names, slots): (Vec<String>, Vec<Slot>) = cols.into_iter().unzip();
                        ops.push(Op::Emit(slots));
                        columns = Some(names);
                    }
                }
            }
        }
        Ok((ops, columns))
    }
}
