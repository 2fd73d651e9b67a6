"""The Profploeg intake (issue 6): applications, their revisions and status, the 5B fiche and the experts.

Operational data lives in its own SQL database (SQLAlchemy; SQLite by default, PostgreSQL by URL), never in
the analytics DuckDB, which the ETL rebuilds and swaps whole.
"""
