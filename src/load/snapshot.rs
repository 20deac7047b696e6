//! The snapshot of a loaded dataset: what a successful load of a data folder
//! produced (the graph, the schema, the sources and the warnings), written
//! into the envelope of `snapfile` so that the next start over unchanged
//! data reads it instead of parsing and checking the RON files again.
//!
//! Sections (their tags below): `ROOT` (the data folder, for `eje cache
//! info`), `WARNINGS` (the notes of the folder's walk and the load's
//! warnings, without the texts they point into: the files are unchanged
//! whenever the snapshot is used), `HEAD` (counts, schema and small tables,
//! read at open), `SOURCES` (read on first use), and columns read in place:
//! the tables of strings and of shared values, node and relation records
//! (offsets and a blob, integers variable-length as `wire` writes them),
//! each relation's ends and type, the citations, the ids and name keys
//! with their orders, each label's nodes and the adjacency. A claim's
//! evidence stays a range of the citations' column until a query reads it
//! (`SnapEvidence`); records are decoded on first read (`SnapArchive`).
//!
//! Writing streams the sections to `snapfile::write_with` from two
//! encoding threads (`encode_graph`); the order of sections in the file is
//! free, since the header's table finds each.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::build::{
    Cite, CiteRef, CiteSource, Evidence, evidence_each_str, evidence_keys, evidence_list_len,
    evidence_values,
};
use super::files::Hedge;
use super::freshness::DataKey;
use super::snapfile::{self, Chunk, Damage, Sections, SnapFile};
use super::wire::{Reader, Writer};
use super::{FastMap, Loaded};
use crate::diag::{Diagnostic, Related, Severity, SourceMap};
use crate::model::props::Deferred;
use crate::model::props::{Key, intern};
use crate::model::temporal::{DateTime, Duration, LocalDateTime, Temporal, Time};
use crate::model::{
    Adjacency, Archive, Cells, Col, Graph, KindDef, MappedParts, Node, PartialDate, PropKeys,
    Props, Rel, RelType, RelationDef, Schema, SharedStr, Source, StrCol, Style, TimeShape, UnitDef,
    Value, interned,
};

