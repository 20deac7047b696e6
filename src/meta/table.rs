//! Meta commands (`:help`, `:schema`, `:export`...): one table, from which
//! `:help`, completion and "did you mean" are all generated. Running them
//! is `Shell::meta` in `commands.rs`; this file only knows their names,
//! their arguments, their help and what they may do outside eje.

use crate::model::names;

/// What a command's arguments are, for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// A command name or a help topic.
    Topic,
    /// An answer format (`table`, `json`...).
    Format,
    /// An export format, then a file.
    Export,
    /// A file.
    File,
    OnOff,
    /// `on`, `off` or `auto`.
    OnOffAuto,
    /// A number, or `all`.
    Rows,
    /// A parameter name, then a value.
    Param,
}

#[derive(Debug)]
pub struct Command {
    pub name: &'static str,
    /// Other names that run it (`:q`, `:exit`).
    pub aliases: &'static [&'static str],
    /// The arguments, as shown in help (`FORMAT [FILE]`).
    pub usage: &'static str,
    /// One line of help.
    pub summary: &'static str,
    /// What `:help NAME` adds to the summary.
    pub details: &'static str,
    pub arg: Arg,
    /// Whether it may write files the user names (`:export FILE`).
    pub writes_files: bool,
    /// Whether it may run another program (`:export svg` runs Graphviz).
    pub runs_programs: bool,
}

