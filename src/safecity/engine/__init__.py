"""The analytical engine: plain Python, no Django.

Takes explicit inputs (a warehouse, settings, a period, an area) and returns frozen dataclasses.
Record-level data lives only in the Parquet warehouse and is queried with DuckDB.
"""
