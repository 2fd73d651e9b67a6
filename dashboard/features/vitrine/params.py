"""What ``/vitrine`` takes: its filters and page in the address, and its controls.

Public, even when the indicator pages need a login: it spreads the concepts.
``/vitrine?uitdaging=&grootte=&gebiedstype=&concepten=a,b&zoek=&pagina=2`` is a search to share;
``/vitrine?kaart=<nr>`` lands on the page that holds card ``nr`` and scrolls to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from dashboard import params
from dashboard.accounts.access import PUBLIC
from dashboard.controls import MUNICIPALITY, Choice, Control, Count, Subset, Text
from dashboard.errors import RejectedError
from dashboard.programme.figures import SHORT_SIZE
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER
from dashboard.vocab import Known

P = "vitrine-"
URL_KEY = "vitrine"  # the page's address-bar store (components.controls.url_sync)
#: Cards per page: four rows of three on a wide screen.
PER_PAGE = 12
MAX_TEXT = 100
AREA_TYPES = ("hoofdwinkelgebied", "kernverzorgend centrum", "ondersteunend winkelgebied")
#: "Gemeenten zoals de uwe" on the municipality page and the intake form: the municipality, and the box it fills.
LIKE_NIS, LIKE_BOX = "like-yours-nis", "like-yours-box"
ACCESS = PUBLIC
CONTROLS: tuple[Control, ...] = (
    Control(P + "challenge", "value", Choice((*CHALLENGES, OTHER))),
    Control(P + "size", "value", Choice(SHORT_SIZE)),
    Control(P + "area-type", "value", Choice(AREA_TYPES)),
    Control(P + "concepts", "value", Subset(CONCEPTS, len(CONCEPTS), "Onbekend concept.")),
    Control(P + "text", "value", Text(MAX_TEXT)),
    Control(LIKE_NIS, "data", MUNICIPALITY),
    # The card to scroll to: read by the browser's own callback alone, declared as every store is.
    Control(P + "focus", "data", Count()),
)


def _one_of(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    given = (value or "").strip()
    if not given:
        return None
    if given not in allowed:
        raise RejectedError(404, f"Onbekende {what} '{given[:40]}'.")
    return given


@dataclass(frozen=True)
class VitrineParams:
    """The Vitrine's address: the filters, the page, and the card to land on."""

    challenge: str | None = None
    size: str | None = None
    area_type: str | None = None
    concepts: tuple[str, ...] = ()
    text: str = ""
    page: int = 1
    card: int | None = None

    @classmethod
    def from_url(cls, _known: Known, uitdaging: str | None = None, grootte: str | None = None,
                 gebiedstype: str | None = None, concepten: str | None = None, zoek: str | None = None,
                 pagina: str | None = None, kaart: str | None = None) -> VitrineParams:
        """Parse the address; an unknown filter value raises :class:`~dashboard.errors.RejectedError` (404)."""
        concepts = tuple(dict.fromkeys(c.strip() for c in (concepten or "").split(",") if c.strip()))
        for c in concepts:
            _one_of(c, CONCEPTS, "concept")
        if pagina:
            params.check_page(_known, pagina.strip(), {})
        if kaart:
            params.check_card_id(_known, kaart.strip(), {})
        return cls(challenge=_one_of(uitdaging, (*CHALLENGES, OTHER), "uitdaging"),
                   size=_one_of(grootte, SHORT_SIZE, "grootteklasse"),
                   area_type=_one_of(gebiedstype, AREA_TYPES, "type winkelgebied"), concepts=concepts,
                   text=(zoek or "").strip()[:MAX_TEXT], page=int(pagina) if pagina else 1,
                   card=int(kaart) if kaart else None)

    @property
    def filtered(self) -> bool:
        """Tell whether any filter is set."""
        return bool(self.challenge or self.size or self.area_type or self.concepts or self.text)

    def unfiltered(self) -> VitrineParams:
        """Return the same address without filters (a card the filters hide is shown among all)."""
        return replace(self, challenge=None, size=None, area_type=None, concepts=(), text="")

    def query(self, page: int = 1) -> str:
        """Return the query string (``?…``, or empty) of these filters on ``page`` (never the card)."""
        pairs = [("uitdaging", self.challenge), ("grootte", self.size), ("gebiedstype", self.area_type),
                 ("concepten", ",".join(self.concepts)), ("zoek", self.text),
                 ("pagina", str(page) if page > 1 else "")]
        text = urlencode([(k, v) for k, v in pairs if v])
        return f"?{text}" if text else ""
