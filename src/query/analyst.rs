//! Analyst statements: `DESCRIBE`, `NEIGHBORS`, `PATH`, `TIMELINE` and
//! `EVIDENCE`, sugar over the same graph and engine as the openCypher
//! queries (`PATH` runs `allShortestPaths` through the evaluator).
//!
//! Each answers a `ResultSet` that reads well as a terminal table and as
//! JSON: a card of key facts in `header` and one row per relation, hop,
//! dated fact or citation. Entity references resolve as in patterns
//! (`Graph::resolve`), relation types after `VIA` as in patterns.
//!
//! Columns:
//! - `DESCRIBE e [OUTGOING|INCOMING]`: card `id, kind, name, aliases,
//!   description, props, note, when, relations`; rows `type | direction |
//!   other | date | quantity | hedge | sources | basis`, grouped by type,
//!   then by date. `direction` is `->` (the entity is the subject), `<-` (it
//!   is the object) or `--` (a symmetric type). Relations that read the same
//!   (a stated claim and its twin derived from a meeting) are one row, and
//!   `basis` says what stands behind it (`stated`, `derived`, `both`).
//! - `NEIGHBORS e [DEPTH n] [VIA t, ...] [OUTGOING|INCOMING]`: rows `depth |
//!   from | via | direction | node | kind`, read left to right ("Putin
//!   visited -> Pyongyang"), breadth first (each node once, where it is first
//!   reached).
//! - Any entity may be a parameter: `DESCRIBE $who`, `PATH $a TO $b`.
//! - `PATH a TO b [VIA t, ...]`: rows `path | hop | from | type | direction |
//!   to | date | hedge | sources | quote`, one per hop of each shortest path
//!   (`direction` as in DESCRIBE).
//! - `TIMELINE [e] [FROM d] [TO d]`: rows `date | subject | relation | object
//!   | quantity | hedge | sources` in date order; events appear once (their kind as the
//!   relation, their place as the object), claims with a date or a span
//!   too; an open span prints as "since 2022 (known to 2024-06)". `FROM`/`TO`
//!   keep what is known to overlap the period: a fact whose open end reaches
//!   it only after `known_until` is unknown there, left out with a note.
//! - `EVIDENCE e [TO e2]`: rows `subject | relation | object | date |
//!   quantity | source | claimant | hedge | rank | quote`, one per citation.
//!   A quantity reads as in the exports: "≈ 15,000 troops", and a bound
//!   "> 3,000,000 shells".

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};

use super::ast::{self, Span};
use super::dates::{self, Extent};
use super::error::QueryError;
use super::eval::{self, Options};
use super::plan::{resolve_entity, resolve_rel_types};
use super::result::ResultSet;
use crate::model::{Graph, PartialDate, Props, Value, When, text};

/// Node properties shown in the card under their own name, not in `props`.
const CARD_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "note",
    "date",
    "start",
    "end",
];

/// At most this many shortest paths are listed by `PATH`.
const MAX_PATHS: usize = 25;

pub fn execute(
    graph: &Graph,
    _text: &str,
    stmt: &ast::Statement,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    // `$who` in an analyst statement names the entity by its value.
    let bound = |r: &ast::EntityRef| bind(graph, r, opts);
    let bound_opt = |r: Option<&ast::EntityRef>| r.map(|r| bind(graph, r, opts)).transpose();
    match stmt {
        ast::Statement::Query(_) => unreachable!("queries are run by the evaluator"),
        ast::Statement::Describe { entity, toward, .. } => {
            describe(graph, &bound(entity)?, *toward)
        }
        ast::Statement::Neighbors {
            entity,
            depth,
            via,
            toward,
            ..
        } => neighbors(
            graph,
            &bound(entity)?,
            depth.unwrap_or(1),
            via,
            *toward,
            opts,
        ),
        ast::Statement::Path {
            from,
            to,
            via,
            span,
        } => path(graph, &bound(from)?, &bound(to)?, via, *span, opts),
        ast::Statement::Timeline {
            entity, from, to, ..
        } => timeline(
            graph,
            bound_opt(entity.as_ref())?.as_ref(),
            from.as_ref(),
            to.as_ref(),
        ),
        ast::Statement::Evidence {
            entity,
            to,
            by,
            source,
            ..
        } => evidence(
            graph,
            bound_opt(entity.as_ref())?.as_ref(),
            bound_opt(to.as_ref())?.as_ref(),
            bound_opt(by.as_ref())?.as_ref(),
            bound_opt(source.as_ref())?.as_ref(),
        ),
    }
}

