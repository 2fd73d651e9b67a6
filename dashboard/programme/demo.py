"""The synthetic demo programme, written into the intake store from the DNA database (deterministic).

Four calls 2021-2024 with their applications, selection, teams, coaching, evaluations and Vitrine cards.

Every row it writes is marked synthetic (calls, candidacies, experts, evaluations) and every text says so. It
refuses a store that holds real applications (any application outside a synthetic programme), and it is
idempotent: a store that already holds the synthetic programme is left as it is.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.intake.baseline import evaluate, snapshot
from dashboard.intake.models import EXPERTS
from dashboard.intake.store import Store
from dashboard.programme import budget, selection
from dashboard.programme.figures import profiles
from dashboard.programme.scoring import score
from dashboard.programme.store import Programme
from dashboard.programme.vitrine import card_figures, challenge_of

AUTHOR = "demo (synthetisch)"
SEED = 19
MARK = "[Synthetisch demoprogramma]"
#: (name, opens, deadline, coaching start, capacity): two rounds a year, as VLAIO runs them.
CALLS: tuple[tuple[str, date, date, date, int], ...] = (
    ("Oproep 2021 – coaching vanaf september", date(2021, 5, 3), date(2021, 8, 13), date(2021, 9, 6), 20),
    ("Oproep 2022 – coaching vanaf januari", date(2022, 8, 29), date(2022, 11, 12), date(2023, 1, 9), 20),
    ("Oproep 2023 – coaching vanaf september", date(2023, 5, 2), date(2023, 8, 13), date(2023, 9, 4), 20),
    ("Oproep 2024 – coaching vanaf januari", date(2024, 8, 26), date(2024, 11, 12), date(2025, 1, 6), 20),
)
PROGRAMME_BUDGET = 1_450_000.0
APPLICATIONS_PER_CALL = 30
#: Challenge -> (opening sentence of the challenge, the profiles a team draws on, concepts that fit).
THEMES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "leegstand": ("De leegstand in de winkelstraat loopt op en enkele panden staan al jaren leeg.",
                  ("Retailvastgoed", "Starters", "Onderhandeling en contracten"),
                  ("het leegstandsfonds", "de wisselwinkel", "kwartiermakers", "sociale headhunters")),
    "beleving": ("Het centrum mist sfeer en beleving; bezoekers blijven kort.",
                 ("Evenementen", "Retailmarketing", "Creatieve trajecten"),
                 ("beleefroutes", "retailsafari's", "sterke merken", "het levende-buurten-bezoek")),
    "bereikbaarheid": ("De bereikbaarheid met de fiets en het parkeren zijn een twistpunt met de handelaars.",
                       ("Mobiliteit", "Publieke ruimte", "Logistiek"),
                       ("beleefroutes", "de datadoos", "het levende-buurten-bezoek")),
    "ondernemers": ("Er zijn te weinig nieuwe ondernemers en starters die de winkelstraat kiezen.",
                    ("Starters", "Innovatieve winkelconcepten", "Centrummanagement"),
                    ("de wisselwinkel", "sociale headhunters", "kwartiermakers", "Togetherware")),
    "publieke ruimte": ("De heraanleg van het plein en de publieke ruimte moet de handel versterken.",
                        ("Publieke ruimte", "Ruimtelijke planning", "Procesbegeleiding"),
                        ("beleefroutes", "het levende-buurten-bezoek", "De Vitrine")),
    "samenwerking": ("De vereniging van de zaken en de gemeente vinden moeilijk een gedeelde aanpak.",
                     ("Procesbegeleiding", "Centrummanagement", "Communicatie"),
                     ("Togetherware", "de Profploeg", "sterke merken", "de datadoos")),
}
DEPARTMENTS = ("lokale economie", "ruimtelijke ordening", "mobiliteit", "communicatie", "cultuur en evenementen",
               "patrimonium", "stadsontwikkeling")
FIRST = ("An", "Bart", "Carine", "Dirk", "Els", "Filip", "Griet", "Hans", "Ilse", "Jan", "Katrien", "Luc", "Marijke",
         "Nico", "Obe", "Pieter", "Ruth", "Sofie", "Tom", "Veerle")
LAST = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
        "Dubois", "Hermans", "Aerts", "Lambrechts", "Pauwels", "Vermeulen", "Van den Broeck", "Michiels")
FIRMS = ("Kernkracht", "Straatwaarde", "Winkelwijs", "Centrumlab", "Pleinwerk", "Handelsgeest")


class DemoRefusedError(RuntimeError):
    """The store holds real applications: the demo programme is never mixed with them (Dutch message)."""


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote (or found): counts, and the selection figures of each call."""

    written: bool
    calls: int
    applications: int
    trajectories: int
    published: int
    per_call: list[dict[str, object]]


