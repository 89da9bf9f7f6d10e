// Address suggestions while typing (a <datalist>); without JavaScript the form lists matches.
(function () {
  "use strict";
  document.querySelectorAll("input[data-address-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 3 || !list) { return; }
      timer = setTimeout(function () {
        // POSTed: what the citizen types never goes in a URL (nor in the server's access log).
        fetch(input.dataset.addressSuggest, {
          method: "POST",
          headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
          body: "q=" + encodeURIComponent(text)
        })
          .then(function (response) { return response.ok ? response.json() : { addresses: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.addresses.map(function (address) {
              var option = document.createElement("option");
              option.value = address.label;
              return option;
            }));
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