/// The entity reference a statement means: itself, or for `$who` the
/// parameter's value (a name, an id or a node), as if written in quotes.
fn bind(graph: &Graph, r: &ast::EntityRef, opts: &Options) -> Result<ast::EntityRef, QueryError> {
    let Some(name) = r.param() else {
        return Ok(r.clone());
    };
    let text = match opts.params.get(name) {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Node(ix)) if ix.index() < graph.node_count() => graph.node(*ix).id.clone(),
        Some(other) => {
            return Err(QueryError::semantic(
                format!("`${name}` is {other}, not the name or id of an entity"),
                r.span,
            )
            .with_code("ParameterType")
            .with_help(format!("give it a name or an id: `:param {name} 'putin'`")));
        }
        None => {
            return Err(
                QueryError::semantic(format!("parameter `${name}` has no value"), r.span)
                    .with_code("ParameterMissing")
                    .with_help(format!(
                        "set it with `--param {name}=VALUE` or `:param {name} VALUE`"
                    )),
            );
        }
    };
    Ok(ast::EntityRef {
        text,
        quoted: true,
        span: r.span,
    })
}

fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// When a node or relation holds, from its `date` or `start`/`end`.
fn when_of(props: &Props) -> Option<When> {
    let get = |k: &str| match props.get(k) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    match (get("date"), get("start"), get("end")) {
        (Some(d), _, _) => Some(When::On(d)),
        (None, None, None) => None,
        (None, from, to) => Some(When::Span { from, to }),
    }
}

fn when_value(w: Option<When>) -> Value {
    w.map_or(Value::Null, |w| Value::Str((w.to_string()).into()))
}

