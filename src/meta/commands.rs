//! What each meta command does, run from its line (`Shell::meta`).

use std::io::Write;
use std::path::Path;

use super::table;
use super::{Flow, Shell, expand_tilde, on_off, schema};
use crate::export;
use crate::render::Format;
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
        let (sub, what) = match from_answer {
            Some(sub) => (sub, "the last answer"),
            None => (export::Subgraph::whole(&graph), "the whole graph"),
        };
        let dialect = export::Dialect::default();
        match file {
            Some(file) => {
                let path = expand_tilde(file);
                match export::export_to_file(&graph, &sub, format, dialect, &path) {
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
            None => match export::render(&graph, &sub, format, dialect) {
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
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return self.error(&format!("cannot read `{name}`: {e}")),
        };
        match self.run_script(&name, &text, false) {
            Ok(true) => {}
            Ok(false) => self.failed.set(true),
            Err(e) => self.error(&format!("cannot write the output: {e}")),
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
        let last = self.session.last.take();
        let results = self.session.run(&format!("RETURN {expr} AS value"), false);
        self.session.last = last;
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

#[cfg(test)]
mod tests {
    use super::*;

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
