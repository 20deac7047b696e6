//! Loading benchmarks: read, validate and build the graph with its indexes.
//!
//! - `load/bundled`: the dataset embedded in the binary (what `eje query`
//!   opens when no `--data` is given).
//! - `load/generated-small`: a small synthetic news graph (1 000 entities,
//!   5 000 claims) written by this benchmark, always run.
//! - `load/small`, `load/medium`, `load/large`: the generator's graphs of
//!   `../shared/bench` converted with `bench_convert`, when
//!   `EJE_BENCH_DATA` names a folder holding them (as `medium/` or
//!   `medium-ron/`); `EJE_BENCH_SCALES` picks the scales (default
//!   `medium`; `large` takes about a minute per sample).
//!
//! - `snapshot/write/…` and `snapshot/reopen/…`: writing the snapshot of a
//!   loaded folder (the key taken, the graph encoded, checksummed, synced
//!   and renamed into place), and opening it again (the folder listed, the
//!   key compared, the sections checked and the graph rebuilt), for the
//!   small generated graph and the scales above.
//!
//! ```text
//! cargo bench --bench load
//! EJE_BENCH_DATA=/work/benchdata EJE_BENCH_SCALES=medium cargo bench --bench load
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eje::load::{self, Options};

/// The allocator the `eje` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deterministic small graph in the converter's shapes: persons,
/// organisations, events, cities and countries; dated claims with one
/// citation each.
fn write_small(dir: &Path) {
    const SCHEMA: &str = r#"(
  kinds: [
    (name: "Entity"), (name: "Person", parent: "Entity"), (name: "Organization", parent: "Entity"),
    (name: "Event", parent: "Entity"), (name: "Place", parent: "Entity"),
    (name: "City", parent: "Place"), (name: "Country", parent: "Place"),
  ],
  relations: [
    (name: "MET_WITH", from: ["Person"], to: ["Person"], time: Point),
    (name: "PARTICIPATED_IN", from: ["Person", "Organization"], to: ["Event"], time: Point),
    (name: "MEMBER_OF", from: ["Person"], to: ["Organization"], time: Point),
    (name: "LOCATED_IN", from: ["City", "Event"], to: ["Place"], time: Point),
  ],
)"#;
    let mut seed: u64 = 20240601;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let counts = [
        ("per", "Person", 520),
        ("org", "Organization", 150),
        ("evt", "Event", 250),
        ("cit", "City", 60),
        ("cou", "Country", 20),
    ];
    let mut entities = String::from("(\n  entities: [\n");
    for (prefix, kind, n) in counts {
        for i in 0..n {
            writeln!(
                entities,
                "    (id: \"{prefix}{i:07}\", kind: \"{kind}\", name: \"{kind} {i}\"),"
            )
            .unwrap();
        }
    }
    entities.push_str("  ],\n)\n");
    let hedges = ["Asserted", "Reported", "Alleged", "Denied"];
    let mut claims = String::from("(\n  claims: [\n");
    let mut used = vec![false; 1250];
    let mut claim = |out: &mut String,
                     s: String,
                     rel: &str,
                     o: String,
                     next: &mut dyn FnMut(usize) -> usize| {
        let src = next(1250);
        used[src] = true;
        writeln!(
            out,
            "    (subject: \"{s}\", relation: \"{rel}\", object: \"{o}\", when: On(\"20{:02}-0{}-1{}\"), cite: [(source: \"src{src:07}\", quote: \"met\", hedge: {})]),",
            15 + next(10),
            1 + next(9),
            next(10),
            hedges[next(4)]
        )
        .unwrap();
    };
    for i in 0..60 {
        let o = format!("cou{:07}", next(20));
        claim(
            &mut claims,
            format!("cit{i:07}"),
            "LOCATED_IN",
            o,
            &mut next,
        );
    }
    for i in 0..250 {
        let o = format!("cit{:07}", next(60));
        claim(
            &mut claims,
            format!("evt{i:07}"),
            "LOCATED_IN",
            o,
            &mut next,
        );
    }
    for _ in 0..4690 {
        let (s, rel, o) = match next(10) {
            0..=4 => {
                let a = next(520);
                let b = (a + 1 + next(519)) % 520;
                (format!("per{a:07}"), "MET_WITH", format!("per{b:07}"))
            }
            5..=7 => (
                format!("per{:07}", next(520)),
                "PARTICIPATED_IN",
                format!("evt{:07}", next(250)),
            ),
            _ => (
                format!("per{:07}", next(520)),
                "MEMBER_OF",
                format!("org{:07}", next(150)),
            ),
        };
        claim(&mut claims, s, rel, o, &mut next);
    }
    claims.push_str("  ],\n)\n");
    let mut sources = String::from("(\n  sources: [\n");
    for (n, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        writeln!(
            sources,
            "    (id: \"src{n:07}\", kind: NewsArticle, title: \"Article {n}\", language: \"en\", file: \"src{n:07}.txt\"),"
        )
        .unwrap();
    }
    sources.push_str("  ],\n)\n");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("schema.ron"), SCHEMA).unwrap();
    std::fs::write(dir.join("entities.ron"), entities).unwrap();
    std::fs::write(dir.join("claims.ron"), claims).unwrap();
    std::fs::write(dir.join("sources.ron"), sources).unwrap();
}

