// crm_channel's fast order entry: the results follow the typing; the keyboard moves
// from the search to the quantities (↓ / Enter), between them (↑ ↓) and back (Esc).
(function () {
  "use strict";
  var section = document.querySelector(".entry[data-results]");
  if (!section) { return; }
  var search = document.getElementById("entry-q");
  var results = document.getElementById("entry-results");
  var form = document.getElementById("entry-add");
  var hidden = form ? form.querySelector("input[type=hidden][name=q]") : null;
  var timer = null;
  var asked = 0;

  function quantities() {
    return Array.prototype.slice.call(results.querySelectorAll("input.qty:not([disabled])"));
  }

  function typed() {
    var kept = {};
    quantities().forEach(function (input) { if (input.value.trim()) { kept[input.name] = input.value; } });
    return kept;
  }

  function refresh() {
    var query = search.value.trim();
    var ticket = ++asked;
    var kept = typed();
    var url = section.getAttribute("data-results") + "?part=results&q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null || ticket !== asked) { return; }
        results.innerHTML = html;
        if (hidden) { hidden.value = query; }
        quantities().forEach(function (input) { if (kept[input.name]) { input.value = kept[input.name]; } });
      });
  }

  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 180);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      var first = quantities()[0];
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  results.addEventListener("keydown", function (event) {
    var inputs = quantities();
    var index = inputs.indexOf(event.target);
    if (index < 0) { return; }
    if (event.key === "ArrowDown" && index + 1 < inputs.length) {
      event.preventDefault(); inputs[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index > 0 ? inputs[index - 1] : search).focus();
    } else if (event.key === "Escape") {
      event.preventDefault(); search.focus(); search.select();
    }
  });
})();
