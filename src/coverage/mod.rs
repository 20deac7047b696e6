//! Coverage of the corpus: which sentences of each article at least one
//! citation quotes from (`eje coverage`, `:coverage`).
//!
//! An article is cut into sentences (`sentences`); every quote of every
//! citation of that article is looked up, whitespace-normalised, in the
//! article's text; a sentence is cited when an occurrence of a quote lies
//! inside it or shares five words or more with it.

pub mod sentences;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use crate::lines::LineIndex;
use crate::load::cites::CiteRef;
use crate::model::Source;

/// A quote that runs over several sentences cites each that shares this many
/// words with it.
pub const OVERLAP_WORDS: usize = 5;

/// One sentence of an article and what cites it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based line of its first character.
    pub line: usize,
    pub text: String,
    /// The entities and claims whose citations quote it, sorted, once each.
    pub cited_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub source: String,
    pub file: String,
    pub sentences: Vec<Sentence>,
    /// Quotes of this article's citations that are not in its text.
    pub quotes_not_found: usize,
}

impl Article {
    pub fn cited(&self) -> usize {
        self.sentences
            .iter()
            .filter(|s| !s.cited_by.is_empty())
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub articles: Vec<Article>,
}

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A source's file is not in the corpus (or not readable as UTF-8).
    Missing {
        source: String,
        file: String,
        reason: String,
    },
    UnknownArticle {
        id: String,
        nearest: Option<String>,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Missing {
                source,
                file,
                reason,
            } => write!(
                f,
                "the article of source `{source}`, `{file}`, cannot be read: {reason}\n  help: check the folder given to `--corpus` (or $EJE_CORPUS)"
            ),
            Error::UnknownArticle { id, nearest } => {
                write!(f, "no source is called `{id}`")?;
                match nearest {
                    Some(n) => write!(f, "\n  help: did you mean `{n}`?"),
                    None => write!(f, "\n  help: `eje coverage` without `--article` lists them"),
                }
            }
        }
    }
}

impl std::error::Error for Error {}

/// The coverage of every source (or only `only`) by `cites`, reading the
/// articles from `corpus`.
pub fn report(
    sources: &BTreeMap<String, Source>,
    cites: &[CiteRef],
    corpus: &Path,
    only: Option<&str>,
) -> Result<Report, Error> {
    if let Some(id) = only
        && !sources.contains_key(id)
    {
        let nearest = sources
            .keys()
            .map(|k| (strsim::levenshtein(k, id), k))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, k)| k.clone());
        return Err(Error::UnknownArticle {
            id: id.to_string(),
            nearest,
        });
    }
    let mut articles = Vec::new();
    for (id, s) in sources {
        if only.is_some_and(|o| o != id) {
            continue;
        }
        let path = corpus.join(&s.file);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Missing {
            source: id.clone(),
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let quotes: Vec<(&str, &str)> = cites
            .iter()
            .filter(|c| c.source == *id)
            .map(|c| (c.owner.as_str(), c.quote.as_str()))
            .collect();
        articles.push(article(id, &s.file, &text, &quotes));
    }
    Ok(Report { articles })
}

