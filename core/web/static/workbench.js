// The top bar's search: suggestions as you type, arrow keys and Enter to open (#18).
(function () {
  "use strict";
  function setup(form) {
    var input = form.querySelector("input[name=q]");
    var box = form.querySelector(".suggest");
    var timer = null, active = -1, seq = 0;
    function links() { return Array.prototype.slice.call(box.querySelectorAll("a")); }
    function mark(index) {
      var items = links();
      items.forEach(function (a, i) { a.classList.toggle("active", i === index); a.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) { items[index].scrollIntoView({block: "nearest"}); }
    }
    function show(data) {
      box.textContent = "";
      active = -1;
      if (!data.groups.length) {
        var none = document.createElement("h4");
        none.textContent = form.getAttribute("data-empty") || "—";
        box.appendChild(none);
      }
      data.groups.forEach(function (group) {
        var head = document.createElement("h4");
        head.textContent = group.label;
        box.appendChild(head);
        group.hits.forEach(function (hit) {
          var a = document.createElement("a");
          a.href = hit.url; a.setAttribute("role", "option");
          a.textContent = hit.title;
          if (hit.detail) { var small = document.createElement("small"); small.textContent = hit.detail; a.appendChild(small); }
          box.appendChild(a);
        });
      });
      box.hidden = false;
    }
    function fetchNow() {
      var q = input.value.trim();
      if (q.length < 1) { box.hidden = true; return; }
      var mine = ++seq;
      var lang = encodeURIComponent(document.documentElement.lang || "");  // the page's language
      fetch(form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q) + "&lang=" + lang, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && mine === seq) { show(data); } });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchNow, 150); });
    input.addEventListener("keydown", function (event) {
      var items = links();
      if (event.key === "ArrowDown" && items.length) { event.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp" && items.length) { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0 && items[active]) { event.preventDefault(); window.location.href = items[active].href; }
      else if (event.key === "Escape") { box.hidden = true; active = -1; }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) { box.hidden = true; } });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.globalsearch"), setup);
    document.addEventListener("keydown", function (event) {
      // "/" puts the cursor in the search box, as in many web apps.
      var target = event.target;
      if (event.key === "/" && !/input|textarea|select/i.test(target.tagName)) {
        var input = document.querySelector("form.globalsearch input[name=q]");
        if (input) { event.preventDefault(); input.focus(); }
      }
    });
  });
}());