/// Orders facts by when they start (undated last), then by when they end.
fn when_order(a: Option<When>, b: Option<When>) -> Ordering {
    let key = |w: Option<When>| {
        w.map(|w| {
            (
                w.start().map_or(i64::MIN, |d| d.first_day()),
                w.start().map(|d| d.precision()),
                last_day(w),
            )
        })
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The last day a fact covers; an open end is the end of time.
fn last_day(w: When) -> i64 {
    match w {
        When::On(d) => d.last_day(),
        When::Span { to, .. } => to.map_or(i64::MAX, |d| d.last_day()),
    }
}

/// A claim's quantity as text, with its bounds: "> 3,000,000 shells";
/// null without one.
fn quantity_value(graph: &Graph, props: &Props) -> Value {
    text::quantity_text(graph, props).map_or(Value::Null, Value::from)
}

fn prop_str(props: &Props, key: &str) -> Value {
    props.get(key).cloned().unwrap_or(Value::Null)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Str(s) => (s.clone()).to_string(),
        Value::List(items) => items.iter().map(text_of).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Every relation of a node, each once (a self-loop too), with its
/// direction seen from the node and the node at its other end.
fn rels_around(graph: &Graph, ix: NodeIndex) -> Vec<(EdgeIndex, &'static str, NodeIndex)> {
    let mut out: Vec<(EdgeIndex, &'static str, NodeIndex)> = graph
        .rels_of(ix, Direction::Outgoing)
        .map(|e| (e, "out", graph.endpoints(e).1))
        .collect();
    out.extend(graph.rels_of(ix, Direction::Incoming).filter_map(|e| {
        let (from, to) = graph.endpoints(e);
        (from != to).then_some((e, "in", from))
    }));
    out.sort_by_key(|(e, _, _)| *e);
    out
}

/// Whether the schema declares the relation's type symmetric (`met_with`):
/// it has no direction to show.
fn is_symmetric(graph: &Graph, e: EdgeIndex) -> bool {
    graph
        .schema
        .as_ref()
        .and_then(|s| s.relation_ci(&graph.rel(e).rel_type))
        .is_some_and(|r| r.symmetric)
}

/// A relation's direction as shown, seen from the entity at `dir`'s end:
/// `->` it points away, `<-` it points at the entity, `--` symmetric.
fn arrow(graph: &Graph, e: EdgeIndex, dir: &str) -> &'static str {
    if is_symmetric(graph, e) {
        "--"
    } else if dir == "out" {
        "->"
    } else {
        "<-"
    }
}

/// Whether `DESCRIBE ... OUTGOING` (or `INCOMING`) follows the relation; a
/// symmetric one is followed either way.
fn follows(graph: &Graph, e: EdgeIndex, dir: &str, toward: ast::Toward) -> bool {
    match toward {
        ast::Toward::Both => true,
        ast::Toward::Outgoing => dir == "out" || is_symmetric(graph, e),
        ast::Toward::Incoming => dir == "in" || is_symmetric(graph, e),
    }
}

fn is_derived(graph: &Graph, e: EdgeIndex) -> bool {
    graph.rel(e).props.get("derived") == Some(&Value::Bool(true))
}

/// The `basis` of a DESCRIBE row: `stated` (a claim of the data),
/// `derived` (from an event's participants, such as a meeting's), `both`
/// (a stated claim and its derived twin), with `×N` when several claims of
/// one kind read the same. Short, so the column fits beside the others.
fn basis(stated: usize, derived: usize) -> String {
    match (stated, derived) {
        (0, 1) => "derived".into(),
        (0, n) => format!("derived ×{n}"),
        (1, 0) => "stated".into(),
        (n, 0) => format!("stated ×{n}"),
        _ => "both".into(),
    }
}

fn describe(
    graph: &Graph,
    entity: &ast::EntityRef,
    toward: ast::Toward,
) -> Result<ResultSet, QueryError> {
    let ix = resolve_entity(graph, entity)?;
    let node = graph.node(ix);
    let mut rs = ResultSet::new(strs(&[
        "type",
        "direction",
        "other",
        "date",
        "quantity",
        "hedge",
        "sources",
        "basis",
    ]));
    rs.header.push(("id".into(), node.id.clone()));
    if let Some(k) = node.kind() {
        rs.header.push(("kind".into(), k.to_string()));
    }
    rs.header
        .push(("name".into(), node.display_name().to_string()));
    if let Some(Value::List(a)) = node.props.get("aliases")
        && !a.is_empty()
    {
        rs.header
            .push(("aliases".into(), text_of(&Value::List(a.clone()))));
    }
    for key in ["description", "note"] {
        if let Some(v) = node.props.get(key) {
            rs.header.push((key.into(), text_of(v)));
        }
    }
    let extra: Vec<String> = node
        .props
        .iter()
        .filter(|(k, _)| !CARD_KEYS.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}: {}", text_of(v)))
        .collect();
    if !extra.is_empty() {
        rs.header.push(("props".into(), extra.join("; ")));
    }
    if let Some(w) = when_of(&node.props) {
        rs.header.push(("when".into(), w.to_string()));
    }
    let mut rels: Vec<(EdgeIndex, &'static str, NodeIndex)> = rels_around(graph, ix)
        .into_iter()
        .filter(|(e, dir, _)| follows(graph, *e, dir, toward))
        .map(|(e, dir, other)| (e, arrow(graph, e, dir), other))
        .collect();
    rs.header.push(("relations".into(), rels.len().to_string()));
    match toward {
        ast::Toward::Both => {}
        ast::Toward::Outgoing => rs
            .header
            .push(("direction".into(), "outgoing (and symmetric)".into())),
        ast::Toward::Incoming => rs
            .header
            .push(("direction".into(), "incoming (and symmetric)".into())),
    }
    rels.sort_by(|a, b| {
        let (ra, rb) = (graph.rel(a.0), graph.rel(b.0));
        ra.rel_type
            .cmp(&rb.rel_type)
            .then_with(|| when_order(when_of(&ra.props), when_of(&rb.props)))
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| graph.node(a.2).id.cmp(&graph.node(b.2).id))
            .then_with(|| a.0.cmp(&b.0))
    });
    rs.touched.nodes.push(ix);
    // A stated claim and its derived twin (a meeting's participants), or
    // two claims that read the same, are one row: what the row shows is
    // the same fact; `basis` counts what stands behind it.
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for (e, dir, other) in rels {
        let r = graph.rel(e);
        rs.touched.rels.push(e);
        let row = vec![
            Value::Str((r.rel_type.to_string()).into()),
            Value::from(dir),
            Value::Node(other),
            when_value(when_of(&r.props)),
            quantity_value(graph, &r.props),
            prop_str(&r.props, "hedge"),
            prop_str(&r.props, "sources"),
        ];
        let derived = is_derived(graph, e);
        let same = rows.iter().rposition(|old| old[..6] == row[..6]);
        match same {
            Some(i) => {
                let merged = merge_sources(&rows[i][6], &row[6]);
                rows[i][6] = merged;
                if derived {
                    counts[i].1 += 1;
                } else {
                    counts[i].0 += 1;
                }
            }
            None => {
                rows.push(row);
                counts.push(if derived { (0, 1) } else { (1, 0) });
            }
        }
    }
    for (mut row, (stated, derived)) in rows.into_iter().zip(counts) {
        row.push(Value::from(basis(stated, derived).as_str()));
        rs.rows.push(row);
    }
    Ok(rs)
}

/// The sources of two relations that read the same, each once, in order.
fn merge_sources(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            let mut all: Vec<Value> = x.clone();
            for v in y.iter() {
                if !all.contains(v) {
                    all.push(v.clone());
                }
            }
            all.sort_by_key(|v| v.to_string());
            Value::List(all)
        }
        (Value::Null, other) | (other, Value::Null) => other.clone(),
        (a, _) => a.clone(),
    }
}

fn limit_error(budget: u64) -> QueryError {
    let mut e = super::limits::work_error(budget);
    e.message =
        format!("the statement did more than {budget} steps of work; lower DEPTH or add VIA");
    e
}

fn neighbors(
    graph: &Graph,
    entity: &ast::EntityRef,
    depth: u32,
    via: &[ast::Ident],
    toward: ast::Toward,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    let start = resolve_entity(graph, entity)?;
    let types = resolve_rel_types(graph, via)?;
    let mut rs = ResultSet::new(strs(&["depth", "from", "via", "direction", "node", "kind"]));
    rs.touched.nodes.push(start);
    let mut seen: HashSet<NodeIndex> = HashSet::from([start]);
    let mut frontier = vec![start];
    let mut work = 0u64;
    let budget = opts.work_budget(graph);
    for d in 1..=depth {
        let mut next = Vec::new();
        for &u in &frontier {
            for (e, dir, v) in rels_around(graph, u) {
                work += 1;
                if work > budget {
                    return Err(limit_error(budget));
                }
                let t = graph.rel(e).rel_type;
                if (!types.is_empty() && !types.iter().any(|x| *x == t))
                    || !follows(graph, e, dir, toward)
                    || !seen.insert(v)
                {
                    continue;
                }
                rs.touched.rels.push(e);
                rs.rows.push(vec![
                    Value::Int(i64::from(d)),
                    Value::Node(u),
                    Value::from(t.as_str()),
                    Value::from(arrow(graph, e, dir)),
                    Value::Node(v),
                    graph.node(v).kind().map_or(Value::Null, Value::from),
                ]);
                next.push(v);
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    rs.header = vec![
        (
            "entity".into(),
            graph.node(start).display_name().to_string(),
        ),
        ("depth".into(), depth.to_string()),
        (
            "via".into(),
            if types.is_empty() {
                "any relation".into()
            } else {
                types.join(", ")
            },
        ),
        ("neighbors".into(), rs.rows.len().to_string()),
    ];
    match toward {
        ast::Toward::Both => {}
        ast::Toward::Outgoing => rs
            .header
            .insert(3, ("direction".into(), "outgoing (and symmetric)".into())),
        ast::Toward::Incoming => rs
            .header
            .insert(3, ("direction".into(), "incoming (and symmetric)".into())),
    }
    Ok(rs)
}

/// Quotes a name for generated query text.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn path(
    graph: &Graph,
    from: &ast::EntityRef,
    to: &ast::EntityRef,
    via: &[ast::Ident],
    span: Span,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    let a = resolve_entity(graph, from)?;
    let b = resolve_entity(graph, to)?;
    if a == b {
        return Err(QueryError::semantic(
            format!("`{}` and `{}` are the same entity", from.text, to.text),
            span,
        )
        .with_help("PATH connects two different entities"));
    }
    let types = resolve_rel_types(graph, via)?;
    let type_text = if types.is_empty() {
        String::new()
    } else {
        let ts: Vec<String> = types
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "``")))
            .collect();
        format!(":{}", ts.join("|"))
    };
    let text = format!(
        "MATCH p = allShortestPaths(({})-[{type_text}*..{}]-({})) RETURN p LIMIT {MAX_PATHS}",
        quoted(&graph.node(a).id),
        opts.max_hops.max(1),
        quoted(&graph.node(b).id),
    );
    let script = super::parser::parse(&text)?;
    let stmt = script
        .statements
        .first()
        .expect("the generated query is one statement");
    let ast::Statement::Query(q) = stmt else {
        unreachable!("the generated statement is a query")
    };
    let found = eval::run_query(graph, &text, q, opts)?;
    let mut rs = ResultSet::new(strs(&[
        "path",
        "hop",
        "from",
        "type",
        "direction",
        "to",
        "date",
        "hedge",
        "sources",
        "quote",
    ]));
    let mut hops = None;
    for (i, row) in found.rows.iter().enumerate() {
        let Some(Value::Path(p)) = row.first() else {
            continue;
        };
        hops = Some(p.rels.len());
        rs.touched.nodes.extend(&p.nodes);
        rs.touched.rels.extend(&p.rels);
        for (h, e) in p.rels.iter().enumerate() {
            let r = graph.rel(*e);
            let (s, _) = graph.endpoints(*e);
            let quote = match r.props.get("quotes") {
                Some(Value::List(q)) => q.first().cloned().unwrap_or(Value::Null),
                _ => Value::Null,
            };
            rs.rows.push(vec![
                Value::Int(i as i64 + 1),
                Value::Int(h as i64 + 1),
                Value::Node(p.nodes[h]),
                Value::Str((r.rel_type.to_string()).into()),
                Value::from(if is_symmetric(graph, *e) {
                    "--"
                } else if s == p.nodes[h] {
                    "->"
                } else {
                    "<-"
                }),
                Value::Node(p.nodes[h + 1]),
                when_value(when_of(&r.props)),
                prop_str(&r.props, "hedge"),
                prop_str(&r.props, "sources"),
                quote,
            ]);
        }
    }
    rs.header = vec![
        ("from".into(), graph.node(a).display_name().to_string()),
        ("to".into(), graph.node(b).display_name().to_string()),
        (
            "hops".into(),
            hops.map_or_else(
                || format!("no connection within {} hops", opts.max_hops.max(1)),
                |h| h.to_string(),
            ),
        ),
        ("paths".into(), found.rows.len().to_string()),
    ];
    Ok(rs)
}

