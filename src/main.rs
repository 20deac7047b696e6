//! The `eje` binary: parses the command line and maps the outcome to an
//! exit code (0 success, 1 data or query error, 2 usage error).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = eje::cli::Cli::parse();
    match eje::cli::run(cli) {
        Ok(eje::cli::Exit::Ok) => ExitCode::SUCCESS,
        Ok(eje::cli::Exit::Failed) => ExitCode::from(1),
        // A closed pipe (`eje ... | head`) is not an error.
        Err(e) if eje::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eje::cli::report(&e);
            ExitCode::from(if eje::cli::is_usage(&e) { 2 } else { 1 })
        }
    }
}

// glibc's allocator spent a large part of a load in malloc/free and in
// consolidating freed chunks, and of grouping in malloc; mimalloc is
// markedly faster on both. Its v2 line without transparent huge pages
// (Cargo.toml) keeps the peak of a load lowest.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
