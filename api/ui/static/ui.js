/* The analyst page's shared helpers: calling /v1 with the session cookie (and the CSRF
   token on unsafe methods), building DOM safely (text only, never HTML from data), and
   the side-by-side view of one match: both records, the token alignment with the script
   and romanisation that met, and each feature's effect as a bar. */
"use strict";

const UI = (() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  class ApiError extends Error {
    constructor(status, body) {
      const err = (body && body.error) || {};
      super(err.message || `The server answered ${status}.`);
      this.status = status;
      this.code = err.code || "";
      this.details = err.details || {};
    }
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function api(method, path, body, extraHeaders) {
    const headers = { Accept: "application/json", ...(extraHeaders || {}) };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const resp = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (resp.status === 401) {
      window.location.assign("/ui/login?next=" + encodeURIComponent(window.location.pathname));
    }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  /* el("a", {href: "/x", class: "y"}, "text", child) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(text) {
    const status = document.getElementById("status");
    if (status) status.textContent = text;
  }

  function message(target, text, kind) {
    const box = typeof target === "string" ? document.getElementById(target) : target;
    if (!box) return;
    box.textContent = "";
    box.hidden = !text;
    box.className = "message" + (kind ? " " + kind : "");
    if (text) box.append(text);
  }

  function errorText(err) {
    if (!(err instanceof ApiError)) return "The server could not be reached: check your connection and retry.";
    const field = err.details && err.details.field ? ` (field: ${err.details.field})` : "";
    const rows = (err.details && err.details.errors) || [];
    const listed = rows.slice(0, 5).map((e) =>
      `${e.row !== undefined ? "line " + e.row + ": " : ""}${e.field}: ${e.problem}`).join("; ");
    return err.message + field + (listed ? " — " + listed : "");
  }

  const fmtScore = (s) => (typeof s === "number" ? s.toFixed(2) : "–");
  const fmtTime = (iso) => {
    if (!iso) return "–";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  };
  const STATE_LABELS = {
    open: "Open", decided: "Decided", suppressed: "Suppressed",
    pending_confirmation: "Awaiting confirmation",
  };
  const DECISION_LABELS = {
    true_match: "True match", false_positive: "False positive", escalated: "Escalated",
  };

  function scoreBar(score) {
    const bar = el("span", { class: "score-fill" });
    bar.style.width = Math.round(Math.max(0, Math.min(1, score || 0)) * 100) + "%";
    return el("span", { class: "score", "aria-label": `score ${fmtScore(score)}` },
      el("span", { class: "score-track", "aria-hidden": "true" }, bar),
      el("span", { class: "score-num" }, fmtScore(score)));
  }

  /* --- the alignment ------------------------------------------------------------ */

  const SCRIPT_LANG = { cyrillic: "ru", hangul: "ko" };
  const SCRIPT_LABELS = { cyrillic: "Cyrillic", hangul: "Hangul", latin: "Latin", mixed: "mixed scripts" };
  const SCHEME_LABELS = {
    original: "as written", icao: "ICAO passport romanisation", bgn_pcgn: "BGN/PCGN",
    gost: "GOST 7.79", gost_ascii: "GOST (ASCII)", scientific: "scientific", french: "French style",
    german: "German style", mr: "McCune–Reischauer", mr_law: "McCune–Reischauer (initial-sound law)",
    rr: "Revised Romanization", rr_law: "Revised Romanization (initial-sound law)",
    dprk: "DPRK official romanisation",
  };

  function schemeLabel(scheme) {
    if (!scheme) return "";
    const parts = String(scheme).split("+").map((p) => SCHEME_LABELS[p] || p.replace(/_/g, " "));
    return parts.join(" + ");
  }

  const SPLIT = /[\s,.;:()«»"“”'’\-–—/]+/u;
  const isScript = (text, re) => re.test(text);
  const HANGUL = /\p{Script=Hangul}/u;
  const CYRILLIC = /\p{Script=Cyrillic}/u;

  /* The query's own tokens, as written, lined up with the romanised form that met: by
     position when the counts agree; Hangul names written solid (김정은) by syllable. */
  function writtenTokens(original, form) {
    const reading = String(form.text || "").split(/\s+/).filter(Boolean);
    let written = String(original || "").split(SPLIT).filter(Boolean);
    if (written.length !== reading.length && written.length === 1 && HANGUL.test(written[0])) {
      written = Array.from(written[0]);
    }
    return { reading, written: written.length === reading.length ? written : null };
  }

  function verdict(score) {
    if (score >= 0.999) return ["same", "=", "same"];
    if (score >= 0.75) return ["close", "≈", `close (${fmtScore(score)})`];
    if (score > 0) return ["weak", "~", `partly (${fmtScore(score)})`];
    return ["differs", "≠", "differs"];
  }

  function renderAlignment(record, match) {
    const ex = match.explanation || {};
    const form = ex.query_form || {};
    const pairs = ex.tokens || [];
    const { reading, written } = writtenTokens(record.name, form);
    const korean = ex.method === "korean_name_key";
    const used = new Set();
    const lang = SCRIPT_LANG[form.script];
    const wrap = el("section", { class: "alignment", "aria-label": "How the names align" });
    const how = form.script && form.script !== "latin"
      ? `Met through the ${SCRIPT_LABELS[form.script] || form.script} name read in ${schemeLabel(form.scheme)}: “${form.text}”.`
      : `Met through the name ${schemeLabel(form.scheme) || "as written"}: “${form.text || record.name}”.`;
    wrap.append(el("h4", {}, "How the names align"),
      el("p", { class: "how" }, how,
        korean ? " Korean names are compared by surname and syllables, so any romanisation meets." : ""));
    const list = el("ol", { class: "tokens" });
    // Each pair's position in the query, so the tokens read in the order written.
    const placed = pairs.map((pair, i) => {
      let idx = -1;
      if (pair.query !== null && pair.query !== undefined) {
        if (korean) idx = i < reading.length ? i : -1;
        else idx = reading.findIndex((t, j) => t === pair.query && !used.has(j));
        if (idx >= 0) used.add(idx);
      }
      return { pair, idx, i, order: idx >= 0 ? idx : reading.length + i };
    }).sort((a, b) => a.order - b.order);
    // Korean keys (cong) stand for the listed syllables as written (JONG), pair by pair.
    const listWords = String((ex.list_name || {}).text || "").split(SPLIT).filter(Boolean);
    const listedAs = (pair, i) => (korean && listWords.length === pairs.length
      ? listWords[i].toLowerCase() : pair.list);
    placed.forEach(({ pair, idx, i }) => {
      const [cls, sign, words] = verdict(pair.score || 0);
      const asWritten = written && idx >= 0 ? written[idx] : null;
      const readingText = idx >= 0 ? reading[idx] : pair.query;
      const queryCell = pair.query === null || pair.query === undefined
        ? el("span", { class: "tok missing" }, "(nothing)")
        : el("span", { class: "tok query" },
          asWritten && asWritten.toLowerCase() !== String(readingText).toLowerCase()
            ? el("span", { class: "written", lang: lang || null }, asWritten) : null,
          el("span", { class: "reading", lang: "la" }, readingText),
          korean && readingText !== pair.query ? el("span", { class: "key" }, `key ${pair.query}`) : null);
      list.append(el("li", { class: `pair ${cls}`, "data-query": pair.query ?? "", "data-list": pair.list ?? "" },
        queryCell,
        el("span", { class: "verdict", "aria-label": words, title: words }, sign),
        pair.list === null || pair.list === undefined
          ? el("span", { class: "tok missing" }, "(nothing)")
          : el("span", { class: "tok listed" }, el("span", { class: "reading" }, listedAs(pair, i)),
            korean && listedAs(pair, i) !== pair.list ? el("span", { class: "key" }, `key ${pair.list}`) : null),
        el("span", { class: "weight" }, `weight ${pair.weight}`)));
    });
    wrap.append(list);
    return wrap;
  }

  /* --- feature effects ------------------------------------------------------------ */

  const FEATURE_LABELS = {
    dob: "Birth date", country: "Country", identifier: "Identifier", schema: "Type", gender: "Gender",
  };
  const EFFECT_SCALE = 0.3; // an effect of ±0.3 fills half the track

  function renderEffects(match) {
    const feats = (match.explanation && match.explanation.features) || [];
    const wrap = el("section", { class: "effects", "aria-label": "What raised or lowered the score" },
      el("h4", {}, "What raised or lowered the score"));
    if (!feats.length) {
      wrap.append(el("p", { class: "hint" }, "No birth date, country, identifier or type could be compared: the score is the name's alone."));
      return wrap;
    }
    const list = el("ul", {});
    for (const f of feats) {
      const effect = Number(f.effect) || 0;
      const dir = effect > 0 ? "raise" : effect < 0 ? "lower" : "none";
      const label = FEATURE_LABELS[f.feature] || f.feature;
      const words = effect > 0 ? `raised the score by ${effect.toFixed(2)}`
        : effect < 0 ? `lowered the score by ${(-effect).toFixed(2)}` : "did not change the score";
      const bar = el("span", { class: `bar ${dir}` });
      bar.style.width = Math.min(50, (Math.abs(effect) / EFFECT_SCALE) * 50) + "%";
      list.append(el("li", { class: `effect ${dir}`, "data-feature": f.feature },
        el("span", { class: "label" }, label),
        el("span", { class: "values" }, `${f.query ?? "–"} · listed ${f.list ?? "–"}`),
        el("span", { class: "track", role: "img", "aria-label": `${label} ${words}` }, bar),
        el("span", { class: "num" }, (effect > 0 ? "+" : effect < 0 ? "−" : "±") + Math.abs(effect).toFixed(2)),
        el("span", { class: "note" }, f.note || "")));
    }
    wrap.append(list);
    return wrap;
  }

  /* --- the two columns ------------------------------------------------------------- */

  function dl(rows) {
    const list = el("dl", {});
    for (const [term, value, attrs] of rows) {
      if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) continue;
      list.append(el("dt", {}, term),
        el("dd", attrs || {}, Array.isArray(value) ? value.join(", ") : value));
    }
    return list;
  }

  function scriptLang(text) {
    if (isScript(text || "", HANGUL)) return "ko";
    if (isScript(text || "", CYRILLIC)) return "ru";
    return null;
  }

  function renderRecord(record) {
    return el("div", { class: "column record" }, el("h3", {}, "Customer record"),
      dl([
        ["Name as written", record.name, { lang: scriptLang(record.name), class: "name" }],
        ["Your id", record.id],
        ["Type", record.schema],
        ["Birth date", record.birth_date],
        ["Country", record.country],
        ["Identifier", record.identifier],
      ]));
  }

  function renderListed(match, entity) {
    const e = entity || {};
    const profile = { ...(match.profile || {}), ...e };
    const names = Array.isArray(e.names)
      ? e.names.map((n) => (typeof n === "string" ? n : `${n.name}${n.quality ? " (" + n.quality + ")" : ""}`))
      : null;
    const ids = Array.isArray(e.identifiers)
      ? e.identifiers.map((i) => (typeof i === "string" ? i : `${i.kind} ${i.value}`)) : null;
    const version = e.list_version && typeof e.list_version === "object"
      ? [e.list_version.title || e.list_version.name, e.list_version.published, e.list_version.version]
        .filter(Boolean).join(" · ")
      : e.list_version || null;
    const links = (Array.isArray(e.links) ? e.links : []).map(String);
    const urls = links.filter((u) => /^https?:\/\//.test(u));
    const related = links.filter((u) => !/^https?:\/\//.test(u));
    const source = e.list_version && /^https?:\/\//.test(e.list_version.source || "") ? e.list_version.source : null;
    const col = el("div", { class: "column listed" }, el("h3", {}, "Listed entity"),
      dl([
        ["Listed name", match.name, { class: "name" }],
        ["Name that met", match.matched_name !== match.name ? match.matched_name : null,
          { lang: scriptLang(match.matched_name) }],
        ["List", match.list],
        ["List id", match.source_id],
        ["Type", match.schema],
        ["Birth dates", profile.birth_dates],
        ["Countries", profile.countries],
        ["Gender", e.gender],
        ["Identifiers", ids],
        ["Programmes", profile.programs],
        ["Listed on", profile.listed_on],
        ["Reason", profile.reason],
        ["All names", names],
        ["Related entries", related],
        ["List version", version],
        ["Authority", e.list_version && e.list_version.authority],
        ["Source file", e.list_version && !source ? e.list_version.source : null],
      ]));
    const sources = [...urls, ...(source ? [source] : [])];
    if (sources.length) {
      col.append(el("p", { class: "sources" }, "Source: ", ...sources.map((u) =>
        el("a", { href: u, rel: "noopener noreferrer", target: "_blank" }, u))));
    }
    return col;
  }

  /* The hit's review state, as the compliance record reports it with each match. */
  function reviewBadge(review) {
    if (!review || !review.state) return null;
    const d = review.decision;
    const by = d ? ` — ${DECISION_LABELS[d.decision] || d.decision} by ${d.user}` : "";
    return el("span", { class: "badge review state-" + review.state, "data-state": review.state },
      (STATE_LABELS[review.state] || review.state) + by);
  }

  function renderMatch(record, match, opts) {
    const o = opts || {};
    const heading = o.level || "h2";
    const card = el("article", { class: "card match", "data-list": match.list, "data-source-id": match.source_id });
    card.append(el("header", { class: "match-head" },
      el(heading, {}, el("span", { lang: scriptLang(record.name) }, record.name || "–"), " ↔ ", match.name),
      scoreBar(match.score),
      reviewBadge(match.review),
      o.link ? el("a", { href: o.link, class: "open" }, "Open hit") : null));
    card.append(el("div", { class: "columns" }, renderRecord(record), renderListed(match, o.entity)));
    card.append(renderAlignment(record, match), renderEffects(match));
    return card;
  }

  return {
    api, ApiError, el, say, message, errorText, newKey, renderMatch, scoreBar, fmtScore,
    fmtTime, scriptLang, STATE_LABELS, DECISION_LABELS,
  };
})();
