// The mock exam's countdown. Only a display: the server keeps the time and grades answers
// that arrive after the deadline as unanswered. Announces once, when the time is up.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var clock = document.querySelector(".mock-clock .remaining[data-seconds-left]");
  if (!clock) return;
  var status = document.querySelector(".mock-clock [data-expired-message]");
  var end = Date.now() + 1000 * parseInt(clock.dataset.secondsLeft, 10);
  function show() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var seconds = left % 60;
    clock.textContent = Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left === 0) {
      clock.classList.add("expired");
      if (status) status.textContent = status.dataset.expiredMessage;
      return;
    }
    window.setTimeout(show, 1000);
  }
  show();
});
