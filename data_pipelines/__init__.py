"""Smart Retail ETL: Locatus-style exports -> validated DuckDB marts."""
