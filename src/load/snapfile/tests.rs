//! Snapshots read back as written; damaged ones are refused, never trusted.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use super::*;

fn key(n: usize) -> DataKey {
    let dir = tempfile::tempdir().unwrap();
    let mut rels = Vec::new();
    for i in 0..n {
        let rel = format!("f{i}.ron");
        fs::write(dir.path().join(&rel), format!("({i})")).unwrap();
        rels.push(rel);
    }
    DataKey::capture_at(dir.path(), &rels, SystemTime::now(), "0.1.0/test").unwrap()
}

const NODES: u32 = 1;
const RELS: u32 = 2;

fn sample(path: &Path) -> DataKey {
    let k = key(2);
    let rels: Vec<u8> = (0..=255).collect();
    write(path, &k, &[(NODES, b"the nodes"), (RELS, &rels), (3, b"")]).unwrap();
    k
}

#[test]
fn a_snapshot_reads_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let k = sample(&path);
    let snap = SnapFile::open(&path).unwrap();
    assert_eq!(snap.key(), &k);
    assert_eq!(snap.tags(), vec![NODES, RELS, 3]);
    assert_eq!(snap.section(NODES).unwrap().unwrap(), b"the nodes");
    let rels: Vec<u8> = (0..=255).collect();
    assert_eq!(snap.section(RELS).unwrap().unwrap(), rels.as_slice());
    // A second read comes from the first.
    assert_eq!(snap.section(RELS).unwrap().unwrap(), rels.as_slice());
    assert_eq!(snap.section(3).unwrap().unwrap(), b"");
    assert!(snap.section(99).is_none());
    // Sections start aligned, so columns of numbers can be read in place.
    for t in [NODES, RELS, 3] {
        assert_eq!(snap.range(t).unwrap().unwrap().start % 8, 0);
    }
    assert!(snap.verify_all().is_ok());
    // Nothing is left beside it.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("data.snap")]);
}

#[test]
fn a_missing_or_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    assert!(matches!(SnapFile::open(&path), Err(Damage::Missing)));
    fs::write(&path, "(entities: [])\n").unwrap();
    assert!(matches!(SnapFile::open(&path), Err(Damage::Foreign)));
    // Another layout version of the same magic: the one before (SHA-256
    // checksums) or one after.
    for version in [1, MAGIC[7] + 1] {
        sample(&path);
        let mut bytes = fs::read(&path).unwrap();
        bytes[7] = version;
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(SnapFile::open(&path), Err(Damage::Foreign)));
    }
}

#[test]
fn a_snapshot_cut_anywhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    sample(&path);
    let whole = fs::read(&path).unwrap();
    let cut = dir.path().join("cut.snap");
    for n in 0..whole.len() {
        fs::write(&cut, &whole[..n]).unwrap();
        let all_sections = SnapFile::open(&cut).map(|s| {
            [NODES, RELS, 3]
                .iter()
                .all(|t| s.section(*t).unwrap().is_ok())
        });
        assert!(
            !matches!(all_sections, Ok(true)),
            "cut at {n} read as whole"
        );
    }
}

#[test]
fn a_changed_byte_anywhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    sample(&path);
    let whole = fs::read(&path).unwrap();
    let bad = dir.path().join("bad.snap");
    let mut unseen = 0;
    for i in 0..whole.len() {
        let mut bytes = whole.clone();
        bytes[i] ^= 0x20;
        fs::write(&bad, &bytes).unwrap();
        match SnapFile::open(&bad) {
            Err(_) => {}
            Ok(s) => {
                // The header held: the change is in a section, and reading
                // that section says which.
                let damaged: Vec<_> = [NODES, RELS, 3]
                    .into_iter()
                    .filter(|t| matches!(s.section(*t), Some(Err(Damage::Corrupt(_)))))
                    .collect();
                // Verifying every section at once finds the same.
                let all = SnapFile::open(&bad).unwrap().verify_all();
                assert_eq!(all.is_err(), damaged.len() == 1, "byte {i}");
                assert!(damaged.len() <= 1, "byte {i}");
                // Only the zero bytes that align a section are read by no
                // one.
                if damaged.is_empty() {
                    assert_eq!(whole[i], 0, "byte {i}");
                    unseen += 1;
                }
            }
        }
    }
    assert!(unseen < 8, "{unseen} bytes changed unseen");
}

