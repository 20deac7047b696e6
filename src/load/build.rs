//! Turns checked dossiers into the property graph.
//!
//! Entities become nodes labelled with their kind and its ancestors; claims
//! become relations whose properties carry time, quantity, certainty and
//! evidence. Events expand into `participant_in` and `held_at` relations
//! carrying the event's citations, plus `met_with` between the participants
//! of a meeting, marked `derived`.
//!
//! Claims are turned into relations on worker threads, each with its own
//! `Builder` (so equal values are shared within a worker, not across), and
//! added to the graph in claim order by the calling thread once it has made
//! the nodes.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use petgraph::graph::NodeIndex;

use super::dossier::{ParsedFile, states_at, states_when, states_who, weakest};
use super::files::{
    CitationSpec, ClaimSpec, ClaimantSpec, DataFile, EntitySpec, Hedge, PropValue, RankSpec,
    SourceSpec, WhenSpec,
};
use super::schema::{HELD_AT, MEETING_KIND, MET_WITH, PARTICIPANT_IN};
use super::{FastMap, FastSet};
use crate::model::props::{Deferred, Item, Key, intern};
use crate::model::{Graph, Node, PartialDate, Props, Rel, RelType, Schema, Source, Value};

pub fn hedge_name(h: Hedge) -> &'static str {
    match h {
        Hedge::Asserted => "asserted",
        Hedge::Reported => "reported",
        Hedge::Estimated => "estimated",
        Hedge::Alleged => "alleged",
        Hedge::Expected => "expected",
        Hedge::Speculated => "speculated",
        Hedge::Denied => "denied",
    }
}

fn prop_value(p: &PropValue) -> Value {
    match p {
        PropValue::Bool(b) => Value::Bool(*b),
        PropValue::Int(i) => Value::Int(*i),
        PropValue::Float(f) => Value::Float(*f),
        PropValue::Str(s) => Value::Str((s.clone()).into()),
        PropValue::List(l) => Value::List(l.iter().map(prop_value).collect()),
    }
}

/// The property keys the builder sets, interned once.
struct Keys {
    id: Key,
    name: Key,
    kind: Key,
    aliases: Key,
    description: Key,
    note: Key,
    date: Key,
    start: Key,
    end: Key,
    quantity: Key,
    quantity_low: Key,
    quantity_high: Key,
    approx: Key,
    unit: Key,
    quantity_text: Key,
    hedge: Key,
    rank: Key,
    rank_reason: Key,
    conflicts_with: Key,
    derived: Key,
    role: Key,
    event: Key,
    known_until: Key,
    sources: Key,
    citations: Key,
}

impl Keys {
    fn new() -> Self {
        Keys {
            id: intern("id"),
            name: intern("name"),
            kind: intern("kind"),
            aliases: intern("aliases"),
            description: intern("description"),
            note: intern("note"),
            date: intern("date"),
            start: intern("start"),
            end: intern("end"),
            quantity: intern("quantity"),
            quantity_low: intern("quantity_low"),
            quantity_high: intern("quantity_high"),
            approx: intern("approx"),
            unit: intern("unit"),
            quantity_text: intern("quantity_text"),
            hedge: intern("hedge"),
            rank: intern("rank"),
            rank_reason: intern("rank_reason"),
            conflicts_with: intern("conflicts_with"),
            derived: intern("derived"),
            role: intern("role"),
            event: intern("event"),
            known_until: intern("known_until"),
            sources: intern("sources"),
            citations: intern("citations"),
        }
    }
}

/// The evidence lists of a claim or event expansion, kept compact until a
/// query reads one of them.
#[derive(Debug)]
pub struct Evidence {
    /// What the citations' source numbers index (`CiteSource::Number`).
    /// Each builder holds its own handle to the one table, so counting the
    /// handle's users per claim stays in that thread's cache instead of
    /// touching a counter per source (a cache miss per citation).
    sources: Arc<SourceIds>,
    pub cites: CiteList,
}

/// A claim's citations. Nearly every claim has one, kept in place without
/// an allocation of its own (a million claims, a million allocations
/// fewer); more are boxed.
#[derive(Debug)]
pub enum CiteList {
    One(Cite),
    Many(Box<[Cite]>),
}

impl std::ops::Deref for CiteList {
    type Target = [Cite];

    fn deref(&self) -> &[Cite] {
        match self {
            CiteList::One(c) => std::slice::from_ref(c),
            CiteList::Many(list) => list,
        }
    }
}

impl FromIterator<Cite> for CiteList {
    fn from_iter<I: IntoIterator<Item = Cite>>(items: I) -> Self {
        let mut items = items.into_iter();
        match (items.next(), items.next()) {
            (Some(one), None) => CiteList::One(one),
            (None, _) => CiteList::Many(Box::default()),
            (Some(a), Some(b)) => CiteList::Many([a, b].into_iter().chain(items).collect()),
        }
    }
}

