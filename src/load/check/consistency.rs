//! Rules across claims: `located_in` cycles and figures that contradict
//! each other without saying so.

use std::collections::{BTreeMap, HashSet};

use super::Decl;
use super::{Ctx, Section};
use crate::load::files::{ClaimSpec, Text, WhenSpec};
use crate::load::outline::Step;
use crate::load::schema::LOCATED_IN;
use crate::model::PartialDate;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_located_in_cycles(&mut self) {
        let mut parent: BTreeMap<&str, Vec<(&str, usize, usize)>> = BTreeMap::new();
        for (fi, d) in self.dossiers.iter().enumerate() {
            for (i, c) in d.data.claims.iter().enumerate() {
                if c.relation == LOCATED_IN {
                    parent
                        .entry(&c.subject)
                        .or_default()
                        .push((&c.object, fi, i));
                }
            }
        }
        let mut reported = HashSet::new();
        let mut found = Vec::new();
        for (&start, edges) in &parent {
            for &(next, fi, i) in edges {
                // Depth-first walk from `next`, looking for `start`.
                let mut stack = vec![next];
                let mut seen = HashSet::new();
                while let Some(n) = stack.pop() {
                    if n == start {
                        if reported.insert(start) {
                            found.push((start, fi, i));
                        }
                        break;
                    }
                    if seen.insert(n)
                        && let Some(ps) = parent.get(n)
                    {
                        stack.extend(ps.iter().map(|p| p.0));
                    }
                }
            }
        }
        for (start, fi, i) in found {
            let span = self.span(fi, Section::Claim, i, &[Step::Field("object")]);
            self.err(
                "located-in-cycle",
                format!("`{LOCATED_IN}` goes round in a circle back to `{start}`"),
                fi,
                span,
            )
            .help = Some(
                "a place cannot be inside itself: remove one of the claims in the circle".into(),
            );
        }
    }

    /// Same subject, relation and object with different figures and no
    /// `conflicts_with` between them.
    pub(super) fn check_contradictions(&mut self) {
        type Key<'a> = (&'a str, &'a str, &'a str);
        let mut groups: BTreeMap<Key<'_>, Vec<(usize, usize)>> = BTreeMap::new();
        for (fi, d) in self.dossiers.iter().enumerate() {
            for (i, c) in d.data.claims.iter().enumerate() {
                if c.quantity().is_some() {
                    groups
                        .entry((&c.subject, &c.relation, &c.object))
                        .or_default()
                        .push((fi, i));
                }
            }
        }
        let mut warnings = Vec::new();
        for list in groups.values() {
            for (a, &(fa, ia)) in list.iter().enumerate() {
                for &(fb, ib) in &list[a + 1..] {
                    let ca = &self.dossiers[fa].data.claims[ia];
                    let cb = &self.dossiers[fb].data.claims[ib];
                    let (qa, qb) = (ca.quantity(), cb.quantity());
                    let differ = match (qa, qb) {
                        (Some(x), Some(y)) => {
                            x.unit == y.unit && (x.value, x.low, x.high) != (y.value, y.low, y.high)
                        }
                        _ => false,
                    };
                    let overlapping = match (&ca.when, &cb.when) {
                        (Some(x), Some(y)) => when_overlaps(x, y),
                        _ => true,
                    };
                    let linked = |c: &ClaimSpec, other: &ClaimSpec| {
                        other.id().is_some_and(|id| c.conflicts_with().contains(id))
                    };
                    if differ && overlapping && !linked(ca, cb) && !linked(cb, ca) {
                        warnings.push((fb, ib, fa, ia));
                    }
                }
            }
        }
        for (fb, ib, fa, ia) in warnings {
            let (at_file, at_span) = self.place_span(
                Decl {
                    file: fa,
                    section: Section::Claim,
                    index: ia,
                },
                &[Step::Field("quantity")],
            );
            let span = self.span(fb, Section::Claim, ib, &[Step::Field("quantity")]);
            self.warn("undeclared-contradiction", "this figure differs from another claim of the same fact".into(), fb, span)
                .add_related(at_file, at_span, "the other figure")
                .help = Some("give both claims ids and link them with `conflicts_with`, or make them say different things".into());
        }
    }
}

fn when_overlaps(a: &WhenSpec, b: &WhenSpec) -> bool {
    let range = |w: &WhenSpec| -> (i64, i64) {
        let p = |s: &Option<Box<Text<'_>>>| s.as_deref().and_then(|s| PartialDate::parse(s).ok());
        match w {
            WhenSpec::On(d) => PartialDate::parse(d)
                .map_or((i64::MIN, i64::MAX), |d| (d.first_day(), d.last_day())),
            WhenSpec::Span { from, to } => (
                p(from).map_or(i64::MIN, |d| d.first_day()),
                p(to).map_or(i64::MAX, |d| d.last_day()),
            ),
        }
    };
    let (a0, a1) = range(a);
    let (b0, b1) = range(b);
    a0 <= b1 && b0 <= a1
}
