//! A fast reader for dossiers written plainly, the way curators and tools
//! write them: a serde `Deserializer` over the common subset of RON, so the
//! file types of `files.rs` read through their own `#[derive(Deserialize)]`,
//! borrowing strings from the text wherever the target type borrows. On
//! anything outside the subset it fails: a syntax error, an escape or number
//! form it does not know, `Some(..)`, attributes, a struct or variant name
//! before `(`, a float where any value may stand (an untagged property
//! value), a repeated map key, nesting deeper than `MAX_DEPTH`. The loader
//! then asks `ron`, which says precisely what is wrong or reads the rare
//! construct. Unknown, repeated and missing fields are refused by the
//! derived code itself, as with ron.
//!
//! Tokens come from `lexer`, the lexer `outline` uses too.
//!
//! Why a second reader: on the medium benchmark data (1,000,000 claims in
//! 20 files) it parses several times faster than ron with its outline pass
//! (ARCHITECTURE.md has the figures). `EJE_LOAD_RON_ONLY=1` turns it off,
//! to measure again.
//!
//! Invariant: whenever this returns `Ok(v)`, `ron` (with `implicit_some`)
//! accepts the text and returns a value equal to `v`. So it may be strict,
//! never lenient. `tests::never_differs_from_ron` checks it on mutated
//! files, and `tests::the_bundled_data_takes_the_fast_path` that the
//! curated data is read by it.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, CowStrDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::files::DataFile;
use super::lexer::{self, Lexer};

/// Parses a dossier, or `None` when `ron` should.
pub fn parse_dossier(text: &str) -> Option<DataFile<'_>> {
    from_str(text).ok()
}

/// Reads a whole text as a `T`, or fails when the text is outside the
/// subset (or does not fit `T`).
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut d = Deserializer {
        lx: Lexer::new(text),
        depth: 0,
    };
    let value = T::deserialize(&mut d)?;
    d.trivia()?;
    if d.lx.at_end() {
        Ok(value)
    } else {
        Err(Refused)
    }
}

/// The text is outside the fast reader's subset: ask ron. It carries no
/// message on purpose (ron gives the user's error), which keeps it free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outside the plain RON subset")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

type Result<T> = std::result::Result<T, Refused>;

/// Deepest nesting of lists, maps, structs and options read here; deeper
/// texts go to ron, whose own recursion limit (128) is higher.
const MAX_DEPTH: usize = 48;

pub struct Deserializer<'de> {
    lx: Lexer<'de>,
    depth: usize,
}

impl<'de> Deserializer<'de> {
    /// Skips whitespace and comments; an unclosed comment fails.
    fn trivia(&mut self) -> Result<()> {
        if self.lx.skip_trivia() {
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// The next byte after trivia.
    fn peek(&mut self) -> Result<Option<u8>> {
        self.trivia()?;
        Ok(self.lx.peek())
    }

    fn eat(&mut self, c: u8) -> Result<bool> {
        if self.peek()? == Some(c) {
            self.lx.bump(1);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c)? { Ok(()) } else { Err(Refused) }
    }

    /// The word at the cursor (after trivia), possibly empty.
    fn word(&mut self) -> Result<&'de str> {
        self.trivia()?;
        Ok(self.lx.word())
    }

    /// A plain identifier; `r#raw` identifiers are ron's.
    fn ident(&mut self) -> Result<&'de str> {
        let w = self.word()?;
        if lexer::is_plain_ident(w) && self.lx.peek() != Some(b'#') {
            Ok(w)
        } else {
            Err(Refused)
        }
    }

    /// A quoted string, borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'de, str>> {
        if self.peek()? != Some(b'"') {
            return Err(Refused);
        }
        let s = self.lx.string();
        if !s.closed || s.control {
            return Err(Refused);
        }
        let body = &self.lx.text()[s.body];
        if s.escaped {
            lexer::unescape(body).ok_or(Refused)
        } else {
            Ok(Cow::Borrowed(body))
        }
    }

    /// A plain decimal number: its value and whether it is an integer.
    fn number(&mut self) -> Result<(f64, bool)> {
        lexer::plain_number(self.word()?).ok_or(Refused)
    }

    /// Runs `f` one level deeper.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(Refused);
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// After an element of a sequence: a `,`, or the closing byte (left
    /// for the caller).
    fn after_element(&mut self, close: u8) -> Result<()> {
        if self.eat(b',')? {
            return Ok(());
        }
        if self.peek()? == Some(close) {
            Ok(())
        } else {
            Err(Refused)
        }
    }

    fn visit_string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }
}