fn date_arg(d: Option<&ast::DateText>) -> Result<Option<PartialDate>, QueryError> {
    d.map(|d| {
        let text = d.text.trim_matches(|c| c == '\'' || c == '"');
        PartialDate::parse(text).map_err(|e| QueryError::semantic(e.0, d.span))
    })
    .transpose()
}

/// `known_until` of a span open at its end.
fn known_until(props: &Props, when: When) -> Option<PartialDate> {
    match (when, props.get("known_until")) {
        (When::Span { to: None, .. }, Some(Value::Date(d))) => Some(*d),
        _ => None,
    }
}

/// When a fact holds, as a timeline prints it: an open span with what its
/// sources know, "since 2022 (known to 2024-06)".
fn when_text(when: When, known_until: Option<PartialDate>) -> String {
    match (when, known_until) {
        (
            When::Span {
                from: Some(from),
                to: None,
            },
            Some(k),
        ) => {
            format!("since {from} (known to {k})")
        }
        _ => when.to_string(),
    }
}

/// One dated fact of a timeline.
struct Fact {
    when: When,
    /// The days it is known to hold (an open end up to `known_until`).
    extent: Option<Extent>,
    /// `known_until` of an open span.
    known_until: Option<PartialDate>,
    subject: NodeIndex,
    relation: String,
    object: Value,
    /// A claim's quantity as text (null for an event).
    quantity: Value,
    hedge: Value,
    sources: Value,
    /// The relation the fact is (a claim) or its place (an event).
    rel: Option<EdgeIndex>,
}