const WARNINGS: u32 = 2;
const ROOT: u32 = 3;
// The graph's sections.
const HEAD: u32 = 10;
const SOURCES: u32 = 11;
const STR_AT: u32 = 12;
const STR_BYTES: u32 = 13;
const VALUE_AT: u32 = 14;
const VALUE_BYTES: u32 = 15;
const NODE_AT: u32 = 16;
const NODE_REC: u32 = 17;
const REL_AT: u32 = 18;
const REL_REC: u32 = 19;
const REL_SRC: u32 = 20;
const REL_DST: u32 = 21;
const REL_TY: u32 = 22;
const CITES: u32 = 23;
const ID_AT: u32 = 24;
const ID_BYTES: u32 = 25;
const ID_ORDER: u32 = 26;
const KEY_AT: u32 = 27;
const KEY_BYTES: u32 = 28;
const KEY_START: u32 = 29;
const KEY_NODES: u32 = 30;
const LABEL_START: u32 = 31;
const LABEL_NODES: u32 = 32;
const OUT_START: u32 = 33;
const OUT: u32 = 34;
const IN_START: u32 = 35;
const IN: u32 = 36;
const LABEL_BITS: u32 = 37;
const NAMES: u32 = 38;
const NAME_AT: u32 = 39;
/// How many sections `encode_graph` writes (tags 10 to 39).
const GRAPH_SECTIONS: usize = 30;

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
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root = root.to_string_lossy();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Sections are encoded here and written by the file's own thread as
    // they come: the snapshot is never whole in memory.
    snapfile::write_with(path, key, 2 + GRAPH_SECTIONS, |out| {
        out.section(ROOT, Chunk::Lent(root.as_bytes()))?;
        put_warnings(out, walk, &loaded.warnings)?;
        encode_graph(&loaded.graph, out)
    })
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
    let (old_walk, warnings) = match section(&snap, WARNINGS, decode_warnings) {
        Ok(w) => w,
        Err(d) => return Opened::Damaged(d),
    };
    if old_walk != walk {
        return Opened::Stale;
    }
    // Every section is verified now, before any of it is used: damage
    // anywhere is one note and a load from the files, never an error in
    // the middle of a query.
    if let Err(d) = snap.verify_all() {
        return Opened::Damaged(d);
    }
    match read_graph(&snap) {
        Ok(graph) => Opened::Fresh(Box::new(Loaded {
            graph,
            warnings,
            sources: SourceMap::new(),
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
                section(&snap, WARNINGS, decode_warnings).map(|(walk, _)| walk == listing.diags);
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

/// The `WARNINGS` section in one buffer (tests).
#[cfg(test)]
fn encode_warnings(walk: &[Diagnostic], warnings: &[Diagnostic]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut sections: Vec<(u32, Vec<u8>)> = Vec::new();
    // Kept in memory, writing cannot fail.
    let _ = put_warnings(&mut sections, walk, warnings);
    for (_, bytes) in sections {
        out.extend_from_slice(&bytes);
    }
    out
}

/// The `WARNINGS` section. The texts the warnings point into are not kept:
/// the snapshot is used only while every file is unchanged, so a renderer
/// can read them again, and nothing that opens from it renders them (a
/// session counts its warnings; `eje check` always reads the files). Kept,
/// they made a tenth of the file at medium, copied out at every open.
fn put_warnings(
    out: &mut dyn Sections<'_>,
    walk: &[Diagnostic],
    warnings: &[Diagnostic],
) -> io::Result<()> {
    out.begin(WARNINGS)?;
    let mut w = Writer::default();
    put_diags(&mut w, walk);
    put_diags(&mut w, warnings);
    out.put(Chunk::Bytes(w.out))
}

type Warnings = (Vec<Diagnostic>, Vec<Diagnostic>);

fn decode_warnings(mut r: Reader<'_>) -> Option<Warnings> {
    let walk = get_diags(&mut r)?;
    let warnings = get_diags(&mut r)?;
    r.is_empty().then_some((walk, warnings))
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
        // A code is a `&'static str` everywhere else: kept once per process.
        let code = interned(r.str()?);
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

// ---------------------------------------------------------------- graph

/// Writes a graph: strings and shared values go to tables, records to
/// blobs with a column of offsets, citations to a column.
///
/// The strings of citations and the interned keys, which the graph shares
/// (a load gives each text one `Arc<str>`), are found again by address and
/// length while the graph is borrowed, without hashing their text; a text
/// met at two addresses is written twice, which reads the same. Other
/// strings (values, labels, the schema, the sources) are found by their
/// text, borrowed from the graph.
struct Enc<'g> {
    strs: FastMap<Cow<'g, str>, u64>,
    shared_strs: FastMap<(usize, usize), u64>,
    /// The property keys met so far (interned: one address per text), each
    /// with its string's number and whether nodes or relations have it: a
    /// small table numbered once per key, and the catalogue of keys
    /// (`Graph::prop_keys`) gathered as the records are written.
    keys: FastMap<usize, KeySeen<'g>>,
    /// The keys of the last deferred group met on each side (a static
    /// list most groups share), so that a list is added once.
    last_deferred: [(usize, usize); 2],
    str_list: Vec<Cow<'g, str>>,
    values: FastMap<*const Value, u64>,
    value_table: Writer,
    /// Where each value of the table starts.
    value_at: Vec<u64>,
    /// How many citations the records written so far point past.
    cite_at: usize,
    /// The string index of each numbered citation source met so far, by
    /// its number, for the one table of all sources (by its address) the
    /// numbers index; `u32::MAX` for one not met yet.
    cite_sources: (usize, Vec<u32>),
    w: Writer,
    /// How many bytes of the record section being written were handed on.
    sent: u64,
}

/// A property key of the records: its string's number, its text and the
/// sides that have it (0: nodes, 1: relations).
struct KeySeen<'g> {
    index: u64,
    text: &'g str,
    sides: [bool; 2],
}

/// The side of a record whose properties are written.
#[derive(Clone, Copy)]
enum Side {
    Node = 0,
    Rel = 1,
}

/// A claim's citations, as a load or a snapshot keeps them.
enum Cites<'g> {
    Built(&'g Evidence),
    Read(&'g SnapEvidence),
}

fn cites_of(d: &dyn Deferred) -> Option<Cites<'_>> {
    let any = d.as_any()?;
    if let Some(ev) = any.downcast_ref::<Evidence>() {
        Some(Cites::Built(ev))
    } else {
        any.downcast_ref::<SnapEvidence>().map(Cites::Read)
    }
}

fn hedge_number(h: Hedge) -> u32 {
    HEDGES.iter().position(|x| *x == h).unwrap_or(0) as u32
}

/// How the strings of a value are added to the table: text (a map's key,
/// a zone) and `Arc<str>` (a string value).
struct ValueStrs<'v, 'g> {
    text: fn(&mut Enc<'g>, &'v str) -> u64,
    arc: fn(&mut Enc<'g>, &'v SharedStr) -> u64,
}

impl Clone for ValueStrs<'_, '_> {
    fn clone(&self) -> Self {
        *self
    }
}

impl Copy for ValueStrs<'_, '_> {}

/// A record section is handed on in pieces of about this size.
const PIECE: usize = 1 << 20;

/// The numbers of a column made here (owned, so moved).
fn owned<T: bytemuck::Pod>(c: Col<T>) -> Vec<T> {
    match c {
        Col::Owned(v) => v,
        other => other.to_vec(),
    }
}

/// A column lent by the graph.
fn lent<T: bytemuck::Pod>(v: &[T]) -> Chunk<'_> {
    Chunk::Lent(bytemuck::cast_slice(v))
}

/// Writes the graph as sections (see the module's comment) to `out`, from
/// either storage: `GRAPH_SECTIONS` of them.
///
/// Two threads encode. A second one makes the columns that need no table
/// of strings (each relation's ends and type, each label's nodes, the ids
/// and their order, the name keys), then the citations, whose strings it
/// numbers in a table of its own, and those strings' bytes and ends. This
/// one hands on the adjacency, lent by the graph (written while it makes
/// the rest), writes the records, the sources and the head, hands the
/// second's columns on between the records, and then the citations, their
/// numbers moved past its own strings, and the table of strings: its own,
/// then the second's.
fn encode_graph<'g>(g: &'g Graph, out: &mut dyn Sections<'g>) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<(u32, Chunk<'g>)>>();
        let side = scope.spawn(move || {
            // This side stops early only when the receiving side has.
            if tx.send(rel_columns(g)).is_ok() {
                let _ = tx.send(node_columns(g));
            }
            drop(tx);
            let mut e = Enc::of_cites(g);
            let quads = e.cites(g);
            let strs = StrPieces::of(&e.str_list);
            (quads, strs)
        });
        let joined = || {
            side.join()
                .map_err(|_| io::Error::other("the snapshot's second encoder stopped"))
        };
        encode_records(g, out, &rx, joined)
    })
}

/// Columns of `g` made without its strings: each relation's ends and
/// type.
fn rel_columns<'g>(g: &'g Graph) -> Vec<(u32, Chunk<'g>)> {
    let adj = g.adjacency();
    let r = g.rel_count();
    let mut src: Vec<u32> = Vec::with_capacity(r);
    let mut dst: Vec<u32> = Vec::with_capacity(r);
    for ix in g.rels() {
        let (a, b) = g.endpoints(ix);
        src.push(a.index() as u32);
        dst.push(b.index() as u32);
    }
    let mut ty = vec![0u32; r];
    for h in adj.out.iter() {
        if let Some(t) = ty.get_mut(h.rel().index()) {
            *t = h.ty;
        }
    }
    vec![
        (REL_SRC, Chunk::U32(src)),
        (REL_DST, Chunk::U32(dst)),
        (REL_TY, Chunk::U32(ty)),
    ]
}

