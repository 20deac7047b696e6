//! The statement cache: a statement run again skips parsing and planning.
//!
//! - Parsed scripts are kept by their text (the statement's own text,
//!   parsed with spans counted from its start, so the same statement at
//!   another place of a script finds the same entry; the engine moves the
//!   spans of errors to where the statement is).
//! - Plans are kept by the text, the statement's number in it, the graph's
//!   `Stamp` (a graph that changed, or a `:reload`, has another stamp, so no
//!   plan outlives the graph it was made for), the planner's settings, and
//!   the parameters' values (the planner folds them into the plan).
//!
//! A statement is kept the second time it runs: the first time, only a hash
//! of its text is noted, so a long session of statements that each run once
//! (a script, a pipe, a shell) holds no parsed script or plan for them.
//!
//! Only successes are kept. Both maps are process-wide and bounded: when one
//! is full it is emptied, which keeps the cost of a lookup to one hash of
//! the text; a statement longer than `MAX_TEXT` is not kept, so the cache
//! never holds more than `CAPACITY × MAX_TEXT` bytes of text; and plans made
//! for another graph than the one a new plan is made for are dropped then,
//! as a `:reload` makes them useless (a long session of reloads would
//! otherwise fill the map with dead plans before it empties).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use super::ast::Script;
use super::ir::QueryPlan;
use crate::model::{Stamp, Value};

/// The most entries each map holds before it is emptied.
const CAPACITY: usize = 512;

/// The longest statement text kept, in bytes: parsing is cheap next to
/// running a statement this long, and the cache stays small.
const MAX_TEXT: usize = 16 * 1024;

/// The most hashes of texts seen once that are remembered.
const SEEN: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PlanKey {
    text: String,
    statement: usize,
    graph: Stamp,
    max_hops: u32,
    rewrite: bool,
}

struct PlanEntry {
    params: BTreeMap<String, Value>,
    plan: Arc<QueryPlan>,
}

#[derive(Default)]
struct Maps {
    /// Hashes of the texts run once (emptied when it reaches `SEEN`).
    seen: HashSet<u64>,
    scripts: HashMap<String, Arc<Script>>,
    plans: HashMap<PlanKey, PlanEntry>,
}

fn maps() -> MutexGuard<'static, Maps> {
    static MAPS: LazyLock<Mutex<Maps>> = LazyLock::new(Mutex::default);
    MAPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The script parsed from `text`, if it was parsed before.
pub fn script(text: &str) -> Option<Arc<Script>> {
    maps().script(text)
}

/// Keeps the script parsed from `text`.
pub fn keep_script(text: &str, script: Arc<Script>) {
    maps().keep_script(text, script)
}

/// What a plan depends on besides the parameters.
pub struct PlanFor<'a> {
    pub text: &'a str,
    pub statement: usize,
    pub graph: Stamp,
    pub max_hops: u32,
    pub rewrite: bool,
}

impl PlanFor<'_> {
    fn key(&self) -> PlanKey {
        PlanKey {
            text: self.text.to_string(),
            statement: self.statement,
            graph: self.graph,
            max_hops: self.max_hops,
            rewrite: self.rewrite,
        }
    }
}

/// The plan made before for the same statement, graph, settings and
/// parameter values.
pub fn plan(of: &PlanFor<'_>, params: &BTreeMap<String, Value>) -> Option<Arc<QueryPlan>> {
    maps().plan(of, params)
}

/// Keeps a plan (replacing one made with other parameter values).
pub fn keep_plan(of: &PlanFor<'_>, params: &BTreeMap<String, Value>, plan: Arc<QueryPlan>) {
    maps().keep_plan(of, params, plan)
}

impl Maps {
    fn script(&self, text: &str) -> Option<Arc<Script>> {
        self.scripts.get(text).cloned()
    }

    fn keep_script(&mut self, text: &str, script: Arc<Script>) {
        if text.len() > MAX_TEXT || self.first_time(text) {
            return;
        }
        if self.scripts.len() >= CAPACITY {
            self.scripts.clear();
        }
        self.scripts.insert(text.to_string(), script);
    }

    fn plan(&self, of: &PlanFor<'_>, params: &BTreeMap<String, Value>) -> Option<Arc<QueryPlan>> {
        let entry = self.plans.get(&of.key())?;
        (entry.params == *params).then(|| entry.plan.clone())
    }

