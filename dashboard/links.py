"""Absolute links printed on paper (PDFs): they start with the configured public address of the dashboard.

Never with the Host header of the request that asked for the PDF: behind a proxy that is an internal
address, and a client can put anything in it. The address is ``SMART_RETAIL_BASE_URL``.
"""

from __future__ import annotations

import flask

EXTENSION = "smart_retail_base_url"


def install(server: flask.Flask, base_url: str) -> None:
    """Keep the configured public address (``Settings.base_url``) on ``server``."""
    server.extensions[EXTENSION] = base_url.rstrip("/")


def base_url() -> str:
    """Return the public address of the dashboard that serves the current request (no trailing slash)."""
    return str(flask.current_app.extensions[EXTENSION])
