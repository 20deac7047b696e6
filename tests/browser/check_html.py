"""The HTML evidence map in a real browser: headless Chromium over WebDriver.

    python check_html.py WORK_DIR [--screenshots DOCS_DIR]

WORK_DIR holds what `run.sh` exported: `whole.html`, `putin.html` (and the
node-link `whole.json`, `putin.json` of the same scopes, which this script
reads as the truth), `kursk.html`, and `hostile.html`/`hostile.json` (the
hostile-strings fixture of the export tests). Each check prints one line;
any failure exits 1. `--screenshots` also writes `map-kursk.png` and
`map-evidence.png`. The layout time of `putin.html` is printed (a
measurement, not a check).
"""

import datetime
from collections import Counter
import json
import os
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

HOOKS = """
window.__hooks = {alerts: [], errors: [], csp: []};
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (m) => { window.__hooks.alerts.push(name + ': ' + String(m)); };
}
const origError = console.error.bind(console);
console.error = (...a) => { window.__hooks.errors.push(a.map(String).join(' ')); origError(...a); };
window.addEventListener('error', (e) => window.__hooks.errors.push('uncaught: ' + e.message));
document.addEventListener('securitypolicyviolation',
  (e) => window.__hooks.csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""

failures = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + str(detail)))
    if not ok:
        failures.append(what)


def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="eje-chromium-")
    for a in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions", "--window-size=1400,860",
        "--user-data-dir=" + profile,
    ]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(service=Service(driver), options=opts)
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOKS})
    return d, profile


def open_map(d, path):
    d.get_log("performance")  # drop what came before
    t0 = time.monotonic()
    d.get("file://" + os.path.abspath(path))
    for _ in range(300):
        if d.execute_script("return !!(window.ejeMap && window.ejeMap.ready)"):
            break
        time.sleep(0.05)
    wall = time.monotonic() - t0
    check(d.execute_script("return !!(window.ejeMap && window.ejeMap.ready)"), f"{os.path.basename(path)} lays out")
    return wall


def requests_made(d, own_url):
    urls = []
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if url != own_url:
                urls.append(url)
    return urls


def page_is_clean(d, name):
    hooks = d.execute_script("return window.__hooks")
    check(not hooks["alerts"], f"{name}: no alert, confirm or prompt ran", hooks["alerts"])
    check(not hooks["errors"], f"{name}: console.error stayed silent", hooks["errors"])
    check(not hooks["csp"], f"{name}: nothing broke the Content-Security-Policy", hooks["csp"])
    own = d.current_url
    urls = requests_made(d, own)
    resources = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    check(not urls and not resources, f"{name}: no request left the page", urls + resources)


# ------------------------------------------------------------ the truth

def load_truth(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    symmetric = set(doc["graph"].get("symmetric", []))
    nodes = sorted(n["id"] for n in doc["nodes"])
    bundles = set()
    for link in doc["links"]:
        a, b, t = link["source"], link["target"], link["type"]
        if t in symmetric and b < a:
            a, b = b, a
        bundles.add((a, t, b))
    return doc, nodes, bundles, symmetric


def drawn(d, symmetric):
    got = d.execute_script("return window.ejeMap.drawn()")
    bundles = set()
    for a, t, b in got["bundles"]:
        if t in symmetric and b < a:
            a, b = b, a
        bundles.add((a, t, b))
    return sorted(got["nodes"]), bundles, len(got["bundles"])


def days(text, last):
    """The first or last day a partial ISO date covers."""
    parts = [int(p) for p in text.split("-")]
    y = parts[0]
    m = parts[1] if len(parts) > 1 else (12 if last else 1)
    if len(parts) > 2:
        day = parts[2]
    elif last:
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        day = (nxt - datetime.timedelta(days=1)).day
    else:
        day = 1
    return datetime.date(y, m, day)


EPOCH = datetime.date(1970, 1, 1)


def claim_key(link):
    """A claim as the page lists it: ends, type, id and its days since 1970."""
    p = link["properties"]
    iv = interval(p)
    lo, hi = (None, None) if iv is None else iv
    return (link["source"], link["type"], link["target"], p.get("id") or "",
            None if lo is None else (lo - EPOCH).days, None if hi is None else (hi - EPOCH).days)


def diff(a, b):
    return dict((a - b) + (b - a))


def shown_claims(d):
    return Counter(tuple(c) for c in d.execute_script("return window.ejeMap.shownClaims()"))


def interval(props):
    """[first, last] days of a claim (None at an open end), or None if undated."""
    if props.get("date"):
        return days(props["date"], False), days(props["date"], True)
    s, e = props.get("start"), props.get("end")
    if not s and not e:
        return None
    return (days(s, False) if s else None, days(e, True) if e else None)


# ------------------------------------------------------------ checks

def set_range(d, lo, hi):
    """Moves the date slider's two thumbs as a user would: input events."""
    d.execute_script("""
        const [lo, hi] = arguments;
        const f = document.getElementById('date-from'), t = document.getElementById('date-to');
        t.value = hi; t.dispatchEvent(new Event('input', {bubbles: true}));
        f.value = lo; f.dispatchEvent(new Event('input', {bubbles: true}));
    """, lo, hi)


