//! Every validation rule of the data format, run over all files at once.
//!
//! Each problem becomes a diagnostic pointing at the exact text (through
//! the file's `outline`), with a suggestion where one exists. When nothing
//! is wrong, the checked dossiers go to `build` (the loader's entry point
//! calls one after the other).
//!
//! Files are checked in parallel, each with its own `Ctx` and diagnostics
//! (appended in file order); the checks across files that need no ids
//! (name clashes, `located_in` cycles, contradictions) run on a thread of
//! their own meanwhile. Checking a claim also resolves its subject and
//! object to node indices for `build`.
//!
//! This module holds the context and the driver; each family of rules has
//! a file of its own.

mod audit;
mod citations;
mod claims;
mod consistency;
mod corpus;
mod entities;
mod facets;
mod fields;
mod ids;
mod names;
mod refs;
mod warnings;

use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

use super::dossier::{Dossier, ParsedFile};
use super::files::{DataFile, SchemaFile};
use super::outline::{self, Item, Step};
use super::schema as schema_rules;
use super::{InputFile, Options, PhaseTimer, SCHEMA_FILE, fast, parse_ron};
use crate::diag::{Diagnostic, line_col};
use crate::model::Schema;

pub use audit::AuditItem;
pub use ids::IdMap;

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
    /// "Did you mean" for unknown references.
    pub suggest: &'c refs::Suggesters,
    /// The kind hierarchy, for "is a" in constant time.
    pub kind_tree: &'c refs::KindTree,
    /// The (relation type, subject kind, object kind) triples found
    /// allowed, by their positions in the schema; filled as claims are
    /// checked (a set: the schema's size never allocates anything).
    pub endpoints_ok: super::FastSet<(u32, u32, u32)>,
    /// The node index each file's first entity will get (entities become
    /// nodes in order).
    pub node_base: &'c [u32],
    /// Each entity's kind, by node index: its position in the schema, or
    /// `u32::MAX` for an unknown kind. A claim's endpoint kinds are read
    /// here, from a small table, instead of from two entities' texts.
    pub kind_ix: &'c [u32],
    /// Subject and object node of each claim checked, `u32::MAX` where
    /// unresolved, so that `build` need not look them up again.
    pub ends: Vec<[u32; 2]>,
    /// The number each file's first source has in the order of all sources.
    pub source_base: &'c [u32],
    /// The source of each citation of each claim checked, by that number
    /// (`u32::MAX` where unresolved), for `build`.
    pub cite_sources: Vec<u32>,
    /// The declarations of the ids the next claims refer to, looked up in
    /// one run (`IdMap::get_many`), with where each id's text is: a
    /// reference to the same text takes the next of them (`check_ref`).
    ahead: Vec<Option<Decl>>,
    ahead_ids: Vec<(usize, usize)>,
    ahead_at: usize,
    /// Positions in the schema of the relation types and kinds met so far
    /// (`None`: not declared): a million claims name a handful of them.
    schema_ix: [super::FastMap<Box<str>, Option<usize>>; 2],
}

/// What the checks of every file share.
#[derive(Clone, Copy)]
struct Shared<'c, 'a> {
    schema: &'c Schema,
    dossiers: &'c [Dossier<'a>],
    used: &'c [Vec<AtomicBool>],
    cited_sources: &'c [Vec<AtomicBool>],
    suggest: &'c refs::Suggesters,
    kind_tree: &'c refs::KindTree,
    node_base: &'c [u32],
    kind_ix: &'c [u32],
    source_base: &'c [u32],
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
            suggest: self.suggest,
            kind_tree: self.kind_tree,
            endpoints_ok: super::FastSet::default(),
            node_base: self.node_base,
            kind_ix: self.kind_ix,
            ends: Vec::new(),
            source_base: self.source_base,
            cite_sources: Vec::new(),
            ahead: Vec::new(),
            ahead_ids: Vec::new(),
            ahead_at: 0,
            schema_ix: Default::default(),
        }
    }
}

/// What checking one file found.
struct FileCheck {
    diags: Vec<Diagnostic>,
    ends: Vec<[u32; 2]>,
    cite_sources: Vec<u32>,
}

/// What `build` needs, besides the parsed dossiers, once every check has
/// passed.
pub struct Checked {
    pub schema: Schema,
    /// Subject and object node of every claim, per file (see `Ctx::ends`).
    pub ends: Vec<Vec<[u32; 2]>>,
    /// The source of every citation of every claim, per file (see
    /// `Ctx::cite_sources`).
    pub cite_sources: Vec<Vec<u32>>,
    /// What `--audit` found (empty unless asked for).
    pub audit: Vec<AuditItem>,
}

