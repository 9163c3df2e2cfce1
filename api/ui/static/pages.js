/* One initialiser per page (body[data-page]); each is a client of the /v1 JSON API. */
"use strict";

(() => {
  const { api, ApiError, el, message, errorText } = UI;
  const NEEDS_RECORD = "This server has no compliance record yet (the hits, decisions and " +
    "audit endpoints answered 404): ask the operator to upgrade. Jobs and the instant check work.";

  /* Keyboard shortcuts stay out of the way while the analyst types. */
  const typing = (target) => Boolean(target) && (target.isContentEditable ||
    (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "radio"));

  /* --- queue ------------------------------------------------------------------ */
  const FILTERS = ["state", "sort", "job_id", "list", "min_score", "max_score"];
  const PAGE_SIZE = 50;

  function queuePage() {
    const form = document.getElementById("filters");
    const params = new URLSearchParams(window.location.search);
    for (const name of FILTERS) if (params.get(name)) form.elements[name].value = params.get(name);
    const cursors = [params.get("cursor") || ""];
    const prev = document.getElementById("prev");
    const next = document.getElementById("next");
    let nextCursor = null;

    function query(cursor) {
      const q = new URLSearchParams();
      for (const name of FILTERS) {
        const value = form.elements[name].value.trim();
        if (value) q.set(name, value);
      }
      q.set("limit", String(PAGE_SIZE));
      if (cursor) q.set("cursor", cursor);
      return q;
    }

    async function load() {
      delete document.body.dataset.queueReady;
      const cursor = cursors[cursors.length - 1];
      const q = query(cursor);
      const shown = new URLSearchParams(q);
      shown.delete("limit");
      window.history.replaceState(null, "", "?" + shown.toString());
      const started = performance.now();
      let body;
      try {
        body = await api("GET", "/v1/hits?" + q.toString());
      } catch (err) {
        message("queue-message", err instanceof ApiError && err.status === 404 ? NEEDS_RECORD : errorText(err), "error");
        document.getElementById("hits").hidden = true;
        return;
      }
      renderCounts(body.counts || {});
      renderRows(body.hits || []);
      nextCursor = body.next_cursor || null;
      next.disabled = !nextCursor;
      prev.disabled = cursors.length < 2;
      // Timings read by bench/ui_bench.py: the API call, and navigation start to ready.
      document.body.dataset.apiMs = String(Math.round(performance.now() - started));
      document.body.dataset.readyMs = String(Math.round(performance.now()));
      document.body.dataset.queueReady = "1";
      UI.say(`${(body.hits || []).length} hits shown.`);
    }

    function renderCounts(counts) {
      const list = document.getElementById("counts");
      list.textContent = "";
      for (const [state, label] of Object.entries(UI.STATE_LABELS)) {
        list.append(el("li", { "data-state": state },
          el("span", { class: "count" }, String(counts[state] ?? 0)), " ", label));
      }
    }

    function renderRows(hits) {
      const table = document.getElementById("hits");
      const tbody = table.querySelector("tbody");
      tbody.textContent = "";
      table.hidden = false;
      if (!hits.length) {
        message("queue-message", "No hits match these filters.", "");
        return;
      }
      message("queue-message", "");
      for (const hit of hits) {
        const record = hit.record || {};
        const review = hit.review || {};
        const href = "/ui/hits/" + encodeURIComponent(hit.hit_id);
        tbody.append(el("tr", { "data-hit-id": hit.hit_id },
          el("td", { "data-label": "Score" }, UI.scoreBar(hit.score)),
          el("td", { "data-label": "Customer record" },
            el("a", { href, lang: UI.scriptLang(record.name) }, record.name || "(no name)"),
            record.birth_date ? el("span", { class: "sub" }, " born " + record.birth_date) : null),
          el("td", { "data-label": "Listed as" }, hit.name),
          el("td", { "data-label": "List" }, hit.list),
          el("td", { "data-label": "Source" }, hit.source === "job" && hit.job_id
            ? el("a", { href: "/ui/jobs/" + encodeURIComponent(hit.job_id) }, "job " + hit.job_id.slice(0, 8))
            : hit.source || "–"),
          el("td", { "data-label": "State" },
            el("span", { class: "badge state-" + review.state }, UI.STATE_LABELS[review.state] || review.state || "–")),
          el("td", { "data-label": "Found" }, UI.fmtTime(hit.created_at))));
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      cursors.splice(0, cursors.length, "");
      load();
    });
    // j / k move between hits, Enter opens the one in focus (a plain link).
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const step = { j: 1, k: -1 }[event.key];
      if (!step) return;
      const links = Array.from(document.querySelectorAll("#hits tbody td:nth-child(2) a"));
      if (!links.length) return;
      event.preventDefault();
      const at = links.indexOf(document.activeElement);
      links[Math.max(0, Math.min(links.length - 1, at < 0 ? 0 : at + step))].focus();
    });
    next.addEventListener("click", () => { if (nextCursor) { cursors.push(nextCursor); load(); } });
    prev.addEventListener("click", () => { if (cursors.length > 1) { cursors.pop(); load(); } });
    load();
  }

  /* --- one hit ------------------------------------------------------------------- */
  function hitPage() {
    const hitId = document.body.dataset.hitId;
    const me = document.body.dataset.user;
    const form = document.getElementById("decision-form");
    const result = document.getElementById("decision-result");
    let idempotencyKey = UI.newKey();

    async function load() {
      let hit;
      try {
        hit = await api("GET", "/v1/hits/" + encodeURIComponent(hitId));
      } catch (err) {
        // A missing route's 404 names no field; a missing hit's names `hit_id`.
        const noRoute = err instanceof ApiError && err.status === 404 && !err.details.field;
        message("hit-message", noRoute ? NEEDS_RECORD : errorText(err), "error");
        return;
      }
      let entity = null;
      if (hit.entity_url) {
        try { entity = await api("GET", hit.entity_url); } catch (_) { entity = null; }
      }
      const view = document.getElementById("hit-view");
      view.textContent = "";
      document.getElementById("hit-title").textContent = `Review: ${hit.name} (${hit.list})`;
      const review = hit.review || {};
      view.append(el("p", { class: "state-line" }, "State: ",
        el("span", { class: "badge state-" + review.state, id: "hit-state" }, UI.STATE_LABELS[review.state] || review.state),
        review.decision ? ` — ${UI.DECISION_LABELS[review.decision.decision] || review.decision.decision} by ${review.decision.user}` : ""));
      view.append(UI.renderMatch(hit.record || {}, hit, { entity, level: "h2" }));
      document.getElementById("decide").hidden = false;
      document.body.dataset.hitReady = "1";
      loadHistory();
    }

    async function loadHistory() {
      const list = document.getElementById("decisions");
      list.textContent = "";
      let body;
      try {
        body = await api("GET", "/v1/decisions?hit_id=" + encodeURIComponent(hitId));
      } catch (err) {
        list.append(el("li", {}, errorText(err)));
        return;
      }
      const decisions = body.decisions || [];
      if (!decisions.length) list.append(el("li", { class: "hint" }, "No decision yet."));
      for (const d of decisions) {
        const item = el("li", { "data-decision-id": d.id, "data-status": d.status },
          el("strong", {}, UI.DECISION_LABELS[d.decision] || d.decision),
          ` by ${d.user}, ${UI.fmtTime(d.created_at)}`,
          d.status === "pending_confirmation" ? " — awaiting a second analyst's confirmation" : "",
          d.confirmed_by ? ` — confirmed by ${d.confirmed_by}` : "",
          d.comment ? el("q", {}, d.comment) : null);
        if (d.status === "pending_confirmation" && d.user !== me) {
          item.append(el("button", {
            type: "button", class: "confirm",
            onclick: () => confirmDecision(d.id),
          }, "Confirm this decision"));
        }
        list.append(item);
      }
    }

    async function confirmDecision(id) {
      try {
        await api("POST", "/v1/decisions/" + encodeURIComponent(id) + "/confirm", {});
        message(result, "Confirmed: the decision is now in effect.", "ok");
        load();
      } catch (err) {
        message(result, errorText(err), "error");
      }
    }

    async function nextOpenLink() {
      try {
        const body = await api("GET", "/v1/hits?state=open&limit=2");
        const other = (body.hits || []).find((h) => h.hit_id !== hitId);
        return other ? el("a", { href: "/ui/hits/" + encodeURIComponent(other.hit_id), id: "next-hit" }, "Next open hit →") : el("a", { href: "/ui/queue" }, "Queue is clear — back to the queue");
      } catch (_) {
        return el("a", { href: "/ui/queue" }, "Back to the queue");
      }
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const decision = form.elements.decision.value;
      const comment = form.elements.comment.value.trim();
      if (!decision) { message(result, "Choose true match, false positive or escalate.", "error"); return; }
      if (!comment) { message(result, "Add a comment saying why.", "error"); form.elements.comment.focus(); return; }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const d = await api("POST", "/v1/hits/" + encodeURIComponent(hitId) + "/decisions",
          { decision, comment }, { "Idempotency-Key": idempotencyKey });
        idempotencyKey = UI.newKey();
        form.reset();
        const words = UI.DECISION_LABELS[d.decision] || d.decision;
        const text = d.status === "pending_confirmation"
          ? `Recorded: ${words}. Four-eyes is on: another analyst must confirm it.`
          : `Recorded: ${words}.`;
        message(result, text + " ", "ok");
        const next = await nextOpenLink();
        result.append(next);
        next.focus();  // Enter goes on to the next hit
        load();
      } catch (err) {
        message(result, errorText(err), "error");
      } finally {
        button.disabled = false;
      }
    });

    const SHORTCUTS = { t: "true_match", f: "false_positive", e: "escalated" };
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const value = SHORTCUTS[event.key.toLowerCase()];
      if (!value || document.getElementById("decide").hidden) return;
      event.preventDefault();
      const radio = form.querySelector(`input[name=decision][value=${value}]`);
      radio.checked = true;
      UI.say(`${UI.DECISION_LABELS[value]} selected: type a comment and press Enter.`);
      form.elements.comment.focus();
    });
    load();
  }

  /* --- instant check ----------------------------------------------------------- */
  function checkPage() {
    const form = document.getElementById("check-form");
    const out = document.getElementById("check-result");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const record = {};
      for (const name of ["name", "birth_date", "country", "schema"]) {
        const value = form.elements[name].value.trim();
        if (value) record[name] = value;
      }
      out.textContent = "";
      message("check-message", "Checking…", "");
      let body;
      try {
        body = await api("POST", "/v1/screen", record);
      } catch (err) {
        message("check-message", errorText(err), "error");
        return;
      }
      const lists = (body.lists || []).map((l) => l.name).join(", ");
      const matches = body.result.matches || [];
      message("check-message", matches.length
        ? `${matches.length} possible match${matches.length > 1 ? "es" : ""} at threshold ${body.threshold} (lists: ${lists}).`
        : `No match at threshold ${body.threshold} against ${lists}. Checked in ${body.took_ms} ms.`,
      matches.length ? "alert" : "ok");
      for (const match of matches) {
        out.append(UI.renderMatch(record, match, {
          level: "h2", link: match.hit_id ? "/ui/hits/" + encodeURIComponent(match.hit_id) : null,
        }));
      }
      document.body.dataset.checkReady = "1";
    });
  }

  /* --- jobs ----------------------------------------------------------------------- */
  const FINISHED = new Set(["completed", "failed", "cancelled"]);

  async function reviewCounts(jobId) {
    try {
      const body = await api("GET", "/v1/hits?state=all&limit=1&job_id=" + encodeURIComponent(jobId));
      return body.counts || null;
    } catch (_) {
      return null;
    }
  }

  function jobSummary(job, counts) {
    const p = job.progress || {};
    const progress = el("progress", { max: String(p.total || 1), value: String(p.done || 0), id: "progress-" + job.id,
      "aria-label": `Progress of job ${job.id}` });
    const decided = counts ? (counts.decided || 0) + (counts.suppressed || 0) : null;
    const open = counts ? (counts.open || 0) + (counts.pending_confirmation || 0) : null;
    const facts = el("ul", { class: "facts" },
      el("li", {}, el("strong", {}, String(p.total ?? "–")), " records"),
      el("li", {}, el("strong", {}, String(job.hits ?? 0)), " with hits"),
      el("li", {}, el("strong", {}, decided === null ? "–" : String(decided)), " decided"),
      el("li", {}, el("strong", {}, open === null ? "–" : String(open)), " open"));
    const downloads = FINISHED.has(job.status) && job.status !== "failed"
      ? el("p", { class: "downloads" }, "Download results: ",
        el("a", { href: `/v1/jobs/${encodeURIComponent(job.id)}/results?format=csv`, download: `${job.id}.csv` }, "CSV"), " · ",
        el("a", { href: `/v1/jobs/${encodeURIComponent(job.id)}/results?format=jsonl`, download: `${job.id}.jsonl` }, "JSON lines"))
      : null;
    const eta = !FINISHED.has(job.status) && p.estimated_finish ? ` · done about ${UI.fmtTime(p.estimated_finish)}` : "";
    return el("div", { class: "job-summary", "data-status": job.status },
      el("p", { class: "progress-line" },
        el("span", { class: "badge status-" + job.status }, job.status), " ",
        `${p.done ?? 0} of ${p.total ?? 0} (${Math.round(p.percent || 0)}%)${eta}`),
      progress, facts, downloads);
  }

  function jobsPage() {
    const list = document.getElementById("jobs");
    const more = document.getElementById("more");
    const form = document.getElementById("job-form");
    let cursor = null;
    let timer = null;

    async function load(append) {
      let body;
      try {
        body = await api("GET", "/v1/jobs?limit=20" + (append && cursor ? "&cursor=" + cursor : ""));
      } catch (err) {
        message("jobs-message", errorText(err), "error");
        return;
      }
      if (!append) list.textContent = "";
      const jobs = body.jobs || [];
      if (!jobs.length && !append) message("jobs-message", "No jobs yet: submit one above.", "");
      else message("jobs-message", "");
      const counts = await Promise.all(jobs.map((j) => (j.hits ? reviewCounts(j.id) : Promise.resolve(null))));
      jobs.forEach((job, i) => {
        list.append(el("li", { class: "card job", "data-job-id": job.id },
          el("h2", {}, el("a", { href: "/ui/jobs/" + encodeURIComponent(job.id) }, job.reference || "Job " + job.id.slice(0, 8)),
            el("span", { class: "sub" }, " submitted " + UI.fmtTime(job.created_at))),
          jobSummary(job, counts[i])));
      });
      cursor = body.next_cursor;
      more.hidden = !cursor;
      clearTimeout(timer);
      if (jobs.some((j) => !FINISHED.has(j.status))) timer = setTimeout(() => load(false), 1500);
      document.body.dataset.jobsReady = "1";
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = form.elements.file.files[0];
      const reference = form.elements.reference.value.trim();
      let request;
      if (file) {
        const data = new FormData();
        data.append("file", file);
        request = api("POST", "/v1/jobs" + (reference ? "?reference=" + encodeURIComponent(reference) : ""), data);
      } else {
        const lines = form.elements.records.value.split("\n").map((l) => l.trim()).filter(Boolean);
        if (!lines.length) { message("job-form-message", "Enter at least one name, or choose a CSV file.", "error"); return; }
        const records = lines.map((line, i) => {
          const [name, birth, country] = line.split("|").map((p) => p.trim());
          const record = { id: `line-${i + 1}`, name };
          if (birth) record.birth_date = birth;
          if (country) record.country = country;
          return record;
        });
        request = api("POST", "/v1/jobs", reference ? { records, reference } : { records });
      }
      try {
        const job = await request;
        message("job-form-message", `Job ${job.id} accepted: ${job.progress.total} records queued.`, "ok");
        form.reset();
        load(false);
      } catch (err) {
        message("job-form-message", errorText(err), "error");
      }
    });
    more.addEventListener("click", () => load(true));
    load(false);
  }

  function jobPage() {
    const jobId = document.body.dataset.jobId;
    const out = document.getElementById("job-results");
    const more = document.getElementById("more-results");
    let cursor = "";

    async function poll() {
      let job;
      try {
        job = await api("GET", "/v1/jobs/" + encodeURIComponent(jobId));
      } catch (err) {
        message("job-message", errorText(err), "error");
        return;
      }
      const box = document.getElementById("job-summary");
      box.textContent = "";
      box.append(jobSummary(job, job.hits ? await reviewCounts(jobId) : null));
      if (!FINISHED.has(job.status)) setTimeout(poll, 1500);
      else results();
    }

    async function results() {
      let page;
      try {
        page = await api("GET", `/v1/jobs/${encodeURIComponent(jobId)}/results?only_hits=true&limit=50` + (cursor ? "&cursor=" + cursor : ""));
      } catch (err) {
        message("job-message", errorText(err), "error");
        return;
      }
      if (!cursor && !page.results.length) message("job-message", "No record of this job matched a listed name.", "ok");
      for (const result of page.results) {
        for (const match of result.matches) {
          out.append(UI.renderMatch({ name: result.name, id: result.id }, match, {
            level: "h3", link: match.hit_id ? "/ui/hits/" + encodeURIComponent(match.hit_id) : null,
          }));
        }
      }
      cursor = page.next_cursor || "";
      more.hidden = !page.next_cursor;
      document.body.dataset.resultsReady = "1";
    }

    more.addEventListener("click", results);
    poll();
  }

  const PAGES = { queue: queuePage, hit: hitPage, check: checkPage, jobs: jobsPage, job: jobPage };
  const init = PAGES[document.body.dataset.page];
  if (init) init();
})();