def click_canvas_at(d, x, y):
    cy = d.find_element(By.ID, "cy")
    w, h = cy.size["width"], cy.size["height"]
    ActionChains(d).move_to_element_with_offset(cy, int(x - w / 2), int(y - h / 2)).click().perform()


def click_bundle(d, a, t, b):
    eid = d.execute_script("return window.ejeMap.edgeOf(arguments[0], arguments[1], arguments[2])", a, t, b)
    if eid is None:
        return False
    # Centre the line, then click its middle, like a reader would.
    p = d.execute_script("""
        const cy = window.ejeMap.cy, e = cy.getElementById(arguments[0]);
        cy.fit(e, 160);
        const m = e.renderedMidpoint();
        return [m.x, m.y];
    """, eid)
    click_canvas_at(d, p[0], p[1])
    return True


def click_node(d, node_id):
    p = d.execute_script("""
        const m = window.ejeMap, i = m.data.nodes.findIndex(n => n.id === arguments[0]);
        const e = m.cy.getElementById('n' + i);
        m.cy.fit(e, 200);
        const r = e.renderedPosition();
        return [r.x, r.y];
    """, node_id)
    click_canvas_at(d, p[0], p[1])


def normalizer_agrees(d, name):
    """The page's normaliser gives eje's key for every id, name and alias."""
    bad = d.execute_script("""
        const m = window.ejeMap;
        return m.data.nodes.flatMap(n => [n.id, n.name, ...n.aliases]
            .filter(x => m.normalize(x) !== '' && !n.keys.includes(m.normalize(x)))
            .map(x => [n.id, x, m.normalize(x), n.keys]));
    """)
    check(not bad, f"{name}: the page normalises every name and alias to eje's key", bad)


def search(d, text):
    box = d.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    return d.execute_script("return window.ejeMap.selected()")


