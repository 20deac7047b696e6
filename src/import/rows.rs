//! The rows of a statement so far, as reading clauses bind them, and the
//! query prelude that hands them to the evaluator.

use crate::model::Value;

/// The variables of the rows, in column order, with an index by name, so
/// that a single `CREATE` of 100,000 named nodes looks each up at once
/// instead of scanning every name bound before it.
#[derive(Debug, Clone, Default)]
pub(super) struct Vars {
    names: Vec<String>,
    index: crate::model::fxhash::FastMap<String, usize>,
}

impl Vars {
    /// The column of `name`, if bound.
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    pub(super) fn push(&mut self, name: String) {
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

/// The rows of a statement so far: variable names and one value per name
/// in each row.
pub(super) struct Rows {
    pub(super) vars: Vars,
    pub(super) rows: Vec<Vec<Value>>,
}

impl Rows {
    pub(super) fn one() -> Self {
        Rows {
            vars: Vars::default(),
            rows: vec![Vec::new()],
        }
    }

    /// `UNWIND $__eje_rows AS __eje_row WITH __eje_row[0] AS a, ...`: the
    /// start of a query that sees these rows; and the parameter.
    pub(super) fn prelude(&self) -> (String, Value) {
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

pub(super) const ROWS_PARAM: &str = "__eje_rows";
pub(super) const ROW_VAR: &str = "__eje_row";
