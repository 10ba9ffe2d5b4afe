// Keyboard shortcuts on the queue pages: j/k move the highlighted row, Enter opens it,
// n presses "Next item". Keys typed into a form field are left alone (Escape leaves it).
(function () {
  "use strict";
  let current = -1;

  function rows() {
    return Array.from(document.querySelectorAll("#queue-rows tr[data-href]"));
  }

  function highlight(index) {
    const all = rows();
    if (!all.length) { current = -1; return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("selected", i === current);
      row.setAttribute("aria-selected", i === current ? "true" : "false");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    return target.closest("input, select, textarea, [contenteditable=''], [contenteditable='true']");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "Enter" && event.target.closest("a, button, summary")) return;
    if (event.key === "j") { highlight(current + 1); event.preventDefault(); }
    else if (event.key === "k") { highlight(current - 1); event.preventDefault(); }
    else if (event.key === "Enter" && current >= 0 && rows()[current]) {
      window.location.href = rows()[current].dataset.href;
      event.preventDefault();
    } else if (event.key === "n") {
      // On a team queue, n takes from that team; elsewhere from all of mine.
      const form =
        document.getElementById("queue-next-form") || document.getElementById("next-item-form");
      if (form) { form.requestSubmit(); event.preventDefault(); }
    }
  });

  // A click anywhere on a row opens it (links and buttons inside keep their own action).
  document.addEventListener("click", function (event) {
    const row = event.target.closest("#queue-rows tr[data-href]");
    if (!row || event.target.closest("a, button, input, select, label")) return;
    window.location.href = row.dataset.href;
  });

  // Filters: send only the fields in use, so the address (pushed to history) stays short.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.target.closest || !event.target.closest("#queue-filters")) return;
    const params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      const value = params[key];
      if (value === "" || value === "unknown" || (Array.isArray(value) && !value.length)) {
        delete params[key];
      }
    });
  });

  // New rows after an htmx swap (filters, sorting, paging): start again from the top.
  document.addEventListener("htmx:afterSwap", function () { current = -1; });
})();
