//! The aggregate functions: only named here (with their arity); the
//! evaluator keeps their accumulators.

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggKind {
    Count,
    Collect,
    Sum,
    Avg,
    Min,
    Max,
    StDev,
    StDevP,
    PercentileDisc,
    PercentileCont,
}

impl AggKind {
    /// How many arguments the aggregate takes.
    pub fn arity(self) -> usize {
        match self {
            AggKind::PercentileDisc | AggKind::PercentileCont => 2,
            _ => 1,
        }
    }
}

/// The aggregates by name.
pub(super) const AGGREGATES: &[(&str, AggKind)] = &[
    ("count", AggKind::Count),
    ("collect", AggKind::Collect),
    ("sum", AggKind::Sum),
    ("avg", AggKind::Avg),
    ("min", AggKind::Min),
    ("max", AggKind::Max),
    ("stDev", AggKind::StDev),
    ("stDevP", AggKind::StDevP),
    ("percentileDisc", AggKind::PercentileDisc),
    ("percentileCont", AggKind::PercentileCont),
];

/// The aggregate of this name, ignoring case.
pub fn aggregate(name: &str) -> Option<AggKind> {
    AGGREGATES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, k)| *k)
}
