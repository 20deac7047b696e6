//! Rules for claims: relation type, endpoints, time shape, quantity,
//! rank and declared conflicts.

use super::Decl;
use super::{Ctx, Section};
use crate::load::dossier::RESERVED_REL_PROPS;
use crate::load::files::{ClaimSpec, QuantitySpec, RankSpec};
use crate::load::outline::Step;
use crate::model::TimeShape;
use crate::model::names::nearest;

/// The largest whole number a quantity (a 64-bit float) holds exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_claim(&mut self, fi: usize, i: usize, c: &ClaimSpec) {
        let rel_span = self.span(fi, Section::Claim, i, &[Step::Field("relation")]);
        let schema = self.schema;
        let rel_ix = self.schema_index(false, &c.relation);
        let rel = rel_ix
            .and_then(|ix| schema.relations.get_index(ix))
            .map(|(_, r)| r);
        if rel.is_none() {
            // Indexed and cached: many claims may share a misspelling.
            let near = self
                .suggest
                .relations(self.schema)
                .suggest(&c.relation, 1)
                .into_iter()
                .next()
                .map(|s| s.id);
            self.err(
                "unknown-relation",
                format!("unknown relation type `{}`", c.relation),
                fi,
                rel_span.clone(),
            )
            .set_label("not declared in schema.ron")
            .help = near.map(|n| format!("did you mean `{n}`?"));
        }
        let s_span = self.span(fi, Section::Claim, i, &[Step::Field("subject")]);
        let o_span = self.span(fi, Section::Claim, i, &[Step::Field("object")]);
        let s_decl = self.check_ref(fi, s_span, &c.subject, Section::Entity, "subject");
        let o_decl = self.check_ref(fi, o_span, &c.object, Section::Entity, "object");
        let node =
            |d: Option<Decl>| d.map_or(u32::MAX, |d| self.node_base[d.file] + d.index as u32);
        let ends = [node(s_decl), node(o_decl)];
        self.ends.push(ends);
        if let (Some(s), Some(o), Some(ri)) = (s_decl, o_decl, rel_ix) {
            // Both are entities: their kinds by node, from the table of
            // kinds. A triple of kinds already allowed needs nothing more;
            // an unknown kind is reported with its entity.
            let kind_ix = |n: u32| self.kind_ix[n as usize];
            let slot = (ri as u32, kind_ix(ends[0]), kind_ix(ends[1]));
            let unknown_kind = slot.1 == u32::MAX || slot.2 == u32::MAX;
            if !unknown_kind && !self.endpoints_ok.contains(&slot) {
                let kind = |d: Decl| &*self.dossiers[d.file].data.entities[d.index].kind;
                let (sk, ok) = (kind(s), kind(o));
                self.check_endpoint_kinds(fi, rel_span.clone(), &c.relation, sk, ok, "here");
            }
        }
        if let Some(rel) = &rel {
            let point = c
                .when
                .as_ref()
                .and_then(|w| self.check_when(fi, Section::Claim, i, w));
            let ok = !matches!(
                (rel.time, point),
                (TimeShape::Timeless, Some(_))
                    | (TimeShape::Point, Some(false))
                    | (TimeShape::Interval, Some(true))
            );
            if !ok {
                let span = self.span(fi, Section::Claim, i, &[Step::Field("when")]);
                self.err(
                    "time-shape",
                    format!(
                        "`{}` takes {}, not this `when`",
                        rel.name,
                        rel.time.as_str()
                    ),
                    fi,
                    span,
                )
                .help = Some(match rel.time {
                    TimeShape::Timeless => "remove `when`, or use a dated relation type".into(),
                    TimeShape::Point => {
                        "write `when: On(\"YYYY-MM-DD\")` (a partial date covers a span)".into()
                    }
                    _ => "write `when: Span(from: ..., to: ...)`".into(),
                });
            }
            if let Some(q) = c.quantity() {
                self.check_quantity(fi, i, q, rel.unit.as_deref(), &rel.name);
            }
        } else if let Some(w) = &c.when {
            self.check_when(fi, Section::Claim, i, w);
        }
        self.check_props(
            fi,
            Section::Claim,
            i,
            c.props().into_iter().flat_map(|p| p.keys()).collect(),
            RESERVED_REL_PROPS,
        );
        if c.cite.is_empty() {
            let span = self.span(fi, Section::Claim, i, &[]).first_byte();
            self.err("no-citation", "a claim without a citation".into(), fi, span)
                .help = Some("add `cite: [(source: ..., quote: ..., hedge: ...)]`: a fact no source states does not belong in the graph".into());
        }
        for (j, cit) in c.cite.iter().enumerate() {
            self.check_citation(fi, Section::Claim, i, j, cit);
        }
        // One citation speaks with one voice.
        if c.cite.len() > 1 {
            let all: Vec<usize> = (0..c.cite.len()).collect();
            self.check_voices(fi, Section::Claim, i, &all, "this claim");
        }
        if let Some(RankSpec::Deprecated(reason)) = c.rank()
            && reason.trim().is_empty()
        {
            let span = self.span(fi, Section::Claim, i, &[Step::Field("rank")]);
            self.err(
                "deprecated-without-reason",
                "a deprecated claim needs a reason".into(),
                fi,
                span,
            )
            .help = Some("write `rank: Deprecated(\"why\")`".into());
        }
        for (j, other) in c.conflicts_with().iter().enumerate() {
            let span = self.span(
                fi,
                Section::Claim,
                i,
                &[Step::Field("conflicts_with"), Step::Index(j)],
            );
            if c.id().map(|id| &**id) == Some(&**other) {
                self.err(
                    "self-conflict",
                    "a claim cannot conflict with itself".into(),
                    fi,
                    span,
                );
            } else {
                self.check_ref(fi, span, other, Section::Claim, "rival claim");
            }
        }
    }

    pub(super) fn check_quantity(
        &mut self,
        fi: usize,
        i: usize,
        q: &QuantitySpec,
        rel_unit: Option<&str>,
        rel: &str,
    ) {
        let span = |this: &Self, f| {
            this.span(
                fi,
                Section::Claim,
                i,
                &[Step::Field("quantity"), Step::Field(f)],
            )
        };
        let whole = self.span(fi, Section::Claim, i, &[Step::Field("quantity")]);
        if q.value.is_none() && q.low.is_none() && q.high.is_none() {
            self.err("quantity-without-value", "a quantity needs `value`, or `low` and/or `high`".into(), fi, whole.clone())
                .help = Some("leave the quantity out when the source gives no number, and keep its wording in the quote".into());
        }
        if q.value.is_some() && (q.low.is_some() || q.high.is_some()) {
            self.err(
                "quantity-value-and-range",
                "give either `value` or `low`/`high`, not both".into(),
                fi,
                whole.clone(),
            );
        }
        if let (Some(lo), Some(hi)) = (q.low, q.high)
            && lo > hi
        {
            let s = span(self, "low");
            self.err(
                "quantity-low-above-high",
                format!("`low` ({lo}) is above `high` ({hi})"),
                fi,
                s,
            )
            .help = Some("swap them".into());
        }
        for (name, v) in [("value", q.value), ("low", q.low), ("high", q.high)] {
            if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
                let s = span(self, name);
                self.err(
                    "quantity-negative",
                    format!("`{name}` must be a finite number, zero or more"),
                    fi,
                    s,
                );
            } else if v.is_some_and(|v| v > MAX_EXACT) {
                // Beyond 2^53 a number is silently rounded: say so instead.
                let s = span(self, name);
                self.err(
                    "quantity-too-large",
                    format!("`{name}` is larger than eje holds exactly (9007199254740992)"),
                    fi,
                    s,
                )
                .help = Some(
                    "give the figure in a larger unit, and keep the source's wording in `text`"
                        .into(),
                );
            }
        }
        let unit_span = span(self, "unit");
        if !self.schema.units.contains_key(&*q.unit) {
            let near = nearest(&q.unit, self.schema.units.keys().map(String::as_str), 1);
            self.err(
                "unknown-unit",
                format!("unknown unit `{}`", q.unit),
                fi,
                unit_span,
            )
            .help = near.first().map(|n| format!("did you mean `{n}`?"));
        } else {
            match rel_unit {
                None => {
                    self.err(
                        "unexpected-quantity",
                        format!("`{rel}` takes no quantity"),
                        fi,
                        whole,
                    )
                    .help = Some(format!(
                        "declare `unit` on `{rel}` in schema.ron, or drop the quantity"
                    ));
                }
                Some(u) if u != q.unit => {
                    self.err(
                        "wrong-unit",
                        format!("`{rel}` is measured in `{u}`, not `{}`", q.unit),
                        fi,
                        unit_span,
                    )
                    .help = Some(format!("write `unit: \"{u}\"`"));
                }
                Some(_) => {}
            }
        }
        if q.text.trim().is_empty() {
            let s = span(self, "text");
            self.err(
                "empty-field",
                "a quantity needs the source's wording in `text`".into(),
                fi,
                s,
            );
        }
    }
}
