"""The 5B intake fiche (pure): what the data say per B, and what the site visit has to find out.

Every row of :data:`FIVE_B` is one signal source for one of the five B's of the Profploeg (Bekendheid,
Beleving, Beeldkwaliteit, Bereikbaarheid, Beleid). A signal is either :data:`DATA` (a finding backed by the
figure and the peer value: a DNA-fiche rule that fired, or an indicator outside the peers' P25–P75 band) or
:data:`VISIT` (no data, too few peers, within the peer band, or an answer of the application that the visit
has to check). No B is ever left empty: without data it says what to look at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.fiche.data import DNA_ROWS, busiest, fmt_cell
from dashboard.fiche.rules import MIN_PEERS
from dashboard.intake.facts import FicheFacts, answer
from dashboard.intake.models import B_NAMES
from dashboard.intake.validation import FIELDS

DATA = "de data tonen"
VISIT = "na te gaan bij het plaatsbezoek"
#: Source kinds of :class:`Entry`.
SOURCES = ("indicator", "branchegroepen", "uurprofiel", "kern", "geen_data", "antwoord")
DNA = {column: (label, unit, decimals) for column, label, unit, decimals in DNA_ROWS}


@dataclass(frozen=True)
class Entry:
    """One declared source of signals for one B.

    ``source`` is one of :data:`SOURCES`; ``key`` the indicator column (``indicator``), the application
    field (``antwoord``) or the subject (``geen_data``); ``rules`` the DNA-fiche rules that bear on it.
    """

    b: str
    id: str
    source: str
    key: str
    rules: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Signal:
    """One line of the 5B fiche: a data finding (``DATA``) or a point for the site visit (``VISIT``)."""

    b: str
    entry: str
    status: str
    text: str
    value: float | None = None
    peer_value: float | None = None


FIVE_B: tuple[Entry, ...] = (
    Entry("Bekendheid", "passanten_niveau", "indicator", "footfall_avg_weekly_per_point",
          ("passanten_hoog", "passanten_laag")),
    Entry("Bekendheid", "passanten_trend", "indicator", "footfall_yoy_pct", ("passanten_dalen", "passanten_stijgen")),
    Entry("Bekendheid", "eerdere_initiatieven", "antwoord", "earlier_initiatives"),
    Entry("Beleving", "passanten_trend", "indicator", "footfall_yoy_pct", ("passanten_dalen", "passanten_stijgen")),
    Entry("Beleving", "ketenaandeel", "indicator", "chain_share_count_pct"),
    Entry("Beleving", "branchemix", "branchegroepen", "branch_group",
          ("branche_ontbreekt", "branche_sterk", "branche_ondervertegenwoordigd")),
    Entry("Beeldkwaliteit", "structurele_leegstand", "indicator", "vacancy_structural_rate_pct",
          ("structurele_leegstand_hoog", "structurele_leegstand_laag")),
    Entry("Beeldkwaliteit", "leegstand", "indicator", "vacancy_rate_count_all_pct",
          ("leegstand_hoog", "leegstand_laag", "leegstand_stijgt", "leegstand_daalt")),
    Entry("Beeldkwaliteit", "leegstand_wvo", "indicator", "vacancy_rate_wvo_headline_pct", ("leegstand_wvo_hoog",)),
    Entry("Beeldkwaliteit", "gevels", "geen_data", "gevels",
          label="Staat van gevels, etalages en publieke ruimte: niet in de data"),
    Entry("Bereikbaarheid", "uurprofiel", "uurprofiel", "hours"),
    Entry("Bereikbaarheid", "vangstpercentage", "geen_data", "capture_rate",
          label="Vangstpercentage (welk deel van de passanten binnengaat): niet in de data"),
    Entry("Bereikbaarheid", "toegang", "geen_data", "toegang",
          label="Parkeren, fiets, openbaar vervoer en leveringen: niet in de data"),
    Entry("Beleid", "kernwinkelgebied", "kern", "is_legal_core"),
    Entry("Beleid", "detailhandelsbeleid", "antwoord", "retail_policy"),
    Entry("Beleid", "middelen", "antwoord", "means_capacity"),
    Entry("Beleid", "diensten", "antwoord", "departments_involvement"),
)
#: From this hour on, passers come after most shops close: a measure of the area's evening life.
EVENING_FROM = 18
#: Longest quote of an answer on the fiche; the full answer stays on the application.
QUOTE_CHARS = 240


def _indicator(entry: Entry, facts: FicheFacts | None) -> list[Signal]:
    label, unit, decimals = DNA[entry.key]
    if facts is None:
        return [Signal(entry.b, entry.id, VISIT, f"{label}: geen gegevens.")]
    fired = facts.fired(entry.rules)
    if fired:  # the fiche's own findings: they carry the figure and the peer value
        return [Signal(entry.b, entry.id, DATA, f.text, f.value, f.peer_value) for f in fired]
    value, stat = facts.value(entry.key), facts.peers.get(entry.key)
    if value is None:
        return [Signal(entry.b, entry.id, VISIT, f"{label}: geen gegevens in {facts.year}.")]
    fmt = lambda v: fmt_cell(v, unit, decimals)  # noqa: E731
    if stat is None or stat.n < MIN_PEERS:
        return [Signal(entry.b, entry.id, VISIT, f"{label}: {fmt(value)} in {facts.year}; te weinig peers om "
                                                 f"te vergelijken.", value)]
    band = f"peers P25–P75 {fmt(stat.p25)} – {fmt(stat.p75)}, mediaan {fmt(stat.median)} ({stat.n} peers)"
    if value > stat.p75 or value < stat.p25:
        side, limit = ("hoger dan P75", stat.p75) if value > stat.p75 else ("lager dan P25", stat.p25)
        return [Signal(entry.b, entry.id, DATA, f"{label}: {fmt(value)} in {facts.year}, {side}; {band}.",
                       value, limit)]
    return [Signal(entry.b, entry.id, VISIT, f"{label}: {fmt(value)} in {facts.year}, binnen de band van de peers "
                                             f"({band}); de data geven geen uitgesproken beeld.", value, stat.median)]


def _groups(entry: Entry, facts: FicheFacts | None) -> list[Signal]:
    fired = facts.fired(entry.rules) if facts is not None else []
    if fired:
        return [Signal(entry.b, entry.id, DATA, f.text, f.value, f.peer_value) for f in fired]
    if facts is None or facts.groups is None or facts.groups.empty:
        return [Signal(entry.b, entry.id, VISIT, "Branchemix: geen gegevens.")]
    return [Signal(entry.b, entry.id, VISIT, "Branchemix: geen branchegroep wijkt duidelijk af van de peers; "
                                             "het aanbod en de beleving ter plaatse bekijken.")]


def _hours(entry: Entry, facts: FicheFacts | None) -> list[Signal]:
    hours = facts.hours if facts is not None else None
    if facts is None or hours is None or hours.empty or not (hours["avg_passers"].fillna(0) > 0).any():
        return [Signal(entry.b, entry.id, VISIT, "Passanten per uur: geen telpunten; wanneer het druk is, "
                                                 "navragen en ter plaatse bekijken.")]
    total = float(hours["avg_passers"].sum())
    evening = float(hours.loc[hours["bucket"] >= EVENING_FROM, "avg_passers"].sum())
    share = 100 * evening / total
    return [Signal(entry.b, entry.id, DATA, f"Drukste uren {facts.year}: {', '.join(busiest(hours, 3))}; "
                                            f"{fmt_cell(share, '%', 0)} van de passanten na 18u "
                                            f"(geen peervergelijking).", share)]


def _core(entry: Entry, facts: FicheFacts | None) -> list[Signal]:
    core = facts.area.get(entry.key) if facts is not None else None
    if core is None:
        return [Signal(entry.b, entry.id, VISIT, "Kernwinkelgebied: onbekend of het juridisch is afgebakend.")]
    text = ("Het winkelgebied ligt in een juridisch afgebakend kernwinkelgebied." if core else
            "Het winkelgebied is geen juridisch afgebakend kernwinkelgebied.")
    return [Signal(entry.b, entry.id, DATA, text, 1.0 if core else 0.0)]


def _answer(entry: Entry, application: Mapping[str, Any] | object | None) -> list[Signal]:
    label, text = FIELDS[entry.key], answer(application, entry.key)
    if not text:
        return [Signal(entry.b, entry.id, VISIT, f"{label}: niet ingevuld in de aanvraag; bevragen.")]
    quote = text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"
    return [Signal(entry.b, entry.id, VISIT, f"{label} volgens de aanvraag: “{quote}”")]


def signals_of(entry: Entry, facts: FicheFacts | None,
               application: Mapping[str, Any] | object | None) -> list[Signal]:
    """Return the signals of one declared entry (at least one)."""
    if entry.source == "indicator":
        return _indicator(entry, facts)
    if entry.source == "branchegroepen":
        return _groups(entry, facts)
    if entry.source == "uurprofiel":
        return _hours(entry, facts)
    if entry.source == "kern":
        return _core(entry, facts)
    if entry.source == "antwoord":
        return _answer(entry, application)
    return [Signal(entry.b, entry.id, VISIT, entry.label + ".")]


def five_b(fiche_facts: FicheFacts | None,
           application: Mapping[str, Any] | object | None = None) -> dict[str, list[Signal]]:
    """Return the pre-filled 5B fiche: per B (in :data:`B_NAMES` order) its signals, data findings first.

    Parameters
    ----------
    fiche_facts
        The DNA-fiche facts of the application's main shopping area (:func:`~dashboard.intake.facts.facts_of`);
        ``None`` when there is none: every data entry then says what the visit has to find out.
    application
        The application (a model or a mapping of its fields), for the answers about policy and capacity.

    Returns
    -------
    dict[str, list[Signal]]
        B -> signals; within a B, :data:`DATA` signals before :data:`VISIT` ones, each in table order.

    """
    out: dict[str, list[Signal]] = {b: [] for b in B_NAMES}
    for entry in FIVE_B:
        out[entry.b] += signals_of(entry, fiche_facts, application)
    return {b: sorted(signals, key=lambda s: s.status != DATA) for b, signals in out.items()}
