"""The core every lapstack package builds on: settings, warehouse connection, errors, the registry of raw sources.

Imports nothing of ours, so every layer above can use it."""
