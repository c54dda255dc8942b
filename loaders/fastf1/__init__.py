"""FastF1 API import: one session load per session, every data type extracted, quota shared by all processes.

Kept free of heavy imports so `raw_schema` and the CLI can read the table layout without loading fastf1.
"""