fn timeline(
    graph: &Graph,
    entity: Option<&ast::EntityRef>,
    from: Option<&ast::DateText>,
    to: Option<&ast::DateText>,
) -> Result<ResultSet, QueryError> {
    let focus = entity.map(|e| resolve_entity(graph, e)).transpose()?;
    let (lo, hi) = (date_arg(from)?, date_arg(to)?);
    if let (Some(a), Some(b), Some(f), Some(t)) = (lo, hi, from, to)
        && a.first_day() > b.last_day()
    {
        return Err(QueryError::semantic(
            format!("the period starts after it ends: `FROM {a}` is after `TO {b}`"),
            Span::new(f.span.start, t.span.end),
        )
        .with_help(format!("swap them: `FROM {b} TO {a}`")));
    }
    let mut facts = Vec::new();
    // Events: dated nodes, once each, with their place and evidence.
    let mut events: BTreeSet<NodeIndex> = BTreeSet::new();
    match focus {
        None => events.extend(
            graph
                .nodes()
                .filter(|n| when_of(&graph.node(*n).props).is_some()),
        ),
        Some(f) => {
            if when_of(&graph.node(f).props).is_some() {
                events.insert(f);
            }
            for (e, dir, other) in rels_around(graph, f) {
                if dir == "out"
                    && graph.rel(e).props.contains_key("event")
                    && when_of(&graph.node(other).props).is_some()
                {
                    events.insert(other);
                }
            }
        }
    }
    for ev in events {
        let node = graph.node(ev);
        let Some(when) = when_of(&node.props) else {
            continue;
        };
        let rels = rels_around(graph, ev);
        let place = rels
            .iter()
            .find(|(e, dir, _)| *dir == "out" && graph.rel(*e).props.contains_key("event"));
        let evidence = rels
            .iter()
            .find(|(e, _, _)| graph.rel(*e).props.contains_key("event"))
            .map(|(e, _, _)| &graph.rel(*e).props);
        facts.push(Fact {
            when,
            extent: Extent::of(&node.props),
            known_until: known_until(&node.props, when),
            subject: ev,
            relation: node.kind().unwrap_or("event").to_string(),
            object: place.map_or(Value::Null, |(_, _, p)| Value::Node(*p)),
            quantity: Value::Null,
            hedge: evidence.map_or(Value::Null, |p| prop_str(p, "hedge")),
            sources: evidence.map_or(Value::Null, |p| prop_str(p, "sources")),
            rel: place.map(|(e, _, _)| *e),
        });
    }
    // Claims with a date, but not the relations that events expand into.
    let claims: Vec<EdgeIndex> = match focus {
        None => graph.rels().collect(),
        Some(f) => rels_around(graph, f)
            .into_iter()
            .map(|(e, _, _)| e)
            .collect(),
    };
    for e in claims {
        let r = graph.rel(e);
        if r.props.contains_key("event") {
            continue;
        }
        let Some(when) = when_of(&r.props) else {
            continue;
        };
        let (s, t) = graph.endpoints(e);
        facts.push(Fact {
            when,
            extent: Extent::of(&r.props),
            known_until: known_until(&r.props, when),
            subject: s,
            relation: r.rel_type.to_string(),
            object: Value::Node(t),
            quantity: quantity_value(graph, &r.props),
            hedge: prop_str(&r.props, "hedge"),
            sources: prop_str(&r.props, "sources"),
            rel: Some(e),
        });
    }
    // FROM/TO keep what is known to overlap the period; a fact whose open
    // end reaches the period only after `known_until` is unknown there, so
    // it is left out, with a note.
    let mut unknown = 0;
    if lo.is_some() || hi.is_some() {
        let period = Extent {
            start: lo.map_or(i64::MIN, |d| d.first_day()),
            end: hi.map_or(i64::MAX, |d| d.last_day()),
            open_before: false,
            open_after: false,
        };
        facts.retain(|f| {
            let answer = f.extent.and_then(|x| dates::overlaps(&x, &period));
            if answer.is_none() {
                unknown += 1;
            }
            answer == Some(true)
        });
    }
    facts.sort_by(|a, b| {
        when_order(Some(a.when), Some(b.when))
            .then_with(|| graph.node(a.subject).id.cmp(&graph.node(b.subject).id))
            .then_with(|| a.relation.cmp(&b.relation))
    });
    let mut rs = ResultSet::new(strs(&[
        "date", "subject", "relation", "object", "quantity", "hedge", "sources",
    ]));
    if let Some(f) = focus {
        rs.header
            .push(("entity".into(), graph.node(f).display_name().to_string()));
    }
    if let Some(d) = lo {
        rs.header.push(("from".into(), d.to_string()));
    }
    if let Some(d) = hi {
        rs.header.push(("to".into(), d.to_string()));
    }
    rs.header.push(("facts".into(), facts.len().to_string()));
    if unknown > 0 {
        let note = if unknown == 1 {
            "1 fact with an open span was left out: its sources know it only until before this period".to_string()
        } else {
            format!(
                "{unknown} facts with an open span were left out: their sources know them only until before this period"
            )
        };
        rs.notes.push(format!("{note}; see `known_until`"));
    }
    for f in facts {
        rs.touched.rels.extend(f.rel);
        rs.rows.push(vec![
            Value::Str((when_text(f.when, f.known_until)).into()),
            Value::Node(f.subject),
            Value::Str(f.relation.into()),
            f.object,
            f.quantity,
            f.hedge,
            f.sources,
        ]);
    }
    Ok(rs)
}

