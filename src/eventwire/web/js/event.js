// One event: the article with the event's sentence highlighted, and everything the coder
// decided about it (actors, code, date and its reasoning, place, claimants, the rule/model).
"use strict";

const EWEvent = (() => {
  const { el } = EW;

  function actor(a) {
    if (!a) return "none";
    const parts = [(a.code || "uncoded") + (a.name ? ` — ${a.name}` : ""),
                   a.country ? `country ${a.country}` : "", a.role ? `role ${a.role}` : ""];
    return el("span", {}, parts.filter(Boolean).join(", "), " ",
              el("q", { class: "mention", text: a.text || "" }));
  }
  function place(w) {
    if (!w) return "no place in the sentence";
    const at = w.lat !== null && w.lon !== null ? ` at ${w.lat.toFixed(3)}, ${w.lon.toFixed(3)}` : "";
    return `${w.name || "?"} (${w.country || "?"}, ${w.precision || "?"})${at}` +
      (w.geonameid ? `, GeoNames ${w.geonameid}` : "") + (w.text ? ` — from “${w.text}”` : "");
  }
  function facts(rows) {
    return el("dl", { class: "facts" }, ...rows.flatMap(([k, v, cls]) =>
      [el("dt", { text: k }), el("dd", { class: cls || null }, v)]));
  }

  // The article text with [start, end) wrapped in <mark> (text nodes only: news is untrusted).
  function articleText(text, spans) {
    const box = el("div", { class: "article-text" });
    let at = 0;
    for (const { start, end, id, title } of [...spans].sort((a, b) => a.start - b.start)) {
      if (start < at) continue;  // overlapping sentences: the first keeps the mark
      box.appendChild(document.createTextNode(text.slice(at, start)));
      box.appendChild(el("mark", { class: "sentence-hl", id, title }, text.slice(start, end)));
      at = end;
    }
    box.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }

  function details(ev, extra) {
    const claimants = ev.attribution.claimants || [];
    const c = ev.cameo;
    return facts([
      ["source", actor(ev.source)],
      ["event", `CAMEO ${c.code} ${c.label} (root ${c.root}; quad class ${c.quad_class} ` +
                `${EW.QUAD_LABEL[c.quad_class] || ""}; Goldstein ${c.goldstein})`],
      ["PLOVER", `${ev.plover.type || "none"}${ev.plover.mode ? " / " + ev.plover.mode : ""}`],
      ["target", actor(ev.target)],
      ["modality", ev.modality],
      ["when", ev.when.start ? `${ev.when.start}${ev.when.end !== ev.when.start ? " – " + ev.when.end : ""} ` +
               `(${ev.when.precision})${ev.background ? ", background" : ", news"}` : "undated"],
      ["date reasoning", extra.date_reasoning || (ev.when.text ? `from “${ev.when.text}”` : "no date expression"), "date-reasoning"],
      ["where", place(ev.where)],
      ["claimants", claimants.length ? claimants.join("; ") : "none: the article asserts it", "claimants"],
      ["attribution cue", ev.attribution.text || "—"],
      ["confidence", String(ev.confidence)],
      ["evidence", `${ev.evidence.method}: ${ev.evidence.rule} (eventwire ${ev.evidence.version})`, "evidence"],
    ]);
  }

  async function show() {
    const id = decodeURIComponent(location.pathname.split("/").pop());
    const head = document.getElementById("event-title"), out = document.getElementById("event");
    try {
      const d = await EW.getJSON(`/v1/events/${encodeURIComponent(id)}`);
      const ev = d.event, a = d.article;
      head.textContent = `${EW.actorText(ev.source)} → ${EW.actorText(ev.target)}: ${ev.cameo.label}`;
      document.title = `eventwire — ${head.textContent}`;
      const storyLink = d.story_id ? el("a", { href: `/?story=${encodeURIComponent(d.story_id)}` }, d.story_id) : "—";
      out.replaceChildren(
        el("section", { class: "panel" }, el("h2", { text: "What the coder said" }), details(ev, d),
           facts([["story", storyLink], ["event id", ev.event_id]])),
        el("section", { class: "panel" }, el("h2", { text: "The article" }),
           facts([["title", a.title || "—"], ["publisher", a.publisher || "—"],
                  ["published", `${a.published || "unknown"} (${a.published_from || "?"})`],
                  ["id", a.id], ["url", EW.safeLink(a.url)]]),
           articleText(a.text, [{ start: d.span[0], end: d.span[1], id: "hl", title: "the event's sentence" }])));
      const mark = document.getElementById("hl");
      if (mark) mark.scrollIntoView({ block: "center" });
      document.body.dataset.ready = "yes";
    } catch (e) {
      EW.status(head, e.message, true);
      document.body.dataset.ready = "error";
    }
  }

  return { show, details, articleText };
})();
