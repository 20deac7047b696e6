//! `eje stats`: what the graph holds, counted.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use crate::model::{Graph, Value};

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub nodes: usize,
    pub relations: usize,
    /// Relations stated by a claim (not expanded from events, not derived).
    pub claims: usize,
    /// Relations expanded from events (`participant_in`, `held_at`).
    pub expanded: usize,
    pub derived: usize,
    pub events: usize,
    pub sources: usize,
    /// Citations of claims (on the relations claims state).
    pub citations: usize,
    /// Citations of events and agreements (on their nodes).
    pub event_citations: usize,
    pub aliases: usize,
    pub contested: usize,
    pub by_kind: BTreeMap<String, usize>,
    pub by_type: BTreeMap<String, usize>,
    pub by_hedge: BTreeMap<String, usize>,
}

impl Stats {
    pub fn of(g: &Graph) -> Stats {
        let mut s = Stats {
            nodes: g.node_count(),
            relations: g.rel_count(),
            sources: g.sources().len(),
            ..Stats::default()
        };
        for ix in g.nodes() {
            let n = g.node(ix);
            *s.by_kind
                .entry(n.kind().unwrap_or("(none)").to_string())
                .or_default() += 1;
            if n.labels.iter().any(|l| l == "Event") {
                s.events += 1;
            }
            s.event_citations += n.props.list_len("citations").unwrap_or(0);
            if let Some(Value::List(a)) = n.props.get("aliases") {
                s.aliases += a.len();
            }
        }
        for ix in g.rels() {
            let r = g.rel(ix);
            *s.by_type.entry(r.rel_type.to_string()).or_default() += 1;
            let derived = r.props.get("derived") == Some(&Value::Bool(true));
            let expanded = r.props.contains_key("event");
            if derived {
                s.derived += 1;
            } else if expanded {
                s.expanded += 1;
            } else {
                s.claims += 1;
                // Counted without building the deferred evidence lists.
                s.citations += r.props.list_len("citations").unwrap_or(0);
                if let Some(Value::Str(h)) = r.props.get("hedge") {
                    *s.by_hedge.entry((h.clone()).to_string()).or_default() += 1;
                }
                if r.props.contains_key("conflicts_with") {
                    s.contested += 1;
                }
            }
        }
        s
    }

    pub fn json(&self) -> serde_json::Value {
        json!({
            "entities": self.nodes,
            "events": self.events,
            "relations": self.relations,
            "claims": self.claims,
            "expanded_from_events": self.expanded,
            "derived": self.derived,
            "sources": self.sources,
            "citations": self.citations,
            "event_citations": self.event_citations,
            "aliases": self.aliases,
            "contested_claims": self.contested,
            "by_kind": self.by_kind,
            "by_relation_type": self.by_type,
            "claims_by_hedge": self.by_hedge,
        })
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_header(vec!["what", "count"]);
        for (k, v) in [
            ("entities", self.nodes),
            ("  of which events", self.events),
            ("relations", self.relations),
            ("  claims", self.claims),
            ("  expanded from events", self.expanded),
            ("  derived (met_with)", self.derived),
            ("sources", self.sources),
            ("citations of claims", self.citations),
            ("citations of events", self.event_citations),
            ("aliases", self.aliases),
            ("contested claims", self.contested),
        ] {
            t.add_row(vec![k.to_string(), v.to_string()]);
        }
        let _ = writeln!(out, "{t}");
        for (title, map) in [
            ("kind", &self.by_kind),
            ("relation type", &self.by_type),
            ("hedge", &self.by_hedge),
        ] {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_header(vec![title, "count"]);
            for (k, v) in map {
                t.add_row(vec![k.clone(), v.to_string()]);
            }
            let _ = writeln!(out, "{t}");
        }
        out
    }
}
