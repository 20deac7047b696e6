//! Parser tests. Cases are data:
//!
//! - `tests/cases/parse/ok/*.kgq` must parse; the snapshot holds the
//!   canonical print (and, where it differs, the fully parenthesized form),
//!   and the print must parse back to the same tree.
//! - `tests/cases/parse/err/*.kgq` must fail; the snapshot holds the error
//!   rendered as the user sees it: message, `line:column`, the source line
//!   and a caret under the span, the help, and the kind.
//!
//! Property tests feed arbitrary and grammar-shaped text to the parser
//! (which must not panic) and print generated trees (which must parse back
//! equal).

use std::fmt::Write as _;

use eje::query::ast::*;
use eje::query::parser::{MAX_DEPTH, parse, parse_expr, parse_in, parse_statement, parse_steps};
use eje::query::{ErrorKind, QueryError};
use proptest::prelude::*;

/// Renders an error the way a terminal shows it, without color.
fn render(text: &str, e: &QueryError) -> String {
    let mut out = format!("error: {}\n", e.message);
    if let Some(span) = e.span {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |k| start + k);
        let line_no = text[..start].matches('\n').count() + 1;
        let col = text[line_start..start].chars().count() + 1;
        let source = &text[line_start..line_end];
        let end = span.end.clamp(start, line_end);
        let width = text[start..end].chars().count().max(1);
        let gutter = " ".repeat(line_no.to_string().len());
        writeln!(out, "{gutter}--> {line_no}:{col}").unwrap();
        writeln!(out, "{gutter} |").unwrap();
        writeln!(out, "{line_no} | {source}").unwrap();
        writeln!(
            out,
            "{gutter} | {}{}",
            " ".repeat(col - 1),
            "^".repeat(width)
        )
        .unwrap();
    }
    for (span, label) in &e.related {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
        let line_no = text[..start].matches('\n').count() + 1;
        let col = text[line_start..start].chars().count() + 1;
        writeln!(out, "related {line_no}:{col}: {label}").unwrap();
    }
    if let Some(help) = &e.help {
        writeln!(out, "help: {help}").unwrap();
    }
    if let Some(code) = e.code {
        writeln!(out, "code: {code}").unwrap();
    }
    write!(out, "kind: {:?}", e.kind).unwrap();
    out
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses, prints, parses the print: the trees must be equal and the print
/// a fixed point.
fn round_trip(text: &str) -> Result<Script, String> {
    let script = parse(text).map_err(|e| render(text, &e))?;
    let printed = script.to_string();
    let again = parse(&printed).map_err(|e| {
        format!(
            "the print does not parse:\n{printed}\n{}",
            render(&printed, &e)
        )
    })?;
    if again != script {
        return Err(format!(
            "the print parses to another tree:\n{printed}\n{script:#?}\n{again:#?}"
        ));
    }
    if again.to_string() != printed {
        return Err(format!("printing is not stable:\n{printed}\n{again}"));
    }
    Ok(script)
}

