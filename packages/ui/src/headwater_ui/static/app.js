// Shared by every page: POSTs carrying the CSRF token, and the small buttons of
// server-rendered pages (start/stop a schedule or sensor, reload the code).
"use strict";

window.hw = {
  csrf: () => document.querySelector('meta[name="csrf-token"]').content,

  async post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Headwater-CSRF": hw.csrf()},
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {error: await response.text()}; }
    return {ok: response.ok, status: response.status, data};
  },

  async get(url) {
    const response = await fetch(url, {credentials: "same-origin"});
    return response.json();
  },

  // Build an element; children are nodes or strings (always inserted as text, never HTML).
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") node.style.cssText = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  },

  data(id) {
    const block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  },

  time(seconds) {
    const d = new Date(seconds * 1000);
    return d.toISOString().substring(11, 23);
  },
};

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.job-toggle")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      const result = await hw.post(button.dataset.url);
      if (result.ok) location.reload();
      else { button.disabled = false; alert(result.data.error); }
    });
  }
  const reload = document.getElementById("reload");
  if (reload) {
    reload.addEventListener("click", async () => {
      reload.disabled = true;
      await hw.post("/api/workspace/reload");
      location.reload();
    });
  }
});
