//! The syntax tree of eje's query language, named after the openCypher
//! grammar (`<match statement>`, `<node pattern>`, ...).
//!
//! Syntax only: nothing here knows the schema or the graph. Every node
//! carries a `Span` (byte offsets into the query text); spans never take
//! part in equality, so a parsed tree equals the tree parsed from its
//! printed form. `Display` (in `print.rs`) prints canonical query text.

use std::fmt;

/// Byte offsets `start..end` into the query text. Always equal to any other
/// span, so trees compare by structure.
#[derive(Clone, Copy, Default, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A name: variable, label, relation type, property key, function or
/// parameter name. Backtick-quoted names arrive unquoted here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A reference to one entity by id, name or alias: `("Kim Jong Un")` in a
/// node pattern, or the argument of an analyst statement. In an analyst
/// statement it may be a parameter (`DESCRIBE $who`): `text` is then `$who`
/// and `quoted` false (a bare word never holds a `$`), and the statement
/// reads the parameter's value when it runs (`EntityRef::param`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub text: String,
    /// Written as a string literal (`"Kim Jong Un"`) rather than bare (`putin`).
    pub quoted: bool,
    pub span: Span,
}

impl EntityRef {
    /// The parameter's name when the reference is one (`$who`).
    pub fn param(&self) -> Option<&str> {
        if self.quoted {
            return None;
        }
        self.text.strip_prefix('$')
    }
}

/// Which relations `DESCRIBE` and `NEIGHBORS` follow, seen from the entity:
/// all of them, or only those it is the source of (`OUTGOING`) or the
/// target of (`INCOMING`). A symmetric relation has no direction and is
/// followed either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Toward {
    #[default]
    Both,
    Outgoing,
    Incoming,
}

/// `<script> ::= <statement> (';' <statement>)* [';']`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    pub statements: Vec<Statement>,
}

/// One statement: an openCypher query or an analyst statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Query(Query),
    /// `DESCRIBE <entity> [OUTGOING|INCOMING]`
    Describe {
        entity: EntityRef,
        toward: Toward,
        span: Span,
    },
    /// `NEIGHBORS <entity> [DEPTH n] [VIA type, ...] [OUTGOING|INCOMING]`
    Neighbors {
        entity: EntityRef,
        depth: Option<u32>,
        via: Vec<Ident>,
        toward: Toward,
        span: Span,
    },
    /// `PATH <entity> TO <entity> [VIA type, ...]`
    Path {
        from: EntityRef,
        to: EntityRef,
        via: Vec<Ident>,
        span: Span,
    },
    /// `TIMELINE [<entity>] [FROM date] [TO date]`; dates are string literals
    /// or bare ISO prefixes, kept as written and checked by the planner.
    Timeline {
        entity: Option<EntityRef>,
        from: Option<DateText>,
        to: Option<DateText>,
        span: Span,
    },
    /// `EVIDENCE [<entity> [TO <entity>]] [BY <claimant>] [IN <source>]`,
    /// with at least one of them; `source` is a source's id.
    Evidence {
        entity: Option<EntityRef>,
        to: Option<EntityRef>,
        by: Option<EntityRef>,
        source: Option<EntityRef>,
        span: Span,
    },
}

/// A date as written in an analyst statement (`2024-06`, `'2024-06-19'`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateText {
    pub text: String,
    pub span: Span,
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Query(q) => q.span,
            Statement::Describe { span, .. }
            | Statement::Neighbors { span, .. }
            | Statement::Path { span, .. }
            | Statement::Timeline { span, .. }
            | Statement::Evidence { span, .. } => *span,
        }
    }
}

/// `<query> ::= <single query> (UNION [ALL] <single query>)*`
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub first: SingleQuery,
    pub unions: Vec<Union>,
    pub span: Span,
    /// `EXPLAIN` or `PROFILE` before the query.
    pub mode: QueryMode,
}

/// What to do with a query: run it, show its plan (`EXPLAIN`), or run it
/// and show its plan with the rows and time of each step (`PROFILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryMode {
    #[default]
    Run,
    Explain,
    Profile,
}

/// `UNION [ALL] <single query>`
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub all: bool,
    pub query: SingleQuery,
}

/// Reading clauses ending in `RETURN`.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Match(MatchClause),
    Unwind(UnwindClause),
    With(WithClause),
    Return(ReturnClause),
    Call(CallClause),
}

/// `CALL <name>[(<args>)] [YIELD (* | <item>, ...) [WHERE <expr>]]`. A
/// query made of one `CALL` and nothing else is a standalone call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallClause {
    /// The procedure's dotted name (`db.labels`).
    pub name: Ident,
    /// `None` without parentheses: the arguments come from the parameters
    /// of the same names (standalone calls only).
    pub args: Option<Vec<Expr>>,
    /// `YIELD *` (standalone calls only).
    pub yield_star: bool,
    pub yields: Vec<YieldItem>,
    pub where_: Option<Expr>,
    pub span: Span,
}

/// `<field> [AS <variable>]`
#[derive(Debug, Clone, PartialEq)]
pub struct YieldItem {
    pub field: Ident,
    pub alias: Option<Ident>,
}

impl YieldItem {
    /// The variable it binds.
    pub fn variable(&self) -> &Ident {
        self.alias.as_ref().unwrap_or(&self.field)
    }
}

