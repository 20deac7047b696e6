//! Facets of events: every citation of an event says which of its facets
//! (the place, the date, each participant) its quote states, and every
//! facet must be stated by at least one citation.

use super::{Ctx, Section};
use crate::load::dossier::{states_at, states_when, states_who};
use crate::load::files::{CitationSpec, EntitySpec, Fact};
use crate::load::outline::Step;
use crate::model::names::nearest;

/// Whether an entity is an event with facets to back.
pub(super) fn has_facets(e: &EntitySpec<'_>) -> bool {
    e.when.is_some() || e.at.is_some() || !e.participants.is_empty()
}

/// The `states` list that would state every facet of an event, as written
/// in a file: `[At, When, Who("putin")]`.
fn all_states(e: &EntitySpec<'_>) -> String {
    let mut facts = Vec::new();
    if e.at.is_some() {
        facts.push("At".to_string());
    }
    if e.when.is_some() {
        facts.push("When".to_string());
    }
    for p in &e.participants {
        facts.push(format!("Who(\"{}\")", p.entity));
    }
    format!("[{}]", facts.join(", "))
}

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    /// The facet rules of one file: either the whole file is in the form
    /// without `states` (one error that shows the rewrite), or each event's
    /// facets are checked one by one.
    pub(super) fn check_facets(&mut self, fi: usize) {
        let entities = &self.dossiers[fi].data.entities;
        let events: Vec<usize> = (0..entities.len())
            .filter(|&i| has_facets(&entities[i]) && !entities[i].cite.is_empty())
            .collect();
        let uses_states = events
            .iter()
            .any(|&i| entities[i].cite.iter().any(|c| !c.states().is_empty()));
        match events.first() {
            None => {}
            Some(&first) if !uses_states => self.report_old_form(fi, first, events.len()),
            Some(_) => {
                for i in events {
                    self.check_event_facets(fi, i, &entities[i]);
                }
            }
        }
    }

    fn report_old_form(&mut self, fi: usize, i: usize, count: usize) {
        let e = &self.dossiers[fi].data.entities[i];
        let span = self.span(fi, Section::Entity, i, &[Step::Field("cite")]);
        let example = e.cite.first().map_or(String::new(), |c| {
            format!(
                "(source: \"{}\", quote: \"{}\", hedge: {:?}, states: {})",
                c.source,
                c.quote,
                c.hedge,
                all_states(e)
            )
        });
        let others = match count {
            1 => String::new(),
            2 => " (and those of the other event of this file)".to_string(),
            n => format!(" (and those of the {} other events of this file)", n - 1),
        };
        self.err(
            "event-citation-facets",
            format!(
                "the citations of event `{}`{others} do not say what they state",
                e.id
            ),
            fi,
            span,
        )
        .add_note(
            "each citation of an event backs only the facets its quote states: the place (`At`), the date (`When`), each participant (`Who(\"id\")`)".to_string(),
        )
        .help = Some(format!(
            "add `states` to each citation, keeping only what its quote says, e.g. `{example}`"
        ));
    }

    fn check_event_facets(&mut self, fi: usize, i: usize, e: &'c EntitySpec<'a>) {
        let participants: Vec<&str> = e.participants.iter().map(|p| &*p.entity).collect();
        for (j, c) in e.cite.iter().enumerate() {
            for (k, fact) in c.states().iter().enumerate() {
                let missing = match fact {
                    Fact::At if e.at.is_none() => Some(("a place", "`at`")),
                    Fact::When if e.when.is_none() => Some(("a date", "`when`")),
                    _ => None,
                };
                let span = self.span(
                    fi,
                    Section::Entity,
                    i,
                    &[
                        Step::Field("cite"),
                        Step::Index(j),
                        Step::Field("states"),
                        Step::Index(k),
                    ],
                );
                if let Some((what, field)) = missing {
                    self.err(
                        "facet-not-in-event",
                        format!("event `{}` has no {field} for this citation to state", e.id),
                        fi,
                        span,
                    )
                    .help = Some(format!(
                        "remove it from `states`, or give the event {what} with {field}"
                    ));
                } else if let Fact::Who(p) = fact
                    && !participants.contains(&&**p)
                {
                    let near = nearest(p, participants.iter().copied(), 1);
                    self.err(
                        "facet-not-in-event",
                        format!("`{p}` is not a participant of event `{}`", e.id),
                        fi,
                        span,
                    )
                    .help = Some(match near.first() {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => format!(
                            "add `(entity: \"{p}\", role: ...)` to `participants`, or remove it from `states`"
                        ),
                    });
                }
            }
        }
        let syntax = format!(
            "(source: ..., quote: ..., hedge: ..., states: {})",
            all_states(e)
        );
        if e.at.is_some() && !e.cite.iter().any(states_at) {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("at")]);
            self.err(
                "unstated-facet",
                format!("no citation of event `{}` states its place", e.id),
                fi,
                span,
            )
            .help = Some(format!(
                "add `At` to the `states` of a citation whose quote gives the place, as in `{syntax}`, or remove `at`"
            ));
        }
        if e.when.is_some() && !e.cite.iter().any(states_when) {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("when")]);
            self.err(
                "unstated-facet",
                format!("no citation of event `{}` states its date", e.id),
                fi,
                span,
            )
            .help = Some(format!(
                "add `When` to the `states` of a citation whose quote gives the date, as in `{syntax}`, or remove `when`"
            ));
        }
        for (j, p) in e.participants.iter().enumerate() {
            if !e.cite.iter().any(|c| states_who(c, &p.entity)) {
                let span = self.span(
                    fi,
                    Section::Entity,
                    i,
                    &[
                        Step::Field("participants"),
                        Step::Index(j),
                        Step::Field("entity"),
                    ],
                );
                self.err(
                    "unstated-facet",
                    format!(
                        "no citation of event `{}` states that `{}` took part",
                        e.id, p.entity
                    ),
                    fi,
                    span,
                )
                .help = Some(format!(
                    "add `Who(\"{}\")` to the `states` of a citation whose quote names them, as in `{syntax}`, or remove the participant",
                    p.entity
                ));
            }
        }
        let backing = |f: &dyn Fn(&CitationSpec<'_>) -> bool| -> Vec<usize> {
            (0..e.cite.len()).filter(|&j| f(&e.cite[j])).collect()
        };
        if e.at.is_some() {
            let at = backing(&states_at);
            self.check_voices(
                fi,
                Section::Entity,
                i,
                &at,
                &format!("the place of `{}`", e.id),
            );
        }
        if e.when.is_some() {
            let when = backing(&states_when);
            self.check_voices(
                fi,
                Section::Entity,
                i,
                &when,
                &format!("the date of `{}`", e.id),
            );
        }
        for p in &e.participants {
            let who = backing(&|c| states_who(c, &p.entity));
            let what = format!("`{}` in `{}`", p.entity, e.id);
            self.check_voices(fi, Section::Entity, i, &who, &what);
        }
    }
}