/// Every source's id, by its place among all sources.
pub type SourceIds = Arc<[Arc<str>]>;

impl Evidence {
    /// Citations that name their sources by text (none by number).
    pub fn new(cites: CiteList) -> Self {
        static NONE: OnceLock<Arc<SourceIds>> = OnceLock::new();
        let sources = NONE.get_or_init(|| Arc::new(Arc::from([]))).clone();
        Evidence { sources, cites }
    }

    /// The table of all sources' ids that the citations' numbers index
    /// (the same for every claim of a load).
    pub fn source_table(&self) -> &[Arc<str>] {
        &self.sources[..]
    }

    /// The id of a citation's source, shared with the table of sources
    /// (empty for a number past it, which the build never makes).
    pub fn source_of<'a>(&'a self, c: &'a Cite) -> &'a Arc<str> {
        static EMPTY: OnceLock<Arc<str>> = OnceLock::new();
        match &c.source {
            CiteSource::Text(t) => t,
            CiteSource::Number(n) => self
                .sources
                .get(*n as usize)
                .unwrap_or_else(|| EMPTY.get_or_init(|| Arc::from(""))),
        }
    }

    /// Each citation as a query reads it.
    pub fn refs(&self) -> impl Iterator<Item = CiteRef<'_>> + Clone {
        self.cites.iter().map(|c| CiteRef {
            source: self.source_of(c),
            quote: &c.quote,
            claimant: c.claimant.as_deref(),
            hedge: c.hedge,
        })
    }
}

/// Where a citation's source id is: its number in the table of all
/// sources (a claim's citations, resolved by `check`), or its own text.
#[derive(Debug)]
pub enum CiteSource {
    Number(u32),
    Text(Arc<str>),
}

impl From<&str> for CiteSource {
    fn from(s: &str) -> Self {
        CiteSource::Text(s.into())
    }
}

#[derive(Debug)]
pub struct Cite {
    pub source: CiteSource,
    pub quote: Arc<str>,
    pub claimant: Option<Arc<str>>,
    pub hedge: Hedge,
}

/// One citation as a query reads it, borrowed from wherever the citations
/// are kept (`Evidence` from a load, the snapshot's citation table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CiteRef<'a> {
    pub source: &'a str,
    pub quote: &'a str,
    pub claimant: Option<&'a str>,
    pub hedge: Hedge,
}

impl CiteRef<'_> {
    /// The citation as a query sees it: a map of source, quote, claimant
    /// and hedge.
    fn to_value(self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("source".to_string(), Value::from(self.source));
        m.insert("quote".to_string(), Value::from(self.quote));
        m.insert(
            "claimant".to_string(),
            self.claimant.map_or(Value::Null, Value::from),
        );
        m.insert("hedge".to_string(), hedge_name(self.hedge).into());
        Value::Map(m)
    }
}

/// The property keys evidence provides, sorted.
pub fn evidence_keys() -> &'static [Key; 4] {
    static KEYS: OnceLock<[Key; 4]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            intern("citations"),
            intern("claimants"),
            intern("quotes"),
            intern("sources"),
        ]
    })
}

/// The values of `evidence_keys` for a list of citations: every citation,
/// the distinct claimants and sources in the order first met, every quote.
pub fn evidence_values<'a>(cites: impl Iterator<Item = CiteRef<'a>>) -> Vec<Value> {
    let mut sources: Vec<Value> = Vec::new();
    let mut claimants: Vec<Value> = Vec::new();
    let mut quotes = Vec::new();
    let mut citations = Vec::new();
    for c in cites {
        let source = Value::from(c.source);
        if !sources.contains(&source) {
            sources.push(source);
        }
        if let Some(cl) = c.claimant {
            let v = Value::from(cl);
            if !claimants.contains(&v) {
                claimants.push(v);
            }
        }
        quotes.push(Value::from(c.quote));
        citations.push(c.to_value());
    }
    vec![
        Value::List(citations),
        Value::List(claimants),
        Value::List(quotes),
        Value::List(sources),
    ]
}

/// The length of the evidence list `key` (as `evidence_values` builds it)
/// without building it: `eje stats` counts citations on every relation, and
/// building them all would cost far more memory than the graph itself.
pub fn evidence_list_len<'a>(
    cites: impl Iterator<Item = CiteRef<'a>>,
    count: usize,
    key: &str,
) -> Option<usize> {
    match key {
        "citations" | "quotes" => Some(count),
        "claimants" => Some(distinct(cites.filter_map(|c| c.claimant))),
        "sources" => Some(distinct(cites.map(|c| c.source))),
        _ => None,
    }
}

