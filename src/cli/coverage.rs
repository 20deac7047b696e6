//! `eje coverage`: the command line's side of the coverage report.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Exit, GraphArgs, load_or_report};
use crate::coverage::{Format, report};
use crate::load::cites::CiteRef;

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[arg(skip)]
    pub graph: GraphArgs,
    /// Folder of the cited articles: the global `--corpus`, else
    /// $EJE_CORPUS; required.
    #[arg(skip)]
    pub corpus: Option<PathBuf>,
    /// Show this source's whole article, each sentence marked cited (with
    /// the entities and claims that quote it) or not.
    #[arg(long, value_name = "SOURCE")]
    pub article: Option<String>,
    /// table, json or markdown (the global `--format`).
    #[arg(skip)]
    pub format: Format,
}

pub fn run(args: CoverageArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(corpus) = args.corpus.clone().filter(|c| !c.as_os_str().is_empty()) else {
        eprintln!("eje: {}", crate::coverage::NO_CORPUS);
        return Ok(Exit::Failed);
    };
    if args.graph.graph_script.is_some() {
        eprintln!(
            "eje: coverage reads the citations of curated data, and `--graph-script` has none\n  help: leave out `--graph-script`, or give the data folder with `--data DIR`"
        );
        return Ok(Exit::Failed);
    }
    let Some(loaded) = load_or_report(&args.graph, err_color) else {
        return Ok(Exit::Failed);
    };
    // The citations are read again from the data files: a load from the
    // snapshot keeps only the texts its warnings point into, not every file.
    let cites = match &args.graph.source() {
        crate::session::GraphSource::Data(location) => {
            match crate::coverage::citations_of(location) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("eje: {e}");
                    return Ok(Exit::Failed);
                }
            }
        }
        crate::session::GraphSource::Script(_) => Vec::new(),
    };
    let text = match render(loaded.graph.sources(), &cites, &corpus, &args) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eje: {e}");
            return Ok(Exit::Failed);
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(Exit::Ok)
}

fn render(
    sources: &std::collections::BTreeMap<String, crate::model::Source>,
    cites: &[CiteRef],
    corpus: &std::path::Path,
    args: &CoverageArgs,
) -> Result<String, crate::coverage::Error> {
    let r = report(sources, cites, corpus, args.article.as_deref())?;
    Ok(if args.article.is_some() {
        r.render_detail(args.format)
    } else {
        r.render(args.format)
    })
}
