//! The serde types that mirror the RON files, field for field.
//!
//! They are the file format and nothing more: the loader checks them and
//! converts them into the in-memory model (`crate::model`), which knows
//! nothing of serde. Options are written bare in the files (the loader
//! enables RON's `implicit_some`): `when: On("2025-10-27")`, `at: "moscow"`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

/// `data/schema.ron`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    pub kinds: Vec<KindSpec>,
    pub relations: Vec<RelationSpec>,
    #[serde(default)]
    pub units: Vec<UnitSpec>,
}

/// An entity kind: `(name: "Summit", parent: "Meeting", description: "...",
/// shape: "doubleoctagon", color: "#d62728")`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Graphviz node shape.
    #[serde(default)]
    pub shape: Option<String>,
    /// Graphviz colour (`#rrggbb` or a colour name).
    #[serde(default)]
    pub color: Option<String>,
}

/// A relation type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Kinds allowed as subject (a kind allows its descendants); empty: any.
    #[serde(default)]
    pub from: Vec<String>,
    /// Kinds allowed as object; empty: any.
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub symmetric: bool,
    pub time: TimeShapeSpec,
    /// The unit a quantity on this relation is measured in.
    #[serde(default)]
    pub unit: Option<String>,
    /// Participant roles this relation accepts (for `participant_in`).
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum TimeShapeSpec {
    Point,
    Interval,
    Any,
    Timeless,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Text of a dossier: borrowed from the file where it is written plainly,
/// owned where it had escapes (or came through `ron`).
pub type Text<'a> = Cow<'a, str>;

/// Every other file under `data/`: a dossier. Each section is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile<'a> {
    #[serde(default)]
    pub sources: Vec<SourceSpec<'a>>,
    #[serde(default)]
    pub entities: Vec<EntitySpec<'a>>,
    #[serde(default)]
    pub claims: Vec<ClaimSpec<'a>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum SourceKind {
    NewsArticle,
    WireReport,
    Analysis,
    OfficialStatement,
    Other,
}

/// A cited article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec<'a> {
    pub id: Text<'a>,
    pub kind: SourceKind,
    pub title: Text<'a>,
    /// Entity id of the outlet that published it, where known.
    #[serde(default)]
    pub publisher: Option<Text<'a>>,
    /// Publication date (ISO prefix), where known or derivable.
    #[serde(default)]
    pub published: Option<Text<'a>>,
    /// ISO 639-1 code (`es`).
    pub language: Text<'a>,
    /// The article's file name in the corpus (`000_375e9f70fc535df5.txt`).
    pub file: Text<'a>,
    #[serde(default)]
    pub note: Option<Text<'a>>,
}

/// An entity. Events and agreements also take `when`, `at`,
/// `participants` and `cite`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec<'a> {
    pub id: Text<'a>,
    pub kind: Text<'a>,
    pub name: Text<'a>,
    #[serde(default)]
    pub aliases: Vec<Text<'a>>,
    #[serde(default)]
    pub description: Option<Text<'a>>,
    #[serde(default)]
    pub props: BTreeMap<String, PropValue>,
    #[serde(default)]
    pub note: Option<Text<'a>>,
    #[serde(default)]
    pub when: Option<WhenSpec<'a>>,
    /// Entity id of the place it happened.
    #[serde(default)]
    pub at: Option<Text<'a>>,
    #[serde(default)]
    pub participants: Vec<ParticipantSpec<'a>>,
    /// The evidence for the event itself (required when it has `when`, `at`
    /// or participants).
    #[serde(default)]
    pub cite: Vec<CitationSpec<'a>>,
}

/// `(entity: "putin", role: "host")`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSpec<'a> {
    pub entity: Text<'a>,
    pub role: Text<'a>,
}

/// A property value: string, number, boolean or a list of them.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum PropValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<PropValue>),
}

/// `On("2025-10-27")` or `Span(from: "2024-08", to: "2025-05")` (either end
/// may be left out).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum WhenSpec<'a> {
    On(Text<'a>),
    Span {
        #[serde(default)]
        from: Option<Text<'a>>,
        #[serde(default)]
        to: Option<Text<'a>>,
    },
}

/// A claim: subject, relation, object, with time, quantity and evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSpec<'a> {
    /// Needed when another claim names it in `conflicts_with`.
    #[serde(default)]
    pub id: Option<Text<'a>>,
    pub subject: Text<'a>,
    pub relation: Text<'a>,
    pub object: Text<'a>,
    #[serde(default)]
    pub when: Option<WhenSpec<'a>>,
    #[serde(default)]
    pub quantity: Option<Box<QuantitySpec<'a>>>,
    #[serde(default)]
    pub cite: Vec<CitationSpec<'a>>,
    #[serde(default)]
    pub rank: Option<RankSpec<'a>>,
    #[serde(default)]
    pub conflicts_with: Vec<Text<'a>>,
    #[serde(default)]
    pub props: BTreeMap<String, PropValue>,
    #[serde(default)]
    pub note: Option<Text<'a>>,
}

/// `(value: 15000, approx: true, unit: "troops", text: "unos 15.000 efectivos")`
/// or `(low: 10000, high: 12000, ...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantitySpec<'a> {
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
    #[serde(default)]
    pub approx: bool,
    pub unit: Text<'a>,
    /// The wording in the source, verbatim.
    pub text: Text<'a>,
}

/// One piece of evidence: where a claim is said, in whose words, how firmly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationSpec<'a> {
    pub source: Text<'a>,
    /// A short verbatim quote from the source (at most ~25 words).
    pub quote: Text<'a>,
    /// Who the source attributes it to; absent when the source says it in
    /// its own voice.
    #[serde(default)]
    pub claimant: Option<ClaimantSpec<'a>>,
    pub hedge: Hedge,
    /// For a citation of an event or agreement: which of its facets the
    /// quote states (`[At, When, Who("putin")]`). A citation that states
    /// none supports only that the event happened. Ignored on claims.
    #[serde(default)]
    pub states: Vec<Fact<'a>>,
    /// How the quote names an entity when it is not by a name or alias
    /// ("Moscú" for Russia, "el mandatario ruso" for Putin). Checked against
    /// the quote; never used for lookup.
    #[serde(default)]
    pub refers_as: Vec<Text<'a>>,
    /// The curator's note on this citation (why it supports the claim).
    #[serde(default)]
    pub note: Option<Text<'a>>,
}

/// A facet of an event that a citation states.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum Fact<'a> {
    /// The place (`at`).
    At,
    /// The date (`when`).
    When,
    /// That this participant took part (and in the role given).
    Who(Text<'a>),
}

/// `Entity("south_korean_intelligence")` or `Unnamed("fuentes diplomáticas")`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum ClaimantSpec<'a> {
    Entity(Text<'a>),
    Unnamed(Text<'a>),
}

/// How firmly the source words a claim, strongest first.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hedge {
    /// Stated as fact in the source's own voice, or on the record by the actor.
    Asserted,
    /// Attributed to someone else ("según...", "informes de...").
    Reported,
    /// A figure the source or its claimant estimates ("estiman", "unos").
    Estimated,
    /// Conditional or alleged ("habría", "alegan", "acusan").
    Alleged,
    /// Announced or expected, not yet happened ("participarán", "se espera").
    Expected,
    /// The outlet's own conjecture, in its own voice ("podría").
    Speculated,
    /// Denied by the source or its claimant.
    Denied,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum RankSpec<'a> {
    Preferred,
    Normal,
    /// With the reason.
    Deprecated(Text<'a>),
}
