//! Every kind of change to a data folder is seen, and keys read back as
//! written.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use super::*;

const BUILD: &str = "0.1.0/test-build";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn rels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn set_mtime(path: &Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// A key taken as if long after every file was written: no file is racy,
/// so only the stamps decide.
fn settled(root: &Path, names: &[String]) -> DataKey {
    let later = SystemTime::now() + Duration::from_secs(3600);
    DataKey::capture_at(root, names, later, BUILD).unwrap()
}

/// A key taken right now: every file was just written, so each is racy and
/// its content is hashed.
fn fresh(root: &Path, names: &[String]) -> DataKey {
    DataKey::capture_at(root, names, SystemTime::now(), BUILD).unwrap()
}

#[test]
fn an_unchanged_folder_matches() {
    let d = folder(&[("schema.ron", "()"), ("a/people.ron", "(entities: [])")]);
    let names = rels(&["schema.ron", "a/people.ron"]);
    for key in [settled(d.path(), &names), fresh(d.path(), &names)] {
        assert!(key.matches_build(d.path(), &names, BUILD));
    }
    assert!(
        settled(d.path(), &names)
            .files
            .iter()
            .all(|f| f.content.is_none())
    );
    assert!(
        fresh(d.path(), &names)
            .files
            .iter()
            .all(|f| f.content.is_some())
    );
}

#[test]
fn an_edit_is_seen() {
    let d = folder(&[("schema.ron", "()"), ("p.ron", "(entities: [])")]);
    let names = rels(&["schema.ron", "p.ron"]);
    let keys = [settled(d.path(), &names), fresh(d.path(), &names)];
    fs::write(d.path().join("p.ron"), "(entities: [ ])").unwrap();
    for key in keys {
        assert!(!key.matches_build(d.path(), &names, BUILD));
    }
}

#[test]
fn an_edit_of_the_same_size_with_its_modification_time_restored_is_seen_by_its_content() {
    // Written and edited within one tick of the file system's clock: the
    // stamps may all be equal, the content hash is not.
    let d = folder(&[("p.ron", "(entities: [a])")]);
    let names = rels(&["p.ron"]);
    let path = d.path().join("p.ron");
    let key = fresh(d.path(), &names);
    let before = mtime(&path);
    fs::write(&path, "(entities: [b])").unwrap();
    set_mtime(&path, before);
    assert_eq!(mtime(&path), before);
    assert!(!key.matches_build(d.path(), &names, BUILD));
}

#[test]
fn an_edit_of_the_same_size_with_its_modification_time_restored_is_seen_by_its_change_time() {
    let d = folder(&[("p.ron", "(entities: [a])")]);
    let names = rels(&["p.ron"]);
    let path = d.path().join("p.ron");
    let key = settled(d.path(), &names);
    let before = mtime(&path);
    // The change time moves at the file system's coarse clock (a few
    // milliseconds at most); wait past one tick so the edit gets a new one.
    std::thread::sleep(Duration::from_millis(50));
    fs::write(&path, "(entities: [b])").unwrap();
    set_mtime(&path, before);
    assert_eq!(mtime(&path), before);
    assert!(!key.matches_build(d.path(), &names, BUILD));
}

#[test]
fn a_file_replaced_by_an_equal_copy_is_seen() {
    // Same name, size, text and modification time: only the inode (and
    // change time) say it is another file.
    let d = folder(&[("p.ron", "(entities: [a])"), ("copy", "(entities: [a])")]);
    let names = rels(&["p.ron"]);
    let key = settled(d.path(), &names);
    set_mtime(&d.path().join("copy"), mtime(&d.path().join("p.ron")));
    fs::rename(d.path().join("copy"), d.path().join("p.ron")).unwrap();
    assert!(!key.matches_build(d.path(), &names, BUILD));
}

#[test]
fn adding_removing_and_renaming_files_are_seen() {
    let d = folder(&[("schema.ron", "()"), ("p.ron", "(entities: [])")]);
    let names = rels(&["schema.ron", "p.ron"]);
    let key = settled(d.path(), &names);

    fs::write(d.path().join("q.ron"), "(entities: [])").unwrap();
    assert!(!key.matches_build(d.path(), &rels(&["schema.ron", "p.ron", "q.ron"]), BUILD));
    fs::remove_file(d.path().join("q.ron")).unwrap();
    assert!(key.matches_build(d.path(), &names, BUILD));

    fs::rename(d.path().join("p.ron"), d.path().join("r.ron")).unwrap();
    assert!(!key.matches_build(d.path(), &rels(&["schema.ron", "r.ron"]), BUILD));

    fs::remove_file(d.path().join("r.ron")).unwrap();
    assert!(!key.matches_build(d.path(), &rels(&["schema.ron"]), BUILD));
    // A file the key names that is gone: no match, no panic.
    assert!(!key.matches_build(d.path(), &names, BUILD));
    assert!(DataKey::capture(d.path(), &names).is_err());
}

#[test]
fn a_touch_without_change_makes_the_key_stale() {
    // A touch keeps the text; the snapshot is rebuilt, with the same answers.
    let d = folder(&[("p.ron", "(entities: [])")]);
    let names = rels(&["p.ron"]);
    let path = d.path().join("p.ron");
    let key = settled(d.path(), &names);
    set_mtime(&path, mtime(&path) + Duration::from_secs(1));
    assert!(!key.matches_build(d.path(), &names, BUILD));
}

#[test]
fn another_build_does_not_match() {
    let d = folder(&[("p.ron", "()")]);
    let names = rels(&["p.ron"]);
    let key = settled(d.path(), &names);
    assert!(!key.matches_build(d.path(), &names, "0.1.0/another-build"));
}

#[test]
fn the_running_binary_has_one_identity_with_its_version() {
    let id = build_id();
    assert_eq!(id, build_id());
    assert!(id.starts_with(env!("CARGO_PKG_VERSION")), "{id}");
    let d = folder(&[("p.ron", "()")]);
    let names = rels(&["p.ron"]);
    let key = DataKey::capture(d.path(), &names).unwrap();
    assert_eq!(key.build, id);
    assert!(key.matches(d.path(), &names));
}

#[test]
fn keys_read_back_as_written() {
    let d = folder(&[("schema.ron", "()"), ("a/é p.ron", "(entities: [])")]);
    let names = rels(&["schema.ron", "a/é p.ron"]);
    for key in [settled(d.path(), &names), fresh(d.path(), &names)] {
        assert_eq!(DataKey::from_bytes(&key.to_bytes()), Some(key));
    }
}

#[test]
fn truncated_extended_or_foreign_keys_are_refused() {
    let d = folder(&[("schema.ron", "()"), ("p.ron", "(entities: [])")]);
    let names = rels(&["schema.ron", "p.ron"]);
    let bytes = fresh(d.path(), &names).to_bytes();
    for n in 0..bytes.len() {
        assert_eq!(DataKey::from_bytes(&bytes[..n]), None, "cut at {n}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(DataKey::from_bytes(&longer), None);
    let mut other_layout = bytes.clone();
    other_layout[7] = 2;
    assert_eq!(DataKey::from_bytes(&other_layout), None);
}

proptest! {
    #[test]
    fn any_bytes_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = DataKey::from_bytes(&bytes);
        let mut with_magic = MAGIC.to_vec();
        with_magic.extend_from_slice(&bytes);
        if let Some(key) = DataKey::from_bytes(&with_magic) {
            prop_assert_eq!(key.to_bytes(), with_magic);
        }
    }
}
