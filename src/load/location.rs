//! Where curated data is read from (`--data`, `$EJE_DATA`, `./data`, or the
//! dataset bundled into eje), resolved as SPEC §1 says, and loaded.

use std::path::PathBuf;

use super::{Failure, Loaded, Options};

/// Where data is read from, resolved as SPEC §1 says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataLocation {
    Dir(PathBuf),
    Embedded,
}

impl DataLocation {
    pub fn resolve(explicit: Option<&PathBuf>) -> DataLocation {
        if let Some(dir) = explicit {
            return DataLocation::Dir(dir.clone());
        }
        if let Some(dir) = std::env::var_os("EJE_DATA").filter(|d| !d.is_empty()) {
            return DataLocation::Dir(PathBuf::from(dir));
        }
        let local = PathBuf::from("data");
        if local.join(super::SCHEMA_FILE).is_file() {
            DataLocation::Dir(local)
        } else {
            DataLocation::Embedded
        }
    }

    pub fn load(&self, opts: &Options) -> Result<Loaded, Failure> {
        match self {
            DataLocation::Dir(d) => super::load_dir(d, opts),
            DataLocation::Embedded => super::load_embedded(opts),
        }
    }

    /// The folder, when the data comes from one.
    pub fn dir(&self) -> Option<std::path::PathBuf> {
        match self {
            DataLocation::Dir(d) => Some(d.clone()),
            DataLocation::Embedded => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            DataLocation::Dir(d) => d.display().to_string(),
            DataLocation::Embedded => "the bundled dataset".into(),
        }
    }
}
