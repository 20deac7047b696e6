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
//! Only successes are kept. Both maps are process-wide and bounded: when one
//! is full it is emptied, which keeps the cost of a lookup to one hash of
//! the text.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use super::ast::Script;
use super::ir::QueryPlan;
use crate::model::{Stamp, Value};

/// The most entries each map holds before it is emptied.
const CAPACITY: usize = 512;

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
    scripts: HashMap<String, Arc<Script>>,
    plans: HashMap<PlanKey, PlanEntry>,
}

fn maps() -> MutexGuard<'static, Maps> {
    static MAPS: LazyLock<Mutex<Maps>> = LazyLock::new(Mutex::default);
    MAPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The script parsed from `text`, if it was parsed before.
pub fn script(text: &str) -> Option<Arc<Script>> {
    maps().scripts.get(text).cloned()
}

/// Keeps the script parsed from `text`.
pub fn keep_script(text: &str, script: Arc<Script>) {
    let mut m = maps();
    if m.scripts.len() >= CAPACITY {
        m.scripts.clear();
    }
    m.scripts.insert(text.to_string(), script);
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
    let m = maps();
    let entry = m.plans.get(&of.key())?;
    (entry.params == *params).then(|| entry.plan.clone())
}

/// Keeps a plan (replacing one made with other parameter values).
pub fn keep_plan(of: &PlanFor<'_>, params: &BTreeMap<String, Value>, plan: Arc<QueryPlan>) {
    let mut m = maps();
    if m.plans.len() >= CAPACITY {
        m.plans.clear();
    }
    m.plans.insert(
        of.key(),
        PlanEntry {
            params: params.clone(),
            plan,
        },
    );
}
