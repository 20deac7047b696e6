//! Arbitrary text as a graph script (`--graph-script`), and, when it
//! builds a graph, a runaway query over it: nothing may panic or hang.
//!
//! Run with `cargo +nightly fuzz run graph_script` from `fuzz/`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(graph) = eje::import::load_script("fuzz.cypher", text) {
        let opts = eje::query::Options {
            max_work: Some(100_000),
            max_memory: 64 << 20,
            ..eje::query::Options::default()
        };
        let _ = eje::query::run_all(&graph, "MATCH p = (a)-[*]-(b) RETURN count(p)", &opts);
    }
});
