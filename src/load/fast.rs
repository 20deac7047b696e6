//! A fast parser for dossiers written plainly, the way curators and tools
//! write them: it reads the common subset of RON into the same `DataFile`
//! that `ron` would produce, borrowing strings from the text, and gives up
//! (returns `None`) on anything else: a syntax error, an unknown or repeated
//! field, a missing one, an escape or number form it does not know, `Some(..)`,
//! attributes, a float or a repeated key in a property map. The loader then
//! asks `ron`, which says precisely what is wrong or reads the rare
//! construct.
//!
//! Why a second reader: on the medium benchmark data (1,000,000 claims in
//! 20 files) it parses about 6× faster than ron with its outline pass, and
//! the whole load takes half the time in a quarter of the memory
//! (ARCHITECTURE.md has the figures). `EJE_LOAD_RON_ONLY=1` turns it off, to
//! measure again.
//!
//! Invariant: whenever this returns `Some(d)`, `ron` (with `implicit_some`)
//! would accept the text and return a value equal to `d`. So it may be
//! strict, never lenient. `tests::never_differs_from_ron` checks it on
//! mutated files, and `tests::the_bundled_data_takes_the_fast_path` that
//! the curated data is read by it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::files::{
    CitationSpec, ClaimSpec, ClaimantSpec, DataFile, EntitySpec, Fact, Hedge, ParticipantSpec,
    PropValue, QuantitySpec, RankSpec, SourceKind, SourceSpec, Text, WhenSpec,
};

/// Parses a dossier, or `None` when `ron` should.
pub fn parse_dossier(text: &str) -> Option<DataFile<'_>> {
    let mut p = P {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    p.ws();
    let data = p.data_file()?;
    p.ws();
    (p.i == p.b.len()).then_some(data)
}

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

/// Tracks which fields of a struct were seen, to refuse repeats.
struct Seen(u32);

