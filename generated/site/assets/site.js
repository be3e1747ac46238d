// dockmatrix site: the index search and the release picker. Plain JavaScript, no dependencies.
(function () {
  "use strict";
  var search = document.getElementById("search");
  if (search) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-op]"));
    var count = document.getElementById("search-count");
    var filter = function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search");
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      document.querySelectorAll("section.group").forEach(function (section) {
        section.hidden = !section.querySelector("tr[data-op]:not([hidden])");
      });
      count.textContent = shown + " operation" + (shown === 1 ? "" : "s");
    };
    search.addEventListener("input", filter);
    if (search.value) { filter(); }
  }

  var pick = document.getElementById("pick");
  if (pick) {
    var order = pick.getAttribute("data-order").split(" ");
    var rank = {};
    order.forEach(function (v, i) { rank[v] = i; });
    var newest = pick.getAttribute("data-newest");
    var serves = function (present, v) {
      return present.split(" ").some(function (run) {
        if (!run) { return false; }
        var ends = run.split("-");
        return rank[v] >= rank[ends[0]] && (ends[1] === "" || rank[v] < rank[ends[1]]);
      });
    };
    var listItem = function (row) {
      var li = document.createElement("li");
      li.setAttribute("data-op", row.getAttribute("data-op"));
      li.appendChild(row.querySelector("a").cloneNode(true));
      return li;
    };
    var apply = function () {
      var v = pick.value;
      var option = pick.options[pick.selectedIndex];
      var docker = option.getAttribute("data-docker");
      var missing = document.getElementById("missing");
      var gone = document.getElementById("gone");
      missing.textContent = "";
      gone.textContent = "";
      var served = 0;
      document.querySelectorAll("#all tr[data-op]").forEach(function (row) {
        var present = row.getAttribute("data-present");
        var here = serves(present, v);
        var now = serves(present, newest);
        row.className = here ? "served" : (now ? "missing" : "");
        row.querySelector(".status").textContent = here ? "served" : (now ? "missing" : "-");
        if (here) { served += 1; }
        if (now && !here) { missing.appendChild(listItem(row)); }
        if (here && !now) { gone.appendChild(listItem(row)); }
      });
      [missing, gone].forEach(function (list) {
        if (!list.children.length) {
          var none = document.createElement("li");
          none.textContent = "None.";
          list.appendChild(none);
        }
      });
      var count = function (list) { return list.querySelectorAll("li[data-op]").length; };
      document.getElementById("pick-summary").textContent =
        (docker ? "Docker " + docker + " serves API " + v : "API " + v) + ": " + served +
        " operations; " + count(missing) + " of API " + newest + " missing, " +
        count(gone) + " removed since.";
      try {
        history.replaceState(null, "", "#" + (docker ? "docker=" + docker : "api=" + v));
      } catch (e) { /* some browsers refuse it for file:// pages */ }
    };
    var fromHash = function () {
      var m = /^#(docker|api)=(.+)$/.exec(location.hash);
      if (!m) { return; }
      for (var i = 0; i < pick.options.length; i += 1) {
        var o = pick.options[i];
        if ((m[1] === "docker" && o.getAttribute("data-docker") === m[2]) ||
            (m[1] === "api" && !o.getAttribute("data-docker") && o.value === m[2])) {
          pick.selectedIndex = i;
        }
      }
    };
    pick.addEventListener("change", apply);
    fromHash();
    apply();
  }
}());
