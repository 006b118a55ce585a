// The timeline: events per day of the event's own date, stacked by type. News and
// background (retold history) are drawn in two lanes with their own time axes, because
// background events lie years before the news they were reported in.
"use strict";

const EWTimeline = (() => {
  const { el, svg } = EW;
  const W = 960, LANE = { news: 170, background: 90 }, M = { l: 40, r: 12, t: 8, b: 22 };
  const DAY = 86400000;
  const t = s => Date.parse(s + "T00:00:00Z");
  const iso = ms => new Date(ms).toISOString().slice(0, 10);

  // Rows (day, background, plover_type, quad_class, n) -> per day {cat: n}.
  function stack(rows, mode) {
    const days = new Map();
    for (const r of rows) {
      const cat = EW.category(mode, r.plover_type, r.quad_class);
      if (!days.has(r.day)) days.set(r.day, new Map());
      const d = days.get(r.day);
      d.set(cat, (d.get(cat) || 0) + r.n);
    }
    return days;
  }

  function ticks(t0, t1, n) {
    const out = [];
    for (let i = 0; i <= n; i++) out.push(t0 + (t1 - t0) * i / n);
    return out;
  }

  function lane(kind, rows, mode, onPick) {
    const H = LANE[kind], days = stack(rows, mode);
    const g = svg("g", { class: `lane ${kind}` });
    const plotW = W - M.l - M.r, plotH = H - M.t - M.b;
    if (!days.size) {
      g.appendChild(svg("text", { x: M.l, y: H / 2, class: "empty",
        text: kind === "news" ? "no dated news events" : "no background events" }));
      return { g, H, bars: 0 };
    }
    const keys = [...days.keys()].sort();
    const t0 = t(keys[0]) - DAY, t1 = t(keys[keys.length - 1]) + 2 * DAY;
    const x = ms => M.l + (ms - t0) / (t1 - t0) * plotW;
    const barW = Math.max(3, Math.min(24, plotW / ((t1 - t0) / DAY) * 0.8));
    const max = Math.max(...[...days.values()].map(d => [...d.values()].reduce((a, b) => a + b, 0)));
    const y = n => plotH * n / max;
    let bars = 0;
    const order = EW.categories(mode);
    for (const day of keys) {
      let base = M.t + plotH;
      for (const cat of order) {
        const n = days.get(day).get(cat);
        if (!n) continue;
        const h = y(n);
        base -= h;
        g.appendChild(svg("rect", {
          class: `bar${kind === "background" ? " background" : ""}`, x: (x(t(day)) - barW / 2).toFixed(1),
          y: base.toFixed(1), width: barW.toFixed(1), height: Math.max(1, h).toFixed(1),
          fill: EW.color(mode, cat), "data-day": day, "data-category": cat, "data-n": n,
          onclick: () => onPick && onPick(day),
        }, svg("title", { text: `${day}: ${n} ${EW.label(mode, cat)}` })));
        bars++;
      }
    }
    // Axes: a baseline, dates along it, the largest day's count up the side.
    g.appendChild(svg("line", { class: "axis", x1: M.l, x2: W - M.r, y1: M.t + plotH, y2: M.t + plotH }));
    const nt = Math.min(6, keys.length - 1);
    (nt ? ticks(t0 + DAY, t1 - 2 * DAY, nt) : [t0 + DAY]).forEach((ms, i, all) => {
      const anchor = all.length === 1 ? "middle" : i === 0 ? "start" : i === all.length - 1 ? "end" : "middle";
      g.appendChild(svg("text", { class: "tick", x: x(ms).toFixed(1), y: H - 6,
                                  "text-anchor": anchor, text: iso(ms) }));
    });
    g.appendChild(svg("text", { class: "tick", x: M.l - 6, y: M.t + 10, "text-anchor": "end",
                                text: String(max) }));
    return { g, H, bars };
  }

  function render(container, byDay, mode, onPick) {
    const news = lane("news", byDay.filter(r => !r.background), mode, onPick);
    const back = lane("background", byDay.filter(r => r.background), mode, onPick);
    const newsSvg = svg("svg", { class: "timeline news", viewBox: `0 0 ${W} ${news.H}`,
                                 role: "img", "aria-label": "news events per day" }, news.g);
    const backSvg = svg("svg", { class: "timeline background", viewBox: `0 0 ${W} ${back.H}`,
                                 role: "img", "aria-label": "background events per day" }, back.g);
    container.replaceChildren(
      el("h3", { text: "News: events per day (event's own date)" }), newsSvg,
      el("h3", { text: "Background: retold history, by the date of the event" }), backSvg,
      el("div", { class: "panel-foot", text: "Click a bar to see that day's events." }));
    return { news: news.bars, background: back.bars };
  }

  return { render };
})();
