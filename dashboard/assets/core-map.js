/* The core-area map's year switch, in the browser. The server sends a new year's outlet points per trace
 * (dashboard/figures/maps.py, year_points): an outlet id where the year the browser already holds has the
 * same point and hover, else [lon, lat, customdata]. Here the traces are put back together from the points
 * held per year, so a switch costs the network only what changed. The first drawn year is read from the
 * figure itself, the first time it serves as the base.
 */
(function () {
  "use strict";

  function pointsOf(figure, traces) {
    var byId = {};
    Object.keys(traces).forEach(function (i) {
      var t = figure.data[+i] || {};
      (t.customdata || []).forEach(function (custom, k) { byId[custom[0]] = [t.lon[k], t.lat[k], custom]; });
    });
    return byId;
  }

  function draw(points, figure, held) {
    var none = window.dash_clientside.no_update;
    if (!points || !points.traces || !figure || !figure.data) { return [none, none, none]; }
    var years = Object.assign({}, held || {});
    var base = {};
    if (points.base !== null && points.base !== undefined) {
      base = years[points.base] || pointsOf(figure, points.traces);
      years[points.base] = base;
    }
    var data = figure.data.slice();
    var mine = {};
    Object.keys(points.traces).forEach(function (i) {
      var lon = [], lat = [], customdata = [];
      points.traces[i].forEach(function (entry) {
        var p = typeof entry === "string" ? base[entry] : entry;
        if (!p) { throw new Error("kernkaart: punt " + entry + " ontbreekt in " + points.base); }
        lon.push(p[0]); lat.push(p[1]); customdata.push(p[2]);
        mine[p[2][0]] = p;
      });
      data[+i] = Object.assign({}, data[+i], { lon: lon, lat: lat, customdata: customdata });
    });
    years[points.year] = mine;
    return [Object.assign({}, figure, { data: data }), points.year, years];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.coreMap = { draw: draw };
})();
