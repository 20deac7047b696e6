//! What each meta command does, run from its line (`Shell::meta`).

use std::io::Write;
use std::path::Path;

use super::table;
use super::{Flow, Shell, expand_tilde, on_off, schema};
use crate::export;
use crate::render::{self, Format, Record, TableStyle};
use crate::session::GraphSource;
use crate::stats::Stats;

/// The limits `:limits` knows, by their option names.
const LIMITS: [&str; 4] = crate::query::limits::NAMES;

impl Shell {
    /// Runs a meta command line (`:export dot a.dot`).
    pub fn meta(&mut self, line: &str) -> Flow {
        let (name, args) = table::split(line);
        let Some(command) = table::find(name) else {
            let hint = match table::suggest(name) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => "; `:help` lists the commands".into(),
            };
            self.error(&format!("unknown command `:{name}`{hint}"));
            return Flow::Continue;
        };
        if self.safe && (command.writes_files || command.runs_programs) {
            self.error(&format!(
                "`:{}` is refused in safe mode: it {}\nhelp: start eje without `--safe` to allow it",
                command.name,
                match (command.writes_files, command.runs_programs) {
                    (true, true) => "writes files and runs programs",
                    (true, false) => "writes files",
                    _ => "runs programs",
                }
            ));
            return Flow::Continue;
        }
        let words = table::words(args);
        let takes_args = !command.usage.is_empty();
        if !takes_args && !args.is_empty() {
            self.error(&format!(
                "`:{}` takes no argument; usage: {}",
                command.name,
                table::usage(command)
            ));
            return Flow::Continue;
        }
        match command.name {
            "help" => match args {
                "" => self.print(&self.wrap(&table::help_overview())),
                topic => match table::help_topic(topic) {
                    Ok(text) => self.print(&self.wrap(&text)),
                    Err(e) => self.error(&e),
                },
            },
            "schema" => {
                let text = schema::show(self.session.graph(), self.out_color, self.width());
                self.print(&text);
            }
            "stats" => self.print(&Stats::of(self.session.graph()).table()),
            "format" => match words.as_slice() {
                [] => self.say(&format!("format: {}", self.format.name())),
                [f] => match Format::parse(f) {
                    Some(f) => {
                        self.format = f;
                        self.say(&format!("format: {}", f.name()));
                    }
                    None => self.error(&format!(
                        "unknown format `{f}`: use table, json, csv or markdown"
                    )),
                },
                _ => self.usage(command),
            },
            "timing" => match words.as_slice() {
                [] => self.say(&format!("timing: {}", on_off(self.timing))),
                [w] if w.eq_ignore_ascii_case("on") || w.eq_ignore_ascii_case("off") => {
                    self.timing = w.eq_ignore_ascii_case("on");
                    self.say(&format!("timing: {}", on_off(self.timing)));
                }
                _ => self.usage(command),
            },
            "maxrows" => match words.as_slice() {
                [] => self.show_max_rows(),
                [w] if w.eq_ignore_ascii_case("all") || w == "0" => {
                    self.max_rows = None;
                    self.show_max_rows();
                }
                [w] => match w.parse::<usize>() {
                    Ok(n) => {
                        self.max_rows = Some(n);
                        self.show_max_rows();
                    }
                    Err(_) => self.usage(command),
                },
                _ => self.usage(command),
            },
            "limits" => match words.as_slice() {
                [] => self.show_limits(),
                [name] => self.show_limit(name),
                [name, value] => self.set_limit(name, value),
                _ => self.usage(command),
            },
            "export" => self.export(&words),
            "source" => match words.as_slice() {
                [file] => self.source(file),
                _ => self.usage(command),
            },
            "records" => match words.as_slice() {
                [] => self.say(&format!("records: {}", self.record.name())),
                [w] => match Record::parse(w) {
                    Some(r) => {
                        self.record = r;
                        self.say(&format!("records: {}", r.name()));
                    }
                    None => self.usage(command),
                },
                _ => self.usage(command),
            },
            "last" => match words.as_slice() {
                [] => self.last(None),
                [n] => match n.parse::<usize>() {
                    Ok(n) => self.last(Some(n)),
                    Err(_) => self.error(&format!(
                        "expected a row number after `:last`, found `{n}`\nhelp: `:last 2` shows the second row"
                    )),
                },
                _ => self.usage(command),
            },
            "reload" => self.reload(),
            "watch" => match words.as_slice() {
                [] => self.say(&format!("watch: {}", on_off(self.watch))),
                [w] if w.eq_ignore_ascii_case("on") || w.eq_ignore_ascii_case("off") => {
                    self.watch = w.eq_ignore_ascii_case("on");
                    self.say(&format!("watch: {}", on_off(self.watch)));
                }
                _ => self.usage(command),
            },
            "coverage" => match words.as_slice() {
                [] => self.coverage(None),
                [id] => self.coverage(Some(id)),
                _ => self.usage(command),
            },
            "param" => self.param(args),
            "params" => {
                let params = &self.session.options.params;
                if params.is_empty() {
                    self.say("no parameters; set one with `:param NAME VALUE`");
                }
                for (k, v) in params {
                    self.say(&format!("${k} = {v}"));
                }
            }
            "search" => {
                let text = args.trim().trim_matches(|c| c == '"' || c == '\'');
                if text.is_empty() {
                    return {
                        self.usage(command);
                        Flow::Continue
                    };
                }
                let rs = super::search::search(self.session.graph(), text);
                if rs.rows.is_empty() {
                    self.error(&format!(
                        "nothing contains `{text}` (names, aliases, descriptions and quotes)\n\
                         help: try a shorter part of the word, or `:search` a name's other spelling"
                    ));
                } else {
                    let style = TableStyle {
                        color: self.out_color,
                        width: self.width(),
                        max_rows: self.max_rows,
                        terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
                        record: self.record,
                    };
                    let mut text =
                        render::render(self.session.graph(), &rs, Format::Table, style);
                    text.push_str(&format!("{} found\n\n", rs.rows.len()));
                    self.print(&text);
                    self.session.last = Some(rs);
                }
            }
            "once" => match words.as_slice() {
                [file] => self.redirect_to(file, true),
                _ => self.usage(command),
            },
            "output" => match words.as_slice() {
                [] => match self.redirect.borrow().as_ref() {
                    Some(r) => self.say(&format!("output: `{}`", r.path.display())),
                    None => self.say("output: the screen"),
                },
                [off] if off.eq_ignore_ascii_case("off") || off.eq_ignore_ascii_case("stdout") => {
                    *self.redirect.borrow_mut() = None;
                    self.say("output: the screen");
                }
                [file] => self.redirect_to(file, false),
                _ => self.usage(command),
            },
            "echo" => match words.as_slice() {
                [] => self.say(&format!("echo: {}", on_off(self.echo))),
                [w] if w.eq_ignore_ascii_case("on") || w.eq_ignore_ascii_case("off") => {
                    self.echo = w.eq_ignore_ascii_case("on");
                    self.say(&format!("echo: {}", on_off(self.echo)));
                }
                _ => self.usage(command),
            },
            "pager" => match words.as_slice() {
                [] => self.say(&format!("pager: {}", self.pager.name())),
                [w] => match super::Pager::parse(w) {
                    Some(p) => {
                        self.pager = p;
                        self.say(&format!("pager: {}", p.name()));
                    }
                    None => self.usage(command),
                },
                _ => self.usage(command),
            },
            "history" => match words.as_slice() {
                [] => self.list_history(),
                [save, file] if save.eq_ignore_ascii_case("save") => self.save_history(file),
                _ => self.usage(command),
            },
            "edit" => return self.edit_from(None),
            "show" => self.show(),
            "clear" => self.print("\x1b[2J\x1b[H"),
            "quit" => return Flow::Quit,
            other => self.error(&format!("`:{other}` is not implemented")),
        }
        Flow::Continue
    }

    /// `:last [N]`: the last answer, or its row N, as records, nothing cut.
    fn last(&self, row: Option<usize>) {
        let Some(rs) = &self.session.last else {
            return self.error("there is no answer yet\nhelp: run a statement, then `:last`");
        };
        if let Some(n) = rs.streamed {
            return self.error(&streamed_not_kept(n, "`:last`"));
        }
        let style = TableStyle {
            color: self.out_color,
            width: self.width(),
            max_rows: None,
            terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
            record: Record::Always,
        };
        let graph = self.session.graph();
        match row {
            None => self.print(&render::render(graph, rs, Format::Table, style)),
            Some(n) if n >= 1 && n <= rs.rows.len() => {
                self.print(&render::row_record(graph, rs, n, style))
            }
            Some(n) => self.error(&format!(
                "the last answer has no row `{n}`: it has {} row{}\nhelp: rows are numbered from 1",
                rs.rows.len(),
                if rs.rows.len() == 1 { "" } else { "s" }
            )),
        }
    }

    /// `:once FILE` (`once`) or `:output FILE`: answers go to FILE, in the
    /// format its extension names, else the current one.
    fn redirect_to(&self, file: &str, once: bool) {
        let path = expand_tilde(file);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("json" | "jsonl" | "ndjson") => Format::Json,
            Some("csv") => Format::Csv,
            Some("md" | "markdown") => Format::Markdown,
            _ => self.format,
        };
        *self.redirect.borrow_mut() = Some(super::Redirect {
            path,
            format,
            once,
            text: String::new(),
        });
        let what = if once {
            "the next answer goes"
        } else {
            "answers go"
        };
        self.say(&format!("{what} to `{file}` ({})", format.name()));
    }

    /// `:history`: every entry, numbered, earlier sessions first.
    fn list_history(&self) {
        let all: Vec<&String> = self.history.iter().chain(&self.transcript).collect();
        if all.is_empty() {
            return self.say("the history is empty");
        }
        let width = all.len().to_string().len();
        let mut text = String::new();
        for (i, entry) in all.iter().enumerate() {
            let pad = " ".repeat(width + 2);
            let body = entry.replace('\n', &format!("\n{pad}"));
            text.push_str(&format!("{:>width$}  {body}\n", i + 1));
        }
        self.print(&text);
    }

    /// `:history save FILE`: this session's entries as a script, through
    /// the output sink.
    fn save_history(&self, file: &str) {
        let script = transcript_script(&self.transcript);
        let path = expand_tilde(file);
        match crate::sink::write(&path, script.as_bytes()) {
            Ok(crate::sink::Written::Stdout) => {}
            Ok(_) => self.say(&format!(
                "wrote {} entr{} to `{file}`; `eje run {file}` replays them",
                self.transcript.len(),
                if self.transcript.len() == 1 {
                    "y"
                } else {
                    "ies"
                }
            )),
            Err(e) => self.error(&e.to_string()),
        }
    }

    /// `:edit` (`initial` `None`: the last statement) or Ctrl-X Ctrl-E (the
    /// line being typed): the text in the user's editor, then what the file
    /// holds, run as a script.
    pub fn edit_from(&mut self, initial: Option<&str>) -> Flow {
        if self.safe {
            self.error(
                "`:edit` is refused in safe mode: it runs programs\nhelp: start eje without \
                 `--safe` to allow it",
            );
            return Flow::Continue;
        }
        // The last statement typed, in this session or an earlier one.
        let last = match initial {
            Some(text) if !text.trim().is_empty() => text.to_string(),
            _ => self
                .history
                .iter()
                .chain(&self.transcript)
                .rev()
                .find(|e| !e.starts_with(':'))
                .cloned()
                .unwrap_or_default(),
        };
        let text = match edit_in_editor(&last) {
            Ok(t) => t,
            Err(e) => {
                self.error(&e);
                return Flow::Continue;
            }
        };
        if text.trim().is_empty() {
            self.say("the file is empty: nothing to run");
            return Flow::Continue;
        }
        self.print(&format!("{}\n", text.trim_end()));
        for item in super::script::items(&text) {
            let span = match item {
                super::script::Item::Meta(s) | super::script::Item::Statement(s) => s,
            };
            self.transcript.push(text[span.range()].trim().to_string());
        }
        match self.run_script("<edit>", &text, false) {
            Ok(_) => Flow::Continue,
            Err(e) => {
                self.error(&format!("cannot write the output: {e}"));
                Flow::Continue
            }
        }
    }

    /// `:show`: every setting, one per line.
    fn show(&self) {
        let g = self.session.graph();
        let rows = self
            .max_rows
            .map_or_else(|| "all".to_string(), |n| n.to_string());
        let params = &self.session.options.params;
        let mut lines = vec![
            format!(
                "data:     {} ({} entities, {} relations)",
                self.session.source.describe(),
                g.node_count(),
                g.rel_count()
            ),
            format!("format:   {}", self.format.name()),
            format!("timing:   {}", on_off(self.timing)),
            format!("maxrows:  {rows}"),
            format!("records:  {}", self.record.name()),
            format!("pager:    {}", self.pager.name()),
            format!("echo:     {}", on_off(self.echo)),
            format!(
                "width:    {}",
                self.width()
                    .map_or_else(|| "none (not a terminal)".to_string(), |w| w.to_string())
            ),
            format!("colour:   {}", on_off(self.out_color)),
            match self.redirect.borrow().as_ref() {
                Some(r) => format!("output:   `{}`", r.path.display()),
                None => "output:   the screen".to_string(),
            },
        ];
        if params.is_empty() {
            lines.push("params:   none".into());
        } else {
            let names: Vec<String> = params.keys().map(|k| format!("${k}")).collect();
            lines.push(format!("params:   {}", names.join(", ")));
        }
        self.print(&self.wrap(&format!("{}\n", lines.join("\n"))));
    }

    /// Every limit and its value (`:limits`).
    fn show_limits(&self) {
        for name in LIMITS {
            self.show_limit(name);
        }
    }

    fn show_limit(&self, name: &str) {
        use crate::query::limits;
        let o = &self.session.options;
        let value = match name {
            "max-work" => match o.max_work {
                Some(n) => n.to_string(),
                None => format!(
                    "{} (the default for this graph)",
                    limits::default_work(self.session.graph())
                ),
            },
            "max-memory" => limits::format_size(o.max_memory),
            "timeout" => o
                .timeout
                .map_or_else(|| "off".to_string(), limits::format_duration),
            "max-rows" if o.max_rows == usize::MAX => "none".to_string(),
            "max-rows" => o.max_rows.to_string(),
            _ => return self.unknown_limit(name),
        };
        self.say(&format!("{name}: {value}"));
    }

    fn unknown_limit(&self, name: &str) {
        self.error(&format!(
            "unknown limit `{name}`\nhelp: use one of {}",
            LIMITS.map(|l| format!("`{l}`")).join(", ")
        ));
    }

    /// `:limits LIMIT VALUE`.
    fn set_limit(&mut self, name: &str, value: &str) {
        use crate::query::limits::{Setting, SettingError, parse_setting};
        let default = crate::query::Options::default();
        let o = &mut self.session.options;
        match parse_setting(name, value) {
            Ok(Setting::MaxWork(n)) => o.max_work = n,
            Ok(Setting::MaxMemory(n)) => o.max_memory = n.unwrap_or(default.max_memory),
            Ok(Setting::Timeout(d)) => o.timeout = d,
            Ok(Setting::MaxRows(n)) => o.max_rows = n.unwrap_or(default.max_rows),
            Err(SettingError::Unknown) => return self.unknown_limit(name),
            Err(SettingError::Bad(e)) => return self.error(&e),
        }
        self.show_limit(name);
    }

    fn show_max_rows(&self) {
        match self.max_rows {
            Some(n) => self.say(&format!("maxrows: {n}")),
            None => self.say("maxrows: all"),
        }
    }

    fn usage(&self, command: &table::Command) {
        self.error(&format!("usage: {}", table::usage(command)));
    }

    /// `:export FORMAT [FILE]`, or `:export FILE` with a telling extension.
    fn export(&mut self, words: &[String]) {
        let (format, file) = match words {
            [f] => match f.parse::<export::Format>() {
                Ok(format) => (format, None),
                Err(e) => match export::Format::from_path(Path::new(f)) {
                    Some(format) => (format, Some(f)),
                    None => return self.error(&e.to_string()),
                },
            },
            [f, file] => match f.parse::<export::Format>() {
                Ok(format) => (format, Some(file)),
                Err(e) => return self.error(&e.to_string()),
            },
            _ => return self.usage(table::find("export").expect("in the table")),
        };
        if let Some(n) = self.session.last.as_ref().and_then(|rs| rs.streamed) {
            return self.error(&streamed_not_kept(n, "`:export`"));
        }
        let graph = self.session.graph_arc();
        let from_answer = self
            .session
            .last
            .as_ref()
            .map(|rs| export::Subgraph::from_result(&graph, rs))
            .filter(|sub| !sub.is_empty());
        let (sub, what, scope) = match from_answer {
            Some(sub) => (sub, "the last answer", export::Scope::LastAnswer),
            None => (
                export::Subgraph::whole(&graph),
                "the whole graph",
                export::Scope::Whole,
            ),
        };
        let dialect = export::Dialect::default();
        match file {
            Some(file) => {
                let path = expand_tilde(file);
                match export::export_to_file(&graph, &sub, format, dialect, &scope, &path) {
                    Ok(export::Written::Stdout) => {}
                    Ok(_) => self.say(&format!(
                        "wrote {} ({format}): {what}, {} nodes and {} relations",
                        path.display(),
                        sub.node_count(),
                        sub.rel_count()
                    )),
                    Err(e) => self.error(&e.to_string()),
                }
            }
            None => match export::render_scoped(&graph, &sub, format, dialect, &scope) {
                Ok(bytes) => {
                    self.print(&String::from_utf8_lossy(&bytes));
                    if !bytes.ends_with(b"\n") {
                        self.say("");
                    }
                }
                Err(e) => self.error(&e.to_string()),
            },
        }
    }

    /// `:source FILE`: the meta commands and statements of a script, as
    /// `eje run` runs them, stopping at the first error.
    fn source(&mut self, file: &str) {
        let path = expand_tilde(file);
        let name = path.display().to_string();
        // A regular file within the size cap: never a FIFO or a device.
        let text = match crate::load::read::read_text(&path) {
            Ok(t) => t,
            Err(e) => return self.error(&format!("cannot read `{name}`: {e}")),
        };
        match self.run_script(&name, &text, false) {
            Ok(true) => {}
            Ok(false) => self.failed.set(true),
            Err(e) => self.error(&format!("cannot write the output: {e}")),
        }
    }

    /// Runs an init script (`--init FILE`, or the one in the user's config
    /// directory); its problems are shown and the shell goes on. Returns
    /// whether it ran without a failure.
    pub fn run_init(&mut self, path: &Path) -> bool {
        let name = path.display().to_string();
        let text = match crate::load::read::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                self.error(&format!(
                    "cannot read the init script `{name}`: {e}\nhelp: give a file to `--init`, \
                     or `--init off`"
                ));
                return false;
            }
        };
        match self.run_script(&name, &text, false) {
            Ok(ok) => ok,
            Err(e) => {
                self.error(&format!("cannot write the output: {e}"));
                false
            }
        }
    }

    /// `:reload`: a new graph, or the errors and the old graph.
    fn reload(&mut self) {
        match self.session.reload() {
            Ok(()) => {
                let g = self.session.graph();
                self.say(&format!(
                    "reloaded {}: {} entities, {} relations, {} sources",
                    self.session.source.describe(),
                    g.node_count(),
                    g.rel_count(),
                    g.sources().len()
                ));
                self.vocab_stale = true;
            }
            Err(failure) => {
                let _ = std::io::stdout().flush();
                crate::sink::to_stderr(format_args!("{}", failure.render(self.err_color)));
                self.error(&format!(
                    "{} could not be loaded: {} error(s); still using the graph loaded before",
                    self.session.source.describe(),
                    failure.error_count()
                ));
            }
        }
    }

    /// `:coverage [ARTICLE]`: the report of `eje coverage` on the data the
    /// session was opened on, read again from its files.
    fn coverage(&mut self, article: Option<&str>) {
        let Some(corpus) = self.corpus.clone() else {
            return self.error(crate::coverage::NO_CORPUS);
        };
        let GraphSource::Data(location) = &self.session.source else {
            return self.error(
                "coverage reads the citations of curated data, and this graph comes from a script",
            );
        };
        let cites = match crate::coverage::citations_of(location) {
            Ok(c) => c,
            Err(e) => return self.error(&e),
        };
        let graph = self.session.graph_arc();
        match crate::coverage::report(graph.sources(), &cites, &corpus, article) {
            Ok(r) if article.is_some() => {
                self.print(&r.render_detail(crate::coverage::Format::Table))
            }
            Ok(r) => self.print(&r.render(crate::coverage::Format::Table)),
            Err(e) => self.error(&e.to_string()),
        }
    }

    /// `:param NAME VALUE`, `:param NAME=VALUE` or cypher-shell's
    /// `:param NAME => EXPRESSION` and `:param {NAME: EXPRESSION, ...}` set;
    /// `:param NAME` removes.
    fn param(&mut self, args: &str) {
        let set = match parse_param(args) {
            Ok(ParamArgs::Remove(name)) => {
                if self.session.options.params.remove(name).is_some() {
                    self.say(&format!("${name} removed"));
                    self.vocab_stale = true;
                } else {
                    self.error(&format!("no parameter `${name}`; `:params` lists them"));
                }
                return;
            }
            Ok(ParamArgs::Literal(name, text)) => {
                crate::query::params::param_value(text).map(|v| vec![(name.to_string(), v)])
            }
            Ok(ParamArgs::Expression(name, expr)) => {
                self.evaluate(expr).map(|v| vec![(name.to_string(), v)])
            }
            Ok(ParamArgs::Map(map)) => match self.evaluate(map) {
                Ok(crate::model::Value::Map(m)) => Ok(m.into_iter().collect()),
                Ok(other) => Err(format!("`{map}` is not a map but {other}")),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match set {
            Ok(values) => {
                for (name, v) in values {
                    self.say(&format!("${name} = {v}"));
                    self.session.options.params.insert(name, v);
                }
                self.vocab_stale = true;
            }
            Err(e) => self.error(&format!("`:param {}`: {e}", args.trim())),
        }
    }

    /// The value of a Cypher expression, evaluated as `RETURN` would (with
    /// the parameters set so far); the last answer stays as it was.
    fn evaluate(&mut self, expr: &str) -> Result<crate::model::Value, String> {
        // Not kept as the last answer.
        let results = self.session.run(&format!("RETURN {expr} AS value"), false);
        match results.as_slice() {
            [one] => match &one.result {
                Ok(rs) => rs
                    .rows
                    .first()
                    .and_then(|r| r.first())
                    .cloned()
                    .ok_or_else(|| "the expression has no value".to_string()),
                Err(e) => Err(e.message.clone()),
            },
            _ => Err("give one expression (no `;`)".into()),
        }
    }
}

/// A session's entries as a script: each statement ends with `;`, each
/// meta command is a line of its own, so `eje run` reads it back entry by
/// entry.
pub(super) fn transcript_script(entries: &[String]) -> String {
    let mut out = String::new();
    for e in entries {
        let e = e.trim();
        out.push_str(e);
        let is_meta =
            e.starts_with(':') || table::bare_meta(e).is_some() || table::foreign_meta(e).is_some();
        if !is_meta && !e.ends_with(';') {
            out.push(';');
        }
        out.push('\n');
    }
    out
}

/// The editor's command: `$VISUAL`, else `$EDITOR`, else `vi`, split at
/// blanks (`code -w`).
fn editor_command() -> Vec<String> {
    for var in ["VISUAL", "EDITOR"] {
        let words: Vec<String> = std::env::var(var)
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect();
        if !words.is_empty() {
            return words;
        }
    }
    vec!["vi".into()]
}

/// Writes `text` to a temporary `.kgq` file, opens the editor on it, and
/// returns what the file holds when the editor exits successfully.
fn edit_in_editor(text: &str) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix("eje-edit-")
        .suffix(".kgq")
        .tempfile()
        .map_err(|e| format!("cannot make a temporary file to edit: {e}"))?;
    let mut body = text.trim_end().to_string();
    if !body.is_empty() {
        body.push('\n');
    }
    std::fs::write(file.path(), &body)
        .map_err(|e| format!("cannot write `{}`: {e}", file.path().display()))?;
    let words = editor_command();
    let status = std::process::Command::new(&words[0])
        .args(&words[1..])
        .arg(file.path())
        .status()
        .map_err(|e| {
            format!(
                "cannot run the editor `{}`: {e}\nhelp: set $VISUAL or $EDITOR",
                words.join(" ")
            )
        })?;
    if !status.success() {
        return Err(format!(
            "the editor `{}` failed ({status}); nothing was run",
            words.join(" ")
        ));
    }
    crate::load::read::read_text(file.path())
        .map_err(|e| format!("cannot read `{}`: {e}", file.path().display()))
}