/// Columns of `g` made without its strings: each label's nodes, the ids
/// in node order and sorted, and the sorted name keys with their nodes.
fn node_columns<'g>(g: &'g Graph) -> Vec<(u32, Chunk<'g>)> {
    let mut label_start = vec![0u32];
    let mut label_nodes = Vec::new();
    for l in &g.labels() {
        label_nodes.extend(g.by_label(l).iter().map(|n| n.index() as u32));
        label_start.push(label_nodes.len() as u32);
    }
    // Ids in node order and sorted.
    let id_list: Vec<&str> = g.nodes().map(|ix| g.node(ix).id.as_str()).collect();
    let ids = StrCol::build(id_list.iter().copied());
    let mut order: Vec<u32> = (0..id_list.len() as u32).collect();
    // Ids are distinct: the order is the same as a stable sort's.
    order.sort_unstable_by(|a, b| id_list[*a as usize].cmp(id_list[*b as usize]));
    drop(id_list);
    let mut keys: Vec<(&str, &[petgraph::graph::NodeIndex])> = g.name_keys().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let key_col = StrCol::build(keys.iter().map(|k| k.0));
    let mut key_start = vec![0u32];
    let mut key_nodes = Vec::new();
    for (_, nodes) in &keys {
        key_nodes.extend(nodes.iter().map(|n| n.index() as u32));
        key_start.push(key_nodes.len() as u32);
    }
    vec![
        (LABEL_START, Chunk::U32(label_start)),
        (LABEL_NODES, Chunk::U32(label_nodes)),
        (ID_AT, Chunk::U64(owned(ids.offsets))),
        (ID_BYTES, Chunk::Bytes(owned(ids.bytes))),
        (ID_ORDER, Chunk::U32(order)),
        (KEY_AT, Chunk::U64(owned(key_col.offsets))),
        (KEY_BYTES, Chunk::Bytes(owned(key_col.bytes))),
        (KEY_START, Chunk::U32(key_start)),
        (KEY_NODES, Chunk::U32(key_nodes)),
    ]
}

/// Hands on the next columns the second encoder made (none when it
/// stopped: its join says why).
fn forward<'g>(
    plain: &std::sync::mpsc::Receiver<Vec<(u32, Chunk<'g>)>>,
    out: &mut dyn Sections<'g>,
) -> io::Result<()> {
    for (tag, chunk) in plain.recv().into_iter().flatten() {
        out.section_made(tag, chunk)?;
    }
    Ok(())
}

/// The citations and their strings, numbered from 0, as the second
/// encoder made them.
type Cited = (Vec<[u32; 4]>, StrPieces);

/// A table of strings as a section's bytes, in pieces of about `PIECE`,
/// and where each string ends (from 0).
struct StrPieces {
    pieces: Vec<Vec<u8>>,
    ends: Vec<u64>,
}

