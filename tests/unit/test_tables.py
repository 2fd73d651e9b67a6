"""Tables give right answers: numbers filter as numbers, dates shown as text sort as dates."""

from __future__ import annotations

import pandas as pd

from dashboard.components.tables import PAGE_ABOVE, PAGE_ROWS, about_export, data_table, sort_frame, table_columns


def test_numeric_columns_filter_case_sensitively_so_that_numbers_compare_as_numbers() -> None:
    # A case-insensitive DataTable filter lower-cases both sides and compares text ("8,6" > "20").
    cols = {c["id"]: c for c in table_columns({"name": ("Gemeente", None), "vacancy": ("Leegstand (%)", 1)})}
    assert cols["vacancy"]["filter_options"] == {"case": "sensitive"}
    assert "filter_options" not in cols["name"]  # names keep the table's case-insensitive filter


def test_dates_shown_as_text_sort_by_date_not_by_day_of_the_month() -> None:
    frame = pd.DataFrame({"since": ["01-07-2025", "", "03-01-2019", "02-04-2025", "31-12-2018"],
                          "name": ["a", "b", "c", "d", "e"]})
    assert list(sort_frame(frame, "since")["since"]) == ["31-12-2018", "03-01-2019", "02-04-2025", "01-07-2025", ""]
    assert list(sort_frame(frame, "since", descending=True)["since"]) == [
        "01-07-2025", "02-04-2025", "03-01-2019", "31-12-2018", ""]


def test_numbers_sort_by_value_and_text_by_letter_whatever_the_case() -> None:
    frame = pd.DataFrame({"wvo": [8.6, 20.1, None, 7.4], "name": ["beek", "Aalst", "", "Zele"]})
    assert list(sort_frame(frame, "wvo")["wvo"].fillna(-1)) == [7.4, 8.6, 20.1, -1]
    assert list(sort_frame(frame, "name")["name"]) == ["Aalst", "beek", "Zele", ""]
    assert sort_frame(frame, "missing") is frame


def test_numbers_held_as_objects_still_sort_as_numbers() -> None:
    frame = pd.DataFrame({"wvo": pd.Series([80, None, 120, 9], dtype=object)})
    assert list(sort_frame(frame, "wvo")["wvo"]) == [9, 80, 120, None]


def _datatable(div):
    return next(c for c in div.children if type(c).__name__ == "DataTable")


def test_a_long_table_is_paged_and_a_short_one_is_not() -> None:
    columns = {"name": ("Gemeente", None)}
    long = _datatable(data_table("t", pd.DataFrame({"name": [f"g{i}" for i in range(285)]}), columns, "x"))
    assert (long.page_action, long.page_size) == ("native", PAGE_ROWS)
    short = _datatable(data_table("t", pd.DataFrame({"name": ["g"] * PAGE_ABOVE}), columns, "x"))
    assert short.page_action == "none"


def test_an_export_names_its_source_year_and_build_in_dutch_dates() -> None:
    info = {"source_label": "Locatus 2025", "build_id": "abc123", "built_at": "2026-12-03T12:27:25+00:00"}
    assert about_export(info, 2025) == [("Bron", "Locatus 2025"), ("Inventarisjaar", "2025"),
                                        ("Build", "abc123, gebouwd op 03-12-2026"), ("Uit", "Smart Retail-dashboard")]
    assert about_export({}, None)[1] == ("Inventarisjaar", "alle jaren")
