//! What the planner knows of the types of values, and the static type
//! check that rejects, at compile time, operations whose operands can only
//! be of a type the operation refuses (`RETURN 123 AND true`,
//! `RETURN NOT {k: 1}`, `labels(path)`), as openCypher does.
//!
//! A [`Ty`] is a set of possible kinds, plus, for lists, the set of kinds
//! of their elements. The check is conservative: an operand is refused only
//! when *none* of its possible kinds is accepted (null is always accepted:
//! every operation is null on a null operand). Whatever might be of a good
//! type is left to the evaluator, which checks again at runtime.
//!
//! Parameters are typed as anything, as openCypher has them: their values
//! are known when planning, but a query's meaning does not depend on them.

use super::ast::{BinaryOp, Span};
use super::error::{ErrorKind, QueryError};
use super::functions::AggKind;
use super::ir::{MatchPlan, PExpr, PKind, Slot, StepKind};

pub use super::kinds::{
    ALL, BOOL, DATE, FLOAT, INT, LIST, MAP, NODE, NULL, NUM, PATH, REL, STR, TEMPORAL, Ty,
};

fn type_error(message: String, span: Span) -> QueryError {
    QueryError::new(ErrorKind::Semantic, message, Some(span)).with_code("InvalidArgumentType")
}

/// Refuses an operand that cannot be of any of `kinds`.
fn expect(t: Ty, kinds: u16, what: impl FnOnce() -> String, span: Span) -> Result<(), QueryError> {
    if t.may_be(kinds) {
        Ok(())
    } else {
        Err(type_error(
            format!(
                "{} expects {}, got {}",
                what(),
                Ty::of(kinds).describe(),
                t.describe()
            ),
            span,
        ))
    }
}

/// The type of an aggregate's value, given its argument's.
pub fn aggregate_type(kind: AggKind, arg: Ty) -> Ty {
    match kind {
        AggKind::Count => Ty::of(INT),
        AggKind::Collect => Ty::list(arg.kinds & !NULL),
        AggKind::Sum => Ty::of(arg.kinds & NUM).union(Ty::of(INT)),
        AggKind::Avg | AggKind::StDev | AggKind::StDevP | AggKind::PercentileCont => {
            Ty::of(FLOAT | NULL)
        }
        AggKind::Min | AggKind::Max | AggKind::PercentileDisc => arg.nullable(),
    }
}

/// Type-checks planned expressions, learning the types of the variables
/// that comprehensions and quantifiers bind as it goes.
pub struct Checker<'a> {
    /// The type of each row slot.
    pub slots: &'a mut Vec<Ty>,
}

