//! `eje lsp`: a language server over stdio for the data folder's dossiers
//! and for `.kgq` query files (lsp-server and lsp-types, the crates
//! rust-analyzer uses).
//!
//! The server keeps its own snapshot: the files of the data folder as on
//! disk, with the editor's open buffers over them. After each burst of
//! edits it loads that snapshot with the loader (every rule, and quotes
//! against the corpus when one is set) and publishes the diagnostics per
//! file. A buffer that does not parse shows its syntax error while the
//! other rules run on its last version that parsed. Ids are found by a
//! lenient scan of the texts (`index`), so definition, references and
//! rename work on data that does not load. It never writes a file: renames
//! and quick fixes are edits the editor applies.

pub mod index;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lt;
use serde_json::{Value as Json, json};

use crate::diag::{Diagnostic, Severity};
use crate::lines::{LineIndex, Utf16Pos};
use crate::load::{self, InputFile};
use crate::model::{Graph, Value};
use index::Index;

/// Where the server reads data from: `initializationOptions` (`data`,
/// `corpus`), else these (from the command line), else the workspace. The
/// limits of a statement (`max-work`, `max-memory`, `timeout`, `max-rows`,
/// also spelt `maxWork`...) come from the command line, then from
/// `initializationOptions`, as strings in the command line's syntax
/// (`"512M"`, `"30s"`) or numbers.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub data: Option<PathBuf>,
    pub corpus: Option<PathBuf>,
    /// In order: a later setting of a limit wins.
    pub limits: Vec<crate::query::limits::Setting>,
    /// Settings that were refused, each a message for the user.
    pub problems: Vec<String>,
}

impl Settings {
    /// The execution context the limits give (the plan of a `.kgq` buffer
    /// is made with it).
    pub fn query_options(&self) -> crate::query::Options {
        use crate::query::limits::Setting;
        let mut o = crate::query::Options::default();
        let default = crate::query::Options::default();
        for s in &self.limits {
            match *s {
                Setting::MaxWork(n) => o.max_work = n,
                Setting::MaxMemory(n) => o.max_memory = n.unwrap_or(default.max_memory),
                Setting::Timeout(d) => o.timeout = d,
                Setting::MaxRows(n) => o.max_rows = n.unwrap_or(default.max_rows),
            }
        }
        o
    }
}

/// The limits set in `initializationOptions`, after `defaults`; a value
/// that is refused is a problem to show, and the limit keeps its value.
fn limits_of(
    opts: &Json,
    defaults: Vec<crate::query::limits::Setting>,
    problems: &mut Vec<String>,
) -> Vec<crate::query::limits::Setting> {
    use crate::query::limits::{NAMES, SettingError, parse_setting};
    let mut out = defaults;
    for name in NAMES {
        let camel = camel_case(name);
        let Some(value) = opts.get(name).or_else(|| opts.get(&camel)) else {
            continue;
        };
        let text = match value {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        match parse_setting(name, &text) {
            Ok(s) => out.push(s),
            Err(SettingError::Bad(e)) => problems.push(format!(
                "eje: `{name}` in the initialization options: {e}; it keeps its default"
            )),
            Err(SettingError::Unknown) => {}
        }
    }
    out
}

/// `max-work` as `maxWork`.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs the server on stdin and stdout until the client says `exit`.
pub fn run(defaults: Settings) -> anyhow::Result<()> {
    let (conn, io) = Connection::stdio();
    let (id, params) = conn.initialize_start()?;
    let init: lt::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let settings = settings_of(&init, defaults);
    let caps = json!({
        "capabilities": {
            "textDocumentSync": {"openClose": true, "change": 1, "save": true},
            "completionProvider": {"triggerCharacters": ["\"", ":", "(", ".", " "]},
            "hoverProvider": true,
            "definitionProvider": true,
            "referencesProvider": true,
            "renameProvider": true,
            "codeActionProvider": true,
        },
        "serverInfo": {"name": "eje", "version": env!("CARGO_PKG_VERSION")},
    });
    conn.initialize_finish(id, caps)?;
    for problem in &settings.problems {
        conn.sender.send(Message::Notification(Notification::new(
            "window/showMessage".into(),
            json!({"type": 2, "message": problem}),
        )))?;
    }
    if settings.data.is_none() {
        conn.sender.send(Message::Notification(Notification::new(
            "window/showMessage".into(),
            json!({"type": 2, "message": "eje: no data folder found (no schema.ron in the workspace folder or its data/); set `data` in the initialization options"}),
        )))?;
    }
    let mut server = Server::new(settings);
    server.refresh(&conn)?;
    main_loop(&conn, &mut server)?;
    drop(conn);
    io.join()?;
    Ok(())
}

fn settings_of(init: &lt::InitializeParams, defaults: Settings) -> Settings {
    let opts = init.initialization_options.clone().unwrap_or(Json::Null);
    let path = |k: &str| opts.get(k).and_then(Json::as_str).map(PathBuf::from);
    #[allow(deprecated)]
    let root = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_to_path(&f.uri))
        .or_else(|| init.root_uri.as_ref().and_then(uri_to_path));
    let data = path("data").or(defaults.data).or_else(|| {
        let root = root.clone()?;
        if root.join(load::SCHEMA_FILE).is_file() {
            Some(root)
        } else {
            Some(root.join("data")).filter(|d| d.join(load::SCHEMA_FILE).is_file())
        }
    });
    let base = root.unwrap_or_else(|| PathBuf::from("."));
    let absolute = |p: PathBuf| {
        let p = if p.is_absolute() { p } else { base.join(p) };
        p.canonicalize().unwrap_or(p)
    };
    let mut problems = defaults.problems;
    let limits = limits_of(&opts, defaults.limits, &mut problems);
    Settings {
        data: data.map(absolute),
        corpus: path("corpus")
            .or(defaults.corpus)
            .or_else(|| std::env::var_os("EJE_CORPUS").map(PathBuf::from))
            .map(absolute),
        limits,
        problems,
    }
}

