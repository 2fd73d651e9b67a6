"""Validation of an application (pure): which fields each stage needs, formats and lengths, in Dutch.

A draft (``concept``) may be incomplete: only what is filled in is checked. Submitting (``indienen``) also
needs every field of :data:`REQUIRED`. Messages are per field, ready to show under the field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from dashboard.intake.models import B_NAMES, EXPERTS, LENGTHS, MAX_TEXT, MAX_ZONE_AREAS

#: The fields a user fills in, with their Dutch label (the form's order).
FIELDS: dict[str, str] = {
    "nis_code": "Gemeente (NIS-code)",
    "contact_name": "Contactpersoon",
    "department": "Dienst",
    "email": "E-mailadres",
    "phone": "Telefoonnummer",
    "challenge": "Uitdaging",
    "expectations": "Verwachtingen van de Profploeg",
    "zone_area_ids": "Zone: winkelgebieden",
    "zone_description": "Zone: omschrijving",
    "earlier_initiatives": "Eerdere initiatieven",
    "went_well": "Wat liep goed",
    "went_less": "Wat liep minder goed",
    "retail_policy": "Detailhandels- en kernbeleid",
    "means_capacity": "Middelen en capaciteit voor de opvolging",
    "departments_involvement": "Betrokkenheid van de diensten",
    "experts": "Experten",
    "five_b_notes": "5B-notities",
}
#: Needed to submit. The zone is needed too, as shopping areas and/or a description (see :func:`validate`).
REQUIRED: tuple[str, ...] = ("nis_code", "contact_name", "department", "email", "phone", "challenge",
                             "expectations", "retail_policy", "means_capacity", "departments_involvement")
STAGES = ("concept", "indienen")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# Belgian numbers as people write them: 0x xx xx xx, +32 ..., 0032 ...; separators are allowed.
PHONE_CHARS = re.compile(r"^\+?[0-9 ./()-]+$")
PHONE_DIGITS = (9, 13)


class ValidationError(ValueError):
    """The application does not pass; ``errors`` maps each field to its Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{FIELDS.get(k, k)}: {v}" for k, v in errors.items()))


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return bool(value)
    return True


def _notes_error(value: object) -> str | None:
    if not isinstance(value, dict) or set(value) - set(B_NAMES):
        return f"5B-notities: verwacht een tekst per B ({', '.join(B_NAMES)})."
    for b, text in value.items():
        if not isinstance(text, str):
            return f"5B-notities bij {b}: verwacht tekst."
        if len(text) > MAX_TEXT:
            return f"5B-notities bij {b}: maximaal {MAX_TEXT} tekens (nu {len(text)})."
    return None


def _experts_error(value: object) -> str | None:
    if not isinstance(value, dict) or set(value) - {"suggested", "chosen"}:
        return "Experten: verwacht 'suggested' en/of 'chosen'."
    for picked in value.values():
        if picked is None:
            continue
        if not isinstance(picked, list | tuple) or not all(isinstance(e, str) and e in EXPERTS for e in picked):
            return f"Experten: kies uit de {len(EXPERTS)} profielen van de Profploeg."
        if len(set(picked)) != len(picked):
            return "Experten: elk profiel hoogstens één keer."
    return None


def check_shape(values: Mapping[str, object]) -> dict[str, str]:
    """Return the errors no stage may store: unknown fields, wrong types and too long texts.

    Parameters
    ----------
    values
        Field name -> value, as the form sends them (a subset of :data:`FIELDS`).

    """
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name not in FIELDS:
            errors[name] = f"Onbekend veld '{name}'."
        elif value is None:
            continue
        elif name == "zone_area_ids":
            if (not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value)
                    or len(value) > MAX_ZONE_AREAS or len(set(value)) != len(value)):
                errors[name] = f"Geef de winkelgebieden als een lijst van ten hoogste {MAX_ZONE_AREAS} codes."
        elif name == "experts":
            error = _experts_error(value)
            if error:
                errors[name] = error
        elif name == "five_b_notes":
            error = _notes_error(value)
            if error:
                errors[name] = error
        elif not isinstance(value, str):
            errors[name] = "Verwacht tekst."
        elif len(value) > (limit := LENGTHS.get(name, MAX_TEXT)):
            errors[name] = f"Maximaal {limit} tekens (nu {len(value)})."
    return errors


def validate(values: Mapping[str, object], stage: str = "concept",
             known_nis: Collection[str] | None = None) -> dict[str, str]:
    """Return the Dutch error message per field of an application at ``stage`` (empty: all is well).

    Parameters
    ----------
    values
        The application's fields (field name -> value).
    stage
        ``concept`` checks only what is filled in; ``indienen`` also needs :data:`REQUIRED` and a zone.
    known_nis
        The NIS codes of the municipalities that may apply; ``None`` skips that check.

    Returns
    -------
    dict[str, str]
        Field name -> message, in the order of :data:`FIELDS`.

    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    errors = check_shape(values)
    if stage == "indienen":
        for name in REQUIRED:
            if name not in errors and not _filled(values.get(name)):
                errors[name] = f"{FIELDS[name]} is verplicht om in te dienen."
        if not (_filled(values.get("zone_area_ids")) or _filled(values.get("zone_description"))):
            errors.setdefault("zone_area_ids", "Duid minstens één winkelgebied aan of omschrijf de zone.")
    email, phone, nis = values.get("email"), values.get("phone"), values.get("nis_code")
    if "email" not in errors and isinstance(email, str) and email.strip() and not EMAIL.match(email.strip()):
        errors["email"] = f"'{email}' is geen geldig e-mailadres (bv. naam@gemeente.be)."
    if "phone" not in errors and isinstance(phone, str) and phone.strip():
        # "+32 (0)9 ..." writes the trunk 0 that an international call drops: it is no digit of the number.
        digits = re.sub(r"\D", "", phone.replace("(0)", ""))
        if not PHONE_CHARS.match(phone.strip()) or not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
            errors["phone"] = f"'{phone}' is geen geldig telefoonnummer (bv. 09 123 45 67 of +32 470 12 34 56)."
    if ("nis_code" not in errors and known_nis is not None and isinstance(nis, str) and nis.strip()
            and nis.strip() not in known_nis):
        errors["nis_code"] = f"'{nis}' is geen gekende NIS-code van een Vlaamse gemeente."
    return {k: errors[k] for k in sorted(errors, key=lambda k: list(FIELDS).index(k) if k in FIELDS else -1)}
