//! Fitting an answer to a width: how wide each column of a table is, how a
//! cell's text is wrapped and cut, and prose wrapped at word boundaries.
//!
//! The rules, in order: a table that fits is drawn as it is; otherwise
//! columns whose values are all equal leave the table for a note above it;
//! columns of numbers, dates, booleans and single words (ids, relation
//! types) keep their whole width and never wrap; what width is left goes
//! to the text columns, the narrow ones first, so the widest one (a quote)
//! gets the rest; text wraps only at spaces and a cell longer than
//! `MAX_CELL_LINES` lines is cut with `…`. When even the narrowest columns
//! do not fit, the answer is shown one record per row instead (as psql's
//! `\x auto`).

use textwrap::{Options, WordSeparator, WordSplitter};
use unicode_width::UnicodeWidthStr;

use super::text::Paint;

/// Lines a table cell may take before it is cut with `…`.
pub(super) const MAX_CELL_LINES: usize = 4;
/// The narrowest a text column is made (or its natural width, if less).
const MIN_TEXT: usize = 14;
/// A word up to this wide gets a column wide enough to hold it whole.
const MAX_WORD: usize = 24;

/// One cell of an answer: its text, its colour, and whether it is one
/// token that must never wrap (a number, a date, an id).
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub text: String,
    pub paint: Paint,
    pub atomic: bool,
}

/// Columns of text as wide as the terminal: the borders and padding a table
/// of `n` columns adds to the widths of its columns (`│ a ┆ b │`).
pub(super) fn overhead(n: usize) -> usize {
    3 * n + 1
}

/// The width of text on a terminal: its widest line.
pub(super) fn width_of(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The widest a column needs: its header and every cell on one line.
pub(super) fn natural(header: &str, cells: &[&Cell]) -> usize {
    cells
        .iter()
        .map(|c| width_of(&c.text))
        .chain([width_of(header)])
        .max()
        .unwrap_or(0)
}

/// The narrowest a column may be made within `total` columns.
fn minimum(header: &str, cells: &[&Cell], total: usize) -> usize {
    let nat = natural(header, cells);
    let header_word = header
        .split(' ')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0);
    if cells.iter().all(|c| c.atomic) {
        // Whole tokens; only a very long one is cut.
        nat.min((total / 3).max(12)).max(header_word.min(nat))
    } else {
        // Room for the longest word (up to a point), so words are not cut.
        let longest_word = cells
            .iter()
            .flat_map(|c| c.text.split([' ', '\n']))
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        nat.min(header_word.max(MIN_TEXT).max(longest_word.min(MAX_WORD)))
    }
}

/// The width of each column so the table fits in `total` columns, or
/// `None` when even the narrowest widths do not fit (show records).
pub(super) fn widths(
    headers: &[String],
    columns: &[Vec<&Cell>],
    total: usize,
) -> Option<Vec<usize>> {
    let avail = total.checked_sub(overhead(headers.len()))?;
    let nat: Vec<usize> = headers
        .iter()
        .zip(columns)
        .map(|(h, c)| natural(h, c))
        .collect();
    if nat.iter().sum::<usize>() <= avail {
        return Some(nat);
    }
    let mut w: Vec<usize> = headers
        .iter()
        .zip(columns)
        .map(|(h, c)| minimum(h, c, total))
        .collect();
    let used: usize = w.iter().sum();
    if used > avail {
        return None;
    }
    let mut extra = avail - used;
    // Narrow needs first, each column at most an equal share of what is
    // left, so the widest text column takes the remainder.
    let mut order: Vec<usize> = (0..w.len()).filter(|&i| nat[i] > w[i]).collect();
    order.sort_by_key(|&i| (nat[i] - w[i], i));
    for (k, &i) in order.iter().enumerate() {
        let share = extra / (order.len() - k);
        let grant = (nat[i] - w[i]).min(share);
        w[i] += grant;
        extra -= grant;
    }
    if let Some(&i) = order.last() {
        let grant = (nat[i] - w[i]).min(extra);
        w[i] += grant;
    }
    Some(w)
}

fn options(width: usize, break_words: bool) -> Options<'static> {
    Options::new(width.max(1))
        .break_words(break_words)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
}

