//! `eje run`: runs query scripts (`.kgq`) in order.

use crate::diag::SourceMap;

use super::{Exit, RunArgs, open_session, print_results};

pub(super) fn run_scripts(args: RunArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let mut exit = Exit::Ok;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match crate::load::read::read_named(path) {
            Ok(t) => t,
            Err(e) => {
                crate::sink::line_to_stderr(format_args!("eje: cannot read `{name}`: {e}"));
                exit = Exit::Failed;
                if args.keep_going {
                    continue;
                }
                return Ok(exit);
            }
        };
        let sources = SourceMap::from([(name.clone(), text.clone())]);
        let results = session.run(&text, args.keep_going);
        if print_results(
            &session,
            &results,
            &args.exec,
            &name,
            &sources,
            args.timing,
            err_color,
        )? == Exit::Failed
        {
            exit = Exit::Failed;
            if !args.keep_going {
                return Ok(exit);
            }
        }
    }
    Ok(exit)
}
