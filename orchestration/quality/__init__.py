"""Great Expectations suites reported as Dagster asset checks (dagster-ge does not support GX 1.x)."""
