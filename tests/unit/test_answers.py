"""Callback answers encoded in one orjson pass: the very text plotly's encoder writes, components included."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path

import dash
import numpy as np
import pandas as pd
import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import answers


def test_components_figures_numpy_and_pandas_are_written_as_plotly_writes_them() -> None:
    figure = {"data": [{"type": "scattermap", "lon": np.array([4.40235, np.nan]), "lat": [51.2, None],
                        "customdata": np.array([["Zeeman", 85.0], ["<b>leeg</b>", None]], dtype=object),
                        "marker": {"size": np.int64(6)}}], "layout": {"separators": ",.", "height": 360}}
    value = {"multi": True, "response": {"_pages_content": {"children": html.Div([
        html.H1("DNA-fiche Centrum Antwerpen ‘t Stad\u2028</script>"),
        dcc.Graph(id="fiche-map", figure=figure),
        html.Table([html.Tr([html.Td(x) for x in ("1.234", "12,3 %", "–")])], **{"data-column": "outlets"}),
        dcc.Dropdown(options=[{"label": html.Span("a"), "value": 1}]),
    ])}}, "extra": {"when": pd.Timestamp("2025-03-01 12:00"), "day": dt.date(2025, 3, 1), "series": pd.Series([1.5, 2]),
                    "ints": np.arange(3), "missing": pd.NA, "decimal": decimal.Decimal("2.5"), 3: "key"}}
    assert answers.to_json(value) == to_json_plotly(value)


def test_what_neither_encoder_takes_is_refused_with_a_type_error() -> None:
    with pytest.raises(TypeError):
        answers.to_json({"children": object()})


def test_dash_answers_go_through_the_one_pass_encoder_and_pages_read_the_same(fixture_db: Path, tmp_path: Path) -> None:
    from dashboard.app import create_app
    from dashboard.config import load_settings

    app = create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path}/intake.sqlite3"}))
    assert dash._callback.to_json is answers.to_json and dash.dash.to_json is answers.to_json
    layout = json.loads(app.server.test_client().get("/_dash-layout").data)
    assert layout["type"] == "Div" and layout["props"]["className"] == "app-root"
    with app.server.test_request_context("/"):
        from dashboard.features.fiche.layout import layout as fiche_page
        from dashboard.features.municipality.layout import layout as municipality_page

        for page in (fiche_page(nis="44021"), municipality_page(nis="44021")):
            assert answers.to_json(page) == to_json_plotly(page)
