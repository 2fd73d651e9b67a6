/* Text alternatives for the charts (WCAG 1.1.1): each plotly chart gets a one-line summary as its accessible name
 * and, under it, a folded "Gegevens van de grafiek" table of the values it draws, reachable by keyboard (the
 * summary element is a tab stop) and read by screen readers. Built from the chart's own data each time plotly
 * redraws it, so the text never disagrees with the picture. Maps get their summary line only: their points are
 * listed in the tables of their pages. */
(function () {
  "use strict";
  var NUMBER = new Intl.NumberFormat("nl-BE", { maximumFractionDigits: 1 });

  function text(value, isLabel) {
    if (value === null || value === undefined || value === "") { return "–"; }
    if (typeof value === "number") { return isLabel ? String(value) : NUMBER.format(value); }  // a year: 2025
    var s = String(value);
    var date = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);  // plotly dates: written as the tables write them
    return date ? date[3] + "-" + date[2] + "-" + date[1] : s;
  }

  function series(gd) {
    return (gd.data || []).filter(function (t) {
      // A trace without a name is a helper (the lower edge of a band): the named band tells its values.
      return t.visible !== false && t.visible !== "legendonly" && Array.isArray(t.x) && Array.isArray(t.y) &&
        (t.type === "scatter" || t.type === "bar") && t.name;
    });
  }

  function summary(gd) {
    var layout = gd.layout || {};
    var title = (layout.title && (layout.title.text || layout.title)) || "";
    var traces = gd.data || [];
    if (traces.some(function (t) { return /map$/.test(t.type || ""); })) {
      return "Kaart" + (title ? ": " + title : "") + ". De waarden staan in de tabel op deze pagina.";
    }
    var parts = series(gd).map(function (t) {
      var values = t.y.filter(function (v) { return typeof v === "number"; });
      var name = t.name || "reeks";
      if (!values.length) { return name + ": geen waarden"; }
      return name + ": " + values.length + " waarden van " + text(Math.min.apply(null, values)) + " tot " +
        text(Math.max.apply(null, values));
    });
    return "Grafiek" + (title ? ": " + title : "") + (parts.length ? ". " + parts.join("; ") + "." : ".");
  }

  function table(gd) {
    var rows = series(gd);
    if (!rows.length) { return null; }
    var horizontal = rows[0].orientation === "h";
    var keys = [];
    rows.forEach(function (t) {
      (horizontal ? t.y : t.x).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
    });
    var tbl = document.createElement("table");
    tbl.className = "table table-sm chart-data";
    var head = "<thead><tr><th scope=\"col\"></th>" + rows.map(function (t) {
      return "<th scope=\"col\">" + escape(t.name || "reeks") + "</th>";
    }).join("") + "</tr></thead>";
    var body = keys.map(function (k) {
      return "<tr><th scope=\"row\">" + escape(text(k, true)) + "</th>" + rows.map(function (t) {
        var at = (horizontal ? t.y : t.x).indexOf(k);
        return "<td>" + escape(text(at < 0 ? null : (horizontal ? t.x : t.y)[at])) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    tbl.innerHTML = head + "<tbody>" + body + "</tbody>";
    return tbl;
  }

  function escape(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
    });
  }

  function describe(gd) {
    var line = summary(gd);
    // A figure, not an img: an img's content is presentational, and the chart holds its toolbar's buttons.
    gd.setAttribute("role", "figure");
    gd.setAttribute("aria-label", line);
    // A card's sparkline repeats the trend its card writes out: a name, no table.
    if (gd._context && gd._context.staticPlot) { return; }
    var box = gd.parentElement;
    var details = box.querySelector(":scope > details.chart-text");
    if (!details) {
      details = document.createElement("details");
      details.className = "chart-text small";
      box.appendChild(details);
    }
    var tbl = table(gd);
    details.innerHTML = "<summary>Gegevens van de grafiek</summary><p class=\"mb-1\"></p>";
    details.querySelector("p").textContent = line;
    if (tbl) { details.appendChild(tbl); }
  }

  function watch() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (gd.dataset.chartText || typeof gd.on !== "function") { return; }
      gd.dataset.chartText = "1";
      gd.on("plotly_afterplot", function () { describe(gd); });
      if (gd._fullLayout) { describe(gd); }
    });
  }

  new MutationObserver(function () { window.requestAnimationFrame(watch); })
    .observe(document.documentElement, { subtree: true, childList: true });
  watch();
})();
