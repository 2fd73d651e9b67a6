"""The application form: its declared sections, and what a save, an autosave or a submission does.

The page's callbacks stay thin: they collect the values of the form and call :func:`save_form`, which
talks to the :class:`~dashboard.intake.store.Store` and returns an :class:`Outcome` (what to show and what
to remember). Nothing here knows about Dash, so every path (conflict, missing name, validation) is tested
without a browser.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboard.formatting import fmt_time
from dashboard.intake.expertise import EXPERTS, Suggestion, expert_choice
from dashboard.intake.models import B_NAMES, Application, utcnow
from dashboard.intake.store import ConflictError, Store, TransitionError
from dashboard.intake.validation import FIELDS, REQUIRED, ValidationError, validate


@dataclass(frozen=True)
class Field:
    """One input of the form: the stored field, its kind (``text``, ``email``, ``tel``, ``long``) and a hint."""

    name: str
    kind: str = "long"
    hint: str = ""

    @property
    def label(self) -> str:
        """Return the Dutch label, marked with * when submitting needs it."""
        return FIELDS[self.name] + (" *" if self.name in REQUIRED else "")


#: The sections of the application, in the order of the Profploeg's form (the zone has its own section).
SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    ("Identificatie", (
        Field("contact_name", "text", "Wie volgt de aanvraag op?"),
        Field("department", "text", "Bv. Lokale economie"),
        Field("email", "email", "naam@gemeente.be"),
        Field("phone", "tel", "Bv. 09 266 51 11"),
    )),
    ("De uitdaging", (
        Field("challenge", hint="Welke uitdaging ziet de gemeente in haar kern?"),
        Field("expectations", hint="Wat verwacht de gemeente van de Profploeg?"),
    )),
    ("Eerdere initiatieven", (
        Field("earlier_initiatives", hint="Wat deed de gemeente al voor haar kern?"),
        Field("went_well"),
        Field("went_less"),
    )),
    ("Kritische succesfactoren", (
        Field("retail_policy", hint="Is er een kernwinkelgebied afgebakend, een detailhandelsplan, ...?"),
        Field("means_capacity", hint="Budget en mensen om acties uit te voeren en op te volgen"),
        Field("departments_involvement", hint="Welke diensten werken mee, en hoe?"),
    )),
)
#: Every text input of the form, in form order.
TEXT_FIELDS: tuple[Field, ...] = tuple(f for _, fields in SECTIONS for f in fields)
#: Fields the form sends besides the texts.
OTHER_FIELDS: tuple[str, ...] = ("zone_area_ids", "zone_description", "five_b_notes", "experts")


def _clean(text: object) -> str | None:
    # An emptied box is stored as "no answer", not as an empty string: a draft keeps one meaning of "empty".
    if not isinstance(text, str):
        return None
    return text.strip() or None


def collect(texts: Sequence[object], zone: Sequence[str] | None, zone_description: object,
            notes: Sequence[object], suggested: Sequence[str] | None, chosen: Sequence[str] | None
            ) -> dict[str, Any]:
    """Return the application's values from the form's inputs (texts in :data:`TEXT_FIELDS` order)."""
    values: dict[str, Any] = {f.name: _clean(t) for f, t in zip(TEXT_FIELDS, texts, strict=True)}
    values["zone_area_ids"] = sorted(zone or []) or None
    values["zone_description"] = _clean(zone_description)
    kept = {b: n.strip() for b, n in zip(B_NAMES, notes, strict=True) if isinstance(n, str) and n.strip()}
    values["five_b_notes"] = kept or None
    values["experts"] = ({"suggested": list(suggested or []), "chosen": [e for e in EXPERTS if e in (chosen or [])]}
                         if suggested is not None or chosen else None)
    return values


def stored_values(app: Application | None) -> dict[str, Any]:
    """Return what :func:`collect` gives for the application as stored (all ``None`` for a new one)."""
    return {name: getattr(app, name, None) for name in [f.name for f in TEXT_FIELDS] + list(OTHER_FIELDS)}


def has_answers(values: Mapping[str, Any]) -> bool:
    """Tell whether the user typed or picked anything an application is made of (not only the experts)."""
    return any(values.get(f.name) for f in TEXT_FIELDS) or bool(values.get("zone_area_ids")
                                                                   or values.get("zone_description"))


def merge_experts(suggestions: Iterable[Suggestion], old_suggested: Sequence[str] | None,
                  chosen: Sequence[str] | None) -> list[str]:
    """Return the experts to tick after the suggestions changed, keeping the user's own additions and removals.

    Before any choice (``chosen`` is ``None``) the suggestions are ticked.
    """
    suggestions = list(suggestions)
    if chosen is None:
        return [s.expert for s in suggestions]
    old = set(old_suggested or [])
    added = [e for e in chosen if e not in old]
    removed = [e for e in old if e not in chosen]
    return expert_choice(suggestions, added, removed)["chosen"]


@dataclass
class Outcome:
    """What a save did: the message for the user, field errors, and the application's id and version now."""

    kind: str  # "success", "info", "warning" or "danger" (the alert's colour)
    message: str
    errors: dict[str, str] = field(default_factory=dict)
    app: Application | None = None
    saved: dict[str, Any] | None = None  # the values now stored (None: nothing was written)
    unsaved: dict[str, Any] = field(default_factory=dict)  # after a conflict: what this form could not save