/// A dataset parsed: its schema, and each dossier with its text.
pub struct Parsed {
    /// `None` when it is missing or broken (the diagnostics say which).
    pub schema: Option<Schema>,
    /// The schema's file name and text, for diagnostics.
    pub schema_text: Option<(String, String)>,
    pub dossiers: Vec<ParsedDossier>,
    /// The name and text of each dossier that did not parse.
    pub broken: Vec<(String, String)>,
}

/// One parsed dossier.
pub struct ParsedDossier {
    pub name: String,
    pub file: super::dossier::ParsedFile,
    /// Its outline, when ron read it (see `check`).
    outline: Option<Item>,
}

/// Parses the schema and every dossier; each dossier's text moves into its
/// `ParsedFile`. Problems found go to `diags`.
pub fn parse(
    files: Vec<InputFile>,
    progress: &crate::progress::Progress,
    diags: &mut Vec<Diagnostic>,
) -> Parsed {
    let (schema_file, inputs): (Vec<InputFile>, Vec<InputFile>) =
        files.into_iter().partition(|f| f.rel == SCHEMA_FILE);
    let schema_file = schema_file.into_iter().next();
    // A schema that is there but could not be read is reported as such.
    let schema_unreadable = diags.iter().any(|d| {
        d.is_error()
            && matches!(d.code, "io" | "not-a-file" | "encoding")
            && d.message.contains(&format!("{SCHEMA_FILE}`"))
    });
    let schema = match &schema_file {
        None if schema_unreadable => None,
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
                report_duplicate_keys(&f.name, &outline, diags);
                Some(schema_rules::convert(&f.name, &spec, &outline, diags))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        },
    };

    progress.phase(format!("parsing {} files", inputs.len()));
    // The fast parser reads plainly written files; ron reads the rest and
    // says what is wrong with broken ones. Both cores take files in turn.
    // `EJE_LOAD_RON_ONLY` sends every file through ron, to measure the
    // fast path (the answer is the same either way).
    let ron_only = std::env::var_os("EJE_LOAD_RON_ONLY").is_some();
    let slots: Vec<Mutex<Option<InputFile>>> =
        inputs.into_iter().map(|f| Mutex::new(Some(f))).collect();
    let parsed = super::par_map(&slots, |slot| {
        let taken = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        let f = taken.expect("each file is parsed once");
        let name = f.name;
        let mut outline = None;
        let file = ParsedFile::try_new_or_recover(f.text, |text| {
            match (!ron_only).then(|| fast::parse_dossier(text)).flatten() {
                Some(data) => Ok(data),
                None => parse_ron::<DataFile<'_>>(&name, text).inspect(|_| {
                    outline = Some(outline::outline(text));
                }),
            }
        });
        (name, file, outline)
    });
    let mut dossiers = Vec::with_capacity(parsed.len());
    let mut broken = Vec::new();
    for (name, result, outline) in parsed {
        match result {
            Ok(file) => {
                if let Some(outline) = &outline {
                    // ron keeps the last of two equal map keys: find them.
                    report_duplicate_keys(&name, outline, diags);
                }
                dossiers.push(ParsedDossier {
                    name,
                    file,
                    outline,
                });
            }
            Err((text, d)) => {
                diags.push(d);
                broken.push((name, text));
            }
        }
    }
    Parsed {
        schema,
        schema_text: schema_file.map(|f| (f.name, f.text)),
        dossiers,
        broken,
    }
}

/// Checks every parsed dossier; `None` when any error was found (all of
/// them are in `diags`).
pub fn check<'a>(
    schema: Option<Schema>,
    parsed: &'a [ParsedDossier],
    opts: &Options,
    progress: &crate::progress::Progress,
    timer: &PhaseTimer,
    diags: &mut Vec<Diagnostic>,
) -> Option<Checked> {
    let dossiers: Vec<Dossier<'a>> = parsed
        .iter()
        .map(|p| {
            let outline = OnceLock::new();
            if let Some(o) = &p.outline {
                let _ = outline.set(o.clone());
            }
            Dossier {
                name: p.name.clone(),
                text: p.file.borrow_owner(),
                data: p.file.borrow_dependent(),
                outline,
                elements: OnceLock::new(),
            }
        })
        .collect();
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
    let mut source_base = Vec::with_capacity(dossiers.len());
    let (mut next, mut next_source) = (0u32, 0u32);
    for d in &dossiers {
        node_base.push(next);
        next += d.data.entities.len() as u32;
        source_base.push(next_source);
        next_source += d.data.sources.len() as u32;
    }
    let kind_ix: Vec<u32> = dossiers
        .iter()
        .flat_map(|d| &d.data.entities)
        .map(|e| {
            schema
                .kinds
                .get_index_of(&*e.kind)
                .map_or(u32::MAX, |k| k as u32)
        })
        .collect();
    let suggest = refs::Suggesters::default();
    let kind_tree = refs::KindTree::new(&schema);
    let shared = Shared {
        kind_tree: &kind_tree,
        schema: &schema,
        dossiers: &dossiers,
        used: &used,
        cited_sources: &cited_sources,
        suggest: &suggest,
        node_base: &node_base,
        kind_ix: &kind_ix,
        source_base: &source_base,
    };
    let no_ids = IdMap::default();
    let (ids, ends, cite_sources, found) = std::thread::scope(|scope| {
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
            let cite_sources = std::mem::take(&mut ctx.cite_sources);
            FileCheck {
                diags,
                ends,
                cite_sources,
            }
        });
        let mut ends = Vec::with_capacity(checked.len());
        let mut cite_sources = Vec::with_capacity(checked.len());
        for f in checked {
            diags.extend(f.diags);
            ends.push(f.ends);
            cite_sources.push(f.cite_sources);
        }
        let found = aside
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (ids, ends, cite_sources, found)
    });
    diags.extend(found);
    let mut ctx = shared.ctx(&ids, diags);
    if let Some(corpus) = &opts.corpus {
        ctx.check_corpus(corpus, opts.max_file_size());
    }
    ctx.warn_unused();
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let audit = if opts.audit { ctx.audit() } else { Vec::new() };
    timer.phase("check");
    Some(Checked {
        schema,
        ends,
        cite_sources,
        audit,
    })
}

