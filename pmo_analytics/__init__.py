"""PMO Portfolio Health: ingest project exports, store them in DuckDB with status dates,
compute earned value, schedule, risk, agile and resource metrics."""

__version__ = "0.1.0"
