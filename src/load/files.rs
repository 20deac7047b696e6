//! The serde types that mirror the RON files, field for field.
//!
//! They are the file format and nothing more: the loader checks them and
//! converts them into the in-memory model (`crate::model`), which knows
//! nothing of serde. Options are written bare in the files (the loader
//! enables RON's `implicit_some`): `when: On("2025-10-27")`, `at: "moscow"`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

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

// How dossier fields deserialize. Strings borrow from the file wherever
// the reader hands them out borrowed (ron and `fast` both do for strings
// without escapes): serde borrows only fields typed `Cow<str>` by name, so
// `Text` fields name these helpers. Lists are trimmed to their length, as
// most hold one citation.

/// A `Text` as serde reads it: borrowed when the reader lends the string.
struct BorrowedText<'a>(Text<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for BorrowedText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        d.deserialize_str(V).map(BorrowedText)
    }
}

fn text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
    BorrowedText::deserialize(d).map(|t| t.0)
}

fn opt_text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Text<'a>>, D::Error> {
    Option::<BorrowedText>::deserialize(d).map(|t| t.map(|t| t.0))
}

fn texts<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Vec<Text<'a>>, D::Error> {
    let list = Vec::<BorrowedText>::deserialize(d)?;
    Ok(shrunk(list.into_iter().map(|t| t.0).collect()))
}

/// A list that rarely has items, as a boxed slice (two words, not three).
fn boxed<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Box<[T]>, D::Error> {
    Vec::<T>::deserialize(d).map(Vec::into_boxed_slice)
}

/// A `Text` that is rarely there, boxed (one word, not three).
fn opt_boxed_text<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Box<Text<'a>>>, D::Error> {
    Option::<BorrowedText>::deserialize(d).map(|t| t.map(|t| Box::new(t.0)))
}

fn tight<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<T>::deserialize(d).map(shrunk)
}

fn shrunk<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// The most a section's list reserves on an estimate, in bytes: a file
/// that promises more grows its list as it goes.
const MAX_SECTION_RESERVE: usize = 64 << 20;

/// A section of a dossier (its sources, entities or claims), trimmed to
/// its length as `tight` does, and sized once its first element is read:
/// the fast parser then estimates how many elements are left from that
/// element's length (`fast::Elements::size_hint`). Grown by doubling
/// instead, a file of thirty thousand claims was copied into new pages
/// again and again.
fn section<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Section<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Section<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut list = Vec::new();
            if let Some(first) = seq.next_element()? {
                let most = MAX_SECTION_RESERVE / std::mem::size_of::<T>().max(1);
                list.reserve_exact(1 + seq.size_hint().unwrap_or(0).min(most));
                list.push(first);
            }
            while let Some(next) = seq.next_element()? {
                list.push(next);
            }
            Ok(shrunk(list))
        }
    }
    d.deserialize_seq(Section(std::marker::PhantomData))
}

/// Every other file under `data/`: a dossier. Each section is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile<'a> {
    #[serde(default, borrow, deserialize_with = "section")]
    pub sources: Vec<SourceSpec<'a>>,
    #[serde(default, borrow, deserialize_with = "section")]
    pub entities: Vec<EntitySpec<'a>>,
    #[serde(default, borrow, deserialize_with = "section")]
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
    #[serde(borrow, deserialize_with = "text")]
    pub id: Text<'a>,
    pub kind: SourceKind,
    #[serde(borrow, deserialize_with = "text")]
    pub title: Text<'a>,
    /// Entity id of the outlet that published it, where known.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub publisher: Option<Text<'a>>,
    /// Publication date (ISO prefix), where known or derivable.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub published: Option<Text<'a>>,
    /// ISO 639-1 code (`es`).
    #[serde(borrow, deserialize_with = "text")]
    pub language: Text<'a>,
    /// The article's file name in the corpus (`000_375e9f70fc535df5.txt`).
    #[serde(borrow, deserialize_with = "text")]
    pub file: Text<'a>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub note: Option<Text<'a>>,
}

