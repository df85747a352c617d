// While a check runs, ask for its status every two seconds and reload the page once it is done.
(function () {
  var box = document.querySelector("[data-poll]");
  if (!box) return;
  var url = box.getAttribute("data-poll");
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && !data.checking) { window.location.reload(); return; }
        if (tries < 150) window.setTimeout(poll, 2000);
      })
      .catch(function () { if (tries < 150) window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
