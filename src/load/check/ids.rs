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
                    d.data
                        .claims
                        .iter()
                        .map(|c| c.id.as_deref().map(|id| &**id))
                        .collect(),
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
                    if let Some(first) = map.get(id) {
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

/// Declarations by id. Ids of up to 15 bytes (nearly all) are stored inside
/// the table, with the declaration packed into 8 bytes: an entry is 24
/// bytes, so the table of a million ids stays small and a lookup touches
/// one cache line instead of also chasing a pointer into a file's text.
#[derive(Default)]
pub struct IdMap<'c> {
    short: FastMap<[u8; 16], Packed>,
    long: FastMap<&'c str, Decl>,
}

/// A `Decl` in 8 bytes: the section in the top 2 bits, then the file in 30
/// bits, then the index in 32.
#[derive(Clone, Copy)]
struct Packed(u64);

impl Packed {
    fn new(d: Decl) -> Option<Self> {
        let section = match d.section {
            Section::Source => 0u64,
            Section::Entity => 1,
            Section::Claim => 2,
        };
        let file = u64::try_from(d.file).ok().filter(|f| *f < 1 << 30)?;
        let index = u64::from(u32::try_from(d.index).ok()?);
        Some(Packed(section << 62 | file << 32 | index))
    }

    fn decl(self) -> Decl {
        let section = match self.0 >> 62 {
            0 => Section::Source,
            1 => Section::Entity,
            _ => Section::Claim,
        };
        Decl {
            file: (self.0 >> 32 & ((1 << 30) - 1)) as usize,
            section,
            index: (self.0 & u64::from(u32::MAX)) as usize,
        }
    }
}

fn inline_key(id: &str) -> Option<[u8; 16]> {
    let b = id.as_bytes();
    (b.len() < 16).then(|| {
        let mut k = [0u8; 16];
        k[0] = b.len() as u8;
        k[1..=b.len()].copy_from_slice(b);
        k
    })
}

impl<'c> IdMap<'c> {
    pub fn get(&self, id: &str) -> Option<Decl> {
        let short = inline_key(id).and_then(|k| self.short.get(&k));
        match short {
            Some(p) => Some(p.decl()),
            // A short id whose declaration does not pack is kept with the
            // long ones.
            None if self.long.is_empty() => None,
            None => self.long.get(id).copied(),
        }
    }

    pub fn insert(&mut self, id: &'c str, decl: Decl) {
        match (inline_key(id), Packed::new(decl)) {
            (Some(k), Some(p)) => {
                self.short.insert(k, p);
            }
            _ => {
                self.long.insert(id, decl);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_declared() {
        let long = "a_rather_long_identifier_of_many_bytes";
        let cases = [
            (
                "a",
                Decl {
                    file: 0,
                    section: Section::Source,
                    index: 0,
                },
            ),
            (
                "per0033109",
                Decl {
                    file: 3,
                    section: Section::Entity,
                    index: 70_000,
                },
            ),
            (
                "fifteen_bytes_x",
                Decl {
                    file: (1 << 30) - 1,
                    section: Section::Claim,
                    index: u32::MAX as usize,
                },
            ),
            (
                "sixteen_bytes_xy",
                Decl {
                    file: 7,
                    section: Section::Claim,
                    index: 1,
                },
            ),
            (
                long,
                Decl {
                    file: 1 << 30,
                    section: Section::Entity,
                    index: 5,
                },
            ),
            (
                "big_file",
                Decl {
                    file: 1 << 31,
                    section: Section::Source,
                    index: 2,
                },
            ),
        ];
        let mut map = IdMap::default();
        for (id, d) in cases {
            map.insert(id, d);
        }
        for (id, d) in cases {
            let got = map.get(id).expect("declared");
            assert_eq!(
                (got.file, got.section, got.index),
                (d.file, d.section, d.index),
                "{id}"
            );
        }
        assert!(map.get("per003310").is_none());
        assert!(map.get("").is_none());
    }
}
