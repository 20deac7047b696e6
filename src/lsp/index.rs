//! Where every id of a dataset is declared and used, read from the texts
//! (open buffers included) with a lenient scan of their RON: each string
//! literal with the field it is the value of, and the section (`sources`,
//! `entities`, `claims`) it is in. It works on files that do not parse.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

/// Fields whose strings are free text, never a reference to an id.
const TEXT_FIELDS: &[&str] = &[
    "name",
    "description",
    "note",
    "quote",
    "title",
    "aliases",
    "text",
    "refers_as",
    "file",
    "language",
    "published",
    "kind",
    "relation",
    "role",
    "unit",
    "date",
    "from",
    "to",
    "rank_reason",
    "reason",
];

/// One string literal of a RON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrLit {
    /// The bytes between the quotes.
    pub inner: Range<usize>,
    pub value: String,
    /// The field it is the value of (for a list, the list's field).
    pub field: Option<String>,
    /// The top-level section it is in.
    pub section: Option<String>,
    /// A map key (`"date_body": ...`), not a value.
    pub is_key: bool,
}

impl StrLit {
    /// Whether this string declares an id (`id: "x"` of a source, entity or
    /// claim).
    pub fn is_declaration(&self) -> bool {
        self.field.as_deref() == Some("id")
            && matches!(
                self.section.as_deref(),
                Some("sources" | "entities" | "claims")
            )
    }

    /// Whether this string may name an id (a declaration or a reference).
    pub fn may_name_id(&self) -> bool {
        !self.is_key
            && (self.is_declaration()
                || self
                    .field
                    .as_deref()
                    .is_some_and(|f| f != "id" && !TEXT_FIELDS.contains(&f)))
    }
}

/// The string literals of `text`, in order. Comments are skipped; a string
/// left open runs to the end of the text.
pub fn strings(text: &str) -> Vec<StrLit> {
    scan(text).0
}

/// The field whose value the end of `text` is inside: for a cursor in
/// `cite: [(source: "a", `, `cite`; in a claim, `claims`.
pub fn enclosing_field(text: &str) -> Option<String> {
    let stack = scan(text).1;
    let below_top = &stack[..stack.len().saturating_sub(1)];
    below_top.iter().rev().find_map(|f| f.clone())
}

/// The string literals, and the field set at each bracket depth at the end.
fn scan(text: &str) -> (Vec<StrLit>, Vec<Option<String>>) {
    let b = text.as_bytes();
    let mut out: Vec<StrLit> = Vec::new();
    // The field set at each bracket depth.
    let mut stack: Vec<Option<String>> = vec![None];
    // The last token: an identifier, a string (its index in `out`) or other.
    enum Last {
        Ident(String),
        Str(usize),
        Other,
    }
    let mut last = Last::Other;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
                continue;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut value = String::new();
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' && j + 1 < b.len() {
                        j += 1;
                        let ch = text[j..].chars().next().unwrap_or('\\');
                        value.push(match ch {
                            'n' => '\n',
                            't' => '\t',
                            c => c,
                        });
                        j += ch.len_utf8();
                        continue;
                    }
                    let ch = text[j..].chars().next().unwrap_or(' ');
                    value.push(ch);
                    j += ch.len_utf8();
                }
                let field = stack.iter().rev().find_map(|f| f.clone());
                let section = stack.get(1).cloned().flatten();
                out.push(StrLit {
                    inner: start..j,
                    value,
                    field,
                    section,
                    is_key: false,
                });
                last = Last::Str(out.len() - 1);
                i = (j + 1).min(b.len());
                continue;
            }
            b':' => {
                match std::mem::replace(&mut last, Last::Other) {
                    Last::Ident(name) => {
                        if let Some(top) = stack.last_mut() {
                            *top = Some(name);
                        }
                    }
                    Last::Str(k) => {
                        out[k].is_key = true;
                        if let Some(top) = stack.last_mut() {
                            *top = Some(out[k].value.clone());
                        }
                    }
                    Last::Other => {}
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => {
                stack.push(None);
                last = Last::Other;
            }
            b')' | b']' | b'}' => {
                if stack.len() > 1 {
                    stack.pop();
                }
                last = Last::Other;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                last = Last::Ident(text[start..i].to_string());
                continue;
            }
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => last = Last::Other,
        }
        i += 1;
    }
    (out, stack)
}

