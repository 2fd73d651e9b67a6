"""The build's map class breaks: mapclassify's Fisher-Jenks and quantiles, and the table of every map."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest

from data_pipelines.classes import breaks, fisher_jenks_bins, quantile_bins


@pytest.mark.parametrize("seed", range(12))
def test_fisher_jenks_gives_mapclassifys_breaks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 120))
    values = rng.gamma(2.0, 3.0, n)
    if seed % 3 == 0:
        values = np.round(values)  # ties, as counts and rounded percentages have
    k = min(5, len(np.unique(values)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.FisherJenks(values, k=k).bins
    assert fisher_jenks_bins(values, k).tolist() == expected.tolist()


def test_fisher_jenks_gives_mapclassifys_breaks_for_many_municipalities() -> None:
    values = np.round(np.random.default_rng(7).gamma(2.0, 3.0, 160), 1)  # as many as a large province has
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.FisherJenks(values, k=5).bins
    assert fisher_jenks_bins(values, 5).tolist() == expected.tolist()


@pytest.mark.parametrize("seed", range(12))
def test_quantiles_give_mapclassifys_breaks(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    values = rng.gamma(2.0, 3.0, int(rng.integers(2, 300)))
    if seed % 3 == 0:
        values = np.round(values / 4)  # many ties: duplicate bounds merge into fewer classes
    k = min(5, len(np.unique(values)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.Quantiles(values, k=k).bins
    assert quantile_bins(values, k).tolist() == expected.tolist()


def test_breaks_by_hand() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, float("nan")]
    assert breaks(values, "quantielen") == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])  # 20 % steps, interpolated
    assert breaks([1.0, 1.0, 2.0, 9.0, 10.0], "natuurlijk", k=2) == [2.0, 10.0]
    assert breaks([3.0, 3.0, float("nan")], "natuurlijk") == [3.0]  # one distinct value: one class
    assert breaks([float("nan")], "quantielen") == []
    with pytest.raises(ValueError, match="onbekende indeling"):
        breaks([1.0, 2.0], "gelijk")
