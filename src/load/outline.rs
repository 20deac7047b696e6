//! A position map of a RON file: where each struct field, list item and map
//! entry sits, so checks made after deserialising can point at the exact
//! text (ron's own errors only cover syntax and types).
//!
//! The scan is lenient and never fails; it runs only on files ron accepted.
//! It also finds duplicate map keys, which serde would silently collapse.
//! Its tokens come from `lexer`, the lexer the fast reader uses too.

use std::ops::Range;

use super::lexer::{Lexer, is_word_byte};

/// One value in the file.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub span: Range<usize>,
    /// `field: value` pairs of a struct, in order.
    pub fields: Vec<Field>,
    /// Elements of a list or tuple, or the arguments of `Variant(...)`.
    pub items: Vec<Item>,
    /// `key: value` pairs of a map; keys as written, quotes stripped.
    pub entries: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Item,
}

/// A step in a path through the outline.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

impl Item {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The item at a path, or the deepest item reached on the way.
    pub fn at(&self, path: &[Step<'_>]) -> &Item {
        let mut cur = self;
        for step in path {
            let next = match *step {
                Step::Field(name) => cur.field(name).map(|f| &f.value),
                Step::Index(i) => cur.items.get(i),
                Step::Key(k) => cur.entries.iter().find(|e| e.name == k).map(|e| &e.value),
            };
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur
    }

    /// The span of a path's value, falling back to the deepest item reached.
    pub fn span(&self, path: &[Step<'_>]) -> Range<usize> {
        self.at(path).span.clone()
    }
}

/// Builds the outline of a whole file.
pub fn outline(text: &str) -> Item {
    let mut s = Scanner::new(text, 0);
    s.skip_attributes();
    s.value(0)
}

/// Where each element of the top-level lists sits (`sources`, `entities`,
/// `claims`), without keeping their outlines: a few bytes per element, so a
/// diagnostic in a file of a million claims outlines one claim, not all.
#[derive(Debug, Clone, Default)]
pub struct ListIndex {
    lists: Vec<(String, Vec<usize>)>,
}

impl ListIndex {
    pub fn new(text: &str) -> Self {
        let mut s = Scanner::new(text, 0);
        s.skip_attributes();
        let mut lists = Vec::new();
        if s.peek() != Some(b'(') {
            return ListIndex { lists };
        }
        s.elements(b')', |s| {
            let Some((name, _)) = s.field_name() else {
                // Not a struct of lists: let the full outline handle it.
                let _ = s.value(1);
                return;
            };
            s.skip_trivia();
            let mut starts = Vec::new();
            if s.peek() == Some(b'[') {
                s.elements(b']', |s| {
                    starts.push(s.lx.pos);
                    let _ = s.value(2);
                });
            } else {
                let _ = s.value(1);
            }
            lists.push((name, starts));
        });
        ListIndex { lists }
    }

    /// Where element `index` of list `field` starts.
    pub fn start(&self, field: &str, index: usize) -> Option<usize> {
        let (_, starts) = self.lists.iter().find(|(n, _)| n == field)?;
        starts.get(index).copied()
    }
}

/// The outline of one element of a top-level list, starting at `offset`
/// (spans are offsets into the whole text, as in `outline`).
pub fn outline_element(text: &str, offset: usize) -> Item {
    Scanner::new(text, offset).value(2)
}

/// Duplicate keys in maps and duplicate fields in structs, anywhere:
/// `(key, first span, second span)`.
pub fn duplicate_keys(root: &Item) -> Vec<(String, Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    fn walk(item: &Item, out: &mut Vec<(String, Range<usize>, Range<usize>)>) {
        for list in [&item.fields, &item.entries] {
            for (i, f) in list.iter().enumerate() {
                if let Some(first) = list[..i].iter().find(|g| g.name == f.name) {
                    out.push((f.name.clone(), first.name_span.clone(), f.name_span.clone()));
                }
            }
        }
        for f in item.fields.iter().chain(&item.entries) {
            walk(&f.value, out);
        }
        for i in &item.items {
            walk(i, out);
        }
    }
    walk(root, &mut out);
    out
}

const MAX_DEPTH: usize = 256;

/// The structure over the shared lexer's tokens.
struct Scanner<'a> {
    lx: Lexer<'a>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, offset: usize) -> Self {
        Scanner {
            lx: Lexer::at(text, offset),
        }
    }

    /// Trivia and `#![enable(...)]` attributes at the start of a file.
    fn skip_attributes(&mut self) {
        self.skip_trivia();
        while self.peek() == Some(b'#') {
            while let Some(c) = self.peek() {
                self.lx.bump(1);
                if c == b']' {
                    break;
                }
            }
            self.skip_trivia();
        }
    }

    fn peek(&self) -> Option<u8> {
        self.lx.peek()
    }

    /// Whitespace and comments; an unclosed comment runs to the end.
    fn skip_trivia(&mut self) {
        let _ = self.lx.skip_trivia();
    }

    fn value(&mut self, depth: usize) -> Item {
        self.skip_trivia();
        let start = self.lx.pos;
        let mut item = Item::default();
        if depth > MAX_DEPTH {
            self.lx.pos = self.lx.text().len();
            item.span = start..self.lx.pos;
            return item;
        }
        match self.peek() {
            None => {}
            Some(b'"') => {
                self.lx.string();
            }
            Some(b'\'') => self.lx.char_lit(),
            Some(b'r') if matches!(self.lx.peek_at(1), Some(b'"' | b'#')) => self.lx.raw_string(),
            Some(b'b') if self.lx.peek_at(1) == Some(b'"') => {
                self.lx.bump(1);
                self.lx.string();
            }
            Some(b'(') => self.group(&mut item, b')', depth),
            Some(b'[') => self.group(&mut item, b']', depth),
            Some(b'{') => self.map(&mut item, depth),
            Some(c) if is_word_byte(c) => {
                self.lx.word();
                self.skip_trivia();
                // `Variant(...)` or `Name(...)`: the group belongs to the word.
                if self.peek() == Some(b'(') {
                    self.group(&mut item, b')', depth);
                }
            }
            Some(_) => self.lx.bump(1),
        }
        item.span = start..self.lx.pos;
        item
    }

    /// `( ... )` or `[ ... ]`: struct fields when an element is `ident: value`,
    /// else positional items.
    fn group(&mut self, item: &mut Item, close: u8, depth: usize) {
        self.elements(close, |s| {
            if close == b')'
                && let Some((name, name_span)) = s.field_name()
            {
                let value = s.value(depth + 1);
                item.fields.push(Field {
                    name,
                    name_span,
                    value,
                });
                return;
            }
            let v = s.value(depth + 1);
            item.items.push(v);
        });
    }

    /// Walks the elements of a bracketed sequence whose opening bracket is
    /// at the cursor, up to `close` (consumed) or the end of the text:
    /// skips trivia and commas, calls `each` at the start of every element,
    /// and steps over a byte when `each` reads nothing, so it never loops in
    /// place.
    fn elements(&mut self, close: u8, mut each: impl FnMut(&mut Self)) {
        self.lx.bump(1);
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some(c) if c == close => {
                    self.lx.bump(1);
                    return;
                }
                Some(b',') => {
                    self.lx.bump(1);
                    continue;
                }
                _ => {}
            }
            let before = self.lx.pos;
            each(self);
            if self.lx.pos == before {
                self.lx.bump(1);
            }
        }
    }

    /// Looks ahead for `ident :` (but not `::`); consumes it when found.
    fn field_name(&mut self) -> Option<(String, Range<usize>)> {
        let start = self.lx.pos;
        let name_end = self.lx.ident_end(start);
        if name_end == start {
            return None;
        }
        let mut ahead = Lexer::at(self.lx.text(), name_end);
        while ahead.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            ahead.bump(1);
        }
        if ahead.peek() == Some(b':') && ahead.peek_at(1) != Some(b':') {
            self.lx.pos = ahead.pos + 1;
            Some((self.lx.text()[start..name_end].to_string(), start..name_end))
        } else {
            None
        }
    }

    fn map(&mut self, item: &mut Item, depth: usize) {
        self.elements(b'}', |s| {
            let key = s.value(depth + 1);
            let key_text = s.lx.text()[key.span.clone()].trim_matches('"').to_string();
            s.skip_trivia();
            if s.peek() == Some(b':') {
                s.lx.bump(1);
            }
            let value = s.value(depth + 1);
            item.entries.push(Field {
                name: key_text,
                name_span: key.span,
                value,
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"#![enable(implicit_some)]
// a comment with ( and "
(
  entities: [
    (id: "putin", kind: "Person", props: {"a": 1, "a": 2}),
    (id: "kim", when: Span(from: "2024-08", to: "2025"), cite: [(source: "s", quote: "x)\"y")]),
  ],
)"#;

    #[test]
    fn paths_find_fields_items_and_entries() {
        let root = outline(TEXT);
        let span = root.span(&[Step::Field("entities"), Step::Index(1), Step::Field("id")]);
        assert_eq!(&TEXT[span], "\"kim\"");
        let span = root.span(&[
            Step::Field("entities"),
            Step::Index(1),
            Step::Field("when"),
            Step::Field("to"),
        ]);
        assert_eq!(&TEXT[span], "\"2025\"");
        let span = root.span(&[
            Step::Field("entities"),
            Step::Index(1),
            Step::Field("cite"),
            Step::Index(0),
            Step::Field("quote"),
        ]);
        assert_eq!(&TEXT[span], "\"x)\\\"y\"");
        let span = root.span(&[
            Step::Field("entities"),
            Step::Index(0),
            Step::Field("props"),
            Step::Key("a"),
        ]);
        assert_eq!(&TEXT[span], "1");
    }

    #[test]
    fn one_element_outlines_like_the_whole_file() {
        let root = outline(TEXT);
        let index = ListIndex::new(TEXT);
        for i in 0..2 {
            let whole = root.at(&[Step::Field("entities"), Step::Index(i)]);
            let one = outline_element(TEXT, index.start("entities", i).unwrap());
            assert_eq!(whole.span, one.span);
            let path = [Step::Field("id")];
            assert_eq!(whole.span(&path), one.span(&path));
        }
        assert_eq!(index.start("entities", 2), None);
        assert_eq!(index.start("claims", 0), None);
    }

    #[test]
    fn duplicate_map_keys_are_found() {
        let root = outline(TEXT);
        let dups = duplicate_keys(&root);
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].0, "a");
    }

    #[test]
    fn garbage_never_hangs_or_panics() {
        for t in [
            "(((", "[a: b", "{\"x\"", "r#\"abc", "/* /* */", "é(", ")))", "(a:", "\"\\",
        ] {
            let _ = outline(t);
        }
    }
}