/// `[OPTIONAL] MATCH <pattern> [WHERE <expr>]`
#[derive(Debug, Clone, PartialEq)]
pub struct MatchClause {
    pub optional: bool,
    pub pattern: Vec<PatternPart>,
    pub where_: Option<Expr>,
    pub span: Span,
}

/// `[<variable> =] <pattern element>`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternPart {
    pub variable: Option<Ident>,
    pub element: PatternElement,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatternElement {
    Path(PathPattern),
    /// `shortestPath(...)` (`all: false`) or `allShortestPaths(...)`.
    Shortest {
        all: bool,
        path: PathPattern,
    },
}

/// `<node pattern> (<relationship pattern> <node pattern>)*`
#[derive(Debug, Clone, PartialEq)]
pub struct PathPattern {
    pub start: NodePattern,
    pub chain: Vec<(RelationshipPattern, NodePattern)>,
    pub span: Span,
}

/// `( [<variable>] [:Label ...] [<entity ref>] [{props} | $param] )`
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    pub variable: Option<Ident>,
    pub labels: Vec<Ident>,
    pub entity: Option<EntityRef>,
    /// A map literal or a parameter.
    pub properties: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `-[]->`
    Right,
    /// `<-[]-`
    Left,
    /// `-[]-` (either way)
    Both,
}

/// `*`, `*2`, `*1..3`, `*..3`, `*2..`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Range {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// `-[ [<variable>] [:TYPE|OTHER] [*range] [{props}] ]->`
#[derive(Debug, Clone, PartialEq)]
pub struct RelationshipPattern {
    pub variable: Option<Ident>,
    pub types: Vec<Ident>,
    pub direction: Direction,
    /// Present for a variable-length relationship.
    pub length: Option<Range>,
    pub properties: Option<Box<Expr>>,
    pub span: Span,
}

/// `UNWIND <expr> AS <variable>`
#[derive(Debug, Clone, PartialEq)]
pub struct UnwindClause {
    pub expr: Expr,
    pub alias: Ident,
    pub span: Span,
}

/// `WITH <projection> [WHERE <expr>]`
#[derive(Debug, Clone, PartialEq)]
pub struct WithClause {
    pub projection: Projection,
    pub where_: Option<Expr>,
    pub span: Span,
}

/// `RETURN <projection>`
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnClause {
    pub projection: Projection,
    pub span: Span,
}

/// `[DISTINCT] (* | item, ...) [ORDER BY ...] [SKIP n] [LIMIT n]`
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub distinct: bool,
    /// `*`: every variable in scope, before the explicit items.
    pub star: bool,
    pub items: Vec<ProjectionItem>,
    pub order_by: Vec<SortItem>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
}

/// `<expr> [AS <alias>]`. Without an alias, the column is named after the
/// expression's text as written (`span` points at it).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    pub expr: Expr,
    pub alias: Option<Ident>,
    pub span: Span,
}

/// `<expr> [ASC | ASCENDING | DESC | DESCENDING]`
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    Xor,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    In,
    StartsWith,
    EndsWith,
    Contains,
    /// `=~`
    RegexMatch,
}

impl BinaryOp {
    /// The operator as written in a query (also how messages and EXPLAIN
    /// name it).
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Or => "OR",
            Xor => "XOR",
            And => "AND",
            Eq => "=",
            Ne => "<>",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            Pow => "^",
            In => "IN",
            StartsWith => "STARTS WITH",
            EndsWith => "ENDS WITH",
            Contains => "CONTAINS",
            RegexMatch => "=~",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantifier {
    All,
    Any,
    None,
    Single,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// `$name`
    Parameter(Ident),
    Variable(Ident),
    /// `expr.key`
    Property(Box<Expr>, Ident),
    /// `expr:Label:Other` (a label predicate)
    HasLabels(Box<Expr>, Vec<Ident>),
    /// `[a, b, c]`
    List(Vec<Expr>),
    /// `{key: value, ...}`
    Map(Vec<(Ident, Expr)>),
    /// `list[index]` or `map[key]`
    Index(Box<Expr>, Box<Expr>),
    /// `list[from..to]`, either bound optional
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `expr IS NULL` (`negated: false`) or `expr IS NOT NULL`
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// `name([DISTINCT] arg, ...)`; namespaced names keep their dots.
    Function {
        name: Ident,
        distinct: bool,
        args: Vec<Expr>,
    },
    /// `count(*)`
    CountStar,
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        else_: Option<Box<Expr>>,
    },
    /// `[x IN list [WHERE pred] [| projection]]`
    ListComprehension {
        variable: Ident,
        list: Box<Expr>,
        predicate: Option<Box<Expr>>,
        projection: Option<Box<Expr>>,
    },
    /// `all|any|none|single(x IN list WHERE pred)`
    Quantified {
        quantifier: Quantifier,
        variable: Ident,
        list: Box<Expr>,
        predicate: Box<Expr>,
    },
    /// A pattern used as a predicate: `WHERE (a)-[:KNOWS]->(b)`.
    Pattern(PathPattern),
    /// `EXISTS { <clauses> }`: true when the subquery, run with the
    /// variables in scope, yields a row. The short form `EXISTS { (a)-->(b)
    /// [WHERE pred] }` is a subquery of one `MATCH`; a `RETURN` is optional.
    ExistsSubquery(Box<SingleQuery>),
    /// `[p = (a)-->(b) WHERE pred | projection]`
    PatternComprehension {
        variable: Option<Ident>,
        pattern: PathPattern,
        predicate: Option<Box<Expr>>,
        projection: Box<Expr>,
    },
}
