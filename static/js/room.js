// The live room: the time left of a timed intervention, counted down each second on every screen
// from when the floor was given (data-turn-started, seconds since 1970) and the time allowed
// (data-turn-seconds). The clock is read afresh each tick, so a region the live page replaced
// (static/js/live.js) counts on from its own values.
(function () {
  "use strict";
  function tick() {
    const now = Date.now() / 1000;
    for (const clock of document.querySelectorAll("[data-turn-started][data-turn-seconds]")) {
      const left = Math.round(Number(clock.dataset.turnStarted) + Number(clock.dataset.turnSeconds) - now);
      clock.textContent = left >= 0 ? `${left} s left` : `${-left} s over time`;
      clock.classList.toggle("over-time", left < 0);
    }
  }
  tick();
  setInterval(tick, 1000);
})();
