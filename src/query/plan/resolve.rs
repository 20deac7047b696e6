//! Name resolution against the graph and its schema: labels, relation
//! types, property keys and entity references (ignoring case over curated
//! data, with a "did you mean"; as written over a graph script).

use super::*;

/// Node keys eje itself provides over curated data.
pub(super) const NODE_KEYS: &[&str] = &["id", "kind", "name", "aliases", "description", "note"];
/// Relation keys the loader sets (SPEC §3).
pub(super) const REL_KEYS: &[&str] = &[
    "type",
    "date",
    "start",
    "end",
    "quantity",
    "unit",
    "hedge",
    "rank",
    "sources",
    "claimants",
    "quotes",
    "derived",
    "citations",
    "id",
    "note",
    "role",
    "quantity_low",
    "quantity_high",
    "approx",
    "quantity_text",
    "conflicts_with",
];

impl Planner<'_> {
    /// Resolves a label: over curated data ignoring case, with a suggestion
    /// for an unknown one; otherwise as written.
    pub(super) fn label(&self, id: &ast::Ident) -> Result<String, QueryError> {
        if !self.curated {
            return Ok(id.name.clone());
        }
        let labels = self.graph.labels();
        if let Some(l) = labels.iter().find(|l| **l == id.name) {
            return Ok(l.to_string());
        }
        if let Some(l) = labels.iter().find(|l| l.eq_ignore_ascii_case(&id.name)) {
            return Ok(l.to_string());
        }
        let schema = self
            .graph
            .schema
            .as_ref()
            .expect("curated graphs have a schema");
        if let Some(k) = schema.kind_ci(&id.name) {
            return Ok(k.name.clone());
        }
        let mut all: Vec<&str> = schema.kinds.keys().map(String::as_str).collect();
        all.extend(labels.iter().copied());
        all.sort_unstable();
        all.dedup();
        let near = names::nearest(&id.name, all.iter().copied(), 1);
        let mut err = QueryError::semantic(format!("unknown label `{}`", id.name), id.span)
            .with_code("UnknownLabel");
        if let Some(h) = did_you_mean(&near) {
            err = err.with_help(h);
        }
        Err(err)
    }

    pub(super) fn rel_type(&self, id: &ast::Ident) -> Result<String, QueryError> {
        rel_type(self.graph, id)
    }

    pub(super) fn type_filter(&self, types: &[ast::Ident]) -> Result<TypeFilter, QueryError> {
        let resolved = if types.is_empty() {
            None
        } else {
            Some(
                types
                    .iter()
                    .map(|t| self.rel_type(t))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        };
        // Only a pattern that names a symmetric type matches it either way
        // round: `()-[r]->()` still sees every relation once.
        let mut symmetric = Vec::new();
        if let (Some(schema), Some(ts)) = (&self.graph.schema, &resolved) {
            for def in schema.relations.values().filter(|d| d.symmetric) {
                if ts.contains(&def.name) {
                    symmetric.push(def.name.clone());
                }
            }
        }
        Ok(TypeFilter::new(resolved, symmetric, self.graph.adjacency()))
    }

    /// Resolves a property key read from a node or relation over curated
    /// data: ignoring case, with a suggestion for one nothing has.
    pub(super) fn prop_key(&mut self, key: &ast::Ident) -> Result<String, QueryError> {
        if !self.curated {
            return Ok(key.name.clone());
        }
        let lower = key.name.to_lowercase();
        if let Some(k) = self.keys.get(&lower) {
            return Ok(k.clone());
        }
        let found = self.find_key(&key.name);
        match found {
            Some(k) => {
                self.keys.insert(lower, k.clone());
                Ok(k)
            }
            None => {
                let keys = self.graph.prop_keys();
                let mut all: Vec<&str> = NODE_KEYS
                    .iter()
                    .chain(REL_KEYS)
                    .copied()
                    .chain(keys.nodes.iter().chain(&keys.rels).map(String::as_str))
                    .collect();
                all.sort();
                all.dedup();
                let near = names::nearest(&key.name, all.iter().copied(), 1);
                let mut err = QueryError::semantic(
                    format!("no node or relation has a property `{}`", key.name),
                    key.span,
                )
                .with_code("UnknownPropertyKey");
                if let Some(h) = did_you_mean(&near) {
                    err = err.with_help(h);
                }
                Err(err)
            }
        }
    }

    /// The key a query's `wanted` names: a standard one (ignoring case),
    /// or one some node or relation has, read from the graph's catalogue
    /// of keys (nothing is read from the nodes and relations): the same
    /// text first, then one that differs only in case.
    pub(super) fn find_key(&self, wanted: &str) -> Option<String> {
        let same = |k: &&str| k.eq_ignore_ascii_case(wanted);
        if let Some(k) = NODE_KEYS.iter().chain(REL_KEYS).find(|k| same(k)) {
            return Some(k.to_string());
        }
        let keys = self.graph.prop_keys();
        let all = || keys.nodes.iter().chain(&keys.rels).map(String::as_str);
        all()
            .find(|k| *k == wanted)
            .or_else(|| all().find(same))
            .map(str::to_string)
    }

    pub(super) fn entity(&self, r: &ast::EntityRef) -> Result<NodeIndex, QueryError> {
        resolve_entity(self.graph, r)
    }
}

