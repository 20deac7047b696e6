//! The snapshot of a data folder, as users meet it: a second start over
//! unchanged files reads no data file and answers the same; any change to
//! the files is seen; a damaged snapshot or an unwritable cache folder is
//! one note, and eje answers as from the files. Every test has its own data
//! folder and cache folder (`XDG_CACHE_HOME`) in a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use std::process::Command;

/// A copy of the bundled dataset and an empty cache folder.
struct Fixture {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    cache: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
        let cache = tmp.path().join("cache");
        Fixture {
            _tmp: tmp,
            data,
            cache,
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_of(Path::new(env!("CARGO_BIN_EXE_eje")), args)
    }

    /// A command running the binary `bin`.
    fn cmd_of(&self, bin: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(bin);
        c.env_remove("EJE_DATA")
            .env_remove("EJE_NO_CACHE")
            .env("NO_COLOR", "1")
            .env("EJE_LOAD_TIMING", "1")
            .env("XDG_CACHE_HOME", &self.cache)
            .arg("--data")
            .arg(&self.data)
            .args(args);
        c
    }

    fn query(&self, q: &str) -> Run {
        Run::of(self.cmd(&["query", q]).output().unwrap())
    }

    fn query_no_cache(&self, q: &str) -> Run {
        Run::of(self.cmd(&["--no-cache", "query", q]).output().unwrap())
    }

    fn snapshots(&self) -> Vec<PathBuf> {
        let Ok(dir) = fs::read_dir(self.cache.join("eje")) else {
            return Vec::new();
        };
        let mut out: Vec<PathBuf> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "snapshot"))
            .collect();
        out.sort();
        out
    }

    fn snapshot(&self) -> PathBuf {
        let snaps = self.snapshots();
        assert_eq!(snaps.len(), 1, "{snaps:?}");
        snaps[0].clone()
    }
}

/// What a run printed, and how many data files it read (from
/// `EJE_LOAD_TIMING`'s `load: N data files read`).
#[derive(Debug)]
struct Run {
    ok: bool,
    stdout: String,
    /// Standard error without the timing lines.
    messages: String,
    files_read: usize,
}

