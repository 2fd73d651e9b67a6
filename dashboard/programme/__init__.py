"""The Profploeg programme after the intake: calls, selection, teams and budget, coaching, evaluation, Vitrine.

Pure rules in ``scoring``, ``selection``, ``budget`` and ``similarity``; the tables in ``models``; the store's API
in ``store``; the figures from the DNA database in ``figures``; the synthetic programme in ``demo``; the PDFs in
``documents``.
"""
