/* The core-area map's points, in the browser.
 *
 * First view: the server sends the figure with its outlet and vacancy traces empty and their points in a
 * dense form (dashboard/figures/maps.py, dense_points): every text once in a table, per point indexes into
 * it, positions as whole steps of 1e-5 degree from an origin, ids as differences. `expand` turns that back
 * into the traces' lon, lat and customdata before plotly draws the map.
 *
 * Year switch: the server sends a new year's outlet points per trace (year_points): an outlet id where the
 * year the browser already holds has the same point and hover, else [lon, lat, customdata]. Here the traces
 * are put back together from the points held per year, so a switch costs the network only what changed.
 * The first drawn year is read from the figure itself, the first time it serves as the base.
 */
(function () {
  "use strict";

  var STEPS_PER_DEGREE = 1e5;

  function expand(dense) {
    var text = dense.strings, origin = dense.origin, out = {};
    Object.keys(dense.traces).forEach(function (i) {
      var t = dense.traces[i], lon = [], lat = [], customdata = [], id = 0;
      t.x.forEach(function (x, k) {
        var y = t.y[k];
        lon.push(x === null ? null : (origin[0] + x) / STEPS_PER_DEGREE);
        lat.push(y === null ? null : (origin[1] + y) / STEPS_PER_DEGREE);
        if (t.d) { id += t.d[k]; }
        var street = text[t.s[k]], house = String(t.h[k]);
        var address = street && house ? street + " " + house : street || house;
        var row = t.v ? [t.d ? String(id) : t.i[k], address, text[t.l[k]], ""]
          : [t.d ? String(id) : t.i[k], text[t.t[k]], text[t.l[k]], address];
        if (t.w[k] !== null) { row.push(t.w[k]); }  // an unknown WVO stays off the row ("onbekend")
        customdata.push(row);
      });
      out[i] = { lon: lon, lat: lat, customdata: customdata };
    });
    return out;
  }

  function pointsOf(figure, traces) {
    var byId = {};
    Object.keys(traces).forEach(function (i) {
      var t = figure.data[+i] || {};
      (t.customdata || []).forEach(function (custom, k) { byId[custom[0]] = [t.lon[k], t.lat[k], custom]; });
    });
    return byId;
  }

  function firstView(points) {
    var layers = expand(points.dense);
    var data = points.figure.data.slice();
    Object.keys(layers).forEach(function (i) { data[+i] = Object.assign({}, data[+i], layers[i]); });
    return Object.assign({}, points.figure, { data: data });
  }

  function draw(points, figure, held) {
    var none = window.dash_clientside.no_update;
    if (points && points.dense && points.figure) { return [firstView(points), points.year, none]; }
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
  window.dash_clientside.coreMap = { draw: draw, expand: expand };
})();
