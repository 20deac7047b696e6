//! Bulk exports (`--format bulk`): the CSV folders each importer reads.
//! Neo4j cannot run here, so its layout is checked against the documented
//! rules of `neo4j-admin database import` (header grammar, one ID column,
//! typed values, array delimiter); Kuzu and FalkorDB load the folders for
//! real in tests/interop.

#[path = "export/fixtures.rs"]
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use eje::export::bulk::{self, MANIFEST};
use eje::export::{Dialect, ExportError, Progress, Subgraph};
use eje::model::Graph;
use serde_json::Value as Json;

fn export(graph: &Graph, dialect: Dialect, dir: &Path) -> bulk::Summary {
    bulk::write_folder(
        graph,
        &Subgraph::whole(graph),
        dialect,
        dir,
        false,
        &Progress::off(),
    )
    .unwrap()
}

/// Every file of a folder with its bytes, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn manifest(dir: &Path) -> Json {
    serde_json::from_str(&fs::read_to_string(dir.join(MANIFEST)).unwrap()).unwrap()
}

/// The rows of a CSV file as RFC 4180 reads them (quotes doubled, line
/// breaks inside quotes), header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn same_graph_same_bytes_in_every_dialect() {
    let g = fixtures::alliance();
    for dialect in [Dialect::Neo4j, Dialect::Kuzu, Dialect::FalkorDb] {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let summary = export(&g, dialect, &a);
        export(&g, dialect, &b);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa, fb, "{dialect}");
        let listed: BTreeSet<&str> = summary.files.iter().map(String::as_str).collect();
        let written: BTreeSet<&str> = fa.keys().map(String::as_str).collect();
        assert_eq!(listed, written, "{dialect}");
        assert!(written.contains("README.md") && written.contains(MANIFEST));
        assert_eq!(
            (summary.nodes, summary.relations),
            (g.node_count(), g.rel_count())
        );
        // No temporary folder is left beside the export.
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }
}

/// neo4j-admin's header entry: `name:type`, `:ID` (with an optional id
/// space), `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, `:IGNORE`.
fn neo4j_header_entry(entry: &str) -> Result<(String, String), String> {
    let (name, ty) = entry
        .rsplit_once(':')
        .ok_or_else(|| format!("`{entry}` has no `:type`"))?;
    let base = ty.split('(').next().unwrap_or(ty);
    let scalar = [
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "byte",
        "short",
        "char",
        "string",
        "point",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
    ];
    let data = scalar.contains(&base.trim_end_matches("[]"));
    let special = ["ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"].contains(&base);
    if !(data || special) {
        return Err(format!("`{entry}`: unknown type `{ty}`"));
    }
    if base != ty && !(ty.ends_with(')') && ["ID", "START_ID", "END_ID"].contains(&base)) {
        return Err(format!("`{entry}`: only ID columns take an id space"));
    }
    if data && name.is_empty() {
        return Err(format!("`{entry}`: a property column needs a name"));
    }
    if name.contains([':', ',', '"']) {
        return Err(format!("`{entry}`: the name holds a delimiter"));
    }
    Ok((name.to_string(), base.to_string()))
}

/// Whether `value` is a valid `ty` value for neo4j-admin (`;` between
/// array elements).
fn neo4j_value_ok(value: &str, ty: &str) -> bool {
    if value.is_empty() {
        return true; // no property
    }
    let one = |v: &str| match ty.trim_end_matches("[]") {
        "long" | "int" => v.parse::<i64>().is_ok(),
        "double" | "float" => v.parse::<f64>().is_ok(),
        "boolean" => v == "true" || v == "false",
        "string" | "ID" | "LABEL" | "START_ID" | "END_ID" | "TYPE" => true,
        _ => false,
    };
    if ty.ends_with("[]") {
        value.split(';').all(one)
    } else {
        one(value)
    }
}

#[test]
fn neo4j_files_follow_the_importer_header_grammar_and_types() {
    for g in [fixtures::alliance(), fixtures::hostile()] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        export(&g, Dialect::Neo4j, &dir);
        let m = manifest(&dir);
        let mut ids = BTreeSet::new();
        let mut node_rows = 0;
        for n in m["nodes"].as_array().unwrap() {
            let rows = csv_rows(&dir.join(n["file"].as_str().unwrap()));
            let header: Vec<(String, String)> = rows[0]
                .iter()
                .map(|e| neo4j_header_entry(e).unwrap())
                .collect();
            let id_cols: Vec<usize> = (0..header.len()).filter(|&i| header[i].1 == "ID").collect();
            assert_eq!(id_cols.len(), 1, "one :ID column: {:?}", rows[0]);
            assert!(header.iter().any(|(_, t)| t == "LABEL"));
            let names: BTreeSet<&str> = header.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names.len(), header.len(), "names repeat");
            for row in &rows[1..] {
                assert_eq!(row.len(), header.len(), "{row:?}");
                assert!(ids.insert(row[id_cols[0]].clone()), "id repeats: {row:?}");
                for (v, (name, ty)) in row.iter().zip(&header) {
                    assert!(neo4j_value_ok(v, ty), "{name}:{ty} = `{v}`");
                    if ty == "LABEL" {
                        // No label at all is allowed (a node from a script).
                        assert!(
                            v.is_empty() || v.split(';').all(|l| !l.is_empty()),
                            "labels `{v}`"
                        );
                    }
                }
                node_rows += 1;
            }
        }
        assert_eq!(node_rows, g.node_count());
        let mut rel_rows = 0;
        for r in m["relations"].as_array().unwrap() {
            let rows = csv_rows(&dir.join(r["file"].as_str().unwrap()));
            let header: Vec<(String, String)> = rows[0]
                .iter()
                .map(|e| neo4j_header_entry(e).unwrap())
                .collect();
            let col = |t: &str| {
                let found: Vec<usize> = (0..header.len()).filter(|&i| header[i].1 == t).collect();
                assert_eq!(found.len(), 1, "one :{t} in {:?}", rows[0]);
                found[0]
            };
            let (start, end, ty) = (col("START_ID"), col("END_ID"), col("TYPE"));
            for row in &rows[1..] {
                assert_eq!(row.len(), header.len(), "{row:?}");
                assert!(
                    ids.contains(&row[start]) && ids.contains(&row[end]),
                    "{row:?}"
                );
                assert_eq!(row[ty], r["type"].as_str().unwrap());
                for (v, (name, t)) in row.iter().zip(&header) {
                    assert!(neo4j_value_ok(v, t), "{name}:{t} = `{v}`");
                }
                rel_rows += 1;
            }
        }
        assert_eq!(rel_rows, g.rel_count());
        let readme = fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(
            readme.contains("neo4j-admin database import full"),
            "{readme}"
        );
        assert!(readme.contains("--array-delimiter=';'"), "{readme}");
    }
}