pub const COMMANDS: &[Command] = &[
    Command {
        name: "help",
        aliases: &["h", "?"],
        usage: "[TOPIC]",
        summary: "this help, or help on a command or a topic",
        details: "Topics: every command (`:help export`), `queries`, `analyst` and `keys`.",
        arg: Arg::Topic,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "schema",
        aliases: &[],
        usage: "",
        summary: "the entity kinds and relation types of the data",
        details: "Kinds are shown as a tree: a kind is also a label of every entity of its \
                  descendants (`Summit` is a `Meeting` is an `Event`). Each relation type \
                  lists the kinds allowed at each end and when it holds.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "stats",
        aliases: &[],
        usage: "",
        summary: "what the graph holds, counted",
        details: "Entities by kind, relations by type, claims by hedge, sources and citations.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "format",
        aliases: &[],
        usage: "[table|json|csv|markdown]",
        summary: "how answers are printed; without an argument, the current one",
        details: "`json` prints one JSON object per answer (JSON Lines), as `eje query \
                  --format json` does.",
        arg: Arg::Format,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "export",
        aliases: &[],
        usage: "FORMAT [FILE]",
        summary: "the last answer's nodes and relations (or the whole graph) as FORMAT",
        details: "FORMAT is dot, svg, json, graphml, cypher or html (the evidence map). Without FILE the export is printed. With FILE it is written atomically (a \
                  failed export leaves no half-written file; a pipe or device is written as \
                  it is, `-` is the screen); FORMAT may be left out when \
                  FILE's extension names it (`:export alliance.dot`). When there is no last \
                  answer, or it holds no node or relation, the whole graph is exported.",
        arg: Arg::Export,
        writes_files: true,
        runs_programs: true,
    },
    Command {
        name: "source",
        aliases: &["run"],
        usage: "FILE",
        summary: "run the statements of a script file",
        details: "Statements end with `;`; the script stops at the first error, as \
                  `eje run` does.",
        arg: Arg::File,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "reload",
        aliases: &[],
        usage: "",
        summary: "re-read the data; on errors show them and keep the current graph",
        details: "Use it after editing the RON files in another window.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "watch",
        aliases: &[],
        usage: "[on|off]",
        summary: "reload the data by itself whenever a data file is saved",
        details: "A reload that fails shows its errors and keeps the current graph, as \
                  `:reload` does; a statement running when a file changes finishes on the \
                  graph it started with. `eje --watch` starts with it on.",
        arg: Arg::OnOff,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "coverage",
        aliases: &[],
        usage: "[ARTICLE]",
        summary: "which sentences of the cited articles no citation quotes yet",
        details: "Without an argument, per article, the sentences cited and the uncited ones \
                  with their line numbers; with a source id, every sentence of its article \
                  with what cites it. Needs the articles' folder: `--corpus DIR` or \
                  $EJE_CORPUS.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "timing",
        aliases: &[],
        usage: "[on|off]",
        summary: "show or hide the time taken under each answer",
        details: "With timing off the line under an answer only counts its rows.",
        arg: Arg::OnOff,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "maxrows",
        aliases: &[],
        usage: "[N|all]",
        summary: "show at most N rows of an answer (100 to start with)",
        details: "A longer answer is cut, and a line says how many rows were left out.",
        arg: Arg::Rows,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "limits",
        aliases: &[],
        usage: "[LIMIT [VALUE|default]]",
        summary: "show or set the limits of a statement",
        details: "Limits: `max-work N` (steps), `max-memory SIZE` (`512M`, `4G`), \
                  `timeout DURATION` (`30s`, `2m`, or `off`), `max-rows N`, as the \
                  options of the same names; `default` puts one back.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "records",
        aliases: &["x"],
        usage: "[on|off|auto]",
        summary: "show answers one record per row (auto: when the columns do not fit)",
        details: "With `auto` (the default) an answer whose columns do not fit the \
                  terminal even at their narrowest is shown as records: a block per row, \
                  a line per column, as psql's `\\x auto`. `on` always, `off` never.",
        arg: Arg::OnOffAuto,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "last",
        aliases: &[],
        usage: "[N]",
        summary: "the last answer again, whole, as records; or only its row N",
        details: "Tables cut long cells with `…` to fit the terminal; `:last 3` shows the \
                  third row with nothing cut.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "param",
        aliases: &["set"],
        usage: "NAME [VALUE]",
        summary: "set the query parameter $NAME; without VALUE, remove it",
        details: "VALUE is a Cypher literal (`42`, `'Kim Jong Un'`, `[1, 2]`, `{a: 1}`); \
                  anything else is taken as text. Example: `:param who 'Kim Jong Un'`, \
                  then `MATCH (p) WHERE p.name = $who RETURN p`. cypher-shell's forms work \
                  too: `:param year => 2020 + 4` evaluates an expression, \
                  `:param {who: 'Kim Jong Un', year: 2024}` sets several.",
        arg: Arg::Param,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "params",
        aliases: &[],
        usage: "",
        summary: "list the query parameters",
        details: "Set them with `:param`, or with `--param NAME=VALUE` when eje starts.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "once",
        aliases: &[],
        usage: "FILE",
        summary: "write the next answer to FILE instead of the screen",
        details: "The format follows FILE's extension (`.json`: JSON Lines, `.csv`, `.md`: \
                  Markdown), else `:format`. The file is written atomically.",
        arg: Arg::File,
        writes_files: true,
        runs_programs: false,
    },
    Command {
        name: "output",
        aliases: &[],
        usage: "[FILE|off]",
        summary: "write every answer to FILE until `:output off`",
        details: "The format follows FILE's extension, as for `:once`. The file is \
                  rewritten whole after each answer, atomically, so it always holds every \
                  answer so far. Without an argument, says where answers go.",
        arg: Arg::File,
        writes_files: true,
        runs_programs: false,
    },
    Command {
        name: "search",
        aliases: &["find"],
        usage: "TEXT",
        summary: "entities and quotes that contain TEXT, ignoring case and accents",
        details: "Searches entity names, aliases and descriptions, and the quotes behind \
                  relations: `:search kursk` finds `Kursk` and `Kursk region`. `CONTAINS` in a \
                  query is exact. `:export` after it draws what it found.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "echo",
        aliases: &[],
        usage: "[on|off]",
        summary: "print each statement of a script before its answer",
        details: "For `:source` and scripts, as sqlite3's `.echo on` and `psql -e`; \
                  `eje run --echo` starts with it on.",
        arg: Arg::OnOff,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "history",
        aliases: &[],
        usage: "[save FILE]",
        summary: "the statements typed so far; `save FILE` writes this session's as a script",
        details: "Without an argument, the history, numbered (earlier sessions too). With \
                  `save FILE`, this session's statements and meta commands as a script \
                  (`;` after each statement) that `eje run FILE` or `:source FILE` replays \
                  with the same answers; the file is written atomically. The history file \
                  itself is set with `--history PATH|off`.",
        arg: Arg::File,
        writes_files: true,
        runs_programs: false,
    },
    Command {
        name: "edit",
        aliases: &["e"],
        usage: "",
        summary: "edit the last statement in $VISUAL or $EDITOR, then run it",
        details: "Ctrl-X Ctrl-E does the same with the line being typed. The statement is written to a temporary file and the editor opened on it; \
                  when the editor exits, what the file holds is run as a script (statements \
                  and meta commands). An emptied file runs nothing.",
        arg: Arg::None,
        writes_files: false,
        runs_programs: true,
    },
    Command {
        name: "pager",
        aliases: &[],
        usage: "[on|off|auto]",
        summary: "show answers through $PAGER (`less -FRX` if unset)",
        details: "`auto` (the default) pages answers taller than the terminal, `on` every \
                  answer, `off` none. Never in a pipe or a script.",
        arg: Arg::OnOffAuto,
        writes_files: false,
        runs_programs: true,
    },
    Command {
        name: "show",
        aliases: &[],
        usage: "",
        summary: "the current settings: data, format, timing, rows, records, parameters",
        details: "Each setting is changed by the command of its name (`:format csv`, \
                  `:records on`...).",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "clear",
        aliases: &["cls"],
        usage: "",
        summary: "clear the screen (Ctrl-L does too)",
        details: "",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
    Command {
        name: "quit",
        aliases: &["q", "exit"],
        usage: "",
        summary: "leave eje (Ctrl-D does too)",
        details: "",
        arg: Arg::None,
        writes_files: false,
        runs_programs: false,
    },
];

/// Help topics other than the commands: name, one line, text.
pub const TOPICS: &[(&str, &str, &str)] = &[
    (
        "queries",
        "the openCypher read subset",
        "MATCH (a:Person)-[r:met_with]-(b) WHERE within(r.date, '2024') RETURN a, b, r.date
MATCH p = shortestPath((x \"Kim Jong Un\")-[*]-(y \"Sergey Lavrov\")) RETURN p
MATCH (c:Country)<-[:located_in*]-(s:City) RETURN c.name, collect(s.name)

  MATCH / OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN [DISTINCT], ORDER BY,
  SKIP, LIMIT, UNION [ALL]; variable-length relations (*, *2, *1..3),
  shortestPath, allShortestPaths; count, collect, min, max, sum, avg...

A quoted name in a node pattern is an entity reference: (\"kim jong-un\"),
(\"Moscú\") and (\"Moscow\") find an entity by id, name or any alias, ignoring
case and accents. Labels and relation types are matched ignoring case.
Parameters: $name (see :param). Comments: // and /* */.",
    ),
    (
        "analyst",
        "DESCRIBE, NEIGHBORS, PATH, TIMELINE, EVIDENCE",
        "DESCRIBE <entity> [OUTGOING|INCOMING]     its card and every relation
NEIGHBORS <entity> [DEPTH n] [VIA type, ...] [OUTGOING|INCOMING]
PATH <entity> TO <entity> [VIA type, ...]  the shortest connections
TIMELINE [<entity>] [FROM date] [TO date]  dated relations and events
EVIDENCE [<entity> [TO <entity>]] [BY <claimant>] [IN <source>]
                                          claims, quotes and sources

An entity is an id or one word as it is (DESCRIBE putin), or any name or
alias in quotes (DESCRIBE 'Kim Jong-un'), or a parameter (DESCRIBE $who,
after :param who 'putin'). Directions: -> the entity is the subject, <- the
object, -- a symmetric relation (met_with). Dates are ISO prefixes: 2024,
2024-06, 2024-06-19.",
    ),
    (
        "keys",
        "editing keys",
        "Enter          run the statement, or start a new line when it is not finished
Empty line     run it anyway (after a new line)
Alt-Enter      start a new line
Tab            complete keywords, labels, relation types, properties, entity
               names (inside quotes or after DESCRIBE...), commands, files
Right arrow    accept the grey suggestion from history
Up / Down      earlier statements (a multi-line statement is one entry)
Ctrl-R         search the history
Ctrl-X Ctrl-E  edit the line in $VISUAL or $EDITOR, then run it (:edit)
Ctrl-C         clear the line, or cancel a running query
Ctrl-D         leave",
    ),
];

/// Help on a statement, for `:help DESCRIBE`: its keyword, its syntax, what
/// it does and an example.
pub const STATEMENTS: &[(&str, &str, &str, &str)] = &[
    (
        "DESCRIBE",
        "DESCRIBE <entity> [OUTGOING|INCOMING]",
        "the entity's card (kind, name, aliases, description, properties) and \
         every relation it has, grouped by type, with its direction (`->`, `<-`, \
         `--` for a symmetric type), dates, certainty, sources and basis: a stated \
         claim and its twin derived from a meeting are one row, `both`; OUTGOING or \
         INCOMING keeps one direction (and symmetric relations)",
        "DESCRIBE putin OUTGOING",
    ),
    (
        "NEIGHBORS",
        "NEIGHBORS <entity> [DEPTH n] [VIA type, ...] [OUTGOING|INCOMING]",
        "the entities within n relations (1 to start with), each with the \
         relation that reached it read left to right (`from via direction node`), \
         only over the given types when VIA is given, one direction with OUTGOING \
         or INCOMING",
        "NEIGHBORS \"Choe Son Hui\" DEPTH 2 VIA met_with",
    ),
    (
        "PATH",
        "PATH <entity> TO <entity> [VIA type, ...]",
        "the shortest connections between two entities, one row per hop with \
         its evidence, and each path as one line above the rows",
        "PATH \"Medvedev\" TO \"Kim Jong Un\"",
    ),
    (
        "TIMELINE",
        "TIMELINE [<entity>] [FROM date] [TO date]",
        "dated relations and events in date order, of one entity or of all",
        "TIMELINE putin FROM 2024 TO 2025-06",
    ),
    (
        "EVIDENCE",
        "EVIDENCE <entity> [TO <entity>]",
        "every claim about the entity (or between two), one row per citation \
         with its quote, source, claimant and hedge",
        "EVIDENCE \"Kim Jong Un\" TO putin",
    ),
];

/// Spellings of meta commands from other shells: sqlite3's and DuckDB's
/// `.help`, `.quit`, `.exit`, psql's `\q`, `\?` and `\x`. Returns the
/// line as eje's own (`:help`), or `None` when it is not one of them.
pub fn foreign_meta(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches(';').trim_end();
    let rest = t.strip_prefix('.').or_else(|| t.strip_prefix('\\'))?;
    let (name, args) = split(rest);
    let name = match name {
        "?" => "help",
        other => other,
    };
    let command = find(name)?;
    Some(format!(":{} {args}", command.name).trim_end().to_string())
}

/// The command called `name` (without its colon), by name or alias,
/// ignoring case.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| {
        c.name.eq_ignore_ascii_case(name) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The nearest command names to a mistyped one, with their colons.
pub fn suggest(name: &str) -> Option<String> {
    let all = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .filter(|n| n.len() > 2);
    let near = names::nearest(name, all, 1);
    let best = near.first()?;
    find(best).map(|c| format!(":{}", c.name))
}

/// The usage line of a command: `:export FORMAT [FILE]`.
pub fn usage(c: &Command) -> String {
    if c.usage.is_empty() {
        format!(":{}", c.name)
    } else {
        format!(":{} {}", c.name, c.usage)
    }
}

/// `:help` without a topic: how to use the shell, then one line per
/// command and per topic.
pub fn help_overview() -> String {
    let mut out = String::from(
        "Type a statement and press Enter. One that is not finished (an open bracket or\n\
         string, a missing RETURN) continues on the next line; an empty line runs it anyway.\n\
         Tab completes; `;` separates statements.\n\n  \
         MATCH (p:Person)-[:met_with]-(k \"Kim Jong Un\") RETURN p.name, k.name\n  \
         DESCRIBE putin\n\nMeta commands:\n",
    );
    let width = COMMANDS.iter().map(|c| usage(c).len()).max().unwrap_or(0);
    for c in COMMANDS {
        out.push_str(&format!("  {:width$}  {}\n", usage(c), c.summary));
    }
    out.push_str("\nTopics:\n");
    for (name, summary, _) in TOPICS {
        out.push_str(&format!(
            "  {:width$}  {summary}\n",
            format!(":help {name}")
        ));
    }
    out
}

/// `:help TOPIC`: a command's usage and help, or a topic's text; `Err`
/// says that there is no such topic, and suggests one.
pub fn help_topic(topic: &str) -> Result<String, String> {
    let t = topic.trim().trim_start_matches(':');
    if let Some(c) = find(t) {
        let mut out = format!("{}\n  {}\n", usage(c), c.summary);
        if !c.aliases.is_empty() {
            let aliases: Vec<String> = c.aliases.iter().map(|a| format!(":{a}")).collect();
            out.push_str(&format!("  Also: {}.\n", aliases.join(", ")));
        }
        if !c.details.is_empty() {
            out.push_str(&format!("\n{}\n", c.details));
        }
        return Ok(out);
    }
    if let Some((name, summary, text)) = TOPICS.iter().find(|(n, ..)| n.eq_ignore_ascii_case(t)) {
        return Ok(format!("{name}: {summary}\n\n{text}\n"));
    }
    if let Some((_, syntax, what, example)) =
        STATEMENTS.iter().find(|(n, ..)| n.eq_ignore_ascii_case(t))
    {
        return Ok(format!(
            "{syntax}\n  {what}.\n\nExample: {example}\n`:help analyst` has the other statements.\n"
        ));
    }
    let all = COMMANDS
        .iter()
        .map(|c| c.name)
        .chain(TOPICS.iter().map(|(n, ..)| *n))
        .chain(STATEMENTS.iter().map(|(n, ..)| *n));
    let hint = names::nearest(t, all, 1)
        .first()
        .map(|n| format!("; did you mean `:help {n}`?"))
        .unwrap_or_else(|| "; `:help` lists them".into());
    Err(format!("no help topic `{t}`{hint}"))
}

/// `help`, `quit` or `exit` typed without the colon (and maybe with a `;`):
/// the meta command they stand for.
pub fn bare_meta(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_end_matches(';').trim_end();
    ["help", "quit", "exit"]
        .into_iter()
        .find(|w| w.eq_ignore_ascii_case(t))
        .map(|w| if w == "exit" { "quit" } else { w })
}

/// A meta command line split into its name and its argument text:
/// `:export dot a.dot` → `("export", "dot a.dot")`.
pub fn split(line: &str) -> (&str, &str) {
    let t = line.trim().trim_start_matches(':');
    let t = t.strip_suffix(';').unwrap_or(t).trim_end();
    match t.find(char::is_whitespace) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, ""),
    }
}

/// Splits arguments into words the way a shell does: blanks separate,
/// `'...'` and `"..."` quote, `\` escapes the next character (so a path
/// that completion wrote as `my\ file.kgq` reads back).
pub fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut all: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .chain(TOPICS.iter().map(|(n, ..)| *n))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    #[test]
    fn every_command_of_the_spec_is_there_with_help() {
        for name in [
            "help", "schema", "stats", "format", "export", "source", "reload", "timing", "quit",
        ] {
            assert!(find(name).is_some(), "{name}");
        }
        let help = help_overview();
        for c in COMMANDS {
            assert!(help.contains(&usage(c)), "{}", c.name);
            assert!(help_topic(c.name).is_ok());
        }
        assert!(help_topic("keys").unwrap().contains("Ctrl-C"));
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(suggest("shema").as_deref(), Some(":schema"));
        assert_eq!(suggest("exprot").as_deref(), Some(":export"));
        assert_eq!(suggest("zzzzzz"), None);
        let err = help_topic("analist").unwrap_err();
        assert!(err.contains(":help analyst"), "{err}");
    }

    #[test]
    fn statements_have_help_and_other_shells_spellings_work() {
        let help = help_topic("describe").unwrap();
        assert!(help.starts_with("DESCRIBE <entity>"), "{help}");
        assert!(help.contains("Example: DESCRIBE putin"), "{help}");
        for (name, ..) in STATEMENTS {
            assert!(help_topic(name).is_ok(), "{name}");
        }
        assert_eq!(foreign_meta(".help").as_deref(), Some(":help"));
        assert_eq!(
            foreign_meta(".help export").as_deref(),
            Some(":help export")
        );
        assert_eq!(foreign_meta("\\q").as_deref(), Some(":quit"));
        assert_eq!(foreign_meta(".exit;").as_deref(), Some(":quit"));
        assert_eq!(foreign_meta("\\?").as_deref(), Some(":help"));
        assert_eq!(foreign_meta("\\x on").as_deref(), Some(":records on"));
        assert_eq!(foreign_meta(".nothing"), None);
        assert_eq!(foreign_meta("MATCH (n) RETURN n"), None);
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(split(":export dot  a.dot;"), ("export", "dot  a.dot"));
        assert_eq!(split(":quit"), ("quit", ""));
        assert_eq!(words(r#"dot my\ file.dot"#), ["dot", "my file.dot"]);
        assert_eq!(words(r#"'a b' "c\"d" e"#), ["a b", "c\"d", "e"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("''"), [""]);
    }
}