/// The coverage of one article's text by `(owner, quote)` pairs.
pub fn article(source: &str, file: &str, text: &str, quotes: &[(&str, &str)]) -> Article {
    let lines = LineIndex::new(text);
    let ranges = sentences::sentences(text);
    // Words of the text with their byte ranges, and the squashed text (the
    // words joined by single spaces) with where each word starts in it.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut at = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), at) {
            (true, Some(s)) => {
                words.push((s, i));
                at = None;
            }
            (false, None) => at = Some(i),
            _ => {}
        }
    }
    if let Some(s) = at {
        words.push((s, text.len()));
    }
    let mut squashed = String::with_capacity(text.len());
    let mut squashed_at = Vec::with_capacity(words.len());
    let mut squashed_end = Vec::with_capacity(words.len());
    for (k, &(s, e)) in words.iter().enumerate() {
        if k > 0 {
            squashed.push(' ');
        }
        squashed_at.push(squashed.len());
        squashed.push_str(&text[s..e]);
        squashed_end.push(squashed.len());
    }
    // The sentence each word belongs to (sentences start and end at words).
    let mut sentence_of = vec![usize::MAX; words.len()];
    let mut si = 0;
    for (k, &(s, _)) in words.iter().enumerate() {
        while si < ranges.len() && ranges[si].end <= s {
            si += 1;
        }
        if si < ranges.len() && ranges[si].start <= s {
            sentence_of[k] = si;
        }
    }
    let mut cited_by: Vec<Vec<String>> = vec![Vec::new(); ranges.len()];
    let mut not_found = 0;
    for &(owner, quote) in quotes {
        let q = quote.split_whitespace().collect::<Vec<_>>().join(" ");
        if q.is_empty() {
            continue;
        }
        let mut found = false;
        for (qs, _) in squashed.match_indices(&q) {
            found = true;
            let qe = qs + q.len();
            // The words the occurrence touches.
            let first = squashed_end.partition_point(|&e| e <= qs);
            let last = squashed_at.partition_point(|&w| w < qe);
            let mut per_sentence: BTreeMap<usize, usize> = BTreeMap::new();
            for &s in &sentence_of[first..last] {
                if s != usize::MAX {
                    *per_sentence.entry(s).or_default() += 1;
                }
            }
            let inside = per_sentence.len() == 1 && !sentence_of[first..last].contains(&usize::MAX);
            for (s, n) in per_sentence {
                if inside || n >= OVERLAP_WORDS {
                    cited_by[s].push(owner.to_string());
                }
            }
        }
        if !found {
            not_found += 1;
        }
    }
    let sentences = ranges
        .iter()
        .zip(cited_by)
        .map(|(r, mut by)| {
            by.sort();
            by.dedup();
            Sentence {
                line: lines.line_of(r.start) + 1,
                text: text[r.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                cited_by: by,
            }
        })
        .collect();
    Article {
        source: source.to_string(),
        file: file.to_string(),
        sentences,
        quotes_not_found: not_found,
    }
}

/// The message for a missing corpus (`eje coverage`, `:coverage`).
pub const NO_CORPUS: &str = "coverage needs the folder of the articles, and none was given\n  help: pass `--corpus DIR` or set $EJE_CORPUS";

/// The citations of the data a session was opened on, read again from its
/// files (the graph keeps citations per relation, not per entity or claim).
pub fn citations_of(
    location: &crate::load::location::DataLocation,
) -> Result<Vec<CiteRef>, String> {
    let files = match location {
        crate::load::location::DataLocation::Dir(d) => {
            crate::load::read_dir(d).map_err(|d| d.message)?
        }
        crate::load::location::DataLocation::Embedded => crate::load::embedded_files(),
    };
    Ok(crate::load::cites::citations(
        files.iter().map(|f| f.text.as_str()),
    ))
}

/// How a report prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Markdown,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

impl Report {
    fn totals(&self) -> (usize, usize) {
        self.articles
            .iter()
            .fold((0, 0), |(n, c), a| (n + a.sentences.len(), c + a.cited()))
    }

