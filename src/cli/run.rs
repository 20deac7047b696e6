//! `eje run`: runs query scripts (`.kgq`; `-` is standard input) in order,
//! meta commands included, stopping at the first error unless
//! `--keep-going`; the exit status is 1 if anything failed.

use std::mem::ManuallyDrop;

use super::{Exit, RunArgs, open_session};
use crate::meta::Shell;

pub(super) fn run_scripts(args: RunArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let out_color = colored::control::SHOULD_COLORIZE.should_colorize();
    // Never dropped, as the session is not (see `open_session`).
    let mut shell = ManuallyDrop::new(Shell::new(
        ManuallyDrop::into_inner(session),
        args.exec.format,
        out_color,
        err_color,
        true,
    ));
    shell.timing = args.timing;
    shell.safe = args.exec.safe;
    shell.echo = args.echo;
    let several = args.files.len() > 1;
    let mut exit = Exit::Ok;
    for path in &args.files {
        let (name, read) = if path.as_os_str() == "-" {
            let mut text = String::new();
            let read = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text);
            (
                "<stdin>".to_string(),
                read.map(|_| text).map_err(|e| e.to_string()),
            )
        } else {
            (
                path.display().to_string(),
                crate::load::read::read_named(path),
            )
        };
        let text = match read {
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
        if several {
            shell.file_header(&name);
        }
        if !shell.run_script(&name, &text, args.keep_going)? {
            exit = Exit::Failed;
            if !args.keep_going {
                return Ok(exit);
            }
        }
    }
    Ok(exit)
}