/// `text` cut to `width` columns, ending in `…` when anything was left out.
pub(super) fn truncate(text: &str, width: usize) -> String {
    if UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// A cell's text as lines of at most `width` columns: wrapped at spaces
/// only, a word wider than the column cut with `…`, and at most
/// `max_lines` lines (the last one ending in `…` when more was left out).
/// Also says whether anything was cut.
pub(super) fn fit(text: &str, width: usize, max_lines: Option<usize>) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut cut = false;
    for para in text.split('\n') {
        if para.is_empty() {
            lines.push(String::new());
            continue;
        }
        for line in textwrap::wrap(para, options(width, false)) {
            if UnicodeWidthStr::width(line.as_ref()) > width {
                cut = true;
                lines.push(truncate(&line, width));
            } else {
                lines.push(line.into_owned());
            }
        }
    }
    if let Some(max) = max_lines
        && lines.len() > max
    {
        lines.truncate(max);
        let last = lines.pop().unwrap_or_default();
        let room = width.saturating_sub(1);
        let mut shortened = truncate(&last, room);
        if !shortened.ends_with('…') {
            shortened.push('…');
        }
        lines.push(shortened);
        cut = true;
    }
    (lines, cut)
}

/// Prose wrapped at word boundaries to `width`, every line after the first
/// indented by `indent` spaces; long words are broken only when they do not
/// fit on a line of their own.
pub fn wrap_prose(text: &str, width: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for para in text.split('\n') {
        if para.is_empty() {
            out.push(String::new());
            continue;
        }
        let opts = options(width, true).subsequent_indent(&pad);
        out.extend(
            textwrap::wrap(para, opts)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    out.join("\n")
}

/// Lines of one cell, each painted.
pub(super) fn paint_lines(lines: &[String], paint: Paint, color: bool) -> String {
    lines
        .iter()
        .map(|l| paint.apply(l, color))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, atomic: bool) -> Cell {
        Cell {
            text: text.into(),
            paint: Paint::Plain,
            atomic,
        }
    }

    #[test]
    fn a_table_that_fits_keeps_its_natural_widths() {
        let a = cell("2025-10-26", true);
        let b = cell("a short quote", false);
        let w = widths(&["date".into(), "quote".into()], &[vec![&a], vec![&b]], 80);
        assert_eq!(w, Some(vec![10, 13]));
    }

    #[test]
    fn atomic_columns_keep_their_width_and_text_takes_the_rest() {
        let a = cell("2025-10-26", true);
        let b = cell(&"word ".repeat(40), false);
        let c = cell("Kim Jong Un (Person)", false);
        let w = widths(
            &["date".into(), "quote".into(), "who".into()],
            &[vec![&a], vec![&b], vec![&c]],
            60,
        )
        .unwrap();
        assert_eq!(w[0], 10);
        assert_eq!(w[2], 20, "the narrow text column is met in full");
        assert_eq!(w.iter().sum::<usize>() + overhead(3), 60);
    }

    #[test]
    fn columns_that_cannot_fit_ask_for_records() {
        let a = cell("promised_support_to", true);
        let cols: Vec<Vec<&Cell>> = (0..6).map(|_| vec![&a]).collect();
        let heads: Vec<String> = (0..6).map(|i| format!("c{i}")).collect();
        assert_eq!(widths(&heads, &cols, 80), None);
        assert!(widths(&heads, &cols, 200).is_some());
    }

    #[test]
    fn fitting_never_breaks_a_word() {
        let (lines, cut) = fit("Consejo de Seguridad 2025-10-26 former_head_of", 12, None);
        assert_eq!(
            lines,
            ["Consejo de", "Seguridad", "2025-10-26", "former_head…"]
        );
        assert!(cut);
    }

    #[test]
    fn long_cells_are_cut_after_the_last_line_allowed() {
        let (lines, cut) = fit(&"word ".repeat(30), 10, Some(2));
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| UnicodeWidthStr::width(l.as_str()) <= 10)
        );
        assert!(cut);
        let (_, cut) = fit("two words", 10, Some(2));
        assert!(!cut);
    }

    #[test]
    fn prose_wraps_at_words_with_a_hanging_indent() {
        let text = wrap_prose(
            "aliases: Vladímir Putin, Putin, Vladimir Vladimirovich Putin",
            30,
            9,
        );
        assert_eq!(
            text,
            "aliases: Vladímir Putin,\n         Putin, Vladimir\n         Vladimirovich Putin"
        );
    }
}