    /// The summary of every article and its uncited sentences.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.table(),
            Format::Markdown => self.markdown(),
            Format::Json => format!("{}\n", self.json()),
        }
    }

    /// Every sentence of each article, marked cited (with what cites it) or
    /// not; for `--article`.
    pub fn render_detail(&self, format: Format) -> String {
        let mut out = String::new();
        for a in &self.articles {
            match format {
                Format::Json => {
                    let _ = writeln!(out, "{}", article_json(a, true));
                }
                Format::Table => {
                    let _ = writeln!(out, "{}", headline(a));
                    for s in &a.sentences {
                        let mark = if s.cited_by.is_empty() {
                            "not cited".to_string()
                        } else {
                            format!("cited by {}", s.cited_by.join(", "))
                        };
                        let _ =
                            writeln!(out, "  line {:>3}  {}\n            {mark}", s.line, s.text);
                    }
                }
                Format::Markdown => {
                    let _ = writeln!(out, "**{}**\n", headline(a));
                    let _ = writeln!(out, "| line | cited by | sentence |\n|---:|---|---|");
                    for s in &a.sentences {
                        let by = if s.cited_by.is_empty() {
                            "—".to_string()
                        } else {
                            s.cited_by.join(", ")
                        };
                        let _ = writeln!(out, "| {} | {} | {} |", s.line, md(&by), md(&s.text));
                    }
                }
            }
        }
        out
    }

    fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<10} {:<28} {:>9} {:>6} {:>8} {:>9}",
            "article", "file", "sentences", "cited", "uncited", "coverage"
        );
        for a in &self.articles {
            let (n, c) = (a.sentences.len(), a.cited());
            let _ = writeln!(
                out,
                "{:<10} {:<28} {:>9} {:>6} {:>8} {:>9}",
                a.source,
                a.file,
                n,
                c,
                n - c,
                percent(c, n)
            );
        }
        let (n, c) = self.totals();
        let _ = writeln!(
            out,
            "{:<10} {:<28} {:>9} {:>6} {:>8} {:>9}",
            "total",
            "",
            n,
            c,
            n - c,
            percent(c, n)
        );
        for a in &self.articles {
            let uncited: Vec<&Sentence> = a
                .sentences
                .iter()
                .filter(|s| s.cited_by.is_empty())
                .collect();
            if uncited.is_empty() && a.quotes_not_found == 0 {
                continue;
            }
            let _ = writeln!(
                out,
                "\n{} ({}): {} uncited",
                a.source,
                a.file,
                uncited.len()
            );
            for s in uncited {
                let _ = writeln!(out, "  line {:>3}: {}", s.line, s.text);
            }
            if a.quotes_not_found > 0 {
                let _ = writeln!(
                    out,
                    "  note: {} quote(s) of this article are not in its text (`eje check --corpus` shows them)",
                    a.quotes_not_found
                );
            }
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| article | file | sentences | cited | uncited | coverage |\n|---|---|---:|---:|---:|---:|"
        );
        for a in &self.articles {
            let (n, c) = (a.sentences.len(), a.cited());
            let _ = writeln!(
                out,
                "| {} | {} | {n} | {c} | {} | {} |",
                a.source,
                md(&a.file),
                n - c,
                percent(c, n)
            );
        }
        let (n, c) = self.totals();
        let _ = writeln!(
            out,
            "| **total** | | {n} | {c} | {} | {} |",
            n - c,
            percent(c, n)
        );
        for a in &self.articles {
            let uncited: Vec<&Sentence> = a
                .sentences
                .iter()
                .filter(|s| s.cited_by.is_empty())
                .collect();
            if uncited.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n**{}** ({}), uncited:\n", a.source, md(&a.file));
            for s in uncited {
                let _ = writeln!(out, "- line {}: {}", s.line, md(&s.text));
            }
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let (n, c) = self.totals();
        json!({
            "articles": self.articles.iter().map(|a| article_json(a, false)).collect::<Vec<_>>(),
            "total": {"sentences": n, "cited": c, "uncited": n - c},
        })
    }
}

fn headline(a: &Article) -> String {
    let (n, c) = (a.sentences.len(), a.cited());
    format!(
        "{} ({}): {c} of {n} sentences cited ({})",
        a.source,
        a.file,
        percent(c, n)
    )
}

fn article_json(a: &Article, every: bool) -> serde_json::Value {
    let (n, c) = (a.sentences.len(), a.cited());
    let mut v = json!({
        "source": a.source,
        "file": a.file,
        "sentences": n,
        "cited": c,
        "uncited": n - c,
        "quotes_not_found": a.quotes_not_found,
    });
    if every {
        v["detail"] = a
            .sentences
            .iter()
            .map(|s| json!({"line": s.line, "text": s.text, "cited_by": s.cited_by}))
            .collect();
    } else {
        v["uncited_sentences"] = a
            .sentences
            .iter()
            .filter(|s| s.cited_by.is_empty())
            .map(|s| json!({"line": s.line, "text": s.text}))
            .collect();
    }
    v
}

/// Text for a Markdown table cell.
fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_inside_a_sentence_or_overlapping_five_words_cites_it() {
        let text =
            "Uno dos tres cuatro cinco seis. Siete ocho nueve diez once doce.\nTrece catorce.";
        let a = article(
            "a",
            "a.txt",
            text,
            &[
                ("c1", "dos  tres"),
                // Three words in the first sentence, five in the second.
                ("c2", "cinco seis. Siete ocho nueve diez once"),
                ("c3", "no está"),
            ],
        );
        let by: Vec<Vec<&str>> = a
            .sentences
            .iter()
            .map(|s| s.cited_by.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(by, vec![vec!["c1"], vec!["c2"], vec![]]);
        assert_eq!(a.sentences[2].line, 2);
        assert_eq!(a.quotes_not_found, 1);
    }

    #[test]
    fn a_quote_may_start_inside_a_word() {
        let a = article(
            "a",
            "a.txt",
            "Dijo «todo va bien». Luego.",
            &[("c", "todo va")],
        );
        assert_eq!(a.sentences[0].cited_by, ["c"]);
        assert!(a.sentences[1].cited_by.is_empty());
    }
}
