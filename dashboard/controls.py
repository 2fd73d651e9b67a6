"""What a control may send: each Input and State of a callback declared once, with its kind of value.

A feature slice declares its controls (:class:`Control`: component id, property, :class:`Kind`) next to
its URL parameters, and its callbacks with :class:`Callbacks`. The guard takes the callback a request
names, walks *its declared* inputs and states by position (the way Dash hands them to the function),
and checks each value with the kind declared for that position. The id the client writes is only
compared with the declaration, never used to pick a check: a value moved under another id is refused.

Each kind also says how a forger would get it wrong (:meth:`Kind.forgeries`), so the tests forge from
the declarations instead of a hand-written list.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import dash
from dash.dependencies import DashDependency

from dashboard.errors import RejectedError
from dashboard.intake.models import EXPERTS, STATUSES
from dashboard.vocab import Known

#: A forged value and what is wrong with it: "type", "range" or "size".
Forgery = tuple[str, object]
HUGE = "x" * 100_000


def _bad(reason: str) -> RejectedError:
    return RejectedError(400, reason)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Kind:
    """A kind of value a control holds; ``None`` (no value yet) passes unless a kind says otherwise."""

    reason = "Ongeldige waarde."

    def check(self, known: Known, value: object) -> None:
        """Raise :class:`RejectedError` (400) when ``value`` is nothing this control can hold."""
        if value is not None and not self.accepts(known, value):
            raise _bad(self.reason)

    def accepts(self, known: Known, value: object) -> bool:
        """Tell whether ``value`` (not ``None``) fits."""
        raise NotImplementedError

    def forgeries(self, known: Known) -> list[Forgery]:
        """Return values of the wrong type, out of range and oversized, each of which :meth:`check` refuses."""
        raise NotImplementedError


@dataclass(frozen=True)
class Year(Kind):
    """An inventory year of the build; ``zero`` also allows 0 ("no comparison")."""

    zero: bool = False
    reason = "Onbekend jaar."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return _is_int(value) and (value in known.years or (self.zero and value == 0))

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", "2025"), ("type", [2025]), ("type", True), ("range", 1850), ("size", 10**40)]


@dataclass(frozen=True)
class Member(Kind):
    """A text out of one of the build's vocabularies (``Known`` attribute ``vocabulary``)."""

    vocabulary: str
    reason: str = "Onbekende waarde."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return isinstance(value, str) and value in getattr(known, self.vocabulary)

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", 44021), ("type", {"$ne": None}), ("range", "99999"), ("range", "../../etc/passwd"),
                ("size", HUGE)]


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of values (texts or booleans)."""

    allowed: tuple[object, ...]
    reason = "Onbekende keuze."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        flags = isinstance(self.allowed[0], bool)
        return isinstance(value, bool) == flags and type(value) in (str, bool) and value in self.allowed

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        wrong_type = "ja" if isinstance(self.allowed[0], bool) else 42
        return [("type", wrong_type), ("type", [self.allowed[0]]), ("range", "onbekend"), ("size", HUGE)]


@dataclass(frozen=True)
class Text(Kind):
    """Free text of at most ``limit`` characters."""

    limit: int
    reason = "Tekst te lang of geen tekst."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return isinstance(value, str) and len(value) <= self.limit

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", 42), ("type", ["tekst"]), ("size", "x" * (self.limit + 1))]


@dataclass(frozen=True)
class Subset(Kind):
    """A list without duplicates of values out of a vocabulary of the build, or of a fixed tuple."""

    vocabulary: str | tuple[str, ...]
    limit: int
    reason: str = "Onbekende waarde in de lijst."

    def _allowed(self, known: Known) -> Iterable[str]:
        return self.vocabulary if isinstance(self.vocabulary, tuple) else getattr(known, self.vocabulary)

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        if not isinstance(value, list) or len(value) > self.limit or len(set(map(str, value))) != len(value):
            return False
        allowed = self._allowed(known)
        return all(isinstance(v, str) and v in allowed for v in value)

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        some = sorted(self._allowed(known))[0]
        return [("type", some), ("type", [44021, None]), ("range", ["99999-onbekend"]), ("range", [some, some]),
                ("size", [some] * (self.limit + 1))]


@dataclass(frozen=True)
class Count(Kind):
    """A non-negative whole number below ``limit`` (clicks, timer ticks, a page of a table)."""

    limit: int = 10**9
    reason = "Ongeldig getal."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < self.limit

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", "1"), ("type", 1.5), ("range", -3), ("size", 10**40)]


@dataclass(frozen=True)
class Amount(Kind):
    """A finite number (whole or not) of at most ``limit`` either way: a number field's value.

    A negative or zero amount passes: the form's own rule says in Dutch why it is refused.
    """

    limit: float = 1e9
    reason = "Ongeldig bedrag."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
                and abs(value) <= self.limit)

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", "1000"), ("type", [1]), ("range", 1e300), ("size", 10**40)]


@dataclass(frozen=True)
class Record(Kind):
    """A JSON object with at most the keys ``keys``, each value checked by its own kind (``None`` allowed)."""

    keys: tuple[tuple[str, Kind], ...]
    reason = "Ongeldige gegevens."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        kinds = dict(self.keys)
        if not isinstance(value, dict) or not set(value) <= set(kinds):
            return False
        try:
            for key, item in value.items():
                kinds[key].check(known, item)
        except RejectedError:
            return False
        return True

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        key, kind = self.keys[0]
        return [("type", "1 or 1=1"), ("type", [1]), ("range", {key: kind.forgeries(known)[0][1]}),
                ("size", {f"k{i}": 1 for i in range(1000)})]


@dataclass(frozen=True)
class Blob(Kind):
    """Data a component writes itself (clicked points, a table's rows): any JSON of at most ``limit`` bytes."""

    limit: int
    shape: type = dict
    reason = "Ongeldige of te grote gegevens."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return isinstance(value, self.shape) and len(json.dumps(value)) <= self.limit

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        wrong = "x" if self.shape is not str else 42
        copies = 1 + self.limit // len(HUGE)
        big = {"x": HUGE * copies} if self.shape is dict else [HUGE] * copies
        return [("type", wrong), ("size", big)]


@dataclass(frozen=True)
class Clicked(Kind):
    """A graph's ``clickData``: ``{"points": [{...}, ...]}``, at most ``limit`` bytes."""

    limit: int = 20_000
    reason = "Ongeldige klik op de kaart."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        points = value.get("points") if isinstance(value, dict) else None
        return (isinstance(points, list) and len(points) <= 100 and all(isinstance(p, dict) for p in points)
                and len(json.dumps(value)) <= self.limit)

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", "x"), ("type", {"points": "x"}), ("range", {"points": [1]}),
                ("size", {"points": [{"x": HUGE}]})]


