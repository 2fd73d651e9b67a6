"""The documents that a user of the data relies on stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from data_pipelines.specs import SPECS

ROOT = Path(__file__).resolve().parents[2]


def test_format_md_documents_every_file_and_column() -> None:
    text = (ROOT / "data" / "FORMAT.md").read_text(encoding="utf-8")
    for spec in SPECS:
        assert f"`{spec.file_name}`" in text, spec.file_name
        for col in spec.columns:
            assert f"`{col.name}`" in text, f"{spec.file_name}: {col.name}"


def test_schema_md_documents_every_table_and_column(fixture_db: Path) -> None:
    text = (ROOT / "data" / "SCHEMA.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `(\w+)`\n(.*?)(?=^### |\Z)", text, flags=re.S | re.M))
    con = duckdb.connect(str(fixture_db), read_only=True)
    try:
        tables = con.execute("select table_name from information_schema.tables where table_schema = 'main' "
                             "order by 1").fetchall()
        for (table,) in tables:
            assert table in sections, f"table {table} not in SCHEMA.md"
            columns = con.execute("select column_name from information_schema.columns where table_name = ?",
                                  [table]).fetchall()
            for (column,) in columns:
                assert f"`{column}`" in sections[table], f"{table}.{column} not in SCHEMA.md"
    finally:
        con.close()
