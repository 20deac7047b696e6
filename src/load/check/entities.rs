//! Rules for sources and entities, events included (their place,
//! participants and roles).

use super::{Ctx, Section};
use crate::load::dossier::RESERVED_NODE_PROPS;
use crate::load::files::{EntitySpec, SourceSpec};
use crate::load::outline::Step;
use crate::load::schema::{HELD_AT, PARTICIPANT_IN};
use crate::model::names::nearest;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_source(&mut self, fi: usize, i: usize, s: &SourceSpec) {
        if let Some(p) = &s.publisher {
            let span = self.span(fi, Section::Source, i, &[Step::Field("publisher")]);
            self.check_ref(fi, span, p, Section::Entity, "publisher");
        }
        if let Some(date) = &s.published {
            let span = self.span(fi, Section::Source, i, &[Step::Field("published")]);
            self.check_date(fi, span, date);
        }
        if s.file.trim().is_empty() {
            let span = self.span(fi, Section::Source, i, &[Step::Field("file")]);
            self.err(
                "empty-field",
                "a source needs the article's file name".into(),
                fi,
                span,
            );
        }
    }

    pub(super) fn check_entity(&mut self, fi: usize, i: usize, e: &EntitySpec) {
        self.check_kind(fi, i, &e.kind);
        if e.name.trim().is_empty() {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("name")]);
            self.err(
                "empty-field",
                format!("entity `{}` has an empty name", e.id),
                fi,
                span,
            );
        }
        self.check_props(
            fi,
            Section::Entity,
            i,
            e.props.keys().collect(),
            RESERVED_NODE_PROPS,
        );
        if let Some(w) = &e.when {
            self.check_when(fi, Section::Entity, i, w);
        }
        if let Some(at) = &e.at {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("at")]);
            if self
                .check_ref(fi, span.clone(), at, Section::Entity, "place")
                .is_some()
            {
                self.check_endpoints(fi, span, HELD_AT, &e.kind, at, "`at`");
            }
        }
        let roles = self
            .schema
            .relations
            .get(PARTICIPANT_IN)
            .map(|r| r.roles.clone());
        for (j, p) in e.participants.iter().enumerate() {
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
            if self
                .check_ref(fi, span.clone(), &p.entity, Section::Entity, "participant")
                .is_some()
            {
                self.check_endpoints(
                    fi,
                    span,
                    PARTICIPANT_IN,
                    &p.entity.clone(),
                    &e.id,
                    "participant",
                );
            }
            match &roles {
                None => {
                    let span = self.span(fi, Section::Entity, i, &[Step::Field("participants")]);
                    self.err(
                        "missing-relation",
                        format!(
                            "participants need the relation type `{PARTICIPANT_IN}` in schema.ron"
                        ),
                        fi,
                        span,
                    );
                }
                Some(roles) if !roles.is_empty() && !roles.iter().any(|r| *r == p.role) => {
                    let span = self.span(
                        fi,
                        Section::Entity,
                        i,
                        &[
                            Step::Field("participants"),
                            Step::Index(j),
                            Step::Field("role"),
                        ],
                    );
                    let near = nearest(&p.role, roles.iter().map(String::as_str), 1);
                    self.err(
                        "unknown-role",
                        format!("unknown role `{}`", p.role),
                        fi,
                        span,
                    )
                    .set_label(format!("`{PARTICIPANT_IN}` accepts: {}", roles.join(", ")))
                    .help = near.first().map(|n| format!("did you mean `{n}`?"));
                }
                Some(_) => {}
            }
        }
        let is_event = e.when.is_some() || e.at.is_some() || !e.participants.is_empty();
        if is_event && e.cite.is_empty() {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
            self.err(
                "no-citation",
                format!("event `{}` has no citation", e.id),
                fi,
                span,
            )
            .help = Some(
                "add `cite: [(source: ..., quote: ..., hedge: ...)]` with the words that report it"
                    .into(),
            );
        }
        if e.at.is_some() && !self.schema.relations.contains_key(HELD_AT) {
            let span = self.span(fi, Section::Entity, i, &[Step::Field("at")]);
            self.err(
                "missing-relation",
                format!("`at` needs the relation type `{HELD_AT}` in schema.ron"),
                fi,
                span,
            );
        }
        for (j, c) in e.cite.iter().enumerate() {
            self.check_citation(fi, Section::Entity, i, j, c);
        }
    }
}
