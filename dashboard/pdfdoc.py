"""weasyprint documents that cannot reach anything outside themselves.

The programme's documents (decision letters, evaluations) are made from HTML that holds text people typed
(the DNA fiche and the intake dossier are typeset by typst from JSON: :mod:`dashboard.fiche.pdf`).
That text is escaped, but escaping is one line of defence: the fetcher below is the second. It refuses every
URL but an inline ``data:`` one (the charts are SVG data URIs; fonts come from the system's fontconfig, the
CSS is inline), so neither ``file:///etc/passwd`` nor ``http://…`` in an ``<img>``, a stylesheet or a CSS
``url()`` makes weasyprint read a file or open a connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import weasyprint


def url_fetcher() -> weasyprint.urls.URLFetcher:
    """Return weasyprint's fetcher limited to ``data:`` URLs, without redirects (everything else is refused)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def html_document(html: str) -> weasyprint.HTML:
    """Return a weasyprint document of ``html`` that fetches nothing but inline data (no base URL either)."""
    import weasyprint  # imported here: the dashboard pages do not need it loaded

    return weasyprint.HTML(string=html, url_fetcher=url_fetcher(), base_url=None)