    /// Notes `text` as seen; true if it was not seen before.
    fn first_time(&mut self, text: &str) -> bool {
        static HASHER: LazyLock<RandomState> = LazyLock::new(RandomState::new);
        if self.seen.len() >= SEEN {
            self.seen.clear();
        }
        self.seen.insert(HASHER.hash_one(text))
    }

    fn keep_plan(
        &mut self,
        of: &PlanFor<'_>,
        params: &BTreeMap<String, Value>,
        plan: Arc<QueryPlan>,
    ) {
        // A plan is kept with its script (so from the second run on), and
        // never for a text too long to keep.
        if !self.scripts.contains_key(of.text) {
            return;
        }
        if self.plans.len() >= CAPACITY {
            self.plans.clear();
        }
        // Every entry is for one graph: drop them when another one comes.
        if self
            .plans
            .keys()
            .next()
            .is_some_and(|k| k.graph != of.graph)
        {
            self.plans.clear();
        }
        self.plans.insert(
            of.key(),
            PlanEntry {
                params: params.clone(),
                plan,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Graph;

    #[test]
    fn a_statement_is_kept_the_second_time_it_runs() {
        let mut m = Maps::default();
        let none = BTreeMap::new();
        let g = Graph::default().stamp();
        let text = "RETURN 1";
        let parsed = || Arc::new(crate::query::parser::parse(text).unwrap());
        m.keep_script(text, parsed());
        m.keep_plan(&for_graph(text, g), &none, plan_of(text));
        assert!(m.script(text).is_none() && m.plan(&for_graph(text, g), &none).is_none());
        m.keep_script(text, parsed());
        m.keep_plan(&for_graph(text, g), &none, plan_of(text));
        assert!(m.script(text).is_some() && m.plan(&for_graph(text, g), &none).is_some());
    }

    fn plan_of(text: &str) -> Arc<QueryPlan> {
        let script = crate::query::parser::parse(text).unwrap();
        let crate::query::ast::Statement::Query(q) = &script.statements[0] else {
            panic!("{text} is not a query")
        };
        let opts = crate::query::eval::Options::default();
        Arc::new(crate::query::eval::plan_query(&Graph::default(), text, q, &opts).unwrap())
    }

    fn for_graph(text: &str, graph: Stamp) -> PlanFor<'_> {
        PlanFor {
            text,
            statement: 0,
            graph,
            max_hops: 10,
            rewrite: true,
        }
    }

    #[test]
    fn a_plan_for_another_graph_drops_the_plans_of_the_old_one() {
        let mut m = Maps::default();
        let none = BTreeMap::new();
        let (old, new) = (Graph::default().stamp(), Graph::default().stamp());
        for text in ["RETURN 1", "RETURN 2"] {
            for _ in 0..2 {
                m.keep_script(text, Arc::new(crate::query::parser::parse(text).unwrap()));
            }
        }
        m.keep_plan(&for_graph("RETURN 1", old), &none, plan_of("RETURN 1"));
        m.keep_plan(&for_graph("RETURN 2", old), &none, plan_of("RETURN 2"));
        assert!(m.plan(&for_graph("RETURN 1", old), &none).is_some());
        m.keep_plan(&for_graph("RETURN 1", new), &none, plan_of("RETURN 1"));
        assert!(m.plan(&for_graph("RETURN 1", old), &none).is_none());
        assert!(m.plan(&for_graph("RETURN 2", old), &none).is_none());
        assert!(m.plan(&for_graph("RETURN 1", new), &none).is_some());
        assert_eq!(m.plans.len(), 1);
    }

    #[test]
    fn a_long_statement_is_not_kept() {
        let mut m = Maps::default();
        let none = BTreeMap::new();
        let short = "RETURN 1";
        let long = format!("RETURN 1 {}", " ".repeat(MAX_TEXT));
        let g = Graph::default().stamp();
        for _ in 0..2 {
            m.keep_script(short, Arc::new(crate::query::parser::parse(short).unwrap()));
            m.keep_script(&long, Arc::new(crate::query::parser::parse(&long).unwrap()));
        }
        m.keep_plan(&for_graph(short, g), &none, plan_of(short));
        m.keep_plan(&for_graph(&long, g), &none, plan_of(&long));
        assert!(m.script(short).is_some() && m.plan(&for_graph(short, g), &none).is_some());
        assert!(m.script(&long).is_none() && m.plan(&for_graph(&long, g), &none).is_none());
    }
}