#[test]
fn accepted_queries() {
    insta::glob!("cases/parse/ok/*.kgq", |path| {
        let text = read(path);
        let script = round_trip(&text).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()));
        let printed = script.to_string();
        let grouped = format!("{script:#}");
        let mut snapshot = printed.clone();
        if grouped != printed {
            write!(snapshot, "\n\n-- grouped --\n{grouped}").unwrap();
        }
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn rejected_queries() {
    insta::glob!("cases/parse/err/*.kgq", |path| {
        let text = read(path);
        let error = match parse(&text) {
            Ok(script) => panic!("{} parsed:\n{script}", path.display()),
            Err(e) => e,
        };
        insta::assert_snapshot!(render(&text, &error));
    });
}

// ---------------------------------------------------------------------------
// Error kinds: the REPL reads another line exactly on `UnexpectedEnd`.

#[test]
fn incomplete_input_is_unexpected_end() {
    let incomplete = [
        "MATCH (n",
        "MATCH (n)",
        "MATCH (n)-[r",
        "MATCH (n)-[r:KNOWS]->",
        "MATCH (n) WHERE",
        "MATCH (n) WHERE n.x = 1 AND",
        "MATCH (n) RETURN",
        "MATCH (n) RETURN n,",
        "MATCH (n) RETURN n ORDER",
        "MATCH (n) RETURN n ORDER BY",
        "RETURN 'unterminated",
        "RETURN \"also; unterminated",
        "RETURN [1, 2",
        "RETURN {a: 1",
        "RETURN {a:",
        "RETURN (1 + 2",
        "RETURN f(1,",
        "RETURN CASE WHEN x THEN 1",
        "RETURN n.",
        "RETURN 1 /* comment ; still comment",
        "RETURN `unterminated name",
        "MATCH (a) WHERE (a)-[:KNOWS]->(b",
        "MATCH (a) WHERE (a)-->",
        "UNWIND [1] AS",
        "WITH 1 AS x",
        "OPTIONAL",
        "DESCRIBE",
        "PATH putin TO",
        "NEIGHBORS putin DEPTH",
        "NEIGHBORS putin VIA",
        "TIMELINE FROM",
        "MATCH (n) RETURN n UNION",
        "RETURN [x IN [1] WHERE",
        "RETURN 1 IS NOT",
        "RETURN a STARTS",
        "MATCH (n) RETURN n; MATCH (m)",
        "MATCH (n)\n  // a comment\n",
    ];
    for text in incomplete {
        match parse(text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => assert_eq!(
                e.kind,
                ErrorKind::UnexpectedEnd,
                "{text:?}: {}",
                render(text, &e)
            ),
        }
    }
}

#[test]
fn wrong_input_is_a_syntax_error() {
    let wrong = [
        "MATCH (n) RETURN n)",
        "MATCH (n:Person -[r]-> (m) RETURN n",
        "MATCH n RETURN n",
        "RETURN 99999999999999999999",
        "RETURN 'a' 'b'",
        "MATCH (n);",
        "MATCH (end) RETURN 1",
        "RETURN '\\q'",
        "RETURN 1 +* 2",
        "CREATE (n)",
        "DESCRIBE Kim Jong Un",
        "TIMELINE FROM 2024-6",
        "RETURN 12abc",
        "RETURN [1, 2 3]",
        "MATCH (n) RETURN n LIMIT 1 SKIP 1",
    ];
    for text in wrong {
        match parse(text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => assert_eq!(e.kind, ErrorKind::Syntax, "{text:?}: {}", render(text, &e)),
        }
    }
}

#[test]
fn semicolons_in_strings_and_comments_do_not_end_statements() {
    let script = parse("RETURN 'a;b'; RETURN \"c;d\" // e;f\n; /* g; h */ RETURN 1;;").unwrap();
    assert_eq!(script.statements.len(), 3);
    assert!(parse("").unwrap().statements.is_empty());
    assert_eq!(
        parse("\u{feff}RETURN 1").unwrap().statements.len(),
        1,
        "a byte-order mark"
    );
    assert!(parse(" ;; // nothing\n ; ").unwrap().statements.is_empty());
}

#[test]
fn spans_point_into_the_text() {
    let text = "MATCH (n:Person)\nRETURN n.name AS name, count(*)";
    let script = parse(text).unwrap();
    let Statement::Query(q) = &script.statements[0] else {
        panic!()
    };
    assert_eq!(&text[q.span.range()], text);
    let Clause::Return(r) = &q.first.clauses[1] else {
        panic!()
    };
    let items: Vec<_> = r
        .projection
        .items
        .iter()
        .map(|i| &text[i.expr.span.range()])
        .collect();
    assert_eq!(items, ["n.name", "count(*)"]);
    let e = parse_expr("(a + b) * 2").unwrap();
    // `Span` equality ignores positions on purpose (so that
    // `parse(print(ast)) == ast`): compare the offsets themselves.
    assert_eq!((e.span.start, e.span.end), (0, 11));
    let ExprKind::Binary(_, l, _) = &e.kind else {
        panic!()
    };
    assert_eq!(
        (l.span.start, l.span.end),
        (0, 7),
        "a parenthesized expression spans its parentheses"
    );
}

#[test]
fn parse_statement_and_parse_expr() {
    assert!(matches!(
        parse_statement("DESCRIBE putin;"),
        Ok(Statement::Describe { .. })
    ));
    assert_eq!(
        parse_statement("").unwrap_err().kind,
        ErrorKind::UnexpectedEnd
    );
    assert_eq!(
        parse_statement("DESCRIBE a; DESCRIBE b").unwrap_err().kind,
        ErrorKind::Syntax
    );
    let e = parse_expr("n.name STARTS WITH 'Kim'").unwrap();
    assert!(matches!(e.kind, ExprKind::Binary(BinaryOp::StartsWith, ..)));
    let err = parse_expr("1 2").unwrap_err();
    assert_eq!(
        err.message,
        "unexpected text after the end of the expression: `2`"
    );
    assert_eq!(
        parse_expr("1 +").unwrap_err().kind,
        ErrorKind::UnexpectedEnd
    );
}

#[test]
fn parse_in_counts_positions_in_the_whole_text() {
    let text = "RETURN 1;\nMATCH (n RETURN n;\nRETURN 3";
    let second = Span::new(10, 27);
    let e = parse_in(text, second).unwrap_err();
    assert_eq!(
        e.message,
        "expected `)` to close the node pattern, found `RETURN`"
    );
    // The opening bracket is a related span, in the whole text.
    let opens: Vec<_> = e
        .related
        .iter()
        .map(|(s, label)| (s.start, s.end, label.as_str()))
        .collect();
    assert_eq!(opens, [(16, 17, "the node pattern opens here")]);
    assert_eq!(&text[16..17], "(");
    assert_eq!(&text[e.span.unwrap().range()], "RETURN");
    let third = parse_in(text, Span::new(28, text.len())).unwrap();
    let Statement::Query(q) = &third.statements[0] else {
        panic!()
    };
    assert_eq!(&text[q.span.range()], "RETURN 3");
    // Out-of-range and mid-character spans are clamped, never a panic.
    let _ = parse_in("é;é", Span::new(1, 99));
}

// ---------------------------------------------------------------------------
// Hostile input: bounded depth, no stack overflow, no panic.

fn assert_too_deep(text: &str) {
    let e = parse(text).expect_err("too deep");
    assert_eq!(e.kind, ErrorKind::Syntax, "{}", e.message);
    assert_eq!(e.message, format!("nesting deeper than {MAX_DEPTH} levels"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let n = 100_000;
    assert_too_deep(&format!("RETURN {}", "(".repeat(n)));
    assert_too_deep(&format!("RETURN {}", "[".repeat(n)));
    assert_too_deep(&format!("RETURN {}", "{a:".repeat(n)));
    assert_too_deep(&format!("RETURN {}1", "-".repeat(n)));
    assert_too_deep(&format!("RETURN {}true", "NOT ".repeat(n)));
    assert_too_deep(&format!("RETURN 1{}", " + 1".repeat(n)));
    assert_too_deep(&format!("RETURN n{}", ".a".repeat(n)));
    assert_too_deep(&format!("RETURN n{}", "[0]".repeat(n)));
    assert_too_deep(&format!("RETURN {}", "f(".repeat(n)));
    assert_too_deep(&format!("RETURN {}", "CASE WHEN ".repeat(n)));
    assert_too_deep(&format!("MATCH (a {{p: {}", "(a {p: ".repeat(n)));
    assert_too_deep(&format!("RETURN {}", "[x IN ".repeat(n)));
    assert_too_deep(&format!("RETURN 1{}", " < 1".repeat(n)));
}

#[test]
fn the_callers_stack_size_does_not_matter() {
    let deep = format!("RETURN {}", "[{a: ({b: ".repeat(1000));
    let handle = std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn(move || parse(&deep).map(|_| ()).unwrap_err().message)
        .unwrap();
    let message = handle.join().unwrap();
    assert_eq!(message, format!("nesting deeper than {MAX_DEPTH} levels"));
}

#[test]
fn the_costliest_nesting_just_under_the_limit_parses() {
    // Lists of maps of parenthesized maps, and node patterns in lists of
    // pattern predicates: the deepest frames, at 198 and 199 levels.
    let (k, close) = (66, "})}]");
    let text = format!("RETURN {}1{}", "[{a: ({b: ".repeat(k), close.repeat(k));
    parse(&text).unwrap_or_else(|e| panic!("{}", e.message));
    let text = format!(
        "MATCH (n) WHERE {}1{} RETURN n",
        "[(a {b: ".repeat(99),
        "})--()]".repeat(99)
    );
    parse(&text).unwrap_or_else(|e| panic!("{}", e.message));
    let text = format!(
        "MATCH (n) WHERE {}1{} RETURN n",
        "[(a {b: ".repeat(100),
        "})--()]".repeat(100)
    );
    assert_too_deep(&text);
}

#[test]
fn nesting_just_under_the_limit_parses() {
    // Every level is a parenthesized expression, which counts one level.
    let depth = (MAX_DEPTH - 2) as usize;
    let text = format!("RETURN {}1{}", "(".repeat(depth), ")".repeat(depth));
    parse(&text).unwrap_or_else(|e| panic!("{}", e.message));
    let list = format!("RETURN {}1{}", "[".repeat(depth / 2), "]".repeat(depth / 2));
    round_trip(&list).unwrap();
    // A long flat list is not deep.
    let flat = format!("RETURN [{}1]", "1, ".repeat(50_000));
    parse(&flat).unwrap();
}

#[test]
fn pathological_backtracking_stays_fast() {
    // Where a node pattern or a path may start in an expression, it is
    // tried and, failing, read as an expression. Nested, such retries would
    // grow exponentially without the parser's memory of its attempts.
    let nestings = [
        ("({a: ", "} + 1)"),
        ("({a: ", "})"),
        ("[p = ({a: ", "})]"),
        ("[p = (a)-->(b {x: ", "})]"),
        ("[p = (a)-->(b {x: ", "}) | 1]"),
        ("[(a)--(b {x: ", "}) + 1]"),
        ("[(a)-[{x: ", "}]->(b)]"),
        ("[x = ({a: ", "}), 1]"),
        ("((a {b: ", "}) + 1)"),
        ("(a)-->(b {c: ", "}) - -1"),
        ("any(x IN [", "] WHERE x)"),
    ];
    // The work is counted, not timed. Re-reading a remembered attempt at
    // each enclosing level makes it grow with the square of the nesting
    // (bounded by MAX_DEPTH); without the memory it would double per level.
    let steps = |open: &str, close: &str, depth: usize| {
        parse_steps(&format!(
            "RETURN {}1{}",
            open.repeat(depth),
            close.repeat(depth)
        ))
    };
    for (open, close) in nestings {
        let (at30, at60) = (steps(open, close, 30), steps(open, close, 60));
        assert!(at30 >= 30, "{open}…{close}: {at30} steps at depth 30");
        assert!(
            at60 <= 5 * at30,
            "{open}…{close}: {at30} steps at depth 30 but {at60} at depth 60"
        );
    }
}

#[test]
fn odd_text_does_not_panic() {
    for text in [
        "\u{0}",
        "é",
        "MATCH (é:Ünïcode {ключ: 'значение'}) RETURN é",
        "RETURN '\u{10FFFF}'",
        "RETURN '\\uD800'",
        "RETURN '\\U0011FFFF'",
        "RETURN '\\u12'",
        "RETURN 1e999",
        "RETURN 0x",
        "RETURN 0xFFFFFFFFFFFFFFFFFF",
        "RETURN -0x8000000000000000",
        "MATCH ()-[*99999999999]-() RETURN 1",
        "RETURN $",
        "RETURN $`",
        "RETURN ``",
        "\u{feff}RETURN 1",
        "/*",
        "//",
        "RETURN 'é",
        "MATCH (n) RETURN n.`",
    ] {
        let _ = parse(text);
        let _ = parse_expr(text);
        let _ = eje::query::lexer::tokens(text);
    }
    assert_eq!(
        parse("RETURN -0x8000000000000000").unwrap().to_string(),
        "RETURN -9223372036854775808"
    );
}

// ---------------------------------------------------------------------------
// Property tests.

const FRAGMENTS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "RETURN",
    "WITH",
    "UNWIND",
    "AS",
    "ORDER",
    "BY",
    "SKIP",
    "LIMIT",
    "UNION",
    "ALL",
    "DISTINCT",
    "AND",
    "OR",
    "NOT",
    "XOR",
    "IN",
    "IS",
    "NULL",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "STARTS",
    "ENDS",
    "CONTAINS",
    "DESCRIBE",
    "NEIGHBORS",
    "PATH",
    "TO",
    "FROM",
    "TIMELINE",
    "EVIDENCE",
    "DEPTH",
    "VIA",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ";",
    ".",
    "..",
    "-",
    "->",
    "<-",
    "--",
    "*",
    "|",
    "=",
    "<>",
    "<",
    ">",
    "=~",
    "+",
    "/",
    "%",
    "^",
    "$p",
    "$0",
    "n",
    "m",
    "`x y`",
    "'s'",
    "\"t\"",
    "'",
    "\"",
    "`",
    "1",
    "0x1F",
    "1.5",
    ".5",
    "1e3",
    "true",
    "null",
    "count",
    "(*)",
    "any",
    "shortestPath",
    "/*",
    "*/",
    "//",
    "\n",
    " ",
    "é",
    "\\",
    "'\\u00e9'",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_flat_map(|parts| {
        let n = parts.len();
        (Just(parts), prop::collection::vec(any::<bool>(), n)).prop_map(|(parts, spaces)| {
            let mut text = String::new();
            for (part, space) in parts.iter().zip(spaces) {
                text.push_str(part);
                if space {
                    text.push(' ');
                }
            }
            text
        })
    })
}

fn ident(names: &'static [&'static str]) -> impl Strategy<Value = Ident> {
    prop_oneof![
        prop::sample::select(names).prop_map(String::from),
        "[a-z][a-z0-9_]{0,4}",
    ]
    .prop_map(|name| Ident {
        name,
        span: Span::default(),
    })
}

const VARIABLES: &[&str] = &[
    "n", "m", "path", "count", "end", "match", "x y", "a`b", "ünï", "_0", "to", "from",
];
const SCHEMA_NAMES: &[&str] = &["Person", "KNOWS", "name", "end", "MATCH", "has space", "α"];
const FUNCTIONS: &[&str] = &[
    "f",
    "toLower",
    "coalesce",
    "apoc.coll.sum",
    "any",
    "exists",
    "size",
];

fn e(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(Literal::Null),
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Int),
        (-3i64..20).prop_map(Literal::Int),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Literal::Float),
        (-1000i32..1000).prop_map(|x| Literal::Float(f64::from(x) / 8.0)),
        any::<String>().prop_map(Literal::String),
        "[a-z';\\\\\"\n]{0,5}".prop_map(Literal::String),
    ]
    .prop_map(|l| e(ExprKind::Literal(l)))
    .boxed()
    .prop_union(
        ident(VARIABLES)
            .prop_map(|v| e(ExprKind::Variable(v)))
            .boxed(),
    )
    .or(ident(&["p", "0", "12", "match", "x y"])
        .prop_map(|p| e(ExprKind::Parameter(p)))
        .boxed())
    .or(Just(e(ExprKind::CountStar)).boxed())
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    use BinaryOp::*;
    prop::sample::select(vec![
        Or, Xor, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, Pow, In, StartsWith,
        EndsWith, Contains, RegexMatch,
    ])
}