#[test]
fn evidence_travels_with_each_relation() {
    let g = fixtures::alliance();
    for dialect in [Dialect::Neo4j, Dialect::Kuzu, Dialect::FalkorDb] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        export(&g, dialect, &dir);
        let m = manifest(&dir);
        let mut cited = 0;
        for r in m["relations"].as_array().unwrap() {
            let rows = csv_rows(&dir.join(r["file"].as_str().unwrap()));
            let names: Vec<&str> = rows[0]
                .iter()
                .map(|h| h.split(':').next().unwrap())
                .collect();
            let Some(c) = names.iter().position(|n| *n == "citations") else {
                continue;
            };
            for s in ["sources", "quotes", "claimants"] {
                assert!(names.contains(&s), "{dialect}: no `{s}` in {names:?}");
            }
            for row in &rows[1..] {
                if row[c].is_empty() {
                    continue;
                }
                // FalkorDB's loader reads `\` as an escape: undo it first.
                let text = if dialect == Dialect::FalkorDb {
                    row[c].replace("\\\\", "\\")
                } else {
                    row[c].clone()
                };
                let cites: Json = serde_json::from_str(&text).unwrap();
                for cite in cites.as_array().unwrap() {
                    assert!(cite["source"].is_string() && cite["quote"].is_string());
                    cited += 1;
                }
            }
        }
        assert!(cited > 0, "{dialect}: no citation written");
        let readme = fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains("`citations` as JSON text"), "{readme}");
    }
}

#[test]
fn kuzu_script_loads_every_file_and_falkordb_headers_are_typed() {
    let g = fixtures::hostile();
    let tmp = tempfile::tempdir().unwrap();
    let k = tmp.path().join("k");
    export(&g, Dialect::Kuzu, &k);
    let script = fs::read_to_string(k.join("load.cypher")).unwrap();
    for f in files(&k).keys().filter(|f| f.ends_with(".csv")) {
        assert!(
            script.contains(&format!("'{f}'")),
            "{f} not loaded:\n{script}"
        );
    }
    assert!(
        script
            .lines()
            .filter(|l| l.starts_with("CREATE NODE TABLE"))
            .count()
            >= 2
    );

    let f = tmp.path().join("f");
    export(&g, Dialect::FalkorDb, &f);
    for (name, _) in files(&f).iter().filter(|(f, _)| f.ends_with(".csv")) {
        let rows = csv_rows(&f.join(name));
        for entry in &rows[0] {
            let (_, ty) = entry.rsplit_once(':').unwrap();
            let ty = ty.split('(').next().unwrap();
            assert!(
                [
                    "ID", "START_ID", "END_ID", "BOOL", "INT", "DOUBLE", "STRING", "ARRAY"
                ]
                .contains(&ty),
                "{name}: `{entry}`"
            );
        }
    }
    let m = manifest(&f);
    let labels: Vec<String> = m["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["labels"].as_array().unwrap().len().to_string())
        .collect();
    assert!(labels.contains(&"2".to_string()), "{labels:?}");
}

#[test]
fn a_folder_eje_did_not_make_is_kept_unless_forced() {
    let g = fixtures::alliance();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("thesis.tex"), "mine").unwrap();
    let err = bulk::write_folder(
        &g,
        &Subgraph::whole(&g),
        Dialect::Kuzu,
        &dir,
        false,
        &Progress::off(),
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::FolderInUse { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("`thesis.tex`") && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(fs::read_to_string(dir.join("thesis.tex")).unwrap(), "mine");

    // An earlier export is replaced without asking, and nothing of it stays.
    let again = tmp.path().join("again");
    export(&g, Dialect::Neo4j, &again);
    export(&g, Dialect::Kuzu, &again);
    assert!(again.join("load.cypher").exists());
    assert_eq!(manifest(&again)["dialect"], "kuzu");

    // --force replaces the foreign folder.
    bulk::write_folder(
        &g,
        &Subgraph::whole(&g),
        Dialect::Kuzu,
        &dir,
        true,
        &Progress::off(),
    )
    .unwrap();
    assert!(!dir.join("thesis.tex").exists());
    assert!(dir.join("load.cypher").exists());

    // A file is never replaced by a folder.
    let file = tmp.path().join("file.csv");
    fs::write(&file, "x").unwrap();
    let err = bulk::write_folder(
        &g,
        &Subgraph::whole(&g),
        Dialect::Kuzu,
        &file,
        true,
        &Progress::off(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not a folder"), "{err}");
    let names: BTreeSet<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["again".into(), "file.csv".into(), "out".into()])
    );
}
