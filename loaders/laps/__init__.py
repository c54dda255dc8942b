"""Lap timing loaders: one parser per source format, one shared atomic writer."""
