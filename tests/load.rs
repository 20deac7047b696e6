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
        if name == "warnings" {
            assert_eq!(errors, 0, "{name}: warnings only\n{text}");
            assert!(
                warnings >= 3,
                "{name}: orphan source, unused entity, contradiction\n{text}"
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
    // A claim carries its evidence.
    let supplied = g.rels().find(|r| g.rel(*r).rel_type == "supplied").unwrap();
    let p = &g.rel(supplied).props;
    assert_eq!(p["hedge"], Value::from("alleged"));
    assert_eq!(p["quantity"], Value::Int(3_000_000));
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
