//! Every validation rule of the data format, run over all files at once.
//!
//! Each problem becomes a diagnostic pointing at the exact text (through
//! the file's `outline`), with a suggestion where one exists. When nothing
//! is wrong, `build` turns the checked files into the graph.
//!
//! Files are checked in parallel, each with its own `Ctx` and diagnostics
//! (appended in file order); the checks across files that need no ids
//! (name clashes, `located_in` cycles, contradictions) run on a thread of
//! their own meanwhile. Checking a claim also resolves its subject and
//! object to node indices for `build`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::files::{
    CitationSpec, ClaimSpec, ClaimantSpec, DataFile, EntitySpec, Hedge, QuantitySpec, RankSpec,
    SchemaFile, WhenSpec,
};
use super::outline::{self, Item, Step};
use super::schema::{self as schema_rules, HELD_AT, LOCATED_IN, PARTICIPANT_IN};
use super::{FastMap, InputFile, Options, SCHEMA_FILE, build, fast, parse_ron};
use crate::diag::{Diagnostic, line_col};
use crate::model::names::{nearest, normalize};
use crate::model::{Graph, PartialDate, Schema, TimeShape};

/// Which section of a dossier an id was declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Source,
    Entity,
    Claim,
}

impl Section {
    fn noun(self) -> &'static str {
        match self {
            Section::Source => "a source",
            Section::Entity => "an entity",
            Section::Claim => "a claim",
        }
    }
}

/// Where something is declared: file index, section and position in it.
#[derive(Debug, Clone, Copy)]
pub struct Decl {
    pub file: usize,
    pub section: Section,
    pub index: usize,
}

/// A parsed dossier; its position map is made on first use (only a
/// diagnostic needs it).
pub struct Dossier<'a> {
    pub name: String,
    pub text: &'a str,
    pub data: DataFile<'a>,
    /// The whole file's outline (made when ron read it, or on demand).
    pub outline: OnceLock<Item>,
    /// Where each list element starts, to outline only the element a
    /// diagnostic points into.
    pub elements: OnceLock<outline::ListIndex>,
}

impl Dossier<'_> {
    pub fn outline(&self) -> &Item {
        self.outline.get_or_init(|| outline::outline(self.text))
    }

    /// The span of a path into this file.
    pub fn span_of(&self, path: &[Step<'_>]) -> Range<usize> {
        if let Some(o) = self.outline.get() {
            return o.span(path);
        }
        if let [Step::Field(list), Step::Index(i), rest @ ..] = path {
            let elements = self
                .elements
                .get_or_init(|| outline::ListIndex::new(self.text));
            if let Some(start) = elements.start(list, *i) {
                return outline::outline_element(self.text, start).span(rest);
            }
        }
        self.outline().span(path)
    }
}

/// Where a diagnostic would point: a path into a dossier's outline, turned
/// into a byte span only when a diagnostic is made.
#[derive(Debug, Clone)]
pub struct Loc<'s> {
    file: usize,
    path: [Step<'s>; 6],
    len: usize,
    /// Only the first byte of the item (a claim's opening parenthesis).
    first_byte: bool,
}

impl<'s> Loc<'s> {
    fn new(file: usize, section: Section, index: usize, rest: &[Step<'s>]) -> Self {
        let mut path = [Step::Index(0); 6];
        let [a, b] = item_path(section, index);
        path[0] = a;
        path[1] = b;
        let n = rest.len().min(4);
        path[2..2 + n].copy_from_slice(&rest[..n]);
        Loc {
            file,
            path,
            len: 2 + n,
            first_byte: false,
        }
    }

    fn first_byte(mut self) -> Self {
        self.first_byte = true;
        self
    }
}

pub struct Ctx<'c, 'a> {
    pub schema: &'c Schema,
    pub dossiers: &'c [Dossier<'a>],
    pub ids: &'c IdMap<'c>,
    pub diags: &'c mut Vec<Diagnostic>,
    /// Entities referenced from anywhere, for the unused-entity warning
    /// (by file and position of their declaration). Atomic: files are
    /// checked on several threads.
    pub used: &'c [Vec<AtomicBool>],
    pub cited_sources: &'c [Vec<AtomicBool>],
    /// Whether a relation type takes a subject and object kind, by their
    /// positions in the schema; filled as claims are checked.
    pub endpoints_ok: Vec<bool>,
    /// The node index each file's first entity will get (entities become
    /// nodes in order).
    pub node_base: &'c [u32],
    /// Subject and object node of each claim checked, `u32::MAX` where
    /// unresolved, so that `build` need not look them up again.
    pub ends: Vec<[u32; 2]>,
}

/// What the checks of every file share.
#[derive(Clone, Copy)]
struct Shared<'c, 'a> {
    schema: &'c Schema,
    dossiers: &'c [Dossier<'a>],
    used: &'c [Vec<AtomicBool>],
    cited_sources: &'c [Vec<AtomicBool>],
    node_base: &'c [u32],
}

