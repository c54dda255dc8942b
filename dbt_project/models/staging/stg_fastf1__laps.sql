{{ fastf1_laps_staging(source('fastf1', 'fastf1_laps'), 'fastf1_laps') }}
