//! The loader, tested with data: every case under `tests/cases/load/` is a
//! small broken dataset (one per validation rule), and its rendered
//! diagnostics are a reviewed snapshot. A case without `schema.ron` borrows
//! the one of `tests/fixtures/mini`; a `corpus/` folder is passed as
//! `--corpus`; a `NO_SCHEMA` marker keeps the schema out.

use std::path::{Path, PathBuf};

use eje::diag::Severity;
use eje::load::{self, InputFile, Options};
use eje::model::{Resolution, Value};
use proptest::prelude::*;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_of(dir: &Path) -> Vec<InputFile> {
    let mut files: Vec<InputFile> = load::read_dir(dir)
        .expect("case folder readable")
        .into_iter()
        .filter(|f| !f.rel.starts_with("corpus/"))
        .map(|f| InputFile {
            name: f.rel.clone(),
            ..f
        })
        .collect();
    if !files.iter().any(|f| f.rel == "schema.ron") && !dir.join("NO_SCHEMA").exists() {
        let text =
            std::fs::read_to_string(manifest().join("tests/fixtures/mini/schema.ron")).unwrap();
        files.push(InputFile {
            name: "schema.ron".into(),
            rel: "schema.ron".into(),
            text,
        });
    }
    files
}

fn render_case(dir: &Path) -> (String, usize, usize) {
    // Relative to the package root (the tests' working directory), so the
    // snapshots do not depend on where the repository is cloned.
    let corpus = Path::new("tests/cases/load")
        .join(dir.file_name().unwrap())
        .join("corpus");
    let opts = Options {
        corpus: corpus.is_dir().then_some(corpus),
        ..Options::default()
    };
    let (diags, sources) = match load::load_files(files_of(dir), &opts) {
        Ok(l) => (l.warnings, l.sources),
        Err(f) => (f.diagnostics, f.sources),
    };
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (
        eje::diag::render(&diags, &sources, false),
        errors,
        diags.len() - errors,
    )
}

#[test]
fn every_broken_dataset_is_reported() {
    let root = manifest().join("tests/cases/load");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "expected a case per validation rule");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (text, errors, warnings) = render_case(&case);
        if name.starts_with("warnings") {
            assert_eq!(errors, 0, "{name}: warnings only\n{text}");
            assert!(
                warnings >= 3,
                "{name}: three warnings or more (orphan source, unused entity, contradiction; mixed voices)\n{text}"
            );
        } else {
            assert!(errors > 0, "{name}: expected at least one error\n{text}");
        }
        // Every diagnostic shows where it is.
        assert!(
            name == "missing_schema" || text.contains(".ron:"),
            "{name}: no file:line:column\n{text}"
        );
        insta::assert_snapshot!(name, text);
    }
}

/// Every claim between entities of every kind, with entities spread over
/// several files: exactly the claims whose endpoint kinds the schema
/// forbids are reported, however many claims of the same relation type and
/// kinds came before (the loader remembers the allowed triples and reads
/// each entity's kind from a table by node).
#[test]
fn endpoint_kinds_are_checked_on_every_claim_as_the_schema_says() {
    let schema_text =
        std::fs::read_to_string(manifest().join("tests/fixtures/mini/schema.ron")).unwrap();
    let schema = load::load_files(schema_only_files(&schema_text), &Options::default())
        .unwrap_or_else(|f| panic!("{}", f.render(false)))
        .graph
        .schema
        .unwrap();
    let entities = [
        ("p1", "Person"),
        ("o1", "Organization"),
        ("c1", "Country"),
        ("m1", "MediaOutlet"),
        ("t1", "City"),
        ("p2", "Person"),
        ("t2", "City"),
    ];
    let mut files = schema_only_files(&schema_text);
    // Entities in three files, so that each file's first node differs.
    for (n, chunk) in entities.chunks(3).enumerate() {
        let list: Vec<String> = chunk
            .iter()
            .map(|(id, kind)| format!("(id: \"{id}\", kind: \"{kind}\", name: \"N {id}\")"))
            .collect();
        files.push(InputFile {
            name: format!("e{n}.ron"),
            rel: format!("e{n}.ron"),
            text: format!("(entities: [{}])", list.join(", ")),
        });
    }
    let relations = ["met_with", "visited", "supplied"];
    let mut claims = Vec::new();
    let mut expected = Vec::new();
    for rel in relations {
        for (s, sk) in entities {
            for (o, ok) in entities {
                if s == o {
                    continue;
                }
                let def = &schema.relations[rel];
                let allowed = |list: &[String], k: &str| {
                    list.is_empty() || list.iter().any(|a| schema.is_a(k, a))
                };
                expected.push(!(allowed(&def.from, sk) && allowed(&def.to, ok)));
                claims.push(format!(
                    "(subject: \"{s}\", relation: \"{rel}\", object: \"{o}\", cite: [(source: \"a1\", quote: \"q\", hedge: Asserted)]),"
                ));
            }
        }
    }
    assert!(expected.iter().any(|e| *e) && expected.iter().any(|e| !*e));
    let claims_text = format!(
        "(sources: [(id: \"a1\", kind: NewsArticle, title: \"T\", language: \"es\", file: \"a.txt\")], claims: [\n{}\n])",
        claims.join("\n")
    );
    files.push(InputFile {
        name: "claims.ron".into(),
        rel: "claims.ron".into(),
        text: claims_text.clone(),
    });
    let failure = match load::load_files(files, &Options::default()) {
        Ok(_) => panic!("forbidden endpoints must fail the load"),
        Err(f) => f,
    };
    // Claim k is on line k + 2 of its file.
    let mut flagged = vec![false; claims.len()];
    for d in failure
        .diagnostics
        .iter()
        .filter(|d| d.code == "endpoint-kind")
    {
        assert_eq!(d.file.as_deref(), Some("claims.ron"));
        let (line, _) = eje::diag::line_col(&claims_text, d.span.start);
        assert!(!flagged[line - 2], "claim {} reported twice", line - 2);
        flagged[line - 2] = true;
    }
    assert_eq!(flagged, expected);
}

