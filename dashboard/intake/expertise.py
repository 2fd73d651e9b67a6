"""Which of the Profploeg's experts fit an application (pure, declared rules).

Every row of :data:`RULES` names its trigger: a DNA-fiche rule that fired (``regel``), an indicator the area
lacks (``ontbreekt``), the legal core (``kern``), words in the application's texts (``trefwoord``) or an
answer left empty (``leeg_antwoord``). :func:`suggest` returns one :class:`Suggestion` per expert with every
reason; the user then adds or removes experts, and :func:`expert_choice` is what the application stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.intake.facts import FicheFacts, answer
from dashboard.intake.models import EXPERTS
from dashboard.intake.validation import FIELDS

#: The 17 expert profiles the Profploeg draws on (Dutch labels, in the order of the intake form).
TRIGGERS = ("regel", "ontbreekt", "kern", "trefwoord", "leeg_antwoord")
#: The application texts the keyword rules read.
TEXT_FIELDS: tuple[str, ...] = ("challenge", "expectations", "went_less", "zone_description")


@dataclass(frozen=True)
class ExpertRule:
    """One declared rule: when ``trigger`` on ``key`` holds, suggest ``experts`` because of ``reason``.

    ``key`` is a DNA-fiche rule id (``regel``), an indicator column (``ontbreekt``), a regular expression
    matched at word starts in :data:`TEXT_FIELDS` (``trefwoord``) or an application field (``leeg_antwoord``).
    """

    id: str
    experts: tuple[str, ...]
    trigger: str
    key: str
    reason: str = ""


RULES: tuple[ExpertRule, ...] = (
    ExpertRule("structurele_leegstand", ("Retailvastgoed", "Starters"), "regel", "structurele_leegstand_hoog"),
    ExpertRule("hoge_leegstand", ("Retailvastgoed", "Creatieve trajecten"), "regel", "leegstand_hoog"),
    ExpertRule("stijgende_leegstand", ("Retailvastgoed", "Centrummanagement"), "regel", "leegstand_stijgt"),
    ExpertRule("leegstand_m2", ("Retailvastgoed", "Onderhandeling en contracten"), "regel", "leegstand_wvo_hoog"),
    ExpertRule("passanten_dalen", ("Evenementen", "Retailmarketing"), "regel", "passanten_dalen"),
    ExpertRule("weinig_passanten", ("Evenementen", "Communicatie"), "regel", "passanten_laag"),
    ExpertRule("branche_ontbreekt", ("Innovatieve winkelconcepten", "Starters"), "regel", "branche_ontbreekt"),
    ExpertRule("branche_zwak", ("Innovatieve winkelconcepten", "Consumentengedrag"), "regel",
               "branche_ondervertegenwoordigd"),
    ExpertRule("geen_telpunten", ("Retaildata en smart tech",), "ontbreekt", "footfall_avg_weekly_per_point",
               "Geen passantentellingen in het winkelgebied"),
    ExpertRule("geen_kern", ("Ruimtelijke planning",), "kern", "is_legal_core",
               "Het winkelgebied is geen juridisch afgebakend kernwinkelgebied"),
    ExpertRule("mobiliteit", ("Mobiliteit",), "trefwoord",
               r"parkeer|parkeren|mobiliteit|bereikba|fiets|verkeer|openbaar vervoer|autoluw"),
    ExpertRule("publieke_ruimte", ("Publieke ruimte",), "trefwoord",
               r"publieke ruimte|openbare ruimte|\w*plein|heraanleg|vergroen|straatbeeld|terras"),
    ExpertRule("ruimtelijk", ("Ruimtelijke planning",), "trefwoord",
               r"ruimtelijk|rup\b|bestemming|afbakening|kernversterk|verweving|baanwinkel"),
    ExpertRule("logistiek", ("Logistiek",), "trefwoord", r"leveri|logistiek|laden en lossen|pakjes|bevoorrad"),
    ExpertRule("sociale_media", ("Sociale media",), "trefwoord",
               r"sociale media|social media|facebook|instagram|tiktok"),
    ExpertRule("communicatie", ("Communicatie",), "trefwoord", r"communic|imago|bekendheid|promotie"),
    ExpertRule("evenementen", ("Evenementen",), "trefwoord", r"evenement|braderie|markt\b|markten\b|kermis"),
    ExpertRule("onderhandeling", ("Onderhandeling en contracten", "Retailvastgoed"), "trefwoord",
               r"huurprijs|huurprijzen|eigenaar|contract|onderhandel"),
    ExpertRule("samenwerking", ("Procesbegeleiding",), "trefwoord",
               r"handelaarsvereniging|samenwerk|participatie|draagvlak|stuurgroep"),
    ExpertRule("creatief", ("Creatieve trajecten",), "trefwoord",
               r"creatie|creatief|kunst|pop-up|popup|tijdelijk gebruik"),
    ExpertRule("data", ("Retaildata en smart tech",), "trefwoord", r"data\b|telling|telpunt|smart|sensor|dashboard"),
    ExpertRule("consument", ("Consumentengedrag",), "trefwoord", r"consument|koopgedrag|klant|winkelgedrag"),
    ExpertRule("centrummanagement", ("Centrummanagement",), "trefwoord", r"centrummanage|coördina|coordina"),
    ExpertRule("starters", ("Starters",), "trefwoord", r"starter|startende|nieuwe ondernemer"),
    ExpertRule("marketing", ("Retailmarketing",), "trefwoord", r"marketing|branding|beleving|klantenbinding"),
    ExpertRule("innovatie", ("Innovatieve winkelconcepten",), "trefwoord",
               r"innovat|concept|e-commerce|webwinkel|omnichannel"),
    ExpertRule("geen_capaciteit", ("Centrummanagement",), "leeg_antwoord", "means_capacity"),
    ExpertRule("geen_betrokkenheid", ("Procesbegeleiding",), "leeg_antwoord", "departments_involvement"),
)


@dataclass(frozen=True)
class Suggestion:
    """One suggested expert with every reason (and the rules behind them)."""

    expert: str
    reasons: tuple[str, ...]
    rule_ids: tuple[str, ...]


def _pattern(rule: ExpertRule) -> re.Pattern[str]:
    # Keywords match at the start of a word ("parkeer" in "parkeerplaatsen"), never inside one ("markt" in
    # "supermarkt"), so a rule fires on what the municipality wrote about, not on a chance spelling.
    return re.compile(rf"\b(?:{rule.key})", re.IGNORECASE)


def reasons_of(rule: ExpertRule, facts: FicheFacts | None,
               application: Mapping[str, Any] | object | None) -> list[str]:
    """Return why ``rule`` fires (one reason per finding or matching field); empty when it does not."""
    if rule.trigger == "regel":
        return [f.text for f in facts.fired((rule.key,))] if facts is not None else []
    if rule.trigger == "ontbreekt":
        # Only with a fiche: without any data the gap is everywhere and says nothing about this area.
        return [rule.reason + "."] if facts is not None and facts.value(rule.key) is None else []
    if rule.trigger == "kern":
        return [rule.reason + "."] if facts is not None and facts.area.get(rule.key) is False else []
    if rule.trigger == "leeg_antwoord":
        return [] if answer(application, rule.key) else [f"{FIELDS[rule.key]}: niet ingevuld in de aanvraag."]
    out = []
    for name in TEXT_FIELDS:
        match = _pattern(rule).search(answer(application, name))
        if match:
            out.append(f"‘{match.group(0).lower()}’ in {FIELDS[name].lower()}.")
    return out


def suggest(fiche_facts: FicheFacts | None,
            application: Mapping[str, Any] | object | None = None) -> list[Suggestion]:
    """Return the suggested experts with their reasons, in the order of :data:`EXPERTS`.

    Parameters
    ----------
    fiche_facts
        The DNA-fiche facts of the application's main shopping area; ``None`` when there is none.
    application
        The application (a model or a mapping of its fields).

    """
    found: dict[str, list[tuple[str, str]]] = {}
    for rule in RULES:
        for reason in reasons_of(rule, fiche_facts, application):
            for expert in rule.experts:
                found.setdefault(expert, []).append((reason, rule.id))
    return [Suggestion(e, tuple(r for r, _ in found[e]), tuple(dict.fromkeys(i for _, i in found[e])))
            for e in EXPERTS if e in found]


def expert_choice(suggestions: Iterable[Suggestion], add: Iterable[str] = (),
                  remove: Iterable[str] = ()) -> dict[str, list[str]]:
    """Return the ``experts`` field of an application: the suggested experts and the user's final choice.

    Raises
    ------
    ValueError
        An expert that is not one of :data:`EXPERTS`.

    """
    suggested = [s.expert for s in suggestions]
    add, remove = list(add), set(remove)
    unknown = [e for e in [*add, *remove] if e not in EXPERTS]
    if unknown:
        raise ValueError(f"Onbekend expertprofiel: {', '.join(unknown)}.")
    chosen = {*suggested, *add} - remove
    return {"suggested": suggested, "chosen": [e for e in EXPERTS if e in chosen]}
