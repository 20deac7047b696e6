use eje::query::parser::parse;

#[test]
fn scratch() {
    for q in [
        "MATCH (n:Person {name: 'x'})-[r:KNOWS*1..3]->(m) WHERE n.age > 3 AND m.x STARTS WITH 'a' RETURN n.name AS name, count(*) ORDER BY name DESC SKIP 1 LIMIT 2",
        "MATCH p = shortestPath((a)-[*]-(b)) RETURN p",
        "MATCH (k \"Kim Jong Un\")-[r]-(x) RETURN x",
        "RETURN 1 < 2 < 3, -2^2, [x IN [1,2,3] WHERE x > 1 | x * 2], CASE WHEN true THEN 1 ELSE 2 END",
        "MATCH (a) WHERE (a)-->(:B) RETURN [(a)-->(b) | b.name], all(x IN [1] WHERE x = 1)",
        "DESCRIBE putin; NEIGHBORS 'Kim Jong Un' DEPTH 2 VIA met_with, allied_with; TIMELINE FROM 2024-06 TO '2025'",
        "RETURN -9223372036854775808, 0x1F, 0o17, .5, 1e3, 1.5e-3, 'a\\'b\\u00e9'",
        "MATCH (n) RETURN n",
        "MATCH (n",
        "MATCH (n:Person -[r]-> (m) RETURN n",
        "RETURN 99999999999999999999",
        "MATCH (end) RETURN end",
        "RETRUN 1",
        "MATCH (n) RETURN n foo",
        "DESCRIBE Kim Jong Un",
    ] {
        match parse(q) {
            Ok(s) => println!("OK  {q}\n => {s}\n => {s:#}"),
            Err(e) => println!(
                "ERR {q}\n => {:?} {} {:?} {:?}",
                e.kind, e.message, e.span, e.help
            ),
        }
    }
}
