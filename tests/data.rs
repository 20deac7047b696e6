//! The bundled dataset under `data/`: it loads without a single error or
//! warning, every quote is found in its article (when the articles are
//! beside the repository, as in CI), and every spelling the articles use
//! finds its one entity.

use std::path::PathBuf;

use eje::load::{self, Options};
use eje::model::{Graph, Resolution, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let seeds = root().join("../shared/seeds");
    seeds.is_dir().then_some(seeds)
}

fn bundled() -> Graph {
    let opts = Options {
        corpus: corpus(),
        ..Options::default()
    };
    match load::load_dir(&root().join("data"), &opts) {
        Ok(l) => {
            let w = eje::diag::render(&l.warnings, &l.sources, false);
            assert!(l.warnings.is_empty(), "the bundled data has warnings:\n{w}");
            l.graph
        }
        Err(f) => panic!("the bundled data does not load:\n{}", f.render(false)),
    }
}

#[test]
fn bundled_data_loads_cleanly() {
    let g = bundled();
    assert!(g.node_count() > 100, "only {} entities", g.node_count());
    let claims = g
        .rels()
        .filter(|r| {
            let p = &g.rel(*r).props;
            p.get("derived") == Some(&Value::Bool(false)) && !p.contains_key("event")
        })
        .count();
    assert!(claims > 150, "only {claims} claims");
    assert_eq!(g.sources().len(), 5, "one source per article");
}

#[test]
fn every_relation_cites_a_source_with_a_quote() {
    let g = bundled();
    for r in g.rels() {
        let p = &g.rel(r).props;
        let Some(Value::List(cites)) = p.get("citations") else {
            panic!("relation without citations: {p:?}")
        };
        assert!(!cites.is_empty(), "{p:?}");
        for c in cites {
            let Value::Map(m) = c else { panic!("{c:?}") };
            assert!(
                matches!(m.get("quote"), Some(Value::Str(q)) if !q.trim().is_empty()),
                "{m:?}"
            );
            assert!(
                matches!(m.get("source"), Some(Value::Str(s)) if g.sources().contains_key(&**s)),
                "{m:?}"
            );
        }
    }
}