/// Declares `deserialize_*` methods that refuse: forms outside the subset.
macro_rules! refuse {
    ($($method:ident $(($($arg:ty),*))?;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($(_: $arg,)*)? _visitor: V) -> Result<V::Value> {
                Err(Refused)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Refused;

    /// Only for values that may be of several types (untagged enums): a
    /// string, a boolean, an integer, a list or a map. Floats are refused,
    /// so that how a number is read stays ron's decision.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek()? {
            Some(b'"') => self.visit_string(visitor),
            Some(b'[') => self.deserialize_seq(visitor),
            Some(b'{') => self.deserialize_map(visitor),
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                (v, true) => visitor.visit_i64(v as i64),
                (_, false) => Err(Refused),
            },
            _ => match self.word()? {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                _ => Err(Refused),
            },
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.word()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(Refused),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.number()? {
            (v, true) => visitor.visit_i64(v as i64),
            (_, false) => Err(Refused),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.number()? {
            (v, true) if v >= 0.0 => visitor.visit_u64(v as u64),
            _ => Err(Refused),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.number()?.0)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.visit_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.visit_string(visitor)
    }

    /// `None`, or any other value as present (ron's `implicit_some`).
    /// `Some(..)` is refused.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.trivia()?;
        let mut ahead = self.lx.clone();
        match ahead.word() {
            "None" => {
                self.lx = ahead;
                visitor.visit_none()
            }
            "Some" => Err(Refused),
            _ => self.nested(|d| visitor.visit_some(d)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'[')?;
        // A list directly in the file's top-level struct: a section.
        let section = self.depth == 1;
        self.nested(|d| {
            let start = d.lx.pos;
            let v = visitor.visit_seq(Elements {
                d,
                section,
                start,
                read: 0,
            })?;
            d.expect(b']')?;
            Ok(v)
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'{')?;
        self.nested(|d| {
            let v = visitor.visit_map(Entries {
                d,
                seen: BTreeSet::new(),
            })?;
            d.expect(b'}')?;
            Ok(v)
        })
    }

    /// `(name: value, ...)`, without a struct name before it.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.expect(b'(')?;
        self.nested(|d| {
            let v = visitor.visit_map(Fields { d })?;
            d.expect(b')')?;
            Ok(v)
        })
    }

    /// `Unit`, `Newtype(value)` or `Struct(name: value, ...)`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.nested(|d| visitor.visit_enum(d))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.ident()?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    refuse! {
        deserialize_char;
        deserialize_bytes;
        deserialize_byte_buf;
        deserialize_unit;
        deserialize_ignored_any;
        deserialize_unit_struct(&'static str);
        deserialize_newtype_struct(&'static str);
        deserialize_tuple(usize);
        deserialize_tuple_struct(&'static str, usize);
    }
}

/// The elements of `[...]`, up to (not including) the `]`.
struct Elements<'a, 'de> {
    d: &'a mut Deserializer<'de>,
    /// Whether this is a section's list (see `size_hint`).
    section: bool,
    /// Where the first element begins, and how many were read.
    start: usize,
    read: usize,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.d.peek()? == Some(b']') {
            return Ok(None);
        }
        let v = seed.deserialize(&mut *self.d)?;
        self.d.after_element(b']')?;
        self.read += 1;
        Ok(Some(v))
    }

    /// For a section's list once an element is read (`files::section`
    /// asks then), an estimate: the rest of the text over the length of
    /// the elements so far. It counts what follows the list too, so it errs
    /// high; no other list gives one (serde's own lists ask before their
    /// first element, and would reserve on it).
    fn size_hint(&self) -> Option<usize> {
        if !self.section || self.read == 0 {
            return None;
        }
        let each = (self.d.lx.pos - self.start) / self.read;
        let left = self.d.lx.text().len() - self.d.lx.pos;
        Some(left / each.max(1))
    }
}

/// The entries of `{...}`: quoted keys, each at most once.
struct Entries<'a, 'de> {
    d: &'a mut Deserializer<'de>,
    /// The keys read so far: ron keeps the last of two equal keys, and
    /// only its outline pass reports them.
    seen: BTreeSet<Cow<'de, str>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.d.peek()? == Some(b'}') {
            return Ok(None);
        }
        let key = self.d.string()?;
        if !self.seen.insert(key.clone()) {
            return Err(Refused);
        }
        self.d.expect(b':')?;
        let key: CowStrDeserializer<'de, Refused> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let v = seed.deserialize(&mut *self.d)?;
        self.d.after_element(b'}')?;
        Ok(v)
    }
}

/// The fields of `(name: value, ...)`, up to (not including) the `)`.
struct Fields<'a, 'de> {
    d: &'a mut Deserializer<'de>,
}

