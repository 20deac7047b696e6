//! Properties of a node or relation: a small sorted map, compact enough for
//! millions of relations.
//!
//! `Props` reads like a `BTreeMap<String, Value>` (`get`, `insert`, `iter`,
//! `keys`, `contains_key`, `props["k"]`, iteration in key order), but:
//! - keys are interned: every distinct key is one `&'static String` for the
//!   whole process (property names are few; they are never freed);
//! - values are shared: `Arc<Value>`, so the loader gives a thousand
//!   relations one `"asserted"` or one date;
//! - a group of keys may be *deferred*: computed from compact data on first
//!   read and then kept (the evidence lists of a claim are large as values
//!   and rarely read; see `Deferred`).

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use super::value::Value;

/// An interned property key.
pub type Key = &'static String;

/// The one `&'static String` for `name`.
pub fn intern(name: &str) -> Key {
    static KEYS: OnceLock<Mutex<HashMap<&'static str, Key>>> = OnceLock::new();
    let mut keys = KEYS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(k) = keys.get(name) {
        return k;
    }
    let k: Key = Box::leak(Box::new(name.to_string()));
    keys.insert(k.as_str(), k);
    k
}

/// Compact data that stands for several properties at once, turned into
/// values only when one of them is read.
pub trait Deferred: Send + Sync + fmt::Debug {
    /// The keys it provides, sorted, none of them also set directly.
    fn keys(&self) -> &[Key];
    /// One value per key, in the order of `keys`.
    fn values(&self) -> Vec<Value>;
    /// The length of the list under `key` (`None` if absent or not a list).
    /// The default builds every value and drops them; override it to count
    /// cheaply.
    fn list_len(&self, key: &str) -> Option<usize> {
        let i = self.keys().iter().position(|k| k.as_str() == key)?;
        list_len(self.values().get(i)?)
    }
    /// The concrete value, for a writer that stores it compactly (the
    /// snapshot); `None`: it is stored as its values.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }

    /// Calls `f` with each string of the list under `key`, in list order;
    /// with `field`, the string under `field` of each map in that list.
    /// Anything else (not a list, items of another type) is skipped. The
    /// strings are borrowed from `self`, so the values must not be built to
    /// list them: return `false` where that is not possible (the default),
    /// and `Props::each_str` builds and keeps the values instead.
    fn each_str<'a>(&'a self, key: &str, field: Option<&str>, f: &mut dyn FnMut(&'a str)) -> bool {
        let _ = (key, field, f);
        false
    }

    /// Calls `f` with each item of the list under `key`, in list order,
    /// each equal to the one `values` builds (`Item::to_value`), lent by
    /// the compact data without building any value. Return `false`, before
    /// calling `f`, where that is not possible (the default): the caller
    /// then reads the values. A million-relation export writes the
    /// evidence this way.
    fn each_item<'a>(&'a self, key: &str, f: &mut dyn FnMut(Item<'_, 'a>)) -> bool {
        let _ = (key, f);
        false
    }
}

