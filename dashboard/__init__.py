"""Smart Retail dashboard (Dash): reads the analytics DuckDB read-only."""