#[test]
fn every_spelling_in_the_articles_resolves_to_its_entity() {
    let g = bundled();
    let text = std::fs::read_to_string(root().join("tests/data/spellings.ron")).unwrap();
    let pairs: Vec<(String, String)> =
        ron::from_str(&text).expect("spellings.ron is a list of (spelling, id)");
    assert!(pairs.len() > 50);
    let mut failures = Vec::new();
    for (spelling, id) in &pairs {
        let want = g
            .by_id(id)
            .unwrap_or_else(|| panic!("spellings.ron names unknown id `{id}`"));
        match g.resolve(spelling) {
            Resolution::One(got) if got == want => {}
            other => failures.push(format!("`{spelling}` → {other:?}, expected `{id}`")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} spellings do not resolve:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Spellings must also be in the articles, when they are at hand.
    if let Some(dir) = corpus() {
        let all: String = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        let missing: Vec<&str> = pairs
            .iter()
            .map(|(s, _)| s.as_str())
            .filter(|s| !all.contains(s))
            .collect();
        assert!(
            missing.is_empty(),
            "spellings not found in any article: {missing:?}"
        );
    }
}

/// Every citation that backs a relation an event expands into (`held_at`
/// for `At`, `participant_in` for `Who`) names that facet's entity, by name,
/// alias or `refers_as`, or says in a `note` why it backs it anyway.
#[test]
fn every_facet_citation_names_its_entity_or_says_why() {
    use eje::load::files::{DataFile, Fact};
    use eje::model::names::mentions;

    let files = load::read_dir(&root().join("data")).unwrap();
    let dossiers: Vec<(String, DataFile<'_>)> = files
        .iter()
        .filter(|f| f.rel != load::SCHEMA_FILE)
        .map(|f| {
            let d = load::parse_ron::<DataFile<'_>>(&f.name, &f.text)
                .unwrap_or_else(|d| panic!("{d:?}"));
            (f.rel.clone(), d)
        })
        .collect();
    let names = |id: &str| -> Vec<String> {
        let e = dossiers
            .iter()
            .flat_map(|(_, d)| &d.entities)
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("unknown entity `{id}`"));
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(|s| s.to_string())
            .collect()
    };
    let mut facets = 0;
    let mut failures = Vec::new();
    for (file, d) in &dossiers {
        for e in &d.entities {
            for c in &e.cite {
                for fact in c.states() {
                    let entity = match fact {
                        Fact::At => e.at.as_deref().expect("`At` on an event with a place"),
                        Fact::Who(p) => p,
                        Fact::When => continue,
                    };
                    facets += 1;
                    let named = names(entity).iter().any(|n| mentions(&c.quote, n))
                        || c.refers_as().iter().any(|r| mentions(&c.quote, r));
                    if !named && c.note().is_none() {
                        failures.push(format!("{file}: `{}`: “{}” ({fact:?})", e.id, c.quote));
                    }
                }
            }
        }
    }
    assert!(facets > 40, "only {facets} facets stated");
    assert!(
        failures.is_empty(),
        "{} citations name neither their facet's entity nor say why:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The rows of the `data/LEDGER.md` table under the heading that starts
/// with `heading`: their `file:line` column.
fn ledger_rows(ledger: &str, heading: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut inside = false;
    for line in ledger.lines() {
        if line.starts_with("## ") {
            inside = line.starts_with(heading);
            continue;
        }
        if inside && line.starts_with("| data/") {
            let cell = line.split('|').nth(1).unwrap_or_default().trim();
            rows.push(cell.to_string());
        }
    }
    rows
}

/// Every `(source: ...` in the data files, as `data/file.ron:line`.
fn citation_places(dir: &std::path::Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("data folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            citation_places(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).expect("data file");
            let rel = path.strip_prefix(root()).expect("under the repository");
            let rel = rel.to_string_lossy().replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                for _ in line.matches("(source:") {
                    out.push(format!("{rel}:{}", i + 1));
                }
            }
        }
    }
}

#[test]
fn the_ledger_has_one_row_per_citation_eje_stats_counts() {
    let g = bundled();
    let stats = eje::stats::Stats::of(&g);
    let ledger = std::fs::read_to_string(root().join("data/LEDGER.md")).expect("data/LEDGER.md");
    let claims = ledger_rows(&ledger, "## Citations of claims");
    let events = ledger_rows(&ledger, "## Citations of events");
    assert_eq!(
        claims.len(),
        stats.citations,
        "rows for citations of claims"
    );
    assert_eq!(
        events.len(),
        stats.event_citations,
        "rows for citations of events and agreements"
    );
    // The figures the ledger states are the rows it has.
    for (heading, n) in [
        ("## Citations of claims", claims.len()),
        ("## Citations of events", events.len()),
    ] {
        let line = ledger
            .lines()
            .find(|l| l.starts_with(heading))
            .expect("heading");
        assert!(line.contains(&format!("({n} rows")), "{line}");
    }
    let total = claims.len() + events.len();
    assert!(
        ledger.contains(&format!("**Rows**: {total}, one per citation")),
        "the ledger's summary gives another total than {total}"
    );
    // Each row is one citation of the data, and each citation has its row.
    let mut rows: Vec<String> = claims.into_iter().chain(events).collect();
    let mut places = Vec::new();
    citation_places(&root().join("data"), &mut places);
    rows.sort();
    places.sort();
    let missing: Vec<_> = places.iter().filter(|p| !rows.contains(p)).collect();
    let stale: Vec<_> = rows.iter().filter(|r| !places.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "citations without a ledger row: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "ledger rows without a citation: {stale:?}"
    );
    assert_eq!(
        rows, places,
        "a citation has two rows, or a row two citations"
    );
}

/// Every hedge, in the weakness order; the `match` stops compiling when a
/// hedge is added, a reminder to add it here and to the README's table.
fn every_hedge() -> Vec<eje::load::files::Hedge> {
    use eje::load::files::Hedge::*;
    let all = vec![
        Asserted, Reported, Estimated, Alleged, Expected, Speculated, Denied,
    ];
    for h in &all {
        match h {
            Asserted | Reported | Estimated | Alleged | Expected | Speculated | Denied => {}
        }
    }
    all
}

#[test]
fn the_readme_documents_every_hedge_with_an_example_from_the_data() {
    use eje::load::files::Hedge;
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let rows: Vec<(Hedge, String)> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| hedge | the article"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`');
            let hedge: Hedge = ron::from_str(name).unwrap_or_else(|e| panic!("`{name}`: {e}"));
            let example = cells[3].split('"').nth(1).unwrap_or_default().to_string();
            (hedge, example)
        })
        .collect();
    let listed: Vec<Hedge> = rows.iter().map(|(h, _)| *h).collect();
    assert_eq!(
        listed,
        every_hedge(),
        "the README's hedges, strongest first"
    );
    // Each example is (part of) a quote the bundled data cites with that
    // hedge; a hedge the data never uses says that its example is made up.
    let g = bundled();
    for (hedge, example) in rows {
        let name = eje::load::build::hedge_name(hedge);
        assert!(!example.is_empty(), "no example for {name}");
        let mut used = false;
        let mut found = false;
        for r in g.rels() {
            let Some(Value::List(cites)) = g.rel(r).props.get("citations") else {
                continue;
            };
            for c in cites {
                let Value::Map(m) = c else { continue };
                if m.get("hedge") == Some(&Value::from(name)) {
                    used = true;
                    found |= matches!(m.get("quote"), Some(Value::Str(q)) if q.contains(&example));
                }
            }
        }
        if used {
            assert!(found, "no {name} citation quotes “{example}”");
        } else {
            let row = readme
                .lines()
                .find(|l| l.contains(&format!("`{hedge:?}`")))
                .unwrap();
            assert!(row.contains("made up"), "{name}: {row}");
        }
    }
}
