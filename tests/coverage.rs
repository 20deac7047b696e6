//! `eje coverage`: sentence boundaries on a fixture article whose sentences
//! are known, which of them its citations cite, and the bundled data's
//! report over the corpus (when the articles are at hand: `$EJE_CORPUS`, or
//! `../shared/seeds` beside the repository).

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value as Json;
use unicode_segmentation::UnicodeSegmentation;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/coverage")
}

fn eje() -> Command {
    let mut c = Command::cargo_bin("eje").unwrap();
    c.env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env_remove("EJE_CORPUS")
        .env("NO_COLOR", "1");
    c
}

#[test]
fn the_fixture_article_has_its_known_sentences() {
    let text = std::fs::read_to_string(fixture().join("corpus/article.txt")).unwrap();
    let got: Vec<&str> = eje::coverage::sentences::sentences(&text)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert_eq!(
        got,
        [
            "Rusia recibió 15.000 soldados de Corea del Norte",
            "El Sr. Kim saluda en Pyongyang (Foto: AP)",
            "Según el Dr. Lee, Pyongyang envió 15.000 efectivos y 1.200.000 proyectiles.",
            "“Es un gran placer. Transmita mis saludos a Kim”, dijo Putin.",
            "El portavoz de EE.UU. John Kirby lo negó.",
            "«Todo va bien. Seguimos», añadió.",
            "Un párrafo sin citar.",
            "Otro más sin citar.",
        ]
    );
    // Unicode's rules alone cut it after `Sr.`, `Dr.`, `EE.UU.` and inside
    // both quotations.
    let plain = text
        .unicode_sentences()
        .filter(|s| !s.trim().is_empty())
        .count();
    assert_eq!(plain, 13);
}

#[test]
fn the_fixture_article_marks_each_sentence() {
    let out = eje()
        .args(["coverage", "--format", "json", "--article", "art_x"])
        .arg("--data")
        .arg(fixture().join("data"))
        .arg("--corpus")
        .arg(fixture().join("corpus"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Json = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["sentences"], 8);
    assert_eq!(v["cited"], 3);
    let marks: Vec<(u64, Vec<&str>)> = v["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let by = s["cited_by"].as_array().unwrap();
            (
                s["line"].as_u64().unwrap(),
                by.iter().map(|b| b.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (1, vec!["c_troops"]),
            (3, vec![]),
            (5, vec![]),
            (5, vec!["c_greetings"]),
            // A claim without an id is named by its subject, relation, object.
            (5, vec!["kim_jong_un visited russia"]),
            (5, vec![]),
            (7, vec![]),
            (7, vec![]),
        ]
    );
}

#[test]
fn the_corpus_is_required_and_a_wrong_article_gets_a_suggestion() {
    let data = fixture().join("data");
    eje()
        .args(["coverage", "--data"])
        .arg(&data)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "pass `--corpus DIR` or set $EJE_CORPUS",
        ));
    eje()
        .args(["coverage", "--article", "art_y", "--data"])
        .arg(&data)
        .env("EJE_CORPUS", fixture().join("corpus"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean `art_x`?"));
}

fn corpus() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("EJE_CORPUS").filter(|c| !c.is_empty()) {
        return Some(PathBuf::from(c));
    }
    let seeds = root().join("../shared/seeds");
    seeds.is_dir().then_some(seeds)
}

#[test]
fn the_bundled_report() {
    let Some(corpus) = corpus() else {
        eprintln!("not run: the corpus is not at hand (set EJE_CORPUS)");
        return;
    };
    let run = |format: &str| {
        eje()
            .args(["coverage", "--format", format, "--data"])
            .arg(root().join("data"))
            .arg("--corpus")
            .arg(&corpus)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let table = String::from_utf8(run("table")).unwrap();
    // The JSON says the same as the table: its totals add up.
    let v: Json = serde_json::from_slice(&run("json")).unwrap();
    let articles = v["articles"].as_array().unwrap();
    let sum = |k: &str| articles.iter().map(|a| a[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(v["total"]["sentences"].as_u64(), Some(sum("sentences")));
    assert_eq!(v["total"]["cited"].as_u64(), Some(sum("cited")));
    for a in articles {
        assert_eq!(
            a["uncited_sentences"].as_array().unwrap().len() as u64,
            a["uncited"].as_u64().unwrap()
        );
    }
    insta::assert_snapshot!("bundled_coverage", table);
}

#[test]
fn format_and_corpus_are_global_and_corpus_falls_back_to_the_environment() {
    // `--format` before the subcommand, `--corpus` from `$EJE_CORPUS`.
    let out = eje()
        .args(["--format", "json", "coverage", "--article", "art_x"])
        .arg("--data")
        .arg(fixture().join("data"))
        .env("EJE_CORPUS", fixture().join("corpus"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Json = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["sentences"], 8);
    // A format coverage does not know is a usage error.
    let out = eje()
        .args(["coverage", "--format", "csv", "--corpus"])
        .arg(fixture().join("corpus"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("unknown coverage format `csv`"), "{err}");
    assert!(err.contains("help:"), "{err}");
}