impl StrPieces {
    fn of(list: &[Cow<'_, str>]) -> StrPieces {
        let mut ends = Vec::with_capacity(list.len());
        let mut pieces = Vec::new();
        let mut piece = Vec::with_capacity(PIECE + (PIECE >> 2));
        let mut end = 0u64;
        for s in list {
            piece.extend_from_slice(s.as_bytes());
            end += s.len() as u64;
            ends.push(end);
            if piece.len() >= PIECE {
                let next = Vec::with_capacity(PIECE + (PIECE >> 2));
                pieces.push(std::mem::replace(&mut piece, next));
            }
        }
        pieces.push(piece);
        StrPieces { pieces, ends }
    }

    /// How many bytes the strings take.
    fn len(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }
}

/// The sections of `g` that need the table of strings, with the columns
/// `plain` brings and the citations `cited` gives, in between.
fn encode_records<'g>(
    g: &'g Graph,
    out: &mut dyn Sections<'g>,
    plain: &std::sync::mpsc::Receiver<Vec<(u32, Chunk<'g>)>>,
    cited: impl FnOnce() -> io::Result<Cited>,
) -> io::Result<()> {
    let adj = g.adjacency();
    let (n, r) = (g.node_count(), g.rel_count());
    let mut e = Enc::of_records(g);

    // Adjacency, as the graph holds it.
    out.section(OUT_START, lent(&adj.out_start))?;
    out.section(OUT, lent(&adj.out))?;
    out.section(IN_START, lent(&adj.in_start))?;
    out.section(IN, lent(&adj.inc))?;
    out.section(LABEL_BITS, lent(&adj.label_bits))?;
    out.section(NAMES, lent(&adj.names))?;
    out.section(NAME_AT, lent(&adj.name_at))?;

    // Records: each node's labels and properties, each relation's
    // properties, handed on as they are made.
    let mut at = Vec::with_capacity(n + 1);
    out.begin(NODE_REC)?;
    for ix in g.nodes() {
        at.push(e.record_at());
        let node = g.node(ix);
        e.w.len(node.labels.len());
        for l in &node.labels {
            e.str(l);
        }
        e.props(&node.props, Side::Node);
        e.piece(out, false)?;
    }
    at.push(e.record_at());
    e.piece(out, true)?;
    out.section(NODE_AT, Chunk::U64(at))?;
    // The other encoder's first columns are ready by now, most times.
    forward(plain, out)?;
    let mut at = Vec::with_capacity(r + 1);
    out.begin(REL_REC)?;
    for ix in g.rels() {
        at.push(e.record_at());
        e.props(&g.rel(ix).props, Side::Rel);
        e.piece(out, false)?;
    }
    at.push(e.record_at());
    e.piece(out, true)?;
    out.section(REL_AT, Chunk::U64(at))?;
    forward(plain, out)?;

    // The sources, read on first use.
    e.w.len(g.sources().len());
    for (k, s) in g.sources() {
        // Each source's id, title and file are its own: added without a
        // look-up (the id is the key).
        let key = e.push_str(k);
        e.w.var(key);
        if s.id == *k {
            e.w.var(key);
        } else {
            let id = e.push_str(&s.id);
            e.w.var(id);
        }
        e.str(&s.kind);
        let title = e.push_str(&s.title);
        e.w.var(title);
        e.opt_str(s.publisher.as_deref());
        match &s.published {
            None => e.w.u8(0),
            Some(d) => {
                e.w.u8(1);
                put_date(&mut e.w, d);
            }
        }
        e.str(&s.language);
        // A source's file is its own (a text met twice is written twice,
        // which reads the same).
        let file = e.push_str(&s.file);
        e.w.var(file);
    }
    out.section(SOURCES, Chunk::Bytes(std::mem::take(&mut e.w.out)))?;

    let (mut cites, cite_strs) = cited()?;

    // The head: counts, the schema and the small tables, read at open.
    e.w.len(n);
    e.w.len(r);
    match &g.schema {
        None => e.w.u8(0),
        Some(s) => {
            e.w.u8(1);
            e.schema(s);
        }
    }
    e.w.len(adj.types.len());
    for (t, c) in adj.types.iter().zip(&adj.type_counts) {
        e.w.str(t);
        e.w.len(*c);
    }
    e.w.len(adj.labels.len());
    for l in &adj.labels {
        e.w.str(l);
    }
    let labels = g.labels();
    e.w.len(labels.len());
    for l in &labels {
        e.w.str(l);
    }
    e.w.len(e.value_at.len());
    e.w.len(cites.len());
    e.w.len(adj.names.len());
    // The catalogue of property keys: a key is resolved without reading
    // any node or relation.
    let keys = e.prop_keys();
    for list in [&keys.nodes, &keys.rels] {
        e.w.len(list.len());
        for k in list {
            e.w.str(k);
        }
    }
    out.section(HEAD, Chunk::Bytes(std::mem::take(&mut e.w.out)))?;

    // The citations' strings follow this encoder's, which are all made
    // now: their numbers move past them.
    let moved = u32::try_from(e.str_list.len())
        .ok()
        .filter(|m| m.checked_add(cite_strs.ends.len() as u32).is_some())
        .ok_or_else(|| io::Error::other("too many strings for a snapshot"))?;
    for c in &mut cites {
        c[0] += moved;
        c[1] += moved;
        if c[2] != NO_CLAIMANT {
            c[2] += moved;
        }
    }
    out.section(CITES, Chunk::Quads(cites))?;

    // The tables of strings and values: everything above adds to them.
    // This encoder's strings first, then the citations'.
    drop(std::mem::take(&mut e.shared_strs));
    drop(std::mem::take(&mut e.strs));
    let own = StrPieces::of(&e.str_list);
    drop(std::mem::take(&mut e.str_list));
    let base = own.len();
    out.begin(STR_BYTES)?;
    for piece in own.pieces.into_iter().chain(cite_strs.pieces) {
        out.put(Chunk::Bytes(piece))?;
    }
    out.begin(STR_AT)?;
    out.put(Chunk::U64(vec![0]))?;
    out.put(Chunk::U64(own.ends))?;
    let mut cite_at = cite_strs.ends;
    for end in &mut cite_at {
        *end += base;
    }
    out.put(Chunk::U64(cite_at))?;
    let mut value_at = std::mem::take(&mut e.value_at);
    value_at.push(e.value_table.out.len() as u64);
    out.section(VALUE_AT, Chunk::U64(value_at))?;
    out.section(
        VALUE_BYTES,
        Chunk::Bytes(std::mem::take(&mut e.value_table.out)),
    )?;

    Ok(())
}

impl<'g> Enc<'g> {
    /// An encoder with empty tables, sized for `strings` strings, `shared`
    /// of them found by address: a table that doubles past its size copies
    /// itself, and one sized past its use still takes every page it has
    /// (entries land all over it).
    fn new(strings: usize, shared: usize) -> Enc<'g> {
        Enc {
            strs: FastMap::default(),
            shared_strs: FastMap::with_capacity_and_hasher(shared, Default::default()),
            keys: FastMap::default(),
            last_deferred: [(0, usize::MAX); 2],
            values: FastMap::default(),
            value_table: Writer::default(),
            value_at: Vec::new(),
            cite_at: 0,
            cite_sources: (0, Vec::new()),
            w: Writer {
                out: Vec::with_capacity(PIECE + (PIECE >> 2)),
            },
            sent: 0,
            str_list: Vec::with_capacity(strings),
        }
    }

