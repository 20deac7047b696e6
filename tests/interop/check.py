#!/usr/bin/env python3
"""Checks eje's exports against real graph software (run by run.sh).

1. Loads the neo4j-dialect Cypher script into FalkorDB and the kuzu-dialect
   script into a fresh Kuzu database, one statement per line, and checks that
   each holds exactly the graph of eje's node-link JSON export: the same
   nodes with the same labels and properties, the same relations with the
   same properties (dates as ISO text, maps and mixed lists as JSON text, as
   the exporter documents).
2. Reads the GraphML and node-link JSON exports with networkx and checks the
   counts and a typed attribute.
3. Runs every plain openCypher statement of the given .kgq files with
   `eje query --format json`, FalkorDB and Kuzu, and checks that the answers
   are equal as multisets of rows. Analyst statements (DESCRIBE, NEIGHBORS,
   PATH, TIMELINE, EVIDENCE), entity references in node patterns
   (`("Kim Jong Un")`) and parameters are eje's own and are skipped. Labels
   and relation types are written in the data's spelling for the peers (eje
   ignores their case over curated data), a directed pattern over a
   symmetric type (`-[:met_with]->`) becomes undirected (eje matches those
   both ways), and in Kuzu a parent kind (`:Agent`) becomes the union of the
   tables of its kinds.

A statement a peer cannot run is reported as not comparable, not as a
failure; a different answer, or a graph that does not load or differs, is.
"""
import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
import time

import kuzu
import networkx as nx
from falkordb import FalkorDB

ANALYST = {"DESCRIBE", "NEIGHBORS", "PATH", "TIMELINE", "EVIDENCE"}


