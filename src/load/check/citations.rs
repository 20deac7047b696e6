//! Rules for a single citation: its source, quote and claimant.

use super::{Ctx, Section};
use crate::load::files::{CitationSpec, ClaimantSpec};
use crate::load::outline::Step;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_citation(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        j: usize,
        c: &CitationSpec,
    ) {
        let at = |this: &Self, f| {
            this.span(
                fi,
                section,
                i,
                &[Step::Field("cite"), Step::Index(j), Step::Field(f)],
            )
        };
        let s = at(self, "source");
        self.check_ref(fi, s, &c.source, Section::Source, "source");
        if c.quote.trim().is_empty() {
            let s = at(self, "quote");
            self.err(
                "empty-quote",
                "a citation needs a verbatim quote".into(),
                fi,
                s,
            );
        } else {
            let words = c.quote.split_whitespace().count();
            if words > 40 {
                let s = at(self, "quote");
                self.warn(
                    "long-quote",
                    format!("this quote has {words} words; keep quotes short (about 25)"),
                    fi,
                    s,
                );
            }
        }
        if let Some(ClaimantSpec::Entity(id)) = &c.claimant {
            let s = self.span(
                fi,
                section,
                i,
                &[
                    Step::Field("cite"),
                    Step::Index(j),
                    Step::Field("claimant"),
                    Step::Index(0),
                ],
            );
            self.check_ref(fi, s, id, Section::Entity, "claimant");
        }
    }
}
