//! Diagnostics: what went wrong, where (file, byte span), and how to fix it.
//!
//! Every stage reports problems as `Diagnostic` values; only `render` turns
//! them into text (with ariadne), and the caller decides on colour.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Information that is neither (a link that leaves the data folder):
    /// printed as `note:`, never failing `--deny-warnings`.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The rule that raised it (`unknown-entity`, `ron-syntax`...), stable so
    /// tests and users can refer to it.
    pub code: &'static str,
    pub message: String,
    /// The file it points into, as shown to the user; `None` for problems
    /// with no file (an unreadable directory).
    pub file: Option<String>,
    /// Byte span in that file.
    pub span: Range<usize>,
    /// Text under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Further lines of text.
    pub notes: Vec<String>,
    /// Other places the diagnostic speaks of (where an id was first
    /// declared), shown as secondary labels; line and column are computed
    /// only when rendered.
    pub related: Vec<Related>,
}

/// A secondary place of a diagnostic: a byte span with a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The file it points into; `None` for the diagnostic's own file.
    pub file: Option<String>,
    /// Byte span in that file.
    pub span: Range<usize>,
    pub label: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            span: 0..0,
            label: None,
            help: None,
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn notice(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    pub fn at(mut self, file: impl Into<String>, span: Range<usize>) -> Self {
        self.file = Some(file.into());
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// In-place forms of `label` and `note`, for diagnostics already pushed.
    pub fn set_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    pub fn add_note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    /// Adds a secondary place in `file` (`None`: this diagnostic's file).
    pub fn related(
        mut self,
        file: Option<String>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.add_related(file, span, label);
        self
    }

    pub fn add_related(
        &mut self,
        file: Option<String>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            file,
            span,
            label: label.into(),
        });
        self
    }

    /// The file a related place points into.
    pub fn related_file<'d>(&'d self, r: &'d Related) -> Option<&'d str> {
        r.file.as_deref().or(self.file.as_deref())
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file a diagnostic may point into, by display name.
pub type SourceMap = BTreeMap<String, String>;

/// 1-based line and column (in characters) of a byte offset, counted by
/// the one line index of D11 (`crate::lines`).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

pub use crate::lines::LineIndex;
use crate::lines::floor_char_boundary;

/// `text` with every control character but tab and line feed written
/// visibly (`\u{1b}`), and the characters that some programs take as line
/// breaks (U+2028, U+2029, U+0085) as well: terminal escapes in a data
/// file cannot reach the terminal through a diagnostic.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// At most this many characters of a message, label, help or note are
/// shown (a 300,000-character id is not echoed whole).
const MAX_TEXT: usize = 500;

/// `visible` text, clipped to `MAX_TEXT` characters.
fn shown_text(text: &str) -> String {
    let v = visible(text);
    if v.chars().nth(MAX_TEXT).is_none() {
        return v.into_owned();
    }
    let head: String = v.chars().take(MAX_TEXT - 40).collect();
    let tail: String = {
        let rev: Vec<char> = v.chars().rev().take(20).collect();
        rev.into_iter().rev().collect()
    };
    let cut = v.chars().count() - (MAX_TEXT - 40) - 20;
    format!("{head}… ({cut} characters not shown) …{tail}")
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{2028}' || c == '\u{2029}'
}

fn push_visible(out: &mut String, c: char) {
    if needs_escape(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `file:line:column` of a diagnostic, when it has a file.
pub fn location(d: &Diagnostic, sources: &SourceMap) -> Option<String> {
    let file = d.file.as_ref()?;
    let (line, col) = sources
        .get(file)
        .map_or((1, 1), |t| line_col(t, d.span.start));
    Some(format!("{file}:{line}:{col}"))
}

/// Sorts by file, then position, then message, errors before warnings at
/// the same place, and drops exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.file, a.span.start, a.severity, &a.message).cmp(&(
            &b.file,
            b.span.start,
            b.severity,
            &b.message,
        ))
    });
    diags.dedup();
}

/// The notes among `diags` (a link that leaves the data folder), one
/// `note: …` line each, for front ends that print no warnings (D6).
pub fn render_notes(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .map(|d| format!("note: {}\n", shown_text(&d.message)))
        .collect()
}

/// At most this many diagnostics are rendered; the rest are counted.
pub const MAX_RENDERED: usize = 1000;

