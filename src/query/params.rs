//! Query parameters and constant values written as text: `--param
//! NAME=VALUE`, the REPL's `:param`, and the literal property values of an
//! imported script all read their values here, one way.

use std::collections::BTreeMap;

use crate::model::Value;

use super::ast::{Expr, ExprKind, Literal, UnaryOp};

/// `NAME=VALUE` pairs; the value read as a Cypher literal, else a string.
/// The error is a message for the user.
pub fn parse_params(raw: &[String]) -> Result<BTreeMap<String, Value>, String> {
    let mut out = BTreeMap::new();
    for p in raw {
        let Some((name, value)) = p.split_once('=') else {
            return Err(format!("`--param {p}` needs the form NAME=VALUE"));
        };
        let name = name.trim().trim_start_matches('$');
        if name.is_empty() {
            return Err(format!("`--param {p}` has no name before `=`"));
        }
        out.insert(name.to_string(), param_value(value));
    }
    Ok(out)
}

/// A parameter's value: the text read as a Cypher literal (`42`, `'text'`,
/// `[1, 2]`, `{a: 1}`), anything else taken as a string.
pub fn param_value(text: &str) -> Value {
    super::parser::parse_expr(text)
        .ok()
        .and_then(|e| literal_value(&e))
        .unwrap_or_else(|| Value::Str(text.to_string()))
}

/// The value of a constant expression (literals, lists, maps, negation).
pub fn literal_value(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Literal(Literal::Null) => Value::Null,
        ExprKind::Literal(Literal::Bool(b)) => Value::Bool(*b),
        ExprKind::Literal(Literal::Int(i)) => Value::Int(*i),
        ExprKind::Literal(Literal::Float(f)) => Value::Float(*f),
        ExprKind::Literal(Literal::String(s)) => Value::Str(s.clone()),
        ExprKind::Unary(UnaryOp::Neg, inner) => match literal_value(inner)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Float(f) => Value::Float(-f),
            _ => return None,
        },
        ExprKind::List(items) => {
            Value::List(items.iter().map(literal_value).collect::<Option<_>>()?)
        }
        ExprKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Some((k.name.clone(), literal_value(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}
