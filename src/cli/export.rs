//! `eje export`: writes the graph, a query's answer or an entity's
//! neighbourhood as DOT, SVG, JSON, GraphML, Cypher or an HTML evidence map.

use crate::diag::{self, SourceMap};
use crate::export;
use crate::model::Resolution;

use super::{ExecArgs, Exit, ExportArgs, open_session};

pub(super) fn export_cmd(args: ExportArgs, err_color: bool) -> anyhow::Result<Exit> {
    let exec = ExecArgs {
        params: args.params.clone(),
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
                Ok(rs) => rs
                    .rows
                    .iter()
                    .flatten()
                    .for_each(|v| sub.add_value(&graph, v)),
                Err(e) => {
                    eprint!(
                        "{}",
                        diag::render(&[e.to_diagnostic("<query>")], &sources, err_color)
                    );
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
                eprintln!(
                    "eje: `{focus}` names several entities: {}; give an id",
                    names.join(", ")
                );
                return Ok(Exit::Failed);
            }
            Resolution::None { nearest } => {
                let hint = nearest
                    .first()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                eprintln!("eje: no entity is called `{focus}`{hint}");
                return Ok(Exit::Failed);
            }
        }
    } else {
        export::Subgraph::whole(&graph)
    };
    let result =
        export::render_scoped(&graph, &sub, args.format, args.dialect, &scope).and_then(|bytes| {
            match &args.output {
                Some(path) => export::write_atomic(path, &bytes),
                None => {
                    use std::io::Write as _;
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bytes)
                        .and_then(|()| out.flush())
                        .map_err(export::ExportError::from)
                }
            }
        });
    match result {
        Ok(()) => {
            if let Some(path) = &args.output {
                eprintln!(
                    "wrote {} ({} nodes, {} relations)",
                    path.display(),
                    sub.node_count(),
                    sub.rel_count()
                );
            }
            Ok(Exit::Ok)
        }
        Err(e) if e.is_broken_pipe() => Ok(Exit::Ok),
        Err(e) => {
            eprintln!("eje: {e}");
            Ok(Exit::Failed)
        }
    }
}