impl Checker<'_> {
    fn slot(&mut self, s: Slot) -> Ty {
        self.slots.get(s).copied().unwrap_or(Ty::ANY)
    }

    fn set(&mut self, s: Slot, t: Ty) {
        if self.slots.len() <= s {
            self.slots.resize(s + 1, Ty::ANY);
        }
        self.slots[s] = t;
    }

    /// The type of `e`, or the first static type error in it.
    pub fn check(&mut self, e: &PExpr) -> Result<Ty, QueryError> {
        Ok(match &e.kind {
            PKind::Const(v) => Ty::of_value(v),
            PKind::Param(_) => Ty::ANY,
            PKind::Slot(s) => self.slot(*s),
            PKind::Prop(base, key) => {
                let b = self.check(base)?;
                expect(
                    b,
                    NODE | REL | MAP | DATE | TEMPORAL,
                    || format!("reading the property `{key}`"),
                    base.span,
                )?;
                Ty::ANY
            }
            PKind::HasLabels(base, _) => {
                let b = self.check(base)?;
                expect(b, NODE, || "a label predicate".into(), base.span)?;
                Ty::of(BOOL | NULL)
            }
            PKind::List(items) => {
                let mut elem = 0;
                for x in items {
                    elem |= self.check(x)?.kinds;
                }
                Ty::list(elem)
            }
            PKind::Map(items) => {
                for (_, x) in items {
                    self.check(x)?;
                }
                Ty::of(MAP)
            }
            PKind::Index(base, idx) => {
                let b = self.check(base)?;
                let i = self.check(idx)?;
                expect(b, LIST | MAP | NODE | REL, || "indexing".into(), base.span)?;
                if b.kinds & LIST != 0 && b.only(LIST) {
                    expect(i, INT, || "a list index".into(), idx.span)?;
                    b.element().nullable()
                } else {
                    Ty::ANY
                }
            }
            PKind::Slice(base, from, to) => {
                let b = self.check(base)?;
                expect(b, LIST, || "slicing".into(), base.span)?;
                for x in from.iter().chain(to) {
                    let t = self.check(x)?;
                    expect(t, INT, || "a slice bound".into(), x.span)?;
                }
                b.nullable()
            }
            PKind::Not(x) => {
                let t = self.check(x)?;
                expect(t, BOOL, || "`NOT`".into(), x.span)?;
                Ty::of(BOOL | (t.kinds & NULL))
            }
            PKind::Neg(x) => {
                let t = self.check(x)?;
                expect(t, NUM, || "`-`".into(), x.span)?;
                Ty::of(t.kinds & (NUM | NULL))
            }
            PKind::Binary(op, a, b) => {
                let ta = self.check(a)?;
                let tb = self.check(b)?;
                self.binary(*op, ta, tb, a, b)?
            }
            PKind::IsNull(x, _) => {
                self.check(x)?;
                Ty::of(BOOL)
            }
            PKind::Call(f, args) => {
                let (accepts, result) = (f.args, f.returns);
                for (i, a) in args.iter().enumerate() {
                    let t = self.check(a)?;
                    let want = accepts[i.min(accepts.len() - 1)];
                    expect(t, want, || format!("`{}`", f.name), a.span)?;
                }
                result.nullable()
            }
            PKind::Case {
                operand,
                whens,
                else_,
            } => {
                if let Some(o) = operand {
                    self.check(o)?;
                }
                let mut t = match else_ {
                    Some(x) => self.check(x)?,
                    None => Ty::of(NULL),
                };
                for (w, then) in whens {
                    self.check(w)?;
                    t = t.union(self.check(then)?);
                }
                t
            }
            PKind::ListComp {
                slot,
                list,
                pred,
                proj,
            } => {
                let l = self.check(list)?;
                expect(l, LIST, || "`IN`".into(), list.span)?;
                self.set(*slot, l.element());
                if let Some(p) = pred {
                    let t = self.check(p)?;
                    expect(t, BOOL, || "`WHERE`".into(), p.span)?;
                }
                let elem = match proj {
                    Some(p) => self.check(p)?,
                    None => l.element(),
                };
                Ty::list(elem.kinds).nullable()
            }
            PKind::Quantified {
                slot, list, pred, ..
            } => {
                let l = self.check(list)?;
                expect(l, LIST, || "`IN`".into(), list.span)?;
                self.set(*slot, l.element());
                let t = self.check(pred)?;
                expect(t, BOOL, || "a quantifier's `WHERE`".into(), pred.span)?;
                Ty::of(BOOL | NULL)
            }
            PKind::Exists(m) => {
                self.check_match(m)?;
                Ty::of(BOOL)
            }
            // Checked when it was planned.
            PKind::Subquery { .. } => Ty::of(BOOL),
            PKind::PatternComp { pattern, proj } => {
                self.check_match(pattern)?;
                let t = self.check(proj)?;
                Ty::list(t.kinds)
            }
        })
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        ta: Ty,
        tb: Ty,
        a: &PExpr,
        b: &PExpr,
    ) -> Result<Ty, QueryError> {
        let name = || format!("`{}`", op.symbol());
        Ok(match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                expect(ta, BOOL, name, a.span)?;
                expect(tb, BOOL, name, b.span)?;
                Ty::of(BOOL | ((ta.kinds | tb.kinds) & NULL))
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith
            | BinaryOp::Contains
            | BinaryOp::RegexMatch => Ty::of(BOOL | NULL),
            BinaryOp::In => {
                expect(tb, LIST, || "`IN`".into(), b.span)?;
                Ty::of(BOOL | NULL)
            }
            BinaryOp::Add => {
                // Numbers add, strings concatenate with scalars, lists
                // append: refuse only what none of these can be.
                let text = STR | LIST | DATE | TEMPORAL;
                if !ta.may_be(text) && !tb.may_be(text) {
                    expect(ta, NUM, name, a.span)?;
                    expect(tb, NUM, name, b.span)?;
                }
                if ta.only(NUM) && tb.only(NUM) {
                    Ty::of((ta.kinds | tb.kinds) & (NUM | NULL))
                } else {
                    Ty::ANY
                }
            }
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div
                if ta.may_be(DATE | TEMPORAL) || tb.may_be(DATE | TEMPORAL) =>
            {
                // Temporal values move by durations; durations scale by
                // numbers: the evaluator checks the combination.
                let ok = NUM | DATE | TEMPORAL;
                expect(ta, ok, name, a.span)?;
                expect(tb, ok, name, b.span)?;
                Ty::ANY
            }
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::Pow => {
                expect(ta, NUM, name, a.span)?;
                expect(tb, NUM, name, b.span)?;
                if op == BinaryOp::Pow {
                    Ty::of(FLOAT | NULL)
                } else {
                    Ty::of((ta.kinds | tb.kinds) & (NUM | NULL))
                }
            }
        })
    }

    /// Checks the expressions of a pattern used inside an expression.
    pub fn check_match(&mut self, m: &MatchPlan) -> Result<(), QueryError> {
        for e in m.pre.iter().chain(&m.post) {
            self.check(e)?;
        }
        for step in &m.steps {
            match &step.kind {
                StepKind::Node(n) => {
                    self.set(n.slot, Ty::of(NODE));
                    for (_, e) in &n.check.props {
                        self.check(e)?;
                    }
                }
                StepKind::Expand(x) => {
                    self.set(x.to, Ty::of(NODE));
                    for (_, e) in x.rel_props.iter().chain(&x.to_check.props) {
                        self.check(e)?;
                    }
                }
                StepKind::Shortest(s) => {
                    for (_, e) in &s.rel_props {
                        self.check(e)?;
                    }
                }
            }
            for e in &step.filters {
                self.check(e)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_and_elements() {
        let l = Ty::list(INT).union(Ty::list(STR));
        assert_eq!(l.element(), Ty::of(INT | STR));
        assert!(Ty::of(INT).union(Ty::of(NULL)).may_be(INT));
        assert!(!Ty::of(STR).may_be(NUM));
        assert!(Ty::of(NULL).may_be(BOOL));
        assert!(Ty::of(0).may_be(BOOL));
        assert_eq!(Ty::of(INT | STR | NULL).describe(), "INTEGER or STRING");
        assert_eq!(Ty::of(INT | LIST).unwound(), Ty::of(ALL));
        assert_eq!(Ty::list(STR).unwound(), Ty::of(STR));
    }
}
