//! The snapshot of a loaded dataset: what a successful load of a data folder
//! produced (the graph, the schema, the sources, the warnings and the texts
//! they point into), written into the envelope of `snapfile` so that the
//! next start over unchanged data reads it instead of parsing and checking
//! the RON files again.
//!
//! Sections: `GRAPH` (a table of strings, a table of the property values the
//! graph shares, the schema and the sources), `NODES` and `RELS` (in index
//! order, so every node and relation keeps its index; read on two threads), `WARNINGS` (the notes of
//! the folder's walk, the load's warnings, the texts they point into) and
//! `ROOT` (the data folder, for `eje cache info`). Strings and shared values
//! are written once and shared again when read; a claim's evidence is read
//! into one table of citations per section and stays compact until a query
//! reads it (`SnapEvidence`). Integers are variable-length (`wire`).
//!
//! The graph is rebuilt with `Graph::add_node` and `add_rel`, which index it
//! as a load does; its adjacency is built at once, as a load builds it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::build::{
    Cite, CiteRef, Evidence, evidence_each_str, evidence_keys, evidence_list_len, evidence_values,
};
use super::files::Hedge;
use super::freshness::DataKey;
use super::snapfile::{self, Damage, SnapFile};
use super::wire::{Reader, Writer};
use super::{FastMap, FastSet, Loaded};
use crate::diag::{Diagnostic, Related, Severity, SourceMap};
use crate::model::props::Deferred;
use crate::model::props::{Key, intern};
use crate::model::temporal::{DateTime, Duration, LocalDateTime, Temporal, Time};
use crate::model::{
    Graph, KindDef, Node, PartialDate, Props, Rel, RelationDef, Schema, Source, Style, TimeShape,
    UnitDef, Value,
};

const GRAPH: u32 = 1;
const WARNINGS: u32 = 2;
const ROOT: u32 = 3;
const NODES: u32 = 4;
const RELS: u32 = 5;

const HEDGES: [Hedge; 7] = [
    Hedge::Asserted,
    Hedge::Reported,
    Hedge::Estimated,
    Hedge::Alleged,
    Hedge::Expected,
    Hedge::Speculated,
    Hedge::Denied,
];

const TIME_SHAPES: [TimeShape; 4] = [
    TimeShape::Point,
    TimeShape::Interval,
    TimeShape::Any,
    TimeShape::Timeless,
];

/// What opening a snapshot found.
#[derive(Debug)]
pub enum Opened {
    /// The data is unchanged: the dataset as it was loaded.
    Fresh(Box<Loaded>),
    /// The data changed since (or there is no snapshot yet, or it was made
    /// by another build): load it from its files.
    Stale,
    /// The snapshot cannot be used; say so once and load from the files.
    Damaged(Damage),
}

/// Writes the snapshot of `loaded`, read from the data folder `root` whose
/// files had the key `key` and whose walk gave the notes `walk`.
pub fn write(
    path: &Path,
    key: &DataKey,
    root: &Path,
    walk: &[Diagnostic],
    loaded: &Loaded,
) -> io::Result<()> {
    let (graph, nodes, rels) = encode_graph(&loaded.graph);
    let warnings = encode_warnings(walk, &loaded.warnings, &loaded.sources);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root = root.to_string_lossy();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    snapfile::write(
        path,
        key,
        &[
            (ROOT, root.as_bytes()),
            (WARNINGS, &warnings),
            (GRAPH, &graph),
            (NODES, &nodes),
            (RELS, &rels),
        ],
    )?;
    Ok(())
}

/// Opens the snapshot at `path` for the data folder `root`, whose data files
/// are now `rels` and whose walk now gives the notes `walk`.
pub fn open(path: &Path, root: &Path, rels: &[String], walk: &[Diagnostic]) -> Opened {
    let snap = match SnapFile::open(path) {
        Ok(s) => s,
        Err(Damage::Missing) => return Opened::Stale,
        Err(d) => return Opened::Damaged(d),
    };
    if !snap.key().matches(root, rels) {
        return Opened::Stale;
    }
    let (old_walk, warnings, sources) = match section(&snap, WARNINGS, decode_warnings) {
        Ok(w) => w,
        Err(d) => return Opened::Damaged(d),
    };
    if old_walk != walk {
        return Opened::Stale;
    }
    match read_graph(&snap) {
        Ok(graph) => Opened::Fresh(Box::new(Loaded {
            graph,
            warnings,
            sources,
            audit: Vec::new(),
        })),
        Err(d) => Opened::Damaged(d),
    }
}