/// What `:param` was asked to do.
#[derive(Debug, PartialEq, Eq)]
enum ParamArgs<'a> {
    /// `:param NAME`.
    Remove(&'a str),
    /// `:param NAME VALUE` or `NAME=VALUE`: a literal, else text.
    Literal(&'a str, &'a str),
    /// `:param NAME => EXPRESSION` (cypher-shell).
    Expression(&'a str, &'a str),
    /// `:param {NAME: EXPRESSION, ...}` (cypher-shell).
    Map(&'a str),
}

const PARAM_HELP: &str = "help: `:param NAME VALUE`, `:param NAME => EXPRESSION` or \
                          `:param {NAME: EXPRESSION, ...}`; `:param NAME` removes it";

/// Reads `:param`'s arguments; nonsense (`:param = 5`, `:param {z: 5`) is an
/// error with help.
fn parse_param(args: &str) -> Result<ParamArgs<'_>, String> {
    let t = args.trim();
    if t.starts_with('{') {
        return if t.ends_with('}') {
            Ok(ParamArgs::Map(t))
        } else {
            Err(format!("the map is not closed with `}}`\n{PARAM_HELP}"))
        };
    }
    let t = t.strip_prefix('$').unwrap_or(t);
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let (name, rest) = t.split_at(end);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "a parameter name is a word (`who`, `year_2024`)\n{PARAM_HELP}"
        ));
    }
    let rest = rest.trim_start();
    if let Some(expr) = rest.strip_prefix("=>") {
        let expr = expr.trim();
        if expr.is_empty() {
            return Err(format!("`=>` needs an expression after it\n{PARAM_HELP}"));
        }
        return Ok(ParamArgs::Expression(name, expr));
    }
    let value = rest.strip_prefix('=').unwrap_or(rest).trim();
    if value.is_empty() {
        if rest.is_empty() {
            return Ok(ParamArgs::Remove(name));
        }
        return Err(format!("`=` needs a value after it\n{PARAM_HELP}"));
    }
    if !rest.starts_with('=')
        && !args.trim_start().trim_start_matches('$')[name.len()..].starts_with(char::is_whitespace)
    {
        return Err(format!(
            "`{name}{rest}` is not a parameter name\n{PARAM_HELP}"
        ));
    }
    Ok(ParamArgs::Literal(name, value))
}

