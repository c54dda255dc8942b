"""The official record beside the laps: results, best laps, weather, track status, standings, reference tables."""