impl Run {
    fn of(out: Output) -> Run {
        let stderr = String::from_utf8(out.stderr).unwrap();
        let files_read = stderr
            .lines()
            .find_map(|l| {
                l.strip_prefix("load: ")?
                    .strip_suffix(" data files read")?
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no count of files read in {stderr}"));
        let messages = stderr
            .lines()
            .filter(|l| !l.starts_with("load: "))
            .map(|l| format!("{l}\n"))
            .collect();
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            messages,
            files_read,
        }
    }
}

/// Answers that depend on every kind of thing the graph holds.
const QUERIES: &[&str] = &[
    "MATCH (n) RETURN n.id, labels(n), n ORDER BY n.id",
    "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, r ORDER BY a.id, type(r), b.id, r.claim",
    "MATCH (a)-[r]->(b) RETURN r.citations, r.sources, r.quotes, r.claimants ORDER BY a.id, type(r), b.id, r.claim",
    "MATCH (n) RETURN n.name ORDER BY n.name",
];

fn all(q: &[&str]) -> String {
    q.join(";\n")
}

/// The snapshot's answer (and messages) equal a load from the files.
fn same_as_from_the_files(f: &Fixture) -> Run {
    let q = all(QUERIES);
    let cached = f.query(&q);
    let fresh = f.query_no_cache(&q);
    assert!(cached.ok && fresh.ok, "{cached:?}\n{fresh:?}");
    assert!(fresh.files_read > 0);
    assert_eq!(cached.stdout, fresh.stdout);
    assert_eq!(cached.messages, fresh.messages);
    cached
}

#[test]
fn an_unchanged_folder_opens_from_its_snapshot_and_answers_the_same() {
    let f = Fixture::new();
    let q = all(QUERIES);
    let first = f.query(&q);
    assert!(first.ok, "{first:?}");
    assert!(first.files_read > 0);
    assert_eq!(f.snapshots().len(), 1);
    let second = f.query(&q);
    assert_eq!(second.files_read, 0, "the second start read data files");
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(second.messages, first.messages);
    // `--no-cache` and `EJE_NO_CACHE=1` read the files, and write nothing.
    let fresh = f.query_no_cache(&q);
    assert!(fresh.files_read > 0);
    assert_eq!(fresh.stdout, first.stdout);
    let by_env = Run::of(
        f.cmd(&["query", &q])
            .env("EJE_NO_CACHE", "1")
            .output()
            .unwrap(),
    );
    assert!(by_env.files_read > 0);
    assert_eq!(by_env.stdout, first.stdout);
}

#[test]
fn no_cache_writes_no_snapshot() {
    let f = Fixture::new();
    let run = f.query_no_cache("RETURN 1");
    assert!(run.ok);
    assert!(f.snapshots().is_empty());
    let run = Run::of(
        f.cmd(&["query", "RETURN 1"])
            .env("EJE_NO_CACHE", "1")
            .output()
            .unwrap(),
    );
    assert!(run.ok);
    assert!(f.snapshots().is_empty());
}

/// Sets a file's modification time.
fn set_mtime(path: &Path, t: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_seen() {
    let f = Fixture::new();
    // Older than the racy window, so the key holds no content hash and the
    // change time alone must tell.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let q = "MATCH (n) RETURN n.name ORDER BY n.name";
    let before = f.query(q);
    assert!(before.files_read > 0);
    let path = f.data.join("people.ron");
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let at = text.find("name: \"").expect("a name in people.ron") + 7;
    let old = text[at..].chars().next().unwrap();
    assert!(old.is_ascii_alphabetic(), "{old}");
    let new = if old == 'Q' { 'Z' } else { 'Q' };
    let edited = format!("{}{new}{}", &text[..at], &text[at + 1..]);
    assert_eq!(edited.len(), text.len());
    fs::write(&path, edited).unwrap();
    set_mtime(&path, mtime);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    let after = f.query(q);
    assert!(after.files_read > 0, "the edit was not seen");
    assert_ne!(after.stdout, before.stdout);
    same_as_from_the_files(&f);
}

#[test]
fn every_kind_of_change_is_seen_and_answers_stay_those_of_the_files() {
    let f = Fixture::new();
    same_as_from_the_files(&f);
    assert_eq!(f.query("RETURN 1").files_read, 0);

    // An edit that changes the size.
    let people = f.data.join("people.ron");
    let mut text = fs::read_to_string(&people).unwrap();
    text.push_str("\n// a comment\n");
    fs::write(&people, text).unwrap();
    assert!(f.query("RETURN 1").files_read > 0, "edit");
    same_as_from_the_files(&f);

    // A file added.
    let extra = f.data.join("stories/extra.ron");
    fs::write(&extra, "()\n").unwrap();
    assert!(f.query("RETURN 1").files_read > 0, "add");
    same_as_from_the_files(&f);
    assert_eq!(f.query("RETURN 1").files_read, 0);

    // Renamed.
    let renamed = f.data.join("stories/extra2.ron");
    fs::rename(&extra, &renamed).unwrap();
    assert!(f.query("RETURN 1").files_read > 0, "rename");
    same_as_from_the_files(&f);

    // Removed.
    fs::remove_file(&renamed).unwrap();
    assert!(f.query("RETURN 1").files_read > 0, "remove");
    same_as_from_the_files(&f);

    // Touched without a change: reused or rebuilt, the same answers.
    set_mtime(&people, std::time::SystemTime::now());
    same_as_from_the_files(&f);

    // A file the walk notes but does not read (`.RON`): its note is shown
    // from the snapshot too.
    fs::write(f.data.join("stories/loud.RON"), "()\n").unwrap();
    let noted = same_as_from_the_files(&f);
    assert!(noted.messages.contains("loud.RON"), "{noted:?}");
    let again = f.query(&all(QUERIES));
    assert_eq!(again.files_read, 0);
    assert_eq!(again.messages, noted.messages);
}

/// Runs a query over a snapshot damaged by `damage`: one note, the files
/// are read, the answers are theirs, and the next start reads the rebuilt
/// snapshot.
fn damaged(damage: impl Fn(&Path)) {
    let f = Fixture::new();
    let q = all(QUERIES);
    let first = f.query(&q);
    damage(&f.snapshot());
    let run = f.query(&q);
    assert!(run.ok, "{run:?}");
    assert!(run.files_read > 0);
    assert_eq!(run.stdout, first.stdout);
    let notes: Vec<&str> = run.messages.lines().collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("note: the snapshot `") && notes[0].contains("rebuilt"),
        "{notes:?}"
    );
    let after = f.query(&q);
    assert_eq!(after.files_read, 0, "the snapshot was not rebuilt");
    assert_eq!(after.stdout, first.stdout);
    assert_eq!(after.messages, "");
}

#[test]
fn a_corrupted_snapshot_is_one_note_and_rebuilt() {
    damaged(|path| {
        let mut bytes = fs::read(path).unwrap();
        let at = bytes.len() * 2 / 3;
        bytes[at] ^= 0x55;
        fs::write(path, bytes).unwrap();
    });
}

#[test]
fn a_truncated_snapshot_is_one_note_and_rebuilt() {
    damaged(|path| {
        let bytes = fs::read(path).unwrap();
        fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
    });
}

/// What a power loss can leave of a snapshot that was renamed into place
/// before its pages reached the disk (it is not synced): the header whole,
/// pages of the sections zeroed or holding other bytes.
#[test]
fn a_snapshot_torn_by_a_power_loss_is_one_note_and_rebuilt() {
    // Whole pages of zeros, past the header's first page.
    damaged(|path| {
        let mut bytes = fs::read(path).unwrap();
        let from = (bytes.len() / 2) / 4096 * 4096;
        let to = (from + 4096).min(bytes.len());
        assert!(bytes[from..to].iter().any(|b| *b != 0));
        bytes[from..to].fill(0);
        fs::write(path, bytes).unwrap();
    });
    // The file's last page, holding stale bytes of another write.
    damaged(|path| {
        let mut bytes = fs::read(path).unwrap();
        let from = (bytes.len() - 1) / 4096 * 4096;
        let stale: Vec<u8> = bytes[from..].iter().map(|b| !b).collect();
        bytes[from..].copy_from_slice(&stale);
        fs::write(path, bytes).unwrap();
    });
}

#[test]
fn a_foreign_file_in_the_snapshot_s_place_is_one_note_and_rebuilt() {
    damaged(|path| fs::write(path, "not a snapshot at all").unwrap());
}

#[test]
fn two_processes_opening_at_once_both_answer_and_leave_one_whole_snapshot() {
    let f = Fixture::new();
    let q = all(QUERIES);
    let children: Vec<_> = (0..2)
        .map(|_| {
            f.cmd(&["query", &q])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let runs: Vec<Run> = children
        .into_iter()
        .map(|c| Run::of(c.wait_with_output().unwrap()))
        .collect();
    for r in &runs {
        assert!(r.ok, "{r:?}");
        assert_eq!(r.messages, "");
    }
    assert_eq!(runs[0].stdout, runs[1].stdout);
    let next = f.query(&q);
    assert_eq!(next.files_read, 0);
    assert_eq!(next.stdout, runs[0].stdout);
    // Nothing half-written is left beside it.
    let names: Vec<_> = fs::read_dir(f.cache.join("eje"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn an_unwritable_cache_folder_is_one_note_and_eje_works_on() {
    let f = Fixture::new();
    // A file where the cache folder should be: nothing can be made in it
    // (whoever runs the test, root included).
    fs::write(&f.cache, "a file").unwrap();
    let q = all(QUERIES);
    let run = f.query(&q);
    assert!(run.ok, "{run:?}");
    assert_eq!(run.stdout, f.query_no_cache(&q).stdout);
    let notes: Vec<&str> = run.messages.lines().collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("note: the snapshot could not be written to `")
            && notes[0].contains("eje works on without it"),
        "{notes:?}"
    );
}

#[test]
fn cache_info_and_clear() {
    let f = Fixture::new();
    let info = |f: &Fixture| {
        let out = f.cmd(&["cache", "info"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let empty = info(&f);
    assert!(empty.contains("(0 snapshots"), "{empty}");
    f.query("RETURN 1");
    let shown = info(&f);
    let canonical = f.data.canonicalize().unwrap();
    assert!(shown.contains("(1 snapshot,"), "{shown}");
    assert!(
        shown.contains(&format!("fresh  {}", f.data.display()))
            || shown.contains(&format!("fresh  {}", canonical.display())),
        "{shown}"
    );
    fs::write(f.data.join("stories/extra.ron"), "()\n").unwrap();
    let stale = info(&f);
    assert!(stale.contains("  stale  "), "{stale}");
    let out = f.cmd(&["cache", "clear"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("removed 1 file"),
        "{out:?}"
    );
    assert!(f.snapshots().is_empty());
    assert!(info(&f).contains("(0 snapshots"));
}

/// Runs a binary this test has just written. While the copy's file was
/// open for writing, another test's thread may have forked: its child holds
/// that descriptor until it execs, and exec of the copy then fails with
/// "Text file busy" (ETXTBSY). That passes in a moment, so try again.
fn output_of_fresh_copy(mut cmd: Command) -> std::process::Output {
    const ETXTBSY: i32 = 26;
    let mut tries = 0;
    loop {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
}

#[test]
fn another_build_of_eje_reads_the_files_again() {
    let f = Fixture::new();
    let q = all(QUERIES);
    let first = f.query(&q);
    assert_eq!(f.query("RETURN 1").files_read, 0);
    // A copy of the binary is another executable file: another build as
    // far as the snapshot knows.
    let other = f.cache.with_file_name("eje-other");
    fs::copy(env!("CARGO_BIN_EXE_eje"), &other).unwrap();
    let run = |bin: &Path| Run::of(output_of_fresh_copy(f.cmd_of(bin, &["query", &q])));
    let by_other = run(&other);
    assert!(by_other.files_read > 0, "another build used the snapshot");
    assert_eq!(by_other.stdout, first.stdout);
    let again = run(&other);
    assert_eq!(again.files_read, 0);
    assert_eq!(again.stdout, first.stdout);
}

#[test]
fn the_snapshot_of_a_folder_that_is_gone_is_removed_by_the_next_write() {
    let f = Fixture::new();
    f.query("RETURN 1");
    let gone = f.snapshot();
    // A second folder with the same cache; the first one deleted.
    let second = f.data.with_file_name("data2");
    copy_dir(&f.data, &second);
    fs::remove_dir_all(&f.data).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_eje"))
        .env("XDG_CACHE_HOME", &f.cache)
        .env_remove("EJE_NO_CACHE")
        .args(["query", "RETURN 1", "--data"])
        .arg(&second)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let left = f.snapshots();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_ne!(left[0], gone);
}