fn schema_only_files(schema_text: &str) -> Vec<InputFile> {
    vec![InputFile {
        name: "schema.ron".into(),
        rel: "schema.ron".into(),
        text: schema_text.to_string(),
    }]
}

/// A load keeps the texts its warnings point into, to render them, unless
/// asked not to (a session only counts its warnings): then it keeps none.
#[test]
fn warned_texts_are_kept_only_when_asked_for() {
    let case = manifest().join("tests/cases/load/warnings");
    let load_with = |warned_texts: bool| {
        let opts = Options {
            warned_texts,
            ..Options::default()
        };
        load::load_files(files_of(&case), &opts).unwrap_or_else(|f| panic!("{}", f.render(false)))
    };
    let kept = load_with(true);
    assert!(!kept.warnings.is_empty(), "the case has warnings");
    for w in kept.warnings.iter().filter(|w| w.file.is_some()) {
        let file = w.file.as_deref().unwrap();
        assert!(!kept.sources[file].is_empty(), "{file}: text kept");
    }
    let counted = load_with(false);
    assert_eq!(counted.warnings, kept.warnings);
    assert_eq!(
        counted.sources.keys().collect::<Vec<_>>(),
        kept.sources.keys().collect::<Vec<_>>(),
        "every file read is still listed"
    );
    assert!(counted.sources.values().all(String::is_empty));
}

