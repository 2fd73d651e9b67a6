"""The municipality page's content: KPI views ranked among peers and province, trend, mix, duration (no Dash)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.figures import charts
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view
from dashboard.peers import SIZE_CLASSES, peer_codes, rank_note, rank_of, size_class


@dataclass(frozen=True)
class MunicipalityView:
    """What the municipality page shows for one year, peer group and trend indicator."""

    cards: list[dict]  # kpi_view texts; "sparkline": a figure where there is a history
    trend: dict  # a plotly figure dict
    mix: dict  # a plotly figure dict
    duration: dict  # a plotly figure dict
    peer_note: str
    search: str  # the address bar's query for these choices


def _peers(munis: pd.DataFrame, nis: str, mode: str, picked: list[str]) -> tuple[list[str], str]:
    """Return the peers of ``nis`` and the line that says who they are."""
    codes = peer_codes(munis, nis, mode, picked)
    if mode == "grootte":
        cls = size_class(munis.loc[munis["nis_code"] == nis, "population"].iloc[0])
        what = f"gemeenten met {SIZE_CLASSES[cls][2]}" if cls is not None else "gemeenten van gelijke grootte"
    elif mode == "provincie":
        what = "gemeenten van dezelfde provincie"
    else:
        what = "gekozen gemeenten"
    return codes, f"Peergroep: {len(codes)} {what}."


def municipality_view(db: Database, nis: str, year: int, mode: str, picked: list[str] | None,
                      indicator: str) -> MunicipalityView:
    """Return the cards, trend against the peers, branch mix, vacancy duration and peer note of ``nis``."""
    munis = queries.municipalities(db)
    picked = picked or []
    if mode == "eigen" and not picked:
        mode_note = "Kies gemeenten in 'Eigen selectie'; tot dan vergelijken we met gelijkaardige grootte."
        codes, note = _peers(munis, nis, "grootte", [])
        note = f"{mode_note} {note}"
    else:
        codes, note = _peers(munis, nis, mode, picked)
    name = munis.loc[munis["nis_code"] == nis, "name"].iloc[0]
    province = munis.loc[munis["nis_code"] == nis, "province_code"].iloc[0]
    province_codes = list(munis.loc[munis["province_code"] == province, "nis_code"])

    rows = queries.area_rows(db, "gemeente", sorted({nis, *codes, *province_codes}), year).set_index("area_code")
    previous = queries.area_rows(db, "gemeente", [nis], year - 1).set_index("area_code")
    current = rows.loc[nis].to_dict() if nis in rows.index else None
    before = previous.loc[nis].to_dict() if nis in previous.index else None
    history = queries.area_year(db, "gemeente", nis, list(range(year - 10, year + 1)))
    in_peer_group, in_province = rows[rows.index.isin([nis, *codes])], rows[rows.index.isin(province_codes)]
    cards = []
    for spec in MUNICIPALITY_KPIS:
        view = kpi_view(spec, current, before)
        if history[spec.column].notna().sum() > 1:
            view["sparkline"] = charts.sparkline(history, spec.column)
        notes = [view["note"]] if view["note"] else []
        if current is not None and spec.column in rows.columns:
            in_peers = rank_of(in_peer_group[spec.column], nis)
            in_prov = rank_of(in_province[spec.column], nis)
            ranks = rank_note(in_peers, in_prov, spec.higher_is_better)
            if ranks:
                notes.append(ranks)
        view["note"] = " · ".join(notes) or None
        cards.append(view)

    catalogue = queries.indicator_catalogue(db)
    info = catalogue[catalogue["indicator"] == indicator].iloc[0]
    own = queries.indicator_values(db, "gemeente", [nis], indicator)
    band = queries.peer_band(db, "gemeente", codes, indicator)  # the quartiles computed in SQL
    trend = (charts.peer_trend(own, band, name, info["unit"], int(info["decimals"]))
             if not own.empty else charts.empty_figure(f"Geen gegevens over '{info['label']}' voor {name}."))

    own_mix = queries.branch_mix(db, "gemeente", [nis], year)
    peer_mix = queries.peer_branch_median(db, "gemeente", codes, year)
    mix_fig = (charts.branch_mix_bars(own_mix, peer_mix, name) if not own_mix.empty
               else charts.empty_figure(f"Geen verkooppunten in {year}."))

    duration = (charts.duration_bars(history) if history["outlets_vacant"].sum() > 0
                else charts.empty_figure("Geen leegstand in deze jaren."))
    search = "?" + urlencode({"jaar": year, "peers": ",".join(picked) if mode == "eigen" and picked else mode})
    return MunicipalityView(cards, trend, mix_fig, duration, note, search)
