//! "Did you mean": one suggester for ids, names and aliases.
//!
//! Every spelling of every target (an entity's id, name and aliases; a
//! source's id) is indexed by the trigrams of its normalised key. A lookup
//! scores only the spellings that share trigrams with the wanted name
//! (at most `SHORTLIST` of them, those sharing most), by normalised edit
//! distance, and keeps each target once, with the spelling that matched.
//! Answers are cached per wanted name: the same missing id referenced
//! 20,000 times is looked up once. The suggester is `Sync` (the cache is
//! behind a mutex), so the loader's threads share one.

use std::collections::HashMap;
use std::sync::Mutex;

use super::fxhash::FastMap;
use super::names::normalize;

/// How a spelling names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    Id,
    Name,
    Alias,
}

/// A suggestion: the target's id and kind, and the spelling that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The position of the target, in the order targets were added.
    pub target: usize,
    pub id: String,
    /// The target's kind (`Person`), when it has one.
    pub kind: Option<String>,
    /// The spelling that matched (the id itself, a name or an alias).
    pub matched: String,
    pub via: Via,
    /// 0..=1, higher is closer.
    pub score: f64,
}

impl Suggestion {
    /// `` `putin` (Person) `` or `` `putin` (Person, by its alias `Путин`) ``.
    pub fn describe(&self) -> String {
        let mut extra = Vec::new();
        if let Some(k) = &self.kind {
            extra.push(k.clone());
        }
        match self.via {
            Via::Id => {}
            Via::Name => extra.push(format!("named `{}`", self.matched)),
            Via::Alias => extra.push(format!("by its alias `{}`", self.matched)),
        }
        if extra.is_empty() {
            format!("`{}`", self.id)
        } else {
            format!("`{}` ({})", self.id, extra.join(", "))
        }
    }
}

struct Target {
    id: String,
    kind: Option<String>,
}

struct Spelling {
    key: String,
    text: String,
    target: u32,
    via: Via,
}

/// Scored spellings per lookup at most.
const SHORTLIST: usize = 200;

/// Below this score nothing is suggested.
const THRESHOLD: f64 = 0.5;

#[derive(Default)]
pub struct Suggester {
    targets: Vec<Target>,
    spellings: Vec<Spelling>,
    /// Trigram → spellings holding it (each once).
    index: FastMap<[char; 3], Vec<u32>>,
    /// Exact normalised key → spellings.
    exact: FastMap<String, Vec<u32>>,
    cache: Mutex<HashMap<(String, usize), Vec<Suggestion>>>,
}

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Suggester({} targets, {} spellings)",
            self.targets.len(),
            self.spellings.len()
        )
    }
}