/// Lines longer than this (in bytes) are shown clipped around the caret.
const MAX_LINE: usize = 1000;

/// At most this many lines of a span are shown.
const MAX_SPAN_LINES: usize = 12;

/// Renders diagnostics as text: message, `file:line:column`, the source
/// line with a caret, the label, help and notes. Past `MAX_RENDERED`, one
/// line says how many more there are.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = Vec::new();
    // A file's line index is made once, however many diagnostics point into
    // it (thousands of warnings in a large dataset).
    let mut lines: BTreeMap<&str, Shown<'_>> = BTreeMap::new();
    for d in diags.iter().take(MAX_RENDERED) {
        render_one(d, sources, &mut lines, color, &mut out);
    }
    if diags.len() > MAX_RENDERED {
        let rest = &diags[MAX_RENDERED..];
        let errors = rest.iter().filter(|d| d.is_error()).count();
        let warnings = rest.iter().filter(|d| d.is_warning()).count();
        let notes = rest.len() - errors - warnings;
        let mut what = vec![
            format!("{errors} error(s)"),
            format!("{warnings} warning(s)"),
        ];
        if notes > 0 {
            what.push(format!("{notes} note(s)"));
        }
        out.extend(
            format!(
                "… and {} more not shown ({})\n",
                rest.len(),
                what.join(", ")
            )
            .as_bytes(),
        );
    }
    // Messages and source lines come from the data: their control
    // characters are shown, not sent to the terminal.
    visible_keeping_colour(&String::from_utf8_lossy(&out), color)
}