/// Who a citation's claimant must be for `EVIDENCE ... BY`: an entity's
/// id, or, for claimants that are not entities, the text as written.
fn claimant_of(graph: &Graph, by: &ast::EntityRef) -> Result<String, QueryError> {
    match resolve_entity(graph, by) {
        Ok(ix) => Ok(graph.node(ix).id.clone()),
        Err(e) => {
            let named = graph
                .rels()
                .find_map(|r| match graph.rel(r).props.get("claimants") {
                    Some(Value::List(cs)) => cs.iter().find_map(|c| match c {
                        Value::Str(s) if s.eq_ignore_ascii_case(&by.text) => Some(s.to_string()),
                        _ => None,
                    }),
                    _ => None,
                });
            named.ok_or(e)
        }
    }
}

/// The source `EVIDENCE ... IN` names, by id ignoring case.
fn source_of(graph: &Graph, source: &ast::EntityRef) -> Result<String, QueryError> {
    if let Some(id) = graph
        .sources()
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&source.text))
    {
        return Ok(id.clone());
    }
    let ids = graph.sources().keys().map(String::as_str);
    let near = crate::model::names::nearest(&source.text, ids, 3);
    let mut err = QueryError::semantic(
        format!("no source is called `{}`", source.text),
        source.span,
    )
    .with_code("UnknownSource");
    if !near.is_empty() {
        let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        err = err.with_help(format!("did you mean {}?", list.join(", ")));
    }
    Err(err)
}

