//! `:search TEXT`: text search that ignores case, accents and punctuation
//! over entity names, aliases and descriptions and over the quotes that
//! back relations (`CONTAINS` is exact: `'kursk'` misses `Kursk`).

use crate::model::{Graph, Value, names};
use crate::query::ResultSet;

/// Every entity whose name, an alias or its description contains `text`,
/// and every relation one of whose quotes does, compared by eje's name
/// keys. Rows: what matched (a node or a relation), where, and the text.
pub fn search(graph: &Graph, text: &str) -> ResultSet {
    let key = names::normalize(text);
    let mut rs = ResultSet::new(vec!["match".into(), "in".into(), "text".into()]);
    let hit = |s: &str| !key.is_empty() && names::normalize(s).contains(&key);
    for ix in graph.nodes() {
        let n = graph.node(ix);
        let mut fields: Vec<(&str, &str)> = Vec::new();
        fields.extend(n.name().map(|s| ("name", s)));
        if let Some(Value::List(aliases)) = n.props.get("aliases") {
            fields.extend(
                aliases
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|a| ("alias", a)),
            );
        }
        if let Some(Value::Str(d)) = n.props.get("description") {
            fields.push(("description", d));
        }
        if let Some((field, s)) = fields.into_iter().find(|(_, s)| hit(s)) {
            rs.rows
                .push(vec![Value::Node(ix), Value::from(field), Value::from(s)]);
        }
    }
    for ix in graph.rels() {
        let r = graph.rel(ix);
        if let Some(Value::List(quotes)) = r.props.get("quotes")
            && let Some(q) = quotes.iter().filter_map(Value::as_str).find(|q| hit(q))
        {
            rs.rows
                .push(vec![Value::Rel(ix), Value::from("quote"), Value::from(q)]);
        }
    }
    rs.header = vec![
        ("searched".into(), text.to_string()),
        ("found".into(), rs.rows.len().to_string()),
    ];
    rs
}
