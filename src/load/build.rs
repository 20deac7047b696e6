//! Turns checked dossiers into the property graph.
//!
//! Entities become nodes labelled with their kind and its ancestors; claims
//! become relations whose properties carry time, quantity, certainty and
//! evidence. Events expand into `participant_in` and `held_at` relations
//! carrying the event's citations, plus `met_with` between the participants
//! of a meeting, marked `derived`.

use std::collections::BTreeMap;

use super::check::{Dossier, weakest};
use super::files::{
    CitationSpec, ClaimSpec, ClaimantSpec, EntitySpec, Hedge, PropValue, RankSpec, WhenSpec,
};
use super::schema::{HELD_AT, MEETING_KIND, MET_WITH, PARTICIPANT_IN};
use crate::model::{Graph, Node, PartialDate, Props, Rel, Schema, Source, Value};

/// Node properties eje sets itself.
pub const RESERVED_NODE_PROPS: &[&str] = &[
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

/// Relation properties eje sets itself.
pub const RESERVED_REL_PROPS: &[&str] = &[
    "id",
    "type",
    "date",
    "start",
    "end",
    "quantity",
    "quantity_low",
    "quantity_high",
    "approx",
    "unit",
    "quantity_text",
    "hedge",
    "rank",
    "rank_reason",
    "sources",
    "claimants",
    "quotes",
    "citations",
    "conflicts_with",
    "note",
    "derived",
    "role",
    "event",
];

pub fn hedge_name(h: Hedge) -> &'static str {
    match h {
        Hedge::Asserted => "asserted",
        Hedge::Reported => "reported",
        Hedge::Estimated => "estimated",
        Hedge::Alleged => "alleged",
        Hedge::Expected => "expected",
        Hedge::Denied => "denied",
    }
}

fn prop_value(p: &PropValue) -> Value {
    match p {
        PropValue::Bool(b) => Value::Bool(*b),
        PropValue::Int(i) => Value::Int(*i),
        PropValue::Float(f) => Value::Float(*f),
        PropValue::Str(s) => Value::Str(s.clone()),
        PropValue::List(l) => Value::List(l.iter().map(prop_value).collect()),
    }
}

fn date(s: &str) -> Option<Value> {
    PartialDate::parse(s).ok().map(Value::Date)
}

/// `date` for a point, `start`/`end` for a span.
fn put_when(props: &mut Props, when: Option<&WhenSpec>) {
    match when {
        Some(WhenSpec::On(d)) => {
            if let Some(v) = date(d) {
                props.insert("date".into(), v);
            }
        }
        Some(WhenSpec::Span { from, to }) => {
            if let Some(v) = from.as_deref().and_then(date) {
                props.insert("start".into(), v);
            }
            if let Some(v) = to.as_deref().and_then(date) {
                props.insert("end".into(), v);
            }
        }
        None => {}
    }
}

fn claimant_text(c: &ClaimantSpec) -> String {
    match c {
        ClaimantSpec::Entity(id) | ClaimantSpec::Unnamed(id) => id.clone(),
    }
}

/// The evidence properties shared by claims and event expansions.
fn put_evidence(props: &mut Props, cites: &[CitationSpec]) {
    if let Some(h) = weakest(cites) {
        props.insert("hedge".into(), hedge_name(h).into());
    }
    let mut sources: Vec<Value> = Vec::new();
    let mut claimants: Vec<Value> = Vec::new();
    let mut quotes = Vec::new();
    let mut citations = Vec::new();
    for c in cites {
        let source = Value::from(c.source.as_str());
        if !sources.contains(&source) {
            sources.push(source);
        }
        if let Some(cl) = &c.claimant {
            let v = Value::Str(claimant_text(cl));
            if !claimants.contains(&v) {
                claimants.push(v);
            }
        }
        quotes.push(Value::from(c.quote.as_str()));
        let mut m = BTreeMap::new();
        m.insert("source".to_string(), Value::from(c.source.as_str()));
        m.insert("quote".to_string(), Value::from(c.quote.as_str()));
        m.insert(
            "claimant".to_string(),
            c.claimant
                .as_ref()
                .map_or(Value::Null, |cl| Value::Str(claimant_text(cl))),
        );
        m.insert("hedge".to_string(), hedge_name(c.hedge).into());
        citations.push(Value::Map(m));
    }
    props.insert("sources".into(), Value::List(sources));
    props.insert("claimants".into(), Value::List(claimants));
    props.insert("quotes".into(), Value::List(quotes));
    props.insert("citations".into(), Value::List(citations));
}

fn entity_node(schema: &Schema, e: &EntitySpec) -> Node {
    let mut props = Props::new();
    for (k, v) in &e.props {
        props.insert(k.clone(), prop_value(v));
    }
    props.insert("id".into(), e.id.as_str().into());
    props.insert("name".into(), e.name.as_str().into());
    props.insert("kind".into(), e.kind.as_str().into());
    props.insert(
        "aliases".into(),
        Value::List(e.aliases.iter().map(|a| Value::from(a.as_str())).collect()),
    );
    if let Some(d) = &e.description {
        props.insert("description".into(), d.as_str().into());
    }
    if let Some(n) = &e.note {
        props.insert("note".into(), n.as_str().into());
    }
    put_when(&mut props, e.when.as_ref());
    let labels = schema
        .lineage(&e.kind)
        .into_iter()
        .map(str::to_string)
        .collect();
    Node {
        id: e.id.clone(),
        labels,
        props,
    }
}

