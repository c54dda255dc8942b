{{ config(
    indexes=[{'columns': ['session_id', 'driver', 'lap_number']}] if target.type == 'postgres' else [],
) }}
{#-
  The official lap windows the telemetry is anchored to (F1: raw.fastf1_laps). Lap N starts at LapStartDate
  (session time LapStartTime) and crosses the line `anchor_lap_time` seconds later: the official LapTime, else
  Time - LapStartTime. Small (one row per lap); fct_telemetry joins it on (session, driver, lap).
-#}
with source as (
    select * from {{ source('fastf1', 'fastf1_laps') }}
),

typed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(cast(lapnumber as double precision) as integer) as lap_number,
        cast(lapstartdate as timestamp) as lap_start_time,
        {{ timedelta_to_seconds('lapstarttime') }} as lap_start_session_time,
        {{ timedelta_to_seconds('time') }} as lap_end_session_time,
        {{ timedelta_to_seconds('laptime') }} as lap_time,
        {{ timedelta_to_seconds('sector1time') }} as sector_1_time,
        {{ timedelta_to_seconds('sector2time') }} as sector_2_time,
        {{ timedelta_to_seconds('sector3time') }} as sector_3_time
    from source
    where
        nullif(trim(lapstartdate), '') is not null
        and nullif(trim(lapnumber), '') is not null
)

select
    session_id,
    driver,
    lap_number,
    lap_start_time,
    {{ mart_seconds_columns(['lap_start_session_time', 'lap_end_session_time', 'lap_time',
                             'sector_1_time', 'sector_2_time', 'sector_3_time']) }},
    coalesce(lap_time, lap_end_session_time - lap_start_session_time) as anchor_lap_time
from typed
where coalesce(lap_time, lap_end_session_time - lap_start_session_time) > 0