/// `visible`, except that with `color` the colour sequences (`ESC [ ... m`)
/// stay: they can only colour text, never move the cursor.
fn visible_keeping_colour(text: &str, color: bool) -> String {
    if !color {
        return visible(text).into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&visible(&rest[..i]));
        let seq = &rest[i..];
        let params = seq[1..].strip_prefix('[').map(|p| {
            p.len()
                - p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match params {
            Some(n) if seq[2 + n..].starts_with('m') => {
                out.push_str(&seq[..3 + n]);
                rest = &seq[3 + n..];
            }
            _ => {
                out.push_str("\\u{1b}");
                rest = &seq[1..];
            }
        }
    }
    out.push_str(&visible(rest));
    out
}

/// The lines a span covers, as shown: clipped around the span where long,
/// control characters visible. Returns the excerpt, the span inside it and
/// the 0-based number of its first line.
fn excerpt(text: &str, index: &LineIndex, span: Range<usize>) -> (String, Range<usize>, usize) {
    let first = index.line_of(span.start);
    let last = index.line_of(span.end).min(first + MAX_SPAN_LINES - 1);
    let mut out = String::new();
    let mut start = None;
    let mut end = None;
    for line in first..=last {
        if line > first {
            out.push('\n');
        }
        let range = index.line_range(text, line);
        // The part of the line shown: all of it, or a window around the span.
        let (from, to) = if range.len() <= MAX_LINE {
            (range.start, range.end)
        } else {
            let s = span.start.clamp(range.start, range.end);
            let e = span.end.clamp(s, range.end).min(s + MAX_LINE);
            let from = floor_char_boundary(text, s.saturating_sub(MAX_LINE / 3).max(range.start));
            let to = ceil_char_boundary(text, (e + MAX_LINE / 3).min(range.end));
            (from, to)
        };
        if from > range.start {
            out.push('…');
        }
        for (i, c) in text[from..to].char_indices() {
            let at = from + i;
            if start.is_none() && at >= span.start {
                start = Some(out.len());
            }
            if end.is_none() && at >= span.end {
                end = Some(out.len());
            }
            push_visible(&mut out, c);
        }
        if start.is_none() && to >= span.start {
            start = Some(out.len());
        }
        if end.is_none() && to >= span.end {
            end = Some(out.len());
        }
        if to < range.end {
            out.push('…');
        }
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end, first)
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A file as diagnostics show it: plain files straight from their text;
/// files with long lines or control characters through an excerpt per
/// diagnostic (`excerpt`).
enum Shown<'s> {
    Plain(Source<&'s str>),
    Special(LineIndex),
}

impl<'s> Shown<'s> {
    fn new(text: &'s str) -> Self {
        let index = LineIndex::new(text);
        let long = (0..index.line_count()).any(|l| index.line_range(text, l).len() > MAX_LINE);
        if long || text.chars().any(needs_escape) {
            Shown::Special(index)
        } else {
            Shown::Plain(Source::from(text))
        }
    }
}

fn render_one<'s>(
    d: &Diagnostic,
    sources: &'s SourceMap,
    lines: &mut BTreeMap<&'s str, Shown<'s>>,
    color: bool,
    out: &mut Vec<u8>,
) {
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Note => ReportKind::Advice,
    };
    let message = shown_text(&d.message);
    let help = d.help.as_deref().map(shown_text);
    let notes: Vec<_> = d.notes.iter().map(|n| shown_text(n)).collect();
    let (file, text) = match d.file.as_ref().and_then(|f| sources.get_key_value(f)) {
        Some(found) => found,
        None => {
            // No source to show: a plain message.
            let prefix = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let loc = d
                .file
                .as_deref()
                .map(|f| format!("{}: ", visible(f)))
                .unwrap_or_default();
            let head = if d.severity == Severity::Note {
                // One line, as every note for the user (`note: …`).
                format!("{prefix}: {loc}{message}\n")
            } else {
                format!("{prefix}[{}]: {loc}{message}\n", d.code)
            };
            out.extend(head.as_bytes());
            if let Some(h) = &help {
                out.extend(format!("  help: {h}\n").as_bytes());
            }
            for n in &notes {
                out.extend(format!("  note: {n}\n").as_bytes());
            }
            for r in &d.related {
                let n = related_note(d, r, sources);
                out.extend(format!("  note: {n}\n").as_bytes());
            }
            return;
        }
    };
    // Spans may lie outside the text or inside a character.
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let end = floor_char_boundary(text, d.span.end.min(text.len())).max(start);
    let shown = lines
        .entry(file.as_str())
        .or_insert_with(|| Shown::new(text.as_str()));
    let plain = matches!(shown, Shown::Plain(_));
    // The text ariadne sees, the span in it, and where the caret really is.
    let excerpt_text;
    let excerpt_source;
    let (source, span, real) = match shown {
        Shown::Plain(source) => (&*source, start..end, None),
        Shown::Special(index) => {
            let (mut excerpt, span, first_line) = excerpt(text, index, start..end);
            let (line, col) = index.line_col(text, start);
            let shown_col = excerpt[..span.start]
                .rfind('\n')
                .map_or(&excerpt[..span.start], |i| &excerpt[i + 1..span.start])
                .chars()
                .count()
                + 1;
            // ariadne numbers the lines it shows from the top of its text.
            excerpt.insert_str(0, &"\n".repeat(first_line));
            let span = span.start + first_line..span.end + first_line;
            let real = (shown_col != col).then_some((line, col));
            excerpt_text = excerpt;
            excerpt_source = Source::from(excerpt_text.as_str());
            (&excerpt_source, span, real)
        }
    };
    let shown_name = visible(file);
    let name: &str = &shown_name;
    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Byte)
        .with_char_set(CharSet::Unicode)
        .with_compact(false);
    let label_color = if d.is_error() {
        Color::Red
    } else {
        Color::Yellow
    };
    let mut label = Label::new((name, span.clone()));
    label = label.with_message(shown_text(d.label.as_deref().unwrap_or("here")));
    if color {
        label = label.with_color(label_color);
    }
    let mut report = Report::build(kind, (name, span.clone()))
        .with_config(config)
        .with_code(d.code)
        .with_message(&message)
        .with_label(label);
    // Related places in the same file are second labels; the others (and
    // those in a file shown through an excerpt) are notes with their place.
    let mut related_notes = Vec::new();
    for r in &d.related {
        if plain && d.related_file(r) == Some(file.as_str()) {
            let s = floor_char_boundary(text, r.span.start.min(text.len()));
            let e = floor_char_boundary(text, r.span.end.min(text.len())).max(s);
            // ariadne shows labels in one piece only when they come in line
            // order: each is ordered by its distance from the caret's (0).
            let order = i32::try_from(s as i64 - span.start as i64).unwrap_or(if s < span.start {
                i32::MIN
            } else {
                i32::MAX
            });
            let mut l = Label::new((name, s..e))
                .with_message(shown_text(&r.label))
                .with_order(order);
            if color {
                l = l.with_color(Color::Blue);
            }
            report = report.with_label(l);
        } else {
            related_notes.push(shown_text(&related_note(d, r, sources)));
        }
    }
    if let Some(h) = &help {
        report = report.with_help(h);
    }
    for n in notes.iter().chain(&related_notes) {
        report = report.with_note(n);
    }
    // The excerpt's column differs from the file's where the line was
    // clipped or a character written visibly: say where it really is.
    if let Some((line, col)) = real {
        report = report.with_note(format!(
            "at {name}:{line}:{col} (where the caret points in the file)"
        ));
    }
    let _ = report.finish().write((name, source), &mut *out);
}