impl<'de> de::MapAccess<'de> for Fields<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.d.peek()? == Some(b')') {
            return Ok(None);
        }
        let name = self.d.ident()?;
        self.d.expect(b':')?;
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let v = seed.deserialize(&mut *self.d)?;
        self.d.after_element(b')')?;
        Ok(v)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Deserializer<'de> {
    type Error = Refused;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.ident()?;
        let v = seed.deserialize(BorrowedStrDeserializer::<Refused>::new(name))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Deserializer<'de> {
    type Error = Refused;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.expect(b'(')?;
        let v = seed.deserialize(&mut *self)?;
        self.expect(b')')?;
        Ok(v)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(Refused)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_ron;
    use proptest::prelude::*;

    /// What a list's `size_hint` said after its first element.
    #[derive(Debug, Default)]
    struct Hints(Vec<Option<usize>>);

    impl<'de> Deserialize<'de> for Hints {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Hints;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a list")
                }
                fn visit_seq<A: de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> std::result::Result<Hints, A::Error> {
                    let mut hints = Vec::new();
                    while let Some(inner) = seq.next_element::<Option<Hints>>()? {
                        hints.push(seq.size_hint());
                        hints.extend(inner.into_iter().flat_map(|h| h.0));
                    }
                    Ok(Hints(hints))
                }
            }
            d.deserialize_seq(V)
        }
    }

    #[derive(Debug, Deserialize)]
    struct Probe {
        list: Hints,
    }

    /// A section's list estimates what is left from the elements read; a
    /// list nested in it gives no estimate (serde would reserve on one).
    #[test]
    fn only_a_section_list_estimates_its_length() {
        let probe: Probe =
            from_str("(list: [None, None, None, None, None, None, None, None])").unwrap();
        let hints: Vec<usize> = probe
            .list
            .0
            .iter()
            .map(|h| h.expect("a section's list estimates"))
            .collect();
        // Each element is 6 bytes (`None, `): after the first, the 43 bytes
        // left hold about seven more.
        assert_eq!(hints.len(), 8);
        assert!((6..=8).contains(&hints[0]), "{hints:?}");
        assert!(hints.windows(2).all(|w| w[1] <= w[0]), "{hints:?}");
        let nested: Probe = from_str("(list: [[None, None], None])").unwrap();
        // The outer list's hints are numbers; the inner list's are none.
        assert!(nested.list.0[0].is_some());
        assert_eq!(&nested.list.0[1..3], &[None, None]);
        assert!(nested.list.0[3].is_some());
    }

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
        parse_ron::<DataFile<'_>>("x.ron", text)
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

    /// The reader is generic: the schema reads through it too, as ron
    /// reads it.
    #[test]
    fn reads_the_schema_as_ron_does() {
        use crate::load::files::SchemaFile;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/schema.ron");
        let text = std::fs::read_to_string(path).unwrap();
        let fast: SchemaFile = from_str(&text).expect("the schema is plain RON");
        let ron: SchemaFile = parse_ron("schema.ron", &text).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{ron:?}"));
    }

    #[test]
    fn numbers_read_as_ron_reads_them() {
        for value in [
            "-0",
            "0",
            "-0.0",
            "15000",
            "1.5e3",
            "-2E-2",
            "123456789012345",
        ] {
            let text = format!(
                r#"(claims: [(subject: "a", relation: "r", object: "b", quantity: (value: {value}, unit: "u", text: "t"), props: {{"n": {value}}})])"#
            );
            let is_int = !value.contains(['.', 'e', 'E']);
            match parse_dossier(&text) {
                Some(fast) => assert_eq!(Some(format!("{fast:?}")), ron_view(&text), "{text}"),
                None => assert!(!is_int, "{text}"),
            }
        }
    }

    /// Deep nesting goes to ron (which refuses it) instead of exhausting
    /// the stack.
    #[test]
    fn deep_nesting_is_left_to_ron() {
        let deep = format!(
            r#"(entities: [(id: "a", kind: "K", name: "N", props: {{"x": {}1{}}})])"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(parse_dossier(&deep).is_none());
        let shallow = format!(
            r#"(entities: [(id: "a", kind: "K", name: "N", props: {{"x": {}1{}}})])"#,
            "[".repeat(20),
            "]".repeat(20)
        );
        let fast = parse_dossier(&shallow).expect("twenty levels are plain");
        assert_eq!(Some(format!("{fast:?}")), ron_view(&shallow));
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
            "(claims: [(subject: \"a\", relation: \"r\", object: \"b\", when: Some(On(\"2024\")))])",
            "(claims: [(subject: \"a\", relation: \"r\", object: \"b\", rank: Deprecated(\"x\",))])",
            "(claims: [(subject: \"a\\u{62}\", relation: \"r\", object: \"b\")])",
            "DataFile(claims: [])",
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
