//! Tab completion, aware of where the cursor is: the query language's own
//! lexer says whether a word is a label, a relation type or a property
//! key; the words before it say whether an entity is expected.
//!
//! Everything here is a pure function of the text, the cursor and a
//! `Vocabulary` drawn from the graph, so it is tested without a terminal.

use std::collections::{BTreeMap, BTreeSet};

use rustyline::completion::Pair;

use crate::meta::table::{self as commands, Arg};
use crate::model::{Graph, Value, names};
use crate::query::lexer::{self, KEYWORDS, Token, TokenKind};
use crate::render::Format;

/// What completion can offer: drawn from the graph once per load.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub labels: Vec<String>,
    pub rel_types: Vec<String>,
    pub node_keys: Vec<String>,
    pub rel_keys: Vec<String>,
    /// Property keys of the nodes that have each label (by the label's
    /// lookup key: lower case), for `p.` after `(p:Person)`.
    pub keys_by_label: BTreeMap<String, Vec<String>>,
    /// Property keys of the relations of each type (lower case).
    pub keys_by_type: BTreeMap<String, Vec<String>>,
    pub entities: Vec<Entity>,
    /// Names of the query parameters set, without `$`.
    pub params: Vec<String>,
}

/// The spellings of one node.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub kind: Option<String>,
}

impl Vocabulary {
    pub fn of(graph: &Graph) -> Vocabulary {
        let mut labels: BTreeSet<String> = graph.labels().into_iter().map(String::from).collect();
        let mut rel_types = BTreeSet::new();
        if let Some(schema) = &graph.schema {
            labels.extend(schema.kinds.keys().cloned());
            rel_types.extend(schema.relations.keys().cloned());
        }
        let mut node_keys = BTreeSet::new();
        let mut by_label: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut entities = Vec::new();
        for ix in graph.nodes() {
            let n = graph.node(ix);
            node_keys.extend(n.props.keys().cloned());
            for l in &n.labels {
                by_label
                    .entry(l.to_lowercase())
                    .or_default()
                    .extend(n.props.keys().cloned());
            }
            let aliases = match n.props.get("aliases") {
                Some(Value::List(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect(),
                _ => Vec::new(),
            };
            entities.push(Entity {
                id: n.id.clone(),
                name: n.name().map(String::from),
                aliases,
                kind: n.kind().map(String::from),
            });
        }
        let mut rel_keys = BTreeSet::new();
        let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for ix in graph.rels() {
            let r = graph.rel(ix);
            rel_types.insert(r.rel_type.to_string());
            rel_keys.extend(r.props.keys().cloned());
            by_type
                .entry(r.rel_type.to_lowercase())
                .or_default()
                .extend(r.props.keys().cloned());
        }
        let listed = |m: BTreeMap<String, BTreeSet<String>>| {
            m.into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect()
        };
        Vocabulary {
            labels: labels.into_iter().collect(),
            rel_types: rel_types.into_iter().collect(),
            node_keys: node_keys.into_iter().collect(),
            rel_keys: rel_keys.into_iter().collect(),
            keys_by_label: listed(by_label),
            keys_by_type: listed(by_type),
            entities,
            params: Vec::new(),
        }
    }
}

/// What to complete at the cursor.
pub enum Completion {
    /// Replace the text from `start` to the cursor with one of these.
    Words { start: usize, candidates: Vec<Pair> },
    /// A file path: rustyline's file-name completer does it.
    Path,
}

impl Completion {
    fn none(pos: usize) -> Completion {
        Completion::Words {
            start: pos,
            candidates: Vec::new(),
        }
    }
}

/// Completes the line buffer `line` at byte `pos`.
pub fn complete(vocab: &Vocabulary, line: &str, pos: usize) -> Completion {
    let before = &line[..pos];
    if before.trim_start().starts_with(':') {
        return meta(vocab, before);
    }
    statement(vocab, line, pos)
}

fn pair(display: impl Into<String>, replacement: impl Into<String>) -> Pair {
    Pair {
        display: display.into(),
        replacement: replacement.into(),
    }
}

/// Candidates among `words` that start with `prefix`, ignoring case.
fn matching<'a>(words: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<Pair> {
    let lower = prefix.to_lowercase();
    let mut out: Vec<Pair> = words
        .into_iter()
        .filter(|w| w.to_lowercase().starts_with(&lower))
        .map(|w| pair(w, w))
        .collect();
    out.dedup_by(|a, b| a.replacement == b.replacement);
    out
}

/// Meta commands, then their arguments.
fn meta(vocab: &Vocabulary, before: &str) -> Completion {
    let colon = before.find(':').unwrap_or(0);
    let rest = &before[colon + 1..];
    let Some(space) = rest.find(char::is_whitespace) else {
        // The command name itself.
        let mut names: Vec<&str> = commands::COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let candidates = matching(names, rest)
            .into_iter()
            .map(|p| pair(format!(":{}", p.display), format!(":{}", p.replacement)))
            .collect();
        return Completion::Words {
            start: colon,
            candidates,
        };
    };
    let Some(command) = commands::find(&rest[..space]) else {
        return Completion::none(before.len());
    };
    let args = &rest[space..];
    // The word being typed and how many came before it.
    let word_start = args.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &args[word_start..];
    let start = before.len() - word.len();
    let index = args[..word_start].split_whitespace().count();
    let words = |list: Vec<&str>| Completion::Words {
        start,
        candidates: matching(list, word),
    };
    match (command.arg, index) {
        (Arg::Topic, 0) => {
            let mut topics: Vec<&str> = commands::COMMANDS.iter().map(|c| c.name).collect();
            topics.extend(commands::TOPICS.iter().map(|(n, ..)| *n));
            topics.extend(commands::STATEMENTS.iter().map(|(n, ..)| *n));
            topics.sort_unstable();
            words(topics)
        }
        (Arg::Format, 0) => words(
            [Format::Table, Format::Json, Format::Csv, Format::Markdown]
                .iter()
                .map(|f| f.name())
                .collect(),
        ),
        (Arg::Export, 0) => {
            if word.contains(['/', '.']) {
                Completion::Path
            } else {
                words(
                    crate::export::Format::ALL
                        .iter()
                        .map(|f| f.name())
                        .collect(),
                )
            }
        }
        (Arg::Export, 1) | (Arg::File, 0) => Completion::Path,
        (Arg::OnOff, 0) => words(vec!["on", "off"]),
        (Arg::OnOffAuto, 0) => words(vec!["on", "off", "auto"]),
        (Arg::Rows, 0) => words(vec!["all"]),
        (Arg::Param, 0) => words(vocab.params.iter().map(String::as_str).collect()),
        _ => Completion::none(before.len()),
    }
}

/// Where the cursor sits in a statement.
struct Site<'t> {
    /// The word under construction, maybe empty.
    partial: &'t str,
    start: usize,
    /// What the lexer makes of a word at this place.
    kind: TokenKind,
    /// The significant tokens of the statement before the partial word,
    /// with their text.
    before: Vec<(Token, String)>,
}

