//! Answers as tables for people (comfy-table): the analyst card above,
//! a cut table saying how many rows it left out.

use colored::Colorize;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::TableStyle;
use super::text::text;
use crate::diag::visible;
use crate::model::Graph;
use crate::query::ResultSet;

pub(super) fn table(graph: &Graph, rs: &ResultSet, style: TableStyle) -> String {
    let mut out = String::new();
    for (k, v) in &rs.header {
        let (k, v) = (visible(k), visible(v));
        let key = if style.color {
            format!("{k}:").bold().to_string()
        } else {
            format!("{k}:")
        };
        out.push_str(&format!("{key} {v}\n"));
    }
    if !rs.header.is_empty() {
        out.push('\n');
    }
    if rs.columns.is_empty() {
        return out;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    if let Some(w) = style.width {
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w);
    }
    let header: Vec<String> = rs
        .columns
        .iter()
        .map(|c| {
            if style.color {
                visible(c).bold().to_string()
            } else {
                visible(c).into_owned()
            }
        })
        .collect();
    t.set_header(header);
    let shown = style.max_rows.unwrap_or(usize::MAX).min(rs.rows.len());
    for row in &rs.rows[..shown] {
        t.add_row(
            row.iter()
                .map(|v| text(graph, v, style.color))
                .collect::<Vec<_>>(),
        );
    }
    out.push_str(&t.to_string());
    out.push('\n');
    if shown < rs.rows.len() {
        let more = rs.rows.len() - shown;
        let note = format!(
            "… {more} more row{} (:maxrows to show more)",
            if more == 1 { "" } else { "s" }
        );
        out.push_str(&if style.color {
            note.dimmed().to_string()
        } else {
            note
        });
        out.push('\n');
    }
    out
}