fn node() -> impl Strategy<Value = NodePattern> {
    (
        prop::option::of(ident(VARIABLES)),
        prop::collection::vec(ident(SCHEMA_NAMES), 0..3),
        prop::option::of("[A-Za-z é'-]{1,8}"),
        prop::option::of(prop_oneof![
            Just(e(ExprKind::Map(vec![]))),
            leaf().prop_map(|v| e(ExprKind::Map(vec![(
                Ident {
                    name: "name".into(),
                    span: Span::default()
                },
                v
            )]))),
            ident(&["p"]).prop_map(|p| e(ExprKind::Parameter(p))),
        ]),
    )
        .prop_map(|(variable, labels, entity, properties)| NodePattern {
            variable,
            labels,
            entity: entity.map(|text| EntityRef {
                text,
                quoted: true,
                span: Span::default(),
            }),
            properties: properties.map(Box::new),
            span: Span::default(),
        })
}

fn relationship() -> impl Strategy<Value = RelationshipPattern> {
    (
        prop::option::of(ident(VARIABLES)),
        prop::collection::vec(ident(SCHEMA_NAMES), 0..3),
        prop::sample::select(vec![Direction::Left, Direction::Right, Direction::Both]),
        prop::option::of((prop::option::of(0u32..5), prop::option::of(0u32..5))),
        prop::option::of(Just(e(ExprKind::Map(vec![])))),
    )
        .prop_map(
            |(variable, types, direction, length, properties)| RelationshipPattern {
                variable,
                types,
                direction,
                length: length.map(|(min, max)| Range { min, max }),
                properties: properties.map(Box::new),
                span: Span::default(),
            },
        )
}