/// The trigrams of a key, padded so that short keys have some.
fn trigrams(key: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(key.chars())
        .chain(std::iter::once(' '))
        .collect();
    let mut out: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    if out.is_empty() && !key.is_empty() {
        out.push([' ', chars[1], ' ']);
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Suggester {
    pub fn new() -> Self {
        Suggester::default()
    }

    /// Adds a target (an entity, a source...) and returns its position.
    pub fn add_target(&mut self, id: &str, kind: Option<&str>) -> usize {
        self.targets.push(Target {
            id: id.to_string(),
            kind: kind.map(str::to_string),
        });
        let t = self.targets.len() - 1;
        self.add_spelling(t, id, Via::Id);
        t
    }

    /// Another spelling of a target (its name, an alias).
    pub fn add_spelling(&mut self, target: usize, text: &str, via: Via) {
        let key = normalize(text);
        if key.is_empty() {
            return;
        }
        let s = self.spellings.len() as u32;
        for g in trigrams(&key) {
            self.index.entry(g).or_default().push(s);
        }
        self.exact.entry(key.clone()).or_default().push(s);
        self.spellings.push(Spelling {
            key,
            text: text.to_string(),
            target: target as u32,
            via,
        });
    }

    /// The number of targets.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The targets whose id is exactly `wanted`, or whose name or alias
    /// normalises to its key.
    pub fn exact(&self, wanted: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .exact
            .get(&normalize(wanted))
            .into_iter()
            .flatten()
            .map(|&s| self.spellings[s as usize].target as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Up to `limit` targets close to `wanted`, best first, each once.
    pub fn suggest(&self, wanted: &str, limit: usize) -> Vec<Suggestion> {
        let cache_key = (wanted.to_string(), limit);
        if let Some(hit) = self.lock().get(&cache_key) {
            return hit.clone();
        }
        let found = self.compute(wanted, limit);
        self.lock().insert(cache_key, found.clone());
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, usize), Vec<Suggestion>>> {
        // A panic elsewhere cannot leave the cache half-written: use it.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn compute(&self, wanted: &str, limit: usize) -> Vec<Suggestion> {
        let key = normalize(wanted);
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Spellings sharing trigrams with the key, by how many they share.
        let mut shared: FastMap<u32, u32> = FastMap::default();
        for g in trigrams(&key) {
            if let Some(list) = self.index.get(&g) {
                for &s in list {
                    *shared.entry(s).or_default() += 1;
                }
            }
        }
        let mut short: Vec<(u32, u32)> = shared.into_iter().collect();
        short.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        short.truncate(SHORTLIST);
        let mut best: FastMap<u32, (f64, u32)> = FastMap::default();
        for (s, _) in short {
            let sp = &self.spellings[s as usize];
            let mut score = strsim::normalized_damerau_levenshtein(&key, &sp.key);
            // A prefix or a whole word in common is a strong hint.
            if sp.key.starts_with(&key) || sp.key.split(' ').any(|w| w == key) {
                score = score.max(0.8);
            }
            if score < THRESHOLD {
                continue;
            }
            let slot = best.entry(sp.target).or_insert((score, s));
            let better = score > slot.0
                || (score == slot.0 && (sp.via, s) < (self.spellings[slot.1 as usize].via, slot.1));
            if better {
                *slot = (score, s);
            }
        }
        let mut ranked: Vec<(f64, u32, u32)> =
            best.into_iter().map(|(t, (sc, s))| (sc, t, s)).collect();
        ranked.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                self.targets[a.1 as usize]
                    .id
                    .cmp(&self.targets[b.1 as usize].id)
            })
        });
        ranked
            .into_iter()
            .take(limit)
            .map(|(score, t, s)| {
                let target = &self.targets[t as usize];
                let sp = &self.spellings[s as usize];
                Suggestion {
                    target: t as usize,
                    id: target.id.clone(),
                    kind: target.kind.clone(),
                    matched: sp.text.clone(),
                    via: sp.via,
                    score,
                }
            })
            .collect()
    }

    /// A suggester over a graph's nodes: id, name and aliases of each, its
    /// kind as the target's kind; targets are in node order (a target's
    /// position is its `NodeIndex`).
    pub fn for_graph(graph: &super::Graph) -> Self {
        let mut s = Suggester::new();
        for ix in graph.nodes() {
            let n = graph.node(ix);
            let t = s.add_target(&n.id, n.kind());
            if let Some(name) = n.name() {
                s.add_spelling(t, name, Via::Name);
            }
            if let Some(super::Value::List(aliases)) = n.props.get("aliases") {
                for a in aliases.iter().filter_map(super::Value::as_str) {
                    s.add_spelling(t, a, Via::Alias);
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Suggester {
        let mut s = Suggester::new();
        let p = s.add_target("putin", Some("Person"));
        s.add_spelling(p, "Vladimir Putin", Via::Name);
        s.add_spelling(p, "Путин", Via::Alias);
        let k = s.add_target("kim_jong_un", Some("Person"));
        s.add_spelling(k, "Kim Jong-un", Via::Name);
        s.add_spelling(k, "Kim Jong Un", Via::Alias);
        s.add_target("kim_il_sung", Some("Person"));
        s.add_target("lavrov", None);
        s
    }

    #[test]
    fn close_ids_come_first_each_target_once() {
        let s = people();
        let got = s.suggest("kim_jong_il", 3);
        assert_eq!(got[0].id, "kim_jong_un");
        let ids: Vec<&str> = got.iter().map(|g| g.id.as_str()).collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique, "a target suggested twice");
        assert!(s.suggest("zzzzzz", 3).is_empty());
    }

    #[test]
    fn names_and_aliases_match_with_what_matched() {
        let s = people();
        let got = s.suggest("Путін", 1);
        assert_eq!(got[0].id, "putin");
        assert_eq!(got[0].via, Via::Alias);
        assert_eq!(got[0].describe(), "`putin` (Person, by its alias `Путин`)");
        let got = s.suggest("vladimir putn", 1);
        assert_eq!(got[0].via, Via::Name);
        assert_eq!(s.exact("KIM JONG UN"), vec![1]);
    }

    #[test]
    fn short_names_have_trigrams() {
        let mut s = Suggester::new();
        s.add_target("ab", None);
        s.add_target("x", None);
        assert_eq!(s.suggest("ab", 1)[0].id, "ab");
        assert_eq!(s.suggest("x", 1)[0].id, "x");
    }

    #[test]
    fn answers_are_cached_and_equal() {
        let s = people();
        let a = s.suggest("putn", 2);
        let b = s.suggest("putn", 2);
        assert_eq!(a, b);
        assert_eq!(s.lock().len(), 1);
    }
}