/// How long the editor must stay quiet after an edit before the data is
/// checked again.
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

fn main_loop(conn: &Connection, server: &mut Server) -> anyhow::Result<()> {
    while let Ok(msg) = conn.receiver.recv() {
        let mut dirty = false;
        let mut pending = vec![msg];
        // Everything already queued is handled before the data is checked
        // again: one check per burst of edits.
        while let Ok(m) = conn.receiver.try_recv() {
            pending.push(m);
        }
        // Edits come in bursts as the user types: wait for the burst to
        // end (a request ends the wait at once).
        let edits = |p: &[Message]| {
            p.iter().any(
                |m| matches!(m, Message::Notification(n) if n.method == "textDocument/didChange"),
            )
        };
        if edits(&pending) {
            while let Ok(m) = conn.receiver.recv_timeout(DEBOUNCE) {
                let request = matches!(m, Message::Request(_));
                pending.push(m);
                if request {
                    break;
                }
            }
        }
        for msg in pending {
            match msg {
                Message::Request(req) => {
                    if conn.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    if dirty {
                        server.refresh(conn)?;
                        dirty = false;
                    }
                    let resp = server.request(&req);
                    conn.sender.send(Message::Response(resp))?;
                }
                Message::Notification(n) => {
                    if n.method == "exit" {
                        return Ok(());
                    }
                    dirty |= server.notification(&n);
                }
                Message::Response(_) => {}
            }
        }
        if dirty {
            server.refresh(conn)?;
        }
    }
    Ok(())
}

struct Server {
    settings: Settings,
    /// The editor's open buffers, by absolute path.
    docs: HashMap<PathBuf, String>,
    /// The last text of each open dossier that parsed.
    parsed: HashMap<PathBuf, String>,
    /// The texts the last check used (disk and buffers).
    texts: BTreeMap<PathBuf, String>,
    index: Index,
    /// The graph of the last snapshot that loaded.
    graph: Option<Arc<Graph>>,
    /// Files that have diagnostics showing, to clear them.
    shown: BTreeSet<PathBuf>,
}

impl Server {
    fn new(settings: Settings) -> Self {
        Server {
            settings,
            docs: HashMap::new(),
            parsed: HashMap::new(),
            texts: BTreeMap::new(),
            index: Index::default(),
            graph: None,
            shown: BTreeSet::new(),
        }
    }