def check_whole(d, work):
    doc, nodes, bundles, symmetric = load_truth(os.path.join(work, "whole.json"))
    open_map(d, os.path.join(work, "whole.html"))
    got_nodes, got_bundles, n_edges = drawn(d, symmetric)
    check(got_nodes == nodes, "whole graph: the entities drawn are the export's",
          set(got_nodes) ^ set(nodes))
    check(got_bundles == bundles and n_edges == len(bundles),
          f"whole graph: one line per relation type and pair ({len(bundles)}) as in the export",
          got_bundles ^ bundles)
    normalizer_agrees(d, "whole graph")
    for text, want in [("Pekín", "beijing"), ("MOSCÚ", "moscow"), ("김정은", "kim_jong_un")]:
        got = search(d, text)
        check(got == [want], f"searching {text!r} selects {want}", got)
        card = d.find_element(By.CSS_SELECTOR, "#panel h2").text
        name = next(n["name"] for n in doc["nodes"] if n["id"] == want)
        check(card == name, f"searching {text!r} opens the card of {name}", card)

    # Unticking "alleged" hides the lines whose every claim is alleged, and
    # no line is drawn as alleged any more.
    only_alleged = set()
    pair_hedges = {}
    for link in doc["links"]:
        a, b, t = link["source"], link["target"], link["type"]
        if t in symmetric and b < a:
            a, b = b, a
        pair_hedges.setdefault((a, t, b), set()).add(link["properties"].get("hedge", "asserted"))
    only_alleged = {k for k, hs in pair_hedges.items() if hs == {"alleged"}}
    check(bool(only_alleged), "the bundled data has lines of alleged claims only")
    d.find_element(By.CSS_SELECTOR, "input[data-filter='filter-hedge'][value='alleged']").click()
    _, after, _ = drawn(d, symmetric)
    check(after == bundles - only_alleged,
          f"unticking alleged hides the {len(only_alleged)} alleged lines and keeps the rest",
          (after ^ (bundles - only_alleged)))
    n_alleged_style = d.execute_script("return window.ejeMap.cy.edges('.h-alleged').not('.off').length")
    check(n_alleged_style == 0, "no line is drawn dashed as alleged", n_alleged_style)
    shown = shown_claims(d)
    expect = Counter(claim_key(l) for l in doc["links"] if l["properties"].get("hedge") != "alleged")
    check(shown == expect, "the claims listed are exactly the ones not alleged", diff(shown, expect))
    d.find_element(By.CSS_SELECTOR, "input[data-filter='filter-hedge'][value='alleged']").click()

    # The date range: a claim stays when it overlaps the range.
    lo_day = datetime.date(2025, 10, 26)
    hi_day = datetime.date(2025, 10, 26)
    set_range(d, (lo_day - EPOCH).days, (hi_day - EPOCH).days)
    shown = shown_claims(d)
    expect = Counter()
    undated = Counter()
    for link in doc["links"]:
        iv = interval(link["properties"])
        if iv is None:
            undated[claim_key(link)] += 1
        if iv is None or ((iv[1] is None or iv[1] >= lo_day) and (iv[0] is None or iv[0] <= hi_day)):
            expect[claim_key(link)] += 1
    check(shown == expect, "the date range 2025-10-26..2025-10-26 keeps exactly the overlapping and undated claims",
          diff(shown, expect))
    ids = {k[3] for k in shown}
    for kept in ["c_putin_met_choe_20251026", "c_putin_received_choe"]:
        check(kept in ids, f"{kept} (overlapping) is kept")
    check("c_putin_met_choe_20251027" not in ids, "c_putin_met_choe_20251027 (the next day) is hidden")
    check(sum(shown.values()) < len(doc["links"]), "the range hides the claims wholly outside it")
    d.find_element(By.ID, "undated").click()
    shown2 = shown_claims(d)
    check(bool(undated) and shown2 == expect - undated, "unticking undated hides the undated claims",
          diff(shown2, expect - undated))
    shown2 = list(shown2.elements())

    # The table: the same claims, sortable, keyboard-navigable.
    d.find_element(By.ID, "show-table").click()
    rows = d.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
    check(len(rows) == len(shown2), "the table lists the claims shown", (len(rows), len(shown2)))
    d.find_element(By.XPATH, "//th/button[text()='When']").click()
    sort = d.find_element(By.XPATH, "//th[button[text()='When']]").get_attribute("aria-sort")
    check(sort == "ascending", "the When column sorts", sort)
    first = d.find_element(By.CSS_SELECTOR, "#claims tbody tr")
    first.click()
    first.send_keys(Keys.ARROW_DOWN)
    focused = d.execute_script("return document.activeElement === document.querySelector('#claims tbody tr:nth-child(2)')")
    check(focused or len(rows) < 2, "ArrowDown moves to the next row")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    check(bool(d.find_elements(By.CSS_SELECTOR, "#panel .claim")), "Enter on a row shows its evidence")
    # Printed, the page is the table.
    d.find_element(By.ID, "show-map").click()
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    shown_in_print = d.execute_script("""
        const vis = id => getComputedStyle(document.getElementById(id)).display !== 'none';
        return [vis('table-view'), vis('map-view'), vis('side')];
    """)
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    check(shown_in_print == [True, False, False], "printed, the page shows the table alone", shown_in_print)
    page_is_clean(d, "whole graph")


