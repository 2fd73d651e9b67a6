"""Strengths, attention points and growth opportunities of a shopping area, from declared rules (pure).

Every rule is one row of :data:`RULES`: an id, its kind, a Dutch label, the indicator it reads, the
comparison and the threshold against the peers. A rule that fires gives one :class:`Finding` whose text
names the area's figure and the peer value behind it; there is no free-floating text. A comparison with
the peers needs at least :data:`MIN_PEERS` peer values, a trend the four latest years without gaps;
otherwise the rule stays silent (no data is no finding). A rule about a share of the outlets (vacancy, a
branch group) also needs support: its gap with the peers must amount to :data:`MIN_SUPPORT` outlets or more,
and the finding says how many.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from dashboard.formatting import fmt_delta, fmt_number, fmt_percent
from dashboard.labels import indicator

VACANCY_COUNT = indicator("vacancy_rate_count_all_pct").label

#: A peer comparison on fewer values than this says nothing.
MIN_PEERS = 3
#: Years a trend rule looks back over ("three years running" = three changes = four inventories).
TREND_YEARS = 3
#: Fewest outlets a share's gap with the peers must amount to. In a 19-outlet area one outlet is 5 pp, enough to
#: cross a quartile by chance; two outlets is the smallest gap a centre manager can point at in the street.
MIN_SUPPORT = 2
#: Rules on a share of all outlets of the area (``outlets_total``): their gap counts in outlets.
COUNTED = frozenset({"vacancy_rate_count_all_pct", "vacancy_structural_rate_pct", "branch_group"})
KINDS = {"sterkte": "Sterktes", "aandachtspunt": "Aandachtspunten", "groeikans": "Groeikansen"}

#: comparison key -> the threshold as the fiche explains it.
COMPARISONS = {
    "boven_p75": "hoger dan P75 van de peers",
    "onder_p25": "lager dan P25 van de peers",
    "stijgt_3j": "drie jaar op rij gestegen",
    "daalt_3j": "drie jaar op rij gedaald",
    "negatief_3j": "drie jaar op rij negatief",
    "positief_3j": "drie jaar op rij positief",
    "groep_ontbreekt": "0 verkooppunten, terwijl de mediaan van de peers er minstens 1 heeft",
    "groep_onder_p25": "aandeel lager dan P25 van de peers",
    "groep_boven_p75": "aandeel hoger dan P75 van de peers",
}


@dataclass(frozen=True)
class PeerStat:
    """The peers' quartiles of one indicator (``n`` peer values)."""

    p25: float
    median: float
    p75: float
    n: int


@dataclass(frozen=True)
class Rule:
    """One declared rule: when ``indicator`` meets ``comparison``, the fiche says ``label``."""

    id: str
    kind: str  # a key of KINDS
    label: str
    indicator: str  # a column of mart_area_year, or "branch_group" for the per-group rules
    comparison: str  # a key of COMPARISONS
    unit: str = "%"  # "%" or a unit shown after the number
    decimals: int = 1

    @property
    def threshold(self) -> str:
        """Return the threshold in Dutch, as the fiche lists it (with its minimum support, if any)."""
        if self.comparison == "groep_ontbreekt":
            return COMPARISONS[self.comparison].replace("minstens 1", f"minstens {MIN_SUPPORT}")
        support = f", een verschil van minstens {MIN_SUPPORT} verkooppunten" if self.indicator in COUNTED else ""
        return COMPARISONS[self.comparison] + support


RULES: tuple[Rule, ...] = (
    Rule("structurele_leegstand_hoog", "aandachtspunt", "Veel structurele leegstand (> 3 jaar)",
         "vacancy_structural_rate_pct", "boven_p75"),
    Rule("structurele_leegstand_laag", "sterkte", "Weinig structurele leegstand (> 3 jaar)",
         "vacancy_structural_rate_pct", "onder_p25"),
    Rule("leegstand_hoog", "aandachtspunt", "Hoge leegstand (aantal panden)", "vacancy_rate_count_all_pct",
         "boven_p75"),
    Rule("leegstand_laag", "sterkte", "Lage leegstand (aantal panden)", "vacancy_rate_count_all_pct", "onder_p25"),
    Rule("leegstand_wvo_hoog", "aandachtspunt", "Hoge leegstand in m² (WVO)", "vacancy_rate_wvo_headline_pct",
         "boven_p75"),
    Rule("leegstand_stijgt", "aandachtspunt", f"{VACANCY_COUNT} stijgt", "vacancy_rate_count_all_pct", "stijgt_3j"),
    Rule("leegstand_daalt", "sterkte", f"{VACANCY_COUNT} daalt", "vacancy_rate_count_all_pct", "daalt_3j"),
    Rule("passanten_dalen", "aandachtspunt", "Passanten dalen", "footfall_yoy_pct", "negatief_3j"),
    Rule("passanten_stijgen", "sterkte", "Passanten stijgen", "footfall_yoy_pct", "positief_3j"),
    Rule("passanten_hoog", "sterkte", "Veel passanten", "footfall_avg_weekly_per_point", "boven_p75",
         unit="per week per telpunt", decimals=0),
    Rule("passanten_laag", "aandachtspunt", "Weinig passanten", "footfall_avg_weekly_per_point", "onder_p25",
         unit="per week per telpunt", decimals=0),
    Rule("branche_ontbreekt", "aandachtspunt", "Ontbrekende branchegroep", "branch_group", "groep_ontbreekt"),
    Rule("branche_sterk", "sterkte", "Sterk vertegenwoordigde branchegroep", "branch_group", "groep_boven_p75"),
    Rule("branche_ondervertegenwoordigd", "groeikans", "Ondervertegenwoordigde branchegroep", "branch_group",
         "groep_onder_p25"),
)

