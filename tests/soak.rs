//! A soak test of the shell (ignored by default; `.ci/run` runs it with a
//! bounded count): many statements through one `eje repl` over piped
//! standard input (queries, analyst statements, errors, reloads and
//! exports, in rounds), checking that memory stays flat and the answers do
//! not change from round to round.
//!
//! `EJE_SOAK_STATEMENTS` sets about how many statements run (default 400).
//! Resident memory is read from `/proc/PID/status` at two points, after
//! round 10 and after the last round, while the shell is held still: each
//! point is a statement whose answer is larger than a pipe holds, and the
//! test stops reading standard output as soon as that answer begins, so the
//! shell waits there with every statement before it done.

use std::io::Read;
use std::process::{Command, Stdio};

/// The statements of one round (each round is the same).
const ROUND: &[&str] = &[
    "MATCH (n) RETURN n.id ORDER BY n.id LIMIT 5",
    "MATCH (a)-[r]->(b) RETURN type(r) AS t, count(*) AS n ORDER BY t",
    "MATCH p = (a {id: 'putin'})-[*1..2]-(b) RETURN count(p) AS paths",
    "DESCRIBE putin",
    "NEIGHBORS putin",
    "RETURN size([x IN range(1, 2000) | toString(x)]) AS n",
    "MATCH (a), (b) RETURN count(*) AS pairs",
    "RETURN nosuchfunction(1)",
    "MATCH (n RETURN n",
    ":reload",
    ":export dot soak.dot",
];

/// The statement that holds the shell still: an answer of about 400 KB.
const HOLD: &str = "RETURN 'HOLD' AS mark, [x IN range(1, 40000) | 'yyyyyyy'] AS big";

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc status")
}

#[test]
#[ignore = "long: run by .ci/run with a bounded count"]
fn memory_stays_flat_over_many_statements_in_one_shell() {
    let statements: usize = std::env::var("EJE_SOAK_STATEMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let rounds = (statements / ROUND.len()).max(12);
    let first_sample = 10;
    let dir = tempfile::tempdir().unwrap();
    let mut input = String::from(":format csv\n");
    for r in 0..rounds {
        input.push_str(&format!("RETURN 'round {r}' AS round\n"));
        for s in ROUND {
            input.push_str(s);
            input.push('\n');
        }
        if r + 1 == first_sample || r + 1 == rounds {
            input.push_str(HOLD);
            input.push('\n');
        }
    }
    std::fs::write(dir.path().join("input.kgq"), &input).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_eje"))
        .args([
            "repl",
            "--keep-going",
            "--history",
            "off",
            "--color",
            "never",
        ])
        .current_dir(dir.path())
        .env_remove("EJE_DATA")
        .env("HOME", dir.path())
        .stdin(std::fs::File::open(dir.path().join("input.kgq")).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let mut samples = Vec::new();
    loop {
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        let holds = out.windows(6).filter(|w| w == b"\nHOLD,").count();
        if holds > samples.len() {
            // The shell is writing the large answer and waits for us.
            samples.push(rss_kib(pid));
        }
    }
    let status = child.wait().unwrap();
    let errors = errors.join().unwrap();
    // Two statements of each round fail on purpose.
    assert_eq!(status.code(), Some(1), "{errors}");
    assert_eq!(samples.len(), 2, "{errors}");
    assert_eq!(
        errors.matches("unknown function `nosuchfunction`").count(),
        rounds,
        "each round's error once: {errors}"
    );
    assert_eq!(errors.matches("wrote").count(), rounds, "{errors}");

    // The same answers in every round.
    let text = String::from_utf8(out).unwrap();
    // Without the two large answers.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("mark,big") && !l.starts_with("HOLD,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut answers: Vec<String> = text
        .split("round\nround ")
        .skip(1)
        .map(|r| {
            let (_, body) = r.split_once('\n').unwrap();
            body.to_string()
        })
        .collect();
    assert_eq!(answers.len(), rounds);
    let first = answers.remove(0);
    assert!(first.contains("putin"), "{first}");
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(a.trim_end(), first.trim_end(), "round {} differs", i + 1);
    }

    let (after, last) = (samples[0], samples[1]);
    eprintln!(
        "{rounds} rounds, {} statements: RSS {after} KiB after round {first_sample}, {last} KiB at the end",
        rounds * (ROUND.len() + 1)
    );
    assert!(
        last * 10 <= after * 11,
        "resident memory grew from {after} KiB to {last} KiB"
    );
}
