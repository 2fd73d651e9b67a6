"""Typing of export values: decimal commas, thousands dots, dates, J/N (the SQL the validator runs)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from data_pipelines.specs import OUTLETS, Column, header_map, normalize_header
from data_pipelines.validate import decimal_sql, parse_sql


def parse(column: Column, raw: str | None, mark: str = ",") -> object:
    con = duckdb.connect()
    try:
        return con.execute(f'select {parse_sql(column, mark)} from (select ?::varchar as "{column.name}")',
                           [raw]).fetchone()[0]
    finally:
        con.close()


WVO = OUTLETS.column("wvo_m2")


@pytest.mark.parametrize(
    ("raw", "mark", "expected"),
    [
        ("12,5", ",", 12.5),
        ("1.234,5", ",", 1234.5),
        ("1.234", ",", 1234.0),  # a dot grouping thousands in a Belgian file
        ("12.5", ",", 12.5),  # a lone decimal point is taken as one
        ("1 234,5", ",", 1234.5),
        ("1234.5", ".", 1234.5),
        ("1,234.5", ".", 1234.5),
        ("-3,0", ",", -3.0),
        ("abc", ",", None),
        ("", ",", None),
    ],
)
def test_decimal_parsing(raw: str, mark: str, expected: float | None) -> None:
    assert parse(WVO, raw, mark) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31-12-2024", dt.date(2024, 12, 31)),
        ("2024-12-31", dt.date(2024, 12, 31)),
        ("31/12/2024", dt.date(2024, 12, 31)),
        ("45657", dt.date(2024, 12, 31)),  # an Excel serial date
        ("31-02-2024", None),
        ("2024-02-30", None),
        ("1-2-2024", dt.date(2024, 2, 1)),
        ("gisteren", None),
    ],
)
def test_date_parsing(raw: str, expected: dt.date | None) -> None:
    # the two usual forms take a short cut, the others the list of formats: the same dates either way
    assert parse(OUTLETS.column("leeg_sinds"), raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("J", True), ("ja", True), ("N", False), ("nee", False),
                                               ("1", True), ("misschien", None)])
def test_yes_no_parsing(raw: str, expected: bool | None) -> None:
    assert parse(OUTLETS.column("leegstand"), raw) is expected


def test_nis_codes_are_zero_padded() -> None:
    assert parse(OUTLETS.column("nis_code"), "4021") == "04021"


@pytest.mark.parametrize(("header", "canonical"), [("WVO (m²)", "wvo_m2"), (" Verkooppunt ID ", "vkp_id"),
                                                   ("NIS", "nis_code"), ("Leegstaand sinds", "leeg_sinds"),
                                                   ("X_Lambert72", "x")])
def test_header_aliases(header: str, canonical: str) -> None:
    assert header_map(OUTLETS)[normalize_header(header)] == canonical


def test_decimal_sql_is_valid_for_both_marks() -> None:
    con = duckdb.connect()
    for mark in (",", "."):
        assert con.execute(f"select {decimal_sql(repr('7'), mark)}").fetchone()[0] == 7.0


YEAR = OUTLETS.column("jaar")


@pytest.mark.parametrize(
    ("raw", "mark", "expected"),
    [
        ("2024", ",", 2024),
        ("-5", ",", -5),
        ("007", ",", 7),
        ("2.024", ",", 2024),  # thousands dot: the general rule
        ("2024,0", ",", 2024),
        ("2024,5", ",", None),
        ("+5", ",", 5),
        ("99999999999999999999", ",", None),  # beyond BIGINT: no integer (a reject), not a failed build
    ],
)
def test_integer_parsing(raw: str, mark: str, expected: int | None) -> None:
    assert parse(YEAR, raw, mark) == expected


@pytest.mark.parametrize("raw", ["12", "-0,25", "0,5", "151587,3", "1,234", "1.234", "12.5", " 3 ", "1e5", "+5", "x"])
@pytest.mark.parametrize("mark", [",", "."])
def test_the_short_cut_for_plain_numbers_gives_the_general_rule(raw: str, mark: str) -> None:
    con = duckdb.connect()
    general = con.execute(f'select {decimal_sql("v", mark)} from (select ?::varchar as v)', [raw]).fetchone()[0]
    con.close()
    assert parse(WVO, raw, mark) == general
