//! Values as the TCK writes them in result tables and parameters:
//! `null`, `true`, `1`, `1.5`, `'text'`, `[1, 2]`, `{k: 1}`, nodes
//! `(:L:M {k: 1})`, relations `[:T {k: 1}]`, paths
//! `<(:A)-[:T]->(:B)<-[:U]-()>`; and the same shape for eje's answers, so
//! the two compare.

use std::collections::BTreeMap;
use std::fmt;

use eje::model::{Graph, Value};

/// A value independent of any graph: nodes by labels and properties,
/// relations by type and properties, paths hop by hop.
#[derive(Debug, Clone, PartialEq)]
pub enum TVal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<TVal>),
    Map(BTreeMap<String, TVal>),
    Node {
        labels: Vec<String>,
        props: BTreeMap<String, TVal>,
    },
    Rel {
        rel_type: String,
        props: BTreeMap<String, TVal>,
    },
    /// The first node, then each hop: whether it is walked forward
    /// (`-[]->`), the relation and the node it reaches.
    Path {
        start: Box<TVal>,
        hops: Vec<(bool, TVal, TVal)>,
    },
}

/// How values are compared.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cmp {
    /// `ignoring element order for lists`
    pub unordered_lists: bool,
    /// Our own scenarios on the bundled data: an expected node or relation
    /// matches one that has at least its labels and properties.
    pub partial_entities: bool,
}

impl TVal {
    pub fn matches(&self, actual: &TVal, cmp: Cmp) -> bool {
        use TVal::*;
        match (self, actual) {
            (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (List(a), List(b)) if cmp.unordered_lists => {
                if a.len() != b.len() {
                    return false;
                }
                let mut used = vec![false; b.len()];
                a.iter().all(|x| {
                    let found = (0..b.len()).find(|&j| !used[j] && x.matches(&b[j], cmp));
                    found.map(|j| used[j] = true).is_some()
                })
            }
            (List(a), List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.matches(y, cmp))
            }
            (Map(a), Map(b)) => props_match(a, b, cmp, false),
            (
                Node { labels, props },
                Node {
                    labels: l2,
                    props: p2,
                },
            ) => {
                let labels_ok = if cmp.partial_entities {
                    labels.iter().all(|l| l2.contains(l))
                } else {
                    let (mut a, mut b) = (labels.clone(), l2.clone());
                    a.sort();
                    b.sort();
                    a == b
                };
                labels_ok && props_match(props, p2, cmp, cmp.partial_entities)
            }
            (
                Rel { rel_type, props },
                Rel {
                    rel_type: t2,
                    props: p2,
                },
            ) => rel_type == t2 && props_match(props, p2, cmp, cmp.partial_entities),
            (
                Path { start, hops },
                Path {
                    start: s2,
                    hops: h2,
                },
            ) => {
                start.matches(s2, cmp)
                    && hops.len() == h2.len()
                    && hops.iter().zip(h2).all(|((d, r, n), (d2, r2, n2))| {
                        d == d2 && r.matches(r2, cmp) && n.matches(n2, cmp)
                    })
            }
            _ => self == actual,
        }
    }
}

fn props_match(
    want: &BTreeMap<String, TVal>,
    got: &BTreeMap<String, TVal>,
    cmp: Cmp,
    partial: bool,
) -> bool {
    (partial || want.len() == got.len())
        && want
            .iter()
            .all(|(k, v)| got.get(k).is_some_and(|g| v.matches(g, cmp)))
}

impl fmt::Display for TVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TVal::Null => f.write_str("null"),
            TVal::Bool(b) => write!(f, "{b}"),
            TVal::Int(i) => write!(f, "{i}"),
            TVal::Float(x) => f.write_str(&eje::model::value::format_float(*x)),
            TVal::Str(s) => f.write_str(&eje::model::value::quote_str(s)),
            TVal::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            TVal::Map(m) => write_map(f, m),
            TVal::Node { labels, props } => {
                f.write_str("(")?;
                for l in labels {
                    write!(f, ":{l}")?;
                }
                if !props.is_empty() {
                    if !labels.is_empty() {
                        f.write_str(" ")?;
                    }
                    write_map(f, props)?;
                }
                f.write_str(")")
            }
            TVal::Rel { rel_type, props } => {
                write!(f, "[:{rel_type}")?;
                if !props.is_empty() {
                    f.write_str(" ")?;
                    write_map(f, props)?;
                }
                f.write_str("]")
            }
            TVal::Path { start, hops } => {
                write!(f, "<{start}")?;
                for (forward, r, n) in hops {
                    if *forward {
                        write!(f, "-{r}->{n}")?;
                    } else {
                        write!(f, "<-{r}-{n}")?;
                    }
                }
                f.write_str(">")
            }
        }
    }
}