/// Resolves relation type names (`VIA met_with, ...` of the analyst
/// statements) the way patterns do.
pub fn resolve_rel_types(graph: &Graph, types: &[ast::Ident]) -> Result<Vec<String>, QueryError> {
    types.iter().map(|t| rel_type(graph, t)).collect()
}

/// Resolves a relation type: over curated data ignoring case, with a
/// suggestion for an unknown one; otherwise as written.
fn rel_type(graph: &Graph, id: &ast::Ident) -> Result<String, QueryError> {
    if graph.schema.is_none() {
        return Ok(id.name.clone());
    }
    let schema = graph.schema.as_ref().expect("curated graphs have a schema");
    if let Some(r) = schema.relation_ci(&id.name) {
        return Ok(r.name.clone());
    }
    // Types present in the data but not in the schema (derived ones).
    let g = graph;
    if let Some(t) = g
        .rels()
        .map(|r| g.rel_type(r))
        .find(|t| t.eq_ignore_ascii_case(&id.name))
    {
        return Ok(t.to_string());
    }
    let mut all: Vec<&str> = schema.relations.keys().map(String::as_str).collect();
    let mut seen: HashSet<&str> = all.iter().copied().collect();
    for t in g.rels().map(|r| g.rel_type(r)) {
        if seen.insert(t) {
            all.push(t);
        }
    }
    let near = names::nearest(&id.name, all.iter().copied(), 1);
    let mut err = QueryError::semantic(format!("unknown relation type `{}`", id.name), id.span)
        .with_code("UnknownRelType");
    if let Some(h) = did_you_mean(&near) {
        err = err.with_help(h);
    }
    Err(err)
}

/// Resolves an entity reference to one node, or explains why it cannot.
pub fn resolve_entity(graph: &Graph, r: &ast::EntityRef) -> Result<NodeIndex, QueryError> {
    match graph.resolve(&r.text) {
        Resolution::One(ix) => Ok(ix),
        Resolution::None { nearest } => {
            let mut err = QueryError::semantic(format!("no entity is called `{}`", r.text), r.span)
                .with_code("UnknownEntity");
            let near: Vec<&str> = nearest.iter().map(String::as_str).take(5).collect();
            if let Some(h) = did_you_mean(&near) {
                err = err.with_help(h);
            }
            Err(err)
        }
        Resolution::Many(ixs) => {
            let list: Vec<String> = ixs
                .iter()
                .map(|ix| {
                    let n = graph.node(*ix);
                    match n.kind() {
                        Some(k) => format!("`{}` ({}, {k})", n.id, n.display_name()),
                        None => format!("`{}` ({})", n.id, n.display_name()),
                    }
                })
                .collect();
            Err(QueryError::semantic(
                format!(
                    "`{}` is ambiguous: it names {} entities: {}",
                    r.text,
                    ixs.len(),
                    list.join(", ")
                ),
                r.span,
            )
            .with_code("AmbiguousEntity")
            .with_help("use the id of the one you mean"))
        }
    }
}