fn statement(vocab: &Vocabulary, line: &str, pos: usize) -> Completion {
    let before = &line[..pos];
    let tokens = lexer::tokens(before);
    let last = tokens.last().filter(|t| t.span.end == pos);
    if let Some(t) = last {
        let text = &before[t.span.range()];
        match t.kind {
            TokenKind::String => {
                let quote = text.chars().next().unwrap_or('\'');
                if !string_is_open(text) {
                    return Completion::none(pos);
                }
                let close = !line[pos..].starts_with(quote);
                return Completion::Words {
                    start: t.span.start + 1,
                    candidates: entities(vocab, &text[1..], Some((quote, close))),
                };
            }
            TokenKind::Comment | TokenKind::Number => return Completion::none(pos),
            TokenKind::Parameter => {
                let mut candidates = matching(vocab.params.iter().map(String::as_str), &text[1..]);
                for c in &mut candidates {
                    c.display.insert(0, '$');
                    c.replacement.insert(0, '$');
                }
                return Completion::Words {
                    start: t.span.start,
                    candidates,
                };
            }
            _ => {}
        }
    }
    let site = match last {
        Some(t) if is_word(t.kind) && before[t.span.range()].starts_with(lexer::is_ident_start) => {
            Site {
                partial: &before[t.span.range()],
                start: t.span.start,
                kind: t.kind,
                before: significant(before, &tokens[..tokens.len() - 1]),
            }
        }
        Some(_) if !before.ends_with(char::is_whitespace) && !ends_with_punct(before) => {
            return Completion::none(pos);
        }
        _ => {
            // Nothing typed yet: ask the lexer what a word here would be.
            let probe = format!("{before}x");
            let probe_tokens = lexer::tokens(&probe);
            let kind = probe_tokens.last().map_or(TokenKind::Variable, |t| t.kind);
            Site {
                partial: "",
                start: pos,
                kind,
                before: significant(before, &tokens),
            }
        }
    };
    Completion::Words {
        start: site.start,
        candidates: words_at(vocab, &site),
    }
}

