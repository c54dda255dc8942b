"""Car telemetry: streaming loaders, lap assignment, and the two-driver comparison."""