impl Seen {
    fn first(&mut self, bit: u32) -> Option<()> {
        let mask = 1 << bit;
        if self.0 & mask != 0 {
            return None;
        }
        self.0 |= mask;
        Some(())
    }
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips whitespace and comments.
    fn ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'/') => {
                    match self.b[self.i..].iter().position(|&c| c == b'\n') {
                        Some(n) => self.i += n + 1,
                        None => self.i = self.b.len(),
                    }
                }
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'*') => {
                    let start = self.i;
                    let mut depth = 0usize;
                    loop {
                        if self.b[self.i..].starts_with(b"/*") {
                            depth += 1;
                            self.i += 2;
                        } else if self.b[self.i..].starts_with(b"*/") {
                            depth -= 1;
                            self.i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else if self.i < self.b.len() {
                            self.i += 1;
                        } else {
                            // Unterminated: left unread, so the next token
                            // (or the end of the file) fails and ron says why.
                            self.i = start;
                            return;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.i += 1,
            _ => return None,
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.i += 1;
            } else {
                break;
            }
        }
        // `r#raw` identifiers and `name(`-style prefixes are left to ron.
        if self.peek() == Some(b'#') {
            return None;
        }
        Some(&self.s[start..self.i])
    }

    fn string(&mut self) -> Option<Text<'a>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek()? {
                b'"' => {
                    let s = &self.s[start..self.i];
                    self.i += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => break,
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
        // Escapes: the common ones here, anything else through ron.
        let mut out = String::from(&self.s[start..self.i]);
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let c = match self.b.get(self.i + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        _ => return None,
                    };
                    out.push(c);
                    self.i += 2;
                }
                c if c < 0x20 => return None,
                _ => {
                    // Copy a run of plain characters at once (UTF-8 safe:
                    // the run ends on an ASCII byte).
                    let run_start = self.i;
                    while let Some(c) = self.peek() {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(&self.s[run_start..self.i]);
                }
            }
        }
    }

    /// A string or `None` (implicit `Some`).
    fn opt_string(&mut self) -> Option<Option<Text<'a>>> {
        self.ws();
        if self.peek() == Some(b'"') {
            return self.string().map(Some);
        }
        match self.ident()? {
            "None" => Some(None),
            _ => None,
        }
    }

    fn bool(&mut self) -> Option<bool> {
        match self.ident()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// A plain decimal number: `-12`, `3.5`, `1.5e3`.
    fn number(&mut self) -> Option<f64> {
        self.ws();
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        // `1_000`, `0x1f`, `1f64`... are ron's.
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        {
            return None;
        }
        let text = &self.s[start..self.i];
        let int_part = text.trim_start_matches('-');
        // Leading zeros and very long integers: leave them to ron.
        if int_part.len() > 1 && int_part.starts_with('0') && !int_part.starts_with("0.") {
            return None;
        }
        if !text.contains(['.', 'e', 'E']) && int_part.len() > 15 {
            return None;
        }
        let v: f64 = text.parse().ok()?;
        v.is_finite().then_some(v)
    }

    fn opt_number(&mut self) -> Option<Option<f64>> {
        self.ws();
        if self.peek().is_some_and(|c| c == b'-' || c.is_ascii_digit()) {
            return self.number().map(Some);
        }
        match self.ident()? {
            "None" => Some(None),
            _ => None,
        }
    }

    /// `( name: value, ... )` with `field` reading each value.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.expect(b'(')?;
        loop {
            if self.eat(b')') {
                return Some(());
            }
            let name = self.ident()?;
            self.expect(b':')?;
            field(self, name)?;
            if !self.eat(b',') {
                return self.expect(b')');
            }
        }
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            if self.eat(b']') {
                break;
            }
            out.push(item(self)?);
            if !self.eat(b',') {
                self.expect(b']')?;
                break;
            }
        }
        // Most lists hold one citation: no room for four.
        out.shrink_to_fit();
        Some(out)
    }

    /// A property map of strings, booleans, integers and lists of them
    /// (`{"title": "President", "state_owned": true, "caliber_mm": 152}`).
    /// A repeated key, a float or any other form goes through ron, which
    /// reads the rest and whose outline reports repeated keys.
    fn prop_map(&mut self) -> Option<BTreeMap<String, PropValue>> {
        self.expect(b'{')?;
        let mut out = BTreeMap::new();
        loop {
            if self.eat(b'}') {
                return Some(out);
            }
            let key = self.string()?.into_owned();
            self.expect(b':')?;
            let value = self.prop_value()?;
            if out.insert(key, value).is_some() {
                return None;
            }
            if !self.eat(b',') {
                self.expect(b'}')?;
                return Some(out);
            }
        }
    }

    fn prop_value(&mut self) -> Option<PropValue> {
        self.ws();
        match self.peek()? {
            b'"' => Some(PropValue::Str(self.string()?.into_owned())),
            b'[' => self.list(P::prop_value).map(PropValue::List),
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                let v = self.number()?;
                // Integers only: ron decides how a float is read.
                if self.s[start..self.i].contains(['.', 'e', 'E']) {
                    return None;
                }
                Some(PropValue::Int(v as i64))
            }
            _ => self.bool().map(PropValue::Bool),
        }
    }

    fn data_file(&mut self) -> Option<DataFile<'a>> {
        let mut d = DataFile::default();
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "sources" => {
                    seen.first(0)?;
                    d.sources = p.list(P::source)?;
                }
                "entities" => {
                    seen.first(1)?;
                    d.entities = p.list(P::entity)?;
                }
                "claims" => {
                    seen.first(2)?;
                    d.claims = p.list(P::claim)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(d)
    }

    fn source(&mut self) -> Option<SourceSpec<'a>> {
        let (mut id, mut kind, mut title, mut language, mut file) = (None, None, None, None, None);
        let (mut publisher, mut published, mut note) = (None, None, None);
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "id" => {
                    seen.first(0)?;
                    id = Some(p.string()?);
                }
                "kind" => {
                    seen.first(1)?;
                    kind = Some(match p.ident()? {
                        "NewsArticle" => SourceKind::NewsArticle,
                        "WireReport" => SourceKind::WireReport,
                        "Analysis" => SourceKind::Analysis,
                        "OfficialStatement" => SourceKind::OfficialStatement,
                        "Other" => SourceKind::Other,
                        _ => return None,
                    });
                }
                "title" => {
                    seen.first(2)?;
                    title = Some(p.string()?);
                }
                "publisher" => {
                    seen.first(3)?;
                    publisher = p.opt_string()?;
                }
                "published" => {
                    seen.first(4)?;
                    published = p.opt_string()?;
                }
                "language" => {
                    seen.first(5)?;
                    language = Some(p.string()?);
                }
                "file" => {
                    seen.first(6)?;
                    file = Some(p.string()?);
                }
                "note" => {
                    seen.first(7)?;
                    note = p.opt_string()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(SourceSpec {
            id: id?,
            kind: kind?,
            title: title?,
            publisher,
            published,
            language: language?,
            file: file?,
            note,
        })
    }

    fn when(&mut self) -> Option<WhenSpec<'a>> {
        match self.ident()? {
            "On" => {
                self.expect(b'(')?;
                let d = self.string()?;
                self.expect(b')')?;
                Some(WhenSpec::On(d))
            }
            "Span" => {
                let (mut from, mut to) = (None, None);
                let mut seen = Seen(0);
                self.fields(|p, name| {
                    match name {
                        "from" => {
                            seen.first(0)?;
                            from = p.opt_string()?;
                        }
                        "to" => {
                            seen.first(1)?;
                            to = p.opt_string()?;
                        }
                        _ => return None,
                    }
                    Some(())
                })?;
                Some(WhenSpec::Span { from, to })
            }
            _ => None,
        }
    }

    /// `when`: a `WhenSpec` or `None`.
    fn opt_when(&mut self) -> Option<Option<WhenSpec<'a>>> {
        let save = self.i;
        if self.ident()? == "None" {
            return Some(None);
        }
        self.i = save;
        self.when().map(Some)
    }

    fn hedge(&mut self) -> Option<Hedge> {
        Some(match self.ident()? {
            "Asserted" => Hedge::Asserted,
            "Reported" => Hedge::Reported,
            "Estimated" => Hedge::Estimated,
            "Alleged" => Hedge::Alleged,
            "Expected" => Hedge::Expected,
            "Speculated" => Hedge::Speculated,
            "Denied" => Hedge::Denied,
            _ => return None,
        })
    }

    /// A facet in `states`: `At`, `When` or `Who("id")`.
    fn fact(&mut self) -> Option<Fact<'a>> {
        Some(match self.ident()? {
            "At" => Fact::At,
            "When" => Fact::When,
            "Who" => {
                self.expect(b'(')?;
                let s = self.string()?;
                self.expect(b')')?;
                Fact::Who(s)
            }
            _ => return None,
        })
    }

    fn citation(&mut self) -> Option<CitationSpec<'a>> {
        let (mut source, mut quote, mut claimant, mut hedge) = (None, None, None, None);
        let (mut states, mut refers_as, mut note) = (Vec::new(), Vec::new(), None);
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "source" => {
                    seen.first(0)?;
                    source = Some(p.string()?);
                }
                "quote" => {
                    seen.first(1)?;
                    quote = Some(p.string()?);
                }
                "claimant" => {
                    seen.first(2)?;
                    claimant = match p.ident()? {
                        "None" => None,
                        v @ ("Entity" | "Unnamed") => {
                            p.expect(b'(')?;
                            let s = p.string()?;
                            p.expect(b')')?;
                            Some(if v == "Entity" {
                                ClaimantSpec::Entity(s)
                            } else {
                                ClaimantSpec::Unnamed(s)
                            })
                        }
                        _ => return None,
                    };
                }
                "hedge" => {
                    seen.first(3)?;
                    hedge = Some(p.hedge()?);
                }
                "states" => {
                    seen.first(4)?;
                    states = p.list(Self::fact)?;
                }
                "refers_as" => {
                    seen.first(5)?;
                    refers_as = p.list(Self::string)?;
                }
                "note" => {
                    seen.first(6)?;
                    note = p.opt_string()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(CitationSpec {
            source: source?,
            quote: quote?,
            claimant,
            hedge: hedge?,
            states,
            refers_as,
            note,
        })
    }

    fn participant(&mut self) -> Option<ParticipantSpec<'a>> {
        let (mut entity, mut role) = (None, None);
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "entity" => {
                    seen.first(0)?;
                    entity = Some(p.string()?);
                }
                "role" => {
                    seen.first(1)?;
                    role = Some(p.string()?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(ParticipantSpec {
            entity: entity?,
            role: role?,
        })
    }

    fn entity(&mut self) -> Option<EntitySpec<'a>> {
        let (mut id, mut kind, mut name_, mut aliases) = (None, None, None, Vec::new());
        let (mut description, mut props, mut note, mut when, mut at) =
            (None, BTreeMap::new(), None, None, None);
        let (mut participants, mut cite) = (Vec::new(), Vec::new());
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "id" => {
                    seen.first(0)?;
                    id = Some(p.string()?);
                }
                "kind" => {
                    seen.first(1)?;
                    kind = Some(p.string()?);
                }
                "name" => {
                    seen.first(2)?;
                    name_ = Some(p.string()?);
                }
                "aliases" => {
                    seen.first(3)?;
                    aliases = p.list(P::string)?;
                }
                "description" => {
                    seen.first(4)?;
                    description = p.opt_string()?;
                }
                "props" => {
                    seen.first(5)?;
                    props = p.prop_map()?;
                }
                "note" => {
                    seen.first(6)?;
                    note = p.opt_string()?;
                }
                "when" => {
                    seen.first(7)?;
                    when = p.opt_when()?;
                }
                "at" => {
                    seen.first(8)?;
                    at = p.opt_string()?;
                }
                "participants" => {
                    seen.first(9)?;
                    participants = p.list(P::participant)?;
                }
                "cite" => {
                    seen.first(10)?;
                    cite = p.list(P::citation)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(EntitySpec {
            id: id?,
            kind: kind?,
            name: name_?,
            aliases,
            description,
            props,
            note,
            when,
            at,
            participants,
            cite,
        })
    }

    fn quantity(&mut self) -> Option<QuantitySpec<'a>> {
        let (mut value, mut low, mut high, mut approx) = (None, None, None, false);
        let (mut unit, mut text) = (None, None);
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "value" => {
                    seen.first(0)?;
                    value = p.opt_number()?;
                }
                "low" => {
                    seen.first(1)?;
                    low = p.opt_number()?;
                }
                "high" => {
                    seen.first(2)?;
                    high = p.opt_number()?;
                }
                "approx" => {
                    seen.first(3)?;
                    approx = p.bool()?;
                }
                "unit" => {
                    seen.first(4)?;
                    unit = Some(p.string()?);
                }
                "text" => {
                    seen.first(5)?;
                    text = Some(p.string()?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(QuantitySpec {
            value,
            low,
            high,
            approx,
            unit: unit?,
            text: text?,
        })
    }

    fn rank(&mut self) -> Option<Option<RankSpec<'a>>> {
        Some(Some(match self.ident()? {
            "None" => return Some(None),
            "Preferred" => RankSpec::Preferred,
            "Normal" => RankSpec::Normal,
            "Deprecated" => {
                self.expect(b'(')?;
                let s = self.string()?;
                self.expect(b')')?;
                RankSpec::Deprecated(s)
            }
            _ => return None,
        }))
    }

    fn claim(&mut self) -> Option<ClaimSpec<'a>> {
        let (mut id, mut subject, mut relation, mut object) = (None, None, None, None);
        let (mut when, mut quantity, mut cite, mut rank) = (None, None, Vec::new(), None);
        let (mut conflicts_with, mut props, mut note) = (Vec::new(), BTreeMap::new(), None);
        let mut seen = Seen(0);
        self.fields(|p, name| {
            match name {
                "id" => {
                    seen.first(0)?;
                    id = p.opt_string()?;
                }
                "subject" => {
                    seen.first(1)?;
                    subject = Some(p.string()?);
                }
                "relation" => {
                    seen.first(2)?;
                    relation = Some(p.string()?);
                }
                "object" => {
                    seen.first(3)?;
                    object = Some(p.string()?);
                }
                "when" => {
                    seen.first(4)?;
                    when = p.opt_when()?;
                }
                "quantity" => {
                    seen.first(5)?;
                    let save = p.i;
                    if p.ident() == Some("None") {
                        quantity = None;
                    } else {
                        p.i = save;
                        quantity = Some(Box::new(p.quantity()?));
                    }
                }
                "cite" => {
                    seen.first(6)?;
                    cite = p.list(P::citation)?;
                }
                "rank" => {
                    seen.first(7)?;
                    rank = p.rank()?;
                }
                "conflicts_with" => {
                    seen.first(8)?;
                    conflicts_with = p.list(P::string)?;
                }
                "props" => {
                    seen.first(9)?;
                    props = p.prop_map()?;
                }
                "note" => {
                    seen.first(10)?;
                    note = p.opt_string()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(ClaimSpec {
            id,
            subject: subject?,
            relation: relation?,
            object: object?,
            when,
            quantity,
            cite,
            rank,
            conflicts_with,
            props,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_ron;
    use proptest::prelude::*;

    const TEXT: &str = r#"// a dossier
(
  sources: [
    (id: "art_1", kind: NewsArticle, title: "T \"quoted\"", publisher: "bbc", published: "2024-06", language: "es", file: "a.txt"),
    (id: "art_2", kind: Other, title: "Ü", language: "en", file: "b.txt", note: None,),
  ],
  /* block /* nested */ comment */
  entities: [
    (id: "putin", kind: "Person", name: "Vladimir Putin", aliases: ["Putin", "Путин"], description: "x"),
    (id: "summit", kind: "Summit", name: "S", when: Span(from: "2024-08", to: None), at: "moscow",
     participants: [(entity: "putin", role: "host")], props: {},
     cite: [(source: "art_1", quote: "q\\n", claimant: Entity("kremlin"), hedge: Reported, states: [At, When, Who("putin")], refers_as: ["q"], note: "n"),
       (source: "art_1", quote: "r", hedge: Speculated, states: [], note: None)]),
  ],
  claims: [
    (id: "c1", subject: "a", relation: "supplied", object: "b", when: On("2025-10-27"),
     quantity: (value: 15000, approx: true, unit: "troops", text: "unos 15.000"),
     cite: [(source: "art_1", quote: "t", claimant: Unnamed("fuentes"), hedge: Alleged)],
     rank: Deprecated("why"), conflicts_with: ["c2"]),
    (subject: "a", relation: "r", object: "b", quantity: (low: 1.5, high: 2e3, unit: "u", text: "t"), rank: Preferred, cite: []),
  ],
)
"#;

    fn ron_view(text: &str) -> Option<String> {
        parse_ron::<DataFile<'static>>("x.ron", text)
            .ok()
            .map(|d| format!("{d:?}"))
    }

    #[test]
    fn reads_what_ron_reads() {
        let fast = parse_dossier(TEXT).expect("plain dossier");
        assert_eq!(Some(format!("{fast:?}")), ron_view(TEXT));
        assert!(matches!(fast.sources[0].title, Cow::Owned(_)));
        assert!(matches!(fast.sources[0].id, Cow::Borrowed(_)));
    }

    #[test]
    fn reads_property_maps_as_ron_does() {
        let text = r#"(entities: [(id: "a", kind: "K", name: "N", props: {
            "title": "President", "state_owned": true, "caliber_mm": 152, "n": -7,
            "by": ["sea", "rail", [1, false]], "esc": "a\"b",
        })], claims: [(subject: "a", relation: "r", object: "b", props: {}, cite: [])])"#;
        let fast = parse_dossier(text).expect("property maps");
        assert_eq!(fast.entities[0].props.len(), 6);
        assert_eq!(Some(format!("{fast:?}")), ron_view(text));
    }

    /// The curated data takes the fast path, file by file, and reads as
    /// ron reads it.
    #[test]
    fn the_bundled_data_takes_the_fast_path() {
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "ron")
                    && path.file_name().is_some_and(|n| n != "schema.ron")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let fast = parse_dossier(&text)
                        .unwrap_or_else(|| panic!("{} is left to ron", path.display()));
                    assert_eq!(
                        Some(format!("{fast:?}")),
                        ron_view(&text),
                        "{}",
                        path.display()
                    );
                    files += 1;
                }
            }
        }
        assert!(files >= 10, "{files} data files");
    }

    #[test]
    fn leaves_the_rest_to_ron() {
        for text in [
            "#![enable(implicit_some)]\n(claims: [])",
            "(claims: [], claims: [])",
            "(claims: [(subject: \"a\")])",
            "(bogus: [])",
            "(entities: [(id: \"a\", kind: \"K\", name: \"N\", props: {\"x\": 1.5})])",
            "(entities: [(id: \"a\", kind: \"K\", name: \"N\", props: {\"x\": 1, \"x\": 2})])",
            "(entities: [(id: \"a\", kind: \"K\", name: \"N\", props: {x: 1})])",
            "(sources: [(id: r#\"a\"#)])",
            "(claims: [(subject: \"a\", relation: \"r\", object: \"b\", quantity: (value: 1_000, unit: \"u\", text: \"t\"))])",
            "(claims: []) trailing",
            "(claims: []) /* unterminated",
            "(claims: [] /* unterminated",
            "",
        ] {
            assert!(parse_dossier(text).is_none(), "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Whatever the fast parser accepts, ron accepts with an equal value.
        #[test]
        fn never_differs_from_ron_on_property_maps(at in 0usize..60, insert in "[{}\\[\\],:\"a-z0-9 .\\-]{0,6}") {
            let mut text = r#"(entities: [(id: "a", kind: "K", name: "N", props: {"t": "x", "b": true, "n": 152, "l": ["s", -1]})])"#.to_string();
            let at = 46 + at.min(text.len() - 49);
            text.insert_str(at, &insert);
            if let Some(fast) = parse_dossier(&text) {
                prop_assert_eq!(Some(format!("{fast:?}")), ron_view(&text), "{}", text);
            }
        }

        #[test]
        fn never_differs_from_ron(pos in any::<prop::sample::Index>(), cut in 0usize..12, insert in "[(){}\\[\\]\",:a-zA-Z0-9 _.\\-/*\\\\é]{0,8}") {
            let mut text = TEXT.to_string();
            let at = pos.index(text.len() + 1);
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (at + cut).min(text.len());
            let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(at..end, &insert);
            if let Some(fast) = parse_dossier(&text) {
                prop_assert_eq!(Some(format!("{fast:?}")), ron_view(&text), "{}", text);
            }
        }
    }
}
