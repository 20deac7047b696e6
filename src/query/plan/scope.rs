//! Variables in scope while planning: each name's slot and what is known
//! of its type, and the place (`Cx`) an expression is planned in.

use std::collections::HashMap;

use super::super::ast;
use super::super::ir::{AggCall, Slot};
use super::super::types::{self, Ty};

#[derive(Debug, Clone, Copy)]
pub(super) struct Var {
    pub(super) slot: Slot,
    pub(super) ty: Ty,
}

/// Variables visible at a point of the query.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    pub(super) vars: HashMap<String, Var>,
}

impl Scope {
    pub(super) fn get(&self, name: &str) -> Option<Var> {
        self.vars.get(name).copied()
    }

    pub(super) fn sorted_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.vars.keys().cloned().collect();
        v.sort();
        v
    }
}

/// How expressions are planned at a given place.
pub(super) struct Cx {
    pub(super) scope: Scope,
    /// Expressions already computed into a slot (projection items, for
    /// `ORDER BY` after aggregation or `DISTINCT`).
    pub(super) subst: Vec<(ast::Expr, Slot)>,
    /// Collects aggregate calls where they are allowed.
    pub(super) aggs: Option<Vec<AggCall>>,
    pub(super) in_agg: bool,
    /// What to call the place in an error about a misplaced aggregate.
    pub(super) place: &'static str,
}

impl Cx {
    pub(super) fn new(scope: Scope, place: &'static str) -> Self {
        Cx {
            scope,
            subst: Vec::new(),
            aggs: None,
            in_agg: false,
            place,
        }
    }
}

/// A variable's type in an error message: "a node", "a list of
/// relationships", "a value of type INTEGER"...
pub(super) fn describe_var(t: Ty) -> String {
    let rels = t.element();
    match t.kinds & !types::NULL {
        types::NODE => "a node".into(),
        types::REL => "a relationship".into(),
        types::PATH => "a path".into(),
        types::LIST if rels.kinds & types::REL != 0 && rels.only(types::REL) => {
            "a list of relationships".into()
        }
        _ => format!("a value of type {}", t.describe()),
    }
}

pub(super) fn restore(scope: &mut Scope, name: &str, old: Option<Var>) {
    match old {
        Some(v) => {
            scope.vars.insert(name.to_string(), v);
        }
        None => {
            scope.vars.remove(name);
        }
    }
}
