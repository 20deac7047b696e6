//! References between ids: each must name a declaration of the right
//! section, and a relation must take its endpoints' kinds.

use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use super::Decl;
use super::{Ctx, Loc, Section};
use crate::load::dossier::Dossier;
use crate::load::files::EntitySpec;
use crate::load::outline::Step;
use crate::model::suggest::{Suggester, Via};

/// The kind hierarchy numbered in depth-first order: `a` is `k` or one of
/// its ancestors exactly when `a`'s interval holds `k`'s, so "is a" costs
/// two comparisons however deep the hierarchy (4,000 kinds in a chain).
/// Made once the schema is known to be a forest (a schema with a cycle
/// stops the load before any dossier is checked).
pub struct KindTree {
    pre: Vec<u32>,
    post: Vec<u32>,
}

impl KindTree {
    pub fn new(schema: &crate::model::Schema) -> Self {
        let n = schema.kinds.len();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, k) in schema.kinds.values().enumerate() {
            match k
                .parent
                .as_deref()
                .and_then(|p| schema.kinds.get_index_of(p))
            {
                Some(p) if p != i => children[p].push(i),
                _ => roots.push(i),
            }
        }
        let mut pre = vec![u32::MAX; n];
        let mut post = vec![0; n];
        let mut clock = 0u32;
        for root in roots {
            let mut stack = vec![(root, 0usize)];
            pre[root] = clock;
            clock += 1;
            while let Some((node, next)) = stack.pop() {
                if let Some(&child) = children[node].get(next) {
                    stack.push((node, next + 1));
                    if pre[child] == u32::MAX {
                        pre[child] = clock;
                        clock += 1;
                        stack.push((child, 0));
                    }
                } else {
                    post[node] = clock;
                    clock += 1;
                }
            }
        }
        KindTree { pre, post }
    }

    /// Whether the kind at `k` is the kind at `a` or descends from it.
    pub fn is_a(&self, k: usize, a: usize) -> bool {
        self.pre[a] != u32::MAX && self.pre[a] <= self.pre[k] && self.post[k] <= self.post[a]
    }
}

/// "Did you mean" for unknown references, one suggester per section, made
/// on first need and shared by the checks of every file.
#[derive(Default)]
pub struct Suggesters {
    entity: OnceLock<Suggester>,
    source: OnceLock<Suggester>,
    claim: OnceLock<Suggester>,
    kind: OnceLock<Suggester>,
    relation: OnceLock<Suggester>,
}

impl Suggesters {
    /// Kinds of the schema, for an unknown kind.
    pub fn kinds(&self, schema: &crate::model::Schema) -> &Suggester {
        self.kind.get_or_init(|| {
            let mut s = Suggester::new();
            for k in schema.kinds.keys() {
                s.add_target(k, None);
            }
            s
        })
    }

    /// Relation types of the schema, for an unknown relation type.
    pub fn relations(&self, schema: &crate::model::Schema) -> &Suggester {
        self.relation.get_or_init(|| {
            let mut s = Suggester::new();
            for r in schema.relations.keys() {
                s.add_target(r, None);
            }
            s
        })
    }