fn write_map(f: &mut fmt::Formatter<'_>, m: &BTreeMap<String, TVal>) -> fmt::Result {
    f.write_str("{")?;
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{k}: {v}")?;
    }
    f.write_str("}")
}

/// An eje value, looked up in the graph it refers into.
pub fn from_eje(g: &Graph, v: &Value) -> TVal {
    match v {
        Value::Null => TVal::Null,
        Value::Bool(b) => TVal::Bool(*b),
        Value::Int(i) => TVal::Int(*i),
        Value::Float(x) => TVal::Float(*x),
        Value::Str(s) => TVal::Str((s.clone()).to_string()),
        // The TCK writes temporal values as their ISO text.
        Value::Date(d) => TVal::Str(d.to_string()),
        Value::Temporal(t) => TVal::Str(t.to_string()),
        Value::List(items) => TVal::List(items.iter().map(|x| from_eje(g, x)).collect()),
        Value::Map(m) => TVal::Map(m.iter().map(|(k, x)| (k.clone(), from_eje(g, x))).collect()),
        Value::Node(ix) => node(g, *ix),
        Value::Rel(ix) => rel(g, *ix),
        Value::Path(p) => {
            let start = Box::new(node(g, p.nodes[0]));
            let hops = p
                .rels
                .iter()
                .zip(p.nodes.windows(2))
                .map(|(&r, pair)| {
                    let (from, _) = g.endpoints(r);
                    (from == pair[0], rel(g, r), node(g, pair[1]))
                })
                .collect();
            TVal::Path { start, hops }
        }
    }
}

fn node(g: &Graph, ix: petgraph::graph::NodeIndex) -> TVal {
    let n = g.node(ix);
    TVal::Node {
        labels: n.labels.clone(),
        props: n
            .props
            .iter()
            .map(|(k, x)| (k.clone(), from_eje(g, x)))
            .collect(),
    }
}

fn rel(g: &Graph, ix: petgraph::graph::EdgeIndex) -> TVal {
    let r = g.rel(ix);
    TVal::Rel {
        rel_type: r.rel_type.to_string(),
        props: r
            .props
            .iter()
            .map(|(k, x)| (k.clone(), from_eje(g, x)))
            .collect(),
    }
}

