// Look-up: results update as you type (the form still works without script).
(function () {
  "use strict";
  const input = document.getElementById("q");
  const kind = document.getElementById("kind");
  const dos = document.getElementById("dos");
  const body = document.querySelector("#results tbody");
  if (!input || !body) return;
  let timer = null;
  let seq = 0;
  function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
  function render(results) {
    body.replaceChildren();
    results.forEach((h) => {
      const tr = document.createElement("tr");
      const link = document.createElement("a");
      link.href = "/lookup/" + encodeURIComponent(h.kind) + "/" + encodeURIComponent(h.code);
      const code = document.createElement("code");
      code.textContent = h.code;
      link.appendChild(code);
      const first = document.createElement("td");
      first.appendChild(link);
      const title = cell(h.title);
      if (h.matched) { const small = document.createElement("small"); small.className = "hint"; small.textContent = h.matched; title.append(document.createElement("br"), small); }
      const billable = cell(h.billable ? "yes" : "no");
      if (h.note) { const small = document.createElement("small"); small.textContent = h.note; billable.append(document.createElement("br"), small); }
      tr.append(first, cell(h.kind), title, billable);
      body.appendChild(tr);
    });
    if (!results.length) { const tr = document.createElement("tr"); const td = cell("No codes match."); td.colSpan = 4; tr.appendChild(td); body.appendChild(tr); }
  }
  function search() {
    const q = input.value.trim();
    if (!q) { body.replaceChildren(); return; }
    const mine = ++seq;
    const params = new URLSearchParams({ q: q, limit: "30" });
    if (kind.value) params.set("kind", kind.value);
    if (dos && dos.value) params.set("dos", dos.value);
    // Back (from a code's page) comes back to this search: the address holds it.
    const shown = new URLSearchParams(params);
    shown.delete("limit");
    history.replaceState(null, "", "?" + shown.toString());
    fetch("/api/v1/codes/search?" + params.toString(), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { results: [] }))
      .then((data) => { if (mine === seq) render(data.results); });
  }
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 120); });
  kind.addEventListener("change", search);
  if (dos) dos.addEventListener("change", search);
  document.addEventListener("keydown", (event) => {
    const links = Array.from(body.querySelectorAll("a"));
    if (!links.length || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    const at = links.indexOf(document.activeElement);
    // Only from the search box or a result: a select or date field keeps its own arrow keys.
    if (document.activeElement !== input && at < 0) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? Math.min(links.length - 1, at + 1) : at - 1;
    if (next < 0) input.focus(); else links[next].focus();
  });
})();
