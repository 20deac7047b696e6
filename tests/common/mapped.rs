//! A graph written to its snapshot and read back in place, for tests that
//! compare answers over both storages.

use eje::load::Loaded;
use eje::load::freshness::DataKey;
use eje::load::snapshot::{self, Opened};
use eje::model::Graph;

/// The graph of `loaded` written to a snapshot and opened in place.
pub fn mapped(loaded: &Loaded) -> Graph {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let key = DataKey::capture(&data, &[]).unwrap();
    let path = dir.path().join("graph.snap");
    snapshot::write(&path, &key, &data, &[], loaded).unwrap();
    let Opened::Fresh(back) = snapshot::open(&path, &data, &[], &[]) else {
        panic!("the snapshot just written opens")
    };
    assert!(back.graph.is_mapped());
    back.graph
}
