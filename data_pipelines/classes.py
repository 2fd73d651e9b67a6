"""Class breaks of the indicator maps, computed in the build and stored in ``mart_map_classes``.

The maps of ``/`` (all municipalities) and ``/provincie/<code>`` (one province's municipalities among
themselves) put an indicator of one year in five classes: quantiles or natural breaks (Fisher-Jenks). The
breaks depend only on the build, so the build computes them for every indicator × year × scope × scheme,
and the dashboard reads them: the app needs neither mapclassify nor the scipy and scikit-learn it pulls
in (about 180 MiB and 1.7 s per worker).

Quantiles are mapclassify's (scipy's ``scoreatpercentile``, redone in numpy). Fisher-Jenks is
mapclassify's algorithm (``_fisher_jenks_means``, float32 as there) run one class at a time over all
candidate splits by numpy: mapclassify runs it in plain Python without numba, 0.2 s for 285 values, which
times the ~1,600 maps of a build would add a minute to it. Neither mapclassify nor scipy is imported by the
build (their import alone took 3.6 s of it); ``tests/unit/test_map_classes.py`` checks the breaks are
mapclassify's.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

#: The classification schemes the maps offer (see ``dashboard.figures.maps.SCHEMES``).
SCHEMES = ("quantielen", "natuurlijk")
#: Classes a map asks for (fewer when there are fewer distinct values).
K = 5
#: The scope of the map of all Flanders; a province's map has the province code as its scope.
FLANDERS = "vlaanderen"


def fisher_jenks_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Return the upper bounds of ``k`` Fisher-Jenks classes of ``values`` (mapclassify's, exactly).

    ``values`` must hold at least ``k`` distinct values and no NaN.
    """
    x = np.sort(np.asarray(values, dtype="f8"))
    n = len(x)
    # Row ``last`` of the window matrix holds x[last-1], x[last-2], …, x[0]: the candidate first members of
    # the last class in mapclassify's order. Row-wise float32 running sums are mapclassify's s1, s2 and w.
    x32 = x.astype(np.float32)
    # Row ``last`` of the window matrix holds x[last-1], x[last-2], …, x[0], then zeros: the candidate first
    # members of the last class in mapclassify's order, as a sliding view over x reversed (no copy).
    # Row-wise float32 running sums are mapclassify's s1, s2 and w.
    windows = sliding_window_view(np.concatenate([x32[::-1], np.zeros(n, np.float32)]), n)[::-1]
    s1 = np.cumsum(windows, axis=1, dtype=np.float32)
    s2 = np.cumsum(windows * windows, axis=1, dtype=np.float32)
    w = np.arange(1, n + 1, dtype=np.float32)
    var = s2 - (s1 * s1) / w
    # mapclassify fills its matrices row by row (one per ``last``); class j of a row needs only class j-1 of
    # earlier rows, so the same recurrence runs here one class at a time over all rows at once.
    mat1 = np.zeros((n + 1, k + 1), dtype=np.int32)
    mat2 = np.zeros((n + 1, k + 1), dtype=np.float32)
    mat1[1, 1:] = 1
    mat2[2:, 1:] = np.inf
    last = np.arange(2, n + 1)
    mat1[2:, 1] = 1
    mat2[2:, 1] = var[last, last - 1]
    # Candidate m (0 <= m <= last-2) closes the last class after the best j-1 classes of the first last-m-1
    # values; mapclassify keeps the last candidate that is <= the best so far: the last minimum over m.
    closing = var[2:, :n - 1]  # var[last, m]: the last class from candidate m on
    rows = np.arange(n - 1)
    pad = np.full(n - 2, np.inf, dtype=np.float32)
    for j in range(2, k + 1):
        # best[r, m] = mat2[r + 1 - m, j - 1] for m <= r (r = last - 2), inf beyond: a Toeplitz view
        best = sliding_window_view(np.concatenate([pad, mat2[1:n, j - 1]]), n - 1)[:, ::-1]
        cand = closing + best
        pick = (n - 2) - np.argmin(cand[:, ::-1], axis=1)  # the unusable candidates are inf: never picked
        mat1[2:, j] = last - pick
        mat2[2:, j] = cand[rows, pick]
    bins = np.zeros(k + 1, dtype=x.dtype)
    bins[k], bins[0] = x[-1], x[0]
    row = n
    for count in range(k, 1, -1):
        pivot = int(mat1[row, count])
        bins[count - 1] = x[pivot - 2]
        row = pivot - 1
    return np.delete(bins, 0)


def quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Return mapclassify's ``Quantiles`` bins: scipy's ``scoreatpercentile`` at k equal steps, ties merged."""
    x = np.sort(np.asarray(values, dtype="f8"))
    step = 100.0 / k
    pcts = np.arange(step, 100 + step, step)
    pcts[-1] = min(pcts[-1], 100.0)
    out = []
    for pct in pcts:
        idx = pct / 100.0 * (len(x) - 1)
        i = int(idx)
        if i == idx:
            out.append(x[i])
        else:
            # scipy's weighted sum, operation for operation, so the bounds match to the last bit
            weights = np.array([(i + 1 - idx), (idx - i)], float)
            out.append(np.add.reduce(x[i:i + 2] * weights) / weights.sum())
    return np.unique(np.array(out))


def breaks(values: pd.Series | np.ndarray, scheme: str, k: int = K) -> list[float]:
    """Return the upper bounds of the classes of ``values`` (NaN = no data, left out); [] without values.

    ``k`` shrinks to the number of distinct values; with one distinct value there is one class.
    """
    y = np.asarray(values, dtype=float)
    y = y[~np.isnan(y)]
    distinct = np.unique(y)
    if len(distinct) == 0:
        return []
    k = max(1, min(k, len(distinct)))
    if k == 1:
        return [float(distinct[-1])]
    if scheme == "natuurlijk":
        return [float(b) for b in fisher_jenks_bins(y, k)]
    if scheme != "quantielen":
        raise ValueError(f"onbekende indeling: {scheme!r}")
    # Quantiles with ties: duplicate bounds merge, and fewer classes is right.
    return [float(b) for b in quantile_bins(y, k)]


def map_classes(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Return the breaks of every map the dashboard offers, one row per class.

    Columns: ``scope``, ``column``, ``year``, ``scheme``, ``class`` (0 = lowest) and ``upper`` (the class's
    upper bound). The values are those the map shows: each municipality's indicator in ``mart_area_year`` (level
    ``gemeente``); a municipality without a value is left out. With ``year``, the maps of that year only (a
    year's breaks depend on that year's values alone).
    """
    columns = [c for (c,) in con.execute('select distinct "column" from dim_indicator order by 1').fetchall()]
    select = ", ".join(f'a."{c}"' for c in columns)
    wide = con.execute(
        f"""
        select m.province_code, a.year, {select}
        from ref_municipalities as m
        inner join mart_area_year as a on a.level = 'gemeente' and a.area_code = m.nis_code
        {"" if year is None else f"where a.year = {int(year)}"}
        """
    ).df()
    rows = []
    for map_year, of_year in wide.groupby("year", sort=True):
        scopes = [(FLANDERS, of_year), *of_year.groupby("province_code", sort=True)]
        for scope, part in scopes:
            values = part[columns].to_numpy(dtype=float)  # one array per scope, not a column lookup per map
            for j, column in enumerate(columns):
                for scheme in SCHEMES:
                    for i, upper in enumerate(breaks(values[:, j], scheme)):
                        rows.append((str(scope), column, int(map_year), scheme, i, upper))
    return pd.DataFrame(rows, columns=["scope", "column", "year", "scheme", "class", "upper"])


def write_map_classes(con: duckdb.DuckDBPyConnection, year: int | None = None) -> int:
    """Create ``mart_map_classes`` from the build's marts (with ``year``: add that year's rows); return the count."""
    table = map_classes(con, year)
    con.register("map_classes_df", table)
    write = ("create or replace table mart_map_classes as" if year is None
             else "insert into mart_map_classes")
    con.execute(f"{write} select * from map_classes_df order by scope, \"column\", year, scheme, class")
    con.unregister("map_classes_df")
    return len(table)