/// An entity. Events and agreements also take `when`, `at`,
/// `participants` and `cite`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec<'a> {
    #[serde(borrow, deserialize_with = "text")]
    pub id: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
    pub kind: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
    pub name: Text<'a>,
    #[serde(default, borrow, deserialize_with = "texts")]
    pub aliases: Vec<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub description: Option<Text<'a>>,
    #[serde(default)]
    pub props: BTreeMap<String, PropValue>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub note: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub when: Option<WhenSpec<'a>>,
    /// Entity id of the place it happened.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub at: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "tight")]
    pub participants: Vec<ParticipantSpec<'a>>,
    /// The evidence for the event itself (required when it has `when`, `at`
    /// or participants).
    #[serde(default, borrow, deserialize_with = "tight")]
    pub cite: Vec<CitationSpec<'a>>,
}

/// `(entity: "putin", role: "host")`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSpec<'a> {
    #[serde(borrow, deserialize_with = "text")]
    pub entity: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
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
    On(#[serde(borrow, deserialize_with = "text")] Text<'a>),
    Span {
        #[serde(default, borrow, deserialize_with = "opt_boxed_text")]
        from: Option<Box<Text<'a>>>,
        #[serde(default, borrow, deserialize_with = "opt_boxed_text")]
        to: Option<Box<Text<'a>>>,
    },
}

/// A claim: subject, relation, object, with time, quantity and evidence.
///
/// What nearly every claim has is kept inline; the fields most claims of a
/// large dataset leave out (id, quantity, rank, conflicts, properties,
/// note) share one box, absent when none is given: a claim takes 128 bytes
/// where one field boxed apiece took 176, and a million claims are held at
/// once while a dataset is checked.
#[derive(Debug, Clone)]
pub struct ClaimSpec<'a> {
    pub subject: Text<'a>,
    pub relation: Text<'a>,
    pub object: Text<'a>,
    pub when: Option<WhenSpec<'a>>,
    pub cite: Box<[CitationSpec<'a>]>,
    rare: Option<Box<RareClaim<'a>>>,
}

/// The fields of a claim that most claims leave out.
#[derive(Debug, Clone)]
struct RareClaim<'a> {
    id: Option<Text<'a>>,
    quantity: Option<QuantitySpec<'a>>,
    rank: Option<RankSpec<'a>>,
    conflicts_with: Vec<Text<'a>>,
    props: BTreeMap<String, PropValue>,
    note: Option<Text<'a>>,
}

impl<'a> ClaimSpec<'a> {
    /// Needed when another claim names it in `conflicts_with`.
    pub fn id(&self) -> Option<&Text<'a>> {
        self.rare.as_ref()?.id.as_ref()
    }

    pub fn quantity(&self) -> Option<&QuantitySpec<'a>> {
        self.rare.as_ref()?.quantity.as_ref()
    }

    pub fn rank(&self) -> Option<&RankSpec<'a>> {
        self.rare.as_ref()?.rank.as_ref()
    }

    pub fn conflicts_with(&self) -> &[Text<'a>] {
        self.rare.as_ref().map_or(&[], |r| &r.conflicts_with)
    }

    /// The claim's own properties (`props: {...}`); none when empty.
    pub fn props(&self) -> Option<&BTreeMap<String, PropValue>> {
        self.rare
            .as_ref()
            .map(|r| &r.props)
            .filter(|p| !p.is_empty())
    }

    pub fn note(&self) -> Option<&Text<'a>> {
        self.rare.as_ref()?.note.as_ref()
    }
}

