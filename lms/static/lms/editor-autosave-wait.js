// Wagtail 8 autosaves the editor in the background (the w-autosave controller), and the first autosave of a
// new page *creates* the page, then points the form at the page's edit address. A click on 发布 / 保存草稿
// while an autosave is still under way posts the whole form to the old “add” address as well: the second
// creation is refused (“slug … is already in use”) next to a draft the trainee never meant to make, or a
// duplicate page is published. Wagtail does not guard against this, and on a busy server an autosave can take
// seconds. This holds such a submission until the autosave has finished, then sends it where the form now
// points, with the same button. Nothing changes when no autosave is under way.
(function () {
  var busy = new WeakMap(); // form → true while its autosave runs (from w-autosave:save to success/error)
  var LONGEST_WAIT = 30000; // never hold a click for ever: after this, submit as Wagtail would have

  document.addEventListener("w-autosave:save", function (event) {
    if (event.target instanceof HTMLFormElement && !event.defaultPrevented) busy.set(event.target, true);
  });
  function settled(event) {
    if (event.target instanceof HTMLFormElement) busy.delete(event.target);
  }
  document.addEventListener("w-autosave:success", settled);
  document.addEventListener("w-autosave:error", settled);

  function whenIdle(form, then) {
    var started = Date.now();
    (function poll() {
      // A save that finishes may start the next one at once (edits made meanwhile): wait for the last.
      if (!busy.get(form) || Date.now() - started > LONGEST_WAIT) then();
      else window.setTimeout(poll, 100);
    })();
  }

  // Capture phase: runs before Wagtail's own submit handlers on the form, which then run on the resubmission.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-edit-form") || !busy.get(form)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var button = event.submitter;
    whenIdle(form, function () {
      // Wagtail's w-progress disables the clicked button meanwhile; a disabled button's name (e.g.
      // action-publish) would be left out of the form data, turning 发布 into 保存草稿.
      if (button) button.removeAttribute("disabled");
      if (button && button.form === form) form.requestSubmit(button);
      else form.requestSubmit();
    });
  }, true);
})();