/// `Deferred::each_str` over a list of citations: straight from the
/// compact citations, in the order and with the dedup of `evidence_values`
/// (an export lists the sources every relation cites).
pub fn evidence_each_str<'a>(
    cites: impl Iterator<Item = CiteRef<'a>>,
    key: &str,
    field: Option<&str>,
    f: &mut dyn FnMut(&'a str),
) {
    match (key, field) {
        ("sources", None) => each_distinct(cites.map(|c| c.source), f),
        ("claimants", None) => each_distinct(cites.filter_map(|c| c.claimant), f),
        ("quotes", None) | ("citations", Some("quote")) => cites.for_each(|c| f(c.quote)),
        ("citations", Some("source")) => cites.for_each(|c| f(c.source)),
        ("citations", Some("claimant")) => cites.filter_map(|c| c.claimant).for_each(f),
        ("citations", Some("hedge")) => cites.for_each(|c| f(hedge_name(c.hedge))),
        // Not one of the evidence lists: nothing to list.
        _ => {}
    }
}

impl Deferred for Evidence {
    fn keys(&self) -> &[Key] {
        evidence_keys()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn values(&self) -> Vec<Value> {
        evidence_values(self.refs())
    }

    fn list_len(&self, key: &str) -> Option<usize> {
        evidence_list_len(self.refs(), self.cites.len(), key)
    }

    fn each_str<'a>(&'a self, key: &str, field: Option<&str>, f: &mut dyn FnMut(&'a str)) -> bool {
        evidence_each_str(self.refs(), key, field, f);
        true
    }

    // An export writes every relation's evidence: lent by the citations, a
    // map per citation with the fields of `Cite::to_value` in key order.
    fn each_item<'a>(&'a self, key: &str, f: &mut dyn FnMut(Item<'_, 'a>)) -> bool {
        match key {
            "citations" => {
                for c in self.cites.iter() {
                    let fields = [
                        ("claimant", c.claimant.as_deref()),
                        ("hedge", Some(hedge_name(c.hedge))),
                        ("quote", Some(&*c.quote)),
                        ("source", Some(&**self.source_of(c))),
                    ];
                    f(Item::Map(&fields));
                }
                true
            }
            "claimants" | "quotes" | "sources" => {
                self.each_str(key, None, &mut |s| f(Item::Str(s)))
            }
            _ => false,
        }
    }
}

/// Each different string once, in the order first met (as `values` dedups).
fn each_distinct<'a>(items: impl Iterator<Item = &'a str>, f: &mut dyn FnMut(&'a str)) {
    let mut seen: Vec<&str> = Vec::new();
    for s in items {
        if !seen.contains(&s) {
            seen.push(s);
            f(s);
        }
    }
}

/// How many different strings, as `values` dedups them.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for s in items {
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen.len()
}

/// Properties as they are gathered, before `Props::from_entries` sorts them.
type Gather = Vec<(Key, Arc<Value>)>;

/// Builds nodes and relations, sharing equal values and strings.
struct Builder {
    k: Keys,
    strs: FastMap<Box<str>, Arc<Value>>,
    dates: FastMap<PartialDate, Arc<Value>>,
    /// Keyed by the shared text itself: no second copy of each.
    texts: FastSet<Arc<str>>,
    /// The relation types met, interned (without taking the process-wide
    /// lock of `RelType::new` for each relation).
    types: FastMap<Box<str>, RelType>,
    t: Arc<Value>,
    f: Arc<Value>,
    /// Each source's publication date, for `known_until`.
    published: Arc<FastMap<Box<str>, PartialDate>>,
    /// The list a node's or relation's properties are gathered in, kept
    /// between them for its room (`props_of`).
    gather: Gather,
    /// Every source's id, in the order of all sources: what a claim's
    /// citation points to by number once `check` has resolved it (no
    /// lookup by text). This builder's own handle (see `Evidence`).
    sources: Arc<SourceIds>,
}

impl Builder {
    fn new(published: Arc<FastMap<Box<str>, PartialDate>>, source_ids: SourceIds) -> Self {
        Builder {
            published,
            sources: Arc::new(source_ids),
            k: Keys::new(),
            strs: FastMap::default(),
            dates: FastMap::default(),
            texts: FastSet::default(),
            types: FastMap::default(),
            t: Arc::new(Value::Bool(true)),
            f: Arc::new(Value::Bool(false)),
            gather: Vec::new(),
        }
    }

    /// A shared string value.
    fn str(&mut self, s: &str) -> Arc<Value> {
        if let Some(v) = self.strs.get(s) {
            return v.clone();
        }
        let v = Arc::new(Value::from(s));
        self.strs.insert(s.into(), v.clone());
        v
    }

    fn rel_type(&mut self, name: &str) -> RelType {
        if let Some(t) = self.types.get(name) {
            return *t;
        }
        let t = RelType::new(name);
        self.types.insert(name.into(), t);
        t
    }

    fn text(&mut self, s: &str) -> Arc<str> {
        if let Some(v) = self.texts.get(s) {
            return v.clone();
        }
        let v: Arc<str> = s.into();
        self.texts.insert(v.clone());
        v
    }

    fn date(&mut self, s: &str) -> Option<Arc<Value>> {
        let d = PartialDate::parse(s).ok()?;
        Some(
            self.dates
                .entry(d)
                .or_insert_with(|| Arc::new(Value::Date(d)))
                .clone(),
        )
    }

