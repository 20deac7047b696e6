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
        let value = param_value(value).map_err(|e| format!("`--param {p}`: {e}"))?;
        out.insert(name.to_string(), value);
    }
    Ok(out)
}

/// A parameter's value: the text read as a Cypher literal (`42`, `'text'`,
/// `[1, 2]`, `{a: 1}`), anything else taken as a string. An integer too
/// large for 64 bits is an error, not silently a string.
pub fn param_value(text: &str) -> Result<Value, String> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().map(Value::Int).map_err(|_| {
            format!(
                "`{t}` is too large for an integer (at most {})\n\
                 help: write it as a float (`{t}.0`) or quote it for text (`'{t}'`)",
                i64::MAX
            )
        });
    }
    Ok(super::parser::parse_expr(text)
        .ok()
        .and_then(|e| literal_value(&e))
        .unwrap_or_else(|| Value::Str((text.to_string()).into())))
}

/// The value of a constant expression (literals, lists, maps, negation).
pub fn literal_value(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Literal(Literal::Null) => Value::Null,
        ExprKind::Literal(Literal::Bool(b)) => Value::Bool(*b),
        ExprKind::Literal(Literal::Int(i)) => Value::Int(*i),
        ExprKind::Literal(Literal::Float(f)) => Value::Float(*f),
        ExprKind::Literal(Literal::String(s)) => Value::Str((s.clone()).into()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_integers_and_too_large_ones_an_error() {
        assert_eq!(param_value("42"), Ok(Value::Int(42)));
        assert_eq!(param_value(" -7 "), Ok(Value::Int(-7)));
        assert_eq!(
            param_value("-9223372036854775808"),
            Ok(Value::Int(i64::MIN))
        );
        let err = param_value("99999999999999999999").unwrap_err();
        assert!(err.contains("too large") && err.contains("help:"), "{err}");
        assert_eq!(param_value("'text'"), Ok(Value::Str("text".into())));
        assert_eq!(
            param_value("Kim Jong Un"),
            Ok(Value::Str("Kim Jong Un".into()))
        );
        let map = parse_params(&["m={a: [1, 2.5]}".into()]).unwrap();
        assert!(matches!(&map["m"], Value::Map(_)));
        assert!(parse_params(&["x".into()]).is_err());
        assert!(parse_params(&["=1".into()]).is_err());
        assert!(parse_params(&["n=123456789012345678901234".into()]).is_err());
    }
}
