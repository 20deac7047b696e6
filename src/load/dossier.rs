//! A parsed dossier and the format facts that checking and building share
//! (the property names eje reserves, the weakest hedge of a citation list).

use std::ops::Range;
use std::sync::OnceLock;

use super::files::{CitationSpec, DataFile, Fact, Hedge};
use super::outline::{self, Item, Step};

self_cell::self_cell!(
    /// A dossier's text with its parsed form, which borrows its strings from
    /// it: the two are kept and freed together, so that a load can free each
    /// file once its claims are in the graph.
    pub struct ParsedFile {
        owner: String,
        #[covariant]
        dependent: DataFile,
    }
);

/// A dossier as the checks read it; its position map is made on first use
/// (only a diagnostic needs it).
pub struct Dossier<'a> {
    pub name: String,
    pub text: &'a str,
    pub data: &'a DataFile<'a>,
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
    "sources",
    "citations",
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
    "known_until",
];

/// The weakest hedge of a set of citations.
pub fn weakest<'x, 'y: 'x>(cites: impl IntoIterator<Item = &'x CitationSpec<'y>>) -> Option<Hedge> {
    cites.into_iter().map(|c| c.hedge).max()
}

/// Whether a citation of an event states its place.
pub fn states_at(c: &CitationSpec<'_>) -> bool {
    c.states().contains(&Fact::At)
}

/// Whether a citation of an event states its date.
pub fn states_when(c: &CitationSpec<'_>) -> bool {
    c.states().contains(&Fact::When)
}

/// Whether a citation of an event states that `entity` took part.
pub fn states_who(c: &CitationSpec<'_>, entity: &str) -> bool {
    c.states()
        .iter()
        .any(|f| matches!(f, Fact::Who(p) if p == entity))
}
