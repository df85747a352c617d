// Counts down to the sitting's opening on the server's clock. The page carries the server's time when it
// was rendered and the opening time; the browser's clock is used only to measure time elapsed since the
// page loaded, so a wrong clock on the trainee's computer changes nothing. At zero the start button shows.
(function () {
  var box = document.getElementById("exam-countdown");
  var form = document.getElementById("exam-start");
  if (!box || !form) return;
  var serverNow = Number(box.dataset.serverNow);
  var opensAt = Number(box.dataset.opensAt);
  var loadedAt = performance.now();
  var clock = box.querySelector("[data-countdown]");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var remaining = opensAt - (serverNow + (performance.now() - loadedAt));
    if (remaining <= 0) {
      box.hidden = true;
      form.hidden = false;
      var button = form.querySelector("button");
      if (button) button.focus();
      return;
    }
    var s = Math.ceil(remaining / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    clock.textContent = (d ? d + " 天 " : "") + pad(h) + ":" + pad(m) + ":" + pad(s % 60);
    setTimeout(tick, Math.min(1000, remaining));
  }
  tick();
})();
