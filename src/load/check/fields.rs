//! Rules for the values of single fields: dates, `when`, kinds and
//! reserved property names.

use super::{Ctx, Loc, Section};
use crate::load::files::WhenSpec;
use crate::load::outline::Step;
use crate::model::PartialDate;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_date(
        &mut self,
        fi: usize,
        span: Loc<'_>,
        text: &str,
    ) -> Option<PartialDate> {
        match PartialDate::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err("bad-date", e.0, fi, span).help =
                    Some("dates are ISO prefixes: `2025`, `2024-08`, `2025-10-27`".into());
                None
            }
        }
    }

    /// Checks a `when` and returns whether it is a point.
    pub(super) fn check_when(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        when: &WhenSpec,
    ) -> Option<bool> {
        match when {
            WhenSpec::On(d) => {
                let span = self.span(fi, section, i, &[Step::Field("when"), Step::Index(0)]);
                self.check_date(fi, span, d);
                Some(true)
            }
            WhenSpec::Span { from, to } => {
                let mut dates = [None, None];
                for (k, (name, v)) in [("from", from), ("to", to)].into_iter().enumerate() {
                    if let Some(v) = v {
                        let span =
                            self.span(fi, section, i, &[Step::Field("when"), Step::Field(name)]);
                        dates[k] = self.check_date(fi, span, v);
                    }
                }
                if let [Some(a), Some(b)] = dates
                    && a.first_day() > b.last_day()
                {
                    let span = self.span(fi, section, i, &[Step::Field("when")]);
                    self.err(
                        "from-after-to",
                        format!("the span starts ({a}) after it ends ({b})"),
                        fi,
                        span,
                    )
                    .help = Some("swap `from` and `to`".into());
                }
                if from.is_none() && to.is_none() {
                    let span = self.span(fi, section, i, &[Step::Field("when")]);
                    self.err(
                        "empty-span",
                        "a `Span` needs `from`, `to` or both".into(),
                        fi,
                        span,
                    );
                }
                Some(false)
            }
        }
    }

    pub(super) fn check_props(
        &mut self,
        fi: usize,
        section: Section,
        i: usize,
        keys: Vec<&String>,
        reserved: &[&str],
    ) {
        for k in keys {
            if reserved.contains(&k.as_str()) {
                let span = self.span(fi, section, i, &[Step::Field("props"), Step::Key(k)]);
                self.err(
                    "reserved-prop",
                    format!("property `{k}` is reserved: eje sets it itself"),
                    fi,
                    span,
                )
                .help = Some(match reserved_field(k) {
                    Some(f) => format!("use the `{f}` field instead"),
                    None => format!("rename it, e.g. `{k}_name`"),
                });
            }
        }
    }

    pub(super) fn check_kind(&mut self, fi: usize, i: usize, kind: &str) -> bool {
        if self.schema.kinds.contains_key(kind) {
            return true;
        }
        let span = self.span(fi, Section::Entity, i, &[Step::Field("kind")]);
        // Indexed and cached: thousands of entities may share a misspelling.
        let near = self
            .suggest
            .kinds(self.schema)
            .suggest(kind, 1)
            .into_iter()
            .next()
            .map(|s| s.id);
        self.err("unknown-kind", format!("unknown kind `{kind}`"), fi, span)
            .set_label("not declared in schema.ron")
            .help = near.map(|n| format!("did you mean `{n}`?"));
        false
    }
}

/// The format's own field that sets a reserved property, if any.
fn reserved_field(key: &str) -> Option<&str> {
    match key {
        "date" | "start" | "end" | "known_until" => Some("when"),
        "quantity" | "quantity_low" | "quantity_high" | "approx" | "unit" | "quantity_text" => {
            Some("quantity")
        }
        "hedge" | "sources" | "claimants" | "quotes" | "citations" => Some("cite"),
        "rank" | "rank_reason" => Some("rank"),
        "id" | "name" | "kind" | "aliases" | "description" | "note" | "conflicts_with" => Some(key),
        _ => None,
    }
}
