//! Ids: each must be lowercase snake_case and unique across all files;
//! `IdMap` finds a declaration by id.

use super::{Decl, Section, Shared};
use crate::diag::Diagnostic;
use crate::load::FastMap;
use crate::load::outline::Step;
use crate::model::names::normalize;

impl<'c> Shared<'c, '_> {
    /// Indexes every id, reporting bad and duplicate ones.
    pub(super) fn index_ids(self, diags: &mut Vec<Diagnostic>) -> IdMap<'c> {
        let no_ids = IdMap::default();
        let mut ctx = self.ctx(&no_ids, diags);
        let mut map = IdMap::default();
        let id_re = |id: &str| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            let sections: [(Section, Vec<Option<&str>>); 3] = [
                (
                    Section::Source,
                    d.data.sources.iter().map(|s| Some(s.id.as_ref())).collect(),
                ),
                (
                    Section::Entity,
                    d.data
                        .entities
                        .iter()
                        .map(|e| Some(e.id.as_ref()))
                        .collect(),
                ),
                (
                    Section::Claim,
                    d.data.claims.iter().map(|c| c.id.as_deref()).collect(),
                ),
            ];
            for (section, ids) in sections {
                for (i, id) in ids.into_iter().enumerate() {
                    let Some(id) = id else { continue };
                    let span = ctx.span(fi, section, i, &[Step::Field("id")]);
                    if !id_re(id) {
                        let fixed: String = normalize(id).replace(' ', "_");
                        ctx.err(
                            "bad-id",
                            format!("id `{id}` is not lowercase snake_case"),
                            fi,
                            span.clone(),
                        )
                        .help = Some(format!("write it as `{fixed}`"));
                    }
                    let decl = Decl {
                        file: fi,
                        section,
                        index: i,
                    };
                    if let Some(first) = map.get(id).copied() {
                        let (first_file, first_span) = ctx.place_span(first, &[Step::Field("id")]);
                        ctx.err(
                            "duplicate-id",
                            format!("id `{id}` is already used by {}", first.section.noun()),
                            fi,
                            span,
                        )
                        .set_label("declared again here")
                        .add_related(first_file, first_span, "first declared here")
                        .help = Some("ids are global across all files: rename one of them".into());
                    } else {
                        map.insert(id, decl);
                    }
                }
            }
        }
        map
    }
}

/// Declarations by id. Ids of up to 23 bytes (nearly all) are stored inside
/// the table, so a lookup touches one cache line instead of also chasing a
/// pointer into a file's text.
#[derive(Default)]
pub struct IdMap<'c> {
    short: FastMap<[u8; 24], Decl>,
    long: FastMap<&'c str, Decl>,
}

fn inline_key(id: &str) -> Option<[u8; 24]> {
    let b = id.as_bytes();
    (b.len() < 24).then(|| {
        let mut k = [0u8; 24];
        k[0] = b.len() as u8;
        k[1..=b.len()].copy_from_slice(b);
        k
    })
}

impl<'c> IdMap<'c> {
    pub fn get(&self, id: &str) -> Option<&Decl> {
        match inline_key(id) {
            Some(k) => self.short.get(&k),
            None => self.long.get(id),
        }
    }

    pub fn insert(&mut self, id: &'c str, decl: Decl) {
        match inline_key(id) {
            Some(k) => self.short.insert(k, decl),
            None => self.long.insert(id, decl),
        };
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Decl)> + '_ {
        let short = self.short.iter().map(|(k, d)| {
            let len = usize::from(k[0]);
            // Built from a &str, so always UTF-8.
            (std::str::from_utf8(&k[1..=len]).unwrap_or(""), d)
        });
        short.chain(self.long.iter().map(|(k, d)| (*k, d)))
    }
}
