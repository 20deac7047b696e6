//! An in-process check of DOT text, so every test run validates the DOT
//! exports even where Graphviz is not installed (DECISIONS D12). It reads
//! the language as Graphviz documents it (graphs, subgraphs, node, edge and
//! attribute statements; plain, numeral, quoted and HTML ids; comments),
//! checks HTML labels are well-formed markup and edges join declared nodes,
//! and returns the text a reader of the picture sees: every label, one line
//! per line break, as the real renderer's SVG shows it.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A plain id or numeral, a keyword included.
    Word(String),
    /// A quoted string, unescaped as Graphviz reads a label.
    Quoted(String),
    /// An HTML string, without its outer angle brackets.
    Html(String),
    Punct(&'static str),
}

/// Parses `dot` and returns its labels' text; panics with the reason
/// where Graphviz would reject it.
#[track_caller]
pub fn labels_text(dot: &str) -> String {
    let toks = lex(dot).unwrap_or_else(|e| panic!("the DOT does not lex: {e}\n--- DOT ---\n{dot}"));
    let mut p = Parser {
        toks,
        at: 0,
        labels: Vec::new(),
        declared: BTreeSet::new(),
        edges: Vec::new(),
        op: "->",
    };
    if let Err(e) = p.graph() {
        panic!(
            "the DOT does not parse at token {}: {e}\n--- DOT ---\n{dot}",
            p.at
        );
    }
    for (from, to) in &p.edges {
        for end in [from, to] {
            assert!(
                p.declared.contains(end),
                "edge {from} -> {to} names `{end}`, which no node statement declares"
            );
        }
    }
    p.labels.join("\n")
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let mut line_start = true;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if line_start && c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            if i + 1 >= chars.len() {
                return Err("an unclosed /* comment".into());
            }
            i += 2;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("an unclosed quoted string".into()),
                    Some('"') => break,
                    Some('\\') => {
                        match chars.get(i + 1) {
                            Some('n' | 'l' | 'r') => s.push('\n'),
                            Some('\n') => {}
                            Some(&other) => s.push(other),
                            None => return Err("a quoted string ends in a backslash".into()),
                        }
                        i += 2;
                        continue;
                    }
                    Some(&other) => s.push(other),
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Quoted(s));
        } else if c == '<' {
            let (mut depth, start) = (0usize, i + 1);
            loop {
                match chars.get(i) {
                    None => return Err("an unclosed HTML string".into()),
                    Some('<') => depth += 1,
                    Some('>') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            out.push(Tok::Html(chars[start..i].iter().collect()));
            i += 1;
        } else if c == '-' && matches!(chars.get(i + 1), Some('>' | '-')) {
            out.push(Tok::Punct(if chars[i + 1] == '>' { "->" } else { "--" }));
            i += 2;
        } else if let Some(p) = ["{", "}", "[", "]", "=", ";", ",", ":"]
            .iter()
            .find(|p| p.starts_with(c))
        {
            out.push(Tok::Punct(p));
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || !c.is_ascii() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || chars[i] == '.'
                    || !chars[i].is_ascii())
            {
                i += 1;
            }
            if i == start {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let numeral = word
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.');
            let plain =
                !word.starts_with(|c: char| c.is_ascii_digit()) && !word.contains(['.', '-']);
            if !numeral && !plain {
                return Err(format!("`{word}` is neither an id nor a numeral"));
            }
            out.push(Tok::Word(word));
        } else {
            return Err(format!("unexpected character {c:?}"));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    labels: Vec<String>,
    declared: BTreeSet<String>,
    edges: Vec<(String, String)>,
    op: &'static str,
}

type R<T> = Result<T, String>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(k))
    }
    fn punct(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, p: &str) -> R<()> {
        if self.punct(p) {
            Ok(())
        } else {
            Err(format!("expected `{p}`, found {:?}", self.peek()))
        }
    }
    fn id(&mut self) -> R<Tok> {
        match self.peek().cloned() {
            Some(t @ (Tok::Word(_) | Tok::Quoted(_) | Tok::Html(_))) => {
                self.at += 1;
                Ok(t)
            }
            other => Err(format!("expected an id, found {other:?}")),
        }
    }

    /// `graph : [strict] (graph | digraph) [ID] '{' stmt_list '}'`
    fn graph(&mut self) -> R<()> {
        if self.keyword("strict") {
            self.at += 1;
        }
        if self.keyword("digraph") {
            self.op = "->";
        } else if self.keyword("graph") {
            self.op = "--";
        } else {
            return Err("expected `graph` or `digraph`".into());
        }
        self.at += 1;
        if !matches!(self.peek(), Some(Tok::Punct("{"))) {
            self.id()?;
        }
        self.block()?;
        match self.peek() {
            None => Ok(()),
            Some(t) => Err(format!("text after the graph: {t:?}")),
        }
    }

    /// `'{' stmt_list '}'`
    fn block(&mut self) -> R<()> {
        self.expect("{")?;
        while !self.punct("}") {
            if self.peek().is_none() {
                return Err("the input ends inside `{ … }`".into());
            }
            self.stmt()?;
            self.punct(";");
        }
        Ok(())
    }

    fn stmt(&mut self) -> R<()> {
        if self.keyword("graph") || self.keyword("node") || self.keyword("edge") {
            self.at += 1;
            return self.attr_lists(true);
        }
        let first = self.vertex()?;
        if first.is_none() && matches!(self.peek(), Some(Tok::Punct("="))) {
            return Err("`=` after a subgraph".into());
        }
        if let Some(name) = &first
            && self.punct("=")
        {
            let value = self.id()?;
            if name == "label" {
                self.label(&value);
            }
            return Ok(());
        }
        let mut prev = first.clone();
        let mut is_edge = false;
        while let Some(Tok::Punct(op)) = self.peek().cloned() {
            if op != "->" && op != "--" {
                break;
            }
            if op != self.op {
                return Err(format!("`{op}` in a graph whose edges are `{}`", self.op));
            }
            self.at += 1;
            is_edge = true;
            let next = self.vertex()?;
            if let (Some(a), Some(b)) = (&prev, &next) {
                self.edges.push((a.clone(), b.clone()));
            }
            prev = next;
        }
        if !is_edge && let Some(name) = first {
            self.declared.insert(name);
        }
        self.attr_lists(false)
    }

    /// A node id (with an optional port) or a subgraph; `None` for a subgraph.
    fn vertex(&mut self) -> R<Option<String>> {
        if self.keyword("subgraph") || matches!(self.peek(), Some(Tok::Punct("{"))) {
            if self.keyword("subgraph") {
                self.at += 1;
                if !matches!(self.peek(), Some(Tok::Punct("{"))) {
                    self.id()?;
                }
            }
            self.block()?;
            return Ok(None);
        }
        let name = match self.id()? {
            Tok::Word(w) | Tok::Quoted(w) | Tok::Html(w) => w,
            Tok::Punct(_) => unreachable!("id() returns ids"),
        };
        if self.punct(":") {
            self.id()?;
            if self.punct(":") {
                self.id()?;
            }
        }
        Ok(Some(name))
    }

    /// `attr_list : '[' [a_list] ']' [attr_list]`
    fn attr_lists(&mut self, required: bool) -> R<()> {
        if required && !matches!(self.peek(), Some(Tok::Punct("["))) {
            return Err("expected `[` after `graph`, `node` or `edge`".into());
        }
        while self.punct("[") {
            while !self.punct("]") {
                let key = self.id()?;
                self.expect("=")?;
                let value = self.id()?;
                if key == Tok::Word("label".into()) {
                    self.label(&value);
                }
                if !self.punct(",") {
                    self.punct(";");
                }
            }
        }
        Ok(())
    }

    fn label(&mut self, value: &Tok) {
        match value {
            Tok::Html(h) => self.labels.extend(html_lines(h)),
            Tok::Word(w) | Tok::Quoted(w) => self.labels.extend(
                w.split('\n')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty()),
            ),
            Tok::Punct(_) => {}
        }
    }
}

/// The lines of an HTML-like label, which must be well-formed markup.
#[track_caller]
fn html_lines(html: &str) -> Vec<String> {
    let wrapped = format!("<label>{html}</label>");
    let doc = roxmltree::Document::parse(&wrapped)
        .unwrap_or_else(|e| panic!("an HTML label is not well-formed ({e}): <{html}>"));
    let mut lines = vec![String::new()];
    for node in doc.descendants() {
        if node.is_text() {
            lines
                .last_mut()
                .unwrap()
                .push_str(node.text().unwrap_or(""));
        } else if node.has_tag_name("BR") {
            lines.push(String::new());
        }
    }
    lines
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}
