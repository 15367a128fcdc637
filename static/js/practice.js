// Entry panel: autosave, timer, extra rows and keyboard movement. Loaded as a file (the CSP
// allows no inline script). Everything still works without it: the form posts normally.
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const saveState = document.getElementById("save-state");
  const secondsField = document.getElementById("seconds");
  const timer = document.getElementById("timer");
  const started = Date.parse(timer.dataset.started);
  let submitting = false;

  function tick() {
    const secs = Math.max(0, Math.round((Date.now() - started) / 1000));
    secondsField.value = String(secs);
    timer.textContent = Math.floor(secs / 60) + ":" + String(secs % 60).padStart(2, "0");
  }
  setInterval(tick, 1000);
  tick();

  // Timed exams: a countdown; at zero the page reloads and the server submits the saved work.
  const countdown = document.getElementById("countdown");
  if (countdown) {
    const deadline = Date.parse(countdown.dataset.deadline);
    const show = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = "Exam: " + Math.floor(left / 60) + " min " + String(left % 60).padStart(2, "0") + " s left";
      if (left === 0) { save(); setTimeout(() => window.location.reload(), 1500); }
      // Screen readers hear the time left at 10, 5 and 1 minutes, not every second.
      const alert = document.getElementById("countdown-alert");
      if (alert && [600, 300, 60].includes(left)) alert.textContent = Math.round(left / 60) + " minutes left in the exam";
      return left;
    };
    show();
    const clock = setInterval(() => { if (show() === 0) clearInterval(clock); }, 1000);
  }

  function collect() {
    const diagnoses = [];
    form.querySelectorAll('input[name^="diagnoses-"]').forEach((el) => diagnoses.push(el.value));
    const lines = [];
    form.querySelectorAll("#lines tbody tr").forEach((row) => {
      const get = (suffix) => {
        const el = row.querySelector('input[name$="-' + suffix + '"]');
        return el ? el.value : "";
      };
      lines.push({
        code: get("code"),
        modifiers: [get("mod1"), get("mod2"), get("mod3"), get("mod4")],
        units: get("units"),
        revenue_code: get("revenue"),
        pointers: get("pointers"),
      });
    });
    if (form.dataset.setting === "inpatient") {
      const poa = [];
      form.querySelectorAll('select[name^="poa-"]').forEach((el) => poa.push(el.value));
      const procedures = [];
      form.querySelectorAll("#procedures tbody tr").forEach((row) => {
        const code = row.querySelector('input[name$="-code"]');
        const day = row.querySelector('input[name$="-date"]');
        procedures.push({ code: code ? code.value : "", date: day ? day.value : "" });
      });
      return { diagnoses: diagnoses, poa: poa, procedures: procedures };
    }
    const draft = { diagnoses: diagnoses, lines: lines };
    // The UB-04's own fields (facility charts): FL 4, FL 70 a-c, FL 72 a-c.
    const tob = document.getElementById("type_of_bill");
    if (tob) {
      const values = (prefix) => Array.from(form.querySelectorAll('input[name^="' + prefix + '"]'), (el) => el.value);
      draft.type_of_bill = tob.value;
      draft.reason_for_visit = values("reason-");
      draft.external_causes = values("ecause-");
    }
    // The CMS-1500's box 24B (professional charts): one place of service for every line.
    const pos = document.getElementById("place_of_service");
    if (pos) draft.place_of_service = pos.value;
    return draft;
  }
  // ICD-10-CM boxes: the diagnoses, and on the UB-04 the reason for visit and external causes.
  function isDiagnosisBox(input) {
    return /^(diagnoses|reason|ecause)-/.test(input.name);
  }

  let pending = null;
  function save() {
    pending = null;
    if (submitting) return;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(collect()),
      credentials: "same-origin",
    })
      .then((r) => { saveState.textContent = r.ok ? "Saved." : "Not saved (" + r.status + ")."; })
      .catch(() => { saveState.textContent = "Offline: will retry."; schedule(); });
  }
  function schedule() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(save, 800);
  }
  form.addEventListener("input", schedule);

  // One submit only: a double click must not post twice (the server also refuses a second one).
  form.addEventListener("submit", () => {
    submitting = true;
    tick();
    const button = document.getElementById("submit-answer");
    setTimeout(() => { button.disabled = true; button.textContent = "Grading…"; }, 0);
  });

  function fields() {
    return Array.from(form.querySelectorAll("input:not([type=hidden])"));
  }
  // Enter moves to the next field instead of submitting; Ctrl+Enter submits.
  form.addEventListener("keydown", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLInputElement)) return;
    if (event.key === "Enter") {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) { form.requestSubmit(); return; }
      const all = fields();
      const next = all[all.indexOf(el) + 1];
      if (next) next.focus(); else document.getElementById("submit-answer").focus();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && el.closest("#lines")) {
      const cell = el.closest("td");
      const row = el.closest("tr");
      const target = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      if (target) {
        event.preventDefault();
        const input = target.children[cell.cellIndex].querySelector("input");
        if (input) input.focus();
      }
    }
  });

  // Type-ahead from the catalog: code, title and whether it is billable.
  // WAI-ARIA combobox: each code field owns the one listbox while it shows suggestions.
  const popup = document.createElement("ul");
  popup.className = "typeahead";
  popup.id = "code-suggestions";
  popup.setAttribute("role", "listbox");
  popup.setAttribute("aria-label", "Code suggestions");
  popup.hidden = true;
  // Inside the main landmark (axe: all content in landmarks); main is not positioned, so the
  // page coordinates set below still apply.
  (document.getElementById("main") || document.body).appendChild(popup);
  function comboboxes() { return form.querySelectorAll("input.code"); }
  function asCombobox(input) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", popup.id);
    input.setAttribute("aria-expanded", "false");
  }
  comboboxes().forEach(asCombobox);
  let owner = null;
  let active = -1;
  let lookupSeq = 0;
  function closePopup() {
    if (owner) { owner.setAttribute("aria-expanded", "false"); owner.removeAttribute("aria-activedescendant"); }
    popup.hidden = true; active = -1; owner = null;
  }
  function highlight(index) {
    const items = popup.querySelectorAll("li");
    items.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (owner && index >= 0) owner.setAttribute("aria-activedescendant", items[index].id);
    else if (owner) owner.removeAttribute("aria-activedescendant");
  }
  function nextField(el) {
    const all = fields();
    const next = all[all.indexOf(el) + 1];
    if (next) next.focus(); else document.getElementById("submit-answer").focus();
  }
  function choose(index) {
    const item = popup.querySelectorAll("li")[index];
    if (!item || !owner) return;
    const input = owner;
    input.value = item.dataset.code;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    closePopup();
    checkCode(input);
    // The pick is done: the next keystroke (a modifier, a units figure) goes to the next field,
    // not onto the end of the code (99213 + 25 must not become 9921325).
    nextField(input);
  }
  function lookUp(input) {
    const q = input.value.trim();
    const isDx = isDiagnosisBox(input);
    const isPcs = input.name.startsWith("procedures-");
    if (q.length < 2) { closePopup(); return; }
    const mine = ++lookupSeq;
    const params = new URLSearchParams({ q: q, limit: "8", dos: form.dataset.dos });
    if (isDx) params.set("kind", "icd10cm");
    if (isPcs) params.set("kind", "icd10pcs");
    fetch("/api/v1/codes/search?" + params.toString(), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { results: [] }))
      .then((data) => {
        if (mine !== lookupSeq || document.activeElement !== input) return;
        const wanted = isDx ? ["icd10cm"] : isPcs ? ["icd10pcs"] : ["cpt", "hcpcs"];
        const hits = data.results.filter((h) => wanted.includes(h.kind));
        popup.replaceChildren();
        hits.forEach((h, i) => {
          const li = document.createElement("li");
          li.setAttribute("role", "option");
          li.id = "code-suggestion-" + i;
          li.setAttribute("aria-selected", "false");
          li.dataset.code = h.code;
          const code = document.createElement("code");
          code.textContent = h.code;
          const title = document.createElement("span");
          title.textContent = " " + h.title;
          const flag = document.createElement("em");
          flag.textContent = h.billable ? " billable" : " header: not billable";
          flag.className = h.billable ? "ok" : "bad";
          li.append(code, title, flag);
          if (h.note) { const note = document.createElement("small"); note.textContent = " " + h.note; li.append(note); }
          li.addEventListener("mousedown", (e) => { e.preventDefault(); highlight(i); choose(i); });
          popup.appendChild(li);
        });
        if (!hits.length) { closePopup(); return; }
        const box = input.getBoundingClientRect();
        popup.style.left = window.scrollX + box.left + "px";
        popup.style.top = window.scrollY + box.bottom + 2 + "px";
        popup.hidden = false;
        owner = input;
        active = -1;
        input.setAttribute("aria-expanded", "true");
      })
      .catch(closePopup);
  }
  // Beside each entered code: its description and whether it is billable on the chart's date,
  // or why it is not a valid code ("9921325 is not a CPT code"). An encoder's habit, not a
  // hint: it never says whether the code is right for the chart.
  const checkSeq = new WeakMap();
  function statusFor(input) {
    let status = input.parentElement.querySelector(".code-status");
    if (!status) {
      status = document.createElement("small");
      status.className = "code-status";
      status.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", status);
    }
    status.id = input.id + "-status";
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== status.id);
    described.push(status.id);
    input.setAttribute("aria-describedby", described.join(" "));
    return status;
  }
  function kindOf(input, code) {
    if (isDiagnosisBox(input)) return "icd10cm";
    if (input.name.startsWith("procedures-")) return "icd10pcs";
    return /^[A-V][0-9]{4}$/i.test(code) ? "hcpcs" : "cpt";
  }
  function checkCode(input) {
    const code = input.value.trim();
    const status = statusFor(input);
    const mine = (checkSeq.get(input) || 0) + 1;
    checkSeq.set(input, mine);
    if (!code) { status.textContent = ""; status.className = "code-status"; input.removeAttribute("aria-invalid"); return; }
    const params = new URLSearchParams({ code: code, kind: kindOf(input, code), dos: form.dataset.dos });
    fetch("/api/v1/codes/validate?" + params.toString(), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data || checkSeq.get(input) !== mine) return;
        status.textContent = data.valid ? data.title + " · billable" : data.message;
        status.className = "code-status " + (data.valid ? "ok" : "bad");
        if (data.valid) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
      })
      .catch(() => {});
  }
  form.addEventListener("change", (event) => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.classList.contains("code")) checkCode(el);
  });
  comboboxes().forEach((el) => { if (el.value.trim()) checkCode(el); });
  function freshCopy(node) {
    node.querySelectorAll(".code-status").forEach((s) => s.remove());
    node.querySelectorAll("input").forEach((i) => { i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
  }

  let lookupTimer = null;
  form.addEventListener("input", (event) => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.classList.contains("code") && event.isTrusted) {
      clearTimeout(lookupTimer);
      lookupTimer = setTimeout(() => lookUp(el), 150);
    }
  });
  form.addEventListener("focusout", () => setTimeout(() => { if (!popup.contains(document.activeElement)) closePopup(); }, 0));
  form.addEventListener("keydown", (event) => {
    if (popup.hidden || event.target !== owner) return;
    const count = popup.querySelectorAll("li").length;
    if (event.key === "ArrowDown") { event.preventDefault(); event.stopImmediatePropagation(); highlight(Math.min(count - 1, active + 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); event.stopImmediatePropagation(); highlight(Math.max(-1, active - 1)); }
    else if (event.key === "Escape") { event.preventDefault(); closePopup(); }
    else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) { event.preventDefault(); event.stopImmediatePropagation(); choose(active); }
    else if (event.key === "Enter" || event.key === "Tab") { closePopup(); }
  }, true);

  document.getElementById("add-line")?.addEventListener("click", () => {
    const body = form.querySelector("#lines tbody");
    const last = body.lastElementChild;
    const n = body.children.length;
    const row = last.cloneNode(true);
    freshCopy(row);
    row.children[0].textContent = String(n + 1);
    row.querySelectorAll("input").forEach((input) => {
      input.name = input.name.replace(/^lines-\d+-/, "lines-" + n + "-");
      input.id = input.name;
      input.value = "";
      input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/Line \d+/, "Line " + (n + 1)));
    });
    body.appendChild(row);
    row.querySelector("input").focus();
  });

  document.getElementById("add-dx")?.addEventListener("click", () => {
    const list = document.getElementById("dx-rows");
    const n = list.children.length;
    if (n >= Number(form.dataset.maxDiagnoses)) return;
    const item = list.lastElementChild.cloneNode(true);
    freshCopy(item);
    // A UB-04 numbers its diagnoses 67, 67A-Q (the list carries its labels); a CMS-1500 A-L.
    const labels = list.dataset.labels ? list.dataset.labels.split(",") : null;
    const letter = labels ? labels[n] : "ABCDEFGHIJKL"[n];
    const input = item.querySelector("input");
    input.name = "diagnoses-" + n;
    input.id = input.name;
    input.value = "";
    input.setAttribute("aria-label", (labels ? "FL " : "Diagnosis ") + letter);
    item.querySelector("label").textContent = letter;
    item.querySelector("label").htmlFor = input.id;
    list.appendChild(item);
    input.focus();
  });
  // Inpatient: another diagnosis row with its POA select, up to the 837I's 25 (the list's
  // data-max); FL 67A-Q, then the positions only the 837I carries (data-labels).
  const addInpatientDx = document.getElementById("add-inpatient-dx");
  function inpatientRowsFull(list) {
    return list.children.length >= Number(list.dataset.max);
  }
  if (addInpatientDx) {
    const list = document.getElementById("dx-rows");
    addInpatientDx.hidden = inpatientRowsFull(list);
    addInpatientDx.addEventListener("click", () => {
      if (inpatientRowsFull(list)) return;
      const n = list.children.length;
      const item = list.lastElementChild.cloneNode(true);
      freshCopy(item);
      const fl = list.dataset.labels.split(",")[n] || String(n + 1);
      const input = item.querySelector("input");
      input.name = "diagnoses-" + n;
      input.id = input.name;
      input.value = "";
      input.classList.remove("invalid");
      input.setAttribute("aria-label", "Other diagnosis " + (fl.startsWith("837I") ? fl : "FL " + fl));
      const poa = item.querySelector("select");
      poa.name = "poa-" + n;
      poa.id = poa.name;
      poa.value = "";
      poa.setAttribute("aria-label", "POA for diagnosis " + (n + 1));
      const label = item.querySelector("label");
      label.textContent = fl;
      label.htmlFor = input.id;
      list.appendChild(item);
      asCombobox(input);
      addInpatientDx.hidden = inpatientRowsFull(list);
      input.focus();
      schedule();
    });
  }
  // Inpatient: another FL74 procedure row (code and date), up to the 837I's 25 (data-max).
  const addProcedure = document.getElementById("add-procedure");
  if (addProcedure) {
    const table = document.getElementById("procedures");
    const body = table.tBodies[0];
    const full = () => body.rows.length >= Number(table.dataset.max);
    addProcedure.hidden = full();
    addProcedure.addEventListener("click", () => {
      if (full()) return;
      const n = body.rows.length;
      const row = body.rows[n - 1].cloneNode(true);
      freshCopy(row);
      row.cells[0].textContent = String(n + 1);
      const [code, day] = row.querySelectorAll("input");
      code.name = "procedures-" + n + "-code";
      code.id = code.name;
      code.value = "";
      code.classList.remove("invalid");
      code.setAttribute("aria-label", "Procedure " + (n + 1) + " code");
      day.name = "procedures-" + n + "-date";
      day.id = day.name;
      day.value = "";
      day.setAttribute("aria-label", "Procedure " + (n + 1) + " date");
      body.appendChild(row);
      asCombobox(code);
      addProcedure.hidden = full();
      code.focus();
      schedule();
    });
  }
})();