fn path(min_hops: usize) -> impl Strategy<Value = PathPattern> {
    (
        node(),
        prop::collection::vec((relationship(), node()), min_hops..3),
    )
        .prop_map(|(start, chain)| PathPattern {
            start,
            chain,
            span: Span::default(),
        })
}

fn expr() -> impl Strategy<Value = Expr> {
    expr_with(true)
}

/// Expressions; with `patterns`, pattern predicates among them (allowed
/// only in `WHERE`, `exists(...)` and lone expressions).
fn expr_with(patterns: bool) -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, move |inner| {
        let b = || inner.clone().prop_map(Box::new);
        prop_oneof![
            (b(), ident(SCHEMA_NAMES)).prop_map(|(x, k)| e(ExprKind::Property(x, k))),
            (b(), prop::collection::vec(ident(SCHEMA_NAMES), 1..3))
                .prop_map(|(x, l)| e(ExprKind::HasLabels(x, l))),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|l| e(ExprKind::List(l))),
            prop::collection::vec((ident(SCHEMA_NAMES), inner.clone()), 0..3)
                .prop_map(|m| e(ExprKind::Map(m))),
            (b(), b()).prop_map(|(x, i)| e(ExprKind::Index(x, i))),
            (b(), prop::option::of(b()), prop::option::of(b()))
                .prop_map(|(x, f, t)| e(ExprKind::Slice(x, f, t))),
            (
                prop::sample::select(vec![UnaryOp::Not, UnaryOp::Neg, UnaryOp::Pos]),
                b()
            )
                .prop_map(|(op, x)| e(ExprKind::Unary(op, x))),
            (binary_op(), b(), b()).prop_map(|(op, l, r)| e(ExprKind::Binary(op, l, r))),
            (binary_op(), b(), b()).prop_map(|(op, l, r)| e(ExprKind::Binary(op, l, r))),
            (b(), any::<bool>()).prop_map(|(x, negated)| e(ExprKind::IsNull { expr: x, negated })),
            (
                ident(FUNCTIONS),
                any::<bool>(),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(name, distinct, args)| {
                    let distinct = distinct && !args.is_empty();
                    e(ExprKind::Function {
                        name,
                        distinct,
                        args,
                    })
                }),
            (
                prop::option::of(b()),
                prop::collection::vec((inner.clone(), inner.clone()), 1..3),
                prop::option::of(b())
            )
                .prop_map(|(operand, whens, else_)| e(ExprKind::Case {
                    operand,
                    whens,
                    else_
                })),
            (
                ident(VARIABLES),
                b(),
                prop::option::of(b()),
                prop::option::of(b())
            )
                .prop_map(|(variable, list, predicate, projection)| e(
                    ExprKind::ListComprehension {
                        variable,
                        list,
                        predicate,
                        projection
                    }
                )),
            (
                prop::sample::select(vec![
                    Quantifier::All,
                    Quantifier::Any,
                    Quantifier::None,
                    Quantifier::Single
                ]),
                ident(VARIABLES),
                b(),
                b()
            )
                .prop_map(|(quantifier, variable, list, predicate)| e(
                    ExprKind::Quantified {
                        quantifier,
                        variable,
                        list,
                        predicate
                    }
                )),
            path(1).prop_map(move |p| if patterns {
                e(ExprKind::Pattern(p))
            } else {
                e(ExprKind::List(vec![]))
            }),
            (
                prop::option::of(ident(VARIABLES)),
                path(1),
                prop::option::of(b()),
                b()
            )
                .prop_map(|(variable, pattern, predicate, projection)| e(
                    ExprKind::PatternComprehension {
                        variable,
                        pattern,
                        predicate,
                        projection
                    }
                )),
        ]
    })
}