impl<'c, 'a> Shared<'c, 'a> {
    fn ctx<'s>(self, ids: &'s IdMap<'s>, diags: &'s mut Vec<Diagnostic>) -> Ctx<'s, 'a>
    where
        'c: 's,
    {
        Ctx {
            schema: self.schema,
            dossiers: self.dossiers,
            ids,
            diags,
            used: self.used,
            cited_sources: self.cited_sources,
            endpoints_ok: vec![false; self.schema.relations.len() * self.schema.kinds.len().pow(2)],
            node_base: self.node_base,
            ends: Vec::new(),
        }
    }

    /// Indexes every id, reporting bad and duplicate ones.
    fn index_ids(self, diags: &mut Vec<Diagnostic>) -> IdMap<'c> {
        let no_ids = IdMap::default();
        let mut ctx = self.ctx(&no_ids, diags);
        let mut map = IdMap::default();
        let id_re = |id: &str| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            let sections: [(Section, Vec<Option<&str>>); 3] = [
                (
                    Section::Source,
                    d.data.sources.iter().map(|s| Some(s.id.as_ref())).collect(),
                ),
                (
                    Section::Entity,
                    d.data
                        .entities
                        .iter()
                        .map(|e| Some(e.id.as_ref()))
                        .collect(),
                ),
                (
                    Section::Claim,
                    d.data.claims.iter().map(|c| c.id.as_deref()).collect(),
                ),
            ];
            for (section, ids) in sections {
                for (i, id) in ids.into_iter().enumerate() {
                    let Some(id) = id else { continue };
                    let span = ctx.span(fi, section, i, &[Step::Field("id")]);
                    if !id_re(id) {
                        let fixed: String = normalize(id).replace(' ', "_");
                        ctx.err(
                            "bad-id",
                            format!("id `{id}` is not lowercase snake_case"),
                            fi,
                            span.clone(),
                        )
                        .help = Some(format!("write it as `{fixed}`"));
                    }
                    let decl = Decl {
                        file: fi,
                        section,
                        index: i,
                    };
                    if let Some(first) = map.get(id).copied() {
                        let first_at = ctx.place(first, &[Step::Field("id")]);
                        ctx.err(
                            "duplicate-id",
                            format!("id `{id}` is already used by {}", first.section.noun()),
                            fi,
                            span,
                        )
                        .set_label("declared again here")
                        .add_note(format!("first declared at {first_at}"))
                        .help = Some("ids are global across all files: rename one of them".into());
                    } else {
                        map.insert(id, decl);
                    }
                }
            }
        }
        map
    }
}

/// What checking one file found.
struct FileCheck {
    diags: Vec<Diagnostic>,
    ends: Vec<[u32; 2]>,
}