#[test]
fn the_mini_fixture_loads_cleanly_with_its_corpus() {
    let dir = manifest().join("tests/fixtures/mini");
    let opts = Options {
        corpus: Some(manifest().join("tests/fixtures/mini-corpus")),
        ..Options::default()
    };
    let loaded = load::load_dir(&dir, &opts).unwrap_or_else(|f| panic!("{}", f.render(false)));
    assert!(
        loaded.warnings.is_empty(),
        "{}",
        eje::diag::render(&loaded.warnings, &loaded.sources, false)
    );
    let g = &loaded.graph;
    let summit = g.by_id("summit_2024").unwrap();
    assert_eq!(
        g.node(summit).labels,
        ["Summit", "Meeting", "Event", "Entity"]
    );
    // Participants, place and the derived meeting.
    let types: Vec<&str> = g.rels().map(|r| g.rel(r).rel_type.as_str()).collect();
    assert_eq!(types.iter().filter(|t| **t == "participant_in").count(), 2);
    assert_eq!(types.iter().filter(|t| **t == "held_at").count(), 1);
    let met = g.rels().find(|r| g.rel(*r).rel_type == "met_with").unwrap();
    assert_eq!(g.rel(met).props["derived"], Value::Bool(true));
    // Each facet carries the citations that state it, and a date only when
    // one of them states the date.
    let quotes_of = |t: &str| -> Vec<Value> {
        let r = g.rels().find(|r| g.rel(*r).rel_type == t).unwrap();
        match &g.rel(r).props["quotes"] {
            Value::List(l) => l.clone(),
            v => panic!("{v:?}"),
        }
    };
    let place = Value::from("la cumbre celebrada en junio de 2024 en Pyongyang");
    let people = Value::from("la primera visita de Putin a Corea del Norte");
    assert_eq!(quotes_of("held_at"), [place]);
    assert_eq!(quotes_of("participant_in"), std::slice::from_ref(&people));
    assert_eq!(quotes_of("met_with"), [people]);
    let held = g.rels().find(|r| g.rel(*r).rel_type == "held_at").unwrap();
    assert_eq!(g.rel(held).props["date"].to_string(), "date('2024-06-19')");
    for r in g.rels().filter(|r| g.rel(*r).rel_type == "participant_in") {
        assert_eq!(
            g.rel(r).props.get("date"),
            None,
            "no citation of it states the date"
        );
    }
    // The event node carries the evidence for the event itself.
    let sp = &g.node(summit).props;
    assert_eq!(sp["sources"], Value::List(vec!["art_1".into()]));
    assert!(matches!(&sp["citations"], Value::List(l) if l.len() == 2));
    // A claim carries its evidence.
    let supplied = g.rels().find(|r| g.rel(*r).rel_type == "supplied").unwrap();
    let p = &g.rel(supplied).props;
    assert_eq!(p["hedge"], Value::from("alleged"));
    // "más de tres millones" is a lower bound, not a figure.
    assert_eq!(p.get("quantity"), None);
    assert_eq!(p["quantity_low"], Value::Int(3_000_000));
    assert_eq!(p["sources"], Value::List(vec!["art_1".into()]));
    assert_eq!(
        p["claimants"],
        Value::List(vec!["Ministerio de Defensa".into()])
    );
    assert_eq!(p["start"].to_string(), "date('2023-08')");
    // Names resolve ignoring case, accents and hyphens.
    for spelling in ["vladimir putin", "Vladímir Putin", "PUTIN", "putin"] {
        assert_eq!(
            g.resolve(spelling),
            Resolution::One(g.by_id("putin").unwrap()),
            "{spelling}"
        );
    }
    assert_eq!(g.resolve("kim jong un"), g.resolve("Kim Jong-un"));
    assert!(
        matches!(g.resolve("Putn"), Resolution::None { nearest } if nearest.contains(&"Putin".to_string()))
    );
}

/// A dataset of the mini schema and one dossier given as text.
fn mini_with(dossier: &str) -> Vec<InputFile> {
    let schema =
        std::fs::read_to_string(manifest().join("tests/fixtures/mini/schema.ron")).unwrap();
    [("schema.ron", schema), ("d.ron", dossier.to_string())]
        .into_iter()
        .map(|(rel, text)| InputFile {
            name: rel.into(),
            rel: rel.into(),
            text,
        })
        .collect()
}

#[test]
fn an_open_span_is_known_until_its_latest_source() {
    let dossier = r#"(
  sources: [
    (id: "a", kind: NewsArticle, title: "A", published: "2024-03-02", language: "es", file: "a.txt"),
    (id: "b", kind: NewsArticle, title: "B", published: "2024-06", language: "es", file: "b.txt"),
    (id: "c", kind: NewsArticle, title: "C", language: "es", file: "c.txt"),
  ],
  entities: [(id: "nk", kind: "Country", name: "North Korea"), (id: "ru", kind: "Country", name: "Russia")],
  claims: [
    (subject: "nk", relation: "supplied", object: "ru", when: Span(from: "2023-08"),
     cite: [(source: "a", quote: "desde agosto", hedge: Asserted), (source: "b", quote: "desde agosto", hedge: Asserted)]),
    (subject: "ru", relation: "supplied", object: "nk", when: Span(from: "2022"),
     cite: [(source: "c", quote: "desde 2022", hedge: Asserted)]),
    (subject: "nk", relation: "supplied", object: "ru", when: Span(from: "2021", to: "2022"),
     cite: [(source: "b", quote: "de 2021 a 2022", hedge: Asserted)]),
  ],
)"#;
    let loaded = load::load_files(mini_with(dossier), &Options::default())
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let g = &loaded.graph;
    let until: Vec<Option<String>> = g
        .rels()
        .map(|r| g.rel(r).props.get("known_until").map(|v| v.to_string()))
        .collect();
    // The latest source, whatever its order; the start when none is dated;
    // nothing for a closed span.
    assert_eq!(
        until,
        [
            Some("date('2024-06')".to_string()),
            Some("date('2022')".to_string()),
            None
        ]
    );
    for r in g.rels() {
        let p = &g.rel(r).props;
        if p.contains_key("known_until") {
            assert_eq!(p.get("end"), None, "an open span keeps no end");
        }
    }
}

