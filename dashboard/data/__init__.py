"""Data access: the only place that opens the database and runs SQL."""
