// The sandbox widget's client side (templates/sandbox/widget.html and live.html): polling the live region,
// the console's keys and history, confirm() before reset, live range outputs and error lines.
// The CSP allows no inline handlers and no eval, so everything is wired here with listeners on document,
// which also keeps working when htmx swaps the markup out.
(() => {
  "use strict";

  const POLL_MS = 2000; // unless the live region says otherwise (data-poll-ms: slower once the cluster is at rest)
  const MAX_ROWS = 12;
  const STALE_MS = 30000; // a request older than this no longer holds the poll back

  const requests = new Map(); // XMLHttpRequest -> when it started (ms)
  let timer = null;

  const live = () => document.getElementById("sandbox-live");
  const log = () => document.getElementById("console-log");
  const consoleForm = () => document.getElementById("console-form");
  const input = () => document.querySelector("#console-form textarea[name=command]");

  // --- Requests in flight ------------------------------------------------------------------------------
  // An XHR is in flight while OPENED..LOADING; readyState catches requests whose afterRequest event never
  // reached document (their element was swapped away).
  function inFlight() {
    const now = Date.now();
    for (const [xhr, started] of requests) {
      if (xhr.readyState >= 1 && xhr.readyState <= 3 && now - started < STALE_MS) return true;
      requests.delete(xhr);
    }
    return false;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    const { xhr, elt } = event.detail;
    if (xhr) requests.set(xhr, Date.now());
    if (elt && elt.id === "console-form") setConsoleBusy(true);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const { xhr, elt } = event.detail;
    if (xhr) requests.delete(xhr);
    if (elt && elt.id === "console-form") setConsoleBusy(false);
  });

  // --- One id per command submission --------------------------------------------------------------------
  // The browser may re-send a POST whose connection broke before the answer came (say a web process died
  // after saving it); the server applies an id only once (sandbox/views.py, REQUEST_ID).
  function newRequestId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  document.addEventListener("htmx:configRequest", (event) => {
    const { verb, path, parameters } = event.detail;
    if (verb === "post" && /\/command$/.test(path)) parameters.request_id = newRequestId();
  });

  // --- Polling -----------------------------------------------------------------------------------------
  function editingLive() {
    // Do not swap a range input or field out from under the learner's hands.
    const active = document.activeElement;
    const region = live();
    return Boolean(region && active && region.contains(active) && active.matches("input, select, textarea"));
  }

  function poll() {
    const region = live();
    if (!region || !window.htmx || document.visibilityState !== "visible") return;
    // Not drawn (a lesson page on a phone showing its text): lesson.js asks for a poll when it is shown again.
    if (!region.getClientRects().length) return;
    if (inFlight() || editingLive()) return;
    window.htmx.trigger(region, "sandbox-poll");
  }

  function pollDelay() {
    const region = live();
    const asked = region ? Number(region.dataset.pollMs) : NaN;
    return asked >= 1000 ? asked : POLL_MS;
  }

  // One poll at a time, each scheduled after the last, at the pace the latest region asks for.
  function schedule() {
    timer = window.setTimeout(() => {
      poll();
      schedule();
    }, pollDelay());
  }

  function startPolling() {
    if (timer === null) schedule();
  }

  // A fresh region (after a command, say) may ask for a faster pace than the wait already running.
  document.addEventListener("htmx:afterSettle", () => {
    if (timer === null || !live()) return;
    window.clearTimeout(timer);
    schedule();
  });

  function stopPolling() {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      poll();
      startPolling();
    } else {
      stopPolling();
    }
  });

  // --- Focus across swaps ------------------------------------------------------------------------------
  // Polling replaces #sandbox-live every 2 s; a keyboard user sitting on one of its buttons would otherwise
  // be thrown back to <body>. Remember which control had focus and focus its twin in the new markup.
  let savedFocus = null;

  function focusKey(el, loose) {
    const form = el.closest("form");
    const command = form ? form.querySelector("input[name=command]") : null;
    const parts = [el.tagName, el.getAttribute("name") || "", command ? command.value : ""];
    if (!loose) parts.push(el.getAttribute("value") || "", el.textContent.trim());
    return parts.join("\u0001");
  }

  function rememberFocus() {
    const active = document.activeElement;
    if (!active || active === document.body) return;
    const region = active.closest("#sandbox-live, #time-controls");
    if (region) savedFocus = { region: region.id, exact: focusKey(active, false), loose: focusKey(active, true) };
  }

  function restoreFocus() {
    const saved = savedFocus;
    savedFocus = null;
    if (!saved || (document.activeElement && document.activeElement !== document.body)) return;
    const region = document.getElementById(saved.region);
    if (!region) return;
    const candidates = [...region.querySelectorAll("button, a[href], input:not([type=hidden]), select, [tabindex]")];
    const match = candidates.find((el) => focusKey(el, false) === saved.exact)
      || candidates.find((el) => focusKey(el, true) === saved.loose);
    if (match) match.focus({ preventScroll: true });
  }

  document.addEventListener("htmx:beforeSwap", rememberFocus);
  document.addEventListener("htmx:oobBeforeSwap", rememberFocus);
  document.addEventListener("htmx:afterSettle", restoreFocus);

  // --- Open and closed panels across swaps ----------------------------------------------------------------
  // The exercise panel, its hint ladder and the fault menus are <details> inside the region that polling
  // redraws: keep what the learner opened or closed (by id, for this sandbox, through a reload too). An
  // exercise box follows the server again once another exercise becomes the current one.
  function detailsKey() {
    const widget = document.querySelector(".sandbox-widget[data-sandbox]");
    return widget ? `sandbox-details:${widget.dataset.sandbox}` : null;
  }

  function readDetails() {
    const key = detailsKey();
    try {
      return (key && JSON.parse(window.sessionStorage.getItem(key) || "null")) || { current: null, open: {} };
    } catch {
      return { current: null, open: {} };
    }
  }

  function writeDetails(state) {
    const key = detailsKey();
    try {
      if (key) window.sessionStorage.setItem(key, JSON.stringify(state));
    } catch {
      // Storage full or refused: the panels simply follow the server.
    }
  }

  let applyingDetails = false;

  document.addEventListener("toggle", (event) => {
    const el = event.target;
    if (applyingDetails || !(el instanceof HTMLDetailsElement) || !el.id || !el.closest("#sandbox-live")) return;
    const state = readDetails();
    state.open[el.id] = el.open;
    writeDetails(state);
  }, true);

  function applyDetails() {
    const region = live();
    if (!region) return;
    const state = readDetails();
    const current = region.querySelector(".ex--current > details");
    const currentId = current ? current.id : "";
    if (state.current !== currentId) {
      for (const id of Object.keys(state.open)) if (id.startsWith("ex-") && !id.includes("-hint-") && !id.endsWith("-solution")) delete state.open[id];
      state.current = currentId;
      writeDetails(state);
    }
    applyingDetails = true;
    for (const [id, open] of Object.entries(state.open)) {
      const el = document.getElementById(id);
      if (el instanceof HTMLDetailsElement && el.open !== open) el.open = open;
    }
    window.setTimeout(() => { applyingDetails = false; }, 0);
  }

  // --- The map teaches: a short highlight where a pod appears or changes state ----------------------------
  let chipStates = new Map();

  function readChips() {
    const found = new Map();
    const region = live();
    if (region) for (const chip of region.querySelectorAll(".chip[id]")) found.set(chip.id, chip.className);
    return found;
  }

  function flashChanges() {
    const before = chipStates;
    chipStates = readChips();
    if (!before.size) return;
    for (const [id, className] of chipStates) {
      if (before.get(id) === className) continue;
      const chip = document.getElementById(id);
      if (chip) chip.classList.add("chip--changed");
    }
  }

  // One Tab stop per list of pods; the arrow keys move inside it.
  function rovePods() {
    const region = live();
    if (!region) return;
    for (const list of region.querySelectorAll("ul.chips")) {
      const chips = [...list.querySelectorAll(":scope > .chip[tabindex]")];
      const active = chips.find((chip) => chip === document.activeElement) || chips[0];
      for (const chip of chips) chip.tabIndex = chip === active ? 0 : -1;
    }
  }

  document.addEventListener("keydown", (event) => {
    const chip = event.target instanceof Element ? event.target.closest(".chip[tabindex]") : null;
    if (!chip) return;
    const chips = [...chip.parentElement.querySelectorAll(":scope > .chip[tabindex]")];
    const at = chips.indexOf(chip);
    const next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0,
      End: chips.length - 1 }[event.key];
    if (next === undefined || next < 0 || next >= chips.length) return;
    event.preventDefault();
    chip.tabIndex = -1;
    chips[next].tabIndex = 0;
    chips[next].focus();
  });

  function afterLiveSwap() {
    applyDetails();
    flashChanges();
    rovePods();
  }

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target && (target.id === "sandbox-live" || target.closest?.(".sandbox-widget") || target.querySelector?.("#sandbox-live"))) {
      afterLiveSwap();
    }
  });

  // --- Console -----------------------------------------------------------------------------------------
  const history = [];
  let historyIndex = 0;
  let draft = "";

  function remember(command) {
    if (command && history[history.length - 1] !== command) history.push(command);
    historyIndex = history.length;
    draft = "";
  }

  function grow(textarea) {
    const lines = textarea.value.split("\n").length;
    textarea.rows = Math.min(MAX_ROWS, Math.max(1, lines));
  }

  function setConsoleBusy(busy) {
    const button = document.querySelector("#console-form [type=submit]");
    if (button) button.disabled = busy;
  }

  function scrollLog() {
    const el = log();
    if (el) el.scrollTop = el.scrollHeight;
  }

  function resetInput() {
    const textarea = input();
    if (!textarea) return;
    textarea.value = "";
    grow(textarea);
    textarea.focus({ preventScroll: true });
  }

  function recall(textarea, step) {
    const next = historyIndex + step;
    if (next < 0 || next > history.length) return false;
    if (historyIndex === history.length) draft = textarea.value;
    historyIndex = next;
    textarea.value = next === history.length ? draft : history[next];
    grow(textarea);
    const end = textarea.value.length;
    textarea.setSelectionRange(end, end);
    return true;
  }

  document.addEventListener("keydown", (event) => {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.closest("#console-form")) return;
    // Korean input: Enter first ends the IME composition; it must not also send the half-typed command.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;

    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      const form = consoleForm();
      // One command at a time: the text stays in the box until the previous answer is in.
      if (!form.classList.contains("htmx-request")) form.requestSubmit();
      return;
    }
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    if (start !== end) return;
    if (event.key === "ArrowUp" && !value.slice(0, start).includes("\n")) {
      if (recall(textarea, -1)) event.preventDefault();
    } else if (event.key === "ArrowDown" && !value.slice(end).includes("\n")) {
      if (recall(textarea, +1)) event.preventDefault();
    }
  });

  document.addEventListener("input", (event) => {
    const el = event.target;
    if (el instanceof HTMLTextAreaElement && el.closest("#console-form")) grow(el);
    if (el instanceof HTMLInputElement && el.type === "range" && el.closest("form.traffic-form")) {
      const form = el.closest("form");
      const output = (el.id && form.querySelector(`output[for~="${CSS.escape(el.id)}"]`))
        || form.querySelector("output");
      if (output) output.value = el.value;
    }
  });

  // Capture phase: runs before htmx's own submit listener on the form, so stopping here means no request.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const cancel = () => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };

    if (form.id === "console-form") {
      const textarea = input();
      const command = textarea ? textarea.value.trim() : "";
      if (!command) return cancel();
      remember(textarea.value.replace(/\s+$/, ""));
      if (command === "clear") {
        cancel();
        log().replaceChildren();
        resetInput();
      }
      return;
    }
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) cancel();
  }, true);

  // A console entry (or an error entry) was appended to the log.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || target.id !== "console-log") return;
    const elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    if (elt && elt.id === "console-form") {
      resetInput();
    } else {
      // Commands from buttons are in the log, so they are in the history after a reload too.
      const entries = target.querySelectorAll(".console-entry[data-command]");
      const last = entries[entries.length - 1];
      if (last) remember(last.dataset.command);
    }
    scrollLog();
  });

  // --- Errors ------------------------------------------------------------------------------------------
  // The server renders its own console entry for errors it expects (413, 429, 409 …) and says so with
  // HX-Retarget: #console-log. htmx does not swap 4xx/5xx by default; let those through.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, target } = event.detail;
    if (xhr && xhr.status >= 400 && target && target.id === "console-log" && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function logError(message) {
    const el = log();
    if (!el) return;
    const last = el.lastElementChild;
    if (last && last.classList.contains("console-entry--client") && last.textContent === message) return;
    const entry = document.createElement("div");
    entry.className = "console-entry console-entry--error console-entry--client";
    const pre = document.createElement("pre");
    pre.className = "console-output";
    pre.textContent = message;
    entry.append(pre);
    el.append(entry);
    scrollLog();
  }

  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    const status = xhr ? xhr.status : 0;
    // The control view answers a bad request with one short Korean sentence; show that rather than ours.
    const text = xhr && typeof xhr.responseText === "string" ? xhr.responseText.trim() : "";
    if (text && text.length <= 200 && !text.includes("<")) logError(`${text} (HTTP ${status})`);
    else logError(`요청을 처리하지 못했습니다 (HTTP ${status}). 잠시 뒤 다시 시도해 주세요.`);
  });
  document.addEventListener("htmx:sendError", () => {
    logError("서버에 연결하지 못했습니다. 네트워크를 확인한 뒤 다시 시도해 주세요.");
  });

  // --- Start -------------------------------------------------------------------------------------------
  function init() {
    for (const entry of document.querySelectorAll(".console-entry[data-command]")) remember(entry.dataset.command);
    const textarea = input();
    if (textarea) grow(textarea);
    scrollLog();
    if (document.visibilityState === "visible") startPolling();
    chipStates = readChips();
    applyDetails();
    rovePods();
  }

  // A lesson page loads its sandbox after the text: pick up that console's history when it arrives.
  document.addEventListener("htmx:load", (event) => {
    const el = event.target;
    if (!(el instanceof Element) || !el.matches(".sandbox-widget")) return;
    for (const entry of el.querySelectorAll(".console-entry[data-command]")) remember(entry.dataset.command);
    scrollLog();
    chipStates = readChips();
    applyDetails();
    rovePods();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