#[test]
fn the_audit_lists_citations_that_name_neither_end() {
    let dossier = r#"(
  sources: [(id: "a", kind: NewsArticle, title: "A", language: "es", file: "a.txt")],
  entities: [
    (id: "putin", kind: "Person", name: "Vladimir Putin", aliases: ["Putin"]),
    (id: "moscow", kind: "City", name: "Moscow", aliases: ["Moscú"]),
    (id: "pyongyang", kind: "City", name: "Pyongyang"),
  ],
  claims: [
    (subject: "putin", relation: "visited", object: "moscow",
     cite: [
       (source: "a", quote: "Putin llegó", hedge: Asserted),
       (source: "a", quote: "llegó a la capital rusa", hedge: Asserted),
       (source: "a", quote: "el mandatario ruso llegó", hedge: Asserted, refers_as: ["el mandatario ruso"]),
       (source: "a", quote: "llegó ayer", hedge: Asserted, note: "the paragraph is about Putin's trip"),
     ]),
    (subject: "putin", relation: "visited", object: "pyongyang",
     cite: [(source: "a", quote: "en Moscú", hedge: Asserted)]),
  ],
)"#;
    let audit = |on: bool| {
        let opts = Options {
            audit: on,
            ..Options::default()
        };
        load::load_files(mini_with(dossier), &opts)
            .unwrap_or_else(|f| panic!("{}", f.render(false)))
            .audit
    };
    assert!(audit(false).is_empty(), "only when asked");
    let found: Vec<String> = audit(true).iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("d.ron:12:"), "{}", found[0]);
    assert!(
        found[0].contains("“llegó a la capital rusa”"),
        "{}",
        found[0]
    );
    assert!(
        found[1].contains("names neither `putin` nor `pyongyang`"),
        "{}",
        found[1]
    );
}

#[test]
fn a_failed_load_says_so_and_builds_nothing() {
    let dir = manifest().join("tests/cases/load/dangling_reference");
    let result = load::load_files(files_of(&dir), &Options::default());
    let failure = result.expect_err("dangling reference must fail");
    assert_eq!(failure.error_count(), 1);
    assert!(
        failure
            .render(false)
            .contains("did you mean `kim_jong_un` (Person)?")
    );
}

fn mini_files() -> Vec<(String, String)> {
    let dir = manifest().join("tests/fixtures/mini");
    load::read_dir(&dir)
        .unwrap()
        .into_iter()
        .map(|f| (f.rel, f.text))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Mutated datasets never panic the loader: they load or they report.
    #[test]
    fn mutated_ron_never_panics(file in 0usize..2, pos in any::<prop::sample::Index>(), cut in 0usize..40, insert in "[(){}\\[\\]\",:a-z0-9 é\\\\]{0,12}") {
        let mut files = mini_files();
        let (_, text) = &mut files[file];
        let at = pos.index(text.len() + 1);
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + cut).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(at..end, &insert);
        let inputs = files.into_iter().map(|(rel, text)| InputFile { name: rel.clone(), rel, text }).collect();
        match load::load_files(inputs, &Options::default()) {
            Ok(l) => prop_assert!(l.graph.node_count() > 0),
            Err(f) => {
                prop_assert!(f.error_count() > 0);
                let _ = f.render(false);
            }
        }
    }

    /// Arbitrary text as a dossier never panics the loader either.
    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let mut files: Vec<InputFile> = mini_files().into_iter().map(|(rel, text)| InputFile { name: rel.clone(), rel, text }).collect();
        files.push(InputFile { name: "x.ron".into(), rel: "x.ron".into(), text });
        if let Err(f) = load::load_files(files, &Options::default()) {
            let _ = f.render(false);
        }
    }
}

#[test]
fn unreadable_and_non_utf8_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        manifest().join("tests/fixtures/mini/schema.ron"),
        dir.path().join("schema.ron"),
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.ron"), b"(entities: [(id: \"x\xff\")])").unwrap();
    let failure = load::load_dir(dir.path(), &Options::default()).expect_err("not UTF-8");
    let text = failure.render(false);
    assert!(
        text.contains("is not UTF-8: the byte at line 1, column 20 is not valid"),
        "{text}"
    );
    let missing =
        load::load_dir(&dir.path().join("nope"), &Options::default()).expect_err("no such folder");
    assert!(
        missing
            .render(false)
            .contains("cannot read the data directory"),
        "{}",
        missing.render(false)
    );
}
