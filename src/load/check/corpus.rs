//! Quotes against the corpus (`eje check --corpus`): each must be in its
//! article, verbatim up to whitespace.

use std::collections::HashMap;
use std::path::{Component, Path};

use super::{Ctx, Section};
use crate::diag::Diagnostic;
use crate::load::outline::Step;
use crate::load::read::{ReadError, decode, read_capped};
use crate::model::names::normalize;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    pub(super) fn check_corpus(&mut self, corpus: &Path, max_size: u64) {
        // One error about a folder that is not there, not one per source.
        let root = match std::fs::canonicalize(corpus) {
            Ok(root) if root.is_dir() => root,
            found => {
                let why = match found {
                    Ok(_) => "it is not a folder".to_string(),
                    Err(e) => e.to_string(),
                };
                self.diags.push(
                    Diagnostic::error(
                        "missing-corpus",
                        format!(
                            "cannot read the corpus folder `{}`: {why}",
                            corpus.display()
                        ),
                    )
                    .help("pass the folder that holds the articles with `--corpus DIR`"),
                );
                return;
            }
        };
        let mut texts: HashMap<String, Option<String>> = HashMap::new();
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, s) in d.data.sources.iter().enumerate() {
                let text = match article(&root, corpus, &s.file, max_size) {
                    Ok(text) => Some(squash(&text)),
                    Err((code, message, help)) => {
                        let span = self.span(fi, Section::Source, i, &[Step::Field("file")]);
                        self.err(code, message, fi, span).help = Some(help);
                        None
                    }
                };
                texts.insert(s.id.to_string(), text);
            }
        }
        for (fi, d) in dossiers.iter().enumerate() {
            let entity_cites = d
                .data
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| (Section::Entity, i, &e.cite[..]));
            let claim_cites = d
                .data
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| (Section::Claim, i, &c.cite[..]));
            for (section, i, cites) in entity_cites.chain(claim_cites) {
                for (j, c) in cites.iter().enumerate() {
                    let Some(Some(text)) = texts.get(&*c.source) else {
                        continue;
                    };
                    let quote = squash(&c.quote);
                    if !quote.is_empty() && !text.contains(&quote) {
                        let span = self.span(
                            fi,
                            section,
                            i,
                            &[Step::Field("cite"), Step::Index(j), Step::Field("quote")],
                        );
                        let help = closest_passage(text, &quote);
                        self.err(
                            "quote-not-found",
                            format!("this quote is not in the article `{}`", c.source),
                            fi,
                            span,
                        )
                        .set_label("not found verbatim")
                        .help = help.map(|p| format!("the closest passage reads: “{p}”"));
                    }
                }
            }
        }
    }
}

/// A problem with an article: rule, message and help.
type ArticleError = (&'static str, String, String);

/// The text of the article `file` of the corpus at `root` (canonical;
/// `shown` as the user wrote it). Only a relative path without `..` that
/// stays inside the corpus after links are resolved is read, so that no
/// text from elsewhere is ever printed.
fn article(root: &Path, shown: &Path, file: &str, max: u64) -> Result<String, ArticleError> {
    let rel = Path::new(file);
    let plain = !file.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain {
        return Err((
            "article-outside-corpus",
            format!("the article path `{file}` must be relative to the corpus, without `..`"),
            "write the file's path inside the corpus folder (`2024/article.txt`)".into(),
        ));
    }
    let path = root.join(rel);
    let canon = match std::fs::canonicalize(&path) {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err((
                "missing-article",
                format!("`{file}` is not in the corpus `{}`", shown.display()),
                "check the file name, or the folder given to `--corpus`".into(),
            ));
        }
        Err(e) => {
            return Err((
                "unreadable-article",
                format!("cannot read the article `{file}`: {e}"),
                "check the file's permissions".into(),
            ));
        }
    };
    if !canon.starts_with(root) {
        return Err((
            "article-outside-corpus",
            format!(
                "the article `{file}` is a link that leads outside the corpus `{}`",
                shown.display()
            ),
            "copy the article into the corpus folder instead of linking to it".into(),
        ));
    }
    let unreadable = |why: String, help: &str| {
        (
            "unreadable-article",
            format!("cannot read the article `{file}`: {why}"),
            help.to_string(),
        )
    };
    let bytes = read_capped(&canon, max).map_err(|e| {
        let help = match e {
            ReadError::TooLarge { .. } => "raise the limit with `--max-file-size`",
            ReadError::NotRegular(_) => "eje reads only regular files",
            ReadError::Io(_) => "check the file's permissions",
        };
        unreadable(e.to_string(), help)
    })?;
    decode(bytes).map_err(|(at, lossy)| {
        let (line, col) = crate::diag::line_col(&lossy, at);
        unreadable(
            format!("it is not UTF-8 (line {line}, column {col})"),
            "save the article as UTF-8",
        )
    })
}

/// Whitespace-normalised text for quote matching.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The passage of `text` sharing the longest run of words with `quote`.
fn closest_passage(text: &str, quote: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let q: Vec<&str> = quote.split(' ').collect();
    let first = *q.first()?;
    let n = q.len();
    let mut best: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if normalize(w) == normalize(first) {
            let common = words[i..]
                .iter()
                .zip(&q)
                .take_while(|(a, b)| a == b)
                .count();
            if best.is_none_or(|(_, c)| common > c) {
                best = Some((i, common));
            }
        }
    }
    let (i, _) = best?;
    Some(words[i..(i + n).min(words.len())].join(" "))
}
