/* Dash loads plotly.js lazily, from an address without a fingerprint that the browser has to ask the server
 * about again on every page load. The index preloads it at a fingerprinted address (a link with id
 * "plotly-js", see dashboard/static_files.py), which the browser keeps for good: Dash's loader takes that one.
 * On a page without the link, Dash keeps its own address. */
(function () {
  "use strict";
  var link = document.getElementById("plotly-js");
  if (!link) { return; }
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () { return link.href; },
    set: function () { /* Dash sets its own address as it starts: the fingerprinted one stays */ }
  });
})();