/// A claim as written, field by field; `ClaimSpec` is what is kept of it.
/// Named as the kept type for ron's messages, which name it.
#[derive(Deserialize)]
#[serde(rename = "ClaimSpec", deny_unknown_fields)]
struct ClaimWire<'a> {
    #[serde(default, borrow, deserialize_with = "opt_text")]
    id: Option<Text<'a>>,
    #[serde(borrow, deserialize_with = "text")]
    subject: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
    relation: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
    object: Text<'a>,
    #[serde(default, borrow)]
    when: Option<WhenSpec<'a>>,
    #[serde(default, borrow)]
    quantity: Option<QuantitySpec<'a>>,
    #[serde(default, borrow, deserialize_with = "boxed")]
    cite: Box<[CitationSpec<'a>]>,
    #[serde(default, borrow)]
    rank: Option<RankSpec<'a>>,
    #[serde(default, borrow, deserialize_with = "texts")]
    conflicts_with: Vec<Text<'a>>,
    #[serde(default)]
    props: BTreeMap<String, PropValue>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    note: Option<Text<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ClaimSpec<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ClaimWire::deserialize(d)?;
        let rare = RareClaim {
            id: w.id,
            quantity: w.quantity,
            rank: w.rank,
            conflicts_with: w.conflicts_with,
            props: w.props,
            note: w.note,
        };
        let given = rare.id.is_some()
            || rare.quantity.is_some()
            || rare.rank.is_some()
            || !rare.conflicts_with.is_empty()
            || !rare.props.is_empty()
            || rare.note.is_some();
        Ok(ClaimSpec {
            subject: w.subject,
            relation: w.relation,
            object: w.object,
            when: w.when,
            cite: w.cite,
            rare: given.then(|| Box::new(rare)),
        })
    }
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
    #[serde(borrow, deserialize_with = "text")]
    pub unit: Text<'a>,
    /// The wording in the source, verbatim.
    #[serde(borrow, deserialize_with = "text")]
    pub text: Text<'a>,
}

/// One piece of evidence: where a claim is said, in whose words, how firmly.
///
/// As with `ClaimSpec`, the fields a plain citation leaves out share one
/// box: 64 bytes where they took 96.
#[derive(Debug, Clone)]
pub struct CitationSpec<'a> {
    pub source: Text<'a>,
    /// A short verbatim quote from the source (at most ~25 words).
    pub quote: Text<'a>,
    pub hedge: Hedge,
    rare: Option<Box<RareCitation<'a>>>,
}

/// The fields of a citation that most citations leave out.
#[derive(Debug, Clone)]
struct RareCitation<'a> {
    claimant: Option<ClaimantSpec<'a>>,
    states: Vec<Fact<'a>>,
    refers_as: Vec<Text<'a>>,
    note: Option<Text<'a>>,
}

impl<'a> CitationSpec<'a> {
    /// Who the source attributes it to; absent when the source says it in
    /// its own voice.
    pub fn claimant(&self) -> Option<&ClaimantSpec<'a>> {
        self.rare.as_ref()?.claimant.as_ref()
    }

    /// For a citation of an event or agreement: which of its facets the
    /// quote states (`[At, When, Who("putin")]`). A citation that states
    /// none supports only that the event happened. Ignored on claims.
    pub fn states(&self) -> &[Fact<'a>] {
        self.rare.as_ref().map_or(&[], |r| &r.states)
    }

    /// How the quote names an entity when it is not by a name or alias
    /// ("Moscú" for Russia, "el mandatario ruso" for Putin). Checked against
    /// the quote; never used for lookup.
    pub fn refers_as(&self) -> &[Text<'a>] {
        self.rare.as_ref().map_or(&[], |r| &r.refers_as)
    }

    /// The curator's note on this citation (why it supports the claim).
    pub fn note(&self) -> Option<&Text<'a>> {
        self.rare.as_ref()?.note.as_ref()
    }
}

