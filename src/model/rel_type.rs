//! A relation's type: one interned name shared by every relation of that
//! type, instead of a string per relation (a million relations of a few
//! types would otherwise hold a million copies of the names).
//!
//! Names are interned for the process, as property keys are (`props::intern`):
//! a graph has few types, and they are never freed. A `RelType` reads as
//! its name everywhere (`Deref<Target = str>`): equality, order and
//! hashing are those of the text.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Mutex, OnceLock};

/// A relation type's name (see the module). Every one is made by `new`,
/// so two with the same name have the same address.
#[derive(Clone, Copy)]
pub struct RelType(&'static str);

impl RelType {
    /// The one interned name equal to `name`.
    pub fn new(name: &str) -> Self {
        RelType(interned(name))
    }

    #[inline]
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// The text `name` kept once for the whole process: every call with equal
/// text gives the same address. For the few names a process meets many
/// times (relation types, diagnostic codes); they are never freed.
pub fn interned(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let n: &'static str = Box::leak(Box::from(name));
    names.insert(n);
    n
}

impl Default for RelType {
    fn default() -> Self {
        RelType::new("")
    }
}

impl Deref for RelType {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for RelType {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl Borrow<str> for RelType {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl PartialEq for RelType {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0) || self.0 == other.0
    }
}

impl Eq for RelType {}

impl PartialOrd for RelType {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RelType {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(other.0)
    }
}

impl Hash for RelType {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq<str> for RelType {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RelType {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RelType {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<RelType> for str {
    fn eq(&self, other: &RelType) -> bool {
        self == other.0
    }
}

impl PartialEq<RelType> for &str {
    fn eq(&self, other: &RelType) -> bool {
        *self == other.0
    }
}

impl PartialEq<RelType> for String {
    fn eq(&self, other: &RelType) -> bool {
        self.as_str() == other.0
    }
}

impl fmt::Display for RelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl fmt::Debug for RelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl From<&str> for RelType {
    fn from(name: &str) -> Self {
        RelType::new(name)
    }
}

impl From<&String> for RelType {
    fn from(name: &String) -> Self {
        RelType::new(name)
    }
}

impl From<String> for RelType {
    fn from(name: String) -> Self {
        RelType::new(&name)
    }
}

impl From<RelType> for String {
    fn from(t: RelType) -> Self {
        t.0.to_string()
    }
}

impl serde::Serialize for RelType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_are_one_interned_name() {
        let a = RelType::new("met_with");
        let b = RelType::from(String::from("met_with"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, b);
        assert_ne!(a, RelType::new("held_at"));
        assert_eq!(a, "met_with");
        assert_eq!(format!("{a}|{a:?}"), "met_with|\"met_with\"");
        assert!(RelType::new("a") < RelType::new("b"));
        assert_eq!(&*RelType::default(), "");
    }
}