fn projection() -> impl Strategy<Value = Projection> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((expr_with(false), prop::option::of(ident(VARIABLES))), 0..3),
        prop::collection::vec((expr_with(false), any::<bool>()), 0..2),
        prop::option::of(expr_with(false)),
        prop::option::of(expr_with(false)),
    )
        .prop_map(|(distinct, star, items, order, skip, limit)| Projection {
            distinct,
            star: star || items.is_empty(),
            items: items
                .into_iter()
                .map(|(expr, alias)| ProjectionItem {
                    expr,
                    alias,
                    span: Span::default(),
                })
                .collect(),
            order_by: order
                .into_iter()
                .map(|(expr, descending)| SortItem { expr, descending })
                .collect(),
            skip,
            limit,
        })
}

fn clause() -> impl Strategy<Value = Clause> {
    let part = (
        prop::option::of(ident(VARIABLES)),
        path(0),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(variable, path, shortest)| PatternPart {
            variable,
            element: match shortest {
                Some(all) => PatternElement::Shortest { all, path },
                None => PatternElement::Path(path),
            },
            span: Span::default(),
        });
    prop_oneof![
        (
            any::<bool>(),
            prop::collection::vec(part, 1..3),
            prop::option::of(expr())
        )
            .prop_map(|(optional, pattern, where_)| Clause::Match(MatchClause {
                optional,
                pattern,
                where_,
                span: Span::default()
            })),
        (expr_with(false), ident(VARIABLES)).prop_map(|(expr, alias)| Clause::Unwind(
            UnwindClause {
                expr,
                alias,
                span: Span::default()
            }
        )),
        (projection(), prop::option::of(expr())).prop_map(|(projection, where_)| Clause::With(
            WithClause {
                projection,
                where_,
                span: Span::default()
            }
        )),
    ]
}

