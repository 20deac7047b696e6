//! What each meta command does, run from its line (`Shell::meta`).

use std::io::Write;
use std::path::Path;

use super::table;
use super::{Flow, Shell, expand_tilde, on_off, schema};
use crate::diag::SourceMap;
use crate::export;
use crate::render::Format;
use crate::session::GraphSource;
use crate::stats::Stats;

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
                "" => self.print(&table::help_overview()),
                topic => match table::help_topic(topic) {
                    Ok(text) => self.print(&text),
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
            "export" => self.export(&words),
            "source" => match words.as_slice() {
                [file] => self.source(file),
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
            "quit" => return Flow::Quit,
            other => self.error(&format!("`:{other}` is not implemented")),
        }
        Flow::Continue
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

    /// `:source FILE`: the statements of a script, stopping at the first
    /// error as `eje run` does.
    fn source(&mut self, file: &str) {
        let path = expand_tilde(file);
        let name = path.display().to_string();
        // A regular file within the size cap: never a FIFO or a device.
        let text = match crate::load::read::read_text(&path) {
            Ok(t) => t,
            Err(e) => return self.error(&format!("cannot read `{name}`: {e}")),
        };
        let results = self.session.run(&text, false);
        let sources = SourceMap::from([(name.clone(), text)]);
        self.print_results(&results, &name, &sources);
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
                    g.sources.len()
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
        match crate::coverage::report(&graph.sources, &cites, &corpus, article) {
            Ok(r) if article.is_some() => {
                self.print(&r.render_detail(crate::coverage::Format::Table))
            }
            Ok(r) => self.print(&r.render(crate::coverage::Format::Table)),
            Err(e) => self.error(&e.to_string()),
        }
    }

    /// `:param NAME VALUE` (or `NAME=VALUE`) sets, `:param NAME` removes.
    fn param(&mut self, args: &str) {
        let (name, value) = match args.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some((n, v)) => (n.trim(), v.trim()),
            None => (args.trim(), ""),
        };
        let name = name.trim_start_matches('$');
        if name.is_empty() {
            return self.usage(table::find("param").expect("in the table"));
        }
        let params = &mut self.session.options.params;
        if value.is_empty() {
            if params.remove(name).is_some() {
                self.say(&format!("${name} removed"));
                self.vocab_stale = true;
            } else {
                self.error(&format!("no parameter `${name}`; `:params` lists them"));
            }
            return;
        }
        match crate::query::params::param_value(value) {
            Ok(v) => {
                let shown = format!("${name} = {v}");
                self.session.options.params.insert(name.to_string(), v);
                self.say(&shown);
                self.vocab_stale = true;
            }
            Err(e) => self.error(&format!("`:param {name}`: {e}")),
        }
    }
}