pub fn check(
    files: &[InputFile],
    opts: &Options,
    progress: &super::progress::Progress,
    diags: &mut Vec<Diagnostic>,
) -> Option<Graph> {
    let schema_file = files.iter().find(|f| f.rel == SCHEMA_FILE);
    let schema = match schema_file {
        None => {
            diags.push(
                Diagnostic::error("missing-schema", "the data directory has no `schema.ron`")
                    .help("eje needs `schema.ron` at the top of the data directory: it declares kinds, relation types and units"),
            );
            None
        }
        Some(f) => match parse_ron::<SchemaFile>(&f.name, &f.text) {
            Ok(spec) => {
                let outline = outline::outline(&f.text);
                report_duplicate_keys(&f.name, &f.text, &outline, diags);
                Some(schema_rules::convert(&f.name, &spec, &outline, diags))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        },
    };

    let timer = super::PhaseTimer::start();
    let inputs: Vec<&InputFile> = files.iter().filter(|f| f.rel != SCHEMA_FILE).collect();
    progress.phase(format!("parsing {} files", inputs.len()));
    // The fast parser reads plainly written files; ron reads the rest and
    // says what is wrong with broken ones. Both cores take files in turn.
    let parsed = super::par_map(&inputs, |f| match fast::parse_dossier(&f.text) {
        Some(data) => Ok((data, None)),
        None => parse_ron::<DataFile<'static>>(&f.name, &f.text).map(|data| {
            let outline = outline::outline(&f.text);
            (data, Some(outline))
        }),
    });
    let mut dossiers = Vec::with_capacity(parsed.len());
    for (f, result) in inputs.iter().zip(parsed) {
        match result {
            Ok((data, outline)) => {
                let cell = OnceLock::new();
                if let Some(outline) = outline {
                    // ron keeps the last of two equal map keys: find them.
                    report_duplicate_keys(&f.name, &f.text, &outline, diags);
                    let _ = cell.set(outline);
                }
                dossiers.push(Dossier {
                    name: f.name.clone(),
                    text: &f.text,
                    data,
                    outline: cell,
                    elements: OnceLock::new(),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    timer.phase("parse");
    let schema = schema?;
    if diags.iter().any(Diagnostic::is_error) {
        // A broken schema makes every later check guesswork; syntax errors
        // elsewhere are reported, the rest waits for the next run.
        return None;
    }

    progress.phase("checking");
    let marks = |n: fn(&Dossier<'_>) -> usize| -> Vec<Vec<AtomicBool>> {
        dossiers
            .iter()
            .map(|d| (0..n(d)).map(|_| AtomicBool::new(false)).collect())
            .collect()
    };
    let used = marks(|d| d.data.entities.len());
    let cited_sources = marks(|d| d.data.sources.len());
    let mut node_base = Vec::with_capacity(dossiers.len());
    let mut next = 0u32;
    for d in &dossiers {
        node_base.push(next);
        next += d.data.entities.len() as u32;
    }
    let shared = Shared {
        schema: &schema,
        dossiers: &dossiers,
        used: &used,
        cited_sources: &cited_sources,
        node_base: &node_base,
    };
    let no_ids = IdMap::default();
    let (ids, ends, found) = std::thread::scope(|scope| {
        // Name clashes, `located_in` cycles and contradictions need no ids:
        // they are checked beside the rest.
        let aside = scope.spawn(|| {
            let mut found = Vec::new();
            let mut ctx = shared.ctx(&no_ids, &mut found);
            ctx.check_aliases();
            ctx.check_located_in_cycles();
            ctx.check_contradictions();
            found
        });
        let ids = shared.index_ids(diags);
        // Files are checked on every core; their diagnostics are appended
        // in file order, as one thread would have pushed them.
        let file_indices: Vec<usize> = (0..dossiers.len()).collect();
        let checked = super::par_map(&file_indices, |&fi| {
            let mut diags = Vec::new();
            let mut ctx = shared.ctx(&ids, &mut diags);
            ctx.check_file(fi);
            let ends = std::mem::take(&mut ctx.ends);
            FileCheck { diags, ends }
        });
        let mut ends = Vec::with_capacity(checked.len());
        for f in checked {
            diags.extend(f.diags);
            ends.push(f.ends);
        }
        let found = aside
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (ids, ends, found)
    });
    diags.extend(found);
    let mut ctx = shared.ctx(&ids, diags);
    if let Some(corpus) = &opts.corpus {
        ctx.check_corpus(corpus);
    }
    ctx.warn_unused();
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    timer.phase("check");
    progress.phase("building the graph");
    let graph = build::build(schema, dossiers, ends);
    timer.phase("build");
    // Queries walk adjacency first of all: index it now, as part of the load.
    graph.adjacency();
    timer.phase("index");
    Some(graph)
}

fn report_duplicate_keys(file: &str, text: &str, outline: &Item, diags: &mut Vec<Diagnostic>) {
    for (key, first, second) in outline::duplicate_keys(outline) {
        let (line, col) = line_col(text, first.start);
        diags.push(
            Diagnostic::error(
                "duplicate-key",
                format!("`{key}` is given twice; the first value would be lost"),
            )
            .at(file, second)
            .label("given again here")
            .note(format!("first given at {file}:{line}:{col}"))
            .help("keep one of them"),
        );
    }
}

/// `Step` paths into a dossier item.
fn item_path(section: Section, index: usize) -> [Step<'static>; 2] {
    let field = match section {
        Section::Source => "sources",
        Section::Entity => "entities",
        Section::Claim => "claims",
    };
    [Step::Field(field), Step::Index(index)]
}

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    fn span<'s>(&self, file: usize, section: Section, index: usize, rest: &[Step<'s>]) -> Loc<'s> {
        Loc::new(file, section, index, rest)
    }

    /// The byte span a location points at.
    fn resolve(&self, loc: &Loc<'_>) -> Range<usize> {
        let span = self.dossiers[loc.file].span_of(&loc.path[..loc.len]);
        if loc.first_byte {
            span.start..span.start + 1
        } else {
            span
        }
    }

    fn err(
        &mut self,
        code: &'static str,
        msg: String,
        file: usize,
        span: Loc<'_>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, msg), file, span)
    }

    fn warn(
        &mut self,
        code: &'static str,
        msg: String,
        file: usize,
        span: Loc<'_>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(code, msg), file, span)
    }

    /// Places a diagnostic in a file and returns it for `help`/notes.
    fn push(&mut self, d: Diagnostic, file: usize, span: Loc<'_>) -> &mut Diagnostic {
        let span = self.resolve(&span);
        self.diags.push(d.at(&self.dossiers[file].name, span));
        self.diags.last_mut().expect("just pushed")
    }

    fn place(&self, decl: Decl, rest: &[Step<'_>]) -> String {
        let d = &self.dossiers[decl.file];
        let span = self.resolve(&self.span(decl.file, decl.section, decl.index, rest));
        let (l, c) = line_col(d.text, span.start);
        format!("{}:{l}:{c}", d.name)
    }

    fn check_file(&mut self, fi: usize) {
        let d = &self.dossiers[fi];
        for (i, s) in d.data.sources.iter().enumerate() {
            self.check_source(fi, i, s);
        }
        for (i, e) in d.data.entities.iter().enumerate() {
            self.check_entity(fi, i, e);
        }
        self.ends.reserve_exact(d.data.claims.len());
        for (i, c) in d.data.claims.iter().enumerate() {
            self.check_claim(fi, i, c);
        }
    }

    /// Checks a reference to an id of the expected section.
    fn check_ref(
        &mut self,
        file: usize,
        span: Loc<'_>,
        id: &str,
        want: Section,
        what: &str,
    ) -> Option<Decl> {
        match self.ids.get(id).copied() {
            Some(decl) if decl.section == want => {
                let marks = match want {
                    Section::Entity => self.used,
                    Section::Source => self.cited_sources,
                    Section::Claim => return Some(decl),
                };
                marks[decl.file][decl.index].store(true, Ordering::Relaxed);
                Some(decl)
            }
            Some(decl) => {
                let at = self.place(decl, &[Step::Field("id")]);
                self.err(
                    "wrong-section",
                    format!(
                        "{what} `{id}` names {}, not {}",
                        decl.section.noun(),
                        want.noun()
                    ),
                    file,
                    span,
                )
                .add_note(format!("`{id}` is declared at {at}"));
                None
            }
            None => {
                let candidates: Vec<&str> = self
                    .ids
                    .iter()
                    .filter(|(_, d)| d.section == want)
                    .map(|(k, _)| k)
                    .collect();
                let mut near = nearest(id, candidates.iter().copied(), 1);
                if near.is_empty() {
                    // The id may be a spelling of an entity's name.
                    near = self.entity_by_name(id).into_iter().collect();
                }
                let noun = match want {
                    Section::Source => "source",
                    Section::Entity => "entity",
                    Section::Claim => "claim",
                };
                self.err("unknown-ref", format!("unknown {noun} `{id}`"), file, span)
                    .set_label(format!("no {noun} has this id"))
                    .help = near.first().map(|n| format!("did you mean `{n}`?"));
                None
            }
        }
    }

    fn entity_by_name(&self, name: &str) -> Option<&str> {
        let key = normalize(name);
        for d in self.dossiers {
            for e in &d.data.entities {
                if normalize(&e.name) == key || e.aliases.iter().any(|a| normalize(a) == key) {
                    return Some(&e.id);
                }
            }
        }
        None
    }

    /// Whether the declaration of `id` was referenced.
    fn is_marked(&self, id: &str, section: Section) -> bool {
        let Some(decl) = self.ids.get(id).filter(|d| d.section == section) else {
            return false;
        };
        let marks = match section {
            Section::Entity => self.used,
            _ => self.cited_sources,
        };
        marks[decl.file][decl.index].load(Ordering::Relaxed)
    }

    fn entity(&self, id: &str) -> Option<&EntitySpec<'a>> {
        let decl = self.ids.get(id)?;
        if decl.section != Section::Entity {
            return None;
        }
        self.dossiers[decl.file].data.entities.get(decl.index)
    }

    fn check_source(&mut self, fi: usize, i: usize, s: &super::files::SourceSpec) {
        if let Some(p) = &s.publisher {
            let span = self.span(fi, Section::Source, i, &[Step::Field("publisher")]);
            self.check_ref(fi, span, p, Section::Entity, "publisher");
        }
        if let Some(date) = &s.published {
            let span = self.span(fi, Section::Source, i, &[Step::Field("published")]);
            self.check_date(fi, span, date);
        }
        if s.file.trim().is_empty() {
            let span = self.span(fi, Section::Source, i, &[Step::Field("file")]);
            self.err(
                "empty-field",
                "a source needs the article's file name".into(),
                fi,
                span,
            );
        }
    }

    fn check_date(&mut self, fi: usize, span: Loc<'_>, text: &str) -> Option<PartialDate> {
        match PartialDate::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err("bad-date", e.0, fi, span).help =
                    Some("dates are ISO prefixes: `2025`, `2024-08`, `2025-10-27`".into());
                None
            }
        }
    }

    /// Checks a `when` and returns whether it is a point.
    fn check_when(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        when: &WhenSpec,
    ) -> Option<bool> {
        match when {
            WhenSpec::On(d) => {
                let span = self.span(fi, section, i, &[Step::Field("when"), Step::Index(0)]);
                self.check_date(fi, span, d);
                Some(true)
            }
            WhenSpec::Span { from, to } => {
                let mut dates = [None, None];
                for (k, (name, v)) in [("from", from), ("to", to)].into_iter().enumerate() {
                    if let Some(v) = v {
                        let span =
                            self.span(fi, section, i, &[Step::Field("when"), Step::Field(name)]);
                        dates[k] = self.check_date(fi, span, v);
                    }
                }
                if let [Some(a), Some(b)] = dates {
                    if a.first_day() > b.last_day() {
                        let span = self.span(fi, section, i, &[Step::Field("when")]);
                        self.err(
                            "from-after-to",
                            format!("the span starts ({a}) after it ends ({b})"),
                            fi,
                            span,
                        )
                        .help = Some("swap `from` and `to`".into());
                    }
                }
                if from.is_none() && to.is_none() {
                    let span = self.span(fi, section, i, &[Step::Field("when")]);
                    self.err(
                        "empty-span",
                        "a `Span` needs `from`, `to` or both".into(),
                        fi,
                        span,
                    );
                }
                Some(false)
            }
        }
    }

    fn check_props(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        keys: Vec<&String>,
        reserved: &[&str],
    ) {
        for k in keys {
            if reserved.contains(&k.as_str()) {
                let span = self.span(fi, section, i, &[Step::Field("props"), Step::Key(k)]);
                self.err(
                    "reserved-prop",
                    format!("property `{k}` is reserved: eje sets it itself"),
                    fi,
                    span,
                )
                .help = Some(match reserved_field(k) {
                    Some(f) => format!("use the `{f}` field instead"),
                    None => format!("rename it, e.g. `{k}_name`"),
                });
            }
        }
    }

    fn check_kind(&mut self, fi: usize, i: usize, kind: &str) -> bool {
        if self.schema.kinds.contains_key(kind) {
            return true;
        }
        let span = self.span(fi, Section::Entity, i, &[Step::Field("kind")]);
        let near = self
            .schema
            .kind_ci(kind)
            .map(|k| k.name.as_str())
            .or_else(|| {
                nearest(kind, self.schema.kinds.keys().map(String::as_str), 1)
                    .first()
                    .copied()
            })
            .map(str::to_string);
        self.err("unknown-kind", format!("unknown kind `{kind}`"), fi, span)
            .set_label("not declared in schema.ron")
            .help = near.map(|n| format!("did you mean `{n}`?"));
        false
    }

    fn check_entity(&mut self, fi: usize, i: usize, e: &EntitySpec) {
        self.check_kind(fi, i, &e.kind);
        if e.name.trim().is_empty() {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("name")]);
            self.err(
                "empty-field",
                format!("entity `{}` has an empty name", e.id),
                fi,
                span,
            );
        }
        self.check_props(
            fi,
            Section::Entity,
            i,
            e.props.keys().collect(),
            build::RESERVED_NODE_PROPS,
        );
        if let Some(w) = &e.when {
            self.check_when(fi, Section::Entity, i, w);
        }
        if let Some(at) = &e.at {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("at")]);
            if self
                .check_ref(fi, span.clone(), at, Section::Entity, "place")
                .is_some()
            {
                self.check_endpoints(fi, span, HELD_AT, &e.kind, at, "`at`");
            }
        }
        let roles = self
            .schema
            .relations
            .get(PARTICIPANT_IN)
            .map(|r| r.roles.clone());
        for (j, p) in e.participants.iter().enumerate() {
            let span = self.span(
                fi,
                Section::Entity,
                i,
                &[
                    Step::Field("participants"),
                    Step::Index(j),
                    Step::Field("entity"),
                ],
            );
            if self
                .check_ref(fi, span.clone(), &p.entity, Section::Entity, "participant")
                .is_some()
            {
                self.check_endpoints(
                    fi,
                    span,
                    PARTICIPANT_IN,
                    &p.entity.clone(),
                    &e.id,
                    "participant",
                );
            }
            match &roles {
                None => {
                    let span = self.span(fi, Section::Entity, i, &[Step::Field("participants")]);
                    self.err(
                        "missing-relation",
                        format!(
                            "participants need the relation type `{PARTICIPANT_IN}` in schema.ron"
                        ),
                        fi,
                        span,
                    );
                }
                Some(roles) if !roles.is_empty() && !roles.iter().any(|r| *r == p.role) => {
                    let span = self.span(
                        fi,
                        Section::Entity,
                        i,
                        &[
                            Step::Field("participants"),
                            Step::Index(j),
                            Step::Field("role"),
                        ],
                    );
                    let near = nearest(&p.role, roles.iter().map(String::as_str), 1);
                    self.err(
                        "unknown-role",
                        format!("unknown role `{}`", p.role),
                        fi,
                        span,
                    )
                    .set_label(format!("`{PARTICIPANT_IN}` accepts: {}", roles.join(", ")))
                    .help = near.first().map(|n| format!("did you mean `{n}`?"));
                }
                Some(_) => {}
            }
        }
        let is_event = e.when.is_some() || e.at.is_some() || !e.participants.is_empty();
        if is_event && e.cite.is_empty() {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
            self.err(
                "no-citation",
                format!("event `{}` has no citation", e.id),
                fi,
                span,
            )
            .help = Some(
                "add `cite: [(source: ..., quote: ..., hedge: ...)]` with the words that report it"
                    .into(),
            );
        }
        if e.at.is_some() && !self.schema.relations.contains_key(HELD_AT) {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("at")]);
            self.err(
                "missing-relation",
                format!("`at` needs the relation type `{HELD_AT}` in schema.ron"),
                fi,
                span,
            );
        }
        for (j, c) in e.cite.iter().enumerate() {
            self.check_citation(fi, Section::Entity, i, j, c);
        }
    }

    /// Endpoint kinds the schema allows for `relation` between two entities.
    fn check_endpoints(
        &mut self,
        fi: usize,
        span: Loc<'_>,
        relation: &str,
        subject: &str,
        object: &str,
        what: &str,
    ) {
        let kind_of = |id: &str| {
            self.entity(id).map(|e| e.kind.clone()).or_else(|| {
                // `subject` may be given as a kind already (an event's own kind).
                self.schema
                    .kinds
                    .contains_key(id)
                    .then(|| id.to_string().into())
            })
        };
        if self.schema.relations.get_index_of(relation).is_none() {
            return;
        }
        let (Some(sk), Some(ok)) = (kind_of(subject), kind_of(object)) else {
            return;
        };
        self.check_endpoint_kinds(fi, span, relation, &sk, &ok, what);
    }

    /// `check_endpoints` once the subject's and object's kinds are known.
    fn check_endpoint_kinds(
        &mut self,
        fi: usize,
        span: Loc<'_>,
        relation: &str,
        sk: &str,
        ok: &str,
        what: &str,
    ) {
        let Some(ri) = self.schema.relations.get_index_of(relation) else {
            return;
        };
        let schema = self.schema;
        let rel = &schema.relations[ri];
        let kinds = &self.schema.kinds;
        let (Some(si), Some(oi)) = (kinds.get_index_of(sk), kinds.get_index_of(ok)) else {
            return; // unknown kinds are reported on their own
        };
        let slot = (ri * kinds.len() + si) * kinds.len() + oi;
        if self.endpoints_ok[slot] {
            return;
        }
        let allowed = |list: &[String], k: &str| {
            list.is_empty() || list.iter().any(|a| self.schema.is_a(k, a))
        };
        if !allowed(&rel.from, sk) {
            self.err(
                "endpoint-kind",
                format!(
                    "`{relation}` does not take {} as subject ({what})",
                    article(sk)
                ),
                fi,
                span,
            )
            .help = Some(format!(
                "`{relation}` goes from {} to {}",
                rel.from.join(" | "),
                or_any(&rel.to)
            ));
        } else if !allowed(&rel.to, ok) {
            self.err(
                "endpoint-kind",
                format!(
                    "`{relation}` does not take {} as object ({what})",
                    article(ok)
                ),
                fi,
                span,
            )
            .help = Some(format!(
                "`{relation}` goes from {} to {}",
                or_any(&rel.from),
                rel.to.join(" | ")
            ));
        } else {
            self.endpoints_ok[slot] = true;
        }
    }

    fn check_claim(&mut self, fi: usize, i: usize, c: &ClaimSpec) {
        let rel_span = self.span(fi, Section::Claim, i, &[Step::Field("relation")]);
        let schema = self.schema;
        let rel = schema.relations.get(&*c.relation);
        if rel.is_none() {
            let near = self
                .schema
                .relation_ci(&c.relation)
                .map(|r| r.name.clone())
                .or_else(|| {
                    nearest(
                        &c.relation,
                        self.schema.relations.keys().map(String::as_str),
                        1,
                    )
                    .first()
                    .map(|s| s.to_string())
                });
            self.err(
                "unknown-relation",
                format!("unknown relation type `{}`", c.relation),
                fi,
                rel_span.clone(),
            )
            .set_label("not declared in schema.ron")
            .help = near.map(|n| format!("did you mean `{n}`?"));
        }
        let s_span = self.span(fi, Section::Claim, i, &[Step::Field("subject")]);
        let o_span = self.span(fi, Section::Claim, i, &[Step::Field("object")]);
        let s_decl = self.check_ref(fi, s_span, &c.subject, Section::Entity, "subject");
        let o_decl = self.check_ref(fi, o_span, &c.object, Section::Entity, "object");
        let node =
            |d: Option<Decl>| d.map_or(u32::MAX, |d| self.node_base[d.file] + d.index as u32);
        self.ends.push([node(s_decl), node(o_decl)]);
        if let (Some(s), Some(o), Some(_)) = (s_decl, o_decl, rel) {
            // Both are entities: their kinds without looking the ids up again.
            let kind = |d: Decl| &*self.dossiers[d.file].data.entities[d.index].kind;
            let (sk, ok) = (kind(s), kind(o));
            self.check_endpoint_kinds(fi, rel_span.clone(), &c.relation, sk, ok, "here");
        }
        if let Some(rel) = &rel {
            let point = c
                .when
                .as_ref()
                .and_then(|w| self.check_when(fi, Section::Claim, i, w));
            let ok = !matches!(
                (rel.time, point),
                (TimeShape::Timeless, Some(_))
                    | (TimeShape::Point, Some(false))
                    | (TimeShape::Interval, Some(true))
            );
            if !ok {
                let span = self.span(fi, Section::Claim, i, &[Step::Field("when")]);
                self.err(
                    "time-shape",
                    format!(
                        "`{}` takes {}, not this `when`",
                        rel.name,
                        rel.time.as_str()
                    ),
                    fi,
                    span,
                )
                .help = Some(match rel.time {
                    TimeShape::Timeless => "remove `when`, or use a dated relation type".into(),
                    TimeShape::Point => {
                        "write `when: On(\"YYYY-MM-DD\")` (a partial date covers a span)".into()
                    }
                    _ => "write `when: Span(from: ..., to: ...)`".into(),
                });
            }
            if let Some(q) = &c.quantity {
                self.check_quantity(fi, i, q, rel.unit.as_deref(), &rel.name);
            }
        } else if let Some(w) = &c.when {
            self.check_when(fi, Section::Claim, i, w);
        }
        self.check_props(
            fi,
            Section::Claim,
            i,
            c.props.keys().collect(),
            build::RESERVED_REL_PROPS,
        );
        if c.cite.is_empty() {
            let span = self.span(fi, Section::Claim, i, &[]).first_byte();
            self.err("no-citation", "a claim without a citation".into(), fi, span)
                .help = Some("add `cite: [(source: ..., quote: ..., hedge: ...)]`: a fact no source states does not belong in the graph".into());
        }
        for (j, cit) in c.cite.iter().enumerate() {
            self.check_citation(fi, Section::Claim, i, j, cit);
        }
        if let Some(RankSpec::Deprecated(reason)) = &c.rank {
            if reason.trim().is_empty() {
                let span = self.span(fi, Section::Claim, i, &[Step::Field("rank")]);
                self.err(
                    "deprecated-without-reason",
                    "a deprecated claim needs a reason".into(),
                    fi,
                    span,
                )
                .help = Some("write `rank: Deprecated(\"why\")`".into());
            }
        }
        for (j, other) in c.conflicts_with.iter().enumerate() {
            let span = self.span(
                fi,
                Section::Claim,
                i,
                &[Step::Field("conflicts_with"), Step::Index(j)],
            );
            if c.id.as_deref() == Some(&**other) {
                self.err(
                    "self-conflict",
                    "a claim cannot conflict with itself".into(),
                    fi,
                    span,
                );
            } else {
                self.check_ref(fi, span, other, Section::Claim, "rival claim");
            }
        }
    }

    fn check_quantity(
        &mut self,
        fi: usize,
        i: usize,
        q: &QuantitySpec,
        rel_unit: Option<&str>,
        rel: &str,
    ) {
        let span = |this: &Self, f| {
            this.span(
                fi,
                Section::Claim,
                i,
                &[Step::Field("quantity"), Step::Field(f)],
            )
        };
        let whole = self.span(fi, Section::Claim, i, &[Step::Field("quantity")]);
        if q.value.is_none() && q.low.is_none() && q.high.is_none() {
            self.err("quantity-without-value", "a quantity needs `value`, or `low` and/or `high`".into(), fi, whole.clone())
                .help = Some("leave the quantity out when the source gives no number, and keep its wording in the quote".into());
        }
        if q.value.is_some() && (q.low.is_some() || q.high.is_some()) {
            self.err(
                "quantity-value-and-range",
                "give either `value` or `low`/`high`, not both".into(),
                fi,
                whole.clone(),
            );
        }
        if let (Some(lo), Some(hi)) = (q.low, q.high) {
            if lo > hi {
                let s = span(self, "low");
                self.err(
                    "quantity-low-above-high",
                    format!("`low` ({lo}) is above `high` ({hi})"),
                    fi,
                    s,
                )
                .help = Some("swap them".into());
            }
        }
        for (name, v) in [("value", q.value), ("low", q.low), ("high", q.high)] {
            if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
                let s = span(self, name);
                self.err(
                    "quantity-negative",
                    format!("`{name}` must be a finite number, zero or more"),
                    fi,
                    s,
                );
            }
        }
        let unit_span = span(self, "unit");
        if !self.schema.units.contains_key(&*q.unit) {
            let near = nearest(&q.unit, self.schema.units.keys().map(String::as_str), 1);
            self.err(
                "unknown-unit",
                format!("unknown unit `{}`", q.unit),
                fi,
                unit_span,
            )
            .help = near.first().map(|n| format!("did you mean `{n}`?"));
        } else {
            match rel_unit {
                None => {
                    self.err(
                        "unexpected-quantity",
                        format!("`{rel}` takes no quantity"),
                        fi,
                        whole,
                    )
                    .help = Some(format!(
                        "declare `unit` on `{rel}` in schema.ron, or drop the quantity"
                    ));
                }
                Some(u) if u != q.unit => {
                    self.err(
                        "wrong-unit",
                        format!("`{rel}` is measured in `{u}`, not `{}`", q.unit),
                        fi,
                        unit_span,
                    )
                    .help = Some(format!("write `unit: \"{u}\"`"));
                }
                Some(_) => {}
            }
        }
        if q.text.trim().is_empty() {
            let s = span(self, "text");
            self.err(
                "empty-field",
                "a quantity needs the source's wording in `text`".into(),
                fi,
                s,
            );
        }
    }

    fn check_citation(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        j: usize,
        c: &CitationSpec,
    ) {
        let at = |this: &Self, f| {
            this.span(
                fi,
                section,
                i,
                &[Step::Field("cite"), Step::Index(j), Step::Field(f)],
            )
        };
        let s = at(self, "source");
        self.check_ref(fi, s, &c.source, Section::Source, "source");
        if c.quote.trim().is_empty() {
            let s = at(self, "quote");
            self.err(
                "empty-quote",
                "a citation needs a verbatim quote".into(),
                fi,
                s,
            );
        } else {
            let words = c.quote.split_whitespace().count();
            if words > 40 {
                let s = at(self, "quote");
                self.warn(
                    "long-quote",
                    format!("this quote has {words} words; keep quotes short (about 25)"),
                    fi,
                    s,
                );
            }
        }
        if let Some(ClaimantSpec::Entity(id)) = &c.claimant {
            let s = self.span(
                fi,
                section,
                i,
                &[
                    Step::Field("cite"),
                    Step::Index(j),
                    Step::Field("claimant"),
                    Step::Index(0),
                ],
            );
            self.check_ref(fi, s, id, Section::Entity, "claimant");
        }
    }

    /// Two different entities whose names or aliases share a key.
    fn check_aliases(&mut self) {
        let mut owner: HashMap<String, (String, Decl)> = HashMap::new();
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, e) in d.data.entities.iter().enumerate() {
                let decl = Decl {
                    file: fi,
                    section: Section::Entity,
                    index: i,
                };
                let mut names: Vec<(String, Vec<Step<'static>>)> =
                    vec![(e.name.to_string(), vec![Step::Field("name")])];
                for (j, a) in e.aliases.iter().enumerate() {
                    names.push((a.to_string(), vec![Step::Field("aliases"), Step::Index(j)]));
                }
                let mut seen = HashSet::new();
                for (name, path) in names {
                    let key = normalize(&name);
                    if key.is_empty() {
                        let span = self.span(fi, Section::Entity, i, &path);
                        self.err(
                            "empty-name",
                            format!("`{name}` has no letters or digits to look it up by"),
                            fi,
                            span,
                        );
                        continue;
                    }
                    if !seen.insert(key.clone()) {
                        continue;
                    }
                    match owner.get(&key) {
                        Some((other, other_decl)) if other != &e.id => {
                            let at = self.place(*other_decl, &[Step::Field("id")]);
                            let other = other.clone();
                            let span = self.span(fi, Section::Entity, i, &path);
                            self.err(
                                "alias-collision",
                                format!("`{name}` would name both `{}` and `{other}`", e.id),
                                fi,
                                span,
                            )
                            .add_note(format!("`{other}` is declared at {at}"))
                            .help = Some("a name must find one entity: drop it from one of them, or make it more specific".into());
                        }
                        Some(_) => {}
                        None => {
                            owner.insert(key, (e.id.to_string(), decl));
                        }
                    }
                }
            }
        }
        // Ids are lookup keys too: an id that is another entity's name.
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, e) in d.data.entities.iter().enumerate() {
                if let Some((other, _)) = owner.get(&normalize(&e.id)) {
                    if other != &e.id {
                        let other = other.clone();
                        let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
                        self.err(
                            "alias-collision",
                            format!("id `{}` is also a name of `{other}`", e.id),
                            fi,
                            span,
                        )
                        .help = Some("rename the id or drop the name".into());
                    }
                }
            }
        }
    }

    fn check_located_in_cycles(&mut self) {
        let mut parent: BTreeMap<&str, Vec<(&str, usize, usize)>> = BTreeMap::new();
        for (fi, d) in self.dossiers.iter().enumerate() {
            for (i, c) in d.data.claims.iter().enumerate() {
                if c.relation == LOCATED_IN {
                    parent
                        .entry(&c.subject)
                        .or_default()
                        .push((&c.object, fi, i));
                }
            }
        }
        let mut reported = HashSet::new();
        let mut found = Vec::new();
        for (&start, edges) in &parent {
            for &(next, fi, i) in edges {
                // Depth-first walk from `next`, looking for `start`.
                let mut stack = vec![next];
                let mut seen = HashSet::new();
                while let Some(n) = stack.pop() {
                    if n == start {
                        if reported.insert(start) {
                            found.push((start, fi, i));
                        }
                        break;
                    }
                    if seen.insert(n) {
                        if let Some(ps) = parent.get(n) {
                            stack.extend(ps.iter().map(|p| p.0));
                        }
                    }
                }
            }
        }
        for (start, fi, i) in found {
            let span = self.span(fi, Section::Claim, i, &[Step::Field("object")]);
            self.err(
                "located-in-cycle",
                format!("`{LOCATED_IN}` goes round in a circle back to `{start}`"),
                fi,
                span,
            )
            .help = Some(
                "a place cannot be inside itself: remove one of the claims in the circle".into(),
            );
        }
    }

    /// Same subject, relation and object with different figures and no
    /// `conflicts_with` between them.
    fn check_contradictions(&mut self) {
        type Key<'a> = (&'a str, &'a str, &'a str);
        let mut groups: BTreeMap<Key<'_>, Vec<(usize, usize)>> = BTreeMap::new();
        for (fi, d) in self.dossiers.iter().enumerate() {
            for (i, c) in d.data.claims.iter().enumerate() {
                if c.quantity.is_some() {
                    groups
                        .entry((&c.subject, &c.relation, &c.object))
                        .or_default()
                        .push((fi, i));
                }
            }
        }
        let mut warnings = Vec::new();
        for list in groups.values() {
            for (a, &(fa, ia)) in list.iter().enumerate() {
                for &(fb, ib) in &list[a + 1..] {
                    let ca = &self.dossiers[fa].data.claims[ia];
                    let cb = &self.dossiers[fb].data.claims[ib];
                    let (qa, qb) = (ca.quantity.as_ref(), cb.quantity.as_ref());
                    let differ = match (qa, qb) {
                        (Some(x), Some(y)) => {
                            x.unit == y.unit && (x.value, x.low, x.high) != (y.value, y.low, y.high)
                        }
                        _ => false,
                    };
                    let overlapping = match (&ca.when, &cb.when) {
                        (Some(x), Some(y)) => when_overlaps(x, y),
                        _ => true,
                    };
                    let linked = |c: &ClaimSpec, other: &ClaimSpec| {
                        other
                            .id
                            .as_ref()
                            .is_some_and(|id| c.conflicts_with.contains(id))
                    };
                    if differ && overlapping && !linked(ca, cb) && !linked(cb, ca) {
                        warnings.push((fb, ib, fa, ia));
                    }
                }
            }
        }
        for (fb, ib, fa, ia) in warnings {
            let at = self.place(
                Decl {
                    file: fa,
                    section: Section::Claim,
                    index: ia,
                },
                &[Step::Field("quantity")],
            );
            let span = self.span(fb, Section::Claim, ib, &[Step::Field("quantity")]);
            self.warn("undeclared-contradiction", "this figure differs from another claim of the same fact".into(), fb, span)
                .add_note(format!("the other figure is at {at}"))
                .help = Some("give both claims ids and link them with `conflicts_with`, or make them say different things".into());
        }
    }

    fn check_corpus(&mut self, corpus: &Path) {
        let mut texts: HashMap<String, Option<String>> = HashMap::new();
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, s) in d.data.sources.iter().enumerate() {
                let path = corpus.join(&*s.file);
                let text = std::fs::read_to_string(&path).ok().map(|t| squash(&t));
                if text.is_none() {
                    let span = self.span(fi, Section::Source, i, &[Step::Field("file")]);
                    self.err(
                        "missing-article",
                        format!("`{}` is not in the corpus `{}`", s.file, corpus.display()),
                        fi,
                        span,
                    )
                    .help = Some("check the file name, or the folder given to `--corpus`".into());
                }
                texts.insert(s.id.to_string(), text);
            }
        }
        for (fi, d) in dossiers.iter().enumerate() {
            let entity_cites = d
                .data
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| (Section::Entity, i, &e.cite));
            let claim_cites = d
                .data
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| (Section::Claim, i, &c.cite));
            for (section, i, cites) in entity_cites.chain(claim_cites) {
                for (j, c) in cites.iter().enumerate() {
                    let Some(Some(text)) = texts.get(&*c.source) else {
                        continue;
                    };
                    let quote = squash(&c.quote);
                    if !quote.is_empty() && !text.contains(&quote) {
                        let span = self.span(
                            fi,
                            section,
                            i,
                            &[Step::Field("cite"), Step::Index(j), Step::Field("quote")],
                        );
                        let help = closest_passage(text, &quote);
                        self.err(
                            "quote-not-found",
                            format!("this quote is not in the article `{}`", c.source),
                            fi,
                            span,
                        )
                        .set_label("not found verbatim")
                        .help = help.map(|p| format!("the closest passage reads: “{p}”"));
                    }
                }
            }
        }
    }

    fn warn_unused(&mut self) {
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, s) in d.data.sources.iter().enumerate() {
                if !self.is_marked(&s.id, Section::Source) {
                    let span = self.span(fi, Section::Source, i, &[Step::Field("id")]);
                    self.warn(
                        "orphan-source",
                        format!("source `{}` is never cited", s.id),
                        fi,
                        span,
                    )
                    .help = Some("cite it from a claim, or remove it".into());
                }
            }
            for (i, e) in d.data.entities.iter().enumerate() {
                let is_event = e.when.is_some() || e.at.is_some() || !e.participants.is_empty();
                if !is_event && !self.is_marked(&e.id, Section::Entity) {
                    let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
                    self.warn(
                        "unused-entity",
                        format!("entity `{}` takes part in no claim", e.id),
                        fi,
                        span,
                    )
                    .help = Some("add the claims that involve it, or remove it".into());
                }
            }
        }
    }
}