#: Branch groups the per-group rules look at: vacancy is no branch to attract.
GROUP_RULES_SKIP = frozenset({"Leegstand"})


@dataclass(frozen=True)
class Finding:
    """One line of the fiche: a rule that fired, with the figure and the peer value behind it."""

    rule_id: str
    kind: str
    text: str
    value: float | None = None
    peer_value: float | None = None


@dataclass
class RuleInput:
    """Everything the rules read about one area in one year.

    ``values``: the area's indicators (``mart_area_year`` columns); ``peers``: the peers' quartiles per
    indicator; ``history``: per indicator, ``{year: value}`` for the years before and including ``year``;
    ``groups``: one row per branch group with ``branch_group``, ``label``, ``outlets``, ``share_pct`` and the
    peers' ``peer_p25``, ``peer_median``, ``peer_p75``, ``peer_n`` (of the share) and ``peer_median_outlets``.
    """

    year: int
    values: dict[str, float | None]
    peers: dict[str, PeerStat]
    history: dict[str, dict[int, float | None]] = field(default_factory=dict)
    groups: pd.DataFrame | None = None

    @functools.cached_property
    def group_rows(self) -> list[Any]:
        """Return the rows of ``groups`` as named tuples, made once for the three group rules."""
        return [] if self.groups is None else list(self.groups.itertuples(index=False))


def as_number(value: object) -> float | None:
    """Return ``value`` as a float, or ``None`` when it is missing, NaN or not a number."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def fmt_value(value: float | None, unit: str, decimals: int) -> str:
    """Format a rule's figure with its unit in Dutch (``12,3 %``, ``4.512 per week per telpunt``)."""
    if unit == "%":
        return fmt_percent(value, decimals)
    return f"{fmt_number(value, decimals)} {unit}".rstrip()


def support(share: float, limit: float, outlets_total: float | None) -> float | None:
    """Return how many outlets the gap between a share (%) of the area's outlets and the peers' limit is."""
    return None if outlets_total is None else abs(share - limit) / 100 * outlets_total


def _supported(gap: float | None) -> tuple[bool, str]:
    """Tell whether a gap of ``gap`` outlets is a finding, and the words that say what it rests on."""
    if gap is None:  # the area's outlet count is unknown: the share alone decides, as before support existed
        return True, ""
    shown = fmt_number(gap, 1 if gap < 10 else 0)
    return gap >= MIN_SUPPORT, f" Verschil: {shown} verkooppunten."


def _peer_rule(rule: Rule, data: RuleInput) -> Finding | None:
    value = as_number(data.values.get(rule.indicator))
    stat = data.peers.get(rule.indicator)
    if value is None or stat is None or stat.n < MIN_PEERS:
        return None
    limit = stat.p75 if rule.comparison == "boven_p75" else stat.p25
    fired = value > limit if rule.comparison == "boven_p75" else value < limit
    if not fired:
        return None
    counted = rule.indicator in COUNTED
    ok, said = _supported(support(value, limit, as_number(data.values.get("outlets_total")))) if counted else (True, "")
    if not ok:
        return None
    quartile = "P75" if rule.comparison == "boven_p75" else "P25"
    fmt = lambda v: fmt_value(v, rule.unit, rule.decimals)  # noqa: E731
    text = (f"{rule.label}: {fmt(value)} in {data.year}; peers {quartile} {fmt(limit)}, "
            f"mediaan {fmt(stat.median)} ({stat.n} peers).{said}")
    return Finding(rule.id, rule.kind, text, value, limit)