def unsaved_texts(unsaved: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (label, text) of each answer a conflict kept from being saved, to copy back after a reload."""
    out = []
    for name, value in unsaved.items():
        if name == "five_b_notes":
            out += [(f"5B-notities bij {b}", text) for b, text in value.items()]
        elif name == "experts":
            out.append((FIELDS[name], ", ".join(value.get("chosen", []))))
        elif isinstance(value, list):
            out.append((FIELDS[name], ", ".join(value)))
        else:
            out.append((FIELDS[name], str(value)))
    return out


def save_form(store: Store, nis: str, app_id: int | None, version: int | None, values: Mapping[str, Any],
              saved: Mapping[str, Any] | None, author: str | None, action: str,
              known_nis: Collection[str] | None = None) -> Outcome | None:
    """Save the form as a draft (``bewaren``, ``auto``) or save and submit it (``indienen``).

    Parameters
    ----------
    store
        The intake store.
    nis
        The municipality of the page.
    app_id, version
        The application and the version the form was loaded at; ``None`` for a new application.
    values
        The form's values (:func:`collect`).
    saved
        The values as last saved from this form (``None`` for a new application).
    author
        Who saves; required, the revisions record it.
    action
        ``bewaren`` (button), ``auto`` (timer: silent when nothing changed) or ``indienen``.
    known_nis
        The NIS codes that may apply (checked at submission).

    Returns
    -------
    Outcome | None
        ``None`` when an autosave had nothing to do.

    """
    changes = {k: v for k, v in values.items() if (saved or {}).get(k) != v}
    if action == "auto" and (not changes or (app_id is None and not has_answers(values))):
        return None
    name = (author or "").strip()
    if not name:
        text = ("Niet automatisch bewaard: vul bovenaan uw naam in." if action == "auto"
                else "Vul bovenaan uw naam in: elke wijziging wordt met naam en tijdstip bewaard.")
        return Outcome("warning", text, {"author": "Uw naam is nodig om te bewaren."})
    errors = validate(values, "concept", known_nis)
    try:
        if app_id is None:
            app = store.create_draft(nis, name, {k: v for k, v in values.items() if v is not None})
        elif changes:
            app = store.save(app_id, changes, version or 0, name)
        else:
            app = store.get(app_id)
    except ConflictError as exc:
        current = store.get(app_id or 0)
        if any(getattr(current, k) != v for k, v in changes.items()):
            return Outcome("danger", str(exc), unsaved={k: v for k, v in changes.items() if v is not None})
        # What is stored is what this form holds (an earlier save whose answer never reached the browser).
        app = current
    except ValidationError as exc:  # a shape the store refuses (too long a text): nothing was written
        return Outcome("danger", "Niet bewaard: verbeter de aangeduide velden.", exc.errors)
    now = dict(values)
    if action == "indienen":
        try:
            app = store.submit(app.id, name, known_nis=known_nis)
        except ValidationError as exc:
            return Outcome("danger", f"Bewaard als concept, maar nog niet ingediend: {len(exc.errors)} "
                                     f"{'veld vraagt' if len(exc.errors) == 1 else 'velden vragen'} uw aandacht.",
                           exc.errors, app, now)
        except TransitionError:
            return Outcome("info", f"Bewaard (versie {app.version}); de aanvraag was al ingediend.", errors, app, now)
        # The programme (issue 19): a submitted application belongs to the call whose deadline is not past.
        from dashboard.programme.store import enter_submitted

        note = enter_submitted(store, app.id, date.today())
        return Outcome("success", "Ingediend: VLAIO beoordeelt de aanvraag. U kan ze nog aanvullen." + note, {}, app,
                       now)
    when = fmt_time(utcnow())[-5:]
    prefix = "Automatisch bewaard" if action == "auto" else "Bewaard als concept"
    if errors:
        return Outcome("warning", f"{prefix} om {when} (versie {app.version}); verbeter nog de aangeduide "
                                  f"velden voor u indient.", errors, app, now)
    return Outcome("success", f"{prefix} om {when} (versie {app.version}).", {}, app, now)