    fn bool(&self, b: bool) -> Arc<Value> {
        if b { self.t.clone() } else { self.f.clone() }
    }

    /// `date` for a point, `start`/`end` for a span.
    fn put_when(&mut self, props: &mut Gather, when: Option<&WhenSpec<'_>>) {
        match when {
            Some(WhenSpec::On(d)) => {
                if let Some(v) = self.date(d) {
                    props.push((self.k.date, v));
                }
            }
            Some(WhenSpec::Span { from, to }) => {
                if let Some(v) = from.as_deref().and_then(|d| self.date(d)) {
                    props.push((self.k.start, v));
                }
                if let Some(v) = to.as_deref().and_then(|d| self.date(d)) {
                    props.push((self.k.end, v));
                }
            }
            None => {}
        }
    }

    /// An open span (`from` without `to`) is known only up to the latest
    /// publication date among its sources (or, with none dated, its start):
    /// `known_until`.
    fn put_known_until<'x, 'y: 'x>(
        &mut self,
        props: &mut Gather,
        when: Option<&WhenSpec<'_>>,
        cites: impl Iterator<Item = &'x CitationSpec<'y>>,
    ) {
        let Some(WhenSpec::Span { from, to: None }) = when else {
            return;
        };
        let latest = cites
            .filter_map(|c| self.published.get(&*c.source).copied())
            .max_by_key(|d| (d.last_day(), d.first_day()));
        let until = latest.or_else(|| from.as_deref().and_then(|d| PartialDate::parse(d).ok()));
        if let Some(d) = until {
            let v = self
                .dates
                .entry(d)
                .or_insert_with(|| Arc::new(Value::Date(d)))
                .clone();
            props.push((self.k.known_until, v));
        }
    }

    /// A citation; `number` is its source's place among all sources, where
    /// known.
    fn cite(&mut self, c: &CitationSpec<'_>, number: Option<u32>) -> Cite {
        let source = match number.filter(|&n| (n as usize) < self.sources.len()) {
            Some(n) => CiteSource::Number(n),
            None => CiteSource::Text(self.text(&c.source)),
        };
        Cite {
            source,
            quote: self.text(&c.quote),
            claimant: c.claimant().map(|cl| self.text(claimant_text(cl))),
            hedge: c.hedge,
        }
    }

    /// The evidence properties shared by claims and event expansions: the
    /// weakest hedge, gathered into `props`, and the citations, returned to
    /// be set as the deferred group once the rest is gathered. `numbers`:
    /// the sources of `cites` by their place among all sources (see
    /// `cite`), or empty.
    fn put_evidence<'x, 'y: 'x>(
        &mut self,
        props: &mut Gather,
        cites: impl Iterator<Item = &'x CitationSpec<'y>> + Clone,
        numbers: &[u32],
    ) -> Evidence {
        if let Some(h) = weakest(cites.clone()) {
            let v = self.str(hedge_name(h));
            props.push((self.k.hedge, v));
        }
        let cites = cites
            .enumerate()
            .map(|(j, c)| self.cite(c, numbers.get(j).copied()))
            .collect();
        Evidence {
            sources: self.sources.clone(),
            cites,
        }
    }

    fn entity_node(&mut self, schema: &Schema, e: &EntitySpec<'_>) -> Node {
        let mut props = std::mem::take(&mut self.gather);
        for (k, v) in &e.props {
            props.push((intern(k), Arc::new(prop_value(v))));
        }
        let k = &self.k;
        props.push((k.id, Arc::new(Value::from(&*e.id))));
        props.push((k.name, Arc::new(Value::from(&*e.name))));
        let (kind_key, aliases_key) = (k.kind, k.aliases);
        let (description_key, note_key) = (k.description, k.note);
        let kind = self.str(&e.kind);
        props.push((kind_key, kind));
        props.push((
            aliases_key,
            Arc::new(Value::List(
                e.aliases.iter().map(|a| Value::from(&**a)).collect(),
            )),
        ));
        if let Some(d) = &e.description {
            props.push((description_key, Arc::new(Value::from(&**d))));
        }
        if let Some(n) = &e.note {
            props.push((note_key, Arc::new(Value::from(&**n))));
        }
        self.put_when(&mut props, e.when.as_ref());
        self.put_known_until(&mut props, e.when.as_ref(), e.cite.iter());
        if !e.cite.is_empty() {
            // The evidence for the event itself (its facets' evidence is on
            // the relations it expands into).
            let ev = Evidence::new(e.cite.iter().map(|c| self.cite(c, None)).collect());
            let mut sources: Vec<Value> = Vec::new();
            for c in ev.refs() {
                let s = Value::from(c.source);
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            let citations = ev.refs().map(|c| c.to_value()).collect();
            props.push((self.k.sources, Arc::new(Value::List(sources))));
            props.push((self.k.citations, Arc::new(Value::List(citations))));
        }
        let props = self.props_of(props, None);
        let labels = schema
            .lineage(&e.kind)
            .into_iter()
            .map(str::to_string)
            .collect();
        Node {
            id: e.id.to_string(),
            labels,
            props,
        }
    }

    /// `sources`: the sources of the claim's citations (see `cite`).
    fn claim_rel(&mut self, c: &ClaimSpec<'_>, rivals: &[String], sources: &[u32]) -> Rel {
        let mut props = std::mem::take(&mut self.gather);
        for (k, v) in c.props().into_iter().flatten() {
            props.push((intern(k), Arc::new(prop_value(v))));
        }
        if let Some(id) = c.id() {
            props.push((self.k.id, Arc::new(Value::from(&**id))));
        }
        self.put_when(&mut props, c.when.as_ref());
        if let Some(q) = c.quantity() {
            let num = |f: f64| {
                Arc::new(if f.fract() == 0.0 && f.abs() < 9e15 {
                    Value::Int(f as i64)
                } else {
                    Value::Float(f)
                })
            };
            // `quantity` is the exact figure only; a bound is not one.
            if let Some(v) = q.value {
                props.push((self.k.quantity, num(v)));
            }
            if let Some(v) = q.low {
                props.push((self.k.quantity_low, num(v)));
            }
            if let Some(v) = q.high {
                props.push((self.k.quantity_high, num(v)));
            }
            props.push((self.k.approx, self.bool(q.approx)));
            let unit = self.str(&q.unit);
            props.push((self.k.unit, unit));
            props.push((self.k.quantity_text, Arc::new(Value::from(&*q.text))));
        }
        self.put_known_until(&mut props, c.when.as_ref(), c.cite.iter());
        let evidence = self.put_evidence(&mut props, c.cite.iter(), sources);
        let (rank, reason) = match c.rank() {
            Some(RankSpec::Preferred) => ("preferred", None),
            Some(RankSpec::Deprecated(r)) => ("deprecated", Some(r)),
            Some(RankSpec::Normal) | None => ("normal", None),
        };
        let rank = self.str(rank);
        props.push((self.k.rank, rank));
        if let Some(r) = reason {
            props.push((self.k.rank_reason, Arc::new(Value::from(&**r))));
        }
        if !rivals.is_empty() {
            props.push((
                self.k.conflicts_with,
                Arc::new(Value::List(
                    rivals.iter().map(|r| Value::from(r.as_str())).collect(),
                )),
            ));
        }
        if let Some(n) = c.note() {
            props.push((self.k.note, Arc::new(Value::from(&**n))));
        }
        props.push((self.k.derived, self.bool(false)));
        let props = self.props_of(props, Some(evidence));
        Rel {
            rel_type: self.rel_type(&c.relation),
            props,
        }
    }

    /// Relation properties of an event expansion, backed by the citations
    /// that state its facet (`backs`); it is dated only when one of them
    /// states the date.
    fn event_props(
        &mut self,
        e: &EntitySpec<'_>,
        derived: bool,
        backs: impl Fn(&CitationSpec<'_>) -> bool,
    ) -> Props {
        let mut props = std::mem::take(&mut self.gather);
        let cites = e.cite.iter().filter(|c| backs(c));
        if cites.clone().any(states_when) {
            self.put_when(&mut props, e.when.as_ref());
            self.put_known_until(&mut props, e.when.as_ref(), cites.clone());
        }
        let evidence = self.put_evidence(&mut props, cites, &[]);
        let rank = self.str("normal");
        props.push((self.k.rank, rank));
        let event = self.str(&e.id);
        props.push((self.k.event, event));
        props.push((self.k.derived, self.bool(derived)));
        self.props_of(props, Some(evidence))
    }

    /// The properties gathered in `props`, with `evidence` as their
    /// deferred group; `props` becomes the builder's empty list again.
    fn props_of(&mut self, mut props: Gather, evidence: Option<Evidence>) -> Props {
        let mut made = Props::from_entries(&mut props);
        if let Some(ev) = evidence {
            made.set_deferred(ev);
        }
        self.gather = props;
        made
    }
}

fn claimant_text<'s>(c: &'s ClaimantSpec<'_>) -> &'s str {
    match c {
        ClaimantSpec::Entity(id) | ClaimantSpec::Unnamed(id) => id,
    }
}

/// Builds the graph from the parsed dossiers. `ends` holds, file by file,
/// the subject and object node of each claim as `check` resolved them
/// (`u32::MAX`: unresolved), and `cite_sources` the source of each of their
/// citations, by its place among all sources.
///
/// Claims become relations on worker threads, a chunk at a time, while this
/// thread makes the nodes; it then adds the relations in claim order, so
/// node and edge indices are those of a sequential build. A file is freed,
/// text and parsed form, as soon as its claims are relations and (when it
/// has any) its sources and entities are in the graph.
pub fn build(
    schema: Schema,
    files: Vec<ParsedFile>,
    ends: Vec<Vec<[u32; 2]>>,
    cite_sources: Vec<Vec<u32>>,
) -> Graph {
    let data = || files.iter().map(ParsedFile::borrow_dependent);
    let published: FastMap<Box<str>, PartialDate> = data()
        .flat_map(|d| &d.sources)
        .filter_map(|s| {
            let date = PartialDate::parse(s.published.as_deref()?).ok()?;
            Some((Box::from(&*s.id), date))
        })
        .collect();
    let published = Arc::new(published);
    let source_ids: SourceIds = data()
        .flat_map(|d| &d.sources)
        .map(|s| Arc::from(&*s.id))
        .collect();
    let mut b = Builder::new(published.clone(), source_ids.clone());
    let mut graph = Graph::new(Some(schema));
    let schema = graph.schema.clone().unwrap_or_default();
    let rivals = rivals(data());
    let claims: usize = data().map(|d| d.claims.len()).sum();
    let entities: usize = data().map(|d| d.entities.len()).sum();
    graph.reserve(entities, claims);
    // A file is freed by whichever worker finishes its last chunk, or by
    // this thread once done with its sources and entities. A job is a
    // range of claims and the place of its first claim's first citation in
    // the file's `cite_sources`.
    type Job = (ClaimsOfFile, Range<usize>, usize);
    let mut jobs: Vec<Mutex<Option<Job>>> = Vec::new();
    let mut kept: Vec<ClaimsOfFile> = Vec::new();
    let mut cite_sources = cite_sources.into_iter();
    for (f, ends) in files.into_iter().zip(ends) {
        let sources = cite_sources.next().unwrap_or_default();
        let file = Arc::new((f, ends, sources));
        let d = file.0.borrow_dependent();
        if !d.sources.is_empty() || !d.entities.is_empty() {
            kept.push(file.clone());
        }
        let mut first_cite = 0;
        for start in (0..d.claims.len()).step_by(CHUNK) {
            let range = start..(start + CHUNK).min(d.claims.len());
            let cites: usize = d.claims[range.clone()].iter().map(|c| c.cite.len()).sum();
            jobs.push(Mutex::new(Some((file.clone(), range, first_cite))));
            first_cite += cites;
        }
    }
    let (senders, receivers): (Vec<_>, Vec<_>) = jobs.iter().map(|_| mpsc::channel()).unzip();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut b = Builder::new(published.clone(), source_ids.clone());
                let empty = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let taken = job.lock().unwrap_or_else(|p| p.into_inner()).take();
                    let Some((file, range, mut cite)) = taken else {
                        break;
                    };
                    let (parsed, ends, sources) = &*file;
                    let claims = &parsed.borrow_dependent().claims;
                    let mut rels = Vec::with_capacity(range.len());
                    for (c, &[s, o]) in claims[range.clone()].iter().zip(&ends[range]) {
                        let first = cite;
                        cite += c.cite.len();
                        if s == u32::MAX || o == u32::MAX {
                            continue;
                        }
                        let r = match c.id() {
                            Some(id) => rivals.get(&**id).map_or(&empty[..], Vec::as_slice),
                            None => &empty[..],
                        };
                        let numbers = sources.get(first..cite).unwrap_or(&[]);
                        rels.push((s, o, b.claim_rel(c, r, numbers)));
                    }
                    drop(file);
                    if senders[i].send(rels).is_err() {
                        break;
                    }
                }
            });
        }
        for d in kept.iter().map(|f| f.0.borrow_dependent()) {
            for e in &d.entities {
                let node = b.entity_node(&schema, e);
                graph.add_node(node);
            }
        }
        // The sources' map is made beside the relations: this thread,
        // which adds them, is the one the others wait for.
        let sources = scope.spawn(|| sources_map(&kept));
        for rx in &receivers {
            // A worker that panicked drops its sender; the scope re-raises.
            let Ok(rels) = rx.recv() else { break };
            for (s, o, rel) in rels {
                let (s, o) = (NodeIndex::new(s as usize), NodeIndex::new(o as usize));
                graph.add_rel(s, o, rel);
            }
        }
        let sources = sources
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        // The graph is new: nothing to merge with.
        *graph.sources_mut() = sources;
    });
    // Files of sources alone are done with.
    kept.retain(|f| !f.0.borrow_dependent().entities.is_empty());
    for d in kept.iter().map(|f| f.0.borrow_dependent()) {
        // Only an event has participants or a place; the others, most
        // entities, add nothing here and are not looked up.
        let events = d
            .entities
            .iter()
            .filter(|e| !e.participants.is_empty() || e.at.is_some());
        for e in events {
            let Some(ev) = graph.by_id(&e.id) else {
                continue;
            };
            for p in &e.participants {
                let Some(px) = graph.by_id(&p.entity) else {
                    continue;
                };
                let mut props = b.event_props(e, false, |c| states_who(c, &p.entity));
                let role = b.str(&p.role);
                props.insert_shared(b.k.role, role);
                graph.add_rel(
                    px,
                    ev,
                    Rel {
                        rel_type: b.rel_type(PARTICIPANT_IN),
                        props,
                    },
                );
            }
            if let Some(at) = e.at.as_deref().and_then(|a| graph.by_id(a)) {
                let props = b.event_props(e, false, states_at);
                graph.add_rel(
                    ev,
                    at,
                    Rel {
                        rel_type: b.rel_type(HELD_AT),
                        props,
                    },
                );
            }
            derive_meetings(&mut graph, &mut b, &schema, e);
        }
    }
    graph
}

