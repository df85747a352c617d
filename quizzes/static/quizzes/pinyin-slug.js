// Practice pages in the Wagtail editor: fill the slug with lower-case pinyin as the title is typed
// (招商引资动态 → zhao-shang-yin-zi-dong-tai), as the lesson 栏目设置 teaches. Wagtail's own sync writes the
// Chinese title into the slug; this runs after it and asks the server (quizzes/practical/slugs.py) for the
// pinyin, which is also free among the page's siblings. A slug the trainee typed in ASCII is left alone.
(function () {
  function setup() {
    var slug = document.querySelector("input[data-pinyin-slug-url]");
    var title = document.getElementById("id_title");
    if (!slug || !title) return;
    // Like Wagtail, only while the page has never been published (then the title carries w-sync#apply).
    if ((title.getAttribute("data-action") || "").indexOf("w-sync#apply") === -1) return;
    var url = slug.getAttribute("data-pinyin-slug-url");
    var parent = slug.getAttribute("data-pinyin-slug-parent") || "";
    var page = slug.getAttribute("data-pinyin-slug-page") || "";
    var cache = {};
    var proposed = null;
    var timer = null;
    var asked = 0;

    function ascii(text) { return /^[\x20-\x7e]*$/.test(text); }
    function ours() { return slug.value === "" || !ascii(slug.value) || slug.value === proposed; }
    function put(value) {
      if (!ours()) return;
      proposed = value;
      slug.value = value;
    }
    function ask(text, then) {
      var query = "?title=" + encodeURIComponent(text) + "&parent=" + encodeURIComponent(parent) + "&page=" + encodeURIComponent(page);
      fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { cache[text] = data.slug; then(data.slug); } })
        .catch(function () { /* the server turns the slug into pinyin on save anyway */ });
    }
    function refresh() {
      var text = title.value.trim();
      if (!text || !ours()) return;
      if (Object.prototype.hasOwnProperty.call(cache, text)) { put(cache[text]); return; }
      window.clearTimeout(timer);
      var mine = ++asked;
      timer = window.setTimeout(function () {
        ask(text, function (value) { if (mine === asked) put(value); });
      }, 250);
    }
    // A draft whose slug is already the pinyin of its title keeps following the title.
    if (slug.value && ascii(slug.value) && title.value.trim()) {
      ask(title.value.trim(), function (value) { if (value === slug.value) proposed = value; });
    }
    // Wagtail's first autosave creates the page: from then on the page's own address is not “taken”.
    document.addEventListener("w-autosave:success", function (event) {
      var pk = event.detail && event.detail.response && event.detail.response.pk;
      if (pk && !page) { page = String(pk); cache = {}; }
    });
    title.addEventListener("input", refresh);
    title.addEventListener("blur", function () { window.setTimeout(refresh, 0); });
    // Wagtail's sync writes its own (Chinese) slug on these events: put the pinyin back right after.
    slug.addEventListener("w-sync:apply", function () { window.setTimeout(refresh, 0); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
