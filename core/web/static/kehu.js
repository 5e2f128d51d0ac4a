// Small progressive enhancements; every page works without them.
// The Content-Security-Policy allows no inline script, so behaviour lives here.
"use strict";

// A <select data-autosubmit> submits its form when changed (division switch).
document.addEventListener("change", function (event) {
  var element = event.target;
  if (element instanceof HTMLSelectElement && element.hasAttribute("data-autosubmit") && element.form) {
    element.form.submit();
  }
});

// Buttons with data-confirm ask before their form is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// The list's "select all" box ticks every row box of its table.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.hasAttribute && box.hasAttribute("data-pick-all")) {
    box.closest("table").querySelectorAll("input[name=ids]").forEach(function (row) {
      row.checked = box.checked;
    });
  }
  // The column chooser keeps its hidden "cols" field in step with the boxes.
  if (box.hasAttribute && box.hasAttribute("data-column")) {
    var form = box.form;
    var picked = Array.prototype.map.call(
      form.querySelectorAll("input[data-column]:checked"),
      function (item) { return item.getAttribute("data-column"); });
    form.querySelector("[data-columns-target]").value = picked.join(",");
  }
});

// Many-to-one pickers: type to search the target model, pick a match.
(function () {
  function choose(picker, id, name, division) {
    picker.querySelector("input[type=hidden]").value = id;
    picker.querySelector("input[type=text]").value = name;
    var list = picker.querySelector(".choices");
    list.hidden = true;
    picker.querySelector("input[type=text]").setAttribute("aria-expanded", "false");
    // Which division the picked row belongs to ("" company-wide), for the division choice (#14).
    if (division !== undefined) {
      picker.setAttribute("data-value-division", division === null ? "" : String(division));
    }
    picker.dispatchEvent(new CustomEvent("kehu:picked", {bubbles: true, detail: {division: division}}));
  }
  var timer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    var picker = input.closest ? input.closest(".picker") : null;
    if (!picker || input.type !== "text" || !picker.getAttribute("data-lookup")) { return; }
    if (input.value === "") { picker.querySelector("input[type=hidden]").value = ""; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var base = picker.getAttribute("data-lookup");
      var url = base + (base.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(input.value);
      // A picker that follows another field (stages follow the sales mode, #14).
      (picker.getAttribute("data-depends") || "").split(",").forEach(function (pair) {
        var parts = pair.split("=");
        var source = parts.length === 2 ? document.getElementById(parts[1]) : null;
        if (source && source.value) { url += "&" + parts[0] + "=" + encodeURIComponent(source.value); }
      });
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) {
          var list = picker.querySelector(".choices");
          list.innerHTML = "";
          rows.forEach(function (row) {
            var item = document.createElement("li");
            item.setAttribute("role", "option");
            item.textContent = row.name;
            item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(picker, row.id, row.name, row.division); });
            list.appendChild(item);
          });
          list.hidden = rows.length === 0;
          input.setAttribute("aria-expanded", rows.length ? "true" : "false");
        });
    }, 200);
  });
  document.addEventListener("focusout", function (event) {
    var picker = event.target.closest ? event.target.closest(".picker") : null;
    if (picker) { window.setTimeout(function () { picker.querySelector(".choices").hidden = true; }, 150); }
  });
})();

// A new record's division, chosen first by a user of several divisions (#14): the pickers
// that follow it ask for that division's entries, and what was picked for another division
// is cleared. Picking a customer of another division moves the record there.
(function () {
  function follow(select, source) {
    var division = select.value;
    var pickers = select.form.querySelectorAll(".picker[data-follows-division], .picker[data-sets-division]");
    pickers.forEach(function (picker) {
      if (picker.hasAttribute("data-follows-division")) {
        var base = picker.getAttribute("data-lookup") || "";
        picker.setAttribute("data-lookup", base.replace(/([?&]division=)\d*/, "$1" + division));
      }
      if (picker === source) { return; }
      var hidden = picker.querySelector("input[type=hidden]");
      var kept = picker.getAttribute("data-value-division");
      if (hidden.value && kept !== "" && kept !== division) {
        hidden.value = "";
        picker.querySelector("input[type=text]").value = "";
        picker.removeAttribute("data-value-division");
      }
    });
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-division")) { follow(select, null); }
  });
  document.addEventListener("kehu:picked", function (event) {
    var picker = event.target;
    var form = picker.closest("form");
    var select = form ? form.querySelector("select[data-division]") : null;
    var division = event.detail.division;
    if (!select || !picker.hasAttribute("data-sets-division") || division === null || division === undefined) { return; }
    var wanted = String(division);
    if (select.value === wanted || !select.querySelector("option[value='" + wanted + "']")) { return; }
    select.value = wanted;
    follow(select, picker);
  });
})();