@dataclass(frozen=True)
class Rows(Kind):
    """A table's rows as the browser holds them: a list of objects, at most ``limit`` bytes as JSON."""

    limit: int
    reason = "Ongeldige of te grote tabel."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return (isinstance(value, list) and all(isinstance(r, dict) for r in value)
                and len(json.dumps(value)) <= self.limit)

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", {"x": 1}), ("range", [1, 2]), ("size", [{"x": HUGE}] * (1 + self.limit // len(HUGE)))]


@dataclass(frozen=True)
class TableMeta(Kind):
    """What a table stores for its download: its columns, file name, link column and inventory year.

    ``{"columns": {id: [header, decimals]}, "filename", "link_column", "year"}`` (the year may be None).
    """

    reason = "Ongeldige tabel."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        if not isinstance(value, dict) or set(value) != {"columns", "filename", "link_column", "year"}:
            return False
        if not (value["year"] is None or (_is_int(value["year"]) and value["year"] in known.years)):
            return False
        columns, filename, link = value["columns"], value["filename"], value["link_column"]
        return (isinstance(columns, dict) and len(columns) <= 60
                and all(isinstance(k, str) and len(k) <= 64 and isinstance(v, list) and len(v) == 2
                        and isinstance(v[0], str) and len(v[0]) <= 120 and (v[1] is None or _is_int(v[1]))
                        for k, v in columns.items())
                and isinstance(filename, str) and len(filename) <= 120
                and (link is None or (isinstance(link, str) and link in columns)))

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        good = {"columns": {"name": ["Gemeente", None]}, "filename": "x", "link_column": None, "year": None}
        return [("type", "x"), ("range", {**good, "columns": {"name": 5}}), ("range", {**good, "link_column": "y"}),
                ("size", {**good, "columns": {f"c{i}": ["x", 1] for i in range(61)}})]


