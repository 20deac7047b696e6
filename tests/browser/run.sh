#!/usr/bin/env bash
# The HTML evidence map in a real browser: exports maps with eje, opens them
# in headless Chromium through WebDriver (Python's selenium) and checks what
# a reader sees (tests/browser/check_html.py says what).
#
#   bash tests/browser/run.sh                      # from the repository root
#   bash tests/browser/run.sh --screenshots docs   # also remake the README's pictures
#
# Needs Debian's `chromium` and `chromium-driver`, python3, and PyPI the
# first time (selenium goes into target/browser/venv, kept between runs).
# Without Chromium it says so and succeeds, unless EJE_REQUIRE names
# chromium (as .ci/run does): then a missing browser is a failure.
#
# Environment: EJE (the eje binary; default: built with cargo), EJE_REQUIRE.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/tests/browser"
work="$root/target/browser"
out="$work/run"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  case ",${EJE_REQUIRE:-}," in
    *,chromium,*)
      echo "error: the browser test needs \`chromium\` and \`chromedriver\` (EJE_REQUIRE=${EJE_REQUIRE})" >&2
      echo "help: apt-get install chromium chromium-driver" >&2
      exit 1 ;;
    *)
      echo "note: browser test not run: chromium or chromedriver is not installed"
      exit 0 ;;
  esac
fi

rm -rf "$out"
mkdir -p "$out"
if [ -z "${EJE:-}" ]; then
  cargo build --quiet --bin eje
  EJE="$root/target/debug/eje"
fi

venv="$work/venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  echo "== installing selenium into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

echo "== exporting with $EJE"
"$EJE" export --format html -o "$out/whole.html"
"$EJE" export --format json -o "$out/whole.json"
"$EJE" export --format html --focus putin -o "$out/putin.html"
"$EJE" export --format json --focus putin -o "$out/putin.json"
"$EJE" export --format html --focus kursk -o "$out/kursk.html"
# The hostile-strings fixture of the export tests, written by its test.
EJE_HTML_FIXTURES="$out" cargo test --quiet --test html hostile_fixture_map_for_the_browser >/dev/null

echo "== opening them in $(chromium --version 2>/dev/null | head -n1)"
"$venv/bin/python" "$here/check_html.py" "$out" "$@"
