//! Answers fitted to a terminal's width: PATH, EVIDENCE and DESCRIBE on the
//! bundled data at 80 and 120 columns, with and without colour, as reviewed
//! snapshots; and the rules the snapshots rely on, checked on every one:
//! no line wider than the terminal, no date, id or relation type broken.

use std::path::PathBuf;

use eje::load::location::DataLocation;
use eje::model::Value;
use eje::query::ResultSet;
use eje::render::{self, Format, Record, TableStyle};
use eje::session::{GraphSource, Session};
use unicode_width::UnicodeWidthStr;

const STATEMENTS: &[(&str, &str)] = &[
    ("path", "PATH \"Medvedev\" TO \"Kim Jong Un\""),
    ("evidence", "EVIDENCE \"Kim Jong Un\" TO putin"),
    ("describe", "DESCRIBE \"Choe Son Hui\""),
];

fn session() -> Session {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // A test writes nothing outside its folder: no snapshot in the user's cache.
    eje::load::cache::set_no_cache(true);
    Session::open(GraphSource::Data(DataLocation::Dir(root.join("data"))))
        .unwrap_or_else(|f| panic!("{}", f.render(false)))
}

fn answer(session: &mut Session, statement: &str) -> ResultSet {
    let mut results = session.run(statement, false);
    assert_eq!(results.len(), 1);
    results
        .remove(0)
        .result
        .unwrap_or_else(|e| panic!("{statement}: {e:?}"))
}

fn strip_ansi(text: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(text, "")
        .into_owned()
}

fn style(width: u16, color: bool) -> TableStyle {
    TableStyle {
        color,
        width: Some(width),
        max_rows: None,
        terminal: true,
        record: Record::Auto,
    }
}

/// Every date, relation type and id of the answer appears whole in `shown`.
fn tokens_whole(rs: &ResultSet, shown: &str, what: &str) {
    for row in &rs.rows {
        for v in row {
            let token = match v {
                Value::Date(d) => d.to_string(),
                Value::Str(s) if !s.contains(char::is_whitespace) => s.to_string(),
                _ => continue,
            };
            assert!(
                shown.contains(&token),
                "{what}: `{token}` is broken:\n{shown}"
            );
        }
    }
}

#[test]
fn analyst_answers_fit_80_and_120_columns() {
    // The colour decision is the renderer's argument; `colored` must not
    // second-guess it because the test's output is not a terminal.
    colored::control::set_override(true);
    let mut session = session();
    for (name, statement) in STATEMENTS {
        let rs = answer(&mut session, statement);
        for width in [80u16, 120] {
            for color in [false, true] {
                let text = render::render(session.graph(), &rs, Format::Table, style(width, color));
                let plain = strip_ansi(&text);
                if color {
                    assert_ne!(text, plain, "colour was asked for");
                } else {
                    assert_eq!(text, plain, "no colour was asked for");
                }
                let what = format!("{name} at {width}");
                for line in plain.lines() {
                    assert!(
                        line.width() <= usize::from(width),
                        "{what}: a line of {} columns:\n{line}",
                        line.width()
                    );
                }
                tokens_whole(&rs, &plain, &what);
                let suffix = if color { "_color" } else { "" };
                insta::assert_snapshot!(format!("{name}_{width}{suffix}"), text);
            }
        }
    }
}

#[test]
fn path_at_80_columns_is_records_and_chains() {
    let mut session = session();
    let rs = answer(&mut session, STATEMENTS[0].1);
    let text = render::render(session.graph(), &rs, Format::Table, style(80, false));
    assert!(text.contains("─[ row 1 ]"), "{text}");
    assert!(!text.contains('┆'), "no table at 80 columns:\n{text}");
    assert!(
        text.contains("Dmitry Medvedev —former_head_of→ Russia ←promised_support_to"),
        "{text}"
    );
}

