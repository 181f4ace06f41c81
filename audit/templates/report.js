"use strict";
(function () {
  const table = document.getElementById("bundle-table");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const byId = document.getElementById("filter-id");
  const byName = document.getElementById("filter-text");
  const failedOnly = document.getElementById("filter-failed");
  const shown = document.getElementById("shown");

  function filter() {
    const id = byId.value;
    const name = byName.value.toLowerCase();
    const failed = failedOnly.checked;
    let count = 0;
    for (const row of rows) {
      const visible =
        (!id || row.dataset.ids.split(" ").includes(id)) &&
        (!name || row.cells[0].textContent.toLowerCase().includes(name)) &&
        (!failed || row.classList.contains("failed"));
      row.hidden = !visible;
      if (visible) count += 1;
    }
    shown.textContent = count + " of " + rows.length + " shown";
  }
  byId.addEventListener("change", filter);
  byName.addEventListener("input", filter);
  failedOnly.addEventListener("change", filter);
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-filter]");
    if (button) {
      byId.value = button.dataset.filter;
      filter();
      document.getElementById("bundles").scrollIntoView();
    }
  });

  const more = document.getElementById("show-more-checks");
  if (more) {
    more.addEventListener("click", function () {
      document.getElementById("more-checks").hidden = false;
      more.parentElement.hidden = true;
    });
  }

  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach(function (header, column) {
    const button = header.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = header.dataset.type === "num";
      const key = function (row) {
        const cell = row.cells[column];
        const value = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
        return numeric ? Number(value) : value;
      };
      // From the page's order each time: a stable sort, so ties keep the input order.
      const sorted = rows.slice().sort(function (a, b) {
        const x = key(a);
        const y = key(b);
        const order = numeric ? x - y : x.localeCompare(y);
        return ascending ? order : -order;
      });
      const fragment = document.createDocumentFragment();
      for (const row of sorted) fragment.appendChild(row);
      body.appendChild(fragment);
    });
  });
})();
