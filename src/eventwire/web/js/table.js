// The event table: one page of /v1/events at a time, "more" follows the cursor.
"use strict";

const EWTable = (() => {
  const { el } = EW;
  const PAGE = 100;

  function place(where) {
    if (!where) return "—";
    return where.name ? `${where.name}${where.country ? " (" + where.country + ")" : ""}` : where.country || "—";
  }
  function when(w, background) {
    if (!w || !w.start) return "undated";
    const span = w.start === w.end ? w.start : `${w.start} – ${w.end}`;
    return background ? `${span} (background)` : span;
  }

  function row(ev, mode) {
    const cat = EW.category(mode, ev.plover.type, ev.cameo.quad_class);
    return el("tr", { class: "event-row", "data-event-id": ev.event_id },
      el("td", { class: "nowrap" }, when(ev.when, ev.background)),
      el("td", {}, EW.actorText(ev.source)),
      el("td", {}, el("span", { class: "swatch", style: `background:${EW.color(mode, cat)}` }),
        el("a", { href: `/event/${encodeURIComponent(ev.event_id)}` },
          `${ev.cameo.code} ${ev.cameo.label}`)),
      el("td", {}, ev.plover.type || "—"),
      el("td", {}, EW.actorText(ev.target)),
      el("td", {}, place(ev.where)),
      el("td", {}, (ev.attribution.claimants || []).join("; ") || "—"),
      el("td", { class: "sentence" }, ev.sentence));
  }

  async function load(container, params, mode) {
    const body = el("tbody");
    const table = el("table", { class: "events" },
      el("thead", {}, el("tr", {}, ...["date (event)", "source", "CAMEO", "PLOVER", "target",
                                       "place", "claimants", "sentence"].map(h => el("th", { text: h })))),
      body);
    const info = el("div", { class: "panel-foot" });
    const more = el("button", { type: "button", class: "small", text: "more events" });
    container.replaceChildren(table, el("div", { class: "table-foot" }, info, more));
    let cursor = null, shown = 0;
    async function page() {
      const q = new URLSearchParams(params);
      q.set("limit", PAGE);
      if (cursor) q.set("cursor", cursor);
      more.disabled = true;
      const data = await EW.getJSON(`/v1/events?${q}`);
      for (const ev of data.events) body.appendChild(row(ev, mode));
      shown += data.events.length;
      cursor = data.next_cursor;
      more.hidden = !cursor;
      more.disabled = false;
      info.textContent = `${shown} events shown${cursor ? " (more below)" : ""}; click a code for the event's article and evidence.`;
    }
    more.addEventListener("click", () => page().catch(e => EW.status(info, e.message, true)));
    await page();
    return shown;
  }

  return { load };
})();
