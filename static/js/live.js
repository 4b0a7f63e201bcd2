// Live pages: a page of a draft keeps itself current while it is open (live/views.py streams what
// changed; nothing here decides what a reader may see: every update is the page's own URL, asked
// again under the same rules as any visit). Progressive enhancement only: without this file, or
// without the stream, the page is as current as its last load.
//
// - A region marked data-live="kinds" (with an id) is replaced by the same region of the page asked
//   again, when a change of one of its kinds arrives; one holding the focus or words being typed
//   waits until it is left, so nothing a delegate is writing is lost.
// - htmx elements listen for "live:<kind>" on the body (hx-trigger="live:votes from:body").
// - When the stream cannot be held, the page asks the API every POLL_SECONDS instead, and says so.
(() => {
  const meta = document.querySelector('meta[name="live-stream"]');
  if (!meta) return;
  const regions = () => Array.from(document.querySelectorAll("[data-live][id]"));
  const listeners = () => document.querySelector('[hx-trigger*="live:"]');
  if (!regions().length && !listeners()) return;

  const POLL_SECONDS = 10;
  const SPREAD_MS = 600; // many readers of one draft do not all ask at the same instant
  let last = null; // the last event id heard
  let failures = 0;
  let source = null;
  let pollTimer = null;
  const due = new Set();
  let dueTimer = null;
  const waiting = new Set(); // regions held back while a reader works in them

  const status = document.createElement("p");
  status.className = "live-status meta";
  status.setAttribute("role", "status");
  status.dataset.testid = "live-status";
  document.getElementById("main-content")?.prepend(status);
  const say = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
  };

  const busy = (region) => {
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return true;
    return Array.from(region.querySelectorAll("textarea, input, select")).some((field) => {
      if (field.type === "hidden") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        // With no option marked selected, the first one is shown: that is not a change either.
        const options = Array.from(field.options);
        const initial = options.some((o) => o.defaultSelected) ? options.filter((o) => o.defaultSelected) : options.slice(0, 1);
        return options.some((o) => o.selected !== initial.includes(o));
      }
      return field.value !== field.defaultValue;
    });
  };

  async function refresh(kinds) {
    const wanted = regions().filter(
      (region) => kinds === null || region.dataset.live.split(/\s+/).some((kind) => kinds.has(kind)),
    );
    kinds?.forEach((kind) => document.body.dispatchEvent(new CustomEvent(`live:${kind}`)));
    if (kinds === null) ["text", "amendments", "comments", "votes", "round", "cosponsors", "suggestions"].forEach(
      (kind) => document.body.dispatchEvent(new CustomEvent(`live:${kind}`)),
    );
    if (!wanted.length) return;
    let page;
    try {
      const answer = await fetch(window.location.href, { headers: { "X-Live-Refresh": "1" }, credentials: "same-origin" });
      if (!answer.ok) return;
      page = new DOMParser().parseFromString(await answer.text(), "text/html");
    } catch {
      return; // the next change, or the next poll, tries again
    }
    let updated = 0;
    for (const region of wanted) {
      const fresh = page.getElementById(region.id);
      if (!fresh || fresh.innerHTML === region.innerHTML) continue;
      if (busy(region)) {
        waiting.add(region.id);
        region.dataset.liveWaiting = "true";
        continue;
      }
      region.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      updated += 1;
    }
    if (updated && status.dataset.state === "live") {
      const at = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      say(`Live: this page updates itself (last updated ${at}).`, "live");
    }
  }

  function heard(kind) {
    due.add(kind);
    if (dueTimer) return;
    dueTimer = setTimeout(() => {
      const kinds = new Set(due);
      due.clear();
      dueTimer = null;
      refresh(kinds);
    }, Math.random() * SPREAD_MS);
  }

  // A region held back is brought up to date once the reader leaves it with nothing unsaved.
  document.addEventListener("focusout", () => {
    setTimeout(() => {
      for (const id of Array.from(waiting)) {
        const region = document.getElementById(id);
        if (!region) waiting.delete(id);
        else if (!busy(region)) {
          waiting.delete(id);
          delete region.dataset.liveWaiting;
          refresh(new Set(region.dataset.live.split(/\s+/)));
        }
      }
    }, 0);
  });

  function streamUrl() {
    const url = new URL(meta.content, window.location.href);
    url.searchParams.set("since", meta.dataset.since);
    return url;
  }

  function connect() {
    source = new EventSource(streamUrl());
    source.addEventListener("ready", (event) => {
      failures = 0;
      last = JSON.parse(event.data).last;
      say("Live: this page updates itself.", "live");
    });
    source.addEventListener("change", (event) => {
      if (event.lastEventId) last = Number(event.lastEventId);
      heard(JSON.parse(event.data).kind);
    });
    source.addEventListener("resync", () => refresh(null));
    source.addEventListener("end", (event) => {
      source.close();
      say(`${JSON.parse(event.data).reason} Reload the page to follow it again.`, "ended");
    });
    source.onerror = () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        poll();
      } else {
        say("Reconnecting…", "reconnecting");
      }
    };
  }

  async function poll() {
    say(`Live updates are interrupted: this page checks for changes every ${POLL_SECONDS} seconds.`, "polling");
    const url = new URL(meta.dataset.api, window.location.href);
    if (last !== null) url.searchParams.set("after", last);
    try {
      const answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (answer.ok) {
        const news = await answer.json();
        if (last === null || !news.complete) refresh(null);
        else {
          // Votes are told to open streams only: a polling page asks for its counts each time.
          const kinds = new Set(news.events.map((event) => event.kind));
          kinds.add("votes");
          refresh(kinds);
        }
        last = news.last;
        failures = 0;
      }
    } catch {
      // offline: the next poll tries again
    }
    pollTimer = setTimeout(() => {
      pollTimer = null;
      // Every third poll tries the stream again.
      failures += 1;
      if (failures % 3 === 0) connect();
      else poll();
    }, POLL_SECONDS * 1000);
  }

  window.addEventListener("pagehide", () => {
    source?.close();
    if (pollTimer) clearTimeout(pollTimer);
  });
  connect();
})();