fn evidence(
    graph: &Graph,
    entity: Option<&ast::EntityRef>,
    to: Option<&ast::EntityRef>,
    by: Option<&ast::EntityRef>,
    source: Option<&ast::EntityRef>,
) -> Result<ResultSet, QueryError> {
    let a = entity.map(|e| resolve_entity(graph, e)).transpose()?;
    let b = to.map(|t| resolve_entity(graph, t)).transpose()?;
    let claimant = by.map(|c| claimant_of(graph, c)).transpose()?;
    let source = source.map(|s| source_of(graph, s)).transpose()?;
    let around: Vec<EdgeIndex> = match a {
        Some(a) => rels_around(graph, a)
            .into_iter()
            .filter(|(_, _, other)| b.is_none_or(|b| b == *other))
            .map(|(e, _, _)| e)
            .collect(),
        None => graph.rels().collect(),
    };
    let mut rels: Vec<EdgeIndex> = around
        .into_iter()
        .filter(|e| graph.rel(*e).props.get("derived") != Some(&Value::Bool(true)))
        .collect();
    rels.sort_by(|x, y| {
        let (rx, ry) = (graph.rel(*x), graph.rel(*y));
        rx.rel_type
            .cmp(&ry.rel_type)
            .then_with(|| when_order(when_of(&rx.props), when_of(&ry.props)))
            .then_with(|| x.cmp(y))
    });
    let mut rs = ResultSet::new(strs(&[
        "subject", "relation", "object", "date", "quantity", "source", "claimant", "hedge", "rank",
        "quote",
    ]));
    let mut sources: HashMap<String, ()> = HashMap::new();
    let wanted = |c: &BTreeMap<String, Value>| {
        let is = |key: &str, want: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| matches!(c.get(key), Some(Value::Str(s)) if **s == **w))
        };
        is("claimant", &claimant) && is("source", &source)
    };
    let filtered = claimant.is_some() || source.is_some();
    let mut claims = 0;
    for e in &rels {
        let r = graph.rel(*e);
        let (s, t) = graph.endpoints(*e);
        let Some(Value::List(cites)) = r.props.get("citations") else {
            if !filtered {
                claims += 1;
            }
            continue;
        };
        let before = rs.rows.len();
        for c in cites {
            let Value::Map(c) = c else { continue };
            if !wanted(c) {
                continue;
            }
            if let Some(Value::Str(src)) = c.get("source") {
                sources.insert((src.clone()).to_string(), ());
            }
            rs.rows.push(vec![
                Value::Node(s),
                Value::Str((r.rel_type.to_string()).into()),
                Value::Node(t),
                when_value(when_of(&r.props)),
                quantity_value(graph, &r.props),
                c.get("source").cloned().unwrap_or(Value::Null),
                c.get("claimant").cloned().unwrap_or(Value::Null),
                c.get("hedge").cloned().unwrap_or(Value::Null),
                prop_str(&r.props, "rank"),
                c.get("quote").cloned().unwrap_or(Value::Null),
            ]);
        }
        if rs.rows.len() > before {
            rs.touched.rels.push(*e);
        }
        // Without a filter on citations every claim counts, cited or not.
        if rs.rows.len() > before || !filtered {
            claims += 1;
        }
    }
    if let Some(a) = a {
        rs.header
            .push(("entity".into(), graph.node(a).display_name().to_string()));
    }
    if let Some(b) = b {
        rs.header
            .push(("to".into(), graph.node(b).display_name().to_string()));
    }
    if let Some(c) = &claimant {
        rs.header.push(("by".into(), c.clone()));
    }
    if let Some(s) = &source {
        rs.header.push(("in".into(), s.clone()));
    }
    rs.header.push(("claims".into(), claims.to_string()));
    rs.header
        .push(("citations".into(), rs.rows.len().to_string()));
    rs.header
        .push(("sources".into(), sources.len().to_string()));
    Ok(rs)
}
