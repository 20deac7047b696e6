//! The kinds of values the type check reasons about, as bit sets (`Ty`),
//! low enough in the query layers that the function registry can state
//! each function's argument kinds and return type with them.

use crate::model::Value;

pub const NULL: u16 = 1;
pub const BOOL: u16 = 1 << 1;
pub const INT: u16 = 1 << 2;
pub const FLOAT: u16 = 1 << 3;
pub const STR: u16 = 1 << 4;
pub const LIST: u16 = 1 << 5;
pub const MAP: u16 = 1 << 6;
pub const NODE: u16 = 1 << 7;
pub const REL: u16 = 1 << 8;
pub const PATH: u16 = 1 << 9;
pub const DATE: u16 = 1 << 10;
/// Times, date-times and durations (a date is `DATE`).
pub const TEMPORAL: u16 = 1 << 11;
pub const NUM: u16 = INT | FLOAT;
pub const ALL: u16 = (1 << 12) - 1;

const NAMES: [(u16, &str); 12] = [
    (NULL, "NULL"),
    (BOOL, "BOOLEAN"),
    (INT, "INTEGER"),
    (FLOAT, "FLOAT"),
    (STR, "STRING"),
    (LIST, "LIST"),
    (MAP, "MAP"),
    (NODE, "NODE"),
    (REL, "RELATIONSHIP"),
    (PATH, "PATH"),
    (DATE, "DATE"),
    (TEMPORAL, "TEMPORAL"),
];

/// The kinds a value may have; `elem` is what a list's elements may be
/// (meaningful when `kinds` has `LIST`). No kind at all is the type of what
/// never exists (the elements of `[]`), which every operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ty {
    pub kinds: u16,
    pub elem: u16,
}

impl Ty {
    pub const ANY: Ty = Ty {
        kinds: ALL,
        elem: ALL,
    };

    pub const fn of(kinds: u16) -> Ty {
        Ty { kinds, elem: ALL }
    }

    pub const fn list(elem: u16) -> Ty {
        Ty { kinds: LIST, elem }
    }

    fn elems(self) -> u16 {
        if self.kinds & LIST != 0 { self.elem } else { 0 }
    }

    pub fn union(self, other: Ty) -> Ty {
        let kinds = self.kinds | other.kinds;
        let elem = if kinds & LIST != 0 {
            self.elems() | other.elems()
        } else {
            ALL
        };
        Ty { kinds, elem }
    }

    pub fn nullable(self) -> Ty {
        Ty {
            kinds: self.kinds | NULL,
            ..self
        }
    }

    /// The type of an element of a list of this type.
    pub fn element(self) -> Ty {
        Ty::of(self.elems())
    }

    /// The type of the values `UNWIND` binds from a value of this type: a
    /// list's elements, or the value itself when it is not a list.
    pub fn unwound(self) -> Ty {
        Ty::of(self.elems() | (self.kinds & !(LIST | NULL)))
    }

    /// Whether a value of this type may be of one of `kinds` (or null).
    pub fn may_be(self, kinds: u16) -> bool {
        self.kinds == 0 || self.kinds & (kinds | NULL) != 0
    }

    /// Whether every value of this type is one of `kinds` or null.
    pub fn only(self, kinds: u16) -> bool {
        self.kinds & !(kinds | NULL) == 0
    }

    /// `INTEGER`, `STRING or LIST`...: the possible kinds other than null.
    pub fn describe(self) -> String {
        let mut names: Vec<&str> = NAMES
            .iter()
            .filter(|(k, _)| *k != NULL && self.kinds & k != 0)
            .map(|(_, n)| *n)
            .collect();
        if names.is_empty() {
            names.push("NULL");
        }
        match names.len() {
            1 => names[0].to_string(),
            n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
        }
    }

    /// The type as a signature shows it: `STRING | MAP`, `LIST<STRING>`,
    /// `ANY` for every kind; null is left out (any function may give it).
    pub fn signature(self) -> String {
        let kinds = self.kinds & !NULL;
        if kinds == ALL & !NULL {
            return "ANY".into();
        }
        if kinds == 0 {
            return "NULL".into();
        }
        NAMES
            .iter()
            .filter(|(k, _)| *k != NULL && kinds & k != 0)
            .map(|&(k, n)| {
                if k == LIST && self.elem & !NULL != ALL & !NULL {
                    format!("LIST<{}>", Ty::of(self.elem).signature())
                } else {
                    n.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    pub fn of_value(v: &Value) -> Ty {
        match v {
            Value::Null => Ty::of(NULL),
            Value::Bool(_) => Ty::of(BOOL),
            Value::Int(_) => Ty::of(INT),
            Value::Float(_) => Ty::of(FLOAT),
            Value::Str(_) => Ty::of(STR),
            Value::Date(_) => Ty::of(DATE),
            Value::Temporal(_) => Ty::of(TEMPORAL),
            Value::List(items) => Ty::list(items.iter().fold(0, |k, x| k | Ty::of_value(x).kinds)),
            Value::Map(_) => Ty::of(MAP),
            Value::Node(_) => Ty::of(NODE),
            Value::Rel(_) => Ty::of(REL),
            Value::Path(_) => Ty::of(PATH),
        }
    }
}