/// Where one id is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    pub file: PathBuf,
    pub inner: Range<usize>,
    /// `sources`, `entities` or `claims`.
    pub section: String,
}

/// Every declaration and every string that may name an id, per file.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub files: BTreeMap<PathBuf, Vec<StrLit>>,
    pub decls: BTreeMap<String, Decl>,
}

impl Index {
    pub fn build<'a>(texts: impl IntoIterator<Item = (&'a PathBuf, &'a str)>) -> Index {
        let mut ix = Index::default();
        for (path, text) in texts {
            let lits = strings(text);
            for l in &lits {
                if l.is_declaration() {
                    ix.decls.entry(l.value.clone()).or_insert(Decl {
                        file: path.clone(),
                        inner: l.inner.clone(),
                        section: l.section.clone().unwrap_or_default(),
                    });
                }
            }
            ix.files.insert(path.clone(), lits);
        }
        ix
    }

    /// The string of `file` whose text holds byte `offset` (quotes
    /// included).
    pub fn string_at(&self, file: &PathBuf, offset: usize) -> Option<&StrLit> {
        self.files
            .get(file)?
            .iter()
            .find(|l| l.inner.start <= offset && offset <= l.inner.end)
    }

    /// Every place that names `id` (its declaration first), as file and the
    /// bytes between the quotes.
    pub fn occurrences(&self, id: &str) -> Vec<(PathBuf, Range<usize>)> {
        let mut out = Vec::new();
        if let Some(d) = self.decls.get(id) {
            out.push((d.file.clone(), d.inner.clone()));
        }
        for (file, lits) in &self.files {
            for l in lits {
                if l.value == id && l.may_name_id() && !l.is_declaration() {
                    out.push((file.clone(), l.inner.clone()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_know_their_field_and_section() {
        let t = r#"( // a comment with "quotes"
  entities: [(id: "putin", name: "Putin", aliases: ["a", "b"])],
  claims: [(subject: "putin", cite: [(source: "s", claimant: Entity("kim"))], props: {"k": "v"})],
)"#;
        let s = strings(t);
        let f: Vec<(&str, Option<&str>, Option<&str>, bool)> = s
            .iter()
            .map(|l| {
                (
                    l.value.as_str(),
                    l.field.as_deref(),
                    l.section.as_deref(),
                    l.is_key,
                )
            })
            .collect();
        assert_eq!(
            f,
            [
                ("putin", Some("id"), Some("entities"), false),
                ("Putin", Some("name"), Some("entities"), false),
                ("a", Some("aliases"), Some("entities"), false),
                ("b", Some("aliases"), Some("entities"), false),
                ("putin", Some("subject"), Some("claims"), false),
                ("s", Some("source"), Some("claims"), false),
                ("kim", Some("claimant"), Some("claims"), false),
                ("k", Some("props"), Some("claims"), true),
                ("v", Some("k"), Some("claims"), false),
            ]
        );
        assert!(s[0].is_declaration());
        assert_eq!(&t[s[0].inner.clone()], "putin");
        let path = PathBuf::from("a.ron");
        let ix = Index::build([(&path, t)]);
        assert_eq!(ix.occurrences("putin").len(), 2);
        assert_eq!(
            enclosing_field("(claims: [(subject: \"x\", cite: [(source: \"a\", ").as_deref(),
            Some("cite")
        );
        assert_eq!(
            enclosing_field("(claims: [(subject: \"x\", ").as_deref(),
            Some("claims")
        );
    }
}