#[test]
fn a_damaged_section_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    sample(&path);
    let mut bytes = fs::read(&path).unwrap();
    let at = bytes.windows(9).position(|w| w == b"the nodes").unwrap();
    bytes[at] = b'T';
    fs::write(&path, &bytes).unwrap();
    let snap = SnapFile::open(&path).unwrap();
    let err = snap.section(NODES).unwrap().unwrap_err();
    assert_eq!(
        err.note(&path),
        format!(
            "the snapshot `{}` is damaged (section 1 checksum); the data is read from its files and the snapshot rebuilt",
            path.display()
        )
    );
    assert!(snap.section(RELS).unwrap().is_ok());
}

#[test]
fn two_writers_and_a_reader_at_once_see_only_whole_snapshots() {
    // Two writers and a reader at once: every open sees one whole snapshot,
    // the first writer's or the second's.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let (ka, kb) = (key(1), key(3));
    write(&path, &ka, &[(NODES, b"a")]).unwrap();
    std::thread::scope(|s| {
        for (k, text) in [(&ka, b"a"), (&kb, b"b")] {
            let path = &path;
            s.spawn(move || {
                for _ in 0..50 {
                    write(path, k, &[(NODES, text)]).unwrap();
                }
            });
        }
        for _ in 0..200 {
            let snap = SnapFile::open(&path).unwrap();
            let body = snap.section(NODES).unwrap().unwrap().to_vec();
            let want: &[u8] = if snap.key() == &ka { b"a" } else { b"b" };
            assert_eq!(body, want);
        }
    });
}

#[test]
fn a_reader_keeps_its_snapshot_when_it_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    write(&path, &key(1), &[(NODES, b"old")]).unwrap();
    let snap = SnapFile::open(&path).unwrap();
    write(&path, &key(1), &[(NODES, b"new, and longer")]).unwrap();
    assert_eq!(snap.section(NODES).unwrap().unwrap(), b"old");
}

#[test]
fn an_unwritable_folder_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("data.snap");
    assert!(write(&path, &key(1), &[(NODES, b"x")]).is_err());
}

#[test]
fn a_large_section_is_checked_in_slices_and_still_reads_as_written() {
    // Larger than several slices of the check, so pages are given back
    // between them; the bytes read afterwards must be those written.
    let big: Vec<u8> = (0..(20usize << 20) + 4099)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.snap");
    write(&path, &key(1), &[(NODES, b"head"), (RELS, &big)]).unwrap();
    let snap = SnapFile::open(&path).unwrap();
    assert!(snap.verify_all().is_ok());
    assert!(snap.section(RELS).unwrap().unwrap() == big.as_slice());
    assert_eq!(snap.section(NODES).unwrap().unwrap(), b"head");

    // A changed byte in the last slice is still found.
    let mut bytes = fs::read(&path).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    let bad = dir.path().join("bad.snap");
    fs::write(&bad, &bytes).unwrap();
    let snap = SnapFile::open(&bad).unwrap();
    assert!(matches!(snap.verify_all(), Err(Damage::Corrupt(_))));
}

#[test]
fn a_checksum_taken_in_pieces_is_the_checksum_of_the_whole() {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
    for cut in [0, 1, 63, 64, 240, 4096, 99_999, 100_000] {
        let mut h = Hasher::new();
        h.update(&data[..cut]);
        h.update(&data[cut..]);
        assert_eq!(h.digest128().to_le_bytes(), checksum(&data), "cut at {cut}");
    }
}

