// The live room: the time left of a timed intervention, counted down each second on every screen
// from when the floor was given (data-turn-started, seconds since 1970) and the time allowed
// (data-turn-seconds). The clock is read afresh each tick, so a region the live page replaced
// (static/js/live.js) counts on from its own values.
(function () {
  "use strict";
  // The interface's words, in the page's language: Django's JavaScript catalogue, which base.html
  // loads before every script.
  const { ngettext, interpolate } = window;

  function tick() {
    const now = Date.now() / 1000;
    for (const clock of document.querySelectorAll("[data-turn-started][data-turn-seconds]")) {
      const left = Math.round(Number(clock.dataset.turnStarted) + Number(clock.dataset.turnSeconds) - now);
      const said =
        left >= 0
          ? // Translators: "s" abbreviates seconds: the time left of an intervention, on the live room's clock.
            ngettext("%(seconds)s s left", "%(seconds)s s left", left)
          : // Translators: "s" abbreviates seconds: how far an intervention has run over its time.
            ngettext("%(seconds)s s over time", "%(seconds)s s over time", -left);
      clock.textContent = interpolate(said, { seconds: Math.abs(left) }, true);
      clock.classList.toggle("over-time", left < 0);
    }
  }
  tick();
  setInterval(tick, 1000);
})();
