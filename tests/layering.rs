//! The layering of ARCHITECTURE.md, held against the code: the table under
//! "Dependencies between modules" is read as data (one row per top-level
//! module of `src/`, with the modules it may use), and every `crate::…`
//! path in a module's files must name itself or a module its row allows.
//! A module missing from the table fails too, so the map stays whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The table: module → the modules it may use.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md is readable");
    let section = doc
        .split("### Dependencies between modules")
        .nth(1)
        .expect("ARCHITECTURE.md has a section `### Dependencies between modules`");
    let mut table = BTreeMap::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(module), Some(uses)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(module) = module.strip_prefix('`').and_then(|m| m.strip_suffix('`')) else {
            continue; // the header and the rule under it
        };
        let names = uses
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        table.insert(module.to_string(), names);
    }
    assert!(!table.is_empty(), "the dependency table has no rows");
    table
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file names through `crate::` (or `eje::` in the
/// binary), outside comments.
fn uses(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // Unit tests may reach further (a test module sits at a file's end).
    for line in text.lines().take_while(|l| l.trim() != "#[cfg(test)]") {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
        // `use crate::{a, b::c}`
        if let Some(group) = code.split(&format!("{prefix}{{")).nth(1) {
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_layer_it_may_not_use() {
    let table = allowed();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue; // a module's unit tests
        }
        let module = module_of(&src, file);
        let text = fs::read_to_string(file).unwrap();
        let prefix = if module == "main" { "eje::" } else { "crate::" };
        let Some(may) = table.get(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no row in ARCHITECTURE.md's dependency table",
                file.display()
            ));
            continue;
        };
        for used in uses(&text, prefix) {
            if used != module && !may.contains(&used) && !may.contains("*") {
                wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which its row does not allow",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_imports() {
    let text = "use crate::{model::Graph, query};\nfn f() { crate::load::x(); } // crate::cli\n\
                #[cfg(test)]\nmod tests { use crate::repl; }\n";
    let found = uses(text, "crate::");
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["load", "model", "query"]
    );
}

/// Whether Rust source text uses `unsafe` (a block, a function, an impl or
/// an attribute that allows it), outside line comments and one-line string
/// literals.
fn uses_unsafe(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split("//").next().unwrap_or("");
        // Blank out what stands between double quotes.
        let mut in_str = false;
        let mut escaped = false;
        let code: String = code
            .chars()
            .map(|c| {
                let quote = c == '"' && !escaped;
                escaped = in_str && c == '\\' && !escaped;
                if quote {
                    in_str = !in_str;
                    ' '
                } else if in_str {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "unsafe" || word == "unsafe_code")
    })
}

/// `unsafe` is allowed in one module only: the one that maps a snapshot
/// into memory (ARCHITECTURE.md, "Invariants").
#[test]
fn unsafe_appears_only_in_the_module_that_maps_the_snapshot() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let allowed = src.join("load").join("snapfile").join("mapped.rs");
    let mut found: Vec<String> = files
        .iter()
        .filter(|f| uses_unsafe(&fs::read_to_string(f).unwrap_or_default()))
        .map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string())
        .collect();
    found.sort();
    assert_eq!(
        found,
        ["load/snapfile/mapped.rs"],
        "files that use `unsafe`"
    );
    assert!(allowed.is_file());
}

#[test]
fn the_unsafe_check_sees_unsafe() {
    assert!(uses_unsafe("    let m = unsafe { map(f) };"));
    assert!(uses_unsafe("#![allow(unsafe_code)]"));
    assert!(!uses_unsafe("// SAFETY: nothing unsafe here"));
    assert!(!uses_unsafe("let unsafety = 1;"));
    assert!(!uses_unsafe(
        r#"assert!(!csp.contains("unsafe"), "{csp}");"#
    ));
    assert!(uses_unsafe(r#"let s = "a\"b"; unsafe { x() }"#));
}
