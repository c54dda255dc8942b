"""Car telemetry files: the loader asset (a partition per file)."""
