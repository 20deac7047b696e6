//! `eje lsp`: a small client speaks the protocol over stdio to the server
//! running on a temporary copy of `data/`, and checks each feature on its
//! own: diagnostics on unsaved edits (and their clearing), related
//! locations, completion, hover, definition, rename, quick fixes and query
//! files.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::{Value as Json, json};

#[path = "common/fs.rs"]
mod common_fs;
use common_fs::copy_dir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`, plus
/// `skip` bytes.
fn position(text: &str, needle: &str, skip: usize) -> Json {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"))
        + skip;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The position at the end of `text`.
fn end_of(text: &str) -> Json {
    let line = text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    json!({"line": line, "character": last.encode_utf16().count()})
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<Json>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    seen: Vec<Json>,
    /// Every message received.
    log: Vec<Json>,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl Client {
    fn start() -> Client {
        Client::start_on(&root().join("data"), None)
    }

    /// The server on a copy of `data`, with `corpus` as its corpus.
    fn start_on(source: &Path, corpus: Option<&Path>) -> Client {
        Client::start_with(source, corpus, json!({}))
    }

    /// The same, with more `initializationOptions`.
    fn start_with(source: &Path, corpus: Option<&Path>, more: Json) -> Client {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(source, &dir.path().join("data"));
        let data = dir.path().join("data").canonicalize().unwrap();
        let mut child = Command::cargo_bin("eje")
            .unwrap()
            .arg("lsp")
            .env_remove("EJE_DATA")
            .env("EJE_NO_CACHE", "1")
            .env_remove("EJE_CORPUS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            rx,
            next_id: 1,
            seen: Vec::new(),
            log: Vec::new(),
            data: data.clone(),
            _dir: dir,
        };
        let mut options = json!({
            "data": data.display().to_string(),
            "corpus": corpus.map(|c| c.display().to_string()),
        });
        for (k, v) in more.as_object().unwrap() {
            options[k] = v.clone();
        }
        c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: Json) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Json) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Json {
        let m = self
            .rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answered nothing");
        self.log.push(m.clone());
        m
    }

    fn request(&mut self, method: &str, params: Json) -> Json {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == id {
                assert!(m.get("error").is_none(), "{m}");
                return m["result"].clone();
            }
            self.seen.push(m);
        }
    }

    /// The next diagnostics published for `uri` that `ok` accepts.
    fn diagnostics(&mut self, uri: &str, ok: impl Fn(&[Json]) -> bool) -> Vec<Json> {
        let mut pending = std::mem::take(&mut self.seen).into_iter();
        loop {
            let m = pending.next().unwrap_or_else(|| self.recv());
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                let d = m["params"]["diagnostics"].as_array().unwrap().clone();
                if ok(&d) {
                    self.seen.extend(pending);
                    return d;
                }
            }
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.data.join(rel)
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        let lang = if path.extension().is_some_and(|e| e == "kgq") {
            "cypher"
        } else {
            "ron"
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": lang, "version": 1, "text": text}}),
        );
        u
    }

    fn change(&mut self, u: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

fn has_rule(d: &[Json], rule: &str) -> bool {
    d.iter().any(|x| x["code"] == rule)
}

#[test]
fn diagnostics_appear_on_change_without_a_save_and_clear_after_the_fix() {
    let mut c = Client::start();
    let path = c.path("stories/kim_letter.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    // Declare `putin` a second time: a duplicate of people.ron's.
    let broken = text.replacen(
        "(id: \"kim_letter_to_putin\"",
        "(id: \"putin\", kind: \"Person\", name: \"Putin bis\"), (id: \"kim_letter_to_putin\"",
        1,
    );
    assert_ne!(broken, text);
    c.change(&u, 2, &broken);
    let d = c.diagnostics(&u, |d| has_rule(d, "duplicate-id"));
    // Nothing was saved.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let dup = d.iter().find(|x| x["code"] == "duplicate-id").unwrap();
    assert_eq!(dup["severity"], 1);
    assert_eq!(
        dup["range"]["start"],
        position(&broken, "\"putin\", kind", 0)
    );
    let related = &dup["relatedInformation"][0]["location"];
    let people = c.path("people.ron");
    assert_eq!(related["uri"], uri(&people));
    let people_text = std::fs::read_to_string(&people).unwrap();
    assert_eq!(
        related["range"]["start"],
        position(&people_text, "\"putin\", kind", 0)
    );
    // The fix clears them.
    c.change(&u, 3, &text);
    let d = c.diagnostics(&u, |d| d.is_empty());
    assert!(d.is_empty());
}

#[test]
fn a_buffer_that_does_not_parse_shows_its_syntax_error_while_the_rules_run_on_its_last_parse() {
    let mut c = Client::start();
    let people = c.path("people.ron");
    let people_text = std::fs::read_to_string(&people).unwrap();
    let pu = c.open(&people, &people_text);
    let path = c.path("stories/kim_letter.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    // A semantic error in one buffer...
    let people_broken = people_text.replacen("object: \"russia\"", "object: \"rusia\"", 1);
    assert_ne!(people_broken, people_text);
    c.change(&pu, 2, &people_broken);
    c.diagnostics(&pu, |d| has_rule(d, "unknown-ref"));
    // ...stays reported when another stops parsing: the loader alone would
    // stop at the syntax error.
    let broken = text.replacen("claims: [", "claims: [[", 1);
    c.change(&u, 2, &broken);
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert!(has_rule(&d, "ron"), "{d:?}");
    let last_people = c
        .log
        .iter()
        .rev()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == pu)
        .unwrap();
    let pd = last_people["params"]["diagnostics"].as_array().unwrap();
    assert!(has_rule(pd, "unknown-ref"), "{pd:?}");
    assert!(!has_rule(pd, "ron"), "{pd:?}");
}

#[test]
fn completion_after_subject_offers_entity_ids() {
    let mut c = Client::start();
    let path = c.path("stories/new.ron");
    let text = "(\n  claims: [\n    (subject: \"";
    let u = c.open(&path, text);
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": end_of(text)}),
    );
    let labels: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"putin"), "{labels:?}");
    assert!(labels.contains(&"kim_jong_un"), "{labels:?}");
    // After `hedge:`, the hedges.
    let text2 = "(\n  claims: [\n    (cite: [(source: \"art_000\", quote: \"x\", hedge: ";
    c.change(&u, 2, text2);
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": end_of(text2)}),
    );
    let labels: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Alleged"), "{labels:?}");
    // Field names where they fit: a citation's inside `cite`.
    let text3 = "(\n  claims: [\n    (subject: \"putin\", cite: [(source: \"art_000\", ";
    c.change(&u, 3, text3);
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": end_of(text3)}),
    );
    let labels: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"quote") && labels.contains(&"hedge"),
        "{labels:?}"
    );
    assert!(!labels.contains(&"subject"), "{labels:?}");
}

#[test]
fn hover_on_putin_shows_his_card() {
    let mut c = Client::start();
    let path = c.path("stories/kim_letter.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position(&text, "object: \"putin\"", 10)}),
    );
    let value = r["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Vladimir Putin"), "{value}");
    assert!(value.contains("Person"), "{value}");
}

#[test]
fn definition_goes_to_the_exact_line_and_column() {
    let mut c = Client::start();
    let path = c.path("stories/kim_letter.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    let r = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": position(&text, "object: \"putin\"", 12)}),
    );
    let people = c.path("people.ron");
    let people_text = std::fs::read_to_string(&people).unwrap();
    assert_eq!(r["uri"], uri(&people));
    assert_eq!(
        r["range"]["start"],
        position(&people_text, "\"putin\", kind", 1)
    );
    assert_eq!(
        r["range"]["end"],
        position(&people_text, "\"putin\", kind", 6)
    );
    // References: the declaration and every use.
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": position(&text, "object: \"putin\"", 12), "context": {"includeDeclaration": true}}),
    );
    assert!(r.as_array().unwrap().len() > 20, "{r}");
}

#[test]
fn rename_edits_every_file_that_names_the_id() {
    let mut c = Client::start();
    let path = c.path("people.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": u}, "position": position(&text, "\"putin\", kind", 2), "newName": "vladimir_putin"}),
    );
    let changes = r["changes"].as_object().unwrap();
    assert!(changes.len() >= 2, "{changes:?}");
    for (file_uri, edits) in changes {
        let file = PathBuf::from(file_uri.strip_prefix("file://").unwrap());
        let t = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        for e in edits.as_array().unwrap() {
            assert_eq!(e["newText"], "vladimir_putin");
            let (s, en) = (&e["range"]["start"], &e["range"]["end"]);
            assert_eq!(s["line"], en["line"]);
            let line: Vec<u16> = lines[s["line"].as_u64().unwrap() as usize]
                .encode_utf16()
                .collect();
            let old = String::from_utf16(
                &line[s["character"].as_u64().unwrap() as usize
                    ..en["character"].as_u64().unwrap() as usize],
            )
            .unwrap();
            assert_eq!(old, "putin", "{file_uri}");
        }
    }
}

#[test]
fn a_quick_fix_applies_the_suggestion() {
    let mut c = Client::start();
    let path = c.path("stories/kim_letter.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    let broken = text.replacen("object: \"putin\"", "object: \"putn\"", 1);
    c.change(&u, 2, &broken);
    let d = c.diagnostics(&u, |d| has_rule(d, "unknown-ref"));
    let diag = d
        .iter()
        .find(|x| x["code"] == "unknown-ref")
        .unwrap()
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let action = &r[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], "\"putin\"");
    assert_eq!(edit["range"]["start"], position(&broken, "\"putn\"", 0));
}

#[test]
fn limits_are_read_from_the_initialization_options_and_a_bad_one_is_shown() {
    let mut c = Client::start_with(
        &root().join("data"),
        None,
        json!({"maxWork": 1000, "timeout": "30s", "max-rows": 5, "max-memory": "lots"}),
    );
    // The server works with its limits set: a query buffer is planned.
    let path = c.data.parent().unwrap().join("q.kgq");
    let u = c.open(&path, "MATCH (p:Persn)\nRETURN p.name;\n");
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert!(d[0]["message"].as_str().unwrap().contains("`Persn`"));
    // The refused value is shown once, naming the setting; the others are
    // taken without a word.
    let shown: Vec<String> = c
        .log
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .map(|m| m["params"]["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].contains("`max-memory`") && shown[0].contains("`lots`"),
        "{shown:?}"
    );
}

#[test]
fn a_query_file_with_an_unknown_label_gets_a_suggestion() {
    let mut c = Client::start();
    let path = c.data.parent().unwrap().join("q.kgq");
    let text = "MATCH (p:Persn)\nRETURN p.name;\n";
    let u = c.open(&path, text);
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:?}");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("`Persn`") && msg.contains("Person"), "{msg}");
    assert_eq!(d[0]["range"]["start"], position(text, "Persn", 0));
    // Completion as in the REPL.
    let partial = "MATCH (p:Pers";
    c.change(&u, 2, partial);
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": end_of(partial)}),
    );
    let labels: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.iter().any(|l| l.contains("Person")), "{labels:?}");
    // Hover on a function shows its registry entry.
    let text = "RETURN toUpper('a');\n";
    c.change(&u, 3, text);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position(text, "toUpper", 2)}),
    );
    assert!(
        r["contents"]["value"].as_str().unwrap().contains("toUpper"),
        "{r}"
    );
}

#[test]
fn with_a_corpus_quotes_are_checked_and_hover_shows_their_sentence() {
    let fixture = root().join("tests/fixtures/coverage");
    let mut c = Client::start_on(&fixture.join("data"), Some(&fixture.join("corpus")));
    let path = c.path("dossier.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, &text);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position(&text, "Transmita mis saludos", 3)}),
    );
    let value = r["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("“Es un gran placer. Transmita mis saludos a Kim”, dijo Putin.")
            && value.contains("line 5"),
        "{value}"
    );
    let broken = text.replacen(
        "Transmita mis saludos a Kim",
        "Transmita mis saludos a Kin",
        1,
    );
    c.change(&u, 2, &broken);
    let d = c.diagnostics(&u, |d| has_rule(d, "quote-not-found"));
    let q = d.iter().find(|x| x["code"] == "quote-not-found").unwrap();
    assert_eq!(
        q["range"]["start"],
        position(&broken, "\"Transmita mis saludos a Kin", 0)
    );
}
