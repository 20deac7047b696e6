//! The interactive shell: reads statements with rustyline, runs them
//! through the `Session`, prints answers as tables.

use std::io::Write;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

use crate::cli::{Exit, ReplArgs};
use crate::diag::{self, SourceMap};
use crate::render::{self, TableStyle};
use crate::session::{self, Session};

pub fn run(mut session: Session, args: &ReplArgs, err_color: bool) -> anyhow::Result<Exit> {
    let mut editor = DefaultEditor::new()?;
    println!(
        "eje on {} — statements end with `;` or a new line; Ctrl-D quits",
        session.source.describe()
    );
    loop {
        match editor.readline("eje> ") {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                let sources = SourceMap::from([("<input>".to_string(), line.clone())]);
                for ex in session.run(&line, false) {
                    match &ex.result {
                        Ok(rs) => {
                            let style = TableStyle {
                                color: err_color,
                                width: Some(120),
                                max_rows: Some(100),
                            };
                            print!(
                                "{}",
                                render::render(session.graph(), rs, args.exec.format, style)
                            );
                            println!("{}", render::footer(rs.rows.len(), ex.timing.total_ms()));
                        }
                        Err(e) => eprint!(
                            "{}",
                            diag::render(&[session::diagnostic(e, "<input>")], &sources, err_color)
                        ),
                    }
                }
                std::io::stdout().flush()?;
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(Exit::Ok),
            Err(e) => return Err(e.into()),
        }
    }
}
