"""The README's example BI questions as parameterised SQL, so the docs, tests and benchmark share them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    name: str
    question: str
    sql: str


EXAMPLES = [
    Example(
        "fastest_laps", "Fastest lap of every session of a season",
        "select event, session_name, fastest_lap_driver, fastest_lap_time, total_drivers\n"
        "from marts.session_summary\n"
        "where series = ? and season = ?\n"
        "order by event, session_name"),
    Example(
        "driver_consistency", "One driver's pace and consistency over a season",
        "select event, session_name, racing_lap_count, best_lap_time, avg_lap_time, consistency\n"
        "from marts.session_driver_stats\n"
        "where series = ? and season = ? and driver = ?\n"
        "order by event, session_name"),
    Example(
        "sector_comparison", "Two drivers' best sectors in one session, against the session's best",
        "select sector, driver, driver_best_time, driver_best_lap_number, fastest_time, fastest_driver,\n"
        "    gap_to_fastest\n"
        "from marts.session_sector_highlights\n"
        "where session_id = ? and driver in (?, ?)\n"
        "order by sector, driver"),
    Example(
        "daily_activity", "Track activity per day (sessions, laps, drivers, telemetry volume)",
        "select track, activity_date, sessions, laps, drivers, fastest_lap_time, fastest_lap_driver,\n"
        "    telemetry_samples\n"
        "from marts.track_activity_daily\n"
        "where activity_date >= ?\n"
        "order by activity_date desc, track"),
    Example(
        "race_trace", "The race trace: positions and gaps at the line, lap by lap",
        "select lap_number, driver, position, gap_to_leader, interval_to_ahead\n"
        "from marts.lap_positions\n"
        "where session_id = ? and position <= ?\n"
        "order by lap_number, position"),
    Example(
        "stint_degradation", "Each driver's stints: compound, green-flag pace and tyre degradation",
        "select driver, stint, compound, first_lap, last_lap, green_flag_avg_lap_time, degradation_s_per_lap\n"
        "from marts.driver_stints\n"
        "where session_id = ?\n"
        "order by driver, stint"),
    Example(
        "pit_stop_losses", "Who lost least in the pits (pit-lane time and time lost against green-flag pace)",
        "select driver, count(*) as stops, avg(pit_lane_time) as avg_pit_lane_time, avg(time_lost) as avg_time_lost\n"
        "from marts.pit_stops\n"
        "where session_id = ? and in_lap_track_status = 'green'\n"
        "group by driver\n"
        "order by avg_time_lost"),
    Example(
        "season_conditions", "Weather and neutralisations of a season's sessions",
        "select event, session_name, air_temp_mean_c, track_temp_max_c, had_rain, rain_share, sc_periods,\n"
        "    vsc_periods, red_periods\n"
        "from marts.session_conditions\n"
        "where series = ? and season = ?\n"
        "order by event, session_name"),
    Example(
        "neutralised_laps", "When the race was neutralised, and on which laps",
        "select event_number, track_status, message, start_session_time, duration, first_lap_number,\n"
        "    last_lap_number\n"
        "from marts.session_track_events\n"
        "where session_id = ? and event_kind = 'track_status_period' and track_status <> 'green'\n"
        "order by event_number"),
    Example(
        "standings_after_round", "The championship after a round, beside the official standings",
        "select position, driver, points, wins, official_points, official_position, matches\n"
        "from marts.championship_standings\n"
        "where series = ? and season = ? and round_number = ? and position <= ?\n"
        "order by position, driver"),
    Example(
        "season_drivers", "A season's drivers: starts, wins, podiums, points, fastest laps and green-flag pace",
        "select driver, starts, wins, podiums, points, average_finish, fastest_laps, green_flag_pace_rank\n"
        "from marts.driver_season_stats\n"
        "where series = ? and season = ?\n"
        "order by points desc, wins desc, driver"),
    Example(
        "laps_per_day", "Laps run per track and day, every session with lap times",
        "select track, activity_date, sessions, laps, drivers, best_lap_time, best_lap_driver\n"
        "from marts.track_laps_daily\n"
        "where activity_date >= ?\n"
        "order by activity_date, track"),
    Example(
        "laps_per_hour", "Laps and drivers on track hour by hour at one track",
        "select hour_start, sessions, laps, drivers\n"
        "from marts.track_laps_hourly\n"
        "where track = ?\n"
        "order by hour_start"),
    Example(
        "laps_per_month", "A series month by month: tracks, sessions, laps, drivers, best lap",
        "select month_start, tracks, sessions, laps, drivers, best_lap_time, best_lap_driver\n"
        "from marts.series_laps_monthly\n"
        "where series = ?\n"
        "order by month_start"),
]
