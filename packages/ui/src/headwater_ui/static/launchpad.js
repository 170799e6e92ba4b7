// The launchpad: the run config checked as you type (errors at their lines in the gutter),
// presets, the solid selection previewed on the graph, launch.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const data = hw.data("launchpad-data");
  const config = document.getElementById("config");
  const gutter = document.getElementById("gutter");
  const errorsList = document.getElementById("errors");
  const launch = document.getElementById("launch");
  const mode = document.getElementById("mode");
  const preset = document.getElementById("preset");
  const selection = document.getElementById("selection");
  const tags = document.getElementById("tags");
  let errorLines = new Set();
  let timer = null;
  let generation = 0;

  function drawGutter() {
    const count = config.value.split("\n").length;
    const lines = [];
    for (let i = 1; i <= count; i++) {
      lines.push(errorLines.has(i) ? hw.el("span", {class: "bad", title: "error on this line"}, String(i)) : String(i));
      lines.push("\n");
    }
    gutter.replaceChildren(...lines);
    gutter.scrollTop = config.scrollTop;
  }

  function body() {
    return {config_yaml: config.value, mode: mode.value, selection: selection.value, tags: tags.value};
  }

  async function check() {
    const mine = ++generation;
    const result = await hw.post(`${data.api}/check`, body());
    if (mine !== generation) return;  // a newer check is on its way
    const errors = result.data.errors || [];
    errorLines = new Set(errors.filter((e) => e.line).map((e) => e.line));
    errorsList.replaceChildren(...(errors.length
      ? errors.map((e) => hw.el("li", {"data-line": e.line || ""}, (e.line ? `Line ${e.line}: ` : "") + e.message))
      : [hw.el("li", {class: "ok"}, "The run config is valid.")]));
    launch.disabled = errors.length > 0;
    drawGutter();
  }

  function schedule() {
    clearTimeout(timer);
    launch.disabled = true;
    timer = setTimeout(check, 250);
  }

  async function previewSelection() {
    const result = await hw.get(`${data.api}/selection?q=${encodeURIComponent(selection.value)}`);
    const chosen = new Set(result.solids);
    for (const node of document.querySelectorAll("svg.graph .node")) {
      const on = chosen.has(node.dataset.solid);
      node.classList.toggle("selected", on && selection.value.trim() !== "");
      node.classList.toggle("unselected", !on);
    }
    document.getElementById("selection-note").textContent = result.error
      || (selection.value.trim() ? `${result.solids.length} solid(s) selected: ${result.solids.join(", ")}` : "Every solid runs.");
  }

  config.addEventListener("input", () => { drawGutter(); schedule(); });
  config.addEventListener("scroll", () => { gutter.scrollTop = config.scrollTop; });
  config.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {  // two spaces, as YAML wants, instead of leaving the editor
      event.preventDefault();
      config.setRangeText("  ", config.selectionStart, config.selectionEnd, "end");
      schedule();
    }
  });
  tags.addEventListener("input", schedule);
  mode.addEventListener("change", async () => {
    const seed = await hw.get(`${data.api}/seed?mode=${encodeURIComponent(mode.value)}`);
    if (!preset.value) config.value = seed.config_yaml;
    drawGutter(); schedule();
  });
  preset.addEventListener("change", async () => {
    const query = preset.value ? `preset=${encodeURIComponent(preset.value)}` : `mode=${encodeURIComponent(mode.value)}`;
    const seed = await hw.get(`${data.api}/seed?${query}`);
    if (!seed.error) {
      config.value = seed.config_yaml;
      if (seed.mode) mode.value = seed.mode;
      selection.value = seed.solid_selection || "";
    }
    drawGutter(); schedule(); previewSelection();
  });
  selection.addEventListener("input", () => { previewSelection(); schedule(); });

  launch.addEventListener("click", async () => {
    launch.disabled = true;
    const message = document.getElementById("launch-message");
    message.textContent = "Launching…";
    const result = await hw.post(`${data.api}/launch`, body());
    if (result.ok) { location.href = `/runs/${encodeURIComponent(result.data.run_id)}`; return; }
    message.textContent = result.data.error;
    launch.disabled = false;
  });

  drawGutter();
  check();
  previewSelection();
});