@dataclass(frozen=True)
class IsoDate(Kind):
    """A date written as YYYY-MM-DD (a date picker's value)."""

    reason = "Ongeldige datum."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        if not isinstance(value, str) or len(value) > 32:
            return False
        try:
            dt.date.fromisoformat(value[:10])
        except ValueError:
            return False
        return True

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", 20250101), ("range", "gisteren"), ("size", "2025-01-01" + HUGE)]


YEAR = Year()
INDICATOR = Member("indicators", "Onbekende indicator.")
INDICATOR_COLUMN = Member("columns", "Onbekende indicator.")
MUNICIPALITY = Member("municipalities", "Onbekende gemeente.")
PROVINCE = Member("provinces", "Onbekende provincie.")
CLICKS = Count()
STATUS = Choice(tuple(STATUSES))
EXPERT_LIST = Subset(tuple(EXPERTS), len(EXPERTS), "Onbekend of dubbel expertprofiel.")
MAX_PEERS = 300


def component_key(component_id: str | dict, prop: str) -> str:
    """Return the key Dash gives an input in ``app.callback_map`` (``"<id>.<property>"``, ids as JSON)."""
    return f"{DashDependency(component_id, prop).component_id_str()}.{prop}"


@dataclass(frozen=True)
class Control:
    """One value a client sends to a callback: the component id, its property and the kind of value."""

    component_id: str | dict
    prop: str
    kind: Kind

    @property
    def key(self) -> str:
        """Return the key of this control in ``app.callback_map``."""
        return component_key(self.component_id, self.prop)


def declared(controls: Iterable[Control]) -> dict[str, Control]:
    """Return the controls by key; a control declared twice with different kinds is a mistake."""
    out: dict[str, Control] = {}
    for c in controls:
        if c.key in out and out[c.key].kind != c.kind:
            raise ValueError(f"{c.key} is declared twice, with different kinds")
        out[c.key] = c
    return out


class Callbacks:
    """A slice's callbacks, collected at import and added to an app by :meth:`register`.

    Not :func:`dash.callback`: that list is global and emptied by the first app that starts, so a
    second app in the same process (a test) would have no callbacks.
    """

    def __init__(self) -> None:
        self._items: list[tuple[tuple, dict, Callable[..., Any] | str | dash.ClientsideFunction]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a server callback, with Dash's arguments (named ``inputs=dict(...)``, ``state=dict(...)``)."""
        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            self._items.append((args, kwargs, func))
            return func
        return decorate

    def clientside(self, code: str | dash.ClientsideFunction, *args: Any, **kwargs: Any) -> None:
        """Declare a callback that runs in the browser."""
        self._items.append((args, kwargs, code))

    def register(self, app: dash.Dash) -> dict[str, str]:
        """Add the callbacks to ``app``; return the server callbacks' ``callback_map`` keys -> function names."""
        names: dict[str, str] = {}
        for args, kwargs, func in self._items:
            if isinstance(func, str | dash.ClientsideFunction):
                app.clientside_callback(func, *args, **kwargs)
            else:
                before = set(app.callback_map)
                app.callback(*args, **kwargs)(func)
                names.update(dict.fromkeys(set(app.callback_map) - before, func.__name__))
        return names
