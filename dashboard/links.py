"""Permanent links printed in documents (PDFs): always on ``SMART_RETAIL_BASE_URL``, never on the request's Host.

A PDF outlives the request that made it and travels by mail: its links must point at the dashboard's own
public address. The Host header is whatever the client sent, so a link built from it would let anyone make
the dashboard print their address under its letterhead.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

from data_pipelines.settings import get


def base_url(env: Mapping[str, str] | None = None) -> str:
    """Return the dashboard's public address (``SMART_RETAIL_BASE_URL``, read now), without a trailing slash."""
    return str(get("base_url", env)).rstrip("/")


def permanent_link(path: str, query: Mapping[str, object] | None = None, base: str | None = None) -> str:
    """Return the absolute link of ``path`` (with ``query``, in its order) on ``base`` (default: the setting).

    >>> permanent_link("/gemeente/44021/fiche", {"gebied": "WG1", "jaar": 2025}, "https://sr.example.be/")
    'https://sr.example.be/gemeente/44021/fiche?gebied=WG1&jaar=2025'
    """
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"een permanente link neemt een pad van het dashboard, geen adres: {path!r}")
    root = (base if base is not None else base_url()).rstrip("/")
    items = {k: v for k, v in (query or {}).items() if v is not None}
    return f"{root}{quote(path, safe='/')}" + (f"?{urlencode(items)}" if items else "")
