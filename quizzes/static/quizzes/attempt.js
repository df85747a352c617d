// Autosave and the countdown of a quiz attempt. The server keeps the time and refuses late answers;
// the countdown only tells the trainee, and submits the form when it reaches zero.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var state = document.getElementById("quiz-save-state");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var submitting = false;
  var timer = null;

  function answers() {
    var result = {};
    form.querySelectorAll("fieldset[data-qid]").forEach(function (fieldset) {
      var qid = fieldset.dataset.qid, type = fieldset.dataset.qtype, name = "q" + qid;
      if (type === "short") {
        result[qid] = { text: fieldset.querySelector("input[name='" + name + "']").value };
      } else if (type === "ordering") {
        var items = [];
        fieldset.querySelectorAll("select").forEach(function (select, index) {
          items.push({ id: parseInt(select.name.split("_pos_")[1], 10), pos: parseInt(select.value, 10), index: index });
        });
        items.sort(function (a, b) { return a.pos - b.pos || a.index - b.index; });
        result[qid] = { order: items.map(function (item) { return item.id; }) };
      } else {
        var chosen = [];
        fieldset.querySelectorAll("input[name='" + name + "']:checked").forEach(function (input) { chosen.push(parseInt(input.value, 10)); });
        result[qid] = { choices: chosen };
      }
    });
    return result;
  }

  function save() {
    timer = null;
    if (away) return;
    fetch(form.dataset.apiUrl, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ answers: answers() }),
    }).then(function (response) {
      if (response.ok) {
        state.textContent = form.dataset.msgSaved + " " + new Date().toLocaleTimeString();
      } else if (response.status === 409) {
        return response.json().then(function (body) {
          if (body.code === "taken_over") { takenOver(body.detail); return; }
          state.textContent = form.dataset.msgClosed;
          window.location.reload();
        }, function () { window.location.reload(); });
      } else {
        return response.json().then(function (body) { state.textContent = body.detail || form.dataset.msgFailed; });
      }
    }).catch(function () { state.textContent = form.dataset.msgFailed; });
  }

  // Another browser opened this attempt: stop saving from here, say so, and offer to take it back
  // (opening the attempt page again takes it over). Nothing typed here is sent any more.
  var away = false;
  function takenOver(message) {
    away = true;
    if (timer) { clearTimeout(timer); timer = null; }
    var banner = document.getElementById("quiz-taken-over");
    banner.querySelector("[data-message]").textContent = message;
    banner.hidden = false;
    form.querySelectorAll("input, select, button").forEach(function (field) { field.disabled = true; });
    banner.scrollIntoView({ block: "center" });
  }

  form.addEventListener("change", function () { if (timer) clearTimeout(timer); timer = setTimeout(save, 600); });
  form.addEventListener("input", function (event) {
    if (event.target.type === "text") { if (timer) clearTimeout(timer); timer = setTimeout(save, 1500); }
  });
  form.addEventListener("submit", function (event) {
    if (submitting || (event.submitter && event.submitter.id !== "quiz-submit")) return;
    var missing = [];
    form.querySelectorAll("fieldset[data-qid]").forEach(function (fieldset, index) {
      var filled = fieldset.dataset.qtype === "ordering" ||
        (fieldset.dataset.qtype === "short" ? fieldset.querySelector("input").value.trim() !== "" : fieldset.querySelector("input:checked"));
      if (!filled) missing.push(index + 1);
    });
    var text = form.dataset.msgConfirm + (missing.length ? "\n" + form.dataset.msgUnanswered + " " + missing.join("、") : "");
    if (!window.confirm(text)) event.preventDefault(); else submitting = true;
  });

  var status = document.getElementById("quiz-status");
  var clock = document.getElementById("quiz-timer");
  if (status && status.dataset.deadline && clock) {
    var deadline = new Date(status.dataset.deadline).getTime();
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      clock.parentElement.classList.toggle("is-low", left < 120);
      if (left === 0 && !submitting) { submitting = true; form.submit(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }

  // Focus losses (切屏): the page hidden or the window blurred, and for how long. Reported for the
  // trainer, never blocking; sent when the trainee comes back, or on the way out (keepalive).
  var focusUrl = form.dataset.focusUrl, leftAt = null, leftKind = null, pending = [];
  function flush(leaving) {
    if (!pending.length || !focusUrl) return;
    var events = pending.splice(0, 20);
    fetch(focusUrl, {
      method: "POST", credentials: "same-origin", keepalive: !!leaving,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ events: events }),
    }).catch(function () {});
  }
  function left(kind) { if (leftAt === null && !submitting) { leftAt = Date.now(); leftKind = kind; } }
  function back() {
    if (leftAt === null) return;
    pending.push({ kind: leftKind, ms: Date.now() - leftAt });
    leftAt = null;
    flush(false);
  }
  document.addEventListener("visibilitychange", function () { if (document.hidden) left("hidden"); else back(); });
  window.addEventListener("blur", function () { left("blur"); });
  window.addEventListener("focus", back);
  window.addEventListener("pagehide", function () {
    if (leftAt !== null && !submitting) { pending.push({ kind: leftKind, ms: Date.now() - leftAt }); leftAt = null; }
    flush(true);
  });
})();
