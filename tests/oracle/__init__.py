"""The old way, kept as an oracle: session statistics computed on the fly from raw laps in pandas.

Independent of the dbt SQL on purpose (own parsing of the raw text, own flag logic), so that agreement
between the two is evidence, not an echo.
"""
