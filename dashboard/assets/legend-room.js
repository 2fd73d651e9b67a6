/* Room for a legend under a map. The server lays a map's legend out in rows under it (orientation "h",
 * yanchor "top") and keeps a bottom margin that fits a desktop width; on a phone the same entries wrap into
 * more rows, and plotly draws them over the map. After each draw, the figure grows by what its legend really
 * needs, so the map keeps its own height and no entry covers it.
 */
(function () {
  "use strict";

  var SLACK = 8; // px: a difference this small is left alone, so a redraw never starts another one

  function fit(gd) {
    // The timer may fire after Dash replaced or removed this graph: plotly then has no full layout to change.
    if (!gd.isConnected || !gd._fullLayout) { return; }
    var layout = gd.layout || {};
    var legend = layout.legend || {};
    if (legend.orientation !== "h" || legend.yanchor !== "top" || typeof window.Plotly === "undefined") { return; }
    var box = gd.querySelector(".legend");
    if (!box || typeof box.getBBox !== "function") { return; }
    var need = Math.ceil(box.getBBox().height) + 12;
    var have = (layout.margin && layout.margin.b) || 0;
    if (Math.abs(need - have) <= SLACK) { return; }
    var height = (layout.height || gd.clientHeight) + (need - have);
    var map = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    if (map && typeof map.isStyleLoaded === "function" && !map.isStyleLoaded()) { map.once("idle", function () { fit(gd); }); return; }
    var done;
    try {
      done = window.Plotly.relayout(gd, { "margin.b": need, height: height });
    } catch (e) {
      return; // a newer figure is being drawn: its own afterplot fits it again
    }
    if (done && typeof done.catch === "function") { done.catch(function () { /* a newer figure replaced this one */ }); }
  }

  function watch() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (gd.dataset.legendRoom || typeof gd.on !== "function") { return; }
      gd.dataset.legendRoom = "1";
      // After the draw settles: a relayout while the map's style is still loading breaks the map.
      var later = function () { clearTimeout(gd._legendRoomTimer); gd._legendRoomTimer = setTimeout(function () { fit(gd); }, 400); };
      gd.on("plotly_afterplot", later);
      if (gd._fullLayout) { later(); }
    });
  }

  new MutationObserver(function () { window.requestAnimationFrame(watch); })
    .observe(document.documentElement, { subtree: true, childList: true });
  watch();
})();