/// The data folder the snapshot at `path` was made from, when it can be
/// read.
pub fn info_root(path: &Path) -> Option<String> {
    let snap = SnapFile::open(path).ok()?;
    section(&snap, ROOT, |r| {
        Some(String::from_utf8_lossy(r.0).into_owned())
    })
    .ok()
}

/// What `eje cache info` says of one snapshot.
#[derive(Debug)]
pub struct Info {
    /// The data folder it was made from, when it can be read.
    pub root: Option<String>,
    pub state: State,
}

#[derive(Debug, PartialEq, Eq)]
pub enum State {
    /// The next start over that folder reads it.
    Fresh,
    /// The data (or eje) changed since: the next start rebuilds it.
    Stale,
    /// It cannot be used (why); the next start rebuilds it.
    Damaged(String),
}

/// Whether the snapshot at `path` is fresh, without reading its graph.
pub fn info(path: &Path) -> Info {
    let snap = match SnapFile::open(path) {
        Ok(s) => s,
        Err(d) => {
            return Info {
                root: None,
                state: State::Damaged(damage_text(&d)),
            };
        }
    };
    let root = match section(&snap, ROOT, |r| {
        Some(String::from_utf8_lossy(r.0).into_owned())
    }) {
        Ok(r) => r,
        Err(d) => {
            return Info {
                root: None,
                state: State::Damaged(damage_text(&d)),
            };
        }
    };
    let state = match super::read::list_folder(Path::new(&root)) {
        Err(_) => State::Stale,
        Ok(listing) => {
            let same_walk =
                section(&snap, WARNINGS, decode_warnings).map(|(walk, _, _)| walk == listing.diags);
            match same_walk {
                Err(d) => State::Damaged(damage_text(&d)),
                Ok(true) if snap.key().matches(Path::new(&root), &listing.rels()) => State::Fresh,
                Ok(_) => State::Stale,
            }
        }
    };
    Info {
        root: Some(root),
        state,
    }
}

fn damage_text(d: &Damage) -> String {
    match d {
        Damage::Missing => "missing".into(),
        Damage::Foreign => "not a snapshot of this version of eje".into(),
        Damage::Truncated => "truncated".into(),
        Damage::Corrupt(part) => format!("damaged ({part} checksum)"),
        Damage::Io(e) => format!("unreadable ({e})"),
    }
}

fn section<T>(
    snap: &SnapFile,
    tag: u32,
    decode: impl FnOnce(Reader<'_>) -> Option<T>,
) -> Result<T, Damage> {
    let bytes = snap.section(tag).ok_or(Damage::Foreign)??;
    decode(Reader(bytes)).ok_or_else(|| Damage::Corrupt(format!("section {tag} contents")))
}

// ------------------------------------------------------------- warnings

fn encode_warnings(walk: &[Diagnostic], warnings: &[Diagnostic], sources: &SourceMap) -> Vec<u8> {
    let mut w = Writer::default();
    put_diags(&mut w, walk);
    put_diags(&mut w, warnings);
    // Only the texts some warning points into.
    let named: FastSet<&str> = warnings
        .iter()
        .flat_map(|d| {
            d.file
                .iter()
                .chain(d.related.iter().filter_map(|r| r.file.as_ref()))
        })
        .map(String::as_str)
        .collect();
    let texts: Vec<(&String, &String)> = sources
        .iter()
        .filter(|(name, _)| named.contains(name.as_str()))
        .collect();
    w.len(texts.len());
    for (name, text) in texts {
        w.str(name);
        w.str(text);
    }
    w.out
}

type Warnings = (Vec<Diagnostic>, Vec<Diagnostic>, SourceMap);

fn decode_warnings(mut r: Reader<'_>) -> Option<Warnings> {
    let walk = get_diags(&mut r)?;
    let warnings = get_diags(&mut r)?;
    let n = r.len()?;
    let mut sources = SourceMap::new();
    for _ in 0..n {
        let name = r.str()?.to_string();
        sources.insert(name, r.str()?.to_string());
    }
    r.is_empty().then_some((walk, warnings, sources))
}

fn put_opt_str(w: &mut Writer, s: Option<&str>) {
    match s {
        None => w.u8(0),
        Some(s) => {
            w.u8(1);
            w.str(s);
        }
    }
}

fn get_opt_str(r: &mut Reader<'_>) -> Option<Option<String>> {
    match r.u8()? {
        0 => Some(None),
        1 => Some(Some(r.str()?.to_string())),
        _ => None,
    }
}

fn put_diags(w: &mut Writer, diags: &[Diagnostic]) {
    w.len(diags.len());
    for d in diags {
        w.u8(match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        });
        w.str(d.code);
        w.str(&d.message);
        put_opt_str(w, d.file.as_deref());
        w.len(d.span.start);
        w.len(d.span.end);
        put_opt_str(w, d.label.as_deref());
        put_opt_str(w, d.help.as_deref());
        w.len(d.notes.len());
        for n in &d.notes {
            w.str(n);
        }
        w.len(d.related.len());
        for rel in &d.related {
            put_opt_str(w, rel.file.as_deref());
            w.len(rel.span.start);
            w.len(rel.span.end);
            w.str(&rel.label);
        }
    }
}

