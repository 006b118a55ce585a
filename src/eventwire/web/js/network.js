// The actor network: who acts on whom. Edge width = events; colour = cooperation (quad
// classes 1-2) or conflict (3-4), grey when even. A small deterministic force layout (the
// same data always gives the same picture, which screenshots and tests rely on).
"use strict";

const EWNetwork = (() => {
  const { el, svg } = EW;
  const W = 960, H = 520, PAD = 56;  // room for labels at the edges
  const KIND_COLOR = { cooperation: "#2e8b57", conflict: "#c0392b", mixed: "#8a8a8a" };

  function kindOf(e) {
    if (e.cooperation > e.conflict) return "cooperation";
    if (e.conflict > e.cooperation) return "conflict";
    return "mixed";
  }

  function layout(nodes, links) {
    // Ideal edge length, capped so that a handful of actors stays together mid-canvas.
    const n = nodes.length, k = Math.min(110, Math.sqrt((W - 2 * PAD) * (H - 2 * PAD) / Math.max(n, 1)) * 0.75);
    nodes.forEach((d, i) => {  // start on a circle, in a fixed order
      const a = 2 * Math.PI * i / Math.max(n, 1);
      d.x = W / 2 + (W / 3) * Math.cos(a); d.y = H / 2 + (H / 3) * Math.sin(a);
    });
    let temp = W / 8;
    for (let it = 0; it < 300; it++) {
      for (const d of nodes) { d.dx = 0; d.dy = 0; }
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y, dist = Math.hypot(dx, dy) || 0.01;
        const f = k * k / dist;
        a.dx += dx / dist * f; a.dy += dy / dist * f; b.dx -= dx / dist * f; b.dy -= dy / dist * f;
      }
      for (const l of links) {
        const a = l.s, b = l.t;
        let dx = a.x - b.x, dy = a.y - b.y, dist = Math.hypot(dx, dy) || 0.01;
        const f = dist * dist / k;
        a.dx -= dx / dist * f; a.dy -= dy / dist * f; b.dx += dx / dist * f; b.dy += dy / dist * f;
      }
      for (const d of nodes) {  // gravity keeps unconnected pairs on screen
        d.dx += (W / 2 - d.x) * 0.02 * k / 10; d.dy += (H / 2 - d.y) * 0.02 * k / 10;
        const len = Math.hypot(d.dx, d.dy) || 1, step = Math.min(len, temp);
        d.x = Math.max(PAD, Math.min(W - PAD, d.x + d.dx / len * step));
        d.y = Math.max(PAD, Math.min(H - PAD, d.y + d.dy / len * step));
      }
      temp *= 0.985;
    }
  }

  function render(container, graph, onPick) {
    const edges = graph.edges.filter(e => e.source !== e.target);  // self-loops: not drawn
    const byCode = new Map();
    for (const e of edges) for (const c of [e.source, e.target]) {
      if (!byCode.has(c)) byCode.set(c, { code: c, events: 0 });
      byCode.get(c).events += e.events;
    }
    const nodes = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
    const links = edges.map(e => ({ ...e, s: byCode.get(e.source), t: byCode.get(e.target),
                                    kind: kindOf(e) }));
    layout(nodes, links);
    const root = svg("svg", { class: "network", viewBox: `0 0 ${W} ${H}`, role: "img",
                              "aria-label": `network of ${nodes.length} actors and ${links.length} edges` });
    const defs = svg("defs");
    for (const [kind, c] of Object.entries(KIND_COLOR)) {
      defs.appendChild(svg("marker", { id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 10, refY: 5,
        markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0L10,5L0,10z", fill: c })));
    }
    root.appendChild(defs);
    const radius = d => 6 + 2.5 * Math.sqrt(d.events);
    const pairs = new Set(links.map(l => `${l.source}|${l.target}`));
    const eg = svg("g", { class: "edges" });
    for (const l of links) {
      const { s, t } = l, dx = t.x - s.x, dy = t.y - s.y, dist = Math.hypot(dx, dy) || 1;
      // A -> B and B -> A both present: bend each to its own side.
      const bend = pairs.has(`${l.target}|${l.source}`) ? 0.15 : 0;
      const mx = (s.x + t.x) / 2 - dy * bend, my = (s.y + t.y) / 2 + dx * bend;
      const ex = t.x - dx / dist * (radius(t) + 2), ey = t.y - dy / dist * (radius(t) + 2);
      eg.appendChild(svg("path", {
        class: `edge ${l.kind}`, d: `M${s.x.toFixed(1)},${s.y.toFixed(1)}Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
        stroke: KIND_COLOR[l.kind], "stroke-width": (1 + 1.5 * Math.sqrt(l.events)).toFixed(1),
        fill: "none", "marker-end": `url(#arrow-${l.kind})`, "data-source": l.source,
        "data-target": l.target, "data-events": l.events, "data-kind": l.kind,
        onclick: () => onPick && onPick({ source: l.source, target: l.target }),
      }, svg("title", { text: `${l.source} → ${l.target}: ${l.events} events (${l.cooperation} cooperation, ${l.conflict} conflict; mean Goldstein ${l.goldstein})` })));
    }
    root.appendChild(eg);
    const ng = svg("g", { class: "nodes" });
    for (const d of nodes) {
      ng.appendChild(svg("g", { class: "node", "data-code": d.code,
                                transform: `translate(${d.x.toFixed(1)},${d.y.toFixed(1)})`,
                                onclick: () => onPick && onPick({ actor: d.code }) },
        svg("circle", { r: radius(d).toFixed(1) }),
        svg("text", { y: -radius(d) - 3, "text-anchor": "middle", text: d.code }),
        svg("title", { text: `${d.code}: ${d.events} events in the edges shown` })));
    }
    root.appendChild(ng);
    const keys = el("div", { class: "legend" }, ...Object.entries(KIND_COLOR).map(([k, c]) =>
      el("span", { class: "key" }, el("span", { class: "swatch", style: `background:${c}` }), k)));
    container.replaceChildren(root, keys, el("div", { class: "panel-foot",
      text: `${nodes.length} actors, ${links.length} edges (self-loops left out); width ∝ events. Click an actor or edge to filter.` }));
    return links.length;
  }

  return { render };
})();
