// Paste an article: POST /v1/code (nothing is stored) and show the events, with each event's
// sentence highlighted in the text.
"use strict";

(() => {
  const { el } = EW;
  const form = document.getElementById("paste");
  const state = document.getElementById("paste-status");
  const out = document.getElementById("result");

  function eventCard(ev, i) {
    return el("details", { class: "event-card", "data-event-id": ev.event_id, open: i < 3 },
      el("summary", {}, el("a", { href: `#ev-${i}`, text: `${i + 1}.` }), " ",
         `${EW.actorText(ev.source)} → ${EW.actorText(ev.target)}: ${ev.cameo.code} ${ev.cameo.label}` +
         ` (${ev.plover.type || "no PLOVER type"}) — ${ev.when.start || "undated"}`),
      EWEvent.details(ev, {}));
  }

  async function submit(e) {
    e.preventDefault();
    const text = form.elements.text.value;
    const body = { published: form.elements.published.value || null };
    body[form.elements.html.checked ? "html" : "text"] = text;
    EW.status(state, "coding …");
    document.body.dataset.ready = "loading";
    form.elements.go.disabled = true;
    try {
      const res = await EW.postJSON("/v1/code", body);
      const evs = res.events;
      EW.status(state, `${evs.length} events coded (nothing stored); publication date ` +
        `${res.article.published || "unknown"} (${res.published_from}).`);
      // Spans index the coded text (header block removed, HTML extracted): show that one.
      const spans = evs.map((ev, i) => ({ start: ev.span[0], end: ev.span[1], id: `ev-${i}`,
                                          title: `event ${i + 1}` }));
      out.replaceChildren(
        el("section", { class: "panel" }, el("h2", { text: "Events" }),
           evs.length ? el("div", {}, ...evs.map(eventCard))
                      : el("p", { text: "No events found in this text." })),
        el("section", { class: "panel" }, el("h2", { text: "The text, event sentences marked" }),
           EWEvent.articleText(res.text, spans)));
      document.body.dataset.ready = "yes";
    } catch (err) {
      EW.status(state, err.message, true);
      out.replaceChildren();
      document.body.dataset.ready = "error";
    } finally {
      form.elements.go.disabled = false;
    }
  }

  form.addEventListener("submit", submit);
  document.body.dataset.ready = "yes";
})();
