/*
 * Instant answers: while the citizen types in a search form marked
 * `data-instant-answers`, show the best answers from GET /api/search/ in a
 * list under the box. Progressive enhancement: without JavaScript the form
 * simply submits to the search page. Reusable by the request form: mark any
 * form that has a text input with `data-instant-answers` (optional
 * `data-instant-answers-limit`, `data-instant-answers-endpoint`).
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_LENGTH = 3;
  var LANG = (document.documentElement.getAttribute("lang") || "fr").slice(0, 2);
  // Strings from Django's JavaScript catalogue (/fr/jsi18n/, loaded before this file); English
  // if it could not be loaded.
  var _ = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var format = window.interpolate || function (text, values) { return text.replace("%s", values[0]); };
  var t = {
    heading: _("Suggested answers"),
    none: _("No suggested answer yet. Press Enter to search."),
    count: function (n) { return format(ngettext("%s suggested answer", "%s suggested answers", n), [n]); },
    all: _("See all results")
  };

  function setup(form, index) {
    var input = form.querySelector("input[type=search], input[type=text], textarea");
    if (!input) return;
    var endpoint = form.getAttribute("data-instant-answers-endpoint") || "/api/search/";
    var limit = form.getAttribute("data-instant-answers-limit") || "5";
    var id = "instant-answers-" + index;

    var panel = document.createElement("div");
    panel.className = "instant-answers";
    panel.id = id;
    panel.hidden = true;
    var heading = document.createElement("h2");
    heading.className = "instant-answers__heading";
    heading.id = id + "-heading";
    heading.textContent = t.heading;
    var list = document.createElement("ul");
    list.className = "instant-answers__list";
    list.setAttribute("aria-labelledby", heading.id);
    var more = document.createElement("a");
    more.className = "instant-answers__more";
    more.textContent = t.all;
    panel.appendChild(heading);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(panel);

    // Polite live region: announces how many answers appeared, not every keystroke.
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id + "-heading"].filter(Boolean).join(" "));

    var timer = null;
    var controller = null;
    var lastQuery = "";

    function render(data, query) {
      list.textContent = "";
      var results = (data && data.results) || [];
      results.forEach(function (result) {
        var item = document.createElement("li");
        item.className = "instant-answers__item";
        var link = document.createElement("a");
        link.href = result.url;
        link.textContent = result.title;
        var excerpt = document.createElement("p");
        // The API escapes the text and only adds <mark> around matched words.
        excerpt.innerHTML = result.excerpt;
        item.appendChild(link);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
      more.href = (form.getAttribute("action") || "") + "?q=" + encodeURIComponent(query);
      more.hidden = !form.getAttribute("action");
      panel.hidden = false;
      status.textContent = results.length ? t.count(results.length) : t.none;
      if (!results.length) {
        var empty = document.createElement("li");
        empty.textContent = t.none;
        list.appendChild(empty);
      }
    }

    function fetchAnswers() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        panel.hidden = true;
        status.textContent = "";
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = endpoint + "?" + new URLSearchParams({ q: query.slice(0, 200), lang: LANG, limit: limit, instant: "1" });
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && input.value.trim() === query) render(data, query); })
        .catch(function () { /* offline or aborted: the form still submits */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchAnswers, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { panel.hidden = true; }
    });
  }

  function init() {
    var forms = document.querySelectorAll("[data-instant-answers]");
    for (var i = 0; i < forms.length; i++) setup(forms[i], i);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
