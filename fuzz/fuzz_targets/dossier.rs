//! Arbitrary text as one dossier beside the bundled data's files: the
//! loader must report problems, never panic or hang.
//!
//! Run with `cargo +nightly fuzz run dossier` from `fuzz/`.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn bundled() -> &'static Vec<eje::load::InputFile> {
    static FILES: OnceLock<Vec<eje::load::InputFile>> = OnceLock::new();
    FILES.get_or_init(eje::load::embedded_files)
}

fuzz_target!(|text: &str| {
    // The schema and one dossier of the bundled data, and the fuzzed text
    // as another dossier: its ids can meet real ones.
    let mut files: Vec<eje::load::InputFile> = bundled()
        .iter()
        .filter(|f| f.rel == "schema.ron" || f.rel.ends_with("people.ron"))
        .cloned()
        .collect();
    files.push(eje::load::InputFile {
        name: "fuzz.ron".into(),
        rel: "fuzz.ron".into(),
        text: text.to_string(),
    });
    let _ = eje::load::load_files(files, &eje::load::Options::default());
});
