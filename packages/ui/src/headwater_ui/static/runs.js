// The runs list: the status of runs still in progress follows them, without a reload.
"use strict";

const UNFINISHED = new Set(["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING", "MANAGED"]);
const CLASSES = {SUCCESS: "ok", FAILURE: "bad", CANCELED: "bad", CANCELING: "warn", STARTED: "live",
                 STARTING: "live", QUEUED: "wait", NOT_STARTED: "wait"};

document.addEventListener("DOMContentLoaded", () => {
  async function refresh() {
    const rows = [...document.querySelectorAll("tr[data-run]")].filter(
      (row) => UNFINISHED.has(row.querySelector(".run-status .badge").textContent));
    if (!rows.length) return;
    for (const row of rows) {
      const data = await hw.get(`/api/runs/${encodeURIComponent(row.dataset.run)}`);
      const badge = row.querySelector(".run-status .badge");
      badge.textContent = data.run.status;
      badge.className = `badge ${CLASSES[data.run.status] || "dim"}`;
    }
    setTimeout(refresh, 2000);
  }
  setTimeout(refresh, 2000);
});
