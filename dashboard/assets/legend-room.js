/* Room for a legend under a map. The server lays a map's legend out in rows under it (orientation "h",
 * yanchor "top") and keeps a bottom margin that fits a desktop width; on a phone the same entries wrap into
 * more rows, and plotly draws them over the map. After each draw, the figure grows by what its legend really
 * needs, so the map keeps its own height and no entry covers it.
 */
(function () {
  "use strict";

  var SLACK = 8; // px: a difference this small is left alone, so a redraw never starts another one

  function fit(gd) {
    var layout = gd.layout || {};
    var legend = layout.legend || {};
    if (legend.orientation !== "h" || legend.yanchor !== "top" || typeof window.Plotly === "undefined") { return; }
    var box = gd.querySelector(".legend");
    if (!box || typeof box.getBBox !== "function") { return; }
    var need = Math.ceil(box.getBBox().height) + 12;
    var have = (layout.margin && layout.margin.b) || 0;
    if (Math.abs(need - have) <= SLACK) { return; }
    var height = (layout.height || gd.clientHeight) + (need - have);
    window.Plotly.relayout(gd, { "margin.b": need, height: height });
  }

  function watch() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (gd.dataset.legendRoom || typeof gd.on !== "function") { return; }
      gd.dataset.legendRoom = "1";
      gd.on("plotly_afterplot", function () { fit(gd); });
      if (gd._fullLayout) { fit(gd); }
    });
  }

  new MutationObserver(function () { window.requestAnimationFrame(watch); })
    .observe(document.documentElement, { subtree: true, childList: true });
  watch();
})();
