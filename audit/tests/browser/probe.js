// Evaluated in the loaded fleet page by page.py: what the page shows, and what its controls
// do when used. The test compares every figure with the audit's own JSON records.
(async function () {
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const count = (id) => Number(document.getElementById(id).dataset.count);
  const visibleRows = () => all("#bundle-table tbody tr").filter((row) => !row.hidden);
  const facts = {
    counts: {
      bundles: count("count-bundles"),
      ok: count("count-ok"),
      failed: count("count-failed"),
      invalid_now: count("count-invalid-now"),
      expiring: count("count-expiring"),
    },
    checks: all("table.checks tbody tr").map((row) => ({
      id: row.dataset.id,
      bundles: Number(row.dataset.bundles),
      failing: Number(row.dataset.failing),
      shown: !row.closest("tbody").hidden,
    })),
    stacks: all("table.matrix tbody tr").map((row) => ({
      stack: row.dataset.stack,
      cells: Array.from(row.querySelectorAll("td.num")).map((cell) => Number(cell.textContent)),
      top_reason: row.querySelector("a") ? row.querySelector("a").textContent : null,
    })),
    timeline: {
      kind: document.getElementById("timeline-chart")
        ? document.getElementById("timeline-chart").dataset.kind
        : null,
      marks: all("#timeline-chart g.mark").map((mark) => ({
        role: mark.dataset.role,
        state: mark.dataset.state,
        count: Number(mark.dataset.count),
      })),
      bars: all("#timeline-chart rect.week").map((bar) => ({
        role: bar.dataset.role,
        bucket: bar.dataset.bucket,
        count: Number(bar.dataset.count),
        not_yet_valid: Number(bar.dataset.notYetValid),
      })),
    },
    rows: all("#bundle-table tbody tr").map((row) => row.cells[0].textContent),
    catalog: all("#catalog dt").map((entry) => entry.id.replace(/^check-/, "")),
    broken_links: all('a[href^="#"]')
      .map((link) => link.getAttribute("href").slice(1))
      .filter((id) => !document.getElementById(id)),
  };

  // The controls, used as an operator would.
  const byId = document.getElementById("filter-id");
  const failedOnly = document.getElementById("filter-failed");
  const byName = document.getElementById("filter-text");
  const shownText = () => document.getElementById("shown").textContent;
  const used = {};
  const top = facts.checks.length ? facts.checks[0].id : null;
  if (top) {
    byId.value = top;
    byId.dispatchEvent(new Event("change"));
    used.filter_top_id = { id: top, visible: visibleRows().length, shown: shownText() };
    byId.value = "";
    byId.dispatchEvent(new Event("change"));
    const button = document.querySelector('button[data-filter="' + top + '"]');
    button.click();
    used.button_sets_filter = byId.value;
    used.button_visible = visibleRows().length;
    byId.value = "";
    byId.dispatchEvent(new Event("change"));
  }
  failedOnly.checked = true;
  failedOnly.dispatchEvent(new Event("change"));
  used.failed_only = visibleRows().length;
  failedOnly.checked = false;
  failedOnly.dispatchEvent(new Event("change"));
  byName.value = "task-0000";
  byName.dispatchEvent(new Event("input"));
  used.name_filter = visibleRows().length;
  byName.value = "";
  byName.dispatchEvent(new Event("input"));
  used.all_visible = visibleRows().length;

  const expiryHeader = all("#bundle-table thead th")[4];
  expiryHeader.querySelector("button").click();
  used.sorted_ascending = {
    aria: expiryHeader.getAttribute("aria-sort"),
    days: all("#bundle-table tbody tr").map((row) => Number(row.cells[4].dataset.v)),
  };
  expiryHeader.querySelector("button").click();
  used.sorted_descending = {
    aria: expiryHeader.getAttribute("aria-sort"),
    first: Number(document.querySelector("#bundle-table tbody tr").cells[4].dataset.v),
  };
  const more = document.getElementById("show-more-checks");
  if (more) {
    more.click();
    used.more_checks_shown = !document.getElementById("more-checks").hidden;
  }
  facts.used = used;
  return facts;
})()