fn get_diags(r: &mut Reader<'_>) -> Option<Vec<Diagnostic>> {
    let n = r.len()?;
    let mut out = Vec::with_capacity(n.min(r.0.len()));
    for _ in 0..n {
        let severity = match r.u8()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Note,
            _ => return None,
        };
        let code = static_code(r.str()?);
        let message = r.str()?.to_string();
        let file = get_opt_str(r)?;
        let span = r.len()?..r.len()?;
        let label = get_opt_str(r)?;
        let help = get_opt_str(r)?;
        let notes = (0..r.len()?)
            .map(|_| r.str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?;
        let related = (0..r.len()?)
            .map(|_| {
                Some(Related {
                    file: get_opt_str(r)?,
                    span: r.len()?..r.len()?,
                    label: r.str()?.to_string(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        out.push(Diagnostic {
            severity,
            code,
            message,
            file,
            span,
            label,
            help,
            notes,
            related,
        });
    }
    Some(out)
}

/// A diagnostic's code as the `&'static str` it is everywhere else: each
/// distinct code is kept once for the whole process (they are few).
fn static_code(code: &str) -> &'static str {
    static CODES: OnceLock<Mutex<FastSet<&'static str>>> = OnceLock::new();
    let mut codes = CODES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(c) = codes.get(code) {
        return c;
    }
    let c: &'static str = Box::leak(code.to_string().into_boxed_str());
    codes.insert(c);
    c
}

// ---------------------------------------------------------------- graph

/// Writes a graph: strings and shared values go to tables, written first.
struct Enc<'g> {
    strs: FastMap<Cow<'g, str>, u64>,
    /// Strings the graph shares (citations' `Arc<str>`, interned keys) by
    /// address and length: found again without hashing their text.
    shared_strs: FastMap<(usize, usize), u64>,
    /// The relation types, few and met once per relation: a small map that
    /// stays in the cache.
    types: FastMap<&'g str, u64>,
    str_list: Vec<Cow<'g, str>>,
    values: FastMap<*const Value, u64>,
    value_table: Writer,
    value_count: u64,
    w: Writer,
}

/// The graph as three sections: the tables with the schema and the
/// sources, the nodes, the relations.
fn encode_graph(g: &Graph) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut e = Enc {
        strs: FastMap::default(),
        shared_strs: FastMap::default(),
        types: FastMap::default(),
        str_list: Vec::new(),
        values: FastMap::default(),
        value_table: Writer::default(),
        value_count: 0,
        w: Writer::default(),
    };
    match &g.schema {
        None => e.w.u8(0),
        Some(s) => {
            e.w.u8(1);
            e.schema(s);
        }
    }
    e.w.len(g.sources().len());
    for (k, s) in g.sources() {
        e.str(k);
        e.str(&s.id);
        e.str(&s.kind);
        e.str(&s.title);
        e.opt_str(s.publisher.as_deref());
        match &s.published {
            None => e.w.u8(0),
            Some(d) => {
                e.w.u8(1);
                put_date(&mut e.w, d);
            }
        }
        e.str(&s.language);
        e.str(&s.file);
    }
    let head = std::mem::take(&mut e.w);
    e.w.len(g.node_count());
    for ix in g.nodes() {
        let n = g.node(ix);
        e.str(&n.id);
        e.w.len(n.labels.len());
        for l in &n.labels {
            e.str(l);
        }
        e.props(&n.props);
    }
    let nodes = std::mem::take(&mut e.w);
    e.w.len(g.rel_count());
    for ix in g.rels() {
        let (from, to) = g.endpoints(ix);
        e.w.len(from.index());
        e.w.len(to.index());
        let r = g.rel(ix);
        let ty = match e.types.get(r.rel_type.as_str()) {
            Some(i) => *i,
            None => {
                let i = e.str_index(&r.rel_type);
                e.types.insert(&r.rel_type, i);
                i
            }
        };
        e.w.var(ty);
        e.props(&r.props);
    }
    let mut out = Writer::default();
    out.len(e.str_list.len());
    for s in &e.str_list {
        out.str(s);
    }
    out.var(e.value_count);
    out.out.extend_from_slice(&e.value_table.out);
    out.out.extend_from_slice(&head.out);
    (out.out, nodes.out, e.w.out)
}

impl<'g> Enc<'g> {
    fn index_of(&mut self, s: &str, keep: impl FnOnce() -> Cow<'g, str>) -> u64 {
        if let Some(i) = self.strs.get(s) {
            return *i;
        }
        let kept = keep();
        let i = self.str_list.len() as u64;
        self.str_list.push(kept.clone());
        self.strs.insert(kept, i);
        i
    }

    fn str_index(&mut self, s: &'g str) -> u64 {
        self.index_of(s, || Cow::Borrowed(s))
    }

    fn str(&mut self, s: &'g str) {
        let i = self.str_index(s);
        self.w.var(i);
    }

    /// `str` for a string the graph shares (an `Arc<str>` or an interned
    /// key): while the graph is borrowed, its address and length name it.
    fn shared_str(&mut self, s: &'g str) {
        let i = self.shared_index(s);
        self.w.var(i);
    }

    fn shared_index(&mut self, s: &'g str) -> u64 {
        let at = (s.as_ptr() as usize, s.len());
        if let Some(i) = self.shared_strs.get(&at) {
            return *i;
        }
        let i = self.str_index(s);
        self.shared_strs.insert(at, i);
        i
    }

    fn opt_str(&mut self, s: Option<&'g str>) {
        match s {
            None => self.w.var(0),
            Some(s) => {
                let i = self.str_index(s);
                self.w.var(i + 1);
            }
        }
    }

    fn strs(&mut self, list: &'g [String]) {
        self.w.len(list.len());
        for s in list {
            self.str(s);
        }
    }

    fn schema(&mut self, s: &'g Schema) {
        self.w.len(s.kinds.len());
        for (k, d) in &s.kinds {
            self.str(k);
            self.str(&d.name);
            self.opt_str(d.parent.as_deref());
            self.str(&d.description);
            self.str(&d.style.shape);
            self.str(&d.style.color);
        }
        self.w.len(s.relations.len());
        for (k, d) in &s.relations {
            self.str(k);
            self.str(&d.name);
            self.str(&d.description);
            self.strs(&d.from);
            self.strs(&d.to);
            self.w.u8(u8::from(d.symmetric));
            let shape = TIME_SHAPES.iter().position(|t| *t == d.time).unwrap_or(0);
            self.w.u8(shape as u8);
            self.opt_str(d.unit.as_deref());
            self.strs(&d.roles);
        }
        self.w.len(s.units.len());
        for (k, d) in &s.units {
            self.str(k);
            self.str(&d.name);
            self.str(&d.description);
        }
    }

    fn props(&mut self, p: &'g Props) {
        self.w.len(p.shared_entries().count());
        for (k, v) in p.shared_entries() {
            self.shared_str(k);
            let i = self.shared_value(v);
            self.w.var(i);
        }
        let Some(d) = p.deferred() else {
            self.w.u8(0);
            return;
        };
        let any = d.as_any();
        if let Some(ev) = any.and_then(|a| a.downcast_ref::<Evidence>()) {
            self.cites(ev.cites.len(), ev.cites.iter().map(Cite::as_ref));
        } else if let Some(ev) = any.and_then(|a| a.downcast_ref::<SnapEvidence>()) {
            self.cites(ev.len as usize, ev.cites());
        } else {
            // Another kind of deferred group: stored as its values.
            self.w.u8(2);
            let keys = d.keys();
            self.w.len(keys.len());
            let values = d.values();
            let mut tmp = std::mem::take(&mut self.w);
            for (k, v) in keys.iter().zip(&values) {
                let i = self.str_index(k);
                tmp.var(i);
                self.value(&mut tmp, v);
            }
            self.w = tmp;
        }
    }

    fn cites(&mut self, n: usize, cites: impl Iterator<Item = CiteRef<'g>>) {
        self.w.u8(1);
        self.w.len(n);
        for c in cites {
            self.shared_str(c.source);
            self.shared_str(c.quote);
            match c.claimant {
                None => self.w.var(0),
                Some(cl) => {
                    let i = self.shared_index(cl);
                    self.w.var(i + 1);
                }
            }
            let h = HEDGES.iter().position(|h| *h == c.hedge).unwrap_or(0);
            self.w.u8(h as u8);
        }
    }

    /// The index of a shared value in the value table, written there the
    /// first time it is met.
    fn shared_value(&mut self, v: &'g Arc<Value>) -> u64 {
        let ptr = Arc::as_ptr(v);
        if let Some(i) = self.values.get(&ptr) {
            return *i;
        }
        let mut table = std::mem::take(&mut self.value_table);
        self.value(&mut table, v);
        self.value_table = table;
        let i = self.value_count;
        self.value_count += 1;
        self.values.insert(ptr, i);
        i
    }

    /// A value, written in place into `w` (its strings into the table).
    fn value(&mut self, w: &mut Writer, v: &Value) {
        match v {
            Value::Null => w.u8(0),
            Value::Bool(false) => w.u8(1),
            Value::Bool(true) => w.u8(2),
            Value::Int(i) => {
                w.u8(3);
                w.int(*i);
            }
            Value::Float(f) => {
                w.u8(4);
                w.u64(f.to_bits());
            }
            Value::Str(s) => {
                w.u8(5);
                let i = self.owned_str_index(s);
                w.var(i);
            }
            Value::Date(d) => {
                w.u8(6);
                put_date(w, d);
            }
            Value::Temporal(t) => {
                w.u8(7);
                put_temporal(w, t, |s| self.owned_str_index(s));
            }
            Value::List(items) => {
                w.u8(8);
                w.len(items.len());
                for item in items {
                    self.value(w, item);
                }
            }
            Value::Map(m) => {
                w.u8(9);
                w.len(m.len());
                for (k, item) in m {
                    let i = self.owned_str_index(k);
                    w.var(i);
                    self.value(w, item);
                }
            }
            Value::Node(n) => {
                w.u8(10);
                w.len(n.index());
            }
            Value::Rel(r) => {
                w.u8(11);
                w.len(r.index());
            }
            Value::Path(p) => {
                w.u8(12);
                w.len(p.nodes.len());
                for n in &p.nodes {
                    w.len(n.index());
                }
                w.len(p.rels.len());
                for r in &p.rels {
                    w.len(r.index());
                }
            }
        }
    }

    /// The index of a string that may not live as long as the graph (values
    /// are written from a borrow of their own): copied when first met.
    fn owned_str_index(&mut self, s: &str) -> u64 {
        self.index_of(s, || Cow::Owned(s.to_string()))
    }
}

fn put_date(w: &mut Writer, d: &PartialDate) {
    w.int(i64::from(d.year));
    w.var(d.month.map_or(0, |m| u64::from(m) + 1));
    w.var(d.day.map_or(0, |m| u64::from(m) + 1));
}

fn get_date(r: &mut Reader<'_>) -> Option<PartialDate> {
    let year = i32::try_from(r.int()?).ok()?;
    let part = |v: u64| -> Option<Option<u8>> {
        if v == 0 {
            Some(None)
        } else {
            u8::try_from(v - 1).ok().map(Some)
        }
    };
    let month = part(r.var()?)?;
    let day = part(r.var()?)?;
    Some(PartialDate { year, month, day })
}

fn put_temporal(w: &mut Writer, t: &Temporal, mut str_index: impl FnMut(&str) -> u64) {
    match t {
        Temporal::Date(d) => {
            w.u8(0);
            w.int(*d);
        }
        Temporal::LocalTime(n) => {
            w.u8(1);
            w.int(*n);
        }
        Temporal::Time(t) => {
            w.u8(2);
            w.int(t.nanos);
            w.int(i64::from(t.offset));
        }
        Temporal::LocalDateTime(l) => {
            w.u8(3);
            w.int(l.days);
            w.int(l.nanos);
        }
        Temporal::DateTime(d) => {
            w.u8(4);
            w.int(d.local.days);
            w.int(d.local.nanos);
            w.int(i64::from(d.offset));
            match &d.zone {
                None => w.var(0),
                Some(z) => w.var(str_index(z) + 1),
            }
        }
        Temporal::Duration(d) => {
            w.u8(5);
            w.int(d.months);
            w.int(d.days);
            w.int(d.seconds);
            w.int(d.nanos);
        }
    }
}

/// Reads a graph written by `encode_graph`: the tables first, then the
/// nodes (indexed as they are added) on one thread while the relations are
/// read on another; each section's checksum is checked by the thread that
/// reads it.
///
/// The sections' bytes are read for this alone and freed as soon as each is
/// decoded, before the graph's adjacency is built.
fn read_graph(snap: &SnapFile) -> Result<Graph, Damage> {
    decode_graph(|tag| Ok(Cow::Owned(snap.read_once(tag).ok_or(Damage::Foreign)??)))
}

/// `read_graph` over the sections `section` gives.
fn decode_graph<'s>(
    section: impl Fn(u32) -> Result<Cow<'s, [u8]>, Damage> + Sync,
) -> Result<Graph, Damage> {
    let bad = |tag: u32| Damage::Corrupt(format!("section {tag} contents"));
    let bytes = section(GRAPH)?;
    let mut r = Reader(&bytes);
    let (strs, values) = tables(&mut r).ok_or_else(|| bad(GRAPH))?;
    let strs: Arc<[Arc<str>]> = strs.into();
    let mut head = Dec::new(r, &strs, &values);
    let schema = head.schema_part().ok_or_else(|| bad(GRAPH))?;
    let (graph, rels) = std::thread::scope(|scope| {
        let rels = scope.spawn(|| -> Result<Vec<(usize, usize, Rel)>, Damage> {
            let bytes = section(RELS)?;
            Dec::new(Reader(&bytes), &strs, &values)
                .citing(&strs)
                .rels()
                .ok_or_else(|| bad(RELS))
        });
        // The sources are read here too: the relations take longer.
        let nodes = (|| -> Result<Graph, Damage> {
            let mut g = Graph::new(schema);
            *g.sources_mut() = head.sources().ok_or_else(|| bad(GRAPH))?;
            let bytes = section(NODES)?;
            Dec::new(Reader(&bytes), &strs, &values)
                .citing(&strs)
                .nodes(&mut g)
                .ok_or_else(|| bad(NODES))?;
            Ok(g)
        })();
        let rels = rels.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (nodes, rels)
    });
    let mut graph = graph?;
    let rels = rels?;
    let n = graph.node_count();
    graph.reserve(0, rels.len());
    for (from, to, rel) in rels {
        if from >= n || to >= n {
            return Err(bad(RELS));
        }
        graph.add_rel(NodeIndex::new(from), NodeIndex::new(to), rel);
    }
    graph.adjacency();
    Ok(graph)
}

/// The table of strings and the table of shared values.
type Tables = (Vec<Arc<str>>, Vec<Arc<Value>>);

fn tables(r: &mut Reader<'_>) -> Option<Tables> {
    let n = r.len()?;
    let mut strs: Vec<Arc<str>> = Vec::with_capacity(n.min(r.0.len()));
    for _ in 0..n {
        strs.push(Arc::from(r.str()?));
    }
    let n = r.len()?;
    let mut values = Vec::with_capacity(n.min(r.0.len()));
    let left = {
        let mut d = Dec::new(*r, &strs, &[]);
        for _ in 0..n {
            values.push(Arc::new(d.value()?));
        }
        d.r.0.len()
    };
    r.take(r.0.len() - left)?;
    Some((strs, values))
}

/// Reads the parts of a graph, with the tables read before.
struct Dec<'a> {
    r: Reader<'a>,
    strs: &'a [Arc<str>],
    values: &'a [Arc<Value>],
    /// The interned property keys met, by string index.
    keys: FastMap<usize, Key>,
    /// The citations met, kept in one table for the whole section.
    cites: CiteBuilder,
}

