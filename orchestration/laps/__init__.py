"""Lap timing files: the loader asset and the landing-folder sensor."""
