//! Answers as tables for people (comfy-table): the analyst card above, a
//! cut table saying how many rows it left out. Given a width (a terminal),
//! the table is fitted to it (`layout.rs`): equal columns become a note,
//! tokens never wrap, long cells are cut with `…`, and an answer whose
//! columns cannot fit is shown as records. PATH's answers are also drawn
//! as chains, one line per path.

use colored::Colorize;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::layout::{self, Cell, MAX_CELL_LINES};
use super::text::{Paint, styled, text};
use super::{Record, TableStyle};
use crate::diag::visible;
use crate::model::{Graph, Value};
use crate::query::ResultSet;

pub(super) fn table(graph: &Graph, rs: &ResultSet, style: TableStyle) -> String {
    let mut out = String::new();
    card(&mut out, rs, style);
    if rs.columns.is_empty() {
        return out;
    }
    if let Some(message) = empty_analyst(rs) {
        out.push_str(&visible(&message));
        out.push('\n');
        return out;
    }
    let shown = style.max_rows.unwrap_or(usize::MAX).min(rs.rows.len());
    let rows: Vec<&[Value]> = rs.rows.prefix(shown).collect();
    let rows = rows.as_slice();
    if style.width.is_none() && style.record != Record::Always {
        out.push_str(&unfitted(graph, &rs.columns, rows, style.color));
    } else {
        out.push_str(&fitted(graph, rs, rows, style));
    }
    if shown < rs.rows.len() {
        let more = rs.rows.len() - shown;
        let note = format!(
            "… {more} more row{} (:maxrows to show more)",
            if more == 1 { "" } else { "s" }
        );
        out.push_str(&dim(&note, style.color));
        out.push('\n');
    }
    out
}

fn bold(text: &str, color: bool) -> String {
    if color {
        text.bold().to_string()
    } else {
        text.to_string()
    }
}

fn dim(text: &str, color: bool) -> String {
    Paint::Dim.apply(text, color)
}

/// The analyst card (`kind: Person`...), each entry wrapped at words to the
/// width with its value's lines aligned after the key.
fn card(out: &mut String, rs: &ResultSet, style: TableStyle) {
    for (k, v) in &rs.header {
        let (k, v) = (visible(k), visible(v));
        let key = bold(&format!("{k}:"), style.color);
        let line = format!("{k}: {v}");
        match style.width {
            Some(w) => {
                let indent = (k.chars().count() + 2).min(usize::from(w) / 3);
                let wrapped = layout::wrap_prose(&line, usize::from(w), indent);
                // The key is the start of the first line: colour it there.
                match wrapped.strip_prefix(&format!("{k}:")) {
                    Some(rest) => out.push_str(&format!("{key}{rest}\n")),
                    None => out.push_str(&format!("{wrapped}\n")),
                }
            }
            None => out.push_str(&format!("{key} {v}\n")),
        }
    }
    if !rs.header.is_empty() {
        out.push('\n');
    }
}

/// An analyst answer without rows, said in words instead of an empty
/// table: what was searched (from its card) and what to try next. The card
/// is what tells the statements apart (`claims` for EVIDENCE, `facts` for
/// TIMELINE, `neighbors` for NEIGHBORS, `hops` for PATH, `relations` for
/// DESCRIBE).
fn empty_analyst(rs: &ResultSet) -> Option<String> {
    if !rs.rows.is_empty() || rs.header.is_empty() {
        return None;
    }
    let get = |key: &str| {
        rs.header
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let entity = get("entity");
    let text = if get("claims").is_some() {
        match (entity, get("to")) {
            (Some(a), Some(b)) => format!(
                "no claim links {a} and {b} directly\n\
                 help: `PATH \"{a}\" TO \"{b}\"` shows how they are connected"
            ),
            (Some(a), None) => format!(
                "no claim about {a} matches\nhelp: `DESCRIBE \"{a}\"` shows every relation it has"
            ),
            _ => "no claim matches\nhelp: `EVIDENCE <entity>` lists the claims about one entity"
                .to_string(),
        }
    } else if get("facts").is_some() {
        let about = entity.map_or(String::new(), |a| format!(" about {a}"));
        let span = match (get("from"), get("to")) {
            (Some(f), Some(t)) => format!(" from {f} to {t}"),
            (Some(f), None) => format!(" from {f} on"),
            (None, Some(t)) => format!(" up to {t}"),
            (None, None) => String::new(),
        };
        format!("no dated fact{about}{span}\nhelp: widen FROM and TO, or leave them out")
    } else if get("neighbors").is_some() {
        let a = entity.unwrap_or("the entity");
        let via = get("via").unwrap_or("any relation");
        let depth = get("depth").unwrap_or("1");
        format!(
            "{a} has no neighbour within depth {depth} via {via}\n\
             help: leave out VIA, or raise DEPTH"
        )
    } else if let Some(hops) = get("hops") {
        let (a, b) = (get("from").unwrap_or("?"), get("to").unwrap_or("?"));
        format!(
            "no path from {a} to {b}: {hops}\n\
             help: leave out VIA, or raise the hop limit (`--max-hops`)"
        )
    } else if get("relations").is_some() {
        "no relation: no claim names this entity yet".to_string()
    } else {
        return None;
    };
    Some(text)
}

/// The table at its natural width (output that is not a terminal).
fn unfitted(graph: &Graph, columns: &[String], rows: &[&[Value]], color: bool) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(
        columns
            .iter()
            .map(|c| bold(&visible(c), color))
            .collect::<Vec<_>>(),
    );
    for row in rows {
        t.add_row(
            row.iter()
                .map(|v| text(graph, v, color))
                .collect::<Vec<_>>(),
        );
    }
    format!("{t}\n")
}

