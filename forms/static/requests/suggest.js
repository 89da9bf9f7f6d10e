// Progressive enhancement: while the subject is typed, suggest answers from the search entry point.
// Without JavaScript the next step shows the same suggestions, rendered by the server.
(function () {
  "use strict";
  function debounce(fn, wait) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }
  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function setup(form) {
    var input = form.querySelector("[data-requests-suggest]");
    var box = form.querySelector(".requests-suggestions");
    if (!input || !box || !window.fetch) { return; }
    var last = "";
    var update = debounce(function () {
      var query = input.value.trim();
      if (query === last) { return; }
      last = query;
      if (query.length < 3) { box.textContent = ""; return; }
      // POSTed: what a citizen types may be personal and must not end up in a URL or a log.
      var body = new URLSearchParams({ q: query, type: form.dataset.requestType || "" });
      fetch(form.dataset.suggestUrl, { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (query !== last) { return; }
          box.textContent = "";
          if (!data.results || !data.results.length) { return; }
          box.appendChild(element("p", { "class": "requests-suggestions__heading" }, box.dataset.heading));
          var list = element("ul");
          data.results.forEach(function (hit) {
            var item = element("li");
            item.appendChild(element("a", { href: hit.url }, hit.title));
            var button = element("button", { type: "button", "class": "button--secondary" }, box.dataset.answeredLabel);
            button.addEventListener("click", function () {
              var body = new URLSearchParams({ q: query });
              fetch(hit.answered_url, { method: "POST", body: body, headers: { Accept: "application/json" } });
              box.textContent = "";
              box.appendChild(element("p", { role: "status" }, box.dataset.thanks));
            });
            item.appendChild(document.createTextNode(" "));
            item.appendChild(button);
            list.appendChild(item);
          });
          box.appendChild(list);
        })
        .catch(function () { /* suggestions are a help: a failure changes nothing */ });
    }, 300);
    input.addEventListener("input", update);
  }
  document.querySelectorAll("[data-requests-suggest-form]").forEach(setup);
  // A double click sends one request (the server also recognises a resubmitted form).
  document.querySelectorAll(".requests-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-requests-submit]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
