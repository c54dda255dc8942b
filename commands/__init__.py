"""What users run: the `lapstack` command, the demo, and the read-side helpers (compare, grants, example queries).

The top layer: it may import every other lapstack package, and none imports it."""