fn single_query() -> impl Strategy<Value = SingleQuery> {
    (prop::collection::vec(clause(), 0..3), projection()).prop_map(|(mut clauses, projection)| {
        clauses.push(Clause::Return(ReturnClause {
            projection,
            span: Span::default(),
        }));
        SingleQuery {
            clauses,
            span: Span::default(),
        }
    })
}

fn entity() -> impl Strategy<Value = EntityRef> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,8}".prop_map(|text| (text, false)),
        any::<String>().prop_map(|text| (text, true)),
        // A parameter: `DESCRIBE $who`.
        "[a-z_][a-z0-9_]{0,8}".prop_map(|name| (format!("${name}"), false)),
    ]
    .prop_filter("not an analyst keyword", |(text, quoted)| {
        *quoted || !["to", "from", "depth", "via", "outgoing", "incoming"].contains(&text.as_str())
    })
    .prop_map(|(text, quoted)| EntityRef {
        text,
        quoted,
        span: Span::default(),
    })
}

fn toward() -> impl Strategy<Value = Toward> {
    prop::sample::select(vec![Toward::Both, Toward::Outgoing, Toward::Incoming])
}

fn date() -> impl Strategy<Value = DateText> {
    prop_oneof![
        Just("2024"),
        Just("2024-06"),
        Just("2024-06-19"),
        Just("last spring")
    ]
    .prop_map(|text| DateText {
        text: text.into(),
        span: Span::default(),
    })
}