/// A value as a cell: a number, date, boolean, null or single word is one
/// token that never wraps.
fn cell(graph: &Graph, v: &Value) -> Cell {
    let (text, paint) = styled(graph, v);
    let atomic = match v {
        Value::Null
        | Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Date(_)
        | Value::Temporal(_) => true,
        // A single word, or a short run of figures (`2024-08 – 2025-05`).
        Value::Str(s) => {
            !s.chars().any(char::is_whitespace)
                || (s.chars().count() <= 24 && !s.chars().any(char::is_alphabetic))
        }
        _ => false,
    };
    Cell {
        text,
        paint,
        atomic,
    }
}

fn by_column(rows: &[Vec<Cell>], n: usize) -> Vec<Vec<&Cell>> {
    (0..n)
        .map(|c| rows.iter().map(|r| &r[c]).collect())
        .collect()
}

/// The table fitted to `style.width`, or the rows as records.
fn fitted(graph: &Graph, rs: &ResultSet, rows: &[&[Value]], style: TableStyle) -> String {
    let total = style.width.map_or(usize::MAX, usize::from);
    let mut out = String::new();
    if let Some(chains) = path_chains(graph, rs, rows) {
        for (n, chain) in chains {
            let line = format!("{n}: {chain}");
            out.push_str(&layout::wrap_prose(&line, total, n.to_string().len() + 2));
            out.push('\n');
        }
        out.push('\n');
    }
    let mut headers: Vec<String> = rs.columns.iter().map(|c| visible(c).into_owned()).collect();
    let mut cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| r.iter().map(|v| cell(graph, v)).collect())
        .collect();
    let natural: usize = headers
        .iter()
        .zip(by_column(&cells, headers.len()))
        .map(|(h, c)| layout::natural(h, &c))
        .sum();
    if natural.saturating_add(layout::overhead(headers.len())) > total && cells.len() > 1 {
        collapse_constant(&mut headers, &mut cells, &mut out, total, style.color);
    }
    let widths = match style.record {
        Record::Always => None,
        Record::Never => layout::widths(&headers, &by_column(&cells, headers.len()), usize::MAX),
        Record::Auto => layout::widths(&headers, &by_column(&cells, headers.len()), total),
    };
    match widths {
        Some(w) => out.push_str(&grid(&headers, &cells, &w, total, style.color)),
        None => out.push_str(&records(&headers, &cells, 1, style.width, style.color)),
    }
    out
}

/// Moves the columns whose values are the same in every row into one note
/// above the table (`same in every row: rank normal · hedge asserted`).
/// A table whose every column is constant is left whole.
fn collapse_constant(
    headers: &mut Vec<String>,
    cells: &mut [Vec<Cell>],
    out: &mut String,
    total: usize,
    color: bool,
) {
    let constant: Vec<bool> = (0..headers.len())
        .map(|c| cells.iter().all(|r| r[c].text == cells[0][c].text))
        .collect();
    if constant.iter().all(|&c| c) || !constant.iter().any(|&c| c) {
        return;
    }
    let parts: Vec<String> = (0..headers.len())
        .filter(|&c| constant[c])
        .map(|c| format!("{} {}", headers[c], cells[0][c].text))
        .collect();
    let note = layout::wrap_prose(
        &format!("same in every row: {}", parts.join(" · ")),
        total,
        2,
    );
    out.push_str(&dim(&note, color));
    out.push('\n');
    let mut keep = constant.iter().map(|c| !c);
    headers.retain(|_| keep.next().unwrap_or(true));
    for row in cells.iter_mut() {
        let mut keep = constant.iter().map(|c| !c);
        let taken = std::mem::take(row);
        *row = taken
            .into_iter()
            .filter(|_| keep.next().unwrap_or(true))
            .collect();
    }
}