def _trend_rule(rule: Rule, data: RuleInput) -> Finding | None:
    series = data.history.get(rule.indicator, {})
    is_change = rule.comparison in ("negatief_3j", "positief_3j")
    # A change indicator needs its own three latest values; a level needs four to give three changes.
    years = list(range(data.year - TREND_YEARS + (1 if is_change else 0), data.year + 1))
    values = [v for v in (as_number(series.get(y)) for y in years) if v is not None]
    if len(values) < len(years):
        return None
    changes = values if is_change else [b - a for a, b in pairwise(values)]
    rising = rule.comparison in ("stijgt_3j", "positief_3j")
    if not all((c > 0) if rising else (c < 0) for c in changes):
        return None
    stat = data.peers.get(rule.indicator)
    peer = stat.median if stat is not None and stat.n >= MIN_PEERS else None
    if is_change:
        figures = ", ".join(f"{y}: {fmt_delta(v, rule.decimals, '%')}" for y, v in zip(years, values, strict=True))
    else:
        figures = " → ".join(fmt_value(v, rule.unit, rule.decimals) for v in values) + f" ({years[0]}–{years[-1]})"
    peer_text = (f"mediaan peers {data.year}: "
                 f"{fmt_delta(peer, rule.decimals, '%') if is_change else fmt_value(peer, rule.unit, rule.decimals)}"
                 if peer is not None else "geen peerwaarde")
    text = f"{rule.label} ({COMPARISONS[rule.comparison]}): {figures}; {peer_text}."
    return Finding(rule.id, rule.kind, text, values[-1], peer)


def _group_rule(rule: Rule, data: RuleInput) -> list[Finding]:
    out = []
    for g in data.group_rows:
        if g.branch_group in GROUP_RULES_SKIP or as_number(g.peer_n) is None or g.peer_n < MIN_PEERS:
            continue
        share, outlets = as_number(g.share_pct) or 0.0, int(as_number(g.outlets) or 0)
        if rule.comparison == "groep_ontbreekt":
            median_outlets = as_number(g.peer_median_outlets) or 0.0
            if outlets == 0 and median_outlets >= MIN_SUPPORT:
                out.append(Finding(rule.id, rule.kind,
                                   f"Geen {g.label.lower()} (0 verkooppunten); de peers hebben er mediaan "
                                   f"{fmt_number(median_outlets, 1 if median_outlets % 1 else 0)} "
                                   f"({fmt_percent(g.peer_median)} van hun verkooppunten).",
                                   0.0, median_outlets))
            continue
        above = rule.comparison == "groep_boven_p75"
        limit = as_number(g.peer_p75 if above else g.peer_p25)
        if limit is None or not (share > limit if above else share < limit):
            continue
        ok, said = _supported(support(share, limit, as_number(data.values.get("outlets_total"))))
        if not ok:
            continue
        quartile = "P75" if above else "P25"
        out.append(Finding(rule.id, rule.kind,
                           f"{rule.label} – {g.label.lower()}: {fmt_percent(share)} van de verkooppunten "
                           f"({outlets}); peers {quartile} "
                           f"{fmt_percent(limit)}, mediaan {fmt_percent(g.peer_median)}.{said}",
                           share, limit))
    return out


def evaluate(data: RuleInput, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    """Run every rule on one area's figures; return the findings in the order of the rules table."""
    findings: list[Finding] = []
    for rule in rules:
        if rule.indicator == "branch_group":
            findings += _group_rule(rule, data)
        elif rule.comparison in ("boven_p75", "onder_p25"):
            found = _peer_rule(rule, data)
            findings += [found] if found else []
        else:
            found = _trend_rule(rule, data)
            findings += [found] if found else []
    return findings


def peer_stats(rows: pd.DataFrame, peers: list[str], columns: list[str]) -> dict[str, PeerStat]:
    """Return the peers' quartiles of each column of ``rows`` (wide: ``area_code``, ``year``, columns; one year).

    The quartiles interpolate linearly between the ordered values, as :func:`dashboard.peers.peer_band`
    does; missing values are left out, and a column without any peer value has no entry. Computed per
    column with numpy: reshaping to long rows and grouping them cost a fiche more than all its queries.
    """
    part = rows[rows["area_code"].isin(peers)]
    out = {}
    for column in columns:
        if column not in part:
            continue
        values = pd.to_numeric(part[column], errors="coerce").to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        if values.size:
            p25, median, p75 = np.quantile(values, [0.25, 0.5, 0.75])
            out[column] = PeerStat(float(p25), float(median), float(p75), int(values.size))
    return out