impl<'a> Dec<'a> {
    fn new(r: Reader<'a>, strs: &'a [Arc<str>], values: &'a [Arc<Value>]) -> Self {
        Dec {
            r,
            strs,
            values,
            keys: FastMap::default(),
            cites: CiteBuilder::default(),
        }
    }

    /// Reads citations into a table over the strings `strs`.
    fn citing(mut self, strs: &Arc<[Arc<str>]>) -> Self {
        self.cites = CiteBuilder::new(strs);
        self
    }

    /// The schema, at the start of the graph's head.
    fn schema_part(&mut self) -> Option<Option<Schema>> {
        match self.r.u8()? {
            0 => Some(None),
            1 => Some(Some(self.schema()?)),
            _ => None,
        }
    }

    /// The sources, after the schema: written in key order, so the map is
    /// built in one pass.
    fn sources(&mut self) -> Option<BTreeMap<String, Source>> {
        let n = self.r.len()?;
        let mut sources = Vec::with_capacity(n.min(self.r.0.len()));
        for _ in 0..n {
            let k = self.string()?;
            let s = Source {
                id: self.string()?,
                kind: self.string()?,
                title: self.string()?,
                publisher: self.opt_string()?,
                published: match self.r.u8()? {
                    0 => None,
                    1 => Some(get_date(&mut self.r)?),
                    _ => return None,
                },
                language: self.string()?,
                file: self.string()?,
            };
            sources.push((k, s));
        }
        // Out of order only if damaged; the map sorts it either way.
        let sources = BTreeMap::from_iter(sources);
        (sources.len() == n && self.r.is_empty()).then_some(sources)
    }