/// A citation as written; see `ClaimWire`.
#[derive(Deserialize)]
#[serde(rename = "CitationSpec", deny_unknown_fields)]
struct CitationWire<'a> {
    #[serde(borrow, deserialize_with = "text")]
    source: Text<'a>,
    #[serde(borrow, deserialize_with = "text")]
    quote: Text<'a>,
    #[serde(default, borrow)]
    claimant: Option<ClaimantSpec<'a>>,
    hedge: Hedge,
    #[serde(default, borrow)]
    states: Vec<Fact<'a>>,
    #[serde(default, borrow, deserialize_with = "texts")]
    refers_as: Vec<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "opt_text")]
    note: Option<Text<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for CitationSpec<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = CitationWire::deserialize(d)?;
        let given = w.claimant.is_some()
            || !w.states.is_empty()
            || !w.refers_as.is_empty()
            || w.note.is_some();
        Ok(CitationSpec {
            source: w.source,
            quote: w.quote,
            hedge: w.hedge,
            rare: given.then(|| {
                Box::new(RareCitation {
                    claimant: w.claimant,
                    states: w.states,
                    refers_as: w.refers_as,
                    note: w.note,
                })
            }),
        })
    }
}

/// A facet of an event that a citation states.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum Fact<'a> {
    /// The place (`at`).
    At,
    /// The date (`when`).
    When,
    /// That this participant took part (and in the role given).
    Who(#[serde(borrow, deserialize_with = "text")] Text<'a>),
}

/// `Entity("south_korean_intelligence")` or `Unnamed("fuentes diplomáticas")`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub enum ClaimantSpec<'a> {
    Entity(#[serde(borrow, deserialize_with = "text")] Text<'a>),
    Unnamed(#[serde(borrow, deserialize_with = "text")] Text<'a>),
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
    Deprecated(#[serde(borrow, deserialize_with = "text")] Text<'a>),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million claims are parsed before any is checked: what is mostly
    /// absent shares one box, so a claim and its one citation stay this
    /// small (a citation of 64 bytes fills its allocation exactly).
    #[test]
    fn a_parsed_claim_stays_small() {
        assert!(std::mem::size_of::<ClaimSpec<'_>>() <= 128);
        assert!(std::mem::size_of::<CitationSpec<'_>>() <= 64);
    }

    /// Every field written reads back through its method, on both readers;
    /// a plain claim and citation allocate no box.
    #[test]
    fn every_field_of_a_claim_and_citation_reads_back() {
        let full = r#"(claims: [(id: "c1", subject: "a", relation: "r", object: "b",
            when: On("2024-06"), quantity: (value: 3, unit: "u", text: "tres"),
            cite: [(source: "s", quote: "q", claimant: Unnamed("a diplomat"), hedge: Alleged,
                    states: [At, Who("a")], refers_as: ["Moscú"], note: "why")],
            rank: Deprecated("superseded"), conflicts_with: ["c2"], props: {"k": 1},
            note: "n"),
            (subject: "a", relation: "r", object: "b", cite: [(source: "s", quote: "q", hedge: Asserted)])])"#;
        let from_ron: DataFile<'_> = crate::load::parse_ron("t.ron", full).unwrap();
        let from_fast = crate::load::fast::parse_dossier(full).expect("plain RON");
        for d in [from_ron, from_fast] {
            let c = &d.claims[0];
            assert_eq!(c.id().map(|t| &**t), Some("c1"));
            assert_eq!(c.quantity().map(|q| &*q.text), Some("tres"));
            assert!(matches!(c.rank(), Some(RankSpec::Deprecated(r)) if r == "superseded"));
            assert_eq!(c.conflicts_with(), ["c2"]);
            assert_eq!(c.props().map(|p| p.len()), Some(1));
            assert_eq!(c.note().map(|t| &**t), Some("n"));
            let cite = &c.cite[0];
            assert!(matches!(cite.claimant(), Some(ClaimantSpec::Unnamed(w)) if w == "a diplomat"));
            assert_eq!(cite.hedge, Hedge::Alleged);
            assert_eq!(cite.states(), [Fact::At, Fact::Who("a".into())]);
            assert_eq!(cite.refers_as(), ["Moscú"]);
            assert_eq!(cite.note().map(|t| &**t), Some("why"));
            let plain = &d.claims[1];
            assert!(plain.rare.is_none() && plain.cite[0].rare.is_none());
            assert_eq!(plain.props(), None);
            assert!(plain.conflicts_with().is_empty() && plain.cite[0].states().is_empty());
        }
    }
}