    /// Handles a notification; true when the data may have changed.
    fn notification(&mut self, n: &Notification) -> bool {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) =
                    serde_json::from_value::<lt::DidOpenTextDocumentParams>(n.params.clone())
                else {
                    return false;
                };
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return false;
                };
                self.docs.insert(path, p.text_document.text);
                true
            }
            "textDocument/didChange" => {
                let Ok(p) =
                    serde_json::from_value::<lt::DidChangeTextDocumentParams>(n.params.clone())
                else {
                    return false;
                };
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return false;
                };
                let Some(text) = self.docs.get_mut(&path) else {
                    return false;
                };
                for c in p.content_changes {
                    match c.range {
                        None => *text = c.text,
                        Some(r) => {
                            let ix = LineIndex::new(text);
                            let a = ix.offset(text, pos_in(r.start));
                            let b = ix.offset(text, pos_in(r.end)).max(a);
                            text.replace_range(a..b, &c.text);
                        }
                    }
                }
                true
            }
            "textDocument/didClose" => {
                let Ok(p) =
                    serde_json::from_value::<lt::DidCloseTextDocumentParams>(n.params.clone())
                else {
                    return false;
                };
                if let Some(path) = uri_to_path(&p.text_document.uri) {
                    self.docs.remove(&path);
                    self.parsed.remove(&path);
                }
                true
            }
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => true,
            _ => false,
        }
    }

    fn data_dir(&self) -> Option<&Path> {
        self.settings.data.as_deref()
    }

    fn is_dossier(&self, path: &Path) -> bool {
        self.data_dir().is_some_and(|d| path.starts_with(d)) && load::is_data_path(path)
    }

    /// The data folder's files, with open buffers over them; `substitute`
    /// gives other texts for some files.
    fn snapshot(&self, substitute: &HashMap<PathBuf, String>) -> Vec<InputFile> {
        let Some(dir) = self.data_dir() else {
            return Vec::new();
        };
        let mut files: BTreeMap<PathBuf, InputFile> = BTreeMap::new();
        if let Ok(disk) = load::read_dir(dir) {
            for f in disk {
                files.insert(dir.join(&f.rel), f);
            }
        }
        for (path, text) in self.docs.iter().chain(substitute) {
            if !self.is_dossier(path) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = substitute.get(path).unwrap_or(text).clone();
            files.insert(
                path.clone(),
                InputFile {
                    name: dir.join(&rel).display().to_string(),
                    rel,
                    text,
                },
            );
        }
        files.into_values().collect()
    }

    fn load(&self, files: Vec<InputFile>) -> (Vec<Diagnostic>, Option<Graph>) {
        let opts = load::Options {
            corpus: self.settings.corpus.clone(),
            ..load::Options::default()
        };
        match load::load_files(files, &opts) {
            Ok(l) => (l.warnings, Some(l.graph)),
            Err(f) => (f.diagnostics, None),
        }
    }

    /// Checks the snapshot again and publishes every file's diagnostics.
    fn refresh(&mut self, conn: &Connection) -> anyhow::Result<()> {
        let mut by_file: BTreeMap<PathBuf, Vec<lt::Diagnostic>> = BTreeMap::new();
        if self.data_dir().is_some() {
            let files = self.snapshot(&HashMap::new());
            let (mut diags, mut graph) = self.load(files.clone());
            let broken: BTreeSet<String> = diags
                .iter()
                .filter(|d| d.code == "ron")
                .filter_map(|d| d.file.clone())
                .collect();
            let mut used = files;
            if broken.is_empty() {
                for (path, text) in &self.docs {
                    if self.is_dossier(path) {
                        self.parsed.insert(path.clone(), text.clone());
                    }
                }
            } else {
                // The other rules run on the last versions that parsed.
                let substitute: HashMap<PathBuf, String> = self
                    .parsed
                    .iter()
                    .filter(|(p, _)| broken.contains(&p.display().to_string()))
                    .map(|(p, t)| (p.clone(), t.clone()))
                    .collect();
                if !substitute.is_empty() {
                    let again = self.snapshot(&substitute);
                    let (more, g) = self.load(again);
                    diags.retain(|d| d.file.as_ref().is_some_and(|f| broken.contains(f)));
                    diags.extend(
                        more.into_iter()
                            .filter(|d| !d.file.as_ref().is_some_and(|f| broken.contains(f))),
                    );
                    graph = g;
                }
                // Ids are read from what the editor shows.
                used = self.snapshot(&HashMap::new());
            }
            self.texts = used
                .into_iter()
                .map(|f| (PathBuf::from(&f.name), f.text))
                .collect();
            self.index = Index::build(self.texts.iter().map(|(p, t)| (p, t.as_str())));
            if let Some(g) = graph {
                self.graph = Some(Arc::new(g));
            }
            for d in &diags {
                let Some(file) = &d.file else { continue };
                let path = PathBuf::from(file);
                let lsp = self.to_lsp(d, &path);
                by_file.entry(path).or_default().push(lsp);
            }
        }
        // Query files are checked against the graph.
        let queries: Vec<PathBuf> = self
            .docs
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "kgq"))
            .cloned()
            .collect();
        for path in queries {
            let diags = self.query_diagnostics(&path);
            by_file.insert(path, diags);
        }
        let stale: Vec<PathBuf> = self
            .shown
            .iter()
            .filter(|p| !by_file.contains_key(*p))
            .cloned()
            .collect();
        for p in stale {
            by_file.insert(p, Vec::new());
        }
        self.shown.clear();
        for (path, diags) in by_file {
            if !diags.is_empty() {
                self.shown.insert(path.clone());
            }
            let params = lt::PublishDiagnosticsParams {
                uri: path_to_uri(&path),
                diagnostics: diags,
                version: None,
            };
            conn.sender.send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            )))?;
        }
        Ok(())
    }

    fn text_of(&self, path: &Path) -> Option<&str> {
        self.docs
            .get(path)
            .or_else(|| self.texts.get(path))
            .map(String::as_str)
    }

    fn range_of(&self, path: &Path, span: &Range<usize>) -> lt::Range {
        let text = self.text_of(path).unwrap_or("");
        let ix = LineIndex::new(text);
        lt::Range {
            start: pos_out(ix.utf16(text, span.start)),
            end: pos_out(ix.utf16(text, span.end.max(span.start))),
        }
    }

    fn to_lsp(&self, d: &Diagnostic, path: &Path) -> lt::Diagnostic {
        let related: Vec<lt::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| {
                let rpath = d
                    .related_file(r)
                    .map_or_else(|| path.to_path_buf(), PathBuf::from);
                lt::DiagnosticRelatedInformation {
                    location: lt::Location {
                        uri: path_to_uri(&rpath),
                        range: self.range_of(&rpath, &r.span),
                    },
                    message: r.label.clone(),
                }
            })
            .collect();
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            let _ = write!(message, "\nhelp: {h}");
        }
        let data = d
            .help
            .as_deref()
            .and_then(suggestion)
            .map(|s| json!({"replace": s}));
        lt::Diagnostic {
            range: self.range_of(path, &d.span),
            severity: Some(match d.severity {
                Severity::Error => lt::DiagnosticSeverity::ERROR,
                Severity::Warning => lt::DiagnosticSeverity::WARNING,
                Severity::Note => lt::DiagnosticSeverity::INFORMATION,
            }),
            code: Some(lt::NumberOrString::String(d.code.to_string())),
            source: Some("eje".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            data,
            ..lt::Diagnostic::default()
        }
    }

    fn query_diagnostics(&self, path: &Path) -> Vec<lt::Diagnostic> {
        let Some(text) = self.docs.get(path) else {
            return Vec::new();
        };
        let graph = self.graph.clone().unwrap_or_default();
        let opts = self.settings.query_options();
        let mut out = Vec::new();
        for span in crate::query::split::split_statements(text) {
            let script = match crate::query::parser::parse_in(text, span) {
                Ok(s) => s,
                Err(e) => {
                    out.push(self.query_error(path, text, &e));
                    continue;
                }
            };
            for stmt in &script.statements {
                if let crate::query::ast::Statement::Query(q) = stmt
                    && let Err(e) = crate::query::eval::plan_query(&graph, text, q, &opts)
                {
                    out.push(self.query_error(path, text, &e));
                }
            }
        }
        out
    }

    fn query_error(
        &self,
        path: &Path,
        text: &str,
        e: &crate::query::error::QueryError,
    ) -> lt::Diagnostic {
        let d = e.to_diagnostic(&path.display().to_string());
        let mut lsp = self.to_lsp(&d, path);
        if e.span.is_none() {
            let end = pos_out(LineIndex::new(text).utf16(text, text.len()));
            lsp.range = lt::Range { start: end, end };
        }
        lsp
    }

    fn request(&self, req: &Request) -> Response {
        let result = match req.method.as_str() {
            "textDocument/completion" => self.completion(&req.params),
            "textDocument/hover" => self.hover(&req.params),
            "textDocument/definition" => self.definition(&req.params),
            "textDocument/references" => self.references(&req.params),
            "textDocument/rename" => self.rename(&req.params),
            "textDocument/codeAction" => self.code_action(&req.params),
            _ => {
                return Response::new_err(
                    req.id.clone(),
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("eje does not answer `{}`", req.method),
                );
            }
        };
        ok(req.id.clone(), result.unwrap_or(Json::Null))
    }

    /// The file and byte offset of a `textDocument/position` request.
    fn at(&self, params: &Json) -> Option<(PathBuf, usize)> {
        let p: lt::TextDocumentPositionParams = serde_json::from_value(params.clone()).ok()?;
        let path = uri_to_path(&p.text_document.uri)?;
        let text = self.text_of(&path)?;
        let offset = LineIndex::new(text).offset(text, pos_in(p.position));
        Some((path, offset))
    }

    /// The id named by the string under the cursor, if any.
    fn id_at(&self, params: &Json) -> Option<String> {
        let (path, offset) = self.at(params)?;
        let lit = self.index.string_at(&path, offset)?;
        (lit.may_name_id() && self.index.decls.contains_key(&lit.value)).then(|| lit.value.clone())
    }

    fn location(&self, file: &Path, inner: &Range<usize>) -> lt::Location {
        lt::Location {
            uri: path_to_uri(file),
            range: self.range_of(file, inner),
        }
    }

    fn definition(&self, params: &Json) -> Option<Json> {
        let id = self.id_at(params)?;
        let d = self.index.decls.get(&id)?;
        serde_json::to_value(self.location(&d.file, &d.inner)).ok()
    }

    fn references(&self, params: &Json) -> Option<Json> {
        let id = self.id_at(params)?;
        let locs: Vec<lt::Location> = self
            .index
            .occurrences(&id)
            .iter()
            .map(|(f, r)| self.location(f, r))
            .collect();
        serde_json::to_value(locs).ok()
    }

    // lsp-types keys workspace edits by `Uri`, whose parsed form caches
    // data inside; nothing here mutates a key.
    #[allow(clippy::mutable_key_type)]
    fn rename(&self, params: &Json) -> Option<Json> {
        let p: lt::RenameParams = serde_json::from_value(params.clone()).ok()?;
        let id = self.id_at(&serde_json::to_value(&p.text_document_position).ok()?)?;
        let mut changes: HashMap<lt::Uri, Vec<lt::TextEdit>> = HashMap::new();
        for (file, range) in self.index.occurrences(&id) {
            changes
                .entry(path_to_uri(&file))
                .or_default()
                .push(lt::TextEdit {
                    range: self.range_of(&file, &range),
                    new_text: p.new_name.clone(),
                });
        }
        serde_json::to_value(lt::WorkspaceEdit {
            changes: Some(changes),
            ..lt::WorkspaceEdit::default()
        })
        .ok()
    }

    fn code_action(&self, params: &Json) -> Option<Json> {
        // Read leniently: clients send back the diagnostics they were given,
        // some with fewer fields.
        let uri: lt::Uri = serde_json::from_value(params["textDocument"]["uri"].clone()).ok()?;
        let path = uri_to_path(&uri)?;
        let text = self.text_of(&path)?;
        let ix = LineIndex::new(text);
        let mut actions = Vec::new();
        let diagnostics = params["context"]["diagnostics"].as_array()?;
        for d in diagnostics {
            let Some(s) = d["data"]["replace"].as_str() else {
                continue;
            };
            let Ok(range) = serde_json::from_value::<lt::Range>(d["range"].clone()) else {
                continue;
            };
            let a = ix.offset(text, pos_in(range.start));
            let b = ix.offset(text, pos_in(range.end)).max(a);
            let new_text = if text[a..b].starts_with('"') {
                format!("\"{s}\"")
            } else {
                s.to_string()
            };
            actions.push(json!({
                "title": format!("replace with `{s}`"),
                "kind": "quickfix",
                "diagnostics": [d],
                "isPreferred": true,
                "edit": {"changes": {uri.as_str(): [{"range": range, "newText": new_text}]}},
            }));
        }
        Some(Json::Array(actions))
    }

    fn hover(&self, params: &Json) -> Option<Json> {
        let (path, offset) = self.at(params)?;
        let markdown = if path.extension().is_some_and(|e| e == "kgq") {
            let text = self.text_of(&path)?;
            function_hover(text, offset)?
        } else {
            let lit = self.index.string_at(&path, offset)?;
            if lit.field.as_deref() == Some("quote") {
                self.quote_hover(&path, offset, &lit.value)?
            } else if lit.may_name_id() {
                self.card(&lit.value)?
            } else {
                return None;
            }
        };
        serde_json::to_value(lt::Hover {
            contents: lt::HoverContents::Markup(lt::MarkupContent {
                kind: lt::MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
        .ok()
    }

    /// The card of an entity or a source.
    fn card(&self, id: &str) -> Option<String> {
        let decl = self.index.decls.get(id)?;
        let graph = self.graph.as_ref();
        let mut out = String::new();
        if let Some(s) = graph.and_then(|g| g.sources().get(id)) {
            let _ = writeln!(out, "**{}** (`{id}`, {})\n", s.title, s.kind);
            let _ = writeln!(out, "file: `{}`", s.file);
            if let Some(p) = &s.published {
                let _ = writeln!(out, "\npublished: {p}");
            }
            return Some(out);
        }
        match graph.and_then(|g| g.by_id(id).map(|ix| (g, ix))) {
            Some((g, ix)) => {
                let n = g.node(ix);
                let kind = n.labels.first().map_or("", String::as_str);
                let _ = writeln!(out, "**{}** (`{id}`, {kind})", n.display_name());
                if let Some(Value::List(a)) = n.props.get("aliases") {
                    let a: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                    if !a.is_empty() {
                        let _ = writeln!(out, "\nalso: {}", a.join(", "));
                    }
                }
                if let Some(d) = n.props.get("description").and_then(Value::as_str) {
                    let _ = writeln!(out, "\n{d}");
                }
                let outgoing = g.rels_of(ix, petgraph::Direction::Outgoing).count();
                let incoming = g.rels_of(ix, petgraph::Direction::Incoming).count();
                let _ = writeln!(
                    out,
                    "\n{outgoing} relation(s) out, {incoming} in; declared in `{}`",
                    decl.file.display()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "`{id}`: declared in `{}` ({})",
                    decl.file.display(),
                    decl.section
                );
            }
        }
        Some(out)
    }

    /// The sentence of the article around a citation's quote.
    fn quote_hover(&self, path: &Path, offset: usize, quote: &str) -> Option<String> {
        let corpus = self.settings.corpus.as_ref()?;
        // The citation's source: the `source` string nearest before the
        // quote, within the same citation.
        let lits = self.index.files.get(path)?;
        let source = lits
            .iter()
            .rev()
            .filter(|l| l.inner.end <= offset)
            .take(4)
            .find(|l| l.field.as_deref() == Some("source"))
            .or_else(|| {
                lits.iter()
                    .filter(|l| l.inner.start >= offset)
                    .take(4)
                    .find(|l| l.field.as_deref() == Some("source"))
            })?;
        let graph = self.graph.as_ref()?;
        let file = &graph.sources().get(&source.value)?.file;
        let text = std::fs::read_to_string(corpus.join(file)).ok()?;
        let a = crate::coverage::article(&source.value, file, &text, &[("quote", quote)]);
        let cited: Vec<String> = a
            .sentences
            .iter()
            .filter(|s| !s.cited_by.is_empty())
            .map(|s| format!("> {}\n\n— `{}` line {}", s.text, file, s.line))
            .collect();
        if cited.is_empty() {
            return Some(format!("this quote is not in `{file}`"));
        }
        Some(cited.join("\n\n"))
    }

    fn completion(&self, params: &Json) -> Option<Json> {
        let (path, offset) = self.at(params)?;
        let text = self.text_of(&path)?;
        let items = if path.extension().is_some_and(|e| e == "kgq") {
            self.query_completion(text, offset)
        } else {
            self.dossier_completion(text, offset)
        };
        serde_json::to_value(lt::CompletionResponse::Array(items)).ok()
    }

    fn dossier_completion(&self, text: &str, offset: usize) -> Vec<lt::CompletionItem> {
        let item = |label: &str, detail: Option<String>, kind| lt::CompletionItem {
            label: label.to_string(),
            detail,
            kind: Some(kind),
            ..lt::CompletionItem::default()
        };
        let lits = index::strings(&text[..offset]);
        // A string still open at the cursor runs to it; a closed one ends
        // before its closing quote.
        let inside = lits.last().filter(|l| l.inner.end == offset);
        if let Some(l) = inside {
            let schema = self.graph.as_ref().and_then(|g| g.schema.as_ref());
            let field = l.field.as_deref().unwrap_or("");
            return match field {
                "source" => self
                    .index
                    .decls
                    .iter()
                    .filter(|(_, d)| d.section == "sources")
                    .map(|(id, _)| {
                        let title = self
                            .graph
                            .as_ref()
                            .and_then(|g| g.sources().get(id))
                            .map(|s| s.title.clone());
                        item(id, title, lt::CompletionItemKind::REFERENCE)
                    })
                    .collect(),
                "kind" => schema
                    .map(|s| {
                        s.kinds
                            .keys()
                            .map(|k| item(k, None, lt::CompletionItemKind::CLASS))
                            .collect()
                    })
                    .unwrap_or_default(),
                "relation" => schema
                    .map(|s| {
                        s.relations
                            .values()
                            .map(|r| {
                                item(
                                    &r.name,
                                    Some(r.description.clone()),
                                    lt::CompletionItemKind::INTERFACE,
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                "role" => {
                    let roles: BTreeSet<&String> = schema
                        .map(|s| s.relations.values().flat_map(|r| &r.roles).collect())
                        .unwrap_or_default();
                    roles
                        .into_iter()
                        .map(|r| item(r, None, lt::CompletionItemKind::ENUM_MEMBER))
                        .collect()
                }
                "conflicts_with" => self
                    .index
                    .decls
                    .iter()
                    .filter(|(_, d)| d.section == "claims")
                    .map(|(id, _)| item(id, None, lt::CompletionItemKind::REFERENCE))
                    .collect(),
                f if !f.is_empty()
                    && f != "id"
                    && ![
                        "name",
                        "description",
                        "note",
                        "quote",
                        "title",
                        "aliases",
                        "text",
                        "file",
                        "language",
                        "refers_as",
                    ]
                    .contains(&f) =>
                {
                    self.index
                        .decls
                        .iter()
                        .filter(|(_, d)| d.section == "entities")
                        .map(|(id, _)| {
                            let name = self.graph.as_ref().and_then(|g| {
                                g.by_id(id).map(|ix| g.node(ix).display_name().to_string())
                            });
                            item(id, name, lt::CompletionItemKind::VALUE)
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
        }
        // Outside strings: hedges after `hedge:`, field names elsewhere.
        let before = text[..offset].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
        if before.trim_end().ends_with("hedge:") {
            return HEDGES
                .iter()
                .map(|(h, doc)| {
                    item(
                        h,
                        Some(doc.to_string()),
                        lt::CompletionItemKind::ENUM_MEMBER,
                    )
                })
                .collect();
        }
        let fields: &[&str] = match index::enclosing_field(&text[..offset]).as_deref() {
            Some("sources") => SOURCE_FIELDS,
            Some("entities") => ENTITY_FIELDS,
            Some("claims") => CLAIM_FIELDS,
            Some("cite") => CITATION_FIELDS,
            Some("participants") => &["entity", "role"],
            Some("quantity") => &["value", "low", "high", "approx", "unit", "text"],
            Some("when") => &["from", "to"],
            Some(_) => &[],
            None => &["sources", "entities", "claims"],
        };
        let mut fields: Vec<&str> = fields.to_vec();
        fields.sort();
        fields.dedup();
        fields
            .into_iter()
            .map(|f| item(f, None, lt::CompletionItemKind::FIELD))
            .collect()
    }

    fn query_completion(&self, text: &str, offset: usize) -> Vec<lt::CompletionItem> {
        let graph = self.graph.clone().unwrap_or_default();
        let vocab = crate::repl::complete::Vocabulary::of(&graph);
        // The REPL completes a line: give it the statement's line.
        let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = text[offset..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| offset + i);
        let crate::repl::complete::Completion::Words { candidates, .. } =
            crate::repl::complete::complete(&vocab, &text[start..end], offset - start)
        else {
            return Vec::new();
        };
        candidates
            .into_iter()
            .map(|p| lt::CompletionItem {
                label: p.display,
                insert_text: Some(p.replacement),
                ..lt::CompletionItem::default()
            })
            .collect()
    }
}

const HEDGES: &[(&str, &str)] = &[
    ("Asserted", "stated as fact in the source's own voice"),
    ("Reported", "attributed to someone else"),
    ("Estimated", "a figure the source or its claimant estimates"),
    ("Alleged", "conditional or alleged"),
    ("Expected", "announced or expected, not yet happened"),
    ("Speculated", "the outlet's own conjecture"),
];
const SOURCE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "title",
    "publisher",
    "published",
    "language",
    "file",
    "note",
];
const ENTITY_FIELDS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "description",
    "when",
    "at",
    "participants",
    "cite",
    "props",
    "note",
];
const CLAIM_FIELDS: &[&str] = &[
    "id",
    "subject",
    "relation",
    "object",
    "when",
    "quantity",
    "cite",
    "rank",
    "conflicts_with",
    "props",
    "note",
];
const CITATION_FIELDS: &[&str] = &[
    "source",
    "quote",
    "claimant",
    "hedge",
    "states",
    "refers_as",
    "note",
];

/// The replacement a help suggests (`did you mean `x`?`).
fn suggestion(help: &str) -> Option<String> {
    let rest = help.split("did you mean `").nth(1)?;
    let s = rest.split('`').next()?;
    (!s.is_empty()).then(|| s.to_string())
}

/// The signature and doc of the function whose name is under the cursor.
fn function_hover(text: &str, offset: usize) -> Option<String> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_name(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let name = &text[start..end];
    if name.is_empty() {
        return None;
    }
    let f = crate::query::functions::lookup(name)?;
    let args = if f.min_args == f.max_args {
        format!("{} argument(s)", f.min_args)
    } else if f.max_args == usize::MAX {
        format!("{} or more arguments", f.min_args)
    } else {
        format!("{} to {} arguments", f.min_args, f.max_args)
    };
    Some(format!("```\n{}(…)\n```\n{}\n\n{args}", f.name, f.doc))
}

fn ok(id: RequestId, result: Json) -> Response {
    Response::new_ok(id, result)
}

fn pos_in(p: lt::Position) -> Utf16Pos {
    Utf16Pos {
        line: p.line,
        character: p.character,
    }
}

fn pos_out(p: Utf16Pos) -> lt::Position {
    lt::Position {
        line: p.line,
        character: p.character,
    }
}

/// A `file://` URI for an absolute path, percent-encoded.
pub fn path_to_uri(path: &Path) -> lt::Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s.parse()
        .unwrap_or_else(|_| "file:///".parse().expect("a valid URI"))
}

/// The path of a `file://` URI.
pub fn uri_to_path(uri: &lt::Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    let s = s.strip_prefix("localhost").unwrap_or(s);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16))
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip() {
        let p = PathBuf::from("/tmp/a b/ñ%.ron");
        let u = path_to_uri(&p);
        assert_eq!(u.as_str(), "file:///tmp/a%20b/%C3%B1%25.ron");
        assert_eq!(uri_to_path(&u), Some(p));
    }

    #[test]
    fn suggestions_come_from_the_help() {
        assert_eq!(
            suggestion("did you mean `putin`?").as_deref(),
            Some("putin")
        );
        assert_eq!(suggestion("remove it"), None);
    }
}

#[cfg(test)]
mod settings_tests {
    use super::*;
    use crate::query::limits::Setting;
    use std::time::Duration;

    fn settings(options: Json, defaults: Settings) -> Settings {
        let init = lt::InitializeParams {
            initialization_options: Some(options),
            ..Default::default()
        };
        settings_of(&init, defaults)
    }

    #[test]
    fn limits_come_from_the_command_line_then_the_initialization_options() {
        let defaults = Settings {
            limits: vec![Setting::MaxWork(Some(5)), Setting::MaxRows(Some(7))],
            ..Settings::default()
        };
        let s = settings(
            json!({"max-work": "1000", "maxMemory": "512M", "timeout": 30, "max-rows": "none"}),
            defaults,
        );
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let o = s.query_options();
        assert_eq!(o.max_work, Some(1000));
        assert_eq!(o.max_memory, 512 << 20);
        assert_eq!(o.timeout, Some(Duration::from_secs(30)));
        assert_eq!(o.max_rows, crate::query::Options::default().max_rows);
        // Without options, the command line's.
        let o = settings(
            json!({}),
            Settings {
                limits: vec![Setting::MaxWork(Some(5))],
                ..Settings::default()
            },
        )
        .query_options();
        assert_eq!(o.max_work, Some(5));
    }

    #[test]
    fn a_bad_limit_is_a_problem_and_keeps_the_default() {
        let s = settings(
            json!({"max-work": 0, "timeout": "soon"}),
            Settings::default(),
        );
        assert_eq!(s.problems.len(), 2, "{:?}", s.problems);
        assert!(s.problems[0].contains("`max-work`"), "{:?}", s.problems);
        assert!(s.problems[1].contains("`timeout`"), "{:?}", s.problems);
        let o = s.query_options();
        let d = crate::query::Options::default();
        assert_eq!((o.max_work, o.timeout), (d.max_work, d.timeout));
    }
}