#[test]
fn sections_given_in_pieces_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let k = key(1);
    let numbers: Vec<u32> = (0..1000).collect();
    write_with(&path, &k, 3, |out| {
        out.begin(NODES)?;
        out.put(Chunk::Bytes(b"the ".to_vec()))?;
        out.put(Chunk::Lent(b"no"))?;
        out.put(Chunk::Bytes(b"des".to_vec()))?;
        out.section(RELS, Chunk::U32(numbers.clone()))?;
        // An empty section, then one whose start needs padding.
        out.begin(3)?;
        Ok(())
    })
    .unwrap();
    let snap = SnapFile::open(&path).unwrap();
    assert!(snap.verify_all().is_ok());
    assert_eq!(snap.tags(), vec![NODES, RELS, 3]);
    assert_eq!(snap.section(NODES).unwrap().unwrap(), b"the nodes");
    let rels: &[u8] = bytemuck::cast_slice(&numbers);
    assert_eq!(snap.section(RELS).unwrap().unwrap(), rels);
    assert_eq!(snap.section(3).unwrap().unwrap(), b"");
    // The same bytes as a snapshot made in memory at once.
    let image = image(&k, &[(NODES, b"the nodes"), (RELS, rels), (3, b"")]);
    assert_eq!(fs::read(&path).unwrap(), image.as_ref());
}

#[test]
fn a_failed_or_miscounted_write_leaves_the_old_snapshot_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let k = sample(&path);
    let before = fs::read(&path).unwrap();
    // Fewer sections than announced.
    let short = write_with(&path, &k, 2, |out| out.section(NODES, Chunk::Lent(b"x")));
    assert!(short.is_err());
    // The filler fails midway.
    let failed = write_with(&path, &k, 2, |out| {
        out.section(NODES, Chunk::Lent(b"x"))?;
        Err(io::Error::other("stopped"))
    });
    assert_eq!(failed.unwrap_err().to_string(), "stopped");
    // Bytes before any section.
    assert!(write_with(&path, &k, 1, |out| out.put(Chunk::Lent(b"x"))).is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("data.snap")]);
}

#[test]
fn more_bytes_than_the_writer_s_queue_holds_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let k = key(1);
    // Pieces made for the snapshot, more of them than the queue takes at
    // once, and a section made before (not counted).
    let pieces: Vec<Vec<u8>> = (0..3 * QUEUED / (1 << 20))
        .map(|i| (0..1 << 20).map(|j| (i as usize * 31 + j) as u8).collect())
        .collect();
    let made: Vec<u8> = (0..QUEUED + 5).map(|j| (j * 7) as u8).collect();
    write_with(&path, &k, 3, |out| {
        out.begin(NODES)?;
        for p in &pieces {
            out.put(Chunk::Bytes(p.clone()))?;
        }
        out.section_made(RELS, Chunk::Bytes(made.clone()))?;
        out.section(3, Chunk::Lent(b"lent"))
    })
    .unwrap();
    let nodes = pieces.concat();
    let image = image(&k, &[(NODES, &nodes), (RELS, &made), (3, b"lent")]);
    assert_eq!(fs::read(&path).unwrap(), image.as_ref());
}

#[test]
fn a_filler_is_not_kept_waiting_by_a_writer_that_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.snap");
    let k = key(1);
    // The writer stops at the first bytes (given before any section);
    // the filler then gives more than the queue holds, and is told.
    let given = write_with(&path, &k, 1, |out| {
        for _ in 0..2 * QUEUED / (1 << 20) {
            out.put(Chunk::Bytes(vec![7; 1 << 20]))?;
        }
        Ok(())
    });
    assert!(given.is_err());
    assert!(!path.exists());
}

#[test]
fn the_writer_s_queue_waits_for_room_and_not_for_a_stopped_writer() {
    let queue = Arc::new(Queue::default());
    // One chunk larger than the queue is taken when it is empty.
    assert!(queue.add(QUEUED + 1));
    let waiting = {
        let queue = queue.clone();
        std::thread::spawn(move || queue.add(1))
    };
    // Room is made: the waiting side goes on.
    queue.took(QUEUED + 1);
    assert!(waiting.join().unwrap());
    queue.took(1);
    // Full again, then the writer stops: the waiting side is told.
    assert!(queue.add(QUEUED));
    let waiting = {
        let queue = queue.clone();
        std::thread::spawn(move || queue.add(2))
    };
    queue.stopped();
    assert!(!waiting.join().unwrap());
}
