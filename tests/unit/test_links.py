"""Permanent links of documents: on SMART_RETAIL_BASE_URL, built one way for every PDF."""

from __future__ import annotations

import pytest

from dashboard.links import base_url, permanent_link
from data_pipelines.settings import SettingError


def test_a_link_is_the_base_the_path_and_the_query_in_order() -> None:
    link = permanent_link("/gemeente/44021/fiche", {"gebied": "WG 1", "jaar": 2025, "leeg": None},
                          "https://sr.example.be/dashboard/")
    assert link == "https://sr.example.be/dashboard/gemeente/44021/fiche?gebied=WG+1&jaar=2025"
    assert permanent_link("/intake", base="https://sr.example.be") == "https://sr.example.be/intake"


def test_the_base_comes_from_the_setting_read_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert base_url({}) == "http://127.0.0.1:8050"
    monkeypatch.setenv("SMART_RETAIL_BASE_URL", "https://smartretail.vlaanderen.example/")
    assert permanent_link("/gemeente/44021/intake", {"aanvraag": 7}) == \
        "https://smartretail.vlaanderen.example/gemeente/44021/intake?aanvraag=7"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "smartretail.example.be", "https://sr.example.be/?x=1",
                                   "https://sr.example.be/#top", "ftp://sr.example.be"])
def test_a_base_that_is_no_address_of_the_dashboard_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingError, match="SMART_RETAIL_BASE_URL"):
        base_url({"SMART_RETAIL_BASE_URL": value})


@pytest.mark.parametrize("path", ["https://evil.example/x", "//evil.example/x", "gemeente/44021"])
def test_only_a_path_of_the_dashboard_makes_a_link(path: str) -> None:
    with pytest.raises(ValueError, match="pad van het dashboard"):
        permanent_link(path, base="https://sr.example.be")