def _roster(p: Programme, rng: random.Random) -> None:
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "persoon") for _ in range(16)]
    firms = [(f"Bureau {name}", "bureau") for name in FIRMS]
    for i, (name, kind) in enumerate(people + firms):
        # Every profile at least twice over the roster; a firm covers more of them.
        own = [EXPERTS[i % len(EXPERTS)], EXPERTS[(i + 5) % len(EXPERTS)]]
        if kind == "bureau":
            own += [EXPERTS[(i + 9) % len(EXPERTS)], EXPERTS[(i + 13) % len(EXPERTS)]]
        slug = name.lower().replace(" ", ".")
        p.add_expert(f"{name} (synthetisch)", kind, list(dict.fromkeys(own)),
                     day_rate=float(rng.choice((650, 725, 800, 875, 950, 1050))),
                     days_per_month=float(rng.choice((3, 4, 5, 6, 8)) * (2 if kind == "bureau" else 1)),
                     email=f"{slug}@demo.profploeg.example", synthetic=True)


def _values(name: str, theme: str, rng: random.Random) -> dict[str, object]:
    opening, profiles_, _ = THEMES[theme]
    strong = rng.random()
    return {
        "contact_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "department": "Lokale economie",
        "email": f"economie@{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.demo.example",
        "phone": f"0{rng.randint(2, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "challenge": f"{MARK} {opening} {name} wil dit aanpakken met de Profploeg.",
        "expectations": f"{MARK} Een plan van aanpak met concrete acties en een team dat meedenkt.",
        "zone_description": f"{MARK} Het kernwinkelgebied van {name}.",
        "retail_policy": f"{MARK} " + ("Een recent detailhandelsplan met afbakening van het kernwinkelgebied."
                                      if strong > 0.4 else "Nog geen uitgeschreven detailhandelsbeleid."),
        "means_capacity": f"{MARK} " + ("Een centrummanager halftijds en een werkingsbudget."
                                       if strong > 0.3 else "Geen vaste middelen; de dienst doet het erbij."),
        "departments_involvement": f"{MARK} Betrokken: " + ", ".join(rng.sample(DEPARTMENTS, rng.randint(1, 4))) + ".",
        "experts": {"suggested": list(profiles_), "chosen": list(profiles_)},
    }


