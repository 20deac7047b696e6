// eje evidence map: draws the embedded data with cytoscape.js and shows the
// evidence of every claim. Every string from the data reaches the page as
// text (textContent, cytoscape labels on a canvas), never as markup.
(function () {
  "use strict";

  const D = JSON.parse(document.getElementById("eje-data").textContent);
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- names
  // eje's name key (model::names::normalize): NFKC, case folded, accents
  // removed, anything that is not a letter or digit a word break, runs of
  // breaks one space, then NFC. Lower case is taken code point by code
  // point, as Rust's char::to_lowercase does (no final-sigma rule).
  const MARK = /\p{M}/u;
  const ALNUM = /[\p{Alphabetic}\p{N}]/u;
  function normalize(name) {
    let folded = "";
    for (const c of String(name).normalize("NFKC")) folded += c.toLowerCase();
    let out = "";
    let pending = false;
    for (const c of folded.normalize("NFD")) {
      if (MARK.test(c)) continue;
      if (ALNUM.test(c)) {
        if (pending && out.length > 0) out += " ";
        pending = false;
        out += c;
      } else {
        pending = true;
      }
    }
    return out.normalize("NFC");
  }

  // ---------------------------------------------------------------- DOM
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) e.append(c);
    return e;
  }

  // ---------------------------------------------------------------- data
  const HEDGES = ["asserted", "reported", "estimated", "expected", "alleged", "speculated", "denied"];
  const hedgeRank = (h) => {
    const i = HEDGES.indexOf(h);
    return i < 0 ? HEDGES.length : i;
  };
  const nodes = D.nodes;
  const claims = D.claims;
  const bundles = D.bundles;
  const kindOf = new Map(D.kinds.map((k) => [k.name, k]));
  const sourceOf = new Map(D.sources.map((s) => [s.id, s]));
  const bundleOfClaim = new Array(claims.length);
  bundles.forEach((b, i) => b.claims.forEach((c) => { bundleOfClaim[c] = i; }));
  const claimById = new Map();
  claims.forEach((c, i) => { if (c.id) claimById.set(c.id, i); });
  const DAY = 86400000;
  const dayText = (d) => new Date(d * DAY).toISOString().slice(0, 10);
  const kindName = (k) => (k === "" ? "(no kind)" : k);

  // ---------------------------------------------------------------- filters
  const state = { hedge: new Map(), kind: new Map(), type: new Map(), from: null, to: null, undated: true };
  let dateMin = null;
  let dateMax = null;
  for (const c of claims) {
    if (!c.dated) continue;
    for (const d of [c.lo, c.hi]) {
      if (d === null) continue;
      if (dateMin === null || d < dateMin) dateMin = d;
      if (dateMax === null || d > dateMax) dateMax = d;
    }
  }
  state.from = dateMin;
  state.to = dateMax;

  const kindOn = (n) => state.kind.get(nodes[n].kind) !== false;
  function dateOn(c) {
    if (!c.dated) return state.undated;
    if (state.from === null) return true;
    // Hidden only when wholly outside the range: the intervals do not overlap.
    return (c.hi === null || c.hi >= state.from) && (c.lo === null || c.lo <= state.to);
  }
  function claimOn(i) {
    const c = claims[i];
    return state.hedge.get(c.hedge) !== false && state.type.get(c.type) !== false &&
      kindOn(c.from) && kindOn(c.to) && dateOn(c);
  }

  // ---------------------------------------------------------------- graph
  const container = $("cy");
  const n = nodes.length;
  const radius = Math.max(120, n * 14);
  const elements = [];
  nodes.forEach((node, i) => {
    const k = kindOf.get(node.kind) || { color: "#7f7f7f", cy_shape: "round-rectangle", border: "solid" };
    const angle = (2 * Math.PI * i) / Math.max(1, n);
    elements.push({
      group: "nodes",
      data: {
        id: "n" + i, ix: i, label: node.name, color: k.color || "#7f7f7f", shape: k.cy_shape,
        bstyle: k.border === "double" ? "double" : "solid",
        bwidth: k.border === "double" ? 5 : k.border === "thick" ? 3.5 : 2,
      },
      position: { x: radius * Math.cos(angle), y: radius * Math.sin(angle) },
    });
  });
  bundles.forEach((b, i) => {
    elements.push({
      group: "edges",
      data: { id: "b" + i, ix: i, source: "n" + b.from, target: "n" + b.to, label: b.type },
      classes: b.symmetric ? "symmetric" : "",
    });
  });

  const style = [
    { selector: "node", style: {
      shape: "data(shape)", "background-color": "data(color)", "background-opacity": 0.22,
      "border-color": "data(color)", "border-width": "data(bwidth)", "border-style": "data(bstyle)",
      width: 28, height: 28, label: "data(label)", "font-size": 11, color: "#222",
      "font-family": "system-ui, Helvetica, Arial, sans-serif",
      "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 120,
      "text-background-color": "#ffffff", "text-background-opacity": 0.75, "text-background-padding": 1,
      "min-zoomed-font-size": 5 } },
    { selector: "edge", style: {
      width: 2, "line-color": "#4d4d4d", "target-arrow-color": "#4d4d4d", "target-arrow-shape": "triangle",
      "arrow-scale": 0.8, "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#333",
      "font-family": "system-ui, Helvetica, Arial, sans-serif",
      "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.8,
      "min-zoomed-font-size": 8 } },
    { selector: "edge.symmetric", style: { "target-arrow-shape": "none" } },
    { selector: "edge.h-reported, edge.h-estimated", style: { "line-style": "dotted", width: 2.2 } },
    { selector: "edge.h-alleged, edge.h-expected", style: { "line-style": "dashed", "line-dash-pattern": [7, 4] } },
    { selector: "edge.h-speculated", style: { "line-style": "dashed", "line-dash-pattern": [8, 3, 2, 3], width: 1.3, color: "#888" } },
    { selector: "edge.h-denied", style: { "line-style": "dashed", "line-dash-pattern": [5, 3], "target-arrow-shape": "tee", "line-color": "#8c564b", "target-arrow-color": "#8c564b", color: "#8c564b" } },
    { selector: "edge.deprecated", style: { "line-color": "#aaaaaa", "target-arrow-color": "#aaaaaa", color: "#999999" } },
    { selector: "edge.derived", style: { width: 1, "line-color": "#999999", "target-arrow-color": "#999999", "arrow-scale": 0.5, color: "#777777" } },
    { selector: "edge.contested", style: { "line-color": "#d62728", "target-arrow-color": "#d62728", width: 3, color: "#d62728", "font-weight": "bold" } },
    { selector: "node.found", style: { "border-color": "#000000", "border-width": 5, "underlay-color": "#ffd84d", "underlay-opacity": 0.7, "underlay-padding": 8 } },
    { selector: "node:selected", style: { "underlay-color": "#1f77b4", "underlay-opacity": 0.35, "underlay-padding": 8 } },
    { selector: "edge:selected", style: { "underlay-color": "#1f77b4", "underlay-opacity": 0.3, "underlay-padding": 5 } },
    { selector: ".off", style: { display: "none" } },
  ];

  // eslint-disable-next-line no-undef
  const cy = cytoscape({
    container, elements, style, minZoom: 0.05, maxZoom: 6,
    boxSelectionEnabled: false, selectionType: "single", layout: { name: "preset" },
  });

  const api = { cy, data: D, normalize, ready: false, layoutMs: null };
  window.ejeMap = api;

  // The layout sees one line per pair of entities: cose pulls harder on a
  // pair the more lines join it, which would pile up the busiest pairs.
  function layoutElements() {
    const seen = new Set();
    let eles = cy.nodes();
    cy.edges().forEach((e) => {
      const b = bundles[e.data("ix")];
      const key = Math.min(b.from, b.to) + "-" + Math.max(b.from, b.to);
      if (!seen.has(key)) { seen.add(key); eles = eles.union(e); }
    });
    return eles;
  }
  function runLayout() {
    const t0 = performance.now();
    const layout = layoutElements().layout({
      name: "cose", animate: false, randomize: false, fit: true, padding: 30,
      nodeDimensionsIncludeLabels: true, idealEdgeLength: () => 100, nodeRepulsion: () => 2000000,
      nodeOverlap: 20, edgeElasticity: () => 60, gravity: 0.5, numIter: 1500, componentSpacing: 60,
    });
    layout.one("layoutstop", () => {
      api.layoutMs = performance.now() - t0;
      api.ready = true;
      document.body.dataset.ready = "true";
    });
    layout.run();
  }

  // ---------------------------------------------------------------- bundle state
  // A bundle shows its visible claims: it is drawn in the style of the most
  // certain of them, contested when any of them is, derived and deprecated
  // when all of them are; hidden when none is visible.
  function bundleLook(i) {
    const on = bundles[i].claims.filter(claimOn);
    if (on.length === 0) return null;
    let best = on[0];
    for (const c of on) if (hedgeRank(claims[c].hedge) < hedgeRank(claims[best].hedge)) best = c;
    const hedge = claims[best].hedge;
    const contested = on.some((c) => claims[c].conflicts.length > 0);
    const derived = on.every((c) => claims[c].derived);
    const deprecated = on.every((c) => claims[c].rank === "deprecated");
    let label = bundles[i].type + (on.length > 1 ? " ×" + on.length : "");
    if (hedge !== "asserted") label += " · " + hedge;
    if (contested) label = "⚠ " + label + " · contested";
    return { on, hedge, contested, derived, deprecated, label };
  }

  function applyFilters() {
    cy.batch(() => {
      cy.nodes().forEach((e) => { e.toggleClass("off", !kindOn(e.data("ix"))); });
      cy.edges().forEach((e) => {
        const look = bundleLook(e.data("ix"));
        const cls = ["off", "contested", "derived", "deprecated"].concat(HEDGES.map((h) => "h-" + h));
        cls.forEach((c) => e.removeClass(c));
        if (!look) { e.addClass("off"); return; }
        e.addClass("h-" + look.hedge);
        if (look.contested) e.addClass("contested");
        if (look.derived) e.addClass("derived");
        if (look.deprecated) e.addClass("deprecated");
        e.data("label", look.label);
      });
    });
    const shownNodes = cy.nodes().not(".off").length;
    const shownEdges = cy.edges().not(".off").length;
    const shownClaims = claims.reduce((a, _, i) => a + (claimOn(i) ? 1 : 0), 0);
    $("counts").textContent = `${shownNodes} of ${nodes.length} entities, ${shownEdges} of ${bundles.length} lines, ` +
      `${shownClaims} of ${claims.length} claims shown`;
    renderTable();
    refreshPanel();
  }

  // ---------------------------------------------------------------- side bar
  function checkboxes(fieldset, values, map, label) {
    for (const [value, count] of values) {
      const box = el("input", { type: "checkbox", checked: true, value, "data-filter": fieldset });
      box.addEventListener("change", () => { map.set(value, box.checked); applyFilters(); });
      $(fieldset).append(el("label", null, box, " ", label(value), " ", el("span", { class: "count", text: "(" + count + ")" })));
    }
  }
  function counted(list) {
    const m = new Map();
    for (const v of list) m.set(v, (m.get(v) || 0) + 1);
    return m;
  }
  const hedgeCounts = counted(claims.map((c) => c.hedge));
  checkboxes("filter-hedge",
    [...hedgeCounts].sort((a, b) => hedgeRank(a[0]) - hedgeRank(b[0]) || (a[0] < b[0] ? -1 : 1)),
    state.hedge, (h) => h);
  checkboxes("filter-kind", D.kinds.map((k) => [k.name, k.count]), state.kind, kindName);
  checkboxes("filter-type", [...counted(claims.map((c) => c.type))].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    state.type, (t) => t);

  const from = $("date-from");
  const to = $("date-to");
  if (dateMin === null) {
    $("date-range").replaceChildren(el("p", { class: "hint", text: "No claim here is dated." }));
  } else {
    for (const r of [from, to]) { r.min = dateMin; r.max = dateMax; }
    from.value = dateMin;
    to.value = dateMax;
    const show = () => {
      $("date-from-text").textContent = dayText(state.from);
      $("date-to-text").textContent = dayText(state.to);
    };
    from.addEventListener("input", () => {
      state.from = Number(from.value);
      if (state.from > state.to) { state.to = state.from; to.value = state.to; }
      show(); applyFilters();
    });
    to.addEventListener("input", () => {
      state.to = Number(to.value);
      if (state.to < state.from) { state.from = state.to; from.value = state.from; }
      show(); applyFilters();
    });
    $("undated").addEventListener("change", (ev) => { state.undated = ev.target.checked; applyFilters(); });
    show();
  }

  // Legend: the kinds drawn, with the shape they map to, then the lines.
  function legend() {
    const box = $("legend");
    for (const k of D.kinds) {
      const sw = svg("svg", { width: 18, height: 14, "aria-hidden": "true" },
        svg("rect", { x: 1, y: 1, width: 16, height: 12, rx: k.cy_shape === "ellipse" ? 7 : 2,
          fill: k.color || "#7f7f7f", "fill-opacity": 0.25, stroke: k.color || "#7f7f7f", "stroke-width": 2 }));
      box.append(el("div", { class: "row", title: `Graphviz ${k.shape || "(default)"} → ${k.cy_shape}` },
        sw, kindName(k.name) + " (" + k.cy_shape + ")"));
    }
    const lines = [
      ["asserted", {}], ["reported, estimated: dotted", { "stroke-dasharray": "2 3" }],
      ["alleged, expected: dashed", { "stroke-dasharray": "7 4" }],
      ["speculated: dash-dot", { "stroke-dasharray": "8 3 2 3", "stroke-width": 1.3 }],
      ["denied: dashed, bar head", { "stroke-dasharray": "5 3", stroke: "#8c564b" }],
      ["⚠ contested: red", { stroke: "#d62728", "stroke-width": 3 }],
      ["derived: thin grey", { stroke: "#999999", "stroke-width": 1 }],
      ["deprecated: grey", { stroke: "#aaaaaa" }],
    ];
    for (const [text, attrs] of lines) {
      const a = Object.assign({ x1: 1, y1: 7, x2: 29, y2: 7, stroke: "#4d4d4d", "stroke-width": 2 }, attrs);
      box.append(el("div", { class: "row" }, svg("svg", { width: 30, height: 14, "aria-hidden": "true" }, svg("line", a)), text));
    }
    box.append(el("p", { class: "hint", text: "One line per relation type between two entities; it is drawn like its most certain shown claim. No arrow: a symmetric relation." }));
  }
  legend();

  function provenance() {
    const m = D.meta;
    $("scope").textContent = `${m.scope}: ${m.nodes} entities, ${m.claims} claims`;
    const list = el("ul");
    for (const s of D.sources) {
      const bits = [s.published, s.publisher, s.language].filter((x) => x);
      list.append(el("li", null, el("strong", { text: s.title || s.id }), bits.length ? " (" + bits.join(", ") + ")" : "", " ", el("code", { text: s.id })));
    }
    $("provenance").append(
      el("p", null, "Made by " + m.generator + " from its data, showing " + m.scope + "."),
      el("p", null, `Drawn with ${m.library} (MIT licence), embedded in this file: it makes no network request.`),
      el("p", null, el("strong", { text: "Sources cited" })), list);
  }
  provenance();

  // ---------------------------------------------------------------- panel
  let panelShows = null; // { node: i } or { bundle: i }
  function hedgeBadge(h) { return el("span", { class: "hedge hedge-" + h, text: h }); }
  function nodeButton(i) {
    return el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); select("n" + i); showNode(i); } }, nodes[i].name);
  }
  function claimCard(i, contested) {
    const c = claims[i];
    const head = el("div", { class: "head" },
      c.when || "undated", " ", hedgeBadge(c.hedge), " rank " + c.rank,
      c.quantity ? " · " + c.quantity : "",
      c.derived ? " · derived" : "");
    const card = el("div", { class: "claim" + (contested ? " contested" : "") + (claimOn(i) ? "" : " is-hidden"), "data-claim": c.id || String(i) },
      head, el("div", { class: "hint", text: (c.id ? "claim " + c.id : "relation") + (claimOn(i) ? "" : " (hidden by a filter)") }));
    for (const cite of c.citations) {
      const src = sourceOf.get(cite.source);
      const meta = [];
      if (src) {
        meta.push(el("cite", { text: src.title || src.id }));
        if (src.published) meta.push(" (" + src.published + ")");
        if (src.publisher) meta.push(", " + src.publisher);
      } else if (cite.source) {
        meta.push(el("cite", { text: cite.source }));
      }
      if (cite.claimant) meta.push(" · claimant: " + cite.claimant);
      const extra = Object.entries(cite).filter(([k]) => !["source", "quote", "claimant", "hedge"].includes(k));
      card.append(el("div", { class: "citation" },
        cite.quote ? el("blockquote", null, "“" + cite.quote + "”") : null,
        el("div", { class: "meta" }, ...meta, " ", cite.hedge ? hedgeBadge(cite.hedge) : null),
        extra.length ? el("dl", null, ...extra.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])) : null));
    }
    if (c.note) card.append(el("p", { class: "hint", text: "Note: " + c.note }));
    if (c.conflicts.length) card.append(el("p", { text: "Conflicts with " + c.conflicts.join(", ") }));
    if (c.props.length) card.append(el("dl", null, ...c.props.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])));
    return card;
  }
  function showBundle(i) {
    panelShows = { bundle: i };
    const b = bundles[i];
    const p = $("panel");
    const arrow = b.symmetric ? " — " : " → ";
    p.replaceChildren(el("h2", null, nodeButton(b.from), arrow + b.type + arrow, nodeButton(b.to)),
      el("p", { class: "hint", text: b.claims.length + (b.claims.length === 1 ? " claim" : " claims") }));
    const contested = b.claims.filter((c) => claims[c].conflicts.length > 0);
    if (contested.length) {
      const row = el("div", { class: "contested-row" }, el("h3", { text: "⚠ Contested: these claims disagree" }));
      contested.forEach((c) => row.append(claimCard(c, true)));
      p.append(row);
    }
    const rest = b.claims.filter((c) => claims[c].conflicts.length === 0);
    if (rest.length && contested.length) p.append(el("h3", { text: "Other claims" }));
    rest.forEach((c) => p.append(claimCard(c, false)));
  }
  function showNode(i) {
    panelShows = { node: i };
    const node = nodes[i];
    const k = kindOf.get(node.kind);
    const badge = el("span", { class: "kind", text: kindName(node.kind) });
    if (k && k.color) badge.style.borderColor = k.color;
    const p = $("panel");
    p.replaceChildren(el("h2", { text: node.name }), el("p", null, badge, node.when ? " " + node.when : "", " ", el("code", { text: node.id })));
    if (node.aliases.length) p.append(el("h3", { text: "Also called" }), el("ul", null, ...node.aliases.map((a) => el("li", { text: a }))));
    if (node.description) p.append(el("p", { text: node.description }));
    if (node.props.length) p.append(el("dl", null, ...node.props.flatMap(([k2, v]) => [el("dt", { text: k2 }), el("dd", { text: v })])));
    const byType = new Map();
    claims.forEach((c, ci) => {
      if (c.from !== i && c.to !== i) return;
      if (!byType.has(c.type)) byType.set(c.type, []);
      byType.get(c.type).push(ci);
    });
    if (byType.size) p.append(el("h3", { text: "Relations" }));
    for (const [type, list] of [...byType].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const ul = el("ul");
      for (const ci of list) {
        const c = claims[ci];
        const other = c.from === i ? c.to : c.from;
        const dir = c.from === i ? "→ " : "← ";
        ul.append(el("li", { class: claimOn(ci) ? "" : "is-hidden" },
          el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); select("b" + bundleOfClaim[ci]); showBundle(bundleOfClaim[ci]); } },
            dir + nodes[other].name), c.when ? " (" + c.when + ")" : "", " ", c.hedge !== "asserted" ? hedgeBadge(c.hedge) : null));
      }
      p.append(el("div", null, el("strong", { text: type }), ul));
    }
  }
  function refreshPanel() {
    if (!panelShows) return;
    if ("node" in panelShows) showNode(panelShows.node);
    else showBundle(panelShows.bundle);
  }
  function select(id) {
    cy.elements(":selected").unselect();
    cy.getElementById(id).select();
  }
  cy.on("tap", "node", (ev) => { showNode(ev.target.data("ix")); });
  cy.on("tap", "edge", (ev) => { showBundle(ev.target.data("ix")); });

  // ---------------------------------------------------------------- search
  function search(text) {
    const q = normalize(text);
    const out = $("search-result");
    cy.nodes().removeClass("found");
    if (!q) { out.textContent = ""; return []; }
    let hits = [];
    nodes.forEach((node, i) => { if (node.keys.includes(q)) hits.push(i); });
    if (hits.length === 0) {
      nodes.forEach((node, i) => {
        if (node.keys.some((k) => k.startsWith(q) || k.includes(" " + q))) hits.push(i);
      });
    }
    if (hits.length === 0) { out.textContent = "no entity here is called that"; return hits; }
    const found = cy.collection(hits.map((i) => cy.getElementById("n" + i)));
    cy.elements(":selected").unselect();
    found.addClass("found").select();
    const shown = found.not(".off");
    if (shown.length) cy.animate({ fit: { eles: shown, padding: 80 }, duration: 200 });
    out.replaceChildren(...hits.slice(0, 6).flatMap((i, j) => [j ? ", " : "", nodeButton(i)]),
      hits.length > 6 ? ` and ${hits.length - 6} more` : "");
    if (hits.length === 1) showNode(hits[0]);
    return hits;
  }
  $("search").addEventListener("input", (ev) => search(ev.target.value));
  $("search-form").addEventListener("submit", (ev) => { ev.preventDefault(); search($("search").value); });

  // ---------------------------------------------------------------- table
  const COLUMNS = [
    ["Subject", (c) => nodes[c.from].name],
    ["Relation", (c) => c.type],
    ["Object", (c) => nodes[c.to].name],
    ["When", (c) => c.when, (c) => (c.lo === null ? (c.hi === null ? Infinity : c.hi) : c.lo)],
    ["Hedge", (c) => c.hedge, (c) => hedgeRank(c.hedge)],
    ["Rank", (c) => c.rank],
    ["Sources", (c) => [...new Set(c.citations.map((x) => (sourceOf.get(x.source) || {}).title || x.source).filter((x) => x))].join("; ")],
    ["Quote", (c) => c.citations.map((x) => x.quote).filter((x) => x).join(" / ")],
  ];
  const sort = { col: null, dir: 1 };
  const headRow = document.querySelector("#claims thead tr");
  COLUMNS.forEach(([name], ci) => {
    const th = el("th", { scope: "col" }, el("button", { type: "button", onclick: () => {
      sort.dir = sort.col === ci ? -sort.dir : 1;
      sort.col = ci;
      renderTable();
    } }, name));
    headRow.append(th);
  });
  function renderTable() {
    let rows = claims.map((_, i) => i).filter(claimOn);
    if (sort.col !== null) {
      const [, show, key] = COLUMNS[sort.col];
      const k = key || show;
      rows.sort((a, b) => {
        const x = k(claims[a]);
        const y = k(claims[b]);
        return (x < y ? -1 : x > y ? 1 : a - b) * (x === y ? 1 : sort.dir);
      });
    }
    [...headRow.children].forEach((th, ci) => {
      if (sort.col === ci) th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    const body = document.querySelector("#claims tbody");
    body.replaceChildren(...rows.map((ci, r) => {
      const c = claims[ci];
      const tr = el("tr", { tabindex: r === 0 ? 0 : -1, "data-claim": String(ci) },
        ...COLUMNS.map(([name, show]) => el("td", { class: name === "Quote" ? "quote" : null, text: show(c) })));
      return tr;
    }));
  }
  document.querySelector("#claims tbody").addEventListener("keydown", (ev) => {
    const tr = ev.target.closest("tr");
    if (!tr) return;
    let next = null;
    if (ev.key === "ArrowDown") next = tr.nextElementSibling;
    else if (ev.key === "ArrowUp") next = tr.previousElementSibling;
    else if (ev.key === "Home") next = tr.parentElement.firstElementChild;
    else if (ev.key === "End") next = tr.parentElement.lastElementChild;
    else if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      const b = bundleOfClaim[Number(tr.dataset.claim)];
      select("b" + b);
      showBundle(b);
      return;
    } else return;
    ev.preventDefault();
    if (next) {
      tr.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
  document.querySelector("#claims tbody").addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr");
    if (!tr) return;
    [...tr.parentElement.children].forEach((r) => { r.tabIndex = -1; });
    tr.tabIndex = 0;
    tr.focus();
    const b = bundleOfClaim[Number(tr.dataset.claim)];
    showBundle(b);
  });

  // ---------------------------------------------------------------- views
  function view(table) {
    document.body.classList.toggle("table-mode", table);
    $("table-view").hidden = !table;
    $("map-view").hidden = table;
    $("show-map").setAttribute("aria-pressed", String(!table));
    $("show-table").setAttribute("aria-pressed", String(table));
    if (!table) { cy.resize(); }
  }
  $("show-map").addEventListener("click", () => view(false));
  $("show-table").addEventListener("click", () => view(true));
  $("fit").addEventListener("click", () => { view(false); cy.fit(cy.elements().not(".off"), 30); });

  // For tests and scripts: what is drawn, by the data's own ids.
  api.drawn = () => ({
    nodes: cy.nodes().not(".off").map((e) => nodes[e.data("ix")].id).sort(),
    bundles: cy.edges().not(".off").map((e) => {
      const b = bundles[e.data("ix")];
      return [nodes[b.from].id, b.type, nodes[b.to].id];
    }),
  });
  api.selected = () => cy.nodes(":selected").map((e) => nodes[e.data("ix")].id).sort();
  // Each shown claim as [subject id, type, object id, claim id, first day, last day].
  api.shownClaims = () => claims.filter((_, i) => claimOn(i))
    .map((c) => [nodes[c.from].id, c.type, nodes[c.to].id, c.id, c.lo, c.hi]);
  api.edgeOf = (fromId, type, toId) => {
    const i = bundles.findIndex((b) => b.type === type &&
      ((nodes[b.from].id === fromId && nodes[b.to].id === toId) ||
       (b.symmetric && nodes[b.from].id === toId && nodes[b.to].id === fromId)));
    return i < 0 ? null : "b" + i;
  };
  api.search = search;

  applyFilters();
  runLayout();
})();