    pub fn get(&self, dossiers: &[Dossier<'_>], section: Section) -> &Suggester {
        let cell = match section {
            Section::Entity => &self.entity,
            Section::Source => &self.source,
            Section::Claim => &self.claim,
        };
        cell.get_or_init(|| {
            let mut s = Suggester::new();
            for d in dossiers {
                match section {
                    Section::Entity => {
                        for e in &d.data.entities {
                            let t = s.add_target(&e.id, Some(&e.kind));
                            s.add_spelling(t, &e.name, Via::Name);
                            for a in &e.aliases {
                                s.add_spelling(t, a, Via::Alias);
                            }
                        }
                    }
                    Section::Source => {
                        for src in &d.data.sources {
                            s.add_target(&src.id, None);
                        }
                    }
                    Section::Claim => {
                        for c in d.data.claims.iter().filter_map(|c| c.id()) {
                            s.add_target(c, None);
                        }
                    }
                }
            }
            s
        })
    }
}

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
        let found = match self.take_ahead(id) {
            Some(found) => found,
            None => self.ids.get(id),
        };
        match found {
            Some(decl) if decl.section == want => {
                let marks = match want {
                    Section::Entity => self.used,
                    Section::Source => self.cited_sources,
                    Section::Claim => return Some(decl),
                };
                // Read first: a mark already set is not written again, so
                // the threads checking files do not take each other's
                // cache lines for nothing.
                let mark = &marks[decl.file][decl.index];
                if !mark.load(Ordering::Relaxed) {
                    mark.store(true, Ordering::Relaxed);
                }
                Some(decl)
            }
            Some(decl) => {
                let (at_file, at_span) = self.place_span(decl, &[Step::Field("id")]);
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
                .add_related(at_file, at_span, format!("`{id}` is declared here"));
                None
            }
            None => {
                let near = self.suggest.get(self.dossiers, want).suggest(id, 1);
                let noun = match want {
                    Section::Source => "source",
                    Section::Entity => "entity",
                    Section::Claim => "claim",
                };
                self.err("unknown-ref", format!("unknown {noun} `{id}`"), file, span)
                    .set_label(format!("no {noun} has this id"))
                    .help = near
                    .first()
                    .map(|n| format!("did you mean {}?", n.describe()));
                None
            }
        }
    }

    /// Whether `decl`, which an id names, is in `section` and was
    /// referenced.
    pub(super) fn is_marked(&self, decl: Decl, section: Section) -> bool {
        if decl.section != section {
            return false;
        }
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
        let Some(ri) = self.schema_index(false, relation) else {
            return;
        };
        let schema = self.schema;
        let rel = &schema.relations[ri];
        let kinds = &self.schema.kinds;
        let (Some(si), Some(oi)) = (self.schema_index(true, sk), self.schema_index(true, ok))
        else {
            return; // unknown kinds are reported on their own
        };
        let slot = (ri as u32, si as u32, oi as u32);
        if self.endpoints_ok.contains(&slot) {
            return;
        }
        let tree = self.kind_tree;
        let allowed = |list: &[String], k: usize| {
            list.is_empty()
                || list
                    .iter()
                    .any(|a| kinds.get_index_of(a).is_some_and(|a| tree.is_a(k, a)))
        };
        let (subject_ok, object_ok) = (allowed(&rel.from, si), allowed(&rel.to, oi));
        let goes = format!(
            "`{relation}` goes from {} to {}",
            or_any(&rel.from),
            or_any(&rel.to)
        );
        let message = match (subject_ok, object_ok) {
            (true, true) => {
                self.endpoints_ok.insert(slot);
                return;
            }
            (false, true) => format!(
                "`{relation}` does not take {} as subject ({what})",
                article(sk)
            ),
            (true, false) => format!(
                "`{relation}` does not take {} as object ({what})",
                article(ok)
            ),
            // Both ends wrong: say so once, naming both.
            (false, false) => format!(
                "`{relation}` takes neither {} as subject nor {} as object ({what})",
                article(sk),
                article(ok)
            ),
        };
        self.err("endpoint-kind", message, fi, span).help = Some(goes);
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

#[cfg(test)]
mod tests {
    use super::KindTree;
    use crate::model::{KindDef, Schema, Style};

    #[test]
    fn kind_tree_answers_is_a_as_the_schema_does() {
        let mut s = Schema::default();
        let kinds = [
            ("Entity", None),
            ("Agent", Some("Entity")),
            ("Person", Some("Agent")),
            ("Place", Some("Entity")),
            ("City", Some("Place")),
            ("Other", None),
        ];
        for (name, parent) in kinds {
            s.kinds.insert(
                name.into(),
                KindDef {
                    name: name.into(),
                    parent: parent.map(str::to_string),
                    description: String::new(),
                    style: Style::default(),
                },
            );
        }
        let tree = KindTree::new(&s);
        for (k, kn) in s.kinds.keys().enumerate() {
            for (a, an) in s.kinds.keys().enumerate() {
                assert_eq!(tree.is_a(k, a), s.is_a(kn, an), "{kn} is a {an}");
            }
        }
    }
}
