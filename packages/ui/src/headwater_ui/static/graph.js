// The pipeline page: clicking a solid on the graph shows its details beside it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const node of document.querySelectorAll("svg.graph .node:not(.composite)")) {
    node.addEventListener("click", () => {
      const name = node.dataset.solid;
      for (const other of document.querySelectorAll(".node.selected, .solid.selected")) other.classList.remove("selected");
      node.classList.add("selected");
      const card = document.querySelector(`.solid[data-solid="${CSS.escape(name)}"]`);
      if (card) { card.classList.add("selected"); card.scrollIntoView({block: "nearest", behavior: "smooth"}); }
    });
  }
});