    fn nodes(&mut self, g: &mut Graph) -> Option<()> {
        let n = self.r.len()?;
        for _ in 0..n {
            let id = self.string()?;
            let labels = self.strings()?;
            let props = self.props()?;
            g.add_node(Node { id, labels, props });
        }
        self.cites.finish();
        self.r.is_empty().then_some(())
    }

    fn rels(&mut self) -> Option<Vec<(usize, usize, Rel)>> {
        let n = self.r.len()?;
        let mut out = Vec::with_capacity(n.min(self.r.0.len()));
        for _ in 0..n {
            let from = self.r.len()?;
            let to = self.r.len()?;
            let rel_type = self.string()?;
            let props = self.props()?;
            out.push((from, to, Rel { rel_type, props }));
        }
        self.cites.finish();
        self.r.is_empty().then_some(out)
    }
}

impl Dec<'_> {
    /// A string of a citation: its number in the section's citation table.
    fn cite_str(&mut self) -> Option<u32> {
        let i = self.r.len()?;
        (i < self.strs.len()).then_some(())?;
        u32::try_from(i).ok().filter(|i| *i != NO_CLAIMANT)
    }

    fn string(&mut self) -> Option<String> {
        let i = self.r.len()?;
        self.strs.get(i).map(|s| s.to_string())
    }

    fn opt_arc(&mut self) -> Option<Option<Arc<str>>> {
        match self.r.len()? {
            0 => Some(None),
            i => self.strs.get(i - 1).cloned().map(Some),
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(self.opt_arc()?.map(|s| s.to_string()))
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.r.len()?;
        (0..n).map(|_| self.string()).collect()
    }

    fn key(&mut self) -> Option<Key> {
        let i = self.r.len()?;
        if let Some(k) = self.keys.get(&i) {
            return Some(*k);
        }
        let k = intern(self.strs.get(i)?);
        self.keys.insert(i, k);
        Some(k)
    }

    fn schema(&mut self) -> Option<Schema> {
        let mut s = Schema::default();
        for _ in 0..self.r.len()? {
            let k = self.string()?;
            let def = KindDef {
                name: self.string()?,
                parent: self.opt_string()?,
                description: self.string()?,
                style: Style {
                    shape: self.string()?,
                    color: self.string()?,
                },
            };
            s.kinds.insert(k, def);
        }
        for _ in 0..self.r.len()? {
            let k = self.string()?;
            let def = RelationDef {
                name: self.string()?,
                description: self.string()?,
                from: self.strings()?,
                to: self.strings()?,
                symmetric: match self.r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
                time: *TIME_SHAPES.get(usize::from(self.r.u8()?))?,
                unit: self.opt_string()?,
                roles: self.strings()?,
            };
            s.relations.insert(k, def);
        }
        for _ in 0..self.r.len()? {
            let k = self.string()?;
            let def = UnitDef {
                name: self.string()?,
                description: self.string()?,
            };
            s.units.insert(k, def);
        }
        Some(s)
    }

    fn props(&mut self) -> Option<Props> {
        let n = self.r.len()?;
        let mut p = Props::with_capacity(n);
        for _ in 0..n {
            let k = self.key()?;
            let v = self.values.get(self.r.len()?)?.clone();
            p.insert_shared(k, v);
        }
        match self.r.u8()? {
            0 => {}
            1 => {
                let n = self.r.len()?;
                let start = self.cites.recs.len();
                for _ in 0..n {
                    let source = self.cite_str()?;
                    let quote = self.cite_str()?;
                    let claimant = match self.r.len()? {
                        0 => NO_CLAIMANT,
                        i => {
                            let i = i - 1;
                            (i < self.strs.len()).then_some(())?;
                            u32::try_from(i).ok().filter(|i| *i != NO_CLAIMANT)?
                        }
                    };
                    let hedge = *HEDGES.get(usize::from(self.r.u8()?))?;
                    self.cites.recs.push(CiteRec {
                        source,
                        quote,
                        claimant,
                        hedge,
                    });
                }
                p.set_deferred(SnapEvidence {
                    table: self.cites.table.clone()?,
                    start: u32::try_from(start).ok()?,
                    len: u32::try_from(n).ok()?,
                });
            }
            2 => {
                for _ in 0..self.r.len()? {
                    let k = self.key()?;
                    let v = self.value()?;
                    p.insert_shared(k, Arc::new(v));
                }
            }
            _ => return None,
        }
        Some(p)
    }

    fn value(&mut self) -> Option<Value> {
        Some(match self.r.u8()? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Int(self.r.int()?),
            4 => Value::Float(f64::from_bits(self.r.u64()?)),
            5 => Value::Str(self.string()?.into()),
            6 => Value::Date(get_date(&mut self.r)?),
            7 => Value::Temporal(Box::new(self.temporal()?)),
            8 => {
                let n = self.r.len()?;
                let mut items = Vec::with_capacity(n.min(self.r.0.len()));
                for _ in 0..n {
                    items.push(self.value()?);
                }
                Value::List(items)
            }
            9 => {
                let mut m = BTreeMap::new();
                for _ in 0..self.r.len()? {
                    let k = self.string()?;
                    m.insert(k, self.value()?);
                }
                Value::Map(m)
            }
            10 => Value::Node(NodeIndex::new(self.r.len()?)),
            11 => Value::Rel(EdgeIndex::new(self.r.len()?)),
            12 => {
                let n = self.r.len()?;
                let nodes = (0..n)
                    .map(|_| self.r.len().map(NodeIndex::new))
                    .collect::<Option<Vec<_>>>()?;
                let n = self.r.len()?;
                let rels = (0..n)
                    .map(|_| self.r.len().map(EdgeIndex::new))
                    .collect::<Option<Vec<_>>>()?;
                Value::Path(Box::new(crate::model::Path { nodes, rels }))
            }
            _ => return None,
        })
    }

    fn temporal(&mut self) -> Option<Temporal> {
        let r = &mut self.r;
        let small = |v: i64| i32::try_from(v).ok();
        Some(match r.u8()? {
            0 => Temporal::Date(r.int()?),
            1 => Temporal::LocalTime(r.int()?),
            2 => Temporal::Time(Time {
                nanos: r.int()?,
                offset: small(r.int()?)?,
            }),
            3 => Temporal::LocalDateTime(LocalDateTime {
                days: r.int()?,
                nanos: r.int()?,
            }),
            4 => {
                let local = LocalDateTime {
                    days: r.int()?,
                    nanos: r.int()?,
                };
                let offset = small(r.int()?)?;
                let zone = self.opt_arc()?;
                Temporal::DateTime(DateTime {
                    local,
                    offset,
                    zone,
                })
            }
            5 => Temporal::Duration(Duration {
                months: r.int()?,
                days: r.int()?,
                seconds: r.int()?,
                nanos: r.int()?,
            }),
            _ => return None,
        })
    }
}

