"""``python -m dashboard fiches``: the DNA fiche PDF of every main shopping area (hoofdwinkelgebied), per province.

One process renders them all, so typst and its fonts load once; each fiche prints a progress line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.data import load_fiche
from dashboard.fiche.pdf import fiche_link, pdf_filename, render_pdf


class FicheBatchError(Exception):
    """Why the batch cannot start (no database, unknown province, no main area): one line for the user."""


def write_fiches(db_path: Path, out: Path, province: str | None = None, year: int | None = None,
                 base_url: str | None = None, echo: Callable[[str], None] = print) -> int:
    """Write ``fiche-<nis>-<area>-<year>.pdf`` for each hoofdwinkelgebied (of ``province``) into ``out``.

    Returns
    -------
    int
        The number of fiches written.

    Raises
    ------
    FicheBatchError
        The database is missing, the province code is unknown, or there is no main shopping area.

    """
    if not Path(db_path).is_file():
        raise FicheBatchError(f"database {db_path} niet gevonden (bouw ze eerst met "
                              f"'python -m data_pipelines build')")
    db = Database(db_path)
    areas = queries.areas(db)
    if province is not None:
        codes = set(queries.provinces(db)["province_code"])
        if province not in codes:
            raise FicheBatchError(f"onbekende provinciecode '{province}' (kies uit {', '.join(sorted(codes))})")
        areas = areas[areas["province_code"] == province]
    main = areas[areas["area_type"] == "hoofdwinkelgebied"]
    if main.empty:
        where = f" voor provincie {province}" if province else ""
        raise FicheBatchError(f"geen hoofdwinkelgebieden in de database{where}")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i, row in enumerate(main.itertuples(index=False), start=1):
        t0 = time.perf_counter()
        fiche = load_fiche(db, row.nis_code, row.area_id, year)
        target = out / pdf_filename(fiche)
        # Written aside and renamed: an interrupted batch leaves no half-written PDF behind.
        part = target.with_suffix(".pdf.part")
        part.write_bytes(render_pdf(fiche, fiche_link(base_url, fiche)))
        part.replace(target)
        echo(f"[{i:>3}/{len(main)}] {row.municipality} – {row.name}: {target.name} "
             f"({time.perf_counter() - t0:.1f} s)")
    echo(f"klaar in {time.perf_counter() - started:.1f} s")
    return len(main)