/// A parsed file, with its claims' ends and their citations' sources as
/// `check` resolved them.
type ClaimsOfFile = Arc<(ParsedFile, Vec<[u32; 2]>, Vec<u32>)>;

/// Claims per job for the workers of `build`.
const CHUNK: usize = 16 * 1024;

/// Every source of `files`, by id. Collected whole, the map is built
/// packed (one insert at a time leaves its nodes half full); the list it is
/// made from is sized first: grown by doubling, a quarter of a million
/// sources were copied again and again into new pages.
fn sources_map(files: &[ClaimsOfFile]) -> BTreeMap<String, Source> {
    let count = files
        .iter()
        .map(|f| f.0.borrow_dependent().sources.len())
        .sum();
    let mut list: Vec<(String, Source)> = Vec::with_capacity(count);
    list.extend(
        files
            .iter()
            .flat_map(|f| &f.0.borrow_dependent().sources)
            .map(|s| (s.id.to_string(), source(s))),
    );
    // `from_iter` sorts the list in place, in the same allocation.
    BTreeMap::from_iter(list)
}

fn source(s: &SourceSpec<'_>) -> Source {
    Source {
        id: s.id.to_string(),
        kind: format!("{:?}", s.kind),
        title: s.title.to_string(),
        publisher: s.publisher.as_deref().map(str::to_string),
        published: s
            .published
            .as_deref()
            .and_then(|p| PartialDate::parse(p).ok()),
        language: s.language.to_string(),
        file: s.file.to_string(),
    }
}

