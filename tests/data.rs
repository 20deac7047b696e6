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
    assert_eq!(g.sources.len(), 5, "one source per article");
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
                matches!(m.get("source"), Some(Value::Str(s)) if g.sources.contains_key(s)),
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
    let dossiers: Vec<(String, DataFile<'static>)> = files
        .iter()
        .filter(|f| f.rel != load::SCHEMA_FILE)
        .map(|f| {
            let d = load::parse_ron::<DataFile<'static>>(&f.name, &f.text)
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
                for fact in &c.states {
                    let entity = match fact {
                        Fact::At => e.at.as_deref().expect("`At` on an event with a place"),
                        Fact::Who(p) => p,
                        Fact::When => continue,
                    };
                    facets += 1;
                    let named = names(entity).iter().any(|n| mentions(&c.quote, n))
                        || c.refers_as.iter().any(|r| mentions(&c.quote, r));
                    if !named && c.note.is_none() {
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
