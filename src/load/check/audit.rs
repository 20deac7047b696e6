//! The evidence audit (`eje check --audit`): every citation whose quote
//! names neither end of the relation it backs (by name, alias or the
//! citation's `refers_as`) and that carries no `note` to say why it backs
//! it anyway. A list to read, not a rule: it never fails a load.

use std::fmt;

use super::{Ctx, Decl, Section};
use crate::load::dossier::{states_at, states_who};
use crate::load::files::{CitationSpec, EntitySpec};
use crate::load::outline::Step;
use crate::load::schema::{HELD_AT, MEETING_KIND, MET_WITH, PARTICIPANT_IN};
use crate::model::names::{mentions_key, normalize};

/// A citation that does not name what it backs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditItem {
    /// `file:line:column` of the quote.
    pub at: String,
    /// The relation type it backs.
    pub relation: String,
    /// The ids of the relation's two ends.
    pub ends: [String; 2],
    pub quote: String,
}

impl fmt::Display for AuditItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: names neither `{}` nor `{}` ({}): “{}”",
            self.at, self.ends[0], self.ends[1], self.relation, self.quote
        )
    }
}

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    /// Every citation, in file order, that names neither end of a relation
    /// it backs and has no note.
    pub(super) fn audit(&self) -> Vec<AuditItem> {
        let mut found = Vec::new();
        for (fi, d) in self.dossiers.iter().enumerate() {
            for (i, e) in d.data.entities.iter().enumerate() {
                self.audit_event(fi, i, e, &mut found);
            }
            for (i, c) in d.data.claims.iter().enumerate() {
                for (j, cit) in c.cite.iter().enumerate() {
                    let decl = Decl {
                        file: fi,
                        section: Section::Claim,
                        index: i,
                    };
                    if let Some(item) =
                        self.audit_citation(decl, j, cit, &c.relation, [&c.subject, &c.object])
                    {
                        found.push(item);
                    }
                }
            }
        }
        found
    }

    /// An event's citations against the relations it expands into.
    fn audit_event(&self, fi: usize, i: usize, e: &EntitySpec<'_>, found: &mut Vec<AuditItem>) {
        let decl = Decl {
            file: fi,
            section: Section::Entity,
            index: i,
        };
        let meeting = self.schema.is_a(&e.kind, MEETING_KIND);
        for (j, c) in e.cite.iter().enumerate() {
            let mut relations: Vec<(&str, [&str; 2])> = Vec::new();
            if let Some(at) = e.at.as_deref().filter(|_| states_at(c)) {
                relations.push((HELD_AT, [&e.id, at]));
            }
            for p in e.participants.iter().filter(|p| states_who(c, &p.entity)) {
                relations.push((PARTICIPANT_IN, [&p.entity, &e.id]));
            }
            if meeting && self.schema.relations.contains_key(MET_WITH) {
                let named: Vec<&str> = e
                    .participants
                    .iter()
                    .map(|p| &*p.entity)
                    .filter(|p| states_who(c, p))
                    .collect();
                for (k, a) in named.iter().enumerate() {
                    for b in &named[k + 1..] {
                        relations.push((MET_WITH, [a, b]));
                    }
                }
            }
            for (relation, ends) in relations {
                if let Some(item) = self.audit_citation(decl, j, c, relation, ends) {
                    found.push(item);
                }
            }
        }
    }

    fn audit_citation(
        &self,
        decl: Decl,
        j: usize,
        c: &CitationSpec<'_>,
        relation: &str,
        ends: [&str; 2],
    ) -> Option<AuditItem> {
        if c.note().is_some() {
            return None;
        }
        let quote = normalize(&c.quote);
        let said = |s: &str| mentions_key(&quote, &normalize(s));
        if c.refers_as().iter().any(|r| said(r)) {
            return None;
        }
        let names = |id: &str| {
            self.entity(id)
                .is_some_and(|e| said(&e.name) || e.aliases.iter().any(|a| said(a)))
        };
        if ends.iter().any(|id| names(id)) {
            return None;
        }
        Some(AuditItem {
            at: self.place(
                decl,
                &[Step::Field("cite"), Step::Index(j), Step::Field("quote")],
            ),
            relation: relation.to_string(),
            ends: ends.map(str::to_string),
            quote: c.quote.to_string(),
        })
    }
}
