//! The schema in memory: entity kinds (a hierarchy), relation types and
//! units, as declared in `data/schema.ron`.

use indexmap::IndexMap;

/// How a kind is drawn (Graphviz attributes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Style {
    pub shape: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KindDef {
    pub name: String,
    pub parent: Option<String>,
    pub description: String,
    pub style: Style,
}

/// When a relation holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeShape {
    /// A single date (`On`).
    Point,
    /// A span of time (`Span`).
    Interval,
    /// Either a point or an interval.
    Any,
    /// No date at all (membership, location).
    Timeless,
}

impl TimeShape {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeShape::Point => "a point (`On`)",
            TimeShape::Interval => "an interval (`Span`)",
            TimeShape::Any => "a point or an interval",
            TimeShape::Timeless => "no date",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelationDef {
    pub name: String,
    pub description: String,
    /// Kinds allowed as subject; a kind allows its descendants.
    pub from: Vec<String>,
    /// Kinds allowed as object.
    pub to: Vec<String>,
    pub symmetric: bool,
    pub time: TimeShape,
    /// The unit its quantity is measured in, if it takes one.
    pub unit: Option<String>,
    /// Participant roles, for relations that link an actor to an event.
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitDef {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub kinds: IndexMap<String, KindDef>,
    pub relations: IndexMap<String, RelationDef>,
    pub units: IndexMap<String, UnitDef>,
}

impl Schema {
    /// The kind and its ancestors, most specific first. Stops on a cycle.
    pub fn lineage(&self, kind: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        // A deep chain is checked for a cycle through a set, not by
        // searching the lineage at every step (4,000 kinds deep).
        let mut seen: Option<super::fxhash::FastSet<&str>> = None;
        let mut cur = self.kinds.get_key_value(kind).map(|(k, _)| k.as_str());
        while let Some(k) = cur {
            let again = match &mut seen {
                Some(set) => !set.insert(k),
                None if out.len() < 32 => out.contains(&k),
                None => {
                    let mut set: super::fxhash::FastSet<&str> = out.iter().copied().collect();
                    let again = !set.insert(k);
                    seen = Some(set);
                    again
                }
            };
            if again {
                break;
            }
            out.push(k);
            cur = self.kinds.get(k).and_then(|d| d.parent.as_deref());
        }
        out
    }

    /// Whether `kind` is `ancestor` or descends from it.
    pub fn is_a(&self, kind: &str, ancestor: &str) -> bool {
        // Walk up without collecting; a cycle ends after as many steps as
        // there are kinds.
        let mut cur = self.kinds.get(kind);
        for _ in 0..self.kinds.len() {
            let Some(k) = cur else { return false };
            if k.name == ancestor {
                return true;
            }
            cur = k.parent.as_deref().and_then(|p| self.kinds.get(p));
        }
        false
    }

    /// Whether a relation type allows these endpoint kinds.
    pub fn allows(&self, rel: &RelationDef, from_kind: &str, to_kind: &str) -> bool {
        let ok = |allowed: &[String], kind: &str| {
            allowed.is_empty() || allowed.iter().any(|a| self.is_a(kind, a))
        };
        ok(&rel.from, from_kind) && ok(&rel.to, to_kind)
    }

    /// A kind by name, ignoring case.
    pub fn kind_ci(&self, name: &str) -> Option<&KindDef> {
        self.kinds.get(name).or_else(|| {
            self.kinds
                .values()
                .find(|k| k.name.eq_ignore_ascii_case(name))
        })
    }

    /// A relation type by name, ignoring case.
    pub fn relation_ci(&self, name: &str) -> Option<&RelationDef> {
        self.relations.get(name).or_else(|| {
            self.relations
                .values()
                .find(|r| r.name.eq_ignore_ascii_case(name))
        })
    }

    /// The style of a kind, inherited from the nearest ancestor that has one.
    pub fn style(&self, kind: &str) -> Style {
        for k in self.lineage(kind) {
            let s = &self.kinds[k].style;
            if !s.shape.is_empty() || !s.color.is_empty() {
                return s.clone();
            }
        }
        Style::default()
    }
}
