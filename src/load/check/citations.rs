//! Rules for citations: each one's source, quote, claimant, `states` and
//! `refers_as`; and the voices of the citations that back one thing
//! together.

use super::{Ctx, Section};
use crate::load::files::{CitationSpec, ClaimantSpec};
use crate::load::outline::Step;
use crate::model::names::{mentions_key, normalize};

/// Who speaks in a citation: its claimant, or the outlet itself (`None`).
fn voice<'s>(c: &'s CitationSpec<'_>) -> Option<&'s str> {
    c.claimant().map(|cl| match cl {
        ClaimantSpec::Entity(s) | ClaimantSpec::Unnamed(s) => &**s,
    })
}

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
        let source = self.check_ref(fi, s, &c.source, Section::Source, "source");
        if section == Section::Claim {
            let number = source.map_or(u32::MAX, |d| self.source_base[d.file] + d.index as u32);
            self.cite_sources.push(number);
        }
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
        if let Some(ClaimantSpec::Entity(id)) = c.claimant() {
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
        if section == Section::Claim && !c.states().is_empty() {
            let s = at(self, "states");
            self.err(
                "states-on-claim",
                "`states` is for the citations of events, not of claims".into(),
                fi,
                s,
            )
            .help = Some("remove `states`: a claim's citation backs the whole claim; an event's citation says with `states` which of the event's facets it backs".into());
        }
        // Most citations name nobody otherwise: normalise the quote only
        // for those that do.
        let quote = if c.refers_as().is_empty() {
            String::new()
        } else {
            normalize(&c.quote)
        };
        for (k, r) in c.refers_as().iter().enumerate() {
            if !mentions_key(&quote, &normalize(r)) {
                let s = self.span(
                    fi,
                    section,
                    i,
                    &[
                        Step::Field("cite"),
                        Step::Index(j),
                        Step::Field("refers_as"),
                        Step::Index(k),
                    ],
                );
                self.err(
                    "refers-as-not-in-quote",
                    format!("`{r}` is not in this citation's quote"),
                    fi,
                    s,
                )
                .help = Some(
                    "`refers_as` lists the words by which the quote names an entity: copy them from the quote".into(),
                );
            }
        }
    }

    /// One claim's (or one event facet's) citations should speak with one
    /// voice: the outlet's own, or one claimant's. `cites` are the indices
    /// in the item's `cite` list of the citations that back it together.
    pub(super) fn check_voices(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        cites: &[usize],
        what: &str,
    ) {
        let list = match section {
            Section::Claim => &self.dossiers[fi].data.claims[i].cite[..],
            Section::Entity => &self.dossiers[fi].data.entities[i].cite[..],
            Section::Source => return,
        };
        let Some(&first) = cites.first() else { return };
        let v0 = voice(&list[first]);
        let Some(&j) = cites.iter().find(|&&j| voice(&list[j]) != v0) else {
            return;
        };
        let v1 = voice(&list[j]);
        let name =
            |v: Option<&str>| v.map_or("the outlet itself".to_string(), |s| format!("`{s}`"));
        let (code, msg) = if v0.is_some() && v1.is_some() {
            (
                "mixed-claimants",
                format!(
                    "the citations of {what} differ in claimant: {} and {}",
                    name(v0),
                    name(v1)
                ),
            )
        } else {
            (
                "mixed-voices",
                format!(
                    "the citations of {what} mix the outlet's own voice with an attributed one ({} and {})",
                    name(v0),
                    name(v1)
                ),
            )
        };
        let span = self.span(fi, section, i, &[Step::Field("cite"), Step::Index(j)]);
        self.warn(code, msg, fi, span).help = Some(
            "who says it is part of the fact: split it into one claim (or event) per claimant, or per voice".into(),
        );
    }
}