    /// The encoder of `g`'s records: about what a load's graph adds, a few
    /// strings a node (its id and name found by address), a source's id,
    /// title and file, and some strings of relations' values.
    fn of_records(g: &'g Graph) -> Enc<'g> {
        let strings = g.rel_count() + g.node_count() + 3 * g.sources().len();
        Enc::new(strings, g.node_count() + 1024)
    }

    /// The encoder of `g`'s citations: a load's quotes are few texts, and
    /// each source's id is one string.
    fn of_cites(g: &'g Graph) -> Enc<'g> {
        let n = g.sources().len() + 1024;
        Enc::new(n, n)
    }

    /// Where the next record starts in the section being written.
    fn record_at(&self) -> u64 {
        self.sent + self.w.out.len() as u64
    }

    /// Hands on the record bytes made so far, once there are enough of
    /// them (or all of them, `last`).
    fn piece(&mut self, out: &mut dyn Sections<'g>, last: bool) -> io::Result<()> {
        if self.w.out.len() < PIECE && !last {
            return Ok(());
        }
        let next = if last {
            Vec::new()
        } else {
            Vec::with_capacity(PIECE + (PIECE >> 2))
        };
        let bytes = std::mem::replace(&mut self.w.out, next);
        self.sent = if last {
            0
        } else {
            self.sent + bytes.len() as u64
        };
        out.put(Chunk::Bytes(bytes))
    }

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

    /// Adds a string without looking for it (one met only once).
    fn push_str(&mut self, s: &'g str) -> u64 {
        let i = self.str_list.len() as u64;
        self.str_list.push(Cow::Borrowed(s));
        i
    }

    fn str_index(&mut self, s: &'g str) -> u64 {
        self.index_of(s, || Cow::Borrowed(s))
    }

    fn str(&mut self, s: &'g str) {
        let i = self.str_index(s);
        self.w.var(i);
    }

    fn shared_index(&mut self, s: &'g str) -> u64 {
        let next = self.str_list.len() as u64;
        let i = *self
            .shared_strs
            .entry((s.as_ptr() as usize, s.len()))
            .or_insert(next);
        if i == next {
            self.str_list.push(Cow::Borrowed(s));
        }
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

    /// The number of the interned key `k`, which a record of `side` has.
    fn key(&mut self, k: &'g str, side: Side) -> u64 {
        let next = self.str_list.len() as u64;
        let seen = self.keys.entry(k.as_ptr() as usize).or_insert(KeySeen {
            index: next,
            text: k,
            sides: [false; 2],
        });
        seen.sides[side as usize] = true;
        let i = seen.index;
        if i == next {
            self.str_list.push(Cow::Borrowed(k));
        }
        i
    }

    /// The keys of the records written, each side's sorted: what
    /// `Graph::prop_keys` gathers.
    fn prop_keys(&self) -> PropKeys {
        let side = |s: Side| {
            let mut list: Vec<String> = self
                .keys
                .values()
                .filter(|k| k.sides[s as usize])
                .map(|k| k.text.to_string())
                .collect();
            list.sort();
            list.dedup();
            list
        };
        PropKeys {
            nodes: side(Side::Node),
            rels: side(Side::Rel),
        }
    }

    fn props(&mut self, p: &'g Props, side: Side) {
        self.w.len(p.shared_entries().count());
        for (k, v) in p.shared_entries() {
            let i = self.key(k, side);
            self.w.var(i);
            let i = self.shared_value(v);
            self.w.var(i);
        }
        let Some(d) = p.deferred() else {
            self.w.u8(0);
            return;
        };
        // The deferred group's keys go into the catalogue.
        let list = d.keys();
        let at = (list.as_ptr() as usize, list.len());
        if self.last_deferred[side as usize] != at {
            self.last_deferred[side as usize] = at;
            for k in list {
                let _ = self.key(k, side);
            }
        }
        match cites_of(d) {
            Some(Cites::Built(ev)) => self.cite_range(ev.cites.len()),
            Some(Cites::Read(ev)) => self.cite_range(ev.cites().count()),
            None => {
                // Another kind of deferred group: stored as its values, which
                // live only here (their strings are copied).
                self.w.u8(2);
                let keys = d.keys();
                self.w.len(keys.len());
                let values = d.values();
                let mut tmp = std::mem::take(&mut self.w);
                for (k, v) in keys.iter().zip(&values) {
                    let i = self.str_index(k);
                    tmp.var(i);
                    self.value(&mut tmp, v, Self::owned());
                }
                self.w = tmp;
            }
        }
    }

    /// A claim's `n` citations, the next ones of the column.
    fn cite_range(&mut self, n: usize) {
        self.w.u8(1);
        self.w.len(self.cite_at);
        self.w.len(n);
        self.cite_at += n;
    }

    /// The column of citations: every claim's, in the order the records
    /// meet them (nodes, then relations), each a source, a quote and a
    /// claimant as numbers of this encoder's strings, and a hedge.
    fn cites(&mut self, g: &'g Graph) -> Vec<[u32; 4]> {
        // Nearly every relation of a load is a claim with one citation.
        let mut quads: Vec<[u32; 4]> = Vec::with_capacity(g.rel_count());
        let nodes = g.nodes().map(|ix| &g.node(ix).props);
        let rels = g.rels().map(|ix| &g.rel(ix).props);
        for p in nodes.chain(rels) {
            let Some(d) = p.deferred() else {
                continue;
            };
            match cites_of(d) {
                // A string held by its citation alone (most quotes) is
                // new, so it is not looked up.
                Some(Cites::Built(ev)) => {
                    for c in ev.cites.iter() {
                        let source = self.cite_source_index(ev, c) as u32;
                        let quote = self.arc_index(&c.quote) as u32;
                        let claimant = c
                            .claimant
                            .as_ref()
                            .map_or(NO_CLAIMANT, |cl| self.arc_index(cl) as u32);
                        quads.push([source, quote, claimant, hedge_number(c.hedge)]);
                    }
                }
                Some(Cites::Read(ev)) => {
                    for c in ev.cites() {
                        let source = self.shared_index(c.source) as u32;
                        let quote = self.shared_index(c.quote) as u32;
                        let claimant = c
                            .claimant
                            .map_or(NO_CLAIMANT, |cl| self.shared_index(cl) as u32);
                        quads.push([source, quote, claimant, hedge_number(c.hedge)]);
                    }
                }
                None => {}
            }
        }
        quads
    }

    /// The string index of a citation's source. A source is cited by many
    /// claims: one named by its number in the table of all sources is
    /// found by that number (a small array), not by its text's address in
    /// the table of every shared string (a cache miss per citation).
    fn cite_source_index(&mut self, ev: &'g Evidence, c: &'g Cite) -> u64 {
        if let CiteSource::Number(n) = &c.source {
            let table = ev.source_table();
            let at = table.as_ptr() as usize;
            if self.cite_sources.0 != at {
                self.cite_sources = (at, vec![u32::MAX; table.len()]);
            }
            let known = self.cite_sources.1.get(*n as usize).copied();
            if let Some(i) = known.filter(|i| *i != u32::MAX) {
                return u64::from(i);
            }
            let i = self.shared_index(ev.source_of(c));
            if let (Some(slot), Ok(i32)) =
                (self.cite_sources.1.get_mut(*n as usize), u32::try_from(i))
            {
                *slot = i32;
            }
            return i;
        }
        self.shared_index(ev.source_of(c))
    }

    /// `shared_index` of an `Arc<str>` of the graph; one nothing else
    /// holds is met only here, so it is added without a look-up.
    fn arc_index(&mut self, s: &'g Arc<str>) -> u64 {
        if Arc::strong_count(s) == 1 {
            self.push_str(s)
        } else {
            self.shared_index(s)
        }
    }

    /// A string value's index: as `arc_index` when it is held as an
    /// `Arc<str>`; a node's id read in place is found by its text.
    fn value_str_index(&mut self, s: &'g SharedStr) -> u64 {
        match s.as_arc() {
            Some(a) => self.arc_index(a),
            None => self.shared_index(s.as_str()),
        }
    }

    /// The index of a shared value in the value table, written there the
    /// first time it is met (a value nothing else holds is met only here,
    /// so it is not looked up).
    fn shared_value(&mut self, v: &'g Arc<Value>) -> u64 {
        let next = self.value_at.len() as u64;
        let i = if Arc::strong_count(v) == 1 {
            next
        } else {
            *self.values.entry(Arc::as_ptr(v)).or_insert(next)
        };
        if i == next {
            let mut table = std::mem::take(&mut self.value_table);
            self.value_at.push(table.out.len() as u64);
            self.value(&mut table, v, Self::held());
            self.value_table = table;
        }
        i
    }

    /// The strings of a value made only to be written: copied, found again
    /// by their text.
    fn owned<'v>() -> ValueStrs<'v, 'g> {
        ValueStrs {
            text: Self::owned_str_index,
            arc: Self::owned_arc_index,
        }
    }

    /// The strings of a value the graph holds: borrowed, found by address
    /// (a string nothing else holds, without a look-up).
    fn held() -> ValueStrs<'g, 'g> {
        ValueStrs {
            text: Self::shared_index,
            arc: Self::value_str_index,
        }
    }

    fn owned_arc_index(&mut self, s: &SharedStr) -> u64 {
        self.owned_str_index(s)
    }

    /// A value, written in place into `w`; its strings go into the table
    /// through `strs` (`HELD` for a value the graph holds, `OWNED` for one
    /// made only to be written).
    fn value<'v>(&mut self, w: &mut Writer, v: &'v Value, strs: ValueStrs<'v, 'g>) {
        let index = strs.text;
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
                let i = (strs.arc)(self, s);
                w.var(i);
            }
            Value::Date(d) => {
                w.u8(6);
                put_date(w, d);
            }
            Value::Temporal(t) => {
                w.u8(7);
                put_temporal(w, t, |s| index(self, s));
            }
            Value::List(items) => {
                w.u8(8);
                w.len(items.len());
                for item in items {
                    self.value(w, item, strs);
                }
            }
            Value::Map(m) => {
                w.u8(9);
                w.len(m.len());
                for (k, item) in m {
                    let i = index(self, k);
                    w.var(i);
                    self.value(w, item, strs);
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

    /// The index of a string that may not live as long as the graph (the
    /// values of a deferred group are made to be written): copied when
    /// first met, found again by its text.
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

fn put_temporal<'v>(w: &mut Writer, t: &'v Temporal, mut str_index: impl FnMut(&'v str) -> u64) {
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

/// Opens the graph of a snapshot in place: the head (counts, schema,
/// small tables) is read now; columns are views of the snapshot's bytes,
/// and nodes, relations, values and sources are decoded on first read
/// (`SnapArchive`). The columns' lengths are checked against the counts.
fn read_graph(snap: &SnapFile) -> Result<Graph, Damage> {
    let bad = |tag: u32| Damage::Corrupt(format!("section {tag} contents"));
    let bytes = snap.bytes();
    let col = |tag: u32| -> Result<Col<u8>, Damage> {
        let range = snap.range(tag).ok_or(Damage::Foreign)??;
        Col::mapped(bytes.clone(), range).ok_or_else(|| bad(tag))
    };
    fn typed<T: bytemuck::Pod>(c: Col<u8>, tag: u32, len: Option<usize>) -> Result<Col<T>, Damage> {
        let bad = || Damage::Corrupt(format!("section {tag} contents"));
        let Col::Mapped { bytes, range } = c else {
            return Err(bad());
        };
        let c = Col::<T>::mapped(bytes, range).ok_or_else(bad)?;
        match len {
            Some(n) if c.len() != n => Err(bad()),
            _ => Ok(c),
        }
    }
    let cols = |tag: u32, len: Option<usize>| col(tag).and_then(|c| typed::<u32>(c, tag, len));
    let offsets = |tag: u32, len: Option<usize>| col(tag).and_then(|c| typed::<u64>(c, tag, len));
    let strs = StrCol {
        offsets: offsets(STR_AT, None)?,
        bytes: col(STR_BYTES)?,
    };
    let head = snap.section(HEAD).ok_or(Damage::Foreign)??;
    let mut d = Dec::new(Reader(head), &strs);
    let h = d.head().ok_or_else(|| bad(HEAD))?;
    let (n, r) = (h.nodes, h.rels);
    let ids = StrCol {
        offsets: offsets(ID_AT, Some(n + 1))?,
        bytes: col(ID_BYTES)?,
    };
    let keys = StrCol {
        offsets: offsets(KEY_AT, None)?,
        bytes: col(KEY_BYTES)?,
    };
    let key_count = keys.len();
    let label_count = h.all_labels.len();
    let adjacency = Adjacency {
        types: h.types,
        type_counts: h.type_counts,
        out_start: cols(OUT_START, Some(n + 1))?,
        out: col(OUT).and_then(|c| typed(c, OUT, Some(r)))?,
        in_start: cols(IN_START, Some(n + 1))?,
        inc: col(IN).and_then(|c| typed(c, IN, Some(r)))?,
        labels: h.labels,
        label_bits: col(LABEL_BITS).and_then(|c| typed(c, LABEL_BITS, Some(n)))?,
        names: col(NAMES).and_then(|c| typed(c, NAMES, Some(h.names)))?,
        name_at: col(NAME_AT).and_then(|c| typed(c, NAME_AT, Some(n)))?,
        names_text: std::sync::OnceLock::new(),
    };
    let parts = MappedParts {
        src: cols(REL_SRC, Some(r))?,
        dst: cols(REL_DST, Some(r))?,
        rel_ty: cols(REL_TY, Some(r))?,
        ids: ids.clone(),
        id_order: cols(ID_ORDER, Some(n))?,
        keys,
        key_start: cols(KEY_START, Some(key_count + 1))?,
        key_nodes: cols(KEY_NODES, None)?,
        labels: h.all_labels,
        label_start: cols(LABEL_START, Some(label_count + 1))?,
        label_nodes: cols(LABEL_NODES, None)?,
        adjacency,
        prop_keys: h.prop_keys,
    };
    let cites = Arc::new(CiteTable {
        strs: strs.clone(),
        recs: col(CITES).and_then(|c| typed(c, CITES, Some(h.cites)))?,
    });
    let archive = SnapArchive {
        keys: Cells::new(strs.len()),
        strs,
        ids,
        values: Cells::new(h.values),
        value_at: offsets(VALUE_AT, Some(h.values + 1))?,
        value_bytes: col(VALUE_BYTES)?,
        node_at: offsets(NODE_AT, Some(n + 1))?,
        node_rec: col(NODE_REC)?,
        rel_at: offsets(REL_AT, Some(r + 1))?,
        rel_rec: col(REL_REC)?,
        rel_ty: parts.rel_ty.clone(),
        // Interned once here, not once per relation decoded.
        types: parts
            .adjacency
            .types
            .iter()
            .map(|t| RelType::new(t))
            .collect(),
        sources: col(SOURCES)?,
        cites,
    };
    // Every column of offsets ends where its blob ends, and every table
    // of starts where its list ends (the last number of each: one page).
    let ends = |at: &Col<u64>, len: usize| at.last().is_some_and(|&e| e == len as u64);
    let starts = |at: &Col<u32>, len: usize| at.last().is_some_and(|&e| e as usize == len);
    let p = &parts;
    let a = &archive;
    for (ok, tag) in [
        (ends(&a.strs.offsets, a.strs.bytes.len()), STR_AT),
        (ends(&p.ids.offsets, p.ids.bytes.len()), ID_AT),
        (ends(&p.keys.offsets, p.keys.bytes.len()), KEY_AT),
        (ends(&a.value_at, a.value_bytes.len()), VALUE_AT),
        (ends(&a.node_at, a.node_rec.len()), NODE_AT),
        (ends(&a.rel_at, a.rel_rec.len()), REL_AT),
        (starts(&p.key_start, p.key_nodes.len()), KEY_START),
        (starts(&p.label_start, p.label_nodes.len()), LABEL_START),
        (starts(&p.adjacency.out_start, r), OUT_START),
        (starts(&p.adjacency.in_start, r), IN_START),
    ] {
        if !ok {
            return Err(bad(tag));
        }
    }
    Ok(Graph::mapped(h.schema, Arc::new(archive), parts))
}

/// What the head of a graph holds.
struct Head {
    nodes: usize,
    rels: usize,
    schema: Option<Schema>,
    types: Vec<String>,
    type_counts: Vec<usize>,
    /// The labels that have a bit in the adjacency.
    labels: Vec<String>,
    /// Every label, sorted.
    all_labels: Vec<String>,
    /// How many shared values the table holds.
    values: usize,
    /// How many citations, and how long the buffer of names.
    cites: usize,
    names: usize,
    /// The property keys of nodes and of relations.
    prop_keys: PropKeys,
}

/// The records of a graph read in place, decoded one at a time.
#[derive(Debug)]
struct SnapArchive {
    strs: StrCol,
    /// The interned property keys, by string number, interned on first
    /// use (`None`: not text).
    keys: Cells<Option<Key>>,
    ids: StrCol,
    /// The shared values, by number, decoded on first use (`None`: cannot
    /// be decoded).
    values: Cells<Option<Arc<Value>>>,
    value_at: Col<u64>,
    value_bytes: Col<u8>,
    node_at: Col<u64>,
    node_rec: Col<u8>,
    rel_at: Col<u64>,
    rel_rec: Col<u8>,
    rel_ty: Col<u32>,
    types: Vec<RelType>,
    sources: Col<u8>,
    cites: Arc<CiteTable>,
}

/// The bytes `at[i]..at[i + 1]` of `blob`.
fn record<'a>(at: &Col<u64>, blob: &'a Col<u8>, i: usize) -> Option<&'a [u8]> {
    let (a, b) = (*at.get(i)?, *at.get(i + 1)?);
    blob.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
}

impl SnapArchive {
    /// The interned key of string `i` (looked up once per string).
    fn key(&self, i: usize) -> Option<Key> {
        if i >= self.strs.len() {
            return None;
        }
        self.keys
            .get_or_init(i, || self.strs.get(i).map(intern))
            .copied()
            .flatten()
    }

    /// The shared value `i`, decoded once.
    fn value(&self, i: usize) -> Option<Arc<Value>> {
        self.shared_arc(i).cloned()
    }

    /// The shared value `i`, decoded once, lent.
    fn shared(&self, i: usize) -> Option<&Value> {
        self.shared_arc(i).map(Arc::as_ref)
    }

    fn shared_arc(&self, i: usize) -> Option<&Arc<Value>> {
        self.values
            .get_or_init(i, || {
                let bytes = record(&self.value_at, &self.value_bytes, i)?;
                let mut d = Dec::new(Reader(bytes), &self.strs);
                let v = d.value()?;
                d.r.is_empty().then(|| Arc::new(v))
            })?
            .as_ref()
    }
}

impl Archive for SnapArchive {
    fn node(&self, ix: usize) -> Option<Node> {
        let bytes = record(&self.node_at, &self.node_rec, ix)?;
        let mut d = Dec::new(Reader(bytes), &self.strs).reading(self);
        let labels = d.strings()?;
        let props = d.props()?;
        d.r.is_empty().then_some(())?;
        Some(Node {
            id: self.ids.get(ix)?.to_string(),
            labels,
            props,
        })
    }

    fn rel(&self, ix: usize) -> Option<Rel> {
        let bytes = record(&self.rel_at, &self.rel_rec, ix)?;
        let mut d = Dec::new(Reader(bytes), &self.strs).reading(self);
        let props = d.props()?;
        d.r.is_empty().then_some(())?;
        let rel_type = *self.types.get(*self.rel_ty.get(ix)? as usize)?;
        Some(Rel { rel_type, props })
    }

    fn rel_prop(&self, ix: usize, key: &str) -> Option<Option<Cow<'_, Value>>> {
        let bytes = record(&self.rel_at, &self.rel_rec, ix)?;
        let mut d = Dec::new(Reader(bytes), &self.strs).reading(self);
        d.prop(key)
    }

    fn sources(&self) -> BTreeMap<String, Source> {
        Dec::new(Reader(&self.sources), &self.strs)
            .sources()
            .unwrap_or_default()
    }
}

/// Reads the parts of a graph over its table of strings.
struct Dec<'a> {
    r: Reader<'a>,
    strs: &'a StrCol,
    /// Where shared values, keys and citations are found (records).
    archive: Option<&'a SnapArchive>,
}

impl<'a> Dec<'a> {
    fn new(r: Reader<'a>, strs: &'a StrCol) -> Self {
        Dec {
            r,
            strs,
            archive: None,
        }
    }

