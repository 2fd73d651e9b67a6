"""A call as the review page shows it (no Dash): rows with figures and scores, the suggestion, the spread, budget."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data.db import Database
from dashboard.programme import budget, selection
from dashboard.programme.demo import call_year
from dashboard.programme.figures import profiles
from dashboard.programme.models import Call
from dashboard.programme.scoring import CriterionRule, score
from dashboard.programme.store import Programme
from dashboard.programme.vitrine import challenge_of


@dataclass(frozen=True)
class Review:
    """Everything the call page shows."""

    call: Call
    criteria: list[CriterionRule]
    rows: pd.DataFrame  # one row per application (see :func:`review`)
    rules: selection.Rules
    spread: selection.Spread
    totals: budget.Totals
    overbooked: dict[int, tuple[float, float]]
    expert_names: dict[int, str]
    year: int


def figures_year(db_years: list[int], call: Call) -> int:
    """Return the inventory a call's review reads: the latest up to the year of its deadline."""
    return call_year(db_years, call.deadline)


def review(p: Programme, db: Database, call_id: int, years: list[int]) -> Review:
    """Return the review of call ``call_id``: every candidate with its figures, scores, decision and suggestion."""
    call = p.call(call_id)
    criteria = p.criteria(call_id)
    year = figures_year(years, call)
    munis = profiles(db, year).set_index("nis_code")
    candidates = p.candidates(call_id)
    reviewer = p.scores(a.id for a, _ in candidates)
    rates = [e.day_rate for e in p.experts()]
    team = p.team([a.id for a, _ in candidates])
    planned: dict[int, float] = {}
    for m, _e in team:
        planned[m.application_id] = planned.get(m.application_id, 0.0) + m.planned_days * m.day_rate
    records, pool = [], []
    for app, entry in candidates:
        muni = munis.loc[app.nis_code] if app.nis_code in munis.index else pd.Series(dtype=object)
        scored = score(criteria, muni.to_dict(), reviewer[app.id])
        chosen = (app.experts or {}).get("chosen") or []
        estimate = budget.estimate(len(chosen), rates)
        cost = planned.get(app.id, estimate)
        records.append({
            "application_id": app.id, "nis_code": app.nis_code, "name": muni.get("name", app.nis_code),
            "province": muni.get("province", "onbekend"), "size_class": muni.get("size_label", "onbekend"),
            "area_type": muni.get("area_type") or "onbekend", "challenge": challenge_of(app.challenge),
            "lat": muni.get("lat"), "lon": muni.get("lon"),
            "vacancy": muni.get("vacancy_rate_count_all_pct"), "structural": muni.get("vacancy_structural_rate_pct"),
            "gap": muni.get("vacancy_gap_pp"), "footfall": muni.get("footfall_yoy_pct"),
            **{f"s_{k}": v for k, v in scored.scores.items()}, "total": scored.total, "complete": scored.complete,
            "missing_data": ", ".join(scored.missing_data), "decision": entry.decision, "reason": entry.reason,
            "late": entry.late_for_call_id is not None, "submitted_on": entry.submitted_on,
            "cost": cost, "team_planned": app.id in planned, "status": app.status,
        })
        pool.append(selection.Candidate(app.id, scored.total, str(records[-1]["province"]),
                                        str(records[-1]["size_class"]), estimate))
    rules = selection.Rules(capacity=call.capacity, budget=call.budget_eur)
    suggested = {s.application_id: s for s in selection.suggest(pool, rules)}
    rows = pd.DataFrame(records)
    if not rows.empty:
        rows["suggestion"] = rows["application_id"].map(lambda i: suggested[i].decision)
        rows["suggestion_reason"] = rows["application_id"].map(lambda i: suggested[i].reason)
        rows = rows.sort_values(["total", "application_id"], ascending=[False, True], ignore_index=True)
    chosen_rows = rows[rows["decision"] == selection.SELECTED] if not rows.empty else rows
    spread = selection.spread(chosen_rows.to_dict("records"), call.capacity, call.budget_eur)
    chosen_ids = set(chosen_rows["application_id"]) if not rows.empty else set()
    lines = [budget.Line(m.application_id, m.expert_id, m.planned_days, m.day_rate) for m, _ in team
             if m.application_id in chosen_ids]
    experts = p.experts()
    return Review(call, criteria, rows, rules, spread, budget.totals(lines, call.budget_eur, call.budget_days),
                  budget.overbooked(lines, {e.id: e.days_per_month for e in experts}),
                  {e.id: e.name for e in experts}, year)