fn statement() -> impl Strategy<Value = Statement> {
    let via = || prop::collection::vec(ident(SCHEMA_NAMES), 0..3);
    let span = Span::default();
    prop_oneof![
        (
            single_query(),
            prop::collection::vec((any::<bool>(), single_query()), 0..2)
        )
            .prop_map(move |(first, unions)| Statement::Query(Query {
                first,
                unions: unions
                    .into_iter()
                    .map(|(all, query)| Union { all, query })
                    .collect(),
                span,
                mode: Default::default(),
            })),
        (entity(), toward()).prop_map(move |(entity, toward)| Statement::Describe {
            entity,
            toward,
            span
        }),
        (entity(), prop::option::of(0u32..5), via(), toward()).prop_map(
            move |(entity, depth, via, toward)| Statement::Neighbors {
                entity,
                depth,
                via,
                toward,
                span,
            }
        ),
        (entity(), entity(), via()).prop_map(move |(from, to, via)| Statement::Path {
            from,
            to,
            via,
            span
        }),
        (
            prop::option::of(entity()),
            prop::option::of(date()),
            prop::option::of(date())
        )
            .prop_map(move |(entity, from, to)| Statement::Timeline {
                entity,
                from,
                to,
                span
            }),
        (
            prop::option::of((entity(), prop::option::of(entity()))),
            prop::option::of(entity()),
            prop::option::of(entity())
        )
            .prop_filter("EVIDENCE names something", |(e, by, source)| {
                e.is_some() || by.is_some() || source.is_some()
            })
            .prop_map(move |(e, by, source)| Statement::Evidence {
                entity: e.as_ref().map(|(a, _)| a.clone()),
                to: e.and_then(|(_, to)| to),
                by,
                source,
                span
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
        let _ = parse_expr(&text);
        let _ = eje::query::lexer::tokens(&text);
    }

    #[test]
    fn grammar_shaped_text_never_panics(text in fragments()) {
        let _ = parse(&text);
        let _ = parse_expr(&text);
        let tokens = eje::query::lexer::tokens(&text);
        for pair in tokens.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start);
        }
    }

    #[test]
    fn printed_expressions_parse_back(x in expr()) {
        let printed = x.to_string();
        let again = parse_expr(&printed).map_err(|e| {
            TestCaseError::fail(format!("{printed}\n{}", render(&printed, &e)))
        })?;
        prop_assert_eq!(&again, &x, "{}", printed);
        let grouped = format!("{x:#}");
        let again = parse_expr(&grouped).map_err(|e| {
            TestCaseError::fail(format!("{grouped}\n{}", render(&grouped, &e)))
        })?;
        prop_assert_eq!(&again, &x, "{}", grouped);
    }

    #[test]
    fn printed_statements_parse_back(statements in prop::collection::vec(statement(), 0..3)) {
        let script = Script { statements };
        let printed = script.to_string();
        let again = parse(&printed).map_err(|e| {
            TestCaseError::fail(format!("{printed}\n{}", render(&printed, &e)))
        })?;
        prop_assert_eq!(&again, &script, "{}", printed);
    }
}
