//! The rows of a statement so far, as reading clauses bind them, and the
//! query prelude that hands them to the evaluator.

use crate::model::Value;

/// The rows of a statement so far: variable names and one value per name
/// in each row.
pub(super) struct Rows {
    pub(super) vars: Vec<String>,
    pub(super) rows: Vec<Vec<Value>>,
}

impl Rows {
    pub(super) fn one() -> Self {
        Rows {
            vars: Vec::new(),
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