def split_statements(text):
    """Splits a script on ';' outside quotes, backticks and comments."""
    out, cur, i, n, quote = [], [], 0, len(text), None
    while i < n:
        ch = text[i]
        if quote:
            cur.append(ch)
            if ch == "\\" and quote != "`" and i + 1 < n:
                cur.append(text[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        elif ch == ";":
            s = "".join(cur).strip()
            if s:
                out.append(s)
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    s = "".join(cur).strip()
    if s:
        out.append(s)
    return out


def script_lines(path):
    """The statements of an exported script: one per line."""
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("//"):
                yield line


def canon(v):
    """A hashable, comparable form of a value. Numbers compare as floats;
    a string holding JSON text of a non-string (how the exports store maps,
    mixed lists and, in typed Kuzu columns, mixed scalars) compares as the
    value it holds, on both sides alike."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, (int, float)):
        return ("n", float(v))
    if isinstance(v, str):
        try:
            j = json.loads(v)
        except ValueError:
            return ("s", v)
        return ("s", v) if isinstance(j, str) else canon(j)
    if isinstance(v, (list, tuple)):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("m", tuple(sorted((k, canon(x)) for k, x in v.items() if x is not None)))
    if v is None:
        return ("null",)
    return ("?", repr(v))


def canon_props(props):
    return tuple(sorted((k, canon(v)) for k, v in props.items() if v is not None and not k.startswith("_")))


class Failures:
    def __init__(self):
        self.items = []

    def add(self, what):
        self.items.append(what)
        print("FAIL:", what)


def expected_graph(path):
    doc = json.load(open(path, encoding="utf-8"))
    nodes = {}
    for n in doc["nodes"]:
        props = dict(n["properties"])
        props.setdefault("id", n["id"])
        nodes[n["id"]] = (n["labels"], canon_props(props))
    rels = collections.Counter(
        (l["source"], l["type"], l["target"], canon_props(l["properties"])) for l in doc["links"]
    )
    return doc, nodes, rels


def compare_graph(name, want_nodes, want_rels, got_nodes, got_rels, fails):
    """got_nodes: {id: (labels, canon props)}; got_rels: Counter like want."""
    if set(got_nodes) != set(want_nodes):
        fails.add(f"{name}: node ids differ: missing {sorted(set(want_nodes) - set(got_nodes))[:5]}, "
                  f"extra {sorted(set(got_nodes) - set(want_nodes))[:5]}")
    bad = 0
    for i, (labels, props) in want_nodes.items():
        if i not in got_nodes:
            continue
        got_labels, got_props = got_nodes[i]
        # Kuzu keeps one label, the most specific kind (its table).
        want_labels = labels[:1] if name == "kuzu" else labels
        if sorted(got_labels) != sorted(want_labels):
            fails.add(f"{name}: node {i} has labels {got_labels}, eje {labels}")
        if got_props != props:
            bad += 1
            if bad <= 3:
                diff = sorted(set(got_props) ^ set(props))
                fails.add(f"{name}: node {i} properties differ: {diff[:4]}")
    if got_rels != want_rels:
        missing = want_rels - got_rels
        extra = got_rels - want_rels
        fails.add(f"{name}: relations differ: {sum(missing.values())} missing (e.g. {list(missing)[:1]}), "
                  f"{sum(extra.values())} extra (e.g. {list(extra)[:1]})")
    print(f"{name}: {len(got_nodes)} nodes, {sum(got_rels.values())} relations "
          f"(eje: {len(want_nodes)}, {sum(want_rels.values())})")


# ------------------------------------------------------------------ FalkorDB

def load_falkordb(port, script, fails):
    db = FalkorDB(host="127.0.0.1", port=port)
    for _ in range(100):  # the server may still be starting
        try:
            db.connection.ping()
            break
        except Exception:
            time.sleep(0.1)
    g = db.select_graph("eje_interop")
    try:
        g.delete()
    except Exception:
        pass
    for n, stmt in enumerate(script_lines(script), 1):
        try:
            g.query(stmt)
        except Exception as e:
            fails.add(f"falkordb: statement {n} of the neo4j script fails: {e}\n  {stmt[:300]}")
            return None
    return g


def falkordb_graph(g):
    nodes = {}
    for (n,) in g.query("MATCH (n) RETURN n").result_set:
        nodes[n.properties.get("id")] = (n.labels, canon_props(n.properties))
    rels = collections.Counter()
    for a, e, b in g.query("MATCH (a)-[e]->(b) RETURN a.id, e, b.id").result_set:
        rels[(a, e.relation, b, canon_props(e.properties))] += 1
    return nodes, rels


# ---------------------------------------------------------------------- Kuzu

# Every Kuzu database of this run lives under one temporary folder, removed
# when the process ends (a database is hundreds of megabytes).
KUZU_TMP = tempfile.TemporaryDirectory(prefix="eje-kuzu-")


def load_kuzu(script, fails):
    db = kuzu.Database(tempfile.mkdtemp(dir=KUZU_TMP.name) + "/db")
    conn = kuzu.Connection(db)
    for n, stmt in enumerate(script_lines(script), 1):
        try:
            conn.execute(stmt)
        except Exception as e:
            fails.add(f"kuzu: statement {n} of the kuzu script fails: {e}\n  {stmt[:300]}")
            return None, None
    return db, conn


def rows(result):
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def kuzu_key(internal):
    return (internal["table"], internal["offset"])


def kuzu_graph(conn):
    """Every node and relation, one table at a time: a query over all
    tables unifies a column's type across them (a list in one table, text
    in another comes back as text)."""
    tables = rows(conn.execute("CALL show_tables() RETURN name, type"))
    nodes, by_internal = {}, {}
    for name, kind in sorted(tables):
        if kind != "NODE":
            continue
        for (n,) in rows(conn.execute(f"MATCH (n:`{name}`) RETURN n")):
            nodes[n["id"]] = ([n["_label"]], canon_props(n))
            by_internal[kuzu_key(n["_id"])] = n["id"]
    rels = collections.Counter()
    for name, kind in sorted(tables):
        if kind != "REL":
            continue
        for (e,) in rows(conn.execute(f"MATCH ()-[e:`{name}`]->() RETURN e")):
            rels[(by_internal[kuzu_key(e["_src"])], e["_label"], by_internal[kuzu_key(e["_dst"])],
                  canon_props(e))] += 1
    return nodes, rels, by_internal


# ------------------------------------------------------------------ networkx

def check_networkx(work, doc, fails):
    g = nx.read_graphml(f"{work}/graph.graphml", force_multigraph=True)
    if g.number_of_nodes() != len(doc["nodes"]) or g.number_of_edges() != len(doc["links"]):
        fails.add(f"networkx GraphML: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
                  f"eje {len(doc['nodes'])}, {len(doc['links'])}")
    typed = [d for _, _, d in g.edges(data=True) if "derived" in d]
    if typed and not all(isinstance(d["derived"], bool) for d in typed):
        fails.add("networkx GraphML: `derived` is not read as a boolean")
    h = nx.node_link_graph(doc, edges="links")
    if h.number_of_nodes() != len(doc["nodes"]) or h.number_of_edges() != len(doc["links"]):
        fails.add("networkx node-link: counts differ")
    print(f"networkx: GraphML {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
          f"node-link {h.number_of_nodes()} nodes, {h.number_of_edges()} edges")


# ------------------------------------------------------------------- queries

ENTITY_REF = re.compile(r"\(\s*(?:[A-Za-z_]\w*)?\s*(?::\s*(?:`[^`]*`|\w+)\s*)*[\"']")
NODE_LABELS = re.compile(r"(\(\s*(?:[A-Za-z_]\w*)?\s*)((?::\s*(?:`[^`]*`|\w+)\s*)+)")
REL_TYPES = re.compile(r"(\[\s*(?:[A-Za-z_]\w*)?\s*:\s*)((?:`[^`]*`|\w+)(?:\s*\|\s*:?\s*(?:`[^`]*`|\w+))*)")
RELATION = re.compile(r"(<)?-\[([^\]]*)\]-(>)?")
STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def why_skip(stmt):
    words = stmt.split()
    if words and words[0].upper() in ANALYST:
        return "analyst statement"
    if ENTITY_REF.search(STRING.sub("''", stmt).replace("''", "")) or ENTITY_REF.search(stmt):
        return "entity reference"
    if re.search(r"\$\w", STRING.sub("", stmt)):
        return "parameter"
    return None


class Translator:
    """Writes labels and types in the data's spelling; for Kuzu, a label
    becomes the union of the kinds' tables that carry it (and several
    labels, all of which a node must carry, the tables that carry all)."""

    def __init__(self, doc):
        self.tables = collections.defaultdict(set)
        self.spelling = {}
        for n in doc["nodes"]:
            for label in n["labels"]:
                self.tables[label.lower()].add(n["labels"][0])
                self.spelling[label.lower()] = label
        for l in doc["links"]:
            self.spelling.setdefault(l["type"].lower(), l["type"])
        self.symmetric = {t.lower() for t in doc["graph"].get("symmetric", [])}

    def name(self, raw):
        return raw.strip().strip("`")

    def labels(self, stmt, kuzu):
        def node(m):
            names = [self.name(x) for x in m.group(2).split(":") if x.strip()]
            if kuzu:
                sets = [self.tables.get(x.lower()) for x in names]
                if all(sets):
                    tables = set.intersection(*sets)
                    if tables:
                        return m.group(1) + "".join(":" + t for t in sorted(tables)) + " "
            return m.group(1) + "".join(":" + self.spelling.get(x.lower(), x) for x in names) + " "

        def rel(m):
            names = [self.name(x).lstrip(":").strip() for x in m.group(2).split("|")]
            return m.group(1) + "|".join(self.spelling.get(x.lower(), x) for x in names)

        def direction(m):
            # eje matches a symmetric type in both directions: so does an
            # undirected pattern.
            types = re.match(r"\s*(?:[A-Za-z_]\w*)?\s*:\s*([^*{\]]*)", m.group(2))
            names = [self.name(x).lstrip(":").strip().lower() for x in types.group(1).split("|")] if types else []
            if names and all(x in self.symmetric for x in names):
                return "-[" + m.group(2) + "]-"
            return m.group(0)

        def both(text):
            text = RELATION.sub(direction, NODE_LABELS.sub(node, REL_TYPES.sub(rel, text)))
            if kuzu:
                # Kuzu spells openCypher's type(r) as label(r).
                text = re.sub(r"\btype\s*\(", "label(", text, flags=re.IGNORECASE)
            return text

        parts, last = [], 0
        for s in STRING.finditer(stmt):  # leave string literals alone
            parts.append(both(stmt[last:s.start()]))
            parts.append(s.group(0))
            last = s.end()
        parts.append(both(stmt[last:]))
        return "".join(parts)


def unordered(items):
    """A list compared ignoring element order: the order collect() gathers
    in is implementation-defined (the TCK's "ignoring element order for
    lists"), so engines may differ there and still agree."""
    return ("l", tuple(sorted(items, key=repr)))


def cell_eje(v):
    if isinstance(v, dict):
        if "labels" in v and "id" in v and "properties" in v:
            return ("node", v["id"])
        if "type" in v and "from" in v and "to" in v:
            return ("rel", v["type"], v["from"], v["to"], canon((v.get("properties") or {}).get("id")))
        if "nodes" in v and "rels" in v:
            return ("path", tuple(cell_eje(x) for x in v["nodes"]), tuple(cell_eje(x) for x in v["rels"]))
        return ("m", tuple(sorted((k, cell_eje(x)) for k, x in v.items())))
    if isinstance(v, list):
        return unordered(cell_eje(x) for x in v)
    return canon(v)


def cell_falkordb(v, ids):
    cls = type(v).__name__
    if cls == "Node":
        return ("node", v.properties.get("id"))
    if cls == "Edge":
        return ("rel", v.relation, ids.get(v.src_node), ids.get(v.dest_node), canon(v.properties.get("id")))
    if cls == "Path":
        return ("path", tuple(cell_falkordb(x, ids) for x in v.nodes()),
                tuple(cell_falkordb(x, ids) for x in v.edges()))
    if isinstance(v, dict):
        return ("m", tuple(sorted((k, cell_falkordb(x, ids)) for k, x in v.items())))
    if isinstance(v, list):
        return unordered(cell_falkordb(x, ids) for x in v)
    return canon(v)


def cell_kuzu(v, by_internal):
    if isinstance(v, dict):
        if "_nodes" in v and "_rels" in v:
            return ("path", tuple(cell_kuzu(x, by_internal) for x in v["_nodes"]),
                    tuple(cell_kuzu(x, by_internal) for x in v["_rels"]))
        if "_src" in v:
            return ("rel", v["_label"], by_internal.get(kuzu_key(v["_src"])),
                    by_internal.get(kuzu_key(v["_dst"])), canon(v.get("id")))
        if "_label" in v and "_id" in v:
            return ("node", v.get("id"))
        return ("m", tuple(sorted((k, cell_kuzu(x, by_internal)) for k, x in v.items())))
    if isinstance(v, list):
        return unordered(cell_kuzu(x, by_internal) for x in v)
    return canon(v)


def bag(table):
    return collections.Counter(tuple(row) for row in table)


def run_queries(files, eje, g, falkor_ids, conn, kuzu_ids, translator, fails):
    tally = collections.Counter()
    for path in files:
        text = open(path, encoding="utf-8").read()
        for stmt in split_statements(text):
            label = f"{path.split('/')[-1]}: {' '.join(stmt.split())[:90]}"
            reason = why_skip(stmt)
            if reason:
                tally["skipped"] += 1
                print(f"  skip ({reason}): {label}")
                continue
            p = subprocess.run([eje, "query", "--format", "json", stmt], capture_output=True, text=True)
            if p.returncode != 0:
                tally["eje error"] += 1
                print(f"  eje cannot run it ({p.stderr.strip().splitlines()[:1]}): {label}")
                continue
            answer = json.loads(p.stdout.strip().splitlines()[-1])
            want = bag([cell_eje(c) for c in row] for row in answer["rows"])
            peers = {}
            try:
                q = translator.labels(stmt, kuzu=False)
                res = (g.ro_query(q) if hasattr(g, "ro_query") else g.query(q)).result_set
                peers["falkordb"] = bag([cell_falkordb(c, falkor_ids) for c in row] for row in res)
            except Exception as e:
                peers["falkordb"] = f"error: {str(e).splitlines()[0][:120]}"
            try:
                res = rows(conn.execute(translator.labels(stmt, kuzu=True)))
                peers["kuzu"] = bag([cell_kuzu(c, kuzu_ids) for c in row] for row in res)
            except Exception as e:
                peers["kuzu"] = f"error: {str(e).splitlines()[0][:120]}"
            verdicts = []
            for peer, got in peers.items():
                if isinstance(got, str):
                    tally[f"{peer} cannot run"] += 1
                    verdicts.append(f"{peer} {got}")
                elif got == want:
                    tally[f"{peer} same"] += 1
                    verdicts.append(f"{peer} same")
                else:
                    tally[f"{peer} DIFFERENT"] += 1
                    verdicts.append(f"{peer} DIFFERENT")
                    note = ""
                    if translator.symmetric and re.search(r"->|<-", stmt):
                        note = ("\n    note: eje matches the symmetric types "
                                f"({', '.join(sorted(translator.symmetric))}) both ways, even in a directed pattern")
                    fails.add(f"{peer} answers differently: {label}\n    eje:  {sorted(want.items())[:3]}\n"
                              f"    {peer}: {sorted(got.items())[:3]}{note}")
            print(f"  {len(answer['rows'])} rows; {'; '.join(verdicts)}: {label}")
    return tally


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eje", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("queries", nargs="*")
    args = ap.parse_args()
    fails = Failures()
    doc, want_nodes, want_rels = expected_graph(f"{args.work}/graph.json")

    g = load_falkordb(args.port, f"{args.work}/graph.neo4j.cypher", fails)
    falkor_ids = {}
    if g is not None:
        nodes, rels = falkordb_graph(g)
        compare_graph("falkordb", want_nodes, want_rels, nodes, rels, fails)
        falkor_ids = dict(g.query("MATCH (n) RETURN id(n), n.id").result_set)
    db, conn = load_kuzu(f"{args.work}/graph.kuzu.cypher", fails)
    kuzu_ids = {}
    if conn is not None:
        nodes, rels, kuzu_ids = kuzu_graph(conn)
        compare_graph("kuzu", want_nodes, want_rels, nodes, rels, fails)
    check_networkx(args.work, doc, fails)

    if args.queries and g is not None and conn is not None:
        print(f"queries: {len(args.queries)} files")
        tally = run_queries(args.queries, args.eje, g, falkor_ids, conn, kuzu_ids, Translator(doc), fails)
        print("queries: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    elif not args.queries:
        print("queries: no queries/*.kgq files to compare")

    if fails.items:
        print(f"interop: {len(fails.items)} failures")
        return 1
    print("interop: the exports load into FalkorDB, Kuzu and networkx as the same graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
