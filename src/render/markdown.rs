//! Answers as Markdown tables, with `|` escaped and line breaks as `<br>`.

use super::text::text;
use crate::diag::visible;
use crate::model::Graph;
use crate::query::ResultSet;

pub(super) fn markdown(graph: &Graph, rs: &ResultSet) -> String {
    let esc = |s: String| {
        visible(&s)
            .replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace('\n', "<br>")
    };
    let mut out = String::new();
    for (k, v) in &rs.header {
        out.push_str(&format!("**{}:** {}  \n", esc(k.clone()), esc(v.clone())));
    }
    if !rs.header.is_empty() {
        out.push('\n');
    }
    if rs.columns.is_empty() {
        return out;
    }
    out.push_str(&format!(
        "| {} |\n",
        rs.columns
            .iter()
            .map(|c| esc(c.clone()))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(rs.columns.len())));
    for row in &rs.rows {
        let cells: Vec<String> = row.iter().map(|v| esc(text(graph, v, false))).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}
