// The run page: step timeline, the event log (virtualised, streaming live over
// server-sent events), step output, materializations, cancel and re-execute.
"use strict";

const ROW = 20;  // px per log line; must match .log .line height
const F = {id: 0, ts: 1, level: 2, step: 3, type: 4, message: 5, error: 6};

document.addEventListener("DOMContentLoaded", () => {
  const run = hw.data("run-data");
  const base = `/api/runs/${encodeURIComponent(run.run_id)}`;
  const log = document.getElementById("log");
  const spacer = document.getElementById("log-spacer");
  const filters = {step: document.getElementById("filter-step"), level: document.getElementById("filter-level"),
                   type: document.getElementById("filter-type"), text: document.getElementById("filter-text")};
  let events = [];
  let shown = [];
  let cursor = -1;
  let status = run.status;
  let steps = [];
  const knownSteps = new Set();
  const knownTypes = new Set();
  let follow = true;

  function matches(row) {
    if (filters.step.value && row[F.step] !== filters.step.value) return false;
    if (filters.level.value && row[F.level] !== filters.level.value) return false;
    if (filters.type.value === "-" && row[F.type] !== null) return false;
    if (filters.type.value && filters.type.value !== "-" && row[F.type] !== filters.type.value) return false;
    const text = filters.text.value.toLowerCase();
    return !text || row[F.message].toLowerCase().includes(text) || (row[F.step] || "").toLowerCase().includes(text);
  }

  function refilter() {
    shown = events.filter(matches);
    spacer.style.height = `${shown.length * ROW}px`;
    document.getElementById("log-count").textContent = `${shown.length} of ${events.length} entries`;
    if (follow) log.scrollTop = log.scrollHeight;
    paint();
  }

  // Only the lines in view (and a few around) are elements of the page.
  function paint() {
    for (const line of log.querySelectorAll(".line")) line.remove();
    const first = Math.max(0, Math.floor(log.scrollTop / ROW) - 10);
    const last = Math.min(shown.length, first + Math.ceil(log.clientHeight / ROW) + 20);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = shown[i];
      const line = hw.el("div", {class: "line", style: `top:${i * ROW}px`, "data-id": row[F.id]},
        hw.el("span", {class: "t"}, hw.time(row[F.ts])),
        hw.el("span", {class: `lv ${row[F.level]}`}, row[F.level]),
        row[F.step] ? hw.el("span", {class: "st"}, row[F.step]) : null,
        row[F.type] ? hw.el("span", {class: "ty"}, row[F.type]) : null,
        row[F.message].split("\n")[0]);
      line.addEventListener("click", () => detail(row));
      fragment.append(line);
    }
    log.append(fragment);
  }

  function detail(row) {
    const panel = document.getElementById("log-detail");
    panel.replaceChildren(
      hw.el("div", {class: "meta"}, `${hw.time(row[F.ts])} · ${row[F.level]} · ${row[F.step] || "run"} · ${row[F.type] || "log line"}`),
      hw.el("pre", {}, row[F.message]),
      row[F.error] ? hw.el("pre", {class: "error"}, row[F.error]) : null);
    panel.hidden = false;
  }

  function add(rows) {
    if (!rows.length) return;
    for (const row of rows) {
      events.push(row);
      if (row[F.step] && !knownSteps.has(row[F.step])) {
        knownSteps.add(row[F.step]);
        filters.step.append(hw.el("option", {}, row[F.step]));
      }
      if (row[F.type] && !knownTypes.has(row[F.type])) {
        knownTypes.add(row[F.type]);
        filters.type.append(hw.el("option", {}, row[F.type]));
      }
    }
    cursor = rows[rows.length - 1][F.id];
    refilter();
  }

  log.addEventListener("scroll", () => {
    follow = log.scrollTop + log.clientHeight >= log.scrollHeight - ROW;
    requestAnimationFrame(paint);
  });
  for (const input of Object.values(filters)) input.addEventListener("input", refilter);

  function setStatus(value) {
    status = value;
    const badge = document.querySelector("#run-status .badge");
    badge.textContent = value;
    badge.className = "badge " + ({SUCCESS: "ok", FAILURE: "bad", CANCELED: "bad", CANCELING: "warn",
      STARTED: "live", STARTING: "live", QUEUED: "wait", NOT_STARTED: "wait"}[value] || "dim");
    const finished = ["SUCCESS", "FAILURE", "CANCELED"].includes(value);
    document.getElementById("cancel").hidden = finished || value === "CANCELING";
    document.getElementById("reexecute-all").hidden = !finished || !run.can_reexecute;
    document.getElementById("reexecute-selected").hidden = !finished || !run.can_reexecute;
    document.getElementById("reexecute-failure").hidden = value !== "FAILURE" || !run.can_reexecute;
  }

  // -- steps: timeline, output, materializations ------------------------------------------
  const outputStep = document.getElementById("output-step");
  async function loadSteps() {
    const data = await hw.get(base);
    steps = data.steps;
    document.getElementById("reexecute-config").value ||= data.config_yaml;
    gantt();
    const current = outputStep.value;
    outputStep.replaceChildren(...steps.map((s) => hw.el("option", {}, s.step_key)));
    if (current) outputStep.value = current;
    if (!outputStep.value && steps.length) outputStep.value = steps[0].step_key;
    if (!current) loadOutput();
    const found = steps.flatMap((s) => s.materializations.map((m) => [s.step_key, m]));
    document.getElementById("materializations").replaceChildren(found.length
      ? hw.el("table", {class: "grid"}, hw.el("tr", {}, hw.el("th", {}, "Step"), hw.el("th", {}, "Asset"),
          hw.el("th", {}, "Partition"), hw.el("th", {}, "Description"), hw.el("th", {}, "Metadata")),
        ...found.map(([step, m]) => hw.el("tr", {}, hw.el("td", {}, step), hw.el("td", {}, m.asset_key),
          hw.el("td", {}, m.partition || "-"), hw.el("td", {}, m.description || ""),
          hw.el("td", {}, Object.entries(m.metadata).map(([k, v]) => `${k}: ${v}`).join("; ")))))
      : hw.el("p", {class: "empty"}, "No materializations."));
  }

  function gantt() {
    const box = document.getElementById("gantt");
    const started = steps.filter((s) => s.start_time !== null);
    if (!started.length) { box.replaceChildren(hw.el("p", {class: "empty"}, "No step has started.")); return; }
    const t0 = Math.min(...started.map((s) => s.start_time));
    const now = Date.now() / 1000;
    const t1 = Math.max(...started.map((s) => s.end_time || now), t0 + 0.001);
    box.replaceChildren(...steps.map((s) => {
      const start = s.start_time === null ? null : (s.start_time - t0) / (t1 - t0);
      const end = s.start_time === null ? null : ((s.end_time || now) - t0) / (t1 - t0);
      const seconds = s.start_time === null ? "-" : `${((s.end_time || now) - s.start_time).toFixed(2)}s`;
      const row = hw.el("div", {class: "row", title: `${s.step_key}: ${s.status}, ${s.attempts} attempt(s)`},
        hw.el("div", {class: "label"}, s.step_key),
        hw.el("div", {class: "track"}, start === null ? null
          : hw.el("div", {class: `bar ${s.status}`, style: `left:${start * 100}%;width:${Math.max((end - start) * 100, 0.3)}%`})),
        hw.el("div", {class: "time"}, seconds));
      row.addEventListener("click", () => { filters.step.value = s.step_key; refilter(); outputStep.value = s.step_key; loadOutput(); });
      return row;
    }));
  }

  async function loadOutput() {
    if (!outputStep.value) return;
    const stream = document.querySelector('input[name="stream"]:checked').value;
    const data = await hw.get(`${base}/logs/${encodeURIComponent(outputStep.value)}`);
    document.getElementById("step-output").textContent = data[stream] || `(nothing on ${stream})`;
  }
  outputStep.addEventListener("change", loadOutput);
  for (const radio of document.querySelectorAll('input[name="stream"]')) radio.addEventListener("change", loadOutput);

  // -- live --------------------------------------------------------------------------------
  let stepsTimer = null;
  function refreshStepsSoon() {
    if (stepsTimer) return;
    stepsTimer = setTimeout(() => { stepsTimer = null; loadSteps(); }, 500);
  }

  function stream() {
    const source = new EventSource(`${base}/events/stream?after=${cursor}`);
    source.addEventListener("events", (message) => {
      const data = JSON.parse(message.data);
      add(data.events.filter((row) => row[F.id] > cursor));
      if (data.status !== status) setStatus(data.status);
      refreshStepsSoon();
    });
    source.addEventListener("end", (message) => {
      source.close();
      setStatus(JSON.parse(message.data).status);
      loadSteps().then(loadOutput);
    });
  }

  // -- actions -------------------------------------------------------------------------------
  const note = document.getElementById("action-message");
  async function act(url, body) {
    note.textContent = "Working…";
    const result = await hw.post(url, body);
    if (!result.ok) { note.textContent = result.data.error; return null; }
    return result.data;
  }
  document.getElementById("cancel").addEventListener("click", async () => {
    const data = await act(`${base}/cancel`);
    if (data) { note.textContent = `Run is ${data.status}.`; setStatus(data.status); }
  });
  async function reexecute(body) {
    const data = await act(`${base}/reexecute`, body);
    if (data) location.href = `/runs/${encodeURIComponent(data.run_id)}`;
  }
  document.getElementById("reexecute-all").addEventListener("click", () => reexecute({}));
  document.getElementById("reexecute-failure").addEventListener("click", () => reexecute({from_failure: true}));
  const form = document.getElementById("reexecute-form");
  document.getElementById("reexecute-selected").addEventListener("click", () => { form.hidden = !form.hidden; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await hw.post(`${base}/reexecute`, {steps: document.getElementById("reexecute-steps").value,
                                                       config_yaml: document.getElementById("reexecute-config").value});
    if (result.ok) location.href = `/runs/${encodeURIComponent(result.data.run_id)}`;
    else document.getElementById("reexecute-error").textContent =
      (result.data.errors || []).map((e) => (e.line ? `line ${e.line}: ` : "") + e.message).join("\n") || result.data.error;
  });

  setStatus(status);
  hw.get(`${base}/events`).then((data) => {
    add(data.events);
    // A failed run opens on its first error, traceback and all.
    const failure = events.find((row) => row[F.error]);
    if (failure) detail(failure);
    setStatus(data.status);
    loadSteps();
    if (!["SUCCESS", "FAILURE", "CANCELED"].includes(data.status)) stream();
  });
});
