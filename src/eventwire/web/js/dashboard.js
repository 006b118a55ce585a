// The events page: one set of filters (kept in the URL) drives the map, the timeline, the
// actor network and the table.
"use strict";

(() => {
  const form = document.getElementById("filters");
  const summary = document.getElementById("summary");
  const FIELDS = ["date_from", "date_to", "actor", "source", "target", "country", "plover",
                  "cameo", "background", "text", "claimant", "bbox", "story", "article"];

  function params() {
    const q = new URLSearchParams();
    for (const name of FIELDS) {
      const input = form.elements[name];
      if (input && input.value.trim()) q.set(name, input.value.trim());
    }
    return q;
  }
  function fromURL() {
    const q = new URLSearchParams(location.search);
    for (const name of FIELDS.concat(["colour"])) {
      if (form.elements[name] && q.has(name)) form.elements[name].value = q.get(name);
    }
  }
  function go(changes) {
    for (const [k, v] of Object.entries(changes)) if (form.elements[k]) form.elements[k].value = v;
    const q = params();
    q.set("colour", form.elements.colour.value);
    history.pushState(null, "", `/?${q}`);
    refresh();
  }

  async function refresh() {
    const q = params(), mode = form.elements.colour.value;
    EW.status(summary, "loading …");
    document.body.dataset.ready = "loading";
    try {
      const [stats, graph] = await Promise.all([
        EW.getJSON(`/v1/stats?${q}`), EW.getJSON(`/v1/actors?${q}&limit=60`)]);
      EW.status(summary, `${stats.total} events: ${stats.total - stats.background - stats.undated} news, ` +
        `${stats.background} background, ${stats.undated} undated; ${stats.geocoded} with a place.`);
      const present = new Set(stats.by_day.map(r => EW.category(mode, r.plover_type, r.quad_class))
        .concat(stats.places.map(p => EW.category(mode, p.plover_type, p.quad_class))));
      EW.legend(document.getElementById("legend"), mode, present);
      await EWMap.render(document.getElementById("map"), stats.places, mode, m =>
        go({ bbox: [m.lon - 0.01, m.lat - 0.01, m.lon + 0.01, m.lat + 0.01].map(v => v.toFixed(4)).join(",") }));
      EWTimeline.render(document.getElementById("timeline"), stats.by_day, mode, day =>
        go({ date_from: day, date_to: day }));
      EWNetwork.render(document.getElementById("network"), graph, pick =>
        go(pick.actor ? { actor: pick.actor, source: "", target: "" }
                      : { source: pick.source, target: pick.target, actor: "" }));
      await EWTable.load(document.getElementById("table"), q, mode);
      document.body.dataset.ready = "yes";
    } catch (e) {
      EW.status(summary, e.message, true);
      document.body.dataset.ready = "error";
    }
  }

  form.addEventListener("submit", ev => { ev.preventDefault(); go({}); });
  form.elements.colour.addEventListener("change", () => go({}));
  document.getElementById("clear").addEventListener("click", () => {
    for (const name of FIELDS) if (form.elements[name]) form.elements[name].value = "";
    go({});
  });
  window.addEventListener("popstate", () => { fromURL(); refresh(); });
  fromURL();
  refresh();
})();
