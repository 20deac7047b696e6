//! The saved analyst scripts under `queries/` run on the bundled data, and
//! their answers are reviewed snapshots, so the examples cannot rot.

use std::path::PathBuf;

use eje::diag::SourceMap;
use eje::load::location::DataLocation;
use eje::render::{self, Format, TableStyle};
use eje::session::{GraphSource, Session};

#[test]
fn saved_queries_answer_as_reviewed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // A test writes nothing outside its folder: no snapshot in the user's cache.
    eje::load::cache::set_no_cache(true);
    let mut session = Session::open(GraphSource::Data(DataLocation::Dir(root.join("data"))))
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let style = TableStyle {
        color: false,
        width: None,
        max_rows: None,
        terminal: false,
        record: render::Record::Auto,
    };
    let mut count = 0;
    insta::glob!("../queries", "*.kgq", |path| {
        count += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let name = format!("queries/{}", path.file_name().unwrap().to_string_lossy());
        let sources = SourceMap::from([(name.clone(), text.clone())]);
        let mut out = String::new();
        for ex in session.run(&text, true) {
            out.push_str(&format!(
                "-- {}\n",
                text[ex.span.range()].trim().lines().last().unwrap_or("")
            ));
            match &ex.result {
                Ok(rs) => out.push_str(&render::render(
                    session.graph(),
                    rs,
                    Format::Markdown,
                    style,
                )),
                Err(e) => {
                    out.push_str(&eje::diag::render(
                        &[e.to_diagnostic(&name)],
                        &sources,
                        false,
                    ));
                    panic!("{name} failed:\n{out}");
                }
            }
            out.push('\n');
        }
        insta::assert_snapshot!(out);
    });
    assert!(count >= 10, "at least ten saved queries");
}
