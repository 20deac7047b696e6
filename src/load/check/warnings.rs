//! Warnings for what is declared and never used: sources never cited,
//! entities in no claim.

use super::{Ctx, Decl, Section};
use crate::load::outline::Step;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn warn_unused(&mut self) {
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            let ids: Vec<&str> = d.data.sources.iter().map(|s| &*s.id).collect();
            let marked = self.marked(&ids, Section::Source);
            for ((i, s), marked) in d.data.sources.iter().enumerate().zip(marked) {
                if !marked {
                    let span = self.span(fi, Section::Source, i, &[Step::Field("id")]);
                    self.warn(
                        "orphan-source",
                        format!("source `{}` is never cited", s.id),
                        fi,
                        span,
                    )
                    .help = Some("cite it from a claim, or remove it".into());
                }
            }
            let ids: Vec<&str> = d.data.entities.iter().map(|e| &*e.id).collect();
            let marked = self.marked(&ids, Section::Entity);
            for ((i, e), marked) in d.data.entities.iter().enumerate().zip(marked) {
                let is_event = e.when.is_some() || e.at.is_some() || !e.participants.is_empty();
                if !is_event && !marked {
                    let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
                    self.warn(
                        "unused-entity",
                        format!("entity `{}` takes part in no claim", e.id),
                        fi,
                        span,
                    )
                    .help = Some("add the claims that involve it, or remove it".into());
                }
            }
        }
    }

    /// Whether the declaration each of `ids` names in `section` was
    /// referenced, the ids looked up in one run (`IdMap::get_many`): every
    /// source and entity is looked up here, a likely cache miss each.
    fn marked(&self, ids: &[&str], section: Section) -> Vec<bool> {
        let mut decls: Vec<Option<Decl>> = Vec::with_capacity(ids.len());
        self.ids.get_many(ids, &mut decls);
        decls
            .into_iter()
            .map(|d| d.is_some_and(|d| self.is_marked(d, section)))
            .collect()
    }
}