/// The error of a command that needs the last answer's rows when they were
/// streamed (a script or pipe in CSV or JSON).
fn streamed_not_kept(rows: usize, command: &str) -> String {
    let unit = if rows == 1 {
        "row was written as it was"
    } else {
        "rows were written as they were"
    };
    format!(
        "the last answer was streamed, not kept: its {rows} {unit} made\n\
         help: run the statement again after `:format table` (or after `:once FILE`, which \
         writes it to FILE), then {command}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transcript_is_a_script_of_its_entries() {
        let entries = [
            ":param who 'putin'".to_string(),
            "DESCRIBE $who".to_string(),
            "MATCH (n)\nRETURN n;".to_string(),
            ".help".to_string(),
        ];
        assert_eq!(
            transcript_script(&entries),
            ":param who 'putin'\nDESCRIBE $who;\nMATCH (n)\nRETURN n;\n.help\n"
        );
        let items = crate::meta::script::items(&transcript_script(&entries));
        assert_eq!(items.len(), 4);
    }

    #[test]
    fn param_reads_every_form_and_refuses_nonsense() {
        use ParamArgs::*;
        assert_eq!(parse_param("who 'Kim'"), Ok(Literal("who", "'Kim'")));
        assert_eq!(
            parse_param("$who Kim Jong Un"),
            Ok(Literal("who", "Kim Jong Un"))
        );
        assert_eq!(parse_param("x=5"), Ok(Literal("x", "5")));
        assert_eq!(parse_param("x = 5"), Ok(Literal("x", "5")));
        assert_eq!(parse_param("y => 5"), Ok(Expression("y", "5")));
        assert_eq!(parse_param("y=>1 + 2"), Ok(Expression("y", "1 + 2")));
        assert_eq!(parse_param(" {z: 5} "), Ok(Map("{z: 5}")));
        assert_eq!(parse_param("who"), Ok(Remove("who")));
        for bad in [
            "{z: 5", "= 5", "=> 5", "x =>", "x =", "9x 1", "x-y 1", "x.y 1",
        ] {
            let e = parse_param(bad).unwrap_err();
            assert!(e.contains("help:"), "{bad}: {e}");
        }
    }
}