def check_putin(d, work, shots):
    doc, nodes, bundles, symmetric = load_truth(os.path.join(work, "putin.json"))
    wall = open_map(d, os.path.join(work, "putin.html"))
    layout_ms = d.execute_script("return window.ejeMap.layoutMs")
    print(f"measure --focus putin: {len(nodes)} entities, {len(bundles)} lines; "
          f"layout {layout_ms:.0f} ms, page load to laid out {wall * 1000:.0f} ms")
    got_nodes, got_bundles, n_edges = drawn(d, symmetric)
    check(got_nodes == nodes and got_bundles == bundles and n_edges == len(bundles),
          "--focus putin: entities and lines drawn are the export's")
    # An entity's card: kind, names, description, relations by type with dates.
    click_node(d, "choe_son_hui")
    card = d.find_element(By.ID, "panel").text
    node = next(n for n in doc["nodes"] if n["id"] == "choe_son_hui")
    types = {l["type"] for l in doc["links"] if "choe_son_hui" in (l["source"], l["target"])}
    check(card.startswith(node["name"]) and "Person" in card
          and all(a in card for a in node["properties"]["aliases"])
          and node["properties"]["description"] in card
          and all(t in card for t in types) and "(2025-10-26)" in card,
          "clicking Choe Son Hui shows her card with her relations by type and date", card[:300])
    check(click_bundle(d, "putin", "met_with", "choe_son_hui"), "the Putin–Choe met_with line is drawn")
    heading = d.find_element(By.CSS_SELECTOR, "#panel h2").text
    check("met_with" in heading and "Putin" in heading and "Choe" in heading,
          "clicking it opens its evidence", heading)
    side = d.find_elements(By.CSS_SELECTOR, "#panel .contested-row .claim.contested")
    texts = [c.text for c in side]
    by_id = {l["properties"].get("id"): l["properties"] for l in doc["links"]}
    for cid, day in [("c_putin_met_choe_20251026", "2025-10-26"), ("c_putin_met_choe_20251027", "2025-10-27")]:
        card = [t for t in texts if "claim " + cid in t]
        quotes = by_id[cid]["quotes"]
        check(len(card) == 1 and day in card[0] and all(q in card[0] for q in quotes),
              f"the contested claim of {day} shows with its quotes", texts)
    tops = {c.location["y"] for c in side}
    check(len(side) == 2 and len(tops) == 1, "the two contested claims sit side by side",
          [c.location for c in side])
    if shots:
        # The whole map behind the panel, the chosen line highlighted.
        d.execute_script("const cy = window.ejeMap.cy; cy.fit(cy.elements().not('.off'), 30)")
        d.save_screenshot(os.path.join(shots, "map-evidence.png"))
    page_is_clean(d, "--focus putin")


def check_kursk(d, work, shots):
    open_map(d, os.path.join(work, "kursk.html"))
    if shots:
        d.execute_script("window.ejeMap.cy.fit(undefined, 30)")
        d.save_screenshot(os.path.join(shots, "map-kursk.png"))
    page_is_clean(d, "--focus kursk")


def check_hostile(d, work):
    doc, nodes, bundles, symmetric = load_truth(os.path.join(work, "hostile.json"))
    open_map(d, os.path.join(work, "hostile.html"))
    got_nodes, got_bundles, _ = drawn(d, symmetric)
    check(got_nodes == nodes and got_bundles == bundles, "hostile strings: everything is drawn")
    normalizer_agrees(d, "hostile strings")
    injected = d.execute_script("return document.querySelectorAll('body b, body img, body iframe, body svg script').length")
    for n in doc["nodes"]:
        click_node(d, n["id"])
        shown = d.execute_script("return document.querySelector('#panel h2').textContent")
        want = n.get("name", n["id"])
        # The page shows what the model shows; control characters are text too.
        check(shown == want, f"hostile name {want!r} shows as text", shown)
    d.find_element(By.ID, "show-table").click()
    cells = d.execute_script("return [...document.querySelectorAll('#claims td')].map(td => td.textContent)")
    notes = [l["properties"]["note"] for l in doc["links"] if "note" in l["properties"]]
    d.find_element(By.ID, "show-map").click()
    click_bundle(d, doc["links"][0]["source"], doc["links"][0]["type"], doc["links"][0]["target"])
    panel = d.execute_script("return document.getElementById('panel').textContent")
    check(all(n in panel for n in notes[:1]), "a hostile note shows as text in the evidence panel")
    check(injected == 0 and d.execute_script("return document.querySelectorAll('#panel b, #claims b').length") == 0,
          "no markup from the data became an element")
    check(len(cells) > 0, "the hostile claims are in the table")
    page_is_clean(d, "hostile strings")


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    work = args[0]
    shots = args[args.index("--screenshots") + 1] if "--screenshots" in args else None
    d, profile = browser()
    try:
        check_whole(d, work)
        check_putin(d, work, shots)
        check_kursk(d, work, shots)
        check_hostile(d, work)
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print(f"{len(failures)} browser check(s) failed")
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
