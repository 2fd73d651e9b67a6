"""Figure builders of the province and municipality pages.

The builders return plain figure dicts (no validation on the serving path); each test reads one through
``go.Figure``, which validates every key against plotly's schema, so an invalid dict fails here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import charts


def test_peer_trend_has_band_median_and_own_line_per_scope() -> None:
    own = pd.DataFrame({"year": [2019, 2020, 2020], "scope": ["detailhandel", "detailhandel", "alle"],
                        "value": [10.0, 11.0, 8.0]})
    band = pd.DataFrame({"year": [2020], "scope": ["alle"], "p25": [5.0], "median": [7.0], "p75": [9.0]})
    fig = go.Figure(charts.peer_trend(own, band, "Gent", "%"))
    names = [t.name for t in fig.data]
    assert "mediaan peers" in names and "peers P25-P75" in names
    assert "Gent (alle verkooppunten)" in names and "Gent (detailhandel)" in names
    own_lines = [t for t in fig.data if t.name and t.name.startswith("Gent")]
    assert sorted(len(t.x) for t in own_lines) == [1, 2]  # scopes are never joined


def test_ranked_bars_highlight_and_order() -> None:
    df = pd.DataFrame({"area_code": ["A", "B", "C"], "name": ["Aalst", "Gent", "Zele"], "v": [3.0, 1.0, None]})
    fig = go.Figure(charts.ranked_bars(df, "v", "B", "%"))
    bar = fig.data[0]
    assert list(bar.y) == ["Gent", "Aalst"]  # missing values left out, smallest first (bottom)
    assert list(bar.marker.color) == ["#e07b39", "#1f5f8b"]


def test_branch_mix_compares_with_peer_median() -> None:
    own = pd.DataFrame({"branch_group": ["Dagelijks"], "label": ["Dagelijkse artikelen"], "share_outlets_pct": [20.0]})
    peers = pd.DataFrame({"branch_group": ["Dagelijks", "Leisure"], "median": [15.0, 22.0]})
    fig = go.Figure(charts.branch_mix_bars(own, peers, "Gent"))
    assert [t.name for t in fig.data] == ["Gent", "mediaan peers"]
    assert list(fig.data[1].x) == [22.0, 15.0]


def test_empty_figure_says_why() -> None:
    fig = go.Figure(charts.empty_figure("Geen gegevens in 2015."))
    assert fig.layout.annotations[0].text == "Geen gegevens in 2015."


def test_profiles_label_hours_and_weekdays() -> None:
    hours = go.Figure(charts.profile_bars(pd.DataFrame({"bucket": [10, 9], "avg_passers": [5.0, 4.0]}), "uur"))
    days = go.Figure(charts.profile_bars(pd.DataFrame({"bucket": [1, 7], "avg_passers": [5.0, 4.0]}), "weekdag"))
    assert list(hours.data[0].x) == ["9u", "10u"] and list(days.data[0].x) == ["ma", "zo"]
