// Live pages: a page of a draft keeps itself current while it is open (live/views.py streams what
// changed; nothing here decides what a reader may see: every update is the page's own URL, asked
// again under the same rules as any visit). Progressive enhancement only: without this file, or
// without the stream, the page is as current as its last load.
//
// - A region marked data-live="kinds" (with an id) takes the content of the same region of the page
//   asked again, when a change of one of its kinds arrives; one holding the focus or words being
//   typed waits until it is left, so nothing a delegate is writing is lost.
// - htmx elements listen for "live:<kind>" on the body (hx-trigger="live:votes from:body"), sent
//   once the regions are up to date.
// - When the stream cannot be held, the page asks the API every POLL_SECONDS instead, says so, and
//   tries the stream again every third time.
(() => {
  // The interface's words, in the page's language: Django's JavaScript catalogue, which base.html
  // loads before every script.
  const { gettext, ngettext, interpolate } = window;

  const meta = document.querySelector('meta[name="live-stream"]');
  if (!meta) return;
  const regions = () => Array.from(document.querySelectorAll("[data-live][id]"));
  if (!regions().length && !document.querySelector('[hx-trigger*="live:"]')) return;

  const KINDS = meta.dataset.kinds.split(/\s+/);
  // Kinds told to open streams only, never kept to be told again: read again after a break.
  const UNTOLD = (meta.dataset.untold || "votes").split(/\s+/);
  const POLL_SECONDS = 10;
  const SPREAD_MS = 600; // many readers of one draft do not all ask at the same instant
  const VOTES_EVERY_MS = 3000; // vote counts are asked for at most this often
  let last = null; // the last event id heard
  let connected = false; // the stream was ready once: a later "ready" is a reconnect
  let errors = 0;
  let polls = 0;
  let source = null;
  let pollTimer = null;
  const due = new Set();
  let dueTimer = null;
  let votesAsked = 0;
  const waiting = new Set(); // regions held back while a reader works in them

  const status = document.createElement("p");
  status.className = "live-status meta";
  status.setAttribute("role", "status");
  status.dataset.testid = "live-status";
  document.getElementById("main-content")?.prepend(status);
  const say = (text, state) => {
    if (status.textContent !== text) status.textContent = text;
    status.dataset.state = state;
  };

  const busy = (region) => {
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return true;
    // A form sent back with its errors holds what was typed: the page asked again would not.
    if (region.querySelector("[data-error-summary], [aria-invalid=true]")) return true;
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

  // Every answer carries a fresh form token: it is no change to show.
  const TOKEN = /(name="csrfmiddlewaretoken" value=")[^"]*"/g;
  const same = (a, b) => a.replace(TOKEN, "$1") === b.replace(TOKEN, "$1");

  function update(region, fresh) {
    // The region's own node stays (a screen reader's live region keeps announcing); its content
    // and attributes are the fresh ones.
    for (const { name, value } of Array.from(fresh.attributes)) region.setAttribute(name, value);
    region.replaceChildren(...Array.from(fresh.childNodes));
    if (window.htmx) window.htmx.process(region);
  }

  async function refresh(kinds) {
    const all = kinds === null;
    const wanted = regions().filter(
      (region) => all || region.dataset.live.split(/\s+/).some((kind) => kinds.has(kind)),
    );
    if (wanted.length) {
      try {
        const answer = await fetch(window.location.href, { headers: { "X-Live-Refresh": "1" }, credentials: "same-origin" });
        if (answer.ok) {
          const page = new DOMParser().parseFromString(await answer.text(), "text/html");
          let updated = 0;
          for (const region of wanted) {
            const fresh = page.getElementById(region.id);
            if (!fresh || same(fresh.innerHTML, region.innerHTML)) continue;
            if (busy(region)) {
              waiting.add(region.id);
              region.dataset.liveWaiting = "true";
              continue;
            }
            update(region, fresh);
            updated += 1;
          }
          if (updated && status.dataset.state === "live") {
            const at = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
            say(interpolate(gettext("Live: this page updates itself (last updated %(time)s)."), { time: at }, true), "live");
          }
        }
      } catch {
        // the next change, or the next poll, tries again
      }
    }
    // After the regions: a part htmx fills in (the draft page's counts) fills the fresh ones.
    for (const kind of all ? KINDS : kinds) document.body.dispatchEvent(new CustomEvent(`live:${kind}`));
  }

  function heard(kind) {
    due.add(kind);
    if (dueTimer) return;
    let delay = Math.random() * SPREAD_MS;
    if (due.size === 1 && kind === "votes") delay = Math.max(delay, votesAsked + VOTES_EVERY_MS - Date.now());
    dueTimer = setTimeout(() => {
      const kinds = new Set(due);
      due.clear();
      dueTimer = null;
      if (kinds.has("votes")) votesAsked = Date.now();
      refresh(kinds);
    }, delay);
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
    if (last !== null) url.searchParams.set("after", last);
    else url.searchParams.set("since", meta.dataset.since);
    return url;
  }

  function connect() {
    errors = 0;
    source = new EventSource(streamUrl());
    source.addEventListener("ready", (event) => {
      errors = 0;
      last = JSON.parse(event.data).last;
      // Votes (a person's notifications) are not kept to be told again: a page back from a break
      // asks for them.
      if (connected) for (const kind of UNTOLD) heard(kind);
      connected = true;
      say(gettext("Live: this page updates itself."), "live");
    });
    source.addEventListener("change", (event) => {
      if (event.lastEventId) last = Number(event.lastEventId);
      heard(JSON.parse(event.data).kind);
    });
    source.addEventListener("resync", () => refresh(null));
    source.addEventListener("end", () => {
      source.close();
      // The stream's own reason (live/views.py, ENDED) is for programs, in English: the page says it in its language.
      say(
        gettext(
          "Your session or token ended, or what this page shows is no longer open to you. Reload the page to follow it again.",
        ),
        "ended",
      );
    });
    source.onerror = () => {
      errors += 1;
      if (source.readyState === EventSource.CLOSED || errors >= 3) {
        source.close();
        poll();
      } else {
        say(gettext("Reconnecting…"), "reconnecting");
      }
    };
  }

  async function poll() {
    const every = ngettext(
      "Live updates are interrupted: this page checks for changes every %(count)s second.",
      "Live updates are interrupted: this page checks for changes every %(count)s seconds.",
      POLL_SECONDS,
    );
    say(interpolate(every, { count: POLL_SECONDS }, true), "polling");
    const url = new URL(meta.dataset.api, window.location.href);
    if (last !== null) url.searchParams.set("after", last);
    try {
      const answer = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Live-Refresh": "1" },
      });
      if (answer.ok) {
        const news = await answer.json();
        if (last === null || !news.complete) refresh(null);
        else {
          // Votes are told to open streams only: a polling page asks for its counts each time.
          const kinds = new Set(news.events.map((event) => event.kind));
          for (const kind of UNTOLD) kinds.add(kind);
          refresh(kinds);
        }
        last = news.last;
      }
    } catch {
      // offline: the next poll tries again
    }
    polls += 1;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      if (polls % 3 === 0) connect();
      else poll();
    }, POLL_SECONDS * 1000);
  }

  window.addEventListener("pagehide", () => {
    source?.close();
    if (pollTimer) clearTimeout(pollTimer);
  });
  connect();
})();
