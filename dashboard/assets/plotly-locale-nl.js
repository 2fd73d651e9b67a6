/* Plotly in Dutch (nl-BE): the toolbar's tooltips, the chart messages, day and month names, and Belgian number
 * separators. Plotly reads window.PlotlyLocales when it loads (Dash loads it lazily, after this file), so the
 * locale is there before the first chart is drawn; the charts ask for it with config.locale = "nl". Written for
 * this dashboard; no file is fetched from elsewhere. */
(function () {
  "use strict";
  var locale = {
    moduleType: "locale",
    name: "nl",
    dictionary: {
      "Download plot as a PNG": "Grafiek opslaan als PNG-afbeelding",
      "Download plot": "Grafiek opslaan",
      "Download plot as JSON": "Grafiek opslaan als JSON",
      "Zoom": "Zoomen",
      "Zoom in": "Inzoomen",
      "Zoom out": "Uitzoomen",
      "Pan": "Verschuiven",
      "Box Select": "Rechthoek selecteren",
      "Lasso Select": "Lasso selecteren",
      "Autoscale": "Automatisch schalen",
      "Reset axes": "Assen herstellen",
      "Reset view": "Beeld herstellen",
      "Reset views": "Beelden herstellen",
      "Reset": "Herstellen",
      "Reset camera to default": "Camera herstellen",
      "Reset camera to last save": "Camera naar laatste stand",
      "Toggle Spike Lines": "Hulplijnen aan of uit",
      "Toggle show closest data on hover": "Dichtstbijzijnde waarde tonen aan of uit",
      "Show closest data on hover": "Dichtstbijzijnde waarde tonen",
      "Compare data on hover": "Waarden vergelijken",
      "Toggle attribution": "Bronvermelding tonen of verbergen",
      "Orbital rotation": "Vrij draaien",
      "Turntable rotation": "Draaien als een draaitafel",
      "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
      "Double-click on legend to isolate one trace": "Dubbelklik op de legende om één reeks apart te tonen",
      "Snapshot succeeded": "Afbeelding gemaakt",
      "Taking snapshot - this may take a few seconds": "Afbeelding wordt gemaakt, even geduld",
      "Sorry, there was a problem downloading your image!": "Het opslaan van de afbeelding is mislukt.",
      "Sorry, there was a problem downloading your JSON file!": "Het opslaan van het JSON-bestand is mislukt.",
      "Produced with Plotly.js": "Gemaakt met Plotly.js",
      "max": "max", "min": "min", "mean": "gemiddelde", "median": "mediaan", "q1": "K1", "q3": "K3",
      "total": "totaal", "lat": "br.", "lon": "le."
    },
    format: {
      days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
      shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
      months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d-%m-%Y",
      decimal: ",",
      thousands: "."
    }
  };
  if (typeof window.Plotly === "undefined") {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  } else {
    window.Plotly.register(locale);
  }
})();
