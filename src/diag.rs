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
    /// Further lines (`first defined at people.ron:3:9`).
    pub notes: Vec<String>,
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
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file a diagnostic may point into, by display name.
pub type SourceMap = BTreeMap<String, String>;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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

/// Renders diagnostics as text: message, `file:line:column`, the source
/// line with a caret, the label, help and notes.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = Vec::new();
    // A file's line index is made once, however many diagnostics point into
    // it (thousands of warnings in a large dataset).
    let mut lines: BTreeMap<&str, Source<&str>> = BTreeMap::new();
    for d in diags {
        render_one(d, sources, &mut lines, color, &mut out);
    }
    // Messages and source lines come from the data: their control
    // characters are shown, not sent to the terminal.
    visible_keeping_colour(&String::from_utf8_lossy(&out), color)
}

/// Whether `c` is shown as an escape: every control character (C0, DEL,
/// C1) except tab and line feed.
fn hidden(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// `text` with every control character except tab and line feed shown as
/// an escape (`\u{1b}`), so text from the data cannot move the cursor,
/// retitle the terminal or overwrite what was printed.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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

fn render_one<'s>(
    d: &Diagnostic,
    sources: &'s SourceMap,
    lines: &mut BTreeMap<&'s str, Source<&'s str>>,
    color: bool,
    out: &mut Vec<u8>,
) {
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let (file, text) = match d.file.as_ref().and_then(|f| sources.get_key_value(f)) {
        Some(found) => found,
        None => {
            // No source to show: a plain message.
            let prefix = if d.is_error() { "error" } else { "warning" };
            let loc = d
                .file
                .as_deref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            out.extend(format!("{prefix}[{}]: {loc}{}\n", d.code, d.message).as_bytes());
            if let Some(h) = &d.help {
                out.extend(format!("  help: {h}\n").as_bytes());
            }
            for n in &d.notes {
                out.extend(format!("  note: {n}\n").as_bytes());
            }
            return;
        }
    };
    // ariadne panics on backwards spans and needs char boundaries.
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let end = floor_char_boundary(text, d.span.end.min(text.len())).max(start);
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
    let mut label = Label::new((file.as_str(), start..end));
    label = label.with_message(d.label.as_deref().unwrap_or("here"));
    if color {
        label = label.with_color(label_color);
    }
    let mut report = Report::build(kind, (file.as_str(), start..end))
        .with_config(config)
        .with_code(d.code)
        .with_message(&d.message)
        .with_label(label);
    if let Some(h) = &d.help {
        report = report.with_help(h);
    }
    for n in &d.notes {
        report = report.with_note(n);
    }
    let source = lines
        .entry(file.as_str())
        .or_insert_with(|| Source::from(text.as_str()));
    let _ = report.finish().write((file.as_str(), &*source), &mut *out);
}

/// A place a diagnostic's note points at (`first declared at a.ron:3:9`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: String,
    /// 1-based line and column (in characters), as the note prints them.
    pub line: usize,
    pub column: usize,
    /// The note, without its location.
    pub message: String,
}

/// The places a diagnostic's notes point at, for tools that show them as
/// links (JSON, the language server).
pub fn related(d: &Diagnostic) -> Vec<Related> {
    d.notes
        .iter()
        .filter_map(|n| {
            let (message, loc) = n.rsplit_once(" at ")?;
            let mut parts = loc.rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            let file = parts.next()?.to_string();
            Some(Related {
                file,
                line,
                column,
                message: message.to_string(),
            })
        })
        .collect()
}

/// One diagnostic as a JSON object: severity, rule, message, file, line,
/// column and end (1-based, columns in characters, lines as D11 counts
/// them), label, help, notes and the related locations of the notes.
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
        "related": related(d).iter().map(|r| serde_json::json!({
            "file": r.file, "line": r.line, "column": r.column, "message": r.message,
        })).collect::<Vec<_>>(),
    });
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
        let d = Diagnostic::error("duplicate-id", "twice")
            .at("a.ron", 5..7)
            .help("rename one")
            .note("first declared at b.ron:3:9");
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
            serde_json::json!([{"file": "b.ron", "line": 3, "column": 9, "message": "first declared"}])
        );
    }
}
