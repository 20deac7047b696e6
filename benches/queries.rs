//! Query benchmarks: the canonical queries q1..q8 of `../shared/bench`
//! (their texts as given, `$params` filled from the dataset's manifest the
//! way the peers' `benchlib.py` does), each in a session that has the graph
//! loaded; and the bundled data end to end (open, then answer a question).
//!
//! ```text
//! cargo bench --bench queries
//! EJE_BENCH_DATA=/work/benchdata EJE_BENCH_SCALES=small,medium cargo bench --bench queries
//! ```
//!
//! `EJE_BENCH_DATA` names a folder holding datasets converted by
//! `bench_convert` (`small-ron/` or `small/`, ...; each with the generator's
//! `manifest.json`); without it only the bundled data is measured.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eje::load::location::DataLocation;
use eje::session::{GraphSource, Session};

/// The allocator the `eje` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn converted(scale: &str) -> Option<PathBuf> {
    let root = PathBuf::from(std::env::var_os("EJE_BENCH_DATA")?);
    [root.join(format!("{scale}-ron")), root.join(scale)]
        .into_iter()
        .find(|d| d.join("schema.ron").is_file() && d.join("manifest.json").is_file())
}

/// `../shared/bench/queries.cypher` beside the repository (or beside a
/// worktree's parent).
fn queries_file() -> Option<PathBuf> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        repo.join("../shared/bench/queries.cypher"),
        repo.join("../../shared/bench/queries.cypher"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// A Cypher string literal, as benchlib writes one.
fn literal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => {
            format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        other => other.to_string(),
    }
}

/// The canonical queries (`id: text` lines; `id@engine:` lines are other
/// engines' dialects) with `$name` replaced by the manifest's parameters.
fn canonical_queries(file: &Path, manifest: &serde_json::Value) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).expect("queries.cypher readable");
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, query)) = line.split_once(':') else {
            continue;
        };
        if id.contains('@') || !id.starts_with('q') {
            continue;
        }
        let mut q = String::new();
        let mut rest = query.trim();
        while let Some(at) = rest.find('$') {
            q.push_str(&rest[..at]);
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            q.push_str(&literal(&manifest["params"][&name]));
            rest = &rest[at + 1 + name.len()..];
        }
        q.push_str(rest);
        out.push((id.trim().to_string(), q));
    }
    out
}

fn bench_queries(c: &mut Criterion) {
    // The bundled data, end to end: open it and answer a question.
    let mut g = c.benchmark_group("query");
    let bundled = GraphSource::Data(DataLocation::Embedded);
    match Session::open(bundled.clone()) {
        Ok(_) => {
            g.bench_function("bundled/open+describe", |b| {
                b.iter(|| {
                    let mut s = Session::open(bundled.clone()).expect("bundled data loads");
                    s.run("MATCH (p:Person)-[r]-(x) RETURN p.name, count(r) ORDER BY count(r) DESC LIMIT 5", false)
                })
            });
        }
        Err(_) => println!("query/bundled: skipped (the bundled dataset does not load)"),
    }
    g.finish();

    let scales = std::env::var("EJE_BENCH_SCALES").unwrap_or_else(|_| "small,medium".into());
    let Some(file) = queries_file() else {
        println!("query/<scale>: skipped (no ../shared/bench/queries.cypher)");
        return;
    };
    for scale in scales.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(dir) = converted(scale) else {
            println!(
                "query/{scale}: skipped (set EJE_BENCH_DATA to a folder holding `{scale}-ron/`, made by bench_convert)"
            );
            continue;
        };
        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("manifest.json")).expect("manifest readable"),
        )
        .expect("manifest is JSON");
        let mut session = Session::open(GraphSource::Data(DataLocation::Dir(dir.clone())))
            .unwrap_or_else(|f| panic!("{}", f.render(false)));
        let mut g = c.benchmark_group(format!("query/{scale}"));
        g.sample_size(10).measurement_time(Duration::from_secs(5));
        for (id, text) in canonical_queries(&file, &manifest) {
            let first = session.run(&text, false);
            if let Some(Err(e)) = first.first().map(|x| &x.result) {
                println!("query/{scale}/{id}: skipped ({e})");
                continue;
            }
            g.bench_function(&id, |b| b.iter(|| session.run(&text, false)));
        }
        g.finish();
    }
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);