fn is_word(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Keyword
            | TokenKind::Function
            | TokenKind::Label
            | TokenKind::RelType
            | TokenKind::Property
            | TokenKind::Variable
    )
}

fn ends_with_punct(text: &str) -> bool {
    text.ends_with([
        '(', '[', '{', ',', ':', '.', '|', '=', '<', '>', '-', '+', '*',
    ])
}

/// The tokens of the current statement (after the last `;`), without
/// comments, with their text.
fn significant(text: &str, tokens: &[Token]) -> Vec<(Token, String)> {
    let start = tokens
        .iter()
        .rposition(|t| t.kind == TokenKind::Punct && &text[t.span.range()] == ";")
        .map_or(0, |i| i + 1);
    tokens[start..]
        .iter()
        .filter(|t| t.kind != TokenKind::Comment)
        .map(|t| (*t, text[t.span.range()].to_string()))
        .collect()
}

/// Whether a string token still waits for its closing quote.
fn string_is_open(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(quote) = chars.next() else {
        return false;
    };
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return false;
        }
    }
    true
}

const ANALYST: &[&str] = &["DESCRIBE", "NEIGHBORS", "PATH", "TIMELINE", "EVIDENCE"];

fn words_at(vocab: &Vocabulary, site: &Site) -> Vec<Pair> {
    let prev = site.before.last().map(|(_, s)| s.as_str()).unwrap_or("");
    let first = site
        .before
        .first()
        .map(|(_, s)| s.to_ascii_uppercase())
        .unwrap_or_default();
    let analyst = ANALYST.contains(&first.as_str());
    // After `CALL` (and the dotted part of a name typed so far): the
    // procedures, the part after the dots completed.
    let mut dotted = String::new();
    let mut k = site.before.len();
    while k >= 2 && site.before[k - 1].1 == "." {
        dotted = format!("{}.{dotted}", site.before[k - 2].1);
        k -= 2;
    }
    if k >= 1 && site.before[k - 1].1.eq_ignore_ascii_case("CALL") {
        let mut names = crate::query::procedures::names(&[]);
        names.sort();
        let lower = format!("{dotted}{}", site.partial).to_lowercase();
        return names
            .iter()
            .filter(|n| n.to_lowercase().starts_with(&lower))
            .map(|n| pair(n.as_str(), &n[dotted.len()..]))
            .collect();
    }
    match site.kind {
        TokenKind::Label => return matching(vocab.labels.iter().map(String::as_str), site.partial),
        TokenKind::RelType => {
            return matching(vocab.rel_types.iter().map(String::as_str), site.partial);
        }
        TokenKind::Property => return properties(vocab, site),
        _ => {}
    }
    if analyst {
        let prev_upper = prev.to_ascii_uppercase();
        let entity_here = site.before.len() == 1
            || (prev_upper == "TO" && matches!(first.as_str(), "PATH" | "EVIDENCE"))
            || (prev_upper == "BY" && first == "EVIDENCE");
        if entity_here {
            return entities(vocab, site.partial, None);
        }
        let via = site
            .before
            .iter()
            .any(|(_, s)| s.eq_ignore_ascii_case("VIA"));
        if prev_upper == "VIA" || (via && prev == ",") {
            return matching(vocab.rel_types.iter().map(String::as_str), site.partial);
        }
        if matches!(prev_upper.as_str(), "DEPTH" | "FROM") || (prev_upper == "TO") {
            return Vec::new();
        }
        let words: &[&str] = match first.as_str() {
            "NEIGHBORS" => &["DEPTH", "VIA"],
            "PATH" => &["TO", "VIA"],
            "TIMELINE" => &["FROM", "TO"],
            "EVIDENCE" => &["TO", "BY", "IN"],
            _ => &[],
        };
        return keywords(words.iter().copied(), site.partial);
    }
    if innermost_bracket(&site.before) == Some("{") && matches!(prev, "{" | ",") {
        let keys = vocab.node_keys.iter().chain(&vocab.rel_keys);
        let mut keys: Vec<&str> = keys.map(String::as_str).collect();
        keys.sort_unstable();
        return matching(keys, site.partial);
    }
    // Anywhere else: the statement's variables, keywords, functions.
    let mut out = Vec::new();
    let mut variables: Vec<&str> = site
        .before
        .iter()
        .filter(|(t, _)| t.kind == TokenKind::Variable)
        .map(|(_, s)| s.as_str())
        .collect();
    variables.sort_unstable();
    variables.dedup();
    out.extend(matching(variables, site.partial));
    out.extend(keywords(KEYWORDS.iter().copied(), site.partial));
    // The function registry (temporal functions and all) and the words
    // the lexer knows as functions besides (`shortestPath`...), sorted.
    let mut functions: Vec<&str> = lexer::function_names().collect();
    functions.sort_unstable_by_key(|f| f.to_lowercase());
    functions.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    out.extend(matching(functions, site.partial));
    out.dedup_by(|a, b| a.replacement == b.replacement);
    out
}

