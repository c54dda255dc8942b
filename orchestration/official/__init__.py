"""Official side files (results, best laps, weather, track status, standings) as one partitioned asset."""
