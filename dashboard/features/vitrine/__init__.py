"""De Vitrine: the approved Vitrine summaries as cards, public, and "gemeenten zoals de uwe"."""
