// Review queue: j/k or the arrow keys move through the rows, Enter opens the chart.
// Without script every row still has its link.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("#review-queue tbody tr[data-href]"));
  if (!rows.length) return;
  let current = -1;
  function select(index) {
    if (index < 0 || index >= rows.length) return;
    if (current >= 0) { rows[current].classList.remove("selected"); rows[current].removeAttribute("aria-current"); }
    current = index;
    rows[current].classList.add("selected");
    rows[current].setAttribute("aria-current", "true");
    rows[current].focus();
  }
  rows.forEach((row, index) => row.addEventListener("focusin", () => { if (current !== index) select(index); }));
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target instanceof HTMLElement && target.closest("input, select, textarea, button")) return;
    if (event.key === "j" || event.key === "ArrowDown") { select(Math.min(current + 1, rows.length - 1)); event.preventDefault(); }
    else if (event.key === "k" || event.key === "ArrowUp") { select(Math.max(current - 1, 0)); event.preventDefault(); }
    else if (event.key === "Enter" && current >= 0 && !(target instanceof HTMLAnchorElement)) { window.location.assign(rows[current].dataset.href); event.preventDefault(); }
  });
})();