/// `conflicts_with` is symmetric whichever side declared it.
fn rivals<'d>(files: impl Iterator<Item = &'d DataFile<'d>>) -> BTreeMap<String, Vec<String>> {
    let mut rivals: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in files {
        for c in &d.claims {
            if let Some(id) = c.id() {
                for other in c.conflicts_with() {
                    rivals
                        .entry(id.to_string())
                        .or_default()
                        .push(other.to_string());
                    rivals
                        .entry(other.to_string())
                        .or_default()
                        .push(id.to_string());
                }
            }
        }
    }
    for list in rivals.values_mut() {
        list.sort();
        list.dedup();
    }
    rivals
}

/// `met_with` between every two participants of a meeting that the schema
/// allows to meet and that one of its citations names together.
fn derive_meetings(graph: &mut Graph, b: &mut Builder, schema: &Schema, e: &EntitySpec<'_>) {
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
            graph.by_id(&p.entity).map(|ix| {
                let kind = graph.node(ix).kind().unwrap_or("").to_string();
                (ix, kind, &*p.entity)
            })
        })
        .collect();
    for (i, (a, ka, ida)) in people.iter().enumerate() {
        for (bx, kb, idb) in &people[i + 1..] {
            let together = |c: &CitationSpec<'_>| states_who(c, ida) && states_who(c, idb);
            if a != bx && schema.allows(met, ka, kb) && e.cite.iter().any(together) {
                let props = b.event_props(e, true, together);
                graph.add_rel(
                    *a,
                    *bx,
                    Rel {
                        rel_type: b.rel_type(MET_WITH),
                        props,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim's one citation lives inside its evidence, which stays small:
    /// a million claims each hold one.
    #[test]
    fn a_claims_evidence_holds_its_one_citation_in_place() {
        assert_eq!(std::mem::size_of::<CiteList>(), std::mem::size_of::<Cite>());
        assert!(std::mem::size_of::<Evidence>() <= 72);
        let cite = |q: &str| Cite {
            source: CiteSource::Number(0),
            quote: Arc::from(q),
            claimant: None,
            hedge: Hedge::Asserted,
        };
        let one: CiteList = [cite("a")].into_iter().collect();
        assert!(matches!(one, CiteList::One(_)));
        let three: CiteList = ["a", "b", "c"].into_iter().map(cite).collect();
        let quotes: Vec<&str> = three.iter().map(|c| &*c.quote).collect();
        assert_eq!(quotes, ["a", "b", "c"]);
        let none: CiteList = std::iter::empty().collect();
        assert!(none.is_empty());
    }

    fn cite(source: &str, quote: &str, claimant: Option<&str>) -> Cite {
        Cite {
            source: source.into(),
            quote: quote.into(),
            claimant: claimant.map(Into::into),
            hedge: Hedge::Reported,
        }
    }

    /// Relations of one type share one interned name, the adjacency
    /// numbers the types as their sorted names, and the sources map, made
    /// last, holds every source of the files.
    #[test]
    fn bundled_types_are_shared_and_sources_complete() {
        let files = crate::load::embedded_files();
        let declared: usize = files
            .iter()
            .filter_map(|f| super::super::fast::parse_dossier(&f.text))
            .map(|d| d.sources.len())
            .sum();
        let loaded =
            crate::load::load_files(files, &Default::default()).expect("bundled data loads");
        let g = &loaded.graph;
        let mut names: Vec<&str> = Vec::new();
        for r in g.rels() {
            let t = g.rel(r).rel_type;
            assert!(std::ptr::eq(t.as_str(), RelType::new(&t).as_str()), "{t}");
            assert_eq!(g.rel_type(r), t.as_str());
            names.push(t.as_str());
        }
        names.sort_unstable();
        names.dedup();
        assert!(names.len() > 3, "{names:?}");
        assert_eq!(g.adjacency().type_names(), names);
        let adj = g.adjacency();
        for n in g.nodes() {
            for h in adj.outgoing(n) {
                assert_eq!(names[h.ty as usize], g.rel_type(h.rel()));
            }
        }
        assert!(declared > 0);
        assert_eq!(g.sources().len(), declared);
        for (k, s) in g.sources() {
            assert_eq!(k, &s.id);
        }
    }

    /// A source named by number reads as the table's id, the same as one
    /// named by its text; a number past the table reads as empty.
    #[test]
    fn numbered_sources_read_as_their_ids() {
        let table: SourceIds = [Arc::from("s0"), Arc::from("s1")].into();
        let mut numbered = cite("", "q1", None);
        numbered.source = CiteSource::Number(1);
        let mut past = cite("", "q2", None);
        past.source = CiteSource::Number(2);
        let ev = Evidence {
            sources: Arc::new(table.clone()),
            cites: [numbered, cite("s1", "q3", None), past]
                .into_iter()
                .collect(),
        };
        let sources: Vec<&str> = ev.refs().map(|c| c.source).collect();
        assert_eq!(sources, ["s1", "s1", ""]);
        assert!(Arc::ptr_eq(ev.source_of(&ev.cites[0]), &table[1]));
        let texts = Evidence::new(
            [cite("s1", "q1", None), cite("s1", "q3", None)]
                .into_iter()
                .collect(),
        );
        let read = |e: &Evidence| e.values()[3].clone();
        assert_eq!(read(&ev), Value::List(vec!["s1".into(), "".into()]));
        assert_eq!(read(&texts), Value::List(vec!["s1".into()]));
    }

    #[test]
    fn evidence_counts_match_the_built_lists() {
        let mut props = Props::new();
        props.set_deferred(Evidence::new(
            [
                cite("s1", "q1", Some("c1")),
                cite("s2", "q2", None),
                cite("s1", "q3", Some("c1")),
                cite("s3", "q3", Some("c2")),
            ]
            .into_iter()
            .collect(),
        ));
        let keys = ["citations", "claimants", "quotes", "sources"];
        let counts: Vec<_> = keys.iter().map(|k| props.list_len(k)).collect();
        assert_eq!(counts, [Some(4), Some(2), Some(4), Some(3)]);
        assert!(!props.deferred_built(), "counting built the evidence");
        let built: Vec<_> = keys
            .iter()
            .map(|k| match props.get(k) {
                Some(Value::List(l)) => Some(l.len()),
                _ => None,
            })
            .collect();
        assert_eq!(counts, built);
        assert!(props.deferred_built());
        assert_eq!(props.list_len("hedge"), None);
    }

    /// The items an export is lent are the built lists, item for item.
    #[test]
    fn evidence_items_are_the_built_lists() {
        let mut cites = vec![
            cite("s1", "q1", Some("c1")),
            cite("s2", "q \"2\"", None),
            cite("s1", "q3", Some("c1")),
            cite("s3", "q3", Some("c2")),
        ];
        cites[3].hedge = Hedge::Denied;
        let mut props = Props::new();
        props.set_deferred(Evidence::new(cites.into_iter().collect()));
        let keys = ["citations", "claimants", "quotes", "sources"];
        let lent: Vec<Vec<Value>> = keys
            .iter()
            .map(|k| {
                let mut items = Vec::new();
                assert!(props.each_deferred_item(k, |i| items.push(i.to_value())));
                items
            })
            .collect();
        assert!(!props.deferred_built(), "lending built the evidence");
        assert!(!props.each_deferred_item("hedge", |_| panic!("not deferred")));
        for (k, items) in keys.iter().zip(lent) {
            assert_eq!(props.get(k), Some(&Value::List(items)), "{k}");
        }
        // Once built, the values are what a reader reads.
        assert!(!props.each_deferred_item("quotes", |_| panic!("already built")));
    }
}
