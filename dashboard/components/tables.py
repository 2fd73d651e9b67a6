"""Tables with Dutch number formats and CSV/XLSX downloads of exactly what the table shows."""

from __future__ import annotations

import datetime as dt
import io
import re

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dash_table, dcc, html
from dash.dash_table.Format import Format, Group, Scheme

from dashboard.formatting import fmt_date

#: column key -> (Dutch header, decimals or None for text)
Columns = dict[str, tuple[str, int | None]]


#: A text cell holding a date as the tables show it (``03-01-2019``).
_DATE_TEXT = re.compile(r"^\d{2}-\d{2}-\d{4}$")


def _column(key: str, header: str, decimals: int | None) -> dict:
    if decimals is None:
        return {"id": key, "name": header, "type": "text"}
    fmt = Format(precision=decimals, scheme=Scheme.fixed, group=Group.yes, groups=3, group_delimiter=".",
                 decimal_delimiter=",")
    # A case-insensitive filter lower-cases both sides and so compares text: ">20" would keep 8,6. Numbers
    # are filtered case-sensitively, which compares them as numbers.
    return {"id": key, "name": header, "type": "numeric", "format": fmt, "filter_options": {"case": "sensitive"}}


def table_columns(columns: Columns) -> list[dict]:
    """Return DataTable column definitions with Dutch number formats."""
    return [_column(k, h, d) for k, (h, d) in columns.items()]


def _sort_key(values: pd.Series) -> pd.Series:
    """Dates shown as text sort as dates (01-07-2025 after 03-01-2019); empty text sorts with the missing."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    if values.map(lambda v: v is None or isinstance(v, (int, float))).all():  # numbers held as objects
        return pd.to_numeric(values, errors="coerce")
    text = values.fillna("").astype(str)
    filled = text[text != ""]
    if len(filled) and filled.str.match(_DATE_TEXT).all():
        return pd.to_datetime(text.where(text != ""), format="%d-%m-%Y", errors="coerce")
    return text.where(text != "").str.lower()


def sort_frame(frame: pd.DataFrame, column: str, descending: bool = False) -> pd.DataFrame:
    """Return ``frame`` sorted on ``column`` as a reader expects: numbers and dates by value, text by letter.

    Empty cells go last in both directions; equal keys keep their order.
    """
    if column not in frame.columns:
        return frame
    return frame.sort_values(column, ascending=not descending, na_position="last", kind="stable", key=_sort_key)


def about_export(info: dict[str, str], year: int | None) -> list[tuple[str, str]]:
    """Return the lines that say where an export comes from: source, inventory year, build (id and date)."""
    built = info.get("built_at")
    when = fmt_date(dt.datetime.fromisoformat(built)) if built else "onbekend"
    return [("Bron", info.get("source_label", "onbekend")),
            ("Inventarisjaar", str(year) if year is not None else "alle jaren"),
            ("Build", f"{info.get('build_id', 'onbekend')}, gebouwd op {when}"),
            ("Uit", "Smart Retail-dashboard")]


def send_frame(frame: pd.DataFrame, name: str, fmt: str, about: list[tuple[str, str]] | None = None) -> dict:
    """Return a ``dcc.Download`` payload of ``frame`` as XLSX or as a CSV that Belgian Excel opens right.

    ``about`` (see :func:`about_export`) goes into the XLSX as a second sheet "Bron": the table's sheet stays a
    plain table that any tool reads, and the workbook still says where its figures come from.
    """
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer) as writer:
            frame.to_excel(writer, index=False, sheet_name="Smart Retail")
            if about:
                pd.DataFrame(about, columns=["", "Waarde"]).to_excel(writer, index=False, sheet_name="Bron")
        return dcc.send_bytes(buffer.getvalue(), f"{name}.xlsx")
    # Belgian Excel opens ';' with decimal commas; the BOM makes it read UTF-8 accents right.
    text = frame.to_csv(sep=";", decimal=",", index=False)
    return {"content": "\ufeff" + text, "filename": f"{name}.csv", "type": "text/csv"}


def export_frame(rows: list[dict], columns: Columns) -> pd.DataFrame:
    """Return the rows as the table shows them: Dutch headers, numbers rounded to the shown decimals.

    Numbers stay numbers (an XLSX cell is a value, not a string).
    """
    frame = pd.DataFrame(rows, columns=list(columns))
    for key, (_, decimals) in columns.items():
        if decimals == 0:  # whole numbers stay whole in CSV and Excel ("1000", not "1000,0")
            frame[key] = pd.to_numeric(frame[key], errors="coerce").round(0).astype("Int64")
        elif decimals is not None:
            frame[key] = pd.to_numeric(frame[key], errors="coerce").round(decimals)
    return frame.rename(columns={k: h for k, (h, _) in columns.items()})


#: A table of more rows than this is paged (PAGE_ROWS a page): 285 municipalities are no page to scroll; a
#: province (at most 69) stays whole, to be filtered and sorted at a glance.
PAGE_ABOVE = 100
PAGE_ROWS = 25


def data_table(table_id: str, df: pd.DataFrame, columns: Columns, filename: str, link_column: str | None = None,
               page_size: int | None = None, year: int | None = None) -> html.Div:
    """Return a sortable, filterable table with CSV and XLSX download buttons.

    ``link_column`` holds markdown links (e.g. to the municipality page) shown in its own column; ``year`` is
    the inventory year the XLSX names as its source. More than ``PAGE_ABOVE`` rows are paged.
    """
    if page_size is None and len(df) > PAGE_ABOVE:
        page_size = PAGE_ROWS
    cols = table_columns(columns)
    if link_column:
        cols = [{"id": link_column, "name": columns.get(link_column, ("", None))[0] or "Gemeente",
                 "presentation": "markdown"} if c["id"] == link_column else c for c in cols]
    return html.Div([
        html.Div([
            dbc.Button("CSV", id={"type": "table-dl", "format": "csv", "table": table_id}, size="sm",
                       color="secondary", outline=True, className="me-2"),
            dbc.Button("XLSX", id={"type": "table-dl", "format": "xlsx", "table": table_id}, size="sm",
                       color="secondary", outline=True),
            dcc.Download(id={"type": "table-download", "table": table_id}),
            dcc.Store(id={"type": "table-meta", "table": table_id},
                      data={"columns": {k: list(v) for k, v in columns.items()}, "filename": filename,
                            "link_column": link_column, "year": year}),
        ], className="mb-2 text-end"),
        dash_table.DataTable(
            id={"type": "table", "table": table_id},
            columns=cols,
            data=df.to_dict("records"),
            sort_action="native",
            filter_action="native",
            filter_options={"case": "insensitive", "placeholder_text": "filter…"},
            page_action="native" if page_size else "none",
            page_size=page_size or 250,
            markdown_options={"link_target": "_self"},
            style_table={"overflowX": "auto"},
            style_cell_conditional=[{"if": {"column_type": "text"}, "textAlign": "left"}],
            style_cell={"fontFamily": "inherit", "fontSize": "0.9rem", "padding": "4px 8px", "minWidth": "100px",
                        "maxWidth": "260px", "whiteSpace": "normal"},
            style_header={"fontWeight": "600", "backgroundColor": "#f3f5f7", "whiteSpace": "normal",
                          "height": "auto", "fontFamily": "inherit"},
            sort_as_null=["", None],
        ),
    ], className="data-table")