fn converted(scale: &str) -> Option<PathBuf> {
    let root = PathBuf::from(std::env::var_os("EJE_BENCH_DATA")?);
    [root.join(format!("{scale}-ron")), root.join(scale)]
        .into_iter()
        .find(|d| d.join("schema.ron").is_file())
}

fn bench_load(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("load");
    match load::load_embedded(&opts) {
        Ok(_) => {
            g.bench_function("bundled", |b| {
                b.iter(|| load::load_embedded(&opts).expect("bundled data loads"))
            });
        }
        Err(_) => println!("load/bundled: skipped (the bundled dataset does not load)"),
    }

    let small = tempfile::tempdir().expect("temporary folder");
    write_small(small.path());
    load::load_dir(small.path(), &opts).unwrap_or_else(|f| panic!("{}", f.render(false)));
    g.bench_function("generated-small", |b| {
        b.iter(|| load::load_dir(small.path(), &opts).expect("small loads"))
    });
    g.finish();

    let scales = std::env::var("EJE_BENCH_SCALES").unwrap_or_else(|_| "medium".into());
    let mut g = c.benchmark_group("load");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    for scale in scales.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(dir) = converted(scale) else {
            println!(
                "load/{scale}: skipped (set EJE_BENCH_DATA to a folder holding `{scale}-ron/`, made by bench_convert)"
            );
            continue;
        };
        g.bench_function(scale, |b| {
            b.iter(|| load::load_dir(&dir, &opts).expect("converted data loads"))
        });
    }
    g.finish();
}

/// Writes and reopens the snapshot of the folder `dir`, under `name`.
fn bench_snapshot_of(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    dir: &Path,
) {
    use load::{freshness::DataKey, read, snapshot};
    let loaded = load::load_dir(dir, &Options::default()).expect("the data loads");
    let listing = read::list_folder(dir).expect("the folder lists");
    let rels = listing.rels();
    let cache = tempfile::tempdir().expect("temporary folder");
    let path = cache.path().join("data.snapshot");
    g.bench_function(format!("write/{name}"), |b| {
        b.iter(|| {
            let key = DataKey::capture(dir, &rels).expect("the files are there");
            snapshot::write(&path, &key, dir, &listing.diags, &loaded).expect("written")
        })
    });
    g.bench_function(format!("reopen/{name}"), |b| {
        b.iter(|| {
            let listing = read::list_folder(dir).expect("the folder lists");
            match snapshot::open(&path, dir, &listing.rels(), &listing.diags) {
                snapshot::Opened::Fresh(l) => l,
                other => panic!("the snapshot is not fresh: {other:?}"),
            }
        })
    });
}

fn bench_snapshot(c: &mut Criterion) {
    let mut g = c.benchmark_group("snapshot");
    let small = tempfile::tempdir().expect("temporary folder");
    write_small(small.path());
    bench_snapshot_of(&mut g, "generated-small", small.path());
    g.finish();
    let scales = std::env::var("EJE_BENCH_SCALES").unwrap_or_else(|_| "medium".into());
    let mut g = c.benchmark_group("snapshot");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for scale in scales.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(dir) = converted(scale) {
            bench_snapshot_of(&mut g, scale, &dir);
        }
    }
    g.finish();
}

criterion_group!(benches, bench_load, bench_snapshot);
criterion_main!(benches);
