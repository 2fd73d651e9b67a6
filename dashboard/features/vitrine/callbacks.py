"""De Vitrine's one callback: the filters -> the cards that fit."""

from __future__ import annotations

from dash import Input, Output

from dashboard.components.controls import url_search_id
from dashboard.controls import Callbacks
from dashboard.features.vitrine.layout import like_yours_card, search
from dashboard.features.vitrine.params import LIKE_BOX, LIKE_NIS, URL_KEY, P

CALLBACKS = Callbacks()


@CALLBACKS(output=[Output(P + "cards", "children"), Output(url_search_id(URL_KEY), "data")],
           inputs={"challenge": Input(P + "challenge", "value"), "size": Input(P + "size", "value"),
                   "area_type": Input(P + "area-type", "value"), "concepts": Input(P + "concepts", "value"),
                   "text": Input(P + "text", "value")}, prevent_initial_call=True)
def filter_cards(challenge: str | None, size: str | None, area_type: str | None, concepts: list[str] | None,
                 text: str | None) -> tuple[list, str]:
    """Show the first page of the cards that fit the filters, and put the filters in the address bar."""
    return search(challenge, size, area_type, concepts, text)


@CALLBACKS(output=Output(LIKE_BOX, "children"), inputs={"nis": Input(LIKE_NIS, "data")})
def show_like_yours(nis: str | None) -> object:
    """Fill "gemeenten zoals de uwe" of the municipality the page shows."""
    return like_yours_card(nis) if nis else None


# A link to a card (``/vitrine?kaart=<nr>``) lands on its page; the page is drawn after the load, so the browser's own
# jump to an anchor would find nothing: scroll once the card is there, and give it the keyboard focus.
CALLBACKS.clientside(
    """function(card) {
        if (card) {
            const el = document.getElementById("kaart-" + card);
            if (el) { el.setAttribute("tabindex", "-1"); el.scrollIntoView({block: "start"}); el.focus(); }
        }
        return window.dash_clientside.no_update;
    }""",
    Output(P + "focus-done", "data"),
    Input(P + "focus", "data"),
)