/// `file:line:column: label` of a related place, the position computed
/// now from the file's text (`file: label` when the text is unknown).
fn related_note(d: &Diagnostic, r: &Related, sources: &SourceMap) -> String {
    match d.related_file(r) {
        Some(file) => match sources.get(file) {
            Some(text) => {
                let (line, col) = line_col(text, r.span.start);
                format!("{file}:{line}:{col}: {}", r.label)
            }
            None => format!("{file}: {}", r.label),
        },
        None => r.label.clone(),
    }
}

/// One diagnostic as a JSON object: severity, rule, message, file, line,
/// column and end (1-based, columns in characters, lines as D11 counts
/// them), label, help, notes and the related places (file, line, column,
/// end and message, positions counted the same way).
/// `lines` caches one line index per file.
pub fn to_json(
    d: &Diagnostic,
    sources: &SourceMap,
    lines: &mut BTreeMap<String, crate::lines::LineIndex>,
) -> serde_json::Value {
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut v = serde_json::json!({
        "severity": severity,
        "rule": d.code,
        "message": d.message,
        "file": d.file,
        "line": null,
        "column": null,
        "end": null,
        "label": d.label,
        "help": d.help,
        "notes": d.notes,
        "related": [],
    });
    let related: Vec<_> = d
        .related
        .iter()
        .map(|r| {
            let file = d.related_file(r);
            let mut v = serde_json::json!({
                "file": file, "line": null, "column": null, "end": null, "message": r.label,
            });
            if let Some((file, text)) = file.and_then(|f| sources.get_key_value(f)) {
                let ix = lines
                    .entry(file.clone())
                    .or_insert_with(|| crate::lines::LineIndex::new(text));
                let (line, column) = ix.line_col(text, r.span.start);
                let (end_line, end_column) = ix.line_col(text, r.span.end.max(r.span.start));
                v["line"] = line.into();
                v["column"] = column.into();
                v["end"] = serde_json::json!({"line": end_line, "column": end_column});
            }
            v
        })
        .collect();
    v["related"] = related.into();
    if let Some((file, text)) = d.file.as_ref().and_then(|f| sources.get_key_value(f)) {
        let ix = lines
            .entry(file.clone())
            .or_insert_with(|| crate::lines::LineIndex::new(text));
        let (line, column) = ix.line_col(text, d.span.start);
        let (end_line, end_column) = ix.line_col(text, d.span.end.max(d.span.start));
        v["line"] = line.into();
        v["column"] = column.into();
        v["end"] = serde_json::json!({"line": end_line, "column": end_column});
    }
    v
}

