// The map: Natural Earth country shapes (world-atlas TopoJSON, bundled) in an equirectangular
// projection, one marker per geocoded place, sized by events, coloured by the dominant type.
"use strict";

const EWMap = (() => {
  const { el, svg } = EW;
  const W = 960, H = 480;  // the whole world, 360 x 180 degrees
  const X = lon => (lon + 180) * W / 360;
  const Y = lat => (90 - lat) * H / 180;
  let worldPaths = null;

  function ringPath(ring) {
    let d = "", prev = null;
    for (const [lon, lat] of ring) {
      // A ring that crosses the antimeridian would draw a line across the whole map: lift
      // the pen there instead (the fill of that ring is then approximate).
      const jump = prev === null || Math.abs(lon - prev) > 180;
      d += `${jump ? "M" : "L"}${X(lon).toFixed(1)},${Y(lat).toFixed(1)}`;
      prev = lon;
    }
    return d + "Z";
  }
  function geometryPath(g) {
    if (!g) return "";
    const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    return polys.map(poly => poly.map(ringPath).join("")).join("");
  }

  async function countries() {
    if (!worldPaths) {
      const topo = await EW.getJSON("/static/vendor/world-atlas-countries-50m.json");
      const fc = topojson.feature(topo, topo.objects.countries);
      worldPaths = fc.features.map(f => ({ name: (f.properties || {}).name || "",
                                           d: geometryPath(f.geometry) }));
    }
    return worldPaths;
  }

  // Places (rows of /v1/stats "places", one per place and type) -> one marker per location.
  function markers(places, mode) {
    const byLoc = new Map();
    for (const p of places) {
      const key = `${p.lat.toFixed(4)},${p.lon.toFixed(4)}`;
      if (!byLoc.has(key)) byLoc.set(key, { lat: p.lat, lon: p.lon, name: p.name,
                                             country: p.country, n: 0, cats: new Map() });
      const m = byLoc.get(key);
      const cat = EW.category(mode, p.plover_type, p.quad_class);
      m.n += p.n;
      m.cats.set(cat, (m.cats.get(cat) || 0) + p.n);
    }
    return [...byLoc.values()].map(m => {
      const top = [...m.cats.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      return { ...m, cat: top[0] };
    });
  }

  // The viewBox that frames the markers (at least 50 x 25 degrees), or the world.
  function frame(ms) {
    if (!ms.length) return [0, 0, W, H];
    let x0 = Math.min(...ms.map(m => X(m.lon))), x1 = Math.max(...ms.map(m => X(m.lon)));
    let y0 = Math.min(...ms.map(m => Y(m.lat))), y1 = Math.max(...ms.map(m => Y(m.lat)));
    const minW = 50 * W / 360;
    let w = Math.max(x1 - x0, minW) * 1.3, h = Math.max(y1 - y0, minW / 2) * 1.3;
    if (w / h > W / H) h = w * H / W; else w = h * W / H;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    return [Math.max(0, Math.min(cx - w / 2, W - w)), Math.max(0, Math.min(cy - h / 2, H - h)),
            Math.min(w, W), Math.min(h, H)];
  }

  async function render(container, places, mode, onPick) {
    const paths = await countries();
    const ms = markers(places, mode);
    const vb = frame(ms);
    const scale = vb[2] / W;  // marker sizes stay the same on screen whatever the zoom
    const root = svg("svg", { class: "map", viewBox: vb.join(" "), role: "img",
                              "aria-label": `map of ${ms.length} places with events` });
    root.appendChild(svg("rect", { class: "sea", x: 0, y: 0, width: W, height: H }));
    const land = svg("g", { class: "countries" });
    for (const p of paths) land.appendChild(svg("path", { class: "country", d: p.d },
                                                svg("title", { text: p.name })));
    root.appendChild(land);
    const dots = svg("g", { class: "markers" });
    for (const m of ms.sort((a, b) => b.n - a.n)) {
      const detail = [...m.cats.entries()].map(([c, n]) => `${EW.label(mode, c)}: ${n}`).join(", ");
      const dot = svg("circle", {
        class: "marker", cx: X(m.lon).toFixed(2), cy: Y(m.lat).toFixed(2),
        r: ((4 + 3 * Math.sqrt(m.n)) * scale).toFixed(2), fill: EW.color(mode, m.cat),
        "stroke-width": (1.2 * scale).toFixed(2), "data-place": m.name || "", "data-n": m.n,
        "data-category": m.cat, tabindex: 0,
        onclick: () => onPick && onPick(m),
      }, svg("title", { text: `${m.name || "?"} (${m.country || "?"}): ${m.n} events — ${detail}` }));
      dots.appendChild(dot);
    }
    root.appendChild(dots);
    const world = el("button", { type: "button", class: "small", text: "whole world",
      onclick: () => root.setAttribute("viewBox", `0 0 ${W} ${H}`) });
    container.replaceChildren(root, el("div", { class: "panel-foot" }, world,
      ` ${ms.length} places; marker area ∝ events. Click a marker to filter by its place.`));
    return ms.length;
  }

  return { render, markers };
})();
