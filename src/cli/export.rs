//! `eje export`: writes the graph, a query's answer or an entity's
//! neighbourhood as DOT, SVG, JSON, GraphML, Cypher, an HTML evidence
//! map, or a bulk folder of CSV files.

use std::io::IsTerminal;

use crate::diag::{self, SourceMap};
use crate::export;
use crate::model::Resolution;

use super::{ExecArgs, Exit, ExportArgs, UsageError, open_session};

pub(super) fn export_cmd(args: ExportArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(format) = args.format else {
        return Err(UsageError(
            "`eje export` needs `--format`\nhelp: give one of dot, svg, json, graphml, cypher, html or bulk"
                .into(),
        )
        .into());
    };
    let exec = ExecArgs {
        params: args.params.clone(),
        limits: args.limits,
        ..ExecArgs::default()
    };
    let Some(mut session) = open_session(&args.graph, &exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let graph = session.graph_arc();
    let mut scope = export::Scope::Whole;
    let sub = if let Some(q) = &args.query {
        scope = export::Scope::Query(q.clone());
        let sources = SourceMap::from([("<query>".to_string(), q.clone())]);
        let results = session.run(q, false);
        let mut sub = export::Subgraph::default();
        for ex in &results {
            match &ex.result {
                Ok(rs) => {
                    let part = export::Subgraph::from_result(&graph, rs);
                    sub.nodes.extend(part.nodes);
                    sub.rels.extend(part.rels);
                    for n in &rs.notes {
                        crate::sink::line_to_stderr(format_args!("note: {n}"));
                    }
                }
                Err(e) => {
                    crate::sink::to_stderr(format_args!(
                        "{}",
                        diag::render(&[e.to_diagnostic("<query>")], &sources, err_color)
                    ));
                    return Ok(Exit::Failed);
                }
            }
        }
        sub
    } else if let Some(focus) = &args.focus {
        match graph.resolve(focus) {
            Resolution::One(ix) => {
                scope = export::Scope::Focus {
                    entity: graph.node(ix).display_name().to_string(),
                    depth: args.depth,
                };
                export::Subgraph::ego(&graph, ix, args.depth)
            }
            Resolution::Many(ixs) => {
                let names: Vec<String> = ixs
                    .iter()
                    .map(|i| format!("`{}`", graph.node(*i).id))
                    .collect();
                crate::sink::line_to_stderr(format_args!(
                    "eje: `{focus}` names several entities: {}; give an id",
                    names.join(", ")
                ));
                return Ok(Exit::Failed);
            }
            Resolution::None { nearest } => {
                let hint = nearest
                    .first()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                crate::sink::line_to_stderr(format_args!(
                    "eje: no entity is called `{focus}`{hint}"
                ));
                return Ok(Exit::Failed);
            }
        }
    } else {
        export::Subgraph::whole(&graph)
    };
    // A progress line on a terminal for exports that take over a second.
    let progress = export::Progress::exporting(
        std::io::stderr().is_terminal(),
        (sub.node_count() + sub.rel_count()) as u64,
        format.name(),
    );
    // No `-o`, or `-o -`: standard output.
    let path = args.output.clone().unwrap_or_else(|| "-".into());
    let result = if format.is_folder() && crate::sink::is_stdout(&path) {
        Err(export::ExportError::FolderNeeded)
    } else if format.is_folder() {
        export::bulk::write_folder(&graph, &sub, args.dialect, &path, args.force, &progress)
            .map(|_| export::Written::File(path.clone()))
    } else {
        export::export_to_path(&graph, &sub, format, args.dialect, &scope, &path, &progress)
    };
    drop(progress);
    match result {
        Ok(written) => {
            if written != export::Written::Stdout {
                crate::sink::line_to_stderr(format_args!(
                    "wrote {} ({} nodes, {} relations)",
                    path.display(),
                    sub.node_count(),
                    sub.rel_count()
                ));
            }
            Ok(Exit::Ok)
        }
        Err(e) if e.is_broken_pipe() => Ok(Exit::Ok),
        Err(e) => {
            crate::sink::line_to_stderr(format_args!("eje: {e}"));
            Ok(Exit::Failed)
        }
    }
}