/// An answer value as `eje query --format json` prints it (SPEC §1): nodes
/// `{id, labels, [name,] properties}`, relations `{type, from, to,
/// properties}`, paths `{nodes, rels}`, temporal values as their text (as
/// `from_eje` gives them), and NaN and the infinities, which JSON cannot
/// hold, as the text eje writes for them.
pub fn from_json(v: &serde_json::Value) -> TVal {
    use serde_json::Value as J;
    let props = |p: &J| -> BTreeMap<String, TVal> {
        p.as_object()
            .map(|m| m.iter().map(|(k, x)| (k.clone(), from_json(x))).collect())
            .unwrap_or_default()
    };
    match v {
        J::Null => TVal::Null,
        J::Bool(b) => TVal::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => TVal::Int(i),
            None => TVal::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => match s.as_str() {
            "NaN" => TVal::Float(f64::NAN),
            "Infinity" => TVal::Float(f64::INFINITY),
            "-Infinity" => TVal::Float(f64::NEG_INFINITY),
            _ => TVal::Str(s.clone()),
        },
        J::Array(items) => TVal::List(items.iter().map(from_json).collect()),
        J::Object(m) => {
            let keys: Vec<&str> = m.keys().map(String::as_str).collect();
            match keys.as_slice() {
                ["id", "labels", "properties"] | ["id", "labels", "name", "properties"] => {
                    TVal::Node {
                        labels: m["labels"]
                            .as_array()
                            .map(|l| {
                                l.iter()
                                    .filter_map(|x| x.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        props: props(&m["properties"]),
                    }
                }
                ["type", "from", "to", "properties"] => TVal::Rel {
                    rel_type: m["type"].as_str().unwrap_or_default().to_string(),
                    props: props(&m["properties"]),
                },
                ["nodes", "rels"] => {
                    let nodes = m["nodes"].as_array().cloned().unwrap_or_default();
                    let rels = m["rels"].as_array().cloned().unwrap_or_default();
                    let hops = rels
                        .iter()
                        .zip(nodes.windows(2))
                        .map(|(r, pair)| {
                            (
                                r["from"] == pair[0]["id"],
                                from_json(r),
                                from_json(&pair[1]),
                            )
                        })
                        .collect();
                    TVal::Path {
                        start: Box::new(nodes.first().map_or(TVal::Null, from_json)),
                        hops,
                    }
                }
                _ => TVal::Map(props(v)),
            }
        }
    }
}

/// A TCK value as an eje value, for parameters (no nodes, relations or
/// paths).
pub fn to_eje(v: &TVal) -> Option<Value> {
    Some(match v {
        TVal::Null => Value::Null,
        TVal::Bool(b) => Value::Bool(*b),
        TVal::Int(i) => Value::Int(*i),
        TVal::Float(x) => Value::Float(*x),
        TVal::Str(s) => Value::Str((s.clone()).into()),
        TVal::List(items) => Value::List(items.iter().map(to_eje).collect::<Option<_>>()?),
        TVal::Map(m) => Value::Map(
            m.iter()
                .map(|(k, x)| Some((k.clone(), to_eje(x)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// Parses a value in the TCK's syntax.
pub fn parse(text: &str) -> Result<TVal, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        at: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.at != p.s.len() {
        return Err(p.err("the end of the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn err(&self, expected: &str) -> String {
        format!("expected {expected} at {} in `{}`", self.at, self.text)
    }

    fn ws(&mut self) {
        while self.at < self.s.len() && self.s[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("`{}`", c as char)))
        }
    }

    fn starts(&mut self, word: &str) -> bool {
        self.ws();
        self.text[self.at..].starts_with(word)
    }

    fn value(&mut self) -> Result<TVal, String> {
        match self.peek() {
            None => Err(self.err("a value")),
            Some(b'\'') | Some(b'"') => Ok(TVal::Str(self.string()?)),
            Some(b'[') => {
                let save = self.at;
                self.at += 1;
                if self.peek() == Some(b':') {
                    self.at = save;
                    return self.rel();
                }
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(TVal::List(items))
            }
            Some(b'{') => Ok(TVal::Map(self.map()?)),
            Some(b'(') => self.node(),
            Some(b'<') => self.path(),
            _ => {
                for (word, v) in [
                    ("null", TVal::Null),
                    ("true", TVal::Bool(true)),
                    ("false", TVal::Bool(false)),
                    ("NaN", TVal::Float(f64::NAN)),
                    ("Infinity", TVal::Float(f64::INFINITY)),
                    ("-Infinity", TVal::Float(f64::NEG_INFINITY)),
                    ("Inf", TVal::Float(f64::INFINITY)),
                    ("-Inf", TVal::Float(f64::NEG_INFINITY)),
                ] {
                    if self.starts(word) {
                        let end = self.at + word.len();
                        if !self.s.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
                            self.at = end;
                            return Ok(v);
                        }
                    }
                }
                self.number()
            }
        }
    }

    fn number(&mut self) -> Result<TVal, String> {
        let start = self.at;
        let mut end = start;
        while end < self.s.len()
            && (self.s[end].is_ascii_alphanumeric() || b"+-.".contains(&self.s[end]))
        {
            // A sign only at the start or after an exponent.
            if (self.s[end] == b'+' || self.s[end] == b'-')
                && end > start
                && !matches!(self.s[end - 1], b'e' | b'E')
            {
                break;
            }
            end += 1;
        }
        let t = &self.text[start..end];
        let v = if let Ok(i) = t.parse::<i64>() {
            TVal::Int(i)
        } else if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("-0x")) {
            let i = i64::from_str_radix(hex, 16).map_err(|_| self.err("a number"))?;
            TVal::Int(if t.starts_with('-') { -i } else { i })
        } else if t.chars().any(|c| c.is_ascii_digit()) {
            TVal::Float(t.parse::<f64>().map_err(|_| self.err("a number"))?)
        } else {
            return Err(self.err("a value"));
        };
        self.at = end;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        let quote = self.s[self.at];
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.text[self.at..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    let (_, e) = chars.next().ok_or_else(|| self.err("an escape"))?;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        other => other,
                    });
                }
                c if c as u32 == quote as u32 => {
                    self.at += i + 1;
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        Err(self.err("the end of the string"))
    }

    fn name(&mut self) -> Result<String, String> {
        self.ws();
        if self.s.get(self.at) == Some(&b'`') {
            let end = self.text[self.at + 1..]
                .find('`')
                .ok_or_else(|| self.err("a closing backtick"))?;
            let n = self.text[self.at + 1..self.at + 1 + end].to_string();
            self.at += end + 2;
            return Ok(n);
        }
        let start = self.at;
        while self.at < self.s.len()
            && (self.s[self.at].is_ascii_alphanumeric() || self.s[self.at] == b'_')
        {
            self.at += 1;
        }
        if start == self.at {
            return Err(self.err("a name"));
        }
        Ok(self.text[start..self.at].to_string())
    }

    fn map(&mut self) -> Result<BTreeMap<String, TVal>, String> {
        self.expect(b'{')?;
        let mut m = BTreeMap::new();
        if self.eat(b'}') {
            return Ok(m);
        }
        loop {
            let k = self.name()?;
            self.expect(b':')?;
            let v = self.value()?;
            m.insert(k, v);
            if self.eat(b'}') {
                return Ok(m);
            }
            self.expect(b',')?;
        }
    }

    fn labels(&mut self) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        while self.eat(b':') {
            out.push(self.name()?);
        }
        Ok(out)
    }

    fn node(&mut self) -> Result<TVal, String> {
        self.expect(b'(')?;
        let labels = self.labels()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b')')?;
        Ok(TVal::Node { labels, props })
    }

    fn rel(&mut self) -> Result<TVal, String> {
        self.expect(b'[')?;
        self.expect(b':')?;
        let rel_type = self.name()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b']')?;
        Ok(TVal::Rel { rel_type, props })
    }

    fn path(&mut self) -> Result<TVal, String> {
        self.expect(b'<')?;
        let start = Box::new(self.node()?);
        let mut hops = Vec::new();
        loop {
            if self.eat(b'>') {
                return Ok(TVal::Path { start, hops });
            }
            let backward = self.eat(b'<');
            self.expect(b'-')?;
            let r = self.rel()?;
            self.expect(b'-')?;
            let forward = !backward && self.eat(b'>');
            if !backward && !forward {
                return Err(self.err("`>` after the relation"));
            }
            let n = self.node()?;
            hops.push((forward, r, n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_tck_syntax() {
        let v = parse("[1, -2, 1.5, -0.5, 1e3, 'a\\'b', \"q\", null, true, {k: [], `x y`: {}}]")
            .unwrap();
        assert_eq!(
            v.to_string(),
            "[1, -2, 1.5, -0.5, 1000.0, 'a\\'b', 'q', null, true, {k: [], x y: {}}]"
        );
        let n = parse("(:A:B {name: 'x'})").unwrap();
        assert_eq!(n.to_string(), "(:A:B {name: 'x'})");
        let p = parse("<(:A)-[:T {w: 1}]->()<-[:U]-(:C)>").unwrap();
        assert_eq!(p.to_string(), "<(:A)-[:T {w: 1}]->()<-[:U]-(:C)>");
        assert_eq!(parse("[[:T], [:U]]").unwrap().to_string(), "[[:T], [:U]]");
        assert!(matches!(parse("NaN").unwrap(), TVal::Float(f) if f.is_nan()));
        assert!(parse("(:A").is_err());
        assert!(parse("1 2").is_err());
    }

    #[test]
    fn compares_lists_in_order_or_not() {
        let a = parse("[1, [2, 3]]").unwrap();
        let b = parse("[[3, 2], 1]").unwrap();
        assert!(!a.matches(&b, Cmp::default()));
        let any = Cmp {
            unordered_lists: true,
            ..Cmp::default()
        };
        assert!(a.matches(&b, any));
        assert!(!parse("1").unwrap().matches(&parse("1.0").unwrap(), any));
    }
}
