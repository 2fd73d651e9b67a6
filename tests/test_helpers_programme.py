"""A submitted application for the programme's tests (the form's required answers filled in)."""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.intake.store import Store

ANSWERS = {"contact_name": "Contact", "department": "Lokale economie", "email": "economie@example.be",
           "phone": "09 123 45 67", "challenge": "De leegstand stijgt.", "expectations": "Een plan.",
           "retail_policy": "Een detailhandelsplan.", "means_capacity": "Een centrummanager.",
           "departments_involvement": "Economie en ruimte.", "zone_description": "Het centrum."}


def submitted(store: Store, nis: str, on: date, **values: object) -> int:
    """Create and submit an application of ``nis`` on ``on``; return its number."""
    app = store.create_draft(nis, "test", {**ANSWERS, **values}, on=on - timedelta(days=3))
    store.submit(app.id, "test", on=on)
    return app.id
