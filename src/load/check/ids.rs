//! Ids: each must be lowercase snake_case and unique across all files;
//! `IdMap` finds a declaration by id.

use super::{Decl, Section, Shared};
use crate::diag::Diagnostic;
use std::hash::Hasher;

use crate::load::outline::Step;
use crate::load::{FastMap, FxHasher};
use crate::model::names::normalize;

impl<'c> Shared<'c, '_> {
    /// Indexes every id, reporting bad and duplicate ones.
    pub(super) fn index_ids(self, diags: &mut Vec<Diagnostic>) -> IdMap<'c> {
        let no_ids = IdMap::default();
        let mut ctx = self.ctx(&no_ids, diags);
        // Sources and entities all have ids; few claims have one.
        let declared: usize = self
            .dossiers
            .iter()
            .map(|d| d.data.sources.len() + d.data.entities.len())
            .sum();
        let mut map = IdMap::with_capacity(declared);
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
                        .map(|c| c.id().map(|id| &**id))
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

/// Declarations by id. Ids of 1 to 15 bytes (nearly all) are stored inside
/// a table of their own, with the declaration packed into 8 bytes: an entry
/// is 24 bytes, and a look-up reads one entry instead of also chasing a
/// pointer into a file's text.
///
/// The table probes linearly from the id's hash, so that `get_many` can
/// look up a run of ids in a loop short enough for the processor to wait
/// for many of their cache misses at once: a million claims resolve their
/// three ids each in a table too large for any cache, and one miss at a
/// time (with its walk of the page tables) was most of the check's time.
#[derive(Default)]
pub struct IdMap<'c> {
    short: ShortTable,
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

/// An id of 1 to 15 bytes as a table key: its length, then its bytes. A
/// key whose first byte is 0 marks an empty slot.
type Key = [u8; 16];

fn inline_key(id: &str) -> Option<Key> {
    let b = id.as_bytes();
    (1..16).contains(&b.len()).then(|| {
        let mut k = [0u8; 16];
        k[0] = b.len() as u8;
        k[1..=b.len()].copy_from_slice(b);
        k
    })
}

fn hash(k: &Key) -> u64 {
    let mut h = FxHasher::default();
    h.write(k);
    h.finish()
}

/// Open addressing with linear probing, at most three quarters full.
#[derive(Default)]
struct ShortTable {
    /// A power of two of them, or none.
    slots: Vec<(Key, Packed)>,
    len: usize,
}

impl ShortTable {
    fn with_capacity(n: usize) -> Self {
        let mut t = ShortTable::default();
        t.reserve(n);
        t
    }

    /// Makes room for `n` more keys without growing again.
    fn reserve(&mut self, n: usize) {
        let want = (self.len + n).saturating_mul(4) / 3 + 1;
        if want <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(
            &mut self.slots,
            vec![([0u8; 16], Packed(0)); want.next_power_of_two().max(16)],
        );
        self.len = 0;
        for (k, p) in old {
            if k[0] != 0 {
                self.insert(k, p);
            }
        }
    }

    fn insert(&mut self, k: Key, p: Packed) {
        self.reserve(1);
        let mask = self.slots.len() - 1;
        let mut i = hash(&k) as usize & mask;
        loop {
            let slot = &mut self.slots[i];
            if slot.0[0] == 0 {
                *slot = (k, p);
                self.len += 1;
                return;
            }
            if slot.0 == k {
                slot.1 = p;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry of `k`, whose hash is `h`.
    #[inline]
    fn find(&self, k: &Key, h: u64) -> Option<Packed> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = h as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.0 == *k {
                return Some(slot.1);
            }
            if slot.0[0] == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

impl<'c> IdMap<'c> {
    /// A map with room for `n` ids.
    pub fn with_capacity(n: usize) -> Self {
        IdMap {
            short: ShortTable::with_capacity(n),
            long: FastMap::default(),
        }
    }

    pub fn get(&self, id: &str) -> Option<Decl> {
        let short = inline_key(id).and_then(|k| self.short.find(&k, hash(&k)));
        self.or_long(id, short)
    }

    /// The declaration of each of `ids`, appended to `out` in their order:
    /// what `get` gives for each, found faster. Keys and hashes are made
    /// for a run of ids first, so that the probes that follow, each a
    /// likely cache miss, do not wait for one another.
    pub fn get_many(&self, ids: &[&str], out: &mut Vec<Option<Decl>>) {
        const RUN: usize = 16;
        out.reserve(ids.len());
        for run in ids.chunks(RUN) {
            let mut keys = [([0u8; 16], 0u64); RUN];
            for (k, id) in keys.iter_mut().zip(run) {
                if let Some(key) = inline_key(id) {
                    *k = (key, hash(&key));
                }
            }
            for ((k, h), id) in keys.iter().zip(run) {
                let short = if k[0] == 0 {
                    None
                } else {
                    self.short.find(k, *h)
                };
                out.push(self.or_long(id, short));
            }
        }
    }

    /// What `get` gives for `id`, once the table of short ids gave `short`.
    fn or_long(&self, id: &str, short: Option<Packed>) -> Option<Decl> {
        match short {
            Some(p) => Some(p.decl()),
            // A short id whose declaration does not pack is kept with the
            // long ones.
            None if self.long.is_empty() => None,
            None => self.long.get(id).copied(),
        }
    }

    /// Adds `id`, which is not in the map yet (`index_ids` reports an id
    /// declared again instead).
    pub fn insert(&mut self, id: &'c str, decl: Decl) {
        match (inline_key(id), Packed::new(decl)) {
            (Some(k), Some(p)) => self.short.insert(k, p),
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

    fn section(n: u8) -> Section {
        match n % 3 {
            0 => Section::Source,
            1 => Section::Entity,
            _ => Section::Claim,
        }
    }

    proptest::proptest! {
        /// Against a plain map: every id inserted (short, long, empty, or
        /// with a declaration too large to pack) and ids never inserted
        /// read back the same through `get` and `get_many`, however many
        /// times the table grew. An id met again is not inserted, as
        /// `index_ids` reports it instead.
        #[test]
        fn the_table_agrees_with_a_map(
            inserts in proptest::collection::vec(
                ("[a-c_0-9]{0,18}", 0u8..3, 0usize..(1 << 31), 0usize..1000),
                0..400,
            ),
            absent in proptest::collection::vec("[a-d_0-9]{0,18}", 0..50),
            capacity in 0usize..300,
        ) {
            let mut map = IdMap::with_capacity(capacity);
            let mut model: std::collections::HashMap<&str, (usize, Section, usize)> =
                std::collections::HashMap::new();
            for (id, s, file, index) in &inserts {
                if map.get(id).is_none() {
                    map.insert(id, Decl { file: *file, section: section(*s), index: *index });
                    model.insert(id, (*file, section(*s), *index));
                }
            }
            let asked: Vec<&str> = inserts
                .iter()
                .map(|(id, ..)| id.as_str())
                .chain(absent.iter().map(String::as_str))
                .collect();
            let mut many = Vec::new();
            map.get_many(&asked, &mut many);
            proptest::prop_assert_eq!(many.len(), asked.len());
            for (id, got) in asked.iter().zip(&many) {
                let want = model.get(id).copied();
                let one = map.get(id).map(|d| (d.file, d.section, d.index));
                proptest::prop_assert_eq!(one, want, "get {}", id);
                proptest::prop_assert_eq!(got.map(|d| (d.file, d.section, d.index)), want, "get_many {}", id);
            }
        }
    }
}