fn report_duplicate_keys(file: &str, outline: &Item, diags: &mut Vec<Diagnostic>) {
    for (key, first, second) in outline::duplicate_keys(outline) {
        diags.push(
            Diagnostic::error(
                "duplicate-key",
                format!("`{key}` is given twice; the first value would be lost"),
            )
            .at(file, second)
            .label("given again here")
            .related(None, first, "first given here")
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
    /// The position of a relation type (`kind: false`) or kind (`true`) in
    /// the schema.
    fn schema_index(&mut self, kind: bool, name: &str) -> Option<usize> {
        let memo = &mut self.schema_ix[usize::from(kind)];
        if let Some(ix) = memo.get(name) {
            return *ix;
        }
        let ix = if kind {
            self.schema.kinds.get_index_of(name)
        } else {
            self.schema.relations.get_index_of(name)
        };
        memo.insert(name.into(), ix);
        ix
    }

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
        let (_, span) = self.place_span(decl, rest);
        let d = &self.dossiers[decl.file];
        let (l, c) = line_col(d.text, span.start);
        format!("{}:{l}:{c}", d.name)
    }

    /// The file and byte span of a declaration's field, for a related place.
    fn place_span(&self, decl: Decl, rest: &[Step<'_>]) -> (Option<String>, Range<usize>) {
        let span = self.resolve(&self.span(decl.file, decl.section, decl.index, rest));
        (Some(self.dossiers[decl.file].name.clone()), span)
    }

    fn check_file(&mut self, fi: usize) {
        let d = &self.dossiers[fi];
        for (i, s) in d.data.sources.iter().enumerate() {
            self.check_source(fi, i, s);
        }
        for (i, e) in d.data.entities.iter().enumerate() {
            self.check_entity(fi, i, e);
        }
        self.check_facets(fi);
        self.ends.reserve_exact(d.data.claims.len());
        self.cite_sources.reserve(d.data.claims.len());
        // Claims go in runs whose ids are looked up together first.
        const RUN: usize = 64;
        for (r, run) in d.data.claims.chunks(RUN).enumerate() {
            self.look_ahead(run);
            for (k, c) in run.iter().enumerate() {
                self.check_claim(fi, r * RUN + k, c);
            }
        }
        self.look_ahead(&[]);
    }

    /// Looks up the ids `claims` refer to (subjects, objects and cited
    /// sources, in the order `check_claim` asks for them) in one run.
    fn look_ahead(&mut self, claims: &[crate::load::files::ClaimSpec<'_>]) {
        debug_assert_eq!(
            self.ahead_at,
            self.ahead.len(),
            "check_claim asks for every id looked up ahead, in order"
        );
        let mut refs: Vec<&str> = Vec::with_capacity(claims.len() * 3);
        for c in claims {
            refs.push(&c.subject);
            refs.push(&c.object);
            refs.extend(c.cite.iter().map(|cit| &*cit.source));
        }
        self.ahead.clear();
        self.ids.get_many(&refs, &mut self.ahead);
        self.ahead_ids.clear();
        self.ahead_ids
            .extend(refs.iter().map(|id| (id.as_ptr() as usize, id.len())));
        self.ahead_at = 0;
    }

    /// The declaration of `id` when it is the next one looked up ahead:
    /// the same text, at the same place (so the same answer as `IdMap::get`).
    fn take_ahead(&mut self, id: &str) -> Option<Option<Decl>> {
        let at = *self.ahead_ids.get(self.ahead_at)?;
        (at == (id.as_ptr() as usize, id.len())).then(|| {
            self.ahead_at += 1;
            self.ahead[self.ahead_at - 1]
        })
    }
}