/// Keywords in the case the user types them in: `ma` → `match`,
/// `Ma` or nothing → `MATCH`.
fn keywords<'a>(words: impl Iterator<Item = &'a str>, partial: &str) -> Vec<Pair> {
    let lower = !partial.is_empty() && !partial.chars().any(char::is_uppercase);
    matching(words, partial)
        .into_iter()
        .map(|p| {
            if lower {
                pair(p.display.to_lowercase(), p.replacement.to_lowercase())
            } else {
                p
            }
        })
        .collect()
}

/// The innermost bracket still open among `tokens`.
fn innermost_bracket(tokens: &[(Token, String)]) -> Option<&str> {
    let mut stack = Vec::new();
    for (t, s) in tokens {
        if t.kind != TokenKind::Punct {
            continue;
        }
        match s.as_str() {
            "(" | "[" | "{" => stack.push(s.as_str()),
            ")" | "]" | "}" => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.last().copied()
}

/// Property keys after `v.`: a node's keys when `v` is bound in a node
/// pattern, a relation's when in a relationship pattern, else both; when
/// the pattern names labels (`(p:Person)`) or relation types
/// (`[r:met_with|visited]`), only the keys that nodes with those labels or
/// relations of those types have (as Kuzu's shell does).
fn properties(vocab: &Vocabulary, site: &Site) -> Vec<Pair> {
    let n = site.before.len();
    let var = (n >= 2 && site.before[n - 1].1 == ".").then(|| site.before[n - 2].1.as_str());
    let mut is_node = false;
    let mut is_rel = false;
    let mut labels: Vec<String> = Vec::new();
    let mut types: Vec<String> = Vec::new();
    if let Some(var) = var {
        for (i, w) in site.before.windows(2).enumerate() {
            if w[1].0.kind == TokenKind::Variable && w[1].1 == var {
                let named = site.before[i + 2..]
                    .iter()
                    .take_while(|(t, text)| {
                        matches!(t.kind, TokenKind::Label | TokenKind::RelType)
                            || text == ":"
                            || text == "|"
                    })
                    .filter(|(t, _)| matches!(t.kind, TokenKind::Label | TokenKind::RelType))
                    .map(|(_, text)| text.to_lowercase());
                match w[0].1.as_str() {
                    "(" => {
                        is_node = true;
                        labels.extend(named);
                    }
                    "[" => {
                        is_rel = true;
                        types.extend(named);
                    }
                    _ => {}
                }
            }
        }
    }
    let by_name =
        |map: &'_ BTreeMap<String, Vec<String>>, names: &[String]| -> Option<Vec<String>> {
            let found: Vec<&Vec<String>> = names.iter().filter_map(|n| map.get(n)).collect();
            (!found.is_empty()).then(|| found.into_iter().flatten().cloned().collect())
        };
    let node_keys = by_name(&vocab.keys_by_label, &labels);
    let rel_keys = by_name(&vocab.keys_by_type, &types);
    let mut keys: Vec<&str> = Vec::new();
    if is_node || !is_rel {
        match &node_keys {
            Some(k) => keys.extend(k.iter().map(String::as_str)),
            None => keys.extend(vocab.node_keys.iter().map(String::as_str)),
        }
    }
    if is_rel || !is_node {
        match &rel_keys {
            Some(k) => keys.extend(k.iter().map(String::as_str)),
            None => keys.extend(vocab.rel_keys.iter().map(String::as_str)),
        }
    }
    keys.sort_unstable();
    keys.dedup();
    matching(keys, site.partial)
}

/// Entities whose id, name or an alias starts with `partial` (compared by
/// their lookup keys: case, accents and hyphens do not matter). Inside a
/// string (`quote`: the quote and whether to close it) the spelling that
/// matches is written as typed: the name first; bare (after `DESCRIBE`),
/// the ids that start with what was typed, else names, quoted when they
/// are not one word (mixing the two would leave no common prefix to
/// complete).
fn entities(vocab: &Vocabulary, partial: &str, quote: Option<(char, bool)>) -> Vec<Pair> {
    if quote.is_none() && !partial.is_empty() {
        let lower = partial.to_lowercase();
        let mut ids: Vec<Pair> = vocab
            .entities
            .iter()
            .filter(|e| e.id.to_lowercase().starts_with(&lower))
            .map(|e| {
                let name = e.name.as_deref().unwrap_or(&e.id);
                let kind = e
                    .kind
                    .as_deref()
                    .map(|k| format!(" ({k})"))
                    .unwrap_or_default();
                pair(format!("{} = {name}{kind}", e.id), e.id.clone())
            })
            .collect();
        if !ids.is_empty() {
            ids.sort_by(|a, b| a.replacement.cmp(&b.replacement));
            return ids;
        }
    }
    let mut key = names::normalize(partial);
    if !key.is_empty() && partial.ends_with(|c: char| !c.is_alphanumeric()) {
        key.push(' ');
    }
    let mut out: Vec<Pair> = Vec::new();
    for e in &vocab.entities {
        let names: Vec<&str> = e
            .name
            .iter()
            .chain(&e.aliases)
            .map(String::as_str)
            .collect();
        let by_key = |s: &str| key.is_empty() || names::normalize(s).starts_with(&key);
        let as_typed = |s: &str| !partial.is_empty() && s.starts_with(partial);
        let id = Some(e.id.as_str()).filter(|s| by_key(s));
        // A name or alias spelled as typed, else one that matches by key;
        // bare, the id comes first.
        let named = names
            .iter()
            .find(|s| as_typed(s))
            .or_else(|| names.iter().find(|s| by_key(s)))
            .copied();
        let chosen = if quote.is_some() {
            named.or(id)
        } else {
            id.or(named)
        };
        let Some(spelling) = chosen else {
            continue;
        };
        let replacement = match quote {
            Some((q, close)) => {
                let mut r = escape(spelling, q);
                if close {
                    r.push(q);
                }
                r
            }
            None if is_bare(spelling) => spelling.to_string(),
            None => format!("'{}'", escape(spelling, '\'')),
        };
        let name = e.name.as_deref().unwrap_or(&e.id);
        let kind = e
            .kind
            .as_deref()
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        let display = if spelling == name {
            format!("{spelling}{kind}")
        } else {
            format!("{spelling} = {name}{kind}")
        };
        out.push(pair(display, replacement));
    }
    out.sort_by(|a, b| {
        a.replacement
            .to_lowercase()
            .cmp(&b.replacement.to_lowercase())
            .then_with(|| a.replacement.cmp(&b.replacement))
    });
    out.dedup_by(|a, b| a.replacement == b.replacement);
    out
}

/// Whether an entity reference can be written without quotes.
fn is_bare(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn escape(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\\' || c == quote {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let entity = |id: &str, name: &str, aliases: &[&str], kind: &str| Entity {
            id: id.into(),
            name: Some(name.into()),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            kind: Some(kind.into()),
        };
        Vocabulary {
            labels: vec!["Country".into(), "Person".into(), "Place".into()],
            rel_types: vec!["met_with".into(), "visited".into()],
            node_keys: vec!["aliases".into(), "id".into(), "name".into()],
            rel_keys: vec!["date".into(), "hedge".into()],
            keys_by_label: BTreeMap::from([
                ("person".into(), vec!["id".into(), "name".into()]),
                ("country".into(), vec!["aliases".into(), "id".into()]),
            ]),
            keys_by_type: BTreeMap::from([("met_with".into(), vec!["date".into()])]),
            entities: vec![
                entity(
                    "putin",
                    "Vladimir Putin",
                    &["Vladímir Putin", "Putin"],
                    "Person",
                ),
                entity("kim_jong_un", "Kim Jong Un", &["Kim Jong-un"], "Person"),
                entity("moscow", "Moscow", &["Moscú"], "City"),
                entity("dprk", "North Korea", &["Korea's North"], "Country"),
                entity("kim_letter", "Kim Jong Un's letter", &[], "Letter"),
                entity("vladivostok", "Vladivostok", &[], "City"),
            ],
            params: vec!["who".into()],
        }
    }

    /// Completes at `‸` in `text`; returns the start and the replacements.
    #[track_caller]
    fn check(text: &str) -> (usize, Vec<String>) {
        let pos = text.find('‸').expect("a cursor");
        let line = text.replacen('‸', "", 1);
        match complete(&vocab(), &line, pos) {
            Completion::Words { start, candidates } => (
                start,
                candidates.into_iter().map(|c| c.replacement).collect(),
            ),
            Completion::Path => (usize::MAX, vec!["<path>".into()]),
        }
    }

    fn replacements(text: &str) -> Vec<String> {
        check(text).1
    }

    #[test]
    fn labels_relation_types_and_properties() {
        assert_eq!(replacements("MATCH (p:Pe‸"), ["Person"]);
        assert_eq!(replacements("MATCH (p:‸"), ["Country", "Person", "Place"]);
        assert_eq!(replacements("MATCH (:p‸"), ["Person", "Place"]);
        assert_eq!(replacements("MATCH (a)-[r:m‸"), ["met_with"]);
        assert_eq!(replacements("MATCH (a)-[:‸"), ["met_with", "visited"]);
        assert_eq!(replacements("MATCH (a)-[:met_with|v‸"), ["visited"]);
        assert_eq!(
            replacements("MATCH (a)-[r]-(b) RETURN a.‸"),
            ["aliases", "id", "name"]
        );
        assert_eq!(
            replacements("MATCH (a)-[r]-(b) RETURN r.‸"),
            ["date", "hedge"]
        );
        assert_eq!(replacements("RETURN x.na‸"), ["name"]);
        assert_eq!(replacements("MATCH (a {na‸"), ["name"]);
    }

    #[test]
    fn property_keys_follow_the_labels_and_types_of_the_pattern() {
        assert_eq!(
            replacements("MATCH (p:Person)-[r]-(c) RETURN p.‸"),
            ["id", "name"]
        );
        assert_eq!(
            replacements("MATCH (c:country) RETURN c.‸"),
            ["aliases", "id"]
        );
        assert_eq!(
            replacements("MATCH (p:Person:Country) RETURN p.‸"),
            ["aliases", "id", "name"]
        );
        assert_eq!(
            replacements("MATCH ()-[r:MET_WITH]-() RETURN r.‸"),
            ["date"]
        );
        // A label nothing has, or none: every key.
        assert_eq!(
            replacements("MATCH (p:Nobody) RETURN p.‸"),
            ["aliases", "id", "name"]
        );
        assert_eq!(
            replacements("MATCH (p) RETURN p.‸"),
            ["aliases", "id", "name"]
        );
    }

    #[test]
    fn keywords_functions_and_variables() {
        assert_eq!(replacements("MAT‸"), ["MATCH"]);
        assert_eq!(replacements("mat‸"), ["match"]);
        assert_eq!(replacements("MATCH (person) RETURN pers‸"), ["person"]);
        assert!(replacements("MATCH (n) RETURN co‸").contains(&"count".to_string()));
        assert!(replacements("MATCH (n) RETURN to‸").contains(&"toLower".to_string()));
        // From the registry: the temporal functions.
        assert!(replacements("RETURN local‸").contains(&"localdatetime".to_string()));
        assert!(replacements("RETURN dur‸").contains(&"duration.between".to_string()));
        assert_eq!(replacements("CALL db.l‸"), ["labels"]);
        assert_eq!(
            replacements("CALL eje.‸"),
            ["schema.kinds", "schema.relationTypes", "schema.units"]
        );
        assert!(replacements("CALL d‸").contains(&"dbms.functions".to_string()));
        assert_eq!(
            replacements("MATCH (n) RETURN n // a comment‸"),
            Vec::<String>::new()
        );
        assert_eq!(replacements("RETURN 12‸"), Vec::<String>::new());
        assert_eq!(replacements("RETURN $w‸"), ["$who"]);
    }

    #[test]
    fn entities_inside_quotes() {
        let (start, got) = check("MATCH (p \"vla‸");
        assert_eq!(start, "MATCH (p \"".len());
        assert_eq!(got, ["Vladimir Putin\"", "Vladivostok\""]);
        // Accents and hyphens do not matter; what was typed decides the spelling.
        assert_eq!(
            replacements("MATCH (p 'Vladí‸"),
            ["Vladivostok'", "Vladímir Putin'"]
        );
        assert_eq!(
            replacements("MATCH (p 'kim jong-‸"),
            ["Kim Jong Un'", "Kim Jong Un\\'s letter'"]
        );
        assert_eq!(replacements("MATCH (p 'Mosc‸"), ["Moscow'"]);
        assert_eq!(replacements("MATCH (p 'Moscú‸"), ["Moscú'"]);
        // The closing quote is not doubled, and quotes inside are escaped.
        assert_eq!(replacements("MATCH (p 'vladim‸')"), ["Vladimir Putin"]);
        assert_eq!(replacements("MATCH (p \"Korea's‸"), ["Korea's North\""]);
        assert_eq!(replacements("MATCH (p 'Korea‸"), ["Korea\\'s North'"]);
        // A closed string is not completed.
        assert_eq!(replacements("MATCH (p 'vla'‸"), Vec::<String>::new());
    }

    #[test]
    fn entities_after_analyst_statements() {
        assert_eq!(replacements("DESCRIBE pu‸"), ["putin"]);
        // Ids alone when some id starts with the text, so that they share
        // a prefix to complete.
        assert_eq!(replacements("DESCRIBE kim_jong_u‸"), ["kim_jong_un"]);
        assert_eq!(replacements("DESCRIBE k‸"), ["kim_jong_un", "kim_letter"]);
        assert_eq!(replacements("describe kim_j‸"), ["kim_jong_un"]);
        assert_eq!(replacements("DESCRIBE vla‸"), ["vladivostok"]);
        assert_eq!(replacements("DESCRIBE vladim‸"), ["'Vladimir Putin'"]);
        assert_eq!(replacements("PATH putin TO mo‸"), ["moscow"]);
        assert_eq!(replacements("EVIDENCE putin TO nor‸"), ["'North Korea'"]);
        assert_eq!(replacements("NEIGHBORS putin VIA me‸"), ["met_with"]);
        assert_eq!(
            replacements("NEIGHBORS putin VIA met_with, ‸"),
            ["met_with", "visited"]
        );
        assert_eq!(replacements("NEIGHBORS putin D‸"), ["DEPTH"]);
        assert_eq!(
            replacements("TIMELINE putin FROM 2024 TO ‸"),
            Vec::<String>::new()
        );
        assert_eq!(replacements("RETURN 1; DESCRIBE pu‸"), ["putin"]);
        assert_eq!(replacements("DESCRIBE ‸").len(), 6);
    }

    #[test]
    fn meta_commands_and_their_arguments() {
        assert_eq!(replacements(":sc‸"), [":schema"]);
        assert_eq!(
            replacements(":s‸"),
            [":schema", ":search", ":show", ":source", ":stats"]
        );
        assert_eq!(check(":format j‸"), (":format ".len(), vec!["json".into()]));
        assert_eq!(replacements(":export g‸"), ["graphml"]);
        assert_eq!(replacements(":export dot ‸"), ["<path>"]);
        assert_eq!(replacements(":source ‸"), ["<path>"]);
        assert_eq!(replacements(":help ex‸"), ["export"]);
        assert_eq!(replacements(":help DESC‸"), ["DESCRIBE"]);
        assert_eq!(replacements(":help an‸"), ["analyst"]);
        assert_eq!(replacements(":timing o‸"), ["on", "off"]);
        assert_eq!(replacements(":param w‸"), ["who"]);
        assert_eq!(replacements(":nothing ‸"), Vec::<String>::new());
    }
}