    fn reading(mut self, archive: &'a SnapArchive) -> Self {
        self.archive = Some(archive);
        self
    }

    fn head(&mut self) -> Option<Head> {
        let nodes = self.r.len()?;
        let rels = self.r.len()?;
        let schema = match self.r.u8()? {
            0 => None,
            1 => Some(self.schema()?),
            _ => return None,
        };
        let n = self.r.len()?;
        let mut types = Vec::with_capacity(n.min(self.r.0.len()));
        let mut type_counts = Vec::with_capacity(n.min(self.r.0.len()));
        for _ in 0..n {
            types.push(self.r.str()?.to_string());
            type_counts.push(self.r.len()?);
        }
        let labels = self.own_strings()?;
        let all_labels = self.own_strings()?;
        let values = self.r.len()?;
        let cites = self.r.len()?;
        let names = self.r.len()?;
        let prop_keys = PropKeys {
            nodes: self.own_strings()?,
            rels: self.own_strings()?,
        };
        self.r.is_empty().then_some(Head {
            prop_keys,
            cites,
            names,
            nodes,
            rels,
            schema,
            types,
            type_counts,
            labels,
            all_labels,
            values,
        })
    }

    /// Strings written in place (`Writer::str`), with their count.
    fn own_strings(&mut self) -> Option<Vec<String>> {
        let n = self.r.len()?;
        (0..n).map(|_| self.r.str().map(str::to_string)).collect()
    }