/// The format's own field that sets a reserved property, if any.
fn reserved_field(key: &str) -> Option<&str> {
    match key {
        "date" | "start" | "end" => Some("when"),
        "quantity" | "quantity_low" | "quantity_high" | "approx" | "unit" | "quantity_text" => {
            Some("quantity")
        }
        "hedge" | "sources" | "claimants" | "quotes" | "citations" => Some("cite"),
        "rank" | "rank_reason" => Some("rank"),
        "id" | "name" | "kind" | "aliases" | "description" | "note" | "conflicts_with" => Some(key),
        _ => None,
    }
}

fn when_overlaps(a: &WhenSpec, b: &WhenSpec) -> bool {
    let range = |w: &WhenSpec| -> (i64, i64) {
        let p = |s: &Option<super::files::Text<'_>>| {
            s.as_deref().and_then(|s| PartialDate::parse(s).ok())
        };
        match w {
            WhenSpec::On(d) => PartialDate::parse(d)
                .map_or((i64::MIN, i64::MAX), |d| (d.first_day(), d.last_day())),
            WhenSpec::Span { from, to } => (
                p(from).map_or(i64::MIN, |d| d.first_day()),
                p(to).map_or(i64::MAX, |d| d.last_day()),
            ),
        }
    };
    let (a0, a1) = range(a);
    let (b0, b1) = range(b);
    a0 <= b1 && b0 <= a1
}

