#!/usr/bin/env python3
"""Loads eje's bulk exports into real databases and checks them (run.sh).

For one dataset, given the folders `eje export --format bulk` wrote:

1. Kuzu: a fresh database runs the folder's `load.cypher` (its tables and
   `COPY FROM` statements, from inside the folder);
   FalkorDB: `falkordb-bulk-insert` loads the folder as its README says, into
   a new graph on the server run.sh started, then each label's `id` is
   indexed.
2. Each database must hold eje's graph (its node-link JSON export): the
   count of nodes per label and of relations per type, and the properties of
   every node and relation (`--sample N`: of every Nth one).
3. The plain openCypher statements of the given .kgq files, and with
   `--bench` the canonical benchmark queries (`queries.cypher`, parameters
   from the generator's manifest, checksums from its `benchlib.py`), must
   give eje's answers.

Prints each load's time; exits 1 on any difference.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

import kuzu
from falkordb import FalkorDB

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402  (the Cypher-script check's comparisons)


def load_kuzu_bulk(folder, fails):
    db = kuzu.Database(tempfile.mkdtemp(prefix="bulk-", dir=check.KUZU_TMP.name) + "/db")
    conn = kuzu.Connection(db)
    here = os.getcwd()
    t = time.perf_counter()
    cpu = time.process_time()
    os.chdir(folder)
    try:
        for n, stmt in enumerate(check.script_lines("load.cypher"), 1):
            try:
                conn.execute(stmt)
            except Exception as e:
                fails.add(f"kuzu bulk: statement {n} of load.cypher fails: {e}\n  {stmt[:300]}")
                return None, None, 0
    finally:
        os.chdir(here)
    print(f"kuzu bulk: CPU time of the load {time.process_time() - cpu:.2f} s (Kuzu runs in this process)")
    return db, conn, time.perf_counter() - t


def load_falkordb_bulk(port, folder, graph, fails):
    manifest = json.load(open(os.path.join(folder, "manifest.json"), encoding="utf-8"))
    exe = os.path.join(os.path.dirname(sys.executable), "falkordb-bulk-insert")
    cmd = [exe, graph, "--server-url", f"redis://127.0.0.1:{port}", "--enforce-schema"]
    for n in manifest["nodes"]:
        cmd += ["-N", ":".join(n["labels"]), n["file"]]
    for r in manifest["relations"]:
        cmd += ["-R", r["type"], r["file"]]
    db = FalkorDB(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            db.connection.ping()
            break
        except Exception:
            time.sleep(0.1)
    try:
        db.select_graph(graph).delete()
    except Exception:
        pass
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        fails.add(f"falkordb bulk: falkordb-bulk-insert failed ({p.returncode}): {(p.stdout + p.stderr)[-1500:]}")
        return None, 0
    g = db.select_graph(graph)
    for label in sorted({n["labels"][0] for n in manifest["nodes"]}):
        g.query(f"CREATE INDEX FOR (n:`{label}`) ON (n.{manifest['key']})")
    return g, time.perf_counter() - t


def expected_counts(doc):
    labels, kinds, types = collections.Counter(), collections.Counter(), collections.Counter()
    for n in doc["nodes"]:
        labels.update(n["labels"])
        kinds[n["labels"][0]] += 1
    for l in doc["links"]:
        types[l["type"]] += 1
    return labels, kinds, types


def sampled(doc, want_nodes, every):
    """Every Nth node (by id), and every relation that leaves one of them:
    (node ids, expected nodes, expected relations)."""
    ids = sorted(want_nodes)[::every]
    chosen = set(ids)
    rels = collections.Counter(
        (l["source"], l["type"], l["target"], check.canon_props(l["properties"]))
        for l in doc["links"] if l["source"] in chosen)
    return ids, {i: want_nodes[i] for i in ids}, rels


def compare_counts(name, got, want, what, fails):
    if got != want:
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        fails.add(f"{name}: {what} counts differ (database, eje): {dict(list(diff.items())[:6])}")
    else:
        print(f"{name}: {sum(want.values())} {what} in {len(want)} groups, as eje")


def kuzu_check(conn, doc, want_nodes, want_rels, every, fails):
    _, kinds, types = expected_counts(doc)
    got = collections.Counter(dict(check.rows(conn.execute("MATCH (n) RETURN label(n), count(*)"))))
    compare_counts("kuzu bulk", got, kinds, "nodes per kind", fails)
    got = collections.Counter(dict(check.rows(conn.execute("MATCH ()-[r]->() RETURN label(r), count(*)"))))
    compare_counts("kuzu bulk", got, types, "relations per type", fails)
    if every <= 1:
        nodes, rels, by_internal = check.kuzu_graph(conn)
        check.compare_graph("kuzu", want_nodes, want_rels, nodes, rels, fails)
        return by_internal
    ids, want_nodes, want_rels = sampled(doc, want_nodes, every)
    tables = check.rows(conn.execute("CALL show_tables() RETURN name, type"))
    nodes, rels = {}, collections.Counter()
    for name, kind in sorted(tables):
        if kind == "NODE":
            for (n,) in check.rows(conn.execute(f"MATCH (n:`{name}`) WHERE n.id IN $ids RETURN n", {"ids": ids})):
                nodes[n["id"]] = ([n["_label"]], check.canon_props(n))
        else:
            q = f"MATCH (a)-[e:`{name}`]->(b) WHERE a.id IN $ids RETURN a.id, e, b.id"
            for a, e, b in check.rows(conn.execute(q, {"ids": ids})):
                rels[(a, e["_label"], b, check.canon_props(e))] += 1
    print(f"kuzu bulk: sample of every {every}th node and the relations leaving them")
    check.compare_graph("kuzu", want_nodes, want_rels, nodes, rels, fails)
    return {}


def falkordb_check(g, doc, want_nodes, want_rels, every, fails):
    labels, _, types = expected_counts(doc)
    got = collections.Counter()
    for ls, c in g.query("MATCH (n) RETURN labels(n), count(*)").result_set:
        for l in ls:
            got[l] += c
    compare_counts("falkordb bulk", got, labels, "nodes per label", fails)
    got = collections.Counter(dict(g.query("MATCH ()-[r]->() RETURN type(r), count(*)").result_set))
    compare_counts("falkordb bulk", got, types, "relations per type", fails)
    if every <= 1:
        nodes, rels = check.falkordb_graph(g)
        check.compare_graph("falkordb", want_nodes, want_rels, nodes, rels, fails)
        return dict(g.query("MATCH (n) RETURN id(n), n.id").result_set)
    ids, want_nodes, want_rels = sampled(doc, want_nodes, every)
    nodes, rels = {}, collections.Counter()
    for kind in sorted({n["labels"][0] for n in doc["nodes"]}):
        for (n,) in g.query(f"MATCH (n:`{kind}`) WHERE n.id IN $ids RETURN n", {"ids": ids}).result_set:
            nodes[n.properties.get("id")] = (n.labels, check.canon_props(n.properties))
        q = f"MATCH (a:`{kind}`) WHERE a.id IN $ids MATCH (a)-[e]->(b) RETURN a.id, e, b.id"
        for a, e, b in g.query(q, {"ids": ids}).result_set:
            rels[(a, e.relation, b, check.canon_props(e.properties))] += 1
    print(f"falkordb bulk: sample of every {every}th node and the relations leaving them")
    check.compare_graph("falkordb", want_nodes, want_rels, nodes, rels, fails)
    return dict(g.query("MATCH (n) RETURN id(n), n.id").result_set)


def canonical_queries(bench, manifest_path, eje, data, g, conn, fails):
    """The eight canonical queries: the same checksum from eje, Kuzu and
    FalkorDB (each with its override where the canonical text does not run
    there; FalkorDB's q3 counts `s` instead of `*`, for its known undercount
    of parallel edges)."""
    sys.path.insert(0, bench)
    import benchlib as B

    params = B.load_manifest(os.path.dirname(manifest_path))["params"]
    peers = {"kuzu": {q: t for q, t, _ in B.load_queries(os.path.join(bench, "queries.cypher"), "kuzu")},
             "falkordb": {q: t for q, t, _ in B.load_queries(os.path.join(bench, "queries.cypher"), "falkordb")}}
    for qid, text, _ in B.load_queries(os.path.join(bench, "queries.cypher")):
        q = B.substitute(text, params)
        p = subprocess.run([eje, "query", "--data", data, "--format", "json", q],
                           capture_output=True, text=True)
        if p.returncode != 0:
            fails.add(f"eje cannot run {qid}: {p.stderr.strip()[:300]}")
            continue
        want = B.checksum(json.loads(p.stdout.strip().splitlines()[-1])["rows"])
        verdicts = []
        for peer in ("kuzu", "falkordb"):
            pq = B.substitute(peers[peer][qid], params)
            if peer == "falkordb" and qid == "q3":
                pq = pq.replace("count(*)", "count(s)")
            try:
                if peer == "kuzu":
                    rows = check.rows(conn.execute(pq))
                else:
                    rows = g.query(pq).result_set
            except Exception as e:
                fails.add(f"{peer} cannot run {qid}: {str(e).splitlines()[0][:200]}")
                continue
            got = B.checksum(rows)
            if got == want:
                verdicts.append(f"{peer} same")
            else:
                verdicts.append(f"{peer} DIFFERENT")
                fails.add(f"{peer} answers {qid} differently: checksum {got}, eje {want}")
        print(f"  {qid}: eje {want}; {'; '.join(verdicts)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eje", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--work", required=True, help="holds graph.json, bulk-kuzu/ and bulk-falkordb/")
    ap.add_argument("--name", default="bundled", help="what the data is, for the messages")
    ap.add_argument("--data", help="the eje data folder (for the canonical queries)")
    ap.add_argument("--bench", help="the benchmark folder (queries.cypher, benchlib.py)")
    ap.add_argument("--manifest", help="the generator's manifest.json (query parameters)")
    ap.add_argument("--sample", type=int, default=1, help="compare every Nth node and relation")
    ap.add_argument("queries", nargs="*")
    args = ap.parse_args()
    fails = check.Failures()
    doc, want_nodes, want_rels = check.expected_graph(f"{args.work}/graph.json")
    print(f"[{args.name}] eje: {len(want_nodes)} nodes, {sum(want_rels.values())} relations")

    db, conn, kuzu_s = load_kuzu_bulk(f"{args.work}/bulk-kuzu", fails)
    kuzu_ids = {}
    if conn is not None:
        print(f"kuzu bulk: loaded with load.cypher in {kuzu_s:.2f} s")
        kuzu_ids = kuzu_check(conn, doc, want_nodes, want_rels, args.sample, fails)
    g, falkor_s = load_falkordb_bulk(args.port, f"{args.work}/bulk-falkordb", f"eje_bulk_{args.name}", fails)
    falkor_ids = {}
    if g is not None:
        print(f"falkordb bulk: loaded with falkordb-bulk-insert (and indexed) in {falkor_s:.2f} s")
        falkor_ids = falkordb_check(g, doc, want_nodes, want_rels, args.sample, fails)

    if args.queries and g is not None and conn is not None:
        print(f"queries on the bulk-loaded graphs: {len(args.queries)} files")
        tally = check.run_queries(args.queries, args.eje, g, falkor_ids, conn, kuzu_ids,
                                  check.Translator(doc), fails)
        print("queries: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    if args.bench and g is not None and conn is not None:
        print("canonical benchmark queries:")
        canonical_queries(args.bench, args.manifest, args.eje, args.data, g, conn, fails)

    if fails.items:
        print(f"interop bulk [{args.name}]: {len(fails.items)} failures")
        return 1
    print(f"interop bulk [{args.name}]: the bulk exports load into Kuzu and FalkorDB as the same graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
