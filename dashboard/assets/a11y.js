/* Keyboard and screen-reader mends for Dash's own widgets, checked by axe-core in the browser tests.
 *
 * Dash's dropdown puts a read-only <input aria-hidden="true"> in the tab order in front of its real button, so a
 * keyboard user lands on an element screen readers are told does not exist, and Enter does not open the list.
 * The button itself (labelled, aria-haspopup="listbox") opens on Enter and takes the arrow keys: it becomes the
 * tab stop instead. The DataTable's page buttons are icons without a name: they get a Dutch one. A table that
 * scrolls sideways inside itself (on a phone) must be reachable by keyboard to be scrolled: it becomes a tab stop.
 * The navbar's menu button comes with an English name ("Toggle navigation"): it gets a Dutch one.
 * Dash re-renders these widgets, so the mend is re-applied whenever the page changes.
 */
(function () {
  "use strict";
  var PAGE_BUTTONS = {
    "first-page": "Eerste pagina", "previous-page": "Vorige pagina",
    "next-page": "Volgende pagina", "last-page": "Laatste pagina"
  };

  function mend() {
    document.querySelectorAll(".navbar-toggler").forEach(function (el) {
      if (el.getAttribute("aria-label") !== MENU) { el.setAttribute("aria-label", MENU); }
    });
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (el) {
      if (el.tabIndex !== -1) { el.tabIndex = -1; }
    });
    document.querySelectorAll("button.dash-dropdown").forEach(function (el) {
      if (el.tabIndex !== 0) { el.tabIndex = 0; }
    });
    document.querySelectorAll(".dash-spreadsheet-container, table.table").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && el.tabIndex !== 0) {
        el.tabIndex = 0;
        el.setAttribute("role", el.tagName === "TABLE" ? "table" : "region");
        el.setAttribute("aria-label", "Tabel, horizontaal schuifbaar");
      }
    });
    Object.keys(PAGE_BUTTONS).forEach(function (name) {
      document.querySelectorAll("button." + name).forEach(function (el) {
        if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", PAGE_BUTTONS[name]); }
      });
    });
  }

  var MENU = "Menu openen of sluiten";

  // A link to a part of a page (/gemeente/<nis>/fiche#fiche-dna): Dash draws the page after the browser
  // looked for the anchor, so the page scrolls there once the part exists, once per address.
  var scrolledTo = "";
  function scrollToAnchor() {
    var target = window.location.pathname + window.location.hash;
    if (!window.location.hash || scrolledTo === target) { return; }
    var el = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (el) { scrolledTo = target; el.scrollIntoView(); }
  }

  var queued = false;
  function schedule() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; mend(); scrollToAnchor(); });
  }

  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"]
  });
  schedule();
})();
