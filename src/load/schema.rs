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

/// Graphviz's node shapes (graphviz.org/doc/info/shapes.html).
const GRAPHVIZ_SHAPES: &[&str] = &[
    "box",
    "polygon",
    "ellipse",
    "oval",
    "circle",
    "point",
    "egg",
    "triangle",
    "plaintext",
    "plain",
    "diamond",
    "trapezium",
    "parallelogram",
    "house",
    "pentagon",
    "hexagon",
    "septagon",
    "octagon",
    "doublecircle",
    "doubleoctagon",
    "tripleoctagon",
    "invtriangle",
    "invtrapezium",
    "invhouse",
    "Mdiamond",
    "Msquare",
    "Mcircle",
    "rect",
    "rectangle",
    "square",
    "star",
    "none",
    "underline",
    "cylinder",
    "note",
    "tab",
    "folder",
    "box3d",
    "component",
    "promoter",
    "cds",
    "terminator",
    "utr",
    "primersite",
    "restrictionsite",
    "fivepoverhang",
    "threepoverhang",
    "noverhang",
    "assembly",
    "signature",
    "insulator",
    "ribosite",
    "rnastab",
    "proteasesite",
    "proteinstab",
    "rpromoter",
    "rarrow",
    "larrow",
    "lpromoter",
    "record",
    "Mrecord",
];

/// Graphviz's colour syntax: `#rrggbb`, `#rrggbbaa`, hue-saturation-value
/// as three numbers in 0..=1, or a name (letters and digits, optionally
/// `/scheme/name`).
fn is_graphviz_color(c: &str) -> bool {
    if let Some(hex) = c.strip_prefix('#') {
        return matches!(hex.len(), 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let numbers: Vec<&str> = c.split([' ', ',']).filter(|s| !s.is_empty()).collect();
    if numbers.len() == 3
        && numbers
            .iter()
            .all(|n| n.parse::<f64>().is_ok_and(|v| (0.0..=1.0).contains(&v)))
    {
        return true;
    }
    let name = c.rsplit('/').next().unwrap_or("");
    let scheme_ok = c
        .split('/')
        .all(|part| part.bytes().all(|b| b.is_ascii_alphanumeric()));
    // Brewer colours are numbers inside their scheme (`/blues9/3`).
    let starts_ok = c.contains('/') || name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    !name.is_empty() && starts_ok && scheme_ok && c.len() <= 64
}

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
        if let Some(shape) = k.shape.as_deref().filter(|s| !GRAPHVIZ_SHAPES.contains(s)) {
            let near = nearest(shape, GRAPHVIZ_SHAPES.iter().copied(), 1);
            diags.push(
                Diagnostic::error("bad-shape", format!("`{shape}` is not a Graphviz node shape"))
                    .at(file, at(&[Step::Field("kinds"), Step::Index(i), Step::Field("shape")]))
                    .help(match near.first() {
                        Some(n) => format!("did you mean `{n}`? (the shapes are listed at https://graphviz.org/doc/info/shapes.html)"),
                        None => "use a Graphviz shape such as `box`, `ellipse` or `house`".into(),
                    }),
            );
        }
        if let Some(color) = k.color.as_deref().filter(|c| !is_graphviz_color(c)) {
            diags.push(
                Diagnostic::error("bad-color", format!("`{color}` is not a Graphviz colour"))
                    .at(file, at(&[Step::Field("kinds"), Step::Index(i), Step::Field("color")]))
                    .help("write `#rrggbb`, `#rrggbbaa`, three numbers for hue, saturation and value (`0.6 0.5 0.9`), or a colour name such as `steelblue`"),
            );
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
    let in_cycle = kinds_in_cycles(&schema);
    for (i, k) in spec.kinds.iter().enumerate() {
        if let Some(parent) = &k.parent {
            let span = at(&[Step::Field("kinds"), Step::Index(i), Step::Field("parent")]);
            if !schema.kinds.contains_key(parent) {
                unknown_kind(parent, span, diags);
            } else if schema
                .kinds
                .get_index_of(&k.name)
                .is_some_and(|ki| in_cycle[ki])
            {
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

/// Which kinds (by position) are their own ancestors, in one pass over the
/// parent links (a deep chain of kinds costs its length, not its square).
fn kinds_in_cycles(schema: &Schema) -> Vec<bool> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = schema.kinds.len();
    let parent = |i: usize| {
        schema.kinds[i]
            .parent
            .as_deref()
            .and_then(|p| schema.kinds.get_index_of(p))
    };
    let mut state = vec![NEW; n];
    let mut in_cycle = vec![false; n];
    let mut path = Vec::new();
    for start in 0..n {
        let mut cur = Some(start);
        while let Some(i) = cur {
            if state[i] != NEW {
                break;
            }
            state[i] = ON_PATH;
            path.push(i);
            cur = parent(i);
        }
        if let Some(i) = cur
            && state[i] == ON_PATH
        {
            // The path from `i` on leads back to `i`.
            let from = path.iter().position(|&p| p == i).unwrap_or(0);
            for &p in &path[from..] {
                in_cycle[p] = true;
            }
        }
        for p in path.drain(..) {
            state[p] = DONE;
        }
    }
    in_cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pairs: &[(&str, Option<&str>)]) -> Schema {
        let mut s = Schema::default();
        for (name, parent) in pairs {
            s.kinds.insert(
                name.to_string(),
                KindDef {
                    name: name.to_string(),
                    parent: parent.map(str::to_string),
                    description: String::new(),
                    style: Style::default(),
                },
            );
        }
        s
    }

    #[test]
    fn graphviz_colours() {
        for ok in [
            "#d62728",
            "#D62728ff",
            "steelblue",
            "0.6 0.5 0.9",
            "/blues9/3",
            "gray50",
        ] {
            assert!(is_graphviz_color(ok), "{ok}");
        }
        for bad in [
            "#d6272", "red\"; x", "", "9red", "1.5 0 0", "#gggggg", "a b",
        ] {
            assert!(!is_graphviz_color(bad), "{bad}");
        }
    }

    #[test]
    fn cycles_are_found_and_only_they() {
        let s = kinds(&[
            ("Entity", None),
            ("A", Some("B")),
            ("B", Some("A")),
            ("C", Some("A")),
            ("D", Some("D")),
            ("E", Some("Entity")),
        ]);
        assert_eq!(
            kinds_in_cycles(&s),
            vec![false, true, true, false, true, false]
        );
        // Walks over a cycle end.
        assert!(!s.is_a("C", "Entity"));
        assert!(s.is_a("C", "B"));
        assert_eq!(s.lineage("C"), vec!["C", "A", "B"]);
    }

    #[test]
    fn a_deep_chain_has_its_whole_lineage() {
        let names: Vec<String> = (0..100).map(|i| format!("K{i}")).collect();
        let mut pairs = vec![("Entity", None)];
        for (i, n) in names.iter().enumerate() {
            let parent = if i == 0 {
                "Entity"
            } else {
                names[i - 1].as_str()
            };
            pairs.push((n.as_str(), Some(parent)));
        }
        let s = kinds(&pairs);
        assert_eq!(s.lineage("K99").len(), 101);
        assert!(s.is_a("K99", "Entity"));
        assert!(!kinds_in_cycles(&s).contains(&true));
    }
}