// ------------------------------------------------------------ citations

/// The citations of a section read from a snapshot, in one table: every
/// claim's evidence is a range of it (`SnapEvidence`), turned into values
/// only when a query reads them. Their strings are numbers in the
/// snapshot's table of strings, which the table keeps.
#[derive(Debug)]
struct CiteTable {
    strs: Arc<[Arc<str>]>,
    /// Filled once the section is read, before the graph is used.
    recs: OnceLock<Vec<CiteRec>>,
}

/// `claimant` of a citation without one.
const NO_CLAIMANT: u32 = u32::MAX;

/// One citation: its strings by number in the table of strings.
#[derive(Debug, Clone, Copy)]
struct CiteRec {
    source: u32,
    quote: u32,
    claimant: u32,
    hedge: Hedge,
}

/// The table of citations being read (none while the tables themselves
/// are read: values hold no citations).
#[derive(Debug, Default)]
struct CiteBuilder {
    table: Option<Arc<CiteTable>>,
    recs: Vec<CiteRec>,
}

impl CiteBuilder {
    fn new(strs: &Arc<[Arc<str>]>) -> Self {
        CiteBuilder {
            table: Some(Arc::new(CiteTable {
                strs: strs.clone(),
                recs: OnceLock::new(),
            })),
            recs: Vec::new(),
        }
    }

