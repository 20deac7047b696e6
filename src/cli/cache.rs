//! `eje cache info` and `eje cache clear`: the snapshots of data folders in
//! eje's folder of the user's cache directory (D10).

use std::io::Write;

use super::{CacheCommand, Exit};
use crate::load::cache;
use crate::load::read::human;
use crate::load::snapshot::State;

pub(super) fn run(action: CacheCommand) -> anyhow::Result<Exit> {
    let Some(dir) = cache::cache_dir() else {
        crate::sink::line_to_stderr(
            "eje: this user has no cache directory\nhelp: set `XDG_CACHE_HOME` (or `HOME`) to a folder eje may write",
        );
        return Ok(Exit::Failed);
    };
    let mut out = std::io::stdout().lock();
    match action {
        CacheCommand::Info => {
            let entries = match cache::entries(&dir) {
                Ok(e) => e,
                Err(e) => {
                    crate::sink::line_to_stderr(format_args!(
                        "eje: cannot read the cache folder `{}`: {e}",
                        dir.display()
                    ));
                    return Ok(Exit::Failed);
                }
            };
            let total: u64 = entries.iter().map(|e| e.size).sum();
            writeln!(
                out,
                "cache: {} ({} snapshot{}, {})",
                dir.display(),
                entries.len(),
                if entries.len() == 1 { "" } else { "s" },
                human(total)
            )?;
            if cache::no_cache()
                || cache::off_by_env(std::env::var_os(cache::NO_CACHE_ENV).as_deref())
            {
                writeln!(
                    out,
                    "the snapshot is switched off for this run (`--no-cache` or `EJE_NO_CACHE`)"
                )?;
            }
            for e in &entries {
                let state = match &e.info.state {
                    State::Fresh => "fresh".to_string(),
                    State::Stale => "stale".to_string(),
                    State::Damaged(why) => why.clone(),
                };
                let name = e
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let root = e.info.root.as_deref().unwrap_or("?");
                writeln!(out, "  {name}  {}  {state}  {root}", human(e.size))?;
            }
        }
        CacheCommand::Clear => match cache::clear(&dir) {
            Ok((files, bytes)) => writeln!(
                out,
                "removed {files} file{} ({}) from {}",
                if files == 1 { "" } else { "s" },
                human(bytes),
                dir.display()
            )?,
            Err(e) => {
                crate::sink::line_to_stderr(format_args!(
                    "eje: cannot clear the cache folder `{}`: {e}\nhelp: check its permissions",
                    dir.display()
                ));
                return Ok(Exit::Failed);
            }
        },
    }
    out.flush()?;
    Ok(Exit::Ok)
}
