//! Grouping keys: values compared by openCypher's equivalence (used by
//! `DISTINCT`, grouping and `UNION`), where null is equivalent to null,
//! `1` to `1.0`, and NaN to NaN, unlike `=`.

use std::hash::{Hash, Hasher};

use crate::model::Value;

/// A tuple of values that can key a hash map.
#[derive(Debug, Clone)]
pub struct Key(pub Vec<Value>);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| equivalent(a, b))
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        KeyRef(&self.0).hash(state)
    }
}

/// A borrowed tuple, hashed as the `Key` holding it.
pub struct KeyRef<'a>(pub &'a [Value]);

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for v in self.0 {
            hash_value(v, state);
        }
    }
}

/// Equivalence: equality where null and NaN equal themselves.
pub fn equivalent(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Null, Null) => true,
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Int(i), Float(f)) | (Float(f), Int(i)) => (*i as f64) == *f && integral(*f) == Some(*i),
        (List(x), List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equivalent(a, b)),
        (Map(x), Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && equivalent(v1, v2))
        }
        _ => a == b,
    }
}

/// The integer a float equals exactly, if any.
fn integral(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f))
        .then_some(f as i64)
}

fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Int(i) => (2u8, i).hash(h),
        Value::Float(f) => match integral(*f) {
            Some(i) => (2u8, i).hash(h),
            None if f.is_nan() => 3u8.hash(h),
            None => (3u8, f.to_bits()).hash(h),
        },
        Value::Str(s) => (4u8, s).hash(h),
        Value::Date(d) => (5u8, d).hash(h),
        Value::Temporal(t) => (11u8, t).hash(h),
        Value::List(l) => {
            (6u8, l.len()).hash(h);
            l.iter().for_each(|x| hash_value(x, h));
        }
        Value::Map(m) => {
            (7u8, m.len()).hash(h);
            for (k, x) in m {
                k.hash(h);
                hash_value(x, h);
            }
        }
        Value::Node(n) => (8u8, n.index()).hash(h),
        Value::Rel(r) => (9u8, r.index()).hash(h),
        Value::Path(p) => (10u8, p).hash(h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn equivalence_groups_null_and_numbers() {
        let mut set = HashSet::new();
        assert!(set.insert(Key(vec![Value::Null])));
        assert!(!set.insert(Key(vec![Value::Null])));
        assert!(set.insert(Key(vec![Value::Int(1)])));
        assert!(!set.insert(Key(vec![Value::Float(1.0)])));
        assert!(set.insert(Key(vec![Value::Float(1.5)])));
        assert!(set.insert(Key(vec![Value::Float(f64::NAN)])));
        assert!(!set.insert(Key(vec![Value::Float(f64::NAN)])));
    }
}