fn claim_rel(c: &ClaimSpec, rivals: &[String]) -> Rel {
    let mut props = Props::new();
    for (k, v) in &c.props {
        props.insert(k.clone(), prop_value(v));
    }
    if let Some(id) = &c.id {
        props.insert("id".into(), id.as_str().into());
    }
    put_when(&mut props, c.when.as_ref());
    if let Some(q) = &c.quantity {
        let num = |f: f64| {
            if f.fract() == 0.0 && f.abs() < 9e15 {
                Value::Int(f as i64)
            } else {
                Value::Float(f)
            }
        };
        if let Some(v) = q.value.or(q.low) {
            props.insert("quantity".into(), num(v));
        }
        if let Some(v) = q.low {
            props.insert("quantity_low".into(), num(v));
        }
        if let Some(v) = q.high {
            props.insert("quantity_high".into(), num(v));
            if q.low.is_none() && q.value.is_none() {
                props.insert("quantity".into(), num(v));
            }
        }
        props.insert("approx".into(), Value::Bool(q.approx));
        props.insert("unit".into(), q.unit.as_str().into());
        props.insert("quantity_text".into(), q.text.as_str().into());
    }
    put_evidence(&mut props, &c.cite);
    let (rank, reason) = match &c.rank {
        Some(RankSpec::Preferred) => ("preferred", None),
        Some(RankSpec::Deprecated(r)) => ("deprecated", Some(r.clone())),
        Some(RankSpec::Normal) | None => ("normal", None),
    };
    props.insert("rank".into(), rank.into());
    if let Some(r) = reason {
        props.insert("rank_reason".into(), r.into());
    }
    if !rivals.is_empty() {
        props.insert(
            "conflicts_with".into(),
            Value::List(rivals.iter().map(|r| Value::from(r.as_str())).collect()),
        );
    }
    if let Some(n) = &c.note {
        props.insert("note".into(), n.as_str().into());
    }
    props.insert("derived".into(), Value::Bool(false));
    Rel {
        rel_type: c.relation.clone(),
        props,
    }
}

/// Relation properties of an event expansion.
fn event_props(e: &EntitySpec, derived: bool) -> Props {
    let mut props = Props::new();
    put_when(&mut props, e.when.as_ref());
    put_evidence(&mut props, &e.cite);
    props.insert("rank".into(), "normal".into());
    props.insert("event".into(), e.id.as_str().into());
    props.insert("derived".into(), Value::Bool(derived));
    props
}

pub fn build(schema: Schema, dossiers: &[Dossier]) -> Graph {
    let mut graph = Graph::new(Some(schema));
    let schema = graph.schema.clone().unwrap_or_default();
    for d in dossiers {
        for s in &d.data.sources {
            graph.sources.insert(
                s.id.clone(),
                Source {
                    id: s.id.clone(),
                    kind: format!("{:?}", s.kind),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    published: s
                        .published
                        .as_deref()
                        .and_then(|p| PartialDate::parse(p).ok()),
                    language: s.language.clone(),
                    file: s.file.clone(),
                },
            );
        }
    }
    for d in dossiers {
        for e in &d.data.entities {
            graph.add_node(entity_node(&schema, e));
        }
    }
    // `conflicts_with` is symmetric whichever side declared it.
    let mut rivals: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in dossiers {
        for c in &d.data.claims {
            if let Some(id) = &c.id {
                for other in &c.conflicts_with {
                    rivals.entry(id.clone()).or_default().push(other.clone());
                    rivals.entry(other.clone()).or_default().push(id.clone());
                }
            }
        }
    }
    for list in rivals.values_mut() {
        list.sort();
        list.dedup();
    }
    for d in dossiers {
        for c in &d.data.claims {
            let (Some(s), Some(o)) = (graph.by_id(&c.subject), graph.by_id(&c.object)) else {
                continue;
            };
            let empty = Vec::new();
            let r = rivals.get(c.id.as_deref().unwrap_or("")).unwrap_or(&empty);
            graph.add_rel(s, o, claim_rel(c, r));
        }
    }
    for d in dossiers {
        for e in &d.data.entities {
            let Some(ev) = graph.by_id(&e.id) else {
                continue;
            };
            for p in &e.participants {
                let Some(px) = graph.by_id(&p.entity) else {
                    continue;
                };
                let mut props = event_props(e, false);
                props.insert("role".into(), p.role.as_str().into());
                graph.add_rel(
                    px,
                    ev,
                    Rel {
                        rel_type: PARTICIPANT_IN.into(),
                        props,
                    },
                );
            }
            if let Some(at) = e.at.as_deref().and_then(|a| graph.by_id(a)) {
                graph.add_rel(
                    ev,
                    at,
                    Rel {
                        rel_type: HELD_AT.into(),
                        props: event_props(e, false),
                    },
                );
            }
            derive_meetings(&mut graph, &schema, e);
        }
    }
    graph
}

/// `met_with` between every two participants of a meeting that the schema
/// allows to meet.
fn derive_meetings(graph: &mut Graph, schema: &Schema, e: &EntitySpec) {
    let Some(met) = schema.relations.get(MET_WITH) else {
        return;
    };
    if !schema.is_a(&e.kind, MEETING_KIND) {
        return;
    }
    let people: Vec<_> = e
        .participants
        .iter()
        .filter_map(|p| {
            graph
                .by_id(&p.entity)
                .map(|ix| (ix, graph.node(ix).kind().unwrap_or("").to_string()))
        })
        .collect();
    for (i, (a, ka)) in people.iter().enumerate() {
        for (b, kb) in &people[i + 1..] {
            if a != b && schema.allows(met, ka, kb) {
                graph.add_rel(
                    *a,
                    *b,
                    Rel {
                        rel_type: MET_WITH.into(),
                        props: event_props(e, true),
                    },
                );
            }
        }
    }
}