/// The table with each column at its given width: cells wrapped at spaces
/// and cut after `MAX_CELL_LINES` lines; a note says when a cell was cut.
fn grid(
    headers: &[String],
    cells: &[Vec<Cell>],
    widths: &[usize],
    total: usize,
    color: bool,
) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(
        headers
            .iter()
            .zip(widths)
            .map(|(h, &w)| {
                let (lines, _) = layout::fit(h, w, None);
                layout::paint_lines(&lines, Paint::Plain, false)
                    .lines()
                    .map(|l| bold(l, color))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect::<Vec<_>>(),
    );
    let mut any_cut = false;
    for row in cells {
        t.add_row(
            row.iter()
                .zip(widths)
                .map(|(c, &w)| {
                    let (lines, cut) = layout::fit(&c.text, w, Some(MAX_CELL_LINES));
                    any_cut |= cut;
                    layout::paint_lines(&lines, c.paint, color)
                })
                .collect::<Vec<_>>(),
        );
    }
    let mut out = format!("{t}\n");
    if any_cut {
        let note = layout::wrap_prose(
            "cells ending in … are cut; `:last N` (shell) or `--format json` shows them whole",
            total,
            2,
        );
        out.push_str(&dim(&note, color));
        out.push('\n');
    }
    out
}

/// Row `n` (from 1) of an answer as a record, nothing cut (`:last N`).
pub(super) fn row_record(graph: &Graph, rs: &ResultSet, n: usize, style: TableStyle) -> String {
    let Some(row) = n.checked_sub(1).and_then(|i| rs.rows.get(i)) else {
        return String::new();
    };
    let cells = vec![row.iter().map(|v| cell(graph, v)).collect()];
    let headers: Vec<String> = rs.columns.iter().map(|c| visible(c).into_owned()).collect();
    records(&headers, &cells, n, style.width, style.color)
}

/// Each row as a block: a rule with its number (counted from `first`), then
/// one line per column, the value wrapped at words after the column's name.
/// Nothing is cut.
fn records(
    headers: &[String],
    cells: &[Vec<Cell>],
    first: usize,
    width: Option<u16>,
    color: bool,
) -> String {
    let key_width = headers
        .iter()
        .map(|h| layout::width_of(h))
        .max()
        .unwrap_or(0);
    let total = width.map(usize::from);
    let value_width = total.map(|t| t.saturating_sub(key_width + 3).max(20));
    let mut out = String::new();
    for (i, row) in cells.iter().enumerate() {
        let title = format!("─[ row {} ]", i + first);
        let rule_width = total
            .unwrap_or(key_width + 3 + 20)
            .max(title.chars().count());
        let rule = format!("{title}{}", "─".repeat(rule_width - title.chars().count()));
        out.push_str(&dim(&rule, color));
        out.push('\n');
        for (h, c) in headers.iter().zip(row) {
            let lines: Vec<String> = match value_width {
                Some(w) => layout::wrap_prose(&c.text, w, 0)
                    .lines()
                    .map(str::to_string)
                    .collect(),
                None => c.text.lines().map(str::to_string).collect(),
            };
            let lines = if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            };
            for (j, line) in lines.iter().enumerate() {
                let key = if j == 0 {
                    let pad = key_width - layout::width_of(h);
                    format!("{}{}", bold(h, color), " ".repeat(pad))
                } else {
                    " ".repeat(key_width)
                };
                out.push_str(&format!("{key} │ {}\n", c.paint.apply(line, color)));
            }
        }
    }
    out
}

/// PATH's answer (columns `path`, `hop`, `from`, `type`, `direction`,
/// `to`, `date`...) as one readable chain per path:
/// `Dmitry Medvedev —visited (2025-10)→ Pyongyang ←held_at— …`.
fn path_chains(graph: &Graph, rs: &ResultSet, rows: &[&[Value]]) -> Option<Vec<(i64, String)>> {
    let col = |name: &str| rs.columns.iter().position(|c| c == name);
    let (path, from, ty, dir, to) = (
        col("path")?,
        col("from")?,
        col("type")?,
        col("direction")?,
        col("to")?,
    );
    col("hop")?;
    let date = col("date");
    let name = |v: &Value| match v {
        Value::Node(ix) => visible(graph.node(*ix).display_name()).into_owned(),
        other => text(graph, other, false),
    };
    let mut chains: Vec<(i64, String)> = Vec::new();
    for row in rows {
        let Value::Int(n) = row[path] else {
            return None;
        };
        let when = match date.map(|d| &row[d]) {
            Some(Value::Null) | None => String::new(),
            Some(d) => format!(" ({})", text(graph, d, false)),
        };
        let t = text(graph, &row[ty], false);
        let link = match text(graph, &row[dir], false).as_str() {
            "<-" => format!(" ←{t}{when}— "),
            "-" | "--" => format!(" —{t}{when}— "),
            _ => format!(" —{t}{when}→ "),
        };
        match chains.last_mut() {
            Some((last, chain)) if *last == n => {
                chain.push_str(&link);
                chain.push_str(&name(&row[to]));
            }
            _ => chains.push((n, format!("{}{link}{}", name(&row[from]), name(&row[to])))),
        }
    }
    (!chains.is_empty()).then_some(chains)
}
