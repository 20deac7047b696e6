//! Quotes against the corpus (`eje check --corpus`): each must be in its
//! article, verbatim up to whitespace.

use std::collections::HashMap;
use std::path::Path;

use super::{Ctx, Section};
use crate::load::outline::Step;
use crate::model::names::normalize;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_corpus(&mut self, corpus: &Path) {
        let mut texts: HashMap<String, Option<String>> = HashMap::new();
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, s) in d.data.sources.iter().enumerate() {
                let path = corpus.join(&*s.file);
                let text = std::fs::read_to_string(&path).ok().map(|t| squash(&t));
                if text.is_none() {
                    let span = self.span(fi, Section::Source, i, &[Step::Field("file")]);
                    self.err(
                        "missing-article",
                        format!("`{}` is not in the corpus `{}`", s.file, corpus.display()),
                        fi,
                        span,
                    )
                    .help = Some("check the file name, or the folder given to `--corpus`".into());
                }
                texts.insert(s.id.to_string(), text);
            }
        }
        for (fi, d) in dossiers.iter().enumerate() {
            let entity_cites = d
                .data
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| (Section::Entity, i, &e.cite));
            let claim_cites = d
                .data
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| (Section::Claim, i, &c.cite));
            for (section, i, cites) in entity_cites.chain(claim_cites) {
                for (j, c) in cites.iter().enumerate() {
                    let Some(Some(text)) = texts.get(&*c.source) else {
                        continue;
                    };
                    let quote = squash(&c.quote);
                    if !quote.is_empty() && !text.contains(&quote) {
                        let span = self.span(
                            fi,
                            section,
                            i,
                            &[Step::Field("cite"), Step::Index(j), Step::Field("quote")],
                        );
                        let help = closest_passage(text, &quote);
                        self.err(
                            "quote-not-found",
                            format!("this quote is not in the article `{}`", c.source),
                            fi,
                            span,
                        )
                        .set_label("not found verbatim")
                        .help = help.map(|p| format!("the closest passage reads: “{p}”"));
                    }
                }
            }
        }
    }
}

/// Whitespace-normalised text for quote matching.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The passage of `text` sharing the longest run of words with `quote`.
fn closest_passage(text: &str, quote: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let q: Vec<&str> = quote.split(' ').collect();
    let first = *q.first()?;
    let n = q.len();
    let mut best: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if normalize(w) == normalize(first) {
            let common = words[i..]
                .iter()
                .zip(&q)
                .take_while(|(a, b)| a == b)
                .count();
            if best.is_none_or(|(_, c)| common > c) {
                best = Some((i, common));
            }
        }
    }
    let (i, _) = best?;
    Some(words[i..(i + n).min(words.len())].join(" "))
}