def _submit_day(call: tuple[str, date, date, date, int], previous: tuple | None, rng: random.Random, late: bool
                ) -> date:
    if late and previous is not None:
        return previous[2] + timedelta(days=rng.randint(1, 10))  # just past the previous call's deadline
    span = (call[2] - call[1]).days
    return call[1] + timedelta(days=rng.randint(span // 3, span))


def build_demo(store: Store, db: Database, *, seed: int = SEED, echo: Callable[[str], None] = lambda _m: None
               ) -> DemoSummary:
    """Write the synthetic programme into ``store`` from the DNA figures in ``db`` and return what it holds.

    Raises
    ------
    DemoRefusedError
        The store holds applications of a real programme.

    """
    p = Programme(store)
    real = p.real_applications()
    if real:
        raise DemoRefusedError(f"de intake-opslag bevat {real} echte aanvragen; het synthetische demoprogramma "
                               "wordt daar nooit tussen geschreven (gebruik een lege opslag)")
    if p.has_synthetic():
        return summarise(p, written=False)
    rng = random.Random(seed)
    _roster(p, rng)
    years = queries.years(db)
    areas = queries.areas(db).sort_values(["nis_code", "outlets_latest"], ascending=[True, False])
    main_area = areas.drop_duplicates("nis_code").set_index("nis_code")["area_id"].to_dict()
    municipalities = sorted(main_area)
    per_call = min(APPLICATIONS_PER_CALL, len(municipalities) // len(CALLS))  # a small build: fewer per call
    pool = rng.sample(municipalities, per_call * len(CALLS))
    per_call_budget = PROGRAMME_BUDGET / len(CALLS)
    for index, spec in enumerate(CALLS):
        name, opens, deadline, start, capacity = spec
        call = p.create_call(f"{name} (synthetisch)", opens, deadline, start, capacity, per_call_budget,
                             budget_days=per_call_budget / 800, synthetic=True)
        echo(f"{call.name}: aanvragen en selectie")
        year = call_year(years, deadline)
        figures = profiles(db, year).set_index("nis_code")
        chunk = pool[index * per_call:(index + 1) * per_call]
        candidates = []
        for i, nis in enumerate(chunk):
            muni = figures.loc[nis]
            theme = rng.choice(list(THEMES))
            values = _values(str(muni["name"]), theme, rng)
            values["zone_area_ids"] = [main_area[nis]]
            day = _submit_day(spec, CALLS[index - 1] if index else None, rng, late=index > 0 and i < 2)
            app = store.create_draft(nis, AUTHOR, values, on=day - timedelta(days=14))
            store.submit(app.id, AUTHOR, on=day)
            p.enter(app.id, day, synthetic=True)
            reviewer = {"beleid": float(rng.randint(2, 5)), "middelen": float(rng.randint(2, 5)),
                        "diensten": float(rng.randint(2, 5))}
            for key, value in reviewer.items():
                p.set_score(app.id, key, value, AUTHOR)
            total = score(p.criteria(call.id), muni.to_dict(), reviewer).total
            rates = [e.day_rate for e in p.experts()]
            candidates.append(selection.Candidate(app.id, total, str(muni["province"]), str(muni["size_label"]),
                                                  budget.estimate(len(THEMES[theme][1]), rates)))
        rules = selection.Rules(capacity=capacity, budget=per_call_budget)
        suggestions = selection.suggest(candidates, rules)
        p.decide([(s.application_id, s.decision, s.reason) for s in suggestions], AUTHOR)
        chosen = [s.application_id for s in suggestions if s.decision == selection.SELECTED]
        _trajectories(p, store, db, chosen, spec, index, rng, main_area, echo)
    return summarise(p, written=True)


def call_year(years: list[int], deadline: date) -> int:
    """Return the inventory year of a call: the latest up to its deadline's year (the earliest if none is)."""
    return max([y for y in years if y <= deadline.year] or years[:1])


def _team(p: Programme, app_id: int, theme: str, rng: random.Random, load: Counter[int]) -> list[str]:
    roster = p.experts()
    members = []
    for profile in THEMES[theme][1]:
        able = sorted((e for e in roster if profile in e.profiles), key=lambda e: (load[e.id], e.id))
        expert = able[0]
        days = float(rng.choice((3, 4, 5)))
        load[expert.id] += days
        members.append((expert.id, profile, days))
    p.compose_team(app_id, members, AUTHOR)
    names = {e.id: e.name for e in roster}
    return [names[m[0]] for m in members]


def _trajectories(p: Programme, store: Store, db: Database, chosen: list[int], spec: tuple, index: int,
                  rng: random.Random, main_area: dict[str, str], echo: Callable[[str], None]) -> None:
    _name, _opens, deadline, start, _capacity = spec
    # The baseline is the inventory of the call's year, the picture VLAIO selected on (a January coaching start
    # lies in the next year, whose inventory is taken during the coaching); the evaluation reads the latest one.
    frozen = call_year(queries.years(db), deadline)
    finished = index < 3  # the 2024 call is still coaching
    approve_share = (1.0, 1.0, 0.7, 0.0)[index]
    load: Counter[int] = Counter()
    for app_id in chosen:
        app = store.get(app_id)
        theme = challenge_of(app.challenge)
        theme = theme if theme in THEMES else "leegstand"
        names = _team(p, app_id, theme, rng, load)
        snap = snapshot(db, app.nis_code, [main_area[app.nis_code]], start, year=frozen)
        store.move_status(app_id, "intake", AUTHOR, on=start, baseline=snap)
        store.move_status(app_id, "coaching", AUTHOR, on=start + timedelta(days=14))
        sessions = rng.randint(3, 5)
        for k in range(sessions):
            p.add_session(app_id, start + timedelta(days=14 + 30 * k), rng.sample(names, min(2, len(names))),
                          rng.sample(DEPARTMENTS, rng.randint(2, 4)),
                          f"{MARK} Sessie {k + 1}: stand van zaken, knelpunten en de volgende stappen.", AUTHOR)
        concepts = rng.sample(THEMES[theme][2], 2)
        for k, concept in enumerate(concepts):
            status = "klaar" if finished and k == 0 else rng.choice(("open", "bezig", "klaar"))
            p.add_action(app_id, f"{MARK} Uitwerken: {concept}.", rng.choice(("schepen van economie",
                         "centrummanager", "dienst lokale economie")), start + timedelta(days=90 + 30 * k), AUTHOR,
                         status)
        if rng.random() < 0.15:
            p.add_report(app_id, start + timedelta(days=75), "grote wijziging",
                         f"{MARK} De centrummanager vertrekt; het team stelt de planning bij.", AUTHOR)
        if not finished:
            continue
        end = start + timedelta(days=14 + 30 * sessions)
        p.add_report(app_id, end, "einde", f"{MARK} Eindrapport: het traject is afgerond, de acties lopen verder.",
                     AUTHOR)
        store.move_status(app_id, "evaluatie", AUTHOR, on=end)
        result = evaluate(db, snap) if snap is not None else None
        name = str(queries.municipalities(db).set_index("nis_code").loc[app.nis_code, "name"])
        p.save_evaluation(app_id, {
            "next_steps": f"{MARK} {name} zet de acties voort met de eigen diensten en meet opnieuw over een jaar.",
            "challenge_tag": theme, "concepts": concepts,
            "title": f"{concepts[0][:1].upper()}{concepts[0][1:]} tegen {theme}",
            "summary": f"{MARK} {THEMES[theme][0]} Met {' en '.join(concepts)} zette {name} een eerste stap.",
            "worked": f"{MARK} De samenwerking tussen de diensten en de handelaars; snelle, zichtbare acties.",
            "worked_less": f"{MARK} De eigenaars van leegstaande panden bereiken bleef moeilijk.",
            "figures": card_figures(result) if result is not None else {},
        }, AUTHOR, synthetic=True)
        if rng.random() < approve_share:
            p.approve(app_id, f"{name} (synthetisch)")
    echo(f"  {len(chosen)} trajecten geschreven")


def summarise(p: Programme, *, written: bool) -> DemoSummary:
    """Return what the store's synthetic programme holds, with per call the selection's figures."""
    per_call, trajectories, applications = [], 0, 0
    for call in p.calls():
        rows = p.candidates(call.id)
        chosen = [a for a, c in rows if c.decision == selection.SELECTED]
        team = p.team([a.id for a in chosen])
        cost = sum(m.planned_days * m.day_rate for m, _ in team)
        per_call.append({"call": call.name, "applications": len(rows), "selected": len(chosen),
                         "provinces": len({a.nis_code[0] for a in chosen}), "budget_used": cost,
                         "budget": call.budget_eur})
        trajectories += len(chosen)
        applications += len(rows)
    return DemoSummary(written, len(per_call), applications, trajectories, len(p.published()), per_call)


def frame(summary: DemoSummary) -> pd.DataFrame:
    """Return the per-call figures as a table (for the command's output)."""
    return pd.DataFrame(summary.per_call)
