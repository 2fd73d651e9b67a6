"""De Vitrine's one callback: the filters -> the cards that fit."""

from __future__ import annotations

from dash import Input, Output

from dashboard.controls import Callbacks
from dashboard.features.vitrine.layout import like_yours_card, search
from dashboard.features.vitrine.params import LIKE_BOX, LIKE_NIS, P

CALLBACKS = Callbacks()


@CALLBACKS(output=Output(P + "cards", "children"),
           inputs={"challenge": Input(P + "challenge", "value"), "size": Input(P + "size", "value"),
                   "area_type": Input(P + "area-type", "value"), "concepts": Input(P + "concepts", "value"),
                   "text": Input(P + "text", "value")}, prevent_initial_call=True)
def filter_cards(challenge: str | None, size: str | None, area_type: str | None, concepts: list[str] | None,
                 text: str | None) -> list:
    """Show the cards that fit the filters."""
    return search(challenge, size, area_type, concepts, text)


@CALLBACKS(output=Output(LIKE_BOX, "children"), inputs={"nis": Input(LIKE_NIS, "data")})
def show_like_yours(nis: str | None) -> object:
    """Fill "gemeenten zoals de uwe" of the municipality the page shows."""
    return like_yours_card(nis) if nis else None