#[test]
fn equal_columns_become_one_note() {
    let mut session = session();
    let rs = answer(
        &mut session,
        "MATCH (a \"Choe Son Hui\")-[r]-(b) RETURN a.name, type(r), b.name, r.quotes, 'normal' AS rank",
    );
    assert!(rs.rows.len() > 1);
    let text = render::render(session.graph(), &rs, Format::Table, style(80, false));
    assert!(text.contains("same in every row:"), "{text}");
    assert!(text.contains("rank normal"), "{text}");
    assert!(!text.contains("│ rank"), "{text}");
    // The same answer where it fits (no width) keeps every column.
    let wide = TableStyle {
        width: None,
        ..style(80, false)
    };
    let text = render::render(session.graph(), &rs, Format::Table, wide);
    assert!(!text.contains("same in every row"), "{text}");
    assert!(text.contains("rank"), "{text}");
}

#[test]
fn records_can_be_asked_for_or_refused() {
    let mut session = session();
    let rs = answer(&mut session, "RETURN 1 AS a, 'x' AS b");
    let records = TableStyle {
        record: Record::Always,
        ..style(80, false)
    };
    let text = render::render(session.graph(), &rs, Format::Table, records);
    let rule = format!("─[ row 1 ]{}", "─".repeat(70));
    assert_eq!(text, format!("{rule}\na │ 1\nb │ x\n"));
    let rs = answer(&mut session, STATEMENTS[0].1);
    let never = TableStyle {
        record: Record::Never,
        ..style(80, false)
    };
    let text = render::render(session.graph(), &rs, Format::Table, never);
    assert!(text.contains('┆') && !text.contains("─[ row"), "{text}");
}

#[test]
fn empty_analyst_answers_say_what_was_searched_and_what_to_try() {
    let mut session = session();
    let cases = [
        (
            "EVIDENCE \"Choe Son Hui\" TO \"Kim Jong Un\"",
            "no claim links Choe Son Hui and Kim Jong Un directly\nhelp: `PATH \"Choe Son Hui\" TO \"Kim Jong Un\"`",
        ),
        (
            "TIMELINE putin FROM 1990 TO 1991",
            "no dated fact about Vladimir Putin from 1990 to 1991\nhelp:",
        ),
        (
            "NEIGHBORS putin VIA founded",
            "Vladimir Putin has no neighbour within depth 1 via founded\nhelp:",
        ),
        (
            "PATH putin TO \"Kursk\" VIA visited",
            "no path from Vladimir Putin to Kursk region",
        ),
    ];
    for (statement, want) in cases {
        let rs = answer(&mut session, statement);
        assert!(rs.rows.is_empty(), "{statement}");
        for width in [None, Some(80)] {
            let style = TableStyle {
                width,
                ..style(80, false)
            };
            let text = render::render(session.graph(), &rs, Format::Table, style);
            assert!(text.contains(want), "{statement}:\n{text}");
            assert!(
                !text.contains('┆'),
                "no empty table for {statement}:\n{text}"
            );
        }
    }
}

#[test]
fn a_long_cell_is_cut_with_a_note_and_records_show_it_whole() {
    let mut session = session();
    let long = "palabra ".repeat(60) + "final";
    let rs = answer(&mut session, &format!("RETURN 'x' AS a, '{long}' AS q"));
    let text = render::render(session.graph(), &rs, Format::Table, style(60, false));
    assert!(text.contains('┆'), "a table:\n{text}");
    assert!(text.contains("palabra…"), "{text}");
    assert!(!text.contains("final"), "{text}");
    assert!(text.contains("cells ending in … are cut"), "{text}");
    assert!(text.lines().all(|l| l.width() <= 60), "{text}");
    let whole = TableStyle {
        record: Record::Always,
        ..style(60, false)
    };
    let text = render::render(session.graph(), &rs, Format::Table, whole);
    assert!(text.contains("final") && !text.contains('…'), "{text}");
}
