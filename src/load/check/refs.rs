//! References between ids: each must name a declaration of the right
//! section, and a relation must take its endpoints' kinds.

use std::sync::atomic::Ordering;

use super::Decl;
use super::{Ctx, Loc, Section};
use crate::load::files::EntitySpec;
use crate::load::outline::Step;
use crate::model::names::{nearest, normalize};

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    /// Checks a reference to an id of the expected section.
    pub(super) fn check_ref(
        &mut self,
        file: usize,
        span: Loc<'_>,
        id: &str,
        want: Section,
        what: &str,
    ) -> Option<Decl> {
        match self.ids.get(id).copied() {
            Some(decl) if decl.section == want => {
                let marks = match want {
                    Section::Entity => self.used,
                    Section::Source => self.cited_sources,
                    Section::Claim => return Some(decl),
                };
                marks[decl.file][decl.index].store(true, Ordering::Relaxed);
                Some(decl)
            }
            Some(decl) => {
                let at = self.place(decl, &[Step::Field("id")]);
                self.err(
                    "wrong-section",
                    format!(
                        "{what} `{id}` names {}, not {}",
                        decl.section.noun(),
                        want.noun()
                    ),
                    file,
                    span,
                )
                .add_note(format!("`{id}` is declared at {at}"));
                None
            }
            None => {
                let candidates: Vec<&str> = self
                    .ids
                    .iter()
                    .filter(|(_, d)| d.section == want)
                    .map(|(k, _)| k)
                    .collect();
                let mut near = nearest(id, candidates.iter().copied(), 1);
                if near.is_empty() {
                    // The id may be a spelling of an entity's name.
                    near = self.entity_by_name(id).into_iter().collect();
                }
                let noun = match want {
                    Section::Source => "source",
                    Section::Entity => "entity",
                    Section::Claim => "claim",
                };
                self.err("unknown-ref", format!("unknown {noun} `{id}`"), file, span)
                    .set_label(format!("no {noun} has this id"))
                    .help = near.first().map(|n| format!("did you mean `{n}`?"));
                None
            }
        }
    }

    pub(super) fn entity_by_name(&self, name: &str) -> Option<&str> {
        let key = normalize(name);
        for d in self.dossiers {
            for e in &d.data.entities {
                if normalize(&e.name) == key || e.aliases.iter().any(|a| normalize(a) == key) {
                    return Some(&e.id);
                }
            }
        }
        None
    }

    /// Whether the declaration of `id` was referenced.
    pub(super) fn is_marked(&self, id: &str, section: Section) -> bool {
        let Some(decl) = self.ids.get(id).filter(|d| d.section == section) else {
            return false;
        };
        let marks = match section {
            Section::Entity => self.used,
            _ => self.cited_sources,
        };
        marks[decl.file][decl.index].load(Ordering::Relaxed)
    }

    pub(super) fn entity(&self, id: &str) -> Option<&EntitySpec<'a>> {
        let decl = self.ids.get(id)?;
        if decl.section != Section::Entity {
            return None;
        }
        self.dossiers[decl.file].data.entities.get(decl.index)
    }

    /// Endpoint kinds the schema allows for `relation` between two entities.
    pub(super) fn check_endpoints(
        &mut self,
        fi: usize,
        span: Loc<'_>,
        relation: &str,
        subject: &str,
        object: &str,
        what: &str,
    ) {
        let kind_of = |id: &str| {
            self.entity(id).map(|e| e.kind.clone()).or_else(|| {
                // `subject` may be given as a kind already (an event's own kind).
                self.schema
                    .kinds
                    .contains_key(id)
                    .then(|| id.to_string().into())
            })
        };
        if self.schema.relations.get_index_of(relation).is_none() {
            return;
        }
        let (Some(sk), Some(ok)) = (kind_of(subject), kind_of(object)) else {
            return;
        };
        self.check_endpoint_kinds(fi, span, relation, &sk, &ok, what);
    }

    /// `check_endpoints` once the subject's and object's kinds are known.
    pub(super) fn check_endpoint_kinds(
        &mut self,
        fi: usize,
        span: Loc<'_>,
        relation: &str,
        sk: &str,
        ok: &str,
        what: &str,
    ) {
        let Some(ri) = self.schema.relations.get_index_of(relation) else {
            return;
        };
        let schema = self.schema;
        let rel = &schema.relations[ri];
        let kinds = &self.schema.kinds;
        let (Some(si), Some(oi)) = (kinds.get_index_of(sk), kinds.get_index_of(ok)) else {
            return; // unknown kinds are reported on their own
        };
        let slot = (ri * kinds.len() + si) * kinds.len() + oi;
        if self.endpoints_ok[slot] {
            return;
        }
        let allowed = |list: &[String], k: &str| {
            list.is_empty() || list.iter().any(|a| self.schema.is_a(k, a))
        };
        if !allowed(&rel.from, sk) {
            self.err(
                "endpoint-kind",
                format!(
                    "`{relation}` does not take {} as subject ({what})",
                    article(sk)
                ),
                fi,
                span,
            )
            .help = Some(format!(
                "`{relation}` goes from {} to {}",
                rel.from.join(" | "),
                or_any(&rel.to)
            ));
        } else if !allowed(&rel.to, ok) {
            self.err(
                "endpoint-kind",
                format!(
                    "`{relation}` does not take {} as object ({what})",
                    article(ok)
                ),
                fi,
                span,
            )
            .help = Some(format!(
                "`{relation}` goes from {} to {}",
                or_any(&rel.from),
                rel.to.join(" | ")
            ));
        } else {
            self.endpoints_ok[slot] = true;
        }
    }
}

fn article(kind: &str) -> String {
    let vowel = kind.chars().next().is_some_and(|c| "AEIOU".contains(c));
    format!("{} `{kind}`", if vowel { "an" } else { "a" })
}

fn or_any(kinds: &[String]) -> String {
    if kinds.is_empty() {
        "any kind".into()
    } else {
        kinds.join(" | ")
    }
}