    fn finish(&mut self) {
        let recs = std::mem::take(&mut self.recs);
        if let Some(t) = &self.table {
            let _ = t.recs.set(recs);
        }
    }
}

/// A claim's evidence read from a snapshot: a range of the section's
/// citation table, read as `build::Evidence` reads.
#[derive(Debug)]
pub struct SnapEvidence {
    table: Arc<CiteTable>,
    start: u32,
    len: u32,
}

impl SnapEvidence {
    fn cites(&self) -> impl Iterator<Item = CiteRef<'_>> + Clone {
        let strs = &self.table.strs;
        let recs = self.table.recs.get().map_or(&[][..], Vec::as_slice);
        let start = self.start as usize;
        let recs = recs.get(start..start + self.len as usize).unwrap_or(&[]);
        let text = move |i: u32| strs.get(i as usize).map_or("", |s| &**s);
        recs.iter().map(move |r| CiteRef {
            source: text(r.source),
            quote: text(r.quote),
            claimant: (r.claimant != NO_CLAIMANT).then(|| text(r.claimant)),
            hedge: r.hedge,
        })
    }
}

impl Deferred for SnapEvidence {
    fn keys(&self) -> &[Key] {
        evidence_keys()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn values(&self) -> Vec<Value> {
        evidence_values(self.cites())
    }

    fn list_len(&self, key: &str) -> Option<usize> {
        evidence_list_len(self.cites(), self.len as usize, key)
    }

    fn each_str<'a>(&'a self, key: &str, field: Option<&str>, f: &mut dyn FnMut(&'a str)) -> bool {
        evidence_each_str(self.cites(), key, field, f);
        true
    }
}

#[cfg(test)]
mod tests;
