//! Arbitrary text through the whole query engine on the bundled data:
//! parse, plan and evaluate. Nothing may panic or hang; runaway queries
//! must stop at the (small) work budget.
//!
//! Run with `cargo +nightly fuzz run query` from `fuzz/`.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn graph() -> &'static eje::model::Graph {
    static GRAPH: OnceLock<eje::model::Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        eje::load::load_embedded(&eje::load::Options::default())
            .expect("the bundled data loads")
            .graph
    })
}

fuzz_target!(|text: &str| {
    let opts = eje::query::Options {
        max_hops: 4,
        max_rows: 10_000,
        max_work: Some(200_000),
        max_memory: 64 << 20,
        ..eje::query::Options::default()
    };
    let _ = eje::query::run_all(graph(), text, &opts);
});