    /// The sources: written in key order, so the map is built in one pass.
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
}

impl<'a> Dec<'a> {
    fn string(&mut self) -> Option<String> {
        let i = self.r.len()?;
        self.strs.get(i).map(str::to_string)
    }

    fn opt_arc(&mut self) -> Option<Option<Arc<str>>> {
        match self.r.len()? {
            0 => Some(None),
            i => self.strs.get(i - 1).map(|s| Some(Arc::from(s))),
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
        match self.archive {
            Some(a) => a.key(i),
            None => Some(intern(self.strs.get(i)?)),
        }
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
            let v = self.archive?.value(self.r.len()?)?;
            p.insert_shared(k, v);
        }
        match self.r.u8()? {
            0 => {}
            1 => {
                let start = self.r.len()?;
                let n = self.r.len()?;
                let table = &self.archive?.cites;
                let recs = table.recs.get(start..start.checked_add(n)?)?;
                // Every string and hedge of these citations exists.
                let strs = self.strs.len();
                recs.iter()
                    .all(|[s, q, c, h]| {
                        (*s as usize) < strs
                            && (*q as usize) < strs
                            && (*c == NO_CLAIMANT || (*c as usize) < strs)
                            && (*h as usize) < HEDGES.len()
                    })
                    .then_some(())?;
                p.set_deferred(SnapEvidence {
                    table: table.clone(),
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

    /// The property `key` of the properties at the reader (as `props`
    /// writes them), found by walking the record without building the
    /// others: `Some(None)` when absent, `None` when the record cannot be
    /// read or the key is one of a citation group's (built only whole).
    fn prop(&mut self, key: &str) -> Option<Option<Cow<'a, Value>>> {
        let is = |strs: &StrCol, i: usize| strs.get(i) == Some(key);
        for _ in 0..self.r.len()? {
            let k = self.r.len()?;
            let v = self.r.len()?;
            if is(self.strs, k) {
                return Some(Some(Cow::Borrowed(self.archive?.shared(v)?)));
            }
        }
        match self.r.u8()? {
            0 => Some(None),
            1 => (!evidence_keys().iter().any(|k| k.as_str() == key)).then_some(None),
            2 => {
                for _ in 0..self.r.len()? {
                    let k = self.r.len()?;
                    let v = self.value()?;
                    if is(self.strs, k) {
                        return Some(Some(Cow::Owned(v)));
                    }
                }
                Some(None)
            }
            _ => None,
        }
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

/// The citations of every claim of a snapshot, in one column read in
/// place: a claim's evidence is a range of it (`SnapEvidence`), turned into
/// values only when a query reads it. Each citation is four numbers: its
/// source, quote and claimant (`NO_CLAIMANT`: none) in the snapshot's table
/// of strings, and its hedge.
#[derive(Debug)]
struct CiteTable {
    strs: StrCol,
    recs: Col<[u32; 4]>,
}

/// `claimant` of a citation without one.
const NO_CLAIMANT: u32 = u32::MAX;

/// A claim's evidence read from a snapshot: a range of the citation
/// column, read as `build::Evidence` reads.
#[derive(Debug)]
pub struct SnapEvidence {
    table: Arc<CiteTable>,
    start: u32,
    len: u32,
}

impl SnapEvidence {
    fn cites(&self) -> impl Iterator<Item = CiteRef<'_>> + Clone {
        let strs = &self.table.strs;
        let start = self.start as usize;
        let recs = self
            .table
            .recs
            .get(start..start + self.len as usize)
            .unwrap_or(&[]);
        let text = move |i: u32| strs.get(i as usize).unwrap_or("");
        recs.iter()
            .map(move |&[source, quote, claimant, hedge]| CiteRef {
                source: text(source),
                quote: text(quote),
                claimant: (claimant != NO_CLAIMANT).then(|| text(claimant)),
                hedge: HEDGES
                    .get(hedge as usize)
                    .copied()
                    .unwrap_or(Hedge::Asserted),
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