// Kanban: drag a card to another column; the server fires the move (with its checks).
document.documentElement.classList.add("js");
(function () {
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".kcard") : null;
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
  });
  document.addEventListener("dragover", function (event) {
    var column = event.target.closest ? event.target.closest(".kcolumn") : null;
    if (column && dragged) { event.preventDefault(); column.classList.add("over"); }
  });
  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest ? event.target.closest(".kcolumn") : null;
    if (column) { column.classList.remove("over"); }
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest ? event.target.closest(".kcolumn") : null;
    if (!column || !dragged) { return; }
    event.preventDefault();
    column.classList.remove("over");
    var board = column.closest(".kanban");
    var form = dragged.querySelector("form.kmove");
    var token = form ? form.querySelector("input[name=csrf_token]").value : "";
    var body = new URLSearchParams();
    body.set("to", column.getAttribute("data-column"));
    body.set("version", dragged.getAttribute("data-version"));
    fetch(board.getAttribute("data-move-url") + "/" + dragged.getAttribute("data-id") + "/move", {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRF-Token": token, "Accept": "application/json"}
    }).then(function (response) {
      if (response.ok) { window.location.reload(); return; }
      return response.json().then(function (data) {
        window.alert(data.error ? data.error.message : response.statusText);
      });
    });
    dragged = null;
  });
})();

// "Add line" copies the last blank row of a form's lines with the next number.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-add-line]") : null;
  if (!button) { return; }
  var name = button.getAttribute("data-add-line");
  var body = button.closest("fieldset").querySelector("tbody");
  var rows = body.querySelectorAll("tr");
  var template = body.querySelector("tr[data-blank]:last-of-type") || rows[rows.length - 1];
  if (!template) { return; }
  var next = rows.length + 1;
  var row = template.cloneNode(true);
  var pattern = new RegExp("^" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\.\\d+\\.");
  row.querySelectorAll("input, select").forEach(function (input) {
    if (input.name) { input.name = input.name.replace(pattern, name + "." + next + "."); }
    if (input.type === "checkbox") { input.checked = false; } else if (input.tagName === "INPUT") { input.value = ""; }
    if (input.tagName === "SELECT") { input.selectedIndex = 0; }
  });
  row.querySelectorAll(".fielderror").forEach(function (error) { error.remove(); });
  row.querySelector("td").firstChild.nodeValue = String(next);
  row.setAttribute("data-blank", "");
  body.appendChild(row);
  var first = row.querySelector("input:not([type=hidden]), select");
  if (first) { first.focus(); }
});

// Related tabs on a form: one panel at a time (all are shown without script).
(function () {
  function show(section, id) {
    section.querySelectorAll(".tabpanel").forEach(function (panel) { panel.hidden = panel.id !== id; });
    section.querySelectorAll("nav.tabs a").forEach(function (tab) {
      var on = tab.getAttribute("href") === "#" + id;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.classList.toggle("active", on);
    });
  }
  document.querySelectorAll("section.related").forEach(function (section) {
    var first = section.querySelector(".tabpanel");
    if (!first) { return; }
    var wanted = window.location.hash.slice(1);
    show(section, wanted && section.querySelector("#" + CSS.escape(wanted)) ? wanted : first.id);
    section.querySelector("nav.tabs").addEventListener("click", function (event) {
      var tab = event.target.closest("a");
      if (!tab) { return; }
      event.preventDefault();
      var id = tab.getAttribute("href").slice(1);
      show(section, id);
      history.replaceState(null, "", "#" + id);
    });
  });
})();

// On a phone the main menu scrolls sideways: bring the current entry into view.
(function () {
  var current = document.querySelector(".mainnav a[aria-current]");
  if (current && current.scrollIntoView && window.innerWidth <= 640) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
})();
