"""One inventory's outlets as the core map reads them, with every awkward value the dense encoding must keep."""

from __future__ import annotations

import pandas as pd

GROUPS = ["Dagelijks", "Mode & Luxe"]

_COLUMNS = ["outlet_id", "name", "street", "house_number", "branch_code", "branch_name", "branch_group", "is_vacant",
            "is_chain", "wvo_m2", "vacancy_start", "vacancy_class", "lon", "lat"]


def awkward_outlets(id_prefix: str = "") -> pd.DataFrame:
    """Return nine outlets: ids out of order, names and house numbers missing or odd, vacant units with and
    without a date, an unknown WVO, spaces around a street and a position on a half step of 1e-5 degree.

    With ``id_prefix`` the ids are text rather than numbers.
    """
    day = pd.Timestamp
    rows = [
        ("100330", "Veldal Slagerij", "Nieuwstraat", "10A", "DAG04", "Slager", "Dagelijks", False, True, 54.4, None,
         None, 4.395769, 51.231153),
        ("100331", None, "Nieuwstraat", "28", "DAG07", None, "Dagelijks", False, False, float("nan"), None, None,
         4.396529, 51.23048),
        ("100329", None, "Molenstraat", "010", "LEE01", "Leegstand", "Leegstand", True, None, 80.0, day("2019-01-01"),
         "structureel", 4.393480, 51.227387),
        ("100400", None, None, "7", "LEE01", "Leegstand", "Leegstand", True, None, float("nan"), None, "frictioneel",
         4.000005, 51.000015),
        ("100401", "Kerkstraat", " Markt ", "", "MOD01", "Kleding", "Mode & Luxe", False, True, 1300.0, None, None,
         4.391589, 51.224587),
        ("100402", "Bistro Van Damme", "Kerkstraat", None, "MOD02", "Schoenen", "Mode & Luxe", False, None, 90.0, None,
         None, 4.389561, 51.216183),
        ("100403", "Supermarkt", "Kerkstraat", "123456", "DAG01", "Supermarkt", "Dagelijks", False, False, 0.4, None,
         None, 4.401263, 51.213902),
        ("9", "Frituur", "Markt", "44/1", "DAG02", "Frituur", "Dagelijks", False, True, 51.0, None, None, 4.411802,
         51.219058),
        ("100404", None, "Markt", "2 bus 3", "LEE01", "Leegstand", "Leegstand", True, None, 33.0, day("2025-06-17"),
         "langdurig", 4.407051, 51.22653),
    ]
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["outlet_id"] = id_prefix + frame["outlet_id"]
    frame["is_chain"] = frame["is_chain"].astype("boolean")
    frame["vacancy_start"] = pd.to_datetime(frame["vacancy_start"])
    return frame
