//! Warnings for what is declared and never used: sources never cited,
//! entities in no claim.

use super::{Ctx, Section};
use crate::load::outline::Step;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn warn_unused(&mut self) {
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, s) in d.data.sources.iter().enumerate() {
                if !self.is_marked(&s.id, Section::Source) {
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
            for (i, e) in d.data.entities.iter().enumerate() {
                let is_event = e.when.is_some() || e.at.is_some() || !e.participants.is_empty();
                if !is_event && !self.is_marked(&e.id, Section::Entity) {
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
}
