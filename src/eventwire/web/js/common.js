// Shared helpers of the eventwire pages: DOM/SVG builders, the API client, colours.
// Text from articles is only ever inserted as text nodes (never innerHTML): news is untrusted.
"use strict";

const EW = (() => {
  const SVGNS = "http://www.w3.org/2000/svg";

  function fill(node, attrs, children) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      // CSSOM, not a style attribute: the CSP (style-src 'self') blocks inline style attributes.
      else if (k === "style") node.style.cssText = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number"
        ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
  const svg = (tag, attrs, ...children) =>
    fill(document.createElementNS(SVGNS, tag), attrs, children);

  async function request(url, options) {
    const resp = await fetch(url, options);
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      let detail = body && body.detail !== undefined ? body.detail : resp.statusText;
      if (Array.isArray(detail)) detail = detail.map(d => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
      if (resp.status === 413) detail = "the text is too large for this server (413)";
      throw new Error(`${resp.status}: ${detail}`);
    }
    return body;
  }
  const getJSON = url => request(url, { headers: { Accept: "application/json" } });
  const postJSON = (url, data) => request(url, {
    method: "POST", body: JSON.stringify(data),
    headers: { "Content-Type": "application/json", Accept: "application/json" },
  });

  // PLOVER types in the manual's order, cooperation first; colours reused from Tableau 20.
  const PLOVER = {
    AGREE: "#4e79a7", CONSULT: "#a0cbe8", SUPPORT: "#59a14f", CONCEDE: "#8cd17d",
    COOPERATE: "#499894", AID: "#86bcb6", RETREAT: "#b6992d", REQUEST: "#f1ce63",
    ACCUSE: "#ffbe7d", REJECT: "#f28e2b", THREATEN: "#d37295", PROTEST: "#b07aa1",
    SANCTION: "#9d7660", MOBILIZE: "#d4a6c8", COERCE: "#e15759", ASSAULT: "#9c1f1f",
  };
  const QUAD = { 1: "#59a14f", 2: "#1b6e34", 3: "#f28e2b", 4: "#c0392b" };
  const QUAD_LABEL = { 1: "verbal cooperation", 2: "material cooperation",
                       3: "verbal conflict", 4: "material conflict" };
  const NONE = "#9a9a9a";

  // The category of a row (a count row or an event record) under a colour mode.
  function category(mode, ploverType, quad) {
    if (mode === "quad") return quad ? String(quad) : "none";
    return ploverType || "none";
  }
  function color(mode, cat) {
    if (mode === "quad") return QUAD[cat] || NONE;
    return PLOVER[cat] || NONE;
  }
  function label(mode, cat) {
    if (cat === "none") return mode === "quad" ? "no quad class" : "no PLOVER type (CAMEO 01/02)";
    return mode === "quad" ? `${cat} ${QUAD_LABEL[cat]}` : cat;
  }
  function categories(mode) {
    return (mode === "quad" ? Object.keys(QUAD) : Object.keys(PLOVER)).concat(["none"]);
  }

  function legend(container, mode, present) {
    container.replaceChildren();
    for (const cat of categories(mode)) {
      if (present && !present.has(cat)) continue;
      container.appendChild(el("span", { class: "key" },
        el("span", { class: "swatch", style: `background:${color(mode, cat)}` }),
        label(mode, cat)));
    }
  }

  function actorText(actor) {
    if (!actor) return "—";
    return actor.code || actor.text || "?";
  }
  function safeLink(url, text) {
    // Only http(s): an article's URL must never become a javascript: link.
    if (url && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text || url);
    }
    return document.createTextNode(text || url || "—");
  }
  function status(node, message, isError) {
    node.textContent = message;
    node.classList.toggle("error", !!isError);
  }

  return { el, svg, getJSON, postJSON, category, color, label, categories, legend,
           actorText, safeLink, status, QUAD_LABEL };
})();