/// One item of a deferred list, lent by its compact data
/// (`Deferred::each_item`): a string, or a map whose fields, in key order,
/// are strings or null (`None`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item<'s, 'a> {
    Str(&'a str),
    Map(&'s [(&'static str, Option<&'a str>)]),
}

impl Item<'_, '_> {
    /// The value the item stands for.
    pub fn to_value(self) -> Value {
        match self {
            Item::Str(s) => Value::from(s),
            Item::Map(fields) => Value::Map(
                fields
                    .iter()
                    .map(|&(k, v)| (k.to_string(), v.map_or(Value::Null, Value::from)))
                    .collect(),
            ),
        }
    }
}

fn list_len(v: &Value) -> Option<usize> {
    match v {
        Value::List(l) => Some(l.len()),
        _ => None,
    }
}

/// The strings of a list value (or, with `field`, of its maps' `field`).
fn each_str<'a>(v: &'a Value, field: Option<&str>, f: &mut dyn FnMut(&'a str)) {
    let Value::List(items) = v else { return };
    for item in items {
        let item = match (field, item) {
            (None, item) => item,
            (Some(field), Value::Map(m)) => match m.get(field) {
                Some(v) => v,
                None => continue,
            },
            (Some(_), _) => continue,
        };
        if let Value::Str(s) = item {
            f(s);
        }
    }
}

#[derive(Debug)]
struct Lazy<D: ?Sized> {
    /// Boxed, not a vector: a word less in every relation of a load.
    cache: OnceLock<Box<[Value]>>,
    source: D,
}

impl<D: ?Sized + Deferred> Lazy<D> {
    fn values(&self) -> &[Value] {
        self.cache
            .get_or_init(|| self.source.values().into_boxed_slice())
    }
}

/// Properties sorted by key. See the module documentation.
#[derive(Clone, Default)]
pub struct Props {
    entries: Vec<(Key, Arc<Value>)>,
    deferred: Option<Arc<Lazy<dyn Deferred>>>,
}

impl Props {
    pub fn new() -> Self {
        Props::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        Props {
            entries: Vec::with_capacity(n),
            deferred: None,
        }
    }

    /// Properties from `entries`, in any order (of two with one key, the
    /// later wins, as `insert_shared` would): sorted, then moved into one
    /// allocation of the exact size, without a search per key (a load makes
    /// a million of them). `entries` is left empty with its room, to gather
    /// the next ones.
    pub fn from_entries(entries: &mut Vec<(Key, Arc<Value>)>) -> Self {
        // Stable: of equal keys, the later stays later.
        entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut exact: Vec<(Key, Arc<Value>)> = Vec::with_capacity(entries.len());
        for (k, v) in entries.drain(..) {
            match exact.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => exact.push((k, v)),
            }
        }
        Props {
            entries: exact,
            deferred: None,
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    fn deferred_index(&self, key: &str) -> Option<usize> {
        let d = self.deferred.as_ref()?;
        d.source.keys().iter().position(|k| k.as_str() == key)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self.find(key) {
            Ok(i) => Some(&self.entries[i].1),
            Err(_) => {
                let i = self.deferred_index(key)?;
                self.deferred.as_ref().map(|d| &d.values()[i])
            }
        }
    }

    /// The length of the list under `key` (`None` if absent or not a list),
    /// without turning deferred properties into values to find it.
    pub fn list_len(&self, key: &str) -> Option<usize> {
        if let Ok(i) = self.find(key) {
            return list_len(&self.entries[i].1);
        }
        let i = self.deferred_index(key)?;
        let d = self.deferred.as_ref()?;
        match d.cache.get() {
            Some(values) => list_len(&values[i]),
            None => d.source.list_len(key),
        }
    }

    /// The properties set directly, with their shared values, in key order
    /// (not the deferred group).
    pub fn shared_entries(&self) -> impl Iterator<Item = (Key, &Arc<Value>)> + '_ {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    /// The deferred group, if there is one (its values are not built).
    pub fn deferred(&self) -> Option<&dyn Deferred> {
        self.deferred.as_ref().map(|d| &d.source as &dyn Deferred)
    }

    /// Calls `f` with each string of the list under `key` (with `field`,
    /// the string under `field` of each map in that list), in list order,
    /// borrowed from these properties. Deferred values are not built where
    /// their source lists the strings itself (`Deferred::each_str`); where it
    /// cannot, they are built and kept as a read would keep them. An export
    /// lists the sources a million relations cite this way.
    pub fn each_str<'a>(&'a self, key: &str, field: Option<&str>, mut f: impl FnMut(&'a str)) {
        if let Ok(i) = self.find(key) {
            return each_str(&self.entries[i].1, field, &mut f);
        }
        let Some(i) = self.deferred_index(key) else {
            return;
        };
        let Some(d) = self.deferred.as_ref() else {
            return;
        };
        if let Some(values) = d.cache.get() {
            return each_str(&values[i], field, &mut f);
        }
        if !d.source.each_str(key, field, &mut f) {
            each_str(&d.values()[i], field, &mut f);
        }
    }

    /// Calls `f` with each item of the deferred list under `key`, lent by
    /// its compact data without building any value (`Deferred::each_item`).
    /// Returns `false`, before calling `f`, where `key` is not deferred, its
    /// values are already built (read them), or its source cannot lend them
    /// (read them with `scan_get`).
    pub fn each_deferred_item<'a>(&'a self, key: &str, mut f: impl FnMut(Item<'_, 'a>)) -> bool {
        if self.find(key).is_ok() || self.deferred_index(key).is_none() {
            return false;
        }
        match self.deferred.as_ref() {
            Some(d) if d.cache.get().is_none() => d.source.each_item(key, &mut f),
            _ => false,
        }
    }

    /// Whether the deferred group's values have been built.
    #[cfg(test)]
    pub(crate) fn deferred_built(&self) -> bool {
        self.deferred
            .as_ref()
            .is_some_and(|d| d.cache.get().is_some())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok() || self.deferred_index(key).is_some()
    }

    /// Sets a property and returns the value it had.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.insert_shared(intern(&key), Arc::new(value))
            .map(unshare)
    }

    /// Sets a property to a shared value and returns the value it had.
    pub fn insert_shared(&mut self, key: Key, value: Arc<Value>) -> Option<Arc<Value>> {
        if self.deferred_index(key).is_some() {
            self.materialize();
        }
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Adds deferred properties; a key it shares with a property already set
    /// is dropped from the deferred group's side (the one set wins).
    pub fn set_deferred<D: Deferred + 'static>(&mut self, source: D) {
        self.materialize();
        let lazy: Arc<Lazy<dyn Deferred>> = Arc::new(Lazy {
            cache: OnceLock::new(),
            source,
        });
        if lazy.source.keys().iter().any(|k| self.find(k).is_ok()) {
            for (k, v) in lazy.source.keys().iter().zip(lazy.values()) {
                if self.find(k).is_err() {
                    self.insert_shared(k, Arc::new(v.clone()));
                }
            }
        } else {
            self.deferred = Some(lazy);
        }
    }

    /// Turns deferred properties into ordinary ones.
    fn materialize(&mut self) {
        if let Some(d) = self.deferred.take() {
            for (k, v) in d.source.keys().iter().zip(d.values()) {
                if let Err(i) = self.find(k) {
                    self.entries.insert(i, (k, Arc::new(v.clone())));
                }
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if self.deferred_index(key).is_some() {
            self.materialize();
        }
        let i = self.find(key).ok()?;
        Some(unshare(self.entries.remove(i).1))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        if self.deferred_index(key).is_some() {
            self.materialize();
        }
        let i = self.find(key).ok()?;
        Some(Arc::make_mut(&mut self.entries[i].1))
    }

    pub fn len(&self) -> usize {
        self.entries.len() + self.deferred.as_ref().map_or(0, |d| d.source.keys().len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        Merge::new(
            self.entries.iter().map(|(k, _)| *k),
            self.deferred
                .as_ref()
                .map_or(&[][..], |d| d.source.keys())
                .iter()
                .copied(),
        )
        .map(|(k, _)| k)
    }

    /// `(key, value)` pairs in key order.
    pub fn iter(&self) -> Iter<'_> {
        let deferred: &[Key] = self.deferred.as_ref().map_or(&[], |d| d.source.keys());
        let values: &[Value] = match &self.deferred {
            Some(d) => d.values(),
            None => &[],
        };
        Iter {
            entries: self.entries.iter(),
            deferred: deferred.iter().zip(values.iter()),
            next_entry: None,
            next_deferred: None,
        }
    }

    /// Calls `f` with the `(key, value)` pairs in key order, like `iter`,
    /// but deferred values that nobody has read yet are built for this call
    /// only and dropped after it, not kept. A walk over every relation of a
    /// large graph (an export) then holds one relation's evidence at a time.
    pub fn scan<R>(&self, f: impl FnOnce(Iter<'_>) -> R) -> R {
        let built;
        let (keys, values): (&[Key], &[Value]) = match &self.deferred {
            None => (&[], &[]),
            Some(d) => match d.cache.get() {
                Some(values) => (d.source.keys(), values),
                None => {
                    built = d.source.values();
                    (d.source.keys(), &built)
                }
            },
        };
        f(Iter {
            entries: self.entries.iter(),
            deferred: keys.iter().zip(values.iter()),
            next_entry: None,
            next_deferred: None,
        })
    }

    /// The value under `key` handed to `f`, built for this call only when it
    /// is deferred and unread (see `scan`).
    pub fn scan_get<R>(&self, key: &str, f: impl FnOnce(Option<&Value>) -> R) -> R {
        if let Ok(i) = self.find(key) {
            return f(Some(&self.entries[i].1));
        }
        let Some(i) = self.deferred_index(key) else {
            return f(None);
        };
        let d = self.deferred.as_ref().expect("deferred_index found it");
        match d.cache.get() {
            Some(values) => f(values.get(i)),
            None => f(d.source.values().get(i)),
        }
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// A plain map of every property (for `properties(x)` and the like).
    pub fn to_map(&self) -> BTreeMap<String, Value> {
        self.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

fn unshare(v: Arc<Value>) -> Value {
    Arc::try_unwrap(v).unwrap_or_else(|shared| (*shared).clone())
}

/// Merges two sorted key sequences (marking which side each came from).
struct Merge<A: Iterator<Item = Key>, B: Iterator<Item = Key>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = Key>, B: Iterator<Item = Key>> Merge<A, B> {
    fn new(a: A, b: B) -> Self {
        Merge {
            a: a.peekable(),
            b: b.peekable(),
        }
    }
}

impl<A: Iterator<Item = Key>, B: Iterator<Item = Key>> Iterator for Merge<A, B> {
    type Item = (Key, bool);
    fn next(&mut self) -> Option<(Key, bool)> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) if *x <= *y => self.a.next().map(|k| (k, true)),
            (Some(_), Some(_)) | (None, Some(_)) => self.b.next().map(|k| (k, false)),
            (Some(_), None) => self.a.next().map(|k| (k, true)),
            (None, None) => None,
        }
    }
}

/// Iterator over `(key, value)` in key order.
pub struct Iter<'a> {
    entries: std::slice::Iter<'a, (Key, Arc<Value>)>,
    deferred: std::iter::Zip<std::slice::Iter<'a, Key>, std::slice::Iter<'a, Value>>,
    next_entry: Option<(&'a String, &'a Value)>,
    next_deferred: Option<(&'a String, &'a Value)>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        if self.next_entry.is_none() {
            self.next_entry = self.entries.next().map(|(k, v)| (*k, &**v));
        }
        if self.next_deferred.is_none() {
            self.next_deferred = self.deferred.next().map(|(k, v)| (*k, v));
        }
        match (self.next_entry, self.next_deferred) {
            (Some(a), Some(b)) if a.0 <= b.0 => self.next_entry.take(),
            (_, Some(_)) => self.next_deferred.take(),
            (Some(_), None) => self.next_entry.take(),
            (None, None) => None,
        }
    }
}

impl<'a> IntoIterator for &'a Props {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Props {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
            .into_iter()
    }
}

impl<Q: Borrow<str> + ?Sized> std::ops::Index<&Q> for Props {
    type Output = Value;
    fn index(&self, key: &Q) -> &Value {
        let key = key.borrow();
        self.get(key)
            .unwrap_or_else(|| panic!("no property `{key}`"))
    }
}

impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Props {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Props {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut p = Props::new();
        p.extend(iter);
        p
    }
}

impl Extend<(String, Value)> for Props {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl From<BTreeMap<String, Value>> for Props {
    fn from(m: BTreeMap<String, Value>) -> Self {
        m.into_iter().collect()
    }
}

impl From<&Props> for BTreeMap<String, Value> {
    fn from(p: &Props) -> Self {
        p.to_map()
    }
}

impl From<Props> for BTreeMap<String, Value> {
    fn from(p: Props) -> Self {
        p.to_map()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Evidence(&'static str);

    impl Deferred for Evidence {
        fn keys(&self) -> &[Key] {
            static KEYS: OnceLock<[Key; 2]> = OnceLock::new();
            KEYS.get_or_init(|| [intern("quotes"), intern("sources")])
        }
        fn values(&self) -> Vec<Value> {
            vec![
                Value::List(vec![Value::from(self.0)]),
                Value::List(vec![Value::from("src")]),
            ]
        }
    }

    fn sample() -> Props {
        let mut p = Props::new();
        p.insert("rank".into(), Value::from("normal"));
        p.insert("date".into(), Value::Int(1));
        p.set_deferred(Evidence("a quote"));
        p.insert("derived".into(), Value::Bool(false));
        p
    }

    #[test]
    fn reads_like_a_sorted_map() {
        let p = sample();
        let keys: Vec<&str> = p.keys().map(String::as_str).collect();
        assert_eq!(keys, ["date", "derived", "quotes", "rank", "sources"]);
        let iter_keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(iter_keys, keys);
        assert_eq!(p.len(), 5);
        assert!(p.contains_key("quotes") && !p.contains_key("nope"));
        assert_eq!(p["date"], Value::Int(1));
        assert_eq!(p["quotes"], Value::List(vec![Value::from("a quote")]));
        assert_eq!(p.get("nope"), None);
        let map: BTreeMap<String, Value> = p.to_map();
        assert_eq!(Props::from(map.clone()), p);
        assert_eq!(map.len(), 5);
    }

    #[test]
    fn properties_from_gathered_entries_are_sorted_exact_and_the_later_wins() {
        let mut gathered: Vec<(Key, Arc<Value>)> = vec![
            (intern("rank"), Arc::new(Value::from("normal"))),
            (intern("date"), Arc::new(Value::Int(1))),
            (intern("rank"), Arc::new(Value::from("preferred"))),
            (intern("approx"), Arc::new(Value::Bool(true))),
        ];
        let mut p = Props::from_entries(&mut gathered);
        assert!(gathered.is_empty(), "the list is handed back empty");
        let keys: Vec<&str> = p.entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["approx", "date", "rank"]);
        assert_eq!(p["rank"], Value::from("preferred"));
        p.set_deferred(Evidence("a quote"));
        let mut one_by_one = Props::new();
        one_by_one.insert("rank".into(), Value::from("normal"));
        one_by_one.insert("date".into(), Value::Int(1));
        one_by_one.insert("rank".into(), Value::from("preferred"));
        one_by_one.insert("approx".into(), Value::Bool(true));
        one_by_one.set_deferred(Evidence("a quote"));
        assert_eq!(p, one_by_one);
        assert_eq!(p["quotes"], Value::List(vec![Value::from("a quote")]));
    }

    #[test]
    fn writing_a_deferred_key_keeps_the_others() {
        let mut p = sample();
        let old = p.insert("sources".into(), Value::Null);
        assert_eq!(old, Some(Value::List(vec![Value::from("src")])));
        assert_eq!(p["sources"], Value::Null);
        assert_eq!(p["quotes"], Value::List(vec![Value::from("a quote")]));
        assert_eq!(p.len(), 5);
        assert_eq!(p.remove("date"), Some(Value::Int(1)));
        *p.get_mut("rank").unwrap() = Value::from("preferred");
        assert_eq!(p["rank"], Value::from("preferred"));
    }

    #[test]
    fn list_len_reads_without_building() {
        let mut p = sample();
        assert_eq!(p.list_len("quotes"), Some(1));
        assert_eq!(p.list_len("rank"), None);
        assert_eq!(p.list_len("nope"), None);
        // The test source has no `list_len` of its own: the default builds
        // the values but must not keep them.
        assert!(!p.deferred_built());
        assert_eq!(p["sources"], Value::List(vec![Value::from("src")]));
        assert!(p.deferred_built());
        assert_eq!(p.list_len("sources"), Some(1));
        p.insert("quotes".into(), Value::List(vec![Value::Null; 3]));
        assert_eq!(p.list_len("quotes"), Some(3));
    }

    #[test]
    fn scan_reads_everything_and_keeps_nothing() {
        let p = sample();
        let keys: Vec<String> = p.scan(|it| it.map(|(k, _)| k.clone()).collect());
        assert_eq!(keys, ["date", "derived", "quotes", "rank", "sources"]);
        let quotes = p.scan_get("quotes", |v| v.cloned());
        assert_eq!(quotes, Some(Value::List(vec![Value::from("a quote")])));
        assert_eq!(
            p.scan_get("rank", |v| v.cloned()),
            Some(Value::from("normal"))
        );
        assert!(p.scan_get("nope", |v| v.is_none()));
        assert!(!p.deferred_built());
        // Once built by an ordinary read, the cache is what scan reads.
        assert_eq!(p["sources"], Value::List(vec![Value::from("src")]));
        let all: Vec<(String, Value)> =
            p.scan(|it| it.map(|(k, v)| (k.clone(), v.clone())).collect());
        assert_eq!(all, p.to_map().into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn each_str_lists_strings_of_lists_and_of_their_maps() {
        let mut p = Props::new();
        p.insert(
            "cites".into(),
            Value::List(vec![
                Value::Map(BTreeMap::from([("source".into(), Value::from("s1"))])),
                Value::Int(3),
                Value::Map(BTreeMap::from([("source".into(), Value::Null)])),
                Value::Map(BTreeMap::from([("source".into(), Value::from("s2"))])),
            ]),
        );
        p.insert(
            "names".into(),
            Value::List(vec![Value::from("a"), Value::Null, Value::from("b")]),
        );
        p.insert("one".into(), Value::from("not a list"));
        let list = |key: &str, field: Option<&str>| {
            let mut out = Vec::new();
            p.each_str(key, field, |s| out.push(s.to_string()));
            out
        };
        assert_eq!(list("cites", Some("source")), ["s1", "s2"]);
        assert_eq!(list("cites", None), Vec::<String>::new());
        assert_eq!(list("names", None), ["a", "b"]);
        assert_eq!(list("names", Some("source")), Vec::<String>::new());
        assert_eq!(list("one", None), Vec::<String>::new());
        assert_eq!(list("nope", None), Vec::<String>::new());
        // A deferred source that cannot list its strings has its values
        // built and kept, so the strings it lends stay alive.
        let q = sample();
        let mut out = Vec::new();
        q.each_str("sources", None, |s| out.push(s));
        assert_eq!(out, ["src"]);
        assert!(q.deferred_built());
    }

    #[test]
    fn deferred_items_are_lent_only_by_a_source_that_can() {
        // The test source lends nothing: the caller is told to read.
        let p = sample();
        assert!(!p.each_deferred_item("quotes", |_| panic!("nothing to lend")));
        assert!(!p.each_deferred_item("rank", |_| panic!("not deferred")));
        assert!(!p.deferred_built());
        let fields = [("a", Some("x")), ("b", None)];
        assert_eq!(
            Item::Map(&fields).to_value(),
            Value::Map(BTreeMap::from([
                ("a".to_string(), Value::from("x")),
                ("b".to_string(), Value::Null),
            ]))
        );
        assert_eq!(Item::Str("s").to_value(), Value::from("s"));
    }

    #[test]
    fn keys_are_interned() {
        assert!(std::ptr::eq(intern("hedge"), intern("hedge")));
    }
}
