//! The text of a string value (D9): shared, so that a string read from
//! the graph goes into answers, `DISTINCT` keys and groups without being
//! copied. A node's id of a graph read in place is not even read when the
//! value is made: the value names the node, and the id is read from the
//! graph's id column when something looks at the text (a comparison, a
//! hash, a renderer). Every consumer sees only the text (`Deref<Target =
//! str>`): equality, order and hashing are those of the text, whichever
//! way it is held.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use super::StrCol;

/// A shared string (see the module).
#[derive(Clone)]
pub struct SharedStr(Repr);

#[derive(Clone)]
enum Repr {
    Text(Arc<str>),
    /// The id of node `.1` of a graph read in place: string `.1` of its
    /// id column.
    NodeId(Arc<StrCol>, u32),
}

impl SharedStr {
    /// The id of node `ix`, read from the graph's id column `ids` when
    /// looked at.
    #[inline]
    pub(super) fn node_id(ids: &Arc<StrCol>, ix: u32) -> SharedStr {
        SharedStr(Repr::NodeId(ids.clone(), ix))
    }

    /// Makes this the id of node `ix` of the id column `ids`, in place,
    /// when it is the id of another node of that column already (no count
    /// of the shared column taken and given back); false, and unchanged,
    /// otherwise.
    #[inline]
    pub(super) fn renumber(&mut self, ids: &Arc<StrCol>, ix: u32) -> bool {
        match &mut self.0 {
            Repr::NodeId(col, at) if Arc::ptr_eq(col, ids) => {
                *at = ix;
                true
            }
            _ => false,
        }
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Text(s) => s,
            // Past the end or not text (the column passed its checksum, so
            // only a bug of the writer leads here): empty, as a node whose
            // record cannot be read.
            Repr::NodeId(ids, ix) => ids.get(*ix as usize).unwrap_or(""),
        }
    }

    /// Whether the text is held apart from the graph (it then owns its
    /// bytes: what the memory budget counts); `false` for a node's id read
    /// from the graph when looked at.
    #[inline]
    pub fn is_held(&self) -> bool {
        matches!(self.0, Repr::Text(_))
    }

    /// The shared text, when it is held as an `Arc<str>` (`None` for a
    /// node's id read from the graph when looked at).
    pub fn as_arc(&self) -> Option<&Arc<str>> {
        match &self.0 {
            Repr::Text(s) => Some(s),
            Repr::NodeId(..) => None,
        }
    }

    /// The text as an `Arc<str>` (shared when it is held so, else copied).
    pub fn to_arc(&self) -> Arc<str> {
        match &self.0 {
            Repr::Text(s) => s.clone(),
            Repr::NodeId(..) => Arc::from(self.as_str()),
        }
    }

    /// Whether the two values share one text (for tests).
    pub fn shares(&self, other: &SharedStr) -> bool {
        match (&self.0, &other.0) {
            (Repr::Text(a), Repr::Text(b)) => Arc::ptr_eq(a, b),
            (Repr::NodeId(a, i), Repr::NodeId(b, j)) => Arc::ptr_eq(a, b) && i == j,
            _ => false,
        }
    }
}

impl Deref for SharedStr {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(Repr::Text(Arc::from(s)))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(Repr::Text(Arc::from(s)))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr(Repr::Text(Arc::from(s.as_str())))
    }
}

impl From<Box<str>> for SharedStr {
    fn from(s: Box<str>) -> Self {
        SharedStr(Repr::Text(Arc::from(s)))
    }
}

impl From<Arc<str>> for SharedStr {
    fn from(s: Arc<str>) -> Self {
        SharedStr(Repr::Text(s))
    }
}

impl From<SharedStr> for Arc<str> {
    fn from(s: SharedStr) -> Self {
        match s.0 {
            Repr::Text(s) => s,
            Repr::NodeId(..) => Arc::from(s.as_str()),
        }
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.as_str().to_string()
    }
}