/// Whitespace-normalised text for quote matching.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The passage of `text` sharing the longest run of words with `quote`.
fn closest_passage(text: &str, quote: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let q: Vec<&str> = quote.split(' ').collect();
    let first = *q.first()?;
    let n = q.len();
    let mut best: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if normalize(w) == normalize(first) {
            let common = words[i..]
                .iter()
                .zip(&q)
                .take_while(|(a, b)| a == b)
                .count();
            if best.is_none_or(|(_, c)| common > c) {
                best = Some((i, common));
            }
        }
    }
    let (i, _) = best?;
    Some(words[i..(i + n).min(words.len())].join(" "))
}

fn article(kind: &str) -> String {
    let vowel = kind.chars().next().is_some_and(|c| "AEIOU".contains(c));
    format!("{} `{kind}`", if vowel { "an" } else { "a" })
}

fn or_any(kinds: &[String]) -> String {
    if kinds.is_empty() {
        "any kind".into()
    } else {
        kinds.join(" | ")
    }
}

/// The weakest hedge of a set of citations.
pub fn weakest(cites: &[CitationSpec]) -> Option<Hedge> {
    cites.iter().map(|c| c.hedge).max()
}

/// Declarations by id. Ids of up to 23 bytes (nearly all) are stored inside
/// the table, so a lookup touches one cache line instead of also chasing a
/// pointer into a file's text.
#[derive(Default)]
pub struct IdMap<'c> {
    short: FastMap<[u8; 24], Decl>,
    long: FastMap<&'c str, Decl>,
}

fn inline_key(id: &str) -> Option<[u8; 24]> {
    let b = id.as_bytes();
    (b.len() < 24).then(|| {
        let mut k = [0u8; 24];
        k[0] = b.len() as u8;
        k[1..=b.len()].copy_from_slice(b);
        k
    })
}

impl<'c> IdMap<'c> {
    pub fn get(&self, id: &str) -> Option<&Decl> {
        match inline_key(id) {
            Some(k) => self.short.get(&k),
            None => self.long.get(id),
        }
    }

    pub fn insert(&mut self, id: &'c str, decl: Decl) {
        match inline_key(id) {
            Some(k) => self.short.insert(k, decl),
            None => self.long.insert(id, decl),
        };
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Decl)> + '_ {
        let short = self.short.iter().map(|(k, d)| {
            let len = usize::from(k[0]);
            // Built from a &str, so always UTF-8.
            (std::str::from_utf8(&k[1..=len]).unwrap_or(""), d)
        });
        short.chain(self.long.iter().map(|(k, d)| (*k, d)))
    }
}
