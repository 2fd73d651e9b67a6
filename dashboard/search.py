"""Find a municipality by name or postal code, forgiving typos (pure functions)."""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd


def fold(text: str) -> str:
    """Fold for matching: no accents, case or punctuation ("Sint-Niklaas" == "sint niklaas")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def search(query: str, munis: pd.DataFrame, postal: pd.DataFrame, limit: int = 8) -> list[tuple[str, str]]:
    """Return up to ``limit`` (nis_code, name) matches for ``query``, best first.

    ``munis`` has ``nis_code`` and ``name``; ``postal`` has ``postal_code`` and ``nis_code``. A query of
    digits matches postal codes (by prefix) and NIS codes; text matches names by prefix, by word and,
    failing those, by similarity (typos).
    """
    q = fold(query or "")
    if not q:
        return []
    names = dict(zip(munis["nis_code"], munis["name"], strict=True))
    if q.replace(" ", "").isdigit():
        digits = q.replace(" ", "")
        hits = list(dict.fromkeys(
            [c for c in munis["nis_code"] if c == digits.zfill(5)]
            + list(postal.loc[postal["postal_code"].str.startswith(digits), "nis_code"])
        ))
        return [(c, names[c]) for c in hits if c in names][:limit]
    scored: list[tuple[float, str]] = []
    for code, name in names.items():
        f = fold(name)
        if f == q:
            score = 3.0
        elif f.startswith(q):
            score = 2.0 + len(q) / len(f)
        elif any(word.startswith(q) for word in f.split()):
            score = 1.5
        else:
            score = difflib.SequenceMatcher(None, q, f).ratio()
            if score < 0.75:
                continue
        scored.append((score, code))
    scored.sort(key=lambda s: (-s[0], names[s[1]]))
    return [(code, names[code]) for _, code in scored[:limit]]
