{{ fastf1_laps_staging(source('fastf1_api', 'fastf1_api_laps'), 'fastf1_api') }}
