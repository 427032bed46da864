// The lesson page's client side (templates/lessons/detail.html); sandbox.js runs the sandbox itself.
// - Below 75rem the text and the sandbox take turns filling the screen, switched by a bar at the bottom, so
//   the console and the cluster map are one tap away and the reading position stays where it was.
// - Every code block gets a copy button; commands and whole manifests also get "콘솔에서 실행".
// - The progress line and the tab's count follow the exercise panel as it changes.
(() => {
  "use strict";

  const WIDE = window.matchMedia("(min-width: 75rem)");
  // What a run button may send: the commands the simulator knows, and manifests (as kubectl apply -f -).
  const COMMAND = /^(kubectl|gcloud|sim|help)(\s|$)/;
  const MANIFEST = /^apiVersion:\s*\S/;

  const input = () => document.getElementById("console-input");
  const consoleForm = () => document.getElementById("console-form");

  // --- Two views on a narrow screen --------------------------------------------------------------------
  function show(view) {
    document.body.classList.toggle("shows-sandbox", view === "sandbox");
    for (const tab of document.querySelectorAll(".lesson-tabs__tab")) {
      tab.setAttribute("aria-pressed", String(tab.dataset.show === view));
    }
    if (view === "sandbox") {
      const region = document.getElementById("sandbox-live");
      if (region && window.htmx) window.htmx.trigger(region, "sandbox-poll"); // it does not poll while hidden
    }
  }

  function focusConsole() {
    const box = input();
    if (box) box.focus();
  }

  document.addEventListener("click", (event) => {
    const el = event.target instanceof Element ? event.target.closest("[data-show], a[data-lesson-link]") : null;
    if (!el) return;
    if (el.matches("a[data-lesson-link]")) {
      if (!WIDE.matches) show("lesson"); // the link itself then moves to its place in the text
      return;
    }
    const view = el.dataset.show;
    if (el.tagName === "A") event.preventDefault();
    if (view === "sandbox") {
      if (!WIDE.matches) show("sandbox");
      if (el.tagName !== "A") return; // the tab itself: the sandbox shows as the learner left it
      if (el.getAttribute("href") === "#console-input") focusConsole();
      else {
        const panel = document.getElementById("exercises");
        if (panel) {
          panel.setAttribute("tabindex", "-1");
          panel.focus();
        } else {
          focusConsole();
        }
      }
    } else {
      show("lesson");
    }
  });

  // --- Copy and run buttons on code blocks ---------------------------------------------------------------
  function commandsOf(text) {
    const lines = text.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    if (!lines.length) return null;
    if (MANIFEST.test(lines[0])) return [`kubectl apply -f -\n${text.trim()}`];
    return lines.every((l) => COMMAND.test(l)) ? lines : null;
  }

  const queue = [];
  let sending = false;

  function sendNext() {
    const form = consoleForm();
    const box = input();
    if (!queue.length || !form || !box) {
      queue.length = 0;
      sending = false;
      return;
    }
    sending = true;
    box.value = queue.shift();
    form.requestSubmit();
  }

  document.addEventListener("htmx:afterRequest", (event) => {
    const elt = event.detail.elt;
    if (sending && elt && elt.id === "console-form") window.setTimeout(sendNext, 150);
  });

  function run(commands, button) {
    if (!consoleForm()) {
      button.textContent = "샌드박스를 여는 중입니다";
      return;
    }
    if (!WIDE.matches) show("sandbox");
    queue.push(...commands);
    if (!sending) sendNext();
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without a secure context (plain HTTP on a LAN) the clipboard API is missing: select the text instead.
      const range = document.createRange();
      range.selectNodeContents(button.closest(".code-block").querySelector("pre"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "선택했습니다. Ctrl+C로 복사하세요";
      return;
    }
    button.textContent = "복사했습니다";
    window.setTimeout(() => { button.textContent = "복사"; }, 2000);
  }

  function tool(label, className, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `button button--small ${className}`;
    button.textContent = label;
    button.addEventListener("click", () => onClick(button));
    return button;
  }

  function addCodeTools() {
    for (const block of document.querySelectorAll(".lesson__body .highlight")) {
      if (block.parentElement.classList.contains("code-block")) continue;
      const text = block.querySelector("pre").textContent.replace(/\n$/, "");
      const wrapper = document.createElement("div");
      wrapper.className = "code-block";
      block.replaceWith(wrapper);
      const tools = document.createElement("div");
      tools.className = "code-tools";
      const commands = commandsOf(text);
      if (commands) {
        const label = commands.length > 1 ? `콘솔에서 실행 (${commands.length}개)` : "콘솔에서 실행";
        tools.append(tool(label, "code-tools__run", (button) => run(commands, button)));
      }
      tools.append(tool("복사", "code-tools__copy", (button) => copy(text, button)));
      wrapper.append(block, tools);
    }
  }

  // --- Progress follows the exercise panel -------------------------------------------------------------
  function updateProgress() {
    const panel = document.getElementById("exercises");
    const progress = document.getElementById("lesson-progress");
    if (!panel || !progress) return;
    const done = Number(panel.dataset.done) || 0;
    const total = Number(panel.dataset.total) || 0;
    const answered = document.querySelectorAll(".lesson__quiz .quiz-explanation").length;
    const all = (Number(progress.dataset.exercises) || 0) + (Number(progress.dataset.questions) || 0);
    if (all) {
      const percent = Math.round((100 * (done + answered)) / all);
      const meter = progress.querySelector("meter");
      const text = progress.querySelector(".progress__text");
      if (meter) meter.value = percent;
      if (text) text.textContent = `${percent}%`;
    }
    const count = document.getElementById("lesson-tabs-count");
    if (count) count.textContent = `${done}/${total}`;
  }

  document.addEventListener("htmx:afterSettle", updateProgress);

  // An answered question is drawn anew in place: keep the keyboard (and a screen reader) where it was.
  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.elt;
    if (!elt || !elt.id || !elt.id.startsWith("quiz-")) return;
    const form = document.getElementById(elt.id);
    const target = form && (form.querySelector(".quiz-explanation") || form.querySelector("[type=submit]"));
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  });

  // --- The pinned sandbox on a wide screen ---------------------------------------------------------------
  // The sandbox is as tall as the window and sticks to its top, but at the top of the page it starts below
  // the site's header, so its console would sit partly below the fold. Once the learner works in it, the
  // page moves up those few lines when the console takes the focus: the whole sandbox is then in view. (Only
  // the console: a button or summary moved away under the pointer between press and release would miss its
  // click.)
  document.addEventListener("focusin", (event) => {
    if (!WIDE.matches || event.target !== input()) return;
    const aside = event.target.closest(".lesson-sandbox");
    if (!aside) return;
    const below = aside.getBoundingClientRect().bottom - window.innerHeight;
    if (below > 0) window.scrollBy({ top: below, behavior: "instant" });
  });

  // --- Start -------------------------------------------------------------------------------------------
  function init() {
    const bar = document.querySelector(".lesson-tabs");
    if (bar) {
      bar.hidden = false;
      document.body.classList.add("has-lesson-tabs");
      if (window.location.hash === "#sandbox" || window.location.hash === "#console-input") show("sandbox");
    }
    WIDE.addEventListener("change", () => show("lesson"));
    addCodeTools();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