/// Diagnostics as JSON Lines: one object per diagnostic per line.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut lines = BTreeMap::new();
    let mut out = String::new();
    for d in diags {
        out.push_str(&to_json(d, sources, &mut lines).to_string());
        out.push('\n');
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncdé f\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (2, 5));
        assert_eq!(line_col(t, 7), (2, 4)); // inside é: floors to its start
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr_only() {
        let t = "a\u{2028}b\u{85}c\x0cd\x0be\rf\r\ng\nh";
        let at = |s: &str| t.find(s).unwrap();
        assert_eq!(line_col(t, at("e")), (1, 9));
        assert_eq!(line_col(t, at("f")), (2, 1));
        assert_eq!(line_col(t, at("g")), (3, 1));
        assert_eq!(line_col(t, at("h")), (4, 1));
        let index = LineIndex::new(t);
        for s in ["a", "e", "f", "g", "h"] {
            assert_eq!(index.line_col(t, at(s)), line_col(t, at(s)), "{s}");
        }
        assert_eq!(&t[index.line_range(t, 1)], "f");
    }

    proptest::proptest! {
        /// Whatever a file holds, its diagnostics reach the terminal with
        /// no control character but tabs and line feeds (no colour asked).
        #[test]
        fn rendered_diagnostics_hold_no_control_characters(
            text in "[a-z \\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{2028}é]{0,300}",
            start in 0usize..320,
            len in 0usize..40,
            message in "[a-z\\x00-\\x1f]{0,20}",
        ) {
            let mut sources = SourceMap::new();
            sources.insert("f.ron".into(), text);
            let d = Diagnostic::error("test", message.clone())
                .at("f.ron", start..start + len)
                .label(message.clone())
                .help(message);
            let out = render(&[d], &sources, false);
            proptest::prop_assert!(
                !out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{:?}",
                out
            );
        }
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn render_survives_spans_outside_the_text() {
        let mut sources = SourceMap::new();
        sources.insert("a.ron".into(), "x".into());
        let d = Diagnostic::error("test", "boom").at("a.ron", 5..2);
        let text = render(&[d], &sources, false);
        assert!(text.contains("boom"), "{text}");
        assert!(text.contains("a.ron:1:"), "{text}");
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("a\tb\nc"), "a\tb\nc");
        assert_eq!(
            visible("x\u{1b}]0;owned\u{7}\r\u{0}\u{85}\u{7f}"),
            "x\\u{1b}]0;owned\\u{7}\\u{d}\\u{0}\\u{85}\\u{7f}"
        );
        assert_eq!(
            visible_keeping_colour("\x1b[1;31merror\x1b[0m: \x1b]0;t\x07 \x1b[2J", true),
            "\x1b[1;31merror\x1b[0m: \\u{1b}]0;t\\u{7} \\u{1b}[2J"
        );
        let d = Diagnostic::error("x", "bad `\u{1b}[2J` here").at("f", 0..1);
        let sources =
            SourceMap::from([("f".to_string(), "\u{1b}]0;title\u{7}\u{0}\n".to_string())]);
        for color in [false, true] {
            let text = render(std::slice::from_ref(&d), &sources, color);
            assert!(text.contains("\\u{1b}"), "{text}");
            assert!(
                !text.contains('\u{0}') && !text.contains('\u{7}'),
                "{text:?}"
            );
            assert!(
                !text.contains("\u{1b}]") && !text.contains("\u{1b}[2J"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn json_has_positions_and_related_locations() {
        let mut sources = SourceMap::new();
        sources.insert("a.ron".into(), "x\r\n  yz\n".into());
        sources.insert("b.ron".into(), "(\r\n\r\n  é id: p\n".into());
        let d = Diagnostic::error("duplicate-id", "twice")
            .at("a.ron", 5..7)
            .help("rename one")
            .related(Some("b.ron".into()), 10..12, "first declared here");
        let text = render_json(&[d], &sources);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["rule"], "duplicate-id");
        assert_eq!(
            (v["line"].clone(), v["column"].clone()),
            (2.into(), 3.into())
        );
        assert_eq!(v["end"], serde_json::json!({"line": 2, "column": 5}));
        assert_eq!(v["help"], "rename one");
        assert_eq!(
            v["related"],
            serde_json::json!([{"file": "b.ron", "line": 3, "column": 5,
                "end": {"line": 3, "column": 7}, "message": "first declared here"}])
        );
    }

    #[test]
    fn related_places_get_their_position_when_rendered() {
        let mut sources = SourceMap::new();
        sources.insert("a.ron".into(), "(id: p)\n".into());
        sources.insert("b.ron".into(), "(\n\n  é id: p)\n".into());
        let d = Diagnostic::error("duplicate-id", "twice")
            .at("a.ron", 1..3)
            .related(Some("b.ron".into()), 8..10, "first declared here")
            .related(None, 5..6, "the value");
        let text = render(std::slice::from_ref(&d), &sources, false);
        // Another file: a note with the place, counted from b.ron's text.
        assert!(text.contains("b.ron:3:5: first declared here"), "{text}");
        // The same file: a second label under the source line.
        assert!(text.contains("the value"), "{text}");
        assert!(!text.contains("a.ron:1:6"), "{text}");
        // The position follows the text it is rendered with.
        sources.insert("b.ron".into(), "(\n  é id: p)\n".into());
        let text = render(std::slice::from_ref(&d), &sources, false);
        assert!(text.contains("b.ron:2:6: first declared here"), "{text}");
        // Without the text of a file, the note names the file alone.
        sources.remove("a.ron");
        let text = render(&[d], &sources, false);
        assert!(text.contains("note: a.ron: the value"), "{text}");
    }
}
