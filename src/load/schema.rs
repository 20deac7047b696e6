//! Checks `schema.ron` and turns it into the in-memory `model::Schema`.

use std::collections::HashSet;

use super::files::{SchemaFile, TimeShapeSpec};
use super::outline::{Item, Step};
use crate::diag::Diagnostic;
use crate::model::names::nearest;
use crate::model::{KindDef, RelationDef, Schema, Style, TimeShape, UnitDef};

/// Kinds and relation types the loader itself relies on.
pub const ROOT_KIND: &str = "Entity";
pub const EVENT_KIND: &str = "Event";
pub const MEETING_KIND: &str = "Meeting";
pub const PLACE_KIND: &str = "Place";
pub const PARTICIPANT_IN: &str = "participant_in";
pub const HELD_AT: &str = "held_at";
pub const MET_WITH: &str = "met_with";
pub const LOCATED_IN: &str = "located_in";

pub fn convert(
    file: &str,
    spec: &SchemaFile,
    outline: &Item,
    diags: &mut Vec<Diagnostic>,
) -> Schema {
    let mut schema = Schema::default();
    let at = |path: &[Step<'_>]| outline.span(path);

    for (i, k) in spec.kinds.iter().enumerate() {
        let here = [Step::Field("kinds"), Step::Index(i), Step::Field("name")];
        if schema.kinds.contains_key(&k.name) {
            diags.push(
                Diagnostic::error(
                    "duplicate-kind",
                    format!("kind `{}` is declared twice", k.name),
                )
                .at(file, at(&here))
                .label("declared again here"),
            );
            continue;
        }
        schema.kinds.insert(
            k.name.clone(),
            KindDef {
                name: k.name.clone(),
                parent: k.parent.clone(),
                description: k.description.clone(),
                style: Style {
                    shape: k.shape.clone().unwrap_or_default(),
                    color: k.color.clone().unwrap_or_default(),
                },
            },
        );
    }
    let kind_names: Vec<&str> = spec.kinds.iter().map(|k| k.name.as_str()).collect();
    let unknown_kind = |name: &str, span, diags: &mut Vec<Diagnostic>| {
        let near = nearest(name, kind_names.iter().copied(), 1);
        diags.push(
            Diagnostic::error("unknown-kind", format!("unknown kind `{name}`"))
                .at(file, span)
                .label("not declared in `kinds`")
                .help_opt(near.first().map(|n| format!("did you mean `{n}`?"))),
        );
    };
    for (i, k) in spec.kinds.iter().enumerate() {
        if let Some(parent) = &k.parent {
            let span = at(&[Step::Field("kinds"), Step::Index(i), Step::Field("parent")]);
            if !schema.kinds.contains_key(parent) {
                unknown_kind(parent, span, diags);
            } else if schema.lineage(parent).contains(&k.name.as_str()) {
                diags.push(
                    Diagnostic::error(
                        "kind-cycle",
                        format!("kind `{}` is its own ancestor", k.name),
                    )
                    .at(file, span)
                    .label("this parent leads back to the kind"),
                );
            }
        } else if k.name != ROOT_KIND {
            diags.push(
                Diagnostic::error(
                    "kind-without-parent",
                    format!("kind `{}` has no parent", k.name),
                )
                .at(file, at(&[Step::Field("kinds"), Step::Index(i)]))
                .help(format!(
                    "every kind but `{ROOT_KIND}` descends from it: add `parent: \"{ROOT_KIND}\"`"
                )),
            );
        }
    }
    if !schema.kinds.contains_key(ROOT_KIND) {
        diags.push(
            Diagnostic::error(
                "missing-kind",
                format!("the schema has no root kind `{ROOT_KIND}`"),
            )
            .at(file, at(&[Step::Field("kinds")])),
        );
    }

    let mut unit_names = HashSet::new();
    for (i, u) in spec.units.iter().enumerate() {
        if !unit_names.insert(u.name.clone()) {
            diags.push(
                Diagnostic::error(
                    "duplicate-unit",
                    format!("unit `{}` is declared twice", u.name),
                )
                .at(
                    file,
                    at(&[Step::Field("units"), Step::Index(i), Step::Field("name")]),
                ),
            );
        }
        schema.units.insert(
            u.name.clone(),
            UnitDef {
                name: u.name.clone(),
                description: u.description.clone(),
            },
        );
    }

    for (i, r) in spec.relations.iter().enumerate() {
        let base = [Step::Field("relations"), Step::Index(i)];
        let field = |f| {
            let mut p = base.to_vec();
            p.push(Step::Field(f));
            at(&p)
        };
        if schema.relations.contains_key(&r.name) {
            diags.push(
                Diagnostic::error(
                    "duplicate-relation",
                    format!("relation type `{}` is declared twice", r.name),
                )
                .at(file, field("name")),
            );
            continue;
        }
        for (end, kinds) in [("from", &r.from), ("to", &r.to)] {
            for (j, k) in kinds.iter().enumerate() {
                if !schema.kinds.contains_key(k) {
                    let mut p = base.to_vec();
                    p.extend([Step::Field(end), Step::Index(j)]);
                    unknown_kind(k, at(&p), diags);
                }
            }
        }
        if let Some(u) = &r.unit
            && !unit_names.contains(u)
        {
            let near = nearest(u, spec.units.iter().map(|u| u.name.as_str()), 1);
            diags.push(
                Diagnostic::error("unknown-unit", format!("unknown unit `{u}`"))
                    .at(file, field("unit"))
                    .label("not declared in `units`")
                    .help_opt(near.first().map(|n| format!("did you mean `{n}`?"))),
            );
        }
        schema.relations.insert(
            r.name.clone(),
            RelationDef {
                name: r.name.clone(),
                description: r.description.clone(),
                from: r.from.clone(),
                to: r.to.clone(),
                symmetric: r.symmetric,
                time: match r.time {
                    TimeShapeSpec::Point => TimeShape::Point,
                    TimeShapeSpec::Interval => TimeShape::Interval,
                    TimeShapeSpec::Any => TimeShape::Any,
                    TimeShapeSpec::Timeless => TimeShape::Timeless,
                },
                unit: r.unit.clone(),
                roles: r.roles.clone(),
            },
        );
    }
    schema
}
